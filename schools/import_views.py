"""Pages of the import of school data: upload, preview, commit (see schools/imports.py).

Board staff only: the board is fetched through the user's scope (404 outside it), then the
board-manager check (403 for directors, IBs and partnership staff who can see the board).
An import that is not one of the board's is 404 for everyone (another board's import does not
exist here), before that check; the batch itself is then fetched through the user's scope.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .forms import ImportUploadForm
from .hr_import import is_leaver, recognised, roles_text
from .imports import (
    APPLIED,
    CREATE,
    REFUSED,
    UPDATE,
    AlreadyCommitted,
    StalePreview,
    batch_commit,
    batch_create,
    count_actions,
    describe_file,
    describe_reason,
    present,
)
from .models import Board, ImportBatch, SecurityEvent
from .security_events import record as record_security_event
from .views import require_board_manager

# The preview lists every create, update and refusal; unchanged and skipped rows up to this.
QUIET_ROWS_SHOWN = 500


def board_for_import(request: HttpRequest, board_pk: int) -> Board:
    board = get_object_or_404(Board.objects.for_user(request.user), pk=board_pk)
    require_board_manager(request, board.pk)
    return board


def board_for_batch(request: HttpRequest, board_pk: int, batch_pk: int) -> Board:
    """The board of an import's page: 404 when the import is not one of this board's (also
    for a role that could not open it anyway: another board's import does not exist here),
    then the board-manager check (403)."""
    board = get_object_or_404(Board.objects.for_user(request.user), pk=board_pk)
    if not ImportBatch.objects.filter(board=board, pk=batch_pk).exists():
        raise Http404
    require_board_manager(request, board.pk)
    return board


def batch_of(request: HttpRequest, board: Board, batch_pk: int, *, light: bool = False):
    batches = ImportBatch.objects.for_user(request.user).filter(board=board)
    if light:
        batches = batches.defer("rows")
    return get_object_or_404(batches.select_related("user"), pk=batch_pk)


@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, board_pk: int) -> HttpResponse:
    board = board_for_import(request, board_pk)
    data = request.POST if request.method == "POST" else None
    form = ImportUploadForm(data, request.FILES if data is not None else None, board=board)
    if request.method == "POST" and form.is_valid():
        reading = form.cleaned_data["reading"]
        batch = batch_create(
            board=board,
            user=request.user,
            kind=form.cleaned_data["kind"],
            filename=form.cleaned_data["file"].name,
            records=reading.records,
            sha256=reading.sha256,
            summary=reading.summary,
        )
        return redirect("schools:import-preview", board_pk=board.pk, batch_pk=batch.pk)
    recent = (
        ImportBatch.objects.for_user(request.user)
        .filter(board=board)
        .defer("rows", "actions")
        .select_related("user")[:10]
    )
    return render(
        request,
        "schools/import_upload.html",
        {"board": board, "form": form, "recent": recent},
    )


@require_GET
def import_preview(request: HttpRequest, board_pk: int, batch_pk: int) -> HttpResponse:
    board = board_for_batch(request, board_pk, batch_pk)
    batch = batch_of(request, board, batch_pk, light=True)
    staff = batch.kind == ImportBatch.Kind.STAFF
    shown = [present(action) for action in batch.actions]
    if staff:
        for row in shown:
            row["function"] = roles_text(row)
    loud = [row for row in shown if row["action"] in (CREATE, UPDATE, REFUSED)]
    # Whom processing ends, by name, so nobody is ended by surprise (a full export's absentees).
    leavers = [
        {**row, "why": describe_reason(row["reasons"][0]) if row["reasons"] else ""}
        for row in shown
        if staff and row["action"] in APPLIED and is_leaver(row)
    ]
    quiet = [row for row in shown if row["action"] not in (CREATE, UPDATE, REFUSED)]
    earlier = (
        ImportBatch.objects.filter(
            board=board, kind=batch.kind, sha256=batch.sha256, committed_at__isnull=False
        )
        .exclude(pk=batch.pk)
        .defer("rows", "actions")
        .order_by("-committed_at")
        .first()
    )
    return render(
        request,
        "schools/import_preview.html",
        {
            "board": board,
            "batch": batch,
            "counts": count_actions(batch.actions, batch.summary),
            "about_file": describe_file(batch.kind, batch.summary),
            "loud": loud,
            "quiet": quiet[:QUIET_ROWS_SHOWN],
            "quiet_hidden": max(0, len(quiet) - QUIET_ROWS_SHOWN)
            + sum(((batch.summary or {}).get("unlisted") or {}).values()),
            "with_year": batch.kind not in (ImportBatch.Kind.LOCATIONS, ImportBatch.Kind.STAFF),
            "staff": staff,
            "leavers": leavers,
            "recognised": recognised(batch.rows) if staff else None,
            "upload_url": reverse(
                "schools:hr-import-upload" if staff else "schools:import-upload", args=[board.pk]
            ),
            "to_apply": sum(1 for action in batch.actions if action["action"] in APPLIED),
            "earlier": earlier,
        },
    )


@require_POST
def import_commit(request: HttpRequest, board_pk: int, batch_pk: int) -> HttpResponse:
    board = board_for_batch(request, board_pk, batch_pk)
    batch = batch_of(request, board, batch_pk)
    preview = redirect("schools:import-preview", board_pk=board.pk, batch_pk=batch.pk)
    try:
        counts = batch_commit(batch=batch)
    except AlreadyCommitted:
        messages.error(request, _("This import has already been processed."))
        return preview
    except StalePreview:
        messages.warning(
            request,
            _(
                "The board's data changed after this preview was made. Nothing has been "
                "imported: check the new preview below and process it again."
            ),
        )
        return preview
    except (ValidationError, ObjectDoesNotExist, DatabaseError) as error:
        detail = "; ".join(error.messages) if isinstance(error, ValidationError) else ""
        messages.error(
            request,
            _("The import could not be processed, and nothing has been changed. %(detail)s")
            % {"detail": detail},
        )
        return preview
    record_security_event(request, SecurityEvent.Kind.IMPORT, detail=batch.filename)
    if batch.kind == ImportBatch.Kind.STAFF:
        messages.success(
            request,
            _(
                "%(file)s has been imported: %(create)s new, %(update)s updated, %(unchanged)s "
                "unchanged, %(refused)s refused, %(skipped)s skipped. New people get no "
                "password: invite them from this page."
            )
            % {"file": batch.filename, **counts},
        )
        return redirect("schools:staff-list", pk=board.pk)
    messages.success(
        request,
        _(
            "%(file)s has been imported: %(create)s new, %(update)s updated, %(unchanged)s "
            "unchanged, %(refused)s refused, %(skipped)s skipped."
        )
        % {"file": batch.filename, **counts},
    )
    return redirect(figures_url(batch))


def figures_url(batch: ImportBatch) -> str:
    """The schools with their figures, in the school year the imported figures are for."""
    url = reverse("schools:school-list")
    years = [
        action["apply"]["start_year"]
        for action in batch.actions
        if action["action"] in APPLIED and "start_year" in action["apply"]
    ]
    return f"{url}?jaar={max(years)}" if years else url
