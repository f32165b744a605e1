"""The conversation cycle: functionerings- and beoordelingsgesprekken (seed 000, issue 17).

Seed 000: the personnel-responsible director "houdt functionerings- en beoordelingsgesprekken
met de intern begeleider". The rules:

* The board sets its cycle (``ConversationPolicy``): every how many years each kind is due.
  The next one is due that many years after the last one held (its report recorded), or
  after the start of the IB's current appointment when none was held yet.
* Only the appointment's personnel-responsible director (``Appointment.personnel``) plans a
  conversation; it stays theirs (they hold it and write the report).
* Both write a preparation. A preparation is the author's own until they share it; once the
  report is recorded both preparations are part of the record and the other party reads them.
  Board staff read the plan, the report, the agreements and the IB's response, never the
  preparations (working notes between the two; need-to-know).
* The IB may link one of their self-assessments they shared with this director as
  preparation; it stays a dialogue and its own page decides who reads it.
* The director records the report and the agreements on or after the day of the
  conversation, and may correct them until the IB signs. The IB signs for having read it
  with their own response (the signature is the IB's own action and its time). A signed
  report is locked: every change is refused; a correction is a new conversation.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.versioning import ExpectedVersion, StaleEdit, claim_version
from schools.models import Appointment, Board, get_scope

from .models import AppraisalConversation, AssessmentRound, ConversationKind, ConversationPolicy

Conversation = AppraisalConversation
# Planned conversations show as a to-do this many days ahead.
PREPARE_NOTICE_DAYS = 30


# ---------------------------------------------------------------------------
# The board's cycle
# ---------------------------------------------------------------------------


def policy_for(board: Board) -> ConversationPolicy:
    """The board's cycle; an unsaved one with the defaults while the board set none."""
    return ConversationPolicy.objects.filter(board=board).first() or ConversationPolicy(board=board)


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def policy_save(
    *, policy: ConversationPolicy, actor, lock_version: ExpectedVersion
) -> ConversationPolicy:
    if not get_scope(actor).can_manage_board(policy.board_id):
        raise PermissionDenied(_("Only board staff set the conversation cycle."))
    if policy.pk is None and ConversationPolicy.objects.filter(board_id=policy.board_id).exists():
        raise StaleEdit()  # another member of staff set the cycle since the form was opened
    claim_version(policy if policy.pk else None, lock_version)
    policy.full_clean()
    policy.save()
    return policy


# ---------------------------------------------------------------------------
# Who may do what
# ---------------------------------------------------------------------------


def is_director_of(conversation: Conversation, user) -> bool:
    return conversation.director_id == user.pk


def is_ib_of(conversation: Conversation, user) -> bool:
    return conversation.ib_id == user.pk


def other_preparation_visible(conversation: Conversation, user) -> bool:
    """Whether ``user`` (IB or director of it) reads the other party's preparation."""
    if is_director_of(conversation, user):
        shared = conversation.ib_shared_at
    elif is_ib_of(conversation, user):
        shared = conversation.director_shared_at
    else:
        return False
    return shared is not None or conversation.is_recorded


def linkable_rounds(conversation: Conversation):
    """The IB's completed self-assessments shared with this conversation's director."""
    return AssessmentRound.objects.filter(
        ib_id=conversation.ib_id,
        board_id=conversation.board_id,
        shared_with_id=conversation.director_id,
        status=AssessmentRound.Status.COMPLETED,
    ).select_related("framework")


def _require_director(conversation: Conversation, actor) -> None:
    if not is_director_of(conversation, actor):
        raise PermissionDenied(_("Only the director who holds this conversation does this."))


def _require_ib(conversation: Conversation, actor) -> None:
    if not is_ib_of(conversation, actor):
        raise PermissionDenied(_("Only the IB signs for having read the report."))


def _require_not_signed(conversation: Conversation) -> None:
    if conversation.is_signed:
        raise PermissionDenied(
            _("The IB signed this report: it is locked. Plan a new conversation for a correction.")
        )


def _require_not_recorded(conversation: Conversation) -> None:
    if conversation.is_recorded:
        raise PermissionDenied(
            _("The report of this conversation is recorded: the plan and preparations are final.")
        )


# ---------------------------------------------------------------------------
# Services
# ---------------------------------------------------------------------------


# A conversation is planned at most this many years ahead.
PLAN_AHEAD_YEARS = 2


def _check_date(conversation: Conversation) -> None:
    """The date lies in the IB's time at this board and not beyond the planning horizon: a
    conversation before the first appointment started would falsify the cycle (the board's
    overview counts the next one from it), and it cannot be corrected once signed."""
    day = conversation.date
    if not day:
        return
    if day.year < 2000:
        raise ValidationError({"date": _("Give a date in this century.")})
    first = (
        Appointment.objects.filter(ib_id=conversation.ib_id, board_id=conversation.board_id)
        .order_by("start_date")
        .values_list("start_date", flat=True)
        .first()
    )
    if first and day < first:
        raise ValidationError(
            {
                "date": _(
                    "The IB's appointment starts on %(start)s: plan the conversation on or "
                    "after that day."
                )
                % {"start": first.strftime("%d-%m-%Y")}
            }
        )
    horizon = add_years(timezone.localdate(), PLAN_AHEAD_YEARS)
    if day > horizon:
        raise ValidationError(
            {
                "date": _("Plan the conversation at most %(years)s years ahead (until %(day)s).")
                % {"years": PLAN_AHEAD_YEARS, "day": horizon.strftime("%d-%m-%Y")}
            }
        )


@transaction.atomic
def conversation_plan(
    *, appointment: Appointment, actor, kind: str, date: datetime.date
) -> Conversation:
    """The personnel-responsible director plans a conversation with the appointment's IB."""
    if actor not in appointment.personnel_directors:
        raise PermissionDenied(
            _("Only the IB's personnel-responsible director plans their conversations.")
        )
    conversation = Conversation(
        ib_id=appointment.ib_id,
        board_id=appointment.board_id,
        director=actor,
        kind=kind,
        date=date,
    )
    _check_date(conversation)
    conversation.full_clean()
    conversation.save()
    return conversation


@transaction.atomic
def conversation_reschedule(
    *,
    conversation: Conversation,
    actor,
    kind: str,
    date: datetime.date,
    lock_version: ExpectedVersion,
) -> Conversation:
    _require_director(conversation, actor)
    _require_not_recorded(conversation)
    claim_version(conversation, lock_version)
    conversation.kind, conversation.date = kind, date
    _check_date(conversation)
    conversation.full_clean()
    conversation.save()
    return conversation


@transaction.atomic
def conversation_cancel(*, conversation: Conversation, actor) -> None:
    """A planned conversation that will not be held goes; a recorded one stays on record."""
    _require_director(conversation, actor)
    _require_not_recorded(conversation)
    conversation.delete()


@transaction.atomic
def preparation_save(
    *,
    conversation: Conversation,
    actor,
    text: str,
    share: bool,
    linked_round: AssessmentRound | None = None,
    lock_version: ExpectedVersion,
) -> Conversation:
    """The actor's own preparation (director or IB); sharing shows it to the other party."""
    as_director = is_director_of(conversation, actor)
    if not as_director and not is_ib_of(conversation, actor):
        raise PermissionDenied(_("Only the IB and the director prepare this conversation."))
    _require_not_recorded(conversation)
    claim_version(conversation, lock_version)
    now = timezone.now()
    if as_director:
        conversation.director_preparation = text
        conversation.director_shared_at = (
            (conversation.director_shared_at or now) if share else None
        )
    else:
        if linked_round is not None and linked_round not in linkable_rounds(conversation):
            raise ValidationError(
                {
                    "linked_round": _(
                        "Link a self-assessment you shared with this conversation's director."
                    )
                }
            )
        conversation.ib_preparation = text
        shared_at = conversation.ib_shared_at or now
        conversation.ib_shared_at = shared_at if share else None
        conversation.linked_round = linked_round
    conversation.full_clean()
    conversation.save()
    return conversation


@transaction.atomic
def report_save(
    *,
    conversation: Conversation,
    actor,
    report: str,
    agreements: str,
    lock_version: ExpectedVersion,
) -> Conversation:
    """The director records (or, until the IB signed, corrects) the report and agreements."""
    _require_director(conversation, actor)
    _require_not_signed(conversation)
    if conversation.date > timezone.localdate():
        raise ValidationError(
            _("The conversation is planned for %(date)s: record the report on or after that day.")
            % {"date": conversation.date.strftime("%d-%m-%Y")}
        )
    if not report.strip():
        raise ValidationError({"report": _("Write the report of the conversation.")})
    claim_version(conversation, lock_version)
    conversation.report, conversation.agreements = report, agreements
    conversation.recorded_at = conversation.recorded_at or timezone.now()
    conversation.full_clean()
    conversation.save()
    return conversation


@transaction.atomic
def conversation_sign(
    *, conversation: Conversation, actor, response: str, lock_version: ExpectedVersion
) -> Conversation:
    """The IB signs for having read the report, with their own response; this locks it."""
    _require_ib(conversation, actor)
    if not conversation.is_recorded:
        raise ValidationError(_("There is no report to sign yet."))
    _require_not_signed(conversation)
    claim_version(conversation, lock_version)
    conversation.ib_response = response
    conversation.signed_at = timezone.now()
    conversation.full_clean()
    conversation.save()
    return conversation


# ---------------------------------------------------------------------------
# The cycle per IB: last held and next due per kind
# ---------------------------------------------------------------------------


@dataclass
class KindStatus:
    kind: str
    label: str
    years: int
    last: Conversation | None = None
    planned: Conversation | None = None
    due: datetime.date | None = None
    overdue: bool = False


@dataclass
class IbCycle:
    appointment: Appointment
    kinds: list[KindStatus] = field(default_factory=list)

    @property
    def overdue(self) -> bool:
        return any(status.overdue for status in self.kinds)


def kind_status(
    kind: str,
    label: str,
    years: int,
    conversations: list[Conversation],
    start: datetime.date,
    today: datetime.date,
) -> KindStatus:
    """``conversations``: the IB's of this kind, newest first."""
    status = KindStatus(kind=kind, label=label, years=years)
    held = [c for c in conversations if c.is_recorded]
    open_ = [c for c in conversations if not c.is_recorded]
    status.last = held[0] if held else None
    status.planned = open_[-1] if open_ else None  # the earliest still to hold
    status.due = add_years(status.last.date if status.last else start, years)
    status.overdue = status.due < today
    return status


def cycles(appointments: list[Appointment], today: datetime.date, user) -> list[IbCycle]:
    """Per current appointment (its IB), per kind: last, planned, due, overdue; only the
    conversations ``user`` may read count. 2 queries."""
    board_ids = {appointment.board_id for appointment in appointments}
    policies = {p.board_id: p for p in ConversationPolicy.objects.filter(board_id__in=board_ids)}
    by_ib: dict[tuple[int, int], list[Conversation]] = {}
    rows = (
        Conversation.objects.for_user(user)
        .filter(board_id__in=board_ids, ib_id__in={a.ib_id for a in appointments})
        .order_by("-date", "-id")
    )
    for conversation in rows:
        by_ib.setdefault((conversation.board_id, conversation.ib_id), []).append(conversation)
    result = []
    for appointment in appointments:
        policy = policies.get(appointment.board_id) or ConversationPolicy(board=appointment.board)
        own = by_ib.get((appointment.board_id, appointment.ib_id), [])
        kinds = [
            kind_status(
                kind,
                label,
                policy.years(kind),
                [c for c in own if c.kind == kind],
                appointment.start_date,
                today,
            )
            for kind, label in ConversationKind.choices
        ]
        result.append(IbCycle(appointment=appointment, kinds=kinds))
    return result
