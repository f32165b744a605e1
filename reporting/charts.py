"""Charts drawn on the server as SVG: the geometry here, the markup in
``templates/reporting/_chart_bars.html``. No JavaScript; every number is in a table beside it.

The bars of one colour are drawn as one ``<path>``, not one ``<rect>`` each: a board of 150
schools sent 193 KB of chart markup that way (issue #12). Each row keeps its label (and the fte
chart its value) as text; the numbers behind every bar are in the table.

Coordinates are strings with a dot as decimal separator, whatever the user's language; colours
are CSS classes (``static/css/ibportal.css``), so the markup needs no inline style.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from html import escape

from django.utils.formats import get_format, number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from schools.figures import ZERO, Figures

CHART_WIDTH = 760
LABEL_WIDTH = 230
BAR_LEFT = LABEL_WIDTH + 8
BAR_WIDTH = 430
ROW_HEIGHT = 22
BAR_HEIGHT = 14
# Above this many rows the rows are drawn closer together, so a large board's chart stays
# within a few screens.
COMPACT_FROM = 40
COMPACT_ROW_HEIGHT = 17
COMPACT_BAR_HEIGHT = 11
# A label is right-aligned at LABEL_WIDTH; 30 characters stay within it in a wide sans such as
# DejaVu Sans (about 6.8 px a character at 13 px), where 34 were cut off at the left edge.
LABEL_CHARS = 30
TOP = 26
# More bars than this make a chart nobody reads: filter first (the table has every row).
CHART_MAX_BARS = 200


def _n(value: float) -> str:
    """SVG coordinates: a dot as decimal separator, whatever the language."""
    return f"{value:.1f}"


def _fte(value: Decimal | None, separator: str) -> str:
    return "–" if value is None else f"{value:.2f}".replace(".", separator)


@dataclass(frozen=True)
class Segment:
    x: str
    width: str
    css: str


@dataclass(frozen=True)
class ChartBar:
    label: str  # shortened to LABEL_CHARS characters
    y: str
    text_y: str
    segments: list[Segment]
    marker_x: str | None = None
    marker_y: str = ""
    value_x: str = ""
    value_text: str = ""


@dataclass(frozen=True)
class Tick:
    x: str
    label: str


@dataclass
class Chart:
    bars: list[ChartBar]
    ticks: list[Tick]
    height: str
    grid_bottom: str
    legend: list[tuple[str, str]]  # (css class, label)
    width: int = CHART_WIDTH
    label_x: int = LABEL_WIDTH
    bar_left: int = BAR_LEFT
    bar_height: int = BAR_HEIGHT
    marker_height: int = BAR_HEIGHT + 6

    @property
    def paths(self) -> list[tuple[str, str]]:
        """The bars' segments as one path per CSS class: (class, path data)."""
        by_css: dict[str, list[str]] = {}
        for bar in self.bars:
            for segment in bar.segments:
                by_css.setdefault(segment.css, []).append(
                    f"M{segment.x} {bar.y}h{segment.width}v{self.bar_height}h-{segment.width}z"
                )
        return [(css, "".join(parts)) for css, parts in by_css.items()]

    @property
    def texts(self) -> SafeString:
        """Each bar's label and value as SVG text, written here rather than by a template loop:
        a large board has hundreds of them."""
        parts = []
        for bar in self.bars:
            parts.append(
                f'<text x="{self.label_x}" y="{bar.text_y}" text-anchor="end" '
                f'class="chart-label">{escape(bar.label)}</text>'
            )
            if bar.value_text:
                parts.append(
                    f'<text x="{bar.value_x}" y="{bar.text_y}" class="chart-value">'
                    f"{escape(bar.value_text)}</text>"
                )
        return mark_safe("\n".join(parts))  # the texts are escaped above

    @property
    def markers(self) -> str:
        """The norm markers of every bar as one path's data ("" without markers)."""
        return "".join(
            f"M{bar.marker_x} {bar.marker_y}h2v{self.marker_height}h-2z"
            for bar in self.bars
            if bar.marker_x is not None
        )


@dataclass(frozen=True)
class Layout:
    """Where the rows go: closer together for many rows."""

    rows: int

    @property
    def row_height(self) -> int:
        return COMPACT_ROW_HEIGHT if self.rows > COMPACT_FROM else ROW_HEIGHT

    @property
    def bar_height(self) -> int:
        return COMPACT_BAR_HEIGHT if self.rows > COMPACT_FROM else BAR_HEIGHT

    def at(self, index: int) -> tuple[float, float]:
        """The top of row ``index``'s bar and the baseline of its text."""
        y = TOP + index * self.row_height
        return y, y + self.bar_height - 3

    def chart(self, bars: list[ChartBar], ticks: list[Tick], legend) -> Chart:
        bottom = TOP + self.rows * self.row_height
        return Chart(
            bars=bars,
            ticks=ticks,
            height=_n(bottom + 6),
            grid_bottom=_n(bottom),
            legend=legend,
            bar_height=self.bar_height,
            marker_height=self.bar_height + 6,
        )


def _short(label: str) -> str:
    """The label cut to LABEL_CHARS characters with an ellipsis, as ``truncatechars``."""
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def domain_mix_chart(rows: list[Figures], label: Callable[[Figures], str]) -> Chart:
    """Stacked bars: each row's package hours by LBBO domain, as parts of 100%."""
    domains = rows[0].domains if rows else []
    layout = Layout(len(rows))
    no_hours = _("no package hours")
    bars = []
    css = [f"chart-domain-{order}" for order in range(1, len(domains) + 1)]
    for index, row in enumerate(rows):
        y, text_y = layout.at(index)
        x = float(BAR_LEFT)
        segments = []
        total = float(row.package_hours)
        for order, share in enumerate(row.domain_mix):
            if not total or not share.hours:
                continue
            width = float(share.hours) / total * BAR_WIDTH
            segments.append(Segment(_n(x), _n(width), css[order]))
            x += width
        bars.append(
            ChartBar(
                label=_short(label(row)),
                y=_n(y),
                text_y=_n(text_y),
                segments=segments,
                value_x=_n(BAR_LEFT + 4),
                value_text="" if segments else no_hours,
            )
        )
    ticks = [Tick(_n(BAR_LEFT + BAR_WIDTH * step / 4), f"{step * 25}%") for step in range(5)]
    return layout.chart(
        bars,
        ticks,
        [(f"chart-domain-{order}", d.name) for order, d in enumerate(domains, start=1)],
    )


def fte_chart(rows: list[Figures], label: Callable[[Figures], str]) -> Chart:
    """Bars of appointed fte with a marker at the norm; colour says short, over or within."""
    top = max([row.appointed_fte for row in rows] + [row.norm_fte or ZERO for row in rows] + [ZERO])
    # The scale ends on the next half fte, so the ticks are round numbers.
    scale = max(Decimal("0.5"), (top * 2).to_integral_value(rounding=ROUND_CEILING) / 2)
    steps = int(scale * 2)
    every = 1 if steps <= 8 else (2 if steps <= 16 else 4)

    def x_of(value: Decimal) -> float:
        return BAR_LEFT + float(value / scale) * BAR_WIDTH

    layout = Layout(len(rows))
    separator = get_format("DECIMAL_SEPARATOR")
    bars = []
    for index, row in enumerate(rows):
        y, text_y = layout.at(index)
        css = f"chart-fte chart-fte-{row.deviation or 'ok'}"
        if row.norm_fte is None:
            css = "chart-fte chart-fte-none"
        width = x_of(row.appointed_fte) - BAR_LEFT
        end = max(x_of(row.appointed_fte), x_of(row.norm_fte or ZERO))
        bars.append(
            ChartBar(
                label=_short(label(row)),
                y=_n(y),
                text_y=_n(text_y),
                segments=[Segment(_n(BAR_LEFT), _n(width), css)],
                marker_x=None if row.norm_fte is None else _n(x_of(row.norm_fte) - 1),
                marker_y=_n(y - 3),
                value_x=_n(end + 6),
                value_text=(
                    f"{_fte(row.appointed_fte, separator)} / {_fte(row.norm_fte, separator)}"
                ),
            )
        )
    ticks = [
        Tick(_n(x_of(Decimal(step) / 2)), number_format(Decimal(step) / 2, 1, use_l10n=True))
        for step in range(0, steps + 1, every)
    ]
    return layout.chart(
        bars,
        ticks,
        [
            ("chart-fte-ok", _("within 0.1 fte of the norm")),
            ("chart-fte-short", _("short of the norm")),
            ("chart-fte-over", _("over the norm")),
            ("chart-norm", _("norm")),
        ],
    )
