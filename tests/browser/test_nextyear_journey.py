"""Next year's package in headless Chromium (issue #14): the director of a draft sees the task
that was far off last year's plan with both figures (on a 390 px phone too), the IB carries a
goal of last year's evaluation over without JavaScript, and the goal form adds up the hours of
the tasks ticked with it.

Elements are found by id, name and value and by the numbers in the test data, not by wording.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, expect

from schools.models import SchoolYear
from tasks.models import Domain, Moment, Realisation, RealisationLine, WerkplanGoal
from tasks.packages import current_version, item_add, package_create
from tests import factories as f
from tests.browser.test_journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def draft_after_last_year():
    """Last year's agreed package (40 h planned, 62 h realised at the year end) with a closed
    evaluation that rated a goal "not achieved"; this year's draft with the same task."""
    board = f.BoardFactory()
    school = f.SchoolFactory(board=board, name="OBS Het Nieuwe Jaar")
    director = f.director(school, username="dir.nieuwjaar")
    ib = f.ib(board, username="ib.nieuwjaar")
    share = f.AppointmentFactory(board=board, ib=ib, shares=[(school, Decimal("0.8"))]).shares.get()
    task = f.CatalogueTaskFactory(board=board, title="Groepsbesprekingen")
    year = SchoolYear.current_start_year()
    previous = f.PackageFactory(
        share=share, school_year=f.SchoolYearFactory(start_year=year - 1), status="akkoord"
    )
    item = f.PackageItemFactory(version=previous.versions.get(), task=task, hours=Decimal("40"))
    realisation = Realisation.objects.create(package=previous, moment=Moment.END, recorded_by=ib)
    RealisationLine.objects.create(
        realisation=realisation,
        key=item.key,
        title=item.title,
        domain=item.domain,
        hours=Decimal("62"),
    )
    evaluation = f.EvaluationFactory(package=previous, closed=True)
    f.EvaluationGoalFactory(evaluation=evaluation, title="Rekenen op niveau")
    package = package_create(share=share, school_year=f.SchoolYearFactory(), actor=director)
    item_add(
        package=package,
        actor=director,
        lock_version=package.lock_version,
        hours=Decimal("40"),
        task=task,
    )
    item_add(
        package=package,
        actor=director,
        lock_version=package.lock_version,
        hours=Decimal("12"),
        title="Trendanalyse",
        domain=Domain.objects.get(code="data"),
    )
    return package


@pytest.mark.parametrize("width", [1280, 390])
def test_director_sees_last_years_figures_on_the_draft(
    chromium_browser: Browser, live_server, width
):
    package = draft_after_last_year()
    context = chromium_browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    log_in(page, "dir.nieuwjaar")
    page.goto(reverse("tasks:package-detail", args=[package.pk]))
    mark = page.locator(".last-year-mark")
    expect(mark).to_have_count(1)
    expect(mark).to_contain_text("40")
    expect(mark).to_contain_text("62")
    expect(mark).to_be_visible()
    expect(page.locator("#last-year-marks")).to_be_visible()
    assert not page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    context.close()


def test_ib_carries_a_goal_over_without_javascript_and_ticks_its_tasks(
    chromium_browser: Browser, live_server
):
    package = draft_after_last_year()
    context = chromium_browser.new_context(
        base_url=live_server.url, locale="nl-NL", java_script_enabled=False
    )
    page = context.new_page()
    log_in(page, "ib.nieuwjaar")
    page.goto(reverse("tasks:package-detail", args=[package.pk]))
    page.locator("#carry-over-save").click()  # nothing ticked: refused, nothing carried
    expect(page.locator("#carry-over-error")).to_be_visible()
    page.locator('input[name=goals][value="rekenen op niveau"]').check()
    page.locator("#carry-over-save").click()
    expect(page.locator("#carry-over")).to_have_count(0)
    goal = WerkplanGoal.objects.get(version__package=package)
    expect(page.locator(f"#goal-{goal.pk}")).to_be_visible()
    context.close()

    # With JavaScript the goal form adds up what the ticked tasks bind: 40 + 12 hours.
    context = chromium_browser.new_context(base_url=live_server.url, locale="nl-NL")
    page = context.new_page()
    log_in(page, "ib.nieuwjaar")
    page.goto(reverse("tasks:goal-edit", args=[goal.pk]))
    expect(page.locator("[data-goal-hours]")).to_have_text("0")
    for box in page.locator("input[type=checkbox][data-hours]").all():
        box.check()
    expect(page.locator("[data-goal-hours]")).to_have_text("52")
    context.close()


@pytest.mark.parametrize("javascript", [False, True])
def test_director_carrying_a_goal_over_keeps_the_typed_hours(
    chromium_browser: Browser, live_server, javascript
):
    """The carry-over button is one of the sheet's: the hours typed (12 instead of 40) are
    saved first, without JavaScript straight away, with it after the unsaved-changes question."""
    package = draft_after_last_year()
    context = chromium_browser.new_context(
        base_url=live_server.url, locale="nl-NL", java_script_enabled=javascript
    )
    page = context.new_page()
    log_in(page, "dir.nieuwjaar")
    page.goto(reverse("tasks:package-detail", args=[package.pk]))
    item = current_version(package).items.get(hours=Decimal("40"))
    page.locator(f"#item{item.pk}-hours").fill("12")
    page.locator('input[name=goals][value="rekenen op niveau"]').check()
    page.locator("#carry-over-save").click()
    if javascript:
        page.locator("#sheet-unsaved-dialog [data-choice=save]").click()
    goal_row = page.locator(".werkplan-goal")
    expect(goal_row).to_contain_text("Rekenen op niveau")
    expect(page.locator(f"#item{item.pk}-hours")).to_have_value("12")
    item.refresh_from_db()
    assert item.hours == Decimal("12")
    assert WerkplanGoal.objects.filter(version__package=package).count() == 1
    context.close()
