"""``manage.py benchmark``: every main page answers on generated data, its table is written,
and no page's number of queries grows with the data."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from ibportal import benchmark

pytestmark = pytest.mark.django_db

PAGES = {
    "comparison",
    "partnership comparison",
    "director's overview",
    "trivial page (password form) as director",
    "package sheet as director",
    "task letter as director",
    "package history as director",
    "werkplan goal form as director",
    "trivial page (password form) as IB",
    "review page as IB",
    "IB's overview",
    "heat map",
    "school page (norms)",
    # The partnership's copy (issue 14).
    "trivial page (password form) as partnership staff",
    "partnership's copies",
    "partnership's copy of a package",
    # The year-end evaluation (issue 14).
    "year-end evaluation as IB",
    "year-end evaluation as director",
    # The board's year cycle beside the comparison (issue 14), with the comparison's limits.
    "year cycle",
    # The school's task division (issue 16).
    "task division as director",
    # The conversation cycle, the training track and the IB network (issue 17).
    "conversations as director",
    "conversation page as director",
    "conversations as IB",
    "track overview as board staff",
    "IB's track as board staff",
    "network as board staff",
    "network as IB",
    "network meeting as board staff",
    # Each role's start page with what needs doing now (issue 14).
    "trivial page (password form) as board staff",
    "start page as board staff",
    "start page as director",
    "start page as IB",
    "start page as partnership staff",
}


def kind(name: str) -> str:
    return name.split(",")[0]


def generate(scale: float, *extra: str) -> None:
    call_command(
        "generate_scale_data", "--scale", str(scale), "--seed", "3", *extra, stdout=StringIO()
    )


def query_counts() -> dict[str, int]:
    with benchmark.test_client_settings():
        return {
            kind(subject.name): len(benchmark.measure(subject, repeat=1, warmup=0).queries)
            for subject in benchmark.subjects()
        }


def test_percentile_is_nearest_rank():
    values = [float(n) for n in range(1, 21)]  # 1 .. 20
    assert benchmark.percentile(values, 95) == 19.0
    assert benchmark.percentile(values, 50) == 10.0
    assert benchmark.percentile([7.0], 95) == 7.0


def test_benchmark_writes_a_row_per_page_and_shows_the_change(tmp_path: Path):
    generate(0.01)
    output = tmp_path / "bench.md"
    call_command(
        "benchmark", "--repeat", "2", "--warmup", "0", "--output", str(output), stdout=StringIO()
    )
    table = output.read_text()
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    names = [row.split("|")[1].strip() for row in rows[1:]]
    assert {kind(name) for name in names} == PAGES
    assert "HTTP" not in table  # every page answered 200
    assert all("| new |" in row for row in rows[1:])
    # Each package page against the trivial page of the same user, measured in the same run.
    package_rows = [row for row in rows if " as " in row and "trivial" not in row]
    # sheet, letter, history, werkplan goal form, review, the year-end evaluation (IB, director),
    # the task division, the eight pages of issue 17, and the start pages of board staff,
    # director, IB and partnership staff
    assert len(package_rows) == 20
    assert all(re.search(r"\| \d+\.\d \(max 4\) \| - \|$", row.rstrip()) for row in package_rows)
    # The comparisons against their user's trivial page and their own SQL (issue #12).
    comparison_rows = [row for row in rows if "comparison" in row or "year cycle" in row]
    assert len(comparison_rows) == 3
    assert all(
        re.search(r"\| \d+\.\d \(max 6\) \| \d+\.\d \(max 10\) \|$", row.rstrip())
        for row in comparison_rows
    )

    call_command(
        "benchmark", "--repeat", "2", "--warmup", "0", "--output", str(output), stdout=StringIO()
    )
    rows = [line for line in output.read_text().splitlines() if line.startswith("| ")]
    assert not any("| new |" in row for row in rows[2:])
    assert "## Main query per page" in output.read_text()


def test_no_page_needs_more_queries_on_more_data():
    generate(0.005)
    small = query_counts()
    generate(0.03, "--flush")
    large = query_counts()
    assert set(small) == PAGES
    assert large == small


def test_an_empty_database_is_a_clear_error():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="generate_scale_data"):
        call_command("benchmark", "--repeat", "1", "--no-write", stdout=StringIO())
