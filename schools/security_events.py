"""Security events: sign-ins, failed sign-ins, exports and imports, for the board administrator.

``record`` is called by the views that export or import; the sign-ins come from Django's
``user_logged_in`` and ``user_login_failed`` signals (connected in ``SchoolsConfig.ready``).
A failed sign-in for a username that exists is recorded for that user; one for an unknown
name is recorded without a user (no board sees it) and the name typed is never stored.

Retention: ``SECURITY_EVENT_DAYS`` (365) days; ``manage.py prune_security_events`` (daily,
from cron) deletes older events, and a person's events go with their account. What is stored
and why: see ``SecurityEvent``. Log lines name users by id only.
"""

from __future__ import annotations

import datetime
import ipaddress
import logging
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils import timezone

from core.network import client_ip

from .models import SecurityEvent

logger = logging.getLogger(__name__)

SECURITY_EVENT_DAYS = 365
# Set in the session by the sign-in with the school's account (ibportal/sso.py), to the id of
# the board's configuration, before the user is signed in.
SSO_SESSION_KEY = "signed_in_with_school_account"
# The "username" under which django-axes counts the failed sign-ins with the school's account
# of one address (ibportal/sso.py); no username can hold brackets or spaces. Those failures are
# recorded by the sign-in itself, with the reason.
SSO_ATTEMPT_USERNAME = "[school account]"


def network_of(request: HttpRequest | None) -> str:
    """The client's network, IPv4 /24 or IPv6 /48 (read behind the trusted proxies as the
    login throttling does); empty when unknown."""
    address = client_ip(request) if request is not None else ""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def record(
    request: HttpRequest | None, kind: str, *, user: Any = None, detail: str = ""
) -> SecurityEvent:
    """Store one event; ``user`` defaults to the request's signed-in user."""
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    event = SecurityEvent.objects.create(
        user=user, kind=kind, network=network_of(request), detail=detail[:200]
    )
    logger.info("Security event %s for user %s", kind, getattr(user, "pk", "-"))
    return event


# Checks of the apps above (request, user) -> True when the sign-in is not finished yet: the
# two-factor code is still owed (ibportal/two_factor.py). That app records the sign-in when
# the code is right, and a failed sign-in when it is not.
SIGN_IN_UNFINISHED: list[Callable[[HttpRequest, Any], bool]] = []


def on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    sso = session is not None and bool(session.get(SSO_SESSION_KEY))
    if not sso and request is not None and any(f(request, user) for f in SIGN_IN_UNFINISHED):
        return
    record(request, SecurityEvent.Kind.LOGIN, user=user, detail="school_account" if sso else "")


def on_login_failed(
    sender: Any, credentials: dict, request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = credentials.get("username") or ""
    if username == SSO_ATTEMPT_USERNAME:
        return
    user_model = get_user_model()
    user = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()
    record(request, SecurityEvent.Kind.LOGIN_FAILED, user=user)


def prune(*, now: datetime.datetime | None = None) -> int:
    """Delete the events older than the retention period; returns how many."""
    limit = (now or timezone.now()) - datetime.timedelta(days=SECURITY_EVENT_DAYS)
    deleted, _by_model = SecurityEvent.objects.filter(at__lt=limit).delete()
    return deleted
