"""The werkplan: a school's development points and the IB's goals beside the package's hours.

Services and rules (who may do what, in which state, through which lock), the signals, the
goals travelling with the versions (reopen copies, comparison, letter), the pages and their
pinned query counts. Access per role is in test_access.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from schools.development_points import development_point_decide, development_point_save
from schools.models import DevelopmentPoint, SchoolYear
from schools.todo import items_for
from tasks import werkplan
from tasks.models import Domain, Package, PackageEvent, PackageItem, PackageStatus, WerkplanGoal
from tasks.packages import (
    PackageConflict,
    current_version,
    item_add,
    item_remove,
    package_copy_previous,
    package_create,
    package_reopen,
    package_review,
    package_submit,
)

from . import factories as f
from .test_package_views import REQUEST, board_with_packages, lv, nl

H = Decimal
YEAR = SchoolYear.current_start_year()


def domain(code: str) -> Domain:
    return Domain.objects.get(code=code)


def point(school, title: str = "Leesonderwijs versterken", **fields) -> DevelopmentPoint:
    values = {"source": "schoolplan", "start_year": YEAR, "end_year": YEAR + 1, **fields}
    return DevelopmentPoint.objects.create(school=school, title=title, **values)


def own_item(package: Package, actor, title: str, hours: str) -> PackageItem:
    return item_add(
        package=package,
        actor=actor,
        lock_version=lv(package),
        hours=H(hours),
        title=title,
        domain=domain("data"),
    )


def add_goal(package: Package, actor, title: str = "Beter lezen", items=(), **fields):
    values = {
        "development_point": None,
        "source_text": "Inspectierapport 2025",
        "domain": domain("leren"),
        "success_criterion": "80% haalt het streefniveau",
        **fields,
    }
    package.refresh_from_db(fields=["lock_version"])
    return werkplan.goal_save(
        package=package,
        actor=actor,
        lock_version=package.lock_version,
        title=title,
        items=list(items),
        **values,
    )


@pytest.fixture
def package(package_a) -> Package:
    return package_a


def the_item(package: Package) -> PackageItem:
    return current_version(package).items.get()


# ---------------------------------------------------------------------------------------------
# development points
# ---------------------------------------------------------------------------------------------


def test_director_adds_an_accepted_point_and_ib_proposes_one(cast):
    mine = DevelopmentPoint(
        school=cast.school_a1, title="Rekenen", source="jaarplan", start_year=YEAR, end_year=YEAR
    )
    development_point_save(point=mine, actor=cast.director_a, lock_version=None)
    assert mine.status == DevelopmentPoint.Status.ACCEPTED
    proposal = DevelopmentPoint(
        school=cast.school_a1, title="Taal", source="evaluatie", start_year=YEAR, end_year=YEAR
    )
    development_point_save(point=proposal, actor=cast.ib_a, lock_version=None)
    assert proposal.status == DevelopmentPoint.Status.PROPOSED
    assert proposal.proposed_by == cast.ib_a


def test_outsiders_cannot_add_points(cast):
    for outsider in (cast.ib_b, cast.director_b, cast.partnership_staff):
        new = DevelopmentPoint(
            school=cast.school_a1, title="X", source="bestuur", start_year=YEAR, end_year=YEAR
        )
        with pytest.raises(PermissionDenied):
            development_point_save(point=new, actor=outsider, lock_version=None)


def test_director_accepts_or_declines_a_proposal_once(cast):
    proposal = point(cast.school_a1, status="voorgesteld", proposed_by=cast.ib_a)
    with pytest.raises(PermissionDenied):
        development_point_decide(
            point=proposal, actor=cast.ib_a, lock_version=proposal.lock_version, accept=True
        )
    development_point_decide(
        point=proposal,
        actor=cast.director_a,
        lock_version=proposal.lock_version,
        accept=False,
        note="Staat al in het jaarplan",
    )
    proposal.refresh_from_db()
    assert proposal.status == DevelopmentPoint.Status.DECLINED
    assert proposal.decision_note == "Staat al in het jaarplan"
    with pytest.raises(ValidationError):
        development_point_decide(
            point=proposal, actor=cast.director_a, lock_version=proposal.lock_version, accept=True
        )


def proposals_to_decide(user) -> list:
    return [item for item in items_for(user) if item.kind == "development-point-proposed"]


def test_director_has_a_proposal_to_decide_until_deciding_it(client, cast):
    """Issue 14 #2: an IB's proposal waits on the director's start page and in the digest."""
    proposal = point(cast.school_a1, "Taal", status="voorgesteld", proposed_by=cast.ib_a)
    point(cast.school_a1, "Al vastgesteld")  # accepted: nothing to decide
    point(cast.school_a1, "Verlopen", status="voorgesteld", start_year=YEAR - 2, end_year=YEAR - 1)
    (item,) = proposals_to_decide(cast.director_a)
    page = reverse("schools:development-points", args=[cast.school_a1.pk])
    assert item.url == f"{page}#point-{proposal.pk}" and item.more_url == page
    assert item.subject == "School A1 · Taal"
    assert cast.ib_a.last_name in item.note
    client.force_login(cast.director_a)
    response = client.get(reverse("schools:school-list"))
    assert "Beslis over een voorgesteld ontwikkelpunt" in response.text
    assert f'id="point-{proposal.pk}"' in client.get(page).text  # the link's anchor exists
    for outsider in (cast.director_b, cast.ib_a, cast.staff_a, f.director(cast.school_a2)):
        assert proposals_to_decide(outsider) == []
    development_point_decide(
        point=proposal, actor=cast.director_a, lock_version=proposal.lock_version, accept=True
    )
    assert proposals_to_decide(cast.director_a) == []


def test_ib_changes_own_proposal_only_until_it_is_decided(client, cast):
    proposal = point(cast.school_a1, status="voorgesteld", proposed_by=cast.ib_a)
    client.force_login(cast.ib_a)
    url = reverse("schools:development-point-edit", args=[proposal.pk])
    assert client.get(url).status_code == 200
    development_point_decide(
        point=proposal, actor=cast.director_a, lock_version=proposal.lock_version, accept=True
    )
    assert client.get(url).status_code == 403


def test_period_must_be_in_order(cast):
    wrong = DevelopmentPoint(
        school=cast.school_a1, title="X", source="bestuur", start_year=YEAR, end_year=YEAR - 1
    )
    with pytest.raises(ValidationError):
        development_point_save(point=wrong, actor=cast.director_a, lock_version=None)


def test_stale_point_edit_is_refused_with_both_values(client, cast):
    mine = point(cast.school_a1)
    url = reverse("schools:development-point-edit", args=[mine.pk])
    data = {
        "title": "Mijn titel",
        "source": "schoolplan",
        "start_year": str(YEAR),
        "end_year": str(YEAR + 1),
        "description": "",
        "lock_version": str(mine.lock_version),
    }
    mine.title = "Intussen door het bestuur"
    mine.save()
    client.force_login(cast.director_a)
    response = client.post(url, data)
    assert response.status_code == 409
    assert DevelopmentPoint.objects.get(pk=mine.pk).title == "Intussen door het bestuur"
    assert "Intussen door het bestuur" in response.text and "Mijn titel" in response.text


def test_points_page_reachable_from_school_and_package(client, cast, package):
    point(cast.school_a1)
    client.force_login(cast.director_a)
    points_url = reverse("schools:development-points", args=[cast.school_a1.pk])
    assert points_url in client.get(reverse("schools:school-detail", args=[cast.school_a1.pk])).text
    assert points_url in client.get(reverse("tasks:package-detail", args=[package.pk])).text
    assert "Leesonderwijs versterken" in client.get(points_url).text


def test_partnership_staff_get_no_points_link_on_the_school_page(client, cast):
    client.force_login(cast.partnership_staff)
    response = client.get(reverse("schools:school-detail", args=[cast.school_a1.pk]))
    assert reverse("schools:development-points", args=[cast.school_a1.pk]) not in response.text


# ---------------------------------------------------------------------------------------------
# goals: who, when, through the lock
# ---------------------------------------------------------------------------------------------


def test_director_and_ib_draw_up_the_werkplan_of_a_draft(cast, package):
    goal = add_goal(
        package, cast.director_a, development_point=point(cast.school_a1), source_text="x",
        items=[the_item(package)],
    )  # fmt: skip
    assert goal.source_text == ""  # a development point, so no free source
    add_goal(package, cast.ib_a, title="Trendanalyse delen", domain=domain("data"))
    assert [g.title for g in current_version(package).goals.all()] == [
        "Beter lezen",
        "Trendanalyse delen",
    ]
    kinds = list(package.events.values_list("kind", flat=True)[:2])
    assert kinds == [PackageEvent.Kind.GOAL_ADDED, PackageEvent.Kind.GOAL_ADDED]


def test_others_cannot_change_goals(cast, package):
    for outsider in (cast.staff_a, cast.director_b, cast.ib_b):
        with pytest.raises(PermissionDenied):
            add_goal(package, outsider)


def test_goals_are_frozen_while_submitted_and_agreed(cast, package):
    package_submit(package=package, actor=cast.director_a, lock_version=lv(package))
    for person in (cast.director_a, cast.ib_a):
        with pytest.raises(ValidationError):
            add_goal(package, person)
    package_review(package=package, actor=cast.ib_a, lock_version=lv(package), accept=True)
    with pytest.raises(ValidationError):
        add_goal(package, cast.ib_a)


def test_director_goal_change_puts_a_returned_package_in_draft_the_ibs_does_not(cast, package):
    package_submit(package=package, actor=cast.director_a, lock_version=lv(package))
    package_review(
        package=package, actor=cast.ib_a, lock_version=lv(package), accept=False, comment="Doel?"
    )
    add_goal(package, cast.ib_a, title="Mijn voorstel")
    assert current_version(package).status == PackageStatus.RETURNED
    add_goal(package, cast.director_a, title="Overgenomen")
    assert current_version(package).status == PackageStatus.CONCEPT


def test_a_stale_goal_save_is_refused(cast, package):
    stale = lv(package)
    own_item(package, cast.director_a, "Iets anders", "4")
    with pytest.raises(PackageConflict):
        werkplan.goal_save(
            package=package,
            actor=cast.ib_a,
            lock_version=stale,
            title="Te laat",
            development_point=None,
            source_text="SOP",
            domain=domain("zorg"),
            success_criterion="x",
            items=[],
        )
    assert not WerkplanGoal.objects.exists()


def test_goal_needs_a_point_of_this_school_or_a_source(cast, package):
    with pytest.raises(ValidationError):
        add_goal(package, cast.director_a, source_text="  ")
    other_school = point(cast.school_a2)
    with pytest.raises(ValidationError):
        add_goal(package, cast.director_a, development_point=other_school)
    declined = point(cast.school_a1, title="Afgewezen", status="afgewezen")
    with pytest.raises(ValidationError):
        add_goal(package, cast.director_a, development_point=declined)


def test_goal_form_shows_only_usable_points_of_the_year(client, cast, package):
    point(cast.school_a1, title="Dit jaar")
    point(cast.school_a1, title="Lang geleden", start_year=YEAR - 4, end_year=YEAR - 3)
    point(cast.school_a1, title="Afgewezen punt", status="afgewezen")
    point(cast.school_a2, title="Andere school")
    client.force_login(cast.ib_a)
    text = client.get(reverse("tasks:goal-create", args=[package.pk])).text
    assert "Dit jaar" in text
    assert not {"Lang geleden", "Afgewezen punt", "Andere school"} & {
        title for title in ("Lang geleden", "Afgewezen punt", "Andere school") if title in text
    }


def test_goal_page_saves_through_the_form_and_refuses_a_stale_one(client, cast, package):
    item = the_item(package)
    data = {
        "lock_version": str(lv(package)),
        "title": "Beter lezen",
        "development_point": point(cast.school_a1).pk,
        "source_text": "",
        "domain": domain("leren").pk,
        "success_criterion": "80% haalt het streefniveau",
        "items": [item.pk],
    }
    client.force_login(cast.director_a)
    response = client.post(reverse("tasks:goal-create", args=[package.pk]), data)
    assert response.status_code == 302
    goal = WerkplanGoal.objects.get()
    assert list(goal.items.all()) == [item]
    # The IB's page was loaded before the director saved: refused, input kept.
    client.force_login(cast.ib_a)
    url = reverse("tasks:goal-edit", args=[goal.pk])
    stale = {**data, "lock_version": "0", "title": "Beter lezen", "success_criterion": "Anders"}
    response = client.post(url, stale)
    assert response.status_code == 409
    assert WerkplanGoal.objects.get().success_criterion == "80% haalt het streefniveau"
    assert "Anders" in response.text


def test_removing_a_task_or_a_goal(cast, package):
    item = the_item(package)
    goal = add_goal(package, cast.director_a, items=[item])
    item_remove(item=item, actor=cast.director_a, lock_version=lv(package))
    assert list(goal.items.all()) == []
    werkplan.goal_remove(package=package, goal=goal, actor=cast.ib_a, lock_version=lv(package))
    assert not WerkplanGoal.objects.exists()
    assert package.events.first().kind == PackageEvent.Kind.GOAL_REMOVED


# ---------------------------------------------------------------------------------------------
# signals
# ---------------------------------------------------------------------------------------------


def werkplan_of(package: Package) -> werkplan.Werkplan:
    version = current_version(package)
    return werkplan.werkplan_of(version, list(version.items.all()), list(Domain.objects.all()))


def test_signal_goal_without_hours(cast, package):
    add_goal(package, cast.director_a, title="Met uren", items=[the_item(package)])
    add_goal(package, cast.director_a, title="Zonder uren")
    plan = werkplan_of(package)
    assert [goal.title for goal in plan.goals_without_hours] == ["Zonder uren"]
    assert [goal.hours for goal in plan.goals] == [H("40"), H("0")]


def test_signal_many_hours_serving_no_goal(cast, package):
    # task_a 40 h serves the goal; 20 h of 60 (a third) serve none: no signal yet.
    add_goal(package, cast.director_a, items=[the_item(package)])
    own_item(package, cast.director_a, "Losse taak", "20")
    assert not werkplan_of(package).too_much_unlinked
    own_item(package, cast.director_a, "Nog een", "1")  # 21 of 61: more than a third
    plan = werkplan_of(package)
    assert plan.too_much_unlinked
    assert (plan.unlinked_hours, plan.unlinked_percentage) == (H("21"), 34)


def test_no_unlinked_signal_without_goals(cast, package):
    assert not werkplan_of(package).too_much_unlinked


def test_signals_on_the_package_page(client, cast, package):
    add_goal(package, cast.director_a, title="Zonder uren")
    client.force_login(cast.ib_a)
    text = client.get(reverse("tasks:package-detail", args=[package.pk])).text
    assert 'id="signal-goal-without-hours"' in text
    assert 'id="signal-unlinked-hours"' in text  # task_a's 40 h serve no goal


# ---------------------------------------------------------------------------------------------
# versions: reopen copies, comparison, letter; last year's copy brings none
# ---------------------------------------------------------------------------------------------


def agree(cast, package) -> None:
    package_submit(package=package, actor=cast.director_a, lock_version=lv(package))
    package_review(package=package, actor=cast.ib_a, lock_version=lv(package), accept=True)


def test_reopening_copies_goals_tied_to_the_new_tasks(cast, package):
    add_goal(package, cast.director_a, items=[the_item(package)])
    agree(cast, package)
    new = package_reopen(package=package, actor=cast.director_a, lock_version=lv(package))
    [old_goal, new_goal] = WerkplanGoal.objects.order_by("version__number")
    assert new_goal.version == new
    assert [item.version_id for item in new_goal.items.all()] == [new.pk]
    assert old_goal.items.get().version.number == 1  # the agreed version keeps its own


def test_comparison_shows_goal_changes(client, cast, package):
    add_goal(package, cast.director_a, title="Blijft", items=[the_item(package)])
    add_goal(package, cast.director_a, title="Verdwijnt")
    agree(cast, package)
    package_reopen(package=package, actor=cast.director_a, lock_version=lv(package))
    version = current_version(package)
    goals = {goal.title: goal for goal in version.goals.all()}
    werkplan.goal_remove(
        package=package, goal=goals["Verdwijnt"], actor=cast.ib_a, lock_version=lv(package)
    )
    werkplan.goal_save(
        package=package,
        actor=cast.ib_a,
        lock_version=lv(package),
        goal=goals["Blijft"],
        title="Blijft",
        development_point=None,
        source_text="Inspectierapport 2025",
        domain=domain("leren"),
        success_criterion="90% haalt het streefniveau",
        items=[],
    )
    add_goal(package, cast.ib_a, title="Nieuw doel")
    client.force_login(cast.director_a)
    url = reverse("tasks:package-detail", args=[package.pk]) + "?versie=2&vergelijk=1"
    diff = client.get(url).context["goal_diff"]
    assert [goal.title for goal in diff.added] == ["Nieuw doel"]
    assert [goal.title for goal in diff.removed] == ["Verdwijnt"]
    [change] = diff.changed
    assert change.what == [nl("success criterion"), nl("tasks")]


def test_letter_prints_the_werkplan(client, cast, package):
    add_goal(
        package, cast.director_a, development_point=point(cast.school_a1),
        items=[the_item(package)],
    )  # fmt: skip
    client.force_login(cast.ib_a)
    text = client.get(reverse("tasks:package-letter", args=[package.pk])).text
    assert "letter-werkplan" in text
    assert "Beter lezen" in text and "Leesonderwijs versterken" in text
    assert "80% haalt het streefniveau" in text


def test_review_page_shows_the_werkplan(client, cast, package):
    add_goal(package, cast.director_a, items=[the_item(package)])
    package_submit(package=package, actor=cast.director_a, lock_version=lv(package))
    client.force_login(cast.ib_a)
    response = client.get(reverse("tasks:package-detail", args=[package.pk]))
    assert response.context["reviewing"]
    assert "Beter lezen" in response.text
    assert not response.context["can_change_goals"]  # under review: comments, not changes
    assert 'id="werkplan-review-hint"' in response.text


def test_copying_last_years_package_brings_no_goals(cast, package):
    """Which goals carry over is decided at the year-end evaluation (later): none for now."""
    last_year = package_create(
        share=package.share,
        school_year=f.SchoolYearFactory(start_year=YEAR - 1),
        actor=cast.director_a,
    )
    item = own_item(last_year, cast.director_a, "Leesproject", "12")
    add_goal(last_year, cast.director_a, items=[item])
    package_copy_previous(package=package, actor=cast.director_a, lock_version=lv(package))
    assert current_version(package).items.count() == 2
    assert not current_version(package).goals.exists()


def test_history_names_goal_changes(client, cast, package):
    add_goal(package, cast.ib_a, items=[the_item(package)])
    client.force_login(cast.director_a)
    text = client.get(reverse("tasks:package-history", args=[package.pk])).text
    assert nl("Werkplan goal added") in text


# ---------------------------------------------------------------------------------------------
# query counts
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 12])
def test_goal_form_query_count(client, db, django_assert_num_queries, size):
    board, staff, director = board_with_packages(1)
    package = Package.objects.get(share__school__board=board)
    for n in range(size):
        point(package.school, title=f"Punt {n}")
        own_item(package, director, f"Taak {n}", "1")
    client.force_login(director)
    with django_assert_num_queries(
        REQUEST
        + 1  # the package with share, school, board, appointment, IB and school year
        + 1  # its current version
        + 1  # the school's development points of the year
        + 1  # the LBBO domains
        + 1  # the version's tasks
        + 1  # the version's tasks with their hours: what the goal binds (nextyear)
        + 1  # the werkplan's goals and their tasks: what the goals bind now
        + 1  # the IB's own hours on the appointment, part of the budget
    ):
        response = client.get(reverse("tasks:goal-create", args=[package.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 12])
def test_points_page_query_count(client, db, django_assert_num_queries, size):
    board, staff, director = board_with_packages(1)
    school = Package.objects.get(share__school__board=board).school
    for n in range(size):
        point(school, title=f"Punt {n}", status="voorgesteld")
    client.force_login(director)
    with django_assert_num_queries(
        REQUEST
        + 1  # the school in scope, with its board
        + 1  # its development points, with who proposed them
    ):
        response = client.get(reverse("schools:development-points", args=[school.pk]))
    assert len(response.context["points"]) == size


@pytest.mark.parametrize("size", [1, 12])
def test_package_page_costs_one_query_more_for_any_number_of_goals(
    client, db, django_assert_num_queries, size
):
    """The werkplan on the package page: one query for its goals, their points and tasks."""
    board, staff, director = board_with_packages(1)
    package = Package.objects.get(share__school__board=board)
    items = list(current_version(package).items.all())
    for n in range(size):
        add_goal(package, director, title=f"Doel {n}", items=items[: n % 3])
    client.force_login(director)
    with django_assert_num_queries(
        REQUEST
        + 1  # the package with share, school, board, appointment, IB and school year
        + 1  # its versions
        + 1  # the items of the version shown
        + 1  # the LBBO domains
        + 1  # the werkplan: goals with their development point, a row per goal and task
        + 1  # the cells its catalogue tasks ask (no framework here: nothing more)
        + 1  # a draft: last year's package of the IB at the school (none here; nextyear)
        + 1  # the IB's own hours on the appointment, part of the budget
    ):
        response = client.get(reverse("tasks:package-detail", args=[package.pk]))
    assert len(response.context["werkplan"].goals) == size


def test_general_school_duties_are_no_goal_domain_and_serve_no_goal(client, cast, package):
    """Work outside the LBBO domains counts in the budget, not in the werkplan's signal."""
    add_goal(package, cast.director_a, items=[the_item(package)])
    item_add(
        package=package,
        actor=cast.director_a,
        lock_version=lv(package),
        hours=H("100"),
        title="Teamvergaderingen",
        domain=domain("algemeen"),
    )
    plan = werkplan_of(package)
    assert plan.counted_hours == H("40") and not plan.too_much_unlinked
    client.force_login(cast.director_a)
    form = client.get(reverse("tasks:goal-create", args=[package.pk])).context["form"]
    assert domain("algemeen").pk not in [pk for pk, _label in form.fields["domain"].choices]


def test_a_werkplan_has_each_goal_title_once(cast, package):
    first = add_goal(package, cast.director_a, "Beter lezen")
    with pytest.raises(ValidationError) as refused:
        add_goal(package, cast.director_a, "  beter   LEZEN ")
    assert "title" in refused.value.error_dict
    other = add_goal(package, cast.director_a, "Rekenen")
    with pytest.raises(ValidationError):
        add_goal(package, cast.director_a, "Beter lezen", goal=other)
    # Saving a goal under its own title is no clash.
    add_goal(package, cast.director_a, "Beter lezen", goal=first)
    assert package.versions.get().goals.count() == 2
