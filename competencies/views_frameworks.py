"""Competency frameworks: everyone of a board reads them, board staff keep them.

Not yours means 404 (``Framework.objects.for_user``); readers get 403 on changes. A framework
that rounds use is never changed under them: the services save the change as a new version,
and the pages say so.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from core.versioning import StaleEdit, StaleNotice, formset_differences, stale_notice
from schools.models import get_scope, policy_boards

from .forms import ColumnAddForm, FrameworkEditForms, RowAddForm
from .models import AssessmentRound, Framework, FrameworkColumn, FrameworkRow
from .services import (
    framework_column_add,
    framework_column_remove,
    framework_copy_standard,
    framework_row_add,
    framework_row_remove,
    framework_update,
)
from .standard_frameworks import FRAMEWORKS

# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def get_framework(request: HttpRequest, pk: int) -> Framework:
    return get_object_or_404(
        Framework.objects.for_user(request.user).select_related("board"), pk=pk
    )


def require_framework_manager(request: HttpRequest, board_id: int) -> None:
    if not get_scope(request.user).can_manage_board(board_id):
        raise PermissionDenied(_("Only board staff can change competency frameworks."))


def editable_framework(request: HttpRequest, pk: int) -> Framework:
    framework = get_framework(request, pk)
    require_framework_manager(request, framework.board_id)
    return framework


def report_version(request: HttpRequest, old: Framework, new: Framework) -> None:
    """Say where the change went: in place, or into a new version because rounds use the old."""
    if new.pk == old.pk:
        messages.success(request, _("The framework has been saved."))
    else:
        messages.success(
            request,
            _(
                "This framework is used by self-assessment rounds, so the change has been saved "
                "as version %(new)s. Existing rounds keep version %(old)s."
            )
            % {"new": new.version, "old": old.version},
        )


def version_chain(framework: Framework) -> list[Framework]:
    """All versions of this framework, newest first (a handful of queries: chains are short)."""
    newest = framework
    while (later := newest.next_versions.first()) is not None:
        newest = later
    chain = [newest]
    while chain[-1].previous_id:
        chain.append(chain[-1].previous)
    return chain


def framework_grid(framework: Framework) -> tuple[list, list]:
    """(columns, [(row, [indicators per column])]); a list has no columns and one position
    (its indicators) per row. Rows without cells are shown too."""
    columns = list(framework.columns.all())
    by_position: dict[tuple, list] = {}
    for cell in framework.cells.select_related("column"):  # in indicator order
        by_position.setdefault((cell.row_id, cell.column_id), []).append(cell)
    keys = [column.pk for column in columns] or [None]
    grid = [
        (row, [by_position.get((row.pk, key), []) for key in keys]) for row in framework.rows.all()
    ]
    return columns, grid


# ---------------------------------------------------------------------------
# pages
# ---------------------------------------------------------------------------


def framework_list(request: HttpRequest, board_pk: int) -> HttpResponse:
    board = get_object_or_404(policy_boards(request.user), pk=board_pk)
    frameworks = (
        Framework.objects.for_user(request.user)
        .filter(board=board)
        .current()
        .annotate(
            row_count=Count("rows", distinct=True),
            in_use=Exists(AssessmentRound.objects.filter(framework=OuterRef("pk"))),
        )
        .order_by("name")
    )
    copied = set(
        Framework.objects.filter(board=board)
        .exclude(standard_key="")
        .values_list("standard_key", flat=True)
    )
    standards = [
        {
            "key": key,
            "name": data["name"],
            "description": data["description"],
            "copied": key in copied,
        }
        for key, data in FRAMEWORKS.items()
    ]
    return render(
        request,
        "competencies/framework_list.html",
        {
            "board": board,
            "frameworks": frameworks,
            "standards": standards,
            "can_manage": get_scope(request.user).can_manage_board(board.pk),
        },
    )


@require_POST
def framework_copy_standard_view(request: HttpRequest, board_pk: int, key: str) -> HttpResponse:
    board = get_object_or_404(policy_boards(request.user), pk=board_pk)
    require_framework_manager(request, board.pk)
    if key not in FRAMEWORKS:
        raise Http404
    framework = framework_copy_standard(board=board, key=key)
    messages.success(
        request,
        _("“%(name)s” has been copied: the board's own copy can now be edited.")
        % {"name": framework.name},
    )
    return redirect("competencies:framework-detail", pk=framework.pk)


def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_framework(request, pk)
    columns, grid = framework_grid(framework)
    versions = version_chain(framework)
    return render(
        request,
        "competencies/framework_detail.html",
        {
            "framework": framework,
            "columns": columns,
            "grid": grid,
            "levels": framework.levels.all(),
            "versions": versions,
            "is_current": versions[0].pk == framework.pk,
            "round_count": framework.rounds.count(),
            "can_manage": get_scope(request.user).can_manage_board(framework.board_id),
        },
    )


def refuse_old_version(request: HttpRequest, framework: Framework) -> HttpResponse | None:
    """An old version is read-only: one message, on its own page."""
    if not framework.next_versions.exists():
        return None
    messages.error(request, _("Only the newest version of a framework can be changed."))
    return redirect("competencies:framework-detail", pk=framework.pk)


def framework_stale_notice(forms: FrameworkEditForms, current: Framework) -> StaleNotice:
    """The edit page's input against the framework as saved now, part by part."""
    fresh = FrameworkEditForms(current)

    def labelled(prefix):
        return lambda form, name, field: f"{prefix(form.instance)}: {field.label}"

    extra = []
    for bound, saved, prefix in (
        (
            forms.levels,
            fresh.levels,
            lambda level: _("Level %(number)s") % {"number": level.number},
        ),
        (forms.rows, fresh.rows, lambda row: row.title),
        (forms.columns, fresh.columns, lambda column: column.title),
        (forms.cells, fresh.cells, str),
    ):
        extra += formset_differences(bound, saved, label=labelled(prefix))
    return stale_notice(forms.form, fresh.form, version=current.lock_version, extra=extra)


@require_http_methods(["GET", "POST"])
def framework_edit(request: HttpRequest, pk: int) -> HttpResponse:
    framework = editable_framework(request, pk)
    if refused := refuse_old_version(request, framework):
        return refused
    forms = FrameworkEditForms(framework, request.POST or None)
    stale = None
    if request.method == "POST" and forms.form.is_outdated(framework.lock_version):
        # Rows or columns added or removed since the page was loaded make the formsets
        # invalid: say why first, the fields then show what is missing.
        stale = framework_stale_notice(forms, framework)
    elif request.method == "POST" and forms.is_valid():
        try:
            saved = framework_update(
                framework=framework,
                changes=forms.changes(),
                lock_version=forms.form.posted_version,
            )
        except StaleEdit:
            framework = Framework.objects.select_related("board").get(pk=framework.pk)
            stale = framework_stale_notice(forms, framework)
        else:
            report_version(request, framework, saved)
            return redirect("competencies:framework-detail", pk=saved.pk)
    cells: dict[tuple, list] = {}
    for cell_form in forms.cells.forms:  # in indicator order
        key = (cell_form.instance.row_id, cell_form.instance.column_id)
        cells.setdefault(key, []).append(cell_form)
    keys = [f.instance.pk for f in forms.columns.forms] or [None]
    cell_grid = [
        (row_form, [cells.get((row_form.instance.pk, key), []) for key in keys])
        for row_form in forms.rows.forms
    ]
    return render(
        request,
        "competencies/framework_edit.html",
        {
            "framework": framework,
            "forms": forms,
            "cell_grid": cell_grid,
            "round_count": framework.rounds.count(),
            "stale": stale,
        },
        status=409 if stale else 200,
    )


def _part_add(request: HttpRequest, pk: int, form_class, add, title: str) -> HttpResponse:
    framework = editable_framework(request, pk)
    form = form_class(request.POST or None, framework=framework)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if not k.startswith("cell_")}
        try:
            saved = add(framework=framework, descriptors=form.descriptors(), **fields)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("competencies:framework-detail", pk=framework.pk)
        report_version(request, framework, saved)
        return redirect("competencies:framework-edit", pk=saved.pk)
    return render(
        request,
        "competencies/framework_part_form.html",
        {"framework": framework, "form": form, "title": title},
    )


@require_http_methods(["GET", "POST"])
def framework_row_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_framework(request, pk)
    title = _("Add role") if framework.kind == Framework.Kind.MATRIX else _("Add competency")
    return _part_add(request, pk, RowAddForm, framework_row_add, title)


@require_http_methods(["GET", "POST"])
def framework_column_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_framework(request, pk)
    if framework.kind != Framework.Kind.MATRIX:
        raise Http404  # a list has no columns
    return _part_add(request, pk, ColumnAddForm, framework_column_add, _("Add context"))


def _part_remove(request: HttpRequest, part, remove, title: str) -> HttpResponse:
    """GET asks first (what goes with the part); POST removes it."""
    framework = part.framework
    require_framework_manager(request, framework.board_id)
    edit_url = reverse("competencies:framework-edit", args=[framework.pk])
    if refused := refuse_old_version(request, framework):
        return refused  # neither ask nor try
    if request.method == "GET":
        cells = part.cells.count()
        consequences = [
            ngettext(
                "Its %(count)s cell and its description are removed with it.",
                "Its %(count)s cells and their descriptions are removed with it.",
                cells,
            )
            % {"count": cells}
        ]
        if framework.is_in_use:
            consequences.append(
                _(
                    "Self-assessments already made keep version %(version)s; the change makes "
                    "version %(next)s."
                )
                % {"version": framework.version, "next": framework.version + 1}
            )
        consequences.append(_("Changes on the edit page that you have not saved are not kept."))
        context = {
            "title": title,
            "name": part.title,
            "consequence": " ".join(consequences),
            "cancel_url": edit_url,
            "back_url": edit_url,
            "back_label": framework.name,
            "action_label": _("Remove"),
        }
        return render(request, "competencies/confirm_delete.html", context)
    try:
        saved = remove(part)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(edit_url)
    report_version(request, framework, saved)
    return redirect("competencies:framework-edit", pk=saved.pk)


@require_http_methods(["GET", "POST"])
def framework_row_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(
        FrameworkRow.objects.select_related("framework").filter(
            framework__in=Framework.objects.for_user(request.user)
        ),
        pk=pk,
    )
    title = (
        _("Remove role") if row.framework.kind == Framework.Kind.MATRIX else _("Remove competency")
    )
    return _part_remove(request, row, lambda part: framework_row_remove(row=part), title)


@require_http_methods(["GET", "POST"])
def framework_column_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    column = get_object_or_404(
        FrameworkColumn.objects.select_related("framework").filter(
            framework__in=Framework.objects.for_user(request.user)
        ),
        pk=pk,
    )
    return _part_remove(
        request, column, lambda part: framework_column_remove(column=part), _("Remove context")
    )
