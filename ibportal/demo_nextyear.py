"""Next year's start in the demo (``seed_demo``): a draft of this year that offers goals of last
year's evaluation to carry over, beside its tasks marked by last year's realisation.

The marks need nothing here: every agreed package of last year has two tasks far off the plan
(``realisation_create``), and this year's drafts copied them. The offer needs an evaluation of
last year with a goal not achieved that is not in this year's werkplan. The year-end
evaluations themselves are the evaluation's demo; this module only makes sure one draft shows
the offer: when no draft does, it gives the first candidate whose last year has no evaluation
yet a minimal closed one (rows written directly, like the demo werkplans), with a goal of last
year's werkplan that this year's werkplan dropped. A package that has an evaluation already is
never touched; a second run changes nothing.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from schools.models import Role, School
from tasks import nextyear
from tasks import packages as pkg
from tasks import realisation as rs
from tasks.models import (
    Domain,
    Evaluation,
    EvaluationGoal,
    GoalRating,
    Package,
    WerkplanGoal,
)

# Drafts to show the offer on, in order of preference: De Horizon (``directeur.kompas`` and
# ``ib.horizon``), De Zaaier, De Vlinder's reopened version, Het Kompas (returned), De Bron.
CANDIDATES = ["11AJ", "11AF", "11AE", "11AC", "22BC"]

# Last year's goal that was not achieved and is not in this year's werkplan.
DROPPED_GOAL = (
    "Eén aanpak voor gedrag in alle groepen",
    "Jaarplan 2025-2026: gedragsprotocol",
    "zorg",
    "Alle groepen werken met dezelfde afspraken over gedrag; bij de tweede meting van de "
    "sociaal-emotionele monitoring zien we minder incidenten op het plein.",
    ["anonieme-leerlingbespreking", "ondersteuning-coordineren"],
)
# Ratings of last year's goals by title; any other goal is "achieved".
RATINGS = {
    DROPPED_GOAL[0]: (
        GoalRating.NOT_ACHIEVED,
        "Het protocol is geschreven, maar pas in drie van de tien groepen ingevoerd: de "
        "teambijeenkomsten gingen op aan de nieuwe rekenmethode.",
    ),
    "Van trendanalyse naar acties in de groep": (
        GoalRating.PARTLY,
        "Na de middenmeting legde elke leerkracht acties vast; na de eindmeting lukte dat "
        "nog niet overal.",
    ),
}
ACHIEVED = "Bij de eindmeting haalt 77% het streefniveau; de klassenbezoeken zijn gedaan."


def carry_over_create(schools: dict[str, School]) -> None:
    """The first candidate's draft offers last year's dropped goal: in a minimal closed
    evaluation of its own when last year has none, else added, not achieved, to the
    evaluation the evaluation's demo made (``ibportal.demo_evaluation`` runs first)."""
    drafts = this_years_drafts(schools)
    if not drafts or offers(drafts[0]):
        return
    previous = pkg.previous_package(drafts[0])
    if previous is None:
        return
    evaluation = Evaluation.objects.filter(package=previous).first()
    if evaluation is None:
        evaluation_create(previous)
    else:
        goal = dropped_goal(evaluation.version)
        rating, evidence = RATINGS[goal.title]
        EvaluationGoal.objects.get_or_create(
            evaluation=evaluation,
            key=goal.key,
            defaults={
                "title": goal.title,
                "domain_id": goal.domain_id,
                "success_criterion": goal.success_criterion,
                "development_point_id": goal.development_point_id,
                "source_text": goal.source_text,
                "rating": rating,
                "evidence": evidence,
            },
        )


def this_years_drafts(schools: dict[str, School]) -> list[Package]:
    """This school year's packages that can be changed (draft or returned), by preference."""
    year = max(Package.objects.values_list("school_year__start_year", flat=True), default=None)
    found = {
        package.school.brin: package
        for package in Package.objects.filter(
            school_year__start_year=year,
            share__school__in=[schools[brin] for brin in CANDIDATES if brin in schools],
        ).with_details()
        if pkg.current_version(package).is_editable
    }
    return [found[brin] for brin in CANDIDATES if brin in found]


def offers(package: Package) -> list:
    previous = pkg.previous_package(package)
    if previous is None:
        return []
    found = nextyear.offers_of(package, previous, pkg.current_version(package).goals.all())
    return found.offers if found else []


def dropped_goal(version) -> WerkplanGoal:
    """Last year's werkplan goal that this year's werkplan dropped, made once."""
    title, source_text, domain, success, keys = DROPPED_GOAL
    goal = WerkplanGoal.objects.filter(version=version, title=title).first()
    if goal is None:
        goal = WerkplanGoal.objects.create(
            version=version,
            title=title,
            source_text=source_text,
            domain=Domain.objects.get(code=domain),
            success_criterion=success,
        )
        goal.items.set(version.items.filter(Q(task__standard_key__in=keys)))
    return goal


def evaluation_create(previous: Package) -> Evaluation:
    """Last year's closed evaluation: its werkplan with the dropped goal, each goal rated."""
    version = rs.agreed_version(previous.versions.all())
    dropped_goal(version)
    director = (
        previous.school.memberships.filter(role=Role.DIRECTOR).select_related("user").first().user
    )
    end = previous.school_year.end_date
    held = datetime.datetime.combine(
        end.replace(day=2), datetime.time(15), timezone.get_current_timezone()
    )
    evaluation = Evaluation.objects.create(
        package=previous,
        version=version,
        ib_ready_at=held - datetime.timedelta(days=7),
        director_view="Goed jaar voor lezen en data; het gedragsprotocol moet volgend jaar echt "
        "landen.",
        held_on=held.date(),
        participants="directeur en IB'er",
        agreements="Het gedragsprotocol gaat mee naar volgend schooljaar, met tijd in de "
        "teambijeenkomsten.",
        closed_at=held,
        closed_by=director,
    )
    for goal in version.goals.order_by("id"):
        rating, evidence = RATINGS.get(goal.title, (GoalRating.ACHIEVED, ACHIEVED))
        EvaluationGoal.objects.create(
            evaluation=evaluation,
            key=goal.key,
            title=goal.title,
            domain_id=goal.domain_id,
            success_criterion=goal.success_criterion,
            development_point_id=goal.development_point_id,
            source_text=goal.source_text,
            rating=rating,
            evidence=evidence,
        )
    return evaluation
