"""The board administrator's staff pages (issue 15): the one page of the board's people (HR
number, roles, appointments, invitation; invite, end and anonymise), inviting them, the HR
import's upload; and the invitation link itself.

Board administrators only: the board through the user's scope (404 outside it), then the
administrator check (403 for board staff, directors, IBs and partnership staff who can see the
board). A person outside the board is 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from .forms import HrUploadForm
from .imports import batch_create
from .invitations import accept, can_invite, invitation_for_token, invite, signs_in
from .models import (
    INVITATION_DAYS,
    Appointment,
    Board,
    HrRecord,
    ImportBatch,
    Invitation,
)
from .personal_data import board_persons
from .views import board_for_admin, board_memberships


def admin_board(request: HttpRequest, pk: int) -> Board:
    return board_for_admin(request, pk, _("Only the board administrator can do this."))


def people_of(board: Board):
    """The board's people (a role or an appointment at the board or one of its schools) with
    what the people page shows, in a fixed number of queries."""
    today = timezone.localdate()
    return board_persons(board).prefetch_related(
        board_memberships(board),
        Prefetch(
            "hr_records",
            queryset=HrRecord.objects.filter(board=board),
            to_attr="board_hr_records",
        ),
        Prefetch(
            "invitations",
            queryset=Invitation.objects.filter(board=board),
            to_attr="board_invitations",
        ),
        Prefetch(
            "ib_appointments",
            queryset=Appointment.objects.filter(board=board).not_ended_on(today),
            to_attr="open_appointments",
        ),
    )


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_http_methods(["GET"])
def staff_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The one page of the board's people: HR number, roles, appointments, invitation, and
    the actions invite and end (and anonymise)."""
    board = admin_board(request, pk)
    rows = []
    for person in people_of(board):
        invitation = person.board_invitations[0] if person.board_invitations else None
        rows.append(
            {
                "person": person,
                "roles": person.board_memberships,
                "hr": person.board_hr_records[0] if person.board_hr_records else None,
                "open_appointments": len(person.open_appointments),
                "invitation": invitation,
                "signs_in": signs_in(person),
                "can_invite": can_invite(person)
                and not signs_in(person)
                and not (invitation and invitation.accepted_at is not None),
                "can_end": person.pk != request.user.pk and not person.is_superuser,
            }
        )
    uninvited = sum(1 for row in rows if row["can_invite"] and row["invitation"] is None)
    return render(
        request,
        "schools/staff_list.html",
        {"board": board, "rows": rows, "uninvited": uninvited, "days": INVITATION_DAYS},
    )


@require_POST
def staff_invite(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    board = admin_board(request, pk)
    person = get_object_or_404(board_persons(board), pk=user_pk)
    if not can_invite(person):
        messages.error(request, _("This person has no e-mail address or is blocked."))
    elif signs_in(person):
        messages.info(request, _("This person signs in already: no invitation is needed."))
    elif Invitation.objects.filter(user=person, board=board, accepted_at__isnull=False).exists():
        messages.info(request, _("This person has accepted the invitation already."))
    else:
        invite(user=person, board=board, by=request.user, base_url=base_url(request))
        messages.success(
            request,
            _("The invitation to %(name)s is on its way.")
            % {"name": person.get_full_name() or person.get_username()},
        )
    return redirect("schools:staff-list", pk=board.pk)


@require_POST
def staff_invite_all(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite everyone of the board who cannot sign in yet (see ``signs_in``) and was never
    invited."""
    board = admin_board(request, pk)
    people = (
        board_persons(board)
        .filter(is_active=True, last_login__isnull=True)
        .exclude(email="")
        .exclude(invitations__board=board)
    )
    count = 0
    for person in people:
        if signs_in(person):
            continue
        invite(user=person, board=board, by=request.user, base_url=base_url(request))
        count += 1
    messages.success(
        request,
        ngettext(
            "%(count)s invitation is on its way.", "%(count)s invitations are on their way.", count
        )
        % {"count": count},
    )
    return redirect("schools:staff-list", pk=board.pk)


@require_http_methods(["GET", "POST"])
def hr_import_upload(request: HttpRequest, board_pk: int) -> HttpResponse:
    board = admin_board(request, board_pk)
    data = request.POST if request.method == "POST" else None
    form = HrUploadForm(data, request.FILES if data is not None else None)
    if request.method == "POST" and form.is_valid():
        batch = batch_create(
            board=board,
            user=request.user,
            kind=ImportBatch.Kind.STAFF,
            filename=form.cleaned_data["file"].name,
            content=form.cleaned_data["content"],
            records=form.cleaned_data["records"],
        )
        return redirect("schools:import-preview", board_pk=board.pk, batch_pk=batch.pk)
    recent = (
        ImportBatch.objects.for_user(request.user)
        .filter(board=board, kind=ImportBatch.Kind.STAFF)
        .defer("rows", "actions")
        .select_related("user")[:10]
    )
    return render(
        request, "schools/hr_import_upload.html", {"board": board, "form": form, "recent": recent}
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_for_token(token)
    if invitation is None:
        return render(request, "registration/invitation_invalid.html", status=410)
    user = invitation.user
    form = SetPasswordForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if accept(invitation, password=form.cleaned_data["new_password1"]):
            messages.success(
                request,
                _("Your password has been set. Sign in with your username %(username)s.")
                % {"username": user.get_username()},
            )
            return redirect("login")
        return render(request, "registration/invitation_invalid.html", status=410)
    return render(
        request,
        "registration/invitation_accept.html",
        {"form": form, "invitation": invitation, "username": user.get_username()},
    )
