"""Sign-in with the school's account (ibportal/sso.py) without a provider: matching by verified
e-mail, nothing created, a board that requires SSO, the start and the return of a sign-in, the
management page. The whole flow against a real provider: tests/browser/test_sso_journey.py."""

from __future__ import annotations

from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model
from django.urls import reverse

from ibportal.sso import SignInRefused, match_user, sso_required_for
from schools.models import SecurityEvent, SingleSignOn

from . import factories as f

User = get_user_model()
ISSUER = "https://login.microsoftonline.com/0000-tenant/v2.0"
DISCOVERY = {
    "issuer": ISSUER,
    "authorization_endpoint": "https://login.microsoftonline.com/0000-tenant/oauth2/v2.0/authorize",
    "token_endpoint": "https://login.microsoftonline.com/0000-tenant/oauth2/v2.0/token",
    "jwks_uri": "https://login.microsoftonline.com/0000-tenant/discovery/v2.0/keys",
}


def school_account(board, **fields) -> SingleSignOn:
    values = {
        "kind": SingleSignOn.Kind.ENTRA,
        "issuer": ISSUER,
        "client_id": "client-a",
        "client_secret": "geheim-van-bestuur-a",
        **fields,
    }
    return SingleSignOn.objects.create(board=board, **values)


@pytest.fixture
def sso_a(cast) -> SingleSignOn:
    cast.ib_a.email = "ib.a@bestuur-a.example"
    cast.ib_a.save()
    cast.director_a.email = "directeur@bestuur-a.example"
    cast.director_a.save()
    cast.ib_b.email = "ib.b@bestuur-b.example"
    cast.ib_b.save()
    return school_account(cast.board_a)


# ---------------------------------------------------------------------------------------------
# Matching
# ---------------------------------------------------------------------------------------------


def test_verified_email_matches_the_account_whatever_its_case(cast, sso_a):
    claims = {"email": "IB.A@Bestuur-A.example", "email_verified": True}
    assert match_user(sso_a, claims) == cast.ib_a


def test_a_director_of_the_boards_school_matches(cast, sso_a):
    claims = {"email": "directeur@bestuur-a.example", "email_verified": "true"}
    assert match_user(sso_a, claims) == cast.director_a


def test_entra_verified_domain_claim_counts_as_verified(cast, sso_a):
    assert match_user(sso_a, {"email": "ib.a@bestuur-a.example", "xms_edov": True}) == cast.ib_a


@pytest.mark.parametrize(
    "claims",
    [
        {"email": "ib.a@bestuur-a.example", "email_verified": False},
        {"email": "ib.a@bestuur-a.example"},
        {"email": "", "email_verified": True},
        {"preferred_username": "ib.a@bestuur-a.example", "email_verified": True},
    ],
)
def test_an_unverified_or_missing_email_is_refused(cast, sso_a, claims):
    with pytest.raises(SignInRefused) as refused:
        match_user(sso_a, claims)
    assert refused.value.reason == "unverified_email"


def test_an_unknown_email_creates_nothing(cast, sso_a):
    users, memberships = User.objects.count(), cast.ib_a.memberships.model.objects.count()
    with pytest.raises(SignInRefused) as refused:
        match_user(sso_a, {"email": "nieuw@bestuur-a.example", "email_verified": True})
    assert refused.value.reason == "unknown_email"
    assert User.objects.count() == users
    assert cast.ib_a.memberships.model.objects.count() == memberships


def test_an_inactive_account_is_unknown(cast, sso_a):
    cast.ib_a.is_active = False
    cast.ib_a.save()
    with pytest.raises(SignInRefused) as refused:
        match_user(sso_a, {"email": "ib.a@bestuur-a.example", "email_verified": True})
    assert refused.value.reason == "unknown_email"


def test_someone_of_another_board_is_not_signed_in_by_this_boards_provider(cast, sso_a):
    with pytest.raises(SignInRefused) as refused:
        match_user(sso_a, {"email": "ib.b@bestuur-b.example", "email_verified": True})
    assert refused.value.reason == "unknown_email"
    assert refused.value.user == cast.ib_b  # for the security event, never on the page


def test_two_accounts_with_one_address_are_refused(cast, sso_a):
    cast.staff_a.email = "IB.A@bestuur-a.example"
    cast.staff_a.save()
    with pytest.raises(SignInRefused) as refused:
        match_user(sso_a, {"email": "ib.a@bestuur-a.example", "email_verified": True})
    assert refused.value.reason == "ambiguous"


# ---------------------------------------------------------------------------------------------
# The login page and a board that requires its school account
# ---------------------------------------------------------------------------------------------


def test_login_page_shows_the_enabled_boards_buttons(client, cast, sso_a):
    school_account(cast.board_b, enabled=False)
    response = client.get(reverse("login"))
    content = response.content.decode()
    assert "Inloggen met het schoolaccount van Bestuur A" in content
    assert reverse("sso_start", args=[sso_a.pk]) in content
    assert "Bestuur B" not in content
    # The password form stays as it was.
    assert 'id="id_username"' in content and 'id="id_password"' in content


def log_in(client, username: str):
    user = User.objects.get(username=username)
    user.set_password("een-lang-wachtwoord")
    user.save()
    return client.post(reverse("login"), {"username": username, "password": "een-lang-wachtwoord"})


def test_password_refused_when_the_board_requires_its_school_account(client, cast, sso_a):
    sso_a.required = True
    sso_a.save()
    for username in ("ib_a", "director_a", "admin_a"):
        response = log_in(client, username)
        assert response.status_code == 200
        assert "Uw bestuur vraagt u in te loggen met uw schoolaccount" in response.content.decode()
        assert "_auth_user_id" not in client.session
    event = SecurityEvent.objects.filter(user=cast.ib_a, kind=SecurityEvent.Kind.LOGIN_FAILED)
    assert event.get().detail == "sso_required"


def test_other_boards_and_superusers_keep_their_password(client, cast, sso_a, superuser):
    sso_a.required = True
    sso_a.save()
    assert log_in(client, "ib_b").status_code == 302
    client.logout()
    f.board_admin(cast.board_a, username=superuser.username)  # a superuser with a role at A
    assert sso_required_for(superuser) is False
    assert log_in(client, superuser.username).status_code == 302


def test_a_disabled_requirement_refuses_nothing(client, cast, sso_a):
    sso_a.required = True
    sso_a.enabled = False
    sso_a.save()
    assert log_in(client, "ib_a").status_code == 302


# ---------------------------------------------------------------------------------------------
# Start and return
# ---------------------------------------------------------------------------------------------


def test_start_sends_to_the_provider_with_pkce_state_and_nonce(client, cast, sso_a):
    with mock.patch("ibportal.sso.discover", return_value=DISCOVERY):
        response = client.get(reverse("sso_start", args=[sso_a.pk]) + "?next=/scholen/")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.geturl().startswith(DISCOVERY["authorization_endpoint"])
    query = {key: values[0] for key, values in parse_qs(location.query).items()}
    assert query["client_id"] == "client-a"
    assert query["code_challenge_method"] == "S256"
    assert query["redirect_uri"] == "http://testserver" + reverse("sso_callback")
    assert query["prompt"] == "select_account"
    assert {"state", "nonce", "code_challenge"} <= query.keys()
    session = client.session
    assert session["oidc_states"][query["state"]]["nonce"] == query["nonce"]
    assert session["sso_pending"][query["state"]] == sso_a.pk


def test_start_of_a_disabled_configuration_is_404(client, cast, sso_a):
    sso_a.enabled = False
    sso_a.save()
    assert client.get(reverse("sso_start", args=[sso_a.pk])).status_code == 404


def test_an_unreachable_provider_gets_the_dutch_page(client, cast, sso_a):
    with mock.patch("ibportal.sso.requests.get", side_effect=requests.ConnectionError("down")):
        response = client.get(reverse("sso_start", args=[sso_a.pk]))
    assert response.status_code == 503
    assert "nu niet bereikbaar" in response.content.decode()


def test_discovery_naming_another_issuer_is_refused(client, cast, sso_a):
    answer = mock.Mock(status_code=200)
    answer.json.return_value = {**DISCOVERY, "issuer": "https://evil.example"}
    with mock.patch("ibportal.sso.requests.get", return_value=answer):
        response = client.get(reverse("sso_start", args=[sso_a.pk]))
    assert response.status_code == 403
    assert "andere inlogdienst" in response.content.decode()


@pytest.mark.parametrize("query", ["", "?state=made-up&code=abc", "?code=abc"])
def test_a_return_without_a_state_of_this_session_is_refused(client, cast, sso_a, query):
    response = client.get(reverse("sso_callback") + query)
    assert response.status_code == 403
    content = response.content.decode()
    assert "Inloggen met het schoolaccount is niet gelukt" in content
    assert "niet op deze pagina begonnen" in content
    assert "_auth_user_id" not in client.session
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN_FAILED).exists()


def test_a_state_is_used_once_and_an_error_answer_signs_nobody_in(client, cast, sso_a):
    with mock.patch("ibportal.sso.discover", return_value=DISCOVERY):
        location = client.get(reverse("sso_start", args=[sso_a.pk]))["Location"]
    state = parse_qs(urlsplit(location).query)["state"][0]
    error = client.get(reverse("sso_callback"), {"state": state, "error": "access_denied"})
    assert "heeft u niet ingelogd" in error.content.decode()
    again = client.get(reverse("sso_callback"), {"state": state, "code": "abc"})
    assert "niet op deze pagina begonnen" in again.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_backend_authenticates_nothing_by_itself(rf, cast, sso_a):
    from ibportal.sso import SchoolAccountBackend

    request = rf.get("/")
    backend = SchoolAccountBackend()
    assert backend.authenticate(request, username="ib_a", password="x") is None
    assert backend.authenticate(request, email="ib.a@bestuur-a.example") is None


# ---------------------------------------------------------------------------------------------
# The management page (/beheer/)
# ---------------------------------------------------------------------------------------------


def test_board_admin_sets_up_the_boards_school_account(client, cast):
    client.force_login(cast.admin_a)
    url = reverse("admin:schools_singlesignon_add")
    page = client.get(url).content.decode()
    assert reverse("sso_callback") in page  # the redirect URI to register
    data = {
        "board": cast.board_a.pk,
        "kind": "google",
        "label": "",
        "issuer": "https://accounts.google.com",
        "client_id": "123.apps.googleusercontent.com",
        "client_secret": "GOCSPX-geheim",
        "enabled": "on",
    }
    assert client.post(url, data).status_code == 302
    sso = SingleSignOn.objects.get()
    assert sso.client_secret == "GOCSPX-geheim"

    change = reverse("admin:schools_singlesignon_change", args=[sso.pk])
    assert "GOCSPX-geheim" not in client.get(change).content.decode()
    # Saved again without typing the secret: it is kept.
    assert client.post(change, {**data, "client_secret": "", "required": "on"}).status_code == 302
    sso.refresh_from_db()
    assert sso.client_secret == "GOCSPX-geheim" and sso.required


def test_board_admin_cannot_set_up_another_boards_school_account(client, cast):
    client.force_login(cast.admin_a)
    data = {
        "board": cast.board_b.pk,
        "kind": "oidc",
        "issuer": "https://idp.example",
        "client_id": "x",
        "client_secret": "y",
    }
    response = client.post(reverse("admin:schools_singlesignon_add"), data)
    assert response.status_code == 200
    assert not SingleSignOn.objects.exists()
    other = school_account(cast.board_b)
    change = reverse("admin:schools_singlesignon_change", args=[other.pk])
    assert client.get(change).status_code == 302  # the admin's "does not exist" redirect


@pytest.mark.parametrize(
    "issuer", ["http://idp.example", "https://idp.example/?tenant=1", "idp.example"]
)
def test_issuer_must_be_https(issuer):
    from django.core.exceptions import ValidationError

    sso = SingleSignOn(issuer=issuer)
    with pytest.raises(ValidationError):
        sso.clean_fields(exclude=["board", "kind", "client_id", "client_secret"])


def test_the_management_sites_login_refuses_the_password_too(client, cast, sso_a):
    sso_a.required = True
    sso_a.save()
    cast.admin_a.is_staff = True
    cast.admin_a.set_password("een-lang-wachtwoord")
    cast.admin_a.save()
    response = client.post(
        reverse("admin:login"), {"username": "admin_a", "password": "een-lang-wachtwoord"}
    )
    assert response.status_code == 200
    assert "Uw bestuur vraagt u in te loggen met uw schoolaccount" in response.content.decode()
    assert "_auth_user_id" not in client.session
