"""The year-end evaluation page of a package (rules in ``tasks.evaluation``).

One page, ``pakketten/<pk>/evaluatie/``, shows the evaluation as far as it goes, with the
form of the step that is the user's now; each step posts to its own URL. In the style of the
other package views: fetch through ``Package.objects.for_user`` (404 outside the scope, so
partnership staff never reach it), 403 for a role that reads but does not take this step,
bind the form, call the service, redirect; a refused form is shown again with the user's
input, a stale one (``StaleEdit``) with the saved values beside it (409).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.forms import add_service_error
from core.versioning import StaleEdit, VersionedFormMixin, VersionedPost, stale_notice
from schools.models import display_name

from . import evaluation as ev
from . import realisation as rs
from .models import Domain, Evaluation, EvaluationGoal, GoalRating, Package, RealisationLine
from .package_views import get_package
from .packages import PackageConflict


def evaluation_url(package: Package) -> str:
    return reverse("tasks:package-evaluation", args=[package.pk])


# ---------------------------------------------------------------------------
# forms
# ---------------------------------------------------------------------------


class StartForm(VersionedFormMixin, forms.Form):
    """The start button: no evaluation yet (an empty version)."""


class ExtendForm(VersionedFormMixin, forms.Form):
    """Board staff give a late evaluation more time: the package's version, a new last day."""

    until = forms.DateField(
        label=gettext_lazy("Open until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy(
            "The IB and the director can then rate the goals and record the conversation "
            "until this day."
        ),
    )


class RatingsForm(VersionedFormMixin, forms.Form):
    """The IB's rating and evidence per goal: ``rating_<id>`` and ``evidence_<id>``."""

    def __init__(self, *args, goals: list[EvaluationGoal], **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {
                **{f"rating_{goal.pk}": goal.rating for goal in goals},
                **{f"evidence_{goal.pk}": goal.evidence for goal in goals},
            },
        )
        super().__init__(*args, **kwargs)
        self.goals = goals
        for goal in goals:
            self.fields[f"rating_{goal.pk}"] = forms.ChoiceField(
                label=_("Rating of “%(goal)s”") % {"goal": goal.title},
                choices=GoalRating.choices,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )
            self.fields[f"evidence_{goal.pk}"] = forms.CharField(
                label=_("Evidence for “%(goal)s”") % {"goal": goal.title},
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
            )

    def values(self) -> dict[str, ev.GoalValues]:
        return {
            goal.key: ev.GoalValues(
                rating=self.cleaned_data.get(f"rating_{goal.pk}") or "",
                evidence=self.cleaned_data.get(f"evidence_{goal.pk}") or "",
            )
            for goal in self.goals
        }

    def rows(self) -> list[dict]:
        return [
            {
                "goal": goal,
                "rating": self[f"rating_{goal.pk}"],
                "evidence": self[f"evidence_{goal.pk}"],
            }
            for goal in self.goals
        ]

    def add_goal_errors(self, error: ValidationError) -> None:
        by_key = {goal.key: goal for goal in self.goals}
        for key, errors in error.error_dict.items():
            goal = by_key.get(key)
            self.add_error(f"rating_{goal.pk}" if goal else None, errors)


class DirectorViewForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = ["director_view"]
        labels = {"director_view": gettext_lazy("Your view of the year")}
        help_texts = {
            "director_view": gettext_lazy(
                "How do you see the year: the goals, the ratings and the hours? The IB reads it "
                "before the conversation."
            )
        }
        widgets = {"director_view": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["director_view"].required = True


class ConversationForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = ["held_on", "participants", "agreements"]
        labels = {
            "held_on": gettext_lazy("Date of the conversation"),
            "participants": gettext_lazy("Present"),
            "agreements": gettext_lazy("Agreements"),
        }
        help_texts = {
            "participants": gettext_lazy("Who took part, e.g. the director and the IB."),
            "agreements": gettext_lazy(
                "What was agreed for next year: goals that carry over, tasks with more or "
                "fewer hours."
            ),
        }
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "agreements": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields:
            self.fields[name].required = True


# ---------------------------------------------------------------------------
# the page
# ---------------------------------------------------------------------------


def load_evaluation(package: Package, *, fresh: bool = False) -> Evaluation | None:
    """The package's evaluation: loaded with the package (``get_package``), or ``fresh``
    from the database after someone else saved it."""
    if fresh:
        evaluation = Evaluation.objects.filter(package=package).select_related("closed_by").first()
    else:
        evaluation = ev.evaluation_of(package)
    if evaluation is not None:
        evaluation.package = package  # the package with its details, already loaded
    return evaluation


def page_context(
    request: HttpRequest,
    package: Package,
    evaluation: Evaluation | None,
    failed: dict | None = None,
    stale=None,
) -> dict:
    """Everything the page shows; ``failed`` holds the bound form of a refused POST by slot
    (``start``, ``ratings``, ``view``, ``conversation``)."""
    failed = failed or {}
    user = request.user
    today = timezone.localdate()
    versions = list(package.versions.all())
    agreed = rs.agreed_version(versions)
    reason = ev.closed_reason(package, agreed, today)
    status = ev.status_of(package, evaluation, today) if agreed else None
    goals = list(evaluation.goals.select_related("domain")) if evaluation else []
    if evaluation is not None:
        # The evaluated version is one of the package's versions, loaded above.
        evaluation.version = next(v for v in versions if v.pk == evaluation.version_id)
    changing = evaluation is not None and not evaluation.is_closed and not reason
    context = {
        "package": package,
        "agreed": agreed,
        "evaluation": evaluation,
        "status": status,
        "closed_reason": reason,
        "goals": goals,
        "rating_counts": ev.rating_counts(goals),
        "is_ib": ev.can_rate(package, user),
        "is_director": ev.can_add_view(package, user),
        "stale": stale,
        "may_extend": ev.may_extend(package, today),
    }
    if agreed is not None and evaluation is None:
        # What will be evaluated: the agreed version's goals.
        context["planned_goals"] = list(agreed.goals.select_related("domain").order_by("id"))
        if not reason and ev.can_start(package, user):
            context["start_form"] = failed.get("start") or StartForm()
    version = evaluation.lock_version if evaluation else None
    if changing and ev.can_rate(package, user) and goals:
        context["ratings_form"] = failed.get("ratings") or RatingsForm(goals=goals, version=version)
    if changing and ev.can_add_view(package, user):
        context["view_form"] = failed.get("view") or DirectorViewForm(instance=evaluation)
    may_hold = not goals or (evaluation is not None and ev.is_ready(evaluation))
    context["may_hold"] = may_hold
    if (
        changing
        and ev.can_record_conversation(package, user)
        and (may_hold or "conversation" in failed)
    ):
        people = [*package.school.directors, package.ib]
        initial = {"participants": ", ".join(display_name(p) for p in people), "held_on": today}
        context["conversation_form"] = failed.get("conversation") or ConversationForm(
            instance=evaluation, initial=initial
        )
    if (
        agreed is not None
        and status is not None
        and status.code in ("open", "started", "ready", "missed")
        and ev.may_extend(package, today)
        and ev.can_extend(package, user)
    ):
        form = failed.get("extend") or ExtendForm(
            version=package.lock_version,
            initial={
                "until": min(
                    max(today, status.open_until) + datetime.timedelta(days=30),
                    ev.latest_extension(package),
                )
            },
        )
        # The browser's date picker offers only what the service accepts.
        earliest = max(today, rs.record_until(package.school_year)) + datetime.timedelta(days=1)
        form.fields["until"].widget.attrs.update(
            min=earliest.isoformat(), max=ev.latest_extension(package).isoformat()
        )
        context["extend_form"] = form
    if agreed is not None:
        # Planned against realised per domain, as context for the conversation.
        evaluated = evaluation.version if evaluation else agreed
        lines = RealisationLine.objects.filter(realisation__package=package).select_related(
            "realisation"
        )
        comparison = rs.compare(package, evaluated.items.all(), lines, list(Domain.objects.all()))
        context["realisation"] = comparison
    return context


SLOTS = {
    "start": "start_form",
    "ratings": "ratings_form",
    "view": "view_form",
    "conversation": "conversation_form",
    "extend": "extend_form",
}


def render_page(
    request: HttpRequest,
    package: Package,
    evaluation: Evaluation | None,
    *,
    failed: dict | None = None,
    stale=None,
    status: int = 200,
) -> HttpResponse:
    context = page_context(request, package, evaluation, failed, stale)
    # A refused form that the page no longer shows (the year was closed in between): its
    # errors go at the top rather than nowhere.
    context["page_errors"] = [
        error
        for slot, form in (failed or {}).items()
        if SLOTS[slot] not in context
        for errors in form.errors.values()
        for error in errors
    ]
    return render(request, "tasks/evaluation.html", context, status=status)


def package_evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    package = get_package(request, pk)
    return render_page(request, package, load_evaluation(package))


def save_step(
    request: HttpRequest,
    package: Package,
    evaluation: Evaluation,
    *,
    slot: str,
    form: forms.Form,
    save: Callable[[], str],
    saved_form: Callable[[Evaluation], forms.Form],
    refuse: Callable[[forms.Form, ValidationError], None] = add_service_error,
) -> HttpResponse:
    """One step behind its bound form: ``save`` runs the service and returns the success
    message, and the page is shown again. A stale save shows the page with the saved values
    beside the user's (``saved_form`` of the evaluation as it is now, 409); a refused one keeps
    the user's input with the reasons (``refuse`` puts them on the form)."""
    shown = evaluation

    def saved_now() -> forms.Form:
        nonlocal shown
        shown = load_evaluation(package, fresh=True)
        return saved_form(shown)

    post = VersionedPost(form, save=save, saved_form=saved_now, refuse=refuse)
    if post.is_saved():
        messages.success(request, post.saved)
        return redirect(evaluation_url(package))
    return render_page(
        request, package, shown, failed={slot: form}, stale=post.stale, status=post.status
    )


def started(request: HttpRequest, package: Package) -> Evaluation:
    """The package's evaluation for a step after the start; a page without one is stale."""
    evaluation = load_evaluation(package)
    if evaluation is None:
        messages.error(request, _("The evaluation has not been started yet."))
    return evaluation


@require_POST
def evaluation_start(request: HttpRequest, pk: int) -> HttpResponse:
    package = get_package(request, pk)
    if not ev.can_start(package, request.user):
        raise PermissionDenied(
            _("Only the director and the IB of this package start its evaluation.")
        )
    form = StartForm(request.POST)
    if form.is_valid():
        try:
            ev.evaluation_start(package=package, actor=request.user)
        except StaleEdit:
            messages.info(request, _("The evaluation had already been started."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The year-end evaluation has been started."))
    return redirect(evaluation_url(package))


@require_POST
def evaluation_ratings(request: HttpRequest, pk: int) -> HttpResponse:
    package = get_package(request, pk)
    if not ev.can_rate(package, request.user):
        raise PermissionDenied(_("Only the IB of this package rates its goals."))
    evaluation = started(request, package)
    if evaluation is None:
        return redirect(evaluation_url(package))
    goals = list(evaluation.goals.select_related("domain"))
    form = RatingsForm(request.POST, goals=goals, version=evaluation.lock_version)
    ready = "ready" in request.POST

    def save() -> str:
        ev.ratings_save(
            evaluation=evaluation,
            actor=request.user,
            lock_version=form.posted_version,
            values=form.values(),
            ready=ready,
        )
        if ready and ev.is_ready(evaluation):
            return _(
                "Your ratings have been saved and the evaluation is ready for the "
                "conversation; the director has been told."
            )
        return _("Your ratings have been saved.")

    def refuse(form: RatingsForm, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            form.add_goal_errors(error)
            form.add_error(None, _("Nothing has been saved: correct the goals marked below."))
        else:
            form.add_error(None, error)

    return save_step(
        request,
        package,
        evaluation,
        slot="ratings",
        form=form,
        save=save,
        saved_form=lambda fresh: RatingsForm(
            goals=list(fresh.goals.select_related("domain")), version=fresh.lock_version
        ),
        refuse=refuse,
    )


@require_POST
def evaluation_view(request: HttpRequest, pk: int) -> HttpResponse:
    package = get_package(request, pk)
    if not ev.can_add_view(package, request.user):
        raise PermissionDenied(_("Only the director of the school adds the director's view."))
    evaluation = started(request, package)
    if evaluation is None:
        return redirect(evaluation_url(package))
    form = DirectorViewForm(request.POST, instance=Evaluation.objects.get(pk=evaluation.pk))

    def save() -> str:
        ev.director_view_save(
            evaluation=evaluation,
            actor=request.user,
            lock_version=form.posted_version,
            view=form.cleaned_data["director_view"],
        )
        return _("Your view has been saved.")

    return save_step(
        request,
        package,
        evaluation,
        slot="view",
        form=form,
        save=save,
        saved_form=lambda fresh: DirectorViewForm(instance=fresh),
    )


@require_POST
def evaluation_conversation(request: HttpRequest, pk: int) -> HttpResponse:
    package = get_package(request, pk)
    if not ev.can_record_conversation(package, request.user):
        raise PermissionDenied(
            _("Only the director and the IB of this package record the conversation.")
        )
    evaluation = started(request, package)
    if evaluation is None:
        return redirect(evaluation_url(package))
    form = ConversationForm(request.POST, instance=Evaluation.objects.get(pk=evaluation.pk))

    def save() -> str:
        data = form.cleaned_data
        ev.conversation_save(
            evaluation=evaluation,
            actor=request.user,
            lock_version=form.posted_version,
            held_on=data["held_on"],
            participants=data["participants"],
            agreements=data["agreements"],
        )
        return _("The conversation has been recorded: the year is closed.")

    return save_step(
        request,
        package,
        evaluation,
        slot="conversation",
        form=form,
        save=save,
        saved_form=lambda fresh: ConversationForm(instance=fresh),
    )


@require_POST
def evaluation_extend(request: HttpRequest, pk: int) -> HttpResponse:
    """Board staff give the evaluation more time (the package's version is the lock)."""
    package = get_package(request, pk)
    if not ev.can_extend(package, request.user):
        raise PermissionDenied(_("Only the board's staff give an evaluation more time."))
    form = ExtendForm(request.POST, version=package.lock_version)
    if form.is_valid():
        try:
            ev.extend(
                package=package,
                actor=request.user,
                lock_version=form.posted_version,
                until=form.cleaned_data["until"],
            )
        except PackageConflict:
            package.refresh_from_db(fields=["lock_version", "evaluation_until"])
            fresh = ExtendForm(
                version=package.lock_version,
                initial={"until": package.evaluation_until or ev.open_until(package)},
            )
            stale = stale_notice(form, fresh, version=package.lock_version)
            return render_page(
                request,
                package,
                load_evaluation(package),
                failed={"extend": form},
                stale=stale,
                status=409,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("The year-end evaluation is open until %(date)s.")
                % {"date": date_format(form.cleaned_data["until"])},
            )
            return redirect(evaluation_url(package))
    return render_page(request, package, load_evaluation(package), failed={"extend": form})
