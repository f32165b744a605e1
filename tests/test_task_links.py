"""Task links: catalogue tasks name the cells they draw on; the package page shows them.

Levels next to the cells only for the IB (own latest completed round) and for the director the
IB shared a round with; board staff see the list of competencies only. Tasks on cells at the
lowest level or not assessed are flagged.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from competencies.models import Cell
from tasks.forms import CatalogueTaskForm
from tasks.models import CatalogueTask, Package
from tasks.packages import item_add

from . import factories as f
from .competency_factories import assessment_round, list_framework, matrix_framework
from .test_access import catalogue_task_data


@pytest.fixture
def linked(cast, package_a):
    """Board A's matrix; task_a asks cells 0 and 1, a second task in the package asks cell 2."""
    framework = matrix_framework(cast.board_a)
    cells = list(framework.cells.all())
    cast.task_a.cells.set(cells[:2])
    task_b = f.CatalogueTaskFactory(board=cast.board_a, title="Trendanalyse maken")
    task_b.cells.set([cells[2]])
    package = Package.objects.get(pk=package_a.pk)
    item_add(
        package=package,
        actor=cast.director_a,
        lock_version=package.lock_version,
        hours=Decimal("10"),
        task=task_b,
    )
    return framework, cells, task_b


def competencies_for(client, user, package):
    client.force_login(user)
    response = client.get(reverse("tasks:package-detail", args=[package.pk]))
    assert response.status_code == 200
    return response, response.context["competencies"]


def levels(data) -> dict[int, int | None]:
    return {line.cell.pk: line.level.number if line.level else None for line in data.lines}


def flagged_titles(data) -> set[str]:
    return {flag.item.title for flag in data.flagged}


def test_ib_sees_own_latest_completed_levels_and_flags(client, cast, linked):
    framework, cells, task_b = linked
    assessment_round(cast.ib_a, framework, levels={cells[0]: 4}, date=datetime.date(2026, 9, 1))
    assessment_round(
        cast.ib_a,
        framework,
        levels={cells[0]: 3, cells[1]: 3, cells[2]: 1},
        date=datetime.date(2026, 11, 1),
    )
    # A newer draft is not read.
    assessment_round(
        cast.ib_a, framework, levels={cells[2]: 4}, date=datetime.date(2027, 1, 1), completed=False
    )
    response, data = competencies_for(client, cast.ib_a, cast.package_a)
    assert data.sees_levels
    assert levels(data) == {cells[0].pk: 3, cells[1].pk: 3, cells[2].pk: 1}
    assert flagged_titles(data) == {task_b.title}
    assert data.flagged[0].lowest == [cells[2]]
    assert "flagged-tasks" in response.text


def test_cell_without_a_level_flags_its_task_as_not_assessed(client, cast, linked):
    framework, cells, task_b = linked
    assessment_round(cast.ib_a, framework, levels={cells[1]: None, cells[2]: 3})
    _, data = competencies_for(client, cast.ib_a, cast.package_a)
    assert flagged_titles(data) == {cast.task_a.title}
    assert data.flagged[0].not_assessed == [cells[1]]
    assert data.flagged[0].lowest == []


def test_ib_without_completed_round_has_every_task_flagged(client, cast, linked):
    framework, cells, task_b = linked
    assessment_round(cast.ib_a, framework, completed=False)
    _, data = competencies_for(client, cast.ib_a, cast.package_a)
    assert data.sees_levels and data.rounds == []
    assert flagged_titles(data) == {cast.task_a.title, task_b.title}


def test_board_staff_see_the_competencies_but_no_levels(client, cast, linked):
    framework, cells, task_b = linked
    # Even a round shared with the director stays hidden from board staff.
    assessment_round(cast.ib_a, framework, levels={cells[2]: 1}, shared_with=cast.director_a)
    response, data = competencies_for(client, cast.staff_a, cast.package_a)
    assert not data.sees_levels
    assert {line.cell.pk for line in data.lines} == {cell.pk for cell in cells[:3]}
    assert set(levels(data).values()) == {None}
    assert data.flagged == [] and data.rounds == []
    assert "beginnend" not in response.text and "flagged-tasks" not in response.text


def test_director_sees_levels_only_after_the_ib_shares(client, cast, linked):
    framework, cells, task_b = linked
    round_ = assessment_round(cast.ib_a, framework, levels={cells[2]: 1})
    _, data = competencies_for(client, cast.director_a, cast.package_a)
    assert not data.sees_levels and data.flagged == []
    assert set(levels(data).values()) == {None}

    round_.shared_with = cast.director_a
    round_.save()
    # A later completed round that is not shared is not the director's to read.
    assessment_round(cast.ib_a, framework, levels={cells[2]: 4}, date=datetime.date(2027, 2, 1))
    _, data = competencies_for(client, cast.director_a, cast.package_a)
    assert data.sees_levels and data.rounds == [round_]
    assert levels(data)[cells[2].pk] == 1
    assert flagged_titles(data) == {task_b.title}


def test_levels_of_a_newer_framework_version_match_by_titles(client, cast, linked):
    framework, cells, task_b = linked
    newer = matrix_framework(cast.board_a)
    newer.previous, newer.version = framework, 2
    newer.save()
    assessment_round(cast.ib_a, newer, levels={newer.cells.get(row__order=0, column__order=2): 1})
    _, data = competencies_for(client, cast.ib_a, cast.package_a)
    assert levels(data)[cells[2].pk] == 1
    assert levels(data)[cells[0].pk] == 2


def test_package_without_linked_tasks_shows_no_section(client, cast, package_a):
    response, data = competencies_for(client, cast.ib_a, package_a)
    assert not data
    assert "competencies-heading" not in response.text


# ---------------------------------------------------------------------------------------------
# the catalogue form
# ---------------------------------------------------------------------------------------------


def test_form_offers_cells_of_the_boards_current_frameworks(cast):
    old = matrix_framework(cast.board_a, name="Oud")
    newer = matrix_framework(cast.board_a, name="Oud")
    newer.previous, newer.version = old, 2
    newer.save()
    listed = list_framework(cast.board_a, competencies=2, name="Lijst")
    matrix_framework(cast.board_b, name="Van B")
    form = CatalogueTaskForm(board=cast.board_a)
    offered = set(form.fields["cells"].queryset)
    assert offered == set(newer.cells.all()) | set(listed.cells.all())
    labels = [label for _, label in form.fields["cells"].choices]
    assert "Lijst: Competentie 1" in labels
    assert "Oud: Rol 1 / Context 1" in labels


def test_form_saves_cells_and_refuses_another_boards(client, cast):
    framework = matrix_framework(cast.board_a)
    foreign = matrix_framework(cast.board_b).cells.first()
    mine = list(framework.cells.all()[:2])
    client.force_login(cast.staff_a)
    url = reverse("tasks:task-edit", args=[cast.task_a.pk])
    version = {"lock_version": CatalogueTask.objects.get(pk=cast.task_a.pk).lock_version}
    response = client.post(url, catalogue_task_data(cells=[foreign.pk]) | version)
    assert response.status_code == 200 and "cells" in response.context["form"].errors
    response = client.post(url, catalogue_task_data(cells=[cell.pk for cell in mine]) | version)
    assert response.status_code == 302
    assert set(CatalogueTask.objects.get(pk=cast.task_a.pk).cells.all()) == set(mine)


def test_editing_keeps_links_to_an_older_version(cast):
    old = matrix_framework(cast.board_a)
    cell = old.cells.first()
    cast.task_a.cells.set([cell])
    newer = matrix_framework(cast.board_a)
    newer.previous = old
    newer.save()
    form = CatalogueTaskForm(instance=cast.task_a, board=cast.board_a)
    assert cell in form.fields["cells"].queryset
    assert Cell.objects.filter(framework=newer).count() == 6
