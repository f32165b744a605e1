"""The help pages (/help/): per role the main jobs step by step, and the board's first day.

The help is written in Dutch for the people who use the portal (directors and IB'ers of Dutch
primary schools, their board's staff and the partnership), straight into the templates in
templates/ibportal/help/ rather than through the translation catalogue: it is prose that
changes as a whole, and the screenshots beside it are Dutch anyway. Only the frame (menu,
titles of the links to it) is translated; in English the index says the help is in Dutch.

The pages are public (``login_not_required``): someone who cannot sign in yet, who got an
invitation or who prepares a board's first day reads them too. They show no data of the
database, only the steps and the screenshots in static/help/, which
tests/browser/test_help_screenshots.py takes of the demo data (fictional people).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from schools.models import get_scope

# Slug (part of the address, Dutch like the other addresses) -> template.
PAGES: dict[str, str] = {
    "directeur": "ibportal/help/directeur.html",
    "ib": "ibportal/help/ib.html",
    "bestuursbureau": "ibportal/help/bestuursbureau.html",
    "beheerder": "ibportal/help/beheerder.html",
    "samenwerkingsverband": "ibportal/help/samenwerkingsverband.html",
    "eerste-dag": "ibportal/help/eerste-dag.html",
}


def pages_for(user) -> list[str]:
    """The help pages for the user's roles, in the order of PAGES (none when signed out)."""
    scope = get_scope(user)
    wanted = {
        "directeur": scope.is_director,
        "ib": scope.is_ib,
        "bestuursbureau": scope.is_board_staff,
        "beheerder": bool(scope.admin_board_ids),
        "samenwerkingsverband": scope.is_partnership_staff,
        "eerste-dag": bool(scope.admin_board_ids),
    }
    return [slug for slug in PAGES if wanted[slug]]


@login_not_required
def help_index(request: HttpRequest) -> HttpResponse:
    return render(request, "ibportal/help/index.html", {"own_pages": pages_for(request.user)})


@login_not_required
def help_page(request: HttpRequest, slug: str) -> HttpResponse:
    template = PAGES.get(slug)
    if template is None:
        raise Http404
    return render(request, template, {"slug": slug, "own_pages": pages_for(request.user)})
