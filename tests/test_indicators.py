"""Indicators: one observable behaviour per rated cell, several per role in a context.

The standard frameworks rate indicators (issue 13: a cell that bundles behaviours cannot be
rated with one level). The round page shows each indicator with its own level and, per role in
a context, how the levels are spread; the heat map gives each indicator its own line and the
export names it; the trend names it; a catalogue task linked to a whole role in a context (a
first-edition cell) reads the weakest of its indicators.
"""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse

from competencies import standard_frameworks
from competencies.models import Cell, Framework
from competencies.rounds import round_start, trends_for
from competencies.services import framework_copy_standard, framework_editable

from . import factories as f
from .competency_factories import assessment_round, heatmap_consent, matrix_framework
from .test_task_links import competencies_for


@pytest.fixture
def lbbo(cast) -> Framework:
    return framework_copy_standard(board=cast.board_a, key="lbbo-2022-domeinen")


@pytest.fixture
def kempenkind(cast) -> Framework:
    return framework_copy_standard(board=cast.board_a, key="kempenkind-matrix")


def test_every_standard_indicator_is_one_short_sentence():
    for data in standard_frameworks.FRAMEWORKS.values():
        for row in data["rows"]:
            for indicators in row["cells"]:
                assert 1 <= len(indicators) <= 7
                for text in indicators:
                    assert text.count(".") == 1 and len(text) <= 120, text


def test_round_starts_with_one_rating_per_indicator(cast, lbbo):
    round_ = round_start(ib=cast.ib_a, framework=lbbo)
    assert round_.ratings.count() == lbbo.cells.count() == 18


def test_ib_rates_each_indicator_and_sees_the_spread(client, cast, lbbo):
    first_domain = list(lbbo.cells.filter(row__order=1))
    numbers = [3, 3, 2, 2, 2, 1, None]
    round_ = assessment_round(cast.ib_a, lbbo, levels=dict(zip(first_domain, numbers, strict=True)))
    client.force_login(cast.ib_a)
    text = client.get(reverse("competencies:round-detail", args=[round_.pk])).content.decode()
    for cell in first_domain:
        assert cell.descriptor in text
    # Highest level first, the indicator without a level last.
    assert "2&times; bekwaam, 3&times; ontwikkelend, 1&times; beginnend, 1 zonder niveau" in (
        " ".join(text.split())
    )


def test_ib_fills_in_indicators_of_one_matrix_cell_with_different_levels(client, cast, kempenkind):
    round_ = round_start(ib=cast.ib_a, framework=kempenkind)
    levels = {level.number: level for level in kempenkind.levels.all()}
    team = kempenkind.cells.filter(
        row__title="Uitvoeren van het schoolplan", column__order=2
    ).order_by("order")
    assert team.count() == 4
    data = {"lock_version": str(round_.lock_version), "action": "save"}
    for cell, number in zip(team, (4, 3, 2, 1), strict=True):
        data[f"level_{cell.pk}"] = str(levels[number].pk)
        data[f"text_{cell.pk}"] = f"Bewijs {number}"
    client.force_login(cast.ib_a)
    response = client.post(reverse("competencies:round-ratings", args=[round_.pk]), data)
    assert response.status_code == 302
    saved = {r.cell_id: r.level.number for r in round_.ratings.filter(level__isnull=False)}
    assert saved == {cell.pk: n for cell, n in zip(team, (4, 3, 2, 1), strict=True)}


def test_heat_map_has_a_line_per_indicator_and_the_export_names_it(client, cast, lbbo):
    for _ in range(3):
        ib = f.ib(cast.board_a)
        heatmap_consent(ib, cast.board_a)
        assessment_round(ib, lbbo, levels={cell: 3 for cell in lbbo.cells.filter(order=1)})
    client.force_login(cast.staff_a)
    query = {"framework": lbbo.pk, "jaar": 2026}
    response = client.get(reverse("competencies:heatmap", args=[cast.board_a.pk]), query)
    heat = response.context["heat"]
    assert len(heat.rows) == 18
    assert [row.first for row in heat.rows[:8]] == [True] + [False] * 6 + [True]
    assert heat.rows[0].span == 7 and heat.rows[0].cells[0].mean == 3
    assert heat.rows[1].cells[0].mean == 2  # the other indicators: the default level 2
    assert 'rowspan="7"' in response.text
    export = client.get(reverse("competencies:heatmap-export", args=[cast.board_a.pk]), query)
    lines = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][2] == "Indicator"
    first = standard_frameworks.FRAMEWORKS["lbbo-2022-domeinen"]["rows"][0]["cells"][0][0]
    assert lines[1][2] == first and lines[1][-1] == "3"
    assert len(lines) == 1 + 18


def test_heat_map_of_a_matrix_stacks_the_indicators_of_a_context(client, cast, kempenkind):
    for _ in range(3):
        ib = f.ib(cast.board_a)
        heatmap_consent(ib, cast.board_a)
        assessment_round(ib, kempenkind)
    client.force_login(cast.staff_a)
    query = {"framework": kempenkind.pk, "jaar": 2026}
    heat = client.get(reverse("competencies:heatmap", args=[cast.board_a.pk]), query).context[
        "heat"
    ]
    lines = [row for row in heat.rows if row.title == "Uitvoeren van het schoolplan"]
    # The team context has four indicators, the other two one each.
    assert len(lines) == 4
    assert [cell is not None for cell in lines[1].cells] == [False, True, False]


def test_trend_names_each_indicator(cast, lbbo):
    first, second = list(lbbo.cells.filter(row__order=1))[:2]
    assessment_round(cast.ib_a, lbbo, levels={first: 1}, date=datetime.date(2025, 10, 1))
    assessment_round(cast.ib_a, lbbo, levels={first: 2}, date=datetime.date(2026, 10, 1))
    [trend] = trends_for(cast.ib_a)
    rows = dict(trend.rows)
    label = f"{first.row.title}: {first.descriptor}"  # in full: the row is its only place
    assert rows[label] == [1, 2] and rows[f"{second.row.title}: {second.descriptor}"] == [2, 2]
    steps = dict(trend.steps)
    assert steps[label] == [(1, 0), (2, 1)]


def test_editing_a_framework_on_indicators_keeps_their_order(cast, kempenkind):
    assessment_round(cast.ib_a, kempenkind)
    new = framework_editable(framework=kempenkind)
    assert sorted(new.cells.values_list("order", flat=True)) == sorted(
        kempenkind.cells.values_list("order", flat=True)
    )


def test_task_linked_to_a_whole_cell_reads_the_weakest_indicator(client, cast, package_a):
    """A first-edition cell (order 0) linked to a task, a later version on indicators."""
    old = matrix_framework(cast.board_a, rows=1, columns=1)
    assessment_round(cast.ib_a, old, date=datetime.date(2025, 10, 1))
    new = framework_editable(framework=old)
    position = new.cells.get()
    position.order = 1
    position.save()
    Cell.objects.create(
        framework=new, row=position.row, column=position.column, descriptor="Tweede", order=2
    )
    cast.task_a.cells.set(old.cells.all())
    assessment_round(
        cast.ib_a, new, levels={position: 3, new.cells.get(order=2): 1}, shared_with=None
    )
    _, data = competencies_for(client, cast.ib_a, cast.package_a)
    [line] = data.lines
    assert line.level.number == 1 and line.lowest
