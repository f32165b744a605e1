"""The board's IB network (netwerk Interne Begeleiding, KempenKind 2013): its settings,
themes, meetings with attendance, and a shared document list.

Imported at the end of ``competencies.models`` so Django registers the models with this app.
Who sees what (``competencies.network`` holds the rules):

- board staff keep everything of their board's network, attendance included;
- the board's IBs read meetings, agendas, minutes, themes and documents, and only their own
  attendance (a colleague's attendance is not theirs to know);
- directors of the board's schools read the agenda and minutes of meetings (and the themes),
  not the attendance and not the documents (the IBs' working material);
- partnership staff and other boards: nothing (404).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.validators import MaxValueValidator, MinValueValidator
from core.versioning import Versioned
from schools.models import (
    Board,
    BoardScopedQuerySet,
    Scope,
    ScopedQuerySet,
    if_any,
    policy_board_condition,
    tracked,
)

User = settings.AUTH_USER_MODEL


def network_board_condition(scope: Scope) -> Q | None:
    """Boards whose network the user reads: staff and IBs of the board, directors of its
    schools; partnership staff none."""
    condition = policy_board_condition(scope)
    if condition is None:
        return None
    return Q(board_id__in=Board.objects.filter(condition).values("id"))


class NetworkBoardQuerySet(ScopedQuerySet):
    """Rows of a board's network that everyone of the board reads (settings, themes,
    meetings)."""

    def scope_condition(self, scope: Scope) -> Q | None:
        return network_board_condition(scope)


class NetworkDocumentQuerySet(ScopedQuerySet):
    """The documents: the board's staff and IBs; directors do not get the IBs' material."""

    def scope_condition(self, scope: Scope) -> Q | None:
        boards = scope.staff_board_ids | scope.ib_board_ids
        return if_any(boards, Q(board_id__in=boards))


class NetworkAttendanceQuerySet(BoardScopedQuerySet):
    """Attendance is personal: the board's staff see all of it, an IB only their own."""

    board_lookup = "meeting__board_id"


class Network(Versioned):
    """A board's IB network: its name, what it is for, and whether attending counts as
    training (and for how many hours a meeting)."""

    board = models.OneToOneField(
        Board, verbose_name=_("board"), on_delete=models.CASCADE, related_name="ib_network"
    )
    name = models.CharField(_("name"), max_length=200, default="Netwerk Interne Begeleiding")
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("What the network is for, who takes part, how often it meets."),
    )
    counts_as_training = models.BooleanField(
        _("attendance counts as training hours"),
        default=False,
        help_text=_(
            "Then every meeting an IB attended appears among their training, with the hours below."
        ),
    )
    hours_per_meeting = models.DecimalField(
        _("training hours per meeting"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("2"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("24"))],
    )

    objects = NetworkBoardQuerySet.as_manager()
    history = tracked()

    class Meta:
        verbose_name = _("IB network")
        verbose_name_plural = _("IB networks")

    def __str__(self) -> str:
        return f"{self.name} ({self.board})"


class NetworkTheme(Versioned):
    """A theme the network works on (e.g. "Handelingsgericht werken", "Data-analyse")."""

    board = models.ForeignKey(
        Board, verbose_name=_("board"), on_delete=models.CASCADE, related_name="network_themes"
    )
    title = models.CharField(_("theme"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive themes are no longer offered.")
    )

    objects = NetworkBoardQuerySet.as_manager()

    class Meta:
        ordering = ["-is_active", "title", "id"]
        verbose_name = _("network theme")
        verbose_name_plural = _("network themes")
        constraints = [
            models.UniqueConstraint(
                fields=["board", "title"],
                name="network_theme_unique_title",
                violation_error_message=_("The network already has a theme with this title."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class NetworkMeeting(Versioned):
    """One meeting of the network: when, where, about what, the agenda and the minutes."""

    board = models.ForeignKey(
        Board, verbose_name=_("board"), on_delete=models.CASCADE, related_name="network_meetings"
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200)
    theme = models.ForeignKey(
        NetworkTheme,
        verbose_name=_("theme"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
    )
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(
        _("minutes"),
        blank=True,
        help_text=_("Written after the meeting; read by IBs and directors."),
    )

    objects = NetworkBoardQuerySet.as_manager()
    history = tracked()

    class Meta:
        ordering = ["-date", "-start_time", "-id"]
        verbose_name = _("network meeting")
        verbose_name_plural = _("network meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__isnull=True) | Q(end_time__gt=models.F("start_time")),
                name="network_meeting_end_after_start",
                violation_error_message=_("The end time must be after the start time."),
            ),
        ]
        indexes = [models.Index(fields=["board", "date"])]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.theme or self.place}"

    def clean(self) -> None:
        errors = {}
        if self.end_time and self.start_time and self.end_time <= self.start_time:
            errors["end_time"] = _("The end time must be after the start time.")
        if self.theme_id and self.board_id and self.theme.board_id != self.board_id:
            errors["theme"] = _("Choose a theme of this network.")
        if self.date and self.date > timezone.localdate() and self.has_taken_place_marks():
            errors["date"] = _(
                "Present or absent has already been recorded for this meeting, so it cannot "
                "move to a date after today. Choose a date up to today, or, when the meeting "
                "was postponed, first clear present and absent on the attendance list (or plan "
                "a new meeting for the new date)."
            )
        if errors:
            raise ValidationError(errors)

    def has_taken_place_marks(self) -> bool:
        """Whether the stored attendance list says the meeting took place: someone is marked
        present or absent.

        The rule a network coordinator expects, and ``network.attendance_save`` keeps from the
        other side: present and absent are facts of a meeting that took place (present counts
        as training hours up to today), so a meeting with those marks keeps a date up to
        today. Correcting its date within the past is fine (a typo); moving it into the
        future would leave attendance for a meeting that has not happened. "Excused" marks
        are apologies sent beforehand and do not hold a meeting back: a postponed meeting
        keeps them, for the coordinator to review on the attendance list.
        """
        if self.pk is None:
            return False
        taken_place = [NetworkAttendance.Status.PRESENT, NetworkAttendance.Status.ABSENT]
        return self.attendances.filter(status__in=taken_place).exists()


class NetworkAttendance(models.Model):
    """Whether one IB of the board attended one meeting (personal data)."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    meeting = models.ForeignKey(
        NetworkMeeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    ib = models.ForeignKey(
        User,
        verbose_name=_("intern begeleider"),
        on_delete=models.CASCADE,
        related_name="network_attendances",
    )
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)

    objects = NetworkAttendanceQuerySet.as_manager()
    history = tracked()

    class Meta:
        ordering = ["meeting", "ib__last_name", "ib__first_name", "id"]
        verbose_name = _("network attendance")
        verbose_name_plural = _("network attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "ib"], name="network_attendance_unique_ib"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.ib_id} {self.status}"


def network_document_path(instance: NetworkDocument, filename: str) -> str:
    return f"network/{instance.board_id}/{filename}"


class NetworkDocument(Versioned):
    """A document of the network: a link or an uploaded file, with a title."""

    board = models.ForeignKey(
        Board, verbose_name=_("board"), on_delete=models.CASCADE, related_name="network_documents"
    )
    title = models.CharField(_("title"), max_length=200)
    theme = models.ForeignKey(
        NetworkTheme,
        verbose_name=_("theme"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
    )
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to=network_document_path, blank=True)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    objects = NetworkDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("network document")
        verbose_name_plural = _("network documents")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.url and self.file:
            raise ValidationError(_("Give either a link or a file, not both."), code="link_or_file")
        if not self.url and not self.file:
            raise ValidationError(_("Give a link or upload a file."), code="link_or_file")
        if self.theme_id and self.board_id and self.theme.board_id != self.board_id:
            raise ValidationError({"theme": _("Choose a theme of this network.")})
