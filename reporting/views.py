"""The comparison of schools: for board staff over their board, read-only for partnership staff
over the boards that share their figures; its CSV and XLSX exports; a school over the years.

Thin views in the style of ``schools.views``: the schools come through ``comparable_boards``
(the one entry point for whose figures a user compares), the numbers from
``reporting.comparison``; the exports are written from the same row objects as the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import exports
from schools.figures import comparable_boards, sees_figures
from schools.models import Board, Partnership, School, SchoolYear, SecurityEvent, policy_boards
from schools.norms import school_norms
from schools.security_events import record as record_security_event
from schools.views import reference_date, require_board_manager, selected_start_year, year_choices
from tasks.models import Domain, PackageStatus

from .charts import CHART_MAX_BARS, domain_mix_chart, fte_chart
from .comparison import (
    DEVIATIONS,
    NO_PACKAGE,
    Column,
    comparison_columns,
    comparison_rows,
    comparison_totals,
    export_table,
    filter_rows,
    partnership_choices,
    school_year_rows,
    sort_rows,
)

# ---------------------------------------------------------------------------
# filters, sorting, the shared page context
# ---------------------------------------------------------------------------


class ComparisonFilterForm(forms.Form):
    """The filters of the comparison; an unknown value is ignored (the filter is off)."""

    swv = forms.ChoiceField(label=gettext_lazy("Partnership"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Package status"), required=False)
    afwijking = forms.ChoiceField(label=gettext_lazy("Against the norm"), required=False)

    def __init__(self, data, *, partnerships: list[Partnership], any_without: bool) -> None:
        super().__init__(data)
        everything = ("", _("all"))
        self.fields["swv"].choices = partnership_choices(partnerships, any_without)
        self.fields["status"].choices = [
            everything,
            *PackageStatus.choices,
            (NO_PACKAGE, _("no package")),
        ]
        self.fields["afwijking"].choices = [everything, *DEVIATIONS.items()]

    def selects(self) -> dict[str, list[tuple[str, str, bool]]]:
        """Each filter's options as (value, label, selected), written out by the template
        rather than by the widgets' templates (a template per option; issue #12)."""
        return {
            name: [
                (str(value), str(label), str(value) == str(self[name].value() or ""))
                for value, label in field.choices
            ]
            for name, field in self.fields.items()
        }


# The screen shows the columns a board compares first (fte against the norm, the package and
# its role purity); the others are one tick away in the column chooser, and always in the
# exports. Keys, or the start of keys, of the columns hidden unless chosen:
HIDDEN_BY_DEFAULT = ("groepen", "uren100", "domein-", "ib", "zorg-")
# The columns of the school's task division (issue 16): read (one query) only when shown.
DIVISION_COLUMNS = "zorg-"
# The chooser sends its ticks as ``kolom`` (one per column) and ``kolommen=1``: with that, no
# tick means no column, without it (a first visit, a link) the defaults apply.
CHOSEN = "kolommen"


def shown_column_keys(request: HttpRequest, columns: list[Column]) -> set[str]:
    """The keys of the on-screen columns the user chose, or the defaults; always the school."""
    choosable = [column.key for column in columns if column.on_screen and column.key != "school"]
    if request.GET.get(CHOSEN):
        ticked = set(request.GET.getlist("kolom"))
        keys = {key for key in choosable if key in ticked}
    else:
        keys = {key for key in choosable if not key.startswith(HIDDEN_BY_DEFAULT)}
    return keys | {"school"}


@dataclass(frozen=True)
class Header:
    column: Column
    url: str
    aria_sort: str  # "ascending", "descending" or "" for an unsorted column


def query_with(request: HttpRequest, **changes: str) -> str:
    """The current query string with some parameters changed, for links that keep filters."""
    # As QueryDict.copy() and setting each key, without its deep copy (a link per column).
    pairs = [
        (key, [changes[key]] if key in changes else values) for key, values in request.GET.lists()
    ]
    pairs += [(key, [value]) for key, value in changes.items() if key not in request.GET]
    return urlencode(pairs, doseq=True)


def comparison_context(
    request: HttpRequest,
    schools: QuerySet[School],
    *,
    show_board: bool,
    boards: list[Board],
    export: bool = False,
) -> dict:
    """Rows, filters, sort and totals of a comparison: what the page and the exports share.

    The board view (``show_board`` off) is for the board's staff and names its IBs; the
    partnership view compares figures only, without people."""
    start_year = selected_start_year(request)
    day = reference_date(start_year)
    domains = list(Domain.objects.all())
    known = {board.pk: board for board in boards}
    show_people = not show_board
    columns = comparison_columns(domains, show_board=show_board, show_people=show_people)
    shown_keys = shown_column_keys(request, columns)
    # The task division's hours (one more query) only where they are shown: the exports, or
    # a page whose user ticked one of its columns.
    with_division = show_people and (
        export or any(key.startswith(DIVISION_COLUMNS) for key in shown_keys)
    )
    rows = comparison_rows(
        request.user, schools, start_year, day, domains, known, with_division=with_division
    )

    partnerships = sorted(
        {row.school.partnership for row in rows if row.school.partnership},
        key=lambda partnership: partnership.name,
    )
    form = ComparisonFilterForm(
        request.GET,
        partnerships=partnerships,
        any_without=any(row.school.partnership_id is None for row in rows),
    )
    form.is_valid()  # invalid fields are left out of cleaned_data: that filter is off
    shown = filter_rows(
        rows,
        partnership=form.cleaned_data.get("swv") or "",
        status=form.cleaned_data.get("status") or "",
        deviation=form.cleaned_data.get("afwijking") or "",
    )

    sortable = {column.key: column for column in columns if column.on_screen}
    sort = request.GET.get("sort", "")
    if sort not in sortable:
        sort = "school"
    descending = request.GET.get("dir") == "desc"
    shown = sort_rows(shown, sortable[sort].sort_key, descending)
    totals = comparison_totals(shown, domains)

    headers = []
    for column in sortable.values():
        if column.key not in shown_keys:
            continue
        active = column.key == sort
        next_dir = "desc" if active and not descending else "asc"
        headers.append(
            Header(
                column=column,
                url="?" + query_with(request, sort=column.key, dir=next_dir),
                aria_sort=("descending" if descending else "ascending") if active else "",
            )
        )
    return {
        "rows": shown,
        "all_count": len(rows),
        "totals": totals,
        "domains": domains,
        "columns": columns,
        "headers": headers,
        # The column chooser: every on-screen column but the school, ticked when shown.
        "choosable_columns": [
            (column, column.key in shown_keys)
            for column in sortable.values()
            if column.key != "school"
        ],
        # For the table's cells: show.<key> (hyphens as underscores), and the domains shown.
        "show": {key.replace("-", "_"): True for key in shown_keys},
        "shown_domains": {
            key.removeprefix("domein-") for key in shown_keys if key.startswith("domein-")
        },
        "form": form,
        "filter_options": form.selects(),
        "show_partnership_filter": len(form.fields["swv"].choices) > 2,
        "filtered": len(shown) != len(rows),
        "sort": sort,
        "descending": descending,
        "show_board": show_board,
        "show_people": show_people,
        "start_year": start_year,
        "school_year_name": f"{start_year}-{start_year + 1}",
        "reference_date": day,
        "query": request.GET.urlencode(),
    }


def page_context(context: dict) -> dict:
    """What only the page adds to a comparison: the year picker and the charts."""
    rows = context["rows"]
    show_charts = 0 < len(rows) <= CHART_MAX_BARS
    return {
        **context,
        "years": year_choices(context["start_year"]),
        "show_charts": show_charts,
        "chart_max_bars": CHART_MAX_BARS,
        "mix_chart": domain_mix_chart(rows, school_label) if show_charts else None,
        "fte_chart": fte_chart(rows, school_label) if show_charts else None,
    }


def school_label(row) -> str:
    return row.school.name


# ---------------------------------------------------------------------------
# whose comparison
# ---------------------------------------------------------------------------


def comparison_board(request: HttpRequest, board_pk: int) -> Board:
    """The board of a board comparison: 404 for boards the user does not belong to (partnership
    staff compare through their partnership's page), 403 for its directors and IBs."""
    board = get_object_or_404(policy_boards(request.user), pk=board_pk)
    require_board_manager(request, board.pk)
    return board


def board_schools(request: HttpRequest, board: Board) -> QuerySet[School]:
    return School.objects.filter(board__in=comparable_boards(request.user).filter(pk=board.pk))


def partnership_schools(request: HttpRequest, partnership: Partnership) -> QuerySet[School]:
    """The partnership's schools of the boards that share their figures with it."""
    boards = comparable_boards(request.user).filter(
        partnerships=partnership, shares_with_partnership=True
    )
    return School.objects.filter(partnership=partnership, board__in=boards)


def get_partnership(request: HttpRequest, pk: int) -> Partnership:
    return get_object_or_404(Partnership.objects.for_user(request.user), pk=pk)


# ---------------------------------------------------------------------------
# pages
# ---------------------------------------------------------------------------


def board_comparison(request: HttpRequest, board_pk: int) -> HttpResponse:
    board = comparison_board(request, board_pk)
    context = comparison_context(
        request, board_schools(request, board), show_board=False, boards=[board]
    )
    context.update(
        board=board,
        policy_norms=school_norms(board, pupils=None, groups=None),
        title=_("Comparison of schools: %(board)s") % {"board": board.name},
        csv_url=reverse("schools:comparison-export", args=[board.pk, "csv"]),
        xlsx_url=reverse("schools:comparison-export", args=[board.pk, "xlsx"]),
    )
    return render(request, "reporting/comparison.html", page_context(context))


def partnership_comparison(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership(request, pk)
    boards = list(partnership.boards.order_by("name"))
    context = comparison_context(
        request, partnership_schools(request, partnership), show_board=True, boards=boards
    )
    context.update(
        partnership=partnership,
        title=_("Comparison of schools: %(partnership)s") % {"partnership": partnership.name},
        sharing_boards=[board for board in boards if board.shares_with_partnership],
        other_boards=[board for board in boards if not board.shares_with_partnership],
        csv_url=reverse("schools:partnership-comparison-export", args=[partnership.pk, "csv"]),
        xlsx_url=reverse("schools:partnership-comparison-export", args=[partnership.pk, "xlsx"]),
    )
    return render(request, "reporting/comparison.html", page_context(context))


def board_comparison_export(request: HttpRequest, board_pk: int, fmt: str) -> HttpResponse:
    board = comparison_board(request, board_pk)
    context = comparison_context(
        request, board_schools(request, board), show_board=False, boards=[board], export=True
    )
    return export_response(request, fmt, f"vergelijking-{slugify(board.name)}", context)


def partnership_comparison_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    partnership = get_partnership(request, pk)
    context = comparison_context(
        request,
        partnership_schools(request, partnership),
        show_board=True,
        boards=list(partnership.boards.all()),
    )
    return export_response(request, fmt, f"vergelijking-{slugify(partnership.name)}", context)


def school_years(request: HttpRequest, pk: int) -> HttpResponse:
    """A school over the school years: pupils, groups, IB fte, norm and domain mix."""
    school = get_object_or_404(
        School.objects.for_user(request.user).select_related("board", "partnership"), pk=pk
    )
    if not sees_figures(request.user, school):
        raise Http404(_("This board does not share its figures with the partnership."))
    current = SchoolYear.current_start_year()
    known = set(
        SchoolYear.objects.filter(start_year__lte=current + 1).values_list("start_year", flat=True)
    )
    days = {year: reference_date(year) for year in sorted(known | {current})}
    domains = list(Domain.objects.all())
    rows = school_year_rows(request.user, school, days, domains)
    return render(
        request,
        "reporting/school_years.html",
        {
            "school": school,
            "policy_norms": school_norms(school.board, pupils=None, groups=None),
            "rows": rows,
            "domains": domains,
            "mix_chart": domain_mix_chart(rows, year_label) if rows else None,
            "fte_chart": fte_chart(rows, year_label) if rows else None,
        },
    )


def year_label(row) -> str:
    return row.name


# ---------------------------------------------------------------------------
# exports: the numbers on screen, same filters and sort
# ---------------------------------------------------------------------------

FORMULA_START = exports.FORMULA_START
XLSX_TYPE = exports.XLSX_TYPE
csv_cell = exports.csv_cell


def export_response(request: HttpRequest, fmt: str, name: str, context: dict) -> HttpResponse:
    if fmt not in EXPORTERS:
        raise Http404(_("Export as CSV or XLSX."))
    columns = context["columns"]
    header, body = export_table(context["rows"], context["totals"], columns)
    content, content_type = EXPORTERS[fmt](header, body, columns)
    response = HttpResponse(content, content_type=content_type)
    filename = f"{name}-{context['school_year_name']}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    record_security_event(request, SecurityEvent.Kind.EXPORT, detail=filename)
    return response


def write_csv(header: list[str], body: list[list], columns: list[Column]) -> tuple[bytes, str]:
    """Excel NL conventions (see core.exports)."""
    return exports.write_csv(header, body, [column.kind for column in columns])


def write_xlsx(header: list[str], body: list[list], columns: list[Column]) -> tuple[bytes, str]:
    """The table as an Excel sheet (see core.exports): bold header and totals, the header and
    the school column frozen, a filter."""
    return exports.write_xlsx(
        header,
        body,
        [column.kind for column in columns],
        sheet_title=_("Comparison"),
        freeze="B2",
        bold_last=True,
    )


EXPORTERS = {"csv": write_csv, "xlsx": write_xlsx}
