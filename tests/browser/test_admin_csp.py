"""The admin (/beheer/) works under the Content-Security-Policy: no refused inline code.

django-csp sends ``script-src 'self'; style-src 'self'`` for every page, the admin's included.
Django's admin templates carry no inline script or style; this checks it in the browser, where
a refused inline style or script shows up as a console error, and that the admin's own
scripts (inline formsets, the date shortcuts, the two-box selector) still run.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests import factories as f

from .test_journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch_console(page: Page) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error" or "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "response",
        lambda response: (
            problems.append(f"{response.status} {response.url}") if response.status >= 400 else None
        ),
    )
    return problems


def test_admin_pages_run_under_the_csp(browser_page: Page) -> None:
    board = f.BoardFactory(name="Bestuur CSP")
    school = f.SchoolFactory(board=board, name="School CSP")
    appointment = f.AppointmentFactory(ib=f.ib(board), board=board, shares=[(school, 0.8)])
    admin_user = get_user_model().objects.create_superuser(
        "csp-admin", "csp@example.org", "demo-wachtwoord"
    )
    problems = watch_console(browser_page)

    log_in(browser_page, admin_user.username)
    pages = [
        reverse("admin:index"),
        reverse("admin:schools_board_change", args=[board.pk]),
        reverse("admin:schools_school_changelist"),
        reverse("admin:schools_appointment_change", args=[appointment.pk]),
        reverse("admin:auth_user_add"),
        reverse("admin:auth_user_changelist"),
    ]
    for path in pages:
        response = browser_page.goto(path)
        assert response is not None and response.status == 200, path
        expect(browser_page.locator("#content")).to_be_visible()
        assert "script-src 'self'" in response.headers["content-security-policy"], path

    # The admin's scripts run: the two-box selector on the board (superuser only) ...
    browser_page.goto(reverse("admin:schools_board_change", args=[board.pk]))
    expect(browser_page.locator("#id_partnerships_filter")).to_be_visible()
    # ... the date shortcuts on the appointment, and adding an inline row.
    browser_page.goto(reverse("admin:schools_appointment_change", args=[appointment.pk]))
    expect(browser_page.locator(".datetimeshortcuts").first).to_be_visible()
    add_row = browser_page.locator(".add-row a").first
    expect(add_row).to_be_visible()
    rows_before = browser_page.locator(".dynamic-shares, tr.form-row").count()
    add_row.click()
    assert browser_page.locator(".dynamic-shares, tr.form-row").count() > rows_before

    assert problems == [], problems
