"""The board's year cycle beside the comparison (issue 14, "Board figures"): planned against
realised per domain, year-end evaluations and goals achieved, discussions in the school year,
per school and for the board with the year before; who sees it; the exports read back.
"""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from reporting.cycle import cycle_columns
from schools.models import SchoolYear
from tasks.models import Domain, GoalRating, Moment, PackageEvent, PackageStatus

from . import factories as f

Y = SchoolYear.current_start_year()


def domain(code: str) -> Domain:
    return Domain.objects.get(code=code)


def agreed_package(share, start_year: int, items: dict[str, str]):
    package = f.PackageFactory(
        share=share,
        school_year=f.SchoolYearFactory(start_year=start_year),
        status=PackageStatus.AGREED,
    )
    version = package.versions.get()
    for code, hours in items.items():
        f.PackageItemFactory(
            version=version, task=None, title=f"Taak {code}", domain=domain(code), hours=D(hours)
        )
    return package


def event(package, kind: str, day: datetime.date) -> None:
    made = PackageEvent.objects.create(
        package=package, version_number=1, kind=kind, actor=package.share.appointment.ib
    )
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    PackageEvent.objects.filter(pk=made.pk).update(at=at)


@pytest.fixture
def world(cast):
    """Board A: A1 with a full previous year and a current year at mid-year; A2 with an
    agreed package last year, nothing recorded and its evaluation still open. Board B has
    a full year too: it must count nowhere in A's figures."""
    share_a1 = cast.appointment_a.shares.get()
    last = agreed_package(share_a1, Y - 1, {"leren": "40", "zorg": "60"})
    f.realisation(last, Moment.MID, {"leren": "10"})  # the year end counts, not this
    f.realisation(last, Moment.END, {"leren": "50", "zorg": "30"})
    ratings = (GoalRating.ACHIEVED, GoalRating.ACHIEVED, GoalRating.PARTLY, "niet", "")
    f.evaluation(last, held_on=datetime.date(Y, 6, 20), closed=True, ratings=ratings)
    event(last, PackageEvent.Kind.SUBMITTED, datetime.date(Y - 1, 9, 10))
    event(last, PackageEvent.Kind.RETURNED, datetime.date(Y - 1, 9, 15))
    event(last, PackageEvent.Kind.SUBMITTED, datetime.date(Y - 1, 9, 20))
    event(last, PackageEvent.Kind.AGREED, datetime.date(Y - 1, 9, 25))  # not a discussion

    this = agreed_package(share_a1, Y, {"leren": "20", "data": "10"})
    draft = f.PackageVersionFactory(package=this, status=PackageStatus.CONCEPT)
    f.PackageItemFactory(version=draft, task=None, domain=domain("leren"), hours=D("100"))
    f.realisation(this, Moment.MID, {"leren": "5"})
    event(this, PackageEvent.Kind.SUBMITTED, datetime.date(Y, 6, 15))  # before the summer
    event(this, PackageEvent.Kind.SUBMITTED, datetime.date(Y, 9, 1))

    a2 = f.AppointmentFactory(board=cast.board_a, shares=[(cast.school_a2, D("0.5"))])
    open_eval = agreed_package(a2.shares.get(), Y - 1, {"zorg": "30"})
    f.evaluation(open_eval, ratings=(GoalRating.ACHIEVED,))

    foreign = agreed_package(cast.appointment_b.shares.get(), Y - 1, {"zorg": "99"})
    f.realisation(foreign, Moment.END, {"zorg": "11"})
    f.evaluation(
        foreign,
        held_on=datetime.date(Y, 7, 1),
        closed=True,
        ratings=(GoalRating.NOT_ACHIEVED,),
    )
    event(foreign, PackageEvent.Kind.SUBMITTED, datetime.date(Y - 1, 10, 1))
    return cast


def get_cycle(client, user, board, **params):
    client.force_login(user)
    return client.get(reverse("schools:comparison-cycle", args=[board.pk]), params)


def by_name(response) -> dict:
    return {row.school.name: row for row in response.context["rows"]}


# ---------------------------------------------------------------------------------------------
# The figures, rule by rule
# ---------------------------------------------------------------------------------------------


def test_year_end_realisation_against_the_whole_plan(client, world):
    a1 = by_name(get_cycle(client, world.staff_a, world.board_a))["School A1"].previous
    assert (a1.agreed, a1.recorded, a1.at_mid_year) == (1, 1, 0)
    assert a1.planned == {domain("leren").pk: D("40.0"), domain("zorg").pk: D("60.0")}
    assert a1.realised == {domain("leren").pk: D("50"), domain("zorg").pk: D("30")}
    assert (a1.planned_hours, a1.realised_hours, a1.realised_percentage) == (
        D("100.0"),
        D("80"),
        D("80.0"),
    )


def test_mid_year_realisation_against_the_part_of_the_plan_due(client, world):
    """Board A's mid-year moment is 1 February: 184 of 365 days, 0.50 of the plan. The newest
    agreed version counts, not the reopened draft; a task the IB left empty is not under the
    plan (as on the package page): its domain shows no figures, not 0 of 5 hours."""
    a1 = by_name(get_cycle(client, world.staff_a, world.board_a))["School A1"].current
    assert (a1.agreed, a1.recorded, a1.at_mid_year) == (1, 1, 1)
    assert a1.planned_in(domain("leren").pk) == D("10.0")
    assert a1.planned_in(domain("data").pk) is None
    assert a1.realised_in(domain("data").pk) is None
    assert (a1.planned_hours, a1.realised_hours, a1.realised_percentage) == (
        D("10.0"),
        D("5"),
        D("50.0"),
    )
    assert not a1.far_off  # 5 hours under a plan of 10: not more than 5


def test_planned_hours_agree_with_the_package_page(client, cast):
    """The part due is rounded per domain (2 x 2.5 h at 0.50: 2.5), a task not recorded
    counts in neither, a task recorded but no longer planned counts its realised hours
    against no plan, and the figures are those of the package page, domain by domain."""
    from tasks.models import RealisationLine
    from tasks.realisation import compare

    package = agreed_package(cast.appointment_a.shares.get(), Y, {})
    version = package.versions.get()
    for title in ("Taak een", "Taak twee", "Taak drie"):
        f.PackageItemFactory(
            version=version, task=None, title=title, domain=domain("zorg"), hours=D("2.5")
        )
    sheet = f.realisation(package, Moment.MID, {})
    for key, hours, code in (("een", "1", "zorg"), ("twee", "2", "zorg"), ("oud", "4", "data")):
        RealisationLine.objects.create(
            realisation=sheet,
            key=f"custom:taak {key}",
            title=f"Taak {key}",
            domain=domain(code),
            hours=D(hours),
        )

    a1 = by_name(get_cycle(client, cast.staff_a, cast.board_a))["School A1"].current
    assert a1.planned_in(domain("zorg").pk) == D("2.5")  # "Taak drie" not recorded
    assert a1.realised_in(domain("zorg").pk) == D("3")
    assert (a1.planned_in(domain("data").pk), a1.realised_in(domain("data").pk)) == (0, 4)
    assert a1.planned_in(domain("leren").pk) is None

    page = compare(
        package,
        version.items.all(),
        RealisationLine.objects.filter(realisation__package=package).select_related("realisation"),
        list(Domain.objects.all()),
    )
    for block in page.domains:
        assert (block.figures.expected, block.figures.latest) == (
            a1.planned_in(block.domain.pk),
            a1.realised_in(block.domain.pk),
        ), block.domain.code
    assert (page.total.expected, page.total.latest) == (a1.planned_hours, a1.realised_hours)


def test_no_realisation_is_no_figure_not_zero(client, world):
    a2 = by_name(get_cycle(client, world.staff_a, world.board_a))["School A2"].previous
    assert (a2.agreed, a2.recorded) == (1, 0)
    assert a2.planned_hours is None and a2.realised_hours is None
    assert a2.realised_percentage is None


def test_goals_achieved_of_rated_goals_of_closed_evaluations(client, world):
    rows = by_name(get_cycle(client, world.staff_a, world.board_a))
    a1 = rows["School A1"].previous
    assert (a1.evaluated, a1.achieved, a1.partly, a1.not_achieved) == (1, 2, 1, 1)
    assert a1.achieved_percentage == D("50.0")  # 2 of 4 rated; the unrated goal is left out
    a2 = rows["School A2"].previous
    assert (a2.agreed, a2.evaluated, a2.rated) == (1, 0, 0)  # its evaluation is still open
    assert a2.achieved_percentage is None


def test_discussions_are_dated_in_the_school_year(client, world):
    rows = by_name(get_cycle(client, world.staff_a, world.board_a))
    last, this = rows["School A1"].previous, rows["School A1"].current
    # Last year: two submissions and a return of last year's package, this year's package
    # submitted in June (before the summer), the evaluation conversation of 20 June.
    assert (last.submitted, last.returned, last.conversations, last.discussions) == (3, 1, 1, 5)
    assert (this.submitted, this.returned, this.conversations, this.discussions) == (1, 0, 0, 1)


def test_board_total_sums_the_schools(client, world):
    total = get_cycle(client, world.staff_a, world.board_a).context["total"]
    last = total.previous
    assert (last.agreed, last.recorded, last.evaluated) == (2, 1, 1)
    assert (last.planned_hours, last.realised_hours) == (D("100.0"), D("80"))
    assert (last.achieved, last.rated, last.discussions) == (2, 4, 5)
    assert total.current.planned_hours == D("10.0")


def test_the_selected_year_and_the_one_before(client, world):
    response = get_cycle(client, world.staff_a, world.board_a, jaar=Y - 1)
    a1 = by_name(response)["School A1"]
    assert (a1.current.start_year, a1.previous.start_year) == (Y - 1, Y - 2)
    assert a1.current.realised_hours == D("80")
    assert a1.previous.agreed == 0 and a1.previous.realised_hours is None


# ---------------------------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------------------------


def test_page_shows_the_table_charts_and_tabs(client, world):
    response = get_cycle(client, world.staff_a, world.board_a)
    assert response.status_code == 200
    text = response.text
    assert "School A1" in text and "School B1" not in text
    assert "33,3" not in text and "80,0" in text and "50,0" in text
    assert 'id="chart-domains-title"' in text and 'id="chart-schools-title"' in text
    domains = Domain.objects.count()
    assert len(response.context["domain_chart"].bars) == 2 * domains
    assert len(response.context["school_chart"].bars) == 2
    assert "style=" not in text
    comparison = reverse("schools:comparison", args=[world.board_a.pk])
    assert f'href="{comparison}?jaar={Y}"' in text
    table = client.get(comparison)
    cycle = reverse("schools:comparison-cycle", args=[world.board_a.pk])
    assert f'href="{cycle}?jaar={Y}"' in table.text


def test_no_evaluation_yet_is_said_not_shown_as_zero(client, world):
    response = get_cycle(client, world.staff_a, world.board_a)
    assert response.context["found"]["evaluation_now"] is False
    assert "Er is nog geen jaarevaluatie van" in response.text
    last_year = get_cycle(client, world.staff_a, world.board_a, jaar=Y - 1)
    assert "Er is nog geen jaarevaluatie van" not in last_year.text


def test_an_evaluation_that_can_still_be_held_is_not_yet_not_no(client, world):
    """This year's evaluation can be held until 31 October after it: "nog niet" until
    then, "nee" only once nothing can be recorded any more."""
    from reporting.cycle import YearFigures
    from reporting.templatetags.cycle_tags import CycleCellWriter

    response = get_cycle(client, world.staff_a, world.board_a)
    assert Y in response.context["evaluation_still_open"]
    assert '<td class="num">nog niet</td>' in response.text
    year = YearFigures(start_year=Y - 1, agreed=1)
    with translation.override("nl"):
        assert ">nog niet<" in CycleCellWriter({Y - 1}).evaluation(year)
        assert ">nee<" in CycleCellWriter(set()).evaluation(year)
        assert ">ja<" in CycleCellWriter({Y - 1}).evaluation(
            YearFigures(start_year=Y - 1, agreed=1, evaluated=1)
        )


def test_an_empty_board_says_nothing_was_recorded(client, cast):
    response = get_cycle(client, cast.staff_a, cast.board_a)
    assert response.status_code == 200
    assert response.context["domain_chart"] is None
    assert "is nog geen realisatie vastgelegd" in response.text


# ---------------------------------------------------------------------------------------------
# Who sees it
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("staff_a", 200),
        ("admin_a", 200),
        ("director_a", 403),  # as the comparison: board pages are for board staff
        ("ib_a", 403),
        ("staff_b", 404),
        ("director_b", 404),
        ("partnership_staff", 404),
    ],
)
def test_who_reads_the_year_cycle(client, world, user, status):
    world.board_a.shares_with_partnership = True  # sharing figures does not share these
    world.board_a.save()
    for name, kwargs in (
        ("schools:comparison-cycle", {}),
        ("schools:comparison-cycle-export", {"fmt": "csv"}),
    ):
        client.force_login(world.user(user))
        url = reverse(name, kwargs={"board_pk": world.board_a.pk, **kwargs})
        assert client.get(url).status_code == status, name


# ---------------------------------------------------------------------------------------------
# The exports, read back
# ---------------------------------------------------------------------------------------------


def export(client, world, fmt: str):
    client.force_login(world.staff_a)
    url = reverse("schools:comparison-cycle-export", args=[world.board_a.pk, fmt])
    response = client.get(url, {"jaar": Y})
    assert response.status_code == 200
    assert f"jaarcyclus-bestuur-a-{Y}-{Y + 1}.{fmt}" in response["Content-Disposition"]
    return response


def label(key: str) -> str:
    with translation.override("nl"):
        columns = {c.key: c for c in cycle_columns(list(Domain.objects.all()), Y)}
    return columns[key].label


def test_csv_export_has_every_figure_of_both_years(client, world):
    raw = export(client, world, "csv").content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(raw), delimiter=";"))
    header, rows = table[0], {line[0]: dict(zip(table[0], line, strict=True)) for line in table[1:]}
    assert len(header) == len(cycle_columns(list(Domain.objects.all()), Y))
    assert list(rows) == ["School A1", "School A2", "Totaal bestuur"]
    a1 = rows["School A1"]
    assert a1[label(f"procent-{Y}")] == "50,0"
    assert a1[label(f"gepland-leren-{Y}")] == "10,0"
    assert a1[label(f"gepland-data-{Y}")] == ""  # its task not recorded yet: no figure
    assert a1[label(f"procent-{Y - 1}")] == "80,0"
    assert a1[label(f"gerealiseerd-zorg-{Y - 1}")] == "30,0"
    assert a1[label(f"behaald-procent-{Y - 1}")] == "50,0"
    assert a1[label(f"deels-{Y - 1}")] == "1"
    assert a1[label(f"besprekingen-{Y - 1}")] == "5"
    assert rows["School A2"][label(f"gepland-{Y - 1}")] == ""  # nothing recorded: empty
    assert rows["Totaal bestuur"][label(f"evaluaties-{Y - 1}")] == "1"


def test_xlsx_export_has_every_figure_of_both_years(client, world):
    book = load_workbook(io.BytesIO(export(client, world, "xlsx").content))
    table = list(book.active.iter_rows(values_only=True))
    header = list(table[0])
    rows = {line[0]: dict(zip(header, line, strict=True)) for line in table[1:]}
    a1 = rows["School A1"]
    assert a1[label(f"gerealiseerd-{Y}")] == pytest.approx(5.0)
    assert a1[label(f"gesprekken-{Y - 1}")] == 1
    assert a1[label(f"behaald-procent-{Y - 1}")] == pytest.approx(50.0)
    assert rows["Totaal bestuur"][label(f"gepland-{Y - 1}")] == pytest.approx(100.0)
    assert rows["School A2"][label(f"gepland-{Y - 1}")] is None


def test_other_boards_figures_count_nowhere(client, world, non_sharing_board):
    """Board C (in the partnership, not sharing) with a full year of its own: board A's
    figures stay A's; partnership staff read neither board's cycle."""
    c = non_sharing_board
    last = agreed_package(c.appointment.shares.get(), Y - 1, {"zorg": "70"})
    f.realisation(last, Moment.END, {"zorg": "70"})
    f.evaluation(last, held_on=datetime.date(Y, 6, 1), closed=True, ratings=(GoalRating.ACHIEVED,))
    response = get_cycle(client, world.staff_a, world.board_a)
    assert set(by_name(response)) == {"School A1", "School A2"}
    total = response.context["total"].previous
    assert (total.planned_hours, total.evaluated, total.rated) == (D("100.0"), 1, 4)
    assert get_cycle(client, c.staff, c.board).context["total"].previous.evaluated == 1
    for board in (world.board_a, c.board):
        assert get_cycle(client, world.partnership_staff, board).status_code == 404


def test_plan_chart_scale_and_colours():
    from reporting.cycle import PlanBar, plan_chart

    chart = plan_chart(
        [
            PlanBar("Op plan", D("100"), D("110")),
            PlanBar("Ver onder", D("100"), D("50")),
            PlanBar("Ver boven", D("100"), D("180")),
            PlanBar("Niets", D("100"), None),
        ]
    )
    assert [tick.label for tick in chart.ticks] == ["0", "50", "100", "150", "200"]
    assert [bar.segments[0].css for bar in chart.bars[:3]] == [
        "chart-fte-ok",
        "chart-fte-short",
        "chart-fte-over",
    ]
    assert chart.bars[3].segments == [] and chart.bars[3].marker_x is None
    with translation.override("nl"):
        small = plan_chart([PlanBar("Klein", D("2"), D("1"))])
    assert [tick.label for tick in small.ticks] == ["0,0", "0,5", "1,0", "1,5", "2,0"]


# ---------------------------------------------------------------------------------------------
# Filters
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "schools"),
    [
        ("", {"School A1", "School A2"}),
        ("geen-realisatie", {"School A2"}),
        ("ver-van-plan", set()),  # A1: 5 under a plan of 10 is not far off
        ("geen-evaluatie", {"School A1"}),  # agreed this year, not evaluated yet; A2: no package
        ("onbekend", {"School A1", "School A2"}),  # an unknown value: the filter is off
    ],
)
def test_the_state_filter_of_the_selected_year(client, world, state, schools):
    response = get_cycle(client, world.staff_a, world.board_a, stand=state)
    assert set(by_name(response)) == schools


def test_filters_narrow_the_total_and_the_export_but_not_what_the_years_hold(client, world):
    """Last year, A1's evaluation was closed and A2's not: the filter keeps A2, the total is
    A2's alone, the export link carries the filter, and "nothing recorded" is not claimed."""
    response = get_cycle(client, world.staff_a, world.board_a, jaar=Y - 1, stand="geen-evaluatie")
    assert set(by_name(response)) == {"School A2"}
    total = response.context["total"].current
    assert (total.agreed, total.evaluated, total.planned_hours) == (1, 0, None)
    assert response.context["found"]["realisation_now"] is True
    assert "1 van 2 scholen getoond" in response.text
    assert "stand=geen-evaluatie" in response.context["csv_url"]
    raw = client.get(response.context["csv_url"]).content.decode("utf-8-sig")
    names = [line.split(";")[0] for line in raw.splitlines()[1:]]
    assert names == ["School A2", "Totaal bestuur"]


def test_the_partnership_filter(client, world):
    world.school_a1.partnership = None
    world.school_a1.save()
    world.school_a2.partnership = world.partnership
    world.school_a2.save()
    response = get_cycle(client, world.staff_a, world.board_a, swv=world.partnership.pk)
    assert set(by_name(response)) == {"School A2"}
    response = get_cycle(client, world.staff_a, world.board_a, swv="geen")
    assert set(by_name(response)) == {"School A1"}


def test_a_filter_that_matches_no_school_draws_no_chart(client, world):
    """Not a chart of "not recorded" bars for hours that were recorded: the page says that no
    school matches."""
    response = get_cycle(client, world.staff_a, world.board_a, jaar=Y - 1, stand="ver-van-plan")
    assert response.context["rows"] == []
    assert response.context["domain_chart"] is None and response.context["school_chart"] is None
    assert response.text.count("Geen school voldoet aan deze filters") >= 2
