"""Sign-in with the school's account: OpenID Connect, configured per board.

A board administrator enters the board's provider in the management site (``SingleSignOn``:
Microsoft Entra ID, Google Workspace or any OpenID Connect provider: issuer, client ID,
secret). The login page shows a button per enabled configuration. The flow is the
authorization code flow with PKCE (S256), ``state`` and ``nonce``, built on
mozilla-django-oidc: its request view (state, nonce and code verifier kept in the session) and
its backend (token request, the provider's keys, the signature). On top of it, per board and
not from settings: the endpoints from the provider's discovery document, and the ID token's
audience (our client ID, ``azp`` when there are several), issuer, expiry and issue time
checked. Every refusal shows one Dutch page naming the reason, and signs nobody in.

Refusals are throttled like wrong passwords, by django-axes itself: each one is a failed login
for axes (``user_login_failed`` with the request) under the fixed name ``SSO_ATTEMPT_USERNAME``,
so ``AXES_FAILURE_LIMIT`` refusals from one address lock the sign-in with the school account
out for that address for ``AXES_COOLOFF_TIME``; a successful sign-in resets them (and, through
``user_logged_in``, the user's own failed passwords, as a password login does).

The user is matched by a *verified* e-mail address (``email_verified``; Microsoft Entra ID's
``xms_edov``) to exactly one existing, active account of the provider's board (a board role or
the director of one of its schools). The sign-in never creates an account or a role, and never
signs in someone of another board. Sign-ins and refusals are security events.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import requests
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import auth
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from core.encryption import InvalidToken
from schools.models import Membership, SecurityEvent, SingleSignOn
from schools.security_events import SSO_ATTEMPT_USERNAME, SSO_SESSION_KEY, record

logger = logging.getLogger(__name__)

# The session's map from a sign-in's ``state`` to the configuration it was started for.
PENDING_KEY = "sso_pending"
CALLBACK_URL_NAME = "sso_callback"
DISCOVERY_CACHE_SECONDS = 3600
# A sign-in started longer ago than this is refused on its return (the "state" is stale).
STATE_MAX_AGE_SECONDS = 15 * 60

REASONS: dict[str, Any] = {
    "state": _(
        "This sign-in was not started on this page, or it was already used. Start again from "
        "the login page."
    ),
    "provider_error": _(
        "The school account's sign-in page did not sign you in (it answered with an error or "
        "was cancelled)."
    ),
    "unavailable": _(
        "The school account's sign-in cannot be reached at the moment. Try again later, or "
        "sign in with your password if your board allows it."
    ),
    "audience": _(
        "The answer of the school account was meant for another application (its audience is "
        "not IB-portaal). Ask your board's IT partner to check the client ID."
    ),
    "expired": _(
        "The answer of the school account has expired. Start again from the login page; if "
        "this keeps happening, the clock of the portal or of the provider is off."
    ),
    "issuer": _(
        "The answer of the school account came from another provider than the one your board "
        "set up. Ask your board's IT partner to check the issuer."
    ),
    "token": _(
        "The answer of the school account could not be checked (signature, nonce or content)."
    ),
    "unverified_email": _(
        "Your school account gave no verified e-mail address, so IB-portaal cannot tell which "
        "account is yours. Ask your board's IT partner."
    ),
    "unknown_email": _(
        "IB-portaal has no active account of %(board)s with the e-mail address of your school "
        "account (%(email)s). Signing in with the school account never creates an account: "
        "ask your board's administrator to add you."
    ),
    "ambiguous": _(
        "More than one account in IB-portaal has the e-mail address of your school account "
        "(%(email)s). Ask your board's administrator to correct this."
    ),
    "secret": _(
        "The sign-in with the school account of %(board)s cannot be used at the moment: its "
        "client secret cannot be read. Ask your board's administrator to enter it again."
    ),
}
# Refusals that are no one's attempt: the provider or the configuration is out of order.
NOT_COUNTED = {"unavailable", "secret"}
# django-axes' credentials for the sign-ins with the school account (see the module's text).
SSO_CREDENTIALS = {"username": SSO_ATTEMPT_USERNAME}


class SignInRefused(Exception):
    def __init__(self, reason: str, *, user: Any = None, email: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.user = user
        self.email = email


class SchoolAccountBackend(ModelBackend):
    """Loads a user signed in with the school's account; ``authenticate`` refuses everything
    (the callback below signs the matched user in itself, and no password is ever checked)."""

    def authenticate(self, request, **credentials):
        return None


# ---------------------------------------------------------------------------------------------
# Who may sign in
# ---------------------------------------------------------------------------------------------


def board_members(board_id: int) -> Q:
    """The users with a role at the board: a board role or the director of one of its schools."""
    members = Membership.objects.filter(Q(board_id=board_id) | Q(school__board_id=board_id))
    return Q(id__in=members.values("user_id"))


def email_is_verified(claims: dict) -> bool:
    def true(value: Any) -> bool:
        return value is True or str(value).lower() in {"true", "1"}

    return true(claims.get("email_verified")) or true(claims.get("xms_edov"))


def match_user(provider: SingleSignOn, claims: dict):
    """The one active account of the provider's board with the claims' verified e-mail."""
    email = str(claims.get("email") or "").strip()
    if not email or not email_is_verified(claims):
        raise SignInRefused("unverified_email", email=email)
    users = list(get_user_model()._default_manager.filter(email__iexact=email, is_active=True))
    if len(users) > 1:
        raise SignInRefused("ambiguous", email=email)
    if not users:
        raise SignInRefused("unknown_email", email=email)
    user = users[0]
    if (
        not get_user_model()
        ._default_manager.filter(board_members(provider.board_id))
        .filter(pk=user.pk)
    ):
        # The same page as for an unknown address: a board's provider learns nothing about the
        # accounts of other boards.
        raise SignInRefused("unknown_email", user=user, email=email)
    return user


def sso_required_for(user) -> bool:
    """Whether the user may not sign in with a password (a board of theirs requires SSO)."""
    if user.is_superuser:
        return False
    return SingleSignOn.objects.required_for(user).exists()


# ---------------------------------------------------------------------------------------------
# The provider
# ---------------------------------------------------------------------------------------------


def discover(provider: SingleSignOn) -> dict:
    """The provider's discovery document (cached an hour); its issuer must be the one set up."""
    key = f"sso-discovery:{provider.pk}:{provider.discovery_url}"
    config = cache.get(key)
    if config is None:
        try:
            response = requests.get(provider.discovery_url, timeout=settings.SSO_TIMEOUT)
            response.raise_for_status()
            config = response.json()
        except (requests.RequestException, ValueError) as exc:
            logger.warning("SSO discovery failed for configuration %s: %s", provider.pk, exc)
            raise SignInRefused("unavailable") from exc
        needed = {"issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"}
        if not isinstance(config, dict) or not needed <= config.keys():
            logger.warning("SSO discovery of configuration %s lacks endpoints", provider.pk)
            raise SignInRefused("unavailable")
        cache.set(key, config, DISCOVERY_CACHE_SECONDS)
    if str(config["issuer"]).rstrip("/") != provider.issuer.rstrip("/"):
        logger.warning("SSO configuration %s: discovery names another issuer", provider.pk)
        raise SignInRefused("issuer")
    return config


def _settings_for(overrides: dict):
    def get_settings(attr: str, *default: Any) -> Any:
        if attr in overrides:
            return overrides[attr]
        if default:
            return default[0]
        raise AttributeError(attr)

    return get_settings


COMMON = {
    "OIDC_AUTHENTICATION_CALLBACK_URL": CALLBACK_URL_NAME,
    "OIDC_RP_SCOPES": "openid email profile",
    "OIDC_USE_NONCE": True,
    "OIDC_USE_PKCE": True,
    "OIDC_PKCE_CODE_CHALLENGE_METHOD": "S256",
    "OIDC_PKCE_CODE_VERIFIER_SIZE": 64,
    "OIDC_VERIFY_SSL": True,
    "OIDC_ALLOW_UNSECURED_JWT": False,
    "OIDC_TOKEN_USE_BASIC_AUTH": False,
    "OIDC_STORE_ACCESS_TOKEN": False,
    "OIDC_STORE_ID_TOKEN": False,
    "OIDC_CREATE_USER": False,
}


class BoardRequestView(OIDCAuthenticationRequestView):
    """mozilla-django-oidc's request view with one board's endpoints instead of settings."""

    def __init__(self, provider: SingleSignOn, config: dict) -> None:
        View.__init__(self)
        self.OIDC_OP_AUTH_ENDPOINT = config["authorization_endpoint"]
        self.OIDC_RP_CLIENT_ID = provider.client_id
        extra = {"prompt": "select_account"} if provider.kind != SingleSignOn.Kind.OIDC else {}
        self.get_settings = _settings_for({**COMMON, "OIDC_AUTH_REQUEST_EXTRA_PARAMS": extra})


class BoardTokenClient(OIDCAuthenticationBackend):
    """mozilla-django-oidc's token exchange and signature check for one board, with the
    claims it leaves out checked as well: audience, authorized party, issuer, expiry."""

    LEEWAY_SECONDS = 60

    def __init__(self, provider: SingleSignOn, config: dict) -> None:
        self.provider = provider
        self.issuer = str(config["issuer"])
        self.OIDC_OP_TOKEN_ENDPOINT = config["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = config.get("userinfo_endpoint")
        self.OIDC_OP_JWKS_ENDPOINT = config["jwks_uri"]
        self.OIDC_RP_CLIENT_ID = provider.client_id
        try:
            self.OIDC_RP_CLIENT_SECRET = provider.client_secret
        except InvalidToken:
            logger.error("SSO configuration %s: client secret cannot be decrypted", provider.pk)
            raise SignInRefused("secret") from None
        self.OIDC_RP_SIGN_ALGO = "RS256"
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.UserModel = get_user_model()
        self.get_settings = _settings_for({**COMMON, "OIDC_TIMEOUT": settings.SSO_TIMEOUT})

    def _verify_jws(self, payload, key):
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("unexpected signing algorithm")
        claims = jwt.decode(
            payload,
            key,
            algorithms=[self.OIDC_RP_SIGN_ALGO],
            audience=self.OIDC_RP_CLIENT_ID,
            issuer=self.issuer,
            leeway=self.LEEWAY_SECONDS,
            options={"require": ["iss", "sub", "aud", "exp", "iat"]},
        )
        audience = claims["aud"]
        several = isinstance(audience, list) and len(audience) > 1
        if several and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise jwt.InvalidAudienceError("azp is not our client")
        return claims

    def sign_in(self, request: HttpRequest, *, code: str, nonce: str, code_verifier: str | None):
        """The user for the authorization code, or SignInRefused."""
        self.request = request
        payload = {
            "client_id": self.OIDC_RP_CLIENT_ID,
            "client_secret": self.OIDC_RP_CLIENT_SECRET,
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": request.build_absolute_uri(_callback_path()),
        }
        if code_verifier:
            payload["code_verifier"] = code_verifier
        try:
            tokens = self.get_token(payload)
            id_token = tokens.get("id_token")
            if not id_token:
                raise SignInRefused("token")
            claims = self.verify_token(id_token, nonce=nonce)
            if "email" not in claims and self.OIDC_OP_USER_ENDPOINT:
                extra = self.get_userinfo(tokens.get("access_token"), id_token, claims)
                if extra.get("sub") == claims.get("sub"):
                    claims = {**extra, **claims}
        except jwt.ExpiredSignatureError as exc:
            raise SignInRefused("expired") from exc
        except jwt.ImmatureSignatureError as exc:
            raise SignInRefused("expired") from exc
        except jwt.InvalidAudienceError as exc:
            raise SignInRefused("audience") from exc
        except jwt.InvalidIssuerError as exc:
            raise SignInRefused("issuer") from exc
        except (jwt.InvalidTokenError, SuspiciousOperation, KeyError, ValueError) as exc:
            logger.warning("SSO token refused for configuration %s: %s", self.provider.pk, exc)
            raise SignInRefused("token") from exc
        except requests.RequestException as exc:
            logger.warning("SSO token request failed for configuration %s", self.provider.pk)
            raise SignInRefused("unavailable") from exc
        return match_user(self.provider, claims)


def _callback_path() -> str:
    from django.urls import reverse

    return reverse(CALLBACK_URL_NAME)


# ---------------------------------------------------------------------------------------------
# Views
# ---------------------------------------------------------------------------------------------


def refused(
    request: HttpRequest,
    reason: str,
    provider: SingleSignOn | None = None,
    *,
    user: Any = None,
    email: str = "",
) -> HttpResponse:
    board = provider.board.name if provider else ""
    record(request, SecurityEvent.Kind.LOGIN_FAILED, user=user, detail=f"sso_refused:{reason}")
    locked_minutes = None
    if reason not in NOT_COUNTED:
        user_login_failed.send(sender=__name__, credentials=SSO_CREDENTIALS, request=request)
        if getattr(request, "axes_locked_out", False):
            # This refusal was the last one allowed: the page says so itself, instead of the
            # password lockout page that AxesMiddleware would put in its place.
            request.axes_locked_out = False
            locked_minutes = cool_off_minutes(request)
    message = REASONS.get(reason, REASONS["token"]) % {"board": board, "email": email}
    status = 503 if reason == "unavailable" else 403
    return render(
        request,
        "registration/sso_refused.html",
        {
            "message": message,
            "reason": reason,
            "provider": provider,
            "locked_minutes": locked_minutes,
        },
        status=status,
    )


def locked_out(request: HttpRequest) -> HttpResponse:
    """django-axes' lockout, for the address: too many refused sign-ins from it."""
    record(request, SecurityEvent.Kind.LOGIN_FAILED, detail="sso_refused:locked_out")
    return render(
        request,
        "registration/sso_locked_out.html",
        {"minutes": cool_off_minutes(request)},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def cool_off_minutes(request: HttpRequest) -> int:
    cool_off = get_cool_off(request)
    return max(1, int(cool_off.total_seconds() // 60)) if cool_off else 0


@login_not_required
def sso_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Sends the browser to the board's provider (state, nonce and PKCE kept in the session)."""
    provider = get_object_or_404(SingleSignOn.objects.enabled().select_related("board"), pk=pk)
    if not AxesProxyHandler.is_allowed(request, SSO_CREDENTIALS):
        return locked_out(request)
    try:
        config = discover(provider)
    except SignInRefused as exc:
        return refused(request, exc.reason, provider)
    response = BoardRequestView(provider, config).get(request)
    state = parse_qs(urlsplit(response["Location"]).query)["state"][0]
    pending = request.session.get(PENDING_KEY, {})
    pending[state] = provider.pk
    # As many as the library keeps states for (it drops the oldest beyond 50).
    request.session[PENDING_KEY] = dict(list(pending.items())[-50:])
    return response


@login_not_required
def sso_callback(request: HttpRequest) -> HttpResponse:
    """The provider sends the browser back here with a code (or an error)."""
    if not AxesProxyHandler.is_allowed(request, SSO_CREDENTIALS):
        return locked_out(request)
    state = request.GET.get("state", "")
    states = request.session.get("oidc_states", {})
    pending = request.session.get(PENDING_KEY, {})
    entry = states.pop(state, None) if state else None
    provider_pk = pending.pop(state, None) if state else None
    # Used once, whatever happens next.
    request.session["oidc_states"] = states
    request.session[PENDING_KEY] = pending
    provider = (
        SingleSignOn.objects.enabled().select_related("board").filter(pk=provider_pk).first()
        if provider_pk
        else None
    )
    if entry is None or provider is None:
        return refused(request, "state")
    if time.time() - float(entry.get("added_on") or 0) > STATE_MAX_AGE_SECONDS:
        return refused(request, "state", provider)
    if request.GET.get("error") or not request.GET.get("code"):
        return refused(request, "provider_error", provider)
    try:
        config = discover(provider)
        user = BoardTokenClient(provider, config).sign_in(
            request,
            code=request.GET["code"],
            nonce=entry.get("nonce"),
            code_verifier=entry.get("code_verifier"),
        )
    except SignInRefused as exc:
        return refused(request, exc.reason, provider, user=exc.user, email=exc.email)
    next_url = request.session.get("oidc_login_next")
    if request.user.is_authenticated:
        auth.logout(request)
    # Set before the login: the login's security event and the second-factor check read it.
    request.session[SSO_SESSION_KEY] = provider.pk
    auth.login(request, user, backend=f"{__name__}.SchoolAccountBackend")
    # The address's refused sign-ins, as django-axes resets a user's after a password login.
    if settings.AXES_RESET_ON_SUCCESS and request.axes_ip_address:
        AxesProxyHandler.reset_attempts(
            ip_address=request.axes_ip_address, username=SSO_ATTEMPT_USERNAME
        )
    return redirect(next_url or settings.LOGIN_REDIRECT_URL)


SSO_REQUIRED_MESSAGE = _(
    "Your board requires you to sign in with your school account: use the button "
    "“%(button)s” below."
)


def refuse_password_if_sso_required(request: HttpRequest | None, user) -> None:
    """Raises the login form's error when a board of the user requires its school account."""
    if not sso_required_for(user):
        return
    provider = SingleSignOn.objects.required_for(user).select_related("board").first()
    record(
        request,
        SecurityEvent.Kind.LOGIN_FAILED,
        user=user,
        detail="sso_required",
    )
    raise ValidationError(
        SSO_REQUIRED_MESSAGE, code="sso_required", params={"button": provider.button_text}
    )


class PortalAuthenticationForm(AuthenticationForm):
    """The password sign-in, refused for the users of a board that requires its school account."""

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        refuse_password_if_sso_required(self.request, user)


class PortalAdminAuthenticationForm(AdminAuthenticationForm):
    """The management site's own login form, with the same refusal."""

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        refuse_password_if_sso_required(self.request, user)


class PortalLoginView(LoginView):
    """Django's login view with the password form above and the boards' buttons below."""

    form_class = PortalAuthenticationForm

    def get_context_data(self, **kwargs: Any) -> dict:
        context = super().get_context_data(**kwargs)
        context["school_accounts"] = list(
            SingleSignOn.objects.enabled().select_related("board").order_by("board__name", "id")
        )
        return context
