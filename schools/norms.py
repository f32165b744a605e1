"""Formation norms: how much IB (in fte) a school should have, with the arithmetic shown.

Pure functions over plain numbers, so the comparison page, the school page and the tests all
use the same formulas:

- pupils: fte = pupils / N                          (KempenKind: N = 300)
- groups: fte = groups x H / W                      (SWV Apeldoorn: H = 2, W = 40)
- LBBO:   fte = pupils / P x L / W                  (LBBO advice: L = 25 hours a week per P = 200)
- multi-school director: the schools one director leads share F fte, divided by their pupils
                                                    (KempenKind: F = 1); when the board limits
                                                    the rule to schools below M pupils, a school
                                                    of M or more gets the board's norm and is
                                                    not one of the schools sharing F
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property, lru_cache

from django.utils.formats import number_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

FTE_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class NormResult:
    kind: str
    label: str
    fte: Decimal | None  # None: not computable (figures missing, rule not applicable)
    arithmetic: str


def _fte(value: Decimal) -> Decimal:
    return value.quantize(FTE_PLACES, rounding=ROUND_HALF_UP)


def _n(value: Decimal | int) -> str:
    if isinstance(value, Decimal) and value == value.to_integral():
        value = value.to_integral()
    # A comparison writes out thousands of these; the same few values recur.
    return _formatted(str(value), isinstance(value, Decimal), get_language())


@lru_cache(maxsize=4096)
def _formatted(text: str, is_decimal: bool, language: str | None) -> str:
    return number_format(Decimal(text) if is_decimal else int(text), use_l10n=True)


@lru_cache(maxsize=1024)
def _label(kind: str, language: str | None, *values: Decimal | int | None) -> str:
    """A norm's label: the same for every school of a board, so translated once per board
    and language rather than once per school (a comparison has hundreds)."""
    if kind == "pupils":
        return _("1 fte per %(n)s pupils") % {"n": values[0]}
    if kind == "groups":
        return _("%(h)s hours a week per group, %(w)s hours a week per fte") % {
            "h": _n(values[0]),
            "w": _n(values[1]),
        }
    if kind == "lbbo":
        return _("LBBO: %(h)s hours a week per %(p)s pupils") % {
            "h": _n(values[0]),
            "p": values[1],
        }
    if values[0] is None:
        return _("multi-school director: no separate norm")
    if len(values) > 1 and values[1]:
        return _("multi-school director: %(f)s fte together, schools below %(m)s pupils") % {
            "f": _n(values[0]),
            "m": values[1],
        }
    return _("multi-school director: %(f)s fte together") % {"f": _n(values[0])}


def pupils_norm(pupils: int | None, per_fte: int) -> NormResult:
    label = _label("pupils", get_language(), per_fte)
    if pupils is None:
        return NormResult("pupils", label, None, _("no pupil count"))
    fte = _fte(Decimal(pupils) / Decimal(per_fte))
    return NormResult("pupils", label, fte, f"{pupils} / {per_fte} = {_n(fte)} fte")


def groups_norm(groups: int | None, hours_per_group: Decimal, week_hours: Decimal) -> NormResult:
    label = _label("groups", get_language(), hours_per_group, week_hours)
    if groups is None:
        return NormResult("groups", label, None, _("no number of groups"))
    hours = groups * hours_per_group
    fte = _fte(hours / week_hours)
    return NormResult(
        "groups",
        label,
        fte,
        f"{groups} × {_n(hours_per_group)} = {_n(hours)} / {_n(week_hours)} = {_n(fte)} fte",
    )


def lbbo_norm(
    pupils: int | None, hours: Decimal, per_pupils: int, week_hours: Decimal
) -> NormResult:
    label = _label("lbbo", get_language(), hours, per_pupils)
    if pupils is None:
        return NormResult("lbbo", label, None, _("no pupil count"))
    week = Decimal(pupils) / Decimal(per_pupils) * hours
    fte = _fte(week / week_hours)
    return NormResult(
        "lbbo",
        label,
        fte,
        f"{pupils} / {per_pupils} × {_n(hours)} = {_n(week.quantize(Decimal('0.1')))} "
        f"/ {_n(week_hours)} = {_n(fte)} fte",
    )


def multi_school_norm(
    pupils: int | None,
    group_pupils: int | None,
    group_fte: Decimal | None,
    group_size: int,
    max_pupils: int | None = None,
    led_with: int = 1,
) -> NormResult:
    """The school's part of the fixed fte that the schools of one multi-school director share
    (only schools below ``max_pupils``, when the board sets that limit). ``led_with``: the
    schools the director leads, this one included, before that limit left the big ones out:
    a small school whose director's other schools are all big shares with no one."""
    if group_fte is None:
        # The board has no separate rule: its own norm applies to these schools too.
        label = _label("multi", get_language(), None)
        return NormResult("multi", label, None, _("the board's norm applies to every school"))
    label = _label("multi", get_language(), group_fte, max_pupils)
    if max_pupils and pupils is not None and pupils >= max_pupils:
        return NormResult(
            "multi",
            label,
            None,
            _("%(pupils)s pupils: not below %(limit)s, the board's norm applies")
            % {"pupils": pupils, "limit": max_pupils},
        )
    if group_size < 2 and max_pupils and led_with >= 2:
        others = led_with - 1
        return NormResult(
            "multi",
            label,
            None,
            ngettext(
                "the director's other school has %(limit)s pupils or more: the board's norm "
                "applies",
                "the director's other schools have %(limit)s pupils or more: the board's norm "
                "applies",
                others,
            )
            % {"limit": max_pupils},
        )
    if group_size < 2:
        return NormResult("multi", label, None, _("not a school of a multi-school director"))
    if not pupils or not group_pupils:
        return NormResult("multi", label, None, _("no pupil count"))
    fte = _fte(group_fte * Decimal(pupils) / Decimal(group_pupils))
    return NormResult(
        "multi",
        label,
        fte,
        f"{_n(group_fte)} × {pupils} / {group_pupils} = {_n(fte)} fte",
    )


class SchoolNorms:
    """Every norm kind for one school, and the one that applies under the board's policy.

    The multi-school rule, when the board has one, applies to a school whose director leads
    several schools of the board; otherwise the board's chosen norm applies. Each norm is
    computed when first read: a comparison of hundreds of schools shows only the one that
    applies, the school page shows them all.
    """

    def __init__(
        self,
        board,
        *,
        pupils: int | None,
        groups: int | None,
        group_pupils: int | None = None,
        group_size: int = 1,
        led_with: int = 1,
    ) -> None:
        self.board = board
        self.pupils = pupils
        self.groups = groups
        self.group_pupils = group_pupils
        self.group_size = group_size
        self.led_with = led_with
        self._results: dict[str, NormResult] = {}

    def result(self, kind: str) -> NormResult:
        if kind not in self._results:
            board = self.board
            week_hours = board.norm_week_hours_per_fte
            if kind == "pupils":
                result = pupils_norm(self.pupils, board.norm_pupils_per_fte)
            elif kind == "groups":
                result = groups_norm(self.groups, board.norm_hours_per_group, week_hours)
            elif kind == "lbbo":
                result = lbbo_norm(
                    self.pupils, board.norm_lbbo_hours, board.norm_lbbo_pupils, week_hours
                )
            else:
                result = multi_school_norm(
                    self.pupils,
                    self.group_pupils,
                    board.norm_multi_school_fte,
                    self.group_size,
                    board.norm_multi_school_max_pupils,
                    self.led_with,
                )
            self._results[kind] = result
        return self._results[kind]

    @cached_property
    def chosen(self) -> NormResult:
        applies_multi = self.board.norm_multi_school_fte is not None and self.group_size >= 2
        if applies_multi and self.result("multi").fte is not None:
            return self.result("multi")
        return self.result(self.board.norm_kind)

    @cached_property
    def all(self) -> list[NormResult]:
        return [self.result(kind) for kind in NORM_KINDS]


# The order of the norms on the school page.
NORM_KINDS = ("pupils", "groups", "lbbo", "multi")


def school_norms(
    board,
    *,
    pupils: int | None,
    groups: int | None,
    group_pupils: int | None = None,
    group_size: int = 1,
    led_with: int = 1,
) -> SchoolNorms:
    """The norms of one school (see ``SchoolNorms``)."""
    return SchoolNorms(
        board,
        pupils=pupils,
        groups=groups,
        group_pupils=group_pupils,
        group_size=group_size,
        led_with=led_with,
    )
