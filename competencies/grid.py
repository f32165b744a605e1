"""Cells laid out as the pages show them: per row, per column, the indicators of that position.

A matrix position (a role in a context) or a list row (a competency) holds one or more
indicators (``Cell``, ordered by ``Cell.order``). The round page, the framework pages and the
heat map all lay them out the same way; this module does it once, on cells already loaded
(no queries).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .models import Cell, FrameworkColumn, FrameworkRow, Level


@dataclass(frozen=True)
class GridRow:
    row: FrameworkRow
    positions: list[list[Any]]  # per column: the items of that position's indicators


def cell_grid(
    cells: Iterable[Cell], item: Callable[[Cell], Any] = lambda cell: cell
) -> tuple[list[FrameworkColumn | None], list[GridRow]]:
    """(columns, rows): the columns in order ([None] for a list) and per row, per column,
    ``item(cell)`` for each indicator of the position, in indicator order (empty: no cell)."""
    cells = list(cells)
    columns: list[FrameworkColumn | None] = sorted(
        {cell.column for cell in cells if cell.column_id}, key=lambda c: (c.order, c.pk)
    ) or [None]
    rows = sorted({cell.row for cell in cells}, key=lambda r: (r.order, r.pk))
    by_position: dict[tuple[int, int | None], list] = {}
    for cell in sorted(cells, key=lambda c: (c.order, c.pk)):
        by_position.setdefault((cell.row_id, cell.column_id), []).append(item(cell))
    return columns, [
        GridRow(
            row,
            [by_position.get((row.pk, column.pk if column else None), []) for column in columns],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class SpreadPart:
    level: Level | None  # None: the indicators without a level
    count: int


def spread(levels: Iterable[Level | None]) -> list[SpreadPart]:
    """How the indicators of one position are spread over the levels, highest first; the
    indicators without a level last."""
    levels = list(levels)
    counts = Counter(level.pk if level else None for level in levels)
    by_pk = {level.pk: level for level in levels if level}
    parts = [
        SpreadPart(level, counts[level.pk])
        for level in sorted(by_pk.values(), key=lambda level: -level.number)
    ]
    if counts[None]:
        parts.append(SpreadPart(None, counts[None]))
    return parts
