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

    # --- A language coordinator with 80 hours --------------------------------------------
    add = page.locator(f'form[action="{reverse("tasks:division-holder-add", args=[division.pk])}"]')
    add.locator("select[name=role]").select_option("coordinator_taal")
    add.locator("input[name=name]").fill("Femke")
    add.locator("input[name=hours]").fill("80")
    add.locator("button[type=submit]").click()
    holder = division.holders.get(role="coordinator_taal")
    expect(page.locator(f"#col-h{holder.pk}")).to_contain_text("Femke")

    # --- Move the trend analysis to her; give the IB the care plan nobody did -------------
    ib_column = f"p{package.pk}"
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
