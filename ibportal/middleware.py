import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

from . import request_log


class LanguageMiddleware:
    """Dutch unless the user chose another language with the language switch.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: school
    computers are often set up in English, and the portal's working language is Dutch.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


security_logger = logging.getLogger("ibportal.security")


class RequestLogMiddleware:
    """Put the request's path and user id on every log line of the request (request_log).

    After AuthenticationMiddleware. The values stay until the request has finished, so
    Django's own "Not Found" or "Internal Server Error" line, written after the middleware
    returned, carries them too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        request_log.current.set(request_log.RequestContext(path=request.path, user_id=user_id))
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages for a logged-in user hold personal data: no browser or proxy may keep a copy.

    School computers are shared; the back button after logging out must not show the pages.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class DenialLoggingMiddleware:
    """Log a refused (403) or hidden (404) page for a logged-in user, with user id and path."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if response.status_code in (403, 404) and user is not None and user.is_authenticated:
            # The user by id only: no names or addresses in the log.
            security_logger.warning(
                "Access denied (%s) for user %s: %s %s",
                response.status_code,
                user.pk,
                request.method,
                request.path,
                extra={"path": request.path, "status_code": response.status_code},
            )
        return response


class HtmxMessagesMiddleware:
    """An htmx response that swaps part of a page also replaces the page's messages.

    Without it, the message of the previous full page ("… has been added") stays on screen
    after an in-place action, and a message added during an htmx request would wait in the
    session until some later page. The swap (out of band, in a ``<template>`` so that it also
    rides along with table rows) shows this request's messages and removes the old ones. A
    response that makes the browser load another page leaves the messages for that page.
    """

    RELOADS = ("HX-Refresh", "HX-Redirect", "HX-Location")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            getattr(request, "htmx", False)
            and response.status_code == 200
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and not any(header in response for header in self.RELOADS)
        ):
            context = {"messages": get_messages(request), "oob": True}
            swap = render_to_string("_messages.html", context)
            response.content += swap.encode()
        return response
