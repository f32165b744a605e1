"""The board's competency heat map and its CSV export (board staff of the board only).

Thin views in the style of ``schools.views``: the board through ``Board.objects.for_user``
(404 outside the scope), board staff only (403 for the rest of the board), the numbers from
``competencies.heatmap`` (counts only, small groups hidden).
"""

from __future__ import annotations

import csv
import io

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from schools.models import Board, SchoolYear, get_scope
from schools.views import selected_start_year, year_choices

from .heatmap import MIN_GROUP, current_frameworks, export_rows, has_indicators, heat_map
from .models import Framework

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def heatmap_context(request: HttpRequest, board_pk: int) -> dict:
    """What the page and the export share: the board, the framework chosen, the heat map."""
    board = get_object_or_404(Board.objects.for_user(request.user), pk=board_pk)
    if not get_scope(request.user).can_manage_board(board.pk):
        raise PermissionDenied(_("The competency heat map is for board staff."))
    frameworks = list(Framework.objects.filter(board=board))
    choices = [item for item in current_frameworks(frameworks) if item.is_active]
    chosen = request.GET.get("framework", "")
    if chosen:
        framework = next((item for item in choices if str(item.pk) == chosen), None)
        if framework is None:
            raise Http404(_("The board has no such framework."))
    else:
        framework = choices[0] if choices else None
    start_year = selected_start_year(request)
    return {
        "board": board,
        "frameworks": choices,
        "framework": framework,
        "start_year": start_year,
        "school_year_name": SchoolYear(start_year=start_year).name,
        "heat": heat_map(framework, frameworks, start_year) if framework else None,
        "min_group": MIN_GROUP,
    }


def heatmap(request: HttpRequest, board_pk: int) -> HttpResponse:
    context = heatmap_context(request, board_pk)
    context["years"] = year_choices(context["start_year"])
    return render(request, "competencies/heatmap.html", context)


def csv_text(value: object) -> object:
    text = str(value)
    return "'" + text if isinstance(value, str) and text.startswith(FORMULA_START) else value


def heatmap_export(request: HttpRequest, board_pk: int) -> HttpResponse:
    """The heat map as CSV: semicolons, UTF-8 with a byte-order mark (Excel NL)."""
    context = heatmap_context(request, board_pk)
    heat = context["heat"]
    if heat is None:
        raise Http404(_("The board has no competency framework yet."))
    hidden = _("fewer than %(count)s") % {"count": MIN_GROUP}
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    indicator = [_("Indicator")] if has_indicators(heat) else []
    writer.writerow(
        [
            pgettext("framework", "Row"),
            pgettext("framework", "Column"),
            *indicator,
            *[str(level) for level in heat.levels],
            _("IBs"),
        ]
    )
    for line in export_rows(heat, hidden):
        writer.writerow([csv_text(value) for value in line])
    response = HttpResponse(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    name = slugify(f"heatmap-{heat.framework.name}-{context['school_year_name']}")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
