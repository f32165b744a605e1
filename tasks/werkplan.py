"""The IB's werkplan: the year's goals beside the package's hours.

A goal belongs to a package version like its tasks do, so it travels with the package:
drawn up while the package is a draft, submitted, returned, agreed, copied into a new version
when an agreed package is reopened, and compared between versions.

Who changes goals: the werkplan is the IB's own plan ("jaarlijks een eigen werkplan"), drawn
up together with the director, while the hours are the director's. So both the school's
director and the package's IB add, change and remove goals while the package can be changed
(a draft, or returned by the IB), through the package's lock like every other change. Once
it is submitted the content under review stays as it is: the IB comments on it in the review
(or returns it), and an agreed package is reopened as a new version to change its goals. A
director's change to a returned package puts it back in draft, as a change of tasks does; the
IB's does not (the IB returned it and the next step is the director's).

Last year's goals are not copied with last year's tasks (``package_copy_previous``): which
goals carry over is decided at the year-end evaluation. ``tasks.nextyear`` offers the goals
of last year's evaluation that were not achieved, and nothing else copies goals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext as _

from schools.models import DevelopmentPoint

from .models import Domain, Package, PackageItem, PackageVersion, WerkplanGoal
from .packages import (
    Kind,
    _bump,
    _editable_version,
    _record,
    _require,
    can_edit,
    can_review,
    current_version,
    hours_text,
    locked_change,
)

# More than this share of the package's hours serving no goal is signalled. A werkplan is
# carried by the regular work too (group meetings and class visits serve a reading goal), so
# in a package that matches its werkplan most hours serve some goal; when more than a third
# serves none, the package and the werkplan tell different stories and the director and the
# IB should talk about it ("als er wat bij komt, moet er ook wat af"). A third rather than a
# half: with half, a package could spend most of its hours beside the plan without a word.
UNLINKED_SHARE = Decimal(1) / Decimal(3)


# ---------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------


def load_goals(version: PackageVersion, items: Iterable[PackageItem]) -> list[WerkplanGoal]:
    """The version's goals with their development point, each with ``task_list`` (items of
    ``items``, the version's own) and ``hours``: one query, a row per goal and task."""
    by_id = {item.pk: item for item in items}
    rows = (
        WerkplanGoal.objects.filter(version=version)
        .select_related("development_point")
        .annotate(task_id=F("items__id"))
        .order_by("id", "task_id")
    )
    goals: dict[int, WerkplanGoal] = {}
    for row in rows:
        goal = goals.setdefault(row.pk, row)
        if not hasattr(goal, "task_list"):
            goal.task_list = []
        if row.task_id in by_id:
            goal.task_list.append(by_id[row.task_id])
    for goal in goals.values():
        goal.task_list.sort(key=lambda item: (item.title.lower(), item.pk))
        goal.hours = sum((item.hours for item in goal.task_list), Decimal("0"))
    return list(goals.values())


@dataclass
class Werkplan:
    """The goals of one version and the signals beside its hours.

    What the goals cost: ``linked_hours`` (each task serving a goal counted once, however many
    goals it serves) against the package's budget, beside ``unlinked_hours`` (LBBO work that
    serves no goal).
    """

    goals: list[WerkplanGoal]
    counted_hours: Decimal  # the hours of tasks in the LBBO domains
    unlinked_items: list[PackageItem] = field(default_factory=list)
    linked_items: list[PackageItem] = field(default_factory=list)
    budget_hours: Decimal | None = None

    @property
    def linked_hours(self) -> Decimal:
        return sum((item.hours for item in self.linked_items), Decimal("0"))

    @property
    def linked_budget_percentage(self) -> int:
        """The share of the package's budget that serves a goal of the werkplan."""
        if not self.budget_hours:
            return 0
        return int((self.linked_hours * 100 / self.budget_hours).quantize(Decimal("1")))

    @property
    def unlinked_hours(self) -> Decimal:
        return sum((item.hours for item in self.unlinked_items), Decimal("0"))

    @property
    def goals_without_hours(self) -> list[WerkplanGoal]:
        return [goal for goal in self.goals if not goal.task_list]

    @property
    def unlinked_percentage(self) -> int:
        if not self.counted_hours:
            return 0
        return int((self.unlinked_hours * 100 / self.counted_hours).quantize(Decimal("1")))

    @property
    def too_much_unlinked(self) -> bool:
        """Many hours serve no goal: more than ``UNLINKED_SHARE`` of the counted hours."""
        return bool(self.goals) and self.unlinked_hours > self.counted_hours * UNLINKED_SHARE


def werkplan_of(
    version: PackageVersion,
    items: list[PackageItem],
    domains: list[Domain],
    budget_hours: Decimal | None = None,
) -> Werkplan:
    goals = load_goals(version, items)
    # Work outside the LBBO domains (the general school duties) serves no werkplan goal by
    # nature and is left out of the signal.
    lbbo = {domain.pk for domain in domains if domain.is_lbbo}
    counted = [item for item in items if item.domain_id in lbbo]
    linked = {item.pk for goal in goals for item in goal.task_list}
    return Werkplan(
        goals=goals,
        counted_hours=sum((item.hours for item in counted), Decimal("0")),
        unlinked_items=[item for item in counted if item.pk not in linked],
        linked_items=[item for item in items if item.pk in linked],
        budget_hours=budget_hours,
    )


@dataclass
class GoalChange:
    old: WerkplanGoal
    new: WerkplanGoal
    what: list[str]


@dataclass
class GoalDiff:
    added: list[WerkplanGoal]
    removed: list[WerkplanGoal]
    changed: list[GoalChange]

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def goals_diff(old_goals: Iterable[WerkplanGoal], new_goals: Iterable[WerkplanGoal]) -> GoalDiff:
    """Goals added, removed or changed between two versions, matched by their title."""
    old = {goal.key: goal for goal in old_goals}
    new = {goal.key: goal for goal in new_goals}
    changed = []
    for key, goal in new.items():
        if key in old:
            what = goal_changes(old[key], goal)
            if what:
                changed.append(GoalChange(old=old[key], new=goal, what=what))
    return GoalDiff(
        added=[goal for key, goal in new.items() if key not in old],
        removed=[goal for key, goal in old.items() if key not in new],
        changed=changed,
    )


def goal_changes(old: WerkplanGoal, new: WerkplanGoal) -> list[str]:
    what = []
    if (old.development_point_id, old.source_text) != (new.development_point_id, new.source_text):
        what.append(_("source"))
    if old.domain_id != new.domain_id:
        what.append(_("domain"))
    if old.success_criterion.strip() != new.success_criterion.strip():
        what.append(_("success criterion"))
    if {item.key for item in old.task_list} != {item.key for item in new.task_list}:
        what.append(_("tasks"))
    return what


# ---------------------------------------------------------------------------
# who may change goals
# ---------------------------------------------------------------------------


def may_draw_up(package: Package, user) -> bool:
    """The school's director and the package's IB draw up the werkplan together."""
    return can_edit(package, user) or can_review(package, user)


def can_change_goals(package: Package, user, current: PackageVersion) -> bool:
    return current.is_editable and may_draw_up(package, user)


# ---------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------


def _goal_version(package: Package, actor) -> PackageVersion:
    """The version whose goals change: the director's change to a returned package puts it
    back in draft (as a task change does); the IB's leaves the status as it is."""
    if can_edit(package, actor):
        return _editable_version(package, actor)
    version = current_version(package)
    if not version.is_editable:
        raise ValidationError(
            _("This package is “%(status)s” and its werkplan cannot be changed now.")
            % {"status": version.get_status_display()}
        )
    return version


def _check_goal(
    package: Package,
    version: PackageVersion,
    *,
    development_point: DevelopmentPoint | None,
    source_text: str,
    items: list[PackageItem],
) -> None:
    if development_point is not None and (
        development_point.school_id != package.share.school_id
        or development_point.status == DevelopmentPoint.Status.DECLINED
    ):
        raise ValidationError(
            {"development_point": _("Choose a development point of this school.")}
        )
    if development_point is None and not source_text.strip():
        raise ValidationError(
            _("Tie the goal to a development point of the school or name its source.")
        )
    if any(item.version_id != version.pk for item in items):
        raise ValidationError({"items": _("Choose tasks of the current version of the package.")})


def _goal_detail(title: str, items: list[PackageItem]) -> str:
    hours = sum((item.hours for item in items), Decimal("0"))
    return f"{title}: {hours_text(hours)}"


@locked_change
def goal_save(
    *,
    package: Package,
    actor,
    lock_version: int,
    goal: WerkplanGoal | None = None,
    title: str,
    development_point: DevelopmentPoint | None,
    source_text: str,
    domain: Domain,
    success_criterion: str,
    items: list[PackageItem],
) -> WerkplanGoal:
    """Add a goal to the werkplan of the package's current version, or change one of it."""
    _require(
        may_draw_up(package, actor),
        _("Only the director and the IB of this package draw up its werkplan."),
    )
    _bump(package, lock_version)
    version = _goal_version(package, actor)
    if goal is not None and goal.version_id != version.pk:
        raise ValidationError(_("This goal belongs to an earlier version of the package."))
    source_text = "" if development_point is not None else source_text.strip()
    _check_goal(
        package, version, development_point=development_point, source_text=source_text, items=items
    )
    is_new = goal is None
    goal = goal or WerkplanGoal(version=version)
    goal.title = title.strip()
    # The title is what makes a goal "the same" across versions and in the evaluation: one
    # werkplan has it once.
    others = version.goals.exclude(pk=goal.pk).values_list("title", flat=True)
    if any(" ".join(other.lower().split()) == goal.key for other in others):
        raise ValidationError(
            {"title": _("The werkplan has a goal with this title already: give another one.")}
        )
    goal.development_point = development_point
    goal.source_text = source_text
    goal.domain = domain
    goal.success_criterion = success_criterion.strip()
    goal.full_clean(exclude=["version", "development_point", "domain"])
    goal.save()
    goal.items.set(items)
    kind = Kind.GOAL_ADDED if is_new else Kind.GOAL_CHANGED
    _record(package, version, kind, actor, detail=_goal_detail(goal.title, items))
    return goal


@locked_change
def goal_remove(*, package: Package, goal: WerkplanGoal, actor, lock_version: int) -> None:
    _require(
        may_draw_up(package, actor),
        _("Only the director and the IB of this package draw up its werkplan."),
    )
    _bump(package, lock_version)
    version = _goal_version(package, actor)
    if goal.version_id != version.pk:
        raise ValidationError(_("This goal belongs to an earlier version of the package."))
    goal.delete()
    _record(package, version, Kind.GOAL_REMOVED, actor, detail=goal.title)


def goals_copy(old: PackageVersion, new: PackageVersion) -> None:
    """Copy the goals of ``old`` into ``new`` (reopening), each tied to the same tasks: the
    new version's copies of them, matched by their key."""
    new_items = {item.key: item.pk for item in new.items.all()}
    old_goals = load_goals(old, old.items.all())
    through = WerkplanGoal.items.through
    links = []
    for goal in old_goals:
        copy = WerkplanGoal.objects.create(
            version=new,
            title=goal.title,
            development_point_id=goal.development_point_id,
            source_text=goal.source_text,
            domain_id=goal.domain_id,
            success_criterion=goal.success_criterion,
            carried_from_id=goal.carried_from_id,
        )
        links += [
            through(werkplangoal_id=copy.pk, packageitem_id=new_items[item.key])
            for item in goal.task_list
            if item.key in new_items
        ]
    through.objects.bulk_create(links)
