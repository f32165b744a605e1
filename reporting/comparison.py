"""Comparing schools: IB fte against the formation norm, hours per LBBO domain, role purity and
package status, per school and school year.

The numbers are summed in SQL (``Sum``, ``Subquery``, conditional aggregation); Python only adds
the norm (``schools.norms``), which needs the board's policy and the multi-school groups. The
figures of one school against its norm (``Figures``) are kept in ``schools.figures``. Every
function here runs a fixed number of queries, whatever the number of schools.

Every rounded number is rounded once, on the row object, so the page, the charts and the
exports show the same values.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from django.db import connection
from django.db.models import (
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.names import Person, surname_order
from schools.figures import (
    FTE_SUM,
    ONE_PLACE,
    ZERO,
    DomainShare,
    Figures,
    active_share,
    appointed_fte_subquery,
    multi_school_groups,
    norms_for,
    percentage,
    require_figures,
)
from schools.models import (
    AppointmentShare,
    Board,
    Membership,
    Partnership,
    Role,
    School,
    SchoolFigures,
    SchoolYear,
    display_name,
)
from schools.norms import FTE_PLACES
from tasks.models import (
    Domain,
    HolderRole,
    Package,
    PackageItem,
    PackageStatus,
    PackageVersion,
    TaskDivision,
    as_hours,
)

# The least advanced status first: sorting on status puts the packages that need work on top.
STATUS_ORDER = [
    PackageStatus.CONCEPT,
    PackageStatus.RETURNED,
    PackageStatus.SUBMITTED,
    PackageStatus.AGREED,
]


# The task division's roles besides the IB, in the groups the comparison shows (issue 16).
ROLE_GROUPS: dict[str, tuple[str, ...]] = {
    "director": (HolderRole.DIRECTOR,),
    "coordinators": (
        HolderRole.LANGUAGE,
        HolderRole.MATHS,
        HolderRole.BEHAVIOUR,
        HolderRole.GIFTED,
        HolderRole.EARLY_YEARS,
    ),
    "teachers": (HolderRole.TEACHERS, HolderRole.REMEDIAL),
    "support": (
        HolderRole.BEHAVIOURAL_SCIENTIST,
        HolderRole.SOCIAL_WORK,
        HolderRole.YOUTH_NURSE,
    ),
}
GROUP_OF_ROLE = {role: group for group, roles in ROLE_GROUPS.items() for role in roles}


# ---------------------------------------------------------------------------
# Row objects
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IbEntry:
    """An IB working at the school: the share here and the appointment's total."""

    name: str
    appointment_id: int
    share_fte: Decimal
    total_fte: Decimal
    below_minimum: bool


@dataclass(frozen=True)
class PartnershipRef:
    pk: int
    name: str
    code: str


@dataclass(frozen=True)
class SchoolRef:
    """What a comparison row shows of its school: plain values rather than a model instance,
    whose construction was a noticeable part of a comparison of hundreds of schools."""

    pk: int
    name: str
    code: str  # BRIN plus location code, as ``School.code``
    board: Board
    partnership: PartnershipRef | None

    @property
    def partnership_id(self) -> int | None:
        return self.partnership.pk if self.partnership else None


@dataclass
class ComparisonRow(Figures):
    school: SchoolRef | None = None
    statuses: list[str] = field(default_factory=list)
    ibs: list[IbEntry] = field(default_factory=list)
    # Hours of the school's task division per role group (ROLE_GROUPS); None: no division.
    role_hours: dict[str, Decimal] | None = None

    @property
    def other_hours(self) -> Decimal | None:
        """Care and quality hours of the roles besides the IB (None without a division)."""
        if self.role_hours is None:
            return None
        return sum(self.role_hours.values(), ZERO)

    @property
    def ib_care_percentage(self) -> Decimal | None:
        """The IB's part of all care and quality hours of the school's division."""
        if self.role_hours is None:
            return None
        return percentage(self.package_hours, self.package_hours + self.other_hours)

    def group_hours(self, group: str) -> Decimal | None:
        return None if self.role_hours is None else self.role_hours.get(group, ZERO)

    @property
    def status_labels(self) -> list[str]:
        return [str(PackageStatus(status).label) for status in self.statuses]

    @property
    def status_rank(self) -> tuple[int, ...] | None:
        if not self.statuses:
            return None
        return tuple(sorted(STATUS_ORDER.index(status) for status in self.statuses))

    @property
    def ib_names(self) -> str:
        return ", ".join(ib.name for ib in self.ibs)

    @property
    def below_minimum(self) -> bool:
        return any(ib.below_minimum for ib in self.ibs)


@dataclass
class YearRow(Figures):
    start_year: int = 0

    @property
    def name(self) -> str:
        return f"{self.start_year}-{self.start_year + 1}"


@dataclass
class Totals:
    """The totals row: sums, and percentages weighted by hours (not averages of averages)."""

    schools: int
    pupils: int
    groups: int
    appointed_fte: Decimal
    norm_fte: Decimal
    difference: Decimal
    hours_per_100_pupils: Decimal | None
    package_hours: Decimal
    domain_mix: list[DomainShare]
    not_ib_percentage: Decimal | None
    status_counts: list[tuple[str, int]]
    without_package: int
    ib_count: int
    below_minimum: int
    other_hours: Decimal | None = None
    ib_care_percentage: Decimal | None = None
    group_hours: dict[str, Decimal] = field(default_factory=dict)

    def domain_percentage(self, domain_pk: int) -> Decimal | None:
        return next((s.percentage for s in self.domain_mix if s.domain.pk == domain_pk), None)

    @property
    def status_summary(self) -> str:
        """How many schools have each status, as one line of text (for the exports)."""
        parts = [f"{PackageStatus(status).label}: {count}" for status, count in self.status_counts]
        if self.without_package:
            parts.append(f"{_('none')}: {self.without_package}")
        return ", ".join(parts)


def comparison_totals(rows: list[ComparisonRow], domains: list[Domain]) -> Totals:
    with_pupils = [row for row in rows if row.pupils]
    week_hours = sum(
        (row.appointed_fte * row.board.norm_week_hours_per_fte for row in with_pupils), ZERO
    )
    pupils_with_fte = sum(row.pupils for row in with_pupils)
    package_hours = sum((row.package_hours for row in rows), ZERO)
    domain_hours = {
        domain.pk: sum((row.domain_hours.get(domain.pk, ZERO) for row in rows), ZERO)
        for domain in domains
    }
    counts: dict[str, int] = {}
    for row in rows:
        for status in row.statuses:
            counts[status] = counts.get(status, 0) + 1
    return Totals(
        schools=len(rows),
        pupils=sum(row.pupils or 0 for row in rows),
        groups=sum(row.groups or 0 for row in rows),
        appointed_fte=sum((row.appointed_fte for row in rows), ZERO),
        norm_fte=sum((row.norm_fte for row in rows if row.norm_fte is not None), ZERO),
        difference=sum((row.difference for row in rows if row.difference is not None), ZERO),
        hours_per_100_pupils=(
            (week_hours * 100 / pupils_with_fte).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)
            if pupils_with_fte
            else None
        ),
        package_hours=package_hours,
        domain_mix=[
            DomainShare(
                domain, domain_hours[domain.pk], percentage(domain_hours[domain.pk], package_hours)
            )
            for domain in domains
        ],
        not_ib_percentage=percentage(sum((row.not_ib_hours for row in rows), ZERO), package_hours),
        status_counts=[(status, counts[status]) for status in STATUS_ORDER if status in counts],
        without_package=sum(1 for row in rows if not row.statuses),
        ib_count=len({ib.appointment_id for row in rows for ib in row.ibs}),
        below_minimum=len(
            {ib.appointment_id for row in rows for ib in row.ibs if ib.below_minimum}
        ),
        **division_totals(rows),
    )


def division_totals(rows: list[ComparisonRow]) -> dict:
    """The division's totals over the schools that have one (the IB's hours of those only)."""
    divided = [row for row in rows if row.role_hours is not None]
    if not divided:
        return {}
    other = sum((row.other_hours for row in divided), ZERO)
    ib = sum((row.package_hours for row in divided), ZERO)
    return {
        "other_hours": other,
        "ib_care_percentage": percentage(ib, ib + other),
        "group_hours": {
            group: sum((row.group_hours(group) for row in divided), ZERO) for group in ROLE_GROUPS
        },
    }


# ---------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------


def current_versions() -> QuerySet[PackageVersion]:
    """Each package's newest version only."""
    newer = PackageVersion.objects.filter(
        package=OuterRef("package"), number__gt=OuterRef("number")
    )
    return PackageVersion.objects.filter(~Exists(newer))


def current_items() -> QuerySet[PackageItem]:
    """Items of each package's newest version only."""
    newer = PackageVersion.objects.filter(
        package=OuterRef("version__package"), number__gt=OuterRef("version__number")
    )
    return PackageItem.objects.filter(~Exists(newer))


def package_figures(
    school_ids: list[int], start_year: int, domains: list[Domain]
) -> tuple[dict[int, dict[int, Decimal]], dict[int, Decimal], dict[int, set[str]]]:
    """Per school: hours per domain, hours of tasks that are not IB work, and the statuses of
    the year's packages in their newest version. One query.

    Written as SQL rather than through the ORM: it runs on every comparison, and building and
    compiling the ORM's version (``current_versions()`` with five filtered ``Sum``) and
    converting its rows took about as long as running it (issue #12). The schools come from
    the caller's scoped queryset; the query returns figures, no people. Plain SQL that SQLite
    and PostgreSQL both run; ``tests/test_comparison.py`` checks it against the ORM.
    """
    if not school_ids:
        return {}, {}, {}
    version = PackageVersion._meta.db_table
    package = Package._meta.db_table
    share = AppointmentShare._meta.db_table
    item = PackageItem._meta.db_table
    year = SchoolYear._meta.db_table
    per_domain = "".join(
        ", SUM(CASE WHEN i.domain_id = %s THEN i.hours END)" for _domain in domains
    )
    places = ", ".join(["%s"] * len(school_ids))
    sql = (
        f"SELECT s.school_id, v.status, SUM(CASE WHEN i.is_ib_task THEN 0 ELSE i.hours END)"
        f"{per_domain} "
        f"FROM {version} v "
        f"JOIN {package} p ON p.id = v.package_id "
        f"JOIN {share} s ON s.id = p.share_id "
        f"LEFT JOIN {item} i ON i.version_id = v.id "
        f"WHERE p.school_year_id = (SELECT y.id FROM {year} y WHERE y.start_year = %s) "
        f"AND s.school_id IN ({places}) "
        f"AND NOT EXISTS (SELECT 1 FROM {version} w "
        f"WHERE w.package_id = v.package_id AND w.number > v.number) "
        f"GROUP BY v.id, s.school_id, v.status"
    )
    params = [*(domain.pk for domain in domains), start_year, *school_ids]
    hours: dict[int, dict[int, Decimal]] = {}
    not_ib: dict[int, Decimal] = {}
    statuses: dict[int, set[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for school_id, status, not_ib_total, *domain_totals in rows:
        statuses.setdefault(school_id, set()).add(status)
        school_hours = hours.setdefault(school_id, {})
        for domain, total in zip(domains, domain_totals, strict=True):
            if total is not None:
                school_hours[domain.pk] = school_hours.get(domain.pk, ZERO) + as_hours(total)
        not_ib[school_id] = not_ib.get(school_id, ZERO) + as_hours(not_ib_total or 0)
    return hours, not_ib, statuses


def division_figures(school_ids: list[int], start_year: int) -> dict[int, dict[str, Decimal]]:
    """Per school with a task division in the year: its hours per role group (an empty dict
    for a division without tasks yet). One query, summed in SQL per school and role; the
    schools come from the caller's scoped queryset, the query returns no people."""
    if not school_ids:
        return {}
    rows = (
        TaskDivision.objects.filter(school_id__in=school_ids, school_year__start_year=start_year)
        .values_list("school_id", "assignments__holder__role")
        .annotate(total=Sum("assignments__hours"))
        .order_by()
    )
    figures: dict[int, dict[str, Decimal]] = {}
    for school_id, role, total in rows:
        groups = figures.setdefault(school_id, {})
        if role is not None and total is not None:
            group = GROUP_OF_ROLE[role]
            groups[group] = groups.get(group, ZERO) + as_hours(total)
    return figures


def comparison_rows(
    user,
    schools: QuerySet[School],
    start_year: int,
    day: datetime.date,
    domains: list[Domain],
    boards: dict[int, Board],
    *,
    with_division: bool = False,
) -> list[ComparisonRow]:
    """One row per school of ``schools`` for the school year, IB fte read on ``day``.

    ``boards`` are the schools' boards by pk, read by the caller: one object per board
    instead of one per school (a board's comparison has hundreds of rows).

    ``schools`` come through ``comparable_boards(user)`` (whose figures the user compares);
    the IBs by name only through ``AppointmentShare.objects.for_user(user)``, so partnership
    staff get figures without people.

    Four queries: the schools with their figures and appointed fte; the directors of the
    boards' schools with their pupils (multi-school groups); the year's packages in their
    newest version with their status and hours per domain; the IBs at work (none for a user
    who sees no appointments).
    """
    figures = SchoolFigures.objects.filter(
        school=OuterRef("pk"), school_year__start_year=start_year
    )
    # Plain values, not model instances: a board's comparison has hundreds of schools.
    school_values = list(
        schools.annotate(
            year_pupils=Subquery(figures.values("pupils")[:1]),
            year_groups=Subquery(figures.values("groups")[:1]),
            appointed=appointed_fte_subquery(day),
        ).values_list(
            "pk",
            "name",
            "brin",
            "location_code",
            "board_id",
            "partnership_id",
            "partnership__name",
            "partnership__code",
            "year_pupils",
            "year_groups",
            "appointed",
        )
    )
    partnerships: dict[int, PartnershipRef] = {}
    school_list: list[tuple[SchoolRef, int | None, int | None, Decimal | None]] = []
    for (
        pk,
        name,
        brin,
        location,
        board_id,
        partnership_id,
        p_name,
        p_code,
        *figures_,
    ) in school_values:
        partnership = None
        if partnership_id is not None:
            partnership = partnerships.get(partnership_id)
            if partnership is None:
                partnership = partnerships[partnership_id] = PartnershipRef(
                    partnership_id, p_name, p_code
                )
        school = SchoolRef(pk, name, f"{brin}{location}", boards[board_id], partnership)
        school_list.append((school, *figures_))
    # The ids as a list, not a subquery: with the list PostgreSQL starts from these schools'
    # packages instead of aggregating every package of the year (60 ms for a partnership).
    ids = [school.pk for school, *_figures in school_list]

    # Directors of every school of these boards, also schools outside ``schools``: a group
    # counts all its pupils even when a filter shows only part of it.
    director_rows = list(
        Membership.objects.filter(
            role=Role.DIRECTOR,
            school__board_id__in={school.board.pk for school, *_f in school_list},
        )
        .annotate(
            pupils=Subquery(
                SchoolFigures.objects.filter(
                    school=OuterRef("school_id"), school_year__start_year=start_year
                ).values("pupils")[:1]
            )
        )
        .values_list("user_id", "school_id", "school__board_id", "pupils")
    )
    group_of = multi_school_groups(
        (user, school, board) for user, school, board, _p in director_rows
    )
    pupils_of = {school: pupils for _user, school, _board, pupils in director_rows}

    hours, not_ib, statuses = package_figures(ids, start_year, domains)
    # How the board's schools divide care and quality work over the roles (issue 16): the
    # board's own view only, the partnership compares the IB's figures.
    divisions = division_figures(ids, start_year) if with_division else {}

    ibs: dict[int, list[IbEntry]] = {}
    board_of = {school.pk: school.board for school, *_figures in school_list}
    # Plain values, not model instances: a large board has hundreds of shares.
    for school_id, appointment_id, share_fte, total_fte, first, last, username in (
        AppointmentShare.objects.for_user(user)
        .filter(active_share(day), school__in=ids)
        .annotate(
            appointment_fte=Subquery(
                AppointmentShare.objects.filter(appointment=OuterRef("appointment"))
                .values("appointment")
                .annotate(total=Sum("fte"))
                .values("total"),
                output_field=FTE_SUM,
            )
        )
        .order_by("-fte", *surname_order("appointment__ib__"))
        .values_list(
            "school_id",
            "appointment_id",
            "fte",
            "appointment_fte",
            "appointment__ib__first_name",
            "appointment__ib__last_name",
            "appointment__ib__username",
        )
    ):
        ibs.setdefault(school_id, []).append(
            IbEntry(
                name=display_name(Person(first, last, username)),
                appointment_id=appointment_id,
                share_fte=share_fte,
                total_fte=total_fte,
                below_minimum=board_of[school_id].is_below_minimum(total_fte),
            )
        )

    return [
        ComparisonRow(
            board=school.board,
            pupils=pupils,
            groups=groups,
            appointed_fte=(appointed or ZERO).quantize(FTE_PLACES, rounding=ROUND_HALF_UP),
            norms=norms_for(school.board, school.pk, pupils, groups, group_of, pupils_of),
            domains=domains,
            domain_hours=hours.get(school.pk, {}),
            not_ib_hours=not_ib.get(school.pk, ZERO),
            school=school,
            statuses=sorted(statuses.get(school.pk, ()), key=STATUS_ORDER.index),
            ibs=ibs.get(school.pk, []),
            role_hours=divisions.get(school.pk),
        )
        for school, pupils, groups, appointed in school_list
    ]


def school_year_rows(
    user, school: School, days: dict[int, datetime.date], domains: list[Domain]
) -> list[YearRow]:
    """One row per school year in ``days`` (start year -> the day IB fte is read) for a school.

    Four queries: the directors of the board's schools (multi-school groups); the figures of
    the school and its group over the years; the appointed fte per year (one column per year,
    conditional aggregation); hours per year and domain of the current package versions.
    """
    require_figures(user, school)
    board = school.board
    group_of = multi_school_groups(
        Membership.objects.filter(role=Role.DIRECTOR, school__board=board).values_list(
            "user_id", "school_id", "school__board_id"
        )
    )
    group = group_of.get(school.pk, frozenset())
    figures: dict[int, dict[int, SchoolFigures]] = {}
    for row in SchoolFigures.objects.filter(school_id__in={school.pk, *group}).select_related(
        "school_year"
    ):
        figures.setdefault(row.school_year.start_year, {})[row.school_id] = row

    active_fte = (
        AppointmentShare.objects.filter(school=school).aggregate(
            **{
                f"y{year}": Sum(
                    "fte",
                    filter=active_share(day),
                )
                for year, day in days.items()
            }
        )
        if days
        else {}
    )

    hours: dict[int, dict[int, Decimal]] = {}
    not_ib: dict[int, Decimal] = {}
    for year, domain_id, total, not_ib_total in (
        current_items()
        .filter(version__package__share__school=school)
        .values("version__package__school_year__start_year", "domain_id")
        .annotate(total=Sum("hours"), not_ib=Sum("hours", filter=Q(is_ib_task=False)))
        .values_list("version__package__school_year__start_year", "domain_id", "total", "not_ib")
        .order_by()
    ):
        hours.setdefault(year, {})[domain_id] = total
        not_ib[year] = not_ib.get(year, ZERO) + (not_ib_total or ZERO)

    rows = []
    for year in sorted(days):
        year_figures = figures.get(year, {})
        own = year_figures.get(school.pk)
        pupils_of = {school_id: f.pupils for school_id, f in year_figures.items()}
        appointed = active_fte.get(f"y{year}") or ZERO
        if own is None and not appointed and year not in hours:
            continue  # nothing known about this year
        rows.append(
            YearRow(
                board=board,
                pupils=own.pupils if own else None,
                groups=own.groups if own else None,
                appointed_fte=appointed.quantize(FTE_PLACES, rounding=ROUND_HALF_UP),
                norms=norms_for(
                    board,
                    school.pk,
                    own.pupils if own else None,
                    own.groups if own else None,
                    group_of,
                    pupils_of,
                ),
                domains=domains,
                domain_hours=hours.get(year, {}),
                not_ib_hours=not_ib.get(year, ZERO),
                start_year=year,
            )
        )
    return rows


# ---------------------------------------------------------------------------
# Filters and sorting
# ---------------------------------------------------------------------------

NO_PARTNERSHIP = "geen"
R = TypeVar("R")  # a row with a ``school``: a comparison row or a year cycle row
NO_PACKAGE = "geen"
DEVIATIONS = {
    "tekort": gettext_lazy("short of the norm"),
    "boven": gettext_lazy("over the norm"),
    "buiten": gettext_lazy("short or over"),
    "binnen": gettext_lazy("within 0.1 fte of the norm"),
}


def in_partnership(rows: list[R], partnership: str) -> list[R]:
    """Rows (with a ``school``) of the school's partnership: a pk, ``NO_PARTNERSHIP`` (none),
    or "" (every row)."""
    if partnership == NO_PARTNERSHIP:
        return [row for row in rows if row.school.partnership_id is None]
    if partnership:
        return [row for row in rows if str(row.school.partnership_id) == partnership]
    return rows


def partnership_choices(
    partnerships: list[Partnership | PartnershipRef], any_without: bool
) -> list[tuple[str, str]]:
    """The partnership filter's options: all, each partnership, and "no partnership" when a
    school has none."""
    return [
        ("", _("all")),
        *[(str(partnership.pk), partnership.name) for partnership in partnerships],
        *([(NO_PARTNERSHIP, _("no partnership"))] if any_without else []),
    ]


def filter_rows(
    rows: list[ComparisonRow],
    *,
    partnership: str = "",
    status: str = "",
    deviation: str = "",
) -> list[ComparisonRow]:
    """Filter on the school's partnership (a pk or "geen"), a package status ("geen": no
    package) and the difference from the norm (a key of ``DEVIATIONS``)."""
    rows = in_partnership(rows, partnership)
    if status == NO_PACKAGE:
        rows = [row for row in rows if not row.statuses]
    elif status:
        rows = [row for row in rows if status in row.statuses]
    wanted = {
        "tekort": {"short"},
        "boven": {"over"},
        "buiten": {"short", "over"},
        "binnen": {""},
    }.get(deviation)
    if wanted is not None:
        rows = [row for row in rows if row.norm_fte is not None and row.deviation in wanted]
    return rows


def sort_rows(rows: list, key: Callable, descending: bool) -> list:
    """Sort on ``key``; rows without a value go last in both directions; ties keep order."""
    present = [row for row in rows if key(row) is not None]
    missing = [row for row in rows if key(row) is None]
    present.sort(key=key, reverse=descending)
    return present + missing


# ---------------------------------------------------------------------------
# Columns: one list for the header, the sort keys and the exports
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str  # "text", "int", "fte" (2 decimals), "one" (1 decimal)
    value: Callable[[ComparisonRow], object]
    total: Callable[[Totals], object] = lambda totals: None
    sort: Callable[[ComparisonRow], object] | None = None
    on_screen: bool = True
    short: str = ""  # a shorter header on screen; the full label is its title

    @property
    def screen_label(self) -> str:
        return self.short or self.label

    @property
    def numeric(self) -> bool:
        return self.kind != "text"

    def sort_key(self, row: ComparisonRow) -> object:
        return (self.sort or self.value)(row)


def _text_sort(value: Callable[[ComparisonRow], str]) -> Callable[[ComparisonRow], str | None]:
    def key(row: ComparisonRow) -> str | None:
        return value(row).casefold() or None

    return key


def comparison_columns(
    domains: list[Domain], *, show_board: bool, show_people: bool = True
) -> list[Column]:
    """The comparison's columns in screen order (the exports add the text-only columns).

    Without ``show_people`` (partnership staff) the IBs and their minimum flags are left out:
    a partnership compares figures, not people."""
    yes, no = _("yes"), _("no")
    columns = [
        Column(
            "school",
            _("School"),
            "text",
            lambda row: row.school.name,
            lambda totals: (
                ngettext("Total (%(count)s school)", "Total (%(count)s schools)", totals.schools)
                % {"count": totals.schools}
            ),
            sort=_text_sort(lambda row: row.school.name),
        ),
        Column("brin", _("BRIN"), "text", lambda row: row.school.code, on_screen=False),
    ]
    if show_board:
        columns.append(
            Column(
                "bestuur",
                _("Board"),
                "text",
                lambda row: row.board.name,
                sort=_text_sort(lambda row: row.board.name),
            )
        )
    columns += [
        Column(
            "swv",
            _("Partnership"),
            "text",
            lambda row: row.school.partnership.name if row.school.partnership else "",
            on_screen=False,
        ),
        Column("leerlingen", _("Pupils"), "int", lambda r: r.pupils, lambda t: t.pupils),
        Column("groepen", _("Groups"), "int", lambda r: r.groups, lambda t: t.groups),
        Column(
            "fte",
            _("IB fte appointed"),
            "fte",
            lambda r: r.appointed_fte,
            lambda t: t.appointed_fte,
        ),
        Column("norm", _("Norm fte"), "fte", lambda r: r.norm_fte, lambda t: t.norm_fte),
        Column(
            "normregel",
            _("Norm applied"),
            "text",
            lambda row: row.norms.chosen.label,
            on_screen=False,
        ),
        Column(
            "verschil", _("Difference fte"), "fte", lambda r: r.difference, lambda t: t.difference
        ),
        Column(
            "uren100",
            _("IB hours a week per 100 pupils"),
            "one",
            lambda r: r.hours_per_100_pupils,
            lambda t: t.hours_per_100_pupils,
            short=_("Hours a week per 100 pupils"),
        ),
        Column(
            "pakketuren",
            _("Package hours"),
            "one",
            # No package: a dash, not 0 hours.
            lambda r: r.package_hours if r.statuses else None,
            lambda t: t.package_hours,
        ),
    ]
    for domain in domains:
        columns.append(
            Column(
                f"domein-{domain.code}",
                _("%(domain)s (%(unit)s)") % {"domain": domain.name, "unit": "%"},
                "one",
                lambda r, pk=domain.pk: r.domain_percentage(pk),
                lambda t, pk=domain.pk: t.domain_percentage(pk),
                short=f"{(domain.older_name or domain.name).capitalize()} %",
            )
        )
    columns.append(
        Column(
            "niet-ib",
            _("Not IB work (%(unit)s)") % {"unit": "%"},
            "one",
            lambda r: r.not_ib_percentage,
            lambda t: t.not_ib_percentage,
            short=_("Not IB %(unit)s") % {"unit": "%"},
        )
    )
    columns.append(
        Column(
            "status",
            _("Package status"),
            "text",
            lambda row: ", ".join(row.status_labels) or _("none"),
            lambda totals: totals.status_summary,
            sort=lambda row: row.status_rank,
        )
    )
    if not show_people:
        return columns
    columns += [
        Column(
            "ib",
            _("IBs"),
            "text",
            lambda row: row.ib_names,
            lambda totals: totals.ib_count,
            sort=_text_sort(lambda row: row.ib_names),
        ),
        Column(
            "minimum",
            _("Below the minimum appointment"),
            "text",
            lambda row: yes if row.below_minimum else no,
            lambda totals: totals.below_minimum,
            sort=lambda row: (row.below_minimum,),
            short=_("Below minimum"),
        ),
        # The task division (issue 16): how the care and quality hours are spread over the
        # roles; "-" for a school without a division this year.
        Column(
            "zorg-ib",
            _("IB's part of the care and quality hours (%(unit)s)") % {"unit": "%"},
            "one",
            lambda r: r.ib_care_percentage,
            lambda t: t.ib_care_percentage,
            short=_("IB part of care %(unit)s") % {"unit": "%"},
        ),
        Column(
            "zorg-anderen",
            _("Care and quality hours of other roles"),
            "one",
            lambda r: r.other_hours,
            lambda t: t.other_hours,
            short=_("Hours other roles"),
        ),
    ]
    group_labels = {
        "director": _("Hours of the director"),
        "coordinators": _("Hours of coordinators"),
        "teachers": _("Hours of teachers and remedial teacher"),
        "support": _("Hours of the support team"),
    }
    columns += [
        Column(
            f"zorg-{group}",
            label,
            "one",
            lambda r, group=group: r.group_hours(group),
            lambda t, group=group: t.group_hours.get(group),
            on_screen=False,
        )
        for group, label in group_labels.items()
    ]
    return columns


def export_table(
    rows: list[ComparisonRow], totals: Totals, columns: list[Column]
) -> tuple[list[str], list[list[object]]]:
    """The header and the body (rows, then the totals row) of an export, from the same row
    objects and rounded values as the page."""
    header = [column.label for column in columns]
    body = [[column.value(row) for column in columns] for row in rows]
    body.append([column.total(totals) for column in columns])
    return header, body
