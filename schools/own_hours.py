"""Hours that belong to the person: the CAO's individual hours for sustainable employability
(more for starters and older staff) and study leave, reserved per IB appointment on top of the
board's reserved hours per fte (``Board.reserved_hours_per_fte``).

Board staff enter them per appointment, for one or more school years; every package of the
appointment in such a year shows each line with its label and has that many fewer hours for
tasks. An appointment over several schools carries the hours at each school in proportion to
its share of the fte (0.5 + 0.3 fte: five eighths at the first school).

Imported at the end of ``schools.models`` so Django registers the model with this app.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext_lazy as _

from core.validators import MaxValueValidator, MinValueValidator
from core.versioning import Versioned

# Imported at the end of schools.models: these names exist by then.
from .models import Appointment, AppointmentShare, Scope, ScopedQuerySet, tracked

ONE_PLACE = Decimal("0.1")


class OwnHoursQuerySet(ScopedQuerySet):
    def scope_condition(self, scope: Scope) -> Q | None:
        # Through the appointment: whoever sees the appointment sees its own hours.
        return Q(appointment__in=Appointment.objects.for_scope(scope))

    def in_year(self, start_year: int) -> OwnHoursQuerySet:
        return self.filter(start_year__lte=start_year, end_year__gte=start_year)


class OwnHoursManager(models.Manager.from_queryset(OwnHoursQuerySet)):
    """Every row comes with its appointment's total fte (one subquery), which divides the
    hours over the appointment's schools without a query per package."""

    def get_queryset(self) -> OwnHoursQuerySet:
        total = (
            AppointmentShare.objects.filter(appointment=OuterRef("appointment"))
            .values("appointment")
            .annotate(total=Sum("fte"))
            .values("total")
        )
        field = DecimalField(max_digits=7, decimal_places=4)
        return super().get_queryset().annotate(appointment_fte=Subquery(total, output_field=field))


class OwnHours(Versioned):
    """Hours of one IB appointment kept apart for the person in one or more school years."""

    class Kind(models.TextChoices):
        SUSTAINABLE = "duurzame_inzetbaarheid", _("Sustainable employability (individual)")
        STUDY_LEAVE = "studieverlof", _("Study leave")

    appointment = models.ForeignKey(
        Appointment,
        verbose_name=_("appointment"),
        on_delete=models.CASCADE,
        related_name="own_hours",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    label = models.CharField(
        _("label"),
        max_length=120,
        help_text=_("Shown in the budget, e.g. 'starter, first year' or 'older staff (57+)'."),
    )
    hours = models.DecimalField(
        _("hours per school year"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("1659"))],
        help_text=_("For the whole appointment; an appointment at several schools shares them."),
    )
    start_year = models.PositiveSmallIntegerField(
        _("from school year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    end_year = models.PositiveSmallIntegerField(
        _("until school year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )

    objects = OwnHoursManager()
    history = tracked()

    class Meta:
        ordering = ["start_year", "kind", "id"]
        verbose_name = _("own hours")
        verbose_name_plural = _("own hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")),
                name="own_hours_end_not_before_start",
                violation_error_message=_("The last school year cannot be before the first."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.label} ({self.hours} h)"

    def clean(self) -> None:
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError(
                {"end_year": _("The last school year cannot be before the first.")}
            )

    def applies_to(self, start_year: int) -> bool:
        return self.start_year <= start_year <= self.end_year

    def share_of(self, fte: Decimal) -> Decimal:
        """The hours at a school where the appointment has ``fte`` (pro rata the total)."""
        total = getattr(self, "appointment_fte", None)
        if total is None:
            total = self.appointment.shares.aggregate(total=Sum("fte"))["total"]
        if not total:
            return Decimal("0")
        if fte >= total:
            return self.hours
        return (self.hours * fte / total).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class OwnHoursLine:
    """One line of a package's budget: the person's own hours at that school."""

    kind: str
    label: str
    hours: Decimal  # this school's part
    total_hours: Decimal  # of the whole appointment

    @property
    def is_shared(self) -> bool:
        return self.hours != self.total_hours


def own_hours_lines(rows, start_year: int, fte: Decimal) -> list[OwnHoursLine]:
    """The budget lines of a share with ``fte`` in a school year, from the appointment's rows
    (prefetched or not)."""
    return [
        OwnHoursLine(
            kind=row.get_kind_display(),
            label=row.label,
            hours=row.share_of(fte),
            total_hours=row.hours,
        )
        for row in rows
        if row.applies_to(start_year)
    ]


def own_hours_prefetch(lookup: str) -> models.Prefetch:
    """Prefetch the own hours of the appointments at ``lookup`` (e.g.
    ``"appointment__own_hours"``) in one query. With a queryset of its own, Django filters it
    per appointment it fills; without one it asks the manager for a new queryset for every
    appointment, each building the total-fte subquery again (a third of the director's to-do
    went there)."""
    return models.Prefetch(lookup, queryset=OwnHours.objects.all())
