"""The board administrator's page of security events: sign-ins, failed sign-ins, exports and
imports of the board's own people (``SecurityEvent.objects.for_user``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .models import SecurityEvent, board_people
from .security_events import SECURITY_EVENT_DAYS
from .views import board_for_admin

EVENTS_SHOWN = 200


def security_events(request: HttpRequest, pk: int) -> HttpResponse:
    board = board_for_admin(request, pk, _("Security events are for the board administrator."))
    events = list(
        SecurityEvent.objects.for_user(request.user)
        .filter(user_id__in=board_people([board.pk]))
        .select_related("user")[:EVENTS_SHOWN]
    )
    return render(
        request,
        "schools/security_events.html",
        {"board": board, "events": events, "shown": EVENTS_SHOWN, "days": SECURITY_EVENT_DAYS},
    )
