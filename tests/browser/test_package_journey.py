"""A task package from start to agreement, through the real pages in headless Chromium.

The director builds the package for an IB share (over budget first, fixed in place with
htmx) and submits it; the IB returns it with comments; the director changes it and submits
again; the IB accepts; the task letter shows what was agreed.

The pages are being translated, so elements are found by id, name, href, values and data
attributes (the version's status is ``data-status`` on the package facts) and by the names and
numbers in the test data, never by UI wording.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.db.models import Q
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from schools.models import SchoolYear
from tasks.models import CatalogueTask, Package, PackageItem, PackageStatus
from tasks.packages import current_version
from tasks.services import catalogue_copy_standard
from tests import factories as f
from tests.browser.test_journeys import log_in, url_re

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Two tasks of the standard catalogue, by their stable keys.
FIRST_TASK = "klassenbezoeken-met-nagesprek"
SECOND_TASK = "leerteams-ondersteunen"


def log_out(page: Page) -> None:
    """Log out with the POST form in the user menu, as a user does."""
    page.locator("nav .dropdown-toggle").click()
    page.locator(f'nav form[action="{reverse("logout")}"] button[type=submit]').click()
    expect(page).to_have_url(url_re(reverse("login")))


def package_facts(page: Page) -> Locator:
    """The facts of the version shown; ``data-status`` holds its status value."""
    return page.locator("main dl.package-facts")


def search_catalogue(page: Page, words: str) -> None:
    search = page.locator("#catalogue form[role=search]")
    search.locator("#id_q").fill(words)
    search.locator("#id_q").press("Enter")
    expect(page).to_have_url(re.compile(r"\?q=" + re.escape(words) + r"&domein=#catalogue$"))


def add_from_catalogue(page: Page, task: CatalogueTask, hours: str) -> None:
    """Type the hours in the task's catalogue row and add it; the row then shows it is added."""
    add_form = page.locator(f"#task-form-{task.pk}")
    page.locator(f"#task{task.pk}-hours").fill(hours)
    add_form.locator("button[type=submit]").click()
    expect(add_form).to_have_count(0)  # the row now says the task is in the package


def item_row(page: Page, item: PackageItem) -> Locator:
    return page.locator(f"tr#item-{item.pk}")


def test_package_from_draft_to_agreed_task_letter(browser_page: Page) -> None:
    page = browser_page
    start_year = SchoolYear.current_start_year()
    board = f.BoardFactory(
        name="Stichting Polderwijs",
        hours_per_fte=Decimal("1659"),
        reserved_hours_per_fte=Decimal("0"),
    )
    school = f.SchoolFactory(board=board, name="OBS De Vlieger", brin="41VL")
    director = f.director(
        school,
        username="directeur.vlieger",
        first_name="Bram",
        last_name="Ouwehand",
        email="bram.ouwehand@vlieger.example",
    )
    ib = f.ib(
        board,
        username="ib.vlieger",
        first_name="Sanne",
        last_name="Doornbos",
        email="sanne.doornbos@polderwijs.example",
    )
    appointment = f.AppointmentFactory(
        board=board,
        ib=ib,
        start_date=datetime.date(start_year, 8, 1),
        shares=[(school, Decimal("0.1"))],
    )
    share = appointment.shares.get()
    assert catalogue_copy_standard(board=board) > 2
    first_task = CatalogueTask.objects.get(board=board, standard_key=FIRST_TASK)
    second_task = CatalogueTask.objects.get(board=board, standard_key=SECOND_TASK)

    # --- The director creates the package for the IB's share -----------------------------
    log_in(page, "directeur.vlieger")
    overview_url = reverse("tasks:package-overview")
    page.locator(f'nav a[href="{overview_url}"]').click()
    expect(page).to_have_url(url_re(overview_url))
    create_url = reverse("tasks:package-create", args=[share.pk, start_year])
    create_form = page.locator(f'main form[action="{create_url}"]')
    expect(create_form.locator("xpath=ancestor::tr")).to_contain_text(school.name)
    expect(create_form.locator("xpath=ancestor::tr")).to_contain_text("165,9")  # the budget
    create_form.locator("button[type=submit]:not([name])").click()

    package = Package.objects.get(share=share, school_year__start_year=start_year)
    detail_url = reverse("tasks:package-detail", args=[package.pk])
    expect(page).to_have_url(url_re(detail_url))
    expect(package_facts(page)).to_have_attribute("data-status", PackageStatus.CONCEPT)
    expect(page.locator("main tr[id^=item-]")).to_have_count(0)

    # --- Search the catalogue and add two tasks: together over the budget ---------------------
    search_catalogue(page, "Klassenbezoek")
    catalogue_rows = page.locator("#catalogue .catalogue-pick tbody tr")
    # The search looks in title, description and source.
    words = "Klassenbezoek"
    expected = CatalogueTask.objects.filter(
        Q(title__icontains=words) | Q(description__icontains=words) | Q(source__icontains=words),
        board=board,
    ).count()
    assert 0 < expected < CatalogueTask.objects.filter(board=board).count()
    expect(catalogue_rows).to_have_count(expected)
    expect(page.locator(f"#task-form-{second_task.pk}")).to_have_count(0)  # filtered out
    add_from_catalogue(page, first_task, "150")
    expect(page).to_have_url(re.compile(re.escape(detail_url) + r"\?q=Klassenbezoek"))

    search_catalogue(page, "Leerteambijeenkomsten")
    add_from_catalogue(page, second_task, "40")

    first = PackageItem.objects.get(version__package=package, task=first_task)
    second = PackageItem.objects.get(version__package=package, task=second_task)
    expect(page.locator("main tr[id^=item-]")).to_have_count(2)
    expect(item_row(page, first)).to_contain_text(first_task.title)
    expect(page.locator(f"#item{first.pk}-hours")).to_have_value("150")
    expect(page.locator(f"#item{second.pk}-hours")).to_have_value("40")

    # 150 + 40 = 190 hours against a budget of 165.9: 24.1 hours must go.
    summary = page.locator("#package-summary")
    meter = summary.locator("#budget-meter")
    expect(meter).to_have_attribute("value", "190.0")
    over_budget = summary.locator(".alert-danger")
    expect(over_budget).to_have_count(1)
    expect(over_budget).to_contain_text("24,1")

    # --- Fix it in place: the first task to 100 hours (htmx, no page load) --------------------
    page.evaluate("window.journeyMarker = 'same page'")
    page.locator(f"#item{first.pk}-hours").fill("100")
    page.locator(f"#item-form-{first.pk} button[type=submit]").click()
    expect(meter).to_have_attribute("value", "140.0")  # the budget, swapped in out of band
    expect(page.locator("#package-live")).not_to_be_empty()
    expect(over_budget).to_have_count(0)
    expect(page.locator(f"#item{first.pk}-hours")).to_have_value("100")
    assert page.evaluate("window.journeyMarker") == "same page"  # it was not reloaded
    assert PackageItem.objects.get(pk=first.pk).hours == Decimal("100")

    # --- Submit to the IB (the lock version was refreshed by the in-place edit) ---------------
    submit_form = page.locator(
        f'form[action="{reverse("tasks:package-submit", args=[package.pk])}"]'
    )
    submit_form.locator("textarea[name=comment]").fill("Sanne, graag je reactie voor vrijdag.")
    submit_form.locator("button[type=submit]").click()
    expect(page).to_have_url(url_re(detail_url))
    expect(package_facts(page)).to_have_attribute("data-status", PackageStatus.SUBMITTED)
    expect(page.locator("main tr[id^=item-] input")).to_have_count(0)  # read-only now
    log_out(page)

    # --- The IB returns it with a comment on one task and an overall comment -------------------
    log_in(page, "ib.vlieger")
    my_packages_url = reverse("tasks:ib-packages")
    page.locator(f'nav a[href="{my_packages_url}"]').click()
    expect(page).to_have_url(url_re(my_packages_url))
    page.locator(f'main table a[href="{detail_url}"]').click()
    expect(page).to_have_url(url_re(detail_url))
    review_form = page.locator("#review-form")
    expect(review_form).to_be_visible()
    item_comment = "Er komt dit jaar een extra leerteam bij: graag 45 uur."
    overall_comment = "Bijna goed; zie mijn opmerking bij de leerteams."
    page.locator(f'textarea[name="item_{second.pk}"]').fill(item_comment)
    review_form.locator("textarea[name=comment]").fill(overall_comment)
    review_form.locator("button[name=decision][value=return]").click()
    expect(page).to_have_url(url_re(detail_url))
    expect(package_facts(page)).to_have_attribute("data-status", PackageStatus.RETURNED)
    expect(page.locator("#review-form")).to_have_count(0)
    log_out(page)

    # --- The director reads the comments, changes the hours (back to draft), submits again -----
    log_in(page, "directeur.vlieger")
    page.locator(f'nav a[href="{overview_url}"]').click()
    page.locator(f'main a[href="{detail_url}"]').click()
    expect(page).to_have_url(url_re(detail_url))
    returned = page.locator("section[aria-labelledby=returned-heading]")
    expect(returned).to_contain_text(overall_comment)
    expect(returned).to_contain_text(item_comment)
    expect(item_row(page, second)).to_contain_text(item_comment)

    page.locator(f"#item{second.pk}-hours").fill("45")
    page.locator(f"#item-form-{second.pk} button[type=submit]").click()
    # A returned package goes back to draft: the page reloads to show the new state.
    expect(package_facts(page)).to_have_attribute("data-status", PackageStatus.CONCEPT)
    expect(page.locator(f"#item{second.pk}-hours")).to_have_value("45")
    expect(page.locator("#budget-meter")).to_have_attribute("value", "145.0")

    submit_form.locator("textarea[name=comment]").fill("Aangepast naar 45 uur.")
    submit_form.locator("button[type=submit]").click()
    expect(package_facts(page)).to_have_attribute("data-status", PackageStatus.SUBMITTED)
    log_out(page)

    # --- The IB accepts ---------------------------------------------------------------------------
    log_in(page, "ib.vlieger")
    page.locator(f'nav a[href="{my_packages_url}"]').click()
    page.locator(f'main table a[href="{detail_url}"]').click()
    expect(page).to_have_url(url_re(detail_url))
    review_form.locator("textarea[name=comment]").fill("Akkoord, dank je wel.")
    review_form.locator("button[name=decision][value=accept]").click()
    expect(package_facts(page)).to_have_attribute("data-status", PackageStatus.AGREED)
    expect(page.locator("#review-form")).to_have_count(0)

    # --- The task letter shows what was agreed -------------------------------------------------
    letter_url = reverse("tasks:package-letter", args=[package.pk])
    page.locator(f'main a[href="{letter_url}"]').click()
    expect(page).to_have_url(url_re(letter_url))
    letter = page.locator("article.task-letter")
    expect(letter.locator("dl.package-facts")).to_have_attribute(
        "data-status", PackageStatus.AGREED
    )
    expect(letter.locator("dl.package-facts")).to_have_attribute("data-version", "1")
    tasks = letter.locator("section[aria-labelledby=letter-tasks-heading] table")
    for task, hours in ((first_task, "100"), (second_task, "45")):
        row = tasks.locator("tbody tr").filter(has_text=task.title)
        expect(row).to_have_count(1)
        expect(row.locator("td.num")).to_have_text(hours)
    # The return round's task comment was answered: it is in the history, not on the letter.
    expect(tasks.locator("tbody tr").filter(has_text=second_task.title)).not_to_contain_text(
        item_comment
    )
    expect(tasks.locator("tfoot td.num")).to_have_text("145")
    expect(letter).to_contain_text("Akkoord, dank je wel.")
    expect(letter).to_contain_text("Sanne Doornbos")
    expect(letter).to_contain_text("Bram Ouwehand")

    history_url = reverse("tasks:package-history", args=[package.pk])
    page.goto(history_url)
    expect(page.locator("main table")).to_contain_text(item_comment)

    # --- The database and the notices ----------------------------------------------------------
    version = current_version(package)
    assert (version.number, version.status) == (1, PackageStatus.AGREED)
    assert version.submitted_at is not None and version.agreed_at is not None
    assert {item.task_id: item.hours for item in version.items.all()} == {
        first_task.pk: Decimal("100"),
        second_task.pk: Decimal("45"),
    }
    # Sent in the live server's thread, after each commit: submit, return, submit, accept.
    assert [message.to for message in mail.outbox] == [
        [ib.email],
        [director.email],
        [ib.email],
        [director.email],
    ]
    for message in mail.outbox:
        assert detail_url in message.body
    assert "Sanne, graag je reactie voor vrijdag." in mail.outbox[0].body
    assert overall_comment in mail.outbox[1].body
    assert "Aangepast naar 45 uur." in mail.outbox[2].body
    assert "Akkoord, dank je wel." in mail.outbox[3].body
