"""Migrations 0006-0007: boards get the standard frameworks on indicators as a new version.

Built on a database at competencies 0005 (before indicators), with board copies of the first
edition made as ``framework_copy_standard`` made them then, a completed and shared round on
one of them, and one copy the board edited. After migrating: the unedited copies have a
version 2 on indicators with the new level names; the edited copy is left alone; the old
round, its ratings and the director's view are unchanged and its page still shows the old
cells and levels. Also: old ratings never count for the new indicators.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from competencies import standard_frameworks
from competencies.heatmap import heat_map
from competencies.models import AssessmentRound, Framework, Rating
from competencies.rounds import trends_for

from . import factories as f
from . import frameworks_first_edition as first

BEFORE = [("competencies", "0005_heatmap_consent")]


def migrate(targets) -> object:
    """Migrate to ``targets`` (None: every app's latest) and return the apps of that state."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor = MigrationExecutor(connection)  # read the state anew after migrating
    return executor.loader.project_state(targets).apps


def copy_first_edition(apps, board, key: str, **overrides):
    """A board's copy of the first edition, as the service of the time made it."""
    Framework = apps.get_model("competencies", "Framework")
    FrameworkRow = apps.get_model("competencies", "FrameworkRow")
    FrameworkColumn = apps.get_model("competencies", "FrameworkColumn")
    Cell = apps.get_model("competencies", "Cell")
    Level = apps.get_model("competencies", "Level")
    data = {**first.FRAMEWORKS[key], **overrides}
    framework = Framework.objects.create(
        board_id=board.pk,
        standard_key=key,
        name=data["name"],
        description=data["description"],
        kind=data["kind"],
    )
    columns = [
        FrameworkColumn.objects.create(framework=framework, title=title, order=order)
        for order, title in enumerate(data["columns"], start=1)
    ]
    for order, row_data in enumerate(data["rows"], start=1):
        row = FrameworkRow.objects.create(
            framework=framework,
            title=row_data["title"],
            description=row_data["description"],
            order=order,
        )
        for column, descriptor in zip(columns or [None], row_data["cells"], strict=True):
            Cell.objects.create(framework=framework, row=row, column=column, descriptor=descriptor)
    for number, level in enumerate(data["levels"], start=1):
        Level.objects.create(
            framework=framework,
            number=number,
            name=level["name"],
            description=level["description"],
        )
    return framework


def old_round(apps, framework, ib, director, date: datetime.date):
    """A completed round shared with the director, a level per cell (cycling 1-4), and the
    director's view on the first cell."""
    AssessmentRound = apps.get_model("competencies", "AssessmentRound")
    Rating = apps.get_model("competencies", "Rating")
    DirectorView = apps.get_model("competencies", "DirectorView")
    levels = list(framework.levels.order_by("number"))
    round_ = AssessmentRound.objects.create(
        ib_id=ib.pk,
        board_id=framework.board_id,
        framework=framework,
        date=date,
        status="completed",
        completed_at=timezone.now(),
        shared_with_id=director.pk,
        shared_at=timezone.now(),
    )
    cells = list(framework.cells.order_by("row__order", "column__order", "id"))
    for n, cell in enumerate(cells):
        Rating.objects.create(round=round_, cell=cell, level=levels[n % 4], evidence=f"Bewijs {n}")
    DirectorView.objects.create(
        round=round_, cell=cells[0], level=levels[2], note="Herkenbaar", author_id=director.pk
    )
    return round_


@pytest.fixture
def before_indicators(transactional_db):
    """The database at competencies 0005 with the board copies and the old round; after the
    test every app is at its latest migration again."""
    apps = migrate(BEFORE)
    yield apps
    migrate(None)


def test_first_edition_fixture_has_the_fingerprints_the_migration_knows(before_indicators):
    from importlib import import_module

    migration = import_module("competencies.migrations.0007_standard_frameworks_indicators")
    board = f.BoardFactory()
    for key, expected in migration.FIRST_EDITION.items():
        framework = copy_first_edition(before_indicators, board, key)
        assert migration.fingerprint(framework) == expected, key


def test_migration_adds_version_2_and_keeps_old_rounds_as_they_were(before_indicators, client):
    apps = before_indicators
    board, other = f.BoardFactory(name="Bestuur A"), f.BoardFactory(name="Bestuur B")
    school = f.SchoolFactory(board=board)
    director = f.director(school)
    ib = f.ib(board)
    matrix = copy_first_edition(apps, board, "kempenkind-matrix")
    lists = [copy_first_edition(apps, board, key) for key in ("zeven-ib-competenties",)]
    edited = copy_first_edition(apps, other, "lbbo-2022-domeinen", name="LBBO eigen")
    round_ = old_round(apps, matrix, ib, director, datetime.date(2026, 10, 5))
    ratings_before = sorted(
        apps.get_model("competencies", "Rating")
        .objects.filter(round=round_)
        .values_list("id", "cell_id", "level_id", "evidence")
    )

    migrate(None)

    # Version 2 of each unedited copy: indicators numbered from 1, the new level names.
    for old, key in ((matrix, "kempenkind-matrix"), (lists[0], "zeven-ib-competenties")):
        old = Framework.objects.get(pk=old.pk)
        [new] = old.next_versions.all()
        data = standard_frameworks.FRAMEWORKS[key]
        assert (new.version, new.board_id, new.standard_key) == (2, board.pk, key)
        assert new.cells.count() == standard_frameworks.indicator_count(data)
        assert not new.cells.filter(order=0).exists()
        assert [lv.name for lv in new.levels.all()] == [
            "beginnend",
            "ontwikkelend",
            "bekwaam",
            "excellent",
        ]
        # The old version is untouched: one bundled cell per position, the old level names.
        assert set(old.cells.values_list("order", flat=True)) == {0}
        assert old.levels.get(number=4).name == "voorbeeld"
    assert list(Framework.objects.filter(board=board).current()) == [
        Framework.objects.get(previous_id=matrix.pk),
        Framework.objects.get(previous_id=lists[0].pk),
    ]
    # The board's own edits are theirs: no new version over them.
    edited = Framework.objects.get(pk=edited.pk)
    assert (edited.name, edited.next_versions.count()) == ("LBBO eigen", 0)

    # The old round: same framework, same ratings, the director's view kept.
    round_ = AssessmentRound.objects.get(pk=round_.pk)
    assert round_.framework_id == matrix.pk
    assert ratings_before == sorted(
        Rating.objects.filter(round=round_).values_list("id", "cell_id", "level_id", "evidence")
    )
    assert round_.director_views.get().note == "Herkenbaar"

    # Its page shows the old cells and levels, to the IB and to the director.
    old_cell = first.FRAMEWORKS["kempenkind-matrix"]["rows"][3]["cells"][1]
    for user in (ib, director):
        client.force_login(user)
        page = client.get(reverse("competencies:round-detail", args=[round_.pk]))
        assert page.status_code == 200
        text = page.content.decode()
        assert old_cell.split(",")[0] in text
        assert "voorbeeld" in text and "excellent" not in text
    # The IB starts new rounds on version 2 only.
    client.force_login(ib)
    listing = client.get(reverse("competencies:round-list"))
    assert [fw.version for fw in listing.context["frameworks"]] == [2, 2]


def test_old_bundled_ratings_never_count_for_the_new_indicators(before_indicators):
    apps = before_indicators
    board = f.BoardFactory()
    school = f.SchoolFactory(board=board)
    director = f.director(school)
    ibs = [f.ib(board) for _ in range(3)]
    matrix = copy_first_edition(apps, board, "kempenkind-matrix")
    for ib in ibs:
        old_round(apps, matrix, ib, director, datetime.date(2026, 10, 5))

    migrate(None)

    frameworks = list(Framework.objects.filter(board=board))
    new = Framework.objects.get(previous_id=matrix.pk)
    heat = heat_map(new, frameworks, 2026)
    assert heat.counted == 3  # the rounds count for the family ...
    assert all(cell is None or cell.hidden for row in heat.rows for cell in row.cells)
    # ... but only the old version's own heat map shows their counts.
    old = heat_map(Framework.objects.get(pk=matrix.pk), frameworks, 2026)
    assert not any(cell.hidden for row in old.rows for cell in row.cells if cell)
    # The IB's trend lists the old cells under their own names.
    [trend] = trends_for(ibs[0])
    assert trend.framework.pk == matrix.pk
    assert trend.rows[0][0] == "Interpersoonlijk handelen / Werken met individuele groepsleraren"
