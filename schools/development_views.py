"""Pages of a school's development points: the list, add or propose, edit, decide.

Reached through ``DevelopmentPoint.objects.for_user`` and a school in the same scope: a
school whose points are not the user's (partnership staff, another board) gives 404; an IB
who may read a point but not change it gets 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.versioning import StaleEdit, VersionedPost

from .development_points import (
    DecisionForm,
    DevelopmentPointForm,
    can_change,
    can_manage,
    development_point_decide,
    development_point_save,
    is_school_ib,
)
from .models import DevelopmentPoint, School, development_condition, get_scope


def get_school(request: HttpRequest, pk: int) -> School:
    """A school whose development points the user reads (404 otherwise)."""
    condition = development_condition(get_scope(request.user), school="")
    if condition is None:
        raise Http404(_("No such school."))
    schools = School.objects.for_user(request.user).filter(condition).select_related("board")
    return get_object_or_404(schools, pk=pk)


def get_point(request: HttpRequest, pk: int) -> DevelopmentPoint:
    return get_object_or_404(
        DevelopmentPoint.objects.for_user(request.user).select_related("school__board"), pk=pk
    )


def development_points(request: HttpRequest, pk: int) -> HttpResponse:
    """The school's development points, proposals first, declined ones last."""
    school = get_school(request, pk)
    points = list(school.development_points.select_related("proposed_by"))
    order = {DevelopmentPoint.Status.PROPOSED: 0, DevelopmentPoint.Status.ACCEPTED: 1}
    points.sort(key=lambda point: order.get(point.status, 2))
    manager = can_manage(school, request.user)
    return render(
        request,
        "schools/development_points.html",
        {
            "school": school,
            "points": points,
            "can_manage": manager,
            "can_propose": not manager and is_school_ib(school, request.user),
            "user_id": request.user.pk,
            "back": safe_back(request),
        },
    )


def safe_back(request: HttpRequest) -> str:
    """Where "back" leads: a package page the user came from (``?pakket=N``), else nothing."""
    raw = request.GET.get("pakket", "")
    return raw if raw.isdigit() else ""


def _form_page(
    request: HttpRequest, school: School, point: DevelopmentPoint | None
) -> HttpResponse:
    form = DevelopmentPointForm(request.POST or None, instance=point, school=school)

    def message(saved: DevelopmentPoint) -> str:
        if saved.status == DevelopmentPoint.Status.PROPOSED and point is None:
            return _("Your proposal has been saved; the director accepts or declines it.")
        return _("The development point has been saved.")

    post = VersionedPost(
        form,
        save=lambda: development_point_save(
            point=form.instance, actor=request.user, lock_version=form.posted_version
        ),
        saved_form=lambda: DevelopmentPointForm(
            instance=DevelopmentPoint.objects.get(pk=point.pk), school=school
        ),
    )
    return post.response(
        request,
        template="schools/development_point_form.html",
        context={
            "school": school,
            "point": point,
            "proposing": point is None and not can_manage(school, request.user),
        },
        message=message,
        url=reverse("schools:development-points", args=[school.pk]),
    )


@require_http_methods(["GET", "POST"])
def development_point_create(request: HttpRequest, pk: int) -> HttpResponse:
    school = get_school(request, pk)
    if not (can_manage(school, request.user) or is_school_ib(school, request.user)):
        raise PermissionDenied(_("Only the director or the IB of the school adds points."))
    return _form_page(request, school, None)


@require_http_methods(["GET", "POST"])
def development_point_edit(request: HttpRequest, pk: int) -> HttpResponse:
    point = get_point(request, pk)
    if not can_change(point, request.user):
        raise PermissionDenied(_("Only the director of the school changes this point."))
    return _form_page(request, point.school, point)


@require_POST
def development_point_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept (``decision=accept``) or decline an IB's proposal."""
    point = get_point(request, pk)
    if not can_manage(point.school, request.user):
        raise PermissionDenied(_("Only the director of the school decides on a proposal."))
    form = DecisionForm(request.POST, version=point.lock_version)
    accept = request.POST.get("decision") == "accept"
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors()))
        return redirect("schools:development-points", pk=point.school_id)
    try:
        development_point_decide(
            point=point,
            actor=request.user,
            lock_version=form.posted_version,
            accept=accept,
            note=form.cleaned_data["note"],
        )
    except StaleEdit:
        messages.error(
            request,
            _("Someone else changed this point in the meantime; nothing was saved. Look again."),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = (
            _("“%(title)s” has been accepted.") if accept else _("“%(title)s” has been declined.")
        )
        messages.success(request, done % {"title": point.title})
    return redirect("schools:development-points", pk=point.school_id)
