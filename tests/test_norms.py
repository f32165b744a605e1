"""Formation norms against hand-computed cases from the seed documents."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.utils import translation

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


# The board may limit the multi-school rule to small schools (KempenKind 2013: "1 fte" as an
# indication for small schools next to "ongeveer 300 leerlingen 1 fte").


def test_multi_school_rule_limited_to_schools_below_a_size():
    board = Board(
        norm_kind="pupils", norm_multi_school_fte=D("1"), norm_multi_school_max_pupils=300
    )
    small = school_norms(board, pupils=95, groups=5, group_pupils=175, group_size=2)
    assert small.chosen.kind == "multi"
    assert small.chosen.fte == D("0.54")
    assert "300" in small.chosen.label
    big = school_norms(board, pupils=402, groups=16, group_pupils=638, group_size=2)
    assert big.chosen.kind == "pupils"
    assert big.chosen.fte == D("1.34")
    assert big.result("multi").fte is None
    assert "402" in big.result("multi").arithmetic


def test_big_school_leaves_the_group_of_small_schools():
    from schools.figures import multi_school_group

    board = Board(norm_multi_school_fte=D("1"), norm_multi_school_max_pupils=300)
    group_of = {school: frozenset({1, 2, 3}) for school in (1, 2, 3)}
    pupils = {1: 402, 2: 95, 3: 80}
    assert multi_school_group(board, 2, group_of, pupils) == frozenset({2, 3})
    assert multi_school_group(board, 1, group_of, pupils) == frozenset()
    # One small school left alone shares nothing: the board's norm applies to it too.
    assert multi_school_group(board, 2, group_of, {**pupils, 3: 350}) == frozenset()
    board.norm_multi_school_max_pupils = None
    assert multi_school_group(board, 1, group_of, pupils) == frozenset({1, 2, 3})


def test_school_page_shows_the_limit(client, cast):
    from tests import factories as f

    board = cast.board_a
    board.norm_multi_school_fte = D("1")
    board.norm_multi_school_max_pupils = 300
    board.save()
    director = f.director(cast.school_a1, cast.school_a2)
    year = f.SchoolYearFactory()
    from schools.models import SchoolFigures

    for school, pupils, groups in ((cast.school_a1, 420, 16), (cast.school_a2, 120, 5)):
        SchoolFigures.objects.update_or_create(
            school=school, school_year=year, defaults={"pupils": pupils, "groups": groups}
        )
    client.force_login(director)
    from django.urls import reverse

    url = reverse("schools:school-detail", args=[cast.school_a1.pk])
    response = client.get(url, {"jaar": year.start_year})
    norms = response.context["norm"].norms
    assert norms.chosen.kind == board.norm_kind
    assert "420" in norms.result("multi").arithmetic
    assert response.context["norm_partners"] == []
    assert "300" in response.text  # the limit, in the multi-school norm's label


def test_small_school_whose_director_leads_only_big_others_says_so():
    """Tester 5 #11: Het Zonnepad's director also leads De Heuvelrug (402 pupils, above the
    board's limit of 300): the explanation said "not a school of a multi-school director"."""
    board = Board(
        norm_kind="pupils", norm_multi_school_fte=D("1"), norm_multi_school_max_pupils=300
    )
    norms = school_norms(board, pupils=120, groups=6, group_size=1, led_with=2)
    assert norms.chosen.kind == "pupils"
    with translation.override("nl"):
        reason = school_norms(board, pupils=120, groups=6, led_with=2).result("multi").arithmetic
    assert (
        reason == "de andere school van de directeur heeft 300 leerlingen of meer: de norm van het "
        "bestuur geldt"
    )
    with translation.override("nl"):
        alone = school_norms(board, pupils=120, groups=6).result("multi").arithmetic
    assert alone == "geen school van een meerschoolse directeur"


def test_norms_for_counts_the_directors_schools_before_the_size_limit():
    from schools.figures import norms_for

    board = Board(
        norm_kind="pupils", norm_multi_school_fte=D("1"), norm_multi_school_max_pupils=300
    )
    group_of = {school: frozenset({1, 2}) for school in (1, 2)}
    norms = norms_for(board, 2, 120, 6, group_of, {1: 402, 2: 120})
    assert norms.led_with == 2 and norms.group_size == 1
    assert "300" in norms.result("multi").arithmetic
