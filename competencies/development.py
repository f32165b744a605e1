"""Services of the development portfolio: goals, actions, training records and judgement.

Goals are personal: only their IB reaches them (``Goal.objects.for_user``). Training records
are the IB's too, but board staff of the IB's board judge the certificates: accepted, or
further training needed (with a note saying what).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schools.models import get_scope

from .models import Cell, Framework, Goal, GoalAction, Training


def current_cells(board_ids) -> QuerySet[Cell]:
    """The cells of the boards' current, active frameworks: what a goal may be linked to."""
    frameworks = Framework.objects.filter(board_id__in=board_ids, is_active=True).current()
    return Cell.objects.filter(framework__in=frameworks).select_related(
        "framework", "row", "column"
    )


@transaction.atomic
def goal_save(*, goal: Goal, cells) -> Goal:
    """Save the goal with its cells; every cell belongs to a current framework of its board."""
    allowed = set(current_cells([goal.board_id]).values_list("pk", flat=True))
    if any(cell.pk not in allowed for cell in cells):
        raise ValidationError(
            {"cells": _("Choose competencies of your board's current frameworks.")}
        )
    goal.full_clean()
    goal.save()
    goal.cells.set(cells)
    return goal


def action_save(*, action: GoalAction) -> GoalAction:
    action.full_clean()
    action.save()
    return action


def training_save(*, training: Training, changed: list[str], old_certificate: str = "") -> Training:
    """Save the IB's record; a judged record that changes goes back to the board to judge.

    A replaced certificate file is removed once the new one is stored: the portfolio keeps
    one file per record, and no orphan copies of personal documents.
    """
    if training.judgement != Training.Judgement.PENDING and changed:
        training.judgement = Training.Judgement.PENDING
        training.judgement_note = ""
        training.judged_by = None
        training.judged_at = None
    training.full_clean()
    training.save()
    if old_certificate and old_certificate != training.certificate.name:
        storage = training.certificate.storage
        transaction.on_commit(lambda: storage.delete(old_certificate))
    return training


@transaction.atomic
def goal_delete(*, goal: Goal) -> int:
    """Delete a goal of the plan with its actions; returns how many actions went with it."""
    actions = goal.actions.count()
    goal.delete()
    return actions


def action_delete(*, action: GoalAction) -> None:
    action.delete()


TRAINING_JUDGED = gettext_lazy(
    "The board has judged this training record, so it stays in your portfolio. "
    "Ask the board if it should be removed."
)


def training_deletable(training: Training) -> bool:
    """The IB deletes a record the board has not judged yet; a judgement is the board's."""
    return training.judgement == Training.Judgement.PENDING


@transaction.atomic
def training_delete(*, training: Training) -> None:
    """Delete the record and, once that is committed, its certificate file."""
    if not training_deletable(training):
        raise ValidationError(TRAINING_JUDGED)
    certificate = training.certificate.name
    storage = training.certificate.storage
    training.delete()
    if certificate:
        transaction.on_commit(lambda: storage.delete(certificate))


def can_judge(training: Training, user) -> bool:
    return get_scope(user).can_manage_board(training.board_id)


def training_judge(*, training: Training, actor, judgement: str, note: str = "") -> Training:
    """Board staff of the IB's board judge a certificate; 'further training' needs a note."""
    if not can_judge(training, actor):
        raise PermissionDenied(_("Only board staff of the IB's board judge certificates."))
    if not training.certificate:
        raise ValidationError(_("There is no certificate to judge."))
    if not training.has_ended(timezone.localdate()):
        raise ValidationError(_("The course has not ended yet: judge it once it has ended."))
    if judgement not in (Training.Judgement.ACCEPTED, Training.Judgement.FURTHER):
        raise ValidationError({"judgement": _("Choose accepted or further training needed.")})
    note = note.strip()
    if judgement == Training.Judgement.FURTHER and not note:
        raise ValidationError({"judgement_note": _("Say which further training is needed.")})
    training.judgement = judgement
    training.judgement_note = note
    training.judged_by = actor
    training.judged_at = timezone.now()
    training.full_clean()
    training.save(update_fields=["judgement", "judgement_note", "judged_by", "judged_at"])
    return training


def trainings_to_review(board_id: int, user) -> QuerySet[Training]:
    """The board's training records with a certificate, the ones not judged yet first."""
    pending_first = Case(
        When(judgement=Training.Judgement.PENDING, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        Training.objects.for_user(user)
        .filter(board_id=board_id)
        .exclude(certificate="")
        .select_related("ib", "judged_by")
        .order_by(pending_first, "-start_date", "-id")
    )
