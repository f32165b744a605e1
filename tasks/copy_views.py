"""The partnership's copy of agreed task packages (issue 14; seed 001: each board sends the
partnership "een afschrift van het takenpakket").

Read-only pages for partnership staff, reached only through
``PackageVersion.objects.copies_for_user``: the newest agreed version of a package of a board
that shares with the partnership, agreed while it shared. Everyone else gets 404 here (they read
packages through the package pages, which stay closed to partnership staff). A copy shows tasks,
hours, domains and the tasks that concern the partnership; never the names of the IB or the
director, the director's notes, the IB's comments, earlier versions or drafts.
"""

from __future__ import annotations

from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from schools.models import SchoolYear, SecurityEvent, get_scope
from schools.security_events import record as record_security_event
from schools.views import selected_start_year, year_choices

from . import packages
from .models import Domain, PackageItem, PackageVersion
from .package_views import by_domain


def copies(request: HttpRequest) -> QuerySet[PackageVersion]:
    """The copies the user reads; 404 for anyone who is not partnership staff."""
    if not get_scope(request.user).is_partnership_staff:
        raise Http404(_("Only the partnership's staff read the partnership's copies."))
    # The appointment (not its IB: no name) for the IB's own hours in the budget.
    return PackageVersion.objects.copies_for_user(request.user).select_related(
        "package__share__school__board", "package__share__appointment", "package__school_year"
    )


def copy_list(request: HttpRequest) -> HttpResponse:
    """The copies of one school year, by board and school."""
    start_year = selected_start_year(request)
    hours = (
        PackageItem.objects.filter(version=OuterRef("pk"))
        .values("version")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    partnership_hours = hours.filter(concerns_partnership=True)
    rows = list(
        copies(request)
        .filter(package__school_year__start_year=start_year)
        .annotate(
            assigned_hours=Subquery(hours, output_field=DecimalField()),
            partnership_hours=Subquery(partnership_hours, output_field=DecimalField()),
        )
        .order_by("package__share__school__board__name", "package__share__school__name", "pk")
    )
    return render(
        request,
        "tasks/copy_list.html",
        {
            "rows": rows,
            "start_year": start_year,
            "school_year_name": SchoolYear(start_year=start_year).name,
            "years": year_choices(start_year),
        },
    )


def copy_context(request: HttpRequest, pk: int) -> dict:
    """One package's copy (by the package's id): its agreed version, tasks and budget."""
    version = get_object_or_404(copies(request), package_id=pk)
    package = version.package
    items = list(version.items.all())
    domains = list(Domain.objects.all())
    summary = packages.summarize(package, items, domains)
    return {
        "package": package,
        "shown": version,
        "items": items,
        "summary": summary,
        "groups": by_domain(items, summary),
        "partnership_items": [item for item in items if item.concerns_partnership],
    }


def copy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "tasks/copy_detail.html", copy_context(request, pk))


def copy_letter(request: HttpRequest, pk: int) -> HttpResponse:
    context = copy_context(request, pk)
    record_security_event(request, SecurityEvent.Kind.EXPORT, detail=f"copy_letter:{pk}")
    return render(request, "tasks/copy_letter.html", context)
