"""This app's models holding personal data, for the download and the anonymisation of a
person (``schools.personal_data``). Self-assessments stay (the board's anonymous heat map
counts them) without their evidence texts; the development plan and certificates are the
person's own and go."""

from __future__ import annotations

import datetime

from schools.personal_data import anonymiser, holds

from .models import (
    AppraisalConversation,
    AssessmentRound,
    Conversation,
    DirectorView,
    Goal,
    GoalAction,
    HeatMapConsent,
    ModulePlan,
    Rating,
    RepaymentAgreement,
    TrackEnrolment,
    Training,
)
from .network_models import NetworkAttendance

holds(AssessmentRound, "ib", "shared_with")
holds(Rating, "round__ib")
holds(DirectorView, "author", "round__ib")
holds(Conversation, "recorded_by", "round__ib")
holds(HeatMapConsent, "ib")
holds(Goal, "ib")
holds(GoalAction, "goal__ib")
holds(Training, "ib", "judged_by")
# The download of either party leaves out both preparations: a preparation is its author's
# working note, shown to the other only when shared, and the row reaches both people.
holds(
    AppraisalConversation,
    "ib",
    "director",
    hidden=("director_preparation", "ib_preparation"),
)
# The track: plans are the IB's own (modules taken stay); an enrolment and its repayment
# agreement stay (the board may still claim a repayment), the reason for stopping is cleared.
holds(ModulePlan, "ib")
holds(TrackEnrolment, "ib")
holds(RepaymentAgreement, "enrolment__ib")
# Attendance at the IB network: kept on anonymisation (the meeting's count stays true), the
# row then names the pseudonym.
holds(NetworkAttendance, "ib")


@anonymiser("development_goals_removed")
def remove_development_plan(user, day: datetime.date) -> int:
    return Goal.objects.filter(ib=user).delete()[0]


@anonymiser("evidence_texts_cleared")
def clear_evidence(user, day: datetime.date) -> int:
    return Rating.objects.filter(round__ib=user).exclude(evidence="").update(evidence="")


@anonymiser("certificates_removed")
def remove_certificates(user, day: datetime.date) -> int:
    """A certificate carries the person's name: the file goes, the training's hours stay."""
    count = 0
    for training in Training.objects.filter(ib=user).exclude(certificate=""):
        training.certificate.delete(save=False)
        Training.objects.filter(pk=training.pk).update(certificate="")
        count += 1
    return count


@anonymiser("conversation_reports_removed")
def remove_conversations(user, day: datetime.date) -> int:
    """Functionerings- and beoordelingsgesprekken belong in the personnel file, which is kept
    until the board's retention period after leaving ends: then they go with the person."""
    return AppraisalConversation.objects.filter(ib=user).delete()[0]


@anonymiser("module_plans_removed")
def remove_module_plans(user, day: datetime.date) -> int:
    """Plans go; a module taken (linked to a training record) stays without its note: the
    repayment under an agreement is computed from the modules taken."""
    ModulePlan.objects.filter(ib=user, training__isnull=False).exclude(note="").update(note="")
    return ModulePlan.objects.filter(ib=user, training__isnull=True).delete()[0]


@anonymiser("stop_reasons_cleared")
def clear_stop_reasons(user, day: datetime.date) -> int:
    return TrackEnrolment.objects.filter(ib=user).exclude(stop_reason="").update(stop_reason="")
