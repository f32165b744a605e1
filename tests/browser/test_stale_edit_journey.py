"""Two tabs on one edit form: the second save is refused, with the saved value shown."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from schools.models import School
from tests import factories as f
from tests.browser.test_journeys import log_in, url_re

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_second_tab_is_refused_and_keeps_its_input(browser_page: Page) -> None:
    board = f.BoardFactory(name="Stichting Waterland Scholen")
    school = f.SchoolFactory(board=board, name="OBS De Regenboog", place="Purmerend")
    f.board_staff(board, username="bestuur.waterland")
    first = browser_page
    log_in(first, "bestuur.waterland")
    second = first.context.new_page()  # a second tab of the same session
    edit_url = reverse("schools:school-edit", args=[school.pk])
    first.goto(edit_url)
    second.goto(edit_url)

    first.locator("#id_place").fill("Edam")
    first.locator("main form[method=post] button[type=submit]").click()
    expect(first).to_have_url(url_re(reverse("schools:school-detail", args=[school.pk])))

    second.locator("#id_place").fill("Volendam")
    second.locator("main form[method=post] button[type=submit]").click()
    notice = second.locator("#stale-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Iemand anders heeft dit intussen gewijzigd")
    expect(notice.locator("td.stale-saved")).to_have_text("Edam")
    expect(notice.locator("td.stale-yours")).to_have_text("Volendam")
    expect(second.locator("#id_place")).to_have_value("Volendam")
    assert School.objects.get(pk=school.pk).place == "Edam"

    # Saving again is a deliberate choice: now it goes through.
    second.locator("main form[method=post] button[type=submit]").click()
    expect(second.locator("#stale-notice")).to_have_count(0)
    assert School.objects.get(pk=school.pk).place == "Volendam"
