"""The help pages' screenshots, taken of the demo data by the browser (issue #15).

Every screenshot the help shows (templates/ibportal/help/, ``_shot.html`` with a name) is a
``Shot`` here: who looks, which page, which part of it. ``seed_demo`` fills the live server's
database, so the pictures show the demo the README describes; each shot also checks that the
page and the part the help points at are still there, so a help text whose screen changed fails
here instead of going stale.

Where they go: with ``HELP_SCREENSHOTS=1`` into static/help/ (the committed files the help
pages show; regenerate and commit them after changing a page the help shows), otherwise into
test-artifacts/help/. ``scripts/test.sh`` runs the suite twice (SQLite and PostgreSQL) and CI
on a clean clone: both runs take every shot (the steps stay true on both databases), but
neither rewrites the committed files, whose bytes change every day with the dates in the demo
data; an ordinary test run leaves the working tree clean. tests/test_help.py checks that the
help references only screenshots that are committed and made here.

The shots are PNG at a device scale of 1, clipped to the part of the page the text is about
and at most ``MAX_HEIGHT`` high, to keep the committed files small (see ``test_help``'s size
limit).
"""

# The fixtures "demo" and "demo_page" are defined here and used by the tests' parameters.
# ruff: noqa: F811

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("db")]

HELP_STATIC = Path(settings.BASE_DIR) / "static" / "help"
WRITE_STATIC = os.environ.get("HELP_SCREENSHOTS", "").strip().lower() in {"1", "true", "yes", "on"}
OUTPUT = HELP_STATIC if WRITE_STATIC else ARTIFACTS / "help"
WIDTH = 1280
MAX_HEIGHT = 600
PAD = 8
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def db(django_db_setup) -> None:
    """Only the name: the test database is created for the run (see test_accessibility)."""


# ---------------------------------------------------------------------------------------------
# The demo, served
# ---------------------------------------------------------------------------------------------


@dataclass
class Demo:
    url: str
    browser: Browser
    pages: dict[str | None, Page] = field(default_factory=dict)

    def page(self, username: str | None) -> Page:
        """The user's page (a browser context of its own, kept for reuse), logged in by cookie."""
        if username not in self.pages:
            context = self.browser.new_context(
                base_url=self.url,
                locale="nl-NL",
                timezone_id="Europe/Amsterdam",
                viewport={"width": WIDTH, "height": 900},
                device_scale_factor=1,
                reduced_motion="reduce",
            )
            context.set_default_timeout(10_000)
            if username is not None:
                from django.contrib.auth import get_user_model

                client = Client()
                client.force_login(get_user_model().objects.get(username=username))
                cookie = client.cookies[settings.SESSION_COOKIE_NAME]
                context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": self.url}])
            self.pages[username] = context.new_page()
        return self.pages[username]


def wait_for_request_threads(timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(
        "process_request_thread" in thread.name for thread in threading.enumerate()
    ):
        time.sleep(0.05)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, chromium_browser) -> Iterator[Demo]:
    # Unblocked for the whole module: the server thread reads the database during every test.
    with django_db_blocker.unblock():
        from tasks.services import domains_load

        domains_load()  # an earlier transactional test may have flushed them
        call_command("seed_demo", verbosity=0)
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            demo = Demo(url=server.url, browser=chromium_browser)
            yield demo
            for page in demo.pages.values():
                page.context.close()
            wait_for_request_threads()
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            # Leave the database as a flushed transactional test does, the domains restored.
            call_command("flush", interactive=False, verbosity=0)
            domains_load()
            connections.close_all()


# ---------------------------------------------------------------------------------------------
# The shots
# ---------------------------------------------------------------------------------------------


def package_pk(school: str, *, last_year: bool = False) -> int:
    """The demo package of the school: this school year's, or last year's."""
    from tasks.models import Package

    packages = Package.objects.filter(share__school__name=school).order_by(
        "school_year__start_year"
    )
    package = packages.first() if last_year else packages.last()
    assert package is not None, school
    return package.pk


def board_pk(name: str = "Stichting Kempenwaard Onderwijs") -> int:
    from schools.models import Board

    return Board.objects.get(name=name).pk


def partnership_pk() -> int:
    from schools.models import Partnership

    return Partnership.objects.get().pk


def package_url(school: str, *, last_year: bool = False, view: str = "tasks:package-detail"):
    return lambda: reverse(view, args=[package_pk(school, last_year=last_year)])


def kompas_appointment_history() -> str:
    from schools.models import Appointment

    appointment = Appointment.objects.get(ib__username="ib.kompas")
    return reverse("schools:appointment-history", args=[appointment.pk])


def open_catalogue(page: Page) -> None:
    page.get_by_role("button", name="Taak toevoegen (uit de catalogus").click()
    expect(
        page.locator("#catalogue-area").get_by_role("heading", name="Eigen taak")
    ).to_be_visible()


def upload_pupil_counts(page: Page) -> None:
    page.get_by_label("Leerlingen per vestiging (DUO)").check()
    sample = Path(settings.BASE_DIR) / "demo" / "duo-leerlingen-2026-voorbeeld.csv"
    page.get_by_label("Bestand").set_input_files(str(sample))
    page.get_by_role("button", name="Voorbeeld tonen").click()
    expect(page.get_by_role("button", name="Import verwerken")).to_be_visible()


def forget_uncommitted_imports() -> None:
    """The preview leaves an import to finish: gone again, so other shots do not show it."""
    from schools.models import ImportBatch

    ImportBatch.objects.filter(committed_at__isnull=True).delete()


@dataclass(frozen=True)
class Shot:
    """One screenshot: who looks at which page, and the part of it shown (the union of the
    boxes of ``parts``, at most ``max_height`` high)."""

    user: str
    url: Callable[[], str]
    parts: tuple[str, ...] = ("main",)
    max_height: int = MAX_HEIGHT
    before: Callable[[Page], None] | None = None
    after: Callable[[], None] | None = None


TODO = 'section[aria-labelledby="todo-title"]'
THIS_YEAR_DRAFT = "RKBS De Horizon, locatie Zilverackers"

SHOTS: dict[str, Shot] = {
    # The director
    "directeur-nu-te-doen": Shot("directeur.kompas", lambda: reverse("home"), (TODO,)),
    "directeur-urenbudget": Shot(
        "directeur.kompas",
        package_url(THIS_YEAR_DRAFT),
        ('section[aria-labelledby="budget-heading"]', 'section[aria-labelledby="domains-heading"]'),
    ),
    "directeur-catalogus": Shot(
        "directeur.kompas",
        package_url(THIS_YEAR_DRAFT),
        ("#catalogue-area",),
        max_height=560,
        before=open_catalogue,
    ),
    "directeur-taken": Shot(
        "directeur.kompas", package_url(THIS_YEAR_DRAFT), ("#tasks",), max_height=560
    ),
    "directeur-werkplan": Shot("directeur.kompas", package_url(THIS_YEAR_DRAFT), ("#werkplan",)),
    "directeur-voorleggen": Shot(
        "directeur.kompas",
        package_url(THIS_YEAR_DRAFT),
        ('section[aria-labelledby="submit-heading"]',),
    ),
    "directeur-teruggestuurd": Shot(
        "directeur.kompas",
        package_url("RKBS Het Kompas"),
        ('section[aria-labelledby="returned-heading"]',),
    ),
    "directeur-evaluatie": Shot(
        "directeur.regenboog",
        package_url("RKBS De Regenboog", last_year=True, view="tasks:package-evaluation"),
        ("#goals",),
        max_height=600,
    ),
    # The IB
    "ib-nu-te-doen": Shot("ib.wegwijzer", lambda: reverse("home"), (TODO,)),
    "ib-beoordelen": Shot("ib.wegwijzer", package_url("CBS De Wegwijzer"), ("#review",)),
    "ib-realisatie": Shot(
        "ib.heuvelrand",
        lambda: reverse(
            "tasks:package-realisation", args=[package_pk("OBS De Heuvelrug"), "halfjaar"]
        ),
        max_height=600,
    ),
    "ib-evaluatie": Shot(
        "ib.regenboog",
        package_url("RKBS De Regenboog", last_year=True, view="tasks:package-evaluation"),
        ("#goals",),
        max_height=600,
    ),
    "ib-zelfbeoordeling": Shot("ib.regenboog", lambda: reverse("competencies:round-list")),
    "ib-ontwikkeling": Shot("ib.regenboog", lambda: reverse("competencies:plan"), max_height=560),
    # Board staff
    "bestuur-overzicht": Shot(
        "bestuur.a",
        lambda: reverse("schools:board-detail", args=[board_pk()]),
        ('section[aria-labelledby="year-title"]', 'section[aria-labelledby="policies-title"]'),
    ),
    "bestuur-vergelijking": Shot(
        "bestuur.a", lambda: reverse("schools:comparison", args=[board_pk()])
    ),
    "bestuur-jaarcyclus": Shot(
        "bestuur.a", lambda: reverse("schools:comparison-cycle", args=[board_pk()])
    ),
    "bestuur-beleid": Shot("bestuur.a", lambda: reverse("schools:board-edit", args=[board_pk()])),
    "bestuur-geschiedenis": Shot("bestuur.a", kompas_appointment_history, max_height=480),
    # The board administrator
    "beheer-gebruiker": Shot(
        "beheer.a", lambda: reverse("admin:auth_user_add"), ("#content",), max_height=600
    ),
    "beheer-mensen": Shot(
        "beheer.a", lambda: reverse("schools:staff-list", args=[board_pk()]), max_height=480
    ),
    "beheer-beveiliging": Shot(
        "beheer.a", lambda: reverse("schools:security-events", args=[board_pk()]), max_height=480
    ),
    # The board's first day
    "eerste-dag-import": Shot(
        "bestuur.a", lambda: reverse("schools:import-upload", args=[board_pk()])
    ),
    "eerste-dag-voorbeeld": Shot(
        "bestuur.a",
        lambda: reverse("schools:import-upload", args=[board_pk()]),
        before=upload_pupil_counts,
        after=forget_uncommitted_imports,
    ),
    # The partnership
    "swv-overzicht": Shot("swv", lambda: reverse("home"), max_height=560),
    "swv-vergelijking": Shot(
        "swv",
        lambda: reverse("schools:partnership-comparison", args=[partnership_pk()]),
    ),
    "swv-takenpakketten": Shot("swv", lambda: reverse("tasks:copy-list"), max_height=480),
}


def clip_of(page: Page, parts: tuple[str, ...], max_height: int) -> dict[str, float]:
    """The page-coordinate box around the parts (scrolled to the top, so the viewport's
    coordinates are the page's), with a little room, cut at max_height."""
    page.evaluate("() => window.scrollTo(0, 0)")
    boxes = []
    for selector in parts:
        locator = page.locator(selector).first
        expect(locator).to_be_visible()
        box = locator.bounding_box()
        assert box is not None, selector
        boxes.append(box)
    left = max(0, min(box["x"] for box in boxes) - PAD)
    top = max(0, min(box["y"] for box in boxes) - PAD)
    right = min(WIDTH, max(box["x"] + box["width"] for box in boxes) + PAD)
    bottom = max(box["y"] + box["height"] for box in boxes) + PAD
    return {"x": left, "y": top, "width": right - left, "height": min(bottom - top, max_height)}


@pytest.mark.parametrize("name", SHOTS)
def test_help_screenshot(demo: Demo, name: str) -> None:
    shot = SHOTS[name]
    page = demo.page(shot.user)
    response = page.goto(shot.url())
    assert response is not None and response.ok, (name, response and response.status, page.url)
    try:
        if shot.before:
            shot.before(page)
        OUTPUT.mkdir(parents=True, exist_ok=True)
        path = OUTPUT / f"{name}.png"
        path.unlink(missing_ok=True)
        page.screenshot(
            path=str(path),
            full_page=True,
            clip=clip_of(page, shot.parts, shot.max_height),
            animations="disabled",
            caret="hide",
        )
        assert path.stat().st_size > 1000, f"{path} is (nearly) empty"
    finally:
        if shot.after:
            shot.after()


@pytest.mark.parametrize("slug", ["directeur", "eerste-dag"])
def test_help_page_fits_a_phone(demo: Demo, slug: str) -> None:
    """A help page with screenshots, 390 px wide: no sideways scrolling, pictures scaled."""
    page = demo.page(None)
    page.set_viewport_size(PHONE)
    try:
        response = page.goto(reverse("help:page", args=[slug]))
        assert response is not None and response.ok
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
        widths = page.locator(".help-shot img").evaluate_all(
            "images => images.map(image => image.getBoundingClientRect().right)"
        )
        assert all(right <= PHONE["width"] for right in widths), widths
        # The menu's link to the help is reachable on a phone too (in the footer when signed out).
        expect(page.locator(f'footer a[href="{reverse("help:index")}"]')).to_be_visible()
    finally:
        page.set_viewport_size({"width": WIDTH, "height": 900})
