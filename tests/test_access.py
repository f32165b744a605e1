"""The access matrix: every URL of the project, every member of the cast.

Anonymous -> login page with ?next=; outside your scope -> 404; in scope but your role cannot
change it -> 403; the right role -> 200. A URL that is added to the URLconf but not to
``MATRIX`` fails ``test_every_url_is_in_the_matrix``. Objects are those of board A, so the
people of board B are the outsiders.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from schools.imports import batch_create, read_file
from schools.models import Appointment, ImportBatch, School, SchoolYear
from tasks.models import Domain, Moment, Package, PackageItem
from tasks.packages import item_add, package_create, package_review, package_submit
from tasks.realisation import LineValues, realisation_save

from . import factories as f
from .conftest import add_package_a
from .framework_data import column_add_data, framework_edit_data, row_add_data

USERS = (
    "staff_a",
    "admin_a",
    "staff_b",
    "director_a",
    "director_b",
    "ib_a",
    "ib_b",
    "partnership_staff",
)

# Parts of the URLconf that are not ours or get their own tests (test_admin, test_settings,
# test_health: the public health check).
SKIPPED_PREFIXES = ("beheer/", "account/", "taal/", "gezond/")
# URL namespaces whose rows are still to be written, by the work that brings them. Keep this
# empty: a namespace listed here is outside the matrix, and nothing else checks its access.
NAMESPACES_WITHOUT_ROWS_YET: set[str] = set()


def expect(default: int, **overrides: int) -> dict[str, int]:
    unknown = set(overrides) - set(USERS)
    assert not unknown, f"not in the cast: {unknown}"
    return {user: overrides.get(user, default) for user in USERS}


# Board pages are for board staff; people who can see the board through a school, an
# appointment or the partnership get 403, people of board B 404.
BOARD_STAFF_ONLY = expect(403, staff_a=200, admin_a=200, staff_b=404, director_b=404, ib_b=404)
# Changing a school: board staff only; the school's own director, IB and partnership see it.
SCHOOL_CHANGE = BOARD_STAFF_ONLY
# Changing an appointment: partnership staff do not see appointments at all.
APPOINTMENT_CHANGE = expect(
    403, staff_a=200, admin_a=200, staff_b=404, director_b=404, ib_b=404, partnership_staff=404
)


# The board's comparison: board staff; its directors and IBs 403; partnership staff compare
# through their partnership's page, so the board's URL does not exist for them (404).
BOARD_COMPARISON = expect(
    403, staff_a=200, admin_a=200, staff_b=404, director_b=404, ib_b=404, partnership_staff=404
)


def sharing_a(c) -> None:
    """Board A shares its figures with the partnership (see test_comparison without)."""
    c.board_a.shares_with_partnership = True
    c.board_a.save()


# The catalogue: readable by everyone of board A (not partnership staff), changed by its staff.
CATALOGUE_CHANGE = expect(
    403, staff_a=200, admin_a=200, staff_b=404, director_b=404, ib_b=404, partnership_staff=404
)


# Task packages: everyone of board A who sees the package reads it (partnership staff do not);
# only the school's director changes it, only the share's IB reviews it.
PACKAGE_READ = expect(200, staff_b=404, director_b=404, ib_b=404, partnership_staff=404)
PACKAGE_CHANGE = expect(404, staff_a=403, admin_a=403, director_a=302, ib_a=403)
PACKAGE_REVIEW = expect(404, staff_a=403, admin_a=403, director_a=403, ib_a=302)
# Realisation: read like the package; recorded only by the package's IB.
REALISATION_RECORD = expect(404, staff_a=403, admin_a=403, director_a=403, ib_a=302)


@pytest.fixture
def cast(cast):
    """The cast with package_a, here only: a package protects its share from being replaced."""
    add_package_a(cast)
    return cast


def lock(c) -> dict:
    """The lock version as stored now, as a freshly loaded page would post it."""
    return {"lock_version": Package.objects.get(pk=c.package_a.pk).lock_version}


def item_a(c) -> PackageItem:
    return PackageItem.objects.get(version__package=c.package_a)


def submitted(c) -> None:
    package_submit(package=c.package_a, actor=c.director_a, **lock(c))


def returned(c) -> None:
    submitted(c)
    package_review(
        package=c.package_a, actor=c.ib_a, accept=False, comment="Meer trendanalyse", **lock(c)
    )


def agreed(c) -> None:
    submitted(c)
    package_review(package=c.package_a, actor=c.ib_a, accept=True, **lock(c))


def realisation_open(c) -> None:
    """package_a agreed, its board's mid-year moment on 1 August: open all school year."""
    agreed(c)
    c.board_a.realisation_mid_year = "1-8"
    c.board_a.save()


def with_realisation(c) -> None:
    """The mid-year moment open, and the IB's hours for package_a's task recorded."""
    realisation_open(c)
    package = Package.objects.with_details().get(pk=c.package_a.pk)
    realisation_save(
        package=package,
        moment=Moment.MID,
        actor=c.ib_a,
        lock_version=None,
        values={item_a(c).key: LineValues(hours=Decimal("18.5"), note="Schatting")},
    )


def shared_agreed(c) -> None:
    """Board A shares with the partnership and ib_a agrees to package_a: the partnership's
    copy exists (issue 14)."""
    sharing_a(c)
    agreed(c)


# The partnership's copy: partnership staff only; everyone else 404 (they read the package
# through its own pages, which stay 404 for partnership staff).
PARTNERSHIP_COPY = expect(404, partnership_staff=200)


def with_last_year(c) -> None:
    """ib_a's package at A1 of the year before, with a task that this year's lacks."""
    year = SchoolYear.objects.get(pk=c.package_a.school_year_id)
    old = package_create(
        share=c.package_a.share,
        school_year=f.SchoolYearFactory(start_year=year.start_year - 1),
        actor=c.director_a,
    )
    item_add(
        package=old,
        actor=c.director_a,
        lock_version=old.lock_version,
        hours=Decimal("12"),
        title="Leesproject",
        domain=Domain.objects.get(code="leren"),
    )


def with_framework(c) -> None:
    """Board A has a competency framework (the heat map's export needs one)."""
    from .competency_factories import matrix_framework

    matrix_framework(c.board_a)


def framework_a(c):
    """Board A's current matrix framework (made on first use)."""
    from competencies.models import Framework

    from .competency_factories import matrix_framework

    return Framework.objects.filter(board=c.board_a).current().first() or matrix_framework(
        c.board_a
    )


def round_a(c):
    """ib_a's completed self-assessment, shared with director_a (made on first use)."""
    from competencies.models import AssessmentRound

    from .competency_factories import assessment_round

    existing = AssessmentRound.objects.filter(ib=c.ib_a).first()
    return existing or assessment_round(c.ib_a, framework_a(c), shared_with=c.director_a)


def round_a_draft(c) -> None:
    round_a(c).__class__.objects.filter(ib=c.ib_a).update(
        status="draft", completed_at=None, shared_with=None, shared_at=None
    )


def round_a_unshared(c) -> None:
    round_a(c).__class__.objects.filter(ib=c.ib_a).update(shared_with=None, shared_at=None)


def version(obj) -> dict:
    """The hidden field of an edit form: the object's version as saved now."""
    return {"lock_version": type(obj).objects.get(pk=obj.pk).lock_version}


def round_cells_post(c) -> dict:
    """One level (the first) and a text for every cell of round_a's framework."""
    round_ = round_a(c)
    framework = round_.framework
    level = framework.levels.first()
    data = version(round_)
    for cell in framework.cells.all():
        data[f"level_{cell.pk}"] = level.pk
        data[f"text_{cell.pk}"] = "Voorbeeld"
    return data


# Self-assessments: only the IB and, once shared, the director it is shared with see one.
ROUND_IB_ACTION = expect(404, ib_a=302)


def catalogue_task_data(**fields) -> dict:
    data = {
        "title": "Taak",
        "description": "Omschrijving",
        "domain": Domain.objects.get(code="data").pk,
        "default_hours": "12,5",
        "source": "Eigen bestuur",
        "is_ib_task": "on",
        "not_ib_reason": "",
    }
    data.update(fields)
    return data


def appointment_form_data(
    cast, *, ib, start: str, shares: list[tuple[School | str, str]], **fields
) -> dict:
    data = {
        "ib": ib.pk,
        "kind": "taak",
        "salary_scale": "LC",
        "start_date": start,
        "end_date": "",
        "lead_school": "",
        "shares-TOTAL_FORMS": str(len(shares)),
        "shares-INITIAL_FORMS": "0",
        "shares-MIN_NUM_FORMS": "0",
        "shares-MAX_NUM_FORMS": "1000",
    }
    for index, (school, fte) in enumerate(shares):
        data[f"shares-{index}-school"] = school.pk if isinstance(school, School) else school
        data[f"shares-{index}-fte"] = fte
    data.update(fields)
    return data


# A DUO locations file of board A (11111): one new school, one of board B skipped.
LOCATIONS_A = (
    b"BRIN NUMMER;VESTIGINGSNUMMER;VESTIGINGSNAAM;PLAATSNAAM;BEVOEGD GEZAG NUMMER\n"
    b"11AC;00;OBS Nieuw;Eindhoven;11111\n"
    b"22BB;00;OBS Elders;Utrecht;22222\n"
)


# Board A's staff from HR (AFAS layout): a new IB'er at School A2.
HR_FILE_A = (
    b"Medewerker;Naam;E-mailadres;BRIN;Vestiging;FTE;Functie;Begindatum\n"
    b"1001;Ilse de Wit;ilse@example.invalid;11AB;00;0,6;Intern begeleider;01-08-2026\n"
)
BOARD_ADMIN_ONLY = {**BOARD_STAFF_ONLY, "staff_a": 403}


def import_batch_a(c) -> ImportBatch:
    """Board A's pending import of LOCATIONS_A (made once per test)."""
    batch = ImportBatch.objects.filter(board=c.board_a).first()
    if batch is None:
        kind = ImportBatch.Kind.LOCATIONS
        batch = batch_create(
            board=c.board_a,
            user=c.staff_a,
            kind=kind,
            filename="vestigingen.csv",
            content=LOCATIONS_A,
            records=read_file(LOCATIONS_A, kind),
        )
    return batch


# The development portfolio: IBs only; goals are their IB's alone (404 for everyone else);
# training records are the IB's, and board staff of the IB's board judge the certificates.
IB_ONLY = expect(403, ib_a=200, ib_b=200)
OWN_GOAL = expect(404, ib_a=200)


def goal_a(c):
    """ib_a's development goal with one action (made once per test)."""
    from competencies.models import Goal, GoalAction

    goal = Goal.objects.filter(ib=c.ib_a).first()
    if goal is None:
        goal = Goal.objects.create(ib=c.ib_a, board=c.board_a, title="Trendanalyses maken")
        GoalAction.objects.create(goal=goal, kind="course", description="Cursus data")
    return goal


def conversation_a(c):
    """ib_a's functioneringsgesprek with director_a, held yesterday (made on first use)."""
    from competencies.models import AppraisalConversation

    existing = AppraisalConversation.objects.filter(ib=c.ib_a).first()
    return existing or AppraisalConversation.objects.create(
        ib=c.ib_a,
        board=c.board_a,
        director=c.director_a,
        kind="functioning",
        date=timezone.localdate() - datetime.timedelta(days=1),
    )


def conversation_lock(c) -> dict:
    from competencies.models import AppraisalConversation

    return {"lock_version": AppraisalConversation.objects.get(pk=conversation_a(c).pk).lock_version}


def conversation_recorded(c) -> None:
    conversation_a(c).__class__.objects.filter(ib=c.ib_a).update(
        report="Goed gesprek", recorded_at=timezone.now()
    )


# A conversation: the IB, its director and the board's staff read it; nobody else finds it.
CONVERSATION_READ = expect(404, staff_a=200, admin_a=200, director_a=200, ib_a=200)
CONVERSATION_DIRECTOR = expect(404, staff_a=403, admin_a=403, director_a=200, ib_a=403)


def training_a(c):
    """ib_a's training record with a PDF certificate (made once per test)."""
    from django.core.files.base import ContentFile

    from competencies.models import Training

    training = Training.objects.filter(ib=c.ib_a).first()
    if training is None:
        training = Training.objects.create(
            ib=c.ib_a,
            board=c.board_a,
            course="Post-hbo IB",
            hours=Decimal("120"),
            start_date="2025-09-01",
            end_date="2026-06-30",
            certificate=ContentFile(b"%PDF-1.4\n%%EOF\n", name="0123456789abcdef.pdf"),
        )
    return training


# The training offer (issue 17): the board's staff, IBs and directors read it, its staff keep
# it; an IB's track is theirs, board staff read it and record a stop; board B and the
# partnership never see it.
OFFER_READ = expect(404, staff_a=200, admin_a=200, director_a=200, ib_a=200)
OFFER_CHANGE = expect(404, staff_a=200, admin_a=200, director_a=403, ib_a=403)
OWN_TRACK = expect(403, ib_a=200, ib_b=404)


def track_a(c):
    """Board A's mandatory track with one module (made once per test)."""
    from competencies.training_models import TrainingModule, TrainingTrack

    track = TrainingTrack.objects.filter(board=c.board_a, is_mandatory=True).first()
    if track is None:
        track = TrainingTrack.objects.create(
            board=c.board_a,
            name="Persoonsgebonden traject",
            kind="personal",
            is_mandatory=True,
            first_year=2025,
            last_year=2027,
        )
        TrainingModule.objects.create(track=track, title="Coachende gesprekken", hours=24)
    return track


def module_a(c):
    return track_a(c).modules.get()


def paid_track_a(c):
    """Board A's optional track with costs and a repayment scheme (made once per test)."""
    from competencies.training_models import TrainingModule, TrainingTrack

    track = TrainingTrack.objects.filter(board=c.board_a, is_mandatory=False).first()
    if track is None:
        track = TrainingTrack.objects.create(
            board=c.board_a,
            name="Post-hbo IB",
            kind="continuing",
            first_year=2025,
            last_year=2027,
            repayment_percentages="100; 50",
            early_stop_percentage=Decimal("100"),
        )
        TrainingModule.objects.create(track=track, title="Basismodule", hours=80, cost=1250)
    return track


def enrolment_a(c):
    """ib_a follows the paid track with a repayment agreement (made once per test)."""
    from competencies.training_models import RepaymentAgreement, TrackEnrolment

    track = paid_track_a(c)
    enrolment = TrackEnrolment.objects.filter(ib=c.ib_a, track=track).first()
    if enrolment is None:
        enrolment = TrackEnrolment.objects.create(
            ib=c.ib_a, board=c.board_a, track=track, started_on="2025-09-01"
        )
        RepaymentAgreement.objects.create(
            enrolment=enrolment,
            repayment_percentages="100; 50",
            early_stop_percentage=Decimal("100"),
            agreed_on="2025-09-01",
        )
    return enrolment


def own_hours_a(c):
    """Study leave on appointment_a this school year (made once per test)."""
    from schools.own_hours import OwnHours

    year = SchoolYear.current_start_year()
    return OwnHours.objects.filter(appointment=c.appointment_a).first() or (
        OwnHours.objects.create(
            appointment=c.appointment_a,
            kind=OwnHours.Kind.STUDY_LEAVE,
            label="Master",
            hours=Decimal("40"),
            start_year=year,
            end_year=year,
        )
    )


def own_hours_post(c, **fields) -> dict:
    year = str(SchoolYear.current_start_year())
    return {
        "kind": "duurzame_inzetbaarheid",
        "label": "Starter",
        "hours": "40",
        "start_year": year,
        "end_year": year,
        "lock_version": "",
        **fields,
    }


# The board's IB network: everyone of board A reads meetings, agendas and minutes (partnership
# staff and board B: 404); board staff keep it (others of board A: 403). Documents are for
# board staff and IBs: directors do not get them (404, like attendance they cannot reach).
NETWORK_READ = expect(200, staff_b=404, director_b=404, ib_b=404, partnership_staff=404)
NETWORK_CHANGE = expect(
    403, staff_a=200, admin_a=200, staff_b=404, director_b=404, ib_b=404, partnership_staff=404
)
DOCUMENT_CHANGE = expect(404, staff_a=200, admin_a=200, ib_a=403)
DOCUMENT_READ = expect(404, staff_a=200, admin_a=200, ib_a=200)


def meeting_a(c):
    """Board A's network meeting (past, with minutes), every IB of board A present (made once
    per test)."""
    import datetime

    from competencies.network import board_ibs
    from competencies.network_models import NetworkAttendance, NetworkMeeting

    meeting = NetworkMeeting.objects.filter(board=c.board_a).first()
    if meeting is None:
        meeting = NetworkMeeting.objects.create(
            board=c.board_a,
            date=timezone.localdate() - datetime.timedelta(days=7),
            start_time=datetime.time(15, 30),
            place="Netwerkplaats Eersel",
            agenda="Casus bespreken",
            minutes="Afspraken gemaakt",
        )
        for ib in board_ibs(c.board_a):
            NetworkAttendance.objects.create(meeting=meeting, ib=ib, status="present")
    return meeting


def theme_a(c):
    from competencies.network_models import NetworkTheme

    return NetworkTheme.objects.get_or_create(board=c.board_a, title="Handelingsgericht werken")[0]


def document_a(c):
    """A document of board A's network with an uploaded PDF (made once per test)."""
    from django.core.files.base import ContentFile

    from competencies.network_models import NetworkDocument

    return NetworkDocument.objects.filter(board=c.board_a).first() or (
        NetworkDocument.objects.create(
            board=c.board_a,
            title="Format leerlingbespreking",
            file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="0123456789abcdef.pdf"),
        )
    )


def meeting_post(c, **fields) -> dict:
    return {
        "date": "2026-03-12",
        "start_time": "15:30",
        "end_time": "17:00",
        "place": "Bestuursbureau",
        "agenda": "1. Opening",
        "minutes": "",
        "lock_version": "",
        **fields,
    }


# The school's development points: its board's staff, its directors and its IBs read them
# (partnership staff do not: 404); the director and board staff keep them, the IB proposes.
POINTS_READ = expect(404, staff_a=200, admin_a=200, director_a=200, ib_a=200)
POINT_CHANGE = expect(404, staff_a=200, admin_a=200, director_a=200, ib_a=403)
POINT_DECIDE = expect(404, staff_a=302, admin_a=302, director_a=302, ib_a=403)
# The werkplan of a package: drawn up by its director and its IB while it is a draft; others
# who read the package get 403.
GOAL_CHANGE = expect(404, staff_a=403, admin_a=403, director_a=200, ib_a=200)


# The school's task division (issue 16): read by its board's staff, its directors and its IBs
# (the partnership does not: 404); only the school's director changes it.
DIVISION_READ = expect(200, staff_b=404, director_b=404, ib_b=404, partnership_staff=404)
DIVISION_CHANGE = expect(404, staff_a=403, admin_a=403, director_a=302, ib_a=403)
DIVISION_EDIT_PAGE = {**DIVISION_CHANGE, "director_a": 200}


def division_a(c):
    """School A1's division of package_a's year with a maths coordinator (made once)."""
    from tasks.division import division_create
    from tasks.models import RoleHolder, TaskDivision

    found = TaskDivision.objects.filter(school=c.school_a1).first()
    if found is None:
        found = division_create(
            school=c.school_a1, school_year=c.package_a.school_year, actor=c.director_a
        )
        RoleHolder.objects.create(division=found, role="coordinator_rekenen", hours=40)
    return found


def ib_a_without_password(c):
    """The IB of board A as the HR import makes people: no password, so invitable (people
    who sign in already are not invited)."""
    c.ib_a.set_unusable_password()
    c.ib_a.save(update_fields=["password"])


def maths_a(c):
    return division_a(c).holders.get(role="coordinator_rekenen")


def holder_remove_post(c) -> dict:
    from tasks.division import holder_loss

    return {"shown": holder_loss(maths_a(c)).fingerprint}


def division_kwargs(c) -> dict:
    return {"school_pk": c.school_a1.pk, "start_year": c.package_a.school_year.start_year}


def division_save_post(c) -> dict:
    """The matrix as a fresh page posts it, task_a moved from the IB to the coordinator."""
    from tasks import division as dv
    from tasks.models import TaskDivision

    obj = TaskDivision.objects.get(pk=division_a(c).pk)
    matrix = dv.build_matrix(obj.school, obj.school_year, obj)
    data = {"lock_version": str(obj.lock_version)}
    for column in matrix.columns:
        if column.is_ib:
            data[f"pkg_{column.package.pk}"] = str(column.package.lock_version)
    row = next(r for r in matrix.rows if r.task == c.task_a)
    data[dv.cell_field(row, matrix.column(f"p{c.package_a.pk}"))] = ""
    data[dv.cell_field(row, matrix.column(f"h{maths_a(c).pk}"))] = "30"
    return data


def point_a(c):
    """An accepted development point of school A1 (made once per test)."""
    from schools.models import DevelopmentPoint

    year = SchoolYear.current_start_year()
    return DevelopmentPoint.objects.filter(school=c.school_a1, status="vastgesteld").first() or (
        DevelopmentPoint.objects.create(
            school=c.school_a1,
            title="Leesonderwijs versterken",
            source="schoolplan",
            start_year=year,
            end_year=year + 1,
        )
    )


def proposed_point_a(c):
    """ib_a's proposal of a development point at school A1 (made once per test)."""
    from schools.models import DevelopmentPoint

    year = SchoolYear.current_start_year()
    return DevelopmentPoint.objects.filter(school=c.school_a1, status="voorgesteld").first() or (
        DevelopmentPoint.objects.create(
            school=c.school_a1,
            title="Rekenbeleid herzien",
            source="evaluatie",
            start_year=year,
            end_year=year,
            status="voorgesteld",
            proposed_by=c.ib_a,
        )
    )


def point_post(c, **fields) -> dict:
    year = SchoolYear.current_start_year()
    return {
        "title": "Rekenen in de onderbouw",
        "source": "jaarplan",
        "start_year": str(year),
        "end_year": str(year),
        "description": "",
        "lock_version": "",
        **fields,
    }


def werkplan_goal_a(c):
    """A goal of package_a's werkplan, tied to point_a and served by its task (made once)."""
    from tasks.models import WerkplanGoal

    goal = WerkplanGoal.objects.filter(version__package=c.package_a).first()
    if goal is None:
        goal = WerkplanGoal.objects.create(
            version=c.package_a.versions.get(),
            title="Beter begrijpend lezen",
            development_point=point_a(c),
            domain=Domain.objects.get(code="leren"),
            success_criterion="80% van groep 6 haalt het streefniveau",
        )
        goal.items.set([item_a(c)])
    return goal


def evaluation_last_year_a(c) -> None:
    """ib_a's agreed package at A1 of last year, evaluated with a goal not achieved: the
    werkplan of package_a is offered that goal (made once per test)."""
    year = SchoolYear.current_start_year() - 1
    if Package.objects.filter(share__school=c.school_a1, school_year__start_year=year).exists():
        return
    previous = f.PackageFactory(
        share=c.appointment_a.shares.get(),
        school_year=f.SchoolYearFactory(start_year=year),
        status="akkoord",
    )
    f.EvaluationGoalFactory(
        evaluation=f.EvaluationFactory(package=previous), title="Rekenen op niveau"
    )


def carry_post(c) -> dict:
    return {**lock(c), "goals": ["rekenen op niveau"]}


# The year-end evaluation: read like the package (partnership staff never, also of a board
# that shares); started by the director or the IB, rated by the IB, the director's view by
# the director, the conversation recorded by either.
EVALUATION_START = expect(404, staff_a=403, admin_a=403, director_a=302, ib_a=302)
EVALUATION_RATE = REALISATION_RECORD
EVALUATION_VIEW = expect(404, staff_a=403, admin_a=403, director_a=302, ib_a=403)
EVALUATION_HOLD = EVALUATION_START
EVALUATION_EXTEND = expect(404, staff_a=302, admin_a=302, director_a=403, ib_a=403)


def extend_post(c) -> dict:
    from tasks.evaluation import open_until

    c.package_a.refresh_from_db()
    until = open_until(c.package_a) + datetime.timedelta(days=30)
    return {"until": until.isoformat(), "lock_version": c.package_a.lock_version}


def evaluation_open(c) -> None:
    """package_a with a werkplan goal, agreed; its board's year-end moment on 1 August, so
    that the evaluation is open all school year."""
    werkplan_goal_a(c)
    agreed(c)
    c.board_a.realisation_mid_year = "1-8"
    c.board_a.realisation_year_end = "1-8"
    c.board_a.save()


def evaluation_a(c):
    from tasks.models import Evaluation

    return Evaluation.objects.get(package=c.package_a)


def evaluation_started(c) -> None:
    from tasks.evaluation import evaluation_start

    evaluation_open(c)
    evaluation_start(package=Package.objects.with_details().get(pk=c.package_a.pk), actor=c.ib_a)


def evaluation_started_shared(c) -> None:
    """Started, and board A shares with the partnership: still nothing for its staff."""
    sharing_a(c)
    evaluation_started(c)


def evaluation_ready(c) -> None:
    from tasks.evaluation import GoalValues, ratings_save

    evaluation_started(c)
    evaluation = evaluation_a(c)
    ratings_save(
        evaluation=evaluation,
        actor=c.ib_a,
        lock_version=evaluation.lock_version,
        values={goal.key: GoalValues("behaald", "Toets") for goal in evaluation.goals.all()},
        ready=True,
    )


def ratings_post(c) -> dict:
    evaluation = evaluation_a(c)
    goal = evaluation.goals.get()
    return {
        "lock_version": evaluation.lock_version,
        f"rating_{goal.pk}": "deels",
        f"evidence_{goal.pk}": "Groep 6 haalde 75%",
    }


def goal_post(c) -> dict:
    return {
        **lock(c),
        "title": "Data bespreken met het team",
        "development_point": point_a(c).pk,
        "source_text": "",
        "domain": Domain.objects.get(code="data").pk,
        "success_criterion": "Elk leerteam bespreekt twee keer per jaar zijn data",
        "items": [item_a(c).pk],
    }


@dataclass(frozen=True)
class Row:
    """One URL: how to fill in its arguments, who gets which status, a valid POST if any."""

    kwargs: Callable[..., dict]
    expected: dict[str, int]
    post: Callable[..., dict] | None = field(default=None)
    # A POST-only action (a button): the matrix posts instead of getting; success is 302.
    post_only: bool = False
    # Puts the objects in the state the action needs (a submitted package to review, ...).
    setup: Callable[..., None] | None = None
    # A public page (login_not_required: the privacy statement, the help): anonymous users get
    # it too instead of the login page.
    public: bool = False


MATRIX: dict[str, Row] = {
    # The start page sends every logged-in user on to their own page (see test_views).
    "home": Row(lambda c: {}, expect(302)),
    # The help (issue #15) is public and the same for everyone (tests/test_help.py).
    "help:index": Row(lambda c: {}, expect(200), public=True),
    "help:page": Row(lambda c: {"slug": "directeur"}, expect(200), public=True),
    "schools:board-detail": Row(lambda c: {"pk": c.board_a.pk}, BOARD_STAFF_ONLY),
    "schools:board-edit": Row(
        lambda c: {"pk": c.board_a.pk},
        BOARD_STAFF_ONLY,
        post=lambda c: {
            "name": "Bestuur A hernoemd",
            "hours_per_fte": "1659",
            "reserved_hours_per_fte": "123",
            "min_ib_fte": "0,5",
            "salary_scales": "LB, LC",
            **f.BOARD_NORM_POST,
            **version(c.board_a),
        },
    ),
    # History pages: board staff of the board, as the edit pages of the same objects.
    "schools:board-history": Row(lambda c: {"pk": c.board_a.pk}, BOARD_STAFF_ONLY),
    "schools:membership-history": Row(lambda c: {"pk": c.board_a.pk}, BOARD_STAFF_ONLY),
    "schools:figures-history": Row(lambda c: {"pk": c.school_a1.pk}, SCHOOL_CHANGE),
    "schools:appointment-history": Row(lambda c: {"pk": c.appointment_a.pk}, APPOINTMENT_CHANGE),
    "tasks:task-history": Row(lambda c: {"pk": c.task_a.pk}, CATALOGUE_CHANGE),
    # Security events: the board administrator only; board staff see the board (403).
    "schools:security-events": Row(
        lambda c: {"pk": c.board_a.pk}, {**BOARD_STAFF_ONLY, "staff_a": 403}
    ),
    "schools:school-create": Row(
        lambda c: {"board_pk": c.board_a.pk},
        BOARD_STAFF_ONLY,
        post=lambda c: {
            "name": "Nieuwe school",
            "brin": "11AC",
            "location_code": "00",
            "place": "Eindhoven",
            "partnership": c.partnership.pk,
            "directors": [c.director_a.pk],
        },
    ),
    "schools:appointment-create": Row(
        lambda c: {"board_pk": c.board_a.pk},
        BOARD_STAFF_ONLY,
        post=lambda c: appointment_form_data(
            c, ib=c.ib_a, start="2026-08-01", shares=[(c.school_a2, "0,2"), ("", "")]
        ),
    ),
    # The import of DUO data: board staff only.
    "schools:import-upload": Row(
        lambda c: {"board_pk": c.board_a.pk},
        BOARD_STAFF_ONLY,
        post=lambda c: {
            "kind": "vestigingen",
            "file": SimpleUploadedFile("vestigingen.csv", LOCATIONS_A, "text/csv"),
        },
    ),
    "schools:import-preview": Row(
        lambda c: {"board_pk": c.board_a.pk, "batch_pk": import_batch_a(c).pk}, BOARD_STAFF_ONLY
    ),
    "schools:import-commit": Row(
        lambda c: {"board_pk": c.board_a.pk, "batch_pk": import_batch_a(c).pk},
        {**BOARD_STAFF_ONLY, "staff_a": 302, "admin_a": 302},
        post=lambda c: {},
        post_only=True,
    ),
    # Staff from HR and invitations (issue 15): the board administrator only; board staff see
    # the board (403); the person invited must be one of the board's people.
    "schools:hr-import-upload": Row(
        lambda c: {"board_pk": c.board_a.pk},
        BOARD_ADMIN_ONLY,
        post=lambda c: {
            "file": SimpleUploadedFile("personeel.csv", HR_FILE_A, "text/csv"),
            "full": "on",
        },
    ),
    "schools:staff-list": Row(lambda c: {"pk": c.board_a.pk}, BOARD_ADMIN_ONLY),
    "schools:staff-invite": Row(
        lambda c: {"pk": c.board_a.pk, "user_pk": c.ib_a.pk},
        {**BOARD_ADMIN_ONLY, "admin_a": 302},
        post=lambda c: {},
        post_only=True,
        setup=ib_a_without_password,
    ),
    "schools:staff-invite-all": Row(
        lambda c: {"pk": c.board_a.pk},
        {**BOARD_ADMIN_ONLY, "admin_a": 302},
        post=lambda c: {},
        post_only=True,
        setup=ib_a_without_password,
    ),
    "schools:school-list": Row(lambda c: {}, expect(200)),
    "schools:school-detail": Row(
        lambda c: {"pk": c.school_a1.pk}, expect(200, staff_b=404, director_b=404, ib_b=404)
    ),
    "schools:school-edit": Row(
        lambda c: {"pk": c.school_a1.pk},
        SCHOOL_CHANGE,
        post=lambda c: {
            "name": "School A1 hernoemd",
            "brin": "11AA",
            "location_code": "00",
            "place": "Veldhoven",
            "partnership": c.partnership.pk,
            "directors": [c.director_a.pk],
            **version(c.school_a1),
        },
    ),
    "schools:figures-edit": Row(
        lambda c: {"pk": c.school_a1.pk, "start_year": 2030},
        SCHOOL_CHANGE,
        post=lambda c: {"pupils": "321", "groups": "13"},
    ),
    "schools:appointment-list": Row(lambda c: {}, expect(200)),
    # Exports: scoped as the pages they come from (what is not in scope is left out).
    "schools:appointment-export": Row(lambda c: {"fmt": "csv"}, expect(200)),
    "schools:appointment-detail": Row(
        lambda c: {"pk": c.appointment_a.pk},
        expect(200, staff_b=404, director_b=404, ib_b=404, partnership_staff=404),
    ),
    "schools:appointment-edit": Row(
        lambda c: {"pk": c.appointment_a.pk},
        APPOINTMENT_CHANGE,
        post=lambda c: {
            **appointment_form_data(
                c, ib=c.ib_a, start="2025-08-01", shares=[(c.school_a1, "0,9")]
            ),
            "shares-INITIAL_FORMS": "1",
            **version(c.appointment_a),
        },
    ),
    "schools:appointment-end": Row(
        lambda c: {"pk": c.appointment_a.pk},
        APPOINTMENT_CHANGE,
        post=lambda c: {"end_date": "2026-07-31"},
    ),
    "schools:partnership-detail": Row(
        lambda c: {"pk": c.partnership.pk}, expect(404, partnership_staff=200)
    ),
    # The user's own settings: everyone reaches only their own (the URL names nobody else).
    "schools:preferences": Row(
        lambda c: {}, expect(200), post=lambda c: {"weekly_digest": "", "lock_version": ""}
    ),
    # AVG (issue 15): the privacy statement is public; everyone downloads only their own data
    # (the URL names nobody else); the board administrator ends and anonymises the board's
    # people (board staff see the board: 403; other boards 404).
    "schools:privacy": Row(lambda c: {}, expect(200), public=True),
    "schools:my-data": Row(lambda c: {}, expect(200)),
    "schools:my-data-json": Row(lambda c: {}, expect(200)),
    # The former "people and leavers" page: one page of the board's people now (staff-list);
    # the old address sends the board administrator there, and hides nothing more to others.
    "schools:board-people": Row(
        lambda c: {"pk": c.board_a.pk}, {**BOARD_STAFF_ONLY, "staff_a": 403, "admin_a": 301}
    ),
    "schools:person-end": Row(
        lambda c: {"board_pk": c.board_a.pk, "pk": c.ib_a.pk},
        {**BOARD_STAFF_ONLY, "staff_a": 403},
        post=lambda c: {},
    ),
    # Two-factor sign-in: everyone sets up their own (the URL names nobody else); its POSTs
    # need a code of the user's own app: tests/test_two_factor.py.
    "two_factor_setup": Row(lambda c: {}, expect(200)),
    # The comparison of schools: board staff of the board; partnership staff (read-only)
    # through the partnership's page, over the boards that share their figures.
    "schools:comparison": Row(lambda c: {"board_pk": c.board_a.pk}, BOARD_COMPARISON),
    "schools:comparison-export": Row(
        lambda c: {"board_pk": c.board_a.pk, "fmt": "csv"}, BOARD_COMPARISON
    ),
    # The year cycle beside the board's comparison: as the comparison, and never for
    # partnership staff, also when the board shares its figures (realisation and evaluation
    # are not part of what a board shares with its partnership).
    "schools:comparison-cycle": Row(
        lambda c: {"board_pk": c.board_a.pk}, BOARD_COMPARISON, setup=sharing_a
    ),
    "schools:comparison-cycle-export": Row(
        lambda c: {"board_pk": c.board_a.pk, "fmt": "xlsx"}, BOARD_COMPARISON, setup=sharing_a
    ),
    "schools:partnership-comparison": Row(
        lambda c: {"pk": c.partnership.pk}, expect(404, partnership_staff=200), setup=sharing_a
    ),
    "schools:partnership-comparison-export": Row(
        lambda c: {"pk": c.partnership.pk, "fmt": "xlsx"},
        expect(404, partnership_staff=200),
        setup=sharing_a,
    ),
    "schools:school-years": Row(
        lambda c: {"pk": c.school_a1.pk},
        expect(200, staff_b=404, director_b=404, ib_b=404),
        setup=sharing_a,
    ),
    # Competency frameworks: everyone of board A reads them (not partnership staff), board
    # staff keep them.
    "competencies:framework-list": Row(
        lambda c: {"board_pk": c.board_a.pk},
        expect(200, staff_b=404, director_b=404, ib_b=404, partnership_staff=404),
    ),
    "competencies:framework-copy-standard": Row(
        lambda c: {"board_pk": c.board_a.pk, "key": "zeven-ib-competenties"},
        {**CATALOGUE_CHANGE, "staff_a": 302, "admin_a": 302},
        post=lambda c: {},
        post_only=True,
    ),
    "competencies:framework-detail": Row(
        lambda c: {"pk": framework_a(c).pk},
        expect(200, staff_b=404, director_b=404, ib_b=404, partnership_staff=404),
    ),
    "competencies:framework-edit": Row(
        lambda c: {"pk": framework_a(c).pk},
        CATALOGUE_CHANGE,
        post=lambda c: framework_edit_data(framework_a(c), name="Matrix, bewerkt"),
    ),
    "competencies:framework-row-add": Row(
        lambda c: {"pk": framework_a(c).pk},
        CATALOGUE_CHANGE,
        post=lambda c: row_add_data(framework_a(c)),
    ),
    "competencies:framework-column-add": Row(
        lambda c: {"pk": framework_a(c).pk},
        CATALOGUE_CHANGE,
        post=lambda c: column_add_data(framework_a(c)),
    ),
    # GET asks first; POST removes.
    "competencies:framework-row-remove": Row(
        lambda c: {"pk": framework_a(c).rows.first().pk}, CATALOGUE_CHANGE, post=lambda c: {}
    ),
    "competencies:framework-column-remove": Row(
        lambda c: {"pk": framework_a(c).columns.first().pk}, CATALOGUE_CHANGE, post=lambda c: {}
    ),
    # The competency heat map: counts only, for board staff of the board.
    "competencies:heatmap": Row(lambda c: {"board_pk": c.board_a.pk}, BOARD_STAFF_ONLY),
    "competencies:heatmap-export": Row(
        lambda c: {"board_pk": c.board_a.pk}, BOARD_STAFF_ONLY, setup=with_framework
    ),
    # Self-assessments (competencies): private to the IB until shared with their director.
    "competencies:round-list": Row(lambda c: {}, expect(200)),
    "competencies:shared-rounds": Row(lambda c: {}, expect(200)),
    # The IB's consent to count in the board's heat map: the board's IBs only.
    "competencies:heatmap-consent": Row(
        lambda c: {"board_pk": c.board_a.pk},
        expect(403, ib_a=302, staff_b=404, director_b=404, ib_b=404),
        post=lambda c: {"action": "give"},
        post_only=True,
    ),
    "competencies:round-start": Row(
        lambda c: {"framework_pk": framework_a(c).pk},
        expect(404, staff_a=403, admin_a=403, director_a=403, ib_a=302),
        post=lambda c: {},
        post_only=True,
    ),
    "competencies:round-detail": Row(
        lambda c: {"pk": round_a(c).pk}, expect(404, ib_a=200, director_a=200)
    ),
    "competencies:round-ratings": Row(
        lambda c: {"pk": round_a(c).pk},
        ROUND_IB_ACTION,
        post=lambda c: {**round_cells_post(c), "action": "save"},
        post_only=True,
        setup=round_a_draft,
    ),
    "competencies:round-share": Row(
        lambda c: {"pk": round_a(c).pk},
        ROUND_IB_ACTION,
        post=lambda c: {},
        post_only=True,
        setup=round_a_unshared,
    ),
    "competencies:round-unshare": Row(
        lambda c: {"pk": round_a(c).pk},
        expect(404, ib_a=302, director_a=403),
        post=lambda c: {},
        post_only=True,
    ),
    "competencies:round-director-view": Row(
        lambda c: {"pk": round_a(c).pk},
        expect(404, ib_a=403, director_a=302),
        post=round_cells_post,
        post_only=True,
    ),
    "competencies:round-conversation": Row(
        lambda c: {"pk": round_a(c).pk},
        expect(404, ib_a=302, director_a=302),
        post=lambda c: {"date": "2026-11-02", "agreements": "Focus op trendanalyse"},
        post_only=True,
    ),
    # The catalogue: everyone of the board reads it, board staff keep it.
    "tasks:catalogue": Row(
        lambda c: {"board_pk": c.board_a.pk},
        expect(200, staff_b=404, director_b=404, ib_b=404, partnership_staff=404),
    ),
    "tasks:catalogue-export": Row(
        lambda c: {"board_pk": c.board_a.pk, "fmt": "csv"},
        expect(200, staff_b=404, director_b=404, ib_b=404, partnership_staff=404),
    ),
    "tasks:task-create": Row(
        lambda c: {"board_pk": c.board_a.pk},
        CATALOGUE_CHANGE,
        post=lambda c: catalogue_task_data(title="Nieuwe taak"),
    ),
    "tasks:task-edit": Row(
        lambda c: {"pk": c.task_a.pk},
        CATALOGUE_CHANGE,
        post=lambda c: catalogue_task_data(title="Groepsbesprekingen, bewerkt") | version(c.task_a),
    ),
    "tasks:task-toggle-active": Row(
        lambda c: {"pk": c.task_a.pk},
        {**CATALOGUE_CHANGE, "staff_a": 302, "admin_a": 302},
        post=lambda c: {"confirmed": "1"},
        post_only=True,
    ),
    "tasks:catalogue-copy": Row(
        lambda c: {"board_pk": c.board_a.pk},
        {**CATALOGUE_CHANGE, "staff_a": 302, "admin_a": 302},
        post=lambda c: {},
        post_only=True,
    ),
    # Task packages.
    "tasks:package-overview": Row(lambda c: {}, expect(200)),
    "tasks:package-export": Row(lambda c: {"fmt": "csv"}, expect(200)),
    "tasks:ib-packages": Row(lambda c: {}, expect(200)),
    "tasks:package-create": Row(
        # Next school year: this year's package exists already.
        lambda c: {
            "share_pk": c.package_a.share_id,
            "start_year": SchoolYear.current_start_year() + 1,
        },
        expect(404, staff_a=403, admin_a=403, director_a=302, ib_a=403),
        post=lambda c: {},
        post_only=True,
    ),
    "tasks:package-detail": Row(lambda c: {"pk": c.package_a.pk}, PACKAGE_READ),
    "tasks:package-letter": Row(lambda c: {"pk": c.package_a.pk}, PACKAGE_READ),
    # The school's task division: the matrix, its roles, its print and export.
    "tasks:division-index": Row(lambda c: {}, expect(200), setup=division_a),
    "tasks:division": Row(division_kwargs, DIVISION_READ, setup=division_a),
    "tasks:division-start": Row(
        # Next school year: a year the portal offers, without a division yet.
        lambda c: {"school_pk": c.school_a1.pk, "start_year": SchoolYear.current_start_year() + 1},
        DIVISION_CHANGE,
        post=lambda c: {},
        post_only=True,
    ),
    "tasks:division-save": Row(
        lambda c: {"pk": division_a(c).pk},
        DIVISION_CHANGE,
        post=division_save_post,
        post_only=True,
    ),
    "tasks:division-own-task": Row(
        lambda c: {"pk": division_a(c).pk},
        DIVISION_CHANGE,
        post=lambda c: {
            "task-title": "Leesproject begeleiden",
            "task-domain": str(c.task_a.domain_id),
            "task-column": f"h{maths_a(c).pk}",
            "task-hours": "8",
        },
        post_only=True,
    ),
    "tasks:division-holder-add": Row(
        lambda c: {"pk": division_a(c).pk},
        DIVISION_CHANGE,
        post=lambda c: {"role": "coordinator_taal", "name": "", "hours": "40", "lock_version": ""},
        post_only=True,
    ),
    "tasks:division-holder-edit": Row(
        lambda c: {"holder_pk": maths_a(c).pk},
        DIVISION_EDIT_PAGE,
        post=lambda c: {
            "role": "coordinator_rekenen",
            "name": "Mirjam",
            "hours": "50",
            **version(maths_a(c)),
        },
    ),
    # A page that says what goes with the role, and its confirmation.
    "tasks:division-holder-remove": Row(
        lambda c: {"holder_pk": maths_a(c).pk},
        DIVISION_EDIT_PAGE,
        post=holder_remove_post,
    ),
    "tasks:division-print": Row(lambda c: {"pk": division_a(c).pk}, DIVISION_READ),
    "tasks:division-export": Row(lambda c: {"pk": division_a(c).pk, "fmt": "xlsx"}, DIVISION_READ),
    "tasks:package-history": Row(lambda c: {"pk": c.package_a.pk}, PACKAGE_READ),
    "tasks:copy-list": Row(lambda c: {}, PARTNERSHIP_COPY, setup=shared_agreed),
    "tasks:copy-detail": Row(
        lambda c: {"pk": c.package_a.pk}, PARTNERSHIP_COPY, setup=shared_agreed
    ),
    "tasks:copy-letter": Row(
        lambda c: {"pk": c.package_a.pk}, PARTNERSHIP_COPY, setup=shared_agreed
    ),
    "tasks:item-add": Row(
        lambda c: {"pk": c.package_a.pk},
        PACKAGE_CHANGE,
        post=lambda c: {
            **lock(c),
            "own-title": "Eigen taak",
            "own-domain": Domain.objects.get(code="data").pk,
            "own-hours": "12,5",
            "own-note": "",
        },
        post_only=True,
    ),
    # The sheet: every task's hours and note at once.
    "tasks:package-save": Row(
        lambda c: {"pk": c.package_a.pk},
        PACKAGE_CHANGE,
        post=lambda c: {
            **lock(c),
            f"hours_{item_a(c).pk}": "32,5",
            f"note_{item_a(c).pk}": "Minder",
        },
        post_only=True,
    ),
    # The catalogue to add from, on demand; without htmx a redirect to the package page.
    "tasks:package-catalogue": Row(lambda c: {"pk": c.package_a.pk}, PACKAGE_CHANGE),
    "tasks:item-remove": Row(
        lambda c: {"item_pk": item_a(c).pk},
        PACKAGE_CHANGE,
        post=lambda c: {**lock(c), "confirm": "1"},
        post_only=True,
    ),
    "tasks:package-copy": Row(
        lambda c: {"pk": c.package_a.pk},
        PACKAGE_CHANGE,
        post=lambda c: lock(c),
        post_only=True,
        setup=with_last_year,
    ),
    "tasks:package-submit": Row(
        lambda c: {"pk": c.package_a.pk},
        PACKAGE_CHANGE,
        post=lambda c: {**lock(c), "comment": "Graag voor 1 oktober"},
        post_only=True,
    ),
    "tasks:package-draft": Row(
        lambda c: {"pk": c.package_a.pk},
        PACKAGE_CHANGE,
        post=lambda c: lock(c),
        post_only=True,
        setup=returned,
    ),
    "tasks:package-withdraw": Row(
        lambda c: {"pk": c.package_a.pk},
        PACKAGE_CHANGE,
        post=lambda c: {**lock(c), "comment": "Nog een taak vergeten", "confirmed": "1"},
        post_only=True,
        setup=submitted,
    ),
    "tasks:package-review": Row(
        lambda c: {"pk": c.package_a.pk},
        PACKAGE_REVIEW,
        post=lambda c: {**lock(c), "decision": "accept", "comment": "Akkoord"},
        post_only=True,
        setup=submitted,
    ),
    "tasks:package-reopen": Row(
        lambda c: {"pk": c.package_a.pk},
        PACKAGE_CHANGE,
        post=lambda c: {**lock(c), "comment": "Extra uren voor het leesproject"},
        post_only=True,
        setup=agreed,
    ),
    # The school's development points.
    "schools:development-points": Row(lambda c: {"pk": point_a(c).school_id}, POINTS_READ),
    "schools:development-point-create": Row(
        lambda c: {"pk": c.school_a1.pk}, POINTS_READ, post=point_post
    ),
    "schools:development-point-edit": Row(
        lambda c: {"pk": point_a(c).pk},
        POINT_CHANGE,
        post=lambda c: point_post(c, **version(point_a(c))),
    ),
    "schools:development-point-decide": Row(
        lambda c: {"pk": proposed_point_a(c).pk},
        POINT_DECIDE,
        post=lambda c: {"decision": "accept", **version(proposed_point_a(c))},
        post_only=True,
    ),
    # The werkplan's goals of a package (a draft).
    "tasks:goal-create": Row(
        lambda c: {"pk": c.package_a.pk}, GOAL_CHANGE, post=goal_post, setup=point_a
    ),
    "tasks:goal-edit": Row(
        lambda c: {"goal_pk": werkplan_goal_a(c).pk}, GOAL_CHANGE, post=goal_post
    ),
    "tasks:goal-remove": Row(
        lambda c: {"goal_pk": werkplan_goal_a(c).pk}, GOAL_CHANGE, post=lambda c: lock(c)
    ),
    # Carrying goals of last year's evaluation over into the werkplan (a button).
    "tasks:goal-carry-over": Row(
        lambda c: {"pk": c.package_a.pk},
        {**GOAL_CHANGE, "director_a": 302, "ib_a": 302},
        post=carry_post,
        post_only=True,
        setup=evaluation_last_year_a,
    ),
    # Realisation of an agreed package at a moment: the IB's sheet, read by the others.
    "tasks:package-realisation": Row(
        lambda c: {"pk": c.package_a.pk, "moment": Moment.MID},
        PACKAGE_READ,
        setup=with_realisation,
    ),
    "tasks:realisation-save": Row(
        lambda c: {"pk": c.package_a.pk, "moment": Moment.MID},
        REALISATION_RECORD,
        post=lambda c: {
            "lock_version": "",
            f"realised_{item_a(c).pk}": "12,5",
            f"rnote_{item_a(c).pk}": "Schatting",
        },
        post_only=True,
        setup=realisation_open,
    ),
    # The year-end evaluation of an agreed package.
    "tasks:package-evaluation": Row(
        lambda c: {"pk": c.package_a.pk}, PACKAGE_READ, setup=evaluation_started_shared
    ),
    "tasks:evaluation-start": Row(
        lambda c: {"pk": c.package_a.pk},
        EVALUATION_START,
        post=lambda c: {"lock_version": ""},
        post_only=True,
        setup=evaluation_open,
    ),
    "tasks:evaluation-ratings": Row(
        lambda c: {"pk": c.package_a.pk},
        EVALUATION_RATE,
        post=ratings_post,
        post_only=True,
        setup=evaluation_started,
    ),
    "tasks:evaluation-view": Row(
        lambda c: {"pk": c.package_a.pk},
        EVALUATION_VIEW,
        post=lambda c: {
            "director_view": "Een sterk jaar",
            "lock_version": evaluation_a(c).lock_version,
        },
        post_only=True,
        setup=evaluation_started,
    ),
    "tasks:evaluation-extend": Row(
        lambda c: {"pk": c.package_a.pk},
        EVALUATION_EXTEND,
        post=extend_post,
        post_only=True,
        setup=evaluation_started,
    ),
    "tasks:evaluation-conversation": Row(
        lambda c: {"pk": c.package_a.pk},
        EVALUATION_HOLD,
        post=lambda c: {
            "held_on": timezone.localdate().isoformat(),
            "participants": "Directeur en IB'er",
            "agreements": "Het leesdoel loopt door",
            "lock_version": evaluation_a(c).lock_version,
        },
        post_only=True,
        setup=evaluation_ready,
    ),
    # The development portfolio (goals, actions, training) and the board's judgement.
    "competencies:plan": Row(lambda c: {}, IB_ONLY),
    "competencies:goal-create": Row(
        lambda c: {}, IB_ONLY, post=lambda c: {"title": "Leesbeleid", "status": "open"}
    ),
    "competencies:goal-edit": Row(
        lambda c: {"pk": goal_a(c).pk},
        OWN_GOAL,
        post=lambda c: {"title": "Trendanalyses, bewerkt", "status": "in_progress"},
    ),
    "competencies:goal-delete": Row(lambda c: {"pk": goal_a(c).pk}, OWN_GOAL, post=lambda c: {}),
    "competencies:action-create": Row(
        lambda c: {"goal_pk": goal_a(c).pk},
        OWN_GOAL,
        post=lambda c: {"kind": "coaching", "description": "Coaching", "status": "open"},
    ),
    "competencies:action-edit": Row(
        lambda c: {"pk": goal_a(c).actions.get().pk},
        OWN_GOAL,
        post=lambda c: {"kind": "course", "description": "Cursus", "status": "achieved"},
    ),
    "competencies:action-delete": Row(
        lambda c: {"pk": goal_a(c).actions.get().pk}, OWN_GOAL, post=lambda c: {}
    ),
    "competencies:training-list": Row(lambda c: {}, IB_ONLY),
    "competencies:training-create": Row(
        lambda c: {},
        IB_ONLY,
        post=lambda c: {"course": "Rekenen", "hours": "12", "start_date": "2026-01-05"},
    ),
    "competencies:training-edit": Row(
        lambda c: {"pk": training_a(c).pk},
        expect(404, ib_a=200, staff_a=403, admin_a=403),
        post=lambda c: {
            "course": "Post-hbo IB",
            "hours": "130",
            "start_date": "2025-09-01",
            "end_date": "2026-06-30",
        },
    ),
    "competencies:training-delete": Row(
        lambda c: {"pk": training_a(c).pk},
        expect(404, ib_a=200, staff_a=403, admin_a=403),
        post=lambda c: {},
    ),
    "competencies:training-certificate": Row(
        lambda c: {"pk": training_a(c).pk}, expect(404, ib_a=200, staff_a=200, admin_a=200)
    ),
    "competencies:conversation-list": Row(lambda c: {}, expect(200, partnership_staff=403)),
    "competencies:conversation-plan": Row(
        lambda c: {"appointment_pk": c.appointment_a.pk},
        expect(403, staff_b=404, director_b=404, ib_b=404, partnership_staff=404, director_a=200),
        post=lambda c: {"kind": "appraisal", "date": "2026-12-14"},
    ),
    "competencies:conversation-detail": Row(
        lambda c: {"pk": conversation_a(c).pk}, CONVERSATION_READ
    ),
    "competencies:conversation-edit": Row(
        lambda c: {"pk": conversation_a(c).pk},
        CONVERSATION_DIRECTOR,
        post=lambda c: {"kind": "appraisal", "date": "2026-12-14", **conversation_lock(c)},
    ),
    "competencies:conversation-cancel": Row(
        lambda c: {"pk": conversation_a(c).pk}, CONVERSATION_DIRECTOR, post=lambda c: {}
    ),
    "competencies:conversation-prepare": Row(
        lambda c: {"pk": conversation_a(c).pk},
        expect(404, staff_a=403, admin_a=403, director_a=200, ib_a=200),
        post=lambda c: {"text": "Wat ik wil bespreken", "share": "on", **conversation_lock(c)},
    ),
    "competencies:conversation-report": Row(
        lambda c: {"pk": conversation_a(c).pk},
        CONVERSATION_DIRECTOR,
        post=lambda c: {"report": "Verslag", "agreements": "Afspraak", **conversation_lock(c)},
    ),
    "competencies:conversation-sign": Row(
        lambda c: {"pk": conversation_a(c).pk},
        expect(404, staff_a=403, admin_a=403, director_a=403, ib_a=200),
        post=lambda c: {"ib_response": "Gelezen", "confirm": "on", **conversation_lock(c)},
        setup=conversation_recorded,
    ),
    "competencies:conversation-policy": Row(
        lambda c: {"board_pk": c.board_a.pk},
        BOARD_STAFF_ONLY,
        post=lambda c: {"functioning_years": "1", "appraisal_years": "3", "lock_version": ""},
    ),
    "competencies:training-review": Row(lambda c: {"board_pk": c.board_a.pk}, BOARD_STAFF_ONLY),
    "competencies:training-judge": Row(
        lambda c: {"pk": training_a(c).pk},
        expect(404, staff_a=200, admin_a=200, ib_a=403),
        post=lambda c: {"judgement": "accepted", "judgement_note": ""},
    ),
    # The training offer and the IBs' tracks (issue 17).
    "competencies:training-offer": Row(lambda c: {"board_pk": track_a(c).board_id}, OFFER_READ),
    "competencies:track-create": Row(
        lambda c: {"board_pk": c.board_a.pk},
        OFFER_CHANGE,
        post=lambda c: {
            "name": "Nieuw traject",
            "kind": "continuing",
            "first_year": "2026",
            "last_year": "2027",
            "is_active": "on",
            "lock_version": "",
        },
    ),
    "competencies:track-edit": Row(
        lambda c: {"pk": track_a(c).pk},
        OFFER_CHANGE,
        post=lambda c: {
            "name": "Persoonsgebonden traject, bewerkt",
            "kind": "personal",
            "is_mandatory": "on",
            "first_year": "2025",
            "last_year": "2028",
            "is_active": "on",
            **version(track_a(c)),
        },
    ),
    "competencies:track-history": Row(lambda c: {"pk": track_a(c).pk}, OFFER_CHANGE),
    "competencies:module-create": Row(
        lambda c: {"track_pk": track_a(c).pk},
        OFFER_CHANGE,
        post=lambda c: {
            "title": "Trendanalyse",
            "hours": "30",
            "cost": "650,50",
            "in_working_time": "on",
            "is_required": "on",
            "order": "1",
            "lock_version": "",
        },
    ),
    "competencies:module-edit": Row(
        lambda c: {"pk": module_a(c).pk},
        OFFER_CHANGE,
        post=lambda c: {
            "title": "Coachende gesprekken, bewerkt",
            "hours": "24",
            "cost": "450",
            "order": "0",
            **version(module_a(c)),
        },
    ),
    "competencies:my-track": Row(lambda c: {} if track_a(c) else {}, IB_ONLY),
    "competencies:module-plan": Row(
        lambda c: {"module_pk": module_a(c).pk},
        OWN_TRACK,
        post=lambda c: {"planned_date": "2027-03-01", "lock_version": ""},
    ),
    "competencies:module-training": Row(
        lambda c: {"module_pk": module_a(c).pk},
        expect(403, ib_a=302, ib_b=404),
        post=lambda c: {},
        post_only=True,
    ),
    "competencies:track-enrol": Row(
        lambda c: {"track_pk": paid_track_a(c).pk},
        OWN_TRACK,
        post=lambda c: {"started_on": "2026-09-01", "agree": "on"},
    ),
    "competencies:track-overview": Row(lambda c: {"board_pk": c.board_a.pk}, OFFER_CHANGE),
    "competencies:ib-track": Row(
        lambda c: {"board_pk": c.board_a.pk, "ib_pk": c.ib_a.pk}, OFFER_CHANGE
    ),
    "competencies:enrolment-detail": Row(
        lambda c: {"pk": enrolment_a(c).pk}, expect(404, ib_a=200, staff_a=200, admin_a=200)
    ),
    "competencies:enrolment-stop": Row(
        lambda c: {"pk": enrolment_a(c).pk},
        expect(404, staff_a=200, admin_a=200, ib_a=403),
        post=lambda c: {
            "stopped_on": "2026-10-01",
            "reason": "Stopt met het traject",
            **version(enrolment_a(c)),
        },
    ),
    # The person's own hours on an appointment (issue 17): kept by board staff.
    "schools:own-hours-create": Row(
        lambda c: {"pk": c.appointment_a.pk}, APPOINTMENT_CHANGE, post=own_hours_post
    ),
    "schools:own-hours-edit": Row(
        lambda c: {"pk": own_hours_a(c).pk},
        APPOINTMENT_CHANGE,
        post=lambda c: own_hours_post(c, hours="60", **version(own_hours_a(c))),
    ),
    "schools:own-hours-delete": Row(
        lambda c: {"pk": own_hours_a(c).pk}, APPOINTMENT_CHANGE, post=lambda c: {}
    ),
    # The board's IB network (issue 17).
    "competencies:network-start": Row(lambda c: {}, expect(302, partnership_staff=404)),
    "competencies:network": Row(
        lambda c: {"board_pk": c.board_a.pk}, NETWORK_READ, setup=meeting_a
    ),
    "competencies:network-settings": Row(
        lambda c: {"board_pk": c.board_a.pk},
        NETWORK_CHANGE,
        post=lambda c: {
            "name": "Netwerk IB",
            "description": "",
            "counts_as_training": "on",
            "hours_per_meeting": "2,5",
            "lock_version": "",
        },
    ),
    "competencies:network-meeting-create": Row(
        lambda c: {"board_pk": c.board_a.pk}, NETWORK_CHANGE, post=meeting_post
    ),
    "competencies:network-meeting": Row(lambda c: {"pk": meeting_a(c).pk}, NETWORK_READ),
    "competencies:network-meeting-edit": Row(
        lambda c: {"pk": meeting_a(c).pk},
        NETWORK_CHANGE,
        post=lambda c: meeting_post(c, minutes="Verslag", **version(meeting_a(c))),
    ),
    "competencies:network-meeting-attendance": Row(
        lambda c: {"pk": meeting_a(c).pk},
        NETWORK_CHANGE,
        post=lambda c: {f"ib_{c.ib_a.pk}": "excused", **version(meeting_a(c))},
    ),
    "competencies:network-meeting-delete": Row(
        lambda c: {"pk": meeting_a(c).pk}, NETWORK_CHANGE, post=lambda c: {}
    ),
    "competencies:network-theme-create": Row(
        lambda c: {"board_pk": c.board_a.pk},
        NETWORK_CHANGE,
        post=lambda c: {
            "title": "Data-analyse",
            "description": "",
            "is_active": "on",
            "lock_version": "",
        },
    ),
    "competencies:network-theme-edit": Row(
        lambda c: {"pk": theme_a(c).pk},
        NETWORK_CHANGE,
        post=lambda c: {"title": "HGW", "is_active": "on", **version(theme_a(c))},
    ),
    "competencies:network-document-create": Row(
        lambda c: {"board_pk": c.board_a.pk},
        NETWORK_CHANGE,
        post=lambda c: {"title": "Handreiking", "url": "https://example.org/", "lock_version": ""},
    ),
    "competencies:network-document-edit": Row(
        lambda c: {"pk": document_a(c).pk},
        DOCUMENT_CHANGE,
        post=lambda c: {"title": "Format, bewerkt", "url": "", **version(document_a(c))},
    ),
    "competencies:network-document-delete": Row(
        lambda c: {"pk": document_a(c).pk}, DOCUMENT_CHANGE, post=lambda c: {}
    ),
    "competencies:network-document-file": Row(lambda c: {"pk": document_a(c).pk}, DOCUMENT_READ),
}

CHANGE_URLS = [name for name, row in MATRIX.items() if row.post is not None]


def project_url_names() -> set[str]:
    """Every URL name of our own URLconf (namespaced), skipping admin, account/ and taal/.

    An unnamed pattern is listed by its route, so it cannot slip past the matrix either.
    """
    found: set[str] = set()

    def walk(patterns, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(SKIPPED_PREFIXES):
                continue
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, route, inner)
            else:
                found.add(namespace + pattern.name if pattern.name else route)

    walk(get_resolver().url_patterns, "", "")
    return found


def assert_login_redirect(response, url: str) -> None:
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == resolve_url(settings.LOGIN_URL)
    assert parse_qs(location.query)["next"] == [url]


def test_every_url_is_in_the_matrix():
    names = {
        name
        for name in project_url_names()
        if name.partition(":")[0] not in NAMESPACES_WITHOUT_ROWS_YET
    }
    assert any(name.startswith("schools:") for name in names)
    assert names - MATRIX.keys() == set(), "add these URLs to MATRIX in tests/test_access.py"
    assert MATRIX.keys() - names == set(), "these MATRIX entries have no URL any more"


@pytest.mark.parametrize("name", MATRIX)
def test_anonymous_is_sent_to_login(client, cast, name):
    url = reverse(name, kwargs=MATRIX[name].kwargs(cast))
    if MATRIX[name].public:
        assert client.get(url).status_code == 200
        return
    assert_login_redirect(client.get(url), url)


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("name", MATRIX)
def test_access_matrix(client, cast, name, user):
    row = MATRIX[name]
    if row.setup:
        row.setup(cast)
    client.force_login(cast.user(user))
    url = reverse(name, kwargs=row.kwargs(cast))
    response = client.post(url, row.post(cast)) if row.post_only else client.get(url)
    response.close()  # a download streams its file; closing it closes the file
    assert response.status_code == row.expected[user]


REFUSED_POSTS = [
    (name, user)
    for name in CHANGE_URLS
    for user in ("anonymous", *USERS)
    if user == "anonymous" or MATRIX[name].expected[user] not in (200, 302)
]


@pytest.mark.parametrize(("name", "user"), REFUSED_POSTS)
def test_refused_post_changes_nothing(client, cast, db_state, name, user):
    row = MATRIX[name]
    if row.setup:
        row.setup(cast)
    url = reverse(name, kwargs=row.kwargs(cast))
    if user != "anonymous":
        client.force_login(cast.user(user))
    before = db_state()
    response = client.post(url, row.post(cast))
    if user == "anonymous":
        assert_login_redirect(response, url)
    else:
        assert response.status_code == row.expected[user]
    assert db_state() == before


ALLOWED_POSTS = [
    (name, user)
    for name in CHANGE_URLS
    for user in USERS
    if MATRIX[name].expected[user] in (200, 302)
]


@pytest.mark.parametrize(("name", "user"), ALLOWED_POSTS)
def test_allowed_post_changes_the_database(client, cast, db_state, name, user):
    """The POSTs above are valid: the right role's identical POST does change the database."""
    row = MATRIX[name]
    if row.setup:
        row.setup(cast)
    url = reverse(name, kwargs=row.kwargs(cast))
    client.force_login(cast.user(user))
    before = db_state()
    response = client.post(url, row.post(cast))
    assert response.status_code == 302, getattr(response, "context", None) and [
        form.errors for form in (response.context.get("form"),) if form
    ]
    assert db_state() != before


# ---------------------------------------------------------------------------------------------
# Scope inside one board: a director sees their own schools, an IB their own appointments.
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def colleague_appointment(cast) -> Appointment:
    """Another IB of board A, working at school A2 only."""
    return f.AppointmentFactory(board=cast.board_a, shares=[(cast.school_a2, Decimal("0.6"))])


def test_director_cannot_see_other_school_of_own_board(client, cast):
    client.force_login(cast.director_a)
    assert client.get(reverse("schools:school-detail", args=[cast.school_a2.pk])).status_code == 404


def test_director_cannot_see_appointment_at_other_school(client, cast, colleague_appointment):
    client.force_login(cast.director_a)
    url = reverse("schools:appointment-detail", args=[colleague_appointment.pk])
    assert client.get(url).status_code == 404


def test_ib_cannot_see_colleague_appointment(client, cast, colleague_appointment):
    client.force_login(cast.ib_a)
    url = reverse("schools:appointment-detail", args=[colleague_appointment.pk])
    assert client.get(url).status_code == 404


def test_ib_cannot_see_school_without_own_share(client, cast, colleague_appointment):
    client.force_login(cast.ib_a)
    assert client.get(reverse("schools:school-detail", args=[cast.school_a2.pk])).status_code == 404


def test_board_staff_cannot_reach_other_board_with_own_board_ids(client, cast):
    """Board B's staff asking for board A's school form: 404, even on the create URL."""
    client.force_login(cast.staff_b)
    url = reverse("schools:school-create", args=[cast.board_a.pk])
    assert client.post(url, {"name": "X", "brin": "22BB"}).status_code == 404
    assert not School.objects.filter(brin="22BB").exists()


# ---------------------------------------------------------------------------------------------
# List pages show only what is in scope.
# ---------------------------------------------------------------------------------------------

SCHOOLS_IN_SCOPE = {
    "staff_a": {"school_a1", "school_a2"},
    "admin_a": {"school_a1", "school_a2"},
    "staff_b": {"school_b1"},
    "director_a": {"school_a1"},
    "director_b": {"school_b1"},
    "ib_a": {"school_a1"},
    "ib_b": {"school_b1"},
    "partnership_staff": {"school_a1", "school_a2", "school_b1"},
}

APPOINTMENTS_IN_SCOPE = {
    "staff_a": {"appointment_a"},
    "admin_a": {"appointment_a"},
    "staff_b": {"appointment_b"},
    "director_a": {"appointment_a"},
    "director_b": {"appointment_b"},
    "ib_a": {"appointment_a"},
    "ib_b": {"appointment_b"},
    "partnership_staff": set(),
}


@pytest.mark.parametrize("user", USERS)
def test_school_list_shows_only_schools_in_scope(client, cast, user):
    client.force_login(cast.user(user))
    response = client.get(reverse("schools:school-list"))
    shown = {row["school"].pk for row in response.context["rows"]}
    assert shown == {getattr(cast, name).pk for name in SCHOOLS_IN_SCOPE[user]}


@pytest.mark.parametrize("user", USERS)
def test_appointment_list_shows_only_appointments_in_scope(client, cast, user):
    client.force_login(cast.user(user))
    response = client.get(reverse("schools:appointment-list"), {"alle": "1"})
    shown = {appointment.pk for appointment in response.context["appointments"]}
    assert shown == {getattr(cast, name).pk for name in APPOINTMENTS_IN_SCOPE[user]}


def test_partnership_page_lists_only_its_schools(client, cast):
    outside = f.SchoolFactory(board=cast.board_a, name="School A3 buiten SWV")
    client.force_login(cast.partnership_staff)
    response = client.get(reverse("schools:partnership-detail", args=[cast.partnership.pk]))
    assert response.status_code == 200
    assert "School A1" in response.text
    assert "School B1" in response.text
    assert outside.name not in response.text


def test_inactive_user_is_treated_as_anonymous(client, cast):
    cast.staff_a.is_active = False
    cast.staff_a.save()
    client.force_login(cast.staff_a)
    url = reverse("schools:board-detail", args=[cast.board_a.pk])
    assert_login_redirect(client.get(url), url)


# ---------------------------------------------------------------------------------------------
# Names on every page: with a foreign board and a non-sharing board present (issue 11).
#
# The matrix above checks status codes; the leak of issue 11 was a 200 page (a list) that
# showed people of a board that does not share with the partnership. Here every page of the
# matrix that a role gets (200) is read with data of board B (foreign to board A) and board C
# (in the partnership, not sharing) present, and must not contain a name that role may not
# see. Every URL is classified: LIST_PAGES (several objects; each has a positive control, a
# name the list must show, so it cannot pass on an empty list) or NOT_LISTS. A new URL fails
# ``test_every_url_is_a_list_or_not`` until it is classified.
# ---------------------------------------------------------------------------------------------

# People with names that occur nowhere else, so a name in a page is that person.
NAMES = {
    "staff_a": ("Saskia", "Adelaarshof"),
    "admin_a": ("Arend", "Admiraalsweg"),
    "staff_b": ("Stijn", "Bijlenveld"),
    "director_a": ("Dirkje", "Aartsenbroek"),
    "director_b": ("Douwe", "Bakelsmeer"),
    "ib_a": ("Ineke", "Aalbersdijk"),
    "ib_b": ("Iwan", "Bosveldhuis"),
    "partnership_staff": ("Wim", "Samenwerkum"),
}


@dataclass
class PrivacyWorld:
    cast: object
    c: object  # conftest.NonSharingBoard
    colleague: object  # another IB of board A, at school A2 only
    people: dict[str, object]  # key -> user, for every person of the world


@pytest.fixture
def privacy_world(cast, non_sharing_board) -> PrivacyWorld:
    from .competency_factories import TrainingFactory, assessment_round, matrix_framework

    for key, (first, last) in NAMES.items():
        user = cast.user(key)
        user.first_name, user.last_name = first, last
        user.save()
    sharing_a(cast)  # board A shares; B and C do not
    colleague = f.AppointmentFactory(board=cast.board_a, shares=[(cast.school_a2, "0.6")])
    colleague.ib.first_name, colleague.ib.last_name = "Carla", "Collegawaard"
    colleague.ib.save()
    # Board B: a package, a shared self-assessment, a training, like board A's.
    package_b = package_create(
        share=cast.appointment_b.shares.get(),
        school_year=f.SchoolYearFactory(),
        actor=cast.director_b,
    )
    item_add(
        package=package_b,
        actor=cast.director_b,
        lock_version=package_b.lock_version,
        hours=Decimal("16"),
        title="Taak van B",
        domain=Domain.objects.get(code="zorg"),
    )
    assessment_round(cast.ib_b, matrix_framework(cast.board_b), shared_with=cast.director_b)
    TrainingFactory(ib=cast.ib_b, board=cast.board_b, course="Cursus Bosveldhuis")
    # Board A: a framework with ib_a's round shared with director_a, a goal and a training.
    round_a(cast)
    goal_a(cast)
    training_a(cast)
    c = non_sharing_board
    people = {key: cast.user(key) for key in NAMES}
    people.update(colleague=colleague.ib, ib_c=c.ib, director_c=c.director, staff_c=c.staff)
    return PrivacyWorld(cast=cast, c=c, colleague=colleague.ib, people=people)


# Who may see whom. A board's own staff are known to its directors and IBs; a director sees
# the IBs of their schools, an IB their own director; partnership staff see the directors of
# the partnership's schools (the school's contact) and no IB, of any board.
SEES_PEOPLE = {
    "staff_a": {"staff_a", "admin_a", "director_a", "ib_a", "colleague"},
    "admin_a": {"staff_a", "admin_a", "director_a", "ib_a", "colleague"},
    "staff_b": {"staff_b", "director_b", "ib_b"},
    "director_a": {"staff_a", "admin_a", "director_a", "ib_a"},
    "director_b": {"staff_b", "director_b", "ib_b"},
    "ib_a": {"staff_a", "admin_a", "director_a", "ib_a"},
    "ib_b": {"staff_b", "director_b", "ib_b"},
    "partnership_staff": {"partnership_staff", "director_a", "director_b", "director_c"},
}
SEES_SCHOOLS = {
    **{
        user: {f"School {code}" for code in codes}
        for user, codes in {
            "staff_a": ("A1", "A2"),
            "admin_a": ("A1", "A2"),
            "staff_b": ("B1",),
            "director_a": ("A1",),
            "director_b": ("B1",),
            "ib_a": ("A1",),
            "ib_b": ("B1",),
            "partnership_staff": ("A1", "A2", "B1", "C1"),
        }.items()
    },
}
ALL_SCHOOLS = {"School A1", "School A2", "School B1", "School C1"}


def forbidden_texts(world: PrivacyWorld, user: str) -> dict[str, str]:
    """{text that must not appear: why} for ``user``."""
    texts = {}
    for key, person in world.people.items():
        if key not in SEES_PEOPLE[user]:
            texts[person.last_name] = f"{key}'s name"
    for school in ALL_SCHOOLS - SEES_SCHOOLS[user]:
        texts[school] = "a school outside the scope"
    if user == "partnership_staff":
        # Board C does not share: nothing of its IB's fte, nor the minimum flag.
        texts.update({"0,37": "C's IB fte", "0.37": "C's IB fte"})
        texts[nl("below minimum")] = "a minimum flag (people, not figures)"
    return texts


def nl(text: str) -> str:
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("nl"):
        return gettext(text)


def page_text(response) -> str:
    """The text of a page or an export (CSV, XLSX); '' for a binary download."""
    content_type = response.get("Content-Type", "")
    if content_type.startswith("application/vnd.openxmlformats"):
        import io

        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    if content_type.startswith(("text/", "application/json")):
        return response.content.decode("utf-8-sig")
    return ""


@dataclass(frozen=True)
class ListPage:
    """A URL that lists several objects: a role and a text the list must show (positive
    control), besides showing nothing the role may not see."""

    shows: dict[str, Callable[[PrivacyWorld], str]]
    # A query string for the page, e.g. every column of the comparison (some are hidden by
    # default): a column left out of the default view can still leak.
    query: str = ""


# Every column the comparison has (the partnership asks for the IB columns too: it must not
# get them).
ALL_COMPARISON_COLUMNS = "kolommen=1&" + "&".join(
    f"kolom={key}"
    for key in (
        "bestuur", "leerlingen", "groepen", "fte", "norm", "verschil", "uren100",
        "pakketuren", "domein-leren", "domein-data", "domein-zorg", "niet-ib", "status", "ib",
        "minimum",
    )
)  # fmt: skip


def last_name(key: str) -> Callable[[PrivacyWorld], str]:
    return lambda w: w.people[key].last_name


def text(value: str) -> Callable[[PrivacyWorld], str]:
    return lambda w: value


LIST_PAGES: dict[str, ListPage] = {
    "schools:board-detail": ListPage({"staff_a": last_name("colleague")}),
    "schools:school-list": ListPage(
        {
            "staff_a": last_name("colleague"),
            "director_b": last_name("ib_b"),
            "partnership_staff": text("School C1"),
        }
    ),
    "schools:appointment-list": ListPage(
        {"staff_a": last_name("colleague"), "director_a": last_name("ib_a")}
    ),
    "schools:appointment-export": ListPage(
        {"staff_a": last_name("colleague"), "director_a": last_name("ib_a")}
    ),
    "schools:partnership-detail": ListPage({"partnership_staff": text("School C1")}),
    "schools:comparison": ListPage(
        {"staff_a": last_name("colleague")}, query=ALL_COMPARISON_COLUMNS
    ),
    "schools:comparison-export": ListPage({"staff_a": last_name("colleague")}),
    "schools:comparison-cycle": ListPage({"staff_a": text("School A2")}),
    "schools:comparison-cycle-export": ListPage({"staff_a": text("School A2")}),
    "schools:partnership-comparison": ListPage(
        {"partnership_staff": text("School A2")}, query=ALL_COMPARISON_COLUMNS
    ),
    "schools:partnership-comparison-export": ListPage({"partnership_staff": text("School A2")}),
    "schools:school-years": ListPage({"staff_a": text("School A1")}),
    "competencies:framework-list": ListPage({"staff_a": text("Matrix")}),
    "competencies:heatmap": ListPage({"staff_a": text("Rol 1")}),
    "competencies:heatmap-export": ListPage({"staff_a": text("Rol 1")}),
    "competencies:round-list": ListPage({"ib_a": text("Matrix"), "ib_b": text("Matrix")}),
    "competencies:shared-rounds": ListPage(
        {"director_a": last_name("ib_a"), "director_b": last_name("ib_b")}
    ),
    "competencies:training-list": ListPage({"ib_b": text("Cursus Bosveldhuis")}),
    "competencies:training-offer": ListPage({"ib_a": text("Coachende gesprekken")}),
    "competencies:track-overview": ListPage({"staff_a": last_name("ib_a")}),
    "competencies:my-track": ListPage({"ib_a": text("Coachende gesprekken")}),
    "competencies:training-review": ListPage({"staff_a": last_name("ib_a")}),
    "competencies:plan": ListPage({"ib_a": text("Trendanalyses maken")}),
    "competencies:network": ListPage(
        {"ib_a": text("Netwerkplaats Eersel"), "director_a": text("Netwerkplaats Eersel")}
    ),
    "competencies:conversation-list": ListPage(
        {"staff_a": last_name("ib_a"), "director_a": last_name("ib_a")}
    ),
    "tasks:catalogue": ListPage({"staff_a": text("Groepsbesprekingen voeren")}),
    "tasks:catalogue-export": ListPage({"staff_a": text("Groepsbesprekingen voeren")}),
    "tasks:package-export": ListPage({"staff_a": text("School A1")}),
    "tasks:package-overview": ListPage(
        {"staff_a": last_name("colleague"), "director_b": last_name("ib_b")}
    ),
    "tasks:ib-packages": ListPage({"ib_a": text("School A1"), "ib_b": text("School B1")}),
    "tasks:division-index": ListPage(
        {"director_a": text("School A1"), "director_b": text("School B1")}
    ),
    "tasks:package-history": ListPage({"director_a": last_name("director_a")}),
    "schools:membership-history": ListPage({"staff_a": last_name("colleague")}),
    "schools:security-events": ListPage({"admin_a": last_name("admin_a")}),
    "schools:staff-list": ListPage({"admin_a": last_name("colleague")}),
    "schools:development-points": ListPage(
        {"staff_a": text("Leesonderwijs versterken"), "ib_a": text("Leesonderwijs versterken")}
    ),
    "tasks:copy-list": ListPage({"partnership_staff": text("School A1")}),
}

# Pages of one object, forms and actions: read for names too (below), without a control.
NOT_LISTS = {
    "home",
    "schools:preferences",
    "schools:privacy",
    "schools:my-data",
    "schools:my-data-json",
    "schools:person-end",
    "schools:board-people",  # a redirect to the people page (schools:staff-list) now
    "two_factor_setup",
    "schools:board-edit",
    "schools:school-create",
    "schools:appointment-create",
    "schools:import-upload",
    "schools:import-preview",
    "schools:import-commit",
    "schools:hr-import-upload",
    "schools:staff-invite",
    "schools:staff-invite-all",
    "schools:school-detail",
    "schools:school-edit",
    "schools:figures-edit",
    "schools:board-history",
    "schools:figures-history",
    "schools:appointment-history",
    "tasks:task-history",
    "schools:appointment-detail",
    "schools:appointment-edit",
    "schools:appointment-end",
    "competencies:framework-copy-standard",
    "competencies:framework-detail",
    "competencies:framework-edit",
    "competencies:framework-row-add",
    "competencies:framework-column-add",
    "competencies:framework-row-remove",
    "competencies:framework-column-remove",
    "competencies:round-start",
    "competencies:round-detail",
    "competencies:round-ratings",
    "competencies:round-share",
    "competencies:round-unshare",
    "competencies:round-director-view",
    "competencies:round-conversation",
    "competencies:heatmap-consent",
    "tasks:task-create",
    "tasks:task-edit",
    "tasks:task-toggle-active",
    "tasks:catalogue-copy",
    "tasks:package-create",
    "tasks:package-detail",
    "tasks:package-letter",
    "tasks:copy-detail",
    "tasks:copy-letter",
    "tasks:item-add",
    "tasks:package-save",
    # Without htmx a redirect to the sheet with its catalogue (package-detail, read above).
    "help:index",
    "help:page",
    "tasks:package-catalogue",
    "tasks:item-remove",
    "tasks:package-copy",
    "tasks:package-submit",
    "tasks:package-draft",
    "tasks:package-withdraw",
    "tasks:package-review",
    "tasks:package-reopen",
    "schools:development-point-create",
    "schools:development-point-edit",
    "schools:development-point-decide",
    "tasks:goal-create",
    "tasks:division",
    "tasks:division-start",
    "tasks:division-save",
    "tasks:division-own-task",
    "tasks:division-holder-add",
    "tasks:division-holder-edit",
    "tasks:division-holder-remove",
    "tasks:division-print",
    "tasks:division-export",
    "tasks:goal-edit",
    "tasks:goal-remove",
    "tasks:goal-carry-over",
    "tasks:package-realisation",
    "tasks:realisation-save",
    "tasks:package-evaluation",
    "tasks:evaluation-start",
    "tasks:evaluation-ratings",
    "tasks:evaluation-view",
    "tasks:evaluation-conversation",
    "tasks:evaluation-extend",
    "competencies:goal-create",
    "competencies:goal-edit",
    "competencies:goal-delete",
    "competencies:action-create",
    "competencies:action-edit",
    "competencies:action-delete",
    "competencies:training-create",
    "competencies:training-edit",
    "competencies:training-delete",
    "competencies:training-certificate",
    "competencies:training-judge",
    "competencies:network-start",
    "schools:own-hours-create",
    "schools:own-hours-edit",
    "schools:own-hours-delete",
    "competencies:network-settings",
    "competencies:network-meeting-create",
    "competencies:network-meeting",
    "competencies:network-meeting-edit",
    "competencies:network-meeting-attendance",
    "competencies:network-meeting-delete",
    "competencies:network-theme-create",
    "competencies:network-theme-edit",
    "competencies:network-document-create",
    "competencies:network-document-edit",
    "competencies:network-document-delete",
    "competencies:network-document-file",
    "competencies:conversation-plan",
    "competencies:conversation-detail",
    "competencies:conversation-edit",
    "competencies:conversation-cancel",
    "competencies:conversation-prepare",
    "competencies:conversation-report",
    "competencies:conversation-sign",
    "competencies:conversation-policy",
    "competencies:track-create",
    "competencies:track-history",
    "competencies:track-edit",
    "competencies:module-create",
    "competencies:module-edit",
    "competencies:module-plan",
    "competencies:module-training",
    "competencies:track-enrol",
    "competencies:ib-track",
    "competencies:enrolment-detail",
    "competencies:enrolment-stop",
}


def test_every_url_is_a_list_or_not():
    assert LIST_PAGES.keys() & NOT_LISTS == set()
    unclassified = MATRIX.keys() - LIST_PAGES.keys() - NOT_LISTS
    assert unclassified == set(), "add these URLs to LIST_PAGES (with a control) or NOT_LISTS"
    assert (LIST_PAGES.keys() | NOT_LISTS) - MATRIX.keys() == set(), "no such URL any more"


READABLE_PAGES = [
    (name, user)
    for name, row in MATRIX.items()
    if not row.post_only
    for user in USERS
    if row.expected[user] == 200
]


def read_page(client, world: PrivacyWorld, name: str, user: str):
    row = MATRIX[name]
    if row.setup:
        row.setup(world.cast)
    client.force_login(world.cast.user(user))
    page = LIST_PAGES.get(name)
    query = f"?{page.query}" if page and page.query else ""
    response = client.get(reverse(name, kwargs=row.kwargs(world.cast)) + query)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(("name", "user"), READABLE_PAGES)
def test_page_shows_no_name_the_role_may_not_see(client, privacy_world, name, user):
    response = read_page(client, privacy_world, name, user)
    body = page_text(response)
    response.close()
    leaks = {why for needle, why in forbidden_texts(privacy_world, user).items() if needle in body}
    assert leaks == set(), f"{name} as {user} shows {sorted(leaks)}"
    control = LIST_PAGES.get(name)
    if control and user in control.shows:
        assert control.shows[user](privacy_world) in body, "the list is empty: no check"


def test_every_list_page_has_a_control_that_runs():
    """Each list page's control names a role that gets the page (else it checks nothing)."""
    for name, page in LIST_PAGES.items():
        assert page.shows, name
        for user in page.shows:
            assert MATRIX[name].expected[user] == 200, (name, user)
