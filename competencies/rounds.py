"""Services of the self-assessment rounds: start, fill in, complete, share, dialogue.

The IB owns a round. Only the IB fills it in (while it is a draft), completes it, shares it
with their personnel-responsible director and withdraws that again. The director, while the
round is shared with them, adds their own view per cell; both record the conversation. There
is no assessing role: the director's view is input for a dialogue, never a grade.

Every service is keyword-only and atomic; a wrong actor gets ``PermissionDenied``, a rule that
refuses the action in this state gets a ``ValidationError`` with a message for the user.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.versioning import UNCHECKED, ExpectedVersion, claim_version
from schools.models import Appointment, Board, display_name, get_scope

from .models import (
    AssessmentRound,
    Cell,
    Conversation,
    DirectorView,
    Framework,
    HeatMapConsent,
    Level,
    Rating,
)

# {cell id: (level or None, evidence / note)}
CellData = dict[int, tuple[Level | None, str]]


def can_fill_in(round_: AssessmentRound, user) -> bool:
    return round_.ib_id == user.pk and round_.status == AssessmentRound.Status.DRAFT


def can_add_view(round_: AssessmentRound, user) -> bool:
    return (
        round_.shared_with_id is not None
        and round_.shared_with_id == user.pk
        and round_.status == AssessmentRound.Status.COMPLETED
    )


def can_record_conversation(round_: AssessmentRound, user) -> bool:
    return round_.shared_with_id is not None and user.pk in (round_.ib_id, round_.shared_with_id)


def startable_frameworks(user):
    """Current, active frameworks of the boards where the user is an IB."""
    board_ids = get_scope(user).ib_board_ids
    return (
        Framework.objects.current()
        .filter(board_id__in=board_ids, is_active=True)
        .select_related("board")
        .order_by("board__name", "name")
    )


def _require_ib(round_: AssessmentRound, actor) -> None:
    if round_.ib_id != actor.pk:
        raise PermissionDenied(_("Only the IB of this self-assessment can do this."))


def _check_cells(round_: AssessmentRound, data: CellData) -> None:
    """Cells and levels must be the round's framework's own."""
    cell_ids = set(
        Cell.objects.filter(framework_id=round_.framework_id).values_list("id", flat=True)
    )
    if not set(data) <= cell_ids:
        raise ValidationError(_("Some competencies do not belong to this framework."))
    for level, _text in data.values():
        if level is not None and level.framework_id != round_.framework_id:
            raise ValidationError(_("Some levels do not belong to this framework."))


@transaction.atomic
def round_start(*, ib, framework: Framework, date: datetime.date | None = None) -> AssessmentRound:
    """Start a self-assessment on ``framework``, or return the IB's draft on it: pressing
    "Start" twice (or in two tabs) continues the one draft instead of making a second."""
    if framework.board_id not in get_scope(ib).ib_board_ids:
        raise PermissionDenied(_("Only an IB of this board starts a self-assessment on it."))
    draft = (
        AssessmentRound.objects.select_for_update()
        .filter(ib=ib, framework=framework, status=AssessmentRound.Status.DRAFT)
        .order_by("id")
        .first()
    )
    if draft is not None:
        return draft
    if not startable_frameworks(ib).filter(pk=framework.pk).exists():
        raise ValidationError(_("This framework has been replaced or switched off."))
    round_ = AssessmentRound(
        ib=ib, board_id=framework.board_id, framework=framework, date=date or timezone.localdate()
    )
    round_.full_clean()
    round_.save()
    # One empty rating per cell, so saving later only updates.
    Rating.objects.bulk_create(
        Rating(round=round_, cell=cell) for cell in Cell.objects.filter(framework=framework)
    )
    return round_


@transaction.atomic
def ratings_save(
    *,
    round: AssessmentRound,  # noqa: A002
    actor,
    data: CellData,
    lock_version: ExpectedVersion = UNCHECKED,
) -> None:
    """Save the IB's cells; ``lock_version`` is the round's version the page showed."""
    _require_ib(round, actor)
    if round.status != AssessmentRound.Status.DRAFT:
        raise ValidationError(_("A completed self-assessment can no longer be changed."))
    _check_cells(round, data)
    claim_version(round, lock_version)
    existing = {rating.cell_id: rating for rating in round.ratings.all()}
    new, changed = [], []
    for cell_id, (level, evidence) in data.items():
        rating = existing.get(cell_id)
        if rating is None:
            new.append(Rating(round=round, cell_id=cell_id, level=level, evidence=evidence))
        else:
            rating.level, rating.evidence = level, evidence
            changed.append(rating)
    Rating.objects.bulk_create(new)
    Rating.objects.bulk_update(changed, ["level", "evidence"])


def missing_levels(round: AssessmentRound) -> int:  # noqa: A002
    """How many cells of the round's framework have no level yet."""
    filled = round.ratings.filter(level__isnull=False).count()
    return round.framework.cells.count() - filled


@transaction.atomic
def round_complete(*, round: AssessmentRound, actor) -> int:  # noqa: A002
    """Complete the round; returns how many cells have no level (allowed, the view warns)."""
    _require_ib(round, actor)
    if round.status != AssessmentRound.Status.DRAFT:
        raise ValidationError(_("This self-assessment is already completed."))
    round.status = AssessmentRound.Status.COMPLETED
    round.completed_at = timezone.now()
    round.full_clean()
    round.save(update_fields=["status", "completed_at"])
    return missing_levels(round)


@dataclass
class ShareResult:
    director: object
    others: list = field(default_factory=list)


@transaction.atomic
def round_share(*, round: AssessmentRound, actor) -> ShareResult:  # noqa: A002
    """Share with the personnel-responsible director of the IB's current appointment."""
    _require_ib(round, actor)
    if round.status != AssessmentRound.Status.COMPLETED:
        raise ValidationError(_("Complete the self-assessment before you share it."))
    appointment = (
        Appointment.objects.filter(ib_id=round.ib_id, board_id=round.board_id)
        .active_on(timezone.localdate())
        .with_details()
        .order_by("start_date", "pk")
        .first()
    )
    if appointment is None:
        raise ValidationError(_("You have no current appointment at this board to share with."))
    directors = sorted(
        appointment.personnel_directors, key=lambda user: (display_name(user), user.pk)
    )
    if not directors:
        if appointment.personnel.to_choose:
            raise ValidationError(
                _(
                    "Your personnel-responsible director is still to be chosen: several "
                    "directors lead an equally large part of your appointment. Ask the board "
                    "to choose."
                )
            )
        raise ValidationError(
            _(
                "There is no personnel-responsible director for your appointment (no school of "
                "it has a director registered). Ask the board to fix this."
            )
        )
    round.shared_with = directors[0]
    round.shared_at = timezone.now()
    round.full_clean()
    round.save(update_fields=["shared_with", "shared_at"])
    return ShareResult(director=directors[0], others=directors[1:])


@transaction.atomic
def round_unshare(*, round: AssessmentRound, actor) -> None:  # noqa: A002
    """Withdraw sharing. The director's views stay stored but are no longer shown to anyone."""
    _require_ib(round, actor)
    if round.shared_with_id is None:
        raise ValidationError(_("This self-assessment is not shared."))
    round.shared_with = None
    round.shared_at = None
    round.save(update_fields=["shared_with", "shared_at"])


# ---------------------------------------------------------------------------
# Consent to be counted in the board's heat map
# ---------------------------------------------------------------------------


def open_consents(ib) -> dict[int, HeatMapConsent]:
    """The IB's open consents by board id."""
    return {
        consent.board_id: consent
        for consent in HeatMapConsent.objects.filter(ib=ib, withdrawn_at__isnull=True)
    }


def _require_ib_of(board: Board, actor) -> None:
    if board.pk not in get_scope(actor).ib_board_ids:
        raise PermissionDenied(_("Only an IB of this board gives or withdraws this consent."))


@transaction.atomic
def heatmap_consent_give(*, board: Board, actor) -> HeatMapConsent:
    """The IB lets their completed self-assessments count in the board's heat map."""
    _require_ib_of(board, actor)
    existing = (
        HeatMapConsent.objects.select_for_update()
        .filter(ib=actor, board=board, withdrawn_at__isnull=True)
        .first()
    )
    if existing is not None:
        return existing  # given already (a second tab, a double click): keep the first time
    return HeatMapConsent.objects.create(ib=actor, board=board, given_at=timezone.now())


@transaction.atomic
def heatmap_consent_withdraw(*, board: Board, actor) -> int:
    """Withdraw it: from now on only shared self-assessments count. Returns the rows closed.

    Only the IB's own consent is touched, so any IB may withdraw theirs, also after leaving
    the board."""
    return HeatMapConsent.objects.filter(ib=actor, board=board, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )


@transaction.atomic
def director_views_save(
    *,
    round: AssessmentRound,  # noqa: A002
    actor,
    data: CellData,
    lock_version: ExpectedVersion = UNCHECKED,
) -> None:
    if not can_add_view(round, actor):
        raise PermissionDenied(
            _("Only the director this self-assessment is shared with can do this.")
        )
    _check_cells(round, data)
    claim_version(round, lock_version)
    # Only the actor's own views: another director the round was shared with before keeps theirs.
    existing = {view.cell_id: view for view in round.director_views.filter(author=actor)}
    new, changed = [], []
    for cell_id, (level, note) in data.items():
        view = existing.get(cell_id)
        if view is None:
            new.append(
                DirectorView(round=round, cell_id=cell_id, level=level, note=note, author=actor)
            )
        else:
            view.level, view.note = level, note
            changed.append(view)
    DirectorView.objects.bulk_create(new)
    DirectorView.objects.bulk_update(changed, ["level", "note"])


@transaction.atomic
def conversation_add(
    *,
    round: AssessmentRound,  # noqa: A002
    actor,
    date: datetime.date,
    agreements: str,
) -> Conversation:
    if not can_record_conversation(round, actor):
        raise PermissionDenied(
            _("Only the IB and the director it is shared with record the conversation.")
        )
    conversation = Conversation(round=round, date=date, agreements=agreements, recorded_by=actor)
    conversation.full_clean()
    conversation.save()
    return conversation


# ---------------------------------------------------------------------------
# reading: the trend over completed rounds of one framework family
# ---------------------------------------------------------------------------


def family_roots(frameworks: list[Framework]) -> dict[int, int]:
    """Framework id -> id of the first version (versions chain through ``previous``)."""
    previous = {fw.pk: fw.previous_id for fw in frameworks}
    roots = {}
    for pk in previous:
        root, seen = pk, set()
        while previous.get(root) and root not in seen:
            seen.add(root)
            root = previous[root]
        roots[pk] = root
    return roots


def cell_key(cell: Cell) -> tuple[str, str, int]:
    """Cells of different versions match by (row title, column title, indicator order)."""
    return (cell.row.title, cell.column.title if cell.column_id else "", cell.order)


@dataclass
class Trend:
    framework: Framework  # the newest version among the rounds
    rounds: list[AssessmentRound]  # oldest first
    rows: list[tuple[str, list[int | None]]]  # cell label, level number per round

    @property
    def steps(self) -> list[tuple[str, list[tuple[int | None, int]]]]:
        """Per row the level of each round with its step from the round before (+1 up, -1
        down, 0 the same or not comparable): so a step stands out in a long table."""
        result = []
        for label, numbers in self.rows:
            previous: int | None = None
            cells = []
            for number in numbers:
                step = 0
                if number is not None and previous is not None:
                    step = (number > previous) - (number < previous)
                cells.append((number, step))
                previous = number
            result.append((label, cells))
        return result


def trend_label(cell: Cell) -> str:
    """The cell as a trend row names it: an indicator in full (the row is its only place)."""
    return f"{cell.position}: {cell.descriptor}" if cell.order else cell.position


def trends_for(ib) -> list[Trend]:
    """Per framework family the IB's completed rounds and, per cell, the level in each."""
    rounds = list(
        AssessmentRound.objects.filter(ib=ib, status=AssessmentRound.Status.COMPLETED)
        .select_related("framework")
        .order_by("date", "pk")
    )
    if not rounds:
        return []
    board_ids = {r.board_id for r in rounds}
    roots = family_roots(list(Framework.objects.filter(board_id__in=board_ids)))
    levels: dict[int, dict[tuple, int | None]] = {r.pk: {} for r in rounds}
    keys_by_framework: dict[int, list[tuple]] = {}
    labels: dict[tuple, str] = {}  # (framework id, key) -> the cell's name in that version
    ratings = Rating.objects.filter(round__in=rounds).select_related(
        "cell__row", "cell__column", "level"
    )
    order = ("cell__row__order", "cell__column__order", "cell__order", "cell_id")
    for rating in ratings.order_by(*order):
        key = cell_key(rating.cell)
        levels[rating.round_id][key] = rating.level.number if rating.level else None
        keys = keys_by_framework.setdefault(rating.cell.framework_id, [])
        if key not in keys:
            keys.append(key)
        labels.setdefault((rating.cell.framework_id, key), trend_label(rating.cell))
    families: dict[int, list[AssessmentRound]] = {}
    for r in rounds:
        families.setdefault(roots.get(r.framework_id, r.framework_id), []).append(r)
    trends = []
    for family_rounds in families.values():
        newest = max(family_rounds, key=lambda r: (r.framework.version, r.framework_id))
        keys = list(keys_by_framework.get(newest.framework_id, []))
        for r in family_rounds:  # cells that the newest version dropped come last
            keys += [k for k in keys_by_framework.get(r.framework_id, []) if k not in keys]
        named = {}  # each key in the wording of the newest version that has it
        for r in sorted(family_rounds, key=lambda r: (r.framework.version, r.framework_id)):
            named.update({k: v for (fw, k), v in labels.items() if fw == r.framework_id})
        rows = [(named[key], [levels[r.pk].get(key) for r in family_rounds]) for key in keys]
        trends.append(Trend(framework=newest.framework, rounds=family_rounds, rows=rows))
    return trends
