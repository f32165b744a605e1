"""The werkplan in the browser: a director adds a development point and a goal tied to two
tasks of the draft package, submits it, and the IB reads the werkplan on the review page (on a
desktop and at 390 px wide). Without JavaScript the IB proposes a point and adds a goal.

Elements are found by id, name, href and the test data, not by UI wording (see
test_package_journey).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from schools.models import DevelopmentPoint, SchoolYear
from tasks.models import Domain, Package, PackageStatus, WerkplanGoal
from tasks.packages import current_version, item_add, package_create
from tests import factories as f
from tests.browser.test_journeys import log_in, url_re
from tests.browser.test_review_journey import DESKTOP, PHONE, assert_no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def draft_package() -> Package:
    """A draft of 0,6 fte with three tasks: 60 h and 40 h will serve the goal, 200 h not."""
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
    domains = {domain.code: domain for domain in Domain.objects.all()}
    for title, hours, code in (
        ("Klassenbezoeken lezen", "60", "leren"),
        ("Leerteam begrijpend lezen", "40", "leren"),
        ("Leerlingbesprekingen", "200", "zorg"),
    ):
        item_add(
            package=package,
            actor=director,
            lock_version=package.lock_version,
            hours=Decimal(hours),
            title=title,
            domain=domains[code],
        )
    return package


def item_pk(package: Package, title: str) -> int:
    return current_version(package).items.get(title=title).pk


def test_director_adds_point_and_goal_and_the_ib_reads_it_when_reviewing(
    browser_page: Page,
) -> None:
    page = browser_page
    package = draft_package()
    school = package.school
    detail_url = reverse("tasks:package-detail", args=[package.pk])
    points_url = reverse("schools:development-points", args=[school.pk])

    # --- The director: from the package page to the school's development points ------------
    log_in(page, "directeur.helmgras")
    page.goto(detail_url)
    expect(page.locator("#werkplan-empty")).to_be_visible()
    page.locator(f'#werkplan a[href^="{points_url}"]').click()
    expect(page).to_have_url(url_re(points_url + f"?pakket={package.pk}"))
    page.locator(
        f'main a[href="{reverse("schools:development-point-create", args=[school.pk])}"]'
    ).click()
    page.locator("#id_title").fill("Begrijpend lezen versterken")
    page.locator("#id_source").select_option("inspectie")
    page.locator("#id_description").fill("De inspectie zag te weinig leesmotivatie.")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(url_re(points_url))
    point = DevelopmentPoint.objects.get(school=school)
    assert point.status == DevelopmentPoint.Status.ACCEPTED
    expect(page.locator(f"#point-{point.pk}")).to_contain_text("Begrijpend lezen versterken")

    # --- A goal tied to the point and to two of the tasks -----------------------------------
    page.goto(detail_url)
    page.locator("#goal-add").click()
    page.locator("#id_title").fill("Sterkere leesinstructie")
    page.locator("#id_development_point").select_option(str(point.pk))
    page.locator("#id_domain").select_option(str(Domain.objects.get(code="leren").pk))
    page.locator("#id_success_criterion").fill("75% haalt het streefniveau begrijpend lezen.")
    for title in ("Klassenbezoeken lezen", "Leerteam begrijpend lezen"):
        page.locator(f'input[name=items][value="{item_pk(package, title)}"]').check()
    # On a phone the form fits the screen.
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    page.locator("#goal-save").click()
    expect(page).to_have_url(url_re(detail_url + "#werkplan"))
    goal = WerkplanGoal.objects.get()
    assert sorted(item.title for item in goal.items.all()) == [
        "Klassenbezoeken lezen",
        "Leerteam begrijpend lezen",
    ]
    werkplan = page.locator("#werkplan")
    expect(werkplan.locator(f"#goal-{goal.pk}")).to_contain_text("Sterkere leesinstructie")
    expect(werkplan.locator(f"#goal-{goal.pk}")).to_contain_text("100")  # 60 + 40 hours
    # 200 of 300 hours serve no goal: the signal shows.
    expect(page.locator("#signal-unlinked-hours")).to_contain_text("200")
    assert_no_sideways_scroll(page, detail_url)
    assert_no_sideways_scroll(page, points_url)

    # The director submits it (the sheet's button, as always).
    page.set_viewport_size(DESKTOP)
    page.goto(detail_url)
    page.locator("#sheet-submit").click()
    expect(page.locator("#goal-add")).to_have_count(0)
    assert current_version(package).status == PackageStatus.SUBMITTED
    page.context.clear_cookies()

    # --- The IB reviews it with the werkplan in view, desktop and phone ---------------------
    log_in(page, "ib.helmgras")
    page.goto(detail_url)
    expect(page.locator("#review")).to_be_visible()
    goal_entry = page.locator(f"#werkplan #goal-{goal.pk}")
    expect(goal_entry).to_contain_text("Sterkere leesinstructie")
    expect(goal_entry).to_contain_text("Begrijpend lezen versterken")
    expect(goal_entry).to_contain_text("Leerteam begrijpend lezen")
    expect(page.locator("#goal-add")).to_have_count(0)  # under review: comments, not changes
    page.set_viewport_size(PHONE)
    assert_no_sideways_scroll(page, detail_url)
    expect(page.locator(f"#werkplan #goal-{goal.pk}")).to_be_visible()
    assert_no_sideways_scroll(page, reverse("tasks:package-letter", args=[package.pk]))


def test_ib_without_javascript_proposes_a_point_and_adds_a_goal(
    chromium_browser: Browser, live_server
) -> None:
    package = draft_package()
    school = package.school
    context = chromium_browser.new_context(
        base_url=live_server.url, locale="nl-NL", java_script_enabled=False, viewport=PHONE
    )
    page = context.new_page()
    try:
        log_in(page, "ib.helmgras")
        page.goto(reverse("schools:development-point-create", args=[school.pk]))
        page.locator("#id_title").fill("Plusaanbod voor meerbegaafde leerlingen")
        page.locator("#id_source").select_option("jaarplan")
        page.locator("main form button[type=submit]").click()
        proposal = DevelopmentPoint.objects.get(school=school)
        assert proposal.status == DevelopmentPoint.Status.PROPOSED
        detail_url = reverse("tasks:package-detail", args=[package.pk])
        page.goto(detail_url)
        page.locator("#goal-add").click()
        page.locator("#id_title").fill("Plusklas opzetten")
        page.locator("#id_development_point").select_option(str(proposal.pk))
        page.locator("#id_success_criterion").fill("Twintig leerlingen volgen de plusklas.")
        page.locator("#goal-save").click()
        expect(page).to_have_url(url_re(detail_url + "#werkplan"))
        expect(page.locator("#signal-goal-without-hours")).to_be_visible()
        assert WerkplanGoal.objects.get().development_point == proposal
    finally:
        context.close()
