"""The demo's self-assessments look like people (issue 13).

Each IB has their own spread of levels (strengths and weaker areas, not the same few cells at
each level for everyone); between one IB's rounds a few indicators move one step, sometimes
none, once down; board A's heat map of 2026-2027 shows counts.
"""

from __future__ import annotations

from collections import Counter

from django.core.management import call_command

from competencies.heatmap import heat_map
from competencies.models import AssessmentRound, Framework
from ibportal.management.commands.seed_demo import BOARDS
from schools.models import Board


def levels_of(round_: AssessmentRound) -> dict[tuple, int | None]:
    return {
        (r.cell.row.order, r.cell.column.order, r.cell.order): r.level.number if r.level else None
        for r in round_.ratings.select_related("cell__row", "cell__column", "level")
    }


def test_demo_self_assessments_look_like_people(db):
    call_command("seed_demo", verbosity=0)  # once: it takes a while
    check_each_ib_has_their_own_profile()
    check_trend_moves_a_step_in_a_few_indicators()
    check_heat_map_of_board_a_shows_counts()


def check_each_ib_has_their_own_profile():
    completed = AssessmentRound.objects.filter(status="completed").order_by("ib_id", "-date")
    latest = {}
    for round_ in completed:
        latest.setdefault(round_.ib_id, round_)
    profiles = [levels_of(round_) for round_ in latest.values()]
    assert len(profiles) >= 6
    for profile in profiles:
        spread = Counter(profile.values())
        assert len(spread) >= 3  # at least three levels used
        assert max(spread.values()) < len(profile)  # never one level everywhere
    # No two IBs alike, and not the same number of cells at each level for everyone.
    assert len({tuple(sorted(p.items())) for p in profiles}) == len(profiles)
    assert len({tuple(sorted(Counter(p.values()).items())) for p in profiles}) == len(profiles)


def check_trend_moves_a_step_in_a_few_indicators():
    moves = []
    by_ib: dict[int, list[AssessmentRound]] = {}
    for round_ in AssessmentRound.objects.filter(status="completed").order_by("date"):
        by_ib.setdefault(round_.ib_id, []).append(round_)
    for rounds in by_ib.values():
        for earlier, later in zip(rounds, rounds[1:], strict=False):
            before, after = levels_of(earlier), levels_of(later)
            changed = [after[key] - before[key] for key in after if after[key] != before[key]]
            assert all(abs(step) == 1 for step in changed)  # one step at a time
            assert len(changed) <= len(after) // 4  # a few, not everything
            moves.append(changed)
    assert len(moves) >= 3
    assert [] in moves  # sometimes nothing moved
    assert any(step == -1 for changed in moves for step in changed)  # occasionally one down
    assert any(step == 1 for changed in moves for step in changed)


def check_heat_map_of_board_a_shows_counts():
    board = Board.objects.get(number=BOARDS["A"]["number"])
    framework = Framework.objects.filter(board=board, standard_key="kempenkind-matrix").get()
    heat = heat_map(framework, list(Framework.objects.filter(board=board)), 2026)
    assert heat.counted >= 3
    cells = [cell for row in heat.rows for cell in row.cells if cell is not None]
    assert cells and not any(cell.hidden for cell in cells)
    assert len({cell.mean for cell in cells}) >= 4  # the board sees where it is strong or not
