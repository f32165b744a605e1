"""The IB figures of a school against the formation norm: who may read them, the row object
they are kept on, and the norm of one school in a school year (the school page).

Only schools data is read here; the comparison across schools, with the package hours per
domain and the package statuses, is built on these in ``reporting.comparison``. Every rounded
number is rounded once, on the row object, so the page, the charts and the exports show the
same values.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Protocol

from django.core.exceptions import PermissionDenied
from django.db.models import (
    DecimalField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.utils.translation import gettext as _

from .models import (
    AppointmentShare,
    Board,
    Membership,
    Role,
    School,
    SchoolFigures,
    any_of,
    get_scope,
    if_any,
    overlap_condition,
    staff_board_condition,
)
from .norms import FTE_PLACES, SchoolNorms, school_norms

ZERO = Decimal("0")
ONE_PLACE = Decimal("0.1")
# A difference from the norm larger than this is highlighted as short or over.
DEVIATION_MARGIN = Decimal("0.1")
FTE_SUM = DecimalField(max_digits=9, decimal_places=4)


class Domain(Protocol):
    """A domain of the package hours (``tasks.models.Domain``); only its key is read here."""

    pk: int


# ---------------------------------------------------------------------------
# Who compares what
# ---------------------------------------------------------------------------


def comparable_boards(user) -> QuerySet[Board]:
    """The one entry point for boards whose school figures a user may compare.

    Board staff compare the schools of their own boards. Partnership staff compare, read-only,
    the boards of their partnerships that chose to share their figures with the partnership.
    """
    scope = get_scope(user)
    condition = any_of(
        staff_board_condition(scope, "id"),
        if_any(
            scope.partnership_ids,
            Q(
                shares_with_partnership=True,
                id__in=Board.partnerships.through.objects.filter(
                    partnership_id__in=scope.partnership_ids
                ).values("board_id"),
            ),
        ),
    )
    return Board.objects.none() if condition is None else Board.objects.filter(condition)


def sees_figures(user, school: School) -> bool:
    """Whether a user who sees ``school`` (through ``School.objects.for_user``) reads its IB
    figures: its board's staff, directors and IBs do; partnership staff only when the board
    shares its figures with the partnership (``school.board`` is read, so select it)."""
    scope = get_scope(user)
    if (
        scope.can_manage_board(school.board_id)
        or school.pk in scope.director_school_ids
        or school.board_id in scope.ib_board_ids
    ):
        return True
    return school.board.shares_with_partnership


# ---------------------------------------------------------------------------
# Row objects
# ---------------------------------------------------------------------------


def percentage(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (part * 100 / whole).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class DomainShare:
    domain: Domain
    hours: Decimal
    percentage: Decimal | None


@dataclass
class Figures:
    """The numbers of one school in one school year (a comparison row, a year of a school).

    The derived figures are cached: a page reads each several times (cells, sorting, charts)
    for every row. The fields are not changed once a row is built.
    """

    board: Board
    pupils: int | None
    groups: int | None
    appointed_fte: Decimal  # rounded to 0.01
    norms: SchoolNorms
    domains: list[Domain]
    domain_hours: dict[int, Decimal] = field(default_factory=dict)
    not_ib_hours: Decimal = ZERO

    @cached_property
    def package_hours(self) -> Decimal:
        return sum(self.domain_hours.values(), ZERO)

    @cached_property
    def norm_fte(self) -> Decimal | None:
        return self.norms.chosen.fte

    @cached_property
    def difference(self) -> Decimal | None:
        """Appointed minus norm: negative is short, positive is over."""
        return None if self.norm_fte is None else self.appointed_fte - self.norm_fte

    @cached_property
    def deviation(self) -> str:
        """ "short" or "over" when the difference is more than 0.1 fte; "" otherwise."""
        diff = self.difference
        if diff is None or abs(diff) <= DEVIATION_MARGIN:
            return ""
        return "short" if diff < 0 else "over"

    @cached_property
    def hours_per_100_pupils(self) -> Decimal | None:
        """IB hours a week per 100 pupils: appointed fte x working hours a week / pupils x 100."""
        if not self.pupils:
            return None
        week_hours = self.appointed_fte * self.board.norm_week_hours_per_fte
        return (week_hours * 100 / self.pupils).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)

    @cached_property
    def domain_mix(self) -> list[DomainShare]:
        total = self.package_hours
        return [
            DomainShare(
                domain,
                self.domain_hours.get(domain.pk, ZERO),
                percentage(self.domain_hours.get(domain.pk, ZERO), total),
            )
            for domain in self.domains
        ]

    def domain_percentage(self, domain_pk: int) -> Decimal | None:
        return percentage(self.domain_hours.get(domain_pk, ZERO), self.package_hours)

    @cached_property
    def not_ib_percentage(self) -> Decimal | None:
        return percentage(self.not_ib_hours, self.package_hours)


# ---------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------


def active_share(day: datetime.date) -> Q:
    """Shares of appointments active on ``day`` (``Appointment.objects.active_on`` as a join:
    an ``IN`` over every active appointment is slow per school on SQLite)."""
    return overlap_condition(day, day, "appointment__")


def appointed_fte_subquery(day: datetime.date) -> Subquery:
    """Per school (OuterRef ``pk``): the fte of the appointments active on ``day``, summed."""
    return Subquery(
        AppointmentShare.objects.filter(active_share(day), school=OuterRef("pk"))
        .values("school")
        .annotate(total=Sum("fte"))
        .values("total"),
        output_field=FTE_SUM,
    )


def multi_school_groups(memberships: Iterable[tuple[int, int, int]]) -> dict[int, frozenset[int]]:
    """The schools that share a multi-school director, per school.

    ``memberships`` are (director id, school id, board id). A director leading two or more
    schools of one board makes those schools a group; groups that share a school (a school
    with two such directors) merge into one.
    """
    by_director: dict[tuple[int, int], set[int]] = {}
    for user_id, school_id, board_id in memberships:
        by_director.setdefault((user_id, board_id), set()).add(school_id)
    group_of: dict[int, frozenset[int]] = {}
    for schools in by_director.values():
        if len(schools) < 2:
            continue
        merged = set(schools)
        for school_id in schools:
            merged |= group_of.get(school_id, frozenset())
        for school_id in merged:
            group_of[school_id] = frozenset(merged)
    return group_of


def group_pupils(group: frozenset[int], pupils: dict[int, int | None]) -> int | None:
    """The group's pupils; None when a school of the group has no count (no fair division)."""
    counts = [pupils.get(school_id) for school_id in group]
    return None if any(count is None for count in counts) else sum(counts)


def multi_school_group(
    board: Board,
    school_id: int,
    group_of: dict[int, frozenset[int]],
    pupils_of: dict[int, int | None],
) -> frozenset[int]:
    """The schools sharing the multi-school fte with this one: when the board limits the rule
    to schools below a size, the schools of that size or more are left out (a school without
    a count stays: the division then waits for its count)."""
    group = group_of.get(school_id, frozenset())
    limit = board.norm_multi_school_max_pupils
    if not limit or not group:
        return group
    small = frozenset(
        school for school in group if pupils_of.get(school) is None or pupils_of[school] < limit
    )
    return small if school_id in small and len(small) >= 2 else frozenset()


def norms_for(
    board: Board,
    school_id: int,
    pupils: int | None,
    groups: int | None,
    group_of: dict[int, frozenset[int]],
    pupils_of: dict[int, int | None],
) -> SchoolNorms:
    group = multi_school_group(board, school_id, group_of, pupils_of)
    return school_norms(
        board,
        pupils=pupils,
        groups=groups,
        group_pupils=group_pupils(group, pupils_of) if group else None,
        group_size=len(group) or 1,
        led_with=len(group_of.get(school_id, ())) or 1,
    )


def require_figures(user, school: School) -> None:
    """Refuse (403) the IB figures of a school whose figures the user may not read: the
    helpers below take the user so that no page can call them without this check."""
    if not sees_figures(user, school):
        raise PermissionDenied(_("This board does not share its figures with the partnership."))


def school_norm_figures(
    user, school: School, start_year: int, day: datetime.date
) -> tuple[Figures, list[School]]:
    """The norms of one school for a school year, and the schools it shares a director with.

    Three queries: the directors of the board's schools with their pupils; the school's figures
    of the year; the appointed fte on ``day``.
    """
    require_figures(user, school)
    board = school.board
    director_rows = list(
        Membership.objects.filter(role=Role.DIRECTOR, school__board=board)
        .select_related("school")
        .annotate(
            pupils=Subquery(
                SchoolFigures.objects.filter(
                    school=OuterRef("school_id"), school_year__start_year=start_year
                ).values("pupils")[:1]
            )
        )
    )
    group_of = multi_school_groups((m.user_id, m.school_id, board.pk) for m in director_rows)
    pupils_of = {m.school_id: m.pupils for m in director_rows}
    group = multi_school_group(board, school.pk, group_of, pupils_of)
    partners = {m.school_id: m.school for m in director_rows if m.school_id in group}
    partners.pop(school.pk, None)
    own = SchoolFigures.objects.filter(school=school, school_year__start_year=start_year).first()
    appointed = AppointmentShare.objects.filter(active_share(day), school=school).aggregate(
        total=Sum("fte")
    )["total"]
    pupils = own.pupils if own else None
    groups = own.groups if own else None
    figures = Figures(
        board=board,
        pupils=pupils,
        groups=groups,
        appointed_fte=(appointed or ZERO).quantize(FTE_PLACES, rounding=ROUND_HALF_UP),
        norms=norms_for(board, school.pk, pupils, groups, group_of, pupils_of),
        domains=[],
    )
    return figures, sorted(partners.values(), key=lambda s: s.name)
