"""Browser journeys: Playwright's sync API driving Debian's Chromium against ``live_server``.

Chromium is ``/usr/bin/chromium`` (``CHROMIUM_PATH`` overrides it); Playwright cannot download
a browser here. Without Chromium the journeys are skipped, unless ``CI=true`` or
``REQUIRE_BROWSER=1``: then they fail. A failing journey leaves a full-page screenshot in
``test-artifacts/``.

Playwright's sync API keeps an event loop running in the test thread, so Django would raise
``SynchronousOnlyOperation`` for the factories and the database flush; the journeys (and only
they) run with ``DJANGO_ALLOW_ASYNC_UNSAFE=true``, set per module and restored afterwards.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
# Without the background-networking flags Chromium floods the closed network with connections.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

expect.set_options(timeout=10_000)


def _browser_required() -> bool:
    return any(
        os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}
        for name in ("CI", "REQUIRE_BROWSER")
    )


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item: ``browser_page`` screenshots failed tests."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="module", autouse=True)
def _allow_async_unsafe() -> Iterator[None]:
    old = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if old is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = old


@pytest.fixture(scope="module")
def chromium_browser(_allow_async_unsafe) -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        message = f"{CHROMIUM} not found (apt-get install chromium)"
        if _browser_required():
            pytest.fail(f"{message}; browser tests are required (CI / REQUIRE_BROWSER)")
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium_browser: Browser, live_server, request) -> Iterator[Page]:
    """A page in a fresh browser context per test: Dutch browser, Amsterdam time, no cookies.

    (Not called ``page``: with pytest-playwright installed that name would be taken over.)
    """
    context = chromium_browser.new_context(
        base_url=live_server.url,
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
        viewport={"width": 1440, "height": 900},  # the top menu unfolds from 1200 px
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        print(f"screenshot of the failing page: {path} ({page.url})")
    context.close()


@pytest.fixture
def new_context(chromium_browser: Browser, live_server) -> Iterator[Callable[..., BrowserContext]]:
    """Browser contexts made by the test (another user, no JavaScript, a phone), closed
    afterwards: a Dutch browser in Amsterdam time, 1440 x 900 unless ``viewport`` is given."""
    contexts: list[BrowserContext] = []

    def make(**options) -> BrowserContext:
        options = {"viewport": {"width": 1440, "height": 900}, **options}
        context = chromium_browser.new_context(
            base_url=live_server.url, locale="nl-NL", timezone_id="Europe/Amsterdam", **options
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
