"""The weekly e-mail digest: each user's to-do list of the start page (schools/todo.py), sent
through the mail queue (core/mail.py) by ``manage.py send_digest``, which a cron job or timer
runs once a week.

Sent only to active users with an address and a role who did not switch it off (the default is
on: a user without a ``Preference`` row gets it), and only when their list has something. A
user's ``digest_sent_at`` is claimed with a conditional UPDATE before the mail is queued, so a
second run in the same week (a retried cron job, two machines) sends nothing twice. One user's
failure is logged and the others still get theirs; the log names users by id only.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext

from core.mail import queue_mail
from schools.models import Preference, display_name
from schools.todo import fold, items_for

logger = logging.getLogger(__name__)

# A digest is not sent again within this time (cron may run a little early or twice).
RESEND_AFTER = datetime.timedelta(days=6)

SENT, EMPTY, RECENT, OFF, FAILED = "sent", "empty", "recent", "off", "failed"


def recipients():
    """Active users with an address and a role who did not switch the digest off."""
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__isnull=False)
        .exclude(email="")
        .exclude(preference__weekly_digest=False)
        .distinct()
        .order_by("pk")
    )


def send_digests(*, now: datetime.datetime | None = None) -> Counter:
    """Queue every recipient's digest; returns how many were sent, empty, ..., failed."""
    now = now or timezone.now()
    outcomes: Counter = Counter()
    with translation.override(settings.LANGUAGE_CODE):
        for user in recipients():
            try:
                outcome = send_digest(user, now=now)
            except Exception as error:  # one user's failure never stops the others
                # Only the class: an error's text may hold an address.
                logger.error("Digest for user %s failed (%s)", user.pk, type(error).__name__)
                outcome = FAILED
            outcomes[outcome] += 1
    logger.info("Digests: %s", ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
    return outcomes


def send_digest(user, *, now: datetime.datetime) -> str:
    today = timezone.localtime(now).date()
    items = items_for(user, today)
    if not items:
        return EMPTY
    with transaction.atomic():
        preference, _created = Preference.objects.get_or_create(user=user)
        if not preference.weekly_digest:  # switched off since the list of recipients was read
            return OFF
        claimed = (
            Preference.objects.filter(pk=preference.pk)
            .filter(Q(digest_sent_at__isnull=True) | Q(digest_sent_at__lte=now - RESEND_AFTER))
            .update(digest_sent_at=now)  # update(): the settings form's version stays
        )
        if not claimed:
            return RECENT
        subject = ngettext(
            "IB-portaal: %(count)s thing to do", "IB-portaal: %(count)s things to do", len(items)
        ) % {"count": len(items)}
        body = render_to_string(
            "ibportal/email/digest.txt",
            {
                "name": display_name(user),
                "rows": fold(items, today),
                "site": settings.SITE_URL.rstrip("/"),
            },
        )
        queue_mail(user_id=user.pk, subject=subject, body=body, about="weekly digest")
    return SENT
