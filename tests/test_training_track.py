"""The board's training offer, an IB's track status and the repayment on leaving (issue 17)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from competencies import training_offer as offer
from competencies.models import Training
from competencies.training_models import (
    ModulePlan,
    RepaymentAgreement,
    TrackEnrolment,
    TrainingModule,
    TrainingTrack,
)
from schools.models import Membership, Role, get_scope
from schools.todo import items_for

from . import factories as f
from .test_queries import REQUEST

TODAY = datetime.date(2026, 12, 5)


# ---------------------------------------------------------------------------------------------
# repayment: the scheme's edges
# ---------------------------------------------------------------------------------------------

SCHEME = [Decimal("100"), Decimal("75"), Decimal("50"), Decimal("25")]
COSTS = [Decimal("1250"), Decimal("950.50")]
COMPLETED = datetime.date(2025, 7, 1)


def due(ended_on, *, completed_on=COMPLETED, stopped=False, costs=COSTS, early=Decimal("100")):
    return offer.repayment_due(
        costs=costs,
        percentages=SCHEME,
        early_stop_percentage=early,
        completed_on=completed_on,
        ended_on=ended_on,
        stopped_early=stopped,
    )


def test_leaving_on_the_day_of_completion_repays_everything():
    result = due(COMPLETED)
    assert (result.case, result.year, result.percentage) == ("after", 1, Decimal("100"))
    assert result.amount == Decimal("2200.50")


def test_the_last_day_of_the_first_year_is_still_the_first_year():
    assert due(datetime.date(2026, 6, 30)).percentage == Decimal("100")


def test_exactly_one_year_later_is_the_second_year():
    result = due(datetime.date(2026, 7, 1))
    assert (result.year, result.percentage, result.amount) == (2, Decimal("75"), Decimal("1650.38"))


def test_after_the_listed_years_nothing_is_due():
    result = due(datetime.date(2029, 7, 1))
    assert (result.year, result.amount) == (5, Decimal("0.00"))
    assert due(datetime.date(2029, 6, 30)).percentage == Decimal("25")


def test_stopping_before_the_end_repays_the_early_stop_share():
    result = due(datetime.date(2025, 3, 1), completed_on=None, stopped=True, early=Decimal("60"))
    assert (result.case, result.percentage) == ("early", Decimal("60"))
    assert result.amount == Decimal("1320.30")  # 2200.50 x 60% exactly


def test_leaving_before_completion_counts_as_stopping_early():
    assert due(datetime.date(2025, 3, 1), completed_on=None).case == "early"


def test_a_stop_after_completion_is_still_a_stop():
    # Recorded by board staff as a stop: the early-stop share, not the year's percentage.
    result = due(datetime.date(2026, 9, 1), stopped=True, early=Decimal("50"))
    assert result.percentage == Decimal("50")


def test_no_cost_means_nothing_due():
    result = due(COMPLETED, costs=[])
    assert (result.case, result.amount) == ("none", Decimal("0.00"))


def test_amount_is_rounded_half_up_to_cents():
    result = due(COMPLETED, costs=[Decimal("0.01")], stopped=True, early=Decimal("50"))
    assert result.amount == Decimal("0.01")  # 0.005 rounds up


def test_the_calculation_is_spelled_out():
    steps = due(datetime.date(2026, 7, 1)).steps
    assert len(steps) == 3
    assert "2.200,50" in steps[0] and "75%" in steps[1] and "1.650,38" in steps[2]


def test_whole_years_over_a_leap_day():
    assert offer.whole_years(datetime.date(2024, 2, 29), datetime.date(2025, 2, 28)) == 0
    assert offer.whole_years(datetime.date(2024, 2, 29), datetime.date(2025, 3, 1)) == 1


# ---------------------------------------------------------------------------------------------
# module states
# ---------------------------------------------------------------------------------------------


DEADLINE = datetime.date(2027, 7, 31)


def state(plan, *, followed=True, required=True, today=TODAY) -> str:
    module = TrainingModule(title="M", hours=Decimal("10"), is_required=required)
    return offer.module_state(module, plan, deadline=DEADLINE, followed=followed, today=today).state


def test_a_module_whose_planned_date_passed_is_overdue():
    assert state(ModulePlan(planned_date=TODAY - datetime.timedelta(days=1))) == "overdue"
    assert state(ModulePlan(planned_date=TODAY)) == "planned"


def test_a_module_planned_after_the_deadline_is_overdue():
    assert state(ModulePlan(planned_year=2026)) == "planned"  # by 31 July 2027: the deadline
    assert state(ModulePlan(planned_year=2027)) == "overdue"
    assert state(ModulePlan(planned_date=DEADLINE + datetime.timedelta(days=1))) == "overdue"


def test_an_unplanned_module_is_overdue_once_the_deadline_passed():
    assert state(None) == "open"
    assert state(None, today=DEADLINE + datetime.timedelta(days=1)) == "overdue"


def test_optional_modules_and_tracks_not_followed_are_never_overdue():
    late = ModulePlan(planned_date=TODAY - datetime.timedelta(days=30))
    assert state(late, required=False) == "planned"
    assert state(late, followed=False) == "planned"


def test_a_linked_training_is_done_once_it_ended_unless_further_training_is_needed():
    ended = Training(end_date=TODAY - datetime.timedelta(days=1), judgement="pending")
    assert state(ModulePlan(training=ended)) == "done"
    running = Training(end_date=None, judgement="pending")
    assert state(ModulePlan(training=running)) == "in_progress"
    further = Training(end_date=TODAY - datetime.timedelta(days=1), judgement="further")
    assert state(ModulePlan(training=further)) == "overdue"


def test_a_training_recorded_ahead_is_planned_until_it_starts():
    start = TODAY + datetime.timedelta(days=10)
    ahead = Training(start_date=start, end_date=start + datetime.timedelta(days=20))
    assert state(ModulePlan(training=ahead)) == "planned"
    assert state(ModulePlan(training=ahead), today=start) == "in_progress"
    assert state(ModulePlan(training=ahead), today=ahead.end_date) == "done"
    after_deadline = DEADLINE + datetime.timedelta(days=1)
    late = Training(start_date=after_deadline, end_date=after_deadline)
    assert state(ModulePlan(training=late)) == "overdue"
    assert state(ModulePlan(training=late), required=False) == "planned"


# ---------------------------------------------------------------------------------------------
# pages
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def offer_a(cast):
    track = TrainingTrack.objects.create(
        board=cast.board_a,
        name="Persoonsgebonden traject",
        kind="personal",
        is_mandatory=True,
        first_year=2024,
        last_year=2025,  # deadline 31 July 2026: passed
    )
    first = TrainingModule.objects.create(track=track, title="Intake", hours=12, order=0)
    second = TrainingModule.objects.create(
        track=track, title="Coachen", hours=24, cost=Decimal("450"), order=1
    )
    paid = TrainingTrack.objects.create(
        board=cast.board_a,
        name="Post-hbo",
        kind="continuing",
        first_year=2025,
        last_year=2027,
        repayment_percentages="100; 50",
        early_stop_percentage=Decimal("100"),
    )
    basis = TrainingModule.objects.create(track=paid, title="Basis", hours=80, cost=1250)
    return track, first, second, paid, basis


def test_mandatory_track_of_another_board_cannot_be_a_second_one(cast, offer_a):
    from django.core.exceptions import ValidationError

    track = TrainingTrack(
        board=cast.board_a,
        name="Nog een",
        kind="personal",
        is_mandatory=True,
        first_year=2025,
        last_year=2026,
    )
    with pytest.raises(ValidationError):
        offer.track_save(track=track, lock_version=None)


def test_a_stale_module_save_is_refused_and_keeps_the_input(client, cast, offer_a):
    _track, first, *_ = offer_a
    version = first.lock_version
    first.hours = 14
    first.save()  # someone else saved in between
    client.force_login(cast.staff_a)
    response = client.post(
        reverse("competencies:module-edit", args=[first.pk]),
        {
            "title": "Intake, nieuw",
            "hours": "12",
            "cost": "0",
            "order": "0",
            "lock_version": version,
        },
    )
    assert response.status_code == 409
    assert "Intake, nieuw" in response.content.decode()
    assert TrainingModule.objects.get(pk=first.pk).title == "Intake"


def test_ib_sees_overdue_mandatory_modules_and_gets_a_to_do(client, cast, offer_a):
    client.force_login(cast.ib_a)
    body = client.get(reverse("competencies:my-track")).content.decode()
    assert "Intake" in body and "Coachen" in body
    items = [i for i in items_for(cast.ib_a) if i.kind == "training-module-overdue"]
    assert sorted(i.subject for i in items) == [
        "Persoonsgebonden traject: Coachen",
        "Persoonsgebonden traject: Intake",
    ]


def test_the_overdue_to_do_is_due_by_the_deadline_for_a_module_planned_after_it(cast, offer_a):
    *_, paid, basis = offer_a  # deadline 31 July 2028
    late = TrainingModule.objects.create(track=paid, title="Laat", hours=10, order=2)
    TrackEnrolment.objects.create(
        ib=cast.ib_a, board=cast.board_a, track=paid, started_on="2025-09-01"
    )
    ModulePlan.objects.create(
        ib=cast.ib_a, board=cast.board_a, module=late, planned_date="2028-09-01"
    )
    ModulePlan.objects.create(  # planned before the deadline, and that day passed
        ib=cast.ib_a, board=cast.board_a, module=basis, planned_date="2026-11-01"
    )
    items = {
        i.subject: i
        for i in items_for(cast.ib_a, TODAY)
        if i.kind == "training-module-overdue" and i.subject.startswith("Post-hbo")
    }
    after = items["Post-hbo: Laat"]
    assert after.due == datetime.date(2028, 7, 31)
    assert "1 september 2028" in after.note
    assert items["Post-hbo: Basis"].due == datetime.date(2026, 11, 1)


def test_module_recorded_as_training_and_judged_counts_as_done(client, cast, offer_a):
    _track, first, *_ = offer_a
    client.force_login(cast.ib_a)
    response = client.post(reverse("competencies:module-training", args=[first.pk]))
    training = Training.objects.get(ib=cast.ib_a)
    assert response["Location"] == reverse("competencies:training-edit", args=[training.pk])
    assert (training.course, training.hours) == ("Intake", Decimal("12.0"))
    training.end_date = training.start_date
    training.certificate.save("c.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    from competencies.development import training_judge

    training_judge(training=training, actor=cast.staff_a, judgement="accepted")
    status = offer.ib_statuses(cast.ib_a, [cast.board_a.pk], training.end_date)[0]
    assert [m.state for m in status.modules] == ["done", "overdue"]


def test_plan_links_only_own_training_records(client, cast, offer_a):
    _track, first, *_ = offer_a
    other = f.ib(cast.board_a)
    foreign = Training.objects.create(
        ib=other, board=cast.board_a, course="X", hours=1, start_date=TODAY
    )
    client.force_login(cast.ib_a)
    response = client.post(
        reverse("competencies:module-plan", args=[first.pk]),
        {"planned_date": "2027-01-10", "training": foreign.pk, "lock_version": ""},
    )
    assert response.status_code == 200
    assert not ModulePlan.objects.exists()


def test_enrolling_in_a_paid_track_needs_the_agreement(client, cast, offer_a):
    *_, paid, _basis = offer_a
    client.force_login(cast.ib_a)
    url = reverse("competencies:track-enrol", args=[paid.pk])
    response = client.post(url, {"started_on": "2026-09-01"})
    assert response.status_code == 200 and not TrackEnrolment.objects.exists()
    client.post(url, {"started_on": "2026-09-01", "agree": "on"})
    agreement = RepaymentAgreement.objects.get()
    assert (agreement.repayment_percentages, agreement.early_stop_percentage) == (
        "100; 50",
        Decimal("100"),
    )


def test_ib_finds_an_optional_paid_track_to_start_on_their_own_page(client, cast, offer_a):
    *_, paid, _basis = offer_a
    enrol_url = reverse("competencies:track-enrol", args=[paid.pk])
    client.force_login(cast.ib_a)
    body = client.get(reverse("competencies:my-track")).content.decode()
    assert f'id="track-{paid.pk}"' in body and f'href="{enrol_url}"' in body
    assert "Starten en akkoord gaan met de terugbetalingsregeling" in body
    assert "jaar 1 na afronding 100%" in body  # the scheme they would agree to
    client.post(enrol_url, {"started_on": "2026-09-01", "agree": "on"})
    body = client.get(reverse("competencies:my-track")).content.decode()
    assert f'href="{enrol_url}"' not in body  # started: the enrolment instead
    assert TrackEnrolment.objects.get().track == paid


def test_the_offer_page_lets_the_boards_ib_start_a_track_and_plan_a_module(client, cast, offer_a):
    track, first, _second, paid, basis = offer_a
    offer_url = reverse("competencies:training-offer", args=[cast.board_a.pk])
    enrol_url = reverse("competencies:track-enrol", args=[paid.pk])
    client.force_login(cast.ib_a)
    body = client.get(offer_url).content.decode()
    assert f'href="{enrol_url}"' in body
    assert reverse("competencies:module-plan", args=[basis.pk]) in body
    # The mandatory track without a scheme is followed anyway: nothing to start.
    assert reverse("competencies:track-enrol", args=[track.pk]) not in body
    TrackEnrolment.objects.create(
        ib=cast.ib_a, board=cast.board_a, track=paid, started_on="2026-09-01"
    )
    assert f'href="{enrol_url}"' not in client.get(offer_url).content.decode()
    client.force_login(cast.director_a)  # not an IB: no plan links, no start buttons
    body = client.get(offer_url).content.decode()
    assert enrol_url not in body
    assert reverse("competencies:module-plan", args=[first.pk]) not in body


def test_the_scheme_ends_its_sentence_without_a_stray_space(client, cast, offer_a):
    *_, paid, _basis = offer_a
    client.force_login(cast.ib_a)
    body = client.get(reverse("competencies:track-enrol", args=[paid.pk])).content.decode()
    assert "gevolgde modules." in body and "modules ." not in body


def test_a_plan_with_a_date_outside_its_school_year_is_refused(client, cast, offer_a):
    _track, first, *_ = offer_a
    client.force_login(cast.ib_a)
    url = reverse("competencies:module-plan", args=[first.pk])
    response = client.post(
        url,
        {"planned_year": "2024", "planned_date": "2025-10-01", "note": "Mijn plan"},
    )
    assert response.status_code == 200
    assert "2025-2026" in response.context["form"].errors["planned_date"][0]
    assert "Mijn plan" in response.text  # the input is kept
    assert not ModulePlan.objects.exists()
    response = client.post(url, {"planned_year": "2025", "planned_date": "2025-10-01"})
    assert response.status_code == 302  # the date in the chosen school year


def test_repayment_is_computed_when_the_ib_leaves(client, cast, offer_a):
    *_, paid, basis = offer_a
    enrolment = TrackEnrolment.objects.create(
        ib=cast.ib_a, board=cast.board_a, track=paid, started_on="2025-09-01"
    )
    RepaymentAgreement.objects.create(
        enrolment=enrolment,
        repayment_percentages="100; 50",
        early_stop_percentage=Decimal("80"),
        agreed_on="2025-09-01",
    )
    training = Training.objects.create(
        ib=cast.ib_a,
        board=cast.board_a,
        course="Basis",
        hours=80,
        start_date="2025-09-01",
        end_date="2026-06-30",
    )
    ModulePlan.objects.create(ib=cast.ib_a, board=cast.board_a, module=basis, training=training)
    client.force_login(cast.staff_a)
    url = reverse("competencies:enrolment-detail", args=[enrolment.pk])
    assert "repayment-amount" not in client.get(url).content.decode()  # not leaving
    cast.appointment_a.end_date = datetime.date(2027, 7, 15)  # year 2 after completion
    cast.appointment_a.save()
    body = client.get(url).content.decode()
    assert "625,00" in body  # 1250 x 50%
    client.force_login(cast.ib_a)
    assert "625,00" in client.get(url).content.decode()


def test_an_enrolment_in_a_track_made_inactive_still_shows(client, cast, offer_a):
    *_, paid, _basis = offer_a
    enrolment = TrackEnrolment.objects.create(
        ib=cast.ib_a, board=cast.board_a, track=paid, started_on="2025-09-01"
    )
    TrainingTrack.objects.filter(pk=paid.pk).update(is_active=False)
    client.force_login(cast.staff_a)
    url = reverse("competencies:enrolment-detail", args=[enrolment.pk])
    assert client.get(url).status_code == 200
    client.force_login(cast.ib_a)  # the IB still finds it, and cannot start anew
    body = client.get(reverse("competencies:my-track")).content.decode()
    assert f'href="{url}"' in body
    assert reverse("competencies:track-enrol", args=[paid.pk]) not in body


def test_board_staff_record_a_stop_and_the_early_share_is_due(client, cast, offer_a):
    *_, paid, basis = offer_a
    enrolment = TrackEnrolment.objects.create(
        ib=cast.ib_a, board=cast.board_a, track=paid, started_on="2025-09-01"
    )
    RepaymentAgreement.objects.create(
        enrolment=enrolment,
        repayment_percentages="100; 50",
        early_stop_percentage=Decimal("80"),
        agreed_on="2025-09-01",
    )
    training = Training.objects.create(
        ib=cast.ib_a, board=cast.board_a, course="Basis", hours=80, start_date="2025-09-01"
    )
    ModulePlan.objects.create(ib=cast.ib_a, board=cast.board_a, module=basis, training=training)
    client.force_login(cast.staff_a)
    client.post(
        reverse("competencies:enrolment-stop", args=[enrolment.pk]),
        {"stopped_on": "2026-10-01", "reason": "Stopt", "lock_version": enrolment.lock_version},
    )
    body = client.get(reverse("competencies:enrolment-detail", args=[enrolment.pk])).content
    assert "1.000,00" in body.decode()  # 1250 x 80%


# ---------------------------------------------------------------------------------------------
# the board's overview: constant queries
# ---------------------------------------------------------------------------------------------


def fill_board(cast, offer_a, size: int) -> None:
    track, first, second, paid, basis = offer_a
    for _n in range(size):
        ib = f.ib(cast.board_a)
        training = Training.objects.create(
            ib=ib,
            board=cast.board_a,
            course="Intake",
            hours=12,
            start_date="2025-01-01",
            end_date="2025-02-01",
        )
        ModulePlan.objects.create(ib=ib, board=cast.board_a, module=first, training=training)
        ModulePlan.objects.create(
            ib=ib, board=cast.board_a, module=second, planned_date="2026-01-01"
        )
        enrolment = TrackEnrolment.objects.create(
            ib=ib, board=cast.board_a, track=paid, started_on="2025-09-01"
        )
        RepaymentAgreement.objects.create(
            enrolment=enrolment,
            repayment_percentages="100",
            early_stop_percentage=Decimal("100"),
            agreed_on="2025-09-01",
        )
        basis_training = Training.objects.create(
            ib=ib, board=cast.board_a, course="Basis", hours=80, start_date="2025-09-01"
        )
        ModulePlan.objects.create(ib=ib, board=cast.board_a, module=basis, training=basis_training)
        f.AppointmentFactory(  # leaving: the overview computes what they repay
            board=cast.board_a,
            ib=ib,
            # Still to come whenever the test runs: until then they are the board's IB.
            end_date=timezone.localdate() + datetime.timedelta(days=30),
            shares=[(cast.school_a1, Decimal("0.2"))],
        )


@pytest.mark.parametrize("size", [1, 12])
def test_overview_query_count_does_not_grow(client, cast, offer_a, django_assert_num_queries, size):
    fill_board(cast, offer_a, size)
    client.force_login(cast.staff_a)
    url = reverse("competencies:track-overview", args=[cast.board_a.pk])
    with django_assert_num_queries(
        REQUEST
        + 1  # the board (through the scope)
        + 2  # tracks, their modules (the overview shows no cells)
        + 1  # the IBs of the board
        + 1  # the plans with their training records
        + 1  # the enrolments with their agreements
        + 1  # the end dates of the board's appointments (who leaves, what they repay)
    ):
        response = client.get(url)
    people = response.context["overview"].people
    assert sum(1 for p in people if p.overdue) == size + 1  # ib_a too: nothing planned
    repaying = [t for p in people for t in p.tracks if t.repayment and t.repayment.repayment]
    assert [t.repayment.repayment.amount for t in repaying] == [Decimal("1250.00")] * size
    filtered = client.get(url + "?achter=1&naam=ib_a").context["overview"].people
    assert [p.ib.pk for p in filtered] == [cast.ib_a.pk]


def test_overview_shows_who_leaves_and_what_they_repay(client, cast, offer_a):
    *_, paid, basis = offer_a
    enrolment = TrackEnrolment.objects.create(
        ib=cast.ib_a, board=cast.board_a, track=paid, started_on="2025-09-01"
    )
    RepaymentAgreement.objects.create(
        enrolment=enrolment,
        repayment_percentages="100; 50",
        early_stop_percentage=Decimal("40"),
        agreed_on="2025-09-01",
    )
    training = Training.objects.create(
        ib=cast.ib_a, board=cast.board_a, course="Basis", hours=80, start_date="2025-09-01"
    )
    ModulePlan.objects.create(ib=cast.ib_a, board=cast.board_a, module=basis, training=training)
    cast.appointment_a.end_date = datetime.date(2026, 12, 31)  # before completing: 40%
    cast.appointment_a.save()
    client.force_login(cast.staff_a)
    body = client.get(reverse("competencies:track-overview", args=[cast.board_a.pk])).content
    assert "31-12-2026" in body.decode() and "500,00" in body.decode()


def overview_people(client, cast, query: str = "") -> dict:
    url = reverse("competencies:track-overview", args=[cast.board_a.pk]) + query
    response = client.get(url)
    assert response.status_code == 200
    return {person.ib.pk: person for person in response.context["overview"].people}


def leave(cast, how: str) -> None:
    """ib_a leaves board A: their appointment ended before today, or their IB role there
    ended (the board administrator ended them, or they have another role now)."""
    if how == "appointment ended":
        cast.appointment_a.end_date = timezone.localdate() - datetime.timedelta(days=10)
        cast.appointment_a.save()
    else:
        Membership.objects.filter(user=cast.ib_a, role=Role.IB).delete()


@pytest.mark.parametrize("how", ["appointment ended", "role ended"])
def test_a_leaver_without_a_track_is_not_chased(client, cast, offer_a, how):
    client.force_login(cast.staff_a)
    assert overview_people(client, cast)[cast.ib_a.pk].overdue == 2  # the deadline passed
    leave(cast, how)
    assert cast.ib_a.pk not in overview_people(client, cast)
    assert cast.ib_a.pk not in overview_people(client, cast, "?achter=1")


@pytest.mark.parametrize("how", ["appointment ended", "role ended"])
def test_a_leaver_with_a_repayment_is_listed_but_never_overdue(client, cast, offer_a, how):
    _track, first, _second, paid, basis = offer_a
    enrolment = TrackEnrolment.objects.create(
        ib=cast.ib_a, board=cast.board_a, track=paid, started_on="2025-09-01"
    )
    RepaymentAgreement.objects.create(
        enrolment=enrolment,
        repayment_percentages="100; 50",
        early_stop_percentage=Decimal("40"),
        agreed_on="2025-09-01",
    )
    training = Training.objects.create(
        ib=cast.ib_a, board=cast.board_a, course="Basis", hours=80, start_date="2025-09-01"
    )
    ModulePlan.objects.create(ib=cast.ib_a, board=cast.board_a, module=basis, training=training)
    ModulePlan.objects.create(  # its planned date passed: overdue while they are the board's
        ib=cast.ib_a, board=cast.board_a, module=first, planned_date="2026-01-01"
    )
    leave(cast, how)
    client.force_login(cast.staff_a)
    person = overview_people(client, cast)[cast.ib_a.pk]
    assert person.left
    assert person.overdue == 0
    assert all(s.state != offer.State.OVERDUE for t in person.tracks for s in t.modules)
    repaying = [t.repayment.repayment.amount for t in person.tracks if t.repayment.repayment]
    if how == "appointment ended":
        assert repaying == [Decimal("500.00")]  # 1250 x 40%: left before completing
    else:
        assert repaying == []  # still employed (another role): nothing to repay yet
    body = client.get(reverse("competencies:track-overview", args=[cast.board_a.pk])).text
    expected = (
        "vertrokken bij het bestuur op"
        if how == "appointment ended"
        else "meer bij het bestuur</div>"
    )
    assert expected in body
    assert cast.ib_a.pk not in overview_people(client, cast, "?achter=1")
    # Their own track page, opened from the overview, chases nothing either.
    response = client.get(reverse("competencies:ib-track", args=[cast.board_a.pk, cast.ib_a.pk]))
    assert [s.overdue for s in response.context["statuses"]] == [0, 0]


def test_an_ib_whose_last_day_is_still_to_come_is_still_followed(client, cast, offer_a):
    cast.appointment_a.end_date = timezone.localdate()  # their last day: still the board's IB
    cast.appointment_a.save()
    client.force_login(cast.staff_a)
    person = overview_people(client, cast)[cast.ib_a.pk]
    assert (person.left, person.overdue) == (False, 2)


def test_overview_lists_only_the_boards_ibs(client, cast, offer_a):
    client.force_login(cast.staff_a)
    response = client.get(reverse("competencies:track-overview", args=[cast.board_a.pk]))
    ids = {p.ib.pk for p in response.context["overview"].people}
    assert cast.ib_a.pk in ids and cast.ib_b.pk not in ids
    assert not Membership.objects.filter(user=cast.ib_b, role=Role.IB, board=cast.board_a)
    assert get_scope(cast.staff_a).can_manage_board(cast.board_a.pk)


def test_anonymising_keeps_what_a_repayment_is_computed_from(cast, offer_a):
    from schools.personal_data import anonymise_person

    _track, first, second, paid, basis = offer_a
    enrolment = TrackEnrolment.objects.create(
        ib=cast.ib_a,
        board=cast.board_a,
        track=paid,
        started_on="2025-09-01",
        stopped_on="2026-01-01",
        stop_reason="Persoonlijke omstandigheden",
    )
    RepaymentAgreement.objects.create(
        enrolment=enrolment,
        repayment_percentages="100",
        early_stop_percentage=Decimal("100"),
        agreed_on="2025-09-01",
    )
    training = Training.objects.create(
        ib=cast.ib_a, board=cast.board_a, course="Basis", hours=80, start_date="2025-09-01"
    )
    ModulePlan.objects.create(
        ib=cast.ib_a, board=cast.board_a, module=basis, training=training, note="Eigen notitie"
    )
    ModulePlan.objects.create(ib=cast.ib_a, board=cast.board_a, module=first, note="Later")
    anonymise_person(cast.ib_a)
    assert list(ModulePlan.objects.values_list("module", "note")) == [(basis.pk, "")]
    assert TrackEnrolment.objects.get().stop_reason == ""
    # Anonymised, they have left: the paid track they enrolled in is the one still shown.
    (status,) = offer.ib_statuses(cast.ib_a, [cast.board_a.pk], TODAY)
    assert status.track == paid
    assert offer.enrolment_repayment(status, None).repayment.amount == Decimal("1250.00")


def test_track_history_names_the_changed_module_and_its_old_cost(client, cast, offer_a):
    _track, first, second, *_ = offer_a
    second.cost = Decimal("500")
    second.save()
    client.force_login(cast.staff_a)
    body = client.get(reverse("competencies:track-history", args=[second.track_id])).content
    assert "Coachen" in body.decode() and "450" in body.decode() and "500" in body.decode()


def test_a_price_changed_later_does_not_change_what_was_taken(client, cast, offer_a):
    *_, paid, basis = offer_a
    client.force_login(cast.ib_a)
    client.post(reverse("competencies:module-training", args=[basis.pk]))
    basis.cost = Decimal("2000")
    basis.save()
    plan = ModulePlan.objects.get()
    assert (plan.cost_taken, plan.cost) == (Decimal("1250.00"), Decimal("1250.00"))
    client.post(  # saving the plan again keeps the price it was taken at
        reverse("competencies:module-plan", args=[basis.pk]),
        {"training": plan.training_id, "note": "Goed", "lock_version": plan.lock_version},
    )
    assert ModulePlan.objects.get().cost_taken == Decimal("1250.00")


@pytest.mark.parametrize("size", [1, 12])
def test_ib_track_page_query_count_does_not_grow(
    client, cast, offer_a, django_assert_num_queries, size
):
    """Board staff's page of one IB's tracks costs the same whatever the board's size."""
    fill_board(cast, offer_a, size)
    ib = TrackEnrolment.objects.filter(board=cast.board_a).order_by("id").first().ib
    client.force_login(cast.staff_a)
    url = reverse("competencies:ib-track", args=[cast.board_a.pk, ib.pk])
    with django_assert_num_queries(
        REQUEST
        + 1  # the board (through the scope)
        + 1  # the IB among the board's IBs
        + 3  # tracks, their modules, the modules' cells
        + 1  # the IB's plans with their training records
        + 1  # the IB's enrolments with their agreements
        + 2  # whether the IB left the board: appointments, IB role
        + 1  # the day the IB leaves (what they repay)
    ):
        response = client.get(url)
    assert response.status_code == 200
