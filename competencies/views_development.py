"""Views of the development portfolio (goals, actions, training) and the board's judgement.

Thin functions in the style of ``schools.views``: fetch through ``for_user`` (404 outside
the scope), refuse a role that may see but not change (403), bind a form, call a service
from ``competencies.development``, redirect. Goals are personal: only their IB reaches them.
Certificates are never served from MEDIA_URL, only by ``training_certificate`` after the
same scope check.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from schools.models import Board, get_scope

from . import development, network
from .development_forms import GoalActionForm, GoalForm, JudgementForm, TrainingForm
from .models import Cell, Goal, GoalAction, Training
from .uploads import certificate_content_type

# ---------------------------------------------------------------------------
# fetching and rights
# ---------------------------------------------------------------------------


def require_ib(request: HttpRequest) -> frozenset[int]:
    """The IB's board ids; the portfolio is for IBs only (others see no such page: 403)."""
    board_ids = get_scope(request.user).ib_board_ids
    if not board_ids:
        raise PermissionDenied(_("The development portfolio is for IBs."))
    return board_ids


def get_goal(request: HttpRequest, pk: int) -> Goal:
    return get_object_or_404(Goal.objects.for_user(request.user), pk=pk)


def get_own_training(request: HttpRequest, pk: int) -> Training:
    """The IB's own record: 404 outside the scope, 403 for board staff who only judge it."""
    training = get_object_or_404(Training.objects.for_user(request.user), pk=pk)
    if training.ib_id != request.user.pk:
        raise PermissionDenied(_("Only the IB changes their own training record."))
    return training


# ---------------------------------------------------------------------------
# development plan
# ---------------------------------------------------------------------------


def plan(request: HttpRequest) -> HttpResponse:
    require_ib(request)
    goals = Goal.objects.for_user(request.user).prefetch_related(
        Prefetch("cells", queryset=Cell.objects.select_related("framework", "row", "column")),
        "actions",
    )
    return render(request, "competencies/plan_list.html", {"goals": goals})


@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    # An existing goal is fetched first: someone else's goal does not exist for them (404).
    goal = get_goal(request, pk) if pk else None
    board_ids = frozenset({goal.board_id}) if goal else require_ib(request)
    form = GoalForm(request.POST or None, instance=goal, ib=request.user, board_ids=board_ids)
    if request.method == "POST" and form.is_valid():
        try:
            development.goal_save(goal=form.save(commit=False), cells=form.cleaned_data["cells"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The goal is saved."))
            return redirect("competencies:plan")
    return render(request, "competencies/plan_goal_form.html", {"form": form, "goal": goal})


@require_http_methods(["GET", "POST"])
def action_edit(
    request: HttpRequest, goal_pk: int | None = None, pk: int | None = None
) -> HttpResponse:
    if pk:
        action = get_object_or_404(
            GoalAction.objects.filter(goal__in=Goal.objects.for_user(request.user)), pk=pk
        )
        goal = action.goal
    else:
        action, goal = None, get_goal(request, goal_pk)
    form = GoalActionForm(request.POST or None, instance=action, goal=goal)
    if request.method == "POST" and form.is_valid():
        try:
            development.action_save(action=form.save(commit=False))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The action is saved."))
            return redirect("competencies:plan")
    context = {"form": form, "goal": goal, "action": action}
    return render(request, "competencies/plan_action_form.html", context)


CONFIRM_DELETE = "competencies/confirm_delete.html"  # asks (GET); its form posts back


@require_http_methods(["GET", "POST"])
def goal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_goal(request, pk)
    if request.method == "POST":
        development.goal_delete(goal=goal)
        messages.success(request, _("The goal “%(goal)s” is deleted.") % {"goal": goal.title})
        return redirect("competencies:plan")
    actions = goal.actions.count()
    return render(
        request,
        CONFIRM_DELETE,
        {
            "title": _("Delete goal"),
            "name": goal.title,
            "consequence": ngettext(
                "Its %(count)s action is deleted with it.",
                "Its %(count)s actions are deleted with it.",
                actions,
            )
            % {"count": actions}
            if actions
            else "",
            "cancel_url": reverse("competencies:goal-edit", args=[goal.pk]),
            "back_url": reverse("competencies:plan"),
            "back_label": _("My development"),
        },
    )


@require_http_methods(["GET", "POST"])
def action_delete(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(
        GoalAction.objects.filter(goal__in=Goal.objects.for_user(request.user)).select_related(
            "goal"
        ),
        pk=pk,
    )
    if request.method == "POST":
        development.action_delete(action=action)
        messages.success(request, _("The action is deleted."))
        return redirect("competencies:plan")
    return render(
        request,
        CONFIRM_DELETE,
        {
            "title": _("Delete action"),
            "name": action.description,
            "consequence": _("The goal “%(goal)s” stays.") % {"goal": action.goal.title},
            "cancel_url": reverse("competencies:action-edit", args=[action.pk]),
            "back_url": reverse("competencies:plan"),
            "back_label": _("My development"),
        },
    )


# ---------------------------------------------------------------------------
# training records
# ---------------------------------------------------------------------------


def training_list(request: HttpRequest) -> HttpResponse:
    require_ib(request)
    trainings = list(
        Training.objects.for_user(request.user)
        .filter(ib=request.user)
        .select_related("board", "judged_by")
    )
    # Attended IB network meetings, when the board counts them: derived, not stored.
    meetings = network.network_training(request.user)
    today = timezone.localdate()
    # Only what has ended counts; a course planned or running is listed, not yet counted.
    for training in trainings:
        training.ended = training.has_ended(today)
        training.started = training.has_started(today)
    done = [t for t in trainings if t.ended]
    return render(
        request,
        "competencies/training_list.html",
        {
            "trainings": trainings,
            "network_lines": meetings,
            "network_hours": network.total_hours(meetings),
            "total_hours": sum((t.hours for t in done), network.total_hours(meetings)),
            "coming_hours": sum((t.hours for t in trainings if not t.ended), Decimal(0)),
        },
    )


@require_http_methods(["GET", "POST"])
def training_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    board_ids = require_ib(request) if pk is None else frozenset()
    training = get_own_training(request, pk) if pk else None
    if training is not None:
        board_ids = frozenset({training.board_id})
    old_certificate = training.certificate.name if training else ""
    form = TrainingForm(
        request.POST or None,
        request.FILES or None,
        instance=training,
        ib=request.user,
        board_ids=board_ids,
    )
    if request.method == "POST" and form.is_valid():
        try:
            development.training_save(
                training=form.save(commit=False),
                changed=form.changed_data,
                old_certificate=old_certificate,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The training record is saved."))
            return redirect("competencies:training-list")
    context = {
        "form": form,
        "training": training,
        "deletable": training is not None and development.training_deletable(training),
    }
    return render(request, "competencies/training_form.html", context)


@require_http_methods(["GET", "POST"])
def training_delete(request: HttpRequest, pk: int) -> HttpResponse:
    training = get_own_training(request, pk)
    edit_url = reverse("competencies:training-edit", args=[training.pk])
    if request.method == "POST":
        try:
            development.training_delete(training=training)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(edit_url)
        messages.success(
            request, _("The training record “%(course)s” is deleted.") % {"course": training.course}
        )
        return redirect("competencies:training-list")
    if not development.training_deletable(training):
        messages.error(request, str(development.TRAINING_JUDGED))
        return redirect(edit_url)
    return render(
        request,
        CONFIRM_DELETE,
        {
            "title": _("Delete training record"),
            "name": training.course,
            "consequence": _("The certificate is deleted with it.") if training.certificate else "",
            "cancel_url": edit_url,
            "back_url": reverse("competencies:training-list"),
            "back_label": _("Training"),
        },
    )


def training_certificate(request: HttpRequest, pk: int) -> FileResponse:
    """The certificate, for its IB and the board staff who judge it; nobody else."""
    training = get_object_or_404(Training.objects.for_user(request.user), pk=pk)
    if not training.certificate:
        raise Http404(_("This training record has no certificate."))
    try:
        handle = training.certificate.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("The certificate file is missing.")) from error
    name = training.certificate.name
    extension = name.rsplit(".", 1)[-1]
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{slugify(training.course) or 'certificate'}.{extension}",
        content_type=certificate_content_type(name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------------------
# the board's judgement
# ---------------------------------------------------------------------------


def get_board_to_review(request: HttpRequest, board_pk: int) -> Board:
    board = get_object_or_404(Board.objects.for_user(request.user), pk=board_pk)
    if not get_scope(request.user).can_manage_board(board.pk):
        raise PermissionDenied(_("Certificates are judged by board staff."))
    return board


def training_review(request: HttpRequest, board_pk: int) -> HttpResponse:
    board = get_board_to_review(request, board_pk)
    trainings = development.trainings_to_review(board.pk, request.user)
    return render(
        request, "competencies/training_review.html", {"board": board, "trainings": trainings}
    )


@require_http_methods(["GET", "POST"])
def training_judge(request: HttpRequest, pk: int) -> HttpResponse:
    training = get_object_or_404(
        Training.objects.for_user(request.user)
        .exclude(certificate="")
        .select_related("ib", "board"),
        pk=pk,
    )
    if not development.can_judge(training, request.user):
        raise PermissionDenied(_("Certificates are judged by board staff."))
    initial = {"judgement_note": training.judgement_note}
    if training.judgement != Training.Judgement.PENDING:
        initial["judgement"] = training.judgement
    form = JudgementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            development.training_judge(
                training=training,
                actor=request.user,
                judgement=form.cleaned_data["judgement"],
                note=form.cleaned_data["judgement_note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The judgement is saved."))
            return redirect("competencies:training-review", board_pk=training.board_id)
    return render(request, "competencies/training_judge.html", {"form": form, "training": training})
