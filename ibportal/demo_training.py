"""Demo data of the training offer (seed_demo): board A publishes a mandatory personal track
and an optional paid track; a few IBs have modules done, planned and overdue, and
ib.regenboog has signed the repayment agreement of the paid track.

Dates are set from the day of the load, so that "overdue" and "planned" mean the same on any
day; an existing row keeps what it has (running seed_demo again changes nothing).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from competencies.models import Cell, Framework, Training
from competencies.training_models import (
    ModulePlan,
    RepaymentAgreement,
    TrackEnrolment,
    TrainingModule,
    TrainingTrack,
)
from schools.models import Board, SchoolYear

SOURCE = "KempenKind 2013 §5 (opleiding)"

# (name, kind, mandatory, first/last year offset from this school year, scheme, early stop,
#  description, modules: (title, provider, hours, in working time, cost, year offset))
TRACKS = [
    (
        "Persoonsgebonden traject IB",
        TrainingTrack.Kind.PERSONAL,
        True,
        (-1, 1),
        "",
        None,
        "Het traject dat elke intern begeleider van het bestuur volgt, vastgelegd in het "
        "portfolio.",
        [
            ("Intake en portfolio", "Bestuursbureau", "12", True, "0", -1),
            ("Coachende gesprekstechnieken", "Kempen Academie", "24", True, "450", -1),
            ("Trendanalyse en datagestuurd werken", "Kempen Academie", "30", True, "650", 0),
            ("Intervisie en reflectie", "Netwerk IB", "16", False, "0", 1),
        ],
    ),
    (
        "Post-hbo Intern Begeleider",
        TrainingTrack.Kind.CONTINUING,
        False,
        (-1, 1),
        "100; 75; 50; 25",
        Decimal("100"),
        "Nascholing in drie modules over drie schooljaren; het bestuur betaalt, met een "
        "terugbetalingsregeling bij vertrek of voortijdig stoppen.",
        [
            ("Basismodule intern begeleider", "Hogeschool De Kempen", "80", False, "1250", -1),
            ("Handelingsgericht werken", "Hogeschool De Kempen", "60", False, "950", 0),
            ("Kwaliteitscoördinatie (LBBO 2022)", "Hogeschool De Kempen", "60", True, "1100", 1),
        ],
    ),
]


def tracks_create(board: Board) -> dict[str, list[TrainingModule]]:
    start = SchoolYear.current_start_year()
    framework = Framework.objects.filter(board=board, is_active=True).current().first()
    cells = list(Cell.objects.filter(framework=framework)[:8]) if framework else []
    modules = {}
    for name, kind, mandatory, (first, last), scheme, early, description, items in TRACKS:
        track = TrainingTrack.objects.filter(board=board, name=name).first()
        if track is None:
            track = TrainingTrack.objects.create(
                board=board,
                name=name,
                kind=kind,
                is_mandatory=mandatory,
                first_year=start + first,
                last_year=start + last,
                repayment_percentages=scheme,
                early_stop_percentage=early,
                description=description,
                source=SOURCE,
            )
        modules[name] = []
        for order, (title, provider, hours, working, cost, year) in enumerate(items):
            module, created = TrainingModule.objects.get_or_create(
                track=track,
                title=title,
                defaults={
                    "provider": provider,
                    "hours": Decimal(hours),
                    "in_working_time": working,
                    "cost": Decimal(cost),
                    "school_year": start + year,
                    "order": order,
                },
            )
            if created and cells:
                module.cells.set(cells[order * 2 : order * 2 + 2])
            modules[name].append(module)
    return modules


def done(ib, module: TrainingModule, *, days_ago: int, judgement: str, today) -> None:
    """The module taken as a training record with a certificate (judged or not)."""
    if ModulePlan.objects.filter(ib=ib, module=module).exists():
        return
    end = today - datetime.timedelta(days=days_ago)
    training = Training(
        ib=ib,
        board=module.track.board,
        course=module.title,
        provider=module.provider,
        hours=module.hours,
        start_date=end - datetime.timedelta(days=60),
        end_date=end,
        judgement=judgement,
    )
    name = f"certificaat-{module.pk}.pdf"
    training.certificate.save(name, ContentFile(b"%PDF-1.4\n% demo certificate\n"), save=False)
    training.save()
    ModulePlan.objects.create(
        ib=ib,
        board=module.track.board,
        module=module,
        training=training,
        cost_taken=module.cost,
        planned_year=module.school_year,
    )


def planned(ib, module: TrainingModule, *, days: int, today) -> None:
    ModulePlan.objects.get_or_create(
        ib=ib,
        module=module,
        defaults={
            "board": module.track.board,
            "planned_date": today + datetime.timedelta(days=days),
        },
    )


def training_create(board: Board, users: dict) -> None:
    modules = tracks_create(board)
    today = timezone.localdate()
    personal = modules["Persoonsgebonden traject IB"]
    paid = modules["Post-hbo Intern Begeleider"]
    accepted, pending = Training.Judgement.ACCEPTED, Training.Judgement.PENDING
    regenboog, wegwijzer, kompas = (users[k] for k in ("ib.regenboog", "ib.wegwijzer", "ib.kompas"))
    # ib.regenboog: well on the way, in the paid track with a repayment agreement.
    done(regenboog, personal[0], days_ago=400, judgement=accepted, today=today)
    done(regenboog, personal[1], days_ago=30, judgement=pending, today=today)
    planned(regenboog, personal[2], days=100, today=today)
    enrolment, created = TrackEnrolment.objects.get_or_create(
        ib=regenboog,
        track=paid[0].track,
        defaults={"board": board, "started_on": today - datetime.timedelta(days=480)},
    )
    if created:
        RepaymentAgreement.objects.create(
            enrolment=enrolment,
            repayment_percentages=paid[0].track.repayment_percentages,
            early_stop_percentage=paid[0].track.early_stop_percentage,
            agreed_on=enrolment.started_on,
        )
    done(regenboog, paid[0], days_ago=250, judgement=accepted, today=today)
    planned(regenboog, paid[1], days=150, today=today)
    # ib.wegwijzer: the first module's planned date has passed (overdue).
    planned(wegwijzer, personal[0], days=-45, today=today)
    # ib.kompas: one done, the next planned after the track's deadline (overdue).
    done(kompas, personal[0], days_ago=300, judgement=accepted, today=today)
    planned(kompas, personal[1], days=(personal[1].track.deadline - today).days + 60, today=today)
