"""Settings from the environment, the deploy check, and the account pages (account/, taal/)."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parent.parent


def production_env(**overrides: str | None) -> dict[str, str]:
    """The environment of a production start: no DEBUG, a long random secret, one host."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"}
        and not key.startswith(("SECURE_", "SESSION_", "CSRF_"))
    }
    env.update(
        {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "example.org",
            "DJANGO_SETTINGS_MODULE": "ibportal.settings",
        }
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_deploy_check_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr


def test_start_without_secret_key_and_without_debug_fails():
    result = manage("check", env=production_env(SECRET_KEY=None))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_bad_boolean_in_environment_fails_loudly():
    result = manage("check", env=production_env(DEBUG="misschien"))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


def test_upload_storage_is_configurable(tmp_path):
    probe = (
        "from django.core.files.storage import storages; storage = storages['default'];"
        "print(type(storage).__name__, storage.location)"
    )
    env = production_env(
        MEDIA_STORAGE_BACKEND="django.core.files.storage.FileSystemStorage",
        MEDIA_STORAGE_OPTIONS=f'{{"location": "{tmp_path}"}}',
    )
    result = manage("shell", "-c", probe, env=env)
    assert result.returncode == 0, result.stderr
    assert f"FileSystemStorage {tmp_path}" in result.stdout

    for bad in ("{not json", "[1, 2]"):
        result = manage("check", env=production_env(MEDIA_STORAGE_OPTIONS=bad))
        assert result.returncode != 0
        assert "MEDIA_STORAGE_OPTIONS must be a JSON object" in result.stderr


def test_login_is_required_everywhere_by_default():
    assert "django.contrib.auth.middleware.LoginRequiredMiddleware" in settings.MIDDLEWARE


def test_tests_run_in_dutch_with_fast_hashing():
    assert settings.LANGUAGE_CODE == "nl"
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]


# ---------------------------------------------------------------------------------------------
# Account pages: log in, log out, change and reset the password
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["login", "password_reset", "password_reset_done"])
def test_account_pages_open_anonymously(client, db, name):
    assert client.get(reverse(name)).status_code == 200


def test_login_with_password_lands_on_start_page(client, cast):
    response = client.post(
        reverse("login"), {"username": "staff_a", "password": "demo-wachtwoord"}, follow=True
    )
    assert response.redirect_chain[-1] == (
        reverse("schools:board-detail", args=[cast.board_a.pk]),
        302,
    )


def test_login_with_wrong_password_rerenders_form(client, cast):
    response = client.post(reverse("login"), {"username": "staff_a", "password": "fout"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_login_returns_to_next_page(client, cast):
    url = reverse("schools:school-list")
    response = client.post(
        f"{reverse('login')}?next={url}",
        {"username": "director_a", "password": "demo-wachtwoord", "next": url},
    )
    assert response["Location"] == url


def test_logout_ends_the_session(client, cast):
    client.force_login(cast.ib_a)
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change_needs_login(client, db):
    url = reverse("password_change")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_user_changes_own_password(client, cast):
    client.force_login(cast.ib_a)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "demo-wachtwoord",
            "new_password1": "Een-lang-nieuw-wachtwoord-42",
            "new_password2": "Een-lang-nieuw-wachtwoord-42",
        },
    )
    assert response["Location"] == reverse("password_change_done")
    cast.ib_a.refresh_from_db()
    assert cast.ib_a.check_password("Een-lang-nieuw-wachtwoord-42")


def test_password_reset_sends_email_to_known_address(
    client, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": cast.ib_a.email})
    assert response["Location"] == reverse("password_reset_done")
    (message,) = mail.outbox
    assert message.to == [cast.ib_a.email]
    assert "/account/reset/" in message.body


def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(
    client, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("password_reset"), {"email": "onbekend@example.invalid"})
    assert response["Location"] == reverse("password_reset_done")
    assert callbacks == [] and mail.outbox == []


def test_password_reset_link_sets_new_password(client, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": cast.ib_a.email})
    link = re.search(r"https?://[^/\s]+(/account/reset/\S+)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {
            "new_password1": "Weer-een-nieuw-wachtwoord-7",
            "new_password2": "Weer-een-nieuw-wachtwoord-7",
        },
    )
    assert response["Location"] == reverse("password_reset_complete")
    user = get_user_model().objects.get(pk=cast.ib_a.pk)
    assert user.check_password("Weer-een-nieuw-wachtwoord-7")


def test_language_can_be_switched_anonymously(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
