"""Rules and services of the board's training offer: an IB's track status and repayment.

Status of a module for an IB (``module_state``):

- done: linked to the IB's training record that has ended (by today), unless the board judged
  its certificate as "further training needed"; the judgement is shown beside it;
- in progress: linked to a training record that started and has not ended yet;
- planned: linked to a training record that starts later, or a planned school year or date
  that has not passed;
- overdue (required modules of a track the IB follows only): the planned date passed, or it is
  planned after the track's deadline, or the deadline passed without it being done;
- open: nothing planned yet.

The mandatory track is followed by every IB of its board; another track by the IBs enrolled.
Nobody follows a track of a board they have left (``left_board_ids``: no IB role there any
more, or every appointment there ended before today): nothing of theirs is overdue, since the
board does not chase someone who left. Their modules taken and their enrolment stay on the
board's overview, for the repayment.

Repayment (``repayment_due``): under the scheme the IB agreed to, the costs of the modules taken
(those with a training record) are repaid when the IB leaves or stops. Before completion, or on
stopping early: the early-stop percentage. After completion: the percentage of the year after
completion the leaving day falls in (the day of completion and the 364 days after it are the
first year; exactly one year later is the second), nothing beyond the listed years. Decimal
arithmetic, the amount rounded to cents (half up).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.versioning import ExpectedVersion, claim_version
from schools.models import Appointment, Board, Membership, Role, display_name

from .models import Cell, Training
from .training_models import (
    ModulePlan,
    RepaymentAgreement,
    TrackEnrolment,
    TrainingModule,
    TrainingTrack,
)

CENT = Decimal("0.01")
HUNDRED = Decimal("100")


class State:
    DONE = "done"
    IN_PROGRESS = "in_progress"
    PLANNED = "planned"
    OVERDUE = "overdue"
    OPEN = "open"


STATE_LABELS = {
    State.DONE: gettext_lazy("Done"),
    State.IN_PROGRESS: gettext_lazy("In progress"),
    State.PLANNED: gettext_lazy("Planned"),
    State.OVERDUE: gettext_lazy("Overdue"),
    State.OPEN: gettext_lazy("Not planned yet"),
}


@dataclass
class ModuleStatus:
    module: TrainingModule
    plan: ModulePlan | None
    state: str
    reason: str = ""

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def training(self) -> Training | None:
        return self.plan.training if self.plan else None

    def due(self, deadline: datetime.date) -> datetime.date:
        """The day the module is to be done by: the IB's planned day, but never later than the
        track's ``deadline`` (a plan after it does not move the deadline)."""
        planned_by = self.plan.planned_by if self.plan else None
        return min(planned_by, deadline) if planned_by else deadline


def module_state(
    module: TrainingModule,
    plan: ModulePlan | None,
    *,
    deadline: datetime.date,
    followed: bool,
    today: datetime.date,
) -> ModuleStatus:
    training = plan.training if plan else None
    if training is not None and training.judgement != Training.Judgement.FURTHER:
        if training.has_ended(today):
            return ModuleStatus(module, plan, State.DONE)
        if training.has_started(today) or training.start_date is None:
            return ModuleStatus(module, plan, State.IN_PROGRESS)
        # Recorded ahead: planned from its start date (overdue if that is after the deadline).
        if module.is_required and followed and training.start_date > deadline:
            reason = _("Planned after the track's deadline.")
            return ModuleStatus(module, plan, State.OVERDUE, reason)
        return ModuleStatus(module, plan, State.PLANNED)
    planned_by = plan.planned_by if plan else None
    if module.is_required and followed:
        if training is not None:  # judged: further training needed
            reason = _("The board asks for further training.")
            return ModuleStatus(module, plan, State.OVERDUE, reason)
        if planned_by and planned_by < today:
            reason = _("The planned date has passed.")
            return ModuleStatus(module, plan, State.OVERDUE, reason)
        if planned_by and planned_by > deadline:
            reason = _("Planned after the track's deadline.")
            return ModuleStatus(module, plan, State.OVERDUE, reason)
        if not planned_by and deadline < today:
            reason = _("The track's deadline has passed.")
            return ModuleStatus(module, plan, State.OVERDUE, reason)
    if planned_by:
        return ModuleStatus(module, plan, State.PLANNED)
    return ModuleStatus(module, plan, State.OPEN)


@dataclass
class TrackStatus:
    track: TrainingTrack
    followed: bool
    enrolment: TrackEnrolment | None
    modules: list[ModuleStatus] = field(default_factory=list)
    repayment: EnrolmentRepayment | None = None  # set by the pages that show it

    @cached_property
    def _state_counts(self) -> Counter:
        # Read once the statuses are complete (``track_status``); the pages ask many times.
        return Counter(status.state for status in self.modules)

    def count(self, state: str) -> int:
        return self._state_counts[state]

    @property
    def done(self) -> int:
        return self.count(State.DONE)

    @property
    def overdue(self) -> int:
        return self.count(State.OVERDUE)

    @property
    def planned(self) -> int:
        return self.count(State.PLANNED) + self.count(State.IN_PROGRESS)

    @property
    def hours_done(self) -> Decimal:
        return sum((s.module.hours for s in self.modules if s.state == State.DONE), Decimal(0))

    @property
    def completed_on(self) -> datetime.date | None:
        """The day the last required module ended, once every required module is done (every
        module, in a track without required ones)."""
        required = [s for s in self.modules if s.module.is_required] or self.modules
        if not required or any(s.state != State.DONE for s in required):
            return None
        return max(s.training.end_date for s in required)

    @property
    def taken(self) -> list[ModuleStatus]:
        """Modules with a training record: what the IB took (and what a repayment counts)."""
        return [s for s in self.modules if s.training is not None]

    @property
    def stopped(self) -> bool:
        return bool(self.enrolment and self.enrolment.stopped_on)


def follows(track: TrainingTrack, enrolment: TrackEnrolment | None, *, left: bool) -> bool:
    """Whether the IB follows the track: the mandatory one or one they are enrolled in and did
    not stop, on a board they have not left."""
    return (
        (track.is_mandatory or enrolment is not None)
        and not (enrolment and enrolment.stopped_on)
        and not left
    )


def track_status(
    track: TrainingTrack,
    plans: dict[int, ModulePlan],
    enrolment: TrackEnrolment | None,
    today: datetime.date,
    *,
    left: bool = False,
    modules: list[TrainingModule] | None = None,
) -> TrackStatus:
    """One IB's status in one track; ``plans`` by module id (the IB's), modules prefetched
    (or given as ``modules``: a list shared by every IB's status, see ``statuses_for``).
    ``left``: the IB left the track's board, so they no longer follow it."""
    followed = follows(track, enrolment, left=left)
    status = TrackStatus(track=track, followed=followed, enrolment=enrolment)
    deadline = track.deadline
    for module in track.modules.all() if modules is None else modules:
        plan = plans.get(module.id)
        if plan is not None:
            plan.module = module  # the prefetched one: no query for plan.cost
        status.modules.append(
            module_state(
                module,
                plan,
                deadline=deadline,
                followed=followed,
                today=today,
            )
        )
    return status


# ---------------------------------------------------------------------------
# reading: one query set for an IB or for the whole board
# ---------------------------------------------------------------------------


def tracks_with_modules(
    board_ids: Iterable[int], *, active: bool = True, cells: bool = True
) -> QuerySet:
    """The boards' tracks with their modules and the modules' cells (3 queries; 2 without
    ``cells``, for a page that shows none)."""
    tracks = TrainingTrack.objects.filter(board_id__in=list(board_ids))
    if active:
        tracks = tracks.filter(is_active=True)
    modules = TrainingModule.objects.all()
    if cells:
        modules = modules.prefetch_related(
            Prefetch("cells", queryset=Cell.objects.select_related("row", "column"))
        )
    return tracks.select_related("board").prefetch_related(Prefetch("modules", queryset=modules))


@dataclass
class PersonStatus:
    ib: object
    tracks: list[TrackStatus]
    leave_on: datetime.date | None = None  # the day they leave the board, once known
    left: bool = False  # they have left the board (see ``has_left``)

    @property
    def name(self) -> str:
        return display_name(self.ib)

    @property
    def overdue(self) -> int:
        return sum(track.overdue for track in self.tracks)


def statuses_for(
    ibs: list,
    tracks: list[TrainingTrack],
    plans: Iterable[ModulePlan],
    enrolments,
    today,
    *,
    offered: bool = False,
    left: frozenset[tuple[int, int]] = frozenset(),
) -> list[PersonStatus]:
    """Every IB's status in every track: a track they do not follow appears only when they
    planned or took one of its modules, or with ``offered`` (the IB's own page, where they
    start it); an inactive track only with an enrolment or a plan. ``left`` holds the
    (IB id, board id) pairs of boards the IB has left: they follow none of its tracks."""
    plans_by_ib: dict[int, dict[int, ModulePlan]] = defaultdict(dict)
    for plan in plans:
        plans_by_ib[plan.ib_id][plan.module_id] = plan
    enrolled = {(e.ib_id, e.track_id): e for e in enrolments}
    # Each track's modules once: the related manager costs a little on every access.
    modules_of = {track.pk: list(track.modules.all()) for track in tracks}
    module_ids = {pk: [module.id for module in modules] for pk, modules in modules_of.items()}
    people = []
    for ib in ibs:
        ib_id = ib.pk
        own_plans = plans_by_ib.get(ib_id, {})
        rows = []
        for track in tracks:
            track_id = track.pk
            enrolment = enrolled.get((ib_id, track_id))
            track_left = (ib_id, track.board_id) in left
            current = track.is_active and (offered or follows(track, enrolment, left=track_left))
            # Not shown (nothing current, no enrolment, no module planned): not computed.
            if not (current or enrolment or any(pk in own_plans for pk in module_ids[track_id])):
                continue
            rows.append(
                track_status(
                    track,
                    own_plans,
                    enrolment,
                    today,
                    left=track_left,
                    modules=modules_of[track_id],
                )
            )
        people.append(PersonStatus(ib=ib, tracks=rows))
    return people


def ib_statuses(
    user, board_ids, today: datetime.date, *, offered: bool = False, active: bool = True
) -> list[TrackStatus]:
    """The IB's own status in the tracks of their boards (6 queries): those they follow, plan or
    took a module of, or with ``offered`` every active track (to start one); with
    ``active=False`` inactive tracks too (an enrolment outlives its track's offer)."""
    tracks = list(tracks_with_modules(board_ids, active=active))
    plans = ModulePlan.objects.filter(ib=user, board_id__in=board_ids).select_related(
        "training", "training__judged_by"
    )
    enrolments = TrackEnrolment.objects.filter(ib=user, board_id__in=board_ids).select_related(
        "agreement"
    )
    left = frozenset((user.pk, board_id) for board_id in left_board_ids(user, board_ids, today))
    people = statuses_for([user], tracks, plans, enrolments, today, offered=offered, left=left)
    return people[0].tracks


def has_left(*, is_board_ib: bool, leave_on: datetime.date | None, today: datetime.date) -> bool:
    """Whether a person has left the board: no IB role there any more (ended by the board
    administrator, or another role now), or their last appointment there ended before today.
    Someone whose last day is still to come is an IB until then."""
    return not is_board_ib or (leave_on is not None and leave_on < today)


def left_board_ids(user, board_ids: Iterable[int], today: datetime.date) -> set[int]:
    """The boards among ``board_ids`` the IB has left (two queries)."""
    board_ids = list(board_ids)
    ends: dict[int, list] = defaultdict(list)
    appointments = Appointment.objects.filter(ib=user, board_id__in=board_ids)
    for board_id, end in appointments.values_list("board_id", "end_date"):
        ends[board_id].append(end)
    ib_boards = set(
        Membership.objects.filter(user=user, role=Role.IB, board_id__in=board_ids).values_list(
            "board_id", flat=True
        )
    )
    return {
        board_id
        for board_id in board_ids
        if has_left(
            is_board_ib=board_id in ib_boards,
            leave_on=last_day(ends.get(board_id, [])),
            today=today,
        )
    }


def board_ibs(board: Board) -> QuerySet:
    """The board's IBs, and people who have left but have a track enrolment there;
    ``is_board_ib`` says which are IBs of the board now."""
    from django.contrib.auth import get_user_model
    from django.db.models import Exists, OuterRef

    ib_role = Membership.objects.filter(user=OuterRef("pk"), role=Role.IB, board=board)
    # One set of ids (a union) rather than joins with DISTINCT or an OR of two sets: the
    # planner then reads only the board's people, not every account.
    ibs = Membership.objects.filter(role=Role.IB, board=board).values_list("user_id").order_by()
    enrolled = TrackEnrolment.objects.filter(board=board).values_list("ib_id").order_by()
    return (
        get_user_model()
        .objects.filter(pk__in=ibs.union(enrolled))
        .annotate(is_board_ib=Exists(ib_role))
        .order_by("last_name", "first_name", "username")
    )


@dataclass
class Overview:
    tracks: list[TrainingTrack]
    people: list[PersonStatus]


@dataclass(slots=True)
class TrainingDates:
    """What ``module_state`` and ``TrackStatus`` read of a training record (see ``Training``)."""

    judgement: str
    start_date: datetime.date | None
    end_date: datetime.date | None

    has_ended = Training.has_ended
    has_started = Training.has_started


@dataclass(slots=True)
class PlanState:
    """What ``module_state``, ``TrackStatus`` and ``enrolment_repayment`` read of a module plan
    (see ``ModulePlan``): the board's overview reads thousands, plain values cost less than
    model instances."""

    ib_id: int
    module_id: int
    planned_year: int | None
    planned_date: datetime.date | None
    cost_taken: Decimal | None
    training: TrainingDates | None
    module: TrainingModule | None = None  # set by ``track_status``

    planned_by = ModulePlan.planned_by
    cost = ModulePlan.cost


def plan_states(plans: QuerySet) -> list[PlanState]:
    """The plans as ``PlanState``, with their training records (one query)."""
    rows = plans.values_list(
        "ib_id",
        "module_id",
        "planned_year",
        "planned_date",
        "cost_taken",
        "training_id",
        "training__judgement",
        "training__start_date",
        "training__end_date",
    )
    return [
        PlanState(
            ib_id,
            module_id,
            year,
            date,
            cost_taken,
            None if training_id is None else TrainingDates(judgement, start, end),
        )
        for ib_id, module_id, year, date, cost_taken, training_id, judgement, start, end in rows
    ]


def board_overview(
    board: Board,
    today: datetime.date,
    *,
    track_id: int | None = None,
    overdue: bool = False,
    name: str = "",
) -> Overview:
    """Where every IB of the board is in each track, who leaves and what they repay (6 queries,
    whatever the numbers). People who have left follow no track: they are never overdue, and
    appear only with a module planned or taken or an enrolment (what they repay)."""
    tracks = list(tracks_with_modules([board.pk], cells=False))
    ibs = board_ibs(board)
    if name:
        ibs = ibs.filter(
            Q(first_name__icontains=name)
            | Q(last_name__icontains=name)
            | Q(username__icontains=name)
        )
    ibs = list(ibs.only("first_name", "last_name", "username"))  # a name and the annotation
    # Keyed by IB and module or track below: no ordering (it would join the tracks and boards).
    # Only what a module's state and a repayment read: the board's plans run into thousands.
    plans = plan_states(ModulePlan.objects.filter(board=board).order_by())
    enrolments = TrackEnrolment.objects.filter(board=board).select_related("agreement").order_by()
    shown = [t for t in tracks if track_id is None or t.pk == track_id]
    ends: dict[int, list] = defaultdict(list)
    appointments = Appointment.objects.filter(board=board).order_by()
    for ib_id, end in appointments.values_list("ib_id", "end_date"):
        ends[ib_id].append(end)
    leave_on = {ib.pk: last_day(ends.get(ib.pk, [])) for ib in ibs}
    left = frozenset(
        (ib.pk, board.pk)
        for ib in ibs
        if has_left(is_board_ib=ib.is_board_ib, leave_on=leave_on[ib.pk], today=today)
    )
    people = statuses_for(ibs, shown, plans, enrolments, today, left=left)
    for person in people:
        person.leave_on = leave_on[person.ib.pk]
        person.left = (person.ib.pk, board.pk) in left
        for status in person.tracks:
            status.repayment = enrolment_repayment(status, person.leave_on)
    # Someone who left with nothing in any track is no business of the overview any more.
    people = [person for person in people if person.tracks or not person.left]
    if overdue:
        people = [person for person in people if person.overdue]
    return Overview(tracks=tracks, people=people)


# ---------------------------------------------------------------------------
# repayment
# ---------------------------------------------------------------------------


@dataclass
class Repayment:
    """The amount due, with each step of the calculation for the people who read it."""

    costs: Decimal
    percentage: Decimal
    amount: Decimal
    case: str  # "none", "early", "after"
    year: int | None = None  # 1 = the first year after completion
    steps: list[str] = field(default_factory=list)


def money(value: Decimal) -> str:
    return f"€ {value.quantize(CENT):,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")


def percent(value: Decimal) -> str:
    text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"
    return f"{text.replace('.', ',')}%"


def whole_years(start: datetime.date, end: datetime.date) -> int:
    """Whole years from ``start`` to ``end``: 0 on the day itself, 1 exactly a year later."""
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def repayment_due(
    *,
    costs: Iterable[Decimal],
    percentages: list[Decimal],
    early_stop_percentage: Decimal,
    completed_on: datetime.date | None,
    ended_on: datetime.date,
    stopped_early: bool,
) -> Repayment:
    """What the IB repays on leaving (or stopping) on ``ended_on`` under an agreed scheme."""
    total = sum(costs, Decimal(0)).quantize(CENT)
    steps = [_("Costs of the modules taken: %(total)s.") % {"total": money(total)}]
    if stopped_early or completed_on is None or ended_on < completed_on:
        pct, case, year = early_stop_percentage, "early", None
        facts = {"ended": ended_on.strftime("%d-%m-%Y"), "pct": percent(pct)}
        if stopped_early:
            steps.append(_("Stopped early on %(ended)s: %(pct)s of the costs.") % facts)
        else:
            steps.append(
                _("Leaving on %(ended)s, before completing the track: %(pct)s of the costs.")
                % facts
            )
    else:
        years = whole_years(completed_on, ended_on)
        year, case = years + 1, "after"
        pct = percentages[years] if years < len(percentages) else Decimal(0)
        steps.append(
            _(
                "Completed on %(completed)s, leaving on %(ended)s: year %(year)s after "
                "completion, %(pct)s of the costs."
            )
            % {
                "completed": completed_on.strftime("%d-%m-%Y"),
                "ended": ended_on.strftime("%d-%m-%Y"),
                "year": year,
                "pct": percent(pct),
            }
        )
    amount = (total * pct / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
    steps.append(
        _("%(total)s × %(pct)s = %(amount)s.")
        % {"total": money(total), "pct": percent(pct), "amount": money(amount)}
    )
    if total == 0:
        case = "none"
    return Repayment(costs=total, percentage=pct, amount=amount, case=case, year=year, steps=steps)


def last_day(ends: list) -> datetime.date | None:
    """The day an IB leaves: the last end date once every appointment has one."""
    if not ends or any(end is None for end in ends):
        return None
    return max(ends)


def leaving_date(ib, board_id: int) -> datetime.date | None:
    """The day the IB leaves the board (None while an appointment runs without an end)."""
    return last_day(
        list(
            Appointment.objects.filter(ib=ib, board_id=board_id).values_list("end_date", flat=True)
        )
    )


@dataclass
class EnrolmentRepayment:
    ended_on: datetime.date | None
    stopped: bool
    repayment: Repayment | None


def enrolment_repayment(status: TrackStatus, leave_on: datetime.date | None) -> EnrolmentRepayment:
    """The repayment due for an enrolment with an agreement, once the IB stopped or leaves."""
    enrolment = status.enrolment
    agreement = getattr(enrolment, "agreement", None) if enrolment else None
    stopped = bool(enrolment and enrolment.stopped_on)
    ended_on = enrolment.stopped_on if stopped else leave_on
    if agreement is None or ended_on is None:
        return EnrolmentRepayment(ended_on=ended_on, stopped=stopped, repayment=None)
    repayment = repayment_due(
        costs=[s.plan.cost for s in status.taken],
        percentages=agreement.percentages,
        early_stop_percentage=agreement.early_stop_percentage,
        completed_on=status.completed_on,
        ended_on=ended_on,
        stopped_early=stopped,
    )
    return EnrolmentRepayment(ended_on=ended_on, stopped=stopped, repayment=repayment)


# ---------------------------------------------------------------------------
# services
# ---------------------------------------------------------------------------


@transaction.atomic
def track_save(*, track: TrainingTrack, lock_version: ExpectedVersion) -> TrainingTrack:
    claim_version(track if track.pk else None, lock_version)
    track.full_clean()
    track.save()
    return track


@transaction.atomic
def module_save(*, module: TrainingModule, cells, lock_version: ExpectedVersion) -> TrainingModule:
    """Save a module; its cells belong to a current framework of the track's board."""
    from .development import current_cells

    allowed = set(current_cells([module.track.board_id]).values_list("pk", flat=True))
    if any(cell.pk not in allowed for cell in cells):
        raise ValidationError(
            {"cells": _("Choose competencies of the board's current frameworks.")}
        )
    claim_version(module if module.pk else None, lock_version)
    module.full_clean()
    module.save()
    module.cells.set(cells)
    return module


@transaction.atomic
def plan_save(*, plan: ModulePlan, lock_version: ExpectedVersion) -> ModulePlan:
    """The IB's plan of a module; a linked training record is their own, of the same board."""
    training = plan.training
    if training is not None and (
        training.ib_id != plan.ib_id or training.board_id != plan.board_id
    ):
        raise ValidationError({"training": _("Choose one of your own training records.")})
    claim_version(plan if plan.pk else None, lock_version)
    if training is None:
        plan.cost_taken = None
    elif plan.cost_taken is None:  # taken now: the price as it is today
        plan.cost_taken = plan.module.cost
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def module_training_create(*, module: TrainingModule, ib, today: datetime.date) -> Training:
    """Record the module as the IB's training (course, provider, hours) and link it to the
    plan: the IB then adds the dates and the certificate, which the board judges."""
    plan = ModulePlan.objects.filter(ib=ib, module=module).select_related("training").first()
    if plan is not None and plan.training is not None:
        raise ValidationError(_("This module already has a training record."))
    start = (plan.planned_date if plan and plan.planned_date else None) or today
    training = Training(
        ib=ib,
        board_id=module.track.board_id,
        course=module.title,
        provider=module.provider,
        hours=module.hours,
        start_date=start,
    )
    training.full_clean()
    training.save()
    if plan is None:
        plan = ModulePlan(ib=ib, board_id=module.track.board_id, module=module)
    plan.training = training
    plan.cost_taken = module.cost
    plan.full_clean()
    plan.save()
    return training


@transaction.atomic
def enrolment_create(
    *, track: TrainingTrack, ib, started_on: datetime.date, agreed: bool, today: datetime.date
) -> TrackEnrolment:
    """The IB starts a track; for a track with a repayment scheme they agree to it first."""
    if TrackEnrolment.objects.filter(ib=ib, track=track).exists():
        raise ValidationError(_("You already follow this track."))
    if track.has_scheme and not agreed:
        raise ValidationError({"agree": _("Agree to the repayment scheme to start this track.")})
    enrolment = TrackEnrolment(ib=ib, board_id=track.board_id, track=track, started_on=started_on)
    enrolment.full_clean()
    enrolment.save()
    if track.has_scheme:
        RepaymentAgreement.objects.create(
            enrolment=enrolment,
            repayment_percentages=track.repayment_percentages,
            early_stop_percentage=track.early_stop_percentage or Decimal(0),
            agreed_on=today,
        )
    return enrolment


@transaction.atomic
def enrolment_stop(
    *,
    enrolment: TrackEnrolment,
    stopped_on: datetime.date,
    reason: str,
    lock_version: ExpectedVersion,
) -> TrackEnrolment:
    """Board staff record that the IB stopped the track early (the repayment then follows)."""
    claim_version(enrolment, lock_version)
    enrolment.stopped_on = stopped_on
    enrolment.stop_reason = reason.strip()
    enrolment.full_clean()
    enrolment.save()
    return enrolment


def followed_required_modules(scope, today: datetime.date) -> list[ModuleStatus]:
    """The state of every required module of the tracks the IB follows, in one query: the
    IB's plan and training are read as annotations (for the start page's to-do list)."""
    from django.db.models import Exists, F, FilteredRelation, OuterRef

    enrolment = TrackEnrolment.objects.filter(track=OuterRef("track"), ib_id=scope.user_id)
    modules = (
        # At most one plan per IB and module (module_plan_unique_ib): a left join, not a
        # subquery per column.
        TrainingModule.objects.annotate(
            own_plan=FilteredRelation("plans", condition=Q(plans__ib_id=scope.user_id)),
            stopped=Exists(enrolment.filter(stopped_on__isnull=False)),
            enrolled=Exists(enrolment.filter(stopped_on__isnull=True)),
            plan_id=F("own_plan__id"),
            plan_year=F("own_plan__planned_year"),
            plan_date=F("own_plan__planned_date"),
            training_id=F("own_plan__training_id"),
            training_start=F("own_plan__training__start_date"),
            training_end=F("own_plan__training__end_date"),
            training_judgement=F("own_plan__training__judgement"),
        )
        .filter(track__board_id__in=scope.ib_board_ids, track__is_active=True, is_required=True)
        .filter(Q(track__is_mandatory=True, stopped=False) | Q(enrolled=True))
        .select_related("track")
        .order_by("track__name", "order", "id")
    )
    statuses = []
    for module in modules:
        plan = None
        if module.plan_id:
            plan = ModulePlan(
                pk=module.plan_id, planned_year=module.plan_year, planned_date=module.plan_date
            )
            if module.training_id:
                plan.training = Training(
                    pk=module.training_id,
                    start_date=module.training_start,
                    end_date=module.training_end,
                    judgement=module.training_judgement,
                )
        statuses.append(
            module_state(module, plan, deadline=module.track.deadline, followed=True, today=today)
        )
    return statuses
