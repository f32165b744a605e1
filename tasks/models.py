"""LBBO domains, task catalogues and the IB's yearly task packages.

The standard catalogue is code (``standard_catalogue.py``); each board keeps an editable copy.
A package belongs to one appointment share and one school year; its content lives in numbered
versions, so an agreed package that is reopened keeps its earlier versions readable.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery, Sum
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core.validators import MaxValueValidator, MinValueValidator
from core.versioning import Versioned
from schools.figures import ONE_PLACE
from schools.models import (
    AppointmentShare,
    Board,
    School,
    SchoolYear,
    Scope,
    ScopedQuerySet,
    any_of,
    development_condition,
    display_name,
    get_scope,
    if_any,
    policy_board_condition,
    staff_board_condition,
    tracked,
)
from schools.own_hours import OwnHoursLine, own_hours_lines, own_hours_prefetch


class Domain(models.Model):
    """One of the three LBBO 2022 domains, each with its role, or the general school duties
    every staff member has (``is_lbbo`` false, ordered last): they count in the budget, not in
    the LBBO balance."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("role"), max_length=100)
    description = models.TextField(_("description"))
    older_name = models.CharField(_("older name"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_lbbo = models.BooleanField(
        _("LBBO domain"),
        default=True,
        help_text=_(
            "Untick for work outside the three LBBO domains, such as general school duties."
        ),
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("LBBO domain")
        verbose_name_plural = _("LBBO domains")

    def __str__(self) -> str:
        return self.name


class CatalogueTaskQuerySet(ScopedQuerySet):
    def scope_condition(self, scope: Scope) -> Q | None:
        condition = policy_board_condition(scope)
        if condition is None:
            return None
        return Q(board_id__in=Board.objects.filter(condition).values("id"))

    def active(self) -> CatalogueTaskQuerySet:
        return self.filter(is_active=True)


def holder_role_choices() -> list[tuple[str, str]]:
    """The roles of the task division (``HolderRole``, defined further down with it)."""
    return HolderRole.choices


class CatalogueTask(Versioned):
    """A task in a board's catalogue, copied from the standard catalogue or added by the board.

    ``default_hours`` are per ``unit``: per school year, or per group or teacher of the school,
    so a package proposes hours that fit the school's size (``tasks.packages.proposed_hours``).
    """

    class Unit(models.TextChoices):
        YEAR = "year", _("per school year")
        GROUP = "group", _("per group")
        TEACHER = "teacher", _("per teacher")

    board = models.ForeignKey(
        Board, verbose_name=_("board"), on_delete=models.CASCADE, related_name="catalogue_tasks"
    )
    standard_key = models.SlugField(
        _("standard task"),
        max_length=80,
        blank=True,
        help_text=_("The task of the standard catalogue this one was copied from."),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    domain = models.ForeignKey(
        Domain, verbose_name=_("LBBO domain"), on_delete=models.PROTECT, related_name="tasks"
    )
    default_hours = models.DecimalField(
        _("default hours per unit"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("1659"))],
        help_text=_("Hours in a school year for each unit: the year, a group or a teacher."),
    )
    unit = models.CharField(
        _("unit"),
        max_length=10,
        choices=Unit.choices,
        default=Unit.YEAR,
        help_text=_(
            "Per group or per teacher: a package proposes these hours times the school's groups "
            "or teachers of that school year."
        ),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_ib_task = models.BooleanField(
        _("IB task"),
        default=True,
        help_text=_("Untick for work that is not the IB's (role purity), and give the reason."),
    )
    not_ib_reason = models.TextField(_("why this is not IB work"), blank=True)
    usual_role = models.CharField(
        _("usual role"),
        max_length=30,
        choices=holder_role_choices,
        blank=True,
        help_text=_(
            "Who usually does this task at a school when it is not the IB's work: the role "
            "the task division's role purity signal points to."
        ),
    )
    concerns_partnership = models.BooleanField(
        _("concerns the partnership"),
        default=False,
        help_text=_(
            "Tick for work the partnership (SWV) has a stake in, such as the intern "
            "ondersteuningsteam, the SOP, arrangements and admission requests: the "
            "partnership's copy of an agreed package marks these tasks."
        ),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("A task used in a package is deactivated, never deleted."),
    )

    cells = models.ManyToManyField(
        "competencies.Cell",
        verbose_name=_("competencies it draws on"),
        blank=True,
        related_name="tasks",
    )

    objects = CatalogueTaskQuerySet.as_manager()
    history = tracked()

    class Meta:
        ordering = ["domain__order", "title"]
        verbose_name = _("catalogue task")
        verbose_name_plural = _("catalogue tasks")
        constraints = [
            models.UniqueConstraint(
                fields=["board", "standard_key"],
                condition=~Q(standard_key=""),
                name="catalogue_task_unique_standard_key",
            ),
            models.CheckConstraint(
                condition=Q(is_ib_task=True) | ~Q(not_ib_reason=""),
                name="catalogue_task_not_ib_needs_reason",
                violation_error_message=_("Say why this task is not IB work."),
            ),
        ]
        indexes = [models.Index(fields=["board", "is_active"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if not self.is_ib_task and not self.not_ib_reason.strip():
            raise ValidationError({"not_ib_reason": _("Say why this task is not IB work.")})
        if self.is_ib_task:
            self.not_ib_reason = ""


# ---------------------------------------------------------------------------
# Task packages
# ---------------------------------------------------------------------------

HOURS_VALIDATORS = [MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("1659"))]


def as_hours(value: Decimal | float | int) -> Decimal:
    """Hours read by SQL (a column or a sum) as a Decimal of one place: SQLite returns
    decimals as floats, read through their text so 0.1 + 0.2 gives 0.3."""
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    return value.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


class PackageQuerySet(ScopedQuerySet):
    def scope_condition(self, scope: Scope) -> Q | None:
        # Board staff read every package of their board; the director those of their schools;
        # the IB their own. Partnership staff see packages only through the board comparison.
        return any_of(
            staff_board_condition(scope, "share__school__board_id"),
            if_any(scope.director_school_ids, Q(share__school_id__in=scope.director_school_ids)),
            if_any(scope.ib_board_ids, Q(share__appointment__ib_id=scope.user_id)),
        )

    def with_details(self) -> PackageQuerySet:
        return self.select_related("share__school__board", "share__appointment__ib", "school_year")

    def with_own_hours(self) -> PackageQuerySet:
        """For lists that show budgets: the IBs' own reserved hours in one query."""
        return self.prefetch_related(own_hours_prefetch("share__appointment__own_hours"))

    def with_current_state(self, *, agreement: bool = False) -> PackageQuerySet:
        """Each package with its newest version's number, status and assigned hours
        (``current_number``, ``current_status``, ``assigned_hours``); with ``agreement`` also
        the hours over budget that version was agreed with and when the package was last
        returned (``current_agreed_over``, ``returned_at``: the director's to-do). No extra
        query: the hours are summed in the subquery that finds the newest version (a sum
        filtered on the newest number nested it once more)."""
        newest = PackageVersion.objects.filter(package=OuterRef("pk")).order_by("-number")
        assigned = newest.annotate(total=Sum("items__hours")).values("total")[:1]
        columns = {
            "current_number": Subquery(newest.values("number")[:1]),
            "current_status": Subquery(newest.values("status")[:1]),
            "assigned_hours": Subquery(
                assigned, output_field=models.DecimalField(max_digits=8, decimal_places=1)
            ),
        }
        if agreement:
            returned = PackageEvent.objects.filter(
                package=OuterRef("pk"), kind=PackageEvent.Kind.RETURNED
            ).order_by("-at")
            columns["current_agreed_over"] = Subquery(newest.values("agreed_over_budget_hours")[:1])
            columns["returned_at"] = Subquery(returned.values("at")[:1])
        return self.annotate(**columns)


class Package(models.Model):
    """The tasks of one IB share (an IB at one school) in one school year."""

    share = models.ForeignKey(
        AppointmentShare,
        verbose_name=_("appointment share"),
        on_delete=models.PROTECT,
        related_name="packages",
    )
    school_year = models.ForeignKey(
        SchoolYear, verbose_name=_("school year"), on_delete=models.PROTECT, related_name="+"
    )
    # Optimistic locking: every change bumps it with a conditional UPDATE; a stale form whose
    # number no longer matches is refused instead of silently overwriting someone else.
    lock_version = models.PositiveIntegerField(default=0)
    # Board staff may give a late evaluation more time (``tasks.evaluation.extend``); empty:
    # the usual grace end, 31 October after the school year.
    evaluation_until = models.DateField(_("year-end evaluation open until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PackageQuerySet.as_manager()

    class Meta:
        ordering = ["-school_year__start_year", "share__school__name"]
        verbose_name = _("task package")
        verbose_name_plural = _("task packages")
        constraints = [
            models.UniqueConstraint(
                fields=["share", "school_year"],
                name="package_unique_share_year",
                violation_error_message=_(
                    "This IB already has a package at this school this year."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.share.school} - {display_name(self.ib)} ({self.school_year})"

    @property
    def school(self) -> School:
        return self.share.school

    @property
    def ib(self):
        return self.share.appointment.ib

    @property
    def board(self) -> Board:
        return self.share.school.board

    # -- budget ---------------------------------------------------------------------------

    @property
    def gross_hours(self) -> Decimal:
        return (self.share.fte * self.board.hours_per_fte).quantize(Decimal("0.1"))

    @property
    def reserved_hours(self) -> Decimal:
        """Hours the board keeps apart per fte (professionalisation, sustainable employability)."""
        return (self.share.fte * self.board.reserved_hours_per_fte).quantize(Decimal("0.1"))

    @cached_property
    def own_hours_lines(self) -> list[OwnHoursLine]:
        """The IB's own reserved hours of this school year at this school (schools.own_hours):
        read from ``share.appointment.own_hours``, prefetched by ``with_details``."""
        share = self.share
        appointment = share.appointment if share.appointment_id else None
        try:
            school_year = self.school_year
        except SchoolYear.DoesNotExist:
            school_year = None
        if appointment is None or appointment.pk is None or school_year is None:
            return []  # an unsaved package (a preview of a budget): no own hours yet
        return own_hours_lines(appointment.own_hours.all(), school_year.start_year, share.fte)

    @property
    def own_hours(self) -> Decimal:
        return sum((line.hours for line in self.own_hours_lines), Decimal("0"))

    @property
    def budget_hours(self) -> Decimal:
        return self.gross_hours - self.reserved_hours - self.own_hours


class PackageStatus(models.TextChoices):
    CONCEPT = "concept", _("Draft")
    SUBMITTED = "voorgelegd", _("Submitted to the IB")
    AGREED = "akkoord", _("Agreed")
    RETURNED = "teruggestuurd", _("Returned by the IB")


# The only transitions there are; anything else is refused.
TRANSITIONS: dict[str, set[str]] = {
    PackageStatus.CONCEPT: {PackageStatus.SUBMITTED},
    # Back to draft from submitted: the director withdraws it before the IB has answered.
    PackageStatus.SUBMITTED: {PackageStatus.AGREED, PackageStatus.RETURNED, PackageStatus.CONCEPT},
    PackageStatus.RETURNED: {PackageStatus.CONCEPT},
    PackageStatus.AGREED: set(),  # reopening starts a new version instead
}
EDITABLE_STATUSES = {PackageStatus.CONCEPT, PackageStatus.RETURNED}


class PackageVersionQuerySet(models.QuerySet):
    def copies_for_user(self, user) -> PackageVersionQuerySet:
        """The partnership's copies a user reads: the one entry point for partnership staff.

        A copy is the newest agreed version of a package at a school of the user's partnership,
        when the version was agreed while its board shared with the partnership
        (``shared_with_partnership``) and the board still shares. Anyone else (board staff,
        directors, IBs) gets nothing here: they read packages through ``Package.for_user``,
        which never includes partnership staff.
        """
        scope = get_scope(user)
        if scope.user_id is None or not scope.partnership_ids:
            return self.none()
        later_agreed = PackageVersion.objects.filter(
            package=OuterRef("package"),
            number__gt=OuterRef("number"),
            status=PackageStatus.AGREED,
        )
        return self.filter(
            ~Exists(later_agreed),
            status=PackageStatus.AGREED,
            shared_with_partnership=True,
            package__share__school__partnership_id__in=scope.partnership_ids,
            package__share__school__board__shares_with_partnership=True,
        )


class PackageVersion(models.Model):
    """One version of a package's content and its place in the workflow."""

    package = models.ForeignKey(
        Package, verbose_name=_("task package"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=20, choices=PackageStatus.choices, default=PackageStatus.CONCEPT
    )
    ib_comment = models.TextField(_("comment of the IB"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    agreed_at = models.DateTimeField(_("agreed at"), null=True, blank=True)
    # Recorded when the IB agrees: the budget may change later (board policy, fte), and the
    # task letter must still say that this version was agreed over budget, and by how much.
    agreed_over_budget_hours = models.DecimalField(
        _("hours over budget when agreed"), max_digits=7, decimal_places=1, default=Decimal("0")
    )
    # Recorded when the IB agrees: whether the board shared with the partnership then. A
    # version agreed while the board did not share stays private, even if it shares later.
    shared_with_partnership = models.BooleanField(
        _("shared with the partnership when agreed"), default=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PackageVersionQuerySet.as_manager()

    class Meta:
        ordering = ["package", "-number"]
        verbose_name = _("package version")
        verbose_name_plural = _("package versions")
        constraints = [
            models.UniqueConstraint(fields=["package", "number"], name="version_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.package} v{self.number}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


def item_key(task_id: int | None, title: str) -> str:
    """``PackageItem.key`` from plain values: its catalogue task, else its title."""
    return f"task:{task_id}" if task_id else f"custom:{title.strip().lower()}"


def item_key_sql(alias: str) -> str:
    """``PackageItem.key`` as an SQL expression over the item table aliased ``alias``, for raw
    queries that join items to realisation lines on it (SQLite and PostgreSQL). SQLite lowers
    only ASCII letters: an own task whose title starts with, say, "É" matches on PostgreSQL
    only."""
    return (
        f"CASE WHEN {alias}.task_id IS NOT NULL THEN 'task:' || {alias}.task_id "
        f"ELSE 'custom:' || LOWER(TRIM({alias}.title)) END"
    )


class PackageItem(models.Model):
    """A task in a package version: from the catalogue or written for this package."""

    version = models.ForeignKey(
        PackageVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="items"
    )
    task = models.ForeignKey(
        CatalogueTask,
        verbose_name=_("catalogue task"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="package_items",
    )
    # Copied from the catalogue task when added, so that later catalogue edits do not rewrite
    # an agreed package; a custom task fills them in itself.
    title = models.CharField(_("title"), max_length=200)
    domain = models.ForeignKey(
        Domain, verbose_name=_("LBBO domain"), on_delete=models.PROTECT, related_name="+"
    )
    is_ib_task = models.BooleanField(_("IB task"), default=True)
    not_ib_reason = models.TextField(_("why this is not IB work"), blank=True)
    concerns_partnership = models.BooleanField(_("concerns the partnership"), default=False)
    hours = models.DecimalField(
        _("hours per year"), max_digits=6, decimal_places=1, validators=HOURS_VALIDATORS
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    ib_comment = models.TextField(_("comment of the IB"), blank=True)

    class Meta:
        ordering = ["domain__order", "title", "id"]
        verbose_name = _("package item")
        verbose_name_plural = _("package items")
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="item_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.hours} h)"

    @property
    def key(self) -> str:
        """What makes an item 'the same' across versions: its catalogue task, else its title."""
        return item_key(self.task_id, self.title)


class PackageEvent(models.Model):
    """The history of a package: every item change and transition, with who and when.

    Written by the services themselves rather than by a signal-based audit library, because
    the events are domain steps (a submission with its comment, a return with per-item
    comments) and some changes are bulk operations that signals do not see.
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("Package created")
        COPIED = "copied", _("Copied from last year")
        ITEM_ADDED = "item_added", _("Task added")
        ITEM_CHANGED = "item_changed", _("Task changed")
        ITEM_REMOVED = "item_removed", _("Task removed")
        SUBMITTED = "submitted", _("Submitted to the IB")
        AGREED = "agreed", _("Agreed by the IB")
        RETURNED = "returned", _("Returned by the IB")
        DRAFT = "draft", _("Back to draft")
        WITHDRAWN = "withdrawn", _("Withdrawn by the director")
        REOPENED = "reopened", _("Reopened as a new version")
        GOAL_ADDED = "goal_added", _("Werkplan goal added")
        GOAL_CHANGED = "goal_changed", _("Werkplan goal changed")
        GOAL_REMOVED = "goal_removed", _("Werkplan goal removed")
        EVALUATION_STARTED = "evaluation_started", _("Year-end evaluation started")
        EVALUATION_READY = "evaluation_ready", _("Goals rated by the IB")
        EVALUATION_HELD = "evaluation_held", _("Evaluation conversation held")
        EVALUATION_EXTENDED = "evaluation_extend", _("Year-end evaluation given more time")

    package = models.ForeignKey(
        Package, verbose_name=_("task package"), on_delete=models.CASCADE, related_name="events"
    )
    version_number = models.PositiveSmallIntegerField(_("version"))
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("package event")
        verbose_name_plural = _("package events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.at:%d-%m-%Y %H:%M})"


# ---------------------------------------------------------------------------
# The werkplan: the year's goals beside the hours
# ---------------------------------------------------------------------------


class WerkplanGoal(models.Model):
    """A goal of the IB's werkplan for one package version (so one IB, school and year).

    Tied to a development point of the school or to a source in words, with an LBBO domain,
    what success looks like and the package tasks that serve it. Goals belong to a version
    like its items do: reopening copies them, and an agreed version keeps its own.
    """

    version = models.ForeignKey(
        PackageVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="goals"
    )
    title = models.CharField(_("goal"), max_length=200)
    development_point = models.ForeignKey(
        "schools.DevelopmentPoint",
        verbose_name=_("development point"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="goals",
    )
    source_text = models.CharField(
        _("other source"),
        max_length=200,
        blank=True,
        help_text=_("When the goal comes from no development point of the school."),
    )
    domain = models.ForeignKey(
        Domain, verbose_name=_("LBBO domain"), on_delete=models.PROTECT, related_name="+"
    )
    success_criterion = models.TextField(_("success looks like"))
    items = models.ManyToManyField(
        PackageItem, verbose_name=_("tasks that serve it"), blank=True, related_name="goals"
    )
    # The goal of last year's evaluation it was carried over from (``tasks.nextyear``): it is
    # not offered again, also after a new title.
    carried_from = models.ForeignKey(
        "EvaluationGoal",
        verbose_name=_("carried over from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["version", "id"]
        verbose_name = _("werkplan goal")
        verbose_name_plural = _("werkplan goals")
        constraints = [
            models.CheckConstraint(
                condition=Q(development_point__isnull=False) | ~Q(source_text=""),
                name="goal_has_a_source",
                violation_error_message=_(
                    "Tie the goal to a development point of the school or name its source."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def key(self) -> str:
        """What makes a goal 'the same' across versions: its title."""
        return " ".join(self.title.lower().split())

    @property
    def source_label(self) -> str:
        if self.development_point_id:
            return str(self.development_point)
        return self.source_text


# ---------------------------------------------------------------------------
# Realisation: the hours the IB spent per task, recorded at the board's two moments
# ---------------------------------------------------------------------------


class Moment(models.TextChoices):
    """The two moments of the school year the board chooses (``Board.realisation_*``)."""

    MID = "halfjaar", _("Mid-year")
    END = "jaareinde", _("Year end")


class Realisation(Versioned):
    """What the IB recorded at one moment for one package: one sheet, one lock.

    It belongs to the package, not to a version: a reopened and re-agreed package keeps what
    was recorded, matched to its tasks by ``PackageItem.key``. The hours are those realised
    since the start of the school year (an estimate is fine).
    """

    package = models.ForeignKey(
        Package,
        verbose_name=_("task package"),
        on_delete=models.CASCADE,
        related_name="realisations",
    )
    moment = models.CharField(_("moment"), max_length=10, choices=Moment.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    class Meta:
        ordering = ["package", "moment"]
        verbose_name = _("realisation")
        verbose_name_plural = _("realisations")
        constraints = [
            models.UniqueConstraint(fields=["package", "moment"], name="realisation_unique_moment"),
        ]

    def __str__(self) -> str:
        return f"{self.package} - {self.get_moment_display()}"


class RealisationLine(models.Model):
    """The realised hours and note of one task at one moment.

    ``key`` is the task's ``PackageItem.key`` (its catalogue task, else its title); title and
    domain are copied so that a task removed from the package later stays readable.
    """

    realisation = models.ForeignKey(
        Realisation,
        verbose_name=_("realisation"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    key = models.CharField(_("task key"), max_length=220)
    title = models.CharField(_("title"), max_length=200)
    domain = models.ForeignKey(
        Domain, verbose_name=_("LBBO domain"), on_delete=models.PROTECT, related_name="+"
    )
    hours = models.DecimalField(
        _("realised hours"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1659"))],
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["domain__order", "title", "id"]
        verbose_name = _("realisation of a task")
        verbose_name_plural = _("realisation of tasks")
        constraints = [
            models.UniqueConstraint(fields=["realisation", "key"], name="realisation_line_unique"),
            models.CheckConstraint(
                condition=Q(hours__gte=0), name="realisation_hours_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}: {self.hours} h"


# ---------------------------------------------------------------------------
# Evaluation: the year end, goal by goal, closed by the conversation with the director
# ---------------------------------------------------------------------------


class GoalRating(models.TextChoices):
    ACHIEVED = "behaald", _("Achieved")
    PARTLY = "deels", _("Partly achieved")
    NOT_ACHIEVED = "niet", _("Not achieved")


class Evaluation(Versioned):
    """The year-end evaluation of one package: the IB's ratings, the director's view, the talk.

    One per package, of the newest agreed version at the time it was started (``version``):
    its werkplan goals are copied into ``EvaluationGoal`` rows, matched by ``WerkplanGoal.key``,
    so that a package reopened later keeps its evaluation readable. The record of the
    evaluation conversation (date, who was there, agreements) closes the year: ``closed_at``
    is set and the evaluation is read-only from then on, kept like the package's versions.
    """

    package = models.OneToOneField(
        Package,
        verbose_name=_("task package"),
        on_delete=models.CASCADE,
        related_name="evaluation",
    )
    version = models.ForeignKey(
        PackageVersion,
        verbose_name=_("evaluated version"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    ib_ready_at = models.DateTimeField(_("rated by the IB at"), null=True, blank=True)
    director_view = models.TextField(_("view of the director"), blank=True)
    held_on = models.DateField(_("date of the evaluation conversation"), null=True, blank=True)
    participants = models.CharField(_("present"), max_length=300, blank=True)
    agreements = models.TextField(_("agreements"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    class Meta:
        ordering = ["package"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(held_on__isnull=False),
                name="evaluation_closed_after_conversation",
                violation_error_message=_(
                    "An evaluation is closed by the record of its conversation."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.package} - {_('evaluation')}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class EvaluationGoal(models.Model):
    """One werkplan goal at the year end: the IB's rating and evidence.

    ``key`` is the goal's ``WerkplanGoal.key``; title, domain, success criterion and source are
    copied so that the evaluation reads the same after the package changes.
    """

    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        on_delete=models.CASCADE,
        related_name="goals",
    )
    key = models.CharField(_("goal key"), max_length=200)
    title = models.CharField(_("goal"), max_length=200)
    domain = models.ForeignKey(
        Domain, verbose_name=_("LBBO domain"), on_delete=models.PROTECT, related_name="+"
    )
    success_criterion = models.TextField(_("success looks like"), blank=True)
    # The goal's source, copied too: next year's werkplan carries an unachieved goal over with
    # it (``tasks.nextyear``), from the evaluation alone.
    development_point = models.ForeignKey(
        "schools.DevelopmentPoint",
        verbose_name=_("development point"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source_text = models.CharField(_("other source"), max_length=200, blank=True)
    rating = models.CharField(_("rating"), max_length=10, choices=GoalRating.choices, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        ordering = ["evaluation", "domain__order", "id"]
        verbose_name = _("evaluated goal")
        verbose_name_plural = _("evaluated goals")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "key"], name="evaluation_goal_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.title}: {self.get_rating_display() or '-'}"


# ---------------------------------------------------------------------------
# The school's task division: who does which care and quality task (issue 16)
# ---------------------------------------------------------------------------


class HolderRole(models.TextChoices):
    """The roles besides the IB that do care and quality work at a school (seed 001, 004).

    The IB is no choice here: the IB's column is the IB's package (one per appointment share).
    """

    DIRECTOR = "directeur", _("Director")
    LANGUAGE = "coordinator_taal", _("Language coordinator")
    MATHS = "coordinator_rekenen", _("Maths coordinator")
    BEHAVIOUR = "coordinator_gedrag", _("Behaviour coordinator")
    GIFTED = "coordinator_hoogbegaafdheid", _("Giftedness coordinator")
    EARLY_YEARS = "coordinator_jonge_kind", _("Early years coordinator")
    TEACHERS = "groepsleerkrachten", _("Group teachers")
    REMEDIAL = "remedial_teacher", _("Remedial teacher")
    BEHAVIOURAL_SCIENTIST = "gedragswetenschapper", _("Behavioural scientist")
    SOCIAL_WORK = "schoolmaatschappelijk_werk", _("School social work")
    YOUTH_NURSE = "jeugdverpleegkundige", _("Youth nurse")


HOLDER_ROLE_ORDER = {role: number for number, role in enumerate(HolderRole.values)}


class TaskDivisionQuerySet(ScopedQuerySet):
    def scope_condition(self, scope: Scope) -> Q | None:
        # The board's staff, the school's directors and the IBs working there; the partnership
        # does not see how a school divides its work.
        return development_condition(scope)


class TaskDivision(Versioned):
    """The division of a school's care and quality tasks in one school year (taakverdeling).

    The IB's part is not stored here: it is the current version of each IB package of the
    school and year (``tasks.division``). ``lock_version`` guards the matrix form.
    """

    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="task_divisions"
    )
    school_year = models.ForeignKey(
        SchoolYear, verbose_name=_("school year"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = TaskDivisionQuerySet.as_manager()

    class Meta:
        ordering = ["-school_year__start_year", "school__name"]
        verbose_name = _("task division")
        verbose_name_plural = _("task divisions")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year"],
                name="division_unique_school_year",
                violation_error_message=_("This school already has a task division this year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} ({self.school_year})"


class RoleHolder(Versioned):
    """A role at the school that takes care and quality tasks, with its hours for them.

    A coordinator needs no account: the role and hours are what the division needs; a name
    (e.g. a first name) only when the team would not know who is meant otherwise.
    """

    division = models.ForeignKey(
        TaskDivision,
        verbose_name=_("task division"),
        on_delete=models.CASCADE,
        related_name="holders",
    )
    role = models.CharField(_("role"), max_length=30, choices=HolderRole.choices)
    name = models.CharField(
        _("name"),
        max_length=100,
        blank=True,
        help_text=_(
            "Optional: only when the team would not know who is meant, e.g. a first name. "
            "Coordinators need no account."
        ),
    )
    hours = models.DecimalField(
        _("hours for these tasks"),
        max_digits=7,
        decimal_places=1,
        default=Decimal("0"),
        # Up to ten full-time jobs: "the group teachers" are a whole team.
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("16590"))],
        help_text=_("Hours per school year this role has for care and quality tasks."),
    )

    history = tracked()

    class Meta:
        ordering = ["division", "id"]
        verbose_name = _("role holder")
        verbose_name_plural = _("role holders")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=0), name="role_holder_hours_not_negative"
            ),
        ]

    def __str__(self) -> str:
        role = self.get_role_display()
        return f"{role} ({self.name})" if self.name else str(role)


class DivisionAssignment(models.Model):
    """Hours of one task (from the catalogue or the school's own) for one role holder.

    Title and domain are copied like a package item's, so a later catalogue edit does not
    rewrite a division the PMR approved; ``key`` matches the task with the IB's package
    items (``item_key``).
    """

    division = models.ForeignKey(
        TaskDivision,
        verbose_name=_("task division"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    holder = models.ForeignKey(
        RoleHolder,
        verbose_name=_("role holder"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    task = models.ForeignKey(
        CatalogueTask,
        verbose_name=_("catalogue task"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="division_assignments",
    )
    key = models.CharField(_("task key"), max_length=220)
    title = models.CharField(_("title"), max_length=200)
    domain = models.ForeignKey(
        Domain, verbose_name=_("LBBO domain"), on_delete=models.PROTECT, related_name="+"
    )
    hours = models.DecimalField(
        _("hours per year"), max_digits=6, decimal_places=1, validators=HOURS_VALIDATORS
    )

    history = tracked()

    class Meta:
        ordering = ["domain__order", "title", "id"]
        verbose_name = _("task of a role")
        verbose_name_plural = _("tasks of roles")
        constraints = [
            models.UniqueConstraint(fields=["holder", "key"], name="assignment_unique_task"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="assignment_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.title}: {self.hours} h"
