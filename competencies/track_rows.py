"""The rows of the board's track overview, written out here rather than by the template engine.

A large board has a couple of hundred rows of six cells, each with a few translated words, a
link and dates: resolving those variables, ``{% blocktranslate %}`` and ``{% url %}`` per row
was most of the page's time after its queries. Here every translated word and URL pattern is
looked up once per page and each row is one formatted string, the same text the template wrote
(``templates/competencies/training/overview.html``). Every text from the database is escaped.
"""

from __future__ import annotations

import datetime
from html import escape

from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .training_offer import Overview, PersonStatus, TrackStatus

DASH = "\u2013"
_PK = 987654321  # a pk no enrolment has: reversed once, then replaced by each row's pk


def day(value: datetime.date | None) -> str:
    """The template's ``|date:"d-m-Y"``."""
    return value.strftime("%d-%m-%Y") if value else ""


class RowWriter:
    def __init__(self, board_pk: int) -> None:
        self.track_url = escape(reverse("competencies:track-overview", args=[board_pk]))
        before, after = reverse("competencies:enrolment-detail", args=[_PK]).split(str(_PK))
        self.enrolment_url = (escape(before), escape(after))
        # ``{% translate %}`` of a literal is safe text: not escaped, as the template wrote it.
        # Each word a literal here, for makemessages.
        self.labels = {
            "track": _("Track"),
            "done": _("Done"),
            "planned": _("Planned"),
            "overdue": _("Overdue"),
            "enrolment": _("Enrolment"),
            "mandatory": _("mandatory"),
            "no_longer": _("no longer an IB of the board"),
            "no_track": _("No track"),
            "agreed": _("repayment agreed"),
        }
        # ``{% blocktranslate %}``: the text as translated (not escaped), the value escaped.
        self.left_on = _("left the board on %(date)s")
        self.leaves_on = _("leaves the board on %(date)s")
        self.completed = _("completed %(date)s")
        self.stopped = _("stopped %(date)s")
        self.since = _("since %(date)s")
        self.repayment = _("repayment due: € %(amount)s")

    def person_cell(self, person: PersonStatus, name: str) -> str:
        cell = f'<a href="{self.track_url}{person.ib.pk}/">{name}</a>'
        if person.left:
            if person.leave_on:
                text = self.left_on % {"date": day(person.leave_on)}
            else:
                text = self.labels["no_longer"]
            cell += f'<div class="small">{text}</div>'
        elif person.leave_on:
            cell += f'<div class="small">{self.leaves_on % {"date": day(person.leave_on)}}</div>'
        return cell

    def enrolment_cell(self, status: TrackStatus) -> str:
        enrolment = status.enrolment
        if not enrolment:
            return self.labels["mandatory"] if status.track.is_mandatory else DASH
        if status.stopped:
            text = self.stopped % {"date": day(enrolment.stopped_on)}
        else:
            text = self.since % {"date": day(enrolment.started_on)}
        before, after = self.enrolment_url
        cell = f'<a href="{before}{enrolment.pk}{after}">{text}</a>'
        due = status.repayment.repayment if status.repayment else None
        if due:
            amount = floatformat(due.amount, "2g")
            cell += f" · <strong>{self.repayment % {'amount': amount}}</strong>"
        elif getattr(enrolment, "agreement", None):
            cell += f" · {self.labels['agreed']}"
        return cell

    def row(self, status: TrackStatus, first_cell: str) -> str:
        labels = self.labels
        done = f"{status.done} / {len(status.modules)}"
        completed_on = status.completed_on
        if completed_on:
            text = self.completed % {"date": day(completed_on)}
            done += f' <span class="badge text-bg-success">{text}</span>'
        overdue = status.overdue
        overdue = f'<span class="badge text-bg-danger">{overdue}</span>' if overdue else DASH
        return (
            "\n    <tr>\n"
            f"      <td>{first_cell}</td>\n"
            f'      <td data-label="{labels["track"]}">{escape(status.track.name)}</td>\n'
            f'      <td data-label="{labels["done"]}">{done}</td>\n'
            f'      <td data-label="{labels["planned"]}">{status.planned or DASH}</td>\n'
            f'      <td data-label="{labels["overdue"]}">{overdue}</td>\n'
            f'      <td data-label="{labels["enrolment"]}">{self.enrolment_cell(status)}</td>\n'
            "    </tr>\n    "
        )

    def person(self, person: PersonStatus) -> str:
        name = escape(person.name)
        if not person.tracks:
            return (
                f'\n    <tr><td><a href="{self.track_url}{person.ib.pk}/">{name}</a></td>'
                f'<td colspan="5">{self.labels["no_track"]}</td></tr>\n    '
            )
        first = self.row(person.tracks[0], self.person_cell(person, name))
        hidden = f'<span class="visually-hidden">{name}</span>'
        return first + "".join(self.row(status, hidden) for status in person.tracks[1:])


def overview_rows(overview: Overview, board_pk: int) -> SafeString:
    """The table body's rows, as ``{% for person %}{% for status %}`` wrote them."""
    if not overview.people:
        nobody = _("No IBs match.")  # not inside the f-string: makemessages would miss it
        return mark_safe(f'\n    <tr><td colspan="6">{nobody}</td></tr>\n  ')
    writer = RowWriter(board_pk)
    return mark_safe("".join(f"\n    {writer.person(p)}\n  " for p in overview.people))
