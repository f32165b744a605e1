"""The board's competency heat map: counts per cell and level, the small-group rule, the export.

Access per role is in test_access; here: which rounds count, what is hidden, that the CSV says
what the page says, and that 3 IBs cost the same queries as 12.
"""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from competencies.heatmap import HeatMap, export_rows
from competencies.models import Framework

from . import factories as f
from .competency_factories import assessment_round, heatmap_consent, matrix_framework

REQUEST = 3  # the session, the user, the user's memberships


def nl(text: str) -> str:
    with translation.override("nl"):
        return gettext(text)


def hidden_text() -> str:
    return nl("fewer than %(count)s") % {"count": 3}


@pytest.fixture
def framework(cast) -> Framework:
    return matrix_framework(cast.board_a)


@pytest.fixture
def staff(client, cast):
    client.force_login(cast.staff_a)
    return client


def ibs(board, n: int, *, consent: bool = True) -> list:
    """``n`` IBs of the board; by default each gave consent to count in the heat map."""
    people = [f.ib(board) for _ in range(n)]
    if consent:
        for person in people:
            heatmap_consent(person, board)
    return people


def page(client, board, framework, year: int = 2026):
    url = reverse("competencies:heatmap", args=[board.pk])
    return client.get(url, {"framework": framework.pk, "jaar": year})


def export(client, board, framework, year: int = 2026) -> list[list[str]]:
    url = reverse("competencies:heatmap-export", args=[board.pk])
    response = client.get(url, {"framework": framework.pk, "jaar": year})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def first_cell(heat: HeatMap):
    return heat.rows[0].cells[0]


def counts(cell) -> dict[int, int]:
    return {entry.level.number: entry.count for entry in cell.counts}


def test_counts_ibs_per_level_with_three_or_more(staff, cast, framework):
    cell = framework.cells.first()
    for ib, level in zip(ibs(cast.board_a, 4), (1, 2, 2, 4), strict=True):
        assessment_round(ib, framework, levels={cell: level})
    response = page(staff, cast.board_a, framework)
    assert response.status_code == 200
    heat = response.context["heat"]
    assert first_cell(heat).total == 4
    assert counts(first_cell(heat)) == {1: 1, 2: 2, 3: 0, 4: 1}
    # The other cells: everyone at the default level 2.
    assert counts(heat.rows[1].cells[2]) == {1: 0, 2: 4, 3: 0, 4: 0}
    assert len(heat.rows) == 2 and len(heat.columns) == 3
    # The colour is a CSS class by mean level (1.0-4.0 over five steps), never an inline style.
    assert first_cell(heat).mean == Decimal("2.3") and first_cell(heat).css_class == "heat-2"
    html = response.text
    assert 'class="heat-cell heat-2"' in html and 'style="' not in html.split("heatmap")[-1]


def test_fewer_than_three_ibs_hides_the_cell_on_page_and_in_csv(staff, cast, framework):
    for ib in ibs(cast.board_a, 2):
        assessment_round(ib, framework, levels={framework.cells.first(): 1})
    response = page(staff, cast.board_a, framework)
    heat = response.context["heat"]
    assert all(cell.hidden and cell.counts == [] for row in heat.rows for cell in row.cells)
    assert hidden_text() in response.text
    lines = export(staff, cast.board_a, framework)
    assert len(lines) == 1 + 6
    for line in lines[1:]:
        assert line[2:] == ["", "", "", "", hidden_text()]


def test_a_cell_that_only_two_ibs_rated_is_hidden_while_others_show(staff, cast, framework):
    cell = framework.cells.first()
    for n, ib in enumerate(ibs(cast.board_a, 3)):
        # The third IB left the first cell without a level.
        assessment_round(ib, framework, levels={cell: None} if n == 2 else {})
    heat = page(staff, cast.board_a, framework).context["heat"]
    assert first_cell(heat).hidden
    assert heat.rows[0].cells[1].total == 3


def test_latest_completed_round_per_ib_in_the_school_year(staff, cast, framework):
    cell = framework.cells.first()
    first, second, third = ibs(cast.board_a, 3)
    assessment_round(first, framework, levels={cell: 4}, date=datetime.date(2026, 9, 1))
    assessment_round(first, framework, levels={cell: 1}, date=datetime.date(2027, 3, 1))
    # A later draft does not count; nor a round of the next school year.
    assessment_round(
        first, framework, levels={cell: 3}, date=datetime.date(2027, 5, 1), completed=False
    )
    assessment_round(first, framework, levels={cell: 3}, date=datetime.date(2027, 8, 1))
    assessment_round(second, framework, levels={cell: 1}, shared_with=cast.director_a)
    assessment_round(third, framework, levels={cell: 2}, date=datetime.date(2027, 7, 31))
    # An IB of another board does not count.
    assessment_round(cast.ib_b, matrix_framework(cast.board_b), levels={})
    heat = page(staff, cast.board_a, framework).context["heat"]
    assert counts(first_cell(heat)) == {1: 2, 2: 1, 3: 0, 4: 0}


def test_draft_only_ib_is_not_counted(staff, cast, framework):
    for n, ib in enumerate(ibs(cast.board_a, 3)):
        assessment_round(ib, framework, completed=n != 0)
    assert first_cell(page(staff, cast.board_a, framework).context["heat"]).hidden


def test_rounds_on_earlier_versions_count_by_row_and_column_title(staff, cast, framework):
    newer = matrix_framework(cast.board_a)
    newer.previous, newer.version = framework, 2
    newer.save()
    old_ibs, (new_ib,) = ibs(cast.board_a, 2), ibs(cast.board_a, 1)
    for ib in old_ibs:
        assessment_round(ib, framework, levels={framework.cells.first(): 3})
    assessment_round(new_ib, newer, levels={newer.cells.first(): 3})
    heat = page(staff, cast.board_a, newer).context["heat"]
    assert counts(first_cell(heat)) == {1: 0, 2: 0, 3: 3, 4: 0}
    # Only the current version can be chosen.
    assert page(staff, cast.board_a, framework).status_code == 404


def test_csv_says_what_the_page_says(staff, cast, framework):
    cells = list(framework.cells.all())
    for n, ib in enumerate(ibs(cast.board_a, 5)):
        assessment_round(ib, framework, levels={cells[0]: n % 4 + 1, cells[1]: None if n else 1})
    heat = page(staff, cast.board_a, framework).context["heat"]
    lines = export(staff, cast.board_a, framework)
    assert lines[0][-1] == nl("IBs")
    assert lines[1:] == [
        [str(value) for value in line] for line in export_rows(heat, hidden_text())
    ]
    assert lines[1][:2] == ["Rol 1", "Context 1"]
    assert lines[1][2:] == ["2", "1", "1", "1", "5"]
    assert lines[2][-1] == hidden_text()  # one IB rated the second cell


@pytest.mark.parametrize("size", [3, 12])
def test_query_count_does_not_grow_with_ibs_or_cells(client, cast, django_assert_num_queries, size):
    framework = matrix_framework(cast.board_a, rows=size // 3 + 1, columns=3)
    for ib in ibs(cast.board_a, size):
        assessment_round(ib, framework, date=datetime.date(2026, 9, 1))
        assessment_round(ib, framework, date=datetime.date(2026, 11, 1))
    client.force_login(cast.staff_a)
    with django_assert_num_queries(
        REQUEST
        + 1  # the board
        + 1  # the board's frameworks (the choices and the version chain)
        + 1  # the chosen version's cells with row and column
        + 1  # its levels
        + 1  # the counts per cell and level, of each IB's latest counted round
        + 1  # the number of rounds counted, for the sentence above the map
        + 1  # known school years, for the year picker
    ):
        response = page(client, cast.board_a, framework)
    assert first_cell(response.context["heat"]).total == size


def test_board_without_framework_shows_a_message(staff, cast):
    response = staff.get(reverse("competencies:heatmap", args=[cast.board_a.pk]))
    assert response.status_code == 200
    assert response.context["heat"] is None


def test_unknown_framework_is_404(staff, cast, framework):
    other = matrix_framework(cast.board_b)
    assert page(staff, cast.board_a, other).status_code == 404


# ---------------------------------------------------------------------------------------------
# Only rounds the IB let count: shared, or with the IB's open consent
# ---------------------------------------------------------------------------------------------


def test_unshared_rounds_without_consent_are_not_counted(staff, cast, framework):
    """The leak of issue 11: every completed round counted, shared or not."""
    for ib in ibs(cast.board_a, 3, consent=False):
        assessment_round(ib, framework)
    response = page(staff, cast.board_a, framework)
    heat = response.context["heat"]
    assert heat.counted == 0
    assert all(cell.hidden for row in heat.rows for cell in row.cells)


def test_shared_rounds_count_without_consent(staff, cast, framework):
    for ib in ibs(cast.board_a, 3, consent=False):
        assessment_round(ib, framework, shared_with=cast.director_a)
    heat = page(staff, cast.board_a, framework).context["heat"]
    assert heat.counted == 3 and first_cell(heat).total == 3


def test_the_latest_round_the_ib_let_count_is_counted(staff, cast, framework):
    cell = framework.cells.first()
    first, *others = ibs(cast.board_a, 3, consent=False)
    assessment_round(first, framework, levels={cell: 4}, shared_with=cast.director_a)
    # A later round the IB kept to themselves does not replace the shared one.
    assessment_round(first, framework, levels={cell: 1}, date=datetime.date(2027, 3, 1))
    for ib in others:
        assessment_round(ib, framework, levels={cell: 2}, shared_with=cast.director_a)
    assert counts(first_cell(page(staff, cast.board_a, framework).context["heat"])) == {
        1: 0,
        2: 2,
        3: 0,
        4: 1,
    }


def test_consent_for_another_board_does_not_count(staff, cast, framework):
    people = ibs(cast.board_a, 2)
    other = f.ib(cast.board_a)
    heatmap_consent(other, cast.board_b)
    for ib in (*people, other):
        assessment_round(ib, framework)
    assert page(staff, cast.board_a, framework).context["heat"].counted == 2


def consent_post(client, board, action: str):
    url = reverse("competencies:heatmap-consent", args=[board.pk])
    return client.post(url, {"action": action})


def test_ib_gives_and_withdraws_consent_and_the_counts_follow_at_once(client, cast, framework):
    from competencies.models import HeatMapConsent

    others = ibs(cast.board_a, 2)
    for ib in (*others, cast.ib_a):
        assessment_round(ib, framework)
    client.force_login(cast.ib_a)
    response = client.get(reverse("competencies:round-list"))
    assert nl("Count my self-assessments anonymously") in response.text

    assert consent_post(client, cast.board_a, "give").status_code == 302
    consent = HeatMapConsent.objects.get(ib=cast.ib_a)
    assert consent.board == cast.board_a and consent.given_at and consent.withdrawn_at is None
    # A second click keeps the first consent and its time.
    consent_post(client, cast.board_a, "give")
    assert HeatMapConsent.objects.filter(ib=cast.ib_a).count() == 1
    assert nl("Withdraw consent") in client.get(reverse("competencies:round-list")).text

    staff = client.__class__()
    staff.force_login(cast.staff_a)
    heat = page(staff, cast.board_a, framework).context["heat"]
    assert heat.counted == 3 and first_cell(heat).total == 3

    assert consent_post(client, cast.board_a, "withdraw").status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None  # on record: given and withdrawn
    heat = page(staff, cast.board_a, framework).context["heat"]
    assert heat.counted == 2 and first_cell(heat).hidden


def test_only_an_ib_of_the_board_gives_consent(client, cast):
    from competencies.models import HeatMapConsent

    client.force_login(cast.director_a)
    assert consent_post(client, cast.board_a, "give").status_code == 403
    client.force_login(cast.ib_b)
    assert consent_post(client, cast.board_a, "give").status_code == 404
    assert not HeatMapConsent.objects.exists()


def test_page_says_what_is_counted_and_shows_a_legend(staff, cast, framework):
    for ib in ibs(cast.board_a, 4):
        assessment_round(ib, framework)
    response = page(staff, cast.board_a, framework)
    text = response.text
    with translation.override("nl"):
        from django.utils.translation import ngettext

        counted = ngettext(
            "Counted: %(counter)s self-assessment that an IB shared or gave consent for.",
            "Counted: %(counter)s self-assessments that IBs shared or gave consent for.",
            4,
        ) % {"counter": 4}
    assert counted in text
    legend = response.context["heat"].legend
    assert [(css, str(start), str(end)) for css, start, end in legend] == [
        ("heat-0", "1.0", "1.4"),
        ("heat-1", "1.4", "2.1"),
        ("heat-2", "2.1", "2.9"),
        ("heat-3", "2.9", "3.6"),
        ("heat-4", "3.6", "4.0"),
    ]
    assert 'class="heat-swatch heat-4"' in text
    # The numbers are text for screen readers: each level's name beside its count.
    assert '<span class="visually-hidden">beginnend</span>' in text


def test_export_counts_the_same_rounds_as_the_page(staff, cast, framework):
    """Three IBs, one of whom neither shared nor consented: the CSV hides every cell too."""
    consenting = ibs(cast.board_a, 2)
    private = f.ib(cast.board_a)
    for ib in (*consenting, private):
        assessment_round(ib, framework)
    lines = export(staff, cast.board_a, framework)
    assert all(line[-1] == hidden_text() for line in lines[1:])
    heatmap_consent(private, cast.board_a)
    lines = export(staff, cast.board_a, framework)
    assert lines[1][-1] == "3"
