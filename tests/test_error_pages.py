"""The error pages speak Dutch in the portal's layout; 500 needs no request context."""

from __future__ import annotations

from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from schools.models import Board


def test_403_says_why_in_dutch(client, cast):
    client.force_login(cast.partnership_staff)
    response = client.get(reverse("schools:board-detail", args=[cast.board_a.pk]))
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert "Geen toegang" in html
    assert "Ga naar uw startpagina" in html


def test_404_is_dutch_and_gives_nothing_away(client, cast):
    client.force_login(cast.staff_b)
    response = client.get(reverse("schools:board-detail", args=[cast.board_a.pk]))
    assert response.status_code == 404
    html = response.content.decode()
    assert "Pagina niet gevonden" in html
    assert cast.board_a.name not in html
    assert "matches the given query" not in html


def test_500_page_renders_without_a_request_context(db):
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Er ging iets mis" in html
    assert '<html lang="nl">' in html
    assert Board.objects.count() == 0  # (nothing needed from the database)
