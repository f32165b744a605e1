"""E-mail to users through the task queue, so that a mail server that is down never breaks
the action that wanted to tell someone.

``queue_mail`` is called inside the action's transaction. With the database backend (production)
the queued mail is a row written in that same transaction: the action and its notice are saved
together or not at all, and a worker (``manage.py db_worker``) sends it after the commit. Other
backends (the immediate one of the demo and the tests) get the mail after the commit.

A mail that cannot be sent is tried again later with a growing delay, up to ``MAX_ATTEMPTS``.
The log names the recipient by user id and what the mail is about (``about``, e.g.
"package 12"), never by address or name. The queue holds the user id, not the address: a mail
goes to the address the user has when it is sent.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.backend import DatabaseBackend

logger = logging.getLogger(__name__)

# Seconds to wait after the n-th failed attempt: about a day and a half in all, so an SMTP
# server that is down over a night or a weekend day still gets the mail out.
RETRY_DELAYS = (60, 5 * 60, 30 * 60, 2 * 3600, 6 * 3600, 12 * 3600, 18 * 3600)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def queue_mail(*, user_id: int, subject: str, body: str, about: str) -> None:
    """Send ``subject`` and ``body`` (already rendered) to the user, once the caller commits."""
    kwargs = {"user_id": user_id, "subject": subject, "body": body, "about": about}
    if isinstance(send_user_mail.get_backend(), DatabaseBackend):
        send_user_mail.enqueue(**kwargs)
    else:
        # robust: a failure to enqueue is logged; the committed action stands.
        transaction.on_commit(lambda: send_user_mail.enqueue(**kwargs), robust=True)


@task()
def send_user_mail(*, user_id: int, subject: str, body: str, about: str, attempt: int = 1) -> bool:
    """Send one mail; True when it went out. Failures are logged and retried, not raised."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        logger.warning("Mail about %s not sent: user %s has no active address", about, user_id)
        return False
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except OSError as error:  # smtplib.SMTPException and refused or lost connections
        _retry_later(
            user_id=user_id, subject=subject, body=body, about=about, attempt=attempt, error=error
        )
        return False
    # Every send at debug level; one that needed retries at info, to close its warnings.
    level = logging.INFO if attempt > 1 else logging.DEBUG
    logger.log(level, "Mail about %s sent to user %s (attempt %s)", about, user_id, attempt)
    return True


def _retry_later(
    *, user_id: int, subject: str, body: str, about: str, attempt: int, error: OSError
) -> None:
    # The error's text may hold the address (SMTPRecipientsRefused): log only its class.
    failure = type(error).__name__
    backend = send_user_mail.get_backend()
    if attempt >= MAX_ATTEMPTS or not backend.supports_defer:
        logger.error(
            "Mail about %s to user %s failed (%s), attempt %s: given up",
            about,
            user_id,
            failure,
            attempt,
        )
        return
    delay = RETRY_DELAYS[attempt - 1]
    logger.warning(
        "Mail about %s to user %s failed (%s), attempt %s: trying again in %s s",
        about,
        user_id,
        failure,
        attempt,
        delay,
    )
    send_user_mail.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
        user_id=user_id, subject=subject, body=body, about=about, attempt=attempt + 1
    )
