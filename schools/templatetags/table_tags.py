"""The bodies of the school and appointment tables, written out here rather than by the
template engine.

The board overview (board staff's start page) lists 150 schools and as many appointments: the
engine resolved some 10,000 variables, 600 ``{% url %}`` and 2,000 ``{% translate %}`` for
them, most of the page's time (issue 14, as the comparison in issue #12). Here every
translated word and URL pattern is looked up once per table and each row is one formatted
string, the same HTML the templates wrote; the header and the empty row stay in
``schools/_school_table.html`` and ``schools/_appointment_table.html``. Every text from the
database is escaped.
"""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ..todo import url_pattern

register = template.Library()


class Writer:
    """What the rows of one table share: words, URLs and formatted numbers."""

    def __init__(self) -> None:
        self.numbers: dict[Decimal, str] = {}
        self.appointment_url = url_pattern("schools:appointment-detail")
        self.below_minimum = _("below minimum")
        self.minimum = _("The board's minimum is %(minimum)s fte")
        self.to_choose_badge = _("personnel-responsible director to be chosen")

    def fte(self, value: Decimal) -> str:
        """``value|floatformat:2``, once per distinct value."""
        text = self.numbers.get(value)
        if text is None:
            text = self.numbers[value] = escape(floatformat(value, 2))
        return text

    def flags(self, appointment) -> str:
        """The appointment's flags (below the minimum, director to choose), then a line break."""
        text = ""
        if appointment.is_below_minimum:
            title = self.minimum % {"minimum": self.fte(appointment.board.min_ib_fte)}
            text = (
                f'<span class="badge text-bg-warning flag-below-minimum" title="{title}">'
                f"{self.below_minimum}</span>"
            )
        if appointment.personnel.to_choose:
            text += f' <span class="badge text-bg-danger">{self.to_choose_badge}</span>'
        return text + "\n"


def person(user) -> str:
    """``user.get_full_name|default:user.username``, escaped."""
    return escape(user.get_full_name() or user.username)


@register.simple_tag
def school_table_body(rows: list[dict], show_board: bool, people_hidden: bool) -> SafeString:
    """The ``<tr>`` of ``school_rows`` as ``schools/_school_table.html`` wrote them."""
    writer = Writer()
    school_url = url_pattern("schools:school-detail")
    labels = {
        key: _(word)
        for key, word in (
            ("brin", "BRIN"),
            ("place", "Place"),
            ("pupils", "Pupils"),
            ("groups", "Groups"),
            ("fte", "IB fte"),
            ("ibs", "IBs"),
            ("directors", "Director(s)"),
        )
    }
    no_figures = _("No figures for this year")
    groups_unknown = _("Number of groups unknown")
    not_shared = _("not shared")
    no_ib = _("no IB")
    parts = []
    for row in rows:
        school = row["school"]
        figures = row["figures"]
        board = (
            f'<div class="small text-body-secondary">{escape(school.board)}</div>'
            if show_board
            else ""
        )
        if figures:
            pupils = escape(figures.pupils)
            groups = (
                f'<span class="text-body-secondary" title="{groups_unknown}">?</span>'
                if figures.groups is None
                else escape(figures.groups)
            )
        else:
            pupils = f'<span class="text-body-secondary" title="{no_figures}">&ndash;</span>'
            groups = '<span class="text-body-secondary">&ndash;</span>'
        if row["fte_hidden"]:
            fte = f'<span class="small text-body-secondary">{not_shared}</span>'
        else:
            fte = (writer.fte(row["fte"]) if row["fte"] is not None else "&ndash;") + "\n"
        ibs = ""
        if not people_hidden:
            shares = "".join(
                f'\n          <div><a href="{writer.appointment_url(appointment.pk)}">'
                f"{person(appointment.ib)}</a>\n"
                f'          <span class="text-body-secondary">({writer.fte(share.fte)})</span>\n'
                f"          {writer.flags(appointment)}</div>\n        "
                for appointment, share in row["ib_shares"]
            )
            if not shares:
                shares = f'<span class="text-body-secondary">{no_ib}</span>'
            ibs = f'<td data-label="{labels["ibs"]}">\n        {shares}\n      </td>'
        directors = (
            ", ".join(person(director) for director in school.directors)
            or '<span class="text-body-secondary">&ndash;</span>'
        )
        parts.append(
            "\n    <tr>\n"
            f'      <td><a href="{school_url(school.pk)}">{escape(school.name)}</a>{board}</td>\n'
            f'      <td data-label="{labels["brin"]}">{escape(school.code)}</td>\n'
            f'      <td data-label="{labels["place"]}">{escape(school.place)}</td>\n'
            f'      <td data-label="{labels["pupils"]}" class="num">{pupils}</td>\n'
            f'      <td data-label="{labels["groups"]}" class="num">{groups}</td>\n'
            f'      <td data-label="{labels["fte"]}" class="num">{fte}</td>\n'
            f"      {ibs}\n"
            f'      <td data-label="{labels["directors"]}">{directors}</td>\n'
            "    </tr>\n  "
        )
    return mark_safe("".join(parts))  # every value above went through escape


@register.simple_tag
def appointment_table_body(appointments: list, show_board: bool) -> SafeString:
    """The ``<tr>`` of appointments as ``schools/_appointment_table.html`` wrote them."""
    writer = Writer()
    labels = {
        key: _(word)
        for key, word in (
            ("board", "Board"),
            ("kind", "Kind"),
            ("scale", "Scale"),
            ("fte", "fte"),
            ("schools", "Schools"),
            ("personnel", "Personnel-responsible director"),
            ("period", "Period"),
        )
    }
    open_end = _("open")
    chosen = _("chosen by the board")
    to_choose = _("to be chosen")
    no_director = _("no director")
    parts = []
    for appointment in appointments:
        board = (
            f'<td data-label="{labels["board"]}">{escape(appointment.board)}</td>'
            if show_board
            else ""
        )
        shares = "".join(
            f"<li>{escape(share.school.name)} "
            f'<span class="text-body-secondary">{writer.fte(share.fte)}</span></li>'
            for share in appointment.share_list
        )
        personnel = appointment.personnel
        if personnel.directors:
            responsible = ", ".join(person(director) for director in personnel.directors)
            if personnel.status == "chosen":
                responsible += f' <span class="small text-body-secondary">({chosen})</span>'
        elif personnel.to_choose:
            responsible = f'<span class="text-danger">{to_choose}</span>'
        elif personnel.status == "no_director":
            responsible = f'<span class="text-body-secondary">{no_director}</span>'
        else:
            responsible = "&ndash;"
        end = f"{appointment.end_date:%d-%m-%Y}" if appointment.end_date else open_end
        parts.append(
            "\n    <tr>\n"
            f'      <td><a href="{writer.appointment_url(appointment.pk)}">'
            f"{person(appointment.ib)}</a> {writer.flags(appointment)}</td>\n"
            f"      {board}\n"
            f'      <td data-label="{labels["kind"]}">'
            f"{escape(appointment.get_kind_display())}</td>\n"
            f'      <td data-label="{labels["scale"]}">{escape(appointment.salary_scale or "–")}'
            "</td>\n"
            f'      <td data-label="{labels["fte"]}" class="num">'
            f"{writer.fte(appointment.total_fte)}</td>\n"
            f'      <td data-label="{labels["schools"]}"><ul class="share-list list-unstyled">'
            f"{shares}</ul></td>\n"
            f'      <td data-label="{labels["personnel"]}">{responsible}\n</td>\n'
            f'      <td data-label="{labels["period"]}">{appointment.start_date:%d-%m-%Y} '
            f"&ndash; {end}</td>\n"
            "    </tr>\n  "
        )
    return mark_safe("".join(parts))  # every value above went through escape
