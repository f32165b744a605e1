"""The IB's review of a package over budget, the draft letter, withdrawing, and phones.

A director has submitted a package that is 42,5 hours over budget, with a note. The director
first takes it back (asked first) and submits it again; the IB reads the note and the hours
over budget, finds the decision without tabbing through every task, is refused an accept
without the confirmation, then confirms; the draft letter said CONCEPT (also in print), the
agreed letter is signed and says it was agreed over budget. At 390 px wide none of these pages
scrolls sideways.

Elements are found by id, name, href and the test data, not by UI wording (see
test_package_journey).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from schools.models import SchoolYear
from tasks.models import Domain, Package, PackageStatus
from tasks.packages import current_version, item_add, package_create, package_submit
from tests import factories as f
from tests.browser.test_journeys import log_in, url_re

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "Er is veel bijgekomen; laten we in het jaargesprek kijken wat er af kan."
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def over_budget_package() -> Package:
    """0,8 fte x 1659 h = 1327,2 h budget; tasks 40 + 700 + 619,7 + 10 x 1 = 1369,7 h: 42,5 h
    over. Thirteen tasks: more than a screen of comment fields."""
    start_year = SchoolYear.current_start_year()
    board = f.BoardFactory(
        name="Stichting Duinrand", hours_per_fte=Decimal("1659"), reserved_hours_per_fte=0
    )
    school = f.SchoolFactory(board=board, name="OBS De Helmgras", brin="51HG")
    director = f.director(school, username="directeur.helmgras", first_name="Ruud")
    ib = f.ib(board, username="ib.helmgras", first_name="Fleur", last_name="Zandbergen")
    share = f.AppointmentFactory(
        board=board,
        ib=ib,
        start_date=datetime.date(start_year, 8, 1),
        shares=[(school, Decimal("0.8"))],
    ).shares.get()
    year, _created = SchoolYear.objects.get_or_create(start_year=start_year)
    package = package_create(share=share, school_year=year, actor=director)
    domains = {domain.code: domain for domain in Domain.objects.all()}
    tasks = [
        ("Groepsbesprekingen voeren", "40", "zorg"),
        ("Trendanalyses maken", "700", "data"),
        ("Schoolplan evalueren", "619.7", "leren"),
    ] + [(f"Kort overleg {n}", "1", "zorg") for n in range(1, 11)]
    for title, hours, code in tasks:
        item_add(
            package=package,
            actor=director,
            lock_version=package.lock_version,
            hours=Decimal(hours),
            title=title,
            domain=domains[code],
        )
    package_submit(package=package, actor=director, lock_version=package.lock_version, comment=NOTE)
    return package


def status(package: Package) -> str:
    return current_version(package).status


def assert_no_sideways_scroll(page: Page, path: str) -> None:
    page.goto(path)
    expect(page.locator("main h1")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} scrolls sideways at 390 px ({width} px wide)"


def test_ib_accepts_over_budget_with_confirmation_and_the_letter_says_so(
    browser_page: Page,
) -> None:
    page = browser_page
    package = over_budget_package()
    detail_url = reverse("tasks:package-detail", args=[package.pk])
    letter_url = reverse("tasks:package-letter", args=[package.pk])

    # --- The director withdraws it: the page asks first, then it is a draft ---------------
    log_in(page, "directeur.helmgras")
    withdraw_url = reverse("tasks:package-withdraw", args=[package.pk])
    page.goto(withdraw_url)
    expect(page.locator("#confirm-question")).to_contain_text("Fleur Zandbergen")
    expect(page.locator("#confirm-consequences li")).to_have_count(3)
    assert status(package) == PackageStatus.SUBMITTED  # asking changed nothing
    page.locator("#withdraw-comment").fill("Nog even kijken")
    page.locator(f'main form[action="{withdraw_url}"] button[type=submit]').click()
    expect(page).to_have_url(url_re(detail_url))
    assert status(package) == PackageStatus.CONCEPT
    package.refresh_from_db()
    package_submit(
        package=package,
        actor=package.school.directors[0],
        lock_version=package.lock_version,
        comment=NOTE,
    )
    # The director's overview on a phone.
    page.set_viewport_size(PHONE)
    assert_no_sideways_scroll(page, reverse("tasks:package-overview"))
    page.context.clear_cookies()

    # --- The IB: the draft letter is marked CONCEPT, on screen and in print --------------
    page.set_viewport_size(DESKTOP)
    log_in(page, "ib.helmgras")
    page.goto(letter_url)
    expect(page.locator("#letter-concept")).to_be_visible()
    expect(page.locator(".signatures")).to_have_count(0)
    page.emulate_media(media="print")
    expect(page.locator("#letter-concept")).to_be_visible()
    watermark = page.evaluate(
        "getComputedStyle(document.querySelector('article.task-letter'), '::before').content"
    )
    assert "CONCEPT" in watermark
    budget_break = page.evaluate(
        "getComputedStyle(document.querySelector('#package-summary table')).breakInside"
    )
    assert budget_break == "avoid"
    assert page.pdf(format="A4").startswith(b"%PDF")
    page.emulate_media(media="screen")

    # --- The review page: the director's note and the hours over budget, prominently -------
    page.goto(detail_url)
    expect(page.locator("#submission-note")).to_have_text(NOTE)
    over = page.locator("#review-over-budget")
    expect(over).to_be_visible()
    expect(over).to_contain_text("42,5")
    expect(over).to_contain_text("1369,7")

    # Keyboard: from the confirmation the next Tab is the decision, not a task's comment.
    review_form = page.locator("#review-form")
    page.locator("#id_confirm_over_budget").focus()
    page.keyboard.press("Tab")
    accept = review_form.locator("button[name=decision][value=accept]")
    expect(accept).to_be_focused()
    page.keyboard.press("Tab")
    expect(review_form.locator("button[name=decision][value=return]")).to_be_focused()
    # Reading the last task's comment field, the decision is still in view (sticky bar).
    last_field = review_form.locator(".review-task textarea").last
    last_field.scroll_into_view_if_needed()
    last_field.fill("Dit kan naar 600 uur.")
    box = accept.bounding_box()
    assert box is not None and 0 <= box["y"] <= 80, box

    # Accepting without the confirmation is refused; the typed comment stays.
    accept.click()
    expect(page.locator("#id_confirm_over_budget")).to_have_class("form-check-input is-invalid")
    expect(review_form.locator(".review-task textarea").last).to_have_value("Dit kan naar 600 uur.")
    assert status(package) == PackageStatus.SUBMITTED
    page.locator("#id_confirm_over_budget").check()
    review_form.locator("button[name=decision][value=accept]").click()
    expect(page.locator("#review-form")).to_have_count(0)
    assert status(package) == PackageStatus.AGREED
    assert current_version(package).agreed_over_budget_hours == Decimal("42.5")

    # --- The agreed letter: signed, and it says it was agreed over budget ---------------------
    page.goto(letter_url)
    expect(page.locator("#letter-concept")).to_have_count(0)
    expect(page.locator(".signatures")).to_be_visible()
    expect(page.locator("#letter-over-budget")).to_contain_text("42,5")

    # --- Phones: the IB's pages do not scroll sideways ------------------------------------------
    page.set_viewport_size(PHONE)
    for path in (
        reverse("tasks:ib-packages"),
        detail_url,
        letter_url,
        reverse("tasks:package-history", args=[package.pk]),
    ):
        assert_no_sideways_scroll(page, path)


def test_the_review_page_on_a_phone_keeps_the_task_above_its_comment(browser_page: Page) -> None:
    page = browser_page
    package = over_budget_package()
    page.set_viewport_size(PHONE)
    log_in(page, "ib.helmgras")
    detail_url = reverse("tasks:package-detail", args=[package.pk])
    assert_no_sideways_scroll(page, detail_url)
    for item in current_version(package).items.all():
        field = page.locator(f"#id_item_{item.pk}")
        label = page.locator(f'label[for="id_item_{item.pk}"]')
        expect(label).to_contain_text(item.title)
        field_box, label_box = field.bounding_box(), label.bounding_box()
        # The title sits directly above its field, in the same card.
        assert label_box["y"] + label_box["height"] <= field_box["y"] < label_box["y"] + 150
