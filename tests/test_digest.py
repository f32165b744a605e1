"""The weekly e-mail digest (ibportal/digest.py, manage.py send_digest) and the settings page
where a user switches it off (their own only)."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ibportal import digest
from schools.models import Preference
from tasks.models import Package
from tasks.packages import package_submit

from . import factories as f
from .conftest import conversations_far_ahead


@pytest.fixture
def submitted(cast, package_a):
    """package_a submitted to ib_a: the IB has a package to review, board staff a package
    not agreed yet, director_a nothing (waiting for the IB; no conversation due)."""
    conversations_far_ahead(cast)
    package_submit(
        package=package_a,
        actor=cast.director_a,
        lock_version=Package.objects.get(pk=package_a.pk).lock_version,
    )
    mail.outbox.clear()
    return cast


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run the digest as the command does; the queue sends after the commit, so the commit
    callbacks run when it ends (a test is one transaction that never commits)."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            if not kwargs:
                call_command("send_digest", verbosity=0)
                return None
            return digest.send_digests(**kwargs)

    return run


def outbox_by_user(cast) -> dict[str, mail.EmailMessage]:
    by_address = {message.to[0]: message for message in mail.outbox}
    return {
        key: by_address[cast.user(key).email]
        for key in ("staff_a", "admin_a", "staff_b", "director_a", "director_b", "ib_a", "ib_b")
        if cast.user(key).email in by_address
    }


def test_digest_goes_to_whoever_has_something_to_do(submitted, send):
    cast = submitted
    send()
    sent = outbox_by_user(cast)
    # Board B's share at B1 has no package: something for its director and staff.
    assert set(sent) == {"ib_a", "staff_a", "admin_a", "staff_b", "director_b"}
    ib_mail = sent["ib_a"]
    assert ib_mail.subject == "IB-portaal: 1 punt te doen"
    assert "Takenpakket beoordelen: School A1" in ib_mail.body
    assert reverse("tasks:package-detail", args=[cast.package_a.pk]) in ib_mail.body
    assert "http://testserver" not in ib_mail.body
    assert reverse("schools:preferences") in ib_mail.body  # the way to switch it off
    assert "School B1" not in sent["staff_a"].body and "School A1" not in sent["staff_b"].body


def test_digest_is_not_sent_twice_in_a_week(submitted, send):
    now = timezone.now()
    assert send(now=now)["sent"] == 5
    assert send(now=now + datetime.timedelta(days=1))["recent"] == 5
    assert len(mail.outbox) == 5
    assert send(now=now + datetime.timedelta(days=7))["sent"] == 5


def test_digest_skipped_when_empty(cast, send):
    send()
    assert "ib_a" not in outbox_by_user(cast)  # no package submitted: nothing for the IB
    assert "ib_b" not in outbox_by_user(cast)
    assert "director_b" in outbox_by_user(cast)  # B1's share has no package: positive control


def test_digest_skipped_when_switched_off(submitted, send):
    Preference.objects.create(user=submitted.ib_a, weekly_digest=False)
    send()
    assert "ib_a" not in outbox_by_user(submitted)
    assert "staff_a" in outbox_by_user(submitted)


def test_mail_server_down_is_logged_and_the_command_goes_on(submitted, send, settings, caplog):
    settings.EMAIL_BACKEND = "tests.test_notices.MailServerDown"
    with caplog.at_level(logging.INFO):
        send()  # no exception
    failures = [r for r in caplog.records if r.name == "core.mail" and "failed" in r.getMessage()]
    assert any(f"user {submitted.ib_a.pk} " in r.getMessage() for r in failures)
    assert len(failures) == 5  # every recipient was tried
    for person in (submitted.ib_a, submitted.staff_a):
        assert person.email not in caplog.text and person.last_name not in caplog.text


def test_one_users_failure_does_not_stop_the_others(submitted, send, monkeypatch, caplog):
    real = digest.items_for

    def broken_for_ib_a(user, today=None):
        if user.pk == submitted.ib_a.pk:
            raise RuntimeError(f"something about {user.email}")
        return real(user, today)

    monkeypatch.setattr(digest, "items_for", broken_for_ib_a)
    with caplog.at_level(logging.ERROR, logger="ibportal.digest"):
        outcomes = send(now=timezone.now())
    assert outcomes["failed"] == 1 and outcomes["sent"] == 4
    assert f"Digest for user {submitted.ib_a.pk} failed (RuntimeError)" in caplog.text
    assert submitted.ib_a.email not in caplog.text


def test_inactive_users_and_users_without_address_get_nothing(submitted, send):
    submitted.ib_a.email = ""
    submitted.ib_a.save()
    submitted.staff_a.is_active = False
    submitted.staff_a.save()
    send()
    assert set(outbox_by_user(submitted)) == {"admin_a", "staff_b", "director_b"}


# ---------------------------------------------------------------------------------------------
# the settings page: the user's own, versioned
# ---------------------------------------------------------------------------------------------


def test_digest_is_on_by_default_and_switched_off_for_oneself_only(client, cast):
    client.force_login(cast.ib_a)
    url = reverse("schools:preferences")
    response = client.get(url)
    assert response.context["form"]["weekly_digest"].value() is True
    # A "user" field in the POST is no field of the form: always the logged-in user's row.
    response = client.post(url, {"weekly_digest": "", "lock_version": "", "user": cast.ib_b.pk})
    assert response.status_code == 302
    assert Preference.objects.get(user=cast.ib_a).weekly_digest is False
    assert not Preference.objects.filter(user=cast.ib_b).exists()
    assert "staat uit" in client.get(reverse("schools:appointment-list")).content.decode()
    # And on again, on the saved row's version.
    version = Preference.objects.get(user=cast.ib_a).lock_version
    client.post(url, {"weekly_digest": "on", "lock_version": version})
    assert Preference.objects.get(user=cast.ib_a).weekly_digest is True


def test_stale_settings_form_saves_nothing(client, cast):
    Preference.objects.create(user=cast.ib_a, weekly_digest=True)
    client.force_login(cast.ib_a)
    url = reverse("schools:preferences")
    page = client.get(url)
    version = page.context["form"]["lock_version"].value()
    Preference.objects.get(user=cast.ib_a).save()  # another tab saved meanwhile
    response = client.post(url, {"weekly_digest": "", "lock_version": version})
    assert response.status_code == 409
    assert Preference.objects.get(user=cast.ib_a).weekly_digest is True
    # A form opened before the row existed, posted after another tab made it: refused too.
    client.force_login(cast.ib_b)
    Preference.objects.create(user=cast.ib_b)
    response = client.post(url, {"weekly_digest": "", "lock_version": ""})
    assert response.status_code == 409
    assert Preference.objects.get(user=cast.ib_b).weekly_digest is True


def test_settings_need_a_login(client, db):
    url = reverse("schools:preferences")
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_user_without_role_gets_no_digest(db):
    f.UserFactory(username="zonderrol")
    assert digest.send_digests() == {}
