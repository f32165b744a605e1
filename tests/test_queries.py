"""Query counts of the list pages, pinned: a page with 30 rows costs what a page with 1 costs.

Each test runs with 1 and with 30 schools/appointments and expects the same number, so a query
per row (a missing select_related/prefetch, a query in a template) fails here. The comments
name every counted query in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schools.models import Board, Membership, Role

from . import factories as f

SIZES = [1, 30]

# Every logged-in request: the session, the user, the user's memberships (get_scope, once).
REQUEST = 3

# The board overview's year in figures (schools.views.board_year), whatever the board's size.
BOARD_YEAR = (
    1  # the board's schools, with pupils and groups of the year summed
    + 1  # the board's appointments active on the day, each with its fte summed
    + 1  # the IBs' names of those below the board's minimum (not asked when none is)
)

# The to-do list at the top of a start page (schools/todo.py; see tests/test_todo.py).
TODO_BOARD = (
    1  # pending imports of the user's boards
    + 1  # schools without figures of the counted year
    + 1  # certificates to judge
    + 1  # IB shares without an agreed package this year
    + 1  # appointments whose personnel-responsible director is still to choose
    + 1  # the user's preference (is the weekly e-mail on?)
)
TODO_DIRECTOR = (
    2  # IB shares at the director's schools; their packages of the years watched (prefetch)
    + 1  # the IBs' own hours on those appointments, part of each package's budget (prefetch)
    + 1  # self-assessments shared with the director, not taken up yet
    + 1  # conversations the director holds: to prepare, or their report to record
    + 1  # conversations of the cycle to plan: shares of current appointments, their
    #      directors, per kind the cycle's years, the last held, whether one is planned
    + 1  # development points proposed by an IB, waiting for the director's decision
    + 1  # the user's preference
)
TODO_IB = (
    1  # packages submitted to the IB
    + 1  # the IB's draft self-assessments
    + 1  # development goals and actions falling due (one union)
    + 1  # the IB's conversations: a report to sign, or one coming up to prepare
    + 1  # overdue required modules of the IB's training tracks
    + 1  # the next meeting of the IB network
    + 1  # the user's preference
)


@dataclass
class World:
    board: Board
    staff: object
    director: object
    ib: object


def build_world(size: int) -> World:
    """A board with ``size`` schools, each with a director, figures of this year, one IB
    appointment of its own and a small share of one IB who works at every school."""
    board = f.BoardFactory()
    director = f.UserFactory()
    ib = f.ib(board)
    year = f.SchoolYearFactory()
    for _ in range(size):
        school = f.SchoolFactory(board=board)
        Membership.objects.create(user=director, role=Role.DIRECTOR, school=school)
        f.director(school)  # a second director at every school
        f.SchoolFiguresFactory(school=school, school_year=year)
        f.AppointmentFactory(board=board, shares=[(school, Decimal("0.5"))])
        f.AppointmentFactory(board=board, ib=ib, shares=[(school, Decimal("0.01"))])
    return World(board=board, staff=f.board_staff(board), director=director, ib=ib)


@pytest.fixture(params=SIZES, ids=lambda size: f"{size}-rows")
def world(request, db) -> World:
    return build_world(request.param)


def get_ok(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_board_detail_query_count(client, world, django_assert_num_queries):
    client.force_login(world.staff)
    url = reverse("schools:board-detail", args=[world.board.pk])
    with django_assert_num_queries(
        REQUEST
        + 1  # the board, through Board.objects.for_user
        + BOARD_YEAR  # the year in figures
        + 1  # known school years, for the year picker
        + 1  # the board's partnerships, for the header
        + TODO_BOARD  # the board overview is board staff's start page
    ):
        response = get_ok(client, url)
    assert response.context["year"].schools == world.board.schools.count()


def test_school_list_query_count_for_board_staff(client, world, django_assert_num_queries):
    client.force_login(world.staff)
    with django_assert_num_queries(
        REQUEST
        + 1  # schools in scope with their board
        + 1  # the schools' figures of the selected year
        + 3  # appointments at these schools; their shares with school (summed into each
        #      school's fte: the user reads them all); the directors of the listed schools
        #      and of the shares' schools, in one query
        + 1  # known school years, for the year picker
    ):
        get_ok(client, reverse("schools:school-list"))


def test_school_list_query_count_for_director(client, world, django_assert_num_queries):
    client.force_login(world.director)
    with django_assert_num_queries(
        REQUEST
        + 1  # the director's schools with their board
        + 1  # the schools' figures of the selected year
        + 3  # appointments at these schools; their shares with school (summed into each
        #      school's fte: the user reads them all); the directors of the listed schools
        #      and of the shares' schools, in one query
        + 1  # known school years, for the year picker
        + TODO_DIRECTOR  # the school list is the director's start page
    ):
        response = get_ok(client, reverse("schools:school-list"))
    assert all(row["ib_shares"] for row in response.context["rows"])


def test_appointment_list_query_count_for_board_staff(client, world, django_assert_num_queries):
    client.force_login(world.staff)
    with django_assert_num_queries(
        REQUEST
        + 3  # appointments in scope with IB, board and leading school; their shares with
        #      school; the share schools' directors (prefetch)
        + 1  # the boards this user manages, for the "new appointment" buttons
    ):
        get_ok(client, reverse("schools:appointment-list"))


def test_appointment_list_query_count_for_director(client, world, django_assert_num_queries):
    client.force_login(world.director)
    with django_assert_num_queries(
        REQUEST + 3  # appointments at the director's schools; their shares; the schools' directors
        # (no boards to manage: an empty id list costs no query)
    ):
        get_ok(client, reverse("schools:appointment-list"))


def test_appointment_list_query_count_for_ib(client, world, django_assert_num_queries):
    client.force_login(world.ib)
    with django_assert_num_queries(
        REQUEST
        + 3  # the IB's own appointments; their shares; the share schools' directors
        + TODO_IB  # the appointment list is the IB's start page
    ):
        response = get_ok(client, reverse("schools:appointment-list"))
    assert len(response.context["appointments"]) == world.board.schools.count()


def test_thirty_rows_cost_the_same_as_one(client, db):
    """The same claim in one test, for every list page at once."""

    def counts(world: World) -> list[int]:
        result = []
        for user, url in [
            (world.staff, reverse("schools:board-detail", args=[world.board.pk])),
            (world.staff, reverse("schools:school-list")),
            (world.director, reverse("schools:school-list")),
            (world.staff, reverse("schools:appointment-list")),
            (world.director, reverse("schools:appointment-list")),
            (world.ib, reverse("schools:appointment-list")),
        ]:
            client.force_login(user)
            with CaptureQueriesContext(connection) as queries:
                get_ok(client, url)
            result.append(len(queries))
        return result

    assert counts(build_world(1)) == counts(build_world(30))


# ---------------------------------------------------------------------------------------------
# The board's year cycle (reporting/cycle.py): 1 school costs what 30 cost
# ---------------------------------------------------------------------------------------------


def build_cycle_board(size: int):
    """A board with ``size`` schools, each with an agreed package this year and last year,
    realisation at both moments, a closed evaluation with rated goals and package events."""
    import datetime

    from schools.models import SchoolYear
    from tasks.models import Domain, GoalRating, Moment, PackageEvent, PackageStatus

    board = f.BoardFactory()
    start = SchoolYear.current_start_year()
    zorg = Domain.objects.get(code="zorg")
    for _ in range(size):
        school = f.SchoolFactory(board=board)
        share = f.AppointmentFactory(board=board, shares=[(school, Decimal("0.5"))]).shares.get()
        for year in (start - 1, start):
            package = f.PackageFactory(
                share=share,
                school_year=f.SchoolYearFactory(start_year=year),
                status=PackageStatus.AGREED,
            )
            f.PackageItemFactory(version=package.versions.get(), task=None, domain=zorg)
            f.realisation(package, Moment.MID, {"zorg": "12"})
            f.realisation(package, Moment.END, {"zorg": "30", "leren": "4"})
            f.evaluation(
                package,
                held_on=datetime.date(year + 1, 6, 1),
                closed=True,
                ratings=(GoalRating.ACHIEVED, GoalRating.PARTLY),
            )
            PackageEvent.objects.create(
                package=package,
                version_number=1,
                kind=PackageEvent.Kind.SUBMITTED,
                actor=share.appointment.ib,
            )
    return board


@pytest.mark.parametrize("size", SIZES)
def test_board_cycle_query_count(client, db, size, django_assert_num_queries):
    board = build_cycle_board(size)
    client.force_login(f.board_staff(board))
    with django_assert_num_queries(
        REQUEST
        + 1  # the board, through the user's boards
        + 1  # the board's schools (through comparable_boards)
        + 1  # their IB shares
        + 1  # the shares' packages, each with its newest agreed version
        + 1  # realised hours per package, moment and domain, with the newest versions'
        #      planned hours per domain
        + 1  # the evaluations of the shares' packages, their goals counted per rating
        + 1  # submissions and returns per package, kind and school year
        + 1  # the LBBO domains, for the charts
        + 1  # known school years, for the year picker
    ):
        response = get_ok(client, reverse("schools:comparison-cycle", args=[board.pk]))
    assert len(response.context["rows"]) == size
    assert response.context["total"].current.evaluated == size


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_board_cycle_export_query_count(client, db, size, fmt, django_assert_num_queries):
    board = build_cycle_board(size)
    client.force_login(f.board_staff(board))
    url = reverse("schools:comparison-cycle-export", args=[board.pk, fmt])
    # The page's queries but the year picker's.
    with django_assert_num_queries(REQUEST + 8):
        get_ok(client, url)
