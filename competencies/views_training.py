"""Views of the board's training offer and the IBs' tracks.

Thin functions as in ``views_development``: fetch through ``for_user`` (404 outside the scope),
refuse a role that may see but not change (403), bind a form, call a service from
``competencies.training_offer``, redirect. The offer is read by the board's staff, IBs and
directors; board staff keep it. An IB's track status and repayment are theirs and board staff's.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import add_service_error
from core.history import history_entries
from core.versioning import VersionedFormMixin, VersionedPost
from schools.models import Board, display_name, get_scope, policy_boards

from . import training_offer as offer
from .models import Cell
from .track_rows import overview_rows
from .training_forms import EnrolForm, ModuleForm, PlanForm, StopForm, TrackForm
from .training_models import ModulePlan, TrackEnrolment, TrainingModule, TrainingTrack
from .views_development import require_ib


def require_board_staff(request: HttpRequest, board_id: int) -> None:
    if not get_scope(request.user).can_manage_board(board_id):
        raise PermissionDenied(_("The training offer is kept by board staff."))


def staff_board(request: HttpRequest, board_pk: int) -> Board:
    """The board of an offer page for its staff: its IBs and directors get 403, everyone
    else (other boards, the partnership) 404."""
    board = get_object_or_404(policy_boards(request.user), pk=board_pk)
    require_board_staff(request, board.pk)
    return board


# ---------------------------------------------------------------------------
# the offer
# ---------------------------------------------------------------------------


def offer_view(request: HttpRequest, board_pk: int) -> HttpResponse:
    board = get_object_or_404(policy_boards(request.user), pk=board_pk)
    scope = get_scope(request.user)
    can_edit = scope.can_manage_board(board.pk)
    tracks = offer.tracks_with_modules([board.pk], active=not can_edit)
    # The board's IB plans its modules and starts a track from here.
    is_ib = board.pk in scope.ib_board_ids
    enrolled = (
        set(
            TrackEnrolment.objects.filter(ib=request.user, board=board).values_list(
                "track_id", flat=True
            )
        )
        if is_ib
        else set()
    )
    return render(
        request,
        "competencies/training/offer.html",
        {
            "board": board,
            "tracks": tracks,
            "can_edit": can_edit,
            "is_ib": is_ib,
            "enrolled": enrolled,
        },
    )


def form_on_saved(
    form_class: type[VersionedFormMixin], saved: QuerySet, **kwargs: Any
) -> VersionedFormMixin | None:
    """The edit form on the object as ``saved`` finds it now; None when there is none (it
    was new or has been removed since: nothing to compare with)."""
    current = saved.first()
    return form_class(instance=current, **kwargs) if current else None


@require_http_methods(["GET", "POST"])
def track_edit(
    request: HttpRequest, board_pk: int | None = None, pk: int | None = None
) -> HttpResponse:
    if pk:
        track = get_object_or_404(
            TrainingTrack.objects.for_user(request.user).select_related("board"), pk=pk
        )
        board = track.board
        require_board_staff(request, board.pk)
    else:
        track, board = None, staff_board(request, board_pk)
    form = TrackForm(request.POST or None, instance=track, board=board)
    post = VersionedPost(
        form,
        save=lambda: offer.track_save(
            track=form.save(commit=False), lock_version=form.posted_version
        ),
        saved_form=lambda: form_on_saved(
            TrackForm, TrainingTrack.objects.filter(pk=getattr(track, "pk", None)), board=board
        ),
        refuse=add_service_error,
    )
    return post.response(
        request,
        template="competencies/training/track_form.html",
        context={"board": board, "track": track},
        message=_("The track is saved."),
        url=reverse("competencies:training-offer", args=[board.pk]),
    )


@require_http_methods(["GET", "POST"])
def module_edit(
    request: HttpRequest, track_pk: int | None = None, pk: int | None = None
) -> HttpResponse:
    if pk:
        module = get_object_or_404(
            TrainingModule.objects.for_user(request.user).select_related("track__board"), pk=pk
        )
        track = module.track
    else:
        module = None
        track = get_object_or_404(
            TrainingTrack.objects.for_user(request.user).select_related("board"), pk=track_pk
        )
    require_board_staff(request, track.board_id)
    form = ModuleForm(request.POST or None, instance=module, track=track)
    post = VersionedPost(
        form,
        save=lambda: offer.module_save(
            module=form.save(commit=False),
            cells=form.cleaned_data["cells"],
            lock_version=form.posted_version,
        ),
        saved_form=lambda: form_on_saved(
            ModuleForm, TrainingModule.objects.filter(pk=getattr(module, "pk", None)), track=track
        ),
        refuse=add_service_error,
    )
    return post.response(
        request,
        template="competencies/training/module_form.html",
        context={"board": track.board, "track": track, "module": module},
        message=_("The module is saved."),
        url=reverse("competencies:training-offer", args=[track.board_id]) + f"#track-{track.pk}",
    )


def track_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who changed the track and its modules, when, and which values (django-simple-history):
    a repayment agreement keeps its own copy of the scheme, the costs are read from here."""
    track = get_object_or_404(TrainingTrack.objects.for_user(request.user), pk=pk)
    require_board_staff(request, track.board_id)
    records = [
        *TrainingTrack.history.filter(id=pk).select_related("history_user"),
        *TrainingModule.history.filter(track_id=pk).select_related("history_user"),
    ]

    def subject(record: Any, show: Callable[[str], str]) -> str:
        if record.instance_type is TrainingModule:
            return _("Module %(title)s") % {"title": show("title")}
        return _("Track")

    return render(
        request,
        "core/history.html",
        {
            "title": _("History of the track “%(track)s”") % {"track": track},
            "back_url": reverse("competencies:training-offer", args=[track.board_id]),
            "back_label": _("Training offer"),
            "entries": history_entries(records, subject=subject, hide={"track"}),
        },
    )


# ---------------------------------------------------------------------------
# the IB's own track
# ---------------------------------------------------------------------------


def leave_dates(user, statuses: list[offer.TrackStatus]) -> dict[int, datetime.date | None]:
    return {
        board_id: offer.leaving_date(user, board_id)
        for board_id in {s.track.board_id for s in statuses}
    }


def status_context(ib, board_ids, today: datetime.date, *, offered: bool = False) -> dict:
    # Inactive tracks too: an IB's enrolment (and its repayment) outlives the track's offer.
    statuses = offer.ib_statuses(ib, board_ids, today, offered=offered, active=False)
    leaving = leave_dates(ib, statuses)
    for status in statuses:
        status.repayment = offer.enrolment_repayment(status, leaving.get(status.track.board_id))
    return {"statuses": statuses, "person": ib, "person_name": display_name(ib), "today": today}


def my_track(request: HttpRequest) -> HttpResponse:
    board_ids = require_ib(request)
    # Every active track the board offers: the IB starts an optional one from here.
    context = status_context(request.user, board_ids, timezone.localdate(), offered=True)
    context["own"] = True
    return render(request, "competencies/training/status.html", context)


def get_offered_module(request: HttpRequest, module_pk: int) -> TrainingModule:
    """A module of the IB's own boards' active tracks (404 otherwise)."""
    board_ids = require_ib(request)
    return get_object_or_404(
        TrainingModule.objects.for_user(request.user)
        .filter(track__board_id__in=board_ids, track__is_active=True)
        .select_related("track__board")
        .prefetch_related(Prefetch("cells", queryset=Cell.objects.select_related("row", "column"))),
        pk=module_pk,
    )


@require_http_methods(["GET", "POST"])
def module_plan(request: HttpRequest, module_pk: int) -> HttpResponse:
    module = get_offered_module(request, module_pk)
    plan = ModulePlan.objects.filter(ib=request.user, module=module).first()
    form = PlanForm(request.POST or None, instance=plan, module=module, ib=request.user)
    post = VersionedPost(
        form,
        save=lambda: offer.plan_save(
            plan=form.save(commit=False), lock_version=form.posted_version
        ),
        saved_form=lambda: form_on_saved(
            PlanForm,
            ModulePlan.objects.filter(ib=request.user, module=module),
            module=module,
            ib=request.user,
        ),
        refuse=add_service_error,
    )
    return post.response(
        request,
        template="competencies/training/plan_form.html",
        context={"module": module, "track": module.track, "plan": plan},
        message=_("Your plan for the module is saved."),
        url=reverse("competencies:my-track") + f"#module-{module.pk}",
    )


@require_POST
def module_training(request: HttpRequest, module_pk: int) -> HttpResponse:
    module = get_offered_module(request, module_pk)
    try:
        training = offer.module_training_create(
            module=module, ib=request.user, today=timezone.localdate()
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("competencies:module-plan", module_pk=module.pk)
    messages.success(
        request,
        _("The module is recorded as your training. Add its dates and the certificate."),
    )
    return redirect("competencies:training-edit", pk=training.pk)


@require_http_methods(["GET", "POST"])
def track_enrol(request: HttpRequest, track_pk: int) -> HttpResponse:
    board_ids = require_ib(request)
    track = get_object_or_404(
        offer.tracks_with_modules(board_ids).filter(
            pk__in=TrainingTrack.objects.for_user(request.user)
        ),
        pk=track_pk,
    )
    form = EnrolForm(request.POST or None, initial={"started_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            offer.enrolment_create(
                track=track,
                ib=request.user,
                started_on=form.cleaned_data["started_on"],
                agreed=form.cleaned_data["agree"],
                today=timezone.localdate(),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("You follow the track “%(track)s”.") % {"track": track})
            return redirect(reverse("competencies:my-track") + f"#track-{track.pk}")
    costs = sum((m.cost for m in track.modules.all()), start=0)
    return render(
        request,
        "competencies/training/enrol_form.html",
        {"track": track, "form": form, "costs": costs},
    )


# ---------------------------------------------------------------------------
# the board's overview, one IB's status, the enrolment and its repayment
# ---------------------------------------------------------------------------


def overview(request: HttpRequest, board_pk: int) -> HttpResponse:
    board = staff_board(request, board_pk)
    track_id = request.GET.get("traject", "")
    result = offer.board_overview(
        board,
        timezone.localdate(),
        track_id=int(track_id) if track_id.isdigit() else None,
        overdue=request.GET.get("achter") == "1",
        name=request.GET.get("naam", "").strip()[:100],
    )
    return render(
        request,
        "competencies/training/overview.html",
        {
            "board": board,
            "overview": result,
            "rows": overview_rows(result, board.pk),
            "filters": {
                "track": track_id,
                "overdue": request.GET.get("achter") == "1",
                "name": request.GET.get("naam", "")[:100],
            },
        },
    )


def ib_track(request: HttpRequest, board_pk: int, ib_pk: int) -> HttpResponse:
    board = staff_board(request, board_pk)
    ib = get_object_or_404(offer.board_ibs(board), pk=ib_pk)
    context = status_context(ib, [board.pk], timezone.localdate())
    context.update({"own": False, "board": board})
    return render(request, "competencies/training/status.html", context)


def get_enrolment(request: HttpRequest, pk: int) -> TrackEnrolment:
    return get_object_or_404(
        TrackEnrolment.objects.for_user(request.user).select_related("track", "ib", "board"),
        pk=pk,
    )


def enrolment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_enrolment(request, pk)
    today = timezone.localdate()
    statuses = offer.ib_statuses(enrolment.ib, [enrolment.board_id], today, active=False)
    status = next(s for s in statuses if s.track.pk == enrolment.track_id)
    leave_on = offer.leaving_date(enrolment.ib, enrolment.board_id)
    return render(
        request,
        "competencies/training/enrolment.html",
        {
            "enrolment": enrolment,
            "status": status,
            "leave_on": leave_on,
            "result": offer.enrolment_repayment(status, leave_on),
            "can_stop": get_scope(request.user).can_manage_board(enrolment.board_id),
            "person_name": display_name(enrolment.ib),
        },
    )


@require_http_methods(["GET", "POST"])
def enrolment_stop(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_enrolment(request, pk)
    require_board_staff(request, enrolment.board_id)
    if enrolment.stopped_on and request.method == "GET":
        messages.info(request, _("This track was already stopped."))
    initial = {
        "stopped_on": enrolment.stopped_on or timezone.localdate(),
        "reason": enrolment.stop_reason,
    }
    form = StopForm(request.POST or None, initial=initial, version=enrolment.lock_version)
    context = {"enrolment": enrolment, "person_name": display_name(enrolment.ib)}

    def saved_form() -> StopForm:
        context["enrolment"] = fresh = get_enrolment(request, pk)
        return StopForm(
            initial={"stopped_on": fresh.stopped_on, "reason": fresh.stop_reason},
            version=fresh.lock_version,
        )

    post = VersionedPost(
        form,
        save=lambda: offer.enrolment_stop(
            enrolment=enrolment,
            stopped_on=form.cleaned_data["stopped_on"],
            reason=form.cleaned_data["reason"],
            lock_version=form.posted_version,
        ),
        saved_form=saved_form,
        refuse=add_service_error,
    )
    return post.response(
        request,
        template="competencies/training/stop_form.html",
        context=context,
        message=_("The stop is recorded."),
        url=reverse("competencies:enrolment-detail", args=[pk]),
    )
