"""Excel exports of what boards keep in Excel today (issue 15): every package of a school
year (one row per task) and the board's catalogue.

Scoped like the pages they come from: the packages overview (the user's shares at the user's
schools, the packages the user may see) and the catalogue (a board whose policy the user
sees, the same filters). A fixed number of queries whatever the number of rows; each
download is recorded as a security event.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.exports import table_response
from core.names import surname_order
from schools.models import (
    Appointment,
    AppointmentShare,
    School,
    SchoolYear,
    SecurityEvent,
    policy_boards,
)
from schools.security_events import record as record_security_event
from schools.views import selected_start_year

from .forms import CatalogueFilterForm
from .models import CatalogueTask, Package, PackageItem, PackageStatus
from .views import filter_catalogue


def yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


@require_GET
def package_export(request: HttpRequest, fmt: str) -> HttpResponse:
    start_year = selected_start_year(request)
    year = SchoolYear(start_year=start_year)
    shares = AppointmentShare.objects.for_user(request.user).filter(
        school__in=School.objects.for_user(request.user),
        appointment__in=Appointment.objects.overlapping(year.start_date, year.end_date),
    )
    packages = list(
        Package.objects.for_user(request.user)
        .filter(share__in=shares, school_year__start_year=start_year)
        .with_current_state()
        .select_related("share__school", "share__appointment__ib")
        .prefetch_related(
            Prefetch(
                "versions__items",
                queryset=PackageItem.objects.select_related("domain").order_by(
                    "domain__order", "title"
                ),
            )
        )
        .order_by("share__school__name", *surname_order("share__appointment__ib__"))
    )
    header = [
        _("School"),
        _("BRIN and location"),
        _("IB'er"),
        _("Domain"),
        _("Task"),
        _("IB task"),
        _("Hours"),
        _("Status"),
        _("Version"),
    ]
    kinds = ["text", "text", "text", "text", "text", "text", "one", "text", "int"]
    body = []
    for package in packages:
        school, ib = package.share.school, package.share.appointment.ib
        status = PackageStatus(package.current_status).label if package.current_status else ""
        current = [v for v in package.versions.all() if v.number == package.current_number]
        for item in current[0].items.all() if current else []:
            body.append(
                [
                    school.name,
                    school.code,
                    ib.get_full_name() or ib.get_username(),
                    item.domain.name if item.domain_id else "",
                    item.title,
                    yes_no(item.is_ib_task),
                    item.hours,
                    status,
                    package.current_number,
                ]
            )
    filename = f"takenpakketten-{year.name}"
    response = table_response(fmt, filename, header, body, kinds, sheet_title=_("Task packages"))
    record_security_event(request, SecurityEvent.Kind.EXPORT, detail=f"{filename}.{fmt}")
    return response


@require_GET
def catalogue_export(request: HttpRequest, board_pk: int, fmt: str) -> HttpResponse:
    board = get_object_or_404(policy_boards(request.user), pk=board_pk)
    tasks = (
        CatalogueTask.objects.for_user(request.user).filter(board=board).select_related("domain")
    )
    filters = CatalogueFilterForm(request.GET or None)
    tasks = filter_catalogue(tasks, filters)
    if not (filters.is_valid() and filters.cleaned_data["inactief"]):
        tasks = tasks.filter(is_active=True)
    header = [
        _("Domain"),
        _("Task"),
        _("Hours"),
        _("Unit"),
        _("IB task"),
        _("Concerns the partnership"),
        _("Active"),
        _("Source"),
    ]
    kinds = ["text", "text", "one", "text", "text", "text", "text", "text"]
    body = [
        [
            task.domain.name,
            task.title,
            task.default_hours,
            task.get_unit_display(),
            yes_no(task.is_ib_task),
            yes_no(task.concerns_partnership),
            yes_no(task.is_active),
            task.source,
        ]
        for task in tasks.order_by("domain__order", "title")
    ]
    filename = f"catalogus-{slugify(board.name)}"
    response = table_response(fmt, filename, header, body, kinds, sheet_title=_("Catalogue"))
    record_security_event(request, SecurityEvent.Kind.EXPORT, detail=f"{filename}.{fmt}")
    return response
