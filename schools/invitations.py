"""Invitations: an e-mail with a one-time link to set a password or to sign in with the
school's account (issue 15).

The link carries a token made with Django's signing (``TimestampSigner`` through
``signing.dumps``, salted for invitations, keyed with SECRET_KEY): the invitation's id and the
moment it was sent. It is refused when

* it was altered, or signed with another key (``BadSignature``);
* it is older than ``INVITATION_DAYS`` (``SignatureExpired``);
* the invitation was sent again since (the moment no longer matches: only the newest link
  works);
* the invitation was accepted (setting the password, or any sign-in of the person, e.g. with
  the school's account, accepts it): one time only. Accepting is a conditional UPDATE, so two
  submissions of one link at the same moment set the password once.

The mail goes through the queue (core.mail.queue_mail): a mail server that is down never fails
the invitation; the queue tries again. The log names the invitation by id only.
"""

from __future__ import annotations

import datetime
import logging

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.mail import queue_mail

from .models import INVITATION_DAYS, Board, Invitation

logger = logging.getLogger(__name__)

SALT = "ibportal.invitation"


def make_token(invitation: Invitation) -> str:
    return signing.dumps(
        {"i": invitation.pk, "s": int(invitation.sent_at.timestamp())}, salt=SALT, compress=True
    )


def invitation_for_token(token: str) -> Invitation | None:
    """The open invitation the token is for, or None (altered, expired, replaced, used)."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=datetime.timedelta(days=INVITATION_DAYS))
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    if not isinstance(payload, dict):
        return None
    invitation = (
        Invitation.objects.select_related("user", "board").filter(pk=payload.get("i")).first()
    )
    if (
        invitation is None
        or invitation.status != Invitation.Status.SENT  # accepted, or expired
        or int(invitation.sent_at.timestamp()) != payload.get("s")
        or not invitation.user.is_active
    ):
        return None
    return invitation


def can_invite(user) -> bool:
    return bool(user.email) and user.is_active


def signs_in(user) -> bool:
    """Whether the person can sign in already: they did, or they have a password (they use
    "wachtwoord vergeten" if they lost it). The invitation is for accounts without one, such
    as those the HR import makes."""
    return user.last_login is not None or user.has_usable_password()


@transaction.atomic
def invite(*, user, board: Board, by, base_url: str) -> Invitation:
    """Send (or send again) the invitation of ``user`` to ``board``; a new link each time."""
    now = timezone.now().replace(microsecond=0)
    invitation = Invitation.objects.select_for_update().filter(user=user, board=board).first()
    if invitation is None:
        invitation = Invitation.objects.create(user=user, board=board, invited_by=by, sent_at=now)
    else:
        # A second send within the same second would make the same link: move on one second.
        if int(invitation.sent_at.timestamp()) >= int(now.timestamp()):
            now = invitation.sent_at + datetime.timedelta(seconds=1)
        invitation.sent_at, invitation.invited_by = now, by
        invitation.times_sent += 1
        invitation.accepted_at = None
        invitation.save(update_fields=["sent_at", "invited_by", "times_sent", "accepted_at"])
    link = base_url + reverse("invitation-accept", args=[make_token(invitation)])
    context = {
        "user": user,
        "board": board,
        "link": link,
        "days": INVITATION_DAYS,
        "username": user.get_username(),
        "login": base_url + reverse("login"),
    }
    queue_mail(
        user_id=user.pk,
        subject=_("Invitation to the IB-portaal of %(board)s") % {"board": board.name},
        body=render_to_string("schools/invitation_email.txt", context),
        about=f"invitation {invitation.pk}",
    )
    logger.info("Invitation %s sent (%s time(s))", invitation.pk, invitation.times_sent)
    return invitation


def accept(invitation: Invitation, *, password: str | None = None) -> bool:
    """Mark the invitation accepted (and set the password); False when it was used already."""
    with transaction.atomic():
        claimed = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
            accepted_at=timezone.now()
        )
        if not claimed:
            return False
        if password is not None:
            user = get_user_model().objects.select_for_update().get(pk=invitation.user_id)
            user.set_password(password)
            user.save(update_fields=["password"])
    return True


def on_login(sender, request, user, **kwargs) -> None:
    """Any sign-in (a password, the school's account) accepts the person's open invitations."""
    Invitation.objects.filter(user=user, accepted_at__isnull=True).update(
        accepted_at=timezone.now()
    )
