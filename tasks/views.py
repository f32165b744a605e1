"""The board's task catalogue: everyone in the board reads it, board staff keep it."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.history import history_entries
from core.versioning import StaleEdit, save_versioned_form, stale_notice
from schools.models import get_scope, policy_boards

from .forms import CatalogueFilterForm, CatalogueTaskForm
from .models import CatalogueTask, Domain
from .services import catalogue_copy_standard


def require_catalogue_manager(request: HttpRequest, board_id: int) -> None:
    if not get_scope(request.user).can_manage_board(board_id):
        raise PermissionDenied(_("Only board staff can change the catalogue."))


def filter_catalogue(
    tasks: QuerySet[CatalogueTask], filters: CatalogueFilterForm
) -> QuerySet[CatalogueTask]:
    """The catalogue search: words in title, description or source, and one domain."""
    if not filters.is_valid():
        return tasks
    words = filters.cleaned_data["q"]
    if words:
        tasks = tasks.filter(
            Q(title__icontains=words) | Q(description__icontains=words) | Q(source__icontains=words)
        )
    if filters.cleaned_data["domein"]:
        tasks = tasks.filter(domain=filters.cleaned_data["domein"])
    return tasks


def catalogue(request: HttpRequest, board_pk: int) -> HttpResponse:
    board = get_object_or_404(policy_boards(request.user), pk=board_pk)
    tasks = (
        CatalogueTask.objects.for_user(request.user).filter(board=board).select_related("domain")
    )
    filters = CatalogueFilterForm(request.GET or None)
    tasks = filter_catalogue(tasks, filters)
    show_inactive = filters.is_valid() and filters.cleaned_data["inactief"]
    if not show_inactive:
        tasks = tasks.filter(is_active=True)
    tasks = list(tasks)
    return render(
        request,
        "tasks/catalogue.html",
        {
            "board": board,
            "tasks": tasks,
            "filters": filters,
            "domains": Domain.objects.all(),
            "can_manage": get_scope(request.user).can_manage_board(board.pk),
            "show_inactive": show_inactive,
        },
    )


@require_http_methods(["GET", "POST"])
def task_create(request: HttpRequest, board_pk: int) -> HttpResponse:
    board = get_object_or_404(policy_boards(request.user), pk=board_pk)
    require_catalogue_manager(request, board.pk)
    form = CatalogueTaskForm(request.POST or None, board=board)
    if request.method == "POST" and form.is_valid():
        task = form.save()
        messages.success(request, _("Task “%(task)s” has been added.") % {"task": task})
        return redirect("tasks:catalogue", board_pk=board.pk)
    return render(request, "tasks/task_form.html", {"form": form, "board": board})


@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(
        CatalogueTask.objects.for_user(request.user).select_related("board"), pk=pk
    )
    require_catalogue_manager(request, task.board_id)
    form = CatalogueTaskForm(request.POST or None, instance=task, board=task.board)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            save_versioned_form(form)
        except StaleEdit:
            task = CatalogueTask.objects.select_related("board").get(pk=task.pk)
            fresh = CatalogueTaskForm(instance=task, board=task.board)
            stale = stale_notice(form, fresh, version=task.lock_version)
        else:
            messages.success(request, _("The task has been saved."))
            return redirect("tasks:catalogue", board_pk=task.board_id)
    return render(
        request,
        "tasks/task_form.html",
        {"form": form, "board": task.board, "task": task, "stale": stale},
        status=409 if stale else 200,
    )


def task_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who changed the task, when, and which values (django-simple-history)."""
    task = get_object_or_404(CatalogueTask.objects.for_user(request.user), pk=pk)
    require_catalogue_manager(request, task.board_id)
    records = CatalogueTask.history.filter(id=pk).select_related("history_user")
    return render(
        request,
        "core/history.html",
        {
            "title": _("History of the task “%(task)s”") % {"task": task},
            "back_url": reverse("tasks:catalogue", args=[task.board_id]),
            "back_label": _("Task catalogue"),
            "entries": history_entries(records),
        },
    )


@require_http_methods(["GET", "POST"])
def task_toggle_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Deactivate (or reactivate) a task: tasks are never deleted, packages may use them.

    Deactivating asks first (GET, or a POST without ``confirmed``); reactivating a task is
    harmless and happens at once from the list's POST.
    """
    task = get_object_or_404(CatalogueTask.objects.for_user(request.user), pk=pk)
    require_catalogue_manager(request, task.board_id)
    source = request.POST if request.method == "POST" else request.GET
    # Back to the list as the user filtered it (only the filter's own fields are kept).
    kept = {key: source[key] for key in ("q", "domein", "inactief") if source.get(key)}
    url = reverse("tasks:catalogue", kwargs={"board_pk": task.board_id})
    back = f"{url}?{urlencode(kept)}" if kept else url
    confirmed = request.method == "POST" and (not task.is_active or source.get("confirmed"))
    if not confirmed:
        return render(request, "tasks/confirm_action.html", toggle_question(task, kept, back))
    task.is_active = not task.is_active
    task.save(update_fields=["is_active"])
    if task.is_active:
        messages.success(request, _("“%(task)s” is active again.") % {"task": task})
    else:
        messages.success(
            request,
            _("“%(task)s” has been deactivated: it can no longer be picked.") % {"task": task},
        )
    return redirect(back)


def toggle_question(task: CatalogueTask, kept: dict[str, str], back: str) -> dict:
    if task.is_active:
        title, label = _("Deactivate task"), _("Deactivate")
        question = _("Do you want to deactivate “%(task)s”?") % {"task": task.title}
        consequences = [
            _("Directors can no longer add it to a package."),
            _("Packages that hold it keep it; copying last year's package leaves it out."),
            _("You can activate it again later under “Also deactivated tasks”."),
        ]
    else:
        title = label = _("Activate task")
        question = _("Do you want to activate “%(task)s” again?") % {"task": task.title}
        consequences = [_("Directors can add it to packages again.")]
    return {
        "title": title,
        "question": question,
        "consequences": consequences,
        "hidden": list(kept.items()),
        "action_url": reverse("tasks:task-toggle-active", args=[task.pk]),
        "action_label": label,
        "cancel_url": back,
        "back_url": back,
        "back_label": _("Task catalogue"),
    }


@require_POST
def catalogue_copy(request: HttpRequest, board_pk: int) -> HttpResponse:
    board = get_object_or_404(policy_boards(request.user), pk=board_pk)
    require_catalogue_manager(request, board.pk)
    added = catalogue_copy_standard(board=board)
    messages.success(
        request,
        _("%(count)s tasks of the standard catalogue have been added.") % {"count": added}
        if added
        else _("The catalogue already holds every standard task."),
    )
    return redirect("tasks:catalogue", board_pk=board.pk)
