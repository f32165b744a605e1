"""The body and totals of the board's year-cycle table (``reporting/cycle.html``), written out
here rather than by the template engine, as ``comparison_tags`` does for the comparison: a
board of 150 schools would make the engine resolve thousands of variables. Every translated
word and URL pattern is looked up once per page; every text from the database is escaped.
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal
from html import escape

from django import template
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from schools.templatetags.figure_tags import DASH

from ..cycle import CycleRow, YearFigures
from .comparison_tags import url_pattern

register = template.Library()


class CycleCellWriter:
    def __init__(self, still_open: Collection[int] = ()) -> None:
        """``still_open``: the start years whose year-end evaluation can still be held (the
        grace end has not passed): a school without one shows "not yet" there, not "no"."""
        self.still_open = still_open
        self.separator = get_format("DECIMAL_SEPARATOR")
        self.detail_url = url_pattern("schools:school-detail")
        self.words = {
            "yes": escape(_("yes")),
            "no": escape(_("no")),
            "not_yet": escape(_("not yet")),
            "total": escape(_("Board total")),
            "partly": escape(_("partly")),
            "not": escape(_("not")),
        }
        self.details: dict[tuple[int, int, int], str] = {}

    def number(self, value: Decimal | int | None, places: int = 0) -> str:
        if value is None:
            return DASH
        text = f"{value:.{places}f}"
        return text.replace(".", self.separator) if places else text

    def row(self, row: CycleRow) -> str:
        if row.school is None:
            head = f'<th scope="row" class="col-school">{self.words["total"]}</th>'
        else:
            head = (
                f'<th scope="row" class="fw-normal col-school">'
                f'<a href="{self.detail_url(row.school.pk)}">{escape(row.school.name)}</a>'
                f'<div class="small text-body-secondary">{escape(row.school.code)}</div></th>'
            )
        now, before = row.current, row.previous
        return (
            "<tr>"
            + head
            + f'<td class="num">{self.number(now.planned_hours, 1)}</td>'
            + self.realised(now)
            + self.percentage(now)
            + self.evaluation(now, row.school is None)
            + self.goals(now)
            + self.discussions(now)
            + self.percentage(before, "border-start")
            + self.evaluation(before, row.school is None)
            + self.goals(before)
            + self.discussions(before)
            + "</tr>"
        )

    def realised(self, year: YearFigures) -> str:
        moment = (
            f'<div class="small text-body-secondary">{escape(year.moment_label)}</div>'
            if year.at_mid_year
            else ""
        )
        return f'<td class="num">{self.number(year.realised_hours, 1)}{moment}</td>'

    def percentage(self, year: YearFigures, css: str = "") -> str:
        if year.far_off:
            css += " table-danger" if year.realised_hours < year.planned_hours else " table-info"
        return f'<td class="num {css.strip()}">{self.number(year.realised_percentage, 1)}</td>'

    def evaluation(self, year: YearFigures, total: bool = False) -> str:
        """Yes or no for a school; "1 of 2" for a school with two packages, and always for
        the board (how many of its packages)."""
        if not year.agreed:
            return f'<td class="num">{DASH}</td>'
        if not total and year.evaluated >= year.agreed:
            text = self.words["yes"]
        elif not total and not year.evaluated:
            text = self.words["not_yet" if year.start_year in self.still_open else "no"]
        else:
            text = escape(
                _("%(held)s of %(packages)s") % {"held": year.evaluated, "packages": year.agreed}
            )
        return f'<td class="num">{text}</td>'

    def goals(self, year: YearFigures) -> str:
        if not year.rated:
            return f'<td class="num">{DASH}</td>'
        detail = escape(
            _("%(achieved)s of %(rated)s; partly %(partly)s, not %(not)s")
            % {
                "achieved": year.achieved,
                "rated": year.rated,
                "partly": year.partly,
                "not": year.not_achieved,
            }
        )
        return (
            f'<td class="num">{self.number(year.achieved_percentage, 1)}'
            f'<div class="small text-body-secondary">{detail}</div></td>'
        )

    def discussions(self, year: YearFigures) -> str:
        counts = (year.submitted, year.returned, year.conversations)
        if counts not in self.details:  # most schools share a handful of combinations
            parts = [
                ngettext("%(n)s submission", "%(n)s submissions", year.submitted),
                ngettext("%(n)s return", "%(n)s returns", year.returned),
                ngettext("%(n)s conversation", "%(n)s conversations", year.conversations),
            ]
            # Only what happened: "2 keer voorgelegd · 1 gesprek".
            self.details[counts] = escape(
                " · ".join(p % {"n": n} for p, n in zip(parts, counts, strict=True) if n)
            )
        detail = self.details[counts]
        if detail:
            detail = f'<div class="small text-body-secondary">{detail}</div>'
        return f'<td class="num">{year.discussions}{detail}</td>'


@register.simple_tag(takes_context=True)
def cycle_body(context) -> SafeString:
    writer = CycleCellWriter(context["evaluation_still_open"])
    return mark_safe(  # every value above is escaped or a number
        "\n".join(writer.row(row) for row in context["rows"])
    )


@register.simple_tag(takes_context=True)
def cycle_total(context) -> SafeString:
    writer = CycleCellWriter(context["evaluation_still_open"])
    return mark_safe(writer.row(context["total"]))  # escaped or numbers
