"""Every page fits a phone: no sideways scrolling in a 390 px wide window.

The pages are those of the accessibility check (``test_accessibility.PAGES``: every GET page of
the access matrix, each as the role it is made for, with real content), reused with its data
and server. The window is 390 CSS px wide without phone emulation: with emulation Chromium
widens the layout viewport to the content, so ``innerWidth`` grows along with the page and a
too-wide page would pass. Compared is the document's scroll width with the fixed 390.
"""

# The fixtures "site" and "site_page" are imported, so the tests' parameters of those names
# "redefine" them for ruff:
# ruff: noqa: F811

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import resolve, reverse
from playwright.sync_api import BrowserContext, Page, expect

# The module's server, data and per-user pages (fixtures: pytest finds them by these names).
from tests.browser.test_accessibility import (  # noqa: F401
    DOWNLOADS,
    PAGES,
    REDIRECTS,
    Site,
    axe_problems,
    site,
    site_page,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("db")]


@pytest.fixture
def db(django_db_setup) -> None:
    """Only the name: pytest-django creates the test database for a run when one of its tests
    asks for ``db``, and the module's own server (``site``) does not. The tests read the rows
    ``site`` committed, so they need no transaction of their own."""


PHONE = {"width": 390, "height": 844}

WIDER_THAN_THE_WINDOW_JS = """width => [...document.querySelectorAll('body *')]
  .filter(el => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > width + 0.5 && !el.closest('.table-responsive');
  })
  .slice(0, 8).map(el => el.outerHTML.slice(0, 140))"""


def phone_page(site_page, user: str | None) -> Page:
    page = site_page(user)
    page.set_viewport_size(PHONE)
    return page


def scroll_width(page: Page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


@pytest.mark.parametrize("name", list(PAGES))
def test_page_does_not_scroll_sideways_on_a_phone(site: Site, site_page, name: str) -> None:
    target = PAGES[name]
    page = phone_page(site_page, target.user)
    response = page.goto(target.url(site.world))
    assert response is not None and response.status == 200, (response and response.status, page.url)
    width = scroll_width(page)
    assert width <= PHONE["width"], (
        f"{name} is {width} px wide; too wide: {page.evaluate(WIDER_THAN_THE_WINDOW_JS, 390)}"
    )
    # The narrow layout (stacked tables, the unfolded menu) is as accessible as the wide one.
    problems = axe_problems(page)
    assert not problems, f"{name} at {PHONE['width']} px:\n  " + "\n  ".join(problems)


def test_error_page_fits_a_phone(site: Site, site_page) -> None:
    page = phone_page(site_page, "staff")
    response = page.goto("/bestaat-niet/")
    assert response is not None and response.status == 404
    assert scroll_width(page) <= PHONE["width"]


def test_every_page_of_the_access_matrix_fits_a_phone(site: Site) -> None:
    """A new page in tests/test_access.py's matrix is checked here too (POST-only actions and
    downloads excepted): PAGES is the list both modules visit."""
    from tests.test_access import MATRIX

    pages = {name for name, row in MATRIX.items() if not row.post_only} - DOWNLOADS - REDIRECTS
    checked = {resolve(target.url(site.world).split("?")[0]).view_name for target in PAGES.values()}
    assert pages - checked == set(), "add these pages to test_accessibility.PAGES"


# ---------------------------------------------------------------------------------------------
# The board comparison on a laptop
# ---------------------------------------------------------------------------------------------

LAPTOP = {"width": 1366, "height": 768}


# ---------------------------------------------------------------------------------------------
# The top menu on laptops and tablets
# ---------------------------------------------------------------------------------------------

MENU_USERS = ("staff", "admin", "director", "ib", "swv")


@pytest.mark.parametrize("width", [1024, 1280, 1400, 1536])
def test_top_menu_fits_the_window(site: Site, site_page, width: int) -> None:
    """Tester 5 #4: at 1280 px the board administrator's menu was 1425 px wide, its user menu
    (with "Uitloggen") and the language button off-screen. Each role's menu fits, unfolded (from
    1200 px, its links on two lines where one is too short) or behind the toggler, with every
    item on one line, and its last items, the language among them, are reachable."""
    for user in MENU_USERS:
        page = site_page(user)
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(reverse("home"))
        assert scroll_width(page) <= width, (
            f"{user} at {width} px: {page.evaluate(WIDER_THAN_THE_WINDOW_JS, width)}"
        )
        toggler = page.locator(".navbar-toggler")
        if toggler.is_visible():
            toggler.click()
            expect(page.locator("#mainnav")).to_have_class(re.compile(r"\bshow\b"))
        summary = page.locator("nav details.user-menu > summary")
        expect(summary).to_be_visible()
        box = summary.bounding_box()
        assert box is not None and box["x"] + box["width"] <= width, (user, width, box)
        assert box["height"] < 48, f"{user} at {width} px: the user menu wraps"
        heights = page.locator("#mainnav .nav-link").evaluate_all(
            "links => links.map(a => a.getBoundingClientRect().height)"
        )
        assert max(heights) < 48, f"{user} at {width} px: a menu item wraps"
        summary.click()
        language = page.locator("nav details.user-menu button[name=language]")
        expect(language).to_be_visible()
        box = language.bounding_box()
        assert box is not None and box["x"] + box["width"] <= width, (user, width, box)


SCROLLER = "div.comparison-scroll"


def comparison_url(site: Site, query: str = "") -> str:
    return reverse("schools:comparison", args=[site.world.board.pk]) + query


def test_comparison_fits_a_laptop_with_its_default_columns(site: Site, site_page) -> None:
    page = site_page("staff")
    page.set_viewport_size(LAPTOP)
    page.goto(comparison_url(site))
    assert scroll_width(page) <= LAPTOP["width"]
    # The table itself fits: nothing to scroll sideways inside it either.
    scroller = page.locator(SCROLLER)
    assert scroller.evaluate("el => el.scrollWidth <= el.clientWidth")
    # The chooser, opened, passes axe too.
    page.locator("details.column-chooser > summary").click()
    expect(page.locator("details.column-chooser input[name=kolom]").first).to_be_visible()
    assert not axe_problems(page)


def test_comparison_column_chooser_works_without_javascript(site: Site) -> None:
    """Tick a column in the chooser and send the form: the column is added, the choice stays
    in the address and in the sort links."""
    context = site.new_context(java_script_enabled=False)
    try:
        page = logged_in_page(site, context, "staff", LAPTOP)
        page.goto(comparison_url(site))
        headers = page.locator("table.comparison-table thead th")
        expect(headers.filter(has_text="Groepen")).to_have_count(0)
        page.locator("details.column-chooser > summary").click()
        page.get_by_label("Groepen", exact=True).check()
        page.locator("details.column-chooser button[type=submit]").click()
        expect(headers.filter(has_text="Groepen")).to_have_count(1)
        assert "kolom=groepen" in page.url
        sort_link = headers.filter(has_text="Leerlingen").locator("a")
        assert "kolom=groepen" in (sort_link.get_attribute("href") or "")
        assert scroll_width(page) <= LAPTOP["width"]
    finally:
        context.close()


def test_comparison_keeps_the_school_column_in_view_while_scrolling(site: Site, site_page) -> None:
    """Every column chosen, in a window too narrow for them: the table scrolls inside its
    frame (not the page), and the school names stay at its left edge."""
    page = site_page("staff")
    page.set_viewport_size(LAPTOP)
    page.goto(comparison_url(site))
    keys = page.locator("input[name=kolom]").evaluate_all("inputs => inputs.map(i => i.value)")
    page.goto(comparison_url(site, "?kolommen=1&" + "&".join(f"kolom={key}" for key in keys)))
    assert scroll_width(page) <= LAPTOP["width"]
    scroller = page.locator(SCROLLER)
    assert scroller.evaluate("el => el.scrollWidth > el.clientWidth"), "nothing to scroll"
    scroller.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    frame = scroller.bounding_box()
    for cell in (
        page.locator("table.comparison-table thead th").first,
        page.locator("table.comparison-table tbody th.col-school").first,
    ):
        box = cell.bounding_box()
        assert frame is not None and box is not None
        assert abs(box["x"] - frame["x"]) <= 1, (box, frame)
        # On top of the cells that scroll under it: the school name is what is seen there.
        name = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).closest('th')?.textContent.trim()",
            [box["x"] + 8, box["y"] + box["height"] / 2],
        )
        assert name and name == cell.text_content().strip()


# ---------------------------------------------------------------------------------------------
# Tap size of the small "over the years" links
# ---------------------------------------------------------------------------------------------

YEARS_LINKS = "table.comparison-table a[href*='/jaren/']"


@pytest.mark.parametrize(("touch", "minimum"), [(False, 24), (True, 44)])
def test_over_the_years_links_are_big_enough_to_tap(site: Site, touch: bool, minimum: int) -> None:
    """At least 24 x 24 CSS px (WCAG 2.5.8); 44 px high on a touch screen."""
    context = site.new_context(has_touch=touch)
    try:
        page = logged_in_page(site, context, "staff", PHONE if touch else LAPTOP)
        page.goto(comparison_url(site))
        assert page.evaluate("() => matchMedia('(pointer: coarse)').matches") == touch
        links = page.locator(YEARS_LINKS)
        assert links.count() == 4  # the board's four schools
        for n in range(links.count()):
            box = links.nth(n).bounding_box()
            assert box is not None
            assert box["height"] >= minimum and box["width"] >= 24, box
    finally:
        context.close()


# ---------------------------------------------------------------------------------------------
# The menu without JavaScript, on a phone
# ---------------------------------------------------------------------------------------------


def logged_in_page(site: Site, context: BrowserContext, user: str, viewport: dict) -> Page:
    """A page in ``context`` with a session of its own for the user (force_login)."""
    client = Client()
    client.force_login(site.world.users[user])
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": site.url}])
    page = context.new_page()
    page.set_viewport_size(viewport)
    return page


def test_user_menu_works_without_javascript_on_a_phone(site: Site) -> None:
    """No script runs: the main menu shows unfolded (the toggler would need JavaScript), the
    user menu opens as a <details> element, and both of its items work."""
    context = site.new_context(java_script_enabled=False)
    try:
        page = logged_in_page(site, context, "ib", PHONE)
        page.goto(reverse("competencies:plan"))
        expect(page.locator(".navbar-toggler")).to_be_hidden()
        packages = page.locator(f"#mainnav a[href='{reverse('tasks:ib-packages')}']")
        expect(packages).to_be_visible()
        change = page.locator(f"nav a[href='{reverse('password_change')}']")
        expect(change).to_be_hidden()
        page.locator("nav details.user-menu > summary").click()
        expect(change).to_be_visible()
        change.click()
        expect(page).to_have_url(re.compile(re.escape(reverse("password_change")) + "$"))
        expect(page.locator("main #id_old_password")).to_be_visible()
        assert scroll_width(page) <= PHONE["width"]

        page.locator("nav details.user-menu > summary").click()
        page.locator(f"nav form[action='{reverse('logout')}'] button[type=submit]").click()
        page.goto(reverse("competencies:plan"))
        expect(page).to_have_url(re.compile(re.escape(reverse("login"))))
    finally:
        context.close()


def test_user_menu_closes_with_escape_when_javascript_runs(site: Site, site_page) -> None:
    page = site_page("ib")
    page.set_viewport_size({"width": 1440, "height": 800})  # the menu unfolded (from 1400 px)
    page.goto(reverse("competencies:plan"))
    summary = page.locator("nav details.user-menu > summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator("nav details.user-menu")).to_have_attribute("open", "")
    page.keyboard.press("Escape")
    expect(page.locator("nav details.user-menu")).not_to_have_attribute("open", "")
    expect(summary).to_be_focused()


def test_policies_menu_leads_to_the_policies_without_javascript(site: Site) -> None:
    """The "Policies" drop-down needs JavaScript; without it, its link opens the board's
    policies, which link to every page of that menu."""
    context = site.new_context(java_script_enabled=False)
    try:
        page = logged_in_page(site, context, "staff", PHONE)
        page.goto(reverse("schools:school-list"))
        menu_items = page.locator("#mainnav .nav-item.dropdown .dropdown-item").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
        page.locator("#mainnav .dropdown-toggle").first.click()
        board = reverse("schools:board-detail", args=[site.world.board.pk])
        expect(page).to_have_url(re.compile(re.escape(board) + "#policies-title$"))
        policies = page.locator("section[aria-labelledby=policies-title]")
        for href in menu_items:
            expect(policies.locator(f"a[href^='{href}']").first).to_be_visible()
        assert scroll_width(page) <= PHONE["width"]
    finally:
        context.close()


# ---------------------------------------------------------------------------------------------
# Stacked tables
# ---------------------------------------------------------------------------------------------

CELL_LAYOUT_JS = """() => {
  const cell = document.querySelector('table.table-stack tbody td[data-label]');
  const head = document.querySelector('table.table-stack thead');
  return {
    display: getComputedStyle(cell).display,
    label: getComputedStyle(cell, '::before').content,
    dataLabel: cell.dataset.label,
    headHeight: head.getBoundingClientRect().height,
  };
}"""


@pytest.mark.parametrize(("width", "stacked"), [(PHONE["width"], True), (LAPTOP["width"], False)])
def test_tables_stack_with_labels_on_a_phone(site: Site, site_page, width: int, stacked: bool):
    """Under 576 px a row of a table-stack table is a block of its cells, each headed by its
    column name (data-label); wider, the same table is an ordinary table."""
    page = site_page("staff")
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(reverse("schools:school-list"))
    layout = page.evaluate(CELL_LAYOUT_JS)
    if stacked:
        assert layout["display"] == "flow-root"
        assert layout["label"] == f'"{layout["dataLabel"]}"'
        assert layout["headHeight"] <= 1  # visually hidden, still there for screen readers
    else:
        assert layout["display"] == "table-cell"
        assert layout["label"] == "none"
        assert layout["headHeight"] > 10


# ---------------------------------------------------------------------------------------------
# The start page's to-do list on a phone
# ---------------------------------------------------------------------------------------------


def test_start_page_leads_with_what_needs_doing_on_a_phone(site: Site, site_page) -> None:
    page = phone_page(site_page, "director")
    page.goto(reverse("schools:school-list"))
    todo = page.locator("section.todo")
    expect(todo).to_be_visible()
    box = todo.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    assert box["y"] < page.locator("main table").first.bounding_box()["y"]  # above the schools
    # Most urgent first: the functioneringsgesprek overdue since 1 August (issue 14).
    expect(todo.locator("li.todo-item a").first).to_have_text("Gesprek plannen")
    returned_link = todo.get_by_role("link", name="Teruggestuurd takenpakket aanpassen")
    expect(returned_link).to_have_accessible_description(re.compile(r"^OBS Het Kompas · "))
    returned_link.click()
    returned = reverse("tasks:package-detail", args=[site.world.returned.pk])
    expect(page).to_have_url(re.compile(re.escape(returned) + "$"))
