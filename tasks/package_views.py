"""Task package pages: the overview, the package with its workflow, the letter and history.

Thin functions in the style of ``schools.views``: fetch through ``for_user`` (404 outside the
scope), refuse a role that may see but not change (403), bind a form, call a service from
``tasks.packages``, redirect. A service refusal re-renders the package page with the error at
the form that failed; a stale page (``PackageConflict``) shows the current state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import groupby

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import add_service_error
from core.names import surname_order
from schools.models import (
    Appointment,
    AppointmentShare,
    School,
    SchoolYear,
    SecurityEvent,
    display_name,
    get_scope,
)
from schools.own_hours import own_hours_prefetch
from schools.security_events import record as record_security_event
from schools.views import selected_start_year, year_choices

from . import evaluation, nextyear, packages, realisation, werkplan
from .competency_links import package_competencies
from .forms import (
    CatalogueFilterForm,
    CatalogueItemForm,
    CommentForm,
    LockForm,
    OwnItemForm,
    ReviewForm,
    SheetForm,
    catalogue_hours_field,
    shown_hours,
)
from .models import (
    CatalogueTask,
    Domain,
    Package,
    PackageEvent,
    PackageItem,
    PackageStatus,
    PackageVersion,
)
from .views import filter_catalogue

# ---------------------------------------------------------------------------
# fetching and rights
# ---------------------------------------------------------------------------


def get_package(request: HttpRequest, pk: int) -> Package:
    # The year-end evaluation (one to one) comes along: the package page shows its status.
    return get_object_or_404(
        Package.objects.for_user(request.user)
        .with_details()
        .select_related("evaluation__closed_by"),
        pk=pk,
    )


def get_item(request: HttpRequest, item_pk: int) -> PackageItem:
    """An item of a package in scope (404 otherwise), with its package loaded."""
    return get_object_or_404(
        PackageItem.objects.filter(
            version__package__in=Package.objects.for_user(request.user)
        ).select_related(
            "version__package__share__school__board",
            "version__package__share__appointment__ib",
            "version__package__school_year",
        ),
        pk=item_pk,
    )


def require_edit(request: HttpRequest, package: Package) -> None:
    if not packages.can_edit(package, request.user):
        raise PermissionDenied(_("Only the director of the school changes this package."))


def require_review(request: HttpRequest, package: Package) -> None:
    if not packages.can_review(package, request.user):
        raise PermissionDenied(_("Only the IB of this package accepts or returns it."))


def detail_url(package: Package, **query: object) -> str:
    url = reverse("tasks:package-detail", args=[package.pk])
    query = {key: value for key, value in query.items() if value}
    return f"{url}?{urlencode(query)}" if query else url


# ---------------------------------------------------------------------------
# reading helpers
# ---------------------------------------------------------------------------


def pick_version(versions: list[PackageVersion], number: str | None) -> PackageVersion | None:
    """The version asked for with ?versie=N; None when not asked; 404 when it does not exist."""
    if not number:
        return None
    for version in versions:
        if str(version.number) == number:
            return version
    raise Http404(_("This package has no such version."))


def by_domain(entries: Iterable, summary: packages.PackageSummary, item_of=lambda e: e) -> list:
    """Group items (or rows holding one) under every domain, in domain order, with its line."""
    grouped: dict[int, list] = {}
    for entry in entries:
        grouped.setdefault(item_of(entry).domain_id, []).append(entry)
    return [
        {"domain": line.domain, "line": line, "entries": grouped.get(line.domain.pk, [])}
        for line in summary.domains
    ]


def version_context(request: HttpRequest, package: Package) -> dict:
    """What every page of one package shows: its versions, the version read, items, budget."""
    versions = list(package.versions.all())  # newest first
    current = versions[0]
    shown = pick_version(versions, request.GET.get("versie")) or current
    items = list(shown.items.all())  # grouped by domain_id; the domains come in one query
    domains = list(Domain.objects.all())
    summary = packages.summarize(package, items, domains)
    return {
        "package": package,
        "versions": versions,
        "current": current,
        "shown": shown,
        "is_current": shown.pk == current.pk,
        "items": items,
        "domains": domains,
        "summary": summary,
        "groups": by_domain(items, summary),
        "commented_items": [item for item in items if item.ib_comment],
        # The werkplan of the version read: its goals and the signals beside the hours.
        "werkplan": werkplan.werkplan_of(shown, items, domains, package.budget_hours),
    }


def compare_context(request: HttpRequest, context: dict) -> dict:
    """?vergelijk=N: what changed between version N and the version shown, oldest first."""
    shown = context["shown"]
    other = pick_version(context["versions"], request.GET.get("vergelijk"))
    if other is None or other.pk == shown.pk:
        return {}
    other_items = list(other.items.select_related("domain"))
    if other.number < shown.number:
        old, new = (other, other_items), (shown, context["items"])
    else:
        old, new = (shown, context["items"]), (other, other_items)
    other_goals = werkplan.load_goals(other, other_items)
    goals = context["werkplan"].goals
    old_goals, new_goals = (other_goals, goals) if old[0] is other else (goals, other_goals)
    return {
        "diff": packages.version_diff(old[1], new[1]),
        "diff_old": old[0],
        "diff_new": new[0],
        "goal_diff": werkplan.goals_diff(old_goals, new_goals),
    }


CATALOGUE_QUERY = ("q", "domein")


def catalogue_query(request: HttpRequest) -> dict[str, str]:
    """The catalogue's search (``q``, ``domein``) from the request, posted or in the URL."""
    source = request.POST if request.method == "POST" else request.GET
    return {key: source.get(key, "").strip()[:100] for key in CATALOGUE_QUERY}


def catalogue_context(
    request: HttpRequest,
    package: Package,
    items: list[PackageItem],
    domains: list[Domain],
    failed: dict,
) -> dict:
    """The board's active catalogue tasks to add, searched with ``q`` and ``domein``, and the
    form for a task of the director's own. Plain inputs per row (no form object per task);
    each row's input and button belong to the sheet's form, so adding saves the sheet too."""
    filters = CatalogueFilterForm(catalogue_query(request))
    tasks = filter_catalogue(
        CatalogueTask.objects.for_user(request.user)
        .filter(board_id=package.share.school.board_id)
        .active()
        .select_related("domain"),
        filters,
    )
    in_package = {item.task_id for item in items if item.task_id}
    # The proposals: hours per unit times the school's groups or teachers of the package's year.
    size = packages.school_size(package)
    rows = []
    for task in tasks:
        refused = failed.get(f"task:{task.pk}")
        hours_name = catalogue_hours_field(task.pk)
        rows.append(
            {
                "task": task,
                "in_package": task.pk in in_package,
                "hours_name": hours_name,
                "count": size.count(task.unit),
                "hours": refused.data.get("hours", "")
                if refused
                else shown_hours(packages.proposed_hours(task, size)),
                "errors": [message for errors in refused.errors.values() for message in errors]
                if refused
                else [],
            }
        )
    own_form = failed.get("own") or OwnItemForm()
    # The domains are loaded already: the select need not ask for them again (twice).
    own_form.fields["domain"].choices = [(domain.pk, domain.name) for domain in domains]
    return {
        "filters": filters,
        "task_rows": rows,
        "size": size,
        "own_form": own_form,
        "previous": packages.previous_package(package),
        "catalogue_open": True,
    }


def review_cell(form: ReviewForm, item: PackageItem) -> dict:
    """What the IB's comment field of one task shows, without a bound field per row (the
    form's fields validate; the cards are written out by ``package_tags.review_card``)."""
    name = ReviewForm.item_field(item.pk)
    return {
        "name": name,
        "id": f"id_{name}",
        "value": form.data.get(name, "") if form.is_bound else item.ib_comment,
        "errors": form.errors.get(name, []) if form.is_bound else [],
    }


def is_form(value: object) -> bool:
    return isinstance(value, forms.BaseForm)


def detail_context(request: HttpRequest, package: Package, failed: dict | None = None) -> dict:
    """The package page; ``failed`` holds what a refused POST re-shows: the bound form per slot
    (``sheet``, ``task:<id>``, ``own``, ``review``, ...) and ``over_budget`` (hours) when a
    submission waits for the confirmation."""
    failed = failed or {}
    context = version_context(request, package)
    context.update(compare_context(request, context))
    current, items = context["current"], context["items"]
    user = request.user
    is_current = context["is_current"]
    can_edit = packages.can_edit(package, user)
    editing = is_current and current.is_editable and can_edit
    reviewing = (
        is_current
        and current.status == PackageStatus.SUBMITTED
        and packages.can_review(package, user)
    )
    review_form = None
    if reviewing:
        review_form = failed.get("review") or ReviewForm(items=items)
    if editing:
        # The sheet: the posted values of a refused save, else the saved ones.
        sheet = failed.get("sheet") or SheetForm(items=items)
        rows = sheet.rows(items)
        context["sheet"] = sheet
        context["unsaved_rows"] = sum(row.changed for row in rows)
    else:
        rows = [
            {
                "item": item,
                "review": review_cell(review_form, item) if reviewing else None,
            }
            for item in items
        ]
    shown_slots = {"sheet"} if editing else set()
    context.update(
        {
            "row_groups": by_domain(
                rows, context["summary"], item_of=lambda row: row.item if editing else row["item"]
            ),
            "can_edit": can_edit,
            "editing": editing,
            "reviewing": reviewing,
            "review_form": review_form,
            "lock_version": package.lock_version,
            "show_comments": reviewing or bool(context["commented_items"]),
        }
    )
    # The competencies its tasks ask; levels only for the IB and a director it was shared with.
    context["competencies"] = package_competencies(package, items, user)
    context["can_change_goals"] = is_current and werkplan.can_change_goals(package, user, current)
    context["columns"] = 3 + context["show_comments"] + editing
    if editing:
        # The catalogue loads on demand (htmx); without JavaScript, ?catalogus=1 shows it.
        source = request.POST if request.method == "POST" else request.GET
        if source.get("catalogus") or any(slot.startswith(("task:", "own")) for slot in failed):
            context.update(catalogue_context(request, package, items, context["domains"], failed))
            shown_slots |= {f"task:{row['task'].pk}" for row in context["task_rows"]} | {"own"}
        context["can_submit"] = current.status == PackageStatus.CONCEPT
        context["over_budget_confirm"] = failed.get("over_budget")
    if is_current and can_edit and current.status == PackageStatus.AGREED:
        context["reopen_form"] = failed.get("reopen") or CommentForm(auto_id="reopen-%s")
        shown_slots.add("reopen")
    if is_current and can_edit and current.status == PackageStatus.RETURNED:
        context["can_draft"] = True
    if is_current and can_edit and current.status == PackageStatus.SUBMITTED:
        context["withdraw_form"] = failed.get("withdraw") or CommentForm(auto_id="withdraw-%s")
        shown_slots.add("withdraw")
    if reviewing:
        shown_slots.add("review")
    context.update(handover_notes(package, context))
    # Next year starts from last year: far-off tasks marked, unachieved goals to carry over.
    context.update(nextyear.package_page_context(package, context, user, failed))
    if "carry_over" in context:
        shown_slots.add("carry")
    # Planned against realised, once agreed (tasks.realisation).
    context.update(realisation.package_page_context(package, context, user))
    # The year-end evaluation's status and link, once agreed (tasks.evaluation).
    context.update(evaluation.package_page_context(package, context, user))
    # A refused form without a place for its errors (a button, a task that left the list, a
    # state that moved on): its errors go at the top rather than nowhere.
    context["page_errors"] = [
        message
        for slot, form in failed.items()
        if slot not in shown_slots and is_form(form)
        for errors in form.errors.values()
        for message in errors
    ]
    return context


def handover_notes(package: Package, context: dict) -> dict:
    """The words that came with the last hand-over of the current version.

    The IB reviewing a submitted package reads the director's note from the submission; a
    director whose returned package is a draft again keeps reading the IB's return note until
    the next submission. One query, and only when there can be such a note.
    """
    current = context["current"]
    returned_draft = current.status == PackageStatus.CONCEPT and (
        current.ib_comment or context["commented_items"]
    )
    if not context["is_current"] or not (context["reviewing"] or returned_draft):
        return {}
    last = (
        package.events.filter(
            version_number=current.number,
            kind__in=[PackageEvent.Kind.SUBMITTED, PackageEvent.Kind.RETURNED],
        )
        .select_related("actor")
        .first()
    )
    if last is None:
        return {}
    if context["reviewing"] and last.kind == PackageEvent.Kind.SUBMITTED:
        return {"submission_note": last}
    if returned_draft and last.kind == PackageEvent.Kind.RETURNED:
        return {"return_note": last}
    return {}


def render_detail(
    request: HttpRequest, package: Package, failed: dict | None = None
) -> HttpResponse:
    return render(request, "tasks/package_detail.html", detail_context(request, package, failed))


# ---------------------------------------------------------------------------
# changing: one way to run a service behind a form
# ---------------------------------------------------------------------------


def apply_change(
    request: HttpRequest,
    package: Package,
    form: forms.Form,
    slot: str,
    change: Callable[[dict], str],
    redirect_to: str | None = None,
) -> HttpResponse:
    """Validate ``form``, run ``change`` (which returns the success message) and redirect.

    A refusal re-renders the package page with the current state and the user's input kept:
    a ValidationError at its form, a PackageConflict as a message on top.
    """
    if form.is_valid():
        try:
            message = change(form.cleaned_data)
        except packages.PackageConflict as conflict:
            messages.error(request, str(conflict))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, message)
            return redirect(redirect_to or detail_url(package))
    # The service may have bumped the lock version in memory before it was rolled back.
    package.refresh_from_db(fields=["lock_version"])
    return render_detail(request, package, failed={slot: form})


# ---------------------------------------------------------------------------
# lists
# ---------------------------------------------------------------------------


def package_overview(request: HttpRequest) -> HttpResponse:
    """Every IB share of the chosen school year at the user's schools, with its package."""
    start_year = selected_start_year(request)
    year = SchoolYear(start_year=start_year)
    scope = get_scope(request.user)
    shares = list(
        AppointmentShare.objects.for_user(request.user)
        .filter(
            school__in=School.objects.for_user(request.user),
            appointment__in=Appointment.objects.overlapping(year.start_date, year.end_date),
        )
        .select_related("school__board", "appointment__ib")
        .prefetch_related(
            Prefetch(
                "packages",
                queryset=Package.objects.filter(
                    school_year__start_year=start_year
                ).with_current_state(),
                to_attr="year_packages",
            ),
            own_hours_prefetch("appointment__own_hours"),  # the IBs' own hours, in each budget
        )
        .order_by("school__name", *surname_order("appointment__ib__"))
    )
    # (school, IB) pairs with a package last year: those can start from a copy, which tells
    # first how far last year's evaluation is (issue 14: next year starts from it).
    previous = nextyear.evaluation_states(
        Package.objects.filter(
            school_year__start_year=start_year - 1,
            share__school_id__in={share.school_id for share in shares},
        )
    )
    rows = [
        {
            "share": share,
            "package": share.year_packages[0] if share.year_packages else None,
            "budget": Package(share=share, school_year=year).budget_hours,
            "can_create": share.school_id in scope.director_school_ids,
            "has_previous": (share.school_id, share.appointment.ib_id) in previous,
            "previous_evaluation": previous.get((share.school_id, share.appointment.ib_id)),
        }
        for share in shares
    ]
    counts: dict[str, int] = {}
    for row in rows:
        key = row["package"].current_status if row["package"] else "none"
        counts[key] = counts.get(key, 0) + 1
    return render(
        request,
        "tasks/package_overview.html",
        {
            "rows": rows,
            "counts": [
                (status, counts[status]) for status in PackageStatus.values if status in counts
            ],
            "without_package": counts.get("none", 0),
            "start_year": start_year,
            "school_year_name": year.name,
            "previous_year_name": SchoolYear(start_year=start_year - 1).name,
            "years": year_choices(start_year),
        },
    )


def ib_packages(request: HttpRequest) -> HttpResponse:
    """The IB's own packages at all schools, by school year, with the year's totals."""
    own = (
        Package.objects.for_user(request.user)
        .filter(share__appointment__ib=request.user)
        .with_details()
        .with_own_hours()
        .with_current_state()
        .order_by("-school_year__start_year", "share__school__name")
    )
    years = []
    for school_year, group in groupby(own, key=lambda package: package.school_year):
        group = list(group)
        years.append(
            {
                "school_year": school_year,
                "packages": group,
                "assigned": sum((p.assigned_hours or Decimal("0") for p in group), Decimal("0")),
                "budget": sum((p.budget_hours for p in group), Decimal("0")),
                "fte": sum((p.share.fte for p in group), Decimal("0")),
            }
        )
    return render(request, "tasks/ib_packages.html", {"years": years})


# ---------------------------------------------------------------------------
# one package: read
# ---------------------------------------------------------------------------


def package_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_detail(request, get_package(request, pk))


def package_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The task letter (taakbrief) of the version read, to print and sign."""
    package = get_package(request, pk)
    context = version_context(request, package)
    context["directors"] = package.school.directors
    record_security_event(request, SecurityEvent.Kind.EXPORT, detail=f"task_letter:{package.pk}")
    return render(request, "tasks/package_letter.html", context)


def package_history(request: HttpRequest, pk: int) -> HttpResponse:
    package = get_package(request, pk)
    return render(
        request,
        "tasks/package_history.html",
        {"package": package, "events": package.events.select_related("actor")},
    )


# ---------------------------------------------------------------------------
# one package: build it (the director)
# ---------------------------------------------------------------------------


@require_POST
def package_create(request: HttpRequest, share_pk: int, start_year: int) -> HttpResponse:
    share = get_object_or_404(
        AppointmentShare.objects.for_user(request.user).select_related(
            "school__board", "appointment__ib"
        ),
        pk=share_pk,
    )
    if not 2000 <= start_year <= 2100:
        raise Http404(_("That school year is out of range."))
    try:
        # One transaction: a refused package leaves no new school year behind.
        with transaction.atomic():
            school_year, _created = SchoolYear.objects.get_or_create(start_year=start_year)
            package = packages.package_create(
                share=share, school_year=school_year, actor=request.user
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{reverse('tasks:package-overview')}?jaar={start_year}")
    messages.success(request, _("The package has been created as a draft."))
    if request.POST.get("copy") == "1":
        try:
            result = packages.package_copy_previous(
                package=package, actor=request.user, lock_version=package.lock_version
            )
        except ValidationError as error:
            messages.warning(request, " ".join(error.messages))
        else:
            messages.success(request, copied_message(result, nextyear.marked_count(package)))
    return redirect(detail_url(package))


def copied_message(result: packages.CopyResult, marked: int = 0) -> str:
    """What copying did; ``marked``: how many tasks last year's realisation marks."""
    parts = []
    if result.copied:
        parts.append(
            ngettext(
                "%(count)s task of last year's package has been copied.",
                "%(count)s tasks of last year's package have been copied.",
                result.copied,
            )
            % {"count": result.copied}
        )
    if result.inactive:
        parts.append(
            ngettext(
                "Not copied, because the board no longer uses it in its catalogue: %(tasks)s.",
                "Not copied, because the board no longer uses them in its catalogue: %(tasks)s.",
                len(result.inactive),
            )
            % {"tasks": ", ".join(result.inactive)}
        )
    if marked:
        parts.append(
            ngettext(
                "Last year the realised hours of %(count)s task differed much from the plan: "
                "it is marked with both figures.",
                "Last year the realised hours of %(count)s tasks differed much from the plan: "
                "they are marked with both figures.",
                marked,
            )
            % {"count": marked}
        )
    return " ".join(parts) or _("Every task of last year's package is in this package already.")


# ---------------------------------------------------------------------------
# the sheet: every button of the director's page posts all typed values with it
# ---------------------------------------------------------------------------


@dataclass
class SheetSave:
    """The outcome of saving the sheet that came with a button: the page to show when it was
    refused (nothing saved, the input kept), else the post with the lock version the next
    change must carry and how many tasks were saved."""

    refusal: HttpResponse | None = None
    data: QueryDict | None = None
    saved: int = 0


def save_sheet(request: HttpRequest, package: Package, keep: dict | None = None) -> SheetSave:
    """Save the hours and notes typed in the sheet, whichever of its buttons was used: the
    "Save" button, "Submit", "Copy", "Add", "Remove" or carrying goals over. Nothing typed is
    lost on the way; ``keep``: the button's own forms a refusal shows again (its ticks)."""
    keep = keep or {}
    items = list(packages.current_version(package).items.all())
    sheet = SheetForm(request.POST, items=items)
    if not sheet.is_valid():
        return SheetSave(refusal=render_detail(request, package, failed={**keep, "sheet": sheet}))
    changes = {
        pk: packages.ItemValues(hours=hours, note=note)
        for pk, (hours, note) in sheet.changes().items()
    }
    data = request.POST.copy()
    if not changes:
        return SheetSave(data=data)
    try:
        saved = packages.items_update(
            package=package,
            actor=request.user,
            lock_version=sheet.cleaned_data["lock_version"],
            changes=changes,
        )
    except packages.PackageConflict as conflict:
        messages.error(request, str(conflict))
        messages.info(
            request,
            _(
                "Your input is still in the rows marked “not saved”, with the saved value "
                "under it. Save again to replace the saved values with yours."
            ),
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for pk, errors in error.error_dict.items():
                for message in ValidationError(errors).messages:
                    sheet.add_row_error(pk, message)
            sheet.add_error(None, _("Nothing has been saved: correct the tasks marked below."))
        else:
            sheet.add_error(None, error)
    else:
        messages.success(
            request,
            ngettext(
                "Your change to %(count)s task has been saved.",
                "Your changes to %(count)s tasks have been saved.",
                len(saved),
            )
            % {"count": len(saved)},
        )
        data["lock_version"] = str(package.lock_version)
        return SheetSave(data=data, saved=len(saved))
    package.refresh_from_db(fields=["lock_version"])
    return SheetSave(refusal=render_detail(request, package, failed={**keep, "sheet": sheet}))


def sheet_url(package: Package, data: Mapping[str, str]) -> str:
    """Back to the sheet; with the catalogue and its search when it was open."""
    if not data.get("catalogus"):
        return detail_url(package)
    query = {key: data.get(key, "").strip()[:100] for key in CATALOGUE_QUERY}
    return detail_url(package, catalogus=1, **query) + "#catalogue"


@require_POST
def package_save(request: HttpRequest, pk: int) -> HttpResponse:
    """The sheet's "Save": every task's hours and note at once."""
    package = get_package(request, pk)
    require_edit(request, package)
    result = save_sheet(request, package)
    if result.refusal:
        return result.refusal
    if not result.saved and not result.data.get("catalogus"):
        messages.info(request, _("Nothing has changed, so nothing needed saving."))
    return redirect(sheet_url(package, result.data))


def package_catalogue(request: HttpRequest, pk: int) -> HttpResponse:
    """The catalogue to add from, loaded on demand into the sheet (htmx); without JavaScript
    the sheet's own "Add a task" button shows it on the package page (``?catalogus=1``)."""
    package = get_package(request, pk)
    require_edit(request, package)
    if not request.htmx:
        return redirect(sheet_url(package, {**request.GET.dict(), "catalogus": "1"}))
    current = packages.current_version(package)
    if not current.is_editable:
        raise Http404(_("This package cannot be changed now."))
    items = list(current.items.all())
    domains = list(Domain.objects.all())
    context = catalogue_context(request, package, items, domains, {})
    context.update({"package": package, "domains": domains})
    return render(request, "tasks/_package_add.html", context)


@require_POST
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a catalogue task (its button posts ``task``) or a task of the director's own,
    after saving what was typed in the sheet."""
    package = get_package(request, pk)
    require_edit(request, package)
    result = save_sheet(request, package)
    if result.refusal:
        return result.refusal
    data = result.data
    lock = int(data["lock_version"])
    task_pk = data.get("task", "")
    if task_pk:
        tasks = CatalogueTask.objects.for_user(request.user).filter(
            board_id=package.share.school.board_id
        )
        hours = data.get(catalogue_hours_field(task_pk), data.get("hours", ""))
        form = CatalogueItemForm({"task": task_pk, "hours": hours, "note": ""}, tasks=tasks)
        slot = f"task:{task_pk}"
    else:
        form = OwnItemForm(data)
        slot = "own"

    def change(cleaned: dict) -> str:
        item = packages.item_add(
            package=package,
            actor=request.user,
            lock_version=lock,
            hours=cleaned["hours"],
            task=cleaned.get("task"),
            title=cleaned.get("title", ""),
            domain=cleaned.get("domain"),
            note=cleaned["note"],
        )
        return _("“%(task)s” has been added.") % {"task": item.title}

    # Back to the catalogue with the same search, so several tasks can be added in a row.
    back = sheet_url(package, {**data.dict(), "catalogus": "1"})
    return apply_change(request, package, form, slot, change, redirect_to=back)


def editable_item(request: HttpRequest, item_pk: int) -> PackageItem:
    """An item of the current, changeable version of a package the user builds."""
    item = get_item(request, item_pk)
    require_edit(request, item.version.package)
    return item


def item_remove(request: HttpRequest, item_pk: int) -> HttpResponse:
    """Remove a task: it cannot be undone, so the sheet's button first asks (a dialog with
    JavaScript, this page without); the sheet's typed values are saved on the way."""
    item = editable_item(request, item_pk)
    package = item.version.package
    if request.method == "GET":
        current = packages.current_version(package)
        if item.version_id != current.pk or not current.is_editable:
            messages.error(request, _("This task cannot be removed now."))
            return redirect(detail_url(package))
        return render(
            request,
            "tasks/item_remove_confirm.html",
            {"package": package, "item": item, "lock_version": package.lock_version},
        )
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    result = save_sheet(request, package)
    if result.refusal:
        return result.refusal
    if not result.data.get("confirm"):
        return redirect("tasks:item-remove", item_pk=item.pk)

    def change(data: dict) -> str:
        packages.item_remove(item=item, actor=request.user, lock_version=data["lock_version"])
        return _("“%(task)s” has been removed.") % {"task": item.title}

    form = LockForm(result.data)
    return apply_change(request, package, form, f"remove:{item.pk}", change)


@require_POST
def package_copy(request: HttpRequest, pk: int) -> HttpResponse:
    package = get_package(request, pk)
    require_edit(request, package)
    result = save_sheet(request, package)
    if result.refusal:
        return result.refusal

    def change(data: dict) -> str:
        copied = packages.package_copy_previous(
            package=package, actor=request.user, lock_version=data["lock_version"]
        )
        return copied_message(copied, nextyear.marked_count(package) if copied.copied else 0)

    return apply_change(request, package, LockForm(result.data), "copy", change)


# ---------------------------------------------------------------------------
# one package: the workflow
# ---------------------------------------------------------------------------


@require_POST
def package_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Submit" on the sheet: save what was typed, then submit; over the budget only after an
    explicit confirmation naming the hours over (``confirm_over_budget``)."""
    package = get_package(request, pk)
    require_edit(request, package)
    result = save_sheet(request, package)
    if result.refusal:
        return result.refusal
    items = list(packages.current_version(package).items.all())
    form = SheetForm(result.data, items=items)
    over = packages.over_budget_hours(package)
    if over and over > confirmed_over_budget(result.data):
        return render_detail(request, package, failed={"sheet": form, "over_budget": over})

    def change(data: dict) -> str:
        packages.package_submit(
            package=package,
            actor=request.user,
            lock_version=data["lock_version"],
            comment=data["comment"],
        )
        return _("The package has been submitted to %(ib)s, who will be told by e-mail.") % {
            "ib": display_name(package.ib)
        }

    return apply_change(request, package, form, "sheet", change)


def confirmed_over_budget(data: Mapping[str, str]) -> Decimal:
    """The hours over budget the director confirmed (the confirmation button carries them);
    0 without a confirmation. Hours raised on the confirmation page itself ask again."""
    try:
        confirmed = Decimal(data.get("confirm_over_budget") or "0")
    except InvalidOperation:
        return Decimal("0")
    return confirmed if confirmed.is_finite() else Decimal("0")


@require_POST
def package_draft(request: HttpRequest, pk: int) -> HttpResponse:
    package = get_package(request, pk)
    require_edit(request, package)
    result = save_sheet(request, package)
    if result.refusal:
        return result.refusal
    if result.saved:  # the first change put it back in draft already
        return redirect(detail_url(package))

    def change(data: dict) -> str:
        packages.package_to_draft(
            package=package, actor=request.user, lock_version=data["lock_version"]
        )
        return _("The package is a draft again: change it and submit it once more.")

    return apply_change(request, package, LockForm(result.data), "draft", change)


@require_http_methods(["GET", "POST"])
def package_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a submitted package: asks first (GET, or a POST without ``confirmed``), with
    the comment and lock version of the package page kept; the confirmed POST does it."""
    package = get_package(request, pk)
    require_edit(request, package)
    form = CommentForm(
        request.POST or None, auto_id="withdraw-%s", initial={"lock_version": package.lock_version}
    )
    if request.method == "POST" and request.POST.get("confirmed"):

        def change(data: dict) -> str:
            packages.package_withdraw(
                package=package,
                actor=request.user,
                lock_version=data["lock_version"],
                comment=data["comment"],
            )
            return _("The package is withdrawn and a draft again; the IB will be told by e-mail.")

        return apply_change(request, package, form, "withdraw", change)
    if packages.current_version(package).status != PackageStatus.SUBMITTED:
        messages.error(
            request, _("Only a package that waits for the IB's review can be withdrawn.")
        )
        return redirect(detail_url(package))
    ib = display_name(package.ib)
    return render(
        request,
        "tasks/confirm_action.html",
        {
            "title": _("Withdraw the package"),
            "question": _("Do you want to withdraw the package of %(ib)s at %(school)s?")
            % {"ib": ib, "school": package.school.name},
            "consequences": [
                _("The package becomes a draft again; %(ib)s can no longer review it.")
                % {"ib": ib},
                _("%(ib)s is told by e-mail, with your comment.") % {"ib": ib},
                _("After changing it you submit it again; the history keeps the withdrawal."),
            ],
            "form": form,
            "action_url": reverse("tasks:package-withdraw", args=[package.pk]),
            "action_label": _("Withdraw the package"),
            "button_class": "warning",
            "cancel_url": detail_url(package),
            "back_url": detail_url(package),
            "back_label": _("Task package %(school)s %(year)s")
            % {"school": package.school.name, "year": package.school_year.name},
        },
    )


@require_POST
def package_review(request: HttpRequest, pk: int) -> HttpResponse:
    package = get_package(request, pk)
    require_review(request, package)
    items = list(packages.current_version(package).items.all())
    form = ReviewForm(request.POST, items=items)

    def change(data: dict) -> str:
        packages.package_review(
            package=package,
            actor=request.user,
            lock_version=data["lock_version"],
            accept=form.accepted,
            comment=data["comment"],
            item_comments=form.item_comments(),
            over_budget_confirmed=data["confirm_over_budget"],
        )
        if form.accepted:
            return _(
                "You have agreed to the package. It is now read-only; the director will be "
                "told by e-mail."
            )
        return _(
            "The package has been returned to the director with your comments; the "
            "director will be told by e-mail."
        )

    return apply_change(request, package, form, "review", change)


@require_POST
def package_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    package = get_package(request, pk)
    require_edit(request, package)

    def change(data: dict) -> str:
        version = packages.package_reopen(
            package=package,
            actor=request.user,
            lock_version=data["lock_version"],
            comment=data["comment"],
        )
        return _(
            "Version %(number)s has been started as a draft; the agreed version stays readable."
        ) % {"number": version.number}

    form = CommentForm(request.POST, auto_id="reopen-%s")
    return apply_change(request, package, form, "reopen", change)
