"""Pages of an appointment's own hours (schools.own_hours): board staff add, change and remove
them; everyone who reads the appointment reads them on its page.

Fetched through ``Appointment.objects.for_user`` / ``OwnHours.objects.for_user`` (not yours:
404); a director or IB who reads the appointment but may not change it gets 403.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.versioning import (
    ExpectedVersion,
    VersionedFormMixin,
    VersionedPost,
    claim_version,
)

from .development_points import year_options
from .models import Appointment, SchoolYear
from .own_hours import OwnHours
from .views import require_board_manager


class OwnHoursForm(VersionedFormMixin, forms.ModelForm):
    start_year = forms.TypedChoiceField(label=gettext_lazy("From school year"), coerce=int)
    end_year = forms.TypedChoiceField(label=gettext_lazy("Until school year"), coerce=int)

    class Meta:
        model = OwnHours
        fields = ["kind", "label", "hours", "start_year", "end_year"]
        localized_fields = ["hours"]
        # Django's messages would show the model's limits as "0.5", not in Dutch.
        error_messages = {
            "hours": {
                "invalid": gettext_lazy("Give the hours as a number, e.g. 12,5."),
                "min_value": gettext_lazy("Give at least half an hour."),
                "max_value": gettext_lazy("At most 1659 hours per school year (a full-time job)."),
                "max_digits": gettext_lazy("At most 1659 hours per school year (a full-time job)."),
                "max_whole_digits": gettext_lazy(
                    "At most 1659 hours per school year (a full-time job)."
                ),
                "max_decimal_places": gettext_lazy("Give hours with at most one decimal."),
            }
        }

    def __init__(self, *args, appointment: Appointment, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.appointment = appointment
        options = year_options(self.instance.start_year, self.instance.end_year)
        self.fields["start_year"].choices = options
        self.fields["end_year"].choices = options
        if self.instance.pk is None and not self.is_bound:
            current = SchoolYear.current_start_year()
            self.initial.update(start_year=current, end_year=current)


@transaction.atomic
def own_hours_save(*, own_hours: OwnHours, lock_version: ExpectedVersion) -> OwnHours:
    claim_version(own_hours if own_hours.pk else None, lock_version)
    own_hours.full_clean()
    own_hours.save()
    return own_hours


def detail_url(appointment_id: int) -> str:
    return reverse("schools:appointment-detail", args=[appointment_id]) + "#own-hours"


def _form_page(
    request: HttpRequest, appointment: Appointment, own_hours: OwnHours | None
) -> HttpResponse:
    form = OwnHoursForm(request.POST or None, instance=own_hours, appointment=appointment)

    def saved_form() -> OwnHoursForm | None:
        # Changed or removed by someone else since the form was loaded.
        current = OwnHours.objects.filter(pk=own_hours.pk).first() if own_hours else None
        return OwnHoursForm(instance=current, appointment=appointment) if current else None

    post = VersionedPost(
        form,
        save=lambda: own_hours_save(own_hours=form.instance, lock_version=form.posted_version),
        saved_form=saved_form,
    )
    return post.response(
        request,
        template="schools/own_hours_form.html",
        context={"appointment": appointment, "own_hours": own_hours},
        message=_("The own hours have been saved."),
        url=detail_url(appointment.pk),
    )


@require_http_methods(["GET", "POST"])
def own_hours_create(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_object_or_404(
        Appointment.objects.for_user(request.user).select_related("ib", "board"), pk=pk
    )
    require_board_manager(request, appointment.board_id)
    return _form_page(request, appointment, None)


def get_own_hours(request: HttpRequest, pk: int) -> OwnHours:
    own_hours = get_object_or_404(
        OwnHours.objects.for_user(request.user).select_related(
            "appointment__ib", "appointment__board"
        ),
        pk=pk,
    )
    require_board_manager(request, own_hours.appointment.board_id)
    return own_hours


@require_http_methods(["GET", "POST"])
def own_hours_edit(request: HttpRequest, pk: int) -> HttpResponse:
    own_hours = get_own_hours(request, pk)
    return _form_page(request, own_hours.appointment, own_hours)


@require_http_methods(["GET", "POST"])
def own_hours_delete(request: HttpRequest, pk: int) -> HttpResponse:
    own_hours = get_own_hours(request, pk)
    appointment_id = own_hours.appointment_id
    if request.method == "POST":
        own_hours.delete()
        messages.success(request, _("The own hours have been removed."))
        return redirect(detail_url(appointment_id))
    return render(
        request,
        "schools/own_hours_delete.html",
        {
            "title": _("Remove own hours"),
            "name": str(own_hours),
            "consequence": _("The budgets of the appointment's packages grow by these hours."),
            "cancel_url": reverse("schools:own-hours-edit", args=[own_hours.pk]),
            "back_url": detail_url(appointment_id),
            "back_label": _("IB appointment"),
        },
    )
