"""Board staff change an IB's fte and read the change on the appointment's history page,
on a laptop and at 390 px."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-wachtwoord"
PHONE = {"width": 390, "height": 844}


def log_in(page: Page, username: str) -> None:
    page.goto(reverse("login"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(re.escape(reverse("login"))))


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["laptop", "phone"])
def test_board_admin_changes_an_fte_and_reads_old_and_new(browser_page: Page, viewport) -> None:
    board = f.BoardFactory(name="Stichting Waterland Scholen", salary_scales="LB, LC, LD")
    school = f.SchoolFactory(board=board, name="OBS De Regenboog")
    ib = f.ib(board, first_name="Ilse", last_name="Kempelaar")
    appointment = f.AppointmentFactory(
        board=board, ib=ib, salary_scale="LC", shares=[(school, "0.5")]
    )
    admin = f.board_admin(
        board, username="beheer.waterland", first_name="Gerard", last_name="Dommelaar"
    )
    admin.set_password(PASSWORD)
    admin.save()
    page = browser_page
    if viewport:
        page.set_viewport_size(viewport)
    log_in(page, "beheer.waterland")

    page.goto(reverse("schools:appointment-edit", args=[appointment.pk]))
    page.locator("#id_shares-0-fte").fill("0,6")
    page.locator("main form[method=post] button[type=submit]").last.click()
    expect(page).to_have_url(
        re.compile(re.escape(reverse("schools:appointment-detail", args=[appointment.pk])) + "$")
    )

    page.get_by_role("link", name="Geschiedenis", exact=True).click()
    expect(page.locator("h1")).to_have_text("Geschiedenis")
    change = page.locator("tbody tr").filter(has_text="gewijzigd").first
    expect(change).to_contain_text("Gerard Dommelaar")
    expect(change).to_contain_text("Aandeel per school: OBS De Regenboog")
    expect(change.locator(".history-old")).to_have_text("0,5")
    expect(change.locator(".history-new")).to_have_text("0,6")
    if viewport:
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= viewport["width"]
