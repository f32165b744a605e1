"""To-do items of task packages (see schools/todo.py).

- the IB: a package submitted to them;
- the director: per IB share at their schools, a package returned by the IB, over its budget,
  still a draft (or not made yet) once its school year has begun or is near;
- board staff: IB shares at the board's schools without an agreed package this school year.

Each provider costs a fixed number of queries, whatever the number of packages.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import DecimalField, Exists, OuterRef, Prefetch, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from schools.models import Appointment, AppointmentShare, Role, SchoolYear, Scope, display_name
from schools.todo import Item, provider

from .models import Package, PackageEvent, PackageItem, PackageStatus, PackageVersion

# A package is to be agreed before its school year starts (1 August: the werkverdelingsplan is
# set before the year). A draft of next year's package shows from this many days before.
DRAFT_NOTICE_DAYS = 61


def local_date(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(moment).date() if moment else None


def with_current_state(packages):
    """Each package with its newest version's status, dates, assigned hours and the hours over
    budget it was agreed with, and the time it was last returned: one query in all."""
    newest = PackageVersion.objects.filter(package=OuterRef("pk")).order_by("-number")
    assigned = (
        PackageItem.objects.filter(
            version__package=OuterRef("pk"), version__number=OuterRef("current_number")
        )
        .values("version__package")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    returned = PackageEvent.objects.filter(
        package=OuterRef("pk"), kind=PackageEvent.Kind.RETURNED
    ).order_by("-at")
    hours = DecimalField(max_digits=8, decimal_places=1)
    return packages.annotate(
        current_number=Subquery(newest.values("number")[:1]),
        current_status=Subquery(newest.values("status")[:1]),
        current_submitted_at=Subquery(newest.values("submitted_at")[:1]),
        current_agreed_over=Subquery(newest.values("agreed_over_budget_hours")[:1]),
        returned_at=Subquery(returned.values("at")[:1]),
    ).annotate(assigned_hours=Subquery(assigned, output_field=hours))


def package_subject(package: Package) -> str:
    return f"{package.share.school.name} · {display_name(package.share.appointment.ib)}"


def hours(value: Decimal) -> str:
    return number_format(value.normalize() if value == value.to_integral() else value, 1)


@provider(Role.IB)
def packages_to_review(user, scope: Scope, today: datetime.date) -> list[Item]:
    """Packages of this or a later school year submitted to the IB and not answered yet."""
    packages = with_current_state(
        Package.objects.for_scope(scope)
        .filter(share__appointment__ib_id=scope.user_id)
        .filter(school_year__start_year__gte=SchoolYear.start_year_for(today))
        .with_details()
    ).filter(current_status=PackageStatus.SUBMITTED)
    return [
        Item(
            kind="package-review",
            title=_("Review your task package"),
            subject=f"{package.share.school.name} · {package.school_year.name}",
            url=reverse("tasks:package-detail", args=[package.pk]),
            since=local_date(package.current_submitted_at),
            more_url=reverse("tasks:ib-packages"),
            rank=10,
        )
        for package in packages.order_by("current_submitted_at", "id")
    ]


# -- the director ---------------------------------------------------------------------------


def years_to_watch(today: datetime.date) -> list[SchoolYear]:
    """This school year, and the next one once its start is near."""
    current = SchoolYear(start_year=SchoolYear.start_year_for(today))
    following = SchoolYear(start_year=current.start_year + 1)
    near = following.start_date - datetime.timedelta(days=DRAFT_NOTICE_DAYS) <= today
    return [current, following] if near else [current]


def over_budget(package: Package) -> Decimal:
    """Hours over the budget that nobody agreed to: a draft's or a returned package's excess,
    or an agreed one's excess beyond what the IB accepted (the budget changed since)."""
    excess = (package.assigned_hours or Decimal("0")) - package.budget_hours
    if package.current_status == PackageStatus.AGREED:
        excess -= package.current_agreed_over or Decimal("0")
    elif package.current_status == PackageStatus.SUBMITTED:
        return Decimal("0")  # the IB is answering it; the submission said so
    return max(Decimal("0"), excess)


def director_package_item(
    share: AppointmentShare, year: SchoolYear, package: Package | None, today: datetime.date
) -> Item | None:
    """At most one item per share and year: returned, over budget, or not submitted yet."""
    overview = reverse("tasks:package-overview") + f"?jaar={year.start_year}"
    subject = f"{share.school.name} · {display_name(share.appointment.ib)} · {year.name}"
    if package is None:
        return Item(
            kind="package-missing",
            title=_("Draw up the task package"),
            subject=subject,
            url=overview,
            due=year.start_date,
            more_url=overview,
            rank=40,
        )
    url = reverse("tasks:package-detail", args=[package.pk])
    excess = over_budget(package)
    # A draft of a later version is a change to an agreed package: no deadline, that one stands.
    reopened = (package.current_number or 1) > 1
    first_draft = package.current_status == PackageStatus.CONCEPT and not reopened
    note = _("%(hours)s hours over the budget") % {"hours": hours(excess)} if excess else ""
    if package.current_status == PackageStatus.RETURNED:
        return Item(
            kind="package-returned",
            title=_("Rework the returned task package"),
            subject=subject,
            url=url,
            since=local_date(package.returned_at),
            note=note,
            more_url=overview,
            rank=10,
        )
    if excess:
        return Item(
            kind="package-over-budget",
            title=_("Bring the task package within its budget"),
            subject=subject,
            url=url,
            due=year.start_date if first_draft else None,
            note=note,
            more_url=overview,
            rank=20,
        )
    if package.current_status == PackageStatus.CONCEPT:
        return Item(
            kind="package-draft",
            title=_("Submit the task package to the IB"),
            subject=subject,
            url=url,
            due=year.start_date if first_draft else None,
            note=_("a change to the agreed package") if reopened else "",
            more_url=overview,
            rank=30,
        )
    return None


@provider(Role.DIRECTOR)
def director_packages(user, scope: Scope, today: datetime.date) -> list[Item]:
    """Per IB share at the director's schools and school year watched: what the package
    needs from the director. Two queries: the shares, their packages of those years."""
    years = years_to_watch(today)
    watched = Appointment.objects.overlapping(years[0].start_date, years[-1].end_date)
    shares = (
        AppointmentShare.objects.for_scope(scope)
        .filter(school_id__in=scope.director_school_ids)
        .filter(appointment__in=watched)
        .select_related("school__board", "appointment__ib")
        .prefetch_related(
            Prefetch(
                "packages",
                queryset=with_current_state(
                    Package.objects.filter(
                        school_year__start_year__in=[year.start_year for year in years]
                    ).select_related("school_year")
                ),
                to_attr="watched_packages",
            )
        )
        .order_by("school__name", "id")
    )
    items = []
    for share in shares:
        by_year = {package.school_year.start_year: package for package in share.watched_packages}
        for year in years:
            appointment = share.appointment
            if not appointment.start_date <= year.end_date or (
                appointment.end_date and appointment.end_date < year.start_date
            ):
                continue
            item = director_package_item(share, year, by_year.get(year.start_year), today)
            if item is not None:
                items.append(item)
    return items


# -- board staff ----------------------------------------------------------------------------


@provider(Role.BOARD_STAFF)
def shares_without_agreed_package(user, scope: Scope, today: datetime.date) -> list[Item]:
    """IB shares at the board's schools in this school year whose package was never agreed
    (a reopened package keeps its agreed version). One query."""
    year = SchoolYear(start_year=SchoolYear.start_year_for(today))
    packages = Package.objects.filter(share=OuterRef("pk"), school_year__start_year=year.start_year)
    agreed = PackageVersion.objects.filter(
        package__share=OuterRef("pk"),
        package__school_year__start_year=year.start_year,
        status=PackageStatus.AGREED,
    )
    shares = (
        AppointmentShare.objects.for_scope(scope)
        .filter(school__board_id__in=scope.staff_board_ids)
        .filter(appointment__in=Appointment.objects.overlapping(year.start_date, year.end_date))
        .filter(~Exists(agreed))
        .annotate(package_id=Subquery(packages.values("pk")[:1]))
        .select_related("school", "appointment__ib")
        .order_by("school__name", "id")
    )
    overview = reverse("tasks:package-overview") + f"?jaar={year.start_year}"
    return [
        Item(
            kind="package-not-agreed",
            title=_("No agreed task package"),
            subject=f"{share.school.name} · {display_name(share.appointment.ib)} · {year.name}",
            url=(
                reverse("tasks:package-detail", args=[share.package_id])
                if share.package_id
                else overview
            ),
            due=year.start_date,
            more_url=overview,
            rank=40,
        )
        for share in shares
    ]
