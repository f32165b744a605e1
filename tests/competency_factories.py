"""Factories for competency frameworks, rounds, goals and training (shared by the test files)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory

from competencies.models import (
    AssessmentRound,
    Cell,
    Framework,
    FrameworkColumn,
    FrameworkRow,
    Goal,
    HeatMapConsent,
    Level,
    Rating,
    Training,
)

from .factories import BoardFactory, UserFactory

LEVEL_NAMES = ("beginnend", "ontwikkelend", "bekwaam", "excellent")


def matrix_framework(board, *, rows: int = 2, columns: int = 3, name: str = "Matrix") -> Framework:
    """A matrix framework of the board with rows x columns cells and the four default levels."""
    framework = Framework.objects.create(board=board, name=name, kind=Framework.Kind.MATRIX)
    cols = [
        FrameworkColumn.objects.create(framework=framework, title=f"Context {c + 1}", order=c)
        for c in range(columns)
    ]
    for r in range(rows):
        row = FrameworkRow.objects.create(framework=framework, title=f"Rol {r + 1}", order=r)
        for column in cols:
            Cell.objects.create(
                framework=framework, row=row, column=column, descriptor=f"{row} in {column}"
            )
    add_levels(framework)
    return framework


def list_framework(board, *, competencies: int = 3, name: str = "Lijst") -> Framework:
    framework = Framework.objects.create(board=board, name=name, kind=Framework.Kind.LIST)
    for n in range(competencies):
        row = FrameworkRow.objects.create(
            framework=framework, title=f"Competentie {n + 1}", order=n
        )
        Cell.objects.create(framework=framework, row=row, descriptor="Voorbeeldactiviteiten")
    add_levels(framework)
    return framework


def add_levels(framework: Framework) -> list[Level]:
    return [
        Level.objects.create(framework=framework, number=n, name=name)
        for n, name in enumerate(LEVEL_NAMES, start=1)
    ]


def assessment_round(
    ib,
    framework: Framework,
    *,
    levels: dict | None = None,
    completed: bool = True,
    shared_with=None,
    date: datetime.date | None = None,
) -> AssessmentRound:
    """A round of ``ib`` on ``framework``; ``levels`` maps cell -> level number (default 2)."""
    from django.utils import timezone

    round_ = AssessmentRound.objects.create(
        ib=ib,
        board=framework.board,
        framework=framework,
        date=date or datetime.date(2026, 10, 1),
        status=AssessmentRound.Status.COMPLETED if completed else AssessmentRound.Status.DRAFT,
        completed_at=timezone.now() if completed else None,
        shared_with=shared_with,
        shared_at=timezone.now() if shared_with else None,
    )
    by_number = {level.number: level for level in framework.levels.all()}
    for cell in framework.cells.all():
        number = (levels or {}).get(cell, 2)
        Rating.objects.create(
            round=round_, cell=cell, level=by_number.get(number), evidence="Bewijs"
        )
    return round_


def heatmap_consent(ib, board) -> HeatMapConsent:
    """The IB's open consent to count their self-assessments in the board's heat map."""
    from django.utils import timezone

    return HeatMapConsent.objects.create(ib=ib, board=board, given_at=timezone.now())


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    ib = factory.SubFactory(UserFactory)
    board = factory.SubFactory(BoardFactory)
    title = factory.Sequence(lambda n: f"Ontwikkeldoel {n}")


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Training

    ib = factory.SubFactory(UserFactory)
    board = factory.SubFactory(BoardFactory)
    course = "Post-hbo Intern Begeleider"
    provider = "Hogeschool"
    hours = Decimal("120")
    start_date = datetime.date(2025, 9, 1)
    end_date = datetime.date(2026, 6, 30)  # ended, as a record with a certificate must be
