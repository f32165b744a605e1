"""The realisation pages: per package and moment, the IB's sheet of realised hours and the
read-only view for the director and board staff (rules in ``tasks.realisation``).

In the style of ``package_views``: fetch through ``for_user`` (404 outside the scope), 403 for
a role that reads but does not record, bind the form, call the service, redirect.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.versioning import StaleEdit

from . import realisation as rs
from .forms import RealisationForm
from .models import Domain, Moment, Package, Realisation, RealisationLine
from .package_views import get_package


def realisation_url(package: Package, moment: str) -> str:
    return reverse("tasks:package-realisation", args=[package.pk, moment])


def get_moment(moment: str) -> str:
    if moment not in Moment.values:
        raise Http404(_("There is no such moment."))
    return moment


def sheet_context(
    request: HttpRequest, package: Package, moment: str, form: RealisationForm | None = None
) -> dict:
    """Everything the page shows; ``form`` is the user's refused POST, kept as typed."""
    versions = list(package.versions.all())
    agreed = rs.agreed_version(versions)
    reason = rs.closed_reason(package, moment, agreed, timezone.localdate())
    items = list(agreed.items.all()) if agreed else []
    realisations = {r.moment: r for r in Realisation.objects.filter(package=package)}
    lines = list(RealisationLine.objects.filter(realisation__package=package))
    by_moment: dict[int, dict[str, RealisationLine]] = {}
    for line in lines:
        by_moment.setdefault(line.realisation_id, {})[line.key] = line
    realisation = realisations.get(moment)
    here = by_moment.get(realisation.pk, {}) if realisation else {}
    other_moment = Moment.MID if moment == Moment.END else None
    other = realisations.get(other_moment) if other_moment else None
    earlier = by_moment.get(other.pk, {}) if other else {}
    saved = {
        item.pk: (here[item.key].hours, here[item.key].note) if item.key in here else (None, "")
        for item in items
    }
    if form is None:
        form = RealisationForm(
            items=items, saved=saved, version=realisation.lock_version if realisation else None
        )
    recording = not reason and rs.can_record(package, request.user)
    keys = {item.key for item in items}
    rows = form.rows()
    for row in rows:
        row.earlier = earlier.get(row.item.key)
    domains = list(Domain.objects.all())
    groups = [
        {"domain": domain, "rows": [row for row in rows if row.item.domain_id == domain.pk]}
        for domain in domains
    ]
    dates = rs.moment_dates(package)
    return {
        "package": package,
        "moment": moment,
        "moment_label": Moment(moment).label,
        "moment_date": dates[moment],
        "moments": [
            {"value": m, "label": Moment(m).label, "date": dates[m], "current": m == moment}
            for m in rs.MOMENTS
        ],
        "agreed": agreed,
        "closed_reason": reason,
        "recording": recording,
        "record_until": rs.record_until(package.school_year),
        "realisation": realisation,
        "form": form,
        "groups": [group for group in groups if group["rows"]],
        "gone": [line for key, line in here.items() if key not in keys],
        "earlier_label": Moment(other_moment).label if other_moment else "",
        "is_ib": rs.can_record(package, request.user),
    }


def package_realisation(request: HttpRequest, pk: int, moment: str) -> HttpResponse:
    package = get_package(request, pk)
    moment = get_moment(moment)
    return render(request, "tasks/realisation.html", sheet_context(request, package, moment))


@require_POST
def realisation_save(request: HttpRequest, pk: int, moment: str) -> HttpResponse:
    package = get_package(request, pk)
    moment = get_moment(moment)
    if not rs.can_record(package, request.user):
        raise PermissionDenied(_("Only the IB of this package records its realisation."))
    context = sheet_context(request, package, moment)
    items, saved = context["form"].items, context["form"].saved
    realisation = context["realisation"]
    form = RealisationForm(
        request.POST,
        items=items,
        saved=saved,
        version=realisation.lock_version if realisation else None,
    )
    status = 200
    if form.is_valid():
        by_pk = {item.pk: item for item in items}
        values = {
            by_pk[pk].key: rs.LineValues(hours=hours, note=note)
            for pk, (hours, note) in form.values.items()
        }
        keys = {item.key: item.pk for item in items}
        try:
            changed = rs.realisation_save(
                package=package,
                moment=moment,
                actor=request.user,
                lock_version=form.posted_version,
                values=values,
            )
        except StaleEdit:
            current = Realisation.objects.filter(package=package, moment=moment).first()
            form.renew_version(current.lock_version if current else None)
            # The rows compare the user's input with what is saved now.
            form.saved = sheet_context(request, package, moment)["form"].saved
            messages.error(
                request,
                _(
                    "Someone else saved this realisation in the meantime. Nothing of yours was "
                    "saved: your input is in the rows marked “not saved”, with the saved value "
                    "under it. Save again to replace the saved values with yours."
                ),
            )
            status = 409
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for key, errors in error.error_dict.items():
                    for message in ValidationError(errors).messages:
                        form.add_row_error(keys.get(key), message)
                form.add_error(None, _("Nothing has been saved: correct the tasks marked below."))
            else:
                form.add_error(None, error)
        else:
            if changed:
                messages.success(
                    request,
                    ngettext(
                        "The realisation of %(count)s task has been saved.",
                        "The realisation of %(count)s tasks has been saved.",
                        changed,
                    )
                    % {"count": changed},
                )
            else:
                messages.info(request, _("Nothing has changed, so nothing needed saving."))
            return redirect(realisation_url(package, moment))
    context = sheet_context(request, package, moment, form=form)
    return render(request, "tasks/realisation.html", context, status=status)
