"""The board's heat map: per framework cell, how many IBs are at each level in a school year.

Board staff never see an individual round (see ``competencies.models``); this module is the
only place that reads rounds for them, and it hands out counts only, computed by one SQL
aggregate. Its rules:

- **Which rounds.** Only rounds the IB let count: rounds the IB shared (with their director),
  and completed rounds of IBs who gave their open consent (``HeatMapConsent``) for the
  board. Withdrawing the consent or the sharing takes the rounds out at once. Per IB, the
  latest such *completed* round (by date) on any version of the framework (the ``previous``
  chain) dated within the school year (1 August - 31 July). Drafts never count.
- **Versions.** Cells of older versions are matched to the chosen version by (row title,
  column title, indicator order), levels by their number; a level number the chosen version
  lacks is left out. A bundled cell of the first standard edition (order 0) therefore never
  counts for one of the indicators that replaced it.
- **Indicators.** A position with several indicators gets one table line per indicator: the
  first line of a role names it (``HeatRow.first``, ``span``), each heat cell names its
  indicator.
- **Small groups.** A cell that fewer than 3 IBs rated (a level given) shows no counts at all,
  only "fewer than 3", so that no one can be singled out. The CSV export uses the same
  ``HeatMap`` and so the same hiding.
- **Colour.** A cell's colour is its mean level on a scale of five steps (``HEAT_STEPS``), CSS
  classes only (the CSP forbids inline styles); the counts stay readable as text.
- **Queries.** A fixed number, whatever the number of IBs or cells: the board's frameworks,
  the chosen version's cells and levels, the counts, and the number of rounds counted.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from .grid import cell_grid
from .models import AssessmentRound, Cell, Framework, FrameworkColumn, HeatMapConsent, Level, Rating

MIN_GROUP = 3
# The colour scale: five steps from the lowest level to the highest (static/css: .heat-0 ..).
HEAT_STEPS = 5


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


def heat_step(mean: Decimal, low: int, high: int) -> int:
    """The colour step (0 .. HEAT_STEPS - 1) of a mean level between the lowest and highest
    level numbers of the framework."""
    if high <= low:
        return HEAT_STEPS - 1
    position = (mean - low) / (high - low)
    step = int((position * (HEAT_STEPS - 1)).to_integral_value(rounding=ROUND_HALF_UP))
    return max(0, min(HEAT_STEPS - 1, step))


@dataclass(frozen=True)
class LevelCount:
    level: Level
    count: int


@dataclass(frozen=True)
class HeatCell:
    cell: Cell
    total: int | None  # None when hidden: fewer than MIN_GROUP IBs rated it
    counts: list[LevelCount]  # empty when hidden
    mean: Decimal | None = None  # the mean level number, one decimal
    step: int | None = None  # the colour step of the mean

    @property
    def hidden(self) -> bool:
        return self.total is None

    @property
    def css_class(self) -> str:
        return "heat-none" if self.step is None else f"heat-{self.step}"


@dataclass(frozen=True)
class HeatRow:
    title: str
    cells: list[HeatCell | None]  # one per column; None where the matrix has no cell
    first: bool = True  # the role's (or competency's) first line: the one that names it
    span: int = 1  # on the first line: how many lines the role has


@dataclass(frozen=True)
class HeatMap:
    framework: Framework
    start_year: int
    levels: list[Level]
    columns: list[FrameworkColumn | None]  # [None] for a list framework
    rows: list[HeatRow]
    counted: int = 0  # the self-assessments counted: one per IB at most
    min_group: int = MIN_GROUP

    @property
    def legend(self) -> list[tuple[str, Decimal, Decimal]]:
        """(CSS class, lowest mean, highest mean) per colour step, means to one decimal."""
        if not self.levels:
            return []
        low, high = self.levels[0].number, self.levels[-1].number
        if high <= low:
            return [(f"heat-{HEAT_STEPS - 1}", Decimal(low), Decimal(high))]
        width = Decimal(high - low) / (HEAT_STEPS - 1)
        steps = []
        for step in range(HEAT_STEPS):
            start = max(Decimal(low), low + width * (step - Decimal("0.5")))
            end = min(Decimal(high), low + width * (step + Decimal("0.5")))
            steps.append((f"heat-{step}", one_decimal(start), one_decimal(end)))
        return steps


def one_decimal(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def year_bounds(start_year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(start_year, 8, 1), datetime.date(start_year + 1, 7, 31)


def counted_rounds(family: list[int], start_year: int) -> QuerySet[AssessmentRound]:
    """Per IB the latest completed round of the year that the IB let count: shared, or
    with the IB's open consent for the round's board."""
    consent = HeatMapConsent.objects.filter(
        ib_id=OuterRef("ib_id"), board_id=OuterRef("board_id"), withdrawn_at__isnull=True
    )
    eligible = AssessmentRound.objects.filter(
        Q(shared_with__isnull=False) | Exists(consent),
        framework_id__in=family,
        status=AssessmentRound.Status.COMPLETED,
        date__range=year_bounds(start_year),
    )
    latest = eligible.filter(ib_id=OuterRef("ib_id")).order_by("-date", "-completed_at", "-id")
    return eligible.filter(pk=Subquery(latest.values("pk")[:1]))


def level_counts(rounds: QuerySet[AssessmentRound]) -> dict[tuple, dict[int, int]]:
    """{(row title, column title or None, indicator order): {level number: IBs}} in one
    aggregate query."""
    rows = (
        Rating.objects.filter(round__in=rounds, level__isnull=False)
        .values("cell__row__title", "cell__column__title", "cell__order", "level__number")
        .annotate(ibs=Count("round__ib_id", distinct=True))
        .order_by()
    )
    counts: dict[tuple, dict[int, int]] = {}
    for row in rows:
        key = (row["cell__row__title"], row["cell__column__title"], row["cell__order"])
        counts.setdefault(key, {})[row["level__number"]] = row["ibs"]
    return counts


def heat_cell(cell: Cell, levels: list[Level], by_level: dict[int, int]) -> HeatCell:
    numbers = {level.number for level in levels}
    total = sum(count for number, count in by_level.items() if number in numbers)
    if total < MIN_GROUP:
        return HeatCell(cell=cell, total=None, counts=[])
    counts = [LevelCount(level, by_level.get(level.number, 0)) for level in levels]
    mean = Decimal(sum(c.level.number * c.count for c in counts)) / total
    return HeatCell(
        cell=cell,
        total=total,
        counts=counts,
        mean=one_decimal(mean),
        step=heat_step(mean, levels[0].number, levels[-1].number),
    )


def heat_map(framework: Framework, frameworks: list[Framework], start_year: int) -> HeatMap:
    """The heat map of ``framework`` (one of ``frameworks``, its board's) for a school year."""
    cells = list(framework.cells.select_related("row", "column"))
    levels = list(framework.levels.all())
    rounds = counted_rounds(family_ids(framework, frameworks), start_year)
    counts = level_counts(rounds)

    def heat(cell: Cell) -> HeatCell:
        key = (cell.row.title, cell.column.title if cell.column else None, cell.order)
        return heat_cell(cell, levels, counts.get(key, {}))

    columns, grid = cell_grid(cells, heat)
    rows = []
    for grid_row in grid:
        # One line per indicator: line n holds the n-th indicator of each position.
        span = max(len(position) for position in grid_row.positions)
        for line in range(span):
            rows.append(
                HeatRow(
                    grid_row.row.title,
                    [
                        position[line] if line < len(position) else None
                        for position in grid_row.positions
                    ],
                    first=line == 0,
                    span=span,
                )
            )
    return HeatMap(
        framework=framework,
        start_year=start_year,
        levels=levels,
        columns=columns,
        rows=rows,
        counted=rounds.count(),
    )


def has_indicators(heat: HeatMap) -> bool:
    """Whether the framework's cells are indicators (numbered), so the export names them."""
    return any(cell and cell.cell.order for row in heat.rows for cell in row.cells)


def export_rows(heat: HeatMap, hidden_text: str) -> list[list[str | int]]:
    """One line per cell, by role, context and indicator: row, column, the indicator (only
    when the framework has numbered indicators), the count per level and the total (or the
    hidden text)."""
    named = has_indicators(heat)
    cells = sorted(
        (cell for row in heat.rows for cell in row.cells if cell is not None),
        key=lambda heat_cell: position_order(heat_cell.cell),
    )
    lines = []
    for heat_cell_ in cells:
        cell = heat_cell_.cell
        line: list[str | int] = [cell.row.title, cell.column.title if cell.column else ""]
        if named:
            line.append(cell.descriptor)
        if heat_cell_.hidden:
            line += [*[""] * len(heat.levels), hidden_text]
        else:
            line += [*[c.count for c in heat_cell_.counts], heat_cell_.total]
        lines.append(line)
    return lines


def position_order(cell: Cell) -> tuple:
    column = (cell.column.order, cell.column_id) if cell.column else (0, 0)
    return (cell.row.order, cell.row_id, *column, cell.order, cell.pk)
