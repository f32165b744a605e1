"""The demo's task divisions (issue 16): coordinators at three schools of board A, a task that
left a draft package with its history, a role purity signal naming a role of the school, and
each role (director, IB, board staff) reads them; the board comparison shows the spread."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tasks.models import (
    CatalogueTask,
    DivisionAssignment,
    HolderRole,
    PackageEvent,
    TaskDivision,
)


def client_of(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_demo_divisions(db):
    call_command("seed_demo", verbosity=0)
    divisions = TaskDivision.objects.filter(school_year__start_year=2026)
    assert divisions.filter(school__board__number="49901").count() >= 2
    assert divisions.filter(holders__role=HolderRole.LANGUAGE).exists()
    # De Zaaier's draft: tasks moved to coordinators, the package's history says so.
    moved = PackageEvent.objects.filter(
        package__share__school__brin="11AF", kind=PackageEvent.Kind.ITEM_REMOVED
    )
    assert moved.filter(detail__contains="taakverdeling").count() == 2

    regenboog = divisions.get(school__brin="11AA")
    url = reverse("tasks:division", args=[regenboog.school_id, 2026])
    for username in ("directeur.regenboog", "ib.regenboog", "bestuur.a"):
        response = client_of(username).get(url)
        assert response.status_code == 200, username
        assert "Femke" in response.text, username
    jozef = divisions.get(school__brin="11AD")
    page = client_of("directeur.jozef").get(reverse("tasks:division", args=[jozef.school_id, 2026]))
    assert [row.title for row in page.context["matrix"].purity_rows] == [
        "Remedial teaching aan leerlingen geven"
    ]
    board = regenboog.school.board
    # The division's columns are one tick away in the comparison's column chooser.
    chosen = {"kolommen": "1", "kolom": ["school", "zorg-ib"]}
    comparison = reverse("schools:comparison", args=[board.pk])
    rows = client_of("bestuur.a").get(comparison, chosen).context["rows"]
    assert sum(row.ib_care_percentage is not None for row in rows) == 3

    # A task of the board's own names its usual role too, shown in the catalogue.
    own = CatalogueTask.objects.get(board=board, standard_key="", usual_role=HolderRole.LANGUAGE)
    catalogue = client_of("bestuur.a").get(reverse("tasks:catalogue", args=[board.pk]))
    assert own.title in catalogue.text and str(HolderRole.LANGUAGE.label) in catalogue.text

    count = DivisionAssignment.objects.count()
    tasks = CatalogueTask.objects.count()
    call_command("seed_demo", verbosity=0)  # again: nothing doubled
    assert DivisionAssignment.objects.count() == count
    assert CatalogueTask.objects.count() == tasks
