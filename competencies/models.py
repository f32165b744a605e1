"""Competency frameworks, the IB's self-assessment rounds, development plan and training.

A framework is a matrix (rows = professional roles, columns = contexts) or a list (rows =
competencies). What the IB rates is an indicator (``Cell``): one observable behaviour, one
level. A role in a context, or a competency of a list, holds one or more indicators, and the
pages show their spread; a level for a bundle of behaviours would say nothing.

Standard frameworks are code (``standard_frameworks.py``); a board copies one and edits it.
A framework that assessments use is not changed underneath them: editing makes a new version
(``previous``), and rounds keep pointing at the version they were filled in on.

The IB owns their rounds. A round is private until the IB shares it with their
personnel-responsible director, who may then add their own view per cell as input for a
conversation (the IB role has no assessing function: a dialogue, not a grade). Board staff
never see an individual round, only counts per cell (the heat map, hidden below 3 IBs), and
those only of rounds the IB shared or for which the IB gave consent (``HeatMapConsent``).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from core.validators import MaxValueValidator, MinValueValidator
from core.versioning import Versioned
from schools.models import (
    Board,
    BoardScopedQuerySet,
    Scope,
    ScopedQuerySet,
    any_of,
    if_any,
    policy_board_condition,
    staff_board_condition,
)

User = settings.AUTH_USER_MODEL


class FrameworkQuerySet(ScopedQuerySet):
    def scope_condition(self, scope: Scope) -> Q | None:
        # Everyone of a board reads its frameworks (directors through their schools' board).
        condition = policy_board_condition(scope)
        if condition is None:
            return None
        return Q(board_id__in=Board.objects.filter(condition).values("id"))

    def current(self) -> FrameworkQuerySet:
        """The newest version of each framework (the ones not replaced by a later version)."""
        return self.filter(next_versions__isnull=True)


class Framework(Versioned):
    class Kind(models.TextChoices):
        MATRIX = "matrix", _("Matrix (roles x contexts)")
        LIST = "list", _("List of competencies")

    board = models.ForeignKey(
        Board, verbose_name=_("board"), on_delete=models.CASCADE, related_name="frameworks"
    )
    standard_key = models.SlugField(_("standard framework"), max_length=80, blank=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_versions",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["board", "name", "-version"]
        verbose_name = _("competency framework")
        verbose_name_plural = _("competency frameworks")

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @property
    def is_in_use(self) -> bool:
        return self.rounds.exists()


class FrameworkRow(models.Model):
    """A professional role (matrix) or a competency (list)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="rows")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["framework", "order", "id"]
        verbose_name = _("framework row")
        verbose_name_plural = _("framework rows")

    def __str__(self) -> str:
        return self.title


class FrameworkColumn(models.Model):
    """A context of professional action (matrix only)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="columns")
    title = models.CharField(_("title"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["framework", "order", "id"]
        verbose_name = _("framework column")
        verbose_name_plural = _("framework columns")

    def __str__(self) -> str:
        return self.title


class Cell(models.Model):
    """One thing to assess: an indicator of a role in a context (matrix) or of a competency
    (list, no column). Several cells may share a row and column; ``order`` numbers them.

    Cells made before indicators existed (the first edition of the standard frameworks, and
    rows or columns a board added) have order 0: one descriptor for the whole role in the
    context. Standard indicators are numbered from 1, so the heat map and the trend, which
    match cells of versions by (row title, column title, order), never take an old bundled
    rating for one of the new indicators.
    """

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="cells")
    row = models.ForeignKey(FrameworkRow, on_delete=models.CASCADE, related_name="cells")
    column = models.ForeignKey(
        FrameworkColumn, on_delete=models.CASCADE, related_name="cells", null=True, blank=True
    )
    descriptor = models.TextField(
        _("descriptor"), help_text=_("One behaviour the IB can be seen doing.")
    )
    order = models.PositiveSmallIntegerField(
        _("order"),
        default=0,
        help_text=_("Position among the indicators of the same role and context."),
    )

    class Meta:
        ordering = ["framework", "row__order", "column__order", "order", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["row", "column", "order"], name="cell_unique_row_column_order"
            ),
            models.UniqueConstraint(
                fields=["row", "order"],
                condition=Q(column__isnull=True),
                name="cell_unique_list_row_order",
            ),
        ]

    def __str__(self) -> str:
        if not self.order:  # one descriptor for the whole position: its name says enough
            return self.position
        return f"{self.position}: {Truncator(self.descriptor).chars(80)}"

    @property
    def position(self) -> str:
        """The role and context (matrix) or the competency (list) the indicator belongs to."""
        return f"{self.row} / {self.column}" if self.column_id else str(self.row)


class Level(models.Model):
    """A step on the framework's own scale (default four: beginnend ... excellent)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    number = models.PositiveSmallIntegerField(
        _("number"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["framework", "number"]
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="level_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


# ---------------------------------------------------------------------------
# Self-assessment rounds
# ---------------------------------------------------------------------------


class RoundQuerySet(ScopedQuerySet):
    def scope_condition(self, scope: Scope) -> Q | None:
        # The IB's own rounds, and shared completed rounds for the personnel-responsible
        # director (``shared_with``). Board staff see no individual round at all.
        return Q(ib_id=scope.user_id) | Q(
            shared_with_id=scope.user_id, status=AssessmentRound.Status.COMPLETED
        )


class AssessmentRound(Versioned):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        COMPLETED = "completed", _("Completed")

    ib = models.ForeignKey(
        User, verbose_name=_("intern begeleider"), on_delete=models.CASCADE, related_name="rounds"
    )
    board = models.ForeignKey(
        Board, verbose_name=_("board"), on_delete=models.CASCADE, related_name="rounds"
    )
    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.PROTECT, related_name="rounds"
    )
    date = models.DateField(_("date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # Set only by the IB's choice to share; the director then reads the round and adds a view.
    shared_with = models.ForeignKey(
        User,
        verbose_name=_("shared with"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shared_rounds",
    )
    shared_at = models.DateTimeField(_("shared at"), null=True, blank=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("self-assessment round")
        verbose_name_plural = _("self-assessment rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(shared_with__isnull=True) | Q(status="completed"),
                name="round_shared_only_when_completed",
            ),
        ]
        indexes = [models.Index(fields=["board", "framework", "status"])]

    def __str__(self) -> str:
        return f"{self.framework} {self.date:%d-%m-%Y}"


class Rating(models.Model):
    """The IB's own level and evidence for one cell in one round."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="ratings")
    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="ratings")
    level = models.ForeignKey(
        Level, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [
            models.UniqueConstraint(fields=["round", "cell"], name="rating_unique_cell"),
        ]

    def __str__(self) -> str:
        return f"{self.cell}: {self.level or '-'}"


class DirectorView(models.Model):
    """The director's own view on a cell of a shared round: input for the conversation.

    One per director: when the IB shares the round with another director later, the first
    director's views stay as they were (and are shown again if it is shared back).
    """

    round = models.ForeignKey(
        AssessmentRound, on_delete=models.CASCADE, related_name="director_views"
    )
    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="+")
    level = models.ForeignKey(
        Level, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("director's view")
        verbose_name_plural = _("director's views")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "cell", "author"], name="director_view_unique_cell_author"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cell}: {self.level or '-'}"


class Conversation(models.Model):
    """A record of the conversation about a shared round: date and agreements."""

    round = models.ForeignKey(
        AssessmentRound, on_delete=models.CASCADE, related_name="conversations"
    )
    date = models.DateField(_("date"))
    agreements = models.TextField(_("agreements"))
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y}"


class HeatMapConsent(models.Model):
    """The IB's consent that their completed self-assessments count, anonymously, in their
    board's heat map even when they did not share them.

    Given and withdrawn by the IB only (``competencies.rounds``); a withdrawal keeps the row
    with its time, so it is on record when consent was given and until when. At most one
    open (not withdrawn) consent per IB and board; the heat map reads only open ones.
    """

    ib = models.ForeignKey(
        User, verbose_name=_("intern begeleider"), on_delete=models.CASCADE, related_name="+"
    )
    board = models.ForeignKey(
        Board, verbose_name=_("board"), on_delete=models.CASCADE, related_name="+"
    )
    given_at = models.DateTimeField(_("given at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["-given_at", "-id"]
        verbose_name = _("heat map consent")
        verbose_name_plural = _("heat map consents")
        constraints = [
            models.UniqueConstraint(
                fields=["ib", "board"],
                condition=Q(withdrawn_at__isnull=True),
                name="heatmap_consent_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ib_id} - {self.board_id} ({self.given_at:%d-%m-%Y})"


# ---------------------------------------------------------------------------
# Development plan (portfolio) and training
# ---------------------------------------------------------------------------


class OwnQuerySet(ScopedQuerySet):
    """Rows that belong to one IB: only the IB sees them (board staff: training judgement)."""

    def scope_condition(self, scope: Scope) -> Q | None:
        return Q(ib_id=scope.user_id)


class Goal(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        ACHIEVED = "achieved", _("Achieved")
        DROPPED = "dropped", _("Dropped")

    ib = models.ForeignKey(User, on_delete=models.CASCADE, related_name="development_goals")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("goal"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    cells = models.ManyToManyField(Cell, verbose_name=_("competencies"), blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default="open")
    evidence = models.TextField(_("evidence"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnQuerySet.as_manager()

    class Meta:
        ordering = ["status", "due_date", "id"]
        verbose_name = _("development goal")
        verbose_name_plural = _("development goals")

    def __str__(self) -> str:
        return self.title


class GoalAction(models.Model):
    class Kind(models.TextChoices):
        COURSE = "course", _("Course")
        INTERVISION = "intervision", _("Intervision")
        COACHING = "coaching", _("Coaching")
        CLASS_VISIT = "class_visit", _("Class visits")
        OTHER = "other", _("Other")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=300)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=15, choices=Goal.Status.choices, default="open"
    )
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return self.description


class TrainingQuerySet(ScopedQuerySet):
    def scope_condition(self, scope: Scope) -> Q | None:
        # The IB's own records; board staff judge certificates of their board's IBs.
        # Own records even after the IB left every board (unlike BoardScopedQuerySet).
        return any_of(Q(ib_id=scope.user_id), staff_board_condition(scope))


def certificate_path(instance: Training, filename: str) -> str:
    return f"certificates/{instance.board_id}/{instance.ib_id}/{filename}"


class Training(models.Model):
    class Judgement(models.TextChoices):
        PENDING = "pending", _("Not judged yet")
        ACCEPTED = "accepted", _("Accepted")
        FURTHER = "further", _("Further training needed")

    ib = models.ForeignKey(User, on_delete=models.CASCADE, related_name="trainings")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="trainings")
    course = models.CharField(_("course"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(2000)],
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    certificate = models.FileField(_("certificate"), upload_to=certificate_path, blank=True)
    judgement = models.CharField(
        _("judgement"), max_length=10, choices=Judgement.choices, default=Judgement.PENDING
    )
    judgement_note = models.TextField(_("note with the judgement"), blank=True)
    judged_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    judged_at = models.DateTimeField(null=True, blank=True)

    objects = TrainingQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="training_end_not_before_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return self.course

    def clean(self) -> None:
        # The constraint's own message would be a form-wide error; this one sits at the field.
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
        # A certificate shows a course that ended: the board judges nothing that is still to
        # come (a record of a course planned or running is fine, without a certificate).
        if self.certificate and not self.has_ended(timezone.localdate()):
            message = (
                _("A certificate comes after the course: give the end date it ended on.")
                if self.end_date is None
                else _("The course has not ended yet: add the certificate once it has ended.")
            )
            raise ValidationError({"end_date" if self.end_date is None else "certificate": message})

    def has_ended(self, today: datetime.date) -> bool:
        """Done: the course ended by ``today``. Before that it is planned or running, and its
        hours do not count yet."""
        return self.end_date is not None and self.end_date <= today

    def has_started(self, today: datetime.date) -> bool:
        return self.start_date is not None and self.start_date <= today


# ---------------------------------------------------------------------------
# Functionerings- and beoordelingsgesprekken (the conversation cycle, issue 17)
# ---------------------------------------------------------------------------


class ConversationKind(models.TextChoices):
    FUNCTIONING = "functioning", _("Functioneringsgesprek")
    APPRAISAL = "appraisal", _("Beoordelingsgesprek")


class ConversationPolicy(Versioned):
    """The board's cycle: every how many years each kind of conversation is due (seed 000
    names both; boards commonly hold a functioneringsgesprek yearly and a
    beoordelingsgesprek every two or three years). A board without a row uses the defaults."""

    DEFAULT_FUNCTIONING_YEARS = 1
    DEFAULT_APPRAISAL_YEARS = 2

    board = models.OneToOneField(
        Board, verbose_name=_("board"), on_delete=models.CASCADE, related_name="+"
    )
    functioning_years = models.PositiveSmallIntegerField(
        _("functioneringsgesprek every (years)"),
        default=DEFAULT_FUNCTIONING_YEARS,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    appraisal_years = models.PositiveSmallIntegerField(
        _("beoordelingsgesprek every (years)"),
        default=DEFAULT_APPRAISAL_YEARS,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )

    class Meta:
        verbose_name = _("conversation cycle")
        verbose_name_plural = _("conversation cycles")

    def __str__(self) -> str:
        return str(self.board)

    def years(self, kind: str) -> int:
        return (
            self.functioning_years if kind == ConversationKind.FUNCTIONING else self.appraisal_years
        )


class AppraisalQuerySet(BoardScopedQuerySet):
    def other_readers(self, scope: Scope) -> Q | None:
        # The director who holds the conversation (while still a director); never the
        # partnership, never another director.
        return if_any(scope.director_school_ids, Q(director_id=scope.user_id))


class AppraisalConversation(Versioned):
    """One functionerings- or beoordelingsgesprek of an IB with their personnel-responsible
    director: plan, both preparations, the report with agreements and the IB's signature.

    The rules are in ``competencies.conversations``. After the IB signed, the report is
    locked: nothing of it changes any more.
    """

    ib = models.ForeignKey(
        User,
        verbose_name=_("intern begeleider"),
        on_delete=models.CASCADE,
        related_name="appraisal_conversations",
    )
    board = models.ForeignKey(
        Board, verbose_name=_("board"), on_delete=models.CASCADE, related_name="+"
    )
    director = models.ForeignKey(
        User, verbose_name=_("director"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ConversationKind.choices)
    date = models.DateField(_("date"))
    director_preparation = models.TextField(_("director's preparation"), blank=True)
    director_shared_at = models.DateTimeField(
        _("director's preparation shared at"), null=True, blank=True
    )
    ib_preparation = models.TextField(_("IB's preparation"), blank=True)
    ib_shared_at = models.DateTimeField(_("IB's preparation shared at"), null=True, blank=True)
    linked_round = models.ForeignKey(
        AssessmentRound,
        verbose_name=_("self-assessment as preparation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    report = models.TextField(_("report"), blank=True)
    agreements = models.TextField(_("agreements"), blank=True)
    recorded_at = models.DateTimeField(_("report recorded at"), null=True, blank=True)
    ib_response = models.TextField(_("IB's response"), blank=True)
    signed_at = models.DateTimeField(_("signed for reading at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AppraisalQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("functionerings- or beoordelingsgesprek")
        verbose_name_plural = _("functionerings- and beoordelingsgesprekken")
        constraints = [
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True) | Q(recorded_at__isnull=False),
                name="appraisal_signed_only_after_report",
            ),
        ]
        indexes = [models.Index(fields=["board", "ib", "kind", "date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d-%m-%Y}"

    @property
    def is_recorded(self) -> bool:
        return self.recorded_at is not None

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


# The training offer and tracks live in their own module; importing them here registers them.
# The board's IB network lives in its own module; importing it registers its models here.
from .network_models import (  # noqa: E402, F401
    Network,
    NetworkAttendance,
    NetworkDocument,
    NetworkMeeting,
    NetworkTheme,
)
from .training_models import (  # noqa: E402, F401
    ModulePlan,
    RepaymentAgreement,
    TrackEnrolment,
    TrainingModule,
    TrainingTrack,
)
