"""The task division in the browser (issue 16): a director starts the division, adds a language
coordinator, moves a task from the IB to her and gives the IB a task nobody did; the IB's
package follows. The IB reads the division without JavaScript at 390 px; the director's wrong
hours are refused without JavaScript, the input kept.

Elements are found by id, name, href and the test data, not by UI wording.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from schools.models import SchoolYear
from tasks import division as dv
from tasks.models import PackageEvent, PackageItem, TaskDivision
from tasks.packages import item_add, package_create
from tests import factories as f
from tests.browser.test_journeys import log_in
from tests.browser.test_review_journey import PHONE, assert_no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def draft_package():
    """A 0,6 fte draft with two catalogue tasks; a third task of the catalogue nobody does."""
    start_year = SchoolYear.current_start_year()
    board = f.BoardFactory(name="Stichting Duinrand", hours_per_fte=Decimal("1659"))
    school = f.SchoolFactory(board=board, name="OBS De Helmgras", brin="51HG")
    director = f.director(school, username="directeur.helmgras", first_name="Ruud")
    ib = f.ib(board, username="ib.helmgras", first_name="Fleur", last_name="Zandbergen")
    share = f.AppointmentFactory(
        board=board,
        ib=ib,
        start_date=datetime.date(start_year, 8, 1),
        shares=[(school, Decimal("0.6"))],
    ).shares.get()
    year, _created = SchoolYear.objects.get_or_create(start_year=start_year)
    package = package_create(share=share, school_year=year, actor=director)
    tasks = {
        title: f.CatalogueTaskFactory(board=board, title=title)
        for title in ("Trendanalyse begrijpend lezen", "Groepsbesprekingen", "Zorgplan bijwerken")
    }
    for title, hours in (("Trendanalyse begrijpend lezen", "24"), ("Groepsbesprekingen", "60")):
        item_add(
            package=package,
            actor=director,
            lock_version=package.lock_version,
            hours=Decimal(hours),
            task=tasks[title],
        )
    return package, tasks


def director_of(school):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="directeur.helmgras")


def cell_name(package, task, column_key: str) -> str:
    obj = TaskDivision.objects.get(school=package.share.school)
    matrix = dv.build_matrix(obj.school, obj.school_year, obj)
    row = next(row for row in matrix.rows if row.task == task)
    return dv.cell_field(row, matrix.column(column_key))


def test_director_divides_the_tasks_and_the_ib_package_follows(
    browser_page: Page, chromium_browser: Browser, new_context
) -> None:
    page = browser_page
    package, tasks = draft_package()
    school = package.share.school
    start_year = package.school_year.start_year
    matrix_url = reverse("tasks:division", args=[school.pk, start_year])

    # --- The director starts the division from the menu's page ---------------------------
    log_in(page, "directeur.helmgras")
    page.goto(reverse("tasks:division-index"))
    page.locator(f'main a[href="{matrix_url}"]').click()
    page.locator(
        f'form[action="{reverse("tasks:division-start", args=[school.pk, start_year])}"] button'
    ).click()
    division = TaskDivision.objects.get(school=school)

    # --- Typed hours, then a language coordinator with 80 hours: the hours are marked as
    # not saved, and adding the role saves them first (tester 5, #5) -----------------------
    ib_column = f"p{package.pk}"
    groups = tasks["Groepsbesprekingen"]
    page.locator(f'input[name="{cell_name(package, groups, ib_column)}"]').fill("58")
    expect(page.locator("td.is-unsaved .division-unsaved")).to_have_count(1)
    expect(page.locator(".division-unsaved-count")).not_to_be_empty()
    add = page.locator("#add-role")
    add.locator("select[name=role]").select_option("coordinator_taal")
    add.locator("input[name=name]").fill("Femke")
    add.locator("input[name=hours]").fill("80")
    add.locator("input[name=hours]").press("Enter")  # presses "Add the role", not "Save"
    expect(page.locator("#division-matrix thead")).to_contain_text("Femke")
    holder = division.holders.get(role="coordinator_taal")
    expect(page.locator(f"#col-h{holder.pk}")).to_contain_text("Femke")
    expect(page.locator("td.is-unsaved")).to_have_count(0)
    assert PackageItem.objects.get(version__package=package, task=groups).hours == Decimal("58")
    page.locator(f'input[name="{cell_name(package, groups, ib_column)}"]').fill("60")

    # --- Move the trend analysis to her; give the IB the care plan nobody did -------------
    trend, plan = tasks["Trendanalyse begrijpend lezen"], tasks["Zorgplan bijwerken"]
    page.locator(f'input[name="{cell_name(package, trend, ib_column)}"]').fill("")
    page.locator(f'input[name="{cell_name(package, trend, f"h{holder.pk}")}"]').fill("20")
    page.locator(f'input[name="{cell_name(package, plan, ib_column)}"]').fill("12,5")
    page.locator("#division-save").click()
    expect(page.locator(".alert-success")).to_be_visible()

    items = dict(
        PackageItem.objects.filter(version__package=package).values_list("task__title", "hours")
    )
    assert items == {"Groepsbesprekingen": Decimal("60"), "Zorgplan bijwerken": Decimal("12.5")}
    removed = PackageEvent.objects.get(package=package, kind=PackageEvent.Kind.ITEM_REMOVED)
    assert "Femke" in removed.detail
    expect(
        page.locator(f'input[name="{cell_name(package, trend, f"h{holder.pk}")}"]')
    ).to_have_value("20")

    # --- The IB reads it without JavaScript on a phone: no inputs, no sideways page -------
    ib_page = new_context(java_script_enabled=False, viewport=PHONE).new_page()
    log_in(ib_page, "ib.helmgras")
    assert_no_sideways_scroll(ib_page, matrix_url)
    expect(ib_page.locator(f"#col-h{holder.pk}")).to_contain_text("Femke")
    expect(ib_page.locator("input.division-cell")).to_have_count(0)
    ib_page.goto(reverse("tasks:package-history", args=[package.pk]))
    expect(ib_page.locator("main")).to_contain_text("Femke")

    # --- Without JavaScript, wrong hours are refused and kept ----------------------------
    nojs = new_context(java_script_enabled=False).new_page()
    log_in(nojs, "directeur.helmgras")
    nojs.goto(matrix_url)
    name = cell_name(package, tasks["Groepsbesprekingen"], f"h{holder.pk}")
    nojs.locator(f'input[name="{name}"]').fill("-3")
    nojs.locator("#division-save").click()
    expect(nojs.locator(f'input[name="{name}"]')).to_have_value("-3")
    expect(nojs.locator(f"#{name}-error")).to_be_visible()
    assert not division.assignments.filter(task=tasks["Groepsbesprekingen"]).exists()

    # --- Without JavaScript, Enter in a cell saves (not the Print above the matrix) --------
    nojs.locator(f'input[name="{name}"]').fill("5")
    nojs.locator(f'input[name="{name}"]').press("Enter")
    expect(nojs.locator(".alert-success")).to_be_visible()
    assert nojs.url.endswith(matrix_url)
    assert division.assignments.get(task=tasks["Groepsbesprekingen"]).hours == Decimal("5")

    # --- Without JavaScript, Print saves the typed hours first ----------------------------
    nojs.locator(f'input[name="{name}"]').fill("6")
    nojs.locator('button[name=then][value="print"]').click()
    expect(nojs).to_have_url(reverse("tasks:division-print", args=[division.pk]))
    assert division.assignments.get(task=tasks["Groepsbesprekingen"]).hours == Decimal("6")


def test_the_matrix_keeps_its_headings_in_view_on_a_phone(browser_page: Page, new_context) -> None:
    """390 px (tester 5, #15): a narrow sticky task column, a sticky header row and domain
    headings that stay at the left while the roles scroll sideways."""
    package, _tasks = draft_package()
    school = package.share.school
    dv.division_create(school=school, school_year=package.school_year, actor=director_of(school))
    page = new_context(viewport=PHONE).new_page()
    log_in(page, "directeur.helmgras")
    page.goto(reverse("tasks:division", args=[school.pk, package.school_year.start_year]))
    task_head = page.locator("#division-matrix thead th.division-task")
    assert task_head.bounding_box()["width"] <= 140
    region = page.locator(".division-scroll")
    before = {
        "task": task_head.bounding_box(),
        "domain": page.locator(".division-domain").first.bounding_box(),
    }
    region.evaluate("element => { element.scrollLeft = 300; element.scrollTop = 200; }")
    page.wait_for_timeout(100)
    assert task_head.bounding_box()["y"] == pytest.approx(before["task"]["y"], abs=1)
    assert task_head.bounding_box()["x"] == pytest.approx(before["task"]["x"], abs=1)
    region_box = region.bounding_box()
    assert page.locator("#division-matrix thead th").nth(1).bounding_box()["y"] == pytest.approx(
        region_box["y"], abs=2
    )
    totals = page.locator("#division-matrix tfoot th").first
    totals.scroll_into_view_if_needed()
    region.evaluate("element => { element.scrollLeft = 300; }")
    assert totals.bounding_box()["x"] == pytest.approx(region_box["x"], abs=2)


def test_the_werkverdelingsplan_fits_a4_landscape_with_many_roles(
    browser_page: Page, new_context
) -> None:
    """Nine roles besides the IB (tester 5, #16): printed at A4 landscape (1123 x 794 px),
    the table is no wider than the page and no cell's text runs out of it."""
    from tasks.models import HolderRole, RoleHolder

    package, _tasks = draft_package()
    school = package.share.school
    division = dv.division_create(
        school=school, school_year=package.school_year, actor=director_of(school)
    )
    for role in HolderRole.values:
        if not division.holders.filter(role=role).exists():
            RoleHolder.objects.create(
                division=division, role=role, name="Wilhelmina-Alexandra", hours=Decimal("80")
            )
    assert division.holders.count() >= 9
    page = new_context(viewport={"width": 1123, "height": 794}).new_page()
    log_in(page, "directeur.helmgras")
    page.goto(reverse("tasks:division-print", args=[division.pk]))
    page.emulate_media(media="print")
    fit = page.evaluate(
        """() => {
        const table = document.getElementById("division-matrix");
        const cells = [...table.querySelectorAll("th, td")];
        return {
          right: table.getBoundingClientRect().right,
          page: document.documentElement.scrollWidth,
          width: document.documentElement.clientWidth,
          overflowing: cells.filter(c => c.scrollWidth > c.clientWidth + 1).length,
        };
      }"""
    )
    assert fit["right"] <= fit["width"] and fit["page"] <= fit["width"]
    assert fit["overflowing"] == 0


@pytest.mark.parametrize(
    ("javascript", "viewport"),
    [
        (True, {"width": 1440, "height": 900}),
        (False, PHONE),
        (False, {"width": 1440, "height": 900}),
    ],
    ids=["js-1440", "nojs-390", "nojs-1440"],
)
def test_enter_adds_the_typed_role_or_task_and_removing_asks_first(
    new_context, javascript, viewport
) -> None:
    """Enter in the role or task fields adds what was typed there (the typed hours saved
    first), with JavaScript or without; Remove shows the column's hours before anything goes."""
    package, tasks = draft_package()
    school = package.share.school
    division = dv.division_create(
        school=school, school_year=package.school_year, actor=director_of(school)
    )
    teachers = division.holders.get(role="groepsleerkrachten")
    matrix_url = reverse("tasks:division", args=[school.pk, package.school_year.start_year])
    page = new_context(java_script_enabled=javascript, viewport=viewport).new_page()
    log_in(page, "directeur.helmgras")
    page.goto(matrix_url)
    plan = tasks["Zorgplan bijwerken"]

    # --- hours typed, then a role: Enter in its name field adds it ------------------------
    page.locator(f'input[name="{cell_name(package, plan, f"h{teachers.pk}")}"]').fill("7")
    add = page.locator("#add-role")
    add.locator("select[name=role]").select_option("coordinator_rekenen")
    add.locator("input[name=hours]").fill("40")
    add.locator("input[name=name]").fill("Joris")
    add.locator("input[name=name]").press("Enter")
    expect(page.locator("#division-matrix thead")).to_contain_text("Joris")
    holder = division.holders.get(name="Joris")
    assert holder.hours == Decimal("40")
    assert division.assignments.get(task=plan, holder=teachers).hours == Decimal("7")

    # --- hours typed, then an own task: Enter in its title adds it -------------------------
    trend = tasks["Trendanalyse begrijpend lezen"]
    page.locator(f'input[name="{cell_name(package, trend, f"h{holder.pk}")}"]').fill("9")
    own = page.locator("#own-task")
    own.locator("select[name=task-column]").select_option(f"h{holder.pk}")
    own.locator("input[name=task-hours]").fill("6")
    own.locator("input[name=task-title]").fill("Rekenmuur onderhouden")
    own.locator("input[name=task-title]").press("Enter")
    expect(page.locator("#division-matrix")).to_contain_text("Rekenmuur onderhouden")
    assert division.assignments.get(title="Rekenmuur onderhouden").hours == Decimal("6")
    assert division.assignments.get(task=trend, holder=holder).hours == Decimal("9")

    # --- Remove asks first, saying which hours go; Cancel keeps everything ---------------
    remove = page.locator(f'button[name=then][value="remove-{holder.pk}"]')
    remove.click()
    expect(page).to_have_url(reverse("tasks:division-holder-remove", args=[holder.pk]))
    expect(page.locator("#removed-tasks")).to_contain_text("Rekenmuur onderhouden")
    expect(page.locator("#removed-tasks")).to_contain_text("Trendanalyse begrijpend lezen")
    page.locator(f'main a[href="{matrix_url}"].btn').click()
    expect(page).to_have_url(matrix_url)
    assert division.holders.filter(pk=holder.pk).exists()
    assert division.assignments.filter(holder=holder).count() == 2
    page.locator(f'button[name=then][value="remove-{holder.pk}"]').click()
    page.locator("#confirm-remove").click()
    expect(page).to_have_url(matrix_url)
    expect(page.locator("#division-matrix thead")).not_to_contain_text("Joris")
    assert not division.holders.filter(pk=holder.pk).exists()
    assert division.assignments.get(task=plan, holder=teachers).hours == Decimal("7")
    if viewport == PHONE:
        assert_no_sideways_scroll(page, reverse("tasks:division-holder-remove", args=[teachers.pk]))
