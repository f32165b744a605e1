"""Small template helpers for task packages."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from tasks.models import PackageStatus

register = template.Library()

BADGE_CLASSES = {
    PackageStatus.CONCEPT: "text-bg-secondary",
    PackageStatus.SUBMITTED: "text-bg-primary",
    PackageStatus.AGREED: "text-bg-success",
    PackageStatus.RETURNED: "text-bg-warning",
}


@register.simple_tag
def status_badge(status: str) -> SafeString:
    """The status of a package version as a coloured badge with its (translated) name.

    Written out here rather than by an included template: comparisons show one per school.
    """
    return format_html(
        '<span class="badge {}">{}</span>', BADGE_CLASSES[status], PackageStatus(status).label
    )
