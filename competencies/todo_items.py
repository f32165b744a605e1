"""To-do items of competencies (see schools/todo.py): the IB's unfinished self-assessments and
development goals falling due, the director's shared self-assessments, board staff's
certificates to judge, the IB's next network meeting. Each provider costs one query, whatever
the data."""

from __future__ import annotations

import datetime
import functools

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.names import Person
from schools.models import (
    AppointmentShare,
    KnownById,
    Role,
    Scope,
    display_name,
    overlap_condition,
    personnel_responsibility,
)
from schools.todo import Item, provider, url_pattern

from .conversations import PREPARE_NOTICE_DAYS, add_years
from .models import (
    AppraisalConversation,
    AssessmentRound,
    Conversation,
    ConversationKind,
    ConversationPolicy,
    DirectorView,
    Goal,
    GoalAction,
    Training,
)
from .network_models import NetworkMeeting

# A development goal or action shows this many days before its due date (and after it).
DEVELOPMENT_NOTICE_DAYS = 30
UNFINISHED = (Goal.Status.OPEN, Goal.Status.IN_PROGRESS)


@provider(Role.IB)
def rounds_to_finish(user, scope: Scope, today: datetime.date) -> list[Item]:
    """The IB's own self-assessment rounds still in draft."""
    rounds = (
        AssessmentRound.objects.for_scope(scope)
        .filter(ib_id=scope.user_id, status=AssessmentRound.Status.DRAFT)
        .select_related("framework")
        .order_by("date", "id")
    )
    return [
        Item(
            kind="round-to-finish",
            title=_("Finish your self-assessment"),
            subject=round_.framework.name,
            url=reverse("competencies:round-detail", args=[round_.pk]),
            since=round_.date,
            more_url=reverse("competencies:round-list"),
            rank=30,
        )
        for round_ in rounds
    ]


@provider(Role.IB)
def development_plan_due(user, scope: Scope, today: datetime.date) -> list[Item]:
    """Goals and actions of the IB's development plan due within a month (or overdue), not
    achieved or done: one query, the goals' and the actions' rows as one union."""
    soon = today + datetime.timedelta(days=DEVELOPMENT_NOTICE_DAYS)
    due = Q(status__in=UNFINISHED, due_date__isnull=False, due_date__lte=soon)
    # The same columns on both sides, all annotations so that they keep their order.
    goals = (
        Goal.objects.for_scope(scope)
        .filter(due)
        .annotate(goal_title=F("title"), action_text=Value(""), is_action=Value(False))
        .values_list("id", "due_date", "goal_title", "action_text", "is_action")
        .order_by()
    )
    actions = (
        GoalAction.objects.filter(goal__in=Goal.objects.for_scope(scope))
        .filter(due)
        .annotate(goal_title=F("goal__title"), action_text=F("description"), is_action=Value(True))
        .values_list("id", "due_date", "goal_title", "action_text", "is_action")
        .order_by()
    )
    rows = sorted(goals.union(actions, all=True), key=lambda row: (row[4], row[1], row[0]))
    plan = reverse("competencies:plan")
    items = []
    for pk, due_date, goal_title, action_text, is_action in rows:
        if is_action:
            items.append(
                Item(
                    kind="development-action",
                    title=_("Review an action of your development plan"),
                    subject=f"{goal_title}: {action_text}",
                    url=reverse("competencies:action-edit", args=[pk]),
                    due=due_date,
                    more_url=plan,
                    rank=61,
                )
            )
        else:
            items.append(
                Item(
                    kind="development-goal",
                    title=_("Review your development goal"),
                    subject=goal_title,
                    url=f"{plan}#goal-{pk}",
                    due=due_date,
                    more_url=plan,
                    rank=60,
                )
            )
    return items


@provider(Role.DIRECTOR)
def shared_rounds_to_read(user, scope: Scope, today: datetime.date) -> list[Item]:
    """Self-assessments shared with this director that they have not taken up yet: no view of
    their own on any cell and no conversation recorded."""
    own_view = DirectorView.objects.filter(round=OuterRef("pk"), author_id=scope.user_id)
    conversation = Conversation.objects.filter(round=OuterRef("pk"))
    rounds = (
        AssessmentRound.objects.for_scope(scope)
        .filter(shared_with_id=scope.user_id)
        .filter(~Q(Exists(own_view)), ~Q(Exists(conversation)))
        .select_related("ib", "framework")
        # What the item reads: the IB's name, the framework's and the dates.
        .only(
            "date",
            "shared_at",
            "ib__first_name",
            "ib__last_name",
            "ib__username",
            "framework__name",
        )
        .order_by("shared_at", "id")
    )
    return [
        Item(
            kind="shared-round",
            title=_("Read a shared self-assessment"),
            subject=f"{display_name(round_.ib)} · {round_.framework.name}",
            url=reverse("competencies:round-detail", args=[round_.pk]),
            since=timezone.localtime(round_.shared_at).date() if round_.shared_at else round_.date,
            more_url=reverse("competencies:shared-rounds"),
            rank=30,
        )
        for round_ in rounds
    ]


@provider(Role.BOARD_STAFF)
def certificates_to_judge(user, scope: Scope, today: datetime.date) -> list[Item]:
    """Certificates of the board's IBs not judged yet (waiting since the training ended)."""
    trainings = (
        Training.objects.for_scope(scope)
        .filter(board_id__in=scope.staff_board_ids, judgement=Training.Judgement.PENDING)
        .filter(end_date__lte=today)  # a course still to end is not judged yet
        .exclude(certificate="")
        .select_related("ib")
        .order_by("end_date", "start_date", "id")
    )
    return [
        Item(
            kind="certificate",
            title=_("Judge a certificate"),
            subject=f"{display_name(training.ib)} · {training.course}",
            url=reverse("competencies:training-judge", args=[training.pk]),
            since=training.end_date,
            more_url=reverse("competencies:training-review", args=[training.board_id]),
            rank=30,
        )
        for training in trainings
    ]


@provider(Role.IB)
def conversations_for_ib(user, scope: Scope, today: datetime.date) -> list[Item]:
    """The IB's functionerings- and beoordelingsgesprekken: a report to sign, or one coming
    up within a month that they have not prepared yet."""
    soon = today + datetime.timedelta(days=PREPARE_NOTICE_DAYS)
    rows = (
        AppraisalConversation.objects.for_scope(scope)
        .filter(ib_id=scope.user_id, signed_at__isnull=True)
        .filter(
            Q(recorded_at__isnull=False)
            | Q(recorded_at__isnull=True, date__gte=today, date__lte=soon, ib_preparation="")
        )
        .select_related("director")
        .order_by("date", "id")
    )
    more = reverse("competencies:conversation-list")
    items = []
    for row in rows:
        subject = f"{row.get_kind_display()} · {display_name(row.director)}"
        if row.is_recorded:
            items.append(
                Item(
                    kind="conversation-sign",
                    title=_("Read and sign the report of your conversation"),
                    subject=subject,
                    url=reverse("competencies:conversation-sign", args=[row.pk]),
                    since=timezone.localtime(row.recorded_at).date(),
                    more_url=more,
                    rank=20,
                )
            )
        else:
            items.append(
                Item(
                    kind="conversation-prepare",
                    title=_("Prepare your conversation"),
                    subject=subject,
                    url=reverse("competencies:conversation-prepare", args=[row.pk]),
                    due=row.date,
                    more_url=more,
                    rank=40,
                )
            )
    return items


@provider(Role.IB)
def overdue_training_modules(user, scope: Scope, today: datetime.date) -> list[Item]:
    """Required modules of the tracks the IB follows that are overdue (one query)."""
    from .training_offer import State, followed_required_modules

    items = []
    for status in followed_required_modules(scope, today):
        if status.state != State.OVERDUE:
            continue
        deadline = status.module.track.deadline
        planned_by = status.plan.planned_by if status.plan else None
        note = status.reason
        if planned_by and planned_by > deadline:  # the due date is the deadline: say the plan
            note = _("Planned for %(date)s, after the track's deadline.") % {
                "date": date_format(planned_by, "j F Y")
            }
        items.append(
            Item(
                kind="training-module-overdue",
                title=_("Overdue module of your training track"),
                subject=f"{status.module.track.name}: {status.module.title}",
                url=reverse("competencies:module-plan", args=[status.module.pk]),
                due=status.due(deadline),
                note=note,
                more_url=reverse("competencies:my-track"),
                rank=40,
            )
        )
    return items


# A conversation falling due in the board's cycle shows this many days before its due date
# (and after it), while none of its kind is planned.
PLAN_NOTICE_DAYS = 30


@provider(Role.DIRECTOR)
def conversations_for_director(user, scope: Scope, today: datetime.date) -> list[Item]:
    """Conversations this director holds: its report to record once the day has come, or its
    preparation within a month before it. And conversations of the board's cycle that are
    overdue or fall due within a month, with none of their kind planned, for the IBs this
    director is personnel-responsible for (the one who plans them; board staff do not hold
    conversations). Due as on the conversation page: the cycle's years after the last one
    held, or after the appointment started.

    One provider for both: they read the same conversations. Two queries: the appointments
    the director may be responsible for (``_appointments_to_plan``) and the conversations,
    those the director holds still to do and every one the user reads of those IBs (named
    by the first query: a list of ids plans faster than the subquery finding them again)."""
    soon = today + datetime.timedelta(days=PREPARE_NOTICE_DAYS)
    held_to_do = Q(director_id=scope.user_id, recorded_at__isnull=True) & (
        Q(date__lte=today) | Q(date__lte=soon, director_preparation="")
    )
    to_plan, ibs = _appointments_to_plan(scope, today)
    rows = (
        AppraisalConversation.objects.for_scope(scope)
        .filter(held_to_do | Q(ib_id__in=ibs))
        .annotate(held_to_do=ExpressionWrapper(held_to_do, output_field=BooleanField()))
        .values_list(
            "id",
            "board_id",
            "ib_id",
            "kind",
            "date",
            "recorded_at",
            "held_to_do",
            "ib__first_name",
            "ib__last_name",
            "ib__username",
        )
        .order_by("date", "id")
    )
    more = reverse("competencies:conversation-list")
    report, prepare = (
        url_pattern("competencies:conversation-report"),
        url_pattern("competencies:conversation-prepare"),
    )
    labels = dict(ConversationKind.choices)
    items, last, planned = [], {}, set()
    for pk, board_id, ib_id, kind, date, recorded_at, to_do, first, last_name, username in rows:
        if recorded_at is None:
            planned.add((board_id, ib_id, kind))
        else:
            last[(board_id, ib_id, kind)] = date  # rows come oldest first: the last one wins
        if not to_do:
            continue
        subject = f"{display_name(Person(first, last_name, username))} · {labels[kind]}"
        held = date <= today  # held: its report to record; coming up: to prepare
        items.append(
            Item(
                kind="conversation-report" if held else "conversation-prepare-director",
                title=_("Record the report of a conversation")
                if held
                else _("Prepare a conversation"),
                subject=subject,
                url=report(pk) if held else prepare(pk),
                since=date if held else None,
                due=None if held else date,
                more_url=more,
                rank=20 if held else 40,
            )
        )
    for appointment_id, found in to_plan.items():
        board_id, ib_id = found["key"]
        found["cycle"].update(
            {
                f"{kind}_{fact}": value
                for kind in ConversationKind.values
                for fact, value in (
                    ("last", last.get((board_id, ib_id, kind))),
                    ("planned", (board_id, ib_id, kind) in planned),
                )
            }
        )
        items.extend(_due_items(appointment_id, found, today))
    return items


@functools.cache
def _cycle_rows() -> QuerySet:
    """Each share with its appointment's facts, its school's directors (one row per director)
    and the board's cycle in years per kind, before the filters on the user and the day:
    resolved once per process (as a view's ``queryset`` attribute is)."""
    policy = ConversationPolicy.objects.filter(board_id=OuterRef("appointment__board_id"))
    years = {
        f"{kind}_years": Subquery(
            policy.values(
                "functioning_years" if kind == ConversationKind.FUNCTIONING else "appraisal_years"
            )[:1]
        )
        for kind in ConversationKind.values
    }
    return (
        AppointmentShare.objects.annotate(
            directing=FilteredRelation(
                "school__memberships", condition=Q(school__memberships__role=Role.DIRECTOR)
            ),
            **years,
        )
        .values_list(
            "appointment_id",
            "appointment__board_id",
            "appointment__ib_id",
            "appointment__start_date",
            "appointment__lead_school_id",
            "appointment__ib__first_name",
            "appointment__ib__last_name",
            "appointment__ib__username",
            "school_id",
            "fte",
            "directing__user_id",
            *years,
        )
        .order_by("appointment__start_date", "appointment_id", "school_id")
    )


def _appointments_to_plan(scope: Scope, today: datetime.date) -> tuple[dict[int, dict], set[int]]:
    """The current appointments at the director's schools whose personnel-responsible
    director they are, the earliest of each IB's: per appointment its IB and the board's
    cycle in years per kind (None: the default); and the IBs of all current appointments at
    those schools. One query: every share of those appointments with its school's directors
    (the rule needs all of them)."""
    at_my_schools = AppointmentShare.objects.filter(school_id__in=scope.director_school_ids)
    rows = (
        _cycle_rows()
        .filter(appointment_id__in=at_my_schools.values("appointment_id"))
        # Active today, on the share's own appointment row (joined for its fields anyway).
        .filter(overlap_condition(today, today, "appointment__"))
    )
    years = [f"{kind}_years" for kind in ConversationKind.values]
    appointments: dict[int, dict] = {}
    for row in rows:
        (appointment_id, board_id, ib_id, start, lead, first, last, username) = row[:8]
        school_id, fte, director_id = row[8:11]
        found = appointments.setdefault(
            appointment_id,
            {
                "key": (board_id, ib_id),
                "start": start,
                "lead": lead,
                "ib": Person(first, last, username),
                "cycle": dict(zip(years, row[11:], strict=True)),
                "shares": {},
            },
        )
        _school, _fte, directors = found["shares"].setdefault(
            school_id, (KnownById(school_id), fte, [])
        )
        if director_id is not None:
            directors.append(KnownById(director_id))
    responsible, seen = {}, set()
    for appointment_id, found in appointments.items():  # the earliest of an IB's appointments
        outcome = personnel_responsibility(list(found["shares"].values()), found["lead"])
        if scope.user_id not in {director.pk for director in outcome.directors}:
            continue
        if found["key"] in seen:
            continue
        seen.add(found["key"])
        responsible[appointment_id] = found
    return responsible, {found["key"][1] for found in appointments.values()}


def _due_items(appointment_id: int, found: dict, today: datetime.date) -> list[Item]:
    cycle, items = found["cycle"], []
    for kind, label in ConversationKind.choices:
        if cycle[f"{kind}_planned"]:
            continue  # the planned one has its own items (prepare, record the report)
        years = cycle[f"{kind}_years"] or ConversationPolicy().years(kind)
        due = add_years(cycle[f"{kind}_last"] or found["start"], years)
        if due > today + datetime.timedelta(days=PLAN_NOTICE_DAYS):
            continue
        items.append(
            Item(
                kind="conversation-to-plan",
                title=_("Plan a conversation"),
                subject=f"{display_name(found['ib'])} · {label}",
                url=reverse("competencies:conversation-list") + f"#cycle-{appointment_id}",
                due=due,
                note=_("none planned yet"),
                more_url=reverse("competencies:conversation-list"),
                rank=25,
            )
        )
    return items


# The next meeting of the IB network shows this many days ahead.
NETWORK_NOTICE_DAYS = 30


@provider(Role.IB)
def next_network_meeting(user, scope: Scope, today: datetime.date) -> list[Item]:
    """The next meeting of each network of the IB's boards, within a month: one query."""
    meetings = (
        NetworkMeeting.objects.for_scope(scope)
        .filter(board_id__in=scope.ib_board_ids, date__gte=today)
        .filter(date__lte=today + datetime.timedelta(days=NETWORK_NOTICE_DAYS))
        .select_related("theme")
        .order_by("board_id", "date", "start_time", "id")
    )
    first: dict[int, NetworkMeeting] = {}
    for meeting in meetings:
        first.setdefault(meeting.board_id, meeting)
    return [
        Item(
            kind="network-meeting",
            title=_("Next meeting of the IB network"),
            subject=" · ".join(
                part
                for part in (
                    # The day itself is the item's date ("on ..."): here its weekday and time.
                    date_format(meeting.date, "l") + " " + meeting.start_time.strftime("%H:%M"),
                    meeting.place,
                    meeting.theme.title if meeting.theme else "",
                )
                if part
            ),
            url=reverse("competencies:network-meeting", args=[meeting.pk]),
            on=meeting.date,  # a meeting takes place on its day: "on", not "by"
            more_url=reverse("competencies:network", args=[meeting.board_id]),
            rank=70,
        )
        for meeting in first.values()
    ]
