"""Password-reset mails, limited per e-mail address and per client, like the login.

The page answers the same whether or not the address belongs to an account, and whether or
not that address has had its allowance: a request over the per-address limit is told that a
link is on its way, just like any other, and no mail is sent. Only a client that sent too many
requests altogether (whatever the addresses) is told so, which says nothing about accounts.

The counts are kept in the "throttle" cache (a database table shared by every worker). Logs
name neither the address nor the client: only a keyed hash prefix, enough to see that one
target is hammered, useless for finding out who it is.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.views import PasswordResetView
from django.core.cache import caches
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.crypto import salted_hmac
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _

from .security import client_ip

log = logging.getLogger("ibportal.security")


def pseudonym(kind: str, value: str) -> str:
    """A keyed hash of an address: the same for the same value, unreadable without the key."""
    return salted_hmac("ibportal.password-reset", f"{kind}:{value}").hexdigest()


def take(kind: str, value: str, limit: int) -> bool:
    """Count one request against ``limit`` per window; False when the limit is reached.

    A fixed window from the first request (count and window end stored together: the cache's
    own ``incr`` would reset the expiry). Two workers counting at the same moment may both
    pass, which lets at most one extra request through; nothing is ever lost the other way.
    """
    cache = caches["throttle"]
    window = settings.PASSWORD_RESET_WINDOW.total_seconds()
    key = f"password-reset:{kind}:{pseudonym(kind, value)}"
    now = time.time()
    count, until = cache.get(key, (0, now + window))
    if until <= now:
        count, until = 0, now + window
    if count >= limit:
        return False
    cache.set(key, (count + 1, until), timeout=max(1, int(until - now) + 1))
    return True


@method_decorator(login_not_required, name="dispatch")
class ThrottledPasswordResetView(PasswordResetView):
    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        client = client_ip(self.request)
        if not take("client", client, settings.PASSWORD_RESET_LIMIT_PER_CLIENT):
            log.warning(
                "password reset refused: too many requests from client %s",
                pseudonym("client", client)[:8],
            )
            form.add_error(None, _("Too many requests; please try again later."))
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        address = form.cleaned_data["email"].strip().lower()
        if not take("address", address, settings.PASSWORD_RESET_LIMIT_PER_ADDRESS):
            # Answered as usual: whether this address has an account stays unknown.
            log.warning(
                "password reset mail not sent: too many requests for address %s",
                pseudonym("address", address)[:8],
            )
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
