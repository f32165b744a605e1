"""AVG journeys (issue 15): an IB'er reads and fetches her own data from "Instellingen"; a
board administrator ends and anonymises a person who leaves.

Downloads are not possible in this browser: the journey opens the HTML version in the page and
fetches the JSON through the page's own session (``page.request``) and reads its content.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from schools.models import Membership, SecurityEvent
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-wachtwoord"


def log_in(page: Page, username: str) -> None:
    page.goto(reverse("login"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(re.escape(reverse("login"))))


def with_password(user):
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def world(db):
    board = f.BoardFactory(name="Stichting Waterland Scholen", salary_scales="LB, LC, LD")
    school = f.SchoolFactory(board=board, name="OBS De Regenboog")
    ib = with_password(
        f.ib(board, username="ib.ilse", first_name="Ilse", last_name="Kempelaar",
             email="ilse@example.invalid")
    )  # fmt: skip
    appointment = f.AppointmentFactory(
        board=board, ib=ib, salary_scale="LC", shares=[(school, "0.6")]
    )
    admin = with_password(
        f.board_admin(board, username="beheer.waterland", first_name="Gerard",
                      last_name="Dommelaar")
    )  # fmt: skip
    return {"board": board, "ib": ib, "appointment": appointment, "admin": admin}


def test_ib_reads_and_fetches_her_own_data(new_context, world) -> None:
    page = new_context().new_page()
    log_in(page, "ib.ilse")
    # The footer of every page links the privacy statement.
    page.locator("footer").get_by_role("link", name="Privacyverklaring").click()
    expect(page.locator("h1")).to_have_text("Privacyverklaring IB-portaal")
    expect(page.locator("#bewaartermijnen")).to_be_visible()

    page.goto(reverse("schools:preferences"))
    page.get_by_role("link", name="Mijn gegevens bekijken (af te drukken)").click()
    expect(page.locator("h1")).to_have_text("Mijn persoonsgegevens")
    appointments = page.locator("section[data-model='schools.Appointment']")
    expect(appointments).to_contain_text("LC")
    expect(page.locator("section[data-model='auth.User']")).to_contain_text("ilse@example.invalid")

    json_url = page.get_by_role("link", name="Downloaden als JSON").first.get_attribute("href")
    response = page.request.get(json_url)
    assert response.ok
    assert response.headers["content-disposition"].startswith("attachment;")
    data = response.json()["data"]
    assert data["auth.User"][0]["email"] == "ilse@example.invalid"
    assert "password" not in data["auth.User"][0]
    assert [row["id"] for row in data["schools.Appointment"]] == [world["appointment"].pk]
    assert (
        SecurityEvent.objects.filter(user=world["ib"], kind=SecurityEvent.Kind.EXPORT).count() == 2
    )


def test_board_admin_ends_and_anonymises_a_person(new_context, world) -> None:
    page = new_context().new_page()
    log_in(page, "beheer.waterland")
    page.goto(reverse("schools:board-detail", args=[world["board"].pk]))
    page.get_by_role("link", name="Mensen van het bestuur").click()
    row = page.locator("tbody tr").filter(has_text="Ilse Kempelaar")
    row.get_by_role("link", name="Beëindigen en anonimiseren").click()

    ib = world["ib"]
    expect(page.locator("h1")).to_have_text("Ilse Kempelaar beëindigen en anonimiseren")
    expect(page.locator("#what-happens")).to_contain_text(f"Oud-medewerker {ib.pk}")
    page.get_by_role("button", name="Beëindigen en anonimiseren").click()

    expect(page.locator(".alert")).to_contain_text("Ilse Kempelaar is bij het bestuur beëindigd")
    expect(page.locator("main table")).not_to_contain_text("Kempelaar")
    ib.refresh_from_db()
    assert ib.get_full_name() == f"Oud-medewerker {ib.pk}" and ib.email == ""
    assert not Membership.objects.filter(user=ib).exists()
    # The appointment stays, ended, under the pseudonym.
    page.goto(reverse("schools:appointment-detail", args=[world["appointment"].pk]))
    expect(page.locator("main")).to_contain_text(f"Oud-medewerker {ib.pk}")
