"""The year-end evaluation (issue #14): when, who rates, views and closes, the lock, the pages."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from core.versioning import StaleEdit
from schools.models import DevelopmentPoint, Membership, Role
from schools.todo import items_for
from tasks import evaluation as ev
from tasks import realisation as rs
from tasks.models import (
    Domain,
    Evaluation,
    EvaluationGoal,
    GoalRating,
    Moment,
    Package,
    PackageEvent,
    WerkplanGoal,
)
from tasks.packages import (
    current_version,
    item_add,
    package_create,
    package_reopen,
    package_review,
    package_submit,
)

from . import factories as f
from .conftest import add_package_a

Kind = PackageEvent.Kind
A, P, N = GoalRating.ACHIEVED, GoalRating.PARTLY, GoalRating.NOT_ACHIEVED


def nl(text: str) -> str:
    with translation.override("nl"):
        return gettext(text)


def lv(package: Package) -> dict:
    return {
        "lock_version": Package.objects.values_list("lock_version", flat=True).get(pk=package.pk)
    }


def add_goal(package: Package, title: str, code: str = "leren") -> WerkplanGoal:
    return WerkplanGoal.objects.create(
        version=current_version(package),
        title=title,
        source_text="Schoolplan",
        domain=Domain.objects.get(code=code),
        success_criterion=f"Zichtbaar: {title.lower()}",
    )


def agree(package: Package, director, ib) -> None:
    package_submit(package=package, actor=director, **lv(package))
    package_review(package=package, actor=ib, accept=True, **lv(package))


def year_end_open(board) -> None:
    """The board's year-end moment on 1 August: the evaluation is open all school year."""
    board.realisation_mid_year = "1-8"
    board.realisation_year_end = "1-8"
    board.save()


@pytest.fixture
def agreed(cast) -> Package:
    """package_a with two werkplan goals, agreed; its evaluation open today."""
    package = add_package_a(cast)
    add_goal(package, "Beter begrijpend lezen")
    add_goal(package, "Data bespreken met het team", "data")
    agree(package, cast.director_a, cast.ib_a)
    year_end_open(cast.board_a)
    return fresh(package)


def fresh(package: Package) -> Package:
    return Package.objects.with_details().select_related("evaluation__closed_by").get(pk=package.pk)


def start(package: Package, actor) -> Evaluation:
    return ev.evaluation_start(package=package, actor=actor)


def evaluation(package: Package) -> Evaluation:
    return Evaluation.objects.select_related(
        "package__share__school__board", "package__share__appointment__ib", "package__school_year"
    ).get(package=package)


def keys(evaluation: Evaluation) -> dict[str, str]:
    return {goal.title: goal.key for goal in evaluation.goals.all()}


def rate(package, actor, values, *, ready=False, lock="current", today=None) -> int:
    e = evaluation(package)
    by_title = keys(e)
    return ev.ratings_save(
        evaluation=e,
        actor=actor,
        lock_version=e.lock_version if lock == "current" else lock,
        values={
            by_title[title]: ev.GoalValues(r, evidence) for title, (r, evidence) in values.items()
        },
        ready=ready,
        today=today,
    )


ALL_RATED = {
    "Beter begrijpend lezen": (A, "Groep 6 haalde 82% op het streefniveau."),
    "Data bespreken met het team": (P, "Twee van de drie leerteams bespraken hun data."),
}


def hold(package, actor, *, held_on=None, participants="Directeur, IB'er", agreements="Door"):
    e = evaluation(package)
    ev.conversation_save(
        evaluation=e,
        actor=actor,
        lock_version=e.lock_version,
        held_on=held_on or timezone.localdate(),
        participants=participants,
        agreements=agreements,
    )


# ---------------------------------------------------------------------------------------------
# when
# ---------------------------------------------------------------------------------------------


def test_it_opens_at_the_year_end_moment_and_closes_on_31_october_after(cast, agreed):
    cast.board_a.realisation_year_end = "1-7"
    cast.board_a.save()
    package = fresh(agreed)
    start_year = package.school_year.start_year
    opens = datetime.date(start_year + 1, 7, 1)
    assert ev.opens_on(package) == opens
    assert ev.open_until(package) == datetime.date(start_year + 1, 10, 31)
    agreed_version = rs.agreed_version(package.versions.all())
    assert ev.closed_reason(package, agreed_version, opens - datetime.timedelta(days=1))
    assert ev.closed_reason(package, agreed_version, opens) == ""
    assert ev.closed_reason(package, agreed_version, datetime.date(start_year + 1, 10, 31)) == ""
    assert ev.closed_reason(package, agreed_version, datetime.date(start_year + 1, 11, 1))
    with pytest.raises(ValidationError):
        ev.evaluation_start(
            package=package, actor=cast.ib_a, today=opens - datetime.timedelta(days=1)
        )
    ev.evaluation_start(package=package, actor=cast.ib_a, today=opens)
    # After the grace end nothing changes any more.
    with pytest.raises(ValidationError):
        rate(package, cast.ib_a, ALL_RATED, today=datetime.date(start_year + 1, 11, 1))


def test_a_package_that_was_never_agreed_is_not_evaluated(cast):
    package = add_package_a(cast)
    year_end_open(cast.board_a)
    with pytest.raises(ValidationError):
        start(fresh(package), cast.ib_a)


def test_starting_copies_the_goals_of_the_newest_agreed_version(cast, agreed):
    # Reopened: the draft of version 2 has a goal more, which is not agreed yet.
    package_reopen(package=agreed, actor=cast.director_a, **lv(agreed))
    add_goal(agreed, "Nog niet afgesproken")
    e = start(fresh(agreed), cast.director_a)
    assert e.version.number == 1
    assert sorted(keys(e)) == ["Beter begrijpend lezen", "Data bespreken met het team"]
    goal = e.goals.get(title="Beter begrijpend lezen")
    assert goal.key == "beter begrijpend lezen"
    assert goal.success_criterion == "Zichtbaar: beter begrijpend lezen"
    assert (goal.development_point, goal.source_text) == (None, "Schoolplan")
    assert PackageEvent.objects.filter(package=agreed, kind=Kind.EVALUATION_STARTED).count() == 1


def test_starting_copies_each_goals_source_also_of_a_repeated_title(cast, agreed):
    point = DevelopmentPoint.objects.create(
        school=cast.school_a1,
        title="Leesonderwijs",
        source="schoolplan",
        start_year=2020,
        end_year=2030,
    )
    package_reopen(package=agreed, actor=cast.director_a, **lv(agreed))
    twin = add_goal(agreed, "Beter begrijpend lezen")
    twin.development_point, twin.source_text = point, ""
    twin.save()
    agree(fresh(agreed), cast.director_a, cast.ib_a)
    e = start(fresh(agreed), cast.director_a)
    sources = {g.key: (g.development_point, g.source_text) for g in e.goals.all()}
    assert sources["beter begrijpend lezen"] == (None, "Schoolplan")
    assert sources["beter begrijpend lezen (2)"] == (point, "")


def test_starting_twice_is_a_stale_edit(cast, agreed):
    start(agreed, cast.ib_a)
    with pytest.raises(StaleEdit):
        start(fresh(agreed), cast.director_a)
    assert Evaluation.objects.count() == 1


def test_only_the_ib_and_the_director_start_it(cast, agreed):
    for who in (cast.staff_a, cast.admin_a):
        with pytest.raises(PermissionDenied):
            start(agreed, who)


# ---------------------------------------------------------------------------------------------
# the IB's ratings
# ---------------------------------------------------------------------------------------------


def test_the_ib_rates_with_evidence_and_marks_ready(cast, agreed):
    start(agreed, cast.ib_a)
    assert rate(agreed, cast.ib_a, {"Beter begrijpend lezen": ALL_RATED["Beter begrijpend lezen"]})
    assert evaluation(agreed).ib_ready_at is None
    mail.outbox.clear()
    rate(agreed, cast.ib_a, ALL_RATED, ready=True)
    e = evaluation(agreed)
    assert e.ib_ready_at is not None
    assert dict(e.goals.values_list("title", "rating")) == {
        "Beter begrijpend lezen": A,
        "Data bespreken met het team": P,
    }
    assert PackageEvent.objects.filter(kind=Kind.EVALUATION_READY).count() == 1


def test_a_rating_needs_evidence_and_ready_needs_every_goal(cast, agreed):
    start(agreed, cast.ib_a)
    with pytest.raises(ValidationError) as refused:
        rate(agreed, cast.ib_a, {"Beter begrijpend lezen": (A, "  ")})
    assert list(refused.value.error_dict) == ["beter begrijpend lezen"]
    # Evidence without a rating is kept while working on it.
    rate(agreed, cast.ib_a, {"Beter begrijpend lezen": ("", "Toetsen van januari")})
    with pytest.raises(ValidationError) as refused:
        rate(agreed, cast.ib_a, {"Beter begrijpend lezen": (A, "Toets")}, ready=True)
    assert list(refused.value.error_dict) == ["data bespreken met het team"]
    e = evaluation(agreed)
    assert e.ib_ready_at is None
    assert e.goals.get(title="Beter begrijpend lezen").rating == ""
    # Once ready, a goal cannot lose its rating.
    rate(agreed, cast.ib_a, ALL_RATED, ready=True)
    with pytest.raises(ValidationError):
        rate(agreed, cast.ib_a, {"Beter begrijpend lezen": ("", "Toets")})
    # ... but a rating can still change until the conversation.
    rate(agreed, cast.ib_a, {"Beter begrijpend lezen": (N, "Toch niet")})
    assert evaluation(agreed).goals.get(title="Beter begrijpend lezen").rating == N


@pytest.mark.parametrize("who", ["director_a", "staff_a"])
def test_only_the_ib_rates(cast, agreed, who):
    start(agreed, cast.ib_a)
    with pytest.raises(PermissionDenied):
        rate(agreed, cast.user(who), ALL_RATED)


def test_marking_ready_queues_one_mail_per_director(
    cast, agreed, django_capture_on_commit_callbacks
):
    start(agreed, cast.ib_a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        rate(agreed, cast.ib_a, ALL_RATED, ready=True)
    (message,) = mail.outbox
    assert message.to == [cast.director_a.email]
    assert reverse("tasks:package-evaluation", args=[agreed.pk]) in message.body
    # Saving again sends nothing more.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        rate(agreed, cast.ib_a, ALL_RATED, ready=True)
    assert mail.outbox == []


def test_mail_down_undoes_nothing(cast, agreed, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.test_notices.MailServerDown"
    start(agreed, cast.ib_a)
    with django_capture_on_commit_callbacks(execute=True):
        rate(agreed, cast.ib_a, ALL_RATED, ready=True)
    assert evaluation(agreed).ib_ready_at is not None


def test_a_stale_save_is_refused_and_writes_nothing(cast, agreed):
    e = start(agreed, cast.ib_a)
    seen = e.lock_version
    rate(agreed, cast.ib_a, {"Beter begrijpend lezen": (A, "Eerste")})
    with pytest.raises(StaleEdit):
        rate(agreed, cast.ib_a, {"Beter begrijpend lezen": (P, "Tweede")}, lock=seen)
    with pytest.raises(StaleEdit):
        ev.director_view_save(
            evaluation=evaluation(agreed), actor=cast.director_a, lock_version=seen, view="Goed"
        )
    e = evaluation(agreed)
    assert e.goals.get(title="Beter begrijpend lezen").evidence == "Eerste"
    assert e.director_view == ""


# ---------------------------------------------------------------------------------------------
# the director's view and the conversation
# ---------------------------------------------------------------------------------------------


def test_the_director_adds_a_view_only_they(cast, agreed):
    e = start(agreed, cast.ib_a)
    ev.director_view_save(
        evaluation=e, actor=cast.director_a, lock_version=e.lock_version, view=" Sterk jaar. "
    )
    assert evaluation(agreed).director_view == "Sterk jaar."
    for who in (cast.ib_a, cast.staff_a):
        e = evaluation(agreed)
        with pytest.raises(PermissionDenied):
            ev.director_view_save(evaluation=e, actor=who, lock_version=e.lock_version, view="x")
    e = evaluation(agreed)
    with pytest.raises(ValidationError):
        ev.director_view_save(
            evaluation=e, actor=cast.director_a, lock_version=e.lock_version, view="  "
        )


def test_the_conversation_waits_for_the_ratings_then_closes_the_year(cast, agreed):
    start(agreed, cast.ib_a)
    with pytest.raises(ValidationError):
        hold(agreed, cast.director_a)
    rate(agreed, cast.ib_a, ALL_RATED, ready=True)
    hold(agreed, cast.director_a, agreements="Lezen loopt door naar volgend jaar.")
    e = evaluation(agreed)
    assert e.is_closed and e.closed_by == cast.director_a
    assert e.held_on == timezone.localdate()
    event = PackageEvent.objects.get(kind=Kind.EVALUATION_HELD)
    assert event.comment == "Lezen loopt door naar volgend jaar."
    # Closed: read-only for everyone.
    with pytest.raises(ValidationError):
        rate(agreed, cast.ib_a, ALL_RATED)
    with pytest.raises(ValidationError):
        ev.director_view_save(
            evaluation=e, actor=cast.director_a, lock_version=e.lock_version, view="Later"
        )
    with pytest.raises(ValidationError):
        hold(agreed, cast.ib_a)


def test_the_ib_may_record_the_conversation_too(cast, agreed):
    start(agreed, cast.ib_a)
    rate(agreed, cast.ib_a, ALL_RATED, ready=True)
    hold(agreed, cast.ib_a)
    assert evaluation(agreed).closed_by == cast.ib_a


def test_board_staff_do_not_record_the_conversation(cast, agreed):
    start(agreed, cast.ib_a)
    rate(agreed, cast.ib_a, ALL_RATED, ready=True)
    with pytest.raises(PermissionDenied):
        hold(agreed, cast.staff_a)


def test_the_record_needs_a_date_not_in_the_future_who_and_agreements(cast, agreed):
    start(agreed, cast.ib_a)
    rate(agreed, cast.ib_a, ALL_RATED, ready=True)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        hold(agreed, cast.director_a, held_on=tomorrow, participants=" ", agreements="")
    assert set(refused.value.error_dict) == {"held_on", "participants", "agreements"}
    before = ev.opens_on(agreed) - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        hold(agreed, cast.director_a, held_on=before)
    assert set(refused.value.error_dict) == {"held_on"}
    assert not evaluation(agreed).is_closed


def test_a_package_without_goals_is_evaluated_by_its_conversation(cast):
    package = add_package_a(cast)
    agree(package, cast.director_a, cast.ib_a)
    year_end_open(cast.board_a)
    package = fresh(package)
    e = start(package, cast.director_a)
    assert not e.goals.exists()
    hold(package, cast.director_a)
    assert evaluation(package).is_closed


def test_a_reopened_package_keeps_its_evaluation(cast, agreed):
    start(agreed, cast.ib_a)
    rate(agreed, cast.ib_a, ALL_RATED, ready=True)
    hold(agreed, cast.director_a)
    package_reopen(package=agreed, actor=cast.director_a, **lv(agreed))
    WerkplanGoal.objects.filter(version__number=2).delete()
    e = evaluation(agreed)
    assert e.version.number == 1 and e.goals.count() == 2


# ---------------------------------------------------------------------------------------------
# status
# ---------------------------------------------------------------------------------------------


def test_the_status_follows_the_steps(cast, agreed):
    package = fresh(agreed)
    start_year = package.school_year.start_year
    assert ev.status_of(package, None, datetime.date(start_year, 7, 31)).code == "not-open"
    assert ev.status_of(package, None, timezone.localdate()).code == "open"
    assert ev.status_of(package, None, datetime.date(start_year + 1, 11, 1)).code == "missed"
    start(package, cast.ib_a)
    assert ev.status_of(package, evaluation(package), timezone.localdate()).code == "started"
    rate(package, cast.ib_a, ALL_RATED, ready=True)
    assert ev.status_of(package, evaluation(package), timezone.localdate()).code == "ready"
    hold(package, cast.director_a)
    e = evaluation(package)
    assert ev.status_of(package, e, datetime.date(start_year + 5, 1, 1)).code == "closed"


# ---------------------------------------------------------------------------------------------
# pages
# ---------------------------------------------------------------------------------------------


def url(package, name="package-evaluation") -> str:
    return reverse(f"tasks:{name}", args=[package.pk])


def ratings_post(package, values: dict, *, ready=False, lock=None) -> dict:
    e = evaluation(package)
    goals = {goal.title: goal.pk for goal in e.goals.all()}
    data = {"lock_version": str(e.lock_version if lock is None else lock)}
    for title, (rating, evidence) in values.items():
        data[f"rating_{goals[title]}"] = rating
        data[f"evidence_{goals[title]}"] = evidence
    if ready:
        data["ready"] = "1"
    return data


def test_the_ib_starts_rates_and_marks_ready_on_the_page(client, cast, agreed):
    client.force_login(cast.ib_a)
    response = client.get(url(agreed))
    assert response.status_code == 200
    assert "start_form" in response.context
    assert client.post(url(agreed, "evaluation-start"), {"lock_version": ""}).status_code == 302
    response = client.get(url(agreed))
    assert "ratings_form" in response.context and "view_form" not in response.context
    response = client.post(
        url(agreed, "evaluation-ratings"), ratings_post(agreed, ALL_RATED, ready=True)
    )
    assert response.status_code == 302
    assert evaluation(agreed).ib_ready_at is not None


def test_a_refused_rating_keeps_the_input_with_the_error_at_the_goal(client, cast, agreed):
    start(agreed, cast.ib_a)
    client.force_login(cast.ib_a)
    values = {
        "Beter begrijpend lezen": (A, ""),
        "Data bespreken met het team": (P, "Twee leerteams"),
    }
    response = client.post(url(agreed, "evaluation-ratings"), ratings_post(agreed, values))
    assert response.status_code == 200
    html = response.content.decode()
    assert nl("Give the evidence for this rating.") in html
    assert "Twee leerteams" in html
    assert re.search(r'value="deels"[^>]*checked', html)
    assert evaluation(agreed).goals.filter(rating="").count() == 2


def test_a_stale_rating_page_shows_the_saved_values_beside_the_input(client, cast, agreed):
    e = start(agreed, cast.ib_a)
    seen = e.lock_version
    rate(agreed, cast.ib_a, {"Beter begrijpend lezen": (A, "Opgeslagen bewijs")})
    client.force_login(cast.ib_a)
    response = client.post(
        url(agreed, "evaluation-ratings"),
        ratings_post(agreed, {"Beter begrijpend lezen": (P, "Mijn bewijs")}, lock=seen),
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Mijn bewijs" in html and "Opgeslagen bewijs" in html
    assert response.context["ratings_form"].data["lock_version"] == str(
        evaluation(agreed).lock_version
    )
    assert evaluation(agreed).goals.get(title="Beter begrijpend lezen").rating == A


def test_the_director_adds_a_view_and_records_the_conversation_on_the_page(client, cast, agreed):
    start(agreed, cast.ib_a)
    client.force_login(cast.director_a)
    response = client.get(url(agreed))
    assert "view_form" in response.context and "conversation_form" not in response.context
    assert "ratings_form" not in response.context
    e = evaluation(agreed)
    response = client.post(
        url(agreed, "evaluation-view"),
        {"director_view": "Mooi jaar", "lock_version": e.lock_version},
    )
    assert response.status_code == 302
    rate(agreed, cast.ib_a, ALL_RATED, ready=True)
    response = client.get(url(agreed))
    assert "conversation_form" in response.context
    e = evaluation(agreed)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = {
        "held_on": tomorrow.isoformat(),
        "participants": "Dirkje, Ineke",
        "agreements": "Lezen blijft",
        "lock_version": e.lock_version,
    }
    response = client.post(url(agreed, "evaluation-conversation"), data)
    assert response.status_code == 200
    assert nl("The date of the conversation cannot be in the future.") in response.content.decode()
    assert "Lezen blijft" in response.content.decode()
    data["held_on"] = timezone.localdate().strftime("%d-%m-%Y")
    response = client.post(url(agreed, "evaluation-conversation"), data)
    assert response.status_code == 302
    assert evaluation(agreed).is_closed


@pytest.mark.parametrize("who", ["ib_a", "director_a", "staff_a", "admin_a"])
def test_a_closed_evaluation_reads_without_forms(client, cast, agreed, who):
    start(agreed, cast.ib_a)
    rate(agreed, cast.ib_a, ALL_RATED, ready=True)
    hold(agreed, cast.director_a, agreements="Leesdoel loopt door")
    client.force_login(cast.user(who))
    response = client.get(url(agreed))
    assert response.status_code == 200
    for form in ("start_form", "ratings_form", "view_form", "conversation_form"):
        assert form not in response.context
    html = response.content.decode()
    assert "Leesdoel loopt door" in html and "Groep 6 haalde 82%" in html
    # A late POST changes nothing.
    e = evaluation(agreed)
    client.force_login(cast.ib_a)
    response = client.post(
        url(agreed, "evaluation-ratings"),
        ratings_post(agreed, {"Beter begrijpend lezen": (N, "x")}),
    )
    assert response.status_code == 200
    assert evaluation(agreed).lock_version == e.lock_version


def test_board_staff_read_but_take_no_step(client, cast, agreed):
    start(agreed, cast.ib_a)
    client.force_login(cast.staff_a)
    response = client.get(url(agreed))
    assert response.status_code == 200
    for name in ("evaluation-start", "evaluation-ratings", "evaluation-view"):
        assert client.post(url(agreed, name), {}).status_code == 403


@pytest.mark.parametrize("sharing", [True, False])
def test_partnership_staff_never_see_an_evaluation(client, cast, agreed, sharing):
    cast.board_a.shares_with_partnership = sharing
    cast.board_a.save()
    start(agreed, cast.ib_a)
    client.force_login(cast.partnership_staff)
    assert client.get(url(agreed)).status_code == 404


def test_the_package_page_shows_the_status_and_the_link(client, cast, agreed):
    client.force_login(cast.director_a)
    response = client.get(url(agreed, "package-detail"))
    assert response.context["evaluation_status"].code == "open"
    assert url(agreed) in response.content.decode()
    start(agreed, cast.ib_a)
    rate(agreed, cast.ib_a, ALL_RATED, ready=True)
    hold(agreed, cast.director_a, agreements="Het leesdoel loopt door")
    response = client.get(url(agreed, "package-detail"))
    assert response.context["evaluation_status"].code == "closed"
    # Readable on the package page: each goal's rating and the agreements.
    html = response.content.decode()
    assert "Het leesdoel loopt door" in html and nl("Partly achieved") in html


def test_a_draft_package_page_has_no_evaluation(client, cast):
    package = add_package_a(cast)
    client.force_login(cast.director_a)
    response = client.get(url(package, "package-detail"))
    assert "evaluation_status" not in response.context


def test_the_history_shows_the_steps(client, cast, agreed):
    start(agreed, cast.ib_a)
    rate(agreed, cast.ib_a, ALL_RATED, ready=True)
    hold(agreed, cast.director_a)
    client.force_login(cast.director_a)
    html = unescape(client.get(url(agreed, "package-history")).content.decode())
    for kind in (Kind.EVALUATION_STARTED, Kind.EVALUATION_READY, Kind.EVALUATION_HELD):
        assert nl(kind.label) in html


def test_the_evaluation_page_shows_planned_against_realised_per_domain(client, cast, agreed):
    item = current_version(agreed).items.get()
    rs.realisation_save(
        package=agreed,
        moment=Moment.END,
        actor=cast.ib_a,
        lock_version=None,
        values={item.key: rs.LineValues(Decimal("55"), "Veel meer")},
    )
    client.force_login(cast.director_a)
    response = client.get(url(agreed))
    comparison = response.context["realisation"]
    assert comparison.latest == Moment.END
    assert comparison.total.latest == Decimal("55")
    assert nl("Planned against realised per domain") in response.content.decode()


@pytest.mark.parametrize("goals", [1, 12])
def test_evaluation_page_query_count(client, cast, django_assert_num_queries, goals):
    """The same number of queries for 1 or 12 goals, started and rated."""
    package = add_package_a(cast)
    for n in range(goals):
        add_goal(package, f"Doel {n}")
    agree(package, cast.director_a, cast.ib_a)
    year_end_open(cast.board_a)
    package = fresh(package)
    start(package, cast.ib_a)
    rate(package, cast.ib_a, {f"Doel {n}": (A, "Bewijs") for n in range(goals)}, ready=True)
    client.force_login(cast.director_a)
    with django_assert_num_queries(
        3  # the session, the user, the user's memberships
        + 1  # the package with its details and its evaluation (closed_by)
        + 1  # its versions
        + 1  # the evaluation's goals with their domain
        + 1  # the school's directors (the conversation form's "present")
        + 1  # the realisation lines
        + 1  # the tasks of the evaluated version
        + 1  # the LBBO domains
    ):
        response = client.get(url(package))
    assert len(response.context["goals"]) == goals


def test_not_found_outside_the_scope(client, cast, agreed, non_sharing_board):
    for who in (cast.staff_b, cast.director_b, cast.ib_b, non_sharing_board.staff):
        client.force_login(who)
        assert client.get(url(agreed)).status_code == 404


def test_another_ib_of_the_board_gets_404(client, cast, agreed):
    other = f.ib(cast.board_a, username="ib_other")
    f.AppointmentFactory(board=cast.board_a, ib=other, shares=[(cast.school_a2, Decimal("0.4"))])
    client.force_login(other)
    assert client.get(url(agreed)).status_code == 404
    assert client.post(url(agreed, "evaluation-start"), {}).status_code == 404
    assert not Evaluation.objects.exists()
    assert EvaluationGoal.objects.count() == 0


# ---------------------------------------------------------------------------------------------
# what needs doing now
# ---------------------------------------------------------------------------------------------


def todo(user, today: datetime.date, kind: str) -> list:
    return [item for item in items_for(user, today) if item.kind == kind]


@pytest.fixture
def default_moments(cast, agreed) -> Package:
    """The board's default moments: 1 February and 1 July."""
    cast.board_a.realisation_mid_year = "1-2"
    cast.board_a.realisation_year_end = "1-7"
    cast.board_a.save()
    return fresh(agreed)


def day(package: Package, month: int, dd: int, *, later: int = 0) -> datetime.date:
    start_year = package.school_year.start_year
    return datetime.date(start_year + (1 if month < 8 else 0) + later, month, dd)


def test_the_ib_is_asked_to_rate_the_goals_from_the_year_end_moment(cast, default_moments):
    package = default_moments
    assert todo(cast.ib_a, day(package, 6, 30), "evaluation-rate") == []
    (item,) = todo(cast.ib_a, day(package, 7, 2), "evaluation-rate")
    assert item.url == url(package) and item.since == day(package, 7, 1)
    assert item.due == package.school_year.end_date
    ev.evaluation_start(package=package, actor=cast.ib_a, today=day(package, 7, 2))
    assert todo(cast.ib_a, day(package, 7, 2), "evaluation-rate")
    rate(package, cast.ib_a, ALL_RATED, ready=True, today=day(package, 7, 2))
    assert todo(cast.ib_a, day(package, 7, 3), "evaluation-rate") == []
    # Nobody else's evaluation reaches the IB's list.
    assert todo(cast.ib_b, day(package, 7, 2), "evaluation-rate") == []


def test_the_ib_is_asked_to_record_the_realisation_of_a_moment_passed(cast, default_moments):
    package = default_moments
    assert todo(cast.ib_a, day(package, 1, 31), "realisation-due") == []
    (item,) = todo(cast.ib_a, day(package, 2, 2), "realisation-due")
    assert item.url == reverse("tasks:package-realisation", args=[package.pk, Moment.MID])
    item_key = current_version(package).items.get().key
    rs.realisation_save(
        package=package,
        moment=Moment.MID,
        actor=cast.ib_a,
        lock_version=None,
        values={item_key: rs.LineValues(Decimal("20"), "")},
        today=day(package, 2, 2),
    )
    assert todo(cast.ib_a, day(package, 2, 3), "realisation-due") == []
    # After the year-end moment, the year end (cumulative hours), until 31 October after.
    (item,) = todo(cast.ib_a, day(package, 7, 2), "realisation-due")
    assert item.url.endswith(f"/{Moment.END}/")
    assert todo(cast.ib_a, day(package, 10, 31, later=1), "realisation-due")
    assert todo(cast.ib_a, day(package, 11, 1, later=1), "realisation-due") == []


def test_a_half_filled_sheet_stays_on_the_list_with_what_is_left(cast, default_moments):
    package = default_moments
    version = current_version(package)
    f.PackageItemFactory(version=version, task=None, title="Tweede taak", hours=Decimal("10"))
    first = version.items.order_by("id").first()
    rs.realisation_save(
        package=package,
        moment=Moment.MID,
        actor=cast.ib_a,
        lock_version=None,
        values={first.key: rs.LineValues(Decimal("20"), "")},
        today=day(package, 2, 2),
    )
    (item,) = todo(cast.ib_a, day(package, 2, 3), "realisation-due")
    assert item.url == reverse("tasks:package-realisation", args=[package.pk, Moment.MID])
    assert item.note == nl("%(recorded)s of %(tasks)s tasks recorded") % {
        "recorded": 1,
        "tasks": 2,
    }


def test_the_director_holds_the_evaluation_once_ready_or_the_year_has_ended(cast, default_moments):
    package = default_moments
    ev.evaluation_start(package=package, actor=cast.ib_a, today=day(package, 7, 2))
    assert todo(cast.director_a, day(package, 7, 2), "evaluation-hold") == []
    (item,) = todo(cast.director_a, day(package, 8, 2, later=1), "evaluation-hold")
    assert item.note == nl("the IB has not rated the goals yet")
    rate(package, cast.ib_a, ALL_RATED, ready=True, today=day(package, 7, 3))
    (item,) = todo(cast.director_a, day(package, 7, 3), "evaluation-hold")
    assert item.url == url(package) and item.due == ev.open_until(package)
    assert todo(cast.director_b, day(package, 7, 3), "evaluation-hold") == []
    e = evaluation(package)
    ev.conversation_save(
        evaluation=e,
        actor=cast.director_a,
        lock_version=e.lock_version,
        held_on=day(package, 7, 3),
        participants="Dirkje, Ineke",
        agreements="Door",
        today=day(package, 7, 3),
    )
    assert todo(cast.director_a, day(package, 7, 4), "evaluation-hold") == []


def test_board_staff_see_last_years_packages_without_a_closed_evaluation(cast, default_moments):
    package = default_moments
    assert todo(cast.staff_a, day(package, 7, 2), "evaluation-missing") == []
    (item,) = todo(cast.staff_a, day(package, 8, 2, later=1), "evaluation-missing")
    assert item.url == url(package) and item.due == ev.open_until(package)
    assert item.subject.startswith("School A1 · ")
    assert todo(cast.staff_b, day(package, 8, 2, later=1), "evaluation-missing") == []
    assert todo(cast.staff_a, day(package, 11, 1, later=1), "evaluation-missing") == []
    ev.evaluation_start(package=package, actor=cast.ib_a, today=day(package, 7, 2))
    rate(package, cast.ib_a, ALL_RATED, ready=True, today=day(package, 7, 2))
    e = evaluation(package)
    ev.conversation_save(
        evaluation=e,
        actor=cast.director_a,
        lock_version=e.lock_version,
        held_on=day(package, 7, 2),
        participants="Dirkje, Ineke",
        agreements="Door",
        today=day(package, 7, 2),
    )
    assert todo(cast.staff_a, day(package, 8, 2, later=1), "evaluation-missing") == []


def test_the_to_do_lists_cost_the_same_for_one_and_for_many_evaluations(cast):
    """The providers' queries do not grow with the number of packages under evaluation."""
    cast.board_a.realisation_year_end = "1-7"
    cast.board_a.save()
    package = add_package_a(cast)
    add_goal(package, "Doel")
    agree(package, cast.director_a, cast.ib_a)
    today = datetime.date(package.school_year.start_year + 1, 8, 2)

    def counts() -> list[int]:
        result = []
        for user in (cast.ib_a, cast.director_a, cast.staff_a):
            user = type(user).objects.get(pk=user.pk)  # nothing cached on the user
            with CaptureQueriesContext(connection) as queries:
                items_for(user, today)
            result.append(len(queries))
        return result

    one = counts()
    for n in range(4):
        school = f.SchoolFactory(board=cast.board_a, name=f"School extra {n}")
        Membership.objects.create(user=cast.director_a, role=Role.DIRECTOR, school=school)
        cast.director_a.__dict__.pop("_ib_scope", None)
        share = f.AppointmentFactory(
            board=cast.board_a, ib=cast.ib_a, shares=[(school, Decimal("0.2"))]
        ).shares.get()
        other = package_create(share=share, school_year=package.school_year, actor=cast.director_a)
        item_add(
            package=other,
            actor=cast.director_a,
            hours=Decimal("10"),
            title="Taak",
            domain=Domain.objects.get(code="zorg"),
            **lv(other),
        )
        add_goal(other, "Doel")
        agree(other, cast.director_a, cast.ib_a)
    cast.director_a.__dict__.pop("_ib_scope", None)
    assert counts() == one
    assert len(todo(cast.staff_a, today, "evaluation-missing")) == 5
    assert len(todo(cast.director_a, today, "evaluation-hold")) == 5


# ---------------------------------------------------------------------------------------------
# the demo, seeded on 5 December 2026 and in the evaluation period
# ---------------------------------------------------------------------------------------------


def seed_on(monkeypatch, today: datetime.date) -> None:
    from django.core.management import call_command

    monkeypatch.setattr(timezone, "localdate", lambda *args: today)
    call_command("seed_demo", verbosity=0)


def test_the_demo_has_a_closed_past_year_for_every_role(client, db, monkeypatch):
    seed_on(monkeypatch, datetime.date(2026, 12, 5))
    closed = Evaluation.objects.filter(
        package__school_year__start_year=2025, closed_at__isnull=False
    )
    assert closed.count() == 6
    regenboog = closed.select_related("package").get(package__share__school__brin="11AA")
    assert regenboog.director_view and regenboog.participants and regenboog.agreements
    assert regenboog.held_on == datetime.date(2026, 7, 11)
    assert all(goal.rating and goal.evidence for goal in regenboog.goals.all())
    ratings = set(
        EvaluationGoal.objects.filter(evaluation__in=closed).values_list("rating", flat=True)
    )
    assert ratings == {A, P, N}
    # One rated but never held, one half rated: the year was not closed everywhere.
    assert Evaluation.objects.filter(closed_at__isnull=True).count() == 2
    # The current year's evaluation opens on 1 July 2027.
    assert not Evaluation.objects.filter(package__school_year__start_year=2026).exists()
    monkeypatch.undo()
    for username in ("ib.regenboog", "directeur.regenboog", "bestuur.a"):
        client.force_login(get_user_model().objects.get(username=username))
        response = client.get(url(regenboog.package))
        assert response.status_code == 200
        assert regenboog.goals.first().evidence in response.content.decode()
        assert response.context["evaluation"].is_closed
    # Seeding again adds nothing.
    count = EvaluationGoal.objects.count()
    seed_on(monkeypatch, datetime.date(2026, 12, 5))
    assert EvaluationGoal.objects.count() == count


def test_the_demo_seeded_in_the_evaluation_period_leaves_conversations_to_hold(db, monkeypatch):
    seed_on(monkeypatch, datetime.date(2026, 7, 5))
    last_year = Evaluation.objects.filter(package__school_year__start_year=2025)
    assert last_year.exists() and not last_year.filter(closed_at__isnull=False).exists()
    regenboog = last_year.get(package__share__school__brin="11AA")
    assert regenboog.ib_ready_at is not None
    # Its director has it on their list.
    director = get_user_model().objects.get(username="directeur.regenboog")
    assert todo(director, datetime.date(2026, 7, 5), "evaluation-hold")


def test_a_stale_view_of_the_director_keeps_the_input_beside_the_saved_one(client, cast, agreed):
    e = start(agreed, cast.ib_a)
    seen = e.lock_version
    rate(agreed, cast.ib_a, {"Beter begrijpend lezen": (A, "Bewijs")})
    client.force_login(cast.director_a)
    response = client.post(
        url(agreed, "evaluation-view"), {"director_view": "Mijn visie", "lock_version": seen}
    )
    assert response.status_code == 409
    assert "Mijn visie" in response.content.decode()
    assert response.context["stale"] is not None
    assert evaluation(agreed).director_view == ""
