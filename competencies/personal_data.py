"""This app's models holding personal data, for the download and the anonymisation of a
person (``schools.personal_data``). Self-assessments stay (the board's anonymous heat map
counts them) without their evidence texts; the development plan and certificates are the
person's own and go."""

from __future__ import annotations

import datetime

from schools.personal_data import anonymiser, holds

from .models import (
    AssessmentRound,
    Conversation,
    DirectorView,
    Goal,
    GoalAction,
    HeatMapConsent,
    Rating,
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
