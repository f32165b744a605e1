"""Catalogue work that spans rows: copying the standard catalogue into a board's catalogue."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from schools.models import Board

from .models import CatalogueTask, Domain
from .standard_catalogue import DOMAINS, TASKS


def domains_load(domain_model: type[Domain] = Domain) -> None:
    """Create or update the three LBBO domains (the data migration passes its historical model)."""
    for order, domain in enumerate(DOMAINS, start=1):
        domain_model.objects.update_or_create(
            code=domain["code"],
            defaults={
                "name": domain["name"],
                "role": domain["role"],
                "description": domain["description"],
                "older_name": domain["older_name"],
                "order": order,
            },
        )


def standard_task(board: Board, task: dict, domains: dict[str, Domain]) -> CatalogueTask:
    """The board's (unsaved) copy of one task of the standard catalogue."""
    return CatalogueTask(
        board=board,
        standard_key=task["key"],
        title=task["title"],
        description=task["description"],
        domain=domains[task["domain"]],
        default_hours=Decimal(str(task["default_hours"])),
        source=task["source"],
        is_ib_task=task["is_ib_task"],
        not_ib_reason=task["not_ib_reason"],
    )


@transaction.atomic
def catalogue_copy_standard(*, board: Board) -> int:
    """Add the standard tasks the board does not have yet; returns how many were added.

    Tasks the board already copied (even if edited or deactivated since) are left alone, so
    running it again never undoes the board's own changes.
    """
    domains = {domain.code: domain for domain in Domain.objects.all()}
    have = set(
        CatalogueTask.objects.filter(board=board)
        .exclude(standard_key="")
        .values_list("standard_key", flat=True)
    )
    new_tasks = [standard_task(board, task, domains) for task in TASKS if task["key"] not in have]
    CatalogueTask.objects.bulk_create(new_tasks)
    return len(new_tasks)
