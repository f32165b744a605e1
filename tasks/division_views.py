"""Pages of the school's task division: the matrix, its roles, the print and the export.

The school is fetched through ``division.division_schools`` and a division through
``TaskDivision.objects.for_user`` (404 outside the scope: the partnership has none); only
the school's director changes it (403 for the IB and board staff, who read it). Every form
is a plain POST that redirects; a refusal re-renders the matrix with the input kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.exports import table_response
from core.versioning import (
    Difference,
    StaleEdit,
    VersionedFormMixin,
    VersionedPost,
    display_value,
    save_versioned_form,
    stale_notice,
)
from schools.models import SchoolYear, SecurityEvent
from schools.security_events import record as record_security_event
from schools.views import selected_start_year, year_choices

from . import division
from .forms import HoursField
from .models import Domain, RoleHolder, TaskDivision

CELL = HoursField()


class DivisionForm(VersionedFormMixin, forms.Form):
    """The matrix: the division's version here, every IB package's as ``pkg_<id>``, and the
    cells as plain inputs ``c_<row>_<column>`` (read by ``read_cells``: a matrix has hundreds)."""


class HolderForm(VersionedFormMixin, forms.ModelForm):
    hours = forms.DecimalField(
        label=gettext_lazy("Hours for these tasks"),
        localize=True,
        min_value=Decimal("0"),
        max_value=Decimal("16590"),
        decimal_places=1,
        initial=Decimal("0"),
        help_text=gettext_lazy("Hours per school year this role has for care and quality tasks."),
    )

    class Meta:
        model = RoleHolder
        fields = ["role", "name", "hours"]


class OwnTaskForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Task of the school's own"), max_length=200)
    domain = forms.ModelChoiceField(
        label=gettext_lazy("LBBO domain"), queryset=Domain.objects.all(), empty_label=None
    )
    column = forms.ChoiceField(label=gettext_lazy("Who does it"))
    hours = HoursField()

    def __init__(self, *args, matrix: division.Matrix, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["column"].choices = [
            (column.key, column.label) for column in matrix.columns if column.editable
        ]
        self.fields["domain"].choices = [(d.pk, d.name) for d in matrix.domains]


# ---------------------------------------------------------------------------
# fetching
# ---------------------------------------------------------------------------


def get_division(request: HttpRequest, pk: int) -> TaskDivision:
    return get_object_or_404(
        TaskDivision.objects.for_user(request.user).select_related("school__board", "school_year"),
        pk=pk,
    )


def get_holder(request: HttpRequest, holder_pk: int) -> RoleHolder:
    return get_object_or_404(
        RoleHolder.objects.filter(
            division__in=TaskDivision.objects.for_user(request.user)
        ).select_related("division__school__board", "division__school_year"),
        pk=holder_pk,
    )


def matrix_url(obj: TaskDivision) -> str:
    return reverse("tasks:division", args=[obj.school_id, obj.school_year.start_year])


def matrix_of(obj: TaskDivision) -> division.Matrix:
    return division.build_matrix(obj.school, obj.school_year, obj)


# ---------------------------------------------------------------------------
# the matrix page
# ---------------------------------------------------------------------------


def matrix_context(
    request: HttpRequest,
    matrix: division.Matrix,
    *,
    form: DivisionForm | None = None,
    errors: dict | None = None,
    holder_form: HolderForm | None = None,
    own_form: OwnTaskForm | None = None,
    stale=None,
) -> dict:
    obj = matrix.division
    editing = obj is not None and division.can_edit(matrix.school.pk, request.user)
    data = form.data if form is not None and form.is_bound else None
    holder_form = holder_form or HolderForm(auto_id="holder-%s")
    own_form = own_form or OwnTaskForm(matrix=matrix, auto_id="own-%s", prefix="task")
    if editing:
        # Their fields post with the matrix form, whose buttons save the typed hours first.
        for extra in (holder_form, own_form):
            for name, field in extra.fields.items():
                if name != "lock_version":
                    field.widget.attrs["form"] = "division-form"
    return {
        "matrix": matrix,
        "school": matrix.school,
        "division": obj,
        "cell_data": data,
        "cell_errors": errors or {},
        "editing": editing,
        "can_start": obj is None and division.can_edit(matrix.school.pk, request.user),
        "form": form or (DivisionForm(version=obj.lock_version) if obj else None),
        "holder_form": holder_form,
        "own_form": own_form,
        # A refused save keeps the versions its page was built on (stale: the new ones).
        "package_locks": [
            (name, data.get(name) if data is not None and name in data else version)
            for name, version in (
                (f"pkg_{column.package.pk}", column.package.lock_version)
                for column in matrix.columns
                if column.is_ib
            )
        ],
        "has_ib": any(column.is_ib for column in matrix.columns),
        "stale": stale,
        "error_count": len(errors or {}),
    }


def division_index(request: HttpRequest) -> HttpResponse:
    """The schools whose division the user reads, for the chosen school year."""
    start_year = selected_start_year(request)
    schools = list(division.division_schools(request.user).select_related("board"))
    have = dict(
        TaskDivision.objects.for_user(request.user)
        .filter(school__in=schools, school_year__start_year=start_year)
        .values_list("school_id", "pk")
    )
    rows = [
        {
            "school": school,
            "has_division": school.pk in have,
            "can_edit": division.can_edit(school.pk, request.user),
        }
        for school in schools
    ]
    return render(
        request,
        "tasks/division_index.html",
        {
            "rows": rows,
            "start_year": start_year,
            "school_year_name": SchoolYear(start_year=start_year).name,
            "years": year_choices(start_year),
        },
    )


def division_years(known: Iterable[int]) -> set[int]:
    """The school years a division can be read or started in: those the portal knows, this
    one and the next (not 1990 or 2051 through the URL)."""
    current = SchoolYear.current_start_year()
    return {*known, current, current + 1}


def division_detail(request: HttpRequest, school_pk: int, start_year: int) -> HttpResponse:
    school = get_object_or_404(
        division.division_schools(request.user).select_related("board"), pk=school_pk
    )
    known = {year.start_year: year for year in SchoolYear.objects.all()}
    years = division_years(known)
    if start_year not in years:
        raise Http404(_("The portal holds no school year %(year)s.") % {"year": start_year})
    school_year = known.get(start_year) or SchoolYear(start_year=start_year)
    obj = None
    if school_year.pk:
        obj = (
            TaskDivision.objects.for_user(request.user)
            .filter(school=school, school_year=school_year)
            .first()
        )
        if obj is not None:  # the school and year are here already
            obj.school, obj.school_year = school, school_year
    if school_year.pk:
        matrix = division.build_matrix(school, school_year, obj)
    else:  # a year nobody has used yet: nothing to show but the start
        matrix = division.Matrix(None, school, [], [], list(Domain.objects.all()))
    context = matrix_context(request, matrix)
    context.update(
        {
            "start_year": start_year,
            "school_year_name": school_year.name,
            "has_previous": start_year - 1 in years,
            "has_next": start_year + 1 in years,
        }
    )
    if school_year.pk:
        context["without_package"] = division.shares_without_package(matrix, school_year)
    return render(request, "tasks/division_detail.html", context)


@require_POST
def division_start(request: HttpRequest, school_pk: int, start_year: int) -> HttpResponse:
    school = get_object_or_404(division.division_schools(request.user), pk=school_pk)
    division.require_edit(school.pk, request.user)
    if start_year not in division_years(SchoolYear.objects.values_list("start_year", flat=True)):
        return redirect("tasks:division-index")
    with transaction.atomic():
        school_year, _created = SchoolYear.objects.get_or_create(start_year=start_year)
        existing = TaskDivision.objects.filter(school=school, school_year=school_year).first()
        if existing is None:
            division.division_create(school=school, school_year=school_year, actor=request.user)
            messages.success(request, _("The task division has been started."))
    return redirect("tasks:division", school.pk, start_year)


def read_cells(
    form: DivisionForm, matrix: division.Matrix
) -> tuple[dict[tuple[str, str], Decimal | None], dict[str, list[str]], set[str]]:
    """The posted cells of editable columns: new hours, None for an empty cell; a cell not in
    the post (a task or role added after the page was loaded) stays as it is."""
    changes, errors, messages_on_top = {}, {}, set()
    for row in matrix.rows:
        for column in matrix.columns:
            name = division.cell_field(row, column)
            raw = form.data.get(name)
            if raw is None:
                continue
            raw = raw.strip()
            try:
                value = CELL.clean(raw) if raw else None
            except ValidationError as error:
                errors[name] = error.messages
                continue
            if not column.editable:
                # A page loaded while the package was a draft: refused, not silently dropped
                # (the page has no input there now: the message goes on top).
                if value != row.cells.get(column.key):
                    errors[name] = [locked_message(column)]
                    messages_on_top.add(locked_message(column))
                continue
            changes[(row.key, column.key)] = value
    return changes, errors, messages_on_top


def locked_message(column: division.Column) -> str:
    return _(
        "The package of %(ib)s is “%(status)s” now: its tasks change on the package page "
        "(withdraw or reopen it there) before the division can move them."
    ) % {"ib": column.label, "status": column.version.get_status_display()}


def package_locks(form: DivisionForm, matrix: division.Matrix) -> dict[int, int | None]:
    locks = {}
    for column in matrix.columns:
        if column.is_ib:
            raw = form.data.get(f"pkg_{column.package.pk}", "")
            locks[column.package.pk] = int(raw) if raw.isdigit() else None
    return locks


def stale_differences(
    form: DivisionForm, matrix: division.Matrix, changes: dict
) -> list[Difference]:
    """The cells whose input differs from what is saved now."""
    differences = []
    for row in matrix.rows:
        for column in matrix.columns:
            key = (row.key, column.key)
            if key in changes and changes[key] != row.cells.get(column.key):
                differences.append(
                    Difference(
                        label=f"{row.title} – {column.label}",
                        saved=display_value(CELL, row.cells.get(column.key)),
                        yours=display_value(CELL, changes[key]),
                    )
                )
    return differences


# The other buttons of the editing page (add a role or a task, remove a role, print) belong to
# the matrix form and name their action in ``then``: the typed hours are saved first, so that
# nothing typed is lost, with JavaScript or without.
THEN_ADD_ROLE = "add-role"
THEN_ADD_TASK = "add-task"
THEN_PRINT = "print"
THEN_REMOVE = "remove-"
# The form's default button, which Enter presses without JavaScript (with it, Enter in the
# role or task fields presses that part's own button): the server reads which part was typed.
THEN_ENTER = "enter"
THEN_BOTH = "both"


def meant(request: HttpRequest, then: str) -> str:
    """Enter pressed without JavaScript: the role or the task the user typed is added once the
    hours are saved; both typed, the page asks which (nothing typed is dropped)."""
    if then != THEN_ENTER:
        return then
    post = request.POST
    role = any(post.get(name, "").strip() not in ("", "0") for name in ("role", "name", "hours"))
    task = bool(post.get("task-title", "").strip())
    if role and task:
        return THEN_BOTH
    if role:
        return THEN_ADD_ROLE
    if task:
        return THEN_ADD_TASK
    return ""


def posted_without_version(request: HttpRequest):
    """The POST for a role's add form: the ``lock_version`` in it is the division's."""
    data = request.POST.copy()
    data.pop("lock_version", None)
    return data


@require_POST
def division_save(request: HttpRequest, pk: int) -> HttpResponse:
    obj = get_division(request, pk)
    division.require_edit(obj.school_id, request.user)
    matrix = matrix_of(obj)
    then = meant(request, request.POST.get("then", ""))
    form = DivisionForm(request.POST, version=obj.lock_version)
    changes, errors, on_top = read_cells(form, matrix)
    locks = package_locks(form, matrix)
    if form.is_valid() and not errors:
        lost = division.goals_losing(matrix, changes)
        try:
            count = division.division_save(
                matrix=matrix,
                actor=request.user,
                lock_version=form.posted_version,
                package_locks=locks,
                changes=changes,
            )
        except division.DivisionConflict:
            return render_stale(request, obj, form, changes, then=then)
        except ValidationError as error:
            errors = {
                name: messages_ for name, messages_ in getattr(error, "message_dict", {}).items()
            } or {"": error.messages}
            messages.error(request, " ".join(m for ms in errors.values() for m in ms))
        else:
            if count or not then:
                messages.success(
                    request,
                    _("The task division has been saved.")
                    if count
                    else _("Nothing changed in the task division."),
                )
            for task, goal in lost:
                messages.warning(
                    request,
                    _(
                        "“%(task)s” has left the IB's package and so the werkplan goal "
                        "“%(goal)s” too: link another task to that goal on the package page."
                    )
                    % {"task": task, "goal": goal},
                )
            return after_save(request, obj, then, locks)
    elif errors:
        messages.error(request, _("Nothing has been saved: correct the hours marked below."))
        for text in sorted(on_top):
            messages.error(request, text)
    if then:
        messages.error(request, _("The typed hours were not saved, so nothing else was done."))
    obj.refresh_from_db(fields=["lock_version"])
    matrix = matrix_of(obj)
    context = matrix_context(
        request, matrix, form=form, errors=errors, **kept_forms(request, then, matrix)
    )
    context.update(year_context(obj))
    return render(request, "tasks/division_detail.html", context, status=200)


def kept_forms(request: HttpRequest, then: str, matrix: division.Matrix) -> dict:
    """A refused save keeps what was typed into the role or task form as well."""
    kept = {}
    if then in (THEN_ADD_ROLE, THEN_BOTH):
        kept["holder_form"] = HolderForm(posted_without_version(request), auto_id="holder-%s")
    if then in (THEN_ADD_TASK, THEN_BOTH):
        kept["own_form"] = OwnTaskForm(request.POST, matrix=matrix, auto_id="own-%s", prefix="task")
    return kept


def after_save(
    request: HttpRequest, obj: TaskDivision, then: str, locks: dict[int, int | None]
) -> HttpResponse:
    """The button's own action, once the typed hours are saved (``locks``: the packages'
    versions after that save)."""
    if then == THEN_PRINT:
        return redirect("tasks:division-print", obj.pk)
    if then == THEN_ADD_ROLE:
        return add_holder(request, obj, posted_without_version(request))
    if then == THEN_ADD_TASK:
        return add_own_task(request, obj, locks)
    if then.startswith(THEN_REMOVE) and then[len(THEN_REMOVE) :].isdigit():
        holder = get_object_or_404(obj.holders.all(), pk=int(then[len(THEN_REMOVE) :]))
        return redirect("tasks:division-holder-remove", holder.pk)  # asks first
    if then == THEN_BOTH:
        messages.info(
            request,
            _(
                "You typed both a role and a task: press “Add the role” or “Add the task” "
                "below to add them."
            ),
        )
        obj.refresh_from_db(fields=["lock_version"])
        matrix = matrix_of(obj)
        context = matrix_context(request, matrix, **kept_forms(request, then, matrix))
        context.update(year_context(obj))
        return render(request, "tasks/division_detail.html", context)
    return redirect(matrix_url(obj))


def render_stale(
    request: HttpRequest, obj: TaskDivision, form: DivisionForm, changes: dict, *, then: str = ""
) -> HttpResponse:
    """Someone changed the division or a package since: the current state, the input kept,
    the new versions carried (saving again is a deliberate choice)."""
    obj.refresh_from_db(fields=["lock_version"])
    matrix = matrix_of(obj)
    notice = stale_notice(
        form, None, version=obj.lock_version, extra=stale_differences(form, matrix, changes)
    )
    data = form.data.copy()
    for column in matrix.columns:
        if column.is_ib:
            data[f"pkg_{column.package.pk}"] = str(column.package.lock_version)
    form.data = data
    context = matrix_context(
        request, matrix, form=form, stale=notice, **kept_forms(request, then, matrix)
    )
    context.update(year_context(obj))
    return render(request, "tasks/division_detail.html", context)


def year_context(obj: TaskDivision) -> dict:
    return {"start_year": obj.school_year.start_year, "school_year_name": obj.school_year.name}


@require_POST
def own_task_add(request: HttpRequest, pk: int) -> HttpResponse:
    obj = get_division(request, pk)
    division.require_edit(obj.school_id, request.user)
    locks = {
        int(name[4:]): int(value) if value.isdigit() else None
        for name, value in request.POST.items()
        if name.startswith("pkg_") and name[4:].isdigit()
    }
    return add_own_task(request, obj, locks)


def add_own_task(
    request: HttpRequest, obj: TaskDivision, locks: dict[int, int | None]
) -> HttpResponse:
    matrix = matrix_of(obj)
    form = OwnTaskForm(request.POST, matrix=matrix, auto_id="own-%s", prefix="task")
    if form.is_valid():
        column = matrix.column(form.cleaned_data["column"])
        try:
            division.own_task_add(
                matrix=matrix,
                actor=request.user,
                title=form.cleaned_data["title"],
                domain=form.cleaned_data["domain"],
                column=column,
                hours=form.cleaned_data["hours"],
                package_lock=locks.get(column.package.pk) if column.is_ib else None,
            )
        except division.DivisionConflict:
            messages.error(
                request,
                _("The package changed in the meantime; nothing was saved. Add the task again."),
            )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("The task has been added."))
            return redirect(matrix_url(obj))
    context = matrix_context(request, matrix_of(obj), own_form=form)
    context.update(year_context(obj))
    return render(request, "tasks/division_detail.html", context)


# ---------------------------------------------------------------------------
# roles
# ---------------------------------------------------------------------------


@require_POST
def holder_add(request: HttpRequest, pk: int) -> HttpResponse:
    obj = get_division(request, pk)
    division.require_edit(obj.school_id, request.user)
    return add_holder(request, obj, request.POST)


def add_holder(request: HttpRequest, obj: TaskDivision, data) -> HttpResponse:
    form = HolderForm(data, auto_id="holder-%s")
    if form.is_valid():
        form.instance.division = obj
        save_versioned_form(form)
        messages.success(request, _("The role has been added."))
        return redirect(matrix_url(obj))
    context = matrix_context(request, matrix_of(obj), holder_form=form)
    context.update(year_context(obj))
    return render(request, "tasks/division_detail.html", context)


@require_http_methods(["GET", "POST"])
def holder_edit(request: HttpRequest, holder_pk: int) -> HttpResponse:
    holder = get_holder(request, holder_pk)
    division.require_edit(holder.division.school_id, request.user)
    form = HolderForm(request.POST or None, instance=holder)
    post = VersionedPost(
        form,
        save=lambda: save_versioned_form(form),
        saved_form=lambda: HolderForm(instance=RoleHolder.objects.get(pk=holder.pk)),
    )
    back = matrix_url(holder.division)
    return post.response(
        request,
        template="tasks/division_holder_form.html",
        context={"holder": holder, "back": back},
        message=_("The role has been saved."),
        url=back,
    )


@require_http_methods(["GET", "POST"])
def holder_remove(request: HttpRequest, holder_pk: int) -> HttpResponse:
    """Remove a role, after a page that says what goes with it: the hours in its column
    (the matrix's Remove button saves the typed hours and comes here)."""
    holder = get_holder(request, holder_pk)
    division.require_edit(holder.division.school_id, request.user)
    if request.method == "POST":
        try:
            division.holder_remove(
                holder=holder, actor=request.user, shown=request.POST.get("shown", "")
            )
        except StaleEdit:
            messages.warning(
                request,
                _("The role's tasks changed in the meantime: check what is removed now."),
            )
            return redirect("tasks:division-holder-remove", holder.pk)
        messages.success(request, _("The role has been removed."))
        return redirect(matrix_url(holder.division))
    return render(
        request,
        "tasks/division_holder_remove.html",
        {
            "holder": holder,
            "loss": division.holder_loss(holder),
            "back": matrix_url(holder.division),
        },
    )


# ---------------------------------------------------------------------------
# print and export
# ---------------------------------------------------------------------------


def division_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The werkverdelingsplan's part for care and quality: for the team and the PMR."""
    obj = get_division(request, pk)
    matrix = matrix_of(obj)
    return render(
        request,
        "tasks/division_print.html",
        {
            "matrix": matrix,
            "division": obj,
            "school_year_name": obj.school_year.name,
        },
    )


def division_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    obj = get_division(request, pk)
    header, body, kinds = division.table(matrix_of(obj))
    response = table_response(
        fmt,
        f"taakverdeling-{obj.school.brin}-{obj.school_year.start_year}",
        header,
        body,
        kinds,
        sheet_title=_("Task division"),
    )
    record_security_event(
        request, SecurityEvent.Kind.EXPORT, detail=f"task_division:{obj.pk} ({fmt})"
    )
    return response
