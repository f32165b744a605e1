"""Next year's package starts from the evaluation (issue #14): tasks far off last year's plan
marked with both figures, unachieved goals carried over, goals' hours against the budget."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from schools.models import DevelopmentPoint, SchoolYear
from tasks import nextyear
from tasks import realisation as rs
from tasks.models import (
    CatalogueTask,
    Domain,
    Evaluation,
    Moment,
    Package,
    PackageEvent,
    Realisation,
    RealisationLine,
    WerkplanGoal,
)
from tasks.packages import current_version, package_submit

from . import factories as f
from .conftest import add_package_a

H = Decimal
YEAR = SchoolYear.current_start_year()
END, MID = Moment.END, Moment.MID


def lv(package: Package) -> int:
    return Package.objects.values_list("lock_version", flat=True).get(pk=package.pk)


def detail(package: Package) -> str:
    return reverse("tasks:package-detail", args=[package.pk])


def carry_url(package: Package) -> str:
    return reverse("tasks:goal-carry-over", args=[package.pk])


@pytest.fixture
def last_year(cast) -> Package:
    """ib_a's agreed package at A1 last year: task_a 40 h (also in this year's package_a)."""
    previous = f.PackageFactory(
        share=cast.appointment_a.shares.get(),
        school_year=f.SchoolYearFactory(start_year=YEAR - 1),
        status="akkoord",
    )
    f.PackageItemFactory(version=previous.versions.get(), task=cast.task_a, hours=H("40"))
    return previous


@pytest.fixture
def package(cast) -> Package:
    """This year's draft of ib_a at A1, with task_a (40 h)."""
    return add_package_a(cast)


def realise(previous: Package, moment: str, hours: dict[str, str]) -> None:
    """Record last year's realised hours by task key, straight into the rows."""
    realisation, _created = Realisation.objects.get_or_create(
        package=previous, moment=moment, defaults={"recorded_by": previous.ib}
    )
    for key, value in hours.items():
        RealisationLine.objects.create(
            realisation=realisation,
            key=key,
            title=key,
            domain=Domain.objects.get(code="zorg"),
            hours=H(value),
        )


def task_key(cast) -> str:
    return f"task:{cast.task_a.pk}"


def add_task(previous: Package, package: Package, board, title: str, hours: str) -> str:
    """A catalogue task in both years' packages with the same hours; returns its key."""
    task = CatalogueTask.objects.create(
        board=board, title=title, domain=Domain.objects.get(code="data"), default_hours=H("1")
    )
    f.PackageItemFactory(version=previous.versions.get(), task=task, hours=H(hours))
    f.PackageItemFactory(version=current_version(package), task=task, hours=H(hours))
    return f"task:{task.pk}"


# ---------------------------------------------------------------------------------------------
# marks: last year's plan against last year's realisation
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("planned", "realised", "marked"),
    [
        ("40", "62", True),  # 22 h over: more than 25% and more than 5 h
        ("40", "51", True),  # 11 h: just over 25% (10 h)
        ("40", "50", False),  # 10 h: 25% exactly is not more
        ("40", "20", True),  # under the plan counts too
        ("10", "16", True),  # 6 h: more than 5 h and more than 2,5 h
        ("10", "15", False),  # 5 h: not more than 5 h, however large the share
        ("100", "120", False),  # 20 h but only 20%
        ("100", "126", True),
    ],
)
def test_marks_follow_the_realisation_rule(cast, last_year, planned, realised, marked):
    item = last_year.versions.get().items.get()
    item.hours = H(planned)
    item.save()
    realise(last_year, END, {item.key: realised})
    marks = nextyear.marks_of(last_year)
    assert (item.key in marks) is marked
    if marked:
        assert marks[item.key] == nextyear.Mark(H(planned), H(realised), END)


def test_year_end_realisation_counts_before_mid_year(cast, last_year):
    key = task_key(cast)
    realise(last_year, MID, {key: "40"})  # far over the half due then
    realise(last_year, END, {key: "42"})  # near the plan at the year end
    assert nextyear.marks_of(last_year) == {}


def test_without_year_end_the_mid_year_counts_against_the_part_due(cast, last_year):
    key = task_key(cast)
    share = rs.expected_share(last_year, MID)
    due = (H("40") * share).quantize(H("0.1"))
    realise(last_year, MID, {key: str(due + 11)})
    mark = nextyear.marks_of(last_year)[key]
    assert (mark.planned, mark.realised, mark.moment) == (due, due + 11, MID)
    with translation.override("nl"):
        assert "tot het halfjaarmoment" in mark.text


def test_a_task_without_realisation_is_not_marked(cast, last_year, package):
    other = add_task(last_year, package, cast.board_a, "Trendanalyse", "30")
    realise(last_year, END, {other: "60"})
    marks = nextyear.marks_of(last_year)
    assert list(marks) == [other]
    assert task_key(cast) not in marks


def test_draft_shows_marked_tasks_with_both_figures(client, cast, last_year, package):
    realise(last_year, END, {task_key(cast): "62"})
    client.force_login(cast.director_a)
    response = client.get(detail(package))
    body = response.content.decode()
    assert [item.title for item in response.context["marked_items"]] == [cast.task_a.title]
    assert 'id="last-year-marks"' in body
    assert "vorig jaar gepland 40 u, gerealiseerd 62 u" in body
    # The hours input names the mark for screen readers.
    item = current_version(package).items.get()
    assert f'aria-describedby="item{item.pk}-last-year"' in body


def test_ib_reads_the_marks_on_the_draft_too(client, cast, last_year, package):
    realise(last_year, END, {task_key(cast): "62"})
    client.force_login(cast.ib_a)
    assert "vorig jaar gepland 40 u" in client.get(detail(package)).content.decode()


def test_no_marks_once_submitted(client, cast, last_year, package):
    realise(last_year, END, {task_key(cast): "62"})
    package_submit(package=package, actor=cast.director_a, lock_version=lv(package))
    client.force_login(cast.director_a)
    response = client.get(detail(package))
    assert "marked_items" not in response.context
    assert "last-year-mark" not in response.content.decode()


def test_copying_says_how_many_tasks_are_marked(client, cast, last_year, package):
    other = add_task(last_year, package, cast.board_a, "Trendanalyse", "30")
    current_version(package).items.filter(title="Trendanalyse").delete()  # to be copied
    realise(last_year, END, {task_key(cast): "62", other: "10"})
    client.force_login(cast.director_a)
    response = client.post(
        reverse("tasks:package-copy", args=[package.pk]),
        {"lock_version": lv(package)},
        follow=True,
    )
    text = " ".join(str(message) for message in response.context["messages"])
    assert "2 taken weken vorig jaar veel af van het plan" in text
    assert len(response.context["marked_items"]) == 2


def test_marks_cost_the_same_queries_for_any_number_of_tasks(client, cast, last_year, package):
    def page_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(detail(package))
        assert response.status_code == 200
        return len(queries)

    client.force_login(cast.director_a)
    realise(last_year, END, {task_key(cast): "62"})
    one = page_queries()
    keys = {add_task(last_year, package, cast.board_a, f"Taak {n}", "20"): "40" for n in range(8)}
    realise(last_year, END, keys)
    assert len(client.get(detail(package)).context["marked_items"]) == 9
    assert page_queries() == one


# ---------------------------------------------------------------------------------------------
# goals of last year's evaluation carried over
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def evaluation(cast, last_year):
    """Last year's closed evaluation: one goal achieved, one partly, one not, one not rated."""
    evaluation = f.EvaluationFactory(package=last_year, closed=True)
    for title, rating in [
        ("Lezen op niveau", "behaald"),
        ("Rekenen op niveau", "deels"),
        ("Gedrag in de klas", "niet"),
        ("Ouders betrekken", ""),
    ]:
        f.EvaluationGoalFactory(
            evaluation=evaluation, title=title, rating=rating, evidence=f"Bewijs {title}"
        )
    return evaluation


def carry(package: Package, actor, *keys: str) -> list[WerkplanGoal]:
    return nextyear.goals_carry_over(
        package=package, actor=actor, lock_version=lv(package), keys=list(keys)
    )


def offered(response) -> list[str]:
    found = response.context.get("carry_over")
    return [offer.goal.title for offer in found.offers] if found else []


def test_goals_not_achieved_are_offered_with_rating_and_evidence(client, cast, evaluation, package):
    client.force_login(cast.director_a)
    response = client.get(detail(package))
    assert offered(response) == ["Rekenen op niveau", "Gedrag in de klas"]
    body = response.content.decode()
    assert "Doelen uit de evaluatie van vorig jaar" in body
    assert "Bewijs Gedrag in de klas" in body
    assert "Deels behaald" in body and "Niet behaald" in body
    assert 'id="carry-over-open"' not in body  # the evaluation is closed


def test_an_evaluation_not_closed_yet_offers_its_rated_goals_and_says_so(
    client, cast, last_year, package
):
    f.EvaluationGoalFactory(evaluation=f.EvaluationFactory(package=last_year), rating="niet")
    client.force_login(cast.ib_a)
    response = client.get(detail(package))
    assert len(offered(response)) == 1
    assert 'id="carry-over-open"' in response.content.decode()


def test_carrying_over_copies_the_goal_with_its_source_and_records_it(cast, evaluation, package):
    def point(title: str, last_year: int) -> DevelopmentPoint:
        return DevelopmentPoint.objects.create(
            school=cast.school_a1,
            title=title,
            source="schoolplan",
            start_year=YEAR - 1,
            end_year=last_year,
        )

    point, lapsed = point("Rekenbeleid", YEAR), point("Gedragsprotocol", YEAR - 1)
    # The evaluation copied each goal's source from last year's werkplan.
    for title, source in [("Rekenen op niveau", point), ("Gedrag in de klas", lapsed)]:
        evaluation.goals.filter(title=title).update(development_point=source)
    with translation.override("nl"):
        goals = nextyear.goals_carry_over(
            package=package,
            actor=cast.ib_a,
            lock_version=lv(package),
            keys=["rekenen op niveau", "gedrag in de klas"],
        )
    sums, behaviour = goals
    assert (sums.title, sums.development_point, sums.source_text) == (
        "Rekenen op niveau",
        point,
        "",
    )
    assert sums.success_criterion == "De leerkrachten werken met het nieuwe groepsoverzicht"
    assert sums.version == current_version(package) and not sums.items.exists()
    # Last year's point runs no more: its title is the source in words.
    assert (behaviour.development_point, behaviour.source_text) == (None, "Gedragsprotocol")
    events = PackageEvent.objects.filter(package=package, kind="goal_added")
    assert sorted(event.detail for event in events) == [
        f"Gedrag in de klas: overgenomen uit de evaluatie {YEAR - 1}-{YEAR}",
        f"Rekenen op niveau: overgenomen uit de evaluatie {YEAR - 1}-{YEAR}",
    ]


def test_a_goal_without_last_years_werkplan_row_names_the_evaluation_as_source(
    cast, evaluation, package
):
    with translation.override("nl"):
        (goal,) = carry(package, cast.director_a, "gedrag in de klas")
    assert goal.source_text == f"evaluatie {YEAR - 1}-{YEAR}"


def test_a_carried_goal_is_not_offered_twice(client, cast, evaluation, package):
    client.force_login(cast.director_a)
    response = client.post(
        carry_url(package), {"lock_version": lv(package), "goals": ["gedrag in de klas"]}
    )
    assert response.status_code == 302
    assert offered(client.get(detail(package))) == ["Rekenen op niveau"]
    # A second post of the same choice (another tab) carries nothing over.
    response = client.post(
        carry_url(package), {"lock_version": lv(package), "goals": ["gedrag in de klas"]}
    )
    assert response.status_code == 200
    assert "wordt niet meer aangeboden" in response.content.decode()
    assert WerkplanGoal.objects.filter(version__package=package).count() == 1


def test_choosing_nothing_is_refused_in_dutch(client, cast, evaluation, package):
    client.force_login(cast.director_a)
    response = client.post(carry_url(package), {"lock_version": lv(package)})
    assert response.status_code == 200
    assert "Kies ten minste één doel om over te nemen." in response.content.decode()
    assert not WerkplanGoal.objects.filter(version__package=package).exists()


def test_a_stale_page_is_refused_and_keeps_the_ticks(client, cast, evaluation, package):
    stale = lv(package)
    f.PackageItemFactory(version=current_version(package), title="Nieuw", task=None)
    Package.objects.filter(pk=package.pk).update(lock_version=stale + 1)  # someone else saved
    client.force_login(cast.director_a)
    response = client.post(
        carry_url(package), {"lock_version": stale, "goals": ["rekenen op niveau"]}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Iemand anders heeft dit takenpakket intussen gewijzigd" in body
    assert 'value="rekenen op niveau" id="carry-1" aria-describedby="carry-1-info" checked' in body
    assert f'name="lock_version" value="{stale + 1}"' in body
    assert not WerkplanGoal.objects.filter(version__package=package).exists()


def test_board_staff_may_not_carry_over(cast, evaluation, package):
    with pytest.raises(PermissionDenied):
        carry(package, cast.staff_a, "gedrag in de klas")


def test_another_ib_of_the_board_does_not_find_the_package(client, cast, evaluation, package):
    colleague = f.ib(cast.board_a, username="ib_collega")
    f.AppointmentFactory(board=cast.board_a, ib=colleague, shares=[(cast.school_a2, H("0.5"))])
    client.force_login(colleague)
    post = {"lock_version": lv(package), "goals": ["gedrag in de klas"]}
    assert client.post(carry_url(package), post).status_code == 404


def test_nothing_is_offered_or_carried_once_submitted(client, cast, evaluation, package):
    package_submit(package=package, actor=cast.director_a, lock_version=lv(package))
    client.force_login(cast.director_a)
    assert offered(client.get(detail(package))) == []
    response = client.post(
        carry_url(package), {"lock_version": lv(package), "goals": ["gedrag in de klas"]}
    )
    assert response.status_code == 302
    assert not WerkplanGoal.objects.filter(version__package=package).exists()
    with pytest.raises(ValidationError):
        carry(package, cast.ib_a, "gedrag in de klas")


def test_no_offer_without_last_years_package(client, cast, package):
    client.force_login(cast.director_a)
    response = client.get(detail(package))
    assert "carry_over" not in response.context and "last_year" not in response.context


def test_offers_cost_the_same_queries_for_any_number_of_goals(client, cast, evaluation, package):
    def page_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get(detail(package))
        return len(queries)

    client.force_login(cast.director_a)
    one = page_queries()
    for n in range(10):
        f.EvaluationGoalFactory(evaluation=evaluation, title=f"Extra doel {n}", rating="deels")
    assert len(offered(client.get(detail(package)))) == 12
    assert page_queries() == one


# ---------------------------------------------------------------------------------------------
# what goals bind against the budget
# ---------------------------------------------------------------------------------------------


def test_werkplan_shows_hours_serving_goals_against_the_budget(client, cast, package):
    item = current_version(package).items.get()
    for title in ("Doel een", "Doel twee"):  # one task serving two goals counts once
        goal = WerkplanGoal.objects.create(
            version=current_version(package),
            title=title,
            source_text="Jaarplan",
            domain=Domain.objects.get(code="leren"),
            success_criterion="x",
        )
        goal.items.set([item])
    client.force_login(cast.director_a)
    response = client.get(detail(package))
    plan = response.context["werkplan"]
    assert plan.linked_hours == H("40")
    assert plan.budget_hours == package.budget_hours
    budget = package.budget_hours
    percentage = int((H("40") * 100 / budget).quantize(H("1")))
    assert plan.linked_budget_percentage == percentage
    body = response.content.decode()
    assert 'id="werkplan-hours"' in body
    assert f"{percentage}% van het urenbudget" in body


def test_goal_form_shows_the_hours_the_goal_binds(client, cast, package):
    item = current_version(package).items.get()
    client.force_login(cast.director_a)
    url = reverse("tasks:goal-create", args=[package.pk])
    response = client.get(url)
    assert response.context["goal_hours"] == 0
    assert f'data-hours="{item.hours}"' in response.content.decode()
    # A refused post (no source) keeps the ticks and shows what they bind.
    response = client.post(
        url,
        {
            "lock_version": lv(package),
            "title": "Nieuw doel",
            "domain": Domain.objects.get(code="leren").pk,
            "success_criterion": "x",
            "items": [item.pk],
        },
    )
    assert response.status_code == 200
    assert response.context["goal_hours"] == H("40")
    assert "beslaan samen <strong data-goal-hours>40</strong> uur" in response.content.decode()


def test_a_carried_goal_renamed_is_not_offered_again(client, cast, evaluation, package):
    (goal,) = carry(package, cast.director_a, "gedrag in de klas")
    assert goal.carried_from.title == "Gedrag in de klas"
    goal.title = "Eén aanpak voor gedrag in alle groepen"
    goal.save()
    client.force_login(cast.director_a)
    assert offered(client.get(detail(package))) == ["Rekenen op niveau"]


# ---------------------------------------------------------------------------------------------
# carrying over from the director's sheet saves the typed hours first
# ---------------------------------------------------------------------------------------------


def sheet_post(package: Package, hours: str, lock: int, *goals: str) -> dict:
    item = current_version(package).items.get()
    return {"lock_version": lock, f"hours_{item.pk}": hours, "goals": list(goals)}


def test_the_carry_over_button_belongs_to_the_directors_sheet(client, cast, evaluation, package):
    client.force_login(cast.director_a)
    body = client.get(detail(package)).content.decode()
    assert f'form="sheet" formaction="{carry_url(package)}"' in body
    assert 'type="checkbox" form="sheet" name="goals"' in body
    assert f'<form method="post" action="{carry_url(package)}"' not in body
    # The IB has no sheet: a form of its own.
    client.force_login(cast.ib_a)
    body = client.get(detail(package)).content.decode()
    assert f'<form method="post" action="{carry_url(package)}"' in body
    assert 'form="sheet"' not in body


def test_carrying_over_saves_the_typed_hours_first(client, cast, evaluation, package):
    client.force_login(cast.director_a)
    response = client.post(
        carry_url(package), sheet_post(package, "12", lv(package), "gedrag in de klas")
    )
    assert response.status_code == 302
    assert current_version(package).items.get().hours == H("12")
    assert WerkplanGoal.objects.filter(version__package=package).count() == 1
    messages = [str(m) for m in client.get(detail(package)).context["messages"]]
    assert any("1 taak is opgeslagen" in m for m in messages)
    assert any("1 doel is overgenomen" in m for m in messages)


def test_carrying_nothing_still_keeps_the_typed_hours(client, cast, evaluation, package):
    client.force_login(cast.director_a)
    response = client.post(carry_url(package), sheet_post(package, "12", lv(package)))
    assert response.status_code == 200
    assert "Kies ten minste één doel om over te nemen." in response.content.decode()
    assert current_version(package).items.get().hours == H("12")


def test_a_stale_sheet_with_carry_over_is_refused_keeping_hours_and_ticks(
    client, cast, evaluation, package
):
    stale = lv(package)
    Package.objects.filter(pk=package.pk).update(lock_version=stale + 1)  # someone else saved
    client.force_login(cast.director_a)
    response = client.post(
        carry_url(package), sheet_post(package, "12", stale, "rekenen op niveau")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Iemand anders heeft dit takenpakket intussen gewijzigd" in body
    item = current_version(package).items.get()
    assert item.hours == H("40")  # nothing saved
    assert f'id="item{item.pk}-hours" value="12"' in body  # the typed value is still there
    assert 'value="rekenen op niveau" id="carry-1" aria-describedby="carry-1-info" checked' in body
    assert not WerkplanGoal.objects.filter(version__package=package).exists()


# ---------------------------------------------------------------------------------------------
# copying before last year's evaluation: said before copying, filled in later by itself
# ---------------------------------------------------------------------------------------------


def copy_hint(client, cast) -> str:
    response = client.get(reverse("tasks:package-overview") + f"?jaar={YEAR}")
    body = response.content.decode()
    share = cast.appointment_a.shares.get()
    start = body.index(f'id="copy-hint-{share.pk}"')
    return body[start : body.index("</p>", start)]


def test_the_overview_says_before_copying_how_far_last_years_evaluation_is(client, cast, last_year):
    client.force_login(cast.director_a)
    hint = copy_hint(client, cast)
    assert 'data-evaluation="none"' in hint
    assert f"De evaluatie {YEAR - 1}-{YEAR} is nog niet begonnen" in hint
    assert "verschijnen vanzelf op het concept" in hint
    evaluation = f.EvaluationFactory(package=last_year)
    hint = copy_hint(client, cast)
    assert 'data-evaluation="open"' in hint and "nog niet gehouden" in hint
    Evaluation.objects.filter(pk=evaluation.pk).update(
        held_on=timezone.localdate(), closed_at=timezone.now()
    )
    assert 'data-evaluation="closed"' in copy_hint(client, cast)


def test_marks_and_goals_appear_on_an_early_copy_by_themselves(client, cast, last_year):
    """Copied before the evaluation: nothing to carry over and the draft says so; once the IB
    records the year end and rates the goals, the same draft marks and offers them."""
    client.force_login(cast.director_a)
    share = cast.appointment_a.shares.get()
    response = client.post(
        reverse("tasks:package-create", args=[share.pk, YEAR]), {"copy": "1"}, follow=True
    )
    package = response.context["package"]
    assert not response.context["marked_items"] and "carry_over" not in response.context
    assert 'id="carry-over-pending"' in response.content.decode()
    realise(last_year, END, {task_key(cast): "62"})
    evaluation = f.EvaluationFactory(package=last_year)
    f.EvaluationGoalFactory(evaluation=evaluation, title="Rekenen op niveau", rating="niet")
    response = client.get(detail(package))
    assert [item.title for item in response.context["marked_items"]] == [cast.task_a.title]
    assert offered(response) == ["Rekenen op niveau"]
    assert 'id="carry-over-pending"' not in response.content.decode()
