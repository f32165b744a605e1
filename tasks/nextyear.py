"""Next year's package starts from the evaluation of last year (issue 14).

Three things, on the package page of the new year while it can be changed (a draft, or
returned by the IB):

- **Marks.** A task of the package that was in last year's agreed package, and whose realised
  hours there differed much from the plan by the rule of ``tasks.realisation``
  (``is_far_off``: more than 25% and more than 5 hours), is marked with both figures so the
  director can adjust its hours. The year-end realisation counts; a task without one is
  compared at the mid-year moment against the part of the plan due then (pro rata, as the
  realisation page does). A task without any realisation is not marked. Tasks are matched by
  ``PackageItem.key`` (catalogue task, else own title), the key copying keeps.
- **Goals to carry over.** The goals of last year's evaluation that were rated "partly
  achieved" or "not achieved" are offered to the new werkplan. The rating is what counts, not
  whether the evaluation conversation closed the year yet: the next year's package is often
  drawn up in June, before that conversation, and the IB's rating with its evidence is what a
  new goal builds on (the page says when the evaluation is not closed yet). A goal not rated
  is not offered. A goal is offered as long as no goal with the same key (its title) is in
  the werkplan: carried over once, it is not offered again; removed again, it is offered
  again. Carrying over is a werkplan change: the director or the IB, through the package's
  lock, like ``werkplan.goal_save``.
- **Hours against the budget** are shown by the werkplan itself (``werkplan.Werkplan``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Exists, F, OuterRef, QuerySet
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from schools.models import Board, DevelopmentPoint

from . import realisation
from .models import (
    EvaluationGoal,
    GoalRating,
    Moment,
    Package,
    PackageItem,
    PackageStatus,
    PackageVersion,
    Realisation,
    RealisationLine,
    WerkplanGoal,
    as_hours,
    item_key_sql,
)
from .packages import (
    Kind,
    _bump,
    _record,
    _require,
    locked_change,
    previous_package,
    previous_packages,
)
from .werkplan import _goal_version, may_draw_up

UNACHIEVED = (GoalRating.PARTLY, GoalRating.NOT_ACHIEVED)


# ---------------------------------------------------------------------------
# marks: last year's plan against last year's realisation, per task
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """Last year's figures of a task that differed much from the plan."""

    planned: Decimal  # the plan due at the moment: all of it at the year end
    realised: Decimal
    moment: str

    @property
    def text(self) -> str:
        values = {
            "planned": floatformat(self.planned, -1),
            "realised": floatformat(self.realised, -1),
        }
        if self.moment == Moment.END:
            return _("last year planned %(planned)s h, realised %(realised)s h") % values
        return _("last year by mid-year planned %(planned)s h, realised %(realised)s h") % values


def recorded_last_year(previous: Package) -> list[tuple[str, Decimal, str, Decimal]]:
    """(task key, planned hours, moment, realised hours) of each task of the newest agreed
    version of last year's package that the IB recorded, per moment. One query.

    Plain SQL (SQLite and PostgreSQL) so that items and realisation lines meet in one join on
    the task's key (``PackageItem.key``, as SQL by ``item_key_sql``)."""
    item = PackageItem._meta.db_table
    version = PackageVersion._meta.db_table
    sheet = Realisation._meta.db_table
    line = RealisationLine._meta.db_table
    sql = (
        f"SELECT l.key, i.hours, r.moment, l.hours "
        f"FROM {item} i "
        f"JOIN {sheet} r ON r.package_id = %s "
        f"JOIN {line} l ON l.realisation_id = r.id AND l.key = {item_key_sql('i')} "
        f"WHERE i.version_id = (SELECT v.id FROM {version} v "
        f"WHERE v.package_id = %s AND v.status = %s ORDER BY v.number DESC LIMIT 1)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [previous.pk, previous.pk, PackageStatus.AGREED])
        return [
            (key, as_hours(planned), moment, as_hours(realised))
            for key, planned, moment, realised in cursor.fetchall()
        ]


def marks_of(previous: Package, board: Board | None = None) -> dict[str, Mark]:
    """{task key: mark} of last year's tasks far off the plan (one query); ``board``: the
    school's, when the caller has it (a task without a year-end realisation is compared at the
    board's mid-year moment)."""
    planned: dict[str, Decimal] = {}
    by_key: dict[str, dict[str, Decimal]] = {}
    for key, hours, moment, realised in recorded_last_year(previous):
        planned[key] = hours
        by_key.setdefault(key, {})[moment] = realised
    mid_share = None
    marks = {}
    for key, moments in by_key.items():
        if Moment.END in moments:
            moment, expected = Moment.END, planned[key]
        else:
            if mid_share is None:
                start_year = previous.school_year.start_year
                mid_share = realisation.share_due(board or previous.board, start_year, Moment.MID)
            moment = Moment.MID
            expected = (planned[key] * mid_share).quantize(Decimal("0.1"), ROUND_HALF_UP)
        realised = moments[moment]
        if realisation.is_far_off(expected, realised):
            marks[key] = Mark(planned=expected, realised=realised, moment=moment)
    return marks


def mark_items(items: Iterable[PackageItem], marks: dict[str, Mark]) -> list[PackageItem]:
    """Give each item its mark (``item.last_year``, None when not marked); the marked ones."""
    marked = []
    for item in items:
        item.last_year = marks.get(item.key)
        if item.last_year is not None:
            marked.append(item)
    return marked


def marked_count(package: Package) -> int:
    """How many tasks of the package's current version are marked (after copying)."""
    previous = previous_package(package)
    if previous is None:
        return 0
    marks = marks_of(previous, package.board)
    version = package.versions.order_by("-number").first()
    return sum(1 for item in version.items.all() if item.key in marks)


# ---------------------------------------------------------------------------
# goals of last year's evaluation to carry over
# ---------------------------------------------------------------------------


@dataclass
class Offer:
    """A goal of last year's evaluation that was not achieved, as it would be carried over."""

    goal: EvaluationGoal
    development_point: DevelopmentPoint | None
    source_text: str
    point_lapsed: bool = False  # last year's point no longer runs: its title is the source

    @property
    def key(self) -> str:
        return self.goal.key

    @property
    def source_label(self) -> str:
        return self.development_point.title if self.development_point else self.source_text


@dataclass
class Offers:
    school_year: str  # last year's, "2025-2026"
    closed: bool  # whether last year's evaluation is closed
    offers: list[Offer]


def source_of(
    package: Package, goal: EvaluationGoal, school_year: str
) -> tuple[DevelopmentPoint | None, str]:
    """The development point a carried goal keeps, or the source in words it gets instead.

    The point is kept while it still runs in the new school year and was not declined; else its
    title (or last year's source in words) becomes the source, so the origin stays readable.
    """
    point = goal.development_point
    if point is None:
        return None, goal.source_text or _("evaluation %(year)s") % {"year": school_year}
    year = package.school_year.start_year
    if (
        point.status != DevelopmentPoint.Status.DECLINED
        and point.start_year <= year <= point.end_year
    ):
        return point, ""
    return None, point.title[:200]


def offers_of(
    package: Package, previous: Package, present: Iterable[WerkplanGoal]
) -> Offers | None:
    """The unachieved goals of last year's evaluation that are not in the werkplan (``present``:
    its goals; one with the same title, or carried over from it) in one query, the goals with
    their source; None when last year has no evaluation with such goals."""
    present = list(present)
    present_keys = {goal.key for goal in present}
    carried = {goal.carried_from_id for goal in present}
    rated = list(
        EvaluationGoal.objects.filter(evaluation__package=previous, rating__in=UNACHIEVED)
        .select_related("development_point")
        .annotate(closed_at=F("evaluation__closed_at"))
    )
    if not rated:
        return None
    year = previous.school_year.name
    offers = []
    for goal in rated:
        if goal.key in present_keys or goal.pk in carried:
            continue
        point, source_text = source_of(package, goal, year)
        lapsed = point is None and goal.development_point_id is not None
        offers.append(
            Offer(goal=goal, development_point=point, source_text=source_text, point_lapsed=lapsed)
        )
    return Offers(school_year=year, closed=rated[0].closed_at is not None, offers=offers)


@locked_change
def goals_carry_over(
    *, package: Package, actor, lock_version: int, keys: list[str]
) -> list[WerkplanGoal]:
    """Copy the chosen goals of last year's evaluation into the werkplan of the package's
    current version: title, domain, success criterion and source, no tasks yet. A goal that is
    no longer offered (carried over in the meantime) refuses the whole choice."""
    _require(
        may_draw_up(package, actor),
        _("Only the director and the IB of this package draw up its werkplan."),
    )
    if not keys:
        raise ValidationError({"goals": _("Choose at least one goal to carry over.")})
    _bump(package, lock_version)
    version = _goal_version(package, actor)
    previous = previous_package(package)
    found = offers_of(package, previous, version.goals.all()) if previous else None
    offered = {offer.key: offer for offer in found.offers} if found else {}
    if any(key not in offered for key in keys):
        raise ValidationError(
            {
                "goals": _(
                    "A goal you chose is no longer offered: it is in the werkplan already. "
                    "Nothing has been carried over; choose again."
                )
            }
        )
    goals = []
    for key in dict.fromkeys(keys):
        offer = offered[key]
        goal = WerkplanGoal(
            version=version,
            title=offer.goal.title,
            development_point=offer.development_point,
            source_text=offer.source_text,
            domain_id=offer.goal.domain_id,
            success_criterion=offer.goal.success_criterion or offer.goal.title,
            carried_from=offer.goal,
        )
        goal.full_clean(exclude=["version", "development_point", "domain"])
        goal.save()
        detail = _("%(goal)s: carried over from the evaluation %(year)s") % {
            "goal": goal.title,
            "year": found.school_year,
        }
        _record(package, version, Kind.GOAL_ADDED, actor, detail=detail)
        goals.append(goal)
    return goals


def carried_message(goals: list[WerkplanGoal]) -> str:
    return ngettext(
        "%(count)s goal has been carried over from last year's evaluation. Choose the tasks "
        "that serve it.",
        "%(count)s goals have been carried over from last year's evaluation. Choose the tasks "
        "that serve them.",
        len(goals),
    ) % {"count": len(goals)}


# ---------------------------------------------------------------------------
# how far last year's evaluation is: before copying, and on the draft
# ---------------------------------------------------------------------------

EVALUATION_NONE, EVALUATION_OPEN, EVALUATION_CLOSED = "none", "open", "closed"


def evaluation_states(previous: QuerySet[Package]) -> dict[tuple[int, int], str]:
    """{(school id, IB id): state of the evaluation} of last year's packages (one query): not
    started, started but not held yet, or held (closed). Copying before it is held brings no
    goals to carry over and no year-end marks yet; both appear on the draft by themselves
    later, because the package page computes them from last year's data each time."""
    rank = [EVALUATION_NONE, EVALUATION_OPEN, EVALUATION_CLOSED]
    states: dict[tuple[int, int], str] = {}
    rows = previous.values_list(
        "share__school_id", "share__appointment__ib_id", "evaluation__pk", "evaluation__closed_at"
    )
    for school_id, ib_id, evaluation_pk, closed_at in rows:
        state = EVALUATION_NONE
        if evaluation_pk is not None:
            state = EVALUATION_CLOSED if closed_at else EVALUATION_OPEN
        key = (school_id, ib_id)
        if rank.index(state) >= rank.index(states.get(key, EVALUATION_NONE)):
            states[key] = state
    return states


def evaluation_state(previous: Package) -> str:
    """The state of last year's evaluation of a package from ``previous_package`` (which
    brings the evaluation along: no query)."""
    evaluation = getattr(previous, "evaluation", None)
    if evaluation is None:
        return EVALUATION_NONE
    return EVALUATION_CLOSED if evaluation.closed_at else EVALUATION_OPEN


# ---------------------------------------------------------------------------
# the package page
# ---------------------------------------------------------------------------


def package_page_context(package: Package, context: dict, user, failed: dict) -> dict:
    """Marks and goals to carry over for the package page, only while the current version is
    read and can be changed (else nothing, and no query). Queries: last year's package, its
    agreed tasks with their realisation, and when goals may change and it has any, its
    evaluation's unachieved goals: three at most, whatever the number of tasks and goals."""
    current: PackageVersion = context["current"]
    if not (context["is_current"] and current.is_editable):
        return {}
    # Whether last year's evaluation has unachieved goals comes along: without them (most
    # packages), there is nothing to offer and no query for it.
    unachieved = EvaluationGoal.objects.filter(
        evaluation__package=OuterRef("pk"), rating__in=UNACHIEVED
    )
    previous = previous_packages(package).annotate(has_unachieved=Exists(unachieved)).first()
    if previous is None:
        return {}
    marked = mark_items(context["items"], marks_of(previous, package.board))
    result: dict = {"last_year": previous, "marked_items": marked}
    if context.get("can_change_goals"):
        # Not held yet: the draft says what will appear by itself once it is.
        result["last_evaluation_state"] = evaluation_state(previous)
        found = (
            offers_of(package, previous, context["werkplan"].goals)
            if previous.has_unachieved
            else None
        )
        if found and found.offers:
            result["carry_over"] = found
            form = failed.get("carry")
            result["carry_form"] = form
            # A refused choice keeps its ticks.
            result["carry_checked"] = form.data.getlist("goals") if form is not None else []
    return result
