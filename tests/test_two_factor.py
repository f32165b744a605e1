"""Two-factor sign-in (ibportal/two_factor.py): set up under Settings, asked after the password,
recovery codes, and required for board administrators when TOTP_REQUIRED_FOR_BOARD_ADMINS."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ibportal.two_factor import SETUP_KEY_SESSION
from schools.security_events import SSO_SESSION_KEY

User = get_user_model()
PASSWORD = "een-lang-wachtwoord"


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = totp.time + offset * device.step
    return f"{totp.token():06d}"


def log_in(client, user):
    user.set_password(PASSWORD)
    user.save()
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


def enable(client, user) -> list[str]:
    client.force_login(user)
    client.get(reverse("two_factor_setup"))
    pending = TOTPDevice(key=client.session[SETUP_KEY_SESSION])
    response = client.post(
        reverse("two_factor_setup"), {"action": "enable", "code": code_for(pending)}
    )
    assert response.status_code == 200
    return re.findall(r"<li>([0-9a-z]+)</li>", response.content.decode())


def test_settings_page_links_to_two_factor(client, cast):
    client.force_login(cast.ib_a)
    assert reverse("two_factor_setup") in client.get(reverse("schools:preferences")).text


def test_setup_shows_an_inline_qr_code_and_the_key(client, cast):
    client.force_login(cast.ib_a)
    response = client.get(reverse("two_factor_setup"))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in content
    assert "http" not in re.search(r'<img src="([^"]+)"', content).group(1)
    assert re.search(r'<code id="totp-secret">([A-Z2-7]{4} ){7}[A-Z2-7]{4}</code>', content)
    assert not TOTPDevice.objects.exists()  # nothing is stored before the first code


def test_turning_on_takes_a_right_code_and_gives_recovery_codes(client, cast):
    client.force_login(cast.ib_a)
    client.get(reverse("two_factor_setup"))
    wrong = client.post(reverse("two_factor_setup"), {"action": "enable", "code": "000000"})
    assert wrong.status_code == 400
    assert not TOTPDevice.objects.exists()
    codes = enable(client, cast.ib_a)
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=cast.ib_a).confirmed
    assert StaticToken.objects.filter(device__user=cast.ib_a).count() == 10


def test_password_then_code(client, cast, settings):
    # django-otp delays the next try after a wrong code (1 s, then doubling); not here.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    enable(client, cast.ib_a)
    client.logout()
    response = log_in(client, cast.ib_a)
    assert response.status_code == 302
    # Every page sends to the code page until the code is given.
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("two_factor_verify"))
    assert client.get(reverse("schools:preferences"))["Location"].startswith(
        reverse("two_factor_verify")
    )
    assert client.get(reverse("two_factor_setup"))["Location"].startswith(
        reverse("two_factor_verify")
    )
    wrong = client.post(reverse("two_factor_verify"), {"code": "123456", "next": "/"})
    assert "Deze code klopt niet" in wrong.content.decode()
    device = TOTPDevice.objects.get(user=cast.ib_a)
    right = client.post(reverse("two_factor_verify"), {"code": code_for(device, 1), "next": "/"})
    assert right.status_code == 302 and right["Location"] == "/"
    assert client.get(reverse("schools:preferences")).status_code == 200


def test_a_recovery_code_works_once(client, cast):
    codes = enable(client, cast.ib_a)
    for attempt in range(2):
        client.logout()
        log_in(client, cast.ib_a)
        response = client.post(reverse("two_factor_verify"), {"code": codes[0]})
        if attempt == 0:
            assert response.status_code == 302
        else:
            assert response.status_code == 200
            assert "Deze code klopt niet" in response.content.decode()
    assert StaticToken.objects.filter(device__user=cast.ib_a).count() == 9


def test_the_code_page_is_not_open_to_anonymous_users(client):
    response = client.get(reverse("two_factor_verify"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_user_without_two_factor_is_not_asked(client, cast):
    assert log_in(client, cast.ib_a).status_code == 302
    assert client.get(reverse("schools:preferences")).status_code == 200


def test_turning_off(client, cast):
    enable(client, cast.ib_a)
    device = TOTPDevice.objects.get(user=cast.ib_a)
    response = client.post(
        reverse("two_factor_setup"), {"action": "disable", "code": code_for(device, 1)}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.exists() and not StaticToken.objects.exists()


@pytest.fixture
def required(settings):
    settings.TOTP_REQUIRED_FOR_BOARD_ADMINS = True


def test_board_admin_without_two_factor_is_sent_to_set_it_up(client, cast, required):
    log_in(client, cast.admin_a)
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("two_factor_setup"))
    assert client.get("/beheer/")["Location"].startswith(reverse("two_factor_setup"))
    page = client.get(reverse("two_factor_setup"))
    assert "Als beheerder van een bestuur hebt u inloggen in twee stappen nodig" in page.text
    pending = TOTPDevice(key=client.session[SETUP_KEY_SESSION])
    client.post(
        reverse("two_factor_setup"), {"action": "enable", "code": code_for(pending), "next": "/"}
    )
    assert client.get(reverse("schools:preferences")).status_code == 200
    # Board administrators keep it on: no way to turn it off.
    device = TOTPDevice.objects.get(user=cast.admin_a)
    assert "Uitzetten" not in client.get(reverse("two_factor_setup")).text
    client.post(reverse("two_factor_setup"), {"action": "disable", "code": code_for(device, 1)})
    assert TOTPDevice.objects.filter(user=cast.admin_a).exists()


def test_other_roles_are_not_required(client, cast, required):
    for user in (cast.staff_a, cast.director_a, cast.ib_a):
        client.logout()
        log_in(client, user)
        assert client.get(reverse("schools:preferences")).status_code == 200


def test_a_school_account_sign_in_owes_no_code(client, cast, required):
    session = client.session
    session[SSO_SESSION_KEY] = 1
    session.save()
    client.force_login(cast.admin_a)
    assert client.get(reverse("schools:preferences")).status_code == 200


def test_lockout_after_failed_passwords_still_works(client, cast, settings):
    cast.ib_a.set_password(PASSWORD)
    cast.ib_a.save()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "ib_a", "password": "fout"})
    response = client.post(reverse("login"), {"username": "ib_a", "password": PASSWORD})
    assert response.status_code == 429


def kinds_of(user) -> list[tuple[str, str]]:
    from schools.models import SecurityEvent

    return list(
        SecurityEvent.objects.filter(user=user).order_by("at", "pk").values_list("kind", "detail")
    )


def test_security_events_of_a_two_factor_sign_in(client, cast, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    enable(client, cast.ib_a)  # (signed in by force_login: one sign-in first)
    assert kinds_of(cast.ib_a)[1:] == [("two_factor_on", "")]  # turning it on is no sign-in
    client.logout()
    log_in(client, cast.ib_a)
    client.post(reverse("two_factor_verify"), {"code": "000000"})
    # The right password with a wrong code is no sign-in.
    assert kinds_of(cast.ib_a)[2:] == [("two_factor_failed", "")]
    device = TOTPDevice.objects.get(user=cast.ib_a)
    client.post(reverse("two_factor_verify"), {"code": code_for(device, 1)})
    assert kinds_of(cast.ib_a)[3:] == [("login", "two_factor")]


def test_security_events_page_is_dutch(client, cast, settings):
    from schools.models import SecurityEvent

    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    for kind, detail in [
        (SecurityEvent.Kind.LOGIN, "school_account"),
        (SecurityEvent.Kind.LOGIN, "two_factor"),
        (SecurityEvent.Kind.TWO_FACTOR_FAILED, ""),
        (SecurityEvent.Kind.TWO_FACTOR_ON, ""),
        (SecurityEvent.Kind.LOGIN_FAILED, "sso_refused:audience"),
        (SecurityEvent.Kind.LOGIN_FAILED, "sso_required"),
        (SecurityEvent.Kind.EXPORT, "task_letter:12"),
        (SecurityEvent.Kind.EXPORT, "own_data:JSON"),
        (SecurityEvent.Kind.LOGIN, "school account"),  # stored before the keys
    ]:
        SecurityEvent.objects.create(user=cast.ib_a, kind=kind, detail=detail)
    client.force_login(cast.admin_a)
    page = client.get(reverse("schools:security-events", args=[cast.board_a.pk])).text
    for dutch in (
        "Ingelogd: met het schoolaccount",
        "Ingelogd: met wachtwoord en code (inloggen in twee stappen)",
        "Mislukte inlogpoging: wachtwoord goed, code fout",
        "Inloggen in twee stappen aangezet",
        "schoolaccount geweigerd: het token was bedoeld voor een andere toepassing",
        "taakbrief van pakket 12",
        "eigen persoonsgegevens (JSON)",
    ):
        assert dutch in page, dutch
    for english in ("school account", "two_factor", "task_letter", "sso_", "own_data"):
        assert english not in page, english


def test_the_task_letter_event_stores_the_package_id_not_the_path(client, cast, package_a):
    from schools.models import SecurityEvent

    client.force_login(cast.director_a)
    assert client.get(reverse("tasks:package-letter", args=[package_a.pk])).status_code == 200
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.EXPORT, user=cast.director_a)
    assert event.detail == f"task_letter:{package_a.pk}"
    assert event.detail_text == f"taakbrief van pakket {package_a.pk}"
