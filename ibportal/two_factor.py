"""Two-factor sign-in for local accounts: TOTP (an authenticator app) with recovery codes.

Built on django-otp: a confirmed ``TOTPDevice`` is the authenticator app, a ``StaticDevice``
holds the ten one-time recovery codes. Anyone can turn it on under Settings
(``/instellingen/tweestaps/``: a QR code drawn here as SVG, so no request leaves the portal,
and the secret as text). Board administrators must have it when
``TOTP_REQUIRED_FOR_BOARD_ADMINS`` is on (the default outside DEBUG).

At sign-in (``user_logged_in``) the session is marked with what the user still owes: "verify"
(they have TOTP: the code page) or "setup" (a board administrator without TOTP: the setup
page). Until then ``TwoFactorMiddleware`` lets that user reach only that page, logging out and
static files. A sign-in with the school's account owes nothing: the school's provider does its
own second factor. Marking at sign-in keeps every other request free of queries.
"""

from __future__ import annotations

import base64
import logging
from typing import Any
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from schools.models import SecurityEvent, get_scope
from schools.security_events import SSO_SESSION_KEY, record

logger = logging.getLogger(__name__)

OWED_KEY = "two_factor_owed"
SETUP_KEY_SESSION = "two_factor_setup_key"
RECOVERY_CODE_COUNT = 10


def required_for(user) -> bool:
    return settings.TOTP_REQUIRED_FOR_BOARD_ADMINS and bool(get_scope(user).admin_board_ids)


def totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is None:
        return
    session.pop(OWED_KEY, None)
    if session.get(SSO_SESSION_KEY):
        return
    if totp_device(user) is not None:
        session[OWED_KEY] = "verify"
    elif required_for(user):
        session[OWED_KEY] = "setup"


def code_owed(request: HttpRequest, user: Any) -> bool:
    """Whether a password sign-in still owes the authenticator app's code (the sign-in is
    recorded as a security event when the code is right: see ``verify``)."""
    return totp_device(user) is not None


class TwoFactorMiddleware:
    """Sends a user who owes a second factor to the code page or the setup page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        owed = request.session.get(OWED_KEY) if hasattr(request, "session") else None
        if owed and request.user.is_authenticated:
            target = reverse("two_factor_verify" if owed == "verify" else "two_factor_setup")
            allowed = (target, reverse("logout"), settings.STATIC_URL, "/" + settings.STATIC_URL)
            if not request.path_info.startswith(allowed):
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{target}?{query}")
        return self.get_response(request)


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def cleaned_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).lower()


def verify(request: HttpRequest) -> HttpResponse:
    """The second step of a sign-in: the authenticator app's code, or a recovery code."""
    if request.session.get(OWED_KEY) != "verify":
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_code())
        if device is not None:
            otp_login(request, device)
            request.session.pop(OWED_KEY, None)
            recovery = isinstance(device, StaticDevice)
            detail = "recovery_code" if recovery else "two_factor"
            record(request, SecurityEvent.Kind.LOGIN, detail=detail)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    _("You used a recovery code; %(left)s are left.") % {"left": left},
                )
            return redirect(_next_url(request))
        record(request, SecurityEvent.Kind.TWO_FACTOR_FAILED)
        form.add_error("code", _("This code is not right (or was already used). Try again."))
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "next": request.GET.get("next") or request.POST.get("next", "")},
    )


def qr_code_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode("ascii")


def new_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _pending_device(request: HttpRequest) -> TOTPDevice:
    """The TOTP device being set up: its key lives in the session until the first code."""
    key = request.session.get(SETUP_KEY_SESSION)
    if not key:
        key = random_hex(20)
        request.session[SETUP_KEY_SESSION] = key
    return TOTPDevice(user=request.user, name="authenticator", key=key, confirmed=False)


def _code_matches(device: TOTPDevice, code: str) -> bool:
    if not code.isdigit():
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return totp.verify(int(code), tolerance=device.tolerance)


def setup(request: HttpRequest) -> HttpResponse:
    """Settings: turn two-factor sign-in on (QR code, first code), new recovery codes, off."""
    user = request.user
    device = totp_device(user)
    required = required_for(user)
    form = CodeForm(request.POST or None)
    action = request.POST.get("action", "")
    context: dict[str, Any] = {"device": device, "required": required, "form": form}
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_code()
        if device is None and action == "enable":
            pending = _pending_device(request)
            if _code_matches(pending, code):
                TOTPDevice.objects.filter(user=user).delete()
                pending.confirmed = True
                pending.save()
                request.session.pop(SETUP_KEY_SESSION, None)
                otp_login(request, pending)
                request.session.pop(OWED_KEY, None)
                record(request, SecurityEvent.Kind.TWO_FACTOR_ON)
                return render(
                    request,
                    "registration/two_factor_codes.html",
                    {"codes": new_recovery_codes(user), "next": _next_url(request)},
                )
            form.add_error("code", _("This code is not right. Check the time on your phone."))
        elif device is not None and action in {"recovery", "disable"}:
            if device.verify_token(code):
                if action == "recovery":
                    return render(
                        request,
                        "registration/two_factor_codes.html",
                        {"codes": new_recovery_codes(user), "next": reverse("two_factor_setup")},
                    )
                if not required:
                    TOTPDevice.objects.filter(user=user).delete()
                    StaticDevice.objects.filter(user=user).delete()
                    record(request, SecurityEvent.Kind.TWO_FACTOR_OFF)
                    messages.success(request, _("Two-factor sign-in is off."))
                    return redirect("two_factor_setup")
            else:
                form.add_error("code", _("This code is not right. Try again."))
    if device is None:
        pending = _pending_device(request)
        secret = base64.b32encode(pending.bin_key).decode("ascii")
        context.update(
            qr_code=qr_code_data_uri(pending.config_url),
            secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            next=request.GET.get("next", ""),
        )
    else:
        context["recovery_left"] = sum(
            d.token_set.count() for d in StaticDevice.objects.filter(user=user)
        )
    status = 200
    if request.method == "POST" and form.errors:
        status = 400
    return render(request, "registration/two_factor_setup.html", context, status=status)
