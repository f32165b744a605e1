"""The AVG pages: the privacy statement (public), a person's own data (HTML and JSON), and
the board administrator's list of people with "end and anonymise" (schools/personal_data.py)."""

from __future__ import annotations

import datetime
import json

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .models import Appointment, Board, Membership, SecurityEvent, display_name
from .personal_data import (
    board_persons,
    export_json,
    is_anonymised,
    person_end,
    person_export,
    roles_elsewhere,
)
from .security_events import SECURITY_EVENT_DAYS, record
from .views import board_for_admin


@login_not_required
def privacy(request: HttpRequest) -> HttpResponse:
    """What the portal stores about whom, why, how long and who sees it: for everyone."""
    template = "schools/privacy_nl.html" if get_language() == "nl" else "schools/privacy_en.html"
    boards = []
    if request.user.is_authenticated:
        boards = list(Board.objects.for_user(request.user).only("name", "retention_years"))
    return render(
        request,
        template,
        {
            "default_retention_years": Board._meta.get_field("retention_years").default,
            "security_event_days": SECURITY_EVENT_DAYS,
            "boards": boards,
        },
    )


def my_data(request: HttpRequest) -> HttpResponse:
    """Everything the portal holds about the signed-in person, readable and printable."""
    sections = person_export(request.user)
    record(request, SecurityEvent.Kind.EXPORT, detail="own_data:HTML")
    return render(
        request,
        "schools/my_data.html",
        {"sections": sections, "now": timezone.now(), "person": request.user},
    )


def my_data_json(request: HttpRequest) -> HttpResponse:
    """The same as JSON, as a download."""
    data = export_json(request.user)
    record(request, SecurityEvent.Kind.EXPORT, detail="own_data:JSON")
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="mijn-gegevens-{day}.json"'
    return response


def _admin_board(request: HttpRequest, pk: int) -> Board:
    return board_for_admin(request, pk, _("Ending a person is for the board administrator."))


def board_people(request: HttpRequest, pk: int) -> HttpResponse:
    """The former "people and leavers" page: one page of the board's people now (the staff
    page, with "end and anonymise"); old links and bookmarks land there."""
    board = _admin_board(request, pk)
    return redirect("schools:staff-list", pk=board.pk, permanent=True)


@require_http_methods(["GET", "POST"])
def person_end_view(request: HttpRequest, board_pk: int, pk: int) -> HttpResponse:
    """Confirm, then end the person at the board and anonymise them (when nothing is left at
    another board), by the rules of the retention command."""
    board = _admin_board(request, board_pk)
    person = get_object_or_404(board_persons(board), pk=pk)
    if person.pk == request.user.pk or person.is_superuser:
        raise PermissionDenied(_("You cannot end yourself or a superuser here."))
    today = timezone.localdate()
    if request.method == "POST":
        name = display_name(person)
        counts = person_end(board=board, user=person, today=today)
        if counts.get("users_anonymised"):
            messages.success(
                request,
                _("%(name)s has been ended at the board and anonymised.") % {"name": name},
            )
        else:
            messages.success(
                request,
                _(
                    "%(name)s has been ended at the board; another board keeps them, so they "
                    "are not anonymised."
                )
                % {"name": name},
            )
        return redirect("schools:staff-list", pk=board.pk)
    appointments = list(
        Appointment.objects.filter(ib=person, board=board)
        .not_ended_on(today + datetime.timedelta(days=1))
        .with_details()
    )
    roles = list(
        Membership.objects.filter(user=person)
        .filter(Q(board=board) | Q(school__board=board))
        .select_related("board", "school")
    )
    return render(
        request,
        "schools/person_end.html",
        {
            "board": board,
            "person": person,
            "appointments": appointments,
            "roles": roles,
            "elsewhere": roles_elsewhere(person, board),
            "anonymised": is_anonymised(person),
            "today": today,
            "pseudonym": f"Oud-medewerker {person.pk}",
            "user_model": get_user_model(),
        },
    )
