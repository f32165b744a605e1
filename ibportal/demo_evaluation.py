"""Demo year-end evaluations for ``seed_demo``: last school year's agreed packages evaluated
through the services, as their IBs and directors would have done it on the days after the
board's year-end moment, so that every role has an evaluation to read.

2025-2026: six packages closed by the record of the conversation (ratings with evidence, the
director's view, who was present, the agreements), one rated and ready but never held (De
Zaaier) and one only half rated (De Bron): the board's figures show a year that was not
closed. A school year whose evaluation opens later than the day of seeding gets none; if the
seeding day falls in an evaluation period, the conversations not yet due on that day are left
to hold (to-do items for the IB and the director).

Idempotent: a package that has an evaluation is left alone. The steps are stamped with the
days they were taken on (the services stamp them with today).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from schools.models import SchoolYear, display_name
from tasks import evaluation as ev
from tasks import realisation as rs
from tasks.models import Evaluation, GoalRating, Package, PackageEvent

# What happens to each school's package of 2025-2026; other years: "ready" for the first
# agreed package, "started" for the others (the year is in progress).
PLAN_2025 = {
    "11AA": "closed",
    "11AB": "closed",
    "11AC": "closed",
    "11AE": "closed",
    "11AF": "ready",
    "11AJ": "closed",
    "22BA": "closed",
    "22BC": "started",
}
# Ratings cycle per goal, shifted per package: mostly achieved, some partly, one not.
RATINGS = [GoalRating.ACHIEVED, GoalRating.PARTLY, GoalRating.ACHIEVED, GoalRating.NOT_ACHIEVED]
EVIDENCE = {
    GoalRating.ACHIEVED: [
        "De eindmeting van juni haalt het streefniveau; de leerkrachten herkennen het in de "
        "groepsbesprekingen.",
        "Elk leerteam besprak de trendanalyse twee keer en legde de acties vast in het "
        "groepsoverzicht.",
    ],
    GoalRating.PARTLY: [
        "In de bovenbouw wel, in de middenbouw nog niet: de groepsoverzichten van juni laten "
        "het verschil zien.",
        "De helft van de klassenbezoeken is gehouden; de nagesprekken waren goed, de tweede "
        "ronde schoof door.",
    ],
    GoalRating.NOT_ACHIEVED: [
        "De tijd ging naar leerlingen met een ondersteuningsbehoefte (zie de realisatie); het "
        "doel is niet van tafel.",
        "Het project schoof door naar volgend schooljaar: de nieuwe methode kwam pas in mei.",
    ],
}
RATE_AFTER = datetime.timedelta(days=3)
HOLD_AFTER = datetime.timedelta(days=10)


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


def evaluation_create(directors: dict, ibs: dict, years: list[SchoolYear]) -> int:
    """Evaluate the agreed packages of ``years`` whose evaluation has opened on the day of
    seeding. ``directors`` and ``ibs`` give the user who acts, by BRIN and by IB username.
    Returns how many evaluations were made."""
    today = timezone.localdate()
    packages = (
        Package.objects.filter(school_year__in=years, evaluation__isnull=True)
        .with_details()
        .prefetch_related("versions")
        .order_by("school_year__start_year", "share__school__brin")
    )
    made = 0
    first_of_year: set[int] = set()
    for index, package in enumerate(packages):
        agreed = rs.agreed_version(package.versions.all())
        opens = ev.opens_on(package)
        if agreed is None or opens > today:
            continue
        start_year = package.school_year.start_year
        brin = package.school.brin
        if start_year == 2025:
            plan = PLAN_2025.get(brin, "closed")
        else:
            plan = "started" if start_year in first_of_year else "ready"
            first_of_year.add(start_year)
        director, ib = directors[brin], ibs[package.ib.username]
        until = ev.open_until(package)
        started = min(opens, today)
        rated = min(opens + RATE_AFTER, today, until)
        held = min(opens + HOLD_AFTER, until)
        if held > today:
            plan = "ready" if plan == "closed" else plan  # the conversation is not due yet
        evaluation = ev.evaluation_start(package=package, actor=ib, today=started)
        goals = list(evaluation.goals.all())
        values = {}
        for n, goal in enumerate(goals):
            if plan == "started" and n % 2:
                continue  # the IB is still working on it
            rating = RATINGS[(n + index) % len(RATINGS)]
            texts = EVIDENCE[rating]
            values[goal.key] = ev.GoalValues(rating, texts[(n + index) % len(texts)])
        evaluation = Evaluation.objects.get(pk=evaluation.pk)
        ev.ratings_save(
            evaluation=evaluation,
            actor=ib,
            lock_version=evaluation.lock_version,
            values=values,
            ready=plan != "started",
            today=rated,
        )
        if plan != "started":
            achieved = sum(1 for v in values.values() if v.rating == GoalRating.ACHIEVED)
            evaluation = Evaluation.objects.get(pk=evaluation.pk)
            ev.director_view_save(
                evaluation=evaluation,
                actor=director,
                lock_version=evaluation.lock_version,
                view=(
                    f"{achieved} van de {len(goals)} doelen behaald: een jaar waarin veel is "
                    "gelukt, ook al ging er meer tijd naar de ondersteuning van leerlingen dan "
                    "gepland. Ik herken de onderbouwing en zie dezelfde punten terug in de "
                    "klassenbezoeken."
                ),
                today=rated,
            )
        if plan == "closed":
            open_goals = [goal.title for goal in goals if values[goal.key].rating != "behaald"]
            agreements = (
                "Doelen die doorlopen naar het werkplan van volgend schooljaar: "
                + "; ".join(open_goals)
                + ". "
                if open_goals
                else "Alle doelen zijn behaald; het werkplan van volgend jaar begint opnieuw "
                "bij het jaarplan. "
            ) + (
                "De uren voor de ondersteuning van leerlingen gaan omhoog, de taak die "
                "achterbleef gaat omlaag. Volgende evaluatie bij het einde van het schooljaar."
            )
            evaluation = Evaluation.objects.get(pk=evaluation.pk)
            ev.conversation_save(
                evaluation=evaluation,
                actor=director,
                lock_version=evaluation.lock_version,
                held_on=held,
                participants=f"{display_name(director)} (directeur), {display_name(ib)} (IB'er)",
                agreements=agreements,
                today=held,
            )
        date_steps(package, started, rated, held)
        made += 1
    return made


def date_steps(package: Package, started: datetime.date, rated, held) -> None:
    """Stamp the steps with the days they were taken on."""
    days = {
        PackageEvent.Kind.EVALUATION_STARTED: at(started, 9),
        PackageEvent.Kind.EVALUATION_READY: at(rated, 16),
        PackageEvent.Kind.EVALUATION_HELD: at(held, 15),
    }
    for kind, moment in days.items():
        PackageEvent.objects.filter(package=package, kind=kind).update(at=moment)
    evaluation = Evaluation.objects.get(package=package)
    Evaluation.objects.filter(pk=evaluation.pk).update(
        created_at=days[PackageEvent.Kind.EVALUATION_STARTED],
        ib_ready_at=days[PackageEvent.Kind.EVALUATION_READY] if evaluation.ib_ready_at else None,
        closed_at=days[PackageEvent.Kind.EVALUATION_HELD] if evaluation.closed_at else None,
    )
