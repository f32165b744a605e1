"""Views of the conversation cycle (functionerings- and beoordelingsgesprekken).

Thin functions in the style of the other competencies views: fetch through ``for_user``
(404 outside the scope: the partnership, other directors and other IBs never reach a
conversation), refuse a role that sees but may not change (403), bind a form, call a
service of ``competencies.conversations``, redirect. Every edit form refuses a stale save.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.versioning import VersionedPost
from schools.models import Appointment, Board, get_scope

from . import conversations as rules
from .conversation_forms import PlanForm, PolicyForm, PreparationForm, ReportForm, SignForm
from .models import AppraisalConversation

TEMPLATES = "competencies/conversations/"


def get_conversation(request: HttpRequest, pk: int) -> AppraisalConversation:
    return get_object_or_404(
        AppraisalConversation.objects.for_user(request.user).select_related(
            "ib", "director", "board", "linked_round__framework"
        ),
        pk=pk,
    )


def current_appointments(request: HttpRequest) -> list[Appointment]:
    """The current appointments whose IB's cycle the user follows: board staff all of their
    boards, a director those they are personnel-responsible for, an IB their own."""
    scope = get_scope(request.user)
    appointments = (
        Appointment.objects.for_user(request.user)
        .active_on(timezone.localdate())
        .with_details()
        .order_by("ib__last_name", "ib__first_name", "start_date", "pk")
    )
    result, seen = [], set()
    for appointment in appointments:
        key = (appointment.board_id, appointment.ib_id)
        follows = (
            scope.can_manage_board(appointment.board_id)
            or appointment.ib_id == request.user.pk
            or request.user in appointment.personnel_directors
        )
        if follows and key not in seen:
            seen.add(key)
            result.append(appointment)
    return result


def conversation_list(request: HttpRequest) -> HttpResponse:
    scope = get_scope(request.user)
    if not (scope.is_board_staff or scope.is_director or scope.is_ib):
        raise PermissionDenied(_("The conversation cycle is for boards, directors and IBs."))
    today = timezone.localdate()
    appointments = current_appointments(request)
    conversations = (
        AppraisalConversation.objects.for_user(request.user)
        .select_related("ib", "director", "board")
        .order_by("-date", "-id")
    )
    boards = Board.objects.filter(id__in=scope.staff_board_ids).order_by("name")
    context = {
        "policies": [rules.policy_for(board) for board in boards],
        "cycles": rules.cycles(appointments, today, request.user),
        "conversations": conversations,
        "today": today,
        "is_staff": scope.is_board_staff,
    }
    return render(request, TEMPLATES + "list.html", context)


@require_http_methods(["GET", "POST"])
def conversation_plan(request: HttpRequest, appointment_pk: int) -> HttpResponse:
    appointment = get_object_or_404(
        Appointment.objects.for_user(request.user).with_details(), pk=appointment_pk
    )
    if request.user not in appointment.personnel_directors:
        raise PermissionDenied(
            _("Only the IB's personnel-responsible director plans their conversations.")
        )
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            conversation = rules.conversation_plan(
                appointment=appointment,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                date=form.cleaned_data["date"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The conversation is planned."))
            return redirect("competencies:conversation-detail", pk=conversation.pk)
    context = {"form": form, "appointment": appointment, "conversation": None}
    return render(request, TEMPLATES + "plan_form.html", context)


def conversation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_conversation(request, pk)
    user = request.user
    as_director = rules.is_director_of(conversation, user)
    as_ib = rules.is_ib_of(conversation, user)
    context = {
        "conversation": conversation,
        "as_director": as_director,
        "as_ib": as_ib,
        "other_visible": rules.other_preparation_visible(conversation, user),
        "today": timezone.localdate(),
    }
    return render(request, TEMPLATES + "detail.html", context)


def detail_url(pk: int) -> str:
    return reverse("competencies:conversation-detail", args=[pk])


@require_http_methods(["GET", "POST"])
def conversation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_conversation(request, pk)
    if not rules.is_director_of(conversation, request.user):
        raise PermissionDenied(_("Only the director who holds this conversation does this."))
    if conversation.is_recorded:
        raise PermissionDenied(_("The report is recorded: the date and kind are final."))
    form = PlanForm(request.POST or None, instance=conversation)
    post = VersionedPost(
        form,
        save=lambda: rules.conversation_reschedule(
            conversation=conversation,
            actor=request.user,
            kind=form.cleaned_data["kind"],
            date=form.cleaned_data["date"],
            lock_version=form.posted_version,
        ),
        saved_form=lambda: PlanForm(instance=AppraisalConversation.objects.get(pk=pk)),
    )
    return post.response(
        request,
        template=TEMPLATES + "plan_form.html",
        context={"conversation": conversation},
        message=_("The conversation is saved."),
        url=detail_url(pk),
    )


@require_http_methods(["GET", "POST"])
def conversation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_conversation(request, pk)
    if not rules.is_director_of(conversation, request.user):
        raise PermissionDenied(_("Only the director who holds this conversation does this."))
    if conversation.is_recorded:
        raise PermissionDenied(_("A conversation with a recorded report stays on record."))
    if request.method == "POST":
        rules.conversation_cancel(conversation=conversation, actor=request.user)
        messages.success(request, _("The planned conversation is cancelled."))
        return redirect("competencies:conversation-list")
    return render(request, TEMPLATES + "cancel.html", {"conversation": conversation})


def preparation_initial(conversation: AppraisalConversation, as_ib: bool) -> dict:
    if as_ib:
        return {
            "text": conversation.ib_preparation,
            "share": conversation.ib_shared_at is not None,
            "linked_round": conversation.linked_round_id,
        }
    return {
        "text": conversation.director_preparation,
        "share": conversation.director_shared_at is not None,
    }


@require_http_methods(["GET", "POST"])
def conversation_prepare(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_conversation(request, pk)
    as_ib = rules.is_ib_of(conversation, request.user)
    if not as_ib and not rules.is_director_of(conversation, request.user):
        raise PermissionDenied(_("Only the IB and the director prepare this conversation."))
    if conversation.is_recorded:
        raise PermissionDenied(
            _("The report of this conversation is recorded: the plan and preparations are final.")
        )
    form = PreparationForm(
        request.POST or None,
        initial=preparation_initial(conversation, as_ib),
        conversation=conversation,
        as_ib=as_ib,
        version=conversation.lock_version,
    )

    def saved_form() -> PreparationForm:
        fresh = AppraisalConversation.objects.get(pk=pk)
        return PreparationForm(
            initial=preparation_initial(fresh, as_ib),
            conversation=fresh,
            as_ib=as_ib,
            version=fresh.lock_version,
        )

    post = VersionedPost(
        form,
        save=lambda: rules.preparation_save(
            conversation=conversation,
            actor=request.user,
            text=form.cleaned_data["text"],
            share=form.cleaned_data["share"],
            linked_round=form.cleaned_data.get("linked_round"),
            lock_version=form.posted_version,
        ),
        saved_form=saved_form,
    )
    return post.response(
        request,
        template=TEMPLATES + "prepare.html",
        context={"conversation": conversation, "as_ib": as_ib},
        message=_("Your preparation is saved."),
        url=detail_url(pk),
    )


@require_http_methods(["GET", "POST"])
def conversation_report(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_conversation(request, pk)
    if not rules.is_director_of(conversation, request.user):
        raise PermissionDenied(_("Only the director who holds this conversation does this."))
    if conversation.is_signed:
        raise PermissionDenied(
            _("The IB signed this report: it is locked. Plan a new conversation for a correction.")
        )
    form = ReportForm(request.POST or None, instance=conversation)
    post = VersionedPost(
        form,
        save=lambda: rules.report_save(
            conversation=conversation,
            actor=request.user,
            report=form.cleaned_data["report"],
            agreements=form.cleaned_data["agreements"],
            lock_version=form.posted_version,
        ),
        saved_form=lambda: ReportForm(instance=AppraisalConversation.objects.get(pk=pk)),
    )
    return post.response(
        request,
        template=TEMPLATES + "report_form.html",
        context={"conversation": conversation},
        message=_("The report is saved; the IB is asked to sign it."),
        url=detail_url(pk),
    )


@require_http_methods(["GET", "POST"])
def conversation_sign(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_conversation(request, pk)
    if not rules.is_ib_of(conversation, request.user):
        raise PermissionDenied(_("Only the IB signs for having read the report."))
    if conversation.is_signed or not conversation.is_recorded:
        raise PermissionDenied(
            _("You signed this report already.")
            if conversation.is_signed
            else _("There is no report to sign yet.")
        )
    form = SignForm(request.POST or None, instance=conversation)
    context = {"conversation": conversation}

    def saved_form() -> SignForm:
        context["conversation"] = fresh = AppraisalConversation.objects.get(pk=pk)
        return SignForm(instance=fresh)  # the page shows the report as it is saved now

    post = VersionedPost(
        form,
        save=lambda: rules.conversation_sign(
            conversation=conversation,
            actor=request.user,
            response=form.cleaned_data["ib_response"],
            lock_version=form.posted_version,
        ),
        saved_form=saved_form,
    )
    return post.response(
        request,
        template=TEMPLATES + "sign_form.html",
        context=context,
        message=_("You signed for having read the report."),
        url=detail_url(pk),
    )


@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest, board_pk: int) -> HttpResponse:
    board = get_object_or_404(Board.objects.for_user(request.user), pk=board_pk)
    if not get_scope(request.user).can_manage_board(board.pk):
        raise PermissionDenied(_("Only board staff set the conversation cycle."))
    policy = rules.policy_for(board)
    form = PolicyForm(request.POST or None, instance=policy)
    post = VersionedPost(
        form,
        save=lambda: rules.policy_save(
            policy=form.instance, actor=request.user, lock_version=form.posted_version
        ),
        saved_form=lambda: PolicyForm(instance=rules.policy_for(board)),
    )
    return post.response(
        request,
        template=TEMPLATES + "policy_form.html",
        context={"board": board},
        message=_("The conversation cycle is saved."),
        url=reverse("competencies:conversation-list"),
    )
