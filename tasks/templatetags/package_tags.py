"""Small template helpers for task packages."""

from django import template

from tasks.models import PackageStatus

register = template.Library()

BADGE_CLASSES = {
    PackageStatus.CONCEPT: "text-bg-secondary",
    PackageStatus.SUBMITTED: "text-bg-primary",
    PackageStatus.AGREED: "text-bg-success",
    PackageStatus.RETURNED: "text-bg-warning",
}


@register.inclusion_tag("tasks/_status_badge.html")
def status_badge(status: str) -> dict:
    """The status of a package version as a coloured badge with its (translated) name."""
    return {"label": PackageStatus(status).label, "css": BADGE_CLASSES[status]}
