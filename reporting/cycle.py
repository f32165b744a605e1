"""The board's figures of the year as a cycle (issue 14, "Board figures"): per school and for
the board, this school year beside the previous one,

- planned against realised hours, per LBBO domain and in total;
- whether the year-end evaluation took place, and the share of werkplan goals achieved;
- how often the package was discussed in the school year: submissions to the IB, returns by
  the IB, and evaluation conversations held.

The rules, in one place:

- **Planned** are the items of each package's newest agreed version; **realised** what the IB
  recorded (``tasks.realisation``). A package counts at its latest moment with lines: the year
  end, else the mid-year moment, where (as on the package page, ``share_due``) only the part of
  the plan due by then counts. Planned and realised both cover only packages whose realisation
  was recorded, so a school whose IB recorded nothing shows no figures rather than 0 hours.
  As on the package page (``tasks.realisation.compare``), only the tasks the IB recorded at
  that moment count, the part due rounded per package and domain: a task left empty is not
  "under the plan", and a domain without a recorded task shows a dash, not 0 hours.
- **Evaluation held**: the package's evaluation is closed (``Evaluation.closed_at``: the record
  of the evaluation conversation closes the year), out of the year's packages with an agreed
  version. **Goals achieved**: goals rated "achieved" out of the rated goals of closed
  evaluations; "partly" and "not" are counted beside it. Without a closed evaluation the share
  is empty, not 0%.
- **Discussions** in a school year (1 August to 31 July): package events "submitted to the IB"
  and "returned by the IB" dated in it, of any package of the school (next year's package is
  often discussed before the summer), and evaluation conversations held (``held_on``) in it.

Who reads this: board staff of the board, through ``reporting.views.comparison_board`` and
``board_schools`` like the comparison (directors and IBs of the board 403, other boards 404).
**Partnership staff never:** realisation and evaluation are not part of what a board shares
with its partnership (the partnership reads agreed packages and task letters only, issue 14),
so there is no partnership view of these figures and the board's URL is 404 for them.

Every function here runs a fixed number of queries, whatever the number of schools.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schools.figures import ONE_PLACE, ZERO, percentage
from schools.models import AppointmentShare, School
from tasks.models import (
    Domain,
    Evaluation,
    GoalRating,
    Moment,
    Package,
    PackageEvent,
    PackageItem,
    PackageStatus,
    PackageVersion,
    Realisation,
    RealisationLine,
    item_key_sql,
)
from tasks.realisation import is_far_off, share_due

from .charts import BAR_LEFT, BAR_WIDTH, Chart, ChartBar, Layout, Segment, Tick, _n, _short
from .comparison import Column, as_hours, in_partnership

# ---------------------------------------------------------------------------
# Row objects
# ---------------------------------------------------------------------------


@dataclass
class YearFigures:
    """One school, or the board, in one school year."""

    start_year: int
    agreed: int = 0  # packages with an agreed version
    recorded: int = 0  # of those, packages with realisation recorded
    at_mid_year: int = 0  # of those, read at the mid-year moment (no year end yet)
    planned: dict[int, Decimal] = field(default_factory=dict)  # domain pk -> plan due
    realised: dict[int, Decimal] = field(default_factory=dict)  # domain pk -> realised
    evaluated: int = 0  # closed evaluations of the year's packages
    achieved: int = 0
    partly: int = 0
    not_achieved: int = 0
    submitted: int = 0
    returned: int = 0
    conversations: int = 0

    @property
    def name(self) -> str:
        return f"{self.start_year}-{self.start_year + 1}"

    @property
    def planned_hours(self) -> Decimal | None:
        return sum(self.planned.values(), ZERO) if self.recorded else None

    @property
    def realised_hours(self) -> Decimal | None:
        return sum(self.realised.values(), ZERO) if self.recorded else None

    @property
    def realised_percentage(self) -> Decimal | None:
        if not self.recorded:
            return None
        return percentage(self.realised_hours, self.planned_hours)

    @property
    def far_off(self) -> bool:
        return bool(self.recorded) and is_far_off(self.planned_hours, self.realised_hours)

    def planned_in(self, domain_pk: int) -> Decimal | None:
        """None (shown as a dash) where no task of the domain was recorded."""
        return self.planned.get(domain_pk)

    def realised_in(self, domain_pk: int) -> Decimal | None:
        return self.realised.get(domain_pk)

    @property
    def rated(self) -> int:
        return self.achieved + self.partly + self.not_achieved

    @property
    def achieved_percentage(self) -> Decimal | None:
        return percentage(Decimal(self.achieved), Decimal(self.rated)) if self.rated else None

    @property
    def discussions(self) -> int:
        return self.submitted + self.returned + self.conversations

    @property
    def moment_label(self) -> str:
        if not self.recorded:
            return ""
        return str((Moment.MID if self.at_mid_year else Moment.END).label)

    def add(self, other: YearFigures) -> None:
        """Add a school's figures to the board's."""
        self.agreed += other.agreed
        self.recorded += other.recorded
        self.at_mid_year += other.at_mid_year
        self.evaluated += other.evaluated
        self.achieved += other.achieved
        self.partly += other.partly
        self.not_achieved += other.not_achieved
        self.submitted += other.submitted
        self.returned += other.returned
        self.conversations += other.conversations
        for mine, theirs in ((self.planned, other.planned), (self.realised, other.realised)):
            for domain_pk, hours in theirs.items():
                mine[domain_pk] = mine.get(domain_pk, ZERO) + hours


@dataclass
class CycleRow:
    """A school (``school`` None: the board's total) this year and the year before."""

    school: School | None
    current: YearFigures
    previous: YearFigures


# ---------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------


def year_start(start_year: int) -> datetime.datetime:
    """1 August of ``start_year`` at midnight in the site's time zone."""
    return timezone.make_aware(datetime.datetime(start_year, 8, 1))


def cycle_rows(schools: Iterable[School], start_year: int) -> tuple[list[CycleRow], CycleRow]:
    """One row per school (in the given order) and the board's total, for ``start_year`` and
    the year before. ``schools`` are loaded with their board (for its realisation moments).

    Five queries, each by a list of ids on the foreign key's column (PostgreSQL then reads
    indexes instead of scanning every package or goal): the schools' IB shares; their
    packages, each with its newest agreed version; realised hours per package, moment and
    domain together with the newest versions' planned hours per domain of the tasks recorded
    at each moment; the evaluations of the shares' packages with their goals counted per
    rating; submissions and returns per package, kind and school year.
    """
    schools = list(schools)
    years = [start_year, start_year - 1]
    figures = {
        (school.pk, year): YearFigures(start_year=year) for school in schools for year in years
    }
    board_of = {school.pk: school.board for school in schools}

    school_of_share = dict(
        AppointmentShare.objects.filter(school_id__in=[school.pk for school in schools])
        .values_list("pk", "school_id")
        .order_by()
    )
    shares = list(school_of_share)
    # Every package of these shares (a few per share): events and evaluations are read by
    # share and dated, and next year's package is often discussed before the summer. Each
    # with its newest agreed version (the unique index on package and number answers it).
    newest_agreed = (
        PackageVersion.objects.filter(package=OuterRef("pk"), status=PackageStatus.AGREED)
        .order_by("-number")
        .values("pk")[:1]
    )
    package_of: dict[int, tuple[int, int]] = {}
    version_of: dict[int, int] = {}  # the two years' newest agreed versions -> their package
    for package_id, share_id, year, version_id in (
        Package.objects.filter(share_id__in=shares)
        .annotate(agreed_version=Subquery(newest_agreed))
        .values_list("pk", "share_id", "school_year__start_year", "agreed_version")
        .order_by()
    ):
        package_of[package_id] = (school_of_share[share_id], year)
        if version_id is not None and year in years:
            version_of[version_id] = package_id
    newest = list(version_of.values())  # the two years' packages with an agreed version

    # Realised per package, moment and domain (only agreed packages have realisation) and,
    # as on the package page (``tasks.realisation.compare``), planned: the tasks the IB
    # recorded at the package's latest moment, the part due rounded per package and domain.
    realised, planned = recorded_hours(version_of)

    for package_id in newest:
        school_id, year = package_of[package_id]
        row = figures[(school_id, year)]
        row.agreed += 1
        moments = realised.get(package_id, {})
        moment = Moment.END if Moment.END in moments else Moment.MID
        if moment not in moments:
            continue
        row.recorded += 1
        row.at_mid_year += moment == Moment.MID
        share = share_due(board_of[school_id], year, moment)
        for domain_id, hours in moments[moment].items():
            row.realised[domain_id] = row.realised.get(domain_id, ZERO) + hours
            row.planned.setdefault(domain_id, ZERO)  # a task recorded but no longer planned
        for domain_id, hours in planned.get((package_id, moment), {}).items():
            due = (hours * share).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)
            row.planned[domain_id] = row.planned.get(domain_id, ZERO) + due

    # Evaluations: closed ones count for their package's year; the conversation for the
    # school year it was held in.
    first_day = datetime.date(start_year - 1, 8, 1)
    split_day = datetime.date(start_year, 8, 1)
    last_day = datetime.date(start_year + 1, 7, 31)
    # With the goals counted per rating (used for the closed ones): one query.
    for package_id, closed_at, held_on, rated, achieved, partly in (
        Evaluation.objects.filter(package__share_id__in=shares)
        .annotate(
            rated=Count("goals", filter=Q(goals__rating__gt="")),
            achieved=Count("goals", filter=Q(goals__rating=GoalRating.ACHIEVED)),
            partly=Count("goals", filter=Q(goals__rating=GoalRating.PARTLY)),
        )
        .values_list("package_id", "closed_at", "held_on", "rated", "achieved", "partly")
        .order_by()
    ):
        school_id, year = package_of[package_id]
        if closed_at is not None and (school_id, year) in figures:
            row = figures[(school_id, year)]
            row.evaluated += 1
            row.achieved += achieved
            row.partly += partly
            row.not_achieved += rated - achieved - partly
        if held_on is not None and first_day <= held_on <= last_day:
            held_in = start_year if held_on >= split_day else start_year - 1
            figures[(school_id, held_in)].conversations += 1

    # Submissions and returns, by the school year they fall in.
    split = year_start(start_year)
    for package_id, kind, year, count in (
        PackageEvent.objects.filter(
            package__share_id__in=shares,
            kind__in=[PackageEvent.Kind.SUBMITTED, PackageEvent.Kind.RETURNED],
            at__gte=year_start(start_year - 1),
            at__lt=year_start(start_year + 1),
        )
        .annotate(
            year=Case(
                When(at__gte=split, then=Value(start_year)),
                default=Value(start_year - 1),
                output_field=IntegerField(),
            )
        )
        .values("package_id", "kind", "year")
        .annotate(n=Count("id"))
        .values_list("package_id", "kind", "year", "n")
        .order_by()
    ):
        row = figures[(package_of[package_id][0], year)]
        if kind == PackageEvent.Kind.SUBMITTED:
            row.submitted += count
        else:
            row.returned += count

    rows = [
        CycleRow(school, figures[(school.pk, years[0])], figures[(school.pk, years[1])])
        for school in schools
    ]
    return rows, total_of(rows, start_year)


def recorded_hours(
    versions: dict[int, int],
) -> tuple[dict[int, dict[str, dict[int, Decimal]]], dict[tuple[int, str], dict[int, Decimal]]]:
    """What the IB recorded for the packages of ``versions`` (version id -> package id), in one
    query: the realised hours per package, moment and domain; and per package and moment, per
    domain, the planned hours of the tasks of the package's version that the IB recorded at
    that moment.

    Plain SQL (SQLite and PostgreSQL): the task's key (``PackageItem.key``, as SQL by
    ``item_key_sql``) is matched in the join, where the ORM's correlated ``EXISTS`` per item
    took ten times as long on the national data; the realised sums come along in the same
    statement (``UNION ALL``), one round trip and no ORM query to build with the ids.
    """
    if not versions:
        return {}, {}
    item = PackageItem._meta.db_table
    version = PackageVersion._meta.db_table
    sheet = Realisation._meta.db_table
    line = RealisationLine._meta.db_table
    places = ", ".join(["%s"] * len(versions))
    sql = (
        f"SELECT 0, r.package_id, r.moment, l.domain_id, SUM(l.hours) "
        f"FROM {sheet} r "
        f"JOIN {line} l ON l.realisation_id = r.id "
        f"WHERE r.package_id IN ({places}) "
        f"GROUP BY r.package_id, r.moment, l.domain_id "
        f"UNION ALL "
        f"SELECT 1, r.package_id, r.moment, i.domain_id, SUM(i.hours) "
        f"FROM {sheet} r "
        f"JOIN {version} v ON v.package_id = r.package_id "
        f"JOIN {item} i ON i.version_id = v.id "
        f"JOIN {line} l ON l.realisation_id = r.id AND l.key = {item_key_sql('i')} "
        f"WHERE r.package_id IN ({places}) AND v.id IN ({places}) "
        f"GROUP BY r.package_id, r.moment, i.domain_id"
    )
    packages = list(versions.values())
    with connection.cursor() as cursor:
        cursor.execute(sql, [*packages, *packages, *versions])
        rows = cursor.fetchall()
    realised: dict[int, dict[str, dict[int, Decimal]]] = {}
    planned: dict[tuple[int, str], dict[int, Decimal]] = {}
    for is_plan, package_id, moment, domain_id, hours in rows:
        if is_plan:
            planned.setdefault((package_id, moment), {})[domain_id] = as_hours(hours)
        else:
            realised.setdefault(package_id, {}).setdefault(moment, {})[domain_id] = as_hours(hours)
    return realised, planned


# ---------------------------------------------------------------------------
# Filters
# ---------------------------------------------------------------------------

# The state of a school's year, as the cycle's filter offers it (keys in the URL, in Dutch).
STATES = {
    "geen-realisatie": gettext_lazy("no realisation recorded"),
    "ver-van-plan": gettext_lazy("total far off the plan"),
    "geen-evaluatie": gettext_lazy("year-end evaluation not held"),
}


def filter_cycle_rows(
    rows: list[CycleRow], *, partnership: str = "", state: str = ""
) -> list[CycleRow]:
    """Filter on the school's partnership (a pk or ``NO_PARTNERSHIP``) and on the state of
    the selected year (a key of ``STATES``): nothing recorded, realised far off the plan, or
    an agreed package whose year-end evaluation was not closed."""
    rows = in_partnership(rows, partnership)
    if state == "geen-realisatie":
        rows = [row for row in rows if not row.current.recorded]
    elif state == "ver-van-plan":
        rows = [row for row in rows if row.current.far_off]
    elif state == "geen-evaluatie":
        rows = [row for row in rows if row.current.evaluated < row.current.agreed]
    return rows


def total_of(rows: list[CycleRow], start_year: int) -> CycleRow:
    """The board's total of the given rows."""
    total = CycleRow(None, YearFigures(start_year=start_year), YearFigures(start_year - 1))
    for row in rows:
        total.current.add(row.current)
        total.previous.add(row.previous)
    return total


# ---------------------------------------------------------------------------
# Columns of the exports (the page's table is written by ``cycle_tags``)
# ---------------------------------------------------------------------------


def cycle_columns(domains: list[Domain], start_year: int) -> list[Column]:
    """Every figure of both years, this year first: the CSV and XLSX exports.

    ``Column.value`` gets a ``CycleRow``; the totals row is a ``CycleRow`` too, so ``total``
    reads it the same way."""
    columns = [
        Column(
            "school",
            _("School"),
            "text",
            lambda row: row.school.name,
            lambda total: _("Board total"),
        ),
        Column("brin", _("BRIN"), "text", lambda row: row.school.code),
    ]
    for year, label in ((start_year, "current"), (start_year - 1, "previous")):
        columns += year_columns(domains, year, lambda row, label=label: getattr(row, label))
    return columns


def year_columns(
    domains: list[Domain], year: int, of: Callable[[CycleRow], YearFigures]
) -> list[Column]:
    name = f"{year}-{year + 1}"

    def column(key: str, label: str, kind: str, value: Callable[[YearFigures], object]) -> Column:
        return Column(
            f"{key}-{year}",
            f"{label} {name}",
            kind,
            lambda row: value(of(row)),
            lambda total: value(of(total)),
        )

    columns = [
        column("gepland", _("Planned hours"), "one", lambda y: y.planned_hours),
        column("gerealiseerd", _("Realised hours"), "one", lambda y: y.realised_hours),
        column(
            "procent", _("Realised against plan (percent)"), "one", lambda y: y.realised_percentage
        ),
        column("moment", _("Realisation read at"), "text", lambda y: y.moment_label),
    ]
    for domain in domains:
        columns += [
            column(
                f"gepland-{domain.code}",
                _("Planned hours, %(domain)s") % {"domain": domain.name},
                "one",
                lambda y, pk=domain.pk: y.planned_in(pk),
            ),
            column(
                f"gerealiseerd-{domain.code}",
                _("Realised hours, %(domain)s") % {"domain": domain.name},
                "one",
                lambda y, pk=domain.pk: y.realised_in(pk),
            ),
        ]
    columns += [
        column("akkoord", _("Agreed packages"), "int", lambda y: y.agreed),
        column("evaluaties", _("Year-end evaluations held"), "int", lambda y: y.evaluated),
        column("behaald", _("Goals achieved"), "int", lambda y: y.achieved),
        column("deels", _("Goals partly achieved"), "int", lambda y: y.partly),
        column("niet", _("Goals not achieved"), "int", lambda y: y.not_achieved),
        column(
            "behaald-procent",
            _("Goals achieved of rated (percent)"),
            "one",
            lambda y: y.achieved_percentage,
        ),
        column("voorgelegd", _("Submissions to the IB"), "int", lambda y: y.submitted),
        column("teruggestuurd", _("Returns by the IB"), "int", lambda y: y.returned),
        column("gesprekken", _("Evaluation conversations"), "int", lambda y: y.conversations),
        column("besprekingen", _("Discussions in total"), "int", lambda y: y.discussions),
    ]
    return columns


def cycle_export_table(
    rows: list[CycleRow], total: CycleRow, columns: list[Column]
) -> tuple[list[str], list[list[object]]]:
    header = [column.label for column in columns]
    body = [[column.value(row) for column in columns] for row in rows]
    body.append([column.total(total) for column in columns])
    return header, body


# ---------------------------------------------------------------------------
# Charts: realised hours as bars, the plan as a marker (as the fte chart draws the norm)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanBar:
    label: str
    planned: Decimal | None
    realised: Decimal | None


def plan_chart(items: list[PlanBar]) -> Chart:
    """A bar of realised hours per item, a marker at the plan (due); colour: far below the
    plan, far above it, or near it (``tasks.realisation.is_far_off``), in the fte chart's
    colours (short, over, within); no bar but a text where nothing was recorded."""
    values = [v for item in items for v in (item.planned, item.realised) if v is not None]
    top = max(values + [Decimal("1")])
    scale = nice_scale(top)

    def x_of(value: Decimal) -> float:
        return BAR_LEFT + float(value / scale) * BAR_WIDTH

    layout = Layout(len(items))
    separator = get_format("DECIMAL_SEPARATOR")
    not_recorded = _("not recorded")
    bars = []
    for index, item in enumerate(items):
        y, text_y = layout.at(index)
        if item.realised is None or item.planned is None:
            bars.append(
                ChartBar(
                    label=_short(item.label),
                    y=_n(y),
                    text_y=_n(text_y),
                    segments=[],
                    value_x=_n(BAR_LEFT + 4),
                    value_text=not_recorded,
                )
            )
            continue
        if is_far_off(item.planned, item.realised):
            css = "chart-fte-short" if item.realised < item.planned else "chart-fte-over"
        else:
            css = "chart-fte-ok"
        end = max(x_of(item.realised), x_of(item.planned))
        bars.append(
            ChartBar(
                label=_short(item.label),
                y=_n(y),
                text_y=_n(text_y),
                segments=[Segment(_n(BAR_LEFT), _n(x_of(item.realised) - BAR_LEFT), css)],
                marker_x=_n(x_of(item.planned) - 1),
                marker_y=_n(y - 3),
                value_x=_n(end + 6),
                # In the table's order: planned, then realised.
                value_text=(
                    f"{hours_text(item.planned, separator)} / "
                    f"{hours_text(item.realised, separator)}"
                ),
            )
        )
    places = 0 if scale >= 8 else 1  # whole hours, unless the quarters are not whole
    ticks = [
        Tick(_n(x_of(scale * step / 4)), hours_text(scale * step / 4, separator, places))
        for step in range(5)
    ]
    return layout.chart(
        bars,
        ticks,
        [
            ("chart-fte-ok", _("near the plan")),
            ("chart-fte-short", _("far below the plan")),
            ("chart-fte-over", _("far above the plan")),
            ("chart-norm", _("plan")),
        ],
    )


def nice_scale(top: Decimal) -> Decimal:
    """The end of the scale: the next 1, 2 or 5 times a power of ten above ``top``, so the
    quarter ticks are round enough to read."""
    magnitude = Decimal(10) ** (len(str(int(top))) - 1)
    for step in (1, 2, 4, 5, 8, 10):
        if top <= step * magnitude:
            return Decimal(step) * magnitude
    return 10 * magnitude


def hours_text(value: Decimal, separator: str, places: int = 1) -> str:
    text = f"{value:.{places}f}"
    return text.replace(".", separator) if places else text


def domain_chart(total: CycleRow, domains: list[Domain]) -> Chart:
    """The board's planned against realised hours per domain, this year and the year before."""
    items = []
    for domain in domains:
        for year in (total.current, total.previous):
            items.append(
                PlanBar(
                    f"{domain.older_name or domain.name} {year.name}".capitalize(),
                    year.planned_in(domain.pk),
                    year.realised_in(domain.pk),
                )
            )
    return plan_chart(items)


def school_chart(rows: list[CycleRow]) -> Chart:
    """Each school's planned against realised hours this year."""
    return plan_chart(
        [
            PlanBar(row.school.name, row.current.planned_hours, row.current.realised_hours)
            for row in rows
        ]
    )


def has_any(total: CycleRow) -> dict[str, bool]:
    """What the two years hold at all: the page says so instead of showing zeros."""
    years = (total.current, total.previous)
    return {
        "realisation": any(year.recorded for year in years),
        "evaluation": any(year.evaluated for year in years),
        "realisation_now": bool(total.current.recorded),
        "evaluation_now": bool(total.current.evaluated),
    }
