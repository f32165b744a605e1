"""Demo task divisions for ``seed_demo`` (issue 16): three schools of board A in 2026 divide
their care and quality tasks over coordinators, the director, the teachers and the support
team, so the director, the IB and board staff have a division to read.

Built through the services the matrix uses (``tasks.division``): a task moved out of a draft
package leaves it with a history entry, as it would in the browser. Idempotent: a school that
has a division for the year is left alone.
"""

from __future__ import annotations

from decimal import Decimal

from core.versioning import UNCHECKED
from schools.models import Membership, Role, School, SchoolYear
from tasks import division as dv
from tasks.models import CatalogueTask, Domain, HolderRole, RoleHolder, TaskDivision

H = HolderRole

# BRIN: roles (role, name, hours available), tasks per role (role, standard task, hours) and
# tasks that leave the IB's package ("ib" as the role: hours stay with the IB).
DIVISIONS: dict[str, dict] = {
    # De Regenboog: the package is agreed; coordinators share the trend analyses (seed 004)
    # and the director does the appraisals.
    "11AA": {
        "roles": [
            (H.DIRECTOR, "", 120),
            (H.LANGUAGE, "Femke", 80),
            (H.MATHS, "Bart", 80),
            (H.BEHAVIOUR, "", 40),
            (H.EARLY_YEARS, "", 40),
            (H.TEACHERS, "", 460),
            (H.BEHAVIOURAL_SCIENTIST, "", 24),
            (H.SOCIAL_WORK, "", 32),
        ],
        "tasks": [
            (H.DIRECTOR, "leerkrachten-beoordelen", 60),
            (H.DIRECTOR, "vervanging-regelen", 30),
            (H.LANGUAGE, "trendanalyse-twee-keer-per-jaar", 12),
            (H.LANGUAGE, "doorgaande-leerlijnen", 20),
            (H.MATHS, "trendanalyse-twee-keer-per-jaar", 12),
            (H.MATHS, "onderwijsvernieuwingsprojecten", 40),
            (H.BEHAVIOUR, "monitor-sociaal-emotioneel", 20),
            (H.EARLY_YEARS, "overdracht-voorschool", 16),
            (H.TEACHERS, "gegevens-invoeren-administratie", 92),
            (H.BEHAVIOURAL_SCIENTIST, "aanvullend-onderzoek", 24),
            (H.SOCIAL_WORK, "regie-met-ketenpartners", 16),
        ],
    },
    # Sint Jozef: the submitted package holds remedial teaching; the school has a remedial
    # teacher, so the role purity signal names her.
    "11AD": {
        "roles": [
            (H.DIRECTOR, "", 60),
            (H.REMEDIAL, "", 200),
            (H.TEACHERS, "", 200),
            (H.YOUTH_NURSE, "", 12),
        ],
        "tasks": [
            (H.DIRECTOR, "leerkrachten-beoordelen", 40),
            (H.REMEDIAL, "orthotheek-bestellen-inrichten", 12),
            (H.TEACHERS, "gegevens-invoeren-administratie", 40),
            (H.YOUTH_NURSE, "monitor-sociaal-emotioneel", 8),
        ],
    },
    # De Zaaier: a draft package; the director moves two tasks from the IB to the new
    # coordinators (the package's history says so) and gives the teachers their analyses.
    "11AF": {
        "roles": [
            (H.DIRECTOR, "", 40),
            (H.MATHS, "Kees", 40),
            (H.EARLY_YEARS, "", 30),
            (H.TEACHERS, "", 120),
        ],
        "tasks": [
            (H.DIRECTOR, "leerkrachten-beoordelen", 24),
            (H.TEACHERS, "gegevens-invoeren-administratie", 30),
        ],
        "moves": [
            ("overdracht-voorschool", H.EARLY_YEARS),
            ("toetskalender-toetsafspraken", H.MATHS),
        ],
    },
}


# A task of the board's own that is not IB work names who does it, as the standard's do: the
# catalogue shows it and the division's role purity signal points there.
OWN_TASK = {
    "title": "Leesbevordering en de schoolbibliotheek",
    "description": (
        "De schoolbibliotheek bijhouden, leesacties en de Kinderboekenweek organiseren met het "
        "team. Rekenwaarde: 20 uur per schooljaar."
    ),
    "default_hours": Decimal("20"),
    "source": "Taalbeleidsplan van het bestuur",
    "is_ib_task": False,
    "not_ib_reason": "Leesbevordering is het werk van de taalcoördinator, niet van de IB'er.",
    "usual_role": HolderRole.LANGUAGE,
}


def own_catalogue_task(board) -> CatalogueTask:
    """The board's own non-IB task with its usual role (idempotent: found by its title)."""
    task, _created = CatalogueTask.objects.get_or_create(
        board=board,
        title=OWN_TASK["title"],
        defaults={**OWN_TASK, "domain": Domain.objects.get(code="leren")},
    )
    return task


def division_create(schools: dict[str, School], year: SchoolYear) -> None:
    for brin, plan in DIVISIONS.items():
        school = schools[brin]
        if TaskDivision.objects.filter(school=school, school_year=year).exists():
            continue
        director = Membership.objects.filter(school=school, role=Role.DIRECTOR).first().user
        division = dv.division_create(school=school, school_year=year, actor=director)
        holders = {}
        for role, name, hours in plan["roles"]:
            holder = division.holders.filter(role=role).first() or RoleHolder(
                division=division, role=role
            )
            holder.name, holder.hours = name, Decimal(hours)
            holder.save()
            holders[role] = holder
        _apply(division, director, plan, holders)


def _apply(division: TaskDivision, director, plan: dict, holders: dict) -> None:
    division = TaskDivision.objects.select_related("school", "school_year").get(pk=division.pk)
    matrix = dv.build_matrix(division.school, division.school_year, division)
    rows = {row.task.standard_key: row for row in matrix.rows if row.task}
    changes: dict[tuple[str, str], Decimal | None] = {}
    for role, key, hours in plan["tasks"]:
        changes[(rows[key].key, f"h{holders[role].pk}")] = Decimal(hours)
    for key, role in plan.get("moves", []):
        row = rows[key]
        ib_cells = {column: hours for column, hours in row.cells.items() if column[0] == "p"}
        for column, hours in ib_cells.items():
            changes[(row.key, column)] = None
            changes[(row.key, f"h{holders[role].pk}")] = hours
    dv.division_save(
        matrix=matrix,
        actor=director,
        lock_version=UNCHECKED,
        package_locks={c.package.pk: c.package.lock_version for c in matrix.columns if c.is_ib},
        changes=changes,
    )
