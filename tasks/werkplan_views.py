"""Pages of the werkplan's goals: add, change and remove a goal of a package.

Fetched through ``Package.objects.for_user`` (404 outside the scope); only the school's
director and the package's IB draw up the werkplan (403 for others who read the package).
The form carries the package's lock version: a page that was loaded before someone changed
the package is refused, with the saved values beside the user's input.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import ModelMultipleChoiceField
from core.versioning import VersionedFormMixin, stale_notice
from schools.models import DevelopmentPoint

from . import nextyear, packages, werkplan
from .forms import LockForm
from .models import Domain, Package, PackageItem, PackageVersion, WerkplanGoal
from .package_views import apply_change, detail_url, get_package, save_sheet


class PointChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: DevelopmentPoint) -> str:
        label = f"{obj.title} ({obj.get_source_display()}, {obj.period})"
        if obj.status == DevelopmentPoint.Status.PROPOSED:
            label += " – " + _("proposed")
        return label


class TaskChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: PackageItem) -> str:
        return f"{obj.title} ({packages.hours_text(obj.hours)})"


class TaskCheckboxes(forms.CheckboxSelectMultiple):
    """Each task's box carries its hours, so the form can add up what the goal binds while the
    user ticks (static/js/goal-hours.js); without JavaScript the page shows the saved sum."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-hours"] = str(instance.hours)
        return option


class GoalForm(VersionedFormMixin, forms.Form):
    """A goal of the werkplan; ``lock_version`` is the package's."""

    title = forms.CharField(label=gettext_lazy("Goal"), max_length=200)
    development_point = PointChoiceField(
        label=gettext_lazy("Development point of the school"),
        queryset=DevelopmentPoint.objects.none(),
        required=False,
        empty_label=gettext_lazy("(none: another source)"),
    )
    source_text = forms.CharField(
        label=gettext_lazy("Other source"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "Only without a development point: where the goal comes from, e.g. the SOP or a "
            "question of the team."
        ),
    )
    domain = forms.ModelChoiceField(
        label=gettext_lazy("LBBO domain"),
        queryset=Domain.objects.filter(is_lbbo=True),
        empty_label=None,
    )
    success_criterion = forms.CharField(
        label=gettext_lazy("Success looks like"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("What you will see at the end of the year when the goal is met."),
    )
    items = TaskChoiceField(
        label=gettext_lazy("Tasks of the package that serve this goal"),
        queryset=PackageItem.objects.none(),
        required=False,
        widget=TaskCheckboxes,
        help_text=gettext_lazy("A task can serve several goals; its hours count for each."),
    )

    def __init__(
        self,
        *args,
        package: Package,
        package_version: PackageVersion,
        goal: WerkplanGoal | None = None,
        **kwargs,
    ) -> None:
        if goal is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": goal.title,
                    "development_point": goal.development_point_id,
                    "source_text": goal.source_text,
                    "domain": goal.domain_id,
                    "success_criterion": goal.success_criterion,
                    "items": [item.pk for item in goal.items.all()],
                },
            )
        super().__init__(*args, **kwargs)
        points = DevelopmentPoint.objects.filter(school_id=package.share.school_id).usable()
        current_point = goal.development_point_id if goal else None
        year = package.school_year.start_year
        self.fields["development_point"].queryset = points.in_year(year) | points.filter(
            pk=current_point
        )
        self.fields["items"].queryset = package_version.items.all()
        # Loaded once: the select would otherwise ask for the domains twice.
        # A goal has an LBBO domain: the general school duties are not one.
        self.lbbo_domains = list(Domain.objects.filter(is_lbbo=True))
        self.fields["domain"].choices = [(d.pk, d.name) for d in self.lbbo_domains]

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("development_point") and not (data.get("source_text") or "").strip():
            self.add_error(
                "source_text",
                _("Choose a development point of the school or name the goal's source."),
            )
        return data


def current_or_refuse(request: HttpRequest, package: Package) -> PackageVersion | None:
    """The current version when the user may change its werkplan now; None (with a message)
    when its state does not allow it; 403 for someone who does not draw it up at all."""
    if not werkplan.may_draw_up(package, request.user):
        raise PermissionDenied(
            _("Only the director and the IB of this package draw up its werkplan.")
        )
    current = packages.current_version(package)
    if not current.is_editable:
        messages.error(
            request,
            _("This package is “%(status)s”: its werkplan cannot be changed now.")
            % {"status": current.get_status_display()},
        )
        return None
    return current


def get_goal(request: HttpRequest, goal_pk: int) -> WerkplanGoal:
    return get_object_or_404(
        WerkplanGoal.objects.filter(
            version__package__in=Package.objects.for_user(request.user)
        ).select_related(
            "version__package__share__school__board",
            "version__package__share__appointment__ib",
            "version__package__school_year",
        ),
        pk=goal_pk,
    )


def goal_page(
    request: HttpRequest,
    package: Package,
    current: PackageVersion,
    goal: WerkplanGoal | None,
) -> HttpResponse:
    """The goal's form; a valid POST saves it through the package's lock."""
    form = GoalForm(
        request.POST or None,
        package=package,
        package_version=current,
        goal=goal,
        version=package.lock_version,
    )
    stale = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = werkplan.goal_save(
                package=package,
                actor=request.user,
                lock_version=form.posted_version,
                goal=goal,
                title=data["title"],
                development_point=data["development_point"],
                source_text=data["source_text"],
                domain=data["domain"],
                success_criterion=data["success_criterion"],
                items=list(data["items"]),
            )
        except packages.PackageConflict:
            package.refresh_from_db(fields=["lock_version"])
            fresh = None
            if goal is not None and WerkplanGoal.objects.filter(pk=goal.pk).exists():
                fresh = GoalForm(
                    package=package,
                    package_version=current,
                    goal=WerkplanGoal.objects.get(pk=goal.pk),
                )
            stale = stale_notice(form, fresh, version=package.lock_version)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("The goal “%(goal)s” has been saved.") % {"goal": saved})
            return redirect(detail_url(package) + "#werkplan")
    return render(
        request,
        "tasks/goal_form.html",
        {
            "form": form,
            "package": package,
            "goal": goal,
            "stale": stale,
            **goal_hours(package, current, form),
        },
        status=409 if stale else 200,
    )


def goal_hours(package: Package, current: PackageVersion, form: GoalForm) -> dict:
    """What the goal costs: the hours of the tasks ticked (posted, else the goal's own) against
    the package's budget, beside what the werkplan's goals bind now (two queries)."""
    items = list(current.items.all())
    # The LBBO domains the form loaded are all the werkplan's signals count.
    plan = werkplan.werkplan_of(current, items, form.lbbo_domains, package.budget_hours)
    if form.is_bound:
        ticked = set(form.data.getlist("items"))
    else:
        ticked = {str(pk) for pk in form.initial.get("items", [])}
    hours = sum((item.hours for item in items if str(item.pk) in ticked), Decimal("0"))
    return {"werkplan": plan, "goal_hours": hours, "budget_hours": package.budget_hours}


@require_http_methods(["GET", "POST"])
def goal_create(request: HttpRequest, pk: int) -> HttpResponse:
    package = get_package(request, pk)
    current = current_or_refuse(request, package)
    if current is None:
        return redirect(detail_url(package))
    return goal_page(request, package, current, None)


def goal_of_current(request: HttpRequest, goal_pk: int):
    """The goal, its package and the current version when the user may change it now."""
    goal = get_goal(request, goal_pk)
    package = goal.version.package
    current = current_or_refuse(request, package)
    if current is not None and goal.version_id != current.pk:
        messages.error(request, _("This goal belongs to an earlier version of the package."))
        current = None
    return goal, package, current


@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, goal_pk: int) -> HttpResponse:
    goal, package, current = goal_of_current(request, goal_pk)
    if current is None:
        return redirect(detail_url(package))
    return goal_page(request, package, current, goal)


@require_http_methods(["GET", "POST"])
def goal_remove(request: HttpRequest, goal_pk: int) -> HttpResponse:
    """Remove a goal: asks first (GET), the confirmed POST removes it."""
    goal, package, current = goal_of_current(request, goal_pk)
    if current is None:
        return redirect(detail_url(package))
    form = RemoveForm(request.POST or None, version=package.lock_version)
    if request.method == "POST" and form.is_valid():
        try:
            werkplan.goal_remove(
                package=package, goal=goal, actor=request.user, lock_version=form.posted_version
            )
        except packages.PackageConflict as conflict:
            messages.error(request, str(conflict))
            package.refresh_from_db(fields=["lock_version"])
            form = RemoveForm(version=package.lock_version)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(detail_url(package))
        else:
            messages.success(request, _("The goal “%(goal)s” has been removed.") % {"goal": goal})
            return redirect(detail_url(package) + "#werkplan")
    return render(
        request, "tasks/goal_remove_confirm.html", {"form": form, "package": package, "goal": goal}
    )


class RemoveForm(VersionedFormMixin, forms.Form):
    pass


class CarryOverForm(LockForm):
    """The goals of last year's evaluation to carry over, by key; the service checks that each
    is still offered (a key carried over in the meantime is refused with a clear message)."""

    goals = forms.MultipleChoiceField(required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Any key is a choice here: which are offered is the service's to say, under the lock.
        self.fields["goals"].valid_value = lambda value: 0 < len(value) <= 200


@require_POST
def goal_carry_over(request: HttpRequest, pk: int) -> HttpResponse:
    """Carry goals of last year's evaluation over into the werkplan (the package page's
    "Goals from last year's evaluation"); a refusal shows the page again with the ticks kept.
    On the director's sheet the button is one of the sheet's: what was typed is saved first."""
    package = get_package(request, pk)
    current = current_or_refuse(request, package)
    if current is None:
        return redirect(detail_url(package))
    data = request.POST
    if packages.can_edit(package, request.user):
        result = save_sheet(request, package, keep={"carry": CarryOverForm(request.POST)})
        if result.refusal:
            return result.refusal
        data = result.data
    form = CarryOverForm(data)

    def change(data: dict) -> str:
        goals = nextyear.goals_carry_over(
            package=package,
            actor=request.user,
            lock_version=data["lock_version"],
            keys=data["goals"],
        )
        return nextyear.carried_message(goals)

    return apply_change(
        request, package, form, "carry", change, redirect_to=detail_url(package) + "#werkplan"
    )
