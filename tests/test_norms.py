"""Formation norms against hand-computed cases from the seed documents."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from schools.models import Board
from schools.norms import groups_norm, lbbo_norm, multi_school_norm, pupils_norm, school_norms


def test_kempenkind_300_pupils_is_one_fte():
    assert pupils_norm(300, 300).fte == D("1.00")


@pytest.mark.parametrize(("pupils", "fte"), [(600, "2.00"), (150, "0.50"), (80, "0.27"), (0, "0")])
def test_pupils_norm_scales_with_pupils(pupils, fte):
    assert pupils_norm(pupils, 300).fte == D(fte)


def test_apeldoorn_16_groups_is_32_hours_is_0_8_fte():
    # DOMAIN.md: 16 groups x 2 h = 32 h/week = 0.8 fte with a 40-hour week.
    result = groups_norm(16, D("2"), D("40"))
    assert result.fte == D("0.80")
    assert "16 × 2 = 32 / 40" in result.arithmetic


def test_lbbo_25_hours_per_200_pupils():
    # 400 pupils -> 50 h a week -> 1.25 fte; 200 pupils -> 25 h -> 0.625, rounded half up.
    assert lbbo_norm(400, D("25"), 200, D("40")).fte == D("1.25")
    assert lbbo_norm(200, D("25"), 200, D("40")).fte == D("0.63")


def test_multi_school_fte_is_divided_by_pupils():
    # Two schools of one director share 1 fte: 95 and 80 pupils.
    assert multi_school_norm(95, 175, D("1"), 2).fte == D("0.54")
    assert multi_school_norm(80, 175, D("1"), 2).fte == D("0.46")
    assert multi_school_norm(95, 175, D("1"), 1).fte is None
    assert multi_school_norm(95, 175, None, 2).fte is None


def test_missing_figures_give_no_norm():
    assert pupils_norm(None, 300).fte is None
    assert groups_norm(None, D("2"), D("40")).fte is None


@pytest.mark.parametrize(
    ("kind", "fte"), [("pupils", "1.20"), ("groups", "0.70"), ("lbbo", "1.13")]
)
def test_board_policy_chooses_the_norm(kind, fte):
    board = Board(norm_kind=kind)  # the defaults: 300; 2 h / 40 h; 25 h per 200 pupils
    norms = school_norms(board, pupils=360, groups=14)
    assert norms.chosen.fte == D(fte)
    assert [result.kind for result in norms.all] == ["pupils", "groups", "lbbo", "multi"]


def test_multi_school_rule_overrides_the_chosen_norm_only_for_such_schools():
    board = Board(norm_kind="groups", norm_multi_school_fte=D("1"))
    assert school_norms(board, pupils=95, groups=5, group_pupils=175, group_size=2).chosen.kind == (
        "multi"
    )
    assert school_norms(board, pupils=95, groups=5).chosen.kind == "groups"
    board.norm_multi_school_fte = None
    assert (
        school_norms(board, pupils=95, groups=5, group_pupils=175, group_size=2).chosen.kind
        == "groups"
    )
