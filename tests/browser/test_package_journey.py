"""A task package from start to agreement, through the real pages in headless Chromium.

The director builds the package for an IB share (the catalogue loaded on demand with htmx;
over budget first, fixed in the sheet) and submits it with the hours typed but not saved (the
page asks first); the IB returns it with comments; the director changes it and submits again;
the IB accepts; the task letter shows what was agreed. Further journeys: the sheet without
JavaScript (nothing typed is lost), the over-budget confirmation, removing a task, leaving the
page with unsaved changes, and the sheet on a 390 px phone.

The pages are being translated, so elements are found by id, name, href, values and data
attributes (the version's status is ``data-status`` on the package facts) and by the names and
numbers in the test data, never by UI wording.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import mail
from django.db.models import Q
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from schools.models import SchoolYear
from tasks import packages
from tasks.models import CatalogueTask, Domain, Package, PackageItem, PackageStatus
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


def open_catalogue(page: Page) -> None:
    """The sheet's "Add a task" button: htmx loads the catalogue into the page."""
    page.locator("#catalogue-area button[name=catalogus]").click()
    expect(page.locator("#catalogue-search #id_q")).to_be_visible()


def search_catalogue(page: Page, words: str) -> None:
    """Enter in the search field filters the catalogue in place (htmx), not a save."""
    search = page.locator("#catalogue-search")
    search.locator("#id_q").fill(words)
    search.locator("#id_q").press("Enter")
    expect(page.locator("#catalogue-count")).to_contain_text(" ")
    expect(page.locator("#catalogue .catalogue-pick tbody tr").first).to_contain_text(
        re.compile(".")
    )


def add_from_catalogue(page: Page, task: CatalogueTask, hours: str) -> None:
    """Type the hours in the task's catalogue row and add it; the row then shows it is added."""
    add_button = page.locator(f"#task-add-{task.pk}")
    page.locator(f"#task{task.pk}-hours").fill(hours)
    add_button.click()
    expect(add_button).to_have_count(0)  # the row now says the task is in the package


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
    page.evaluate("window.journeyMarker = 'same page'")
    open_catalogue(page)
    search_catalogue(page, "Klassenbezoek")
    assert page.evaluate("window.journeyMarker") == "same page"  # loaded in place (htmx)
    catalogue_rows = page.locator("#catalogue .catalogue-pick tbody tr")
    # The search looks in title, description and source.
    words = "Klassenbezoek"
    expected = CatalogueTask.objects.filter(
        Q(title__icontains=words) | Q(description__icontains=words) | Q(source__icontains=words),
        board=board,
    ).count()
    assert 0 < expected < CatalogueTask.objects.filter(board=board).count()
    expect(catalogue_rows).to_have_count(expected)
    expect(page.locator(f"#task-add-{second_task.pk}")).to_have_count(0)  # filtered out
    add_from_catalogue(page, first_task, "150")
    # Back on the sheet with the catalogue still open at the same search.
    expect(page).to_have_url(
        re.compile(re.escape(detail_url) + r"\?catalogus=1&q=Klassenbezoek#catalogue$")
    )

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

    # --- Fix it in the sheet: the first task to 100 hours, not saved yet ----------------------
    hours_input = page.locator(f"#item{first.pk}-hours")
    hours_input.fill("100")
    expect(item_row(page, first)).to_have_class(re.compile(r"\bis-unsaved\b"))
    expect(item_row(page, first).locator(".unsaved-badge")).to_be_visible()
    expect(item_row(page, second).locator(".unsaved-badge")).to_be_hidden()
    expect(page.locator(".sheet-actions .sheet-unsaved")).not_to_be_empty()
    expect(page.locator(".sheet-actions")).to_have_css("position", "sticky")

    # --- "Submit" with the change unsaved: the page asks first; "save first" saves, submits ----
    page.locator("#submit-comment").fill("Sanne, graag je reactie voor vrijdag.")
    page.locator("#sheet-submit").click()
    dialog = page.locator("#sheet-unsaved-dialog")
    expect(dialog).to_be_visible()
    dialog.locator("[data-choice=cancel]").click()
    expect(dialog).to_be_hidden()
    expect(hours_input).to_have_value("100")  # cancel keeps what was typed
    assert PackageItem.objects.get(pk=first.pk).hours == Decimal("150")
    page.locator("#sheet-submit").click()
    dialog.locator("[data-choice=save]").click()
    # "Submit" posts to ...#over-budget-confirm (the question over budget is scrolled to); the
    # redirect after submitting keeps that fragment, which names nothing on the package page.
    expect(page).to_have_url(re.compile(re.escape(detail_url) + "(#over-budget-confirm)?$"))
    expect(package_facts(page)).to_have_attribute("data-status", PackageStatus.SUBMITTED)
    assert PackageItem.objects.get(pk=first.pk).hours == Decimal("100")
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
    page.locator("#sheet-save").click()
    # A returned package goes back to draft with the first change.
    expect(package_facts(page)).to_have_attribute("data-status", PackageStatus.CONCEPT)
    expect(page.locator(f"#item{second.pk}-hours")).to_have_value("45")
    expect(page.locator("#budget-meter")).to_have_attribute("value", "145.0")

    page.locator("#submit-comment").fill("Aangepast naar 45 uur.")
    page.locator("#sheet-submit").click()  # nothing unsaved: no question
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


# ---------------------------------------------------------------------------------------------
# The sheet: nothing typed is lost, with or without JavaScript; over budget; on a phone
# ---------------------------------------------------------------------------------------------

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def draft_package() -> tuple[Package, PackageItem, PackageItem]:
    """A draft with two tasks (40 + 20 h) against a budget of 165.9 h (0.1 fte, nothing kept
    apart), for the director ``directeur.zon`` of OBS De Zonnewijzer."""
    board = f.BoardFactory(hours_per_fte=Decimal("1659"), reserved_hours_per_fte=Decimal("0"))
    school = f.SchoolFactory(board=board, name="OBS De Zonnewijzer", brin="42ZW")
    director = f.director(school, username="directeur.zon")
    ib = f.ib(board, username="ib.zon", first_name="Noor", last_name="Visser")
    share = f.AppointmentFactory(board=board, ib=ib, shares=[(school, Decimal("0.1"))]).shares.get()
    year = SchoolYear.objects.get_or_create(start_year=SchoolYear.current_start_year())[0]
    package = packages.package_create(share=share, school_year=year, actor=director)
    domain = Domain.objects.get(code="data")
    first = packages.item_add(
        package=package,
        actor=director,
        lock_version=0,
        hours=Decimal("40"),
        title="Trendanalyse groepen",
        domain=domain,
    )
    second = packages.item_add(
        package=package,
        actor=director,
        lock_version=1,
        hours=Decimal("20"),
        title="Toetskalender bijhouden",
        domain=domain,
    )
    return package, first, second


def status(package: Package) -> str:
    return current_version(package).status


def test_without_javascript_submit_saves_the_typed_hours_first(new_context) -> None:
    package, first, second = draft_package()
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, "directeur.zon")
    detail_url = reverse("tasks:package-detail", args=[package.pk])
    page.goto(detail_url)
    # Typed, not saved, then "Submit": the server saves the values first, then submits.
    page.locator(f"#item{first.pk}-hours").fill("45,5")
    page.locator(f"#item{second.pk}-note").fill("met de rekencoördinator")
    page.locator("#sheet-submit").click()
    expect(package_facts(page)).to_have_attribute("data-status", PackageStatus.SUBMITTED)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.hours, second.note) == (Decimal("45.5"), "met de rekencoördinator")
    assert status(package) == PackageStatus.SUBMITTED


def test_without_javascript_over_budget_asks_and_a_bad_row_keeps_everything(new_context) -> None:
    package, first, second = draft_package()
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, "directeur.zon")
    page.goto(reverse("tasks:package-detail", args=[package.pk]))
    # A bad value in one row: nothing saved, every typed value still there.
    page.locator(f"#item{first.pk}-hours").fill("150")
    page.locator(f"#item{second.pk}-hours").fill("twintig")
    page.locator("#sheet-submit").click()
    expect(page.locator(f"#item{second.pk}-error")).to_be_visible()
    expect(page.locator(f"#item{first.pk}-hours")).to_have_value("150")
    expect(page.locator(f"#item{second.pk}-hours")).to_have_value("twintig")
    assert PackageItem.objects.get(pk=first.pk).hours == Decimal("40")
    # Corrected: 150 + 20 = 170 h against 165.9 h. The submission asks, naming 4.1 hours.
    page.locator(f"#item{second.pk}-hours").fill("20")
    page.locator("#submit-comment").fill("Iets boven het budget.")
    page.locator("#sheet-submit").click()
    confirm = page.locator("#over-budget-confirm")
    expect(confirm).to_contain_text(
        "Het takenpakket is 4,1 uur boven het urenbudget. Toch voorleggen?"
    )
    assert PackageItem.objects.get(pk=first.pk).hours == Decimal("150")  # saved
    assert status(package) == PackageStatus.CONCEPT
    confirm.locator("button[name=confirm_over_budget]").click()
    expect(package_facts(page)).to_have_attribute("data-status", PackageStatus.SUBMITTED)
    assert package.events.order_by("-id").first().comment == "Iets boven het budget."


@pytest.mark.parametrize("javascript", [False, True])
@pytest.mark.parametrize("width", [390, 1440])
def test_the_over_budget_question_is_in_view_where_the_page_starts(
    new_context, width, javascript
) -> None:
    """After "Submit" over budget the page reloads: the question and its buttons are in view
    without scrolling, also on a phone without JavaScript (where the menu stands open)."""
    package, first, _second = draft_package()
    context = new_context(java_script_enabled=javascript, viewport={"width": width, "height": 844})
    page = context.new_page()
    log_in(page, "directeur.zon")
    page.goto(reverse("tasks:package-detail", args=[package.pk]))
    PackageItem.objects.filter(pk=first.pk).update(hours=Decimal("150"))
    page.reload()
    page.locator("#sheet-submit").click()
    confirm = page.locator("#over-budget-confirm")
    expect(confirm).to_contain_text("4,1")
    expect(confirm).to_be_in_viewport()
    expect(confirm.locator("button[name=confirm_over_budget]")).to_be_in_viewport()
    expect(confirm.locator("a")).to_be_in_viewport()
    confirm.locator("button[name=confirm_over_budget]").click()
    expect(package_facts(page)).to_have_attribute("data-status", PackageStatus.SUBMITTED)


def test_without_javascript_removing_asks_on_a_page_of_its_own(new_context) -> None:
    package, first, second = draft_package()
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, "directeur.zon")
    detail_url = reverse("tasks:package-detail", args=[package.pk])
    page.goto(detail_url)
    page.locator(f"#item{first.pk}-hours").fill("41")
    item_row(page, second).locator("button[data-remove]").click()
    remove_url = reverse("tasks:item-remove", args=[second.pk])
    expect(page).to_have_url(url_re(remove_url))
    expect(page.locator("main")).to_contain_text("Toetskalender bijhouden")
    assert PackageItem.objects.get(pk=first.pk).hours == Decimal("41")  # saved on the way
    page.locator(f'main a[href="{detail_url}"].btn').click()  # cancel
    expect(item_row(page, second)).to_be_visible()
    item_row(page, second).locator("button[data-remove]").click()
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(url_re(detail_url))
    expect(item_row(page, second)).to_have_count(0)


def test_with_javascript_over_budget_remove_and_leaving_ask_first(browser_page: Page) -> None:
    page = browser_page
    package, first, second = draft_package()
    log_in(page, "directeur.zon")
    detail_url = reverse("tasks:package-detail", args=[package.pk])
    page.goto(detail_url)

    # Leaving with unsaved hours: the browser asks (beforeunload); staying keeps them.
    page.locator(f"#item{first.pk}-hours").fill("150")
    asked = []

    def stay(dialog) -> None:
        asked.append(dialog.type)
        dialog.dismiss()

    page.once("dialog", stay)
    history_url = reverse("tasks:package-history", args=[package.pk])
    page.locator(f'main a[href="{history_url}"]').click()
    expect(page.locator(f"#item{first.pk}-hours")).to_have_value("150")
    assert asked == ["beforeunload"]
    expect(page).to_have_url(url_re(detail_url))

    # "Submit" with unsaved hours that bring it over budget: save first, then the confirmation.
    page.locator("#sheet-submit").click()
    page.locator("#sheet-unsaved-dialog [data-choice=save]").click()
    confirm = page.locator("#over-budget-confirm")
    expect(confirm).to_contain_text("4,1")
    expect(confirm).to_be_focused()
    assert status(package) == PackageStatus.CONCEPT
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "sheet-over-budget-desktop.png"), full_page=True)
    # "No, change the package first": back to the saved sheet.
    confirm.locator("a").click()
    expect(page.locator(f"#item{first.pk}-hours")).to_have_value("150")

    # Remove asks first (a dialog); cancel keeps the task, confirm removes it.
    item_row(page, second).locator("button[data-remove]").click()
    remove_dialog = page.locator("#sheet-remove-dialog")
    expect(remove_dialog).to_contain_text("Toetskalender bijhouden")
    remove_dialog.locator("[data-choice=cancel]").click()
    expect(item_row(page, second)).to_be_visible()
    item_row(page, second).locator("button[data-remove]").click()
    remove_dialog.locator("[data-choice=remove]").click()
    expect(item_row(page, second)).to_have_count(0)

    # Discarding: the typed value goes back to the saved one and the action goes on.
    page.locator(f"#item{first.pk}-hours").fill("160")
    page.locator("#sheet-submit").click()
    page.locator("#sheet-unsaved-dialog [data-choice=discard]").click()
    expect(package_facts(page)).to_have_attribute("data-status", PackageStatus.SUBMITTED)
    assert PackageItem.objects.get(pk=first.pk).hours == Decimal("150")


def test_the_sheet_fits_a_phone(new_context) -> None:
    package, first, second = draft_package()
    context = new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=1,
    )
    page = context.new_page()
    log_in(page, "directeur.zon")
    page.goto(reverse("tasks:package-detail", args=[package.pk]))
    page.locator(f"#item{first.pk}-hours").fill("41")
    expect(item_row(page, first).locator(".unsaved-badge")).to_be_visible()
    # With phone emulation innerWidth grows with the content: compare with the fixed width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The catalogue, loaded on demand, fits too.
    open_catalogue(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "sheet-390.png"), full_page=True)
