"""Log lines: time, level, logger, request path and user id; no personal data beyond ids.

The lines are read from the configured console handler itself (settings.LOGGING), so the
format and the request filter are tested as production writes them.
"""

from __future__ import annotations

import ast
import io
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.urls import reverse

from ibportal.request_log import RequestContextFilter

ROOT = Path(__file__).resolve().parent.parent
LINE = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} (?P<level>[A-Z]+) (?P<logger>\S+) "
    r"path=(?P<path>\S+) user=(?P<user>\S+) (?P<message>.*)$"
)


@contextmanager
def log_output() -> Iterator[io.StringIO]:
    """What the console handler writes meanwhile."""
    (handler,) = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RequestContextFilter) for f in h.filters)
    ]
    stream = io.StringIO()
    old = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(old)


def lines(stream: io.StringIO) -> list[re.Match]:
    text = stream.getvalue().splitlines()
    matches = [LINE.match(line) for line in text]
    assert all(matches), f"lines in another format: {text}"
    return matches


def test_a_denied_page_logs_time_level_logger_path_and_user_id(client, cast):
    client.force_login(cast.ib_a)
    url = reverse("schools:board-detail", args=[cast.board_b.pk])
    with log_output() as out:
        response = client.get(url + "?naam=Jansen")
    assert response.status_code == 404
    found = {(m["level"], m["logger"]): m for m in lines(out)}
    denied = found["WARNING", "ibportal.security"]
    # Django's own line is written after the middleware returned: it has the context too.
    not_found = found["WARNING", "django.request"]
    for match in (denied, not_found):
        assert (match["path"], match["user"]) == (url, str(cast.ib_a.pk))
    text = out.getvalue()
    for personal in ("ib_a", cast.ib_a.email, cast.ib_a.first_name, "Jansen"):
        assert personal not in text


def test_outside_a_request_path_and_user_are_dashes(client, cast):
    client.force_login(cast.ib_a)
    client.get(reverse("home"))  # the context ends with the request
    with log_output() as out:
        logging.getLogger("core.mail").warning("Mail about package 1 to user 2 failed")
    (match,) = lines(out)
    assert (match["level"], match["logger"], match["path"], match["user"]) == (
        "WARNING",
        "core.mail",
        "-",
        "-",
    )


def test_anonymous_request_logs_the_path_without_user(client, db):
    with log_output() as out:
        client.get("/bestaat-niet/")
    (match,) = [m for m in lines(out) if m["logger"] == "django.request"]
    assert (match["path"], match["user"]) == ("/bestaat-niet/", "-")


def test_failed_login_logs_neither_username_nor_address(client, cast):
    with log_output() as out:
        client.post(
            reverse("login"),
            {"username": cast.ib_a.username, "password": "fout"},
            REMOTE_ADDR="192.0.2.44",
        )
    text = out.getvalue()
    assert "AXES" in text  # the failure is logged ...
    for personal in (cast.ib_a.username, "192.0.2.44"):
        assert personal not in text  # ... without who or from where
    assert all(m["path"] == reverse("login") for m in lines(out))


PERSONAL_ATTRIBUTES = {
    "email",
    "username",
    "first_name",
    "last_name",
    "get_username",
    "get_full_name",
    "get_short_name",
}
LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical", "log"}


def personal_data_in_log_calls(path: Path) -> list[str]:
    """Log calls whose arguments read a user's name or address (by attribute or display_name)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in LOG_METHODS
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id.endswith(("logger", "log"))
        ):
            continue
        for argument in [*node.args, *(k.value for k in node.keywords)]:
            for inner in ast.walk(argument):
                named = (
                    isinstance(inner, ast.Attribute) and inner.attr in PERSONAL_ATTRIBUTES
                ) or (isinstance(inner, ast.Name) and inner.id == "display_name")
                if named:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_log_call_in_the_code_writes_names_or_addresses():
    sources = [
        path
        for app in ("core", "schools", "tasks", "competencies", "ibportal")
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    ]
    assert len(sources) > 20
    assert [hit for path in sources for hit in personal_data_in_log_calls(path)] == []
