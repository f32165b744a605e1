"""To-do items of the organisation (see schools/todo.py): board staff's imports and figures."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .imports import PENDING_DAYS
from .models import ImportBatch, Role, School, SchoolFigures, SchoolYear, Scope
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
    been counted (1 October; before that day, last year's). 1 query."""
    year = SchoolYear(start_year=SchoolYear.start_year_for(today))
    if today < year.count_date:
        year = SchoolYear(start_year=year.start_year - 1)
    with_figures = SchoolFigures.objects.filter(school_year__start_year=year.start_year)
    schools = (
        School.objects.for_scope(scope)
        .filter(board_id__in=scope.staff_board_ids)
        .exclude(id__in=with_figures.values("school_id"))
        .order_by("name", "id")
    )
    return [
        Item(
            kind="figures-missing",
            title=_("Enter the pupil figures"),
            subject=f"{school.name} · {year.name}",
            url=reverse("schools:figures-edit", args=[school.pk, year.start_year]),
            since=year.count_date,
            more_url=reverse("schools:board-detail", args=[school.board_id])
            + f"?jaar={year.start_year}",
            rank=40,
        )
        for school in schools
    ]
