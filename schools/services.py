"""Work on appointments that spans several rows and must happen in one transaction."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.versioning import UNCHECKED, ExpectedVersion, claim_version

from .models import (
    ONE_FTE,
    Appointment,
    AppointmentShare,
    Membership,
    Role,
    School,
    SchoolFigures,
    SchoolYear,
    display_name,
    personnel_responsibility,
)


@dataclass(frozen=True)
class ShareInput:
    school: School
    fte: Decimal


def fte_display(value: Decimal) -> str:
    return number_format(value.normalize() if value == value.to_integral() else value, 2)


def peak_total_fte(
    *,
    own_fte: Decimal,
    start: datetime.date,
    end: datetime.date | None,
    others: Sequence[tuple[datetime.date, datetime.date | None, Decimal]],
) -> Decimal:
    """The highest total fte on any day of [start, end], counting the other appointments.

    Totals only rise on a start date, so checking our own start and every other start inside
    our period finds the peak even when the other appointments do not overlap each other.
    """
    points = {start} | {
        other_start
        for other_start, _other_end, _fte in others
        if other_start >= start and (end is None or other_start <= end)
    }
    peak = Decimal("0")
    for day in points:
        total = own_fte + sum(
            (fte for s, e, fte in others if s <= day and (e is None or e >= day)), Decimal("0")
        )
        peak = max(peak, total)
    return peak


def validate_ib_total(
    appointment: Appointment, *, own_total: Decimal, end: datetime.date | None
) -> None:
    """Raise when the IB would work more than 1 fte on some day from the start until ``end``."""
    others = (
        Appointment.objects.filter(ib_id=appointment.ib_id)
        .exclude(pk=appointment.pk)
        .overlapping(appointment.start_date, end)
        .annotate(total=Sum("shares__fte"))
        .values_list("start_date", "end_date", "total")
    )
    others = [(s, e, total or Decimal("0")) for s, e, total in others]
    peak = peak_total_fte(own_fte=own_total, start=appointment.start_date, end=end, others=others)
    if peak > ONE_FTE:
        raise ValidationError(
            _(
                "With this appointment the IB would work %(total)s fte at the same time, "
                "counting their other appointments in this period; the total may not exceed 1 fte."
            )
            % {"total": fte_display(peak)}
        )


def validate_shares(appointment: Appointment, shares: Sequence[ShareInput]) -> None:
    """Raise a ValidationError (by field) when the shares break a rule of the appointment."""
    if not shares:
        raise ValidationError(_("Give at least one school with a share of the appointment."))
    school_ids = [share.school.pk for share in shares]
    if len(school_ids) != len(set(school_ids)):
        raise ValidationError(_("Each school may appear only once in an appointment."))
    for share in shares:
        if share.school.board_id != appointment.board_id:
            raise ValidationError(
                _("%(school)s does not belong to %(board)s.")
                % {"school": share.school, "board": appointment.board}
            )
        if share.fte <= 0 or share.fte > ONE_FTE:
            raise ValidationError(_("A share is more than 0 and at most 1 fte."))

    own_total = sum((share.fte for share in shares), Decimal("0"))
    if own_total > ONE_FTE:
        raise ValidationError(
            _("Together the shares come to %(total)s fte; an appointment is at most 1 fte.")
            % {"total": fte_display(own_total)}
        )

    validate_ib_total(appointment, own_total=own_total, end=appointment.end_date)

    # Seed 000: the tie that needs the board's choice is between directors' formations (the
    # shares summed per director), not between schools.
    directors: dict[int, list] = {}
    memberships = Membership.objects.filter(
        role=Role.DIRECTOR, school_id__in=[share.school.pk for share in shares]
    ).select_related("user")
    for membership in memberships:
        directors.setdefault(membership.school_id, []).append(membership.user)
    outcome = personnel_responsibility(
        [(share.school, share.fte, directors.get(share.school.pk, [])) for share in shares],
        appointment.lead_school_id,
    )
    if outcome.to_choose:
        raise ValidationError(
            {
                "lead_school": _(
                    "%(directors)s lead an equally large part of this appointment. Choose the "
                    "leading school: its director is personnel-responsible."
                )
                % {"directors": formations_text(outcome.tied)}
            }
        )
    if outcome.status != "chosen":
        appointment.lead_school = None


def formations_text(formations) -> str:
    """'A (School 1, School 2: 0.40 fte); B (School 3: 0.40 fte)' for messages."""
    parts = []
    for row in formations:
        directors = ", ".join(display_name(user) for user in row.directors)
        schools = ", ".join(school.name for school in row.schools)
        parts.append(f"{directors} ({schools}: {fte_display(row.fte)} fte)")
    return "; ".join(parts)


@transaction.atomic
def appointment_save(
    *,
    appointment: Appointment,
    shares: Sequence[ShareInput],
    lock_version: ExpectedVersion = UNCHECKED,
) -> Appointment:
    """Create or update an appointment with its per-school shares, all rules checked.

    ``lock_version``: the version the user's form showed; ``StaleEdit`` when it has moved on.
    """
    claim_version(appointment if appointment.pk else None, lock_version)
    # Serialise saves for one IB so two concurrent appointments cannot both pass the 1 fte check.
    get_user_model().objects.select_for_update().filter(pk=appointment.ib_id).first()
    appointment.full_clean()
    validate_shares(appointment, shares)
    appointment.save()
    wanted = {share.school.pk: share.fte for share in shares}
    appointment.shares.exclude(school_id__in=wanted).delete()
    existing = {share.school_id: share for share in appointment.shares.all()}
    for school_id, fte in wanted.items():
        share = existing.get(school_id)
        if share is None:
            AppointmentShare.objects.create(appointment=appointment, school_id=school_id, fte=fte)
        elif share.fte != fte:
            share.fte = fte
            share.save(update_fields=["fte"])
    appointment.__dict__.pop("share_list", None)
    return appointment


@transaction.atomic
def appointment_end(*, appointment: Appointment, end_date: datetime.date) -> Appointment:
    """End an appointment on a date (the last day it counts).

    Only the rules an end date touches are checked: an appointment must stay endable after
    the board renamed its salary scales or the IB left the board. A later end date lengthens
    the appointment, so the IB's 1 fte total is checked again.
    """
    get_user_model().objects.select_for_update().filter(pk=appointment.ib_id).first()
    if end_date <= appointment.start_date:
        raise ValidationError({"end_date": _("The end date must be after the start date.")})
    own_total = appointment.shares.aggregate(total=Sum("fte"))["total"] or Decimal("0")
    validate_ib_total(appointment, own_total=own_total, end=end_date)
    appointment.end_date = end_date
    appointment.save(update_fields=["end_date", "updated_at"])
    return appointment


@transaction.atomic
def figures_save(
    *,
    school: School,
    start_year: int,
    pupils: int,
    groups: int,
    teachers: int | None = None,
    lock_version: ExpectedVersion = UNCHECKED,
) -> SchoolFigures:
    """Set a school's figures of a year; ``lock_version`` None: the form saw none yet.
    ``teachers`` None leaves the number unknown (hours per teacher are then estimated)."""
    current = SchoolFigures.objects.filter(
        school=school, school_year__start_year=start_year
    ).first()
    claim_version(current, lock_version)
    if current is not None:
        current.pupils, current.groups, current.teachers = pupils, groups, teachers
        current.save()
        return current
    school_year, _created = SchoolYear.objects.get_or_create(start_year=start_year)
    figures, _created = SchoolFigures.objects.update_or_create(
        school=school,
        school_year=school_year,
        defaults={"pupils": pupils, "groups": groups, "teachers": teachers},
    )
    return figures


@transaction.atomic
def school_save(
    *,
    school: School,
    directors: Sequence | None = None,
    lock_version: ExpectedVersion = UNCHECKED,
) -> School:
    """Save a school and, when given, set exactly these users as its directors."""
    claim_version(school if school.pk else None, lock_version)
    school.full_clean()
    school.save()
    if directors is not None:
        wanted = {user.pk for user in directors}
        school.memberships.filter(role=Role.DIRECTOR).exclude(user_id__in=wanted).delete()
        have = set(school.memberships.filter(role=Role.DIRECTOR).values_list("user_id", flat=True))
        bulk_create_with_history(
            [
                Membership(user_id=user_id, role=Role.DIRECTOR, school=school)
                for user_id in wanted - have
            ],
            Membership,
        )
    return school
