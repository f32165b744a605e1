"""Security hardening (issue #6): CSP, no-store, login throttling, denial logging, settings."""

from __future__ import annotations

import datetime
import logging
import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from .competency_factories import assessment_round, matrix_framework
from .test_settings import manage, production_env

PASSWORD = "demo-wachtwoord"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
STYLE_BLOCK = re.compile(r"<style[\s>]", re.IGNORECASE)


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


# ---------------------------------------------------------------------------------------------
# Content-Security-Policy and the pages that must live with it
# ---------------------------------------------------------------------------------------------


def test_csp_header_allows_no_inline_script_or_style(client, db):
    response = client.get(reverse("login"))
    directives = csp_directives(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["base-uri"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_htmx_is_told_not_to_inject_its_indicator_styles(client, db):
    content = client.get(reverse("login")).content.decode()
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles":false}\'>' in content


def main_pages(cast) -> list[tuple[object, str]]:
    """(user, url) for the main pages, each seen by a user who may open it."""
    from .conftest import add_package_a

    package = add_package_a(cast)
    framework = matrix_framework(cast.board_a)
    round_ = assessment_round(cast.ib_a, framework, shared_with=cast.director_a)
    return [
        (cast.staff_a, reverse("schools:board-detail", args=[cast.board_a.pk])),
        (cast.staff_a, reverse("schools:comparison", args=[cast.board_a.pk])),
        (cast.staff_a, reverse("schools:appointment-edit", args=[cast.appointment_a.pk])),
        (cast.director_a, reverse("tasks:package-detail", args=[package.pk])),
        (cast.ib_a, reverse("tasks:package-detail", args=[package.pk])),
        (cast.ib_a, reverse("competencies:round-detail", args=[round_.pk])),
        (cast.director_a, reverse("competencies:round-detail", args=[round_.pk])),
        (None, reverse("login")),
    ]


def test_main_pages_have_no_inline_script_or_style(client, cast):
    for user, url in main_pages(cast):
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert not INLINE_SCRIPT.findall(content), url
        assert not STYLE_ATTRIBUTE.findall(content), url
        assert not STYLE_BLOCK.findall(content), url
        assert "Content-Security-Policy" in response, url


# ---------------------------------------------------------------------------------------------
# Personal data is not cached
# ---------------------------------------------------------------------------------------------


def test_pages_for_a_logged_in_user_are_not_stored(client, cast):
    client.force_login(cast.staff_a)
    response = client.get(reverse("schools:board-detail", args=[cast.board_a.pk]))
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control
    assert "private" in cache_control


# ---------------------------------------------------------------------------------------------
# Login throttling (django-axes)
# ---------------------------------------------------------------------------------------------


def bad_login(client, username: str = "staff_a"):
    return client.post(reverse("login"), {"username": username, "password": "fout"})


def good_login(client, username: str = "staff_a"):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def test_throttling_settings():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_RESET_ON_SUCCESS is True
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


def test_too_many_bad_logins_lock_out_even_the_right_password(client, cast):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert bad_login(client).status_code == 200
    response = bad_login(client)
    assert response.status_code == 429
    assert "registration/lockout.html" in [t.name for t in response.templates]

    response = good_login(client)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    content = response.content.decode()
    assert "Te veel inlogpogingen" in content
    assert "15 minuten" in content


def test_lockout_is_per_username_and_ip_address(client, cast):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        bad_login(client)
    assert good_login(client).status_code == 429
    # Another user at the same computer can still log in.
    assert good_login(client, "director_a").status_code == 302
    client.logout()
    # The same user from another address too.
    response = client.post(
        reverse("login"),
        {"username": "staff_a", "password": PASSWORD},
        REMOTE_ADDR="192.0.2.7",
    )
    assert response.status_code == 302


def test_lockout_ends_after_the_cool_off(client, cast):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        bad_login(client)
    assert good_login(client).status_code == 429
    # Let the cool-off pass.
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    )
    assert good_login(client).status_code == 302
    assert "_auth_user_id" in client.session


def test_successful_login_resets_the_failure_count(client, cast):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        bad_login(client)
    assert good_login(client).status_code == 302
    client.logout()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert bad_login(client).status_code == 200
    assert good_login(client).status_code == 302


# ---------------------------------------------------------------------------------------------
# Denials are logged
# ---------------------------------------------------------------------------------------------


def test_refused_page_is_logged_with_user_id_and_path(client, cast, caplog):
    client.force_login(cast.ib_a)
    url = reverse("schools:board-detail", args=[cast.board_b.pk])
    with caplog.at_level(logging.WARNING, logger="ibportal.security"):
        response = client.get(url + "?q=Jansen")
    assert response.status_code in (403, 404)
    (record,) = [r for r in caplog.records if r.name == "ibportal.security"]
    assert record.levelno == logging.WARNING
    assert record.path == url
    assert record.status_code == response.status_code
    assert f"user {cast.ib_a.pk}:" in record.getMessage()
    assert url in record.getMessage()
    # No username, and no query string (a search may hold a name).
    assert "ib_a" not in record.getMessage() and "Jansen" not in record.getMessage()


def test_anonymous_and_allowed_requests_are_not_logged(client, cast, caplog):
    with caplog.at_level(logging.WARNING, logger="ibportal.security"):
        client.get(reverse("schools:board-detail", args=[cast.board_b.pk]))
        client.force_login(cast.staff_a)
        client.get(reverse("schools:board-detail", args=[cast.board_a.pk]))
    assert not [r for r in caplog.records if r.name == "ibportal.security"]


# ---------------------------------------------------------------------------------------------
# Cookies, passwords and production settings
# ---------------------------------------------------------------------------------------------


def test_session_cookie_is_http_only(client, cast):
    response = good_login(client)
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60


def test_password_validators_are_configured():
    names = {
        validator["NAME"].rsplit(".", 1)[-1] for validator in settings.AUTH_PASSWORD_VALIDATORS
    }
    assert names >= {
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    }


@pytest.mark.parametrize(
    "expression",
    [
        "settings.SESSION_COOKIE_SECURE",
        "settings.CSRF_COOKIE_SECURE",
        "settings.SESSION_COOKIE_HTTPONLY",
        "settings.SECURE_SSL_REDIRECT",
        "settings.SECURE_HSTS_SECONDS >= 31536000",
        "'axes.middleware.AxesMiddleware' in settings.MIDDLEWARE",
        "'csp.middleware.CSPMiddleware' in settings.MIDDLEWARE",
        "'ibportal.middleware.NoStoreMiddleware' in settings.MIDDLEWARE",
    ],
)
def test_production_settings_are_secure(expression):
    result = manage(
        "shell",
        "-c",
        f"from django.conf import settings; print({expression})",
        env=production_env(),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True", result.stdout + result.stderr


# ---------------------------------------------------------------------------------------------
# Ids beyond any id column
# ---------------------------------------------------------------------------------------------


def int_kwarg_urls() -> list[tuple[str, list[str]]]:
    """(URL name, its int kwargs) for every app URL that takes an id or a year."""
    from django.urls import URLPattern, URLResolver, get_resolver
    from django.urls.converters import IntConverter

    found: list[tuple[str, list[str]]] = []

    def walk(resolver, namespace: str | None) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = pattern.namespace or namespace
                walk(pattern, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                converters = pattern.pattern.converters
                ints = [k for k, c in converters.items() if isinstance(c, IntConverter)]
                if ints and len(ints) == len(converters):
                    name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                    found.append((name, ints))

    walk(get_resolver(), None)
    return found


@pytest.mark.parametrize("method", ["get", "post"])
def test_ids_beyond_64_bits_are_not_found_not_a_crash(client, cast, method):
    urls = int_kwarg_urls()
    assert len(urls) > 30  # the walk found the app's URLs
    for user in (cast.staff_a, cast.director_a, cast.ib_a):
        client.force_login(user)
        for name, kwargs in urls:
            url = reverse(name, kwargs={key: 2**70 for key in kwargs})
            response = getattr(client, method)(url)
            assert response.status_code in (403, 404, 405), (user, url, response.status_code)


def test_multiple_choice_ids_beyond_64_bits_are_a_form_error(cast):
    from schools.forms import PeopleChoiceField
    from schools.models import School

    field = PeopleChoiceField(queryset=School.objects.all())
    for value in (str(2**64), str(-(2**63) - 1)):
        with pytest.raises(ValidationError) as error:
            field.clean([str(cast.school_a1.pk), value])
        assert error.value.code == "invalid_pk_value"
    assert list(field.clean([str(cast.school_a1.pk)])) == [cast.school_a1]


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "10.0.0.2"),  # no proxies configured: the header is not trusted
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # a spoofed entry on the left is ignored
        (2, "6.6.6.6, 203.0.113.5, 10.0.0.9", "203.0.113.5"),
        (2, "203.0.113.5", "10.0.0.2"),  # did not come through both proxies
        (1, "", "10.0.0.2"),
    ],
)
def test_client_address_behind_trusted_proxies(settings, rf, count, forwarded, expected):
    from ibportal.security import client_ip

    settings.TRUSTED_PROXY_COUNT = count
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_lockout_behind_a_proxy_is_per_client_address(client, cast, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            url,
            {"username": "staff_a", "password": "wrong"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="198.51.100.7",
        )
    locked = client.post(
        url,
        {"username": "staff_a", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert locked.status_code == 429
    # The same proxy, another client: not locked out.
    other = client.post(
        url,
        {"username": "staff_a", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.8",
    )
    assert other.status_code == 302
