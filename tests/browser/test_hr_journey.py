"""The board administrator imports the staff from an HR export (preview, then commit),
invites the new IB'er, and the IB'er accepts the invitation: sets a password and signs in
(issue 15)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Page, expect

from schools.models import Appointment, HrRecord, Invitation
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-wachtwoord"
HR_FILE = (
    "Medewerker;Naam;E-mailadres;BRIN;Vestiging;FTE;Functie;Begindatum;Einddatum\r\n"
    "4110;Anouk van Beers;anouk@example.invalid;41SR;00;0,6;Intern begeleider;01-08-2026;\r\n"
    "4130;Kees Vermeulen;kees@example.invalid;41SR;00;0,8;Leerkracht;01-08-2015;\r\n"
    "4140;Zonder School;z@example.invalid;99ZZ;00;0,4;IB'er;01-08-2026;\r\n"
).encode("utf-8-sig")


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto(reverse("login"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(re.escape(reverse("login")) + "$"))


def test_hr_import_preview_commit_and_invitation(new_context, settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    board = f.BoardFactory(name="Stichting Kempenkind", salary_scales="LB, LC, LD")
    f.SchoolFactory(board=board, name="RKBS Sint-Rémi", brin="41SR", location_code="00")
    admin = f.board_admin(board, username="beheer.kempen", first_name="Gerard")
    admin.set_password(PASSWORD)
    admin.save()

    page = new_context().new_page()
    log_in(page, "beheer.kempen")
    page.goto(reverse("schools:board-detail", args=[board.pk]))
    page.get_by_role("link", name="Personeel uit HR importeren").click()
    expect(page.locator("main")).to_contain_text("Personeelsnummer")

    page.locator("input[type=file][name=file]").set_input_files(
        files=[{"name": "afas-personeel.csv", "mimeType": "text/csv", "buffer": HR_FILE}]
    )
    page.locator("main form[enctype] button[type=submit]").click()

    # The preview: the layout recognised, one new, one skipped, one refused; nothing changed.
    expect(page.locator("h1")).to_contain_text("afas-personeel.csv")
    expect(page.locator("main")).to_contain_text("AFAS")
    new = page.locator("tr.import-create")
    expect(new).to_contain_text("Anouk van Beers")
    expect(page.locator("tr.import-refused")).to_contain_text("99ZZ00")
    expect(page.locator("tr.import-skipped")).to_have_count(1)
    assert not HrRecord.objects.exists()

    page.get_by_role("button", name="Import verwerken").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("schools:staff-list", args=[board.pk]))))
    expect(page.locator(".alert-success")).to_contain_text("afas-personeel.csv")
    anouk = HrRecord.objects.get(personnel_number="4110").user
    assert Appointment.objects.filter(ib=anouk, board=board).exists()

    row = page.locator("tbody tr").filter(has_text="Anouk van Beers")
    expect(row).to_contain_text("4110")
    expect(row).to_contain_text("niet uitgenodigd")
    row.get_by_role("button", name=re.compile("Uitnodigen")).click()
    row = page.locator("tbody tr").filter(has_text="Anouk van Beers")
    expect(row).to_contain_text("verstuurd")
    expect(row.get_by_role("button", name=re.compile("Opnieuw versturen"))).to_be_visible()
    assert Invitation.objects.get(user=anouk).status == Invitation.Status.SENT

    # Anouk opens the link of her mail in her own browser.
    (message,) = [m for m in mail.outbox if m.to == ["anouk@example.invalid"]]
    link = re.search(r"https?://[^\s]+/account/uitnodiging/[^\s]+/", message.body).group(0)
    path = re.sub(r"^https?://[^/]+", "", link)
    anouk_page = new_context().new_page()
    anouk_page.goto(path)
    expect(anouk_page.locator("main")).to_contain_text("anouk@example.invalid")
    expect(anouk_page.get_by_role("link", name="Naar de inlogpagina")).to_be_visible()
    anouk_page.locator("#id_new_password1").fill("mijn-eigen-wachtwoord-7")
    anouk_page.locator("#id_new_password2").fill("mijn-eigen-wachtwoord-7")
    anouk_page.get_by_role("button", name="Wachtwoord instellen").click()
    expect(anouk_page).to_have_url(re.compile(re.escape(reverse("login"))))
    log_in(anouk_page, "anouk@example.invalid", "mijn-eigen-wachtwoord-7")

    # The link works once.
    anouk_page.goto(path)
    expect(anouk_page.locator("h1")).to_contain_text("niet meer geldig")

    page.reload()
    row = page.locator("tbody tr").filter(has_text="Anouk van Beers")
    expect(row).to_contain_text("geaccepteerd")
