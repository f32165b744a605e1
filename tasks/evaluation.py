"""The year-end evaluation: the IB rates the werkplan's goals, the director adds their view,
the record of the evaluation conversation closes the year.

The rules, in one place:

- **When.** An agreed package (its newest agreed version) is evaluated from the board's
  year-end realisation moment (``tasks.realisation.moment_dates(package)[Moment.END]``, by
  default 1 July) until the same grace end as realisation (``realisation.record_until``: 31
  October after the school year), so that the year-end realisation and the summer can feed
  it. Before that date the evaluation cannot be started; after the grace end nothing of it
  changes any more (what was recorded stays readable, an evaluation never held stays so).
- **Starting** (the IB or the school's director, a button) creates the ``Evaluation`` of the
  newest agreed version and copies its werkplan goals into ``EvaluationGoal`` rows (key, title,
  domain, success criterion). A package without goals is evaluated all the same: by the record
  of its conversation alone. A package reopened afterwards keeps the evaluation of the version
  it started from.
- **The IB** of the package rates each goal (achieved, partly, not achieved) with its
  evidence. A rating needs evidence (what showed it); evidence without a rating can be saved
  while working on it. She marks the evaluation *ready for the conversation* once every goal
  is rated: the school's directors get a notice (queued mail: a mail server that is down
  undoes nothing). Until the year is closed she may still change a rating (the conversation
  may change it), but a goal cannot lose its rating once the evaluation is ready.
- **The director** of the school adds their view, at any time between the start and the
  close.
- **The conversation** is recorded by the director or the IB, once the IB has marked the
  evaluation ready (a package without goals: at once): the date (not in the future and not
  before the year-end moment), who was present and the agreements, all three required.
  Recording it closes the year (``closed_at``, ``closed_by``): from then on the evaluation is
  read-only for everyone, kept and readable like the package's versions.
- **Who reads.** Everyone who reads the package (``Package.objects.for_user``: the IB, the
  school's directors, the board's staff). Partnership staff never see an evaluation (404),
  not even of a board that shares its packages: the copy is the agreed package only.
- **One lock.** Every change claims the evaluation's ``lock_version`` (``core.versioning``): a
  page loaded before someone else saved is refused and nothing is written.
- **History.** Starting, marking ready and the conversation are ``PackageEvent`` rows of the
  package (``EVALUATION_STARTED``, ``EVALUATION_READY``, ``EVALUATION_HELD``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.versioning import StaleEdit, claim_version
from schools.models import Role, display_name, get_scope

from . import realisation as rs
from .models import (
    Evaluation,
    EvaluationGoal,
    GoalRating,
    Moment,
    Package,
    PackageEvent,
    PackageVersion,
    WerkplanGoal,
)
from .packages import _bump, _record, _send, can_edit, can_review

Kind = PackageEvent.Kind


# ---------------------------------------------------------------------------
# when and who
# ---------------------------------------------------------------------------


def opens_on(package: Package) -> datetime.date:
    """The board's year-end realisation moment of the package's school year."""
    return rs.moment_dates(package)[Moment.END]


def open_until(package: Package) -> datetime.date:
    """31 October after the school year, or the later date board staff gave (``extend``)."""
    return package.evaluation_until or rs.record_until(package.school_year)


def latest_extension(package: Package) -> datetime.date:
    """The latest date board staff may give: the end of the next school year."""
    return package.school_year.end_date + datetime.timedelta(days=365)


def may_extend(package: Package, today: datetime.date) -> bool:
    """Whether a later last day can still be given (``extend``), whoever gives it."""
    return opens_on(package) <= today < latest_extension(package)


def is_open(package: Package, today: datetime.date) -> bool:
    return opens_on(package) <= today <= open_until(package)


def closed_reason(package: Package, agreed: PackageVersion | None, today: datetime.date) -> str:
    """Why the evaluation cannot be started or changed on ``today`` ("" when it can)."""
    if agreed is None:
        return _("The year-end evaluation starts once the package has been agreed.")
    if today < opens_on(package):
        return _("The year-end evaluation opens on %(date)s.") % {
            "date": date_format(opens_on(package))
        }
    if today > open_until(package):
        if package.evaluation_until:
            return _("The evaluation closed on %(date)s, the date the board gave.") % {
                "date": date_format(open_until(package))
            }
        closed = _("The evaluation closed on %(date)s, three months after the school year.") % {
            "date": date_format(open_until(package))
        }
        if may_extend(package, today):
            closed += " " + _("The board's staff can give it more time.")
        return closed
    return ""


def can_rate(package: Package, user) -> bool:
    """Only the IB of the package rates its goals."""
    return can_review(package, user)


def can_add_view(package: Package, user) -> bool:
    """Only a director of the package's school adds the director's view."""
    return can_edit(package, user)


def can_start(package: Package, user) -> bool:
    return can_rate(package, user) or can_add_view(package, user)


def can_record_conversation(package: Package, user) -> bool:
    """The director, or the IB, records the conversation."""
    return can_start(package, user)


def can_extend(package: Package, user) -> bool:
    """The board's staff give a late evaluation more time."""
    return package.board.pk in get_scope(user).staff_board_ids


def is_ready(evaluation: Evaluation) -> bool:
    return evaluation.ib_ready_at is not None


# ---------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------


def _check_open(evaluation: Evaluation, today: datetime.date | None) -> None:
    if evaluation.is_closed:
        raise ValidationError(_("This evaluation has been closed; it can no longer be changed."))
    reason = closed_reason(evaluation.package, evaluation.version, today or timezone.localdate())
    if reason:
        raise ValidationError(reason)


def _claim(evaluation: Evaluation, lock_version: int | None) -> None:
    """The evaluation's version check; a refused claim leaves the caller's object as it was."""
    before = evaluation.lock_version
    try:
        claim_version(evaluation, lock_version)
    except StaleEdit:
        evaluation.lock_version = before
        raise


def goal_keys(goals: Iterable[WerkplanGoal]) -> list[tuple[str, WerkplanGoal]]:
    """(key, goal) per goal; two goals of one version with the same title get a number."""
    seen: dict[str, int] = {}
    keyed = []
    for goal in goals:
        key = goal.key[:190]
        seen[key] = seen.get(key, 0) + 1
        keyed.append((key if seen[key] == 1 else f"{key} ({seen[key]})", goal))
    return keyed


def evaluation_start(*, package: Package, actor, today: datetime.date | None = None) -> Evaluation:
    """Start the year-end evaluation of the newest agreed version, its goals copied. Raises
    ``StaleEdit`` when someone else started it in the meantime (nothing written)."""
    if not can_start(package, actor):
        raise PermissionDenied(
            _("Only the director and the IB of this package start its evaluation.")
        )
    agreed = rs.agreed_version(package.versions.all())
    reason = closed_reason(package, agreed, today or timezone.localdate())
    if reason:
        raise ValidationError(reason)
    with transaction.atomic():
        try:
            with transaction.atomic():
                evaluation = Evaluation.objects.create(package=package, version=agreed)
        except IntegrityError:  # started by another request since the page was loaded
            raise StaleEdit() from None
        goals = WerkplanGoal.objects.filter(version=agreed).order_by("domain__order", "id")
        EvaluationGoal.objects.bulk_create(
            EvaluationGoal(
                evaluation=evaluation,
                key=key,
                title=goal.title,
                domain_id=goal.domain_id,
                success_criterion=goal.success_criterion,
                development_point_id=goal.development_point_id,
                source_text=goal.source_text,
            )
            for key, goal in goal_keys(goals)
        )
        _record(package, agreed, Kind.EVALUATION_STARTED, actor)
    return evaluation


@dataclass(frozen=True)
class GoalValues:
    """What the IB's form holds for one goal: a rating ("" for none) and the evidence."""

    rating: str
    evidence: str


def ratings_save(
    *,
    evaluation: Evaluation,
    actor,
    lock_version: int | None,
    values: Mapping[str, GoalValues],
    ready: bool = False,
    today: datetime.date | None = None,
) -> int:
    """Save the IB's ratings and evidence (``values`` by goal key); with ``ready`` also mark
    the evaluation ready for the conversation. Returns how many goals changed. Refusals per
    goal come as a ``ValidationError`` keyed by goal key; nothing is written then."""
    package = evaluation.package
    if not can_rate(package, actor):
        raise PermissionDenied(_("Only the IB of this package rates its goals."))
    _check_open(evaluation, today)
    goals = {goal.key: goal for goal in evaluation.goals.all()}
    if set(values) - set(goals):
        raise ValidationError(_("A goal is no longer in this evaluation; reload the page."))
    must_rate = ready or is_ready(evaluation)
    errors: dict[str, list[str]] = {}
    for key, goal in goals.items():
        value = values.get(key, GoalValues(goal.rating, goal.evidence))
        if value.rating and value.rating not in GoalRating.values:
            errors[key] = [_("Choose achieved, partly achieved or not achieved.")]
        elif value.rating and not value.evidence.strip():
            errors[key] = [_("Give the evidence for this rating.")]
        elif must_rate and not value.rating:
            errors[key] = [_("Rate this goal before the conversation.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _claim(evaluation, lock_version)
        changed = 0
        for key, value in values.items():
            goal = goals[key]
            evidence = value.evidence.strip()
            if (goal.rating, goal.evidence) == (value.rating, evidence):
                continue
            goal.rating, goal.evidence = value.rating, evidence
            goal.full_clean(exclude=["evaluation", "domain"])
            goal.save(update_fields=["rating", "evidence"])
            changed += 1
        newly_ready = ready and not is_ready(evaluation)
        if newly_ready:
            evaluation.ib_ready_at = timezone.now()
        evaluation.save()
        if newly_ready:
            _record(package, evaluation.version, Kind.EVALUATION_READY, actor)
            _notify_directors(evaluation)
    return changed


def director_view_save(
    *,
    evaluation: Evaluation,
    actor,
    lock_version: int | None,
    view: str,
    today: datetime.date | None = None,
) -> None:
    if not can_add_view(evaluation.package, actor):
        raise PermissionDenied(_("Only the director of the school adds the director's view."))
    _check_open(evaluation, today)
    view = view.strip()
    if not view:
        raise ValidationError({"director_view": _("Write your view of the year.")})
    with transaction.atomic():
        _claim(evaluation, lock_version)
        evaluation.director_view = view
        evaluation.save()


def conversation_save(
    *,
    evaluation: Evaluation,
    actor,
    lock_version: int | None,
    held_on: datetime.date,
    participants: str,
    agreements: str,
    today: datetime.date | None = None,
) -> None:
    """Record the evaluation conversation: this closes the year."""
    package = evaluation.package
    if not can_record_conversation(package, actor):
        raise PermissionDenied(
            _("Only the director and the IB of this package record the conversation.")
        )
    today = today or timezone.localdate()
    _check_open(evaluation, today)
    has_goals = evaluation.goals.exists()
    if has_goals and not is_ready(evaluation):
        raise ValidationError(
            _("The IB rates the goals and marks the evaluation ready before the conversation.")
        )
    errors: dict[str, list[str]] = {}
    if held_on > today:
        errors["held_on"] = [_("The date of the conversation cannot be in the future.")]
    elif held_on < opens_on(package):
        errors["held_on"] = [
            _("The conversation is held from the year-end moment, %(date)s.")
            % {"date": date_format(opens_on(package))}
        ]
    if not participants.strip():
        errors["participants"] = [_("Say who was present.")]
    if not agreements.strip():
        errors["agreements"] = [_("Write down the agreements.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _claim(evaluation, lock_version)
        evaluation.held_on = held_on
        evaluation.participants = participants.strip()
        evaluation.agreements = agreements.strip()
        evaluation.closed_at = timezone.now()
        evaluation.closed_by = actor
        evaluation.full_clean(exclude=["package", "version", "closed_by"])
        evaluation.save()
        _record(
            package,
            evaluation.version,
            Kind.EVALUATION_HELD,
            actor,
            detail=date_format(held_on),
            comment=evaluation.agreements,
        )


def extend(
    *,
    package: Package,
    actor,
    lock_version: int,
    until: datetime.date,
    today: datetime.date | None = None,
) -> None:
    """Board staff give the evaluation of an agreed package more time, up to the end of the
    next school year, for a school whose conversation could not be held in time. A package
    whose evaluation is closed needs none."""
    if not can_extend(package, actor):
        raise PermissionDenied(_("Only the board's staff give an evaluation more time."))
    today = today or timezone.localdate()
    evaluation = evaluation_of(package)
    if evaluation is not None and evaluation.is_closed:
        raise ValidationError(_("This evaluation has been closed; it needs no more time."))
    if today < opens_on(package):
        raise ValidationError(
            _("The evaluation has not opened yet; it opens on %(date)s.")
            % {"date": date_format(opens_on(package))}
        )
    usual = rs.record_until(package.school_year)
    if until <= max(today, usual):
        raise ValidationError(
            {"until": _("Choose a date after %(date)s.") % {"date": date_format(max(today, usual))}}
        )
    if until > latest_extension(package):
        raise ValidationError(
            {
                "until": _("Choose a date up to %(date)s, the end of the next school year.")
                % {"date": date_format(latest_extension(package))}
            }
        )
    with transaction.atomic():
        _bump(package, lock_version)
        package.evaluation_until = until
        package.save(update_fields=["evaluation_until"])
        number = package.versions.order_by("-number").values_list("number", flat=True).first()
        PackageEvent.objects.create(
            package=package,
            version_number=number or 1,
            kind=Kind.EVALUATION_EXTENDED,
            actor=actor,
            detail=date_format(until),
        )


# ---------------------------------------------------------------------------
# notices
# ---------------------------------------------------------------------------


def _notify_directors(evaluation: Evaluation) -> None:
    """Tell the school's directors that the IB has rated the goals (queued after commit)."""
    package = evaluation.package
    directors = [
        membership.user
        for membership in package.school.memberships.filter(role=Role.DIRECTOR).select_related(
            "user"
        )
    ]
    ib = display_name(package.ib)
    _send(
        _("Year-end evaluation %(school)s %(year)s: ready for the conversation")
        % {"school": package.school, "year": package.school_year},
        "tasks/email/evaluation_ready.txt",
        {
            "package": package,
            "ib_name": ib,
            "url": settings.SITE_URL.rstrip("/")
            + reverse("tasks:package-evaluation", args=[package.pk]),
        },
        package,
        directors,
    )


# ---------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    """Where the evaluation of a package stands, for the package page and the to-do list."""

    code: str  # "not-open", "open", "started", "ready", "closed", "missed"
    opens_on: datetime.date
    open_until: datetime.date
    evaluation: Evaluation | None

    @property
    def label(self) -> str:
        evaluation = self.evaluation
        if self.code == "not-open":
            return _("Opens on %(date)s.") % {"date": date_format(self.opens_on)}
        if self.code == "open":
            return _("Not started yet; open until %(date)s.") % {
                "date": date_format(self.open_until)
            }
        if self.code == "started":
            return _("The IB is rating the goals; open until %(date)s.") % {
                "date": date_format(self.open_until)
            }
        if self.code == "ready":
            return _("Rated by the IB on %(date)s; waiting for the conversation.") % {
                "date": date_format(timezone.localtime(evaluation.ib_ready_at).date())
            }
        if self.code == "closed":
            return _("Conversation held on %(date)s; the year is closed.") % {
                "date": date_format(evaluation.held_on)
            }
        return _("No evaluation conversation was recorded; it closed on %(date)s.") % {
            "date": date_format(self.open_until)
        }


def status_of(package: Package, evaluation: Evaluation | None, today: datetime.date) -> Status:
    """The status of an agreed package's evaluation on ``today`` (no query)."""
    start, until = opens_on(package), open_until(package)
    if evaluation is not None and evaluation.is_closed:
        code = "closed"
    elif today < start:
        code = "not-open"
    elif today > until:
        code = "missed"
    elif evaluation is None:
        code = "open"
    else:
        code = "ready" if is_ready(evaluation) else "started"
    return Status(code=code, opens_on=start, open_until=until, evaluation=evaluation)


def evaluation_of(package: Package) -> Evaluation | None:
    """The package's evaluation (no query when loaded with ``select_related("evaluation")``)."""
    try:
        return package.evaluation
    except Evaluation.DoesNotExist:
        return None


def package_page_context(package: Package, context: dict, user) -> dict:
    """The evaluation's status and link on the package page, once the package has been
    agreed (``get_package`` loads the evaluation with the package), with its goals' ratings
    and the agreements once it has started."""
    if rs.agreed_version(context["versions"]) is None:
        return {}
    evaluation = evaluation_of(package)
    result = {"evaluation_status": status_of(package, evaluation, timezone.localdate())}
    if evaluation is not None:
        # Readable on the package page too: each goal's rating (one query, only once the
        # evaluation has started).
        result["evaluation_goals"] = list(evaluation.goals.all())
    return result


def rating_counts(goals: Iterable[EvaluationGoal]) -> list[tuple[str, str, int]]:
    """(rating, label, number of goals) for each rating, in order."""
    goals = list(goals)
    return [
        (rating, label, sum(1 for goal in goals if goal.rating == rating))
        for rating, label in GoalRating.choices
    ]
