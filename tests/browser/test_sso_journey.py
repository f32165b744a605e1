"""Sign-in with the school's account against a real OpenID Connect provider (django-oauth-
toolkit in a second process, tests/oidc_provider), and a sign-in with a TOTP code.

The provider requires PKCE and signs RS256 ID tokens; the portal checks state, nonce, audience,
issuer and expiry. Two clients of the provider misbehave on purpose (validator.py): one puts
another audience in the ID token, one issues an expired ID token; both are refused with the
Dutch page, and nobody is signed in.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from schools.models import SecurityEvent, SingleSignOn
from tests import factories as f
from tests.oidc_provider.fixture import (
    CLIENT_SECRET,
    USERS,
    Provider,
    oidc_provider,  # noqa: F401 - the fixture
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = USERS[0]["email"]
BUTTON = "Inloggen met het schoolaccount van Stichting Kempenwaard Onderwijs"


@pytest.fixture
def school_board(oidc_provider: Provider):  # noqa: F811 - the imported fixture
    board = f.BoardFactory(name="Stichting Kempenwaard Onderwijs")
    school = f.SchoolFactory(board=board, name="RKBS De Regenboog")
    ib = f.ib(board, username="ib.regenboog", first_name="Ilse", email=EMAIL.upper())
    f.AppointmentFactory(board=board, ib=ib, shares=[(school, "0.6")])
    sso = SingleSignOn.objects.create(
        board=board,
        kind=SingleSignOn.Kind.OIDC,
        issuer=oidc_provider.issuer,
        client_id="portal",
        client_secret=CLIENT_SECRET,
    )
    return board, ib, sso


def sign_in_at_provider(page: Page, provider: Provider, username: str) -> None:
    page.goto(reverse("login"))
    page.get_by_role("link", name=BUTTON).click()
    expect(page.locator("h1")).to_have_text("Test school account")
    assert page.url.startswith(provider.issuer.rsplit("/o", 1)[0])
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(provider.password)
    page.locator("#provider-login").click()


def test_school_account_signs_the_ib_in(new_context, school_board, oidc_provider) -> None:  # noqa: F811
    _board, ib, sso = school_board
    page = new_context().new_page()
    requests_seen: list[str] = []
    page.on("request", lambda request: requests_seen.append(request.url))

    sign_in_at_provider(page, oidc_provider, "ib.sso")

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("main")).to_contain_text("Mijn aanstellingen")
    authorize = next(url for url in requests_seen if "/o/authorize/" in url)
    for parameter in ("code_challenge=", "code_challenge_method=S256", "state=", "nonce="):
        assert parameter in authorize
    event = SecurityEvent.objects.filter(user=ib, kind=SecurityEvent.Kind.LOGIN).get()
    assert event.detail == "school_account"
    # The secret the token request sent was stored only encrypted.
    assert sso.client_secret_encrypted and CLIENT_SECRET not in sso.client_secret_encrypted


@pytest.mark.parametrize(
    ("client_id", "reason"),
    [
        ("portal-wrong-audience", "bedoeld voor een andere toepassing"),
        ("portal-expired", "is verlopen"),
    ],
)
def test_a_wrong_audience_or_an_expired_token_is_refused(
    new_context,
    school_board,
    oidc_provider,  # noqa: F811
    client_id,
    reason,
) -> None:
    _board, ib, sso = school_board
    sso.client_id = client_id
    sso.save()
    page = new_context().new_page()

    sign_in_at_provider(page, oidc_provider, "ib.sso")

    expect(page.locator("h1")).to_have_text("Inloggen met het schoolaccount is niet gelukt")
    expect(page.locator("main .alert")).to_contain_text(reason)
    expect(page.locator("main .alert")).to_contain_text("Er is niemand ingelogd.")
    page.goto(reverse("home"))
    expect(page).to_have_url(re.compile(re.escape(reverse("login"))))
    assert not SecurityEvent.objects.filter(user=ib, kind=SecurityEvent.Kind.LOGIN).exists()
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN_FAILED).exists()


def test_an_unknown_address_gets_no_account(new_context, school_board, oidc_provider) -> None:  # noqa: F811
    page = new_context().new_page()
    users_before = get_user_model().objects.count()

    sign_in_at_provider(page, oidc_provider, "stranger")

    expect(page.locator("main .alert")).to_contain_text("onbekend@kempenwaard.example")
    expect(page.locator("main .alert")).to_contain_text("maakt nooit een account aan")
    assert get_user_model().objects.count() == users_before


def test_a_local_account_signs_in_with_a_totp_code(new_context, db) -> None:
    board = f.BoardFactory(name="Stichting Heuvelrand")
    admin = f.board_admin(board, username="beheer.heuvelrand")
    admin.set_password("een-lang-wachtwoord")
    admin.save()
    device = TOTPDevice.objects.create(user=admin, name="authenticator", confirmed=True)
    page = new_context().new_page()

    page.goto(reverse("login"))
    page.locator("#id_username").fill("beheer.heuvelrand")
    page.locator("#id_password").fill("een-lang-wachtwoord")
    page.locator("main button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Inloggen in twee stappen")
    page.goto(reverse("home"))  # nothing else opens before the code
    expect(page.locator("h1")).to_have_text("Inloggen in twee stappen")

    code = TOTP(device.bin_key, device.step, device.t0, device.digits).token()
    page.locator("#id_code").fill(f"{code:06d}")
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("main")).to_contain_text("Stichting Heuvelrand")
