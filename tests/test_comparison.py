"""The comparison of schools (issue #4): numbers against hand-computed values, totals, sorting,
filters, the partnership's read-only view, the exports, the norm on the school page, a school
over the years, and the query counts of 1 and 100 schools.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from reporting.charts import LABEL_WIDTH, _short, domain_mix_chart, fte_chart
from reporting.comparison import comparison_columns
from schools.figures import multi_school_groups
from schools.models import Membership, Role, SchoolYear
from schools.norms import school_norms
from tasks.models import (
    DivisionAssignment,
    Domain,
    PackageStatus,
    RoleHolder,
    TaskDivision,
)

from . import factories as f


def year() -> int:
    return SchoolYear.current_start_year()


def domain(code: str) -> Domain:
    return Domain.objects.get(code=code)


@dataclass
class World:
    """Board A of the cast, this school year:

    - A1: 250 pupils, 10 groups; ib_a 0.8 fte. Package submitted, current version 2 with
      leren 20 h, data 10 h, zorg 10 h (not IB work); version 1 (100 h zorg) no longer counts.
    - A2: 600 pupils, 24 groups; an IB of 0.4 fte (below the minimum of 0.6): short.
    - A3: no figures, no IB, no partnership.
    - A4: 60 pupils, 3 groups; an IB of 0.5 fte (below the minimum too): over.
    """

    cast: object
    a3: object
    a4: object
    ib_a2: object


def add_division(school, hours: dict[str, str], start_year=None) -> TaskDivision:
    """A task division with one own task per role: {role: hours}."""
    division = TaskDivision.objects.create(
        school=school, school_year=f.SchoolYearFactory(start_year=start_year or year())
    )
    for role, value in hours.items():
        holder = RoleHolder.objects.create(division=division, role=role, hours=D("100"))
        DivisionAssignment.objects.create(
            division=division,
            holder=holder,
            key=f"custom:taak {role}",
            title=f"Taak {role}",
            domain=domain("zorg"),
            hours=D(value),
        )
    return division


def add_package(share, status, items, start_year=None):
    package = f.PackageFactory(
        share=share,
        school_year=f.SchoolYearFactory(start_year=start_year or year()),
        status=status,
    )
    version = package.versions.get()
    for code, hours, is_ib in items:
        f.PackageItemFactory(
            version=version,
            task=None,
            title=f"Taak {code} {hours}",
            domain=domain(code),
            hours=D(hours),
            is_ib_task=is_ib,
            not_ib_reason="" if is_ib else "Geen IB-werk",
        )
    return package


@pytest.fixture
def world(cast) -> World:
    board = cast.board_a
    school_year = f.SchoolYearFactory(start_year=year())
    f.SchoolFiguresFactory(school=cast.school_a2, school_year=school_year, pupils=600, groups=24)
    a3 = f.SchoolFactory(board=board, name="School A3", partnership=None)
    a4 = f.SchoolFactory(board=board, name="School A4", partnership=cast.partnership)
    f.SchoolFiguresFactory(school=a4, school_year=school_year, pupils=60, groups=3)
    ib_a2 = f.AppointmentFactory(board=board, shares=[(cast.school_a2, D("0.4"))])
    f.AppointmentFactory(board=board, shares=[(a4, D("0.5"))])

    share = cast.appointment_a.shares.get()
    package = add_package(share, PackageStatus.CONCEPT, [("zorg", "100", True)])
    version = f.PackageVersionFactory(package=package, status=PackageStatus.SUBMITTED)
    for code, hours, is_ib in [("leren", "20", True), ("data", "10", True), ("zorg", "10", False)]:
        f.PackageItemFactory(
            version=version,
            task=None,
            title=f"Taak {code}",
            domain=domain(code),
            hours=D(hours),
            is_ib_task=is_ib,
            not_ib_reason="" if is_ib else "Remedial teaching",
        )
    return World(cast=cast, a3=a3, a4=a4, ib_a2=ib_a2)


def get_comparison(client, user, board, **params):
    client.force_login(user)
    response = client.get(reverse("schools:comparison", args=[board.pk]), params)
    assert response.status_code == 200
    return response


def rows_by_name(response) -> dict:
    return {row.school.name: row for row in response.context["rows"]}


def names(response) -> list[str]:
    return [row.school.name for row in response.context["rows"]]


# ---------------------------------------------------------------------------------------------
# The numbers
# ---------------------------------------------------------------------------------------------


def test_row_numbers_against_hand_computed_values(client, world):
    rows = rows_by_name(get_comparison(client, world.cast.staff_a, world.cast.board_a))
    a1 = rows["School A1"]
    assert (a1.pupils, a1.groups) == (250, 10)
    assert a1.appointed_fte == D("0.80")
    assert a1.norm_fte == D("0.83")  # 250 / 300
    assert a1.difference == D("-0.03")
    assert a1.deviation == ""
    assert a1.hours_per_100_pupils == D("12.8")  # 0.8 x 40 / 250 x 100
    # Only the current version counts: 40 hours, not 140.
    assert a1.package_hours == D("40")
    # The three LBBO domains, then the general school duties (none here).
    assert [share.percentage for share in a1.domain_mix] == [
        D("50.0"),
        D("25.0"),
        D("25.0"),
        D("0.0"),
    ]
    assert a1.not_ib_percentage == D("25.0")
    assert a1.statuses == [PackageStatus.SUBMITTED]
    assert [ib.name for ib in a1.ibs] == [world.cast.ib_a.get_full_name()]
    assert a1.below_minimum is False

    a2 = rows["School A2"]
    assert a2.norm_fte == D("2.00")  # 600 / 300
    assert a2.difference == D("-1.60")
    assert a2.deviation == "short"
    assert a2.hours_per_100_pupils == D("2.7")  # 0.4 x 40 / 600 x 100 = 2.67
    assert a2.below_minimum is True
    assert a2.statuses == []
    assert a2.not_ib_percentage is None

    a3 = rows["School A3"]
    assert (a3.pupils, a3.norm_fte, a3.difference) == (None, None, None)
    assert a3.appointed_fte == D("0.00")
    assert a3.hours_per_100_pupils is None
    assert a3.ibs == []

    a4 = rows["School A4"]
    assert a4.norm_fte == D("0.20")
    assert a4.difference == D("0.30")
    assert a4.deviation == "over"


def test_the_boards_chosen_norm_is_used(client, world):
    board = world.cast.board_a
    board.norm_kind = board.NormKind.GROUPS  # 2 h a week per group, 40 h a week per fte
    board.save()
    rows = rows_by_name(get_comparison(client, world.cast.staff_a, board))
    assert rows["School A1"].norm_fte == D("0.50")  # 10 x 2 / 40
    assert rows["School A2"].norm_fte == D("1.20")  # 24 x 2 / 40
    assert rows["School A1"].difference == D("0.30")


def test_multi_school_director_schools_share_the_fixed_fte(client, world):
    cast = world.cast
    f.SchoolFiguresFactory(
        school=cast.school_a2, school_year=f.SchoolYearFactory(start_year=year() - 1)
    )
    # A director of A2 and A4: 600 + 60 pupils share 1 fte.
    f.director(cast.school_a2, world.a4, username="meerschools")
    rows = rows_by_name(get_comparison(client, cast.staff_a, cast.board_a))
    assert rows["School A2"].norms.chosen.kind == "multi"
    assert rows["School A2"].norm_fte == D("0.91")  # 1 x 600 / 660
    assert rows["School A4"].norm_fte == D("0.09")  # 1 x 60 / 660
    assert rows["School A1"].norms.chosen.kind == "pupils"


def test_multi_school_groups_merge_when_a_school_has_two_such_directors():
    groups = multi_school_groups([(1, 10, 5), (1, 11, 5), (2, 11, 5), (2, 12, 5), (3, 13, 5)])
    assert groups[10] == groups[12] == frozenset({10, 11, 12})
    assert 13 not in groups


def test_totals_are_sums_and_weighted_percentages(client, world):
    cast = world.cast
    # A second package at A4, 60 hours of data: the mix of the total weighs hours.
    add_package(world.a4.ib_shares.get(), PackageStatus.AGREED, [("data", "60", True)])
    totals = get_comparison(client, cast.staff_a, cast.board_a).context["totals"]
    assert totals.schools == 4
    assert (totals.pupils, totals.groups) == (910, 37)
    assert totals.appointed_fte == D("1.70")
    assert totals.norm_fte == D("3.03")
    assert totals.difference == D("-1.33")
    # (0.8 + 0.4 + 0.5) x 40 / (250 + 600 + 60) x 100 = 7.47
    assert totals.hours_per_100_pupils == D("7.5")
    assert totals.package_hours == D("100")
    assert [s.percentage for s in totals.domain_mix] == [
        D("20.0"),
        D("70.0"),
        D("10.0"),
        D("0.0"),  # general school duties
    ]
    assert totals.not_ib_percentage == D("10.0")
    assert totals.status_counts == [(PackageStatus.SUBMITTED, 1), (PackageStatus.AGREED, 1)]
    assert totals.without_package == 2
    assert (totals.ib_count, totals.below_minimum) == (3, 2)  # 0.4 and 0.5 < 0.6


def test_appointments_are_read_on_the_reference_date_of_the_year(client, world):
    cast = world.cast
    # Last year: ib_a's appointment (from 1 August 2025) was active on 1 October 2025 only
    # if that year is 2025 or later.
    last = year() - 1
    rows = rows_by_name(get_comparison(client, cast.staff_a, cast.board_a, jaar=last))
    expected = D("0.80") if datetime.date(last, 10, 1) >= datetime.date(2025, 8, 1) else D("0")
    assert rows["School A1"].appointed_fte == expected
    assert rows["School A1"].pupils is None  # no figures last year
    assert rows["School A1"].statuses == []  # the package is this year's


# ---------------------------------------------------------------------------------------------
# Sorting and filters
# ---------------------------------------------------------------------------------------------


def test_default_order_is_by_school_name(client, world):
    response = get_comparison(client, world.cast.staff_a, world.cast.board_a)
    assert names(response) == ["School A1", "School A2", "School A3", "School A4"]


@pytest.mark.parametrize(
    ("direction", "expected"),
    [
        ("asc", ["School A2", "School A1", "School A4", "School A3"]),
        ("desc", ["School A4", "School A1", "School A2", "School A3"]),
    ],
)
def test_sort_on_difference_puts_unknown_last(client, world, direction, expected):
    response = get_comparison(
        client, world.cast.staff_a, world.cast.board_a, sort="verschil", dir=direction
    )
    assert names(response) == expected
    active = [h for h in response.context["headers"] if h.aria_sort]
    assert [(h.column.key, h.aria_sort) for h in active] == [
        ("verschil", "ascending" if direction == "asc" else "descending")
    ]
    assert f'aria-sort="{active[0].aria_sort}"' in response.text


def all_columns(client, world) -> dict:
    """The query that chooses every on-screen column in the column chooser."""
    response = get_comparison(client, world.cast.staff_a, world.cast.board_a)
    return {
        "kolommen": "1",
        "kolom": [column.key for column, _checked in response.context["choosable_columns"]],
    }


def test_every_column_sorts_both_ways(client, world):
    response = get_comparison(
        client, world.cast.staff_a, world.cast.board_a, **all_columns(client, world)
    )
    keys = [header.column.key for header in response.context["headers"]]
    assert "leerlingen" in keys and "domein-leren" in keys and "minimum" in keys
    for key in keys:
        for direction in ("asc", "desc"):
            sorted_response = get_comparison(
                client, world.cast.staff_a, world.cast.board_a, sort=key, dir=direction
            )
            assert sorted(names(sorted_response)) == sorted(names(response)), key


def test_sort_on_pupils_descending(client, world):
    response = get_comparison(
        client, world.cast.staff_a, world.cast.board_a, sort="leerlingen", dir="desc"
    )
    assert names(response) == ["School A2", "School A1", "School A4", "School A3"]


def test_unknown_sort_key_falls_back_to_the_school_name(client, world):
    response = get_comparison(client, world.cast.staff_a, world.cast.board_a, sort="pk; drop")
    assert names(response) == ["School A1", "School A2", "School A3", "School A4"]


def test_header_links_keep_the_filters(client, world):
    response = get_comparison(
        client, world.cast.staff_a, world.cast.board_a, jaar=year(), afwijking="buiten"
    )
    url = next(h.url for h in response.context["headers"] if h.column.key == "fte")
    assert "afwijking=buiten" in url and f"jaar={year()}" in url and "sort=fte" in url


def header_keys(response) -> list[str]:
    return [header.column.key for header in response.context["headers"]]


def test_fewer_columns_by_default_the_rest_in_the_chooser(client, world):
    """A laptop's width: the columns a board compares first; the others can be ticked."""
    response = get_comparison(client, world.cast.staff_a, world.cast.board_a)
    keys = header_keys(response)
    assert keys[0] == "school"
    assert {"leerlingen", "fte", "norm", "verschil", "pakketuren", "niet-ib", "status"} <= set(keys)
    assert not {"groepen", "uren100", "domein-leren", "ib"} & set(keys)
    unticked = {column.key for column, checked in response.context["choosable_columns"]}
    assert {"groepen", "uren100", "domein-leren", "ib"} <= unticked
    html = response.text
    assert 'name="kolom" value="groepen"' in html and 'name="kolom" value="fte"' in html


def test_chosen_columns_are_shown_and_kept_in_the_sort_links(client, world):
    response = get_comparison(
        client,
        world.cast.staff_a,
        world.cast.board_a,
        kolommen="1",
        kolom=["groepen", "fte", "onzin"],
        afwijking="buiten",
    )
    assert header_keys(response) == ["school", "groepen", "fte"]
    checked = {column.key for column, checked in response.context["choosable_columns"] if checked}
    assert checked == {"groepen", "fte"}
    url = next(h.url for h in response.context["headers"] if h.column.key == "fte")
    assert "kolommen=1" in url and "kolom=groepen" in url and "kolom=fte" in url
    assert "afwijking=buiten" in url
    # Nothing ticked: only the school column.
    response = get_comparison(client, world.cast.staff_a, world.cast.board_a, kolommen="1")
    assert header_keys(response) == ["school"]


def test_export_keeps_every_column_whatever_is_chosen(client, world):
    client.force_login(world.cast.staff_a)
    url = reverse("schools:comparison-export", args=[world.cast.board_a.pk, "csv"])
    response = client.get(url, {"kolommen": "1", "kolom": ["fte"]})
    header = response.content.decode("utf-8-sig").splitlines()[0].split(";")
    with translation.override("nl"):
        labels = [
            str(column.label)
            for column in comparison_columns(list(Domain.objects.all()), show_board=False)
        ]
    assert header == labels and len(header) > 10


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"afwijking": "tekort"}, ["School A2"]),
        ({"afwijking": "boven"}, ["School A4"]),
        ({"afwijking": "buiten"}, ["School A2", "School A4"]),
        ({"afwijking": "binnen"}, ["School A1"]),
        ({"status": "voorgelegd"}, ["School A1"]),
        ({"status": "akkoord"}, []),
        ({"status": "geen"}, ["School A2", "School A3", "School A4"]),
        ({"swv": "geen"}, ["School A3"]),
        ({"status": "onzin", "afwijking": "tekort"}, ["School A2"]),
    ],
)
def test_filters(client, world, params, expected):
    response = get_comparison(client, world.cast.staff_a, world.cast.board_a, **params)
    assert names(response) == expected


def test_partnership_filter(client, world):
    response = get_comparison(
        client, world.cast.staff_a, world.cast.board_a, swv=world.cast.partnership.pk
    )
    assert names(response) == ["School A1", "School A2", "School A4"]
    assert response.context["totals"].schools == 3


def test_filtered_totals_cover_the_rows_shown(client, world):
    response = get_comparison(client, world.cast.staff_a, world.cast.board_a, afwijking="buiten")
    totals = response.context["totals"]
    assert totals.pupils == 660
    assert totals.difference == D("-1.30")


def test_page_shows_numbers_highlights_and_charts_without_inline_style(client, world):
    response = get_comparison(
        client, world.cast.staff_a, world.cast.board_a, **all_columns(client, world)
    )
    html = response.text
    assert "12,8" in html  # hours per 100 pupils, decimal comma
    assert "-1,60" in html and "table-danger" in html  # short
    assert "+0,30" in html and "table-info" in html  # over
    assert html.count("<svg") >= 2 and "<title" in html
    assert "style=" not in html
    assert "<script>" not in html.replace("<script src=", "")


# ---------------------------------------------------------------------------------------------
# The partnership's read-only view
# ---------------------------------------------------------------------------------------------


def get_partnership_comparison(client, cast, **params):
    client.force_login(cast.partnership_staff)
    url = reverse("schools:partnership-comparison", args=[cast.partnership.pk])
    response = client.get(url, params)
    assert response.status_code == 200
    return response


def share(board) -> None:
    board.shares_with_partnership = True
    board.save()


def test_partnership_view_is_empty_while_no_board_shares(client, world):
    response = get_partnership_comparison(client, world.cast)
    assert names(response) == []
    assert "shares its figures" in response.text or "deelt" in response.text


def test_partnership_view_includes_only_sharing_boards(client, world):
    cast = world.cast
    share(cast.board_a)
    response = get_partnership_comparison(client, cast)
    # A3 has no partnership; board B does not share.
    assert names(response) == ["School A1", "School A2", "School A4"]
    assert response.context["show_board"] is True
    share(cast.board_b)
    response = get_partnership_comparison(client, cast)
    assert "School B1" in names(response)
    assert rows_by_name(response)["School A1"].appointed_fte == D("0.80")


def test_partnership_staff_do_not_get_the_board_url_even_when_shared(client, world):
    share(world.cast.board_a)
    client.force_login(world.cast.partnership_staff)
    for name, kwargs in [
        ("schools:comparison", {"board_pk": world.cast.board_a.pk}),
        ("schools:comparison-export", {"board_pk": world.cast.board_a.pk, "fmt": "csv"}),
    ]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404


def test_board_staff_do_not_get_the_partnership_view(client, world):
    share(world.cast.board_a)
    client.force_login(world.cast.staff_a)
    url = reverse("schools:partnership-comparison", args=[world.cast.partnership.pk])
    assert client.get(url).status_code == 404


# ---------------------------------------------------------------------------------------------
# Exports: exactly the numbers on screen
# ---------------------------------------------------------------------------------------------


def export(client, world, fmt, **params):
    cast = world.cast
    client.force_login(cast.staff_a)
    url = reverse("schools:comparison-export", args=[cast.board_a.pk, fmt])
    response = client.get(url, params)
    assert response.status_code == 200
    page = get_comparison(client, cast.staff_a, cast.board_a, **params)
    columns = comparison_columns(page.context["domains"], show_board=False)
    return response, page, columns


def expected_cells(page, columns):
    rows = page.context["rows"]
    totals = page.context["totals"]
    return [[c.value(row) for c in columns] for row in rows] + [[c.total(totals) for c in columns]]


def as_decimal(text: str) -> D | None:
    return None if text == "" else D(text.replace(",", "."))


PARAMS = {"sort": "verschil", "dir": "asc", "afwijking": "buiten"}


def test_csv_export_equals_the_page(client, world):
    response, page, columns = export(client, world, "csv", **PARAMS)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert table[0] == [column.label for column in columns]
    expected = expected_cells(page, columns)
    assert len(table) == 1 + len(expected)  # header, the two rows, totals
    assert [line[0] for line in table[1:-1]] == ["School A2", "School A4"]
    for line, values in zip(table[1:], expected, strict=True):
        for cell, value, column in zip(line, values, columns, strict=True):
            if column.numeric and not isinstance(value, str):
                assert as_decimal(cell) == value, column.key
            else:
                assert cell == ("" if value is None else str(value)), column.key
    fte = [column.key for column in columns].index("verschil")
    assert table[1][fte] == "-1,60"  # decimal comma, two places as on screen


def test_xlsx_export_equals_the_page(client, world):
    response, page, columns = export(client, world, "xlsx", **PARAMS)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    table = list(sheet.iter_rows(values_only=True))
    assert list(table[0]) == [column.label for column in columns]
    expected = expected_cells(page, columns)
    assert len(table) == 1 + len(expected)
    for line, values in zip(table[1:], expected, strict=True):
        for cell, value, column in zip(line, values, columns, strict=True):
            if column.numeric and value is not None:
                assert isinstance(cell, int | float), column.key
                assert cell == pytest.approx(float(value)), column.key
            else:
                assert cell == value or (cell is None and value in ("", None)), column.key
    keys = [column.key for column in columns]
    assert sheet.cell(row=2, column=keys.index("fte") + 1).number_format == "0.00"
    assert sheet.cell(row=2, column=keys.index("uren100") + 1).number_format == "0.0"
    # Written row by row (write-only mode), still with the header and totals in bold, the
    # header and school column frozen and a filter over the schools.
    assert sheet.cell(row=1, column=1).font.bold and sheet.cell(row=len(table), column=1).font.bold
    assert not sheet.cell(row=2, column=1).font.bold
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(columns))}{len(table) - 1}"


def test_partnership_export(client, world):
    share(world.cast.board_a)
    client.force_login(world.cast.partnership_staff)
    url = reverse("schools:partnership-comparison-export", args=[world.cast.partnership.pk, "csv"])
    table = list(
        csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig")), delimiter=";")
    )
    assert [line[0] for line in table[1:-1]] == ["School A1", "School A2", "School A4"]
    board_column = table[0].index(str(comparison_columns([], show_board=True)[2].label))
    assert {line[board_column] for line in table[1:-1]} == {"Bestuur A"}


def test_unknown_export_format_is_404(client, world):
    client.force_login(world.cast.staff_a)
    url = reverse("schools:comparison-export", args=[world.cast.board_a.pk, "pdf"])
    assert client.get(url).status_code == 404


def test_text_that_looks_like_a_formula_is_not_a_formula(client, world):
    world.a3.name = "=HYPERLINK(1)"
    world.a3.save()
    response, _page, _columns = export(client, world, "csv", swv="geen")
    assert "'=HYPERLINK(1)" in response.content.decode("utf-8-sig")


# ---------------------------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------------------------


def test_charts_have_a_bar_per_school_with_the_table_numbers(client, world):
    rows = get_comparison(client, world.cast.staff_a, world.cast.board_a).context["rows"]
    mix = domain_mix_chart(rows, lambda row: row.school.name)
    assert len(mix.bars) == 4
    widths = [float(segment.width) for segment in mix.bars[0].segments]
    assert widths == pytest.approx([215.0, 107.5, 107.5])  # 50/25/25 % of 430
    assert mix.bars[1].segments == []  # no package: no bar, a text instead
    fte = fte_chart(rows, lambda row: row.school.name)
    a2 = fte.bars[1]
    assert a2.segments[0].css == "chart-fte chart-fte-short"
    assert a2.marker_x is not None
    assert fte.bars[2].marker_x is None  # A3: no norm


def test_a_shortened_chart_label_fits_left_of_the_bars_in_a_wide_font():
    """Labels are right-aligned at LABEL_WIDTH and the SVG clips what starts left of 0. In
    DejaVu Sans, a common default sans on Linux, 13 px, Chromium measured the 34-character
    label "RKBS De Horizon, locatie Zilverac…" at 231 px: its first letters were cut off."""
    px_per_char = 231 / 34
    label = _short("RKBS De Horizon, locatie Zilverackers, dependance Noord")
    assert label.endswith("…")
    assert len(label) * px_per_char <= LABEL_WIDTH - 8


# ---------------------------------------------------------------------------------------------
# The school page: the norm and the other norms side by side
# ---------------------------------------------------------------------------------------------


def test_school_page_shows_every_norm_with_its_arithmetic(client, world):
    cast = world.cast
    client.force_login(cast.director_a)
    response = client.get(reverse("schools:school-detail", args=[cast.school_a1.pk]))
    norm = response.context["norm"]
    assert norm.norm_fte == D("0.83") and norm.appointed_fte == D("0.80")
    expected = school_norms(cast.board_a, pupils=250, groups=10)
    for result in expected.all:
        assert result.arithmetic in response.text
    assert "250 / 300 = 0,83 fte" in response.text


def test_school_page_hides_the_norm_from_partnership_staff_unless_shared(client, world):
    cast = world.cast
    client.force_login(cast.partnership_staff)
    url = reverse("schools:school-detail", args=[cast.school_a1.pk])
    assert "norm" not in client.get(url).context
    share(cast.board_a)
    assert client.get(url).context["norm"].norm_fte == D("0.83")


def test_school_page_norm_for_a_chosen_year(client, world):
    cast = world.cast
    client.force_login(cast.staff_a)
    url = reverse("schools:school-detail", args=[cast.school_a1.pk])
    norm = client.get(url, {"jaar": year() - 1}).context["norm"]
    assert norm.norm_fte is None  # no figures that year


# ---------------------------------------------------------------------------------------------
# A school over the years
# ---------------------------------------------------------------------------------------------


def test_school_years_per_year(client, world):
    cast = world.cast
    last = f.SchoolYearFactory(start_year=year() - 1)
    f.SchoolFiguresFactory(school=cast.school_a1, school_year=last, pupils=300, groups=12)
    add_package(
        cast.appointment_a.shares.get(),
        PackageStatus.AGREED,
        [("leren", "30", True)],
        last.start_year,
    )
    client.force_login(cast.staff_a)
    response = client.get(reverse("schools:school-years", args=[cast.school_a1.pk]))
    assert response.status_code == 200
    rows = {row.start_year: row for row in response.context["rows"]}
    assert set(rows) == {year() - 1, year()}
    assert (rows[year() - 1].pupils, rows[year() - 1].norm_fte) == (300, D("1.00"))
    assert [s.percentage for s in rows[year() - 1].domain_mix] == [
        D("100.0"),
        D("0.0"),
        D("0.0"),
        D("0.0"),  # general school duties
    ]
    assert (rows[year()].pupils, rows[year()].norm_fte) == (250, D("0.83"))
    assert rows[year()].appointed_fte == D("0.80")
    assert rows[year()].not_ib_percentage == D("25.0")
    assert "style=" not in response.text


def test_school_years_for_partnership_staff_only_when_shared(client, world):
    cast = world.cast
    client.force_login(cast.partnership_staff)
    url = reverse("schools:school-years", args=[cast.school_a1.pk])
    assert client.get(url).status_code == 404
    share(cast.board_a)
    assert client.get(url).status_code == 200


# ---------------------------------------------------------------------------------------------
# Links
# ---------------------------------------------------------------------------------------------


def test_board_page_shows_the_chosen_norm_and_links_to_the_comparison(client, world):
    cast = world.cast
    client.force_login(cast.staff_a)
    response = client.get(reverse("schools:board-detail", args=[cast.board_a.pk]))
    url = reverse("schools:comparison", args=[cast.board_a.pk])
    assert f'href="{url}"' in response.text
    assert school_norms(cast.board_a, pupils=None, groups=None).chosen.label in response.text


def test_partnership_page_links_to_its_comparison(client, world):
    client.force_login(world.cast.partnership_staff)
    response = client.get(reverse("schools:partnership-detail", args=[world.cast.partnership.pk]))
    assert reverse("schools:partnership-comparison", args=[world.cast.partnership.pk]) in (
        response.text
    )


# ---------------------------------------------------------------------------------------------
# Query counts: 1 school costs what 100 cost
# ---------------------------------------------------------------------------------------------

# Every logged-in request: the session, the user, the user's memberships (get_scope, once).
REQUEST = 3
# What every comparison reads, whatever the number of schools.
COMPARISON = (
    1  # the LBBO domains, for the columns
    + 1  # the schools with board and partnership, their figures and appointed fte (subqueries)
    + 1  # the directors of the boards' schools with their pupils: multi-school groups
    # the year's packages in their newest version: status, hours per domain and not-IB hours
    # (conditional Sums; one query since issue #12, before it two)
    + 1
    + 1  # the IBs at work with their appointment's total fte (a subquery)
)


def build_board(size: int):
    """A board with ``size`` schools, each with figures, a director (every two schools share
    one, so there are multi-school groups), an IB and a package with items in two domains."""
    board = f.BoardFactory(shares_with_partnership=True)
    partnership = f.PartnershipFactory()
    board.partnerships.add(partnership)
    school_year = f.SchoolYearFactory(start_year=year())
    director = None
    for index in range(size):
        school = f.SchoolFactory(board=board, partnership=partnership)
        if index % 2 == 0:
            director = f.UserFactory()
        Membership.objects.create(user=director, role=Role.DIRECTOR, school=school)
        f.SchoolFiguresFactory(school=school, school_year=school_year)
        appointment = f.AppointmentFactory(board=board, shares=[(school, D("0.5"))])
        add_package(
            appointment.shares.get(),
            PackageStatus.AGREED,
            [("leren", "20", True), ("zorg", "10", False)],
        )
        add_division(school, {"coordinator_taal": "15", "directeur": "5"})
    return board, partnership


def test_board_comparison_shows_how_care_hours_spread_over_the_roles(client, db):
    board, partnership = build_board(2)
    school = board.schools.order_by("pk").first()
    client.force_login(f.board_staff(board))
    url = reverse("schools:comparison", args=[board.pk])
    # Hidden by default (their query too): one tick away in the column chooser.
    default = client.get(url).context["rows"]
    assert all(row.role_hours is None for row in default)
    rows = client.get(url, {"kolommen": "1", "kolom": ["school", "zorg-ib"]}).context["rows"]
    row = next(row for row in rows if row.school.pk == school.pk)
    # The IB's package 30 h, a coordinator 15 h and the director 5 h: the IB does 60 %.
    assert (row.ib_care_percentage, row.other_hours) == (D("60.0"), D("20.0"))
    assert row.group_hours("coordinators") == D("15.0")
    response = client.get(reverse("schools:comparison-export", args=[board.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    table = [[cell.value for cell in line] for line in sheet.iter_rows()]
    with translation.override("nl"):
        column = table[0].index(translation.gettext("Hours of coordinators"))
    assert [line[column] for line in table[1:]] == [15, 15, 30]  # two schools, the total
    # The partnership compares the IB's figures: nothing of the schools' division.
    client.force_login(f.partnership_staff(partnership))
    page = client.get(reverse("schools:partnership-comparison", args=[partnership.pk]))
    assert all(row.role_hours is None for row in page.context["rows"])


@pytest.mark.parametrize("size", [1, 100])
def test_board_comparison_query_count(client, db, size, django_assert_num_queries):
    board, _partnership = build_board(size)
    client.force_login(f.board_staff(board))
    url = reverse("schools:comparison", args=[board.pk])
    with django_assert_num_queries(
        REQUEST
        + 1  # the board, through the user's boards
        + COMPARISON
        + 1  # known school years, for the year picker
    ):
        response = client.get(url, {"sort": "verschil", "status": "akkoord"})
    assert response.status_code == 200
    assert len(response.context["rows"]) == size


@pytest.mark.parametrize("size", [1, 100])
def test_partnership_comparison_query_count(client, db, size, django_assert_num_queries):
    _board, partnership = build_board(size)
    client.force_login(f.partnership_staff(partnership))
    url = reverse("schools:partnership-comparison", args=[partnership.pk])
    with django_assert_num_queries(
        REQUEST
        + 1  # the partnership, through Partnership.objects.for_user
        + COMPARISON
        - 1  # no IBs: partnership staff see no appointments (an empty scope, no query)
        + 1  # the partnership's boards: which share and which do not
        + 1  # known school years, for the year picker
    ):
        response = client.get(url)
    assert len(response.context["rows"]) == size


@pytest.mark.parametrize("size", [1, 100])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_query_count(client, db, size, fmt, django_assert_num_queries):
    board, _partnership = build_board(size)
    client.force_login(f.board_staff(board))
    url = reverse("schools:comparison-export", args=[board.pk, fmt])
    # + the board; + the task divisions' hours per school and role (issue 16: always in the
    # export); + the security event that records the export (issue 15)
    with django_assert_num_queries(REQUEST + 1 + COMPARISON + 1 + 1):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("size", [1, 100])
def test_school_years_query_count(client, db, size, django_assert_num_queries):
    board, _partnership = build_board(size)
    school = board.schools.first()
    for start_year in range(year() - 4, year()):
        f.SchoolFiguresFactory(
            school=school, school_year=f.SchoolYearFactory(start_year=start_year)
        )
    client.force_login(f.board_staff(board))
    with django_assert_num_queries(
        REQUEST
        + 1  # the school with board and partnership, through School.objects.for_user
        + 1  # known school years
        + 1  # the LBBO domains
        + 1  # the directors of the board's schools: multi-school groups
        + 1  # the figures of the school and its group, every year
        + 1  # appointed fte per year: one column per year (conditional Sum)
        + 1  # hours per year and domain of the current package versions
    ):
        response = client.get(reverse("schools:school-years", args=[school.pk]))
    assert len(response.context["rows"]) == 5


def test_charts_are_left_out_for_very_many_schools(client, world, monkeypatch):
    monkeypatch.setattr("reporting.views.CHART_MAX_BARS", 3)
    response = get_comparison(client, world.cast.staff_a, world.cast.board_a)
    assert response.context["show_charts"] is False
    assert '<svg class="chart-svg"' not in response.text
    filtered = get_comparison(client, world.cast.staff_a, world.cast.board_a, afwijking="buiten")
    assert filtered.context["show_charts"] is True


def orm_package_figures(school_ids, start_year, domains):
    """The figures of ``package_figures`` as the ORM computes them (the reference)."""
    from django.db.models import Q, Sum

    from reporting.comparison import current_versions

    per_domain = {f"d{d.pk}": Sum("items__hours", filter=Q(items__domain_id=d.pk)) for d in domains}
    hours, not_ib, statuses = {}, {}, {}
    for school_id, status, not_ib_total, *totals in (
        current_versions()
        .filter(package__school_year__start_year=start_year, package__share__school__in=school_ids)
        .annotate(not_ib=Sum("items__hours", filter=Q(items__is_ib_task=False)), **per_domain)
        .values_list("package__share__school_id", "status", "not_ib", *per_domain)
    ):
        statuses.setdefault(school_id, set()).add(status)
        school = hours.setdefault(school_id, {})
        for d, total in zip(domains, totals, strict=True):
            if total is not None:
                school[d.pk] = school.get(d.pk, D(0)) + total
        not_ib[school_id] = not_ib.get(school_id, D(0)) + (not_ib_total or D(0))
    return hours, not_ib, statuses


def test_package_figures_in_sql_match_the_orm(world):
    """The comparison's hand-written query (``package_figures``) sums what the ORM sums: only
    the newest version, hours per domain with decimals, tasks that are not IB work, packages
    without tasks, two IBs at one school, another year and another school left out."""
    from reporting.comparison import package_figures

    cast = world.cast
    second = f.AppointmentFactory(board=cast.board_a, shares=[(cast.school_a1, D("0.2"))])
    add_package(
        second.shares.get(),
        PackageStatus.AGREED,
        [("leren", "12.5", True), ("leren", "0.3", True), ("zorg", "7.7", False)],
    )
    add_package(world.ib_a2.shares.get(), PackageStatus.CONCEPT, [])
    add_package(world.ib_a2.shares.get(), PackageStatus.AGREED, [("data", "99", True)], year() - 1)
    domains = list(Domain.objects.all())
    ids = [cast.school_a1.pk, cast.school_a2.pk, world.a3.pk]

    figures = package_figures(ids, year(), domains)

    assert figures == orm_package_figures(ids, year(), domains)
    hours, not_ib, statuses = figures
    assert hours[cast.school_a1.pk][domain("leren").pk] == D("32.8")
    assert not_ib[cast.school_a1.pk] == D("17.7")
    assert statuses[cast.school_a1.pk] == {PackageStatus.SUBMITTED, PackageStatus.AGREED}
    assert statuses[cast.school_a2.pk] == {PackageStatus.CONCEPT}
    assert world.a3.pk not in statuses
    assert package_figures([], year(), domains) == ({}, {}, {})
