"""History pages ("Geschiedenis"): who changed what and when, per object, for board staff.

Each page fetches its object through the scoping entry point (not yours: 404) and then asks
for a board manager (yours to see but not to manage, such as a director or an IB: 403), as
the edit pages of the same objects do. The records come from django-simple-history; see
``core.history`` for how they are read.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.history import history_entries

from .models import Appointment, AppointmentShare, Board, Membership, School, SchoolFigures
from .own_hours import OwnHours
from .views import require_board_manager


def render_history(
    request: HttpRequest, *, title: str, back: tuple[str, str], entries: list
) -> HttpResponse:
    """The one template of every history page: a back link and the entries, newest first."""
    return render(
        request,
        "core/history.html",
        {"title": title, "back_url": back[0], "back_label": back[1], "entries": entries},
    )


def appointment_history(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_object_or_404(
        Appointment.objects.for_user(request.user).select_related("ib", "board"), pk=pk
    )
    require_board_manager(request, appointment.board_id)
    records = [
        *Appointment.history.filter(id=pk).select_related("history_user"),
        *AppointmentShare.history.filter(appointment_id=pk).select_related("history_user"),
        *OwnHours.history.filter(appointment_id=pk).select_related("history_user"),
    ]

    def subject(record, show) -> str:
        if record.instance_type is AppointmentShare:
            return _("Share at %(school)s") % {"school": show("school")}
        if record.instance_type is OwnHours:
            return _("Own hours: %(label)s") % {"label": show("label")}
        return _("Appointment")

    return render_history(
        request,
        title=_("History of the appointment of %(ib)s")
        % {"ib": appointment.ib.get_full_name() or appointment.ib.get_username()},
        back=(reverse("schools:appointment-detail", args=[pk]), _("Appointment")),
        entries=history_entries(records, subject=subject, hide={"appointment"}),
    )


def board_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The board's policies and norms (everything of the board row)."""
    board = get_object_or_404(Board.objects.for_user(request.user), pk=pk)
    require_board_manager(request, board.pk)
    records = Board.history.filter(id=pk).select_related("history_user")
    return render_history(
        request,
        title=_("History of the policies of %(board)s") % {"board": board},
        back=(reverse("schools:board-detail", args=[pk]), str(board)),
        entries=history_entries(records),
    )


def figures_history(request: HttpRequest, pk: int) -> HttpResponse:
    """A school's figures of every school year."""
    school = get_object_or_404(School.objects.for_user(request.user).select_related("board"), pk=pk)
    require_board_manager(request, school.board_id)
    records = SchoolFigures.history.filter(school_id=pk).select_related("history_user")
    return render_history(
        request,
        title=_("History of the figures of %(school)s") % {"school": school},
        back=(reverse("schools:school-detail", args=[pk]), str(school)),
        entries=history_entries(
            records,
            subject=lambda record, show: _("School year %(year)s") % {"year": show("school_year")},
        ),
    )


def membership_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The roles at the board and at its schools: who got or lost which role, and when."""
    board = get_object_or_404(Board.objects.for_user(request.user), pk=pk)
    require_board_manager(request, board.pk)
    records = Membership.history.filter(
        Q(board_id=pk) | Q(school_id__in=School.objects.filter(board_id=pk).values("id"))
    ).select_related("history_user")
    return render_history(
        request,
        title=_("History of the roles at %(board)s") % {"board": board},
        back=(reverse("schools:board-detail", args=[pk]), str(board)),
        entries=history_entries(
            records,
            subject=lambda record, show: f"{show('user')}: {show('role')}",
        ),
    )
