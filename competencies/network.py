"""The rules and services of the board's IB network (models in ``network_models``).

Board staff keep the network; everyone else only reads what ``network_models`` lets them.
Attended meetings count as training hours when the board says so: they are derived from the
attendance (``network_training``), never copied into training records, so a changed setting
or a corrected attendance list shows at once and nothing is counted twice.
"""

from __future__ import annotations

import datetime
import io
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.versioning import ExpectedVersion, StaleEdit, claim_version
from schools.models import Board, Role, get_scope

from .network_models import (
    Network,
    NetworkAttendance,
    NetworkDocument,
    NetworkMeeting,
    NetworkTheme,
)
from .uploads import ALLOWED_TYPES, looks_like_program, read_head

# ---------------------------------------------------------------------------
# rules
# ---------------------------------------------------------------------------


def can_manage(user, board_id: int) -> bool:
    """Board staff keep their board's network."""
    return get_scope(user).can_manage_board(board_id)


def sees_documents(user, board_id: int) -> bool:
    """The documents are for the board's staff and IBs; directors read agenda and minutes."""
    scope = get_scope(user)
    return board_id in scope.staff_board_ids or board_id in scope.ib_board_ids


def is_board_ib(user, board_id: int) -> bool:
    return board_id in get_scope(user).ib_board_ids


def network_of(board: Board) -> Network:
    """The board's network settings; an unsaved default while staff have not set them."""
    network = Network.objects.filter(board=board).first()
    return network if network is not None else Network(board=board)


def board_ibs(board: Board):
    """The IBs of the board: those who can be on an attendance list."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(memberships__board=board, memberships__role=Role.IB)
        .distinct()
        .order_by("last_name", "first_name", "id")
    )


# ---------------------------------------------------------------------------
# services
# ---------------------------------------------------------------------------


def _require_manager(actor, board_id: int) -> None:
    if not can_manage(actor, board_id):
        raise PermissionDenied(_("Only board staff keep the IB network."))


@transaction.atomic
def network_save(*, network: Network, actor, lock_version: ExpectedVersion) -> Network:
    _require_manager(actor, network.board_id)
    if network.pk is None and Network.objects.filter(board_id=network.board_id).exists():
        raise StaleEdit()  # a colleague saved the first settings since the form was loaded
    claim_version(network if network.pk else None, lock_version)
    network.full_clean()
    network.save()
    return network


@transaction.atomic
def theme_save(*, theme: NetworkTheme, actor, lock_version: ExpectedVersion) -> NetworkTheme:
    _require_manager(actor, theme.board_id)
    claim_version(theme if theme.pk else None, lock_version)
    theme.full_clean()
    theme.save()
    return theme


@transaction.atomic
def meeting_save(
    *, meeting: NetworkMeeting, actor, lock_version: ExpectedVersion
) -> NetworkMeeting:
    _require_manager(actor, meeting.board_id)
    claim_version(meeting if meeting.pk else None, lock_version)
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def meeting_delete(*, meeting: NetworkMeeting, actor) -> None:
    _require_manager(actor, meeting.board_id)
    meeting.delete()


@transaction.atomic
def attendance_save(
    *,
    meeting: NetworkMeeting,
    actor,
    lock_version: ExpectedVersion,
    statuses: dict[int, str],
    today: datetime.date | None = None,
) -> int:
    """Record the attendance list: ``statuses`` maps an IB of the board to a status ("" =
    not recorded). Claims the meeting's version, so two people recording the same list
    cannot overwrite each other. Returns the number of rows changed.

    Before the meeting's day only "excused" (apologies sent beforehand) is taken: present and
    absent are facts of a meeting that took place, and present counts as training hours."""
    _require_manager(actor, meeting.board_id)
    allowed = set(board_ibs(meeting.board).values_list("id", flat=True))
    unknown = set(statuses) - allowed
    if unknown:
        raise ValidationError(_("Only IBs of the board can be on the attendance list."))
    valid = set(NetworkAttendance.Status.values) | {""}
    if any(status not in valid for status in statuses.values()):
        raise ValidationError(_("Choose present, excused or absent."))
    today = today or timezone.localdate()
    early = {NetworkAttendance.Status.PRESENT, NetworkAttendance.Status.ABSENT}
    if meeting.date > today and any(status in early for status in statuses.values()):
        raise ValidationError(
            _(
                "The meeting of %(date)s has not taken place yet: record present or absent "
                "after it. Before it, only “excused” can be recorded."
            )
            % {"date": date_format(meeting.date, "j F Y")}
        )
    claim_version(meeting, lock_version)
    meeting.save(update_fields=["lock_version"])
    existing = {row.ib_id: row for row in meeting.attendances.all()}
    changed = 0
    for ib_id, status in statuses.items():
        row = existing.get(ib_id)
        if not status:
            if row is not None:
                row.delete()
                changed += 1
        elif row is None:
            NetworkAttendance.objects.create(meeting=meeting, ib_id=ib_id, status=status)
            changed += 1
        elif row.status != status:
            row.status = status
            row.save(update_fields=["status"])
            changed += 1
    return changed


@transaction.atomic
def document_save(
    *, document: NetworkDocument, actor, lock_version: ExpectedVersion, old_file: str = ""
) -> NetworkDocument:
    _require_manager(actor, document.board_id)
    claim_version(document if document.pk else None, lock_version)
    if document.url and document.file and document.file.name == old_file:
        # A link replaces the stored file.
        document.file = ""
    document.full_clean()
    document.save()
    if old_file and document.file.name != old_file:
        transaction.on_commit(lambda: document.file.storage.delete(old_file))
    return document


@transaction.atomic
def document_delete(*, document: NetworkDocument, actor) -> None:
    _require_manager(actor, document.board_id)
    name = document.file.name if document.file else ""
    storage = document.file.storage
    document.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# ---------------------------------------------------------------------------
# uploaded documents: the type is read from the file's first bytes
# ---------------------------------------------------------------------------

# Office files are zip archives; the part inside says which kind.
OFFICE_TYPES = (
    ("word/", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("xl/", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("ppt/", "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
)
DOCUMENT_CONTENT_TYPES = {
    **{extension: content_type for _magic, extension, content_type in ALLOWED_TYPES},
    **{extension: content_type for _part, extension, content_type in OFFICE_TYPES},
}


def office_extension(upload: UploadedFile) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(io.BytesIO(upload.read())) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    for part, extension, _content_type in OFFICE_TYPES:
        if any(name.startswith(part) for name in names):
            return extension
    return None


def document_extension(upload: UploadedFile) -> str:
    """The extension of a valid document (PDF, image, Word, Excel, PowerPoint)."""
    if not upload.size:
        raise ValidationError(_("The file is empty."), code="empty")
    limit = settings.CERTIFICATE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    head = read_head(upload)
    for magic, extension, _content_type in ALLOWED_TYPES:
        if head.startswith(magic):
            return extension
    if head.startswith(b"PK\x03\x04"):
        extension = office_extension(upload)
        if extension:
            return extension
    if looks_like_program(head):
        raise ValidationError(
            _("This file is a program or a script, whatever its name says."), code="program"
        )
    raise ValidationError(
        _("Upload a PDF, PNG, JPEG, Word, Excel or PowerPoint file."), code="wrong_type"
    )


def sanitise_document(upload: UploadedFile) -> UploadedFile:
    extension = document_extension(upload)
    upload.name = f"{uuid.uuid4().hex}.{extension}"
    return upload


def document_content_type(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower()
    return DOCUMENT_CONTENT_TYPES.get(extension, "application/octet-stream")


# ---------------------------------------------------------------------------
# reading: meetings, the IB's own attendance, network hours as training
# ---------------------------------------------------------------------------


def next_meeting(board_id: int, today: datetime.date) -> NetworkMeeting | None:
    return (
        NetworkMeeting.objects.filter(board_id=board_id, date__gte=today)
        .select_related("theme")
        .order_by("date", "start_time", "id")
        .first()
    )


@dataclass(frozen=True)
class NetworkTraining:
    """An attended meeting counted as training: derived, never stored."""

    meeting: NetworkMeeting
    network_name: str
    hours: Decimal


def network_training(user) -> list[NetworkTraining]:
    """The meetings ``user`` attended of networks that count attendance as training, up to
    today, newest first. One query."""
    scope = get_scope(user)
    rows = (
        NetworkAttendance.objects.for_scope(scope)
        .filter(
            ib_id=scope.user_id,
            status=NetworkAttendance.Status.PRESENT,
            meeting__board__ib_network__counts_as_training=True,
            meeting__board_id__in=scope.ib_board_ids,
            meeting__date__lte=timezone.localdate(),
        )
        .select_related("meeting__theme", "meeting__board__ib_network")
        .order_by("-meeting__date", "-meeting__start_time")
    )
    return [
        NetworkTraining(
            meeting=row.meeting,
            network_name=row.meeting.board.ib_network.name,
            hours=row.meeting.board.ib_network.hours_per_meeting,
        )
        for row in rows
    ]


def total_hours(lines: Iterable[NetworkTraining]) -> Decimal:
    return sum((line.hours for line in lines), Decimal("0"))


def own_attendance(user, meetings: Iterable[NetworkMeeting]) -> dict[int, str]:
    """{meeting id: status label} of the user's own attendance at ``meetings``. One query."""
    ids = [meeting.pk for meeting in meetings]
    rows = NetworkAttendance.objects.for_user(user).filter(ib=user, meeting_id__in=ids)
    return {row.meeting_id: row.get_status_display() for row in rows}


def attendance_counts(meetings: Iterable[NetworkMeeting]) -> dict[int, int]:
    """{meeting id: IBs present} for board staff's list. One query."""
    from django.db.models import Count

    ids = [meeting.pk for meeting in meetings]
    rows = (
        NetworkAttendance.objects.filter(
            meeting_id__in=ids, status=NetworkAttendance.Status.PRESENT
        )
        .values("meeting_id")
        .annotate(present=Count("id"))
    )
    return {row["meeting_id"]: row["present"] for row in rows}
