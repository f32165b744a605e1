"""Functionerings- and beoordelingsgesprekken (issue 17): who plans, prepares, records and signs,
who reads what, the board's cycle and what is due."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from competencies import conversations as rules
from competencies.models import AppraisalConversation, ConversationKind, ConversationPolicy
from schools.models import Appointment, Role
from schools.personal_data import anonymise_person, export_json
from schools.todo import items_for

from . import factories as f
from .competency_factories import assessment_round, matrix_framework
from .test_queries import REQUEST

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)


def appointment(cast) -> Appointment:
    return Appointment.objects.with_details().get(pk=cast.appointment_a.pk)


def plan(cast, *, day=YESTERDAY, kind=ConversationKind.FUNCTIONING) -> AppraisalConversation:
    return rules.conversation_plan(
        appointment=appointment(cast), actor=cast.director_a, kind=kind, date=day
    )


def fresh(conversation) -> AppraisalConversation:
    return AppraisalConversation.objects.get(pk=conversation.pk)


def record(cast, conversation, report="Goed gesprek", agreements="Twee afspraken"):
    return rules.report_save(
        conversation=fresh(conversation),
        actor=cast.director_a,
        report=report,
        agreements=agreements,
        lock_version=fresh(conversation).lock_version,
    )


def sign(cast, conversation, response="Gelezen, met een kanttekening"):
    return rules.conversation_sign(
        conversation=fresh(conversation),
        actor=cast.ib_a,
        response=response,
        lock_version=fresh(conversation).lock_version,
    )


def detail(client, user, conversation):
    client.force_login(user)
    return client.get(reverse("competencies:conversation-detail", args=[conversation.pk]))


# ---------------------------------------------------------------------------------------------
# Planning: only the personnel-responsible director
# ---------------------------------------------------------------------------------------------


def test_personnel_responsible_director_plans(cast):
    conversation = plan(cast)
    assert (conversation.ib, conversation.director, conversation.board) == (
        cast.ib_a,
        cast.director_a,
        cast.board_a,
    )


def test_director_of_a_smaller_part_may_not_plan(cast):
    other = f.director(cast.school_a2)
    cast.appointment_a.shares.create(school=cast.school_a2, fte=Decimal("0.1"))
    with pytest.raises(PermissionDenied):
        rules.conversation_plan(
            appointment=appointment(cast), actor=other, kind="functioning", date=TODAY
        )


def test_nobody_plans_while_the_director_is_to_be_chosen(cast):
    other = f.director(cast.school_a2)
    cast.appointment_a.shares.update(fte=Decimal("0.4"))
    cast.appointment_a.shares.create(school=cast.school_a2, fte=Decimal("0.4"))
    for director in (cast.director_a, other):
        with pytest.raises(PermissionDenied):
            rules.conversation_plan(
                appointment=appointment(cast), actor=director, kind="functioning", date=TODAY
            )


def test_board_staff_may_not_plan(client, cast):
    client.force_login(cast.staff_a)
    url = reverse("competencies:conversation-plan", args=[cast.appointment_a.pk])
    response = client.post(url, {"kind": "functioning", "date": TODAY.isoformat()})
    assert response.status_code == 403
    assert not AppraisalConversation.objects.exists()


def test_plan_form_keeps_input_on_a_bad_date(client, cast):
    client.force_login(cast.director_a)
    url = reverse("competencies:conversation-plan", args=[cast.appointment_a.pk])
    response = client.post(url, {"kind": "appraisal", "date": "31-02-2026"})
    assert response.status_code == 200
    assert response.context["form"].errors["date"]
    assert 'value="appraisal" selected' in response.text
    assert not AppraisalConversation.objects.exists()


def test_conversation_before_the_appointment_started_is_refused(client, cast):
    """Tester 5 #3: a beoordelingsgesprek on 1-1-2020 for an IB appointed in 2025 was taken,
    recorded and signed, and the board's cycle then counted from it."""
    client.force_login(cast.director_a)
    url = reverse("competencies:conversation-plan", args=[cast.appointment_a.pk])
    response = client.post(url, {"kind": "appraisal", "date": "01-01-2020"})
    assert response.status_code == 200
    start = cast.appointment_a.start_date.strftime("%d-%m-%Y")
    assert response.context["form"].errors["date"] == [
        f"De aanstelling van de IB'er begint op {start}: plan het gesprek op of na die dag."
    ]
    assert 'value="01-01-2020"' in response.text
    assert 'value="appraisal" selected' in response.text
    assert not AppraisalConversation.objects.exists()
    with pytest.raises(ValidationError):
        plan(cast, day=cast.appointment_a.start_date - datetime.timedelta(days=1))
    assert plan(cast, day=cast.appointment_a.start_date).pk


def test_conversation_far_ahead_is_refused(cast):
    with pytest.raises(ValidationError) as refused:
        plan(cast, day=rules.add_years(TODAY, 2) + datetime.timedelta(days=1))
    assert "date" in refused.value.message_dict
    assert plan(cast, day=rules.add_years(TODAY, 2)).pk


def test_reschedule_before_the_appointment_started_is_refused(cast):
    conversation = plan(cast, day=TODAY + datetime.timedelta(days=7))
    with pytest.raises(ValidationError):
        rules.conversation_reschedule(
            conversation=fresh(conversation),
            actor=cast.director_a,
            kind=ConversationKind.FUNCTIONING,
            date=datetime.date(2020, 1, 1),
            lock_version=fresh(conversation).lock_version,
        )
    assert fresh(conversation).date == TODAY + datetime.timedelta(days=7)


# ---------------------------------------------------------------------------------------------
# Preparation: the author's until shared, or until the report is recorded; never board staff
# ---------------------------------------------------------------------------------------------


def prepare(conversation, actor, text, share, **kwargs):
    return rules.preparation_save(
        conversation=fresh(conversation),
        actor=actor,
        text=text,
        share=share,
        lock_version=fresh(conversation).lock_version,
        **kwargs,
    )


def test_unshared_preparation_is_the_authors_own(client, cast):
    conversation = plan(cast, day=TODAY + datetime.timedelta(days=7))
    prepare(conversation, cast.ib_a, "Mijn eigen punten", share=False)
    prepare(conversation, cast.director_a, "Punten van de directeur", share=False)
    assert "Mijn eigen punten" not in detail(client, cast.director_a, conversation).text
    assert "Punten van de directeur" not in detail(client, cast.ib_a, conversation).text
    assert "Mijn eigen punten" in detail(client, cast.ib_a, conversation).text


def test_shared_preparation_is_read_by_the_other_party(client, cast):
    conversation = plan(cast, day=TODAY + datetime.timedelta(days=7))
    prepare(conversation, cast.ib_a, "Mijn eigen punten", share=True)
    assert fresh(conversation).ib_shared_at is not None
    assert "Mijn eigen punten" in detail(client, cast.director_a, conversation).text
    prepare(conversation, cast.ib_a, "Mijn eigen punten", share=False)  # withdrawn
    assert "Mijn eigen punten" not in detail(client, cast.director_a, conversation).text


def test_after_the_report_both_preparations_are_read_but_never_by_board_staff(client, cast):
    conversation = plan(cast)
    prepare(conversation, cast.ib_a, "Mijn eigen punten", share=False)
    prepare(conversation, cast.director_a, "Punten van de directeur", share=False)
    record(cast, conversation, report="Het verslag van het gesprek")
    assert "Mijn eigen punten" in detail(client, cast.director_a, conversation).text
    assert "Punten van de directeur" in detail(client, cast.ib_a, conversation).text
    staff_page = detail(client, cast.staff_a, conversation).text
    assert "Het verslag van het gesprek" in staff_page
    assert "Mijn eigen punten" not in staff_page
    assert "Punten van de directeur" not in staff_page


def test_preparation_is_final_once_the_report_is_recorded(cast):
    conversation = plan(cast)
    record(cast, conversation)
    with pytest.raises(PermissionDenied):
        prepare(conversation, cast.ib_a, "Te laat", share=True)


def test_ib_links_only_a_round_shared_with_this_director(cast):
    framework = matrix_framework(cast.board_a)
    shared = assessment_round(cast.ib_a, framework, shared_with=cast.director_a)
    private = assessment_round(cast.ib_a, framework)
    conversation = plan(cast, day=TODAY + datetime.timedelta(days=7))
    prepare(conversation, cast.ib_a, "", share=True, linked_round=shared)
    assert fresh(conversation).linked_round == shared
    with pytest.raises(ValidationError):
        prepare(conversation, cast.ib_a, "", share=True, linked_round=private)
    assert fresh(conversation).linked_round == shared


def test_the_director_reaches_the_linked_round_board_staff_do_not(client, cast):
    shared = assessment_round(
        cast.ib_a, matrix_framework(cast.board_a), shared_with=cast.director_a
    )
    conversation = plan(cast, day=TODAY + datetime.timedelta(days=7))
    prepare(conversation, cast.ib_a, "", share=True, linked_round=shared)
    round_url = reverse("competencies:round-detail", args=[shared.pk])
    assert round_url in detail(client, cast.director_a, conversation).text
    assert round_url not in detail(client, cast.staff_a, conversation).text


# ---------------------------------------------------------------------------------------------
# Report and signature
# ---------------------------------------------------------------------------------------------


def test_report_waits_for_the_day_of_the_conversation(cast):
    conversation = plan(cast, day=TODAY + datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        record(cast, conversation)
    assert fresh(conversation).recorded_at is None


def test_ib_cannot_sign_before_there_is_a_report(cast):
    conversation = plan(cast)
    with pytest.raises(ValidationError):
        sign(cast, conversation)


def test_signature_is_the_ibs_action_with_time_and_response(cast):
    conversation = plan(cast)
    record(cast, conversation)
    with pytest.raises(PermissionDenied):
        rules.conversation_sign(
            conversation=fresh(conversation),
            actor=cast.director_a,
            response="",
            lock_version=fresh(conversation).lock_version,
        )
    signed = sign(cast, conversation, response="Ik zie het anders")
    assert signed.signed_at is not None
    assert fresh(conversation).ib_response == "Ik zie het anders"


def test_signing_without_ticking_the_box_says_what_to_do(client, cast):
    """Issue 14 #5: not the generic "Dit veld is verplicht."."""
    conversation = plan(cast)
    record(cast, conversation)
    client.force_login(cast.ib_a)
    response = client.post(
        reverse("competencies:conversation-sign", args=[conversation.pk]),
        {"ib_response": "Gelezen", "lock_version": str(fresh(conversation).lock_version)},
    )
    assert response.status_code == 200
    assert "Vink aan dat u het verslag hebt gelezen voordat u tekent." in response.text
    assert "Dit veld is verplicht." not in response.text
    assert fresh(conversation).signed_at is None


def test_detail_page_says_every_moment_in_one_format(client, cast):
    """Issue 14 #4: recorded, shared and signed as "6 december 2026, 02:36", not "6-12-2026"."""
    conversation = plan(cast)
    prepare(conversation, cast.director_a, "Mijn punten", share=True)
    record(cast, conversation)
    sign(cast, conversation)
    conversation = fresh(conversation)
    html = detail(client, cast.director_a, conversation).text
    with translation.override("nl"):
        moments = (
            conversation.recorded_at,
            conversation.director_shared_at,
            conversation.signed_at,
        )
        for moment in moments:
            assert date_format(timezone.localtime(moment), "j F Y, H:i") in html
    now = timezone.localtime(conversation.recorded_at)
    assert f"{now.day}-{now.month}-{now.year}" not in html


def test_the_director_corrects_the_report_until_it_is_signed(cast):
    conversation = plan(cast)
    record(cast, conversation, report="Eerste versie")
    record(cast, conversation, report="Verbeterde versie")
    assert fresh(conversation).report == "Verbeterde versie"
    sign(cast, conversation)
    with pytest.raises(PermissionDenied):
        record(cast, conversation, report="Na de handtekening")
    with pytest.raises(PermissionDenied):
        sign(cast, conversation, response="Nog eens")
    assert fresh(conversation).report == "Verbeterde versie"


def test_signed_report_page_is_refused(client, cast):
    conversation = plan(cast)
    record(cast, conversation)
    sign(cast, conversation)
    client.force_login(cast.director_a)
    url = reverse("competencies:conversation-report", args=[conversation.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"report": "X", "agreements": "", "lock_version": "0"})
    assert response.status_code == 403
    assert fresh(conversation).report == "Goed gesprek"


def test_stale_report_save_is_refused_and_keeps_the_input(client, cast):
    conversation = plan(cast)
    version = fresh(conversation).lock_version
    record(cast, conversation, report="Door iemand anders")
    client.force_login(cast.director_a)
    response = client.post(
        reverse("competencies:conversation-report", args=[conversation.pk]),
        {"report": "Mijn tekst", "agreements": "", "lock_version": str(version)},
    )
    assert response.status_code == 409
    assert "Mijn tekst" in response.text
    assert "Door iemand anders" in response.text
    assert fresh(conversation).report == "Door iemand anders"


def test_stale_preparation_save_is_refused(client, cast):
    conversation = plan(cast, day=TODAY + datetime.timedelta(days=3))
    version = fresh(conversation).lock_version
    prepare(conversation, cast.director_a, "Al opgeslagen", share=False)
    client.force_login(cast.ib_a)
    response = client.post(
        reverse("competencies:conversation-prepare", args=[conversation.pk]),
        {"text": "Mijn punten", "lock_version": str(version)},
    )
    assert response.status_code == 409
    assert fresh(conversation).ib_preparation == ""


# ---------------------------------------------------------------------------------------------
# Who reaches a conversation: the IB, its director, the board's staff; nobody else (404)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["other_director", "other_ib", "partnership", "board_b"])
def test_outsiders_do_not_find_a_conversation(client, cast, who):
    conversation = plan(cast)
    record(cast, conversation)
    user = {
        "other_director": lambda: f.director(cast.school_a2),
        "other_ib": lambda: f.ib(cast.board_a),
        "partnership": lambda: cast.partnership_staff,
        "board_b": lambda: cast.staff_b,
    }[who]()
    for name in ("detail", "prepare", "report", "sign", "edit"):
        client.force_login(user)
        response = client.get(reverse(f"competencies:conversation-{name}", args=[conversation.pk]))
        assert response.status_code == 404, name


def test_a_former_director_no_longer_reaches_their_conversations(client, cast):
    conversation = plan(cast)
    cast.director_a.memberships.filter(role=Role.DIRECTOR).delete()
    assert detail(client, cast.director_a, conversation).status_code == 404


# ---------------------------------------------------------------------------------------------
# The board's cycle: due dates and overdue
# ---------------------------------------------------------------------------------------------


def status(cast, kind, user=None):
    cycle = rules.cycles([appointment(cast)], TODAY, user or cast.staff_a)[0]
    return next(row for row in cycle.kinds if row.kind == kind)


def test_without_a_conversation_the_first_is_due_after_the_appointment_start(cast):
    start = cast.appointment_a.start_date
    row = status(cast, ConversationKind.FUNCTIONING)
    assert row.last is None
    assert row.due == rules.add_years(start, 1)
    appraisal = status(cast, ConversationKind.APPRAISAL)
    assert appraisal.due == rules.add_years(start, ConversationPolicy.DEFAULT_APPRAISAL_YEARS)


def test_next_is_due_the_boards_years_after_the_last_held(cast):
    ConversationPolicy.objects.create(board=cast.board_a, appraisal_years=3)
    held = plan(cast, day=datetime.date(2025, 10, 1), kind=ConversationKind.APPRAISAL)
    record(cast, held)
    row = status(cast, ConversationKind.APPRAISAL)
    assert row.last == fresh(held)
    assert row.due == datetime.date(2028, 10, 1)
    assert not row.overdue


def test_overdue_is_flagged_and_a_planned_one_shown(cast):
    held = plan(cast, day=TODAY - datetime.timedelta(days=400))
    record(cast, held)
    planned = plan(cast, day=TODAY + datetime.timedelta(days=10))
    row = status(cast, ConversationKind.FUNCTIONING)
    assert row.overdue
    assert row.planned == planned


def test_policy_form_sets_the_cycle(client, cast):
    client.force_login(cast.staff_a)
    url = reverse("competencies:conversation-policy", args=[cast.board_a.pk])
    for years in ("-1", "0", "6"):  # one range, one message
        bad = client.post(
            url, {"functioning_years": years, "appraisal_years": "3", "lock_version": ""}
        )
        assert bad.status_code == 200
        assert bad.context["form"].errors == {"functioning_years": ["Kies 1 tot en met 5 jaar."]}
    assert 'min="1"' in bad.text and 'max="5"' in bad.text
    assert not ConversationPolicy.objects.exists()
    response = client.post(
        url, {"functioning_years": "1", "appraisal_years": "3", "lock_version": ""}
    )
    assert response.status_code == 302
    assert ConversationPolicy.objects.get(board=cast.board_a).appraisal_years == 3


@pytest.mark.parametrize("others", [0, 9])
def test_overview_query_count_is_pinned(client, cast, django_assert_num_queries, others):
    """The board's overview costs the same for 1 IB as for 10."""
    plan(cast)
    for _n in range(others):
        made = f.AppointmentFactory(
            board=cast.board_a, ib=f.ib(cast.board_a), shares=[(cast.school_a1, Decimal("0.5"))]
        )
        rules.conversation_plan(
            appointment=Appointment.objects.with_details().get(pk=made.pk),
            actor=cast.director_a,
            kind="functioning",
            date=YESTERDAY,
        )
    client.force_login(cast.staff_a)
    with django_assert_num_queries(
        REQUEST
        + 3  # current appointments in scope; their shares; the share schools' directors
        + 1  # the boards' conversation cycles (for the due dates)
        + 1  # the conversations of these IBs the user may read (last, planned)
        + 1  # the boards the user manages
        + 1  # each managed board's cycle (one board here)
        + 1  # every conversation the user may read, with IB and director
    ):
        assert client.get(reverse("competencies:conversation-list")).status_code == 200


# ---------------------------------------------------------------------------------------------
# To-do items, personal data
# ---------------------------------------------------------------------------------------------


def kinds(user) -> set[str]:
    return {item.kind for item in items_for(user, today=TODAY)}


def test_todo_items_lead_through_the_cycle(cast):
    conversation = plan(cast, day=TODAY + datetime.timedelta(days=5))
    assert "conversation-prepare" in kinds(cast.ib_a)
    assert "conversation-prepare-director" in kinds(cast.director_a)
    AppraisalConversation.objects.filter(pk=conversation.pk).update(date=YESTERDAY)
    assert "conversation-report" in kinds(cast.director_a)
    record(cast, conversation)
    assert "conversation-sign" in kinds(cast.ib_a)
    assert "conversation-report" not in kinds(cast.director_a)
    sign(cast, conversation)
    assert not {"conversation-sign", "conversation-prepare"} & kinds(cast.ib_a)


def to_plan(user, today=TODAY) -> list:
    return [item for item in items_for(user, today) if item.kind == "conversation-to-plan"]


LATER = datetime.date(2027, 11, 20)


def test_director_plans_an_overdue_conversation_from_the_start_page(client, cast):
    """Issue 14 #1: the conversation page says overdue with nothing planned; so does the
    director's "what needs doing now", linking to the IB's row of that page."""
    today = datetime.date(2026, 12, 6)  # appointment_a started 1-8-2025: yearly, due 1-8-2026
    (item,) = to_plan(cast.director_a, today)
    assert item.subject == f"{cast.ib_a.get_full_name()} · Functioneringsgesprek"
    assert item.due == datetime.date(2026, 8, 1)
    page = reverse("competencies:conversation-list")
    assert (item.url, item.more_url) == (f"{page}#cycle-{cast.appointment_a.pk}", page)
    client.force_login(cast.director_a)
    assert f'id="cycle-{cast.appointment_a.pk}"' in client.get(page).text
    # Nobody else plans ib_a's conversations: not the IB, board staff, another director.
    for other in (cast.ib_a, cast.staff_a, cast.director_b, f.director(cast.school_a2)):
        assert item.url not in {seen.url for seen in to_plan(other, today)}
    assert to_plan(cast.director_b, today)[0].subject.startswith(cast.ib_b.get_full_name())
    conversation = plan(cast, day=today + datetime.timedelta(days=60))
    assert to_plan(cast.director_a, today) == []  # planned: it has its own items
    conversation.date = today - datetime.timedelta(days=1)
    conversation.save()
    record(cast, conversation)  # held: the next one is due a year after it
    assert to_plan(cast.director_a, today) == []
    later = {item.subject.split(" · ")[1]: item.due for item in to_plan(cast.director_a, LATER)}
    assert later == {
        "Functioneringsgesprek": datetime.date(2027, 12, 5),
        "Beoordelingsgesprek": datetime.date(2027, 8, 1),  # every two years from the start
    }


def test_conversations_to_plan_show_a_month_ahead_most_overdue_first(cast):
    ConversationPolicy.objects.create(board=cast.board_a, functioning_years=1, appraisal_years=1)
    later = f.AppointmentFactory(
        board=cast.board_a,
        ib=f.ib(cast.board_a, first_name="Later", last_name="Begonnen"),
        start_date=datetime.date(2025, 10, 1),
        shares=[(cast.school_a1, Decimal("0.5"))],
    )
    assert [item.subject for item in to_plan(cast.director_a, datetime.date(2026, 7, 1))] == []
    assert len(to_plan(cast.director_a, datetime.date(2026, 7, 2))) == 2  # due in 30 days
    items = to_plan(cast.director_a, datetime.date(2026, 12, 6))
    assert [(item.subject.split(" · ")[0], item.due) for item in items] == [
        (cast.ib_a.get_full_name(), datetime.date(2026, 8, 1)),
        (cast.ib_a.get_full_name(), datetime.date(2026, 8, 1)),
        ("Later Begonnen", datetime.date(2026, 10, 1)),
        ("Later Begonnen", datetime.date(2026, 10, 1)),
    ]
    assert items[-1].url.endswith(f"#cycle-{later.pk}")


def test_the_director_of_the_largest_part_plans_not_the_other(cast):
    other = f.director(cast.school_a2)
    cast.appointment_a.shares.create(school=cast.school_a2, fte=Decimal("0.1"))
    today = datetime.date(2026, 12, 6)
    assert len(to_plan(cast.director_a, today)) == 1
    assert to_plan(other, today) == []


def test_download_leaves_out_the_preparations(cast):
    conversation = plan(cast)
    prepare(conversation, cast.director_a, "Geheime aantekening", share=False)
    record(cast, conversation, report="Het verslag")
    data = json.dumps(export_json(cast.ib_a), default=str)
    assert "Het verslag" in data
    assert "Geheime aantekening" not in data


def test_anonymising_the_ib_removes_their_conversations(cast):
    record(cast, plan(cast))
    anonymise_person(cast.ib_a)
    assert not AppraisalConversation.objects.exists()
