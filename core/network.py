"""The client's address for login throttling, behind a known number of reverse proxies."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or with ``TRUSTED_PROXY_COUNT = n`` the address the outermost proxy saw.

    Each proxy appends the address it received the request from to X-Forwarded-For, so the
    client's address is the n-th entry from the right. Entries further left came from the
    client itself and are not trusted. A request that did not pass all n proxies (too few
    entries) falls back to REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if len(hops) < count:
        return remote
    return hops[-count]
