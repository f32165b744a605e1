"""To-do items of the organisation (see schools/todo.py): board staff's imports and figures;
the director's development points proposed by an IB."""

from __future__ import annotations

import datetime
import functools

from django.db.models import Exists, FilteredRelation, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.names import Person

from .imports import PENDING_DAYS
from .models import (
    AppointmentShare,
    DevelopmentPoint,
    ImportBatch,
    KnownById,
    Role,
    School,
    SchoolFigures,
    SchoolYear,
    Scope,
    display_name,
    overlap_condition,
    personnel_responsibility,
)
from .todo import Item, provider


@provider(Role.BOARD_STAFF)
def imports_to_finish(user, scope: Scope, today: datetime.date) -> list[Item]:
    """Uploaded imports not processed yet, while their preview is kept (a week). 1 query."""
    since = today - datetime.timedelta(days=PENDING_DAYS)
    batches = (
        ImportBatch.objects.for_scope(scope)
        .filter(committed_at__isnull=True, created_at__date__gte=since)
        .select_related("board")
        .defer("rows", "actions")
        .order_by("created_at", "id")
    )
    items = []
    for batch in batches:
        created = timezone.localtime(batch.created_at).date()
        items.append(
            Item(
                kind="import-to-finish",
                title=_("Finish the import"),
                subject=f"{batch.board} · {batch.get_kind_display()}: {batch.filename}",
                url=reverse("schools:import-preview", args=[batch.board_id, batch.pk]),
                since=created,
                due=created + datetime.timedelta(days=PENDING_DAYS),
                more_url=reverse("schools:import-upload", args=[batch.board_id]),
                rank=20,
            )
        )
    return items


@provider(Role.BOARD_STAFF)
def schools_without_figures(user, scope: Scope, today: datetime.date) -> list[Item]:
    """The board's schools without pupil figures of the latest school year whose pupils have
    been counted (1 October; before that day, last year's). 1 query.

    The figures are tested per school (a correlated ``NOT EXISTS`` on the (school, year)
    unique index): ``exclude(id__in=...)`` hashed every school's figures of the year in the
    country to keep a board's few. Only the name is read."""
    year = SchoolYear(start_year=SchoolYear.start_year_for(today))
    if today < year.count_date:
        year = SchoolYear(start_year=year.start_year - 1)
    with_figures = SchoolFigures.objects.filter(
        school=OuterRef("pk"), school_year__start_year=year.start_year
    )
    schools = (
        School.objects.for_scope(scope)
        .filter(board_id__in=scope.staff_board_ids)
        .filter(~Exists(with_figures))
        .only("name")
        .order_by("name", "id")
    )
    return [
        Item(
            kind="figures-missing",
            title=_("Enter the pupil figures"),
            subject=f"{school.name} · {year.name}",
            url=reverse("schools:figures-edit", args=[school.pk, year.start_year]),
            since=year.count_date,
            more_url=reverse("schools:school-list") + f"?jaar={year.start_year}",
            rank=40,
        )
        for school in schools
    ]


@functools.cache
def share_director_rows() -> QuerySet:
    """Each share with its appointment's facts and its school's directors, one row per
    director, before the filters on the user and the day: resolved once per process (as a
    view's ``queryset`` attribute is)."""
    return (
        AppointmentShare.objects.annotate(
            directing=FilteredRelation(
                "school__memberships", condition=Q(school__memberships__role=Role.DIRECTOR)
            )
        )
        .values_list(
            "appointment_id",
            "appointment__lead_school_id",
            "appointment__start_date",
            "appointment__ib__first_name",
            "appointment__ib__last_name",
            "appointment__ib__username",
            "appointment__board__name",
            "school_id",
            "fte",
            "directing__user_id",
        )
        .order_by("appointment__start_date", "appointment_id", "school_id")
    )


@provider(Role.BOARD_STAFF)
def personnel_director_to_choose(user, scope: Scope, today: datetime.date) -> list[Item]:
    """Current and future appointments over several schools whose directors' formations tie
    (seed 000: the largest part, summed per director): the board chooses the leading school.
    One query: the shares of those appointments with their school's directors, as plain
    values.

    Planning the query cost more than running it, so it joins as few tables as it can: the
    board and dates are tested on the share's own appointment join (not in a second
    subquery of appointments besides the scope's), and appointments at one school are left
    out below rather than by a correlated ``EXISTS`` per share: a board has a few hundred
    shares, most at one school."""
    rows = (
        share_director_rows()
        .for_scope(scope)
        .filter(appointment__board_id__in=scope.staff_board_ids)
        .filter(overlap_condition(today, None, "appointment__"))  # not ended
    )
    grouped: dict[int, list[tuple]] = {}
    for row in rows:
        grouped.setdefault(row[0], []).append(row)
    items = []
    for appointment_id, shares_rows in grouped.items():
        if len({row[-3] for row in shares_rows}) < 2:
            continue  # one school: its directors form one formation, nothing ties
        if len({row[-1] for row in shares_rows} - {None}) < 2:
            continue  # a tie takes two formations, so two directors at least
        _id, lead, start, ib_first, ib_last, ib_username, board_name, *_share = shares_rows[0]
        shares: dict[int, tuple] = {}
        for *_appointment, school_id, fte, director_id in shares_rows:
            _school, _fte, directors = shares.setdefault(school_id, (KnownById(school_id), fte, []))
            if director_id is not None:
                # Whether formations tie does not depend on the directors' names.
                directors.append(KnownById(director_id))
        if not personnel_responsibility(list(shares.values()), lead).to_choose:
            continue
        items.append(
            Item(
                kind="personnel-director-tie",
                title=_("Choose the personnel-responsible director"),
                subject=f"{display_name(Person(ib_first, ib_last, ib_username))} · {board_name}",
                url=reverse("schools:appointment-edit", args=[appointment_id]),
                since=start if start <= today else None,
                note=_("the directors' parts of the appointment are equal"),
                more_url=reverse("schools:appointment-detail", args=[appointment_id]),
                rank=30,
            )
        )
    return items


@provider(Role.DIRECTOR)
def development_points_to_decide(user, scope: Scope, today: datetime.date) -> list[Item]:
    """Development points an IB proposed at the director's schools, waiting for their decision
    (board staff may decide too, but the school's director keeps its points), while their
    period has not ended. 1 query."""
    points = (
        DevelopmentPoint.objects.for_scope(scope)
        .filter(school_id__in=scope.director_school_ids)
        .filter(status=DevelopmentPoint.Status.PROPOSED)
        .filter(end_year__gte=SchoolYear.start_year_for(today))
        .select_related("school", "proposed_by")
        .order_by("created_at", "id")
    )
    items = []
    for point in points:
        page = reverse("schools:development-points", args=[point.school_id])
        items.append(
            Item(
                kind="development-point-proposed",
                title=_("Decide on a proposed development point"),
                subject=f"{point.school.name} · {point.title}",
                url=f"{page}#point-{point.pk}",
                since=timezone.localtime(point.created_at).date(),
                note=_("proposed by %(name)s") % {"name": display_name(point.proposed_by)}
                if point.proposed_by
                else "",
                more_url=page,
                rank=30,
            )
        )
    return items
