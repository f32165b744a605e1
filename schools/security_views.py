"""The board administrator's page of security events: sign-ins, failed sign-ins, exports and
imports of the board's own people (``SecurityEvent.objects.for_user``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from .models import Board, SecurityEvent, board_people, get_scope
from .security_events import SECURITY_EVENT_DAYS

EVENTS_SHOWN = 200


def security_events(request: HttpRequest, pk: int) -> HttpResponse:
    board = get_object_or_404(Board.objects.for_user(request.user), pk=pk)
    if board.pk not in get_scope(request.user).admin_board_ids:
        raise PermissionDenied(_("Security events are for the board administrator."))
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
