"""Catalogue work that spans rows: copying the standard catalogue into a board's catalogue and
bringing boards' copies up to date when the standard changes."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from simple_history.utils import bulk_create_with_history

from schools.models import Board

from .catalogue_history import EDITIONS, fingerprint, standard_fingerprint
from .models import CatalogueTask, Domain
from .standard_catalogue import DOMAINS, PARTNERSHIP_TASKS, RETIRED, TASKS

# What the standard sets on a board's copy (and a board may edit afterwards).
STANDARD_FIELDS = (
    "title",
    "description",
    "unit",
    "default_hours",
    "source",
    "is_ib_task",
    "not_ib_reason",
)


def domains_load(domain_model: type[Domain] = Domain) -> None:
    """Create or update the domains (the data migrations pass their historical model, which
    may not have every field yet: only the fields it has are written)."""
    fields = {field.name for field in domain_model._meta.get_fields()}
    for order, domain in enumerate(DOMAINS, start=1):
        values = {
            "name": domain["name"],
            "role": domain["role"],
            "description": domain["description"],
            "older_name": domain["older_name"],
            "order": order,
            "is_lbbo": domain["is_lbbo"],
        }
        if "is_lbbo" not in fields:
            if not domain["is_lbbo"]:
                continue  # a database from before the general duties: added by a later step
            del values["is_lbbo"]
        domain_model.objects.update_or_create(code=domain["code"], defaults=values)


def standard_values(task: dict, domains: dict[str, Domain]) -> dict:
    """The fields of a board's copy of one standard task, as the standard sets them."""
    return {
        "title": task["title"],
        "description": task["description"],
        "domain": domains[task["domain"]],
        "unit": task["unit"],
        "default_hours": Decimal(str(task["default_hours"])),
        "source": task["source"],
        "is_ib_task": task["is_ib_task"],
        "not_ib_reason": task["not_ib_reason"],
    }


def standard_task(board: Board, task: dict, domains: dict[str, Domain]) -> CatalogueTask:
    """The board's (unsaved) copy of one task of the standard catalogue."""
    return CatalogueTask(
        board=board,
        standard_key=task["key"],
        **standard_values(task, domains),
        **partnership_values(task, CatalogueTask),
        **usual_role_values(task, CatalogueTask),
    )


def partnership_values(task: dict, task_model: type[CatalogueTask]) -> dict:
    """Whether a new copy of a standard task concerns the partnership; nothing for a
    historical model (a data migration) from before the marking."""
    if not any(field.name == "concerns_partnership" for field in task_model._meta.get_fields()):
        return {}
    return {"concerns_partnership": task["key"] in PARTNERSHIP_TASKS}


def usual_role_values(task: dict, task_model: type[CatalogueTask]) -> dict:
    """Who usually does a new copy of a standard task that is not IB work; nothing for a
    historical model (a data migration) from before the field."""
    if not any(field.name == "usual_role" for field in task_model._meta.get_fields()):
        return {}
    return {"usual_role": task.get("usual_role", "")}


@transaction.atomic
def catalogue_copy_standard(*, board: Board) -> int:
    """Add the standard tasks the board does not have yet; returns how many were added.

    Tasks the board already copied (even if edited or deactivated since) are left alone, so
    running it again never undoes the board's own changes. Retired standard tasks are not in
    the standard any more, so they are never added again.
    """
    domains = {domain.code: domain for domain in Domain.objects.all()}
    have = set(
        CatalogueTask.objects.filter(board=board)
        .exclude(standard_key="")
        .values_list("standard_key", flat=True)
    )
    new_tasks = [standard_task(board, task, domains) for task in TASKS if task["key"] not in have]
    bulk_create_with_history(new_tasks, CatalogueTask)
    return len(new_tasks)


def copy_fingerprint(task: CatalogueTask, domain_codes: dict[int, str]) -> str:
    return fingerprint(
        title=task.title,
        description=task.description,
        domain=domain_codes[task.domain_id],
        unit=task.unit,
        default_hours=task.default_hours,
        source=task.source,
        is_ib_task=task.is_ib_task,
        not_ib_reason=task.not_ib_reason,
    )


@dataclass
class SyncResult:
    updated: int = 0  # unedited copies brought up to date
    kept: int = 0  # copies the board edited: left as the board has them
    added: int = 0  # new standard tasks
    deactivated: int = 0  # copies of retired standard tasks


def catalogue_sync_standard(
    task_model: type[CatalogueTask] = CatalogueTask,
    domain_model: type[Domain] = Domain,
    board_model: type[Board] = Board,
) -> SyncResult:
    """Bring every board's copy of the standard catalogue up to the current standard.

    A copy whose text is still that of an earlier edition (the board did not edit it) gets the
    current text, domain, unit and hours; a copy the board edited is kept. Every board gets the
    new standard tasks; copies of retired tasks are deactivated, never deleted (package items
    refer to them). Keys never change. Takes the historical models in a data migration.
    """
    result = SyncResult()
    domains = {domain.code: domain for domain in domain_model.objects.all()}
    codes = {domain.pk: code for code, domain in domains.items()}
    current = {task["key"]: task for task in TASKS}
    former = {key: {edition[key] for edition in EDITIONS if key in edition} for key in current}
    copies = task_model.objects.exclude(standard_key="")
    for copy in copies.filter(standard_key__in=current):
        task = current[copy.standard_key]
        found = copy_fingerprint(copy, codes)
        if found == standard_fingerprint(task):
            continue
        if found not in former[copy.standard_key]:
            result.kept += 1
            continue
        for name, value in standard_values(task, domains).items():
            setattr(copy, name, value)
        copy.lock_version = F("lock_version") + 1  # an edit form opened before is refused
        copy.save(update_fields=[*STANDARD_FIELDS, "domain", "lock_version"])
        result.updated += 1
    result.deactivated = copies.filter(standard_key__in=RETIRED, is_active=True).update(
        is_active=False, lock_version=F("lock_version") + 1
    )
    for board in board_model.objects.all():
        have = set(copies.filter(board=board).values_list("standard_key", flat=True))
        new = [
            task_model(
                board=board,
                standard_key=task["key"],
                **standard_values(task, domains),
                **partnership_values(task, task_model),
                **usual_role_values(task, task_model),
            )
            for task in TASKS
            if task["key"] not in have
        ]
        task_model.objects.bulk_create(new)
        result.added += len(new)
    return result
