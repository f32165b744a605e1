"""Journeys through the real pages in headless Chromium, as the people who use them.

Elements are found by role, id, href and the names in the test data, not by UI wording: the
pages are translated.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from schools.models import Appointment
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-wachtwoord"  # every factory user's password


def url_re(path: str) -> re.Pattern[str]:
    """The page's URL ends with this path (no query string)."""
    return re.compile(re.escape(path) + r"$")


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Log in through the real login form: CSRF token, session cookie and redirect included."""
    page.goto("/")
    expect(page).to_have_url(re.compile(re.escape(reverse("login")) + r"\?next=/$"))
    login_form = page.locator("main form[method=post]")
    login_form.locator("#id_username").press_sequentially(username)
    login_form.locator("#id_password").press_sequentially(password)
    login_form.get_by_role("button").click()
    expect(page).not_to_have_url(re.compile(re.escape(reverse("login"))))


def test_director_sees_exactly_their_schools(browser_page: Page) -> None:
    page = browser_page
    board = f.BoardFactory(name="Stichting Waterland Scholen")
    regenboog = f.SchoolFactory(board=board, name="OBS De Regenboog", brin="31RB")
    wilg = f.SchoolFactory(board=board, name="CBS De Wilg", brin="31WL")
    other = f.SchoolFactory(board=board, name="RKBS De Ark", brin="31AR")
    f.director(regenboog, wilg, username="directeur.twee", first_name="Anouk", last_name="Smeets")
    f.director(other, username="directeur.ark")
    ib = f.ib(board, username="ib.regenboog", first_name="Ilse", last_name="Kempelaar")
    f.AppointmentFactory(board=board, ib=ib, shares=[(regenboog, Decimal("0.6"))])

    log_in(page, "directeur.twee")

    # A director lands on "my schools": their two schools, not the third of the same board.
    expect(page).to_have_url(url_re(reverse("schools:school-list")))
    schools_table = page.locator("main table")
    expect(schools_table.locator("tbody tr")).to_have_count(2)
    for school in (regenboog, wilg):
        expect(
            schools_table.locator(f'a[href="{reverse("schools:school-detail", args=[school.pk])}"]')
        ).to_have_text(school.name)
    expect(page.locator("main")).not_to_contain_text(other.name)
    expect(
        page.locator(f'a[href="{reverse("schools:school-detail", args=[other.pk])}"]')
    ).to_have_count(0)

    # The IB is shown at the school where they have a share.
    regenboog_row = schools_table.locator("tbody tr").filter(has_text=regenboog.name)
    expect(regenboog_row.get_by_role("link", name="Ilse Kempelaar")).to_be_visible()
    expect(regenboog_row).to_contain_text("0,6")

    # Open one school: its own page, with the IB's appointment.
    schools_table.get_by_role("link", name=regenboog.name, exact=True).click()
    expect(page).to_have_url(url_re(reverse("schools:school-detail", args=[regenboog.pk])))
    expect(page.get_by_role("heading", level=1)).to_have_text(regenboog.name)
    expect(page.locator("main").get_by_role("link", name="Ilse Kempelaar")).to_be_visible()

    # Another school's page does not exist for this director.
    response = page.goto(reverse("schools:school-detail", args=[other.pk]))
    assert response is not None and response.status == 404


def test_board_staff_create_appointment_with_two_shares(browser_page: Page) -> None:
    page = browser_page
    board = f.BoardFactory(name="Stichting Waterland Scholen", salary_scales="LB, LC, LD")
    noord = f.SchoolFactory(board=board, name="OBS Noorderlicht", brin="32NL")
    zuid = f.SchoolFactory(board=board, name="CBS Zuiderkruis", brin="32ZK")
    f.board_staff(board, username="bestuur.waterland", first_name="Marieke", last_name="Hol")
    ib = f.ib(board, username="ib.nieuw", first_name="Fenna", last_name="Wilgenhof")

    log_in(page, "bestuur.waterland")

    # Board staff land on their board overview; the menu leads there too.
    board_url = reverse("schools:board-detail", args=[board.pk])
    expect(page).to_have_url(url_re(board_url))
    page.locator(f'nav a[href="{board_url}"]').click()
    expect(page).to_have_url(url_re(board_url))
    expect(page.get_by_role("heading", level=1)).to_have_text(board.name)
    # The year in figures; the schools one click away.
    expect(page.locator("main section[aria-labelledby=year-title] dd").first).to_have_text("2")
    page.locator("main").get_by_role("link", name="Scholen en hun IB'ers").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("schools:school-list")) + r"\?jaar="))
    for school in (noord, zuid):
        expect(page.locator("main").get_by_role("link", name=school.name)).to_be_visible()
    page.goto(board_url)

    # A new appointment through the form: two shares, one typed the Dutch way ("0,4").
    page.locator(f'main a[href="{reverse("schools:appointment-create", args=[board.pk])}"]').click()
    form = page.locator("main form[method=post]")
    form.locator("#id_ib").select_option(label="Fenna Wilgenhof")
    form.locator("#id_kind").select_option(Appointment.Kind.FUNCTIE.value)
    form.locator("#id_salary_scale").select_option("LC")
    form.locator("#id_start_date").fill("2026-08-01")
    form.locator("#id_shares-0-school").select_option(str(noord.pk))
    form.locator("#id_shares-0-fte").fill("0,4")
    form.locator("#id_shares-1-school").select_option(str(zuid.pk))
    form.locator("#id_shares-1-fte").fill("0,2")
    form.locator("button[type=submit]").click()

    # The detail page of the new appointment shows both shares and the total.
    expect(page).to_have_url(re.compile(r"/aanstellingen/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Fenna Wilgenhof")
    shares = page.locator("main table")
    expect(shares.locator("tbody tr").filter(has_text=noord.name)).to_contain_text("0,4")
    expect(shares.locator("tbody tr").filter(has_text=zuid.name)).to_contain_text("0,2")
    expect(shares.locator("tfoot")).to_contain_text("0,6")

    appointment = Appointment.objects.get(ib=ib)
    assert page.url.endswith(reverse("schools:appointment-detail", args=[appointment.pk]))
    assert {(s.school_id, s.fte) for s in appointment.shares.all()} == {
        (noord.pk, Decimal("0.4")),
        (zuid.pk, Decimal("0.2")),
    }
    assert appointment.salary_scale == "LC"
    assert appointment.board_id == board.pk

    # Back on the board overview, the new appointment counts; the list shows it.
    page.goto(board_url)
    year = page.locator("main section[aria-labelledby=year-title]")
    expect(year).to_contain_text("aanstelling")
    year.get_by_role("link", name="Toon deze aanstellingen").click()
    detail_url = reverse("schools:appointment-detail", args=[appointment.pk])
    expect(page.locator(f'main a[href="{detail_url}"]')).to_have_text("Fenna Wilgenhof")
