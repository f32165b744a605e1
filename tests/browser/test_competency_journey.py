"""A competency self-assessment from start to heat map, through the real pages in headless Chromium.

The IB starts a round on the board's 2x2 matrix, picks a level and writes evidence per cell,
completes it and shares it with their personnel-responsible director; the director adds their
own view, differing on one cell; the IB sees both views side by side with that cell marked
(``round-differs``); board staff see the heat map of the school year: counts per cell and level
for the four IBs, and no IB's name.

The pages are being translated, so elements are found by id, name, href, values, CSS classes
and the names in the test data (level names, IB names), never by UI wording.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from competencies.models import AssessmentRound, Cell, DirectorView
from schools.models import SchoolYear
from tests import factories as f
from tests.browser.test_journeys import log_in, url_re
from tests.browser.test_package_journey import log_out
from tests.competency_factories import assessment_round, heatmap_consent, matrix_framework

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The IB's level number per cell (row, column), and the director's: one cell differs.
IB_LEVELS = {(0, 0): 1, (0, 1): 2, (1, 0): 3, (1, 1): 4}
DIRECTOR_LEVELS = {**IB_LEVELS, (1, 0): 2}
DIFFERING = (1, 0)
# The three other IBs: every cell at level 3.
OTHER_LEVEL = 3


def has_class(name: str) -> re.Pattern[str]:
    return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")


def grid_cell(page: Page, row: int, column: int) -> Locator:
    """The td of a cell in the round's matrix (first th of each row is the role)."""
    return page.locator("main table.round-matrix tbody tr").nth(row).locator("td").nth(column)


def heat_cell(page: Page, row: int, column: int) -> Locator:
    return page.locator("main table.heatmap tbody tr").nth(row).locator("td").nth(column)


def test_self_assessment_shared_viewed_and_counted(browser_page: Page) -> None:
    page = browser_page
    start_year = SchoolYear.current_start_year()
    board = f.BoardFactory(name="Stichting Duinrand Onderwijs")
    school = f.SchoolFactory(board=board, name="OBS De Helmgras", brin="52HG")
    director = f.director(
        school, username="directeur.helmgras", first_name="Dirk", last_name="Zeeman"
    )
    ib = f.ib(board, username="ib.helmgras", first_name="Iris", last_name="Strandvlieg")
    f.AppointmentFactory(
        board=board,
        ib=ib,
        start_date=datetime.date(start_year, 8, 1),
        shares=[(school, Decimal("0.6"))],
    )
    f.board_staff(board, username="bestuur.duinrand", first_name="Bea", last_name="Stafmeijer")
    framework = matrix_framework(board, rows=2, columns=2, name="IB-matrix Duinrand")
    levels = {level.number: level for level in framework.levels.all()}
    cells: dict[tuple[int, int], Cell] = {
        (cell.row.order, cell.column.order): cell
        for cell in framework.cells.select_related("row", "column")
    }
    assert len(cells) == 4
    others = [
        f.ib(board, username=f"ib.ander{n}", first_name="Otto", last_name=f"Buurvrouw{n}")
        for n in range(3)
    ]
    for other in others:
        # Their rounds count in the heat map by their consent (the IB's own round: shared).
        heatmap_consent(other, board)
        assessment_round(
            other,
            framework,
            levels={cell: OTHER_LEVEL for cell in cells.values()},
            date=datetime.date(start_year, 9, 15),
        )

    # --- The IB starts a round, fills in every cell, completes and shares it -----------------
    log_in(page, "ib.helmgras")
    list_url = reverse("competencies:round-list")
    page.locator(f'nav a[href="{list_url}"]').click()
    expect(page).to_have_url(url_re(list_url))
    start_url = reverse("competencies:round-start", args=[framework.pk])
    page.locator(f'main form[action="{start_url}"] button[type=submit]').click()

    round_ = AssessmentRound.objects.get(ib=ib)
    detail_url = reverse("competencies:round-detail", args=[round_.pk])
    expect(page).to_have_url(url_re(detail_url))
    ratings_form = page.locator(
        f'form#cells-form[action="{reverse("competencies:round-ratings", args=[round_.pk])}"]'
    )
    expect(ratings_form).to_be_visible()
    for key, number in IB_LEVELS.items():
        cell = cells[key]
        td = grid_cell(page, *key)
        td.locator(f"select#id_level_{cell.pk}").select_option(str(levels[number].pk))
        td.locator(f"textarea#id_text_{cell.pk}").fill(
            f"Bewijs {cell.row.title}/{cell.column.title}"
        )
    ratings_form.locator("button[name=action][value=complete]").click()
    # Completing cannot be undone: the levels are saved and the page asks once more.
    expect(page).to_have_url(url_re(detail_url + "?afronden=1"))
    ratings_form.locator("button[name=action][value=complete_anyway]").click()

    expect(page).to_have_url(url_re(detail_url))
    share_form = page.locator(
        f'main form[action="{reverse("competencies:round-share", args=[round_.pk])}"]'
    )
    expect(share_form).to_be_visible()
    expect(page.locator("form#cells-form")).to_have_count(0)  # completed: no more editing
    round_.refresh_from_db()
    assert round_.status == AssessmentRound.Status.COMPLETED
    assert {
        (r.cell_id, r.level.number, r.evidence) for r in round_.ratings.select_related("level")
    } == {
        (cells[key].pk, n, f"Bewijs {cells[key].row.title}/{cells[key].column.title}")
        for key, n in IB_LEVELS.items()
    }
    # The completed round shows the IB's levels and evidence in read-only form.
    first = grid_cell(page, 0, 0)
    expect(first.locator("dl dd").first).to_contain_text(levels[IB_LEVELS[(0, 0)]].name)
    expect(first.locator("dl dd").first).to_contain_text("Bewijs Rol 1/Context 1")

    share_form.locator("button[type=submit]").click()
    expect(page).to_have_url(url_re(detail_url))
    unshare_url = reverse("competencies:round-unshare", args=[round_.pk])
    expect(page.locator(f'main form[action="{unshare_url}"]')).to_be_visible()
    round_.refresh_from_db()
    assert round_.shared_with == director
    log_out(page)

    # --- The director opens the shared round and adds their view ------------------------------
    log_in(page, "directeur.helmgras")
    shared_url = reverse("competencies:shared-rounds")
    page.locator(f'nav a[href="{shared_url}"]').click()
    expect(page).to_have_url(url_re(shared_url))
    shared_rows = page.locator("main table tbody tr")
    expect(shared_rows).to_have_count(1)
    shared_rows.locator(f'a[href="{detail_url}"]').click()
    expect(page).to_have_url(url_re(detail_url))

    views_form = page.locator(
        f'form#cells-form[action="{reverse("competencies:round-director-view", args=[round_.pk])}"]'
    )
    expect(views_form).to_be_visible()
    # Before the director's view nothing differs; the IB's levels are shown.
    expect(page.locator("main td.round-differs")).to_have_count(0)
    expect(grid_cell(page, *DIFFERING).locator("dl dd").first).to_contain_text(
        levels[IB_LEVELS[DIFFERING]].name
    )
    for key, number in DIRECTOR_LEVELS.items():
        cell = cells[key]
        td = grid_cell(page, *key)
        td.locator(f"select#id_level_{cell.pk}").select_option(str(levels[number].pk))
        td.locator(f"textarea#id_text_{cell.pk}").fill(f"Notitie {cell.pk}")
    views_form.locator("button[type=submit]").click()

    expect(page).to_have_url(url_re(detail_url))
    expect(page.locator("main td.round-differs")).to_have_count(1)
    assert DirectorView.objects.filter(round=round_, author=director).count() == 4
    log_out(page)

    # --- The IB sees both views side by side, the differing cell marked -----------------------
    log_in(page, "ib.helmgras")
    page.locator(f'nav a[href="{list_url}"]').click()
    expect(page).to_have_url(url_re(list_url))
    page.locator(f'main table a[href="{detail_url}"]').click()
    expect(page).to_have_url(url_re(detail_url))
    expect(page.locator("form#cells-form")).to_have_count(0)
    expect(page.locator("main td.round-differs")).to_have_count(1)
    for key in IB_LEVELS:
        td = grid_cell(page, *key)
        ib_view, director_view = td.locator("dl dd").nth(0), td.locator("dl dd").nth(1)
        expect(td.locator("dl dd")).to_have_count(2)
        expect(ib_view).to_contain_text(levels[IB_LEVELS[key]].name)
        expect(director_view).to_contain_text(levels[DIRECTOR_LEVELS[key]].name)
        expect(director_view).to_contain_text(f"Notitie {cells[key].pk}")
        if key == DIFFERING:
            expect(td).to_have_class(has_class("round-differs"))
            expect(td.locator(".round-difference")).to_have_count(1)
        else:
            expect(td).not_to_have_class(has_class("round-differs"))
            expect(td.locator(".round-difference")).to_have_count(0)
    log_out(page)

    # --- Board staff see the heat map: counts for four IBs, no names --------------------------
    log_in(page, "bestuur.duinrand")
    board_url = reverse("schools:board-detail", args=[board.pk])
    page.goto(board_url)
    heatmap_url = reverse("competencies:heatmap", args=[board.pk])
    page.locator(f'main a[href^="{heatmap_url}"]').click()
    expect(page).to_have_url(url_re(f"{heatmap_url}?jaar={start_year}"))
    choose = page.locator("main form[method=get]")
    choose.locator("#id_framework").select_option(str(framework.pk))
    choose.locator("#id_jaar").select_option(str(start_year))
    choose.locator("button[type=submit]").click()
    expect(page).to_have_url(url_re(f"{heatmap_url}?framework={framework.pk}&jaar={start_year}"))

    heat_rows = page.locator("main table.heatmap tbody tr")
    expect(heat_rows).to_have_count(2)
    for key, ib_number in IB_LEVELS.items():
        expected = {level.name: 0 for level in levels.values()}
        expected[levels[OTHER_LEVEL].name] += len(others)
        expected[levels[ib_number].name] += 1
        counts = heat_cell(page, *key).locator("ul li")
        expect(counts).to_have_count(len(levels))
        for n, level in enumerate(sorted(levels.values(), key=lambda lv: lv.number)):
            expect(counts.nth(n).locator("span").first).to_have_text(level.name)
            expect(counts.nth(n).locator("span.fw-semibold")).to_have_text(
                str(expected[level.name])
            )
        assert sum(expected.values()) == 4
        expect(heat_cell(page, *key).locator("div.small")).to_contain_text("4")

    main = page.locator("main")
    for person in (ib, *others):
        expect(main).not_to_contain_text(person.last_name)
        expect(main).not_to_contain_text(person.username)
    expect(main.locator(f'a[href="{detail_url}"]')).to_have_count(0)
