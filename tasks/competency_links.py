"""Which competencies a task package asks, next to the IB's own view of them.

Catalogue tasks name the framework cells they draw on (``CatalogueTask.cells``). The package
page lists the cells of its items' catalogue tasks and, for whoever may read them, the level of
the IB's latest completed self-assessment per cell:

- the IB: their own latest completed round;
- a director: only a completed round the IB shared with *them*;
- anyone else (board staff): no levels and no flags, only the list of competencies asked.

The rounds are read through ``AssessmentRound.objects.for_user`` (the one scoping entry point),
so the rules above are the model's own. A task is flagged when one of its cells is assessed at
the framework's lowest level or not assessed (only for a viewer who sees levels).

Versions: a round's cell is matched to a task's cell by (framework family, row title, column
title, indicator order), so a task linked to an older version still finds the level in a newer
round. A task linked to a whole role in a context (a cell of order 0, as the first edition of
the standard frameworks had) reads a round on indicators through the position: the weakest of
its indicators (not assessed when one has no level), so a flag is never hidden.
Queries: three at most, whatever the number of tasks or cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery

from competencies.models import (
    AssessmentRound,
    Cell,
    Framework,
    FrameworkColumn,
    FrameworkRow,
    Level,
)

from .models import CatalogueTask, Package, PackageItem


@dataclass
class CompetencyLine:
    cell: Cell
    items: list[PackageItem] = field(default_factory=list)
    level: Level | None = None
    lowest: bool = False

    @property
    def flagged(self) -> bool:
        return self.level is None or self.lowest


@dataclass
class FlaggedItem:
    item: PackageItem
    lowest: list[Cell]
    not_assessed: list[Cell]


@dataclass
class PackageCompetencies:
    lines: list[CompetencyLine]
    sees_levels: bool
    rounds: list[AssessmentRound]  # the rounds the levels come from (empty without levels)
    flagged: list[FlaggedItem]

    def __bool__(self) -> bool:
        return bool(self.lines)


def family_roots(frameworks: list[tuple[int, int | None]]) -> dict[int, int]:
    """{framework id: id of the first version of its family}, from (id, previous id) pairs."""
    previous = dict(frameworks)
    roots = {}
    for framework_id in previous:
        current, seen = framework_id, set()
        while previous.get(current) and current not in seen:
            seen.add(current)
            current = previous[current]
        roots[framework_id] = current
    return roots


class BoardRoots:
    """``family_roots`` of a board's frameworks, read (one query) when first asked: a user who
    sees no levels, like most directors, needs none; nor does a framework known to be the
    first of its family (``first_versions``: read with the cells, no previous version), which
    is its own root."""

    def __init__(self, board_id: int) -> None:
        self.board_id = board_id
        self._roots: dict[int, int] | None = None
        self.first_versions: set[int] = set()

    def get(self, framework_id: int, default: int) -> int:
        if framework_id in self.first_versions:
            return framework_id
        if self._roots is None:
            self._roots = family_roots(
                list(
                    # (Unordered: the default order would join the board for nothing.)
                    Framework.objects.filter(board_id=self.board_id)
                    .order_by()
                    .values_list("id", "previous_id")
                )
            )
        return self._roots.get(framework_id, default)


def cell_key(cell: Cell, roots: dict[int, int] | BoardRoots, order: int | None = -1) -> tuple:
    """The cell's key across versions; ``order=None``: the key of its whole position."""
    return (
        roots.get(cell.framework_id, cell.framework_id),
        cell.row.title,
        cell.column.title if cell.column_id else None,
        cell.order if order == -1 else order,
    )


def weakest(current: RatedCell | None, rated: RatedCell) -> RatedCell:
    """Of two indicators of one position, the one a flag should show."""
    if current is None or current.level is None:
        return current or rated
    if rated.level is None or rated.level.number < current.level.number:
        return rated
    return current


@dataclass(frozen=True)
class RatedCell:
    """The level the IB gave one cell (None: not assessed) and the framework's lowest number."""

    level: Level | None
    lowest_number: int | None


ROUND_FIELDS = [field.attname for field in AssessmentRound._meta.concrete_fields]
LEVEL_FIELDS = [field.attname for field in Level._meta.concrete_fields]


def latest_ratings(package: Package, user, roots: dict[int, int] | BoardRoots) -> tuple[dict, list]:
    """{cell key: RatedCell} of the latest completed round per framework family that ``user``
    may read of the package's IB, and those rounds. One query.

    Read from the rounds ``user`` may read (``for_user`` on the query's own table, which the
    database plans in a fraction of the time of ratings filtered by a subquery of rounds),
    as plain values, each round and level made a model instance once."""
    lowest = Level.objects.filter(framework_id=OuterRef("framework_id")).order_by("number")
    rows = (
        AssessmentRound.objects.for_user(user)
        .filter(
            ib_id=package.share.appointment.ib_id,
            status=AssessmentRound.Status.COMPLETED,
            ratings__isnull=False,
        )
        .annotate(lowest_number=Subquery(lowest.values("number")[:1]))
        .order_by("date", "completed_at", "id")
        .values_list(
            *ROUND_FIELDS,
            "ratings__cell__framework_id",
            "ratings__cell__row__title",
            "ratings__cell__column_id",
            "ratings__cell__column__title",
            "ratings__cell__order",
            *(f"ratings__level__{name}" for name in LEVEL_FIELDS),
            "lowest_number",
        )
    )
    rounds: dict[int, AssessmentRound] = {}
    levels: dict[int, Level] = {}
    latest: dict[int, AssessmentRound] = {}
    by_family: dict[int, dict] = {}
    split = len(ROUND_FIELDS)
    for row in rows:  # oldest round first: a later round replaces its family's ratings
        round_values, (framework_id, row_title, column_id, column_title, order) = (
            row[:split],
            row[split : split + 5],
        )
        level_values, lowest_number = row[split + 5 : -1], row[-1]
        round_ = rounds.get(round_values[0])
        if round_ is None:
            round_ = rounds[round_values[0]] = AssessmentRound.from_db(
                None, ROUND_FIELDS, round_values
            )
        level = None
        if level_values[0] is not None:
            level = levels.get(level_values[0])
            if level is None:
                level = levels[level_values[0]] = Level.from_db(None, LEVEL_FIELDS, level_values)
        family = roots.get(round_.framework_id, round_.framework_id)
        if latest.get(family) is not round_:
            latest[family] = round_
            by_family[family] = {}
        position = (
            roots.get(framework_id, framework_id),
            row_title,
            column_title if column_id else None,
        )
        rated = RatedCell(level=level, lowest_number=lowest_number)
        by_family[family][(*position, order)] = rated
        if order:  # an indicator: also counts for a link to its whole position
            key = (*position, None)
            by_family[family][key] = weakest(by_family[family].get(key), rated)
    found = {key: rated for group in by_family.values() for key, rated in group.items()}
    return found, list(latest.values())


@dataclass(frozen=True)
class TaskCell:
    """One link of a catalogue task to a cell (the through table's row, as read here)."""

    cataloguetask_id: int
    cell_id: int
    cell: Cell


def task_cell_links(task_ids: set[int]) -> list[TaskCell]:
    """The cells the tasks ask, in the framework's order, each with its framework's name and
    previous version and its row's and column's titles: read as plain values (one query) and
    put together here, which costs a fraction of selecting four related models for a few
    dozen links."""
    rows = (
        CatalogueTask.cells.through.objects.filter(cataloguetask_id__in=task_ids)
        .order_by(
            "cell__framework__name",
            "cell__row__order",
            "cell__column__order",
            "cell__order",
            "cell_id",
        )
        .values_list(
            "cataloguetask_id",
            "cell_id",
            "cell__framework_id",
            "cell__framework__name",
            "cell__framework__previous_id",
            "cell__row_id",
            "cell__row__title",
            "cell__column_id",
            "cell__column__title",
            "cell__order",
            "cell__descriptor",
        )
    )
    cells: dict[int, Cell] = {}
    links = []
    for (
        task_id,
        cell_id,
        framework_id,
        name,
        previous_id,
        row_id,
        row_title,
        column_id,
        column_title,
        order,
        descriptor,
    ) in rows:
        cell = cells.get(cell_id)
        if cell is None:
            cell = Cell(
                id=cell_id,
                framework_id=framework_id,
                row_id=row_id,
                column_id=column_id,
                order=order,
                descriptor=descriptor,
            )
            framework = Framework(id=framework_id, name=name, previous_id=previous_id)
            Cell.framework.field.set_cached_value(cell, framework)
            Cell.row.field.set_cached_value(cell, FrameworkRow(id=row_id, title=row_title))
            column = FrameworkColumn(id=column_id, title=column_title) if column_id else None
            Cell.column.field.set_cached_value(cell, column)
            cells[cell_id] = cell
        links.append(TaskCell(cataloguetask_id=task_id, cell_id=cell_id, cell=cell))
    return links


def package_competencies(package: Package, items: list[PackageItem], user) -> PackageCompetencies:
    """The competencies the package's catalogue tasks ask, with levels for who may see them."""
    task_ids = {item.task_id for item in items if item.task_id}
    links = task_cell_links(task_ids)
    if not links:
        return PackageCompetencies(lines=[], sees_levels=False, rounds=[], flagged=[])
    lines: dict[int, CompetencyLine] = {}
    for link in links:
        lines.setdefault(link.cell_id, CompetencyLine(cell=link.cell))
    items_by_task: dict[int, list[PackageItem]] = {}
    for item in items:
        if item.task_id:
            items_by_task.setdefault(item.task_id, []).append(item)
    for link in links:
        lines[link.cell_id].items.extend(items_by_task.get(link.cataloguetask_id, []))

    is_ib = package.share.appointment.ib_id == user.pk
    roots = BoardRoots(package.share.school.board_id)
    # The tasks' frameworks that are the first of their family need no family lookup.
    roots.first_versions = {
        link.cell.framework_id for link in links if link.cell.framework.previous_id is None
    }
    ratings, rounds = latest_ratings(package, user, roots)
    sees_levels = is_ib or bool(rounds)
    if not sees_levels:
        return PackageCompetencies(
            lines=list(lines.values()), sees_levels=False, rounds=[], flagged=[]
        )
    for line in lines.values():
        rated = ratings.get(cell_key(line.cell, roots))
        if rated is None and not line.cell.order:  # a whole position, rated per indicator
            rated = ratings.get(cell_key(line.cell, roots, order=None))
        line.level = rated.level if rated else None
        line.lowest = bool(rated and rated.level and rated.level.number == rated.lowest_number)
    return PackageCompetencies(
        lines=list(lines.values()),
        sees_levels=True,
        rounds=rounds,
        flagged=flagged_items(items, links, lines),
    )


def flagged_items(
    items: list[PackageItem], links: list[TaskCell], lines: dict
) -> list[FlaggedItem]:
    """Items whose task asks a cell assessed at the lowest level or not assessed."""
    cells_by_task: dict[int, list[CompetencyLine]] = {}
    for link in links:
        cells_by_task.setdefault(link.cataloguetask_id, []).append(lines[link.cell_id])
    flagged = []
    for item in items:
        asked = cells_by_task.get(item.task_id, []) if item.task_id else []
        lowest = [line.cell for line in asked if line.lowest]
        not_assessed = [line.cell for line in asked if line.level is None]
        if lowest or not_assessed:
            flagged.append(FlaggedItem(item=item, lowest=lowest, not_assessed=not_assessed))
    return flagged
