"""The board's training offer and each IB's track (seed 000: "de opleiding omvat meerdere
schooljaren en kent een nascholings- en een persoonsgebonden traject"; "het persoonsgebonden
traject is voor alle intern begeleiders verplicht"; stopping early "impliceert een
(gedeeltelijke) terugbetaling").

A board publishes tracks (``TrainingTrack``) spanning several school years, each made of
modules (``TrainingModule``). At most one active track per board is the mandatory track for
every IB. An IB plans a module (``ModulePlan``) and links it to their own ``Training`` record,
whose certificate the board judges as before. An IB who follows a track other than the
mandatory one, or who signs a repayment agreement, has a ``TrackEnrolment``; a paid track's
``RepaymentAgreement`` keeps the board's scheme as it was when the IB agreed to it.

Imported by ``competencies.models``; the rules are in ``competencies.training_offer``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.validators import MaxValueValidator, MinValueValidator
from core.versioning import Versioned
from schools.models import (
    Board,
    BoardScopedQuerySet,
    SchoolYear,
    Scope,
    ScopedQuerySet,
    policy_board_condition,
    tracked,
)

User = settings.AUTH_USER_MODEL

percentages_validator = RegexValidator(
    r"^\s*\d{1,3}([.,]\d{1,2})?(\s*;\s*\d{1,3}([.,]\d{1,2})?)*\s*$",
    _("Give the percentages per year separated by semicolons, e.g. 100; 75; 50; 25."),
)


def parse_percentages(value: str) -> list[Decimal]:
    """ "100; 75; 50" -> [100, 75, 50]; the year after completion is the position."""
    return [Decimal(part.strip().replace(",", ".")) for part in value.split(";") if part.strip()]


class TrackQuerySet(ScopedQuerySet):
    def scope_condition(self, scope: Scope) -> Q | None:
        # Staff and IBs of the board, directors of its schools read the offer.
        condition = policy_board_condition(scope)
        if condition is None:
            return None
        return Q(board_id__in=Board.objects.filter(condition).values("id"))


class TrainingTrack(Versioned):
    class Kind(models.TextChoices):
        CONTINUING = "continuing", _("Continuing education (nascholing)")
        PERSONAL = "personal", _("Personal track")

    board = models.ForeignKey(
        Board, verbose_name=_("board"), on_delete=models.CASCADE, related_name="training_tracks"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    is_mandatory = models.BooleanField(
        _("mandatory for every IB"),
        default=False,
        help_text=_("At most one active track of the board is mandatory for all its IBs."),
    )
    first_year = models.PositiveSmallIntegerField(
        _("first school year"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("The year the first school year starts, e.g. 2025 for 2025-2026."),
    )
    last_year = models.PositiveSmallIntegerField(
        _("last school year"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_(
            "The year the last school year starts. The track's required modules are due by "
            "the end of that school year (31 July)."
        ),
    )
    repayment_percentages = models.CharField(
        _("repayment per year after completion (%)"),
        max_length=100,
        blank=True,
        validators=[percentages_validator],
        help_text=_(
            "The share of the costs an IB repays on leaving in the first, second, ... year "
            "after completing the track, e.g. 100; 75; 50; 25. Empty: no repayment."
        ),
    )
    early_stop_percentage = models.DecimalField(
        _("repayment when stopping early (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_(
            "The share of the costs of the modules taken that an IB repays when they stop "
            "or leave before completing the track."
        ),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = TrackQuerySet.as_manager()
    history = tracked()

    class Meta:
        ordering = ["board", "-is_mandatory", "first_year", "name"]
        verbose_name = _("training track")
        verbose_name_plural = _("training tracks")
        constraints = [
            models.UniqueConstraint(
                fields=["board"],
                condition=Q(is_mandatory=True, is_active=True),
                name="track_one_mandatory_per_board",
                violation_error_message=_("The board already has a mandatory track."),
            ),
            models.CheckConstraint(
                condition=Q(last_year__gte=models.F("first_year")),
                name="track_last_year_not_before_first",
                violation_error_message=_("The last school year cannot be before the first."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.first_year and self.last_year and self.last_year < self.first_year:
            raise ValidationError(
                {"last_year": _("The last school year cannot be before the first.")}
            )

    @property
    def deadline(self) -> datetime.date:
        """The end of the track's last school year."""
        return datetime.date(self.last_year + 1, 7, 31)

    @property
    def period(self) -> str:
        return f"{self.first_year}-{self.first_year + 1} – {self.last_year}-{self.last_year + 1}"

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    @property
    def percentages(self) -> list[Decimal]:
        return parse_percentages(self.repayment_percentages)

    @property
    def has_scheme(self) -> bool:
        return bool(self.repayment_percentages.strip()) or bool(self.early_stop_percentage)


class ModuleQuerySet(ScopedQuerySet):
    def scope_condition(self, scope: Scope) -> Q | None:
        return Q(track__in=TrainingTrack.objects.for_scope(scope))


class TrainingModule(Versioned):
    track = models.ForeignKey(
        TrainingTrack, verbose_name=_("track"), on_delete=models.CASCADE, related_name="modules"
    )
    title = models.CharField(_("title"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(2000)],
    )
    in_working_time = models.BooleanField(
        _("within working time"),
        default=True,
        help_text=_("Untick when the IB follows the module in their own time."),
    )
    cost = models.DecimalField(
        _("cost (euros)"),
        max_digits=9,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(1_000_000)],
    )
    school_year = models.PositiveSmallIntegerField(
        _("school year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("The school year the board offers it in (its start year), if fixed."),
    )
    is_required = models.BooleanField(
        _("required part of the track"),
        default=True,
        help_text=_("Every IB following the track completes it by the track's deadline."),
    )
    cells = models.ManyToManyField(
        "competencies.Cell",
        verbose_name=_("competencies it develops"),
        blank=True,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ModuleQuerySet.as_manager()
    history = tracked()

    class Meta:
        ordering = ["track", "order", "school_year", "id"]
        verbose_name = _("training module")
        verbose_name_plural = _("training modules")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        track = self.track if self.track_id else None
        if (
            track
            and self.school_year
            and not track.first_year <= self.school_year <= (track.last_year)
        ):
            raise ValidationError(
                {
                    "school_year": _("Choose a school year of the track (%(period)s).")
                    % {"period": track.period}
                }
            )


class ModulePlan(Versioned):
    """When the IB means to take a module, and the training record that shows they did."""

    ib = models.ForeignKey(User, on_delete=models.CASCADE, related_name="module_plans")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    module = models.ForeignKey(
        TrainingModule, verbose_name=_("module"), on_delete=models.CASCADE, related_name="plans"
    )
    planned_year = models.PositiveSmallIntegerField(
        _("planned school year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    planned_date = models.DateField(_("planned date"), null=True, blank=True)
    training = models.OneToOneField(
        "competencies.Training",
        verbose_name=_("training record"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="module_plan",
    )
    note = models.TextField(_("note"), blank=True)
    # The module's cost when the IB took it (linked a training record): a repayment is
    # computed from what the board paid, not from a price changed later.
    cost_taken = models.DecimalField(
        _("cost when taken (euros)"), max_digits=9, decimal_places=2, null=True, blank=True
    )

    objects = BoardScopedQuerySet.as_manager()
    history = tracked()

    class Meta:
        ordering = ["module__track", "module__order", "id"]
        verbose_name = _("module plan")
        verbose_name_plural = _("module plans")
        constraints = [
            models.UniqueConstraint(fields=["ib", "module"], name="module_plan_unique_ib"),
        ]

    def __str__(self) -> str:
        return f"{self.module} ({self.ib_id})"

    @property
    def cost(self) -> Decimal:
        return self.module.cost if self.cost_taken is None else self.cost_taken

    def clean(self) -> None:
        # A date in another school year than the one chosen: which one is meant is unclear.
        if self.planned_year and self.planned_date:
            year_of_date = SchoolYear.start_year_for(self.planned_date)
            if year_of_date != self.planned_year:
                raise ValidationError(
                    {
                        "planned_date": _(
                            "This date falls in school year %(date_year)s, not in the planned "
                            "school year %(year)s. Change one of them, or leave the school "
                            "year empty."
                        )
                        % {
                            "date_year": f"{year_of_date}-{year_of_date + 1}",
                            "year": f"{self.planned_year}-{self.planned_year + 1}",
                        }
                    }
                )

    @property
    def planned_by(self) -> datetime.date | None:
        """The day the IB means to have it done: the date, else the end of the school year."""
        if self.planned_date:
            return self.planned_date
        if self.planned_year:
            return datetime.date(self.planned_year + 1, 7, 31)
        return None


class TrackEnrolment(Versioned):
    """An IB following a track: since when, and whether (and when) they stopped early."""

    ib = models.ForeignKey(User, on_delete=models.CASCADE, related_name="track_enrolments")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    track = models.ForeignKey(
        TrainingTrack, verbose_name=_("track"), on_delete=models.PROTECT, related_name="enrolments"
    )
    started_on = models.DateField(_("started on"))
    stopped_on = models.DateField(_("stopped early on"), null=True, blank=True)
    stop_reason = models.TextField(_("reason for stopping"), blank=True)

    objects = BoardScopedQuerySet.as_manager()  # board staff also record a stop
    history = tracked()

    class Meta:
        ordering = ["track", "started_on", "id"]
        verbose_name = _("track enrolment")
        verbose_name_plural = _("track enrolments")
        constraints = [
            models.UniqueConstraint(fields=["ib", "track"], name="enrolment_unique_ib_track"),
            models.CheckConstraint(
                condition=Q(stopped_on__isnull=True) | Q(stopped_on__gte=models.F("started_on")),
                name="enrolment_stop_not_before_start",
                violation_error_message=_("The stop date cannot be before the start."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.track} ({self.ib_id})"

    def clean(self) -> None:
        if self.stopped_on and self.started_on and self.stopped_on < self.started_on:
            raise ValidationError({"stopped_on": _("The stop date cannot be before the start.")})


class RepaymentAgreement(models.Model):
    """The IB's agreement to the board's repayment scheme of a paid track, as it read then."""

    enrolment = models.OneToOneField(
        TrackEnrolment, on_delete=models.CASCADE, related_name="agreement"
    )
    repayment_percentages = models.CharField(
        _("repayment per year after completion (%)"),
        max_length=100,
        blank=True,
        validators=[percentages_validator],
    )
    early_stop_percentage = models.DecimalField(
        _("repayment when stopping early (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    agreed_on = models.DateField(_("agreed on"))
    created_at = models.DateTimeField(auto_now_add=True)

    history = tracked()

    class Meta:
        verbose_name = _("repayment agreement")
        verbose_name_plural = _("repayment agreements")

    def __str__(self) -> str:
        return f"{self.enrolment} {self.agreed_on:%d-%m-%Y}"

    @property
    def percentages(self) -> list[Decimal]:
        return parse_percentages(self.repayment_percentages)
