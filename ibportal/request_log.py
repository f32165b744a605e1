"""The request's path and user id on every log line written while the request runs.

``RequestLogMiddleware`` (ibportal.middleware) stores them in a context variable;
``RequestContextFilter``, on the log handler (settings.LOGGING), copies them onto each record as
``request_path`` and ``user_id`` ("-" outside a request: the mail worker, commands). Only the
path, never the query string (it may hold a searched name), and only the user's id.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.signals import request_finished


@dataclass(frozen=True)
class RequestContext:
    path: str
    user_id: int | None


current: ContextVar[RequestContext | None] = ContextVar("ibportal_request", default=None)


def forget(**kwargs) -> None:
    """The request has finished (after Django logged a 4xx/5xx response with its path)."""
    current.set(None)


request_finished.connect(forget, dispatch_uid="ibportal.request_log.forget")


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        context = current.get()
        record.request_path = context.path if context else "-"
        record.user_id = context.user_id if context and context.user_id is not None else "-"
        return True
