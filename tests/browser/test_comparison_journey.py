"""The comparison of a board's schools and a DUO pupils import, through the real pages in
headless Chromium.

Board staff compare three schools of very different sizes (one short of the norm, one within,
one over), sort on the difference from the norm, see the charts and download the Excel export;
then they import DUO's pupil counts (semicolons, Latin-1), check the preview, process it, and
find the new count in the comparison.

The pages are being translated, so elements are found by id, name, href, values, CSS classes
the code sets (``import-<action>``, ``table-danger``, ``chart-fte-<deviation>``) and by the
names and numbers in the test data, never by UI wording. Columns are found by the ``sort`` key
in their header link.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from playwright.sync_api import Locator, Page, expect

from reporting.comparison import comparison_columns
from schools.models import ImportBatch, School, SchoolFigures, SchoolYear
from tasks.models import Domain
from tests import factories as f
from tests.browser.test_journeys import log_in, url_re

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOARD_NUMBER = "41234"
OTHER_BOARD_NUMBER = "52345"
NUMBER = re.compile(r"[+-]?\d+(?:,\d+)?")


@dataclass(frozen=True)
class Expected:
    """One school's row as computed by hand: norm = pupils / 300 (the default policy)."""

    school: School
    pupils: int
    appointed: Decimal
    norm: Decimal
    deviation: str  # "short", "over" or "" (within 0.1 fte)

    @property
    def difference(self) -> Decimal:
        return self.appointed - self.norm


def dutch(value: Decimal | int, places: int = 2) -> str:
    """How the page writes a number in Dutch: decimal comma."""
    return f"{value:.{places}f}".replace(".", ",")


def signed(value: Decimal) -> str:
    return ("+" if value > 0 else "") + dutch(value)


def column_keys(page: Page) -> list[str]:
    """The ``sort`` key of every header link, in column order (the body cells line up)."""
    return page.locator("table.comparison-table thead th a.sort-link").evaluate_all(
        "links => links.map(a => new URLSearchParams(a.getAttribute('href').slice(1)).get('sort'))"
    )


def school_row(page: Page, school: School) -> Locator:
    detail_url = reverse("schools:school-detail", args=[school.pk])
    return page.locator("table.comparison-table tbody tr").filter(
        has=page.locator(f'th > a[href="{detail_url}"]')
    )


def cell(page: Page, school: School, keys: list[str], key: str) -> Locator:
    return school_row(page, school).locator("xpath=./th|./td").nth(keys.index(key))


def total_cell(page: Page, keys: list[str], key: str) -> Locator:
    return (
        page.locator("table.comparison-table tfoot tr")
        .locator("xpath=./th|./td")
        .nth(keys.index(key))
    )


def page_number(locator: Locator) -> Decimal:
    """The first number in a cell (a difference cell also says "short"/"over" below it)."""
    match = NUMBER.search(locator.inner_text())
    assert match is not None, locator.inner_text()
    return Decimal(match.group().replace(",", "."))


def school_names(page: Page) -> Locator:
    """The school links of the table body, in row order."""
    return page.locator("table.comparison-table tbody tr > th > a")


def expect_row(page: Page, keys: list[str], row: Expected) -> None:
    expect(cell(page, row.school, keys, "leerlingen")).to_have_text(str(row.pupils))
    expect(cell(page, row.school, keys, "fte")).to_have_text(dutch(row.appointed))
    expect(cell(page, row.school, keys, "norm")).to_contain_text(dutch(row.norm))
    difference = cell(page, row.school, keys, "verschil")
    expect(difference).to_contain_text(signed(row.difference))
    css = {"short": "table-danger", "over": "table-info"}
    for deviation, name in css.items():
        pattern = re.compile(rf"\b{name}\b")
        if row.deviation == deviation:
            expect(difference).to_have_class(pattern)
        else:
            expect(difference).not_to_have_class(pattern)


def test_board_compares_schools_exports_and_imports_duo_pupils(browser_page: Page) -> None:
    page = browser_page
    start_year = SchoolYear.current_start_year()
    this_year = f.SchoolYearFactory(start_year=start_year)
    board = f.BoardFactory(name="Stichting Kempenland Primair", number=BOARD_NUMBER)
    small = f.SchoolFactory(board=board, name="OBS De Kleine Beer", brin="41KB")
    large = f.SchoolFactory(board=board, name="CBS De Grote Eik", brin="41GE")
    middle = f.SchoolFactory(board=board, name="RKBS Sint-Rémi", brin="41SR")
    f.SchoolFiguresFactory(school=small, school_year=this_year, pupils=90, groups=4)
    f.SchoolFiguresFactory(school=large, school_year=this_year, pupils=900, groups=36)
    f.SchoolFiguresFactory(school=middle, school_year=this_year, pupils=330, groups=13)
    # Another board, with a school that the DUO file mentions: it must be left alone.
    other_board = f.BoardFactory(name="Stichting Elders", number=OTHER_BOARD_NUMBER)
    elsewhere = f.SchoolFactory(board=other_board, name="OBS Elders", brin="52EL")
    f.SchoolFiguresFactory(school=elsewhere, school_year=this_year, pupils=120, groups=5)

    # IB appointments active now; an ended one does not count.
    this_august = datetime.date(start_year, 8, 1)
    f.AppointmentFactory(
        board=board, start_date=this_august, shares=[(large, "0.4"), (middle, "0.4")]
    )
    f.AppointmentFactory(
        board=board, start_date=this_august, shares=[(small, "0.5"), (large, "0.4")]
    )
    f.AppointmentFactory(board=board, start_date=this_august, shares=[(middle, "0.65")])
    f.AppointmentFactory(
        board=board,
        start_date=datetime.date(start_year - 3, 8, 1),
        end_date=datetime.date(start_year, 7, 31),
        shares=[(small, "0.3")],
    )
    f.board_staff(board, username="bestuur.kempenland", first_name="Ria", last_name="Verhoeven")

    # Norm: 1 fte per 300 pupils. Difference = appointed - norm; more than 0.1 is marked.
    expected = {
        small: Expected(small, 90, Decimal("0.50"), Decimal("0.30"), "over"),  # +0.20
        large: Expected(large, 900, Decimal("0.80"), Decimal("3.00"), "short"),  # -2.20
        middle: Expected(middle, 330, Decimal("1.05"), Decimal("1.10"), ""),  # -0.05
    }
    by_difference = sorted(expected.values(), key=lambda row: row.difference)
    assert [row.school for row in by_difference] == [large, middle, small]

    # --- Board staff log in and open the comparison from the menu ------------------------------
    log_in(page, "bestuur.kempenland")
    comparison_url = reverse("schools:comparison", args=[board.pk])
    page.locator(f'nav a[href="{comparison_url}"]').click()
    expect(page).to_have_url(url_re(comparison_url))
    expect(page.locator("main h1")).to_contain_text(board.name)
    table = page.locator("table.comparison-table")
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(school_names(page)).to_have_text([large.name, small.name, middle.name])  # by name
    keys = column_keys(page)
    assert {"school", "leerlingen", "fte", "norm", "verschil"} <= set(keys)
    assert keys[0] == "school"
    for row in expected.values():
        expect_row(page, keys, row)
    expect(total_cell(page, keys, "fte")).to_have_text("2,35")
    expect(total_cell(page, keys, "norm")).to_have_text("4,40")
    expect(total_cell(page, keys, "verschil")).to_have_text("-2,05")

    # --- Sort on the difference: ascending, then descending -----------------------------------
    difference_header = table.locator("thead th").nth(keys.index("verschil"))
    difference_header.locator("a.sort-link").click()
    expect(page).to_have_url(re.compile(re.escape(comparison_url) + r"\?sort=verschil&dir=asc$"))
    expect(difference_header).to_have_attribute("aria-sort", "ascending")
    expect(school_names(page)).to_have_text([row.school.name for row in by_difference])

    difference_header.locator("a.sort-link").click()
    expect(page).to_have_url(re.compile(re.escape(comparison_url) + r"\?sort=verschil&dir=desc$"))
    expect(difference_header).to_have_attribute("aria-sort", "descending")
    descending = list(reversed(by_difference))
    expect(school_names(page)).to_have_text([row.school.name for row in descending])
    # Read back from the page: the rows follow the difference values, largest first.
    shown = [page_number(cell(page, row.school, keys, "verschil")) for row in descending]
    assert shown == sorted(shown, reverse=True) == [row.difference for row in descending]

    # --- The charts: SVG, one bar per school in the table's order ------------------------------
    charts = page.locator("main svg.chart-svg")
    expect(charts).to_have_count(2)
    fte_chart = page.locator('main svg.chart-svg[aria-labelledby^="chart-fte-"]')
    mix_chart = page.locator('main svg.chart-svg[aria-labelledby^="chart-mix-"]')
    for chart in (fte_chart, mix_chart):
        expect(chart).to_be_visible()
        expect(chart.locator("text.chart-label")).to_have_text(
            [row.school.name for row in descending]
        )
    # The bars of one colour are one path (issue #12): a subpath per school of that colour.
    for deviation in ("ok", "short", "over"):
        schools = sum(1 for row in descending if (row.deviation or "ok") == deviation)
        bars = fte_chart.locator(f"path.chart-fte-{deviation}")
        expect(bars).to_have_count(1 if schools else 0)
        if schools:
            assert (bars.get_attribute("d") or "").count("M") == schools
    markers = fte_chart.locator("path.chart-norm")
    assert (markers.get_attribute("d") or "").count("M") == 3  # a norm marker per school

    # --- Download the Excel export: same rows, order and numbers as the page --------------------
    xlsx_url = reverse("schools:comparison-export", args=[board.pk, "xlsx"])
    export_link = page.locator(f'main a[href="{xlsx_url}?sort=verschil&dir=desc"]')
    with page.expect_download() as download_info:
        export_link.click()
    download = download_info.value
    assert download.suggested_filename == (
        f"vergelijking-stichting-kempenland-primair-{start_year}-{start_year + 1}.xlsx"
    )
    # openpyxl goes by the file name's extension: read the bytes.
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    table_rows = list(sheet.iter_rows(values_only=True))
    with translation.override("nl"):  # the browser asks for Dutch: the same labels
        columns = comparison_columns(list(Domain.objects.all()), show_board=False)
        labels = [str(column.label) for column in columns]
    xlsx_keys = [column.key for column in columns]
    assert list(table_rows[0]) == labels
    assert len(table_rows) == 1 + 3 + 1  # header, three schools, totals

    def xlsx(line: tuple, key: str) -> object:
        return line[xlsx_keys.index(key)]

    for line, row in zip(table_rows[1:4], descending, strict=True):
        assert xlsx(line, "school") == row.school.name
        assert xlsx(line, "brin") == row.school.code
        assert xlsx(line, "leerlingen") == row.pupils
        for key, value in (
            ("fte", row.appointed),
            ("norm", row.norm),
            ("verschil", row.difference),
        ):
            number = Decimal(str(xlsx(line, key)))
            assert number == value, (row.school.name, key)
            assert number == page_number(cell(page, row.school, keys, key)), key
    totals = table_rows[4]
    assert xlsx(totals, "leerlingen") == 90 + 900 + 330
    assert Decimal(str(xlsx(totals, "fte"))) == Decimal("2.35")
    assert Decimal(str(xlsx(totals, "norm"))) == Decimal("4.40")
    assert Decimal(str(xlsx(totals, "verschil"))) == Decimal("-2.05")

    # --- Import DUO's pupil counts: upload, preview -------------------------------------------
    board_url = reverse("schools:board-detail", args=[board.pk])
    import_url = reverse("schools:import-upload", args=[board.pk])
    page.locator(f'nav a[href="{board_url}"]').click()
    expect(page).to_have_url(url_re(board_url))
    page.locator(f'main a[href="{import_url}"]').click()
    expect(page).to_have_url(url_re(import_url))

    # PEILJAAR Y is counted on 1 October Y: school year Y-(Y+1). Line 1 is the header.
    header_line = (
        "BRIN_NUMMER;VESTIGINGSNUMMER;VESTIGINGSNAAM;PEILJAAR;AANTAL_LEERLINGEN;"
        "BEVOEGD GEZAG NUMMER"
    )
    lines = [
        header_line,
        f"41SR;00;RKBS SINT-RÉMI;{start_year};390;{BOARD_NUMBER}",  # 2: update 330 -> 390
        f"41SR;0;RKBS SINT-RÉMI;{start_year - 1};310;{BOARD_NUMBER}",  # 3: create (last year)
        f"41KB;00;OBS DE KLEINE BEER;{start_year};<5;{BOARD_NUMBER}",  # 4: refused (masked)
        f"52EL;00;OBS ELDERS;{start_year};999;{OTHER_BOARD_NUMBER}",  # 5: skipped
        f"41GE;00;CBS DE GROTE EIK;{start_year};900;{BOARD_NUMBER}",  # 6: unchanged
    ]
    content = ("\r\n".join(lines) + "\r\n").encode("latin-1")
    assert b"\xc9" in content  # É in Latin-1: not UTF-8
    filename = f"duo-leerlingen-{start_year}.csv"

    upload_form = page.locator('main form[enctype="multipart/form-data"]')
    upload_form.locator(f'input[name=kind][value="{ImportBatch.Kind.PUPILS.value}"]').check()
    upload_form.locator("input[type=file][name=file]").set_input_files(
        {"name": filename, "mimeType": "text/csv", "buffer": content}
    )
    upload_form.locator("button[type=submit]").click()

    expect(page).to_have_url(re.compile(re.escape(import_url) + r"\d+/$"))
    batch = ImportBatch.objects.get(board=board)
    preview_url = reverse("schools:import-preview", args=[board.pk, batch.pk])
    expect(page).to_have_url(url_re(preview_url))
    assert batch.committed_at is None
    assert (batch.kind, batch.filename) == (ImportBatch.Kind.PUPILS, filename)
    expect(page.locator("main h1")).to_contain_text(filename)
    # The summary: new, update, unchanged, refused, skipped.
    expect(page.locator("main ul.list-inline > li > .badge")).to_have_text(
        ["1", "1", "1", "1", "1"]
    )
    this_name = f"{start_year}-{start_year + 1}"
    last_name = f"{start_year - 1}-{start_year}"

    def preview_row(action: str) -> Locator:
        return page.locator(f"main tr.import-{action}")

    for action, line, code, name, year in (
        ("update", "2", "41SR00", middle.name, this_name),
        ("create", "3", "41SR00", middle.name, last_name),
        ("refused", "4", "41KB00", small.name, this_name),
        ("unchanged", "6", "41GE00", large.name, this_name),
        ("skipped", "5", "52EL00", "", ""),  # another board's row: not read further
    ):
        row = preview_row(action)
        expect(row).to_have_count(1)
        cells = row.locator("td")
        expect(cells.nth(0)).to_have_text(line)
        expect(cells.nth(1)).to_have_text(code)
        expect(cells.nth(2)).to_have_text(name)
        expect(cells.nth(3)).to_have_text(year)
    expect(preview_row("update").locator("td").nth(5)).to_contain_text(re.compile(r"330\D+390"))
    expect(preview_row("create").locator("td").nth(5)).to_contain_text("310")
    expect(preview_row("refused").locator("td").nth(5)).to_contain_text("<5")
    expect(preview_row("skipped").locator("td").nth(5)).to_contain_text(OTHER_BOARD_NUMBER)
    # Unchanged and skipped rows are folded away until asked for.
    expect(preview_row("skipped")).to_be_hidden()
    page.locator("main details > summary").click()
    expect(preview_row("skipped")).to_be_visible()
    expect(preview_row("unchanged")).to_be_visible()

    # Nothing has changed yet.
    assert SchoolFigures.objects.get(school=middle, school_year=this_year).pupils == 330

    # --- Process it: only the one school's figures change ---------------------------------------
    commit_url = reverse("schools:import-commit", args=[board.pk, batch.pk])
    page.locator(f'main form[action="{commit_url}"] button[type=submit]').click()
    schools_url = reverse("schools:school-list")
    expect(page).to_have_url(re.compile(re.escape(schools_url) + rf"\?jaar={start_year}$"))
    success = page.locator("main .alert-success[role=alert]")
    expect(success).to_have_count(1)
    expect(success).to_contain_text(filename)

    batch.refresh_from_db()
    assert batch.committed_at is not None
    figures = {
        (row.school_id, row.school_year.start_year): (row.pupils, row.groups)
        for row in SchoolFigures.objects.select_related("school_year")
    }
    assert figures == {
        (small.pk, start_year): (90, 4),  # the masked count is not imported
        (large.pk, start_year): (900, 36),
        (middle.pk, start_year): (390, 13),  # updated; its groups kept
        (middle.pk, start_year - 1): (310, None),  # created; groups unknown
        (elsewhere.pk, start_year): (120, 5),  # another board's school: skipped
    }

    # --- The comparison shows the new count (and the norm that follows from it) ---------------
    page.locator(f'nav a[href="{comparison_url}"]').click()
    expect(page).to_have_url(url_re(comparison_url))
    keys = column_keys(page)
    # 390 pupils / 300 = 1.30 fte against 1.05 appointed: now short of the norm.
    updated = Expected(middle, 390, Decimal("1.05"), Decimal("1.30"), "short")
    for row in (updated, expected[small], expected[large]):
        expect_row(page, keys, row)
    expect(total_cell(page, keys, "leerlingen")).to_have_text("1380")
