"""The board's IB network through the real pages in headless Chromium (issue 17).

Board staff switch on "attendance counts as training", plan a meeting, write the minutes
afterwards and record the attendance of the board's two IBs; the IB who was present finds
the meeting with the minutes, their own attendance and the hours among their training; the
director reads the agenda and the minutes but no attendance list.

Elements are found by id, name, href and the test data, never by UI wording.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from competencies.network_models import NetworkAttendance, NetworkMeeting
from tests import factories as f
from tests.browser.test_journeys import log_in, url_re

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_network_meeting_with_minutes_and_attendance(browser_page: Page) -> None:
    page = browser_page
    board = f.BoardFactory(name="Stichting Duinrand Onderwijs")
    school = f.SchoolFactory(board=board, name="OBS De Helmgras", brin="52HG")
    f.director(school, username="directeur.helmgras", first_name="Dirk", last_name="Zeeman")
    present = f.ib(board, username="ib.helmgras", first_name="Iris", last_name="Strandvlieg")
    absent = f.ib(board, username="ib.duin", first_name="Otto", last_name="Zandhaver")
    f.AppointmentFactory(board=board, ib=present, shares=[(school, Decimal("0.6"))])
    f.board_staff(board, username="bestuur.duinrand", first_name="Bea", last_name="Stafmeijer")
    day = timezone.localdate() - datetime.timedelta(days=2)

    # Board staff: the network counts attendance as training, 2,5 hours a meeting.
    log_in(page, "bestuur.duinrand")
    page.goto(reverse("competencies:network-start"))
    expect(page).to_have_url(url_re(reverse("competencies:network", args=[board.pk])))
    page.locator(
        f'main a[href="{reverse("competencies:network-settings", args=[board.pk])}"]'
    ).click()
    page.locator("#id_counts_as_training").check()
    page.locator("#id_hours_per_meeting").fill("2,5")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(url_re(reverse("competencies:network", args=[board.pk])))

    # Plan the meeting (it was two days ago: the minutes are written afterwards).
    create = reverse("competencies:network-meeting-create", args=[board.pk])
    page.locator(f'main a[href="{create}"]').click()
    page.locator("#id_date").fill(day.isoformat())
    page.locator("#id_start_time").fill("15:30")
    page.locator("#id_end_time").fill("17:00")
    page.locator("#id_place").fill("Bestuursbureau Duinrand")
    page.locator("#id_agenda").fill("1. Opening\n2. Casus uit groep 6")
    page.locator("main form button[type=submit]").click()
    meeting = NetworkMeeting.objects.get(board=board)
    detail = reverse("competencies:network-meeting", args=[meeting.pk])
    expect(page).to_have_url(url_re(detail))

    # The minutes.
    edit = reverse("competencies:network-meeting-edit", args=[meeting.pk])
    page.locator(f'main a[href="{edit}"]').click()
    page.locator("#id_minutes").fill("Afspraak: het format voor leerlingbesprekingen delen.")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(url_re(detail))
    expect(page.locator("#minutes")).to_contain_text("format voor leerlingbesprekingen")

    # The attendance: Iris present, Otto absent.
    attendance = reverse("competencies:network-meeting-attendance", args=[meeting.pk])
    page.locator(f'main a[href="{attendance}"]').click()
    page.locator(f"input[name=ib_{present.pk}][value=present]").check()
    page.locator(f"input[name=ib_{absent.pk}][value=absent]").check()
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(url_re(detail))
    expect(page.locator("#attendance-list")).to_contain_text("Strandvlieg")
    expect(page.locator("#attendance-list")).to_contain_text("Zandhaver")
    assert dict(NetworkAttendance.objects.values_list("ib__username", "status")) == {
        "ib.helmgras": "present",
        "ib.duin": "absent",
    }

    # The IB: the minutes, their own attendance only, and the hours among their training.
    page.context.clear_cookies()
    log_in(page, "ib.helmgras")
    page.goto(detail)
    expect(page.locator("#minutes")).to_contain_text("format voor leerlingbesprekingen")
    expect(page.locator("#own-attendance")).to_contain_text("2,5")
    expect(page.locator("main")).not_to_contain_text("Zandhaver")
    page.goto(reverse("competencies:training-list"))
    expect(page.locator("#network-training")).to_contain_text("2,5")
    expect(page.locator("#network-training a[href]").first).to_have_attribute("href", detail)

    # The director: agenda and minutes, no attendance.
    page.context.clear_cookies()
    log_in(page, "directeur.helmgras")
    page.goto(detail)
    expect(page.locator("#minutes")).to_contain_text("format voor leerlingbesprekingen")
    expect(page.locator("main")).not_to_contain_text("Strandvlieg")
    expect(page.locator("#attendance-list")).to_have_count(0)
    expect(page.locator(f'a[href="{attendance}"]')).to_have_count(0)
    assert re.search(r"Casus uit groep 6", page.locator("main").inner_text())
