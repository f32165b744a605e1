"""Model limits in messages are written as the reader's language writes numbers (core.validators):
"0,01" in Dutch, not Python's "0.01"."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from competencies.network_models import Network
from core.validators import MaxValueValidator, MinValueValidator
from schools.forms import BoardPolicyForm
from schools.models import Board

from . import factories as f


def message(validator, value, language: str) -> str:
    with pytest.raises(ValidationError) as caught:
        validator(value)
    with translation.override(language):
        return caught.value.messages[0]


def test_the_limit_is_written_with_a_decimal_comma_in_dutch():
    assert "0,01" in message(MinValueValidator(Decimal("0.01")), Decimal("0"), "nl")
    assert "0.01" in message(MinValueValidator(Decimal("0.01")), Decimal("0"), "en")
    assert "24" in message(MaxValueValidator(Decimal("24")), Decimal("30"), "nl")


def test_a_whole_limit_has_no_decimals():
    text = message(MaxValueValidator(Decimal("1.0")), Decimal("1.5"), "nl")
    assert text == "Zorg ervoor dat deze waarde hoogstens 1 is."


def test_the_validators_deconstruct_as_djangos_own_so_no_migration_is_needed():
    path, args, kwargs = MinValueValidator(Decimal("0.5")).deconstruct()
    assert (path, args, kwargs) == (
        "django.core.validators.MinValueValidator",
        (Decimal("0.5"),),
        {},
    )
    assert MaxValueValidator(5).deconstruct()[0] == "django.core.validators.MaxValueValidator"


def policy_data(board: Board, **fields) -> dict:
    return {
        "name": board.name,
        "hours_per_fte": "1659",
        "reserved_hours_per_fte": "0",
        "min_ib_fte": "0,6",
        "salary_scales": "LB",
        **f.BOARD_NORM_POST,
        "realisation_mid_year": "1-2",
        "realisation_year_end": "1-7",
        "retention_years": "2",
        "lock_version": str(board.lock_version),
        **fields,
    }


@pytest.mark.parametrize("field", ["min_ib_fte", "norm_multi_school_fte"])
def test_board_policy_shows_the_minimum_fte_with_a_comma(cast, field):
    with translation.override("nl"):
        form = BoardPolicyForm(policy_data(cast.board_a, **{field: "0"}), instance=cast.board_a)
        assert not form.is_valid()
        (error,) = form.errors[field]
    assert "0,01" in error and "0.01" not in error


def test_the_policy_page_shows_the_dutch_limit(client, cast):
    client.force_login(cast.staff_a)
    board = cast.board_a
    url = reverse("schools:board-edit", args=[board.pk])
    response = client.post(url, policy_data(board, min_ib_fte="0"))
    assert response.status_code == 200
    assert "0,01" in str(response.context["form"].errors["min_ib_fte"])
    board.refresh_from_db()
    assert board.min_ib_fte == Decimal("0.6")


def test_the_admin_shows_the_dutch_limit_too(cast):
    """The model's own validation (the admin, services' full_clean) gives the same message."""
    network = Network(board=cast.board_a, hours_per_meeting=Decimal("0.2"))
    with pytest.raises(ValidationError) as caught:
        network.full_clean()
    with translation.override("nl"):
        (text,) = caught.value.message_dict["hours_per_meeting"]
    assert "0,5" in text
