"""The body of the comparison table, written out here rather than by the template engine.

A board of 150 schools made the engine resolve 13,000 variables and two ``{% url %}`` per row,
most of the page's time (issue #12). Here every translated word, URL pattern and decimal
separator is looked up once per page, and each cell is one formatted string; the header and the
totals row stay in ``reporting/_comparison_table.html``. Every text from the database is escaped.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from html import escape

from django import template
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from schools.templatetags.figure_tags import DASH
from tasks.templatetags.package_tags import status_badge

from ..comparison import ComparisonRow

register = template.Library()

# A pk no school has: reversed once, then replaced by each row's pk.
_PK = 987654321


def url_pattern(name: str) -> Callable[[int], str]:
    """``reverse(name, args=[pk])`` for many pks at the cost of one reverse."""
    url = reverse(name, args=[_PK])
    before, after = url.split(str(_PK))
    return lambda pk: f"{before}{pk}{after}"


class CellWriter:
    """Writes the ``<td>`` of a column for a row, as the template wrote it before."""

    def __init__(self, show_partnership: bool) -> None:
        self.show_partnership = show_partnership
        self.separator = get_format("DECIMAL_SEPARATOR")
        self.detail_url = url_pattern("schools:school-detail")
        self.years_url = url_pattern("schools:school-years")
        self.words = {
            "years": escape(_("over the years")),
            "multi": escape(_("multi-school")),
            "short": escape(_("short")),
            "over": escape(_("over")),
            "none": escape(_("none")),
            "no_ib": escape(_("no IB")),
            "no": escape(_("no")),
        }
        self.fte = _("%(fte)s fte")
        self.badges = {}

    def number(self, value: Decimal | int | None, places: int = 0) -> str:
        if value is None:
            return DASH
        text = f"{value:.{places}f}"
        return text.replace(".", self.separator) if places else text

    def signed(self, value: Decimal | None) -> str:
        if value is None:
            return DASH
        return ("+" if value > 0 else "") + self.number(value, 2)

    def badge(self, status: str) -> str:
        if status not in self.badges:
            self.badges[status] = status_badge(status)
        return self.badges[status]

    def cell(self, key: str, row: ComparisonRow) -> str:
        if key.startswith("domein-"):
            code = key.removeprefix("domein-")
            share = next(share for share in row.domain_mix if share.domain.code == code)
            return f'<td class="num">{self.number(share.percentage, 1)}</td>'
        return getattr(self, "cell_" + key.replace("-", "_"))(row)

    def cell_school(self, row: ComparisonRow) -> str:
        school = row.school
        name = escape(school.name)
        partnership = (
            f" · {escape(school.partnership.name)}"
            if self.show_partnership and school.partnership
            else ""
        )
        return (
            f'<th scope="row" class="fw-normal col-school">'
            f'<a href="{self.detail_url(school.pk)}">{name}</a>'
            f'<div class="small text-body-secondary">{escape(school.code)}{partnership} · '
            f'<a class="tap-target" href="{self.years_url(school.pk)}">{self.words["years"]}'
            f'<span class="visually-hidden"> {name}</span></a></div></th>'
        )

    def cell_bestuur(self, row: ComparisonRow) -> str:
        return f"<td>{escape(row.board.name)}</td>"

    def cell_leerlingen(self, row: ComparisonRow) -> str:
        return f'<td class="num">{self.number(row.pupils)}</td>'

    def cell_groepen(self, row: ComparisonRow) -> str:
        return f'<td class="num">{self.number(row.groups)}</td>'

    def cell_fte(self, row: ComparisonRow) -> str:
        return f'<td class="num">{self.number(row.appointed_fte, 2)}</td>'

    def cell_norm(self, row: ComparisonRow) -> str:
        norm = row.norms.chosen
        multi = (
            f'<div class="small text-body-secondary">{self.words["multi"]}</div>'
            if norm.kind == "multi"
            else ""
        )
        title = escape(f"{norm.label}: {norm.arithmetic}")
        return (
            f'<td class="num"><span title="{title}">{self.number(row.norm_fte, 2)}</span>'
            f"{multi}</td>"
        )

    def cell_verschil(self, row: ComparisonRow) -> str:
        deviation = row.deviation
        css = {"short": " table-danger", "over": " table-info"}.get(deviation, "")
        note = f'<div class="small">{self.words[deviation]}</div>' if deviation else ""
        return f'<td class="num{css}">{self.signed(row.difference)}{note}</td>'

    def cell_uren100(self, row: ComparisonRow) -> str:
        return f'<td class="num">{self.number(row.hours_per_100_pupils, 1)}</td>'

    def cell_pakketuren(self, row: ComparisonRow) -> str:
        hours = self.number(row.package_hours, 1) if row.statuses else "&ndash;"
        return f'<td class="num">{hours}</td>'

    def cell_niet_ib(self, row: ComparisonRow) -> str:
        css = " text-danger" if row.not_ib_hours else ""
        return f'<td class="num{css}">{self.number(row.not_ib_percentage, 1)}</td>'

    def cell_status(self, row: ComparisonRow) -> str:
        if not row.statuses:
            return f'<td><span class="text-body-secondary">{self.words["none"]}</span></td>'
        return "<td>" + "".join(self.badge(status) + " " for status in row.statuses) + "</td>"

    def cell_zorg_ib(self, row: ComparisonRow) -> str:
        return f'<td class="num">{self.number(row.ib_care_percentage, 1)}</td>'

    def cell_zorg_anderen(self, row: ComparisonRow) -> str:
        return f'<td class="num">{self.number(row.other_hours, 1)}</td>'

    def cell_ib(self, row: ComparisonRow) -> str:
        if not row.ibs:
            return f'<td><span class="text-body-secondary">{self.words["no_ib"]}</span></td>'
        return (
            "<td>"
            + "".join(
                f"<div>{escape(ib.name)} "
                f'<span class="text-body-secondary">({self.number(ib.share_fte, 2)})</span></div>'
                for ib in row.ibs
            )
            + "</td>"
        )

    def cell_minimum(self, row: ComparisonRow) -> str:
        flags = "".join(
            f'<div class="text-nowrap"><span class="badge text-bg-warning">'
            f"{escape(self.fte % {'fte': self.number(ib.total_fte, 2)})}</span>"
            f'<span class="visually-hidden"> {escape(ib.name)}</span></div>'
            for ib in row.ibs
            if ib.below_minimum
        )
        if not row.below_minimum:
            flags += f'<span class="text-body-secondary">{self.words["no"]}</span>'
        return f"<td>{flags}</td>"


@register.simple_tag(takes_context=True)
def comparison_body(context) -> SafeString:
    """The table's rows: one ``<tr>`` per school, with the columns of the headers shown."""
    headers = context["headers"]
    rows = context["rows"]
    if not rows:
        # (The words outside the f-string: xgettext does not look inside one.)
        nothing = escape(_("No schools to compare."))
        return mark_safe(
            f'<tr><td colspan="{len(headers)}" class="text-body-secondary">{nothing}</td></tr>'
        )
    writer = CellWriter(context["show_partnership_filter"])
    keys = [header.column.key for header in headers]
    return mark_safe(  # every value above is escaped or a number
        "\n".join("<tr>" + "".join(writer.cell(key, row) for key in keys) + "</tr>" for row in rows)
    )
