"""Charts drawn on the server as SVG: the geometry here, the markup in
``templates/schools/_chart_bars.html``. No JavaScript; every number is in a table beside it.

Coordinates are strings with a dot as decimal separator, whatever the user's language; colours
are CSS classes (``static/css/ibportal.css``), so the markup needs no inline style.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from schools.figures import ZERO, Figures

CHART_WIDTH = 760
LABEL_WIDTH = 230
BAR_LEFT = LABEL_WIDTH + 8
BAR_WIDTH = 430
ROW_HEIGHT = 22
BAR_HEIGHT = 14
TOP = 26
# More bars than this make a chart nobody reads: filter first (the table has every row).
CHART_MAX_BARS = 200


def _n(value: float) -> str:
    """SVG coordinates: a dot as decimal separator, whatever the language."""
    return f"{value:.1f}"


def _fte(value: Decimal | None) -> str:
    return "–" if value is None else number_format(value, 2, use_l10n=True)


@dataclass(frozen=True)
class Segment:
    x: str
    width: str
    css: str
    title: str


@dataclass(frozen=True)
class ChartBar:
    label: str
    y: str
    text_y: str
    segments: list[Segment]
    title: str
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


def _layout(index: int) -> tuple[float, float]:
    y = TOP + index * ROW_HEIGHT
    return y, y + BAR_HEIGHT - 3


def domain_mix_chart(rows: list[Figures], label: Callable[[Figures], str]) -> Chart:
    """Stacked bars: each row's package hours by LBBO domain, as parts of 100%."""
    domains = rows[0].domains if rows else []
    bars = []
    for index, row in enumerate(rows):
        y, text_y = _layout(index)
        x = float(BAR_LEFT)
        segments = []
        total = row.package_hours
        for order, share in enumerate(row.domain_mix, start=1):
            if not total or not share.hours:
                continue
            width = float(share.hours / total) * BAR_WIDTH
            segments.append(
                Segment(
                    _n(x),
                    _n(width),
                    f"chart-domain-{order}",
                    f"{label(row)} · {share.domain.name}: "
                    f"{number_format(share.percentage, 1, use_l10n=True)}%",
                )
            )
            x += width
        if segments:
            title = "; ".join(segment.title for segment in segments)
        else:
            title = _("%(label)s: no package hours") % {"label": label(row)}
        bars.append(
            ChartBar(
                label=label(row),
                y=_n(y),
                text_y=_n(text_y),
                segments=segments,
                title=title,
                value_x=_n(BAR_LEFT + 4),
                value_text="" if segments else _("no package hours"),
            )
        )
    ticks = [Tick(_n(BAR_LEFT + BAR_WIDTH * step / 4), f"{step * 25}%") for step in range(5)]
    return Chart(
        bars=bars,
        ticks=ticks,
        height=_n(TOP + len(rows) * ROW_HEIGHT + 6),
        grid_bottom=_n(TOP + len(rows) * ROW_HEIGHT),
        legend=[(f"chart-domain-{order}", d.name) for order, d in enumerate(domains, start=1)],
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

    bars = []
    for index, row in enumerate(rows):
        y, text_y = _layout(index)
        css = f"chart-fte chart-fte-{row.deviation or 'ok'}"
        if row.norm_fte is None:
            css = "chart-fte chart-fte-none"
        width = x_of(row.appointed_fte) - BAR_LEFT
        title = _("%(label)s: %(fte)s fte appointed, norm %(norm)s fte") % {
            "label": label(row),
            "fte": _fte(row.appointed_fte),
            "norm": _fte(row.norm_fte),
        }
        end = max(x_of(row.appointed_fte), x_of(row.norm_fte or ZERO))
        bars.append(
            ChartBar(
                label=label(row),
                y=_n(y),
                text_y=_n(text_y),
                segments=[Segment(_n(BAR_LEFT), _n(width), css, title)],
                title=title,
                marker_x=None if row.norm_fte is None else _n(x_of(row.norm_fte) - 1),
                marker_y=_n(y - 3),
                value_x=_n(end + 6),
                value_text=f"{_fte(row.appointed_fte)} / {_fte(row.norm_fte)}",
            )
        )
    ticks = [
        Tick(_n(x_of(Decimal(step) / 2)), number_format(Decimal(step) / 2, 1, use_l10n=True))
        for step in range(0, steps + 1, every)
    ]
    return Chart(
        bars=bars,
        ticks=ticks,
        height=_n(TOP + len(rows) * ROW_HEIGHT + 6),
        grid_bottom=_n(TOP + len(rows) * ROW_HEIGHT),
        legend=[
            ("chart-fte-ok", _("within 0.1 fte of the norm")),
            ("chart-fte-short", _("short of the norm")),
            ("chart-fte-over", _("over the norm")),
            ("chart-norm", _("norm")),
        ],
    )
