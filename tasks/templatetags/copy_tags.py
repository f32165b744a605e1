"""Whether the partnership reads a package version (issue 14), for the package pages."""

from __future__ import annotations

from django import template

from ..models import Package, PackageStatus, PackageVersion
from ..packages import shares_with_partnership

register = template.Library()


@register.simple_tag
def partnership_copy(versions: list[PackageVersion], shown: PackageVersion, package: Package):
    """What the IB, the director and board staff are told about the partnership's copy.

    ``versions`` is the package's versions newest first (already loaded): the partnership reads
    the newest agreed one, if it was shared at agreement and the board still shares. Returns
    ``(state, copy_number)``; ``state`` is "" when there is nothing to say.
    """
    agreed = next((v for v in versions if v.status == PackageStatus.AGREED), None)
    reads = (
        agreed is not None and agreed.shared_with_partnership and shares_with_partnership(package)
    )
    if shown.status != PackageStatus.AGREED:
        return ("earlier" if reads and shown.pk == versions[0].pk else "", agreed and agreed.number)
    if shown.pk != agreed.pk:
        return ("superseded", agreed.number)
    if reads:
        return ("shared", agreed.number)
    if shown.shared_with_partnership:
        return ("stopped", agreed.number)
    return ("private", agreed.number)
