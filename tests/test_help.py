"""The help pages (/help/, issue #15): public, for every role, links that lead somewhere, and
screenshots that exist (taken by tests/browser/test_help_screenshots.py, committed in
static/help/)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import translation

from ibportal.help import PAGES
from tests.browser.test_help_screenshots import HELP_STATIC, SHOTS

from .test_access import USERS

SCREENSHOT = re.compile(r'src="/static/help/([\w-]+)\.png"')
HREF = re.compile(r'href="([^"]+)"')
# The committed screenshots together stay small (a clone, every page that shows them).
MAX_TOTAL_BYTES = 2 * 1024 * 1024

HELP_URLS = [reverse("help:index")] + [reverse("help:page", args=[slug]) for slug in PAGES]


def html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.django_db
def test_help_is_public_and_linked_from_the_login_page(client):
    for url in HELP_URLS:
        html(client, url)
    assert reverse("help:index") in html(client, reverse("login"))


@pytest.mark.django_db
def test_unknown_help_page_is_404(client):
    assert client.get(reverse("help:page", args=["bestaat-niet"])).status_code == 404


@pytest.mark.parametrize("user", USERS)
def test_every_help_page_renders_for_every_role(client, cast, user):
    client.force_login(cast.user(user))
    for url in HELP_URLS:
        body = html(client, url)
        assert 'lang="nl"' in body
    # Every page of the portal links to the help (the menu and the footer).
    assert reverse("help:index") in html(client, reverse("schools:school-list"))


def test_index_marks_the_pages_for_the_users_roles(client, cast):
    client.force_login(cast.user("admin_a"))
    body = html(client, reverse("help:index"))
    assert "Voor u" in body
    assert reverse("help:page", args=["eerste-dag"]) in body.split("Per rol")[0]


@pytest.mark.django_db
def test_english_says_the_help_is_dutch(client, restore_language):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "The help is written in Dutch" in html(client, reverse("help:page", args=["ib"]))


@pytest.fixture
def restore_language():
    """The middleware activates a language in this thread; put the default back afterwards."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.mark.parametrize("url", HELP_URLS)
def test_links_in_the_help_lead_somewhere(client, cast, url):
    """Every link of a help page resolves to a page that answers (as board staff and their
    administrator, who may open the most), anchors within the help included."""
    client.force_login(cast.user("admin_a"))
    body = html(client, url)
    main = body.split("<main", 1)[1].split("</main>", 1)[0]
    for href in set(HREF.findall(main)):
        parts = urlsplit(href)
        if parts.scheme or href.startswith("#"):
            continue
        if parts.path.startswith(
            settings.STATIC_URL
            if settings.STATIC_URL.startswith("/")
            else "/" + settings.STATIC_URL
        ):
            assert (HELP_STATIC / Path(parts.path).name).exists(), (url, href)
            continue
        try:
            resolve(parts.path)
        except Resolver404:
            pytest.fail(f"{url} links to {href}, which is no page")
        response = client.get(parts.path)
        assert response.status_code in (200, 302), (url, href, response.status_code)
        if parts.fragment and parts.path.startswith("/help/"):
            assert f'id="{parts.fragment}"' in response.content.decode(), (url, href)


def referenced_screenshots(client: Client) -> dict[str, set[str]]:
    return {url: set(SCREENSHOT.findall(html(client, url))) for url in HELP_URLS}


@pytest.mark.django_db
def test_help_shows_only_screenshots_that_are_taken_and_committed(client):
    referenced = referenced_screenshots(client)
    every = set().union(*referenced.values())
    assert every, "the help shows no screenshots"
    assert every - SHOTS.keys() == set(), "shown but not taken by test_help_screenshots"
    assert SHOTS.keys() - every == set(), "taken but shown nowhere"
    committed = {path.stem for path in HELP_STATIC.glob("*.png")}
    assert every - committed == set(), (
        "not in static/help/: run HELP_SCREENSHOTS=1 pytest tests/browser/test_help_screenshots.py"
    )
    assert committed - every == set(), "static/help/ holds screenshots no page shows"


def test_screenshots_stay_small():
    paths = list(Path(HELP_STATIC).glob("*.png"))
    total = sum(path.stat().st_size for path in paths)
    assert total < MAX_TOTAL_BYTES, f"{total} bytes in static/help/"
    assert str(HELP_STATIC).startswith(str(settings.BASE_DIR))


# What the help names in bold must be what the app shows now (in Dutch): the labels are taken
# from the app's own translations, so a renamed button makes this fail.
CURRENT_LABELS = {
    "index": [
        "Or with your school account",
        "Two-factor sign-in",
        "Settings",
        "Forgotten your password?",
    ],
    "beheerder": [
        "People of the board",
        "Import staff from HR",
        "This file lists all staff of the board",
        "Show preview",
        "Process import",
        "Invite",
        "Send again",
        "End and anonymise",
        "Two-factor sign-in",
        "Security events",
        "required for the board's users",
    ],
}


@pytest.mark.django_db
@pytest.mark.parametrize("page", CURRENT_LABELS)
def test_help_names_the_apps_current_buttons(client, page):
    url = reverse("help:index") if page == "index" else reverse("help:page", args=[page])
    body = html(client, url).replace("&#x27;", "'")
    with translation.override("nl"):
        missing = [
            label for label in CURRENT_LABELS[page] if translation.gettext(label) not in body
        ]
    assert missing == []


@pytest.mark.django_db
def test_help_describes_sign_in_with_the_school_account_and_two_factor(client):
    body = html(client, reverse("help:index"))
    sign_in = body.split('id="inloggen"')[1]
    assert "schoolaccount" in sign_in and "twee stappen" in sign_in
    assert "uitnodiging" in sign_in and "Beheerders van een bestuur moeten" in sign_in
    admin = html(client, reverse("help:page", args=["beheerder"]))
    for anchor in ("inloggen", "schoolaccount", "hr-import", "uitnodigen", "beeindigen"):
        assert f'id="{anchor}"' in admin
    assert "gebruiker toevoegen</strong>" in admin  # the manual way stays, second
    assert admin.index('id="hr-import"') < admin.index('id="handmatig"')
