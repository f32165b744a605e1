"""Invitations (schools/invitations.py) and the staff page (schools/staff_views.py): the
one-time link, its expiry, the mail through the queue, a failing mail server, the status the
board administrator sees, and the staff page's query count (issue 15)."""

from __future__ import annotations

import datetime
import re
import smtplib

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from schools.invitations import invitation_for_token, invite, make_token
from schools.models import INVITATION_DAYS, Invitation, Membership, Role

from . import factories as f

BASE = "http://testserver"


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    """Run (or keep) what waits for the commit: the queued mail."""
    return django_capture_on_commit_callbacks


@pytest.fixture
def newcomer(cast):
    """A new IB of board A, made by the HR import: no password, never signed in."""
    user = f.UserFactory(username="nieuw@example.invalid", email="nieuw@example.invalid")
    user.set_unusable_password()
    user.save()
    Membership.objects.create(user=user, role=Role.IB, board=cast.board_a)
    return user


def link_in(message) -> str:
    return re.search(r"http://testserver(/account/uitnodiging/[^/\s]+/)", message.body).group(1)


def send(cast, user, capture):
    with capture(execute=True):
        return invite(user=user, board=cast.board_a, by=cast.admin_a, base_url=BASE)


def test_invitation_mail_goes_through_the_queue_with_a_link(cast, newcomer, capture):
    with capture(execute=False) as callbacks:
        invite(user=newcomer, board=cast.board_a, by=cast.admin_a, base_url=BASE)
    assert mail.outbox == []  # queued: sent after the commit
    assert len(callbacks) == 1
    callbacks[0]()
    (message,) = mail.outbox
    assert message.to == ["nieuw@example.invalid"]
    assert "Bestuur A" in message.subject
    assert "nieuw@example.invalid" in message.body
    assert link_in(message)


def test_the_link_sets_a_password_once(client, cast, newcomer, capture):
    send(cast, newcomer, capture)
    url = link_in(mail.outbox[-1])
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "nieuw@example.invalid" in page and reverse("login") in page
    assert response["Cache-Control"].startswith("max-age=0")
    response = client.post(
        url, {"new_password1": "een-lang-wachtwoord", "new_password2": "een-lang-wachtwoord"}
    )
    assert response["Location"] == reverse("login")
    newcomer.refresh_from_db()
    assert newcomer.check_password("een-lang-wachtwoord")
    assert Invitation.objects.get(user=newcomer).status == Invitation.Status.ACCEPTED
    # One time only.
    assert client.get(url).status_code == 410
    response = client.post(url, {"new_password1": "ander-wachtwoord-1", "new_password2": "x"})
    assert response.status_code == 410
    newcomer.refresh_from_db()
    assert newcomer.check_password("een-lang-wachtwoord")


def test_a_sign_in_accepts_the_invitation(client, cast, newcomer, capture):
    invitation = send(cast, newcomer, capture)
    client.force_login(newcomer)  # e.g. with the school's account
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation_for_token(make_token(invitation)) is None


def test_the_link_expires(client, cast, newcomer, capture):
    invitation = send(cast, newcomer, capture)
    invitation.sent_at = timezone.now() - datetime.timedelta(days=INVITATION_DAYS, seconds=1)
    invitation.save()
    assert invitation.status == Invitation.Status.EXPIRED
    assert (
        client.get(reverse("invitation-accept", args=[make_token(invitation)])).status_code == 410
    )


def test_the_signature_expires_too(cast, newcomer, capture, monkeypatch):
    invitation = send(cast, newcomer, capture)
    token = make_token(invitation)
    later = timezone.now().timestamp() + (INVITATION_DAYS + 1) * 86400
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    assert invitation_for_token(token) is None


def test_sending_again_makes_the_old_link_invalid(client, cast, newcomer, capture):
    send(cast, newcomer, capture)
    old = link_in(mail.outbox[-1])
    invitation = send(cast, newcomer, capture)
    new = link_in(mail.outbox[-1])
    assert old != new and invitation.times_sent == 2
    assert client.get(old).status_code == 410
    assert client.get(new).status_code == 200


@pytest.mark.parametrize("token", ["", "abc", "eyJpIjoxfQ:1abc:def", "a" * 300])
def test_altered_tokens_are_refused(cast, newcomer, token):
    assert invitation_for_token(token) is None


def test_a_token_for_a_blocked_person_is_refused(cast, newcomer, capture):
    invitation = send(cast, newcomer, capture)
    newcomer.is_active = False
    newcomer.save()
    assert invitation_for_token(make_token(invitation)) is None


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("down")


def test_a_failing_mail_server_does_not_fail_the_invitation(
    client, cast, newcomer, settings, capture
):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"
    client.force_login(cast.admin_a)
    url = reverse("schools:staff-invite", args=[cast.board_a.pk, newcomer.pk])
    with capture(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert Invitation.objects.get(user=newcomer).status == Invitation.Status.SENT


def test_staff_page_shows_the_status_and_invites(client, cast, newcomer, capture):
    # Made by the HR import: no password yet (the cast's other people have one).
    for person in (cast.ib_a, cast.director_a):
        person.set_unusable_password()
        person.save()
    client.force_login(cast.admin_a)
    page_url = reverse("schools:staff-list", args=[cast.board_a.pk])
    page = client.get(page_url).content.decode()
    assert "niet uitgenodigd" in page or "not invited" in page
    with capture(execute=True):
        client.post(reverse("schools:staff-invite-all", args=[cast.board_a.pk]))
    # Everyone of board A with an address who never signed in; the admin signed in.
    invited = set(Invitation.objects.values_list("user__username", flat=True))
    assert "nieuw@example.invalid" in invited and "admin_a" not in invited
    assert "ib_b" not in invited  # board B's people are not board A's
    assert len(mail.outbox) == len(invited)
    # Invite-all does not send twice.
    with capture(execute=True):
        client.post(reverse("schools:staff-invite-all", args=[cast.board_a.pk]))
    assert len(mail.outbox) == len(invited)
    invitation = Invitation.objects.get(user=newcomer)
    invitation.sent_at -= datetime.timedelta(days=INVITATION_DAYS + 1)
    invitation.save()
    Invitation.objects.filter(user=cast.ib_a).update(accepted_at=timezone.now())
    response = client.get(page_url)
    rows = {row["person"].username: row for row in response.context["rows"]}
    assert rows["nieuw@example.invalid"]["invitation"].status == "expired"
    assert rows["nieuw@example.invalid"]["can_invite"]  # send again
    assert rows["ib_a"]["invitation"].status == "accepted"
    assert not rows["ib_a"]["can_invite"]
    assert rows["director_a"]["invitation"].status == "sent"


def test_people_who_sign_in_already_are_not_offered_an_invitation(client, cast, newcomer, capture):
    """Tester 5 #17: "Uitnodigen" was offered to people who log in already. A person who
    signed in, or who has a password, needs no invitation: not offered, refused, and left out
    of invite-all."""
    cast.ib_a.set_unusable_password()
    cast.ib_a.last_login = timezone.now()
    cast.ib_a.save()
    client.force_login(cast.admin_a)
    page_url = reverse("schools:staff-list", args=[cast.board_a.pk])
    rows = {row["person"].username: row for row in client.get(page_url).context["rows"]}
    assert not rows["ib_a"]["can_invite"]  # signed in
    assert not rows["director_a"]["can_invite"]  # has a password
    assert rows["nieuw@example.invalid"]["can_invite"]
    with translation.override("nl"):
        page = client.get(page_url).content.decode()
    assert "heeft een wachtwoord" in page and "logt al in" in page
    invite_director = reverse("schools:staff-invite", args=[cast.board_a.pk, cast.director_a.pk])
    with capture(execute=True):
        client.post(invite_director)
        client.post(reverse("schools:staff-invite-all", args=[cast.board_a.pk]))
    invited = set(Invitation.objects.values_list("user__username", flat=True))
    assert "nieuw@example.invalid" in invited
    assert not invited & {"ib_a", "director_a", "admin_a"}
    assert client.get(page_url).context["uninvited"] == 0


def test_an_accepted_invitation_is_not_sent_again(client, cast, newcomer):
    Invitation.objects.create(
        user=newcomer, board=cast.board_a, sent_at=timezone.now(), accepted_at=timezone.now()
    )
    client.force_login(cast.admin_a)
    client.post(reverse("schools:staff-invite", args=[cast.board_a.pk, newcomer.pk]))
    assert Invitation.objects.get(user=newcomer).times_sent == 1


def test_a_person_of_another_board_cannot_be_invited(client, cast):
    client.force_login(cast.admin_a)
    url = reverse("schools:staff-invite", args=[cast.board_a.pk, cast.ib_b.pk])
    assert client.post(url).status_code == 404
    assert not Invitation.objects.exists()


def test_staff_page_query_count_does_not_grow_with_the_people(client, cast):
    client.force_login(cast.admin_a)
    url = reverse("schools:staff-list", args=[cast.board_a.pk])
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    for n in range(5):
        person = f.ib(cast.board_a, username=f"extra{n}")
        Invitation.objects.create(user=person, board=cast.board_a, sent_at=timezone.now())
        f.director(cast.school_a2, username=f"dir{n}")
    assert count() == before
    assert before <= 12, before


def test_hr_upload_page_query_count_is_fixed(client, cast):
    client.force_login(cast.admin_a)
    url = reverse("schools:hr-import-upload", args=[cast.board_a.pk])
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert len(queries) <= 10, len(queries)


@pytest.mark.parametrize(
    ("password", "dutch"),
    [
        ("kort1", "te kort"),  # Django 5.2's new length message, absent from its Dutch catalogue
        ("wachtwoord", "te algemeen"),
        ("12345678901", "alleen cijfers"),
        ("een-lang-wachtwoord", "komen niet overeen"),
    ],
)
def test_password_rules_are_explained_in_dutch(client, cast, newcomer, capture, password, dutch):
    send(cast, newcomer, capture)
    other = password if dutch != "komen niet overeen" else password + "x"
    response = client.post(
        link_in(mail.outbox[-1]), {"new_password1": password, "new_password2": other}
    )
    errors = " ".join(response.context["form"].errors["new_password2"])
    assert dutch in errors
    assert not re.search(r"\b(password|This|must|characters)\b", errors), errors
