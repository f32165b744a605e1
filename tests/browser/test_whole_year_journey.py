"""A whole school year in headless Chromium (issue #14, "done when"): the director adds a
werkplan goal to the draft and submits it, the IB agrees, records the realised hours at the
year end and rates the goal, the director records the evaluation conversation, board staff
read the year cycle, and next year's package starts from the evaluation: the task that took
far more than planned is marked with both figures and the goal not achieved is carried over.

The other journeys cover each step's refusals, phones and pages without JavaScript; this one
strings the steps together through the pages, as the users go through a year. Elements are
found by id, name and value and by the numbers in the test data, not by wording.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from schools.models import SchoolYear
from tasks.models import Domain, Evaluation, EvaluationGoal, Moment, PackageItem, WerkplanGoal
from tasks.packages import item_add, package_create
from tests import factories as f
from tests.browser.test_journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GOAL = "Gedragsprotocol in alle groepen"


def this_years_draft():
    """A draft of 40 h and 12 h; the board's realisation moments on 1 August, so that the
    year end (and with it the evaluation) is open on any day the journey runs."""
    board = f.BoardFactory(realisation_mid_year="1-8", realisation_year_end="1-8")
    school = f.SchoolFactory(board=board, name="OBS Het Hele Jaar")
    director = f.director(school, username="dir.jaar")
    ib = f.ib(board, username="ib.jaar")
    f.board_staff(board, username="bestuur.jaar")
    share = f.AppointmentFactory(board=board, ib=ib, shares=[(school, Decimal("0.8"))]).shares.get()
    package = package_create(share=share, school_year=f.SchoolYearFactory(), actor=director)
    for title, code, hours in (
        ("Groepsbesprekingen", "data", "40"),
        ("SOP bijhouden", "zorg", "12"),
    ):
        item_add(
            package=package,
            actor=director,
            lock_version=package.lock_version,
            hours=Decimal(hours),
            title=title,
            domain=Domain.objects.get(code=code),
        )
    return board, share, director, package


def item_pk(package, title: str) -> int:
    return PackageItem.objects.get(version__package=package, title=title).pk


def director_draws_up(page: Page, package) -> None:
    detail = reverse("tasks:package-detail", args=[package.pk])
    page.goto(detail)
    page.locator("#goal-add").click()
    page.locator("#id_title").fill(GOAL)
    page.locator("#id_source_text").fill("Jaarplan: gedragsprotocol")
    page.locator("#id_domain").select_option(str(Domain.objects.get(code="zorg").pk))
    page.locator("#id_success_criterion").fill("Alle groepen werken met dezelfde afspraken.")
    page.locator(f'input[name=items][value="{item_pk(package, "SOP bijhouden")}"]').check()
    page.locator("#goal-save").click()
    goal = WerkplanGoal.objects.get(title=GOAL)
    expect(page.locator(f"#werkplan #goal-{goal.pk}")).to_be_visible()
    page.locator("#sheet-submit").click()
    expect(page.locator("#goal-add")).to_have_count(0)


def ib_agrees_and_realises(page: Page, package) -> None:
    page.goto(reverse("tasks:package-detail", args=[package.pk]))
    review = page.locator("#review-form")
    review.locator("button[name=decision][value=accept]").click()
    expect(page.locator("#review-form")).to_have_count(0)
    page.goto(reverse("tasks:package-realisation", args=[package.pk, Moment.END]))
    page.locator(f"#realised_{item_pk(package, 'Groepsbesprekingen')}").fill("62")
    page.locator(f"#realised_{item_pk(package, 'SOP bijhouden')}").fill("11,5")
    page.locator("#realisation-form button[type=submit]").click()
    expect(page.locator(f"#realised_{item_pk(package, 'Groepsbesprekingen')}")).to_have_value("62")
    page.goto(reverse("tasks:package-detail", args=[package.pk]))
    expect(page.locator("#realisation table")).to_contain_text("62")


def ib_rates(page: Page, package) -> None:
    page.goto(reverse("tasks:package-detail", args=[package.pk]))
    page.locator("#evaluation-link").click()
    page.locator("#evaluation-start").click()
    goal = EvaluationGoal.objects.get(title=GOAL).pk
    page.locator(f"#id_rating_{goal}_2").check()  # not achieved
    page.locator(f"#id_evidence_{goal}").fill("Pas in drie van de tien groepen ingevoerd.")
    page.locator("#ratings-ready").click()
    expect(page.locator("#ratings-ready")).to_have_count(0)


def director_holds(page: Page, package) -> None:
    page.goto(reverse("tasks:package-evaluation", args=[package.pk]))
    page.locator("#id_held_on").fill(timezone.localdate().isoformat())
    page.locator("#id_agreements").fill("Het gedragsprotocol gaat mee naar volgend jaar.")
    page.locator("#conversation-save").click()
    expect(page.locator("#conversation-record")).to_contain_text("gedragsprotocol")
    assert Evaluation.objects.get(package=package).closed_at is not None


def board_reads_the_cycle(page: Page, board) -> None:
    page.goto(reverse("schools:comparison-cycle", args=[board.pk]))
    row = page.locator("main tbody tr", has_text="OBS Het Hele Jaar")
    expect(row).to_contain_text("52,0")  # planned: 40 + 12 h
    expect(row).to_contain_text("73,5")  # realised: 62 + 11.5 h


def next_year_starts_from_the_evaluation(page: Page, share, director) -> None:
    year = SchoolYear.current_start_year() + 1
    package = package_create(
        share=share, school_year=f.SchoolYearFactory(start_year=year), actor=director
    )
    page.goto(reverse("tasks:package-detail", args=[package.pk]))
    page.locator("button[name=catalogus]").click()  # "Add a task (... or last year's)"
    copy = reverse("tasks:package-copy", args=[package.pk])
    page.locator(f'button[formaction="{copy}"]').click()
    mark = page.locator(".last-year-mark")
    expect(mark).to_have_count(1)  # 62 h against 40 h; 11.5 against 12 is not far off
    expect(mark).to_contain_text("40")
    expect(mark).to_contain_text("62")
    offer = page.locator(f'#carry-over input[name=goals][value="{GOAL.lower()}"]')
    offer.check()
    page.locator("#carry-over-save").click()
    expect(page.locator("#carry-over")).to_have_count(0)
    carried = WerkplanGoal.objects.get(version__package=package, title=GOAL)
    expect(page.locator(f"#werkplan #goal-{carried.pk}")).to_be_visible()


def test_a_whole_year(new_context) -> None:
    board, share, director_user, package = this_years_draft()
    director = new_context().new_page()
    log_in(director, "dir.jaar")
    director_draws_up(director, package)
    ib = new_context().new_page()
    log_in(ib, "ib.jaar")
    ib_agrees_and_realises(ib, package)
    ib_rates(ib, package)
    director_holds(director, package)
    staff = new_context().new_page()
    log_in(staff, "bestuur.jaar")
    board_reads_the_cycle(staff, board)
    next_year_starts_from_the_evaluation(director, share, director_user)
