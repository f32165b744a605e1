"""The sign-in with the school's account, hardened: the board's client secret encrypted at rest
(core/encryption.py, the data migration, key rotation, the management page) and refused
sign-ins throttled per address by django-axes, recorded as security events without e-mail."""

from __future__ import annotations

import json
import logging
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
from axes.models import AccessAttempt
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from core import encryption
from ibportal.sso import SignInRefused
from schools.models import SecurityEvent, SingleSignOn
from schools.security_events import SSO_ATTEMPT_USERNAME

from .test_sso import DISCOVERY, school_account

SECRET = "geheim-van-bestuur-a"
OTHER_IP = "192.0.2.7"


@pytest.fixture
def sso_a(cast) -> SingleSignOn:
    cast.ib_a.email = "ib.a@bestuur-a.example"
    cast.ib_a.save()
    return school_account(cast.board_a, client_secret=SECRET)


def stored_row(sso: SingleSignOn) -> list:
    """The configuration's row as the database holds it, every column."""
    table = SingleSignOn._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [sso.pk])  # noqa: S608
        return list(cursor.fetchone())


def read_secret(sso: SingleSignOn) -> str:
    return SingleSignOn.objects.get(pk=sso.pk).client_secret


# ---------------------------------------------------------------------------------------------
# The secret at rest
# ---------------------------------------------------------------------------------------------


def test_the_secret_is_stored_encrypted_and_read_back_in_clear(sso_a):
    row = stored_row(sso_a)
    assert not any(SECRET in str(value) for value in row)
    fresh = SingleSignOn.objects.get(pk=sso_a.pk)
    assert fresh.client_secret == SECRET
    assert encryption.decrypt(fresh.client_secret_encrypted) == SECRET


def test_the_token_request_sends_the_clear_secret(cast, sso_a):
    from ibportal.sso import BoardTokenClient

    client = BoardTokenClient(SingleSignOn.objects.get(pk=sso_a.pk), DISCOVERY)
    assert client.OIDC_RP_CLIENT_SECRET == SECRET


def test_a_configured_key_encrypts_and_old_keys_still_decrypt(settings, sso_a):
    new_key = Fernet.generate_key().decode()
    # Only the new key: the secret encrypted under the key derived from SECRET_KEY is unreadable.
    settings.SSO_SECRET_KEYS = [new_key]
    with pytest.raises(encryption.InvalidToken):
        read_secret(sso_a)
    # Rotation: the new key in front, the old one behind it.
    settings.SSO_SECRET_KEYS = [new_key, encryption.derive_key(settings.SECRET_KEY).decode()]
    assert read_secret(sso_a) == SECRET
    call_command("rotate_sso_secrets", stdout=mock.Mock())
    settings.SSO_SECRET_KEYS = [new_key]
    assert read_secret(sso_a) == SECRET


def test_rotation_names_a_secret_no_key_opens(settings, sso_a):
    settings.SSO_SECRET_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError, match=str(sso_a.pk)):
        call_command("rotate_sso_secrets", stdout=mock.Mock())


def test_derived_keys_follow_the_secret_key_fallbacks(settings, sso_a):
    settings.SSO_SECRET_KEYS = []
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    settings.SECRET_KEY_FALLBACKS = [old]
    assert read_secret(sso_a) == SECRET
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(encryption.InvalidToken):
        read_secret(sso_a)


def test_a_bad_sso_secret_key_fails_at_start_up():
    import subprocess
    import sys

    env = {"DEBUG": "true", "SSO_SECRET_KEY": "not-a-fernet-key", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; from django.conf import settings; settings.DEBUG"],
        env={**env, "DJANGO_SETTINGS_MODULE": "ibportal.settings"},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )
    assert result.returncode != 0
    assert "SSO_SECRET_KEY must be comma-separated Fernet keys" in result.stderr


def test_an_unreadable_secret_refuses_the_sign_in_with_a_clear_page(client, settings, sso_a):
    with mock.patch("ibportal.sso.discover", return_value=DISCOVERY):
        location = client.get(reverse("sso_start", args=[sso_a.pk]))["Location"]
    state = parse_qs(urlsplit(location).query)["state"][0]
    settings.SSO_SECRET_KEYS = [Fernet.generate_key().decode()]
    with mock.patch("ibportal.sso.discover", return_value=DISCOVERY):
        response = client.get(reverse("sso_callback"), {"state": state, "code": "abc"})
    assert response.status_code == 403
    assert "het client secret is niet te lezen" in response.text
    assert "_auth_user_id" not in client.session
    # The portal's own fault, not an attempt: not counted by the login limit.
    assert not AccessAttempt.objects.exists()


def test_management_page_never_shows_the_secret_nor_its_token(client, cast, sso_a):
    client.force_login(cast.admin_a)
    page = client.get(reverse("admin:schools_singlesignon_change", args=[sso_a.pk])).text
    assert SECRET not in page
    assert sso_a.client_secret_encrypted not in page
    assert sso_a.client_secret_encrypted[:20] not in page


def test_a_new_secret_typed_in_the_management_page_is_encrypted(client, cast, sso_a):
    client.force_login(cast.admin_a)
    data = {
        "board": cast.board_a.pk,
        "kind": "entra",
        "label": "",
        "issuer": sso_a.issuer,
        "client_id": "client-a",
        "client_secret": "een-nieuw-geheim",
        "enabled": "on",
    }
    change = reverse("admin:schools_singlesignon_change", args=[sso_a.pk])
    assert client.post(change, data).status_code == 302
    sso_a.refresh_from_db()
    assert sso_a.client_secret == "een-nieuw-geheim"
    assert not any("een-nieuw-geheim" in str(value) for value in stored_row(sso_a))


def test_the_personal_data_download_holds_no_secret(client, cast, sso_a):
    client.force_login(cast.admin_a)
    body = client.get(reverse("schools:my-data-json")).content.decode()
    assert SECRET not in body and sso_a.client_secret_encrypted not in body


@pytest.mark.django_db(transaction=True)
def test_the_data_migration_encrypts_existing_secrets(cast):
    executor = MigrationExecutor(connection)
    before = [("schools", "0020_multi_school_norm_limit")]
    executor.migrate(before)
    old_apps = MigrationExecutor(connection).loader.project_state(before).apps
    old_model = old_apps.get_model("schools", "SingleSignOn")
    old = old_model.objects.create(
        board_id=cast.board_a.pk,
        kind="entra",
        issuer="https://login.microsoftonline.com/0000-tenant/v2.0",
        client_id="client-a",
        client_secret=SECRET,
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    sso = SingleSignOn.objects.get(pk=old.pk)
    assert sso.client_secret == SECRET
    assert not any(SECRET in str(value) for value in stored_row(sso))


# ---------------------------------------------------------------------------------------------
# Refused sign-ins are throttled (django-axes) and recorded
# ---------------------------------------------------------------------------------------------


def wrong_state(client, **extra):
    return client.get(reverse("sso_callback"), {"state": "made-up", "code": "abc"}, **extra)


def started(client, sso: SingleSignOn) -> str:
    with mock.patch("ibportal.sso.discover", return_value=DISCOVERY):
        location = client.get(reverse("sso_start", args=[sso.pk]))["Location"]
    return parse_qs(urlsplit(location).query)["state"][0]


def returned(client, state: str, *, user=None, refusal: SignInRefused | None = None):
    with (
        mock.patch("ibportal.sso.discover", return_value=DISCOVERY),
        mock.patch("ibportal.sso.BoardTokenClient.sign_in", return_value=user, side_effect=refusal),
    ):
        return client.get(reverse("sso_callback"), {"state": state, "code": "abc"})


def test_too_many_refused_returns_lock_the_address_out(client, cast, sso_a):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert wrong_state(client).status_code == 403
    last = wrong_state(client)
    assert last.status_code == 403
    assert "een mislukte poging te veel" in last.text  # this one was the last one allowed
    # Now the start and even a return that would sign in are refused, with axes' status.
    response = client.get(reverse("sso_start", args=[sso_a.pk]))
    assert response.status_code == 429
    assert "Te veel inlogpogingen" in response.text and "15 minuten" in response.text
    response = returned(client, "made-up", user=cast.ib_a)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another address is not affected.
    assert wrong_state(client, REMOTE_ADDR=OTHER_IP).status_code == 403
    attempt = AccessAttempt.objects.get(ip_address="127.0.0.1")
    assert attempt.username == SSO_ATTEMPT_USERNAME
    assert attempt.failures_since_start == settings.AXES_FAILURE_LIMIT
    # The one-time code and the state are masked in axes' records.
    assert "abc" not in attempt.get_data and "made-up" not in attempt.get_data


def test_the_limit_counts_every_kind_of_refusal(client, cast, sso_a):
    refusals = [
        SignInRefused("token"),  # e.g. a wrong nonce
        SignInRefused("audience"),
        SignInRefused("unknown_email", email="onbekend@bestuur-a.example"),
        SignInRefused("expired"),
    ]
    for refusal in refusals:
        assert returned(client, started(client, sso_a), refusal=refusal).status_code == 403
    assert wrong_state(client).status_code == 403  # the fifth
    assert client.get(reverse("sso_start", args=[sso_a.pk])).status_code == 429


def test_an_unreachable_provider_is_not_counted(client, cast, sso_a):
    with mock.patch("ibportal.sso.discover", side_effect=SignInRefused("unavailable")):
        for _attempt in range(settings.AXES_FAILURE_LIMIT + 1):
            assert client.get(reverse("sso_start", args=[sso_a.pk])).status_code == 503
    assert not AccessAttempt.objects.exists()


def test_refused_school_accounts_do_not_lock_out_password_logins(client, cast, sso_a):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        wrong_state(client)
    cast.ib_a.set_password("een-lang-wachtwoord")
    cast.ib_a.save()
    response = client.post(
        reverse("login"), {"username": "ib_a", "password": "een-lang-wachtwoord"}
    )
    assert response.status_code == 302


def test_a_successful_sign_in_resets_the_addresses_failures(client, cast, sso_a):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        wrong_state(client)
    # And wrong passwords of the user at the same address, as a password login would.
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("login"), {"username": "ib_a", "password": "fout"})
    assert AccessAttempt.objects.count() == 2
    response = returned(client, started(client, sso_a), user=cast.ib_a)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.ib_a.pk)
    assert not AccessAttempt.objects.exists()
    client.logout()
    # The count starts again: the limit of refusals is available in full.
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert wrong_state(client).status_code == 403
    assert client.get(reverse("sso_start", args=[sso_a.pk])).status_code != 429


def test_refusals_are_security_events_with_ids_only(client, cast, sso_a, caplog):
    email = "ib.b@bestuur-b.example"
    caplog.set_level(logging.DEBUG)
    refusal = SignInRefused("unknown_email", user=cast.ib_b, email=email)
    response = returned(client, started(client, sso_a), refusal=refusal)
    assert email in response.text  # the person is told which address their account gave
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        wrong_state(client)
    client.get(reverse("sso_start", args=[sso_a.pk]))  # locked out
    events = list(
        SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN_FAILED)
        .order_by("id")
        .values_list("user_id", "detail")
    )
    assert events == [
        (cast.ib_b.pk, "sso_refused:unknown_email"),
        *[(None, "sso_refused:state")] * (settings.AXES_FAILURE_LIMIT - 1),
        (None, "sso_refused:locked_out"),
    ]
    assert all(email not in str(value) for row in events for value in row)
    assert email not in caplog.text
    assert "ib.b" not in caplog.text
    assert "made-up" not in caplog.text and "code=abc" not in caplog.text


def test_the_lockout_event_reads_in_dutch(client, cast):
    event = SecurityEvent(kind=SecurityEvent.Kind.LOGIN_FAILED, detail="sso_refused:locked_out")
    from django.utils import translation

    with translation.override("nl"):
        assert "te veel" in event.detail_text


def test_backup_data_never_holds_the_clear_secret(sso_a):
    from django.core import serializers

    data = serializers.serialize("json", SingleSignOn.objects.all())
    assert SECRET not in data
    [row] = json.loads(data)
    assert encryption.decrypt(row["fields"]["client_secret_encrypted"]) == SECRET
