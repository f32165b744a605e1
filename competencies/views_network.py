"""Pages of the board's IB network: the overview, meetings (agenda, minutes, attendance),
themes, documents and the network's settings.

Thin functions in the style of ``views_development``: fetch through ``for_user`` (404 outside
the scope: partnership staff and other boards), refuse a role that reads but may not change
(403), bind a form, call a service of ``competencies.network``, redirect. Uploaded documents
are never served from MEDIA_URL, only by ``document_file`` after the same scope check.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.versioning import VersionedFormMixin, VersionedPost
from schools.models import Board, policy_boards

from . import network
from .network_forms import AttendanceForm, DocumentForm, MeetingForm, NetworkForm, ThemeForm
from .network_models import (
    NetworkAttendance,
    NetworkDocument,
    NetworkMeeting,
    NetworkTheme,
)

CONFIRM_DELETE = "competencies/confirm_delete.html"

# ---------------------------------------------------------------------------
# fetching and rights
# ---------------------------------------------------------------------------


def get_board(request: HttpRequest, board_pk: int) -> Board:
    """A board whose network the user reads (404 otherwise)."""
    return get_object_or_404(policy_boards(request.user), pk=board_pk)


def get_managed_board(request: HttpRequest, board_pk: int) -> Board:
    board = get_board(request, board_pk)
    require_manager(request, board.pk)
    return board


def require_manager(request: HttpRequest, board_id: int) -> None:
    if not network.can_manage(request.user, board_id):
        raise PermissionDenied(_("Only board staff keep the IB network."))


def get_meeting(request: HttpRequest, pk: int) -> NetworkMeeting:
    meetings = NetworkMeeting.objects.for_user(request.user).select_related("board", "theme")
    return get_object_or_404(meetings, pk=pk)


def get_document(request: HttpRequest, pk: int) -> NetworkDocument:
    documents = NetworkDocument.objects.for_user(request.user).select_related("board")
    return get_object_or_404(documents, pk=pk)


def network_url(board_id: int) -> str:
    return reverse("competencies:network", args=[board_id])


def saved_board_form(
    form_class: type[VersionedFormMixin], obj: Model | None, board: Board
) -> VersionedFormMixin | None:
    """The edit form on ``obj`` as it is saved now, to compare a stale save with; None when
    it was made or removed by someone else since the form was loaded (nothing to compare)."""
    current = type(obj).objects.filter(pk=obj.pk).first() if obj else None
    return form_class(instance=current, board=board) if current else None


# ---------------------------------------------------------------------------
# the overview
# ---------------------------------------------------------------------------


def network_start(request: HttpRequest) -> HttpResponse:
    """The menu's link: the network of the user's (first) board."""
    board = policy_boards(request.user).order_by("name").first()
    if board is None:
        raise Http404(_("No such network."))
    return redirect("competencies:network", board_pk=board.pk)


def network_home(request: HttpRequest, board_pk: int) -> HttpResponse:
    """Upcoming and past meetings, themes and documents of the board's network."""
    board = get_board(request, board_pk)
    today = timezone.localdate()
    meetings = list(
        NetworkMeeting.objects.for_user(request.user)
        .filter(board=board)
        .select_related("theme")
        .order_by("date", "start_time", "id")
    )
    manager = network.can_manage(request.user, board.pk)
    is_ib = network.is_board_ib(request.user, board.pk)
    own = network.own_attendance(request.user, meetings) if is_ib else {}
    present = network.attendance_counts(meetings) if manager else {}
    for meeting in meetings:
        meeting.own_status = own.get(meeting.pk, "")
        meeting.present_count = present.get(meeting.pk, 0)
    documents = None
    if network.sees_documents(request.user, board.pk):
        documents = (
            NetworkDocument.objects.for_user(request.user)
            .filter(board=board)
            .select_related("theme")
        )
    context = {
        "board": board,
        "network": network.network_of(board),
        "upcoming": [meeting for meeting in meetings if meeting.date >= today],
        "past": [meeting for meeting in reversed(meetings) if meeting.date < today],
        "themes": NetworkTheme.objects.for_user(request.user).filter(board=board),
        "documents": documents,
        "can_manage": manager,
        "is_ib": is_ib,
    }
    return render(request, "competencies/network/home.html", context)


@require_http_methods(["GET", "POST"])
def network_settings(request: HttpRequest, board_pk: int) -> HttpResponse:
    board = get_managed_board(request, board_pk)
    current = network.network_of(board)
    form = NetworkForm(request.POST or None, instance=current)
    post = VersionedPost(
        form,
        save=lambda: network.network_save(
            network=form.instance, actor=request.user, lock_version=form.posted_version
        ),
        saved_form=lambda: NetworkForm(instance=network.network_of(board)),
    )
    return post.response(
        request,
        template="competencies/network/settings_form.html",
        context={"board": board},
        message=_("The network's settings are saved."),
        url=network_url(board.pk),
    )


# ---------------------------------------------------------------------------
# meetings
# ---------------------------------------------------------------------------


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting's agenda and minutes; attendance for board staff (all) and IBs (own)."""
    meeting = get_meeting(request, pk)
    manager = network.can_manage(request.user, meeting.board_id)
    attendances = (
        NetworkAttendance.objects.for_user(request.user)
        .filter(meeting=meeting)
        .select_related("ib")
    )
    if not manager:
        attendances = attendances.filter(ib=request.user)
    context = {
        "meeting": meeting,
        "board": meeting.board,
        "network": network.network_of(meeting.board),
        "can_manage": manager,
        "is_ib": network.is_board_ib(request.user, meeting.board_id),
        "attendances": list(attendances),
        "is_past": meeting.date <= timezone.localdate(),
    }
    return render(request, "competencies/network/meeting_detail.html", context)


def _meeting_form_page(
    request: HttpRequest, board: Board, meeting: NetworkMeeting | None
) -> HttpResponse:
    initial = {}
    if meeting is None and request.method == "GET":
        initial = {"date": timezone.localdate() + datetime.timedelta(days=14)}
    form = MeetingForm(request.POST or None, instance=meeting, board=board, initial=initial)

    post = VersionedPost(
        form,
        save=lambda: network.meeting_save(
            meeting=form.instance, actor=request.user, lock_version=form.posted_version
        ),
        saved_form=lambda: saved_board_form(MeetingForm, meeting, board),
    )
    return post.response(
        request,
        template="competencies/network/meeting_form.html",
        context={"board": board, "meeting": meeting},
        message=_("The meeting is saved."),
        url=lambda saved: reverse("competencies:network-meeting", args=[saved.pk]),
    )


@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, board_pk: int) -> HttpResponse:
    return _meeting_form_page(request, get_managed_board(request, board_pk), None)


@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting(request, pk)
    require_manager(request, meeting.board_id)
    return _meeting_form_page(request, meeting.board, meeting)


@require_http_methods(["GET", "POST"])
def meeting_delete(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting(request, pk)
    require_manager(request, meeting.board_id)
    if request.method == "POST":
        network.meeting_delete(meeting=meeting, actor=request.user)
        messages.success(request, _("The meeting is deleted."))
        return redirect(network_url(meeting.board_id))
    recorded = meeting.attendances.count()
    return render(
        request,
        CONFIRM_DELETE,
        {
            "title": _("Delete meeting"),
            "name": str(meeting),
            "consequence": _(
                "Its agenda, minutes and attendance list (%(count)s IBs recorded) are deleted "
                "with it."
            )
            % {"count": recorded},
            "cancel_url": reverse("competencies:network-meeting", args=[meeting.pk]),
            "back_url": network_url(meeting.board_id),
            "back_label": _("IB network"),
        },
    )


@require_http_methods(["GET", "POST"])
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Board staff record who of the board's IBs attended."""
    meeting = get_meeting(request, pk)
    require_manager(request, meeting.board_id)
    ibs = network.board_ibs(meeting.board)
    form = AttendanceForm(request.POST or None, meeting=meeting, ibs=ibs)
    post = VersionedPost(
        form,
        save=lambda: network.attendance_save(
            meeting=meeting,
            actor=request.user,
            lock_version=form.posted_version,
            statuses=form.statuses(),
        ),
        saved_form=lambda: AttendanceForm(
            meeting=NetworkMeeting.objects.prefetch_related("attendances").get(pk=meeting.pk),
            ibs=ibs,
        ),
    )
    return post.response(
        request,
        template="competencies/network/attendance_form.html",
        context={"meeting": meeting, "board": meeting.board, "today": timezone.localdate()},
        message=_("The attendance list is saved."),
        url=reverse("competencies:network-meeting", args=[meeting.pk]),
    )


# ---------------------------------------------------------------------------
# themes
# ---------------------------------------------------------------------------


def _theme_form_page(
    request: HttpRequest, board: Board, theme: NetworkTheme | None
) -> HttpResponse:
    form = ThemeForm(request.POST or None, instance=theme, board=board)

    post = VersionedPost(
        form,
        save=lambda: network.theme_save(
            theme=form.instance, actor=request.user, lock_version=form.posted_version
        ),
        saved_form=lambda: saved_board_form(ThemeForm, theme, board),
    )
    return post.response(
        request,
        template="competencies/network/theme_form.html",
        context={"board": board, "theme": theme},
        message=_("The theme is saved."),
        url=network_url(board.pk) + "#themes",
    )


@require_http_methods(["GET", "POST"])
def theme_create(request: HttpRequest, board_pk: int) -> HttpResponse:
    return _theme_form_page(request, get_managed_board(request, board_pk), None)


@require_http_methods(["GET", "POST"])
def theme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    theme = get_object_or_404(
        NetworkTheme.objects.for_user(request.user).select_related("board"), pk=pk
    )
    require_manager(request, theme.board_id)
    return _theme_form_page(request, theme.board, theme)


# ---------------------------------------------------------------------------
# documents
# ---------------------------------------------------------------------------


def _document_form_page(
    request: HttpRequest, board: Board, document: NetworkDocument | None
) -> HttpResponse:
    old_file = document.file.name if document and document.file else ""
    form = DocumentForm(request.POST or None, request.FILES or None, instance=document, board=board)

    post = VersionedPost(
        form,
        save=lambda: network.document_save(
            document=form.save(commit=False),
            actor=request.user,
            lock_version=form.posted_version,
            old_file=old_file,
        ),
        saved_form=lambda: saved_board_form(DocumentForm, document, board),
    )
    return post.response(
        request,
        template="competencies/network/document_form.html",
        context={"board": board, "document": document},
        message=_("The document is saved."),
        url=network_url(board.pk) + "#documents",
    )


@require_http_methods(["GET", "POST"])
def document_create(request: HttpRequest, board_pk: int) -> HttpResponse:
    return _document_form_page(request, get_managed_board(request, board_pk), None)


@require_http_methods(["GET", "POST"])
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document(request, pk)
    require_manager(request, document.board_id)
    return _document_form_page(request, document.board, document)


@require_http_methods(["GET", "POST"])
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document(request, pk)
    require_manager(request, document.board_id)
    if request.method == "POST":
        network.document_delete(document=document, actor=request.user)
        messages.success(request, _("The document is deleted."))
        return redirect(network_url(document.board_id) + "#documents")
    return render(
        request,
        CONFIRM_DELETE,
        {
            "title": _("Delete document"),
            "name": document.title,
            "consequence": _("The uploaded file is deleted with it.") if document.file else "",
            "cancel_url": reverse("competencies:network-document-edit", args=[document.pk]),
            "back_url": network_url(document.board_id),
            "back_label": _("IB network"),
        },
    )


def document_file(request: HttpRequest, pk: int) -> FileResponse:
    """An uploaded document, for the board's staff and IBs; nobody else."""
    document = get_document(request, pk)
    if not document.file:
        raise Http404(_("This document has no file."))
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("The file is missing.")) from error
    name = document.file.name
    extension = name.rsplit(".", 1)[-1]
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{slugify(document.title) or 'document'}.{extension}",
        content_type=network.document_content_type(name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
