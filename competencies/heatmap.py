"""The board's heat map: per framework cell, how many IBs are at each level in a school year.

Board staff never see an individual round (see ``competencies.models``); this module is the
only place that reads rounds for them, and it hands out counts only, computed by one SQL
aggregate. Its rules:

- **Which rounds.** Per IB, the latest *completed* round (by date) on any version of the
  framework (the ``previous`` chain) dated within the school year (1 August - 31 July).
  Drafts never count. Rounds count **whether or not the IB shared them**: sharing is about an
  individual round reaching the director, while the heat map only shows groups of 3 or more
  IBs, which is the board's aggregate view the model docstring promises.
- **Versions.** Cells of older versions are matched to the chosen version by (row title,
  column title), levels by their number; a level number the chosen version lacks is left out.
- **Small groups.** A cell that fewer than 3 IBs rated (a level given) shows no counts at all,
  only "fewer than 3", so that no one can be singled out. The CSV export uses the same
  ``HeatMap`` and so the same hiding.
- **Queries.** A fixed number, whatever the number of IBs or cells: the board's frameworks,
  the chosen version's cells and levels, and the counts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Subquery

from .models import AssessmentRound, Cell, Framework, FrameworkColumn, Level, Rating

MIN_GROUP = 3
# The shade of a count (Bootstrap classes, no inline style): its share of the cell's IBs.
SHADES = (
    (0.75, "bg-primary text-white"),
    (0.5, "bg-primary bg-opacity-50"),
    (0.25, "bg-primary bg-opacity-25"),
    (0.0, "bg-primary bg-opacity-10"),
)


def family_ids(framework: Framework, frameworks: list[Framework]) -> list[int]:
    """The framework and its earlier versions, walking ``previous`` in memory."""
    by_id = {item.pk: item for item in frameworks}
    ids, current = [], framework
    while current is not None and current.pk not in ids:
        ids.append(current.pk)
        current = by_id.get(current.previous_id)
    return ids


def current_frameworks(frameworks: list[Framework]) -> list[Framework]:
    """The newest version of each framework: the ones no other version points back to."""
    replaced = {item.previous_id for item in frameworks if item.previous_id}
    return [item for item in frameworks if item.pk not in replaced]


def shade(count: int, total: int) -> str:
    if not count:
        return ""
    return next(name for bound, name in SHADES if count / total > bound)


@dataclass(frozen=True)
class LevelCount:
    level: Level
    count: int
    shade: str


@dataclass(frozen=True)
class HeatCell:
    cell: Cell
    total: int | None  # None when hidden: fewer than MIN_GROUP IBs rated it
    counts: list[LevelCount]  # empty when hidden

    @property
    def hidden(self) -> bool:
        return self.total is None


@dataclass(frozen=True)
class HeatRow:
    title: str
    cells: list[HeatCell | None]  # one per column; None where the matrix has no cell


@dataclass(frozen=True)
class HeatMap:
    framework: Framework
    start_year: int
    levels: list[Level]
    columns: list[FrameworkColumn | None]  # [None] for a list framework
    rows: list[HeatRow]
    min_group: int = MIN_GROUP


def year_bounds(start_year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(start_year, 8, 1), datetime.date(start_year + 1, 7, 31)


def level_counts(family: list[int], start_year: int) -> dict[tuple, dict[int, int]]:
    """{(row title, column title or None): {level number: IBs}} in one aggregate query."""
    in_year = AssessmentRound.objects.filter(
        framework_id__in=family,
        status=AssessmentRound.Status.COMPLETED,
        date__range=year_bounds(start_year),
    )
    latest = in_year.filter(ib_id=OuterRef("ib_id")).order_by("-date", "-completed_at", "-id")
    rounds = in_year.filter(pk=Subquery(latest.values("pk")[:1]))
    rows = (
        Rating.objects.filter(round__in=rounds, level__isnull=False)
        .values("cell__row__title", "cell__column__title", "level__number")
        .annotate(ibs=Count("round__ib_id", distinct=True))
        .order_by()
    )
    counts: dict[tuple, dict[int, int]] = {}
    for row in rows:
        key = (row["cell__row__title"], row["cell__column__title"])
        counts.setdefault(key, {})[row["level__number"]] = row["ibs"]
    return counts


def heat_cell(cell: Cell, levels: list[Level], by_level: dict[int, int]) -> HeatCell:
    numbers = {level.number for level in levels}
    total = sum(count for number, count in by_level.items() if number in numbers)
    if total < MIN_GROUP:
        return HeatCell(cell=cell, total=None, counts=[])
    counts = [
        LevelCount(
            level, by_level.get(level.number, 0), shade(by_level.get(level.number, 0), total)
        )
        for level in levels
    ]
    return HeatCell(cell=cell, total=total, counts=counts)


def heat_map(framework: Framework, frameworks: list[Framework], start_year: int) -> HeatMap:
    """The heat map of ``framework`` (one of ``frameworks``, its board's) for a school year."""
    cells = list(framework.cells.select_related("row", "column"))
    levels = list(framework.levels.all())
    counts = level_counts(family_ids(framework, frameworks), start_year)

    columns: list[FrameworkColumn | None] = []
    rows: dict[int, tuple[str, dict]] = {}
    for cell in cells:  # ordered by row, then column
        if cell.column not in columns:
            columns.append(cell.column)
        key = (cell.row.title, cell.column.title if cell.column else None)
        rows.setdefault(cell.row_id, (cell.row.title, {}))[1][cell.column] = heat_cell(
            cell, levels, counts.get(key, {})
        )
    columns.sort(key=lambda column: (column.order, column.pk) if column else (0, 0))
    return HeatMap(
        framework=framework,
        start_year=start_year,
        levels=levels,
        columns=columns,
        rows=[
            HeatRow(title, [by_column.get(column) for column in columns])
            for title, by_column in rows.values()
        ],
    )


def export_rows(heat: HeatMap, hidden_text: str) -> list[list[str | int]]:
    """One line per cell: row, column, the count per level and the total (or the hidden text)."""
    lines = []
    for row in heat.rows:
        for column, cell in zip(heat.columns, row.cells, strict=True):
            if cell is None:
                continue
            column_title = column.title if column else ""
            if cell.hidden:
                lines.append([row.title, column_title, *[""] * len(heat.levels), hidden_text])
            else:
                lines.append([row.title, column_title, *[c.count for c in cell.counts], cell.total])
    return lines
