"""Excel exports of what boards keep in Excel today (issue 15): the appointments overview.

Scoped exactly like the page it comes from (``Appointment.objects.for_user``, the current
appointments unless ``?alle=1`` or ``?jaar=``: ``views.AppointmentSelection``), one row per
share (school) of an appointment, in a fixed number of queries. Each download is recorded as
a security event.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.exports import table_response
from core.names import surname_order

from .models import Appointment, SecurityEvent
from .security_events import record as record_security_event
from .views import AppointmentSelection


@require_GET
def appointment_export(request: HttpRequest, fmt: str) -> HttpResponse:
    selection = AppointmentSelection.of(request)
    appointments = selection.apply(Appointment.objects.for_user(request.user).with_details())
    appointments = appointments.order_by(*surname_order("ib__"), "start_date")
    header = [
        _("IB'er"),
        _("Board"),
        _("School"),
        _("BRIN and location"),
        _("Fte at this school"),
        _("Fte in total"),
        _("Start date"),
        _("End date"),
    ]
    kinds = ["text", "text", "text", "text", "fte", "fte", "date", "date"]
    body = []
    for appointment in appointments:
        name = appointment.ib.get_full_name() or appointment.ib.get_username()
        for share in appointment.shares.all():
            body.append(
                [
                    name,
                    appointment.board.name,
                    share.school.name,
                    share.school.code,
                    share.fte,
                    appointment.total_fte,
                    appointment.start_date,
                    appointment.end_date,
                ]
            )
    filename = f"aanstellingen-{timezone.localdate():%Y-%m-%d}"
    response = table_response(fmt, filename, header, body, kinds, sheet_title=_("Appointments"))
    record_security_event(request, SecurityEvent.Kind.EXPORT, detail=f"{filename}.{fmt}")
    return response
