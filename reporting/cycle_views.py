"""The board's year cycle beside its comparison ("Jaarcyclus"): planned against realised
hours, year-end evaluations, goals achieved and how often the packages were discussed, per
school and for the board, this school year beside the previous one; CSV and XLSX exports.

The numbers and the rules are in ``reporting.cycle``; whose figures in ``comparison_board``
and ``board_schools`` (``reporting.views``), as for the comparison: board staff of the board.
Partnership staff never get this page (404): a board shares agreed packages and task letters
with its partnership, not realisation or evaluation.
"""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schools.models import Board, Partnership
from schools.views import selected_start_year, year_choices
from tasks.models import Domain
from tasks.realisation import SIGNAL_HOURS, SIGNAL_SHARE, grace_end

from .charts import CHART_MAX_BARS
from .comparison import partnership_choices
from .cycle import (
    STATES,
    cycle_columns,
    cycle_export_table,
    cycle_rows,
    domain_chart,
    filter_cycle_rows,
    has_any,
    school_chart,
    total_of,
)
from .views import EXPORTERS, board_schools, comparison_board, query_with


class CycleFilterForm(forms.Form):
    """The cycle's filters; an unknown value is ignored (the filter is off)."""

    swv = forms.ChoiceField(label=gettext_lazy("Partnership"), required=False)
    stand = forms.ChoiceField(label=gettext_lazy("This school year"), required=False)

    def __init__(self, data, *, partnerships: list[Partnership], any_without: bool) -> None:
        super().__init__(data)
        self.fields["swv"].choices = partnership_choices(partnerships, any_without)
        self.fields["stand"].choices = [("", _("all")), *STATES.items()]


def cycle_context(request: HttpRequest, board: Board) -> dict:
    """What the page and the exports share: the rows as filtered, their total, the filters."""
    start_year = selected_start_year(request)
    schools = list(
        board_schools(request, board).select_related("partnership").order_by("name", "pk")
    )
    for school in schools:
        school.board = board  # one board object, not one per school
    rows, board_total = cycle_rows(schools, start_year)
    partnerships = sorted(
        {school.partnership for school in schools if school.partnership},
        key=lambda partnership: partnership.name,
    )
    form = CycleFilterForm(
        request.GET,
        partnerships=partnerships,
        any_without=any(school.partnership_id is None for school in schools),
    )
    form.is_valid()  # invalid fields are left out of cleaned_data: that filter is off
    shown = filter_cycle_rows(
        rows,
        partnership=form.cleaned_data.get("swv") or "",
        state=form.cleaned_data.get("stand") or "",
    )
    return {
        "board": board,
        "rows": shown,
        "all_count": len(rows),
        # Filtered rows are a part of all rows: as many means all, whose total is known.
        "total": board_total if len(shown) == len(rows) else total_of(shown, start_year),
        "board_total": board_total,  # unfiltered: whether the years hold anything at all
        "form": form,
        "show_partnership_filter": len(form.fields["swv"].choices) > 2,
        "start_year": start_year,
        "evaluation_still_open": {
            year for year in (start_year, start_year - 1) if timezone.localdate() <= grace_end(year)
        },
        "school_year_name": f"{start_year}-{start_year + 1}",
        "previous_year_name": f"{start_year - 1}-{start_year}",
    }


def board_cycle(request: HttpRequest, board_pk: int) -> HttpResponse:
    board = comparison_board(request, board_pk)
    context = cycle_context(request, board)
    domains = list(Domain.objects.all())
    rows = context["rows"]
    found = has_any(context["board_total"])
    query = f"?jaar={context['start_year']}"
    # The exports follow the filters; the tabs keep the year only (their filters differ).
    filters = "?" + query_with(request, jaar=str(context["start_year"]))
    context.update(
        title=_("Year cycle of the schools: %(board)s") % {"board": board.name},
        years=year_choices(context["start_year"]),
        found=found,
        # No school through the filters: no chart (it would say "not recorded" for hours
        # that were recorded), the page says that nothing matches.
        domain_chart=(
            domain_chart(context["total"], domains) if found["realisation"] and rows else None
        ),
        school_chart=(
            school_chart(rows)
            if found["realisation_now"] and rows and len(rows) <= CHART_MAX_BARS
            else None
        ),
        chart_max_bars=CHART_MAX_BARS,
        signal_hours=SIGNAL_HOURS,
        signal_percent=int(SIGNAL_SHARE * 100),
        domain_rows=[
            (
                domain,
                [
                    (year.planned_in(domain.pk), year.realised_in(domain.pk))
                    for year in (context["total"].current, context["total"].previous)
                ],
            )
            for domain in domains
        ],
        comparison_url=reverse("schools:comparison", args=[board.pk]) + query,
        cycle_url=reverse("schools:comparison-cycle", args=[board.pk]) + query,
        csv_url=reverse("schools:comparison-cycle-export", args=[board.pk, "csv"]) + filters,
        xlsx_url=reverse("schools:comparison-cycle-export", args=[board.pk, "xlsx"]) + filters,
    )
    return render(request, "reporting/cycle.html", context)


def board_cycle_export(request: HttpRequest, board_pk: int, fmt: str) -> HttpResponse:
    board = comparison_board(request, board_pk)
    if fmt not in EXPORTERS:
        raise Http404(_("Export as CSV or XLSX."))
    context = cycle_context(request, board)
    columns = cycle_columns(list(Domain.objects.all()), context["start_year"])
    header, body = cycle_export_table(context["rows"], context["total"], columns)
    content, content_type = EXPORTERS[fmt](header, body, columns)
    response = HttpResponse(content, content_type=content_type)
    filename = f"jaarcyclus-{slugify(board.name)}-{context['school_year_name']}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
