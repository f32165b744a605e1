"""The training track through the real pages in headless Chromium (issue 17).

1. A module of the board's mandatory track is completed: the IB records it as training, adds
   the end date and the certificate; board staff judge the certificate; the IB's track and the
   board's view of it show the module done and accepted.
2. A repayment is computed on leaving: the IB starts the paid track and agrees to its scheme;
   board staff end the IB's appointment; the enrolment page shows the amount due under the
   scheme, to board staff and to the IB.

Elements are found by id, name, href and data attributes, never by UI wording.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from competencies.models import Training
from competencies.training_models import (
    ModulePlan,
    RepaymentAgreement,
    TrackEnrolment,
    TrainingModule,
    TrainingTrack,
)
from schools.models import SchoolYear
from tests import factories as f
from tests.browser.test_journeys import log_in, url_re

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n% certificaat\n%%EOF\n"


def log_out(page: Page) -> None:
    """Log out with the POST form in the user menu (board staff also have a policies menu)."""
    page.locator("nav .dropdown-toggle").last.click()
    page.locator(f'nav form[action="{reverse("logout")}"] button[type=submit]').click()
    expect(page).to_have_url(url_re(reverse("login")))


def people():
    start_year = SchoolYear.current_start_year()
    board = f.BoardFactory(name="Stichting Peelrand Onderwijs")
    school = f.SchoolFactory(board=board, name="RKBS De Peelhoeve", brin="61PH")
    ib = f.ib(board, username="ib.peelhoeve", first_name="Ineke", last_name="Turfsteker")
    appointment = f.AppointmentFactory(
        board=board,
        ib=ib,
        start_date=datetime.date(start_year - 3, 8, 1),
        shares=[(school, Decimal("0.8"))],
    )
    f.board_staff(board, username="bestuur.peelrand", first_name="Bart", last_name="Venhuis")
    return board, ib, appointment, start_year


def test_module_completed_with_its_certificate_judged(browser_page: Page, tmp_path) -> None:
    page = browser_page
    board, ib, _appointment, start_year = people()
    track = TrainingTrack.objects.create(
        board=board,
        name="Persoonsgebonden traject",
        kind="personal",
        is_mandatory=True,
        first_year=start_year - 1,
        last_year=start_year + 1,
    )
    module = TrainingModule.objects.create(
        track=track, title="Coachende gesprekken", provider="Peel Academie", hours=24
    )
    row = f"main tr#module-{module.pk}"

    log_in(page, "ib.peelhoeve")
    page.goto(reverse("competencies:my-track"))
    expect(page.locator(row)).to_have_attribute("data-state", "open")
    page.locator(f'{row} a[href="{reverse("competencies:module-plan", args=[module.pk])}"]').click()
    action = reverse("competencies:module-training", args=[module.pk])
    page.locator(f'main form[action="{action}"] button[type=submit]').click()
    training = Training.objects.get(ib=ib)
    expect(page).to_have_url(url_re(reverse("competencies:training-edit", args=[training.pk])))
    expect(page.locator("#id_course")).to_have_value("Coachende gesprekken")
    ended = timezone.localdate() - datetime.timedelta(days=2)
    page.locator("#id_start_date").fill((ended - datetime.timedelta(days=30)).isoformat())
    page.locator("#id_end_date").fill(ended.isoformat())
    certificate = tmp_path / "certificaat.pdf"
    certificate.write_bytes(PDF)
    page.locator("input[type=file][name=certificate]").set_input_files(str(certificate))
    page.locator("main form button[type=submit].btn-primary").click()
    expect(page).to_have_url(url_re(reverse("competencies:training-list")))
    page.goto(reverse("competencies:my-track"))
    expect(page.locator(row)).to_have_attribute("data-state", "done")
    expect(page.locator(f"{row} td[data-judgement]")).to_have_attribute("data-judgement", "pending")
    log_out(page)

    log_in(page, "bestuur.peelrand")
    page.goto(reverse("competencies:ib-track", args=[board.pk, ib.pk]))
    judge = reverse("competencies:training-judge", args=[training.pk])
    page.locator(f'{row} a[href="{judge}"]').click()
    page.locator("input[name=judgement][value=accepted]").check()
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(url_re(reverse("competencies:training-review", args=[board.pk])))
    page.goto(reverse("competencies:ib-track", args=[board.pk, ib.pk]))
    expect(page.locator(f"{row} td[data-judgement]")).to_have_attribute(
        "data-judgement", "accepted"
    )
    log_out(page)

    log_in(page, "ib.peelhoeve")
    page.goto(reverse("competencies:my-track"))
    expect(page.locator(row)).to_have_attribute("data-state", "done")
    expect(page.locator(f"{row} td[data-judgement]")).to_have_attribute(
        "data-judgement", "accepted"
    )
    plan = ModulePlan.objects.get(ib=ib, module=module)
    assert (plan.training_id, Training.objects.get().judged_by.username) == (
        training.pk,
        "bestuur.peelrand",
    )


def test_repayment_computed_on_leaving(browser_page: Page) -> None:
    page = browser_page
    board, ib, appointment, start_year = people()
    track = TrainingTrack.objects.create(
        board=board,
        name="Post-hbo Intern Begeleider",
        kind="continuing",
        first_year=start_year - 2,
        last_year=start_year,
        repayment_percentages="100; 50; 25",
        early_stop_percentage=Decimal("100"),
    )
    module = TrainingModule.objects.create(
        track=track, title="Basismodule", hours=80, cost=Decimal("1250.00")
    )
    today = timezone.localdate()
    completed = today - datetime.timedelta(days=400)  # leaving today: year 2 after completion
    training = Training.objects.create(
        ib=ib,
        board=board,
        course="Basismodule",
        hours=80,
        start_date=completed - datetime.timedelta(days=90),
        end_date=completed,
    )
    ModulePlan.objects.create(ib=ib, board=board, module=module, training=training)

    log_in(page, "ib.peelhoeve")
    page.goto(reverse("competencies:training-offer", args=[board.pk]))  # the way in
    page.locator(f'a[href="{reverse("competencies:track-enrol", args=[track.pk])}"]').click()
    page.locator("#id_started_on").fill((completed - datetime.timedelta(days=120)).isoformat())
    page.locator("main form button[type=submit]").click()  # without agreeing: refused
    expect(page).to_have_url(url_re(reverse("competencies:track-enrol", args=[track.pk])))
    assert not TrackEnrolment.objects.exists()
    page.locator("#id_agree").check()
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("competencies:my-track")) + "#"))
    enrolment = TrackEnrolment.objects.get()
    assert RepaymentAgreement.objects.get().agreed_on == today
    detail = reverse("competencies:enrolment-detail", args=[enrolment.pk])
    page.goto(detail)
    expect(page.locator("#repayment-amount")).to_have_count(0)  # not leaving: nothing due
    log_out(page)

    log_in(page, "bestuur.peelrand")
    page.goto(reverse("schools:appointment-end", args=[appointment.pk]))
    page.locator("#id_end_date").fill(today.isoformat())
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(url_re(reverse("schools:appointment-detail", args=[appointment.pk])))
    page.goto(detail)
    expect(page.locator("#repayment-amount")).to_contain_text("625,00")  # 1250 x 50%
    expect(page.locator("#repayment-steps li")).to_have_count(3)
    expect(page.locator("#repayment-steps")).to_contain_text("50%")
    log_out(page)

    log_in(page, "ib.peelhoeve")
    page.goto(detail)
    expect(page.locator("#repayment-amount")).to_contain_text("625,00")
