"""The year-end evaluation in headless Chromium (issue #14): the IB starts it, rates the
goals (a rating without evidence is refused with the input kept), marks it ready; the director
adds their view and records the conversation, which closes the year; then both read it closed,
without forms. The same on a 390 px phone, with and without JavaScript.

Elements are found by id, name and href, not by wording.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from tasks.models import Domain, Evaluation, EvaluationGoal, WerkplanGoal
from tasks.packages import current_version, item_add, package_create, package_review, package_submit
from tests import factories as f
from tests.browser.test_journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def agreed_package():
    """An agreed package with two werkplan goals; the board's year-end moment on 1 August,
    so that the evaluation is open on any day of the school year the journey runs in."""
    board = f.BoardFactory(realisation_mid_year="1-8", realisation_year_end="1-8")
    school = f.SchoolFactory(board=board, name="OBS De Evaluatie")
    director = f.director(school, username="dir.evaluatie")
    ib = f.ib(board, username="ib.evaluatie")
    share = f.AppointmentFactory(board=board, ib=ib, shares=[(school, Decimal("0.8"))]).shares.get()
    package = package_create(share=share, school_year=f.SchoolYearFactory(), actor=director)
    item_add(
        package=package,
        actor=director,
        lock_version=package.lock_version,
        hours=Decimal("40"),
        title="Groepsbesprekingen",
        domain=Domain.objects.get(code="data"),
    )
    for title in ("Beter begrijpend lezen", "Data bespreken met het team"):
        WerkplanGoal.objects.create(
            version=current_version(package),
            title=title,
            source_text="Schoolplan",
            domain=Domain.objects.get(code="leren"),
            success_criterion="Zichtbaar in de trendanalyse",
        )
    package_submit(package=package, actor=director, lock_version=package.lock_version)
    package_review(package=package, actor=ib, lock_version=package.lock_version, accept=True)
    return package


def goal_ids() -> dict[str, int]:
    return dict(EvaluationGoal.objects.values_list("title", "pk"))


def ib_rates(page: Page, package) -> None:
    page.goto(reverse("tasks:package-detail", args=[package.pk]))
    page.locator("#evaluation-link").click()
    page.locator("#evaluation-start").click()
    expect(page.locator("#ratings-form")).to_be_visible()
    goals = goal_ids()
    reading, data = goals["Beter begrijpend lezen"], goals["Data bespreken met het team"]
    page.locator(f"#id_rating_{reading}_0").check()
    page.locator(f"#id_evidence_{reading}").fill("Groep 6 haalde 82% op het streefniveau")
    page.locator(f"#id_rating_{data}_1").check()  # partly, without evidence: refused
    page.locator("#ratings-ready").click()
    expect(page.locator(f"#id_rating_{data}_error")).to_be_visible()
    expect(page.locator(f"#id_evidence_{reading}")).to_have_value(
        "Groep 6 haalde 82% op het streefniveau"
    )
    expect(page.locator(f"#id_rating_{data}_1")).to_be_checked()
    assert Evaluation.objects.get().ib_ready_at is None
    page.locator(f"#id_evidence_{data}").fill("Twee van de drie leerteams")
    page.locator("#ratings-ready").click()
    expect(page.locator("#ratings-ready")).to_have_count(0)
    assert Evaluation.objects.get().ib_ready_at is not None


def director_holds(page: Page, package) -> None:
    page.goto(reverse("tasks:package-detail", args=[package.pk]))
    page.locator("#evaluation-link").click()
    expect(page.locator("#ratings-form")).to_have_count(0)
    page.locator("#id_director_view").fill("Een sterk jaar; lezen blijft aandacht vragen.")
    page.locator("#view-save").click()
    expect(page.locator("#id_director_view")).to_have_value(
        "Een sterk jaar; lezen blijft aandacht vragen."
    )
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.locator("#id_held_on").fill(tomorrow.isoformat())  # refused: in the future
    page.locator("#id_agreements").fill("Het leesdoel loopt door naar volgend schooljaar.")
    page.locator("#conversation-save").click()
    expect(page.locator("#id_held_on")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator("#id_agreements")).to_have_value(
        "Het leesdoel loopt door naar volgend schooljaar."
    )
    page.locator("#id_held_on").fill(timezone.localdate().isoformat())
    page.locator("#conversation-save").click()
    expect(page.locator("#conversation-record")).to_contain_text("Het leesdoel loopt door")
    assert Evaluation.objects.get().closed_at is not None


def reads_closed(page: Page, package) -> None:
    page.goto(reverse("tasks:package-evaluation", args=[package.pk]))
    expect(page.locator("#conversation-record")).to_be_visible()
    expect(page.locator("main form")).to_have_count(0)
    expect(page.locator("main table.evaluation-goals")).to_contain_text("82%")
    page.goto(reverse("tasks:package-detail", args=[package.pk]))
    expect(page.locator("#evaluation-link")).to_have_attribute(
        "href", reverse("tasks:package-evaluation", args=[package.pk])
    )


def test_the_year_end_evaluation(new_context) -> None:
    package = agreed_package()
    ib = new_context().new_page()
    log_in(ib, "ib.evaluatie")
    ib_rates(ib, package)
    director = new_context().new_page()
    log_in(director, "dir.evaluatie")
    director_holds(director, package)
    reads_closed(director, package)
    reads_closed(ib, package)


@pytest.mark.parametrize("javascript", [True, False])
def test_on_a_phone(new_context, javascript) -> None:
    package = agreed_package()
    phone = {"viewport": {"width": 390, "height": 844}, "java_script_enabled": javascript}
    ib = new_context(**phone).new_page()
    log_in(ib, "ib.evaluatie")
    ib_rates(ib, package)
    assert ib.evaluate("() => document.documentElement.scrollWidth") <= 390
    director = new_context(**phone).new_page()
    log_in(director, "dir.evaluatie")
    director_holds(director, package)
    reads_closed(director, package)
    assert director.evaluate("() => document.documentElement.scrollWidth") <= 390
