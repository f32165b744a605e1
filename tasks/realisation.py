"""Realisation: the hours an IB really spent per task, recorded at the board's two moments.

The rules, in one place:

- It belongs to an agreed package of the current or an earlier school year: the tasks are
  those of the newest agreed version. It is kept per package and task (``PackageItem.key``),
  not per version, so a package that is reopened and agreed again keeps what was recorded for
  the same task; a task removed later keeps its record, shown as "no longer in the package".
- The hours are those realised since the start of the school year, an estimate is fine; 0 is
  a real answer (not done), an empty field means not recorded.
- The IB of the package records it, from the moment's date (``Board.realisation_*``) until
  ``GRACE_END`` after the school year (31 October: the summer holiday and the first weeks of
  the next year to catch up). The director and board staff read it.
- Planned against realised: at the mid-year moment the plan counts pro rata to the part of the
  school year passed at that date (half on 1 February), at the year end in full. A difference
  counts as large when it is more than ``SIGNAL_SHARE`` (25%) of that plan **and** more than
  ``SIGNAL_HOURS`` (5) hours: small tasks do not flag on an hour or two, big ones do not hide
  a week.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.versioning import StaleEdit, claim_version
from schools.models import SchoolYear

from .models import (
    Domain,
    Moment,
    Package,
    PackageItem,
    PackageStatus,
    PackageVersion,
    Realisation,
    RealisationLine,
)

SIGNAL_SHARE = Decimal("0.25")
SIGNAL_HOURS = Decimal("5")
# Recording stays open until this day-month after the school year ends (31 July).
GRACE_END = (10, 31)
MOMENTS = [Moment.MID, Moment.END]
BOARD_KEYS = {Moment.MID: "mid", Moment.END: "end"}


# ---------------------------------------------------------------------------
# when and who
# ---------------------------------------------------------------------------


def moment_dates(package: Package) -> dict[str, datetime.date]:
    """{moment: date} of the package's school year under its board's policy."""
    dates = package.board.realisation_dates(package.school_year.start_year)
    return {moment: dates[BOARD_KEYS[moment]] for moment in MOMENTS}


def record_until(school_year: SchoolYear) -> datetime.date:
    return grace_end(school_year.start_year)


def grace_end(start_year: int) -> datetime.date:
    """The last day anything of the school year of ``start_year`` is recorded: its
    realisation and its year-end evaluation (31 October after the year)."""
    month, day = GRACE_END
    return datetime.date(start_year + 1, month, day)


def agreed_version(versions: Iterable[PackageVersion]) -> PackageVersion | None:
    """The newest agreed version (a reopened package's draft does not count yet)."""
    agreed = [v for v in versions if v.status == PackageStatus.AGREED]
    return max(agreed, key=lambda v: v.number) if agreed else None


def can_record(package: Package, user) -> bool:
    """Only the IB of the package records its realisation."""
    return package.share.appointment.ib_id == user.pk


def closed_reason(
    package: Package, moment: str, agreed: PackageVersion | None, today: datetime.date
) -> str:
    """Why the realisation of ``moment`` cannot be recorded on ``today`` ("" when it can)."""
    if agreed is None:
        return _("Realisation is recorded once the package has been agreed.")
    opens = moment_dates(package)[moment]
    if today < opens:
        return _("This moment opens on %(date)s.") % {"date": date_format(opens)}
    until = record_until(package.school_year)
    if today > until:
        return _("Recording closed on %(date)s, three months after the school year.") % {
            "date": date_format(until)
        }
    return ""


# ---------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LineValues:
    """What the sheet holds for one task: realised hours (None: not recorded) and a note."""

    hours: Decimal | None
    note: str


def realisation_save(
    *,
    package: Package,
    moment: str,
    actor,
    lock_version: int | None,
    values: Mapping[str, LineValues],
    today: datetime.date | None = None,
) -> int:
    """Save the realisation sheet of one moment: ``values`` by task key. Returns how many
    tasks changed. ``lock_version`` is the version of the realisation the page showed (None:
    there was none yet); a stale page raises ``StaleEdit`` and nothing is written."""
    if not can_record(package, actor):
        raise PermissionDenied(_("Only the IB of this package records its realisation."))
    if moment not in MOMENTS:
        raise ValidationError(_("There is no such moment."))
    agreed = agreed_version(package.versions.all())
    reason = closed_reason(package, moment, agreed, today or timezone.localdate())
    if reason:
        raise ValidationError(reason)
    items = {item.key: item for item in agreed.items.all()}
    if set(values) - set(items):
        raise ValidationError(_("A task is no longer in the agreed package; reload the page."))
    errors = {
        key: [_("Give the realised hours with the comment.")]
        for key, value in values.items()
        if value.hours is None and value.note.strip()
    }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        realisation = Realisation.objects.filter(package=package, moment=moment).first()
        claim_version(realisation, lock_version)
        if realisation is None:
            if not any(value.hours is not None for value in values.values()):
                return 0
            try:
                with transaction.atomic():
                    realisation = Realisation.objects.create(
                        package=package, moment=moment, recorded_by=actor
                    )
            except IntegrityError:  # made by another save since the page was loaded
                raise StaleEdit() from None
        saved = {line.key: line for line in realisation.lines.all()}
        changed = 0
        for key, value in values.items():
            line = saved.get(key)
            if value.hours is None:
                if line is not None:
                    line.delete()
                    changed += 1
                continue
            note = value.note.strip()
            if line is not None and (line.hours, line.note) == (value.hours, note):
                continue
            item = items[key]
            line = line or RealisationLine(realisation=realisation, key=key)
            line.title, line.domain_id = item.title, item.domain_id
            line.hours, line.note = value.hours, note
            line.full_clean(exclude=["realisation", "domain"])
            line.save()
            changed += 1
        if changed:
            realisation.recorded_by = actor
            realisation.save()
        return changed


# ---------------------------------------------------------------------------
# reading: planned against realised
# ---------------------------------------------------------------------------


def expected_share(package: Package, moment: str) -> Decimal:
    """The part of the yearly plan that is due at a moment: all of it at the year end, pro
    rata to the days of the school year passed at the mid-year moment."""
    return share_due(package.board, package.school_year.start_year, moment)


def share_due(board, start_year: int, moment: str) -> Decimal:
    """``expected_share`` for a board and school year, without a package (the board's
    figures read many packages of one board and year at once)."""
    if moment == Moment.END:
        return Decimal("1")
    year = SchoolYear(start_year=start_year)
    day = board.realisation_dates(start_year)[BOARD_KEYS[moment]]
    days = (day - year.start_date).days
    total = (year.end_date - year.start_date).days + 1
    return (Decimal(days) / Decimal(total)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def is_far_off(expected: Decimal, realised: Decimal) -> bool:
    difference = abs(realised - expected)
    return difference > SIGNAL_HOURS and difference > expected * SIGNAL_SHARE


@dataclass
class Figures:
    """Planned and realised hours of one task, one domain or the whole package."""

    planned: Decimal = Decimal("0")
    realised: dict[str, Decimal | None] = field(default_factory=dict)
    expected: Decimal | None = None  # the plan due at the latest moment
    latest: Decimal | None = None  # realised at the latest moment

    @property
    def difference(self) -> Decimal | None:
        if self.latest is None or self.expected is None:
            return None
        return self.latest - self.expected

    @property
    def far_off(self) -> bool:
        return self.difference is not None and is_far_off(self.expected, self.latest)

    def by_moment(self) -> list[Decimal | None]:
        return [self.realised.get(moment) for moment in MOMENTS]


@dataclass
class TaskRow:
    key: str
    title: str
    domain_id: int
    in_package: bool
    figures: Figures
    note: str = ""


@dataclass
class DomainBlock:
    domain: Domain
    figures: Figures
    rows: list[TaskRow]


@dataclass
class Comparison:
    """Planned against realised per task and per domain, at the latest recorded moment."""

    latest: str | None
    share: Decimal  # of the plan due at the latest moment
    domains: list[DomainBlock]
    total: Figures

    @property
    def latest_label(self) -> str:
        return Moment(self.latest).label if self.latest else ""

    @property
    def far_off_rows(self) -> list[TaskRow]:
        return [row for block in self.domains for row in block.rows if row.figures.far_off]


def compare(
    package: Package,
    items: Iterable[PackageItem],
    lines: Iterable[RealisationLine],
    domains: list[Domain],
) -> Comparison:
    """Planned (the agreed version's ``items``) against the recorded ``lines`` (each with its
    realisation loaded). Rows: every planned task, then tasks recorded but no longer planned."""
    lines = list(lines)
    by_key: dict[str, dict[str, RealisationLine]] = {}
    for line in lines:
        by_key.setdefault(line.key, {})[line.realisation.moment] = line
    recorded = {line.realisation.moment for line in lines}
    latest = next((m for m in reversed(MOMENTS) if m in recorded), None)
    share = expected_share(package, latest) if latest else Decimal("1")
    rows = []
    for item in items:
        rows.append(TaskRow(item.key, item.title, item.domain_id, True, Figures(item.hours)))
    planned_keys = {row.key for row in rows}
    for key, moments in by_key.items():
        if key not in planned_keys:
            any_line = moments.get(Moment.END) or moments[Moment.MID]
            rows.append(TaskRow(key, any_line.title, any_line.domain_id, False, Figures()))
    for row in rows:
        moments = by_key.get(row.key, {})
        row.figures.realised = {m: line.hours for m, line in moments.items()}
        if latest:
            row.figures.expected = (row.figures.planned * share).quantize(
                Decimal("0.1"), ROUND_HALF_UP
            )
            row.figures.latest = row.figures.realised.get(latest)
            note_line = moments.get(latest)
            row.note = note_line.note if note_line else ""
    blocks = []
    total = Figures()
    for domain in domains:
        domain_rows = [row for row in rows if row.domain_id == domain.pk]
        figures = sum_figures(domain_rows, latest, share)
        blocks.append(DomainBlock(domain, figures, domain_rows))
    total = sum_figures(rows, latest, share)
    if total.expected is not None:
        # The domains' due parts added up, so that the total is the sum of the lines above it.
        total.expected = sum(
            (block.figures.expected for block in blocks if block.figures.expected is not None),
            Decimal("0"),
        )
    return Comparison(latest=latest, share=share, domains=blocks, total=total)


def sum_figures(rows: list[TaskRow], latest: str | None, share: Decimal) -> Figures:
    """The figures of several rows; at the latest moment only the tasks recorded then count
    (a task the IB has not recorded yet is not "under the plan"), their plan due rounded once,
    as the board's year cycle (``reporting.cycle``) counts it."""
    planned = sum((row.figures.planned for row in rows), Decimal("0"))
    realised: dict[str, Decimal | None] = {}
    for moment in MOMENTS:
        values = [row.figures.realised[moment] for row in rows if moment in row.figures.realised]
        realised[moment] = sum(values, Decimal("0")) if values else None
    figures = Figures(planned=planned, realised=realised)
    recorded = [row for row in rows if latest and row.figures.latest is not None]
    if recorded:
        planned_recorded = sum((row.figures.planned for row in recorded), Decimal("0"))
        figures.expected = (planned_recorded * share).quantize(Decimal("0.1"), ROUND_HALF_UP)
        figures.latest = realised[latest]
    return figures


def package_page_context(package: Package, context: dict, user) -> dict:
    """Planned against realised for the package page: the newest agreed version's tasks (the
    items on the page when that version is shown, else one query) against every recorded line
    (one query). Nothing, and no query, before the package has been agreed."""
    agreed = agreed_version(context["versions"])
    if agreed is None:
        return {}
    shown = context["shown"]
    items = context["items"] if shown.pk == agreed.pk else list(agreed.items.all())
    lines = RealisationLine.objects.filter(realisation__package=package).select_related(
        "realisation"
    )
    comparison = compare(package, items, lines, context["domains"])
    today = timezone.localdate()
    dates = moment_dates(package)
    ib = can_record(package, user)
    return {
        "realisation": comparison,
        "realisation_moments": [
            {
                "value": moment,
                "label": Moment(moment).label,
                "date": dates[moment],
                "open": ib and not closed_reason(package, moment, agreed, today),
            }
            for moment in MOMENTS
        ],
        "realisation_version": agreed,
    }
