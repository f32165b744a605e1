"""Board staff import DUO's national pupil file as downloaded (an older total overview: a
TOTAAL column, no board number, the year only in the file name): upload, read which layout
and year were recognised, process."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from schools.models import ImportBatch, SchoolFigures
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-wachtwoord"
FILE = Path(__file__).parent.parent / "duo_files" / "02.-leerlingen-po-totaaloverzicht-2022.csv"


def test_board_staff_import_an_older_duo_pupil_file(browser_page: Page) -> None:
    board = f.BoardFactory(name="Stichting Kempenland", number="11111")
    f.SchoolFactory(board=board, name="School A1", brin="11AA", location_code="00")
    f.SchoolFactory(board=board, name="School A2", brin="11AB", location_code="00")
    staff = f.board_staff(board, username="staf.kempenland")
    staff.set_password(PASSWORD)
    staff.save()
    page = browser_page
    page.goto(reverse("login"))
    page.locator("#id_username").fill("staf.kempenland")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(re.escape(reverse("login"))))

    page.goto(reverse("schools:import-upload", args=[board.pk]))
    form = page.locator('main form[enctype="multipart/form-data"]')
    form.locator(f'input[name=kind][value="{ImportBatch.Kind.PUPILS.value}"]').check()
    form.locator("input[type=file][name=file]").set_input_files(str(FILE))
    form.locator("button[type=submit]").click()

    batch = ImportBatch.objects.get(board=board)
    preview = reverse("schools:import-preview", args=[board.pk, batch.pk])
    expect(page).to_have_url(re.compile(re.escape(preview) + "$"))
    about = page.get_by_test_id("about-file")
    expect(about).to_contain_text("Herkende indeling")
    expect(about).to_contain_text("TOTAAL")
    expect(about).to_contain_text("2022-2023")
    expect(about).to_contain_text("uit de bestandsnaam")
    expect(about).to_contain_text("4 rijen gelezen, 2 daarvan")
    expect(page.locator("main tr.import-create")).to_have_count(2)

    page.locator("main form[method=post] button[type=submit]").first.click()
    # The schools page of the imported year shows the figures.
    expect(page).to_have_url(
        re.compile(re.escape(reverse("schools:school-list")) + r"\?jaar=2022$")
    )
    figures = SchoolFigures.objects.filter(school__board=board, school_year__start_year=2022)
    assert sorted(figures.values_list("school__brin", "pupils")) == [("11AA", 231), ("11AB", 84)]
