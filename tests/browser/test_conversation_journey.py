"""A functioneringsgesprek from plan to signature, through the real pages in headless Chromium.

The personnel-responsible director plans the conversation from the cycle overview, writes
a preparation and shares it, records the report and the agreements; the IB finds the report
on their start page's to-do list, reads it, signs it with a response of their own; the
director finds it locked afterwards; board staff read the report, the signature and the
response, and see the IB's next conversation due a year later.

Elements are found by id, name, href and the texts of the test data, never by UI wording.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import Page, expect

from competencies.models import AppraisalConversation
from schools.models import SchoolYear
from tests import factories as f
from tests.browser.test_journeys import log_in, url_re
from tests.browser.test_package_journey import log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPORT = "Lotte heeft dit jaar de leerteams goed begeleid."
AGREEMENTS = "Lotte volgt de module datageletterdheid."
RESPONSE = "Herkenbaar; ik mis de werkdruk rond de toetsen in het verslag."


def test_director_records_a_report_and_the_ib_signs_it(browser_page: Page) -> None:
    page = browser_page
    start_year = SchoolYear.current_start_year()
    board = f.BoardFactory(name="Stichting Heidezoom")
    big = f.SchoolFactory(board=board, name="RKBS De Heikant", brin="61HK")
    small = f.SchoolFactory(board=board, name="RKBS Het Ven", brin="61HV")
    other = f.SchoolFactory(board=board, name="OBS De Ster", brin="61ST")
    # Two schools of one director (0.3 + 0.2) outweigh 0.4 at another director's school.
    director = f.director(
        big, small, username="directeur.heide", first_name="Dirk", last_name="Heide"
    )
    f.director(other, username="directeur.ster", first_name="Stan", last_name="Ster")
    ib = f.ib(board, username="ib.heide", first_name="Lotte", last_name="Ven")
    appointment = f.AppointmentFactory(
        board=board,
        ib=ib,
        start_date=datetime.date(start_year - 1, 8, 1),
        shares=[(big, Decimal("0.3")), (small, Decimal("0.2")), (other, Decimal("0.4"))],
    )
    f.board_staff(board, username="bestuur.heide", first_name="Bea", last_name="Zoom")
    day = timezone.localdate() - datetime.timedelta(days=1)

    # The director plans it from the overview of their IBs.
    log_in(page, "directeur.heide")
    page.goto(reverse("competencies:conversation-list"))
    plan_url = reverse("competencies:conversation-plan", args=[appointment.pk])
    page.locator(f'main a[href="{plan_url}"]').click()
    page.locator("#id_kind").select_option("functioning")
    page.locator("#id_date").fill(day.isoformat())
    page.locator("main form button[type=submit]").click()
    conversation = AppraisalConversation.objects.get(ib=ib)
    assert conversation.director == director
    detail_url = reverse("competencies:conversation-detail", args=[conversation.pk])
    expect(page).to_have_url(url_re(detail_url))

    # A preparation, shared; then the report and the agreements.
    page.locator(
        f'main a[href="{reverse("competencies:conversation-prepare", args=[conversation.pk])}"]'
    ).click()
    page.locator("#id_text").fill("Terugblik op de leerteams.")
    page.locator("#id_share").check()
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(url_re(detail_url))
    report_url = reverse("competencies:conversation-report", args=[conversation.pk])
    page.locator(f'main a[href="{report_url}"]').click()
    page.locator("#id_report").fill(REPORT)
    page.locator("#id_agreements").fill(AGREEMENTS)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(url_re(detail_url))
    expect(page.locator("main .report-text")).to_contain_text(REPORT)
    log_out(page)

    # The IB finds the report on their start page, reads it and signs it.
    log_in(page, "ib.heide")
    sign_url = reverse("competencies:conversation-sign", args=[conversation.pk])
    page.goto("/")
    page.locator(f'main a[href="{sign_url}"]').first.click()
    expect(page).to_have_url(url_re(sign_url))
    expect(page.locator("main .report-text")).to_contain_text(REPORT)
    page.locator("#id_ib_response").fill(RESPONSE)
    page.locator("#id_confirm").check()
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(url_re(detail_url))
    expect(page.locator("main .signature")).to_contain_text("Lotte Ven")
    expect(page.locator("main .response-text")).to_contain_text(RESPONSE)
    expect(page.locator(f'main a[href="{sign_url}"]')).to_have_count(0)
    conversation.refresh_from_db()
    assert conversation.signed_at is not None
    assert conversation.ib_response == RESPONSE
    log_out(page)

    # Locked for the director: no link to change it, the page refuses.
    log_in(page, "directeur.heide")
    page.goto(detail_url)
    expect(page.locator(f'main a[href="{report_url}"]')).to_have_count(0)
    response = page.goto(report_url)
    assert response is not None and response.status == 403
    log_out(page)

    # Board staff read the report, the signature and the response; the next one is due.
    log_in(page, "bestuur.heide")
    page.goto(detail_url)
    expect(page.locator("main .report-text")).to_contain_text(REPORT)
    expect(page.locator("main .response-text")).to_contain_text(RESPONSE)
    expect(page.locator("main")).not_to_contain_text("Terugblik op de leerteams.")
    page.goto(reverse("competencies:conversation-list"))
    next_due = day.replace(year=day.year + 1)
    with translation.override("nl"):
        expect(page.locator("main")).to_contain_text(date_format(next_due, "j F Y"))
