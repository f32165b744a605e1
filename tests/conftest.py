"""The named test cast, reused everywhere.

Board A (in partnership P): school A1 (director_a, ib_a at 0.8 fte), school A2.
Board B (also in P): school B1 (director_b, ib_b at 0.5 fte). Board staff of A and of B,
a board administrator of A and the partnership's staff member (swv_staff).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from competencies.models import (
    AppraisalConversation,
    AssessmentRound,
    Cell,
    Conversation,
    ConversationPolicy,
    DirectorView,
    Framework,
    FrameworkColumn,
    FrameworkRow,
    Goal,
    GoalAction,
    HeatMapConsent,
    Level,
    Network,
    NetworkAttendance,
    NetworkDocument,
    NetworkMeeting,
    NetworkTheme,
    Rating,
    Training,
)
from competencies.training_models import (
    ModulePlan,
    RepaymentAgreement,
    TrackEnrolment,
    TrainingModule,
    TrainingTrack,
)
from schools.models import (
    Appointment,
    AppointmentShare,
    Board,
    DevelopmentPoint,
    HrRecord,
    ImportBatch,
    Invitation,
    Membership,
    Partnership,
    Preference,
    School,
    SchoolFigures,
    SchoolYear,
)
from schools.own_hours import OwnHours
from tasks.models import (
    CatalogueTask,
    DivisionAssignment,
    Evaluation,
    EvaluationGoal,
    Package,
    PackageEvent,
    PackageItem,
    PackageVersion,
    Realisation,
    RealisationLine,
    RoleHolder,
    TaskDivision,
    WerkplanGoal,
)
from tasks.packages import item_add, package_create

from . import factories as f


@dataclass
class Cast:
    partnership: Partnership
    board_a: Board
    board_b: Board
    school_a1: School
    school_a2: School
    school_b1: School
    staff_a: object
    admin_a: object
    staff_b: object
    director_a: object
    director_b: object
    ib_a: object
    ib_b: object
    partnership_staff: object
    appointment_a: Appointment
    appointment_b: Appointment
    figures_a1: object
    task_a: CatalogueTask
    # Only with the ``package_a`` fixture (or add_package_a): see there.
    package_a: Package | None = None

    def user(self, name: str):
        """A cast member by attribute name; ``"anonymous"`` gives None."""
        return None if name == "anonymous" else getattr(self, name)


@pytest.fixture
def cast(db) -> Cast:
    partnership = f.PartnershipFactory(name="SWV Testregio", code="PO0001")
    board_a = f.BoardFactory(name="Bestuur A", number="11111", partnerships=[partnership])
    board_b = f.BoardFactory(name="Bestuur B", number="22222", partnerships=[partnership])
    school_a1 = f.SchoolFactory(
        board=board_a, name="School A1", brin="11AA", partnership=partnership
    )
    school_a2 = f.SchoolFactory(
        board=board_a, name="School A2", brin="11AB", partnership=partnership
    )
    school_b1 = f.SchoolFactory(
        board=board_b, name="School B1", brin="22BA", partnership=partnership
    )
    ib_a = f.ib(board_a, username="ib_a")
    ib_b = f.ib(board_b, username="ib_b")
    return Cast(
        partnership=partnership,
        board_a=board_a,
        board_b=board_b,
        school_a1=school_a1,
        school_a2=school_a2,
        school_b1=school_b1,
        staff_a=f.board_staff(board_a, username="staff_a"),
        admin_a=f.board_admin(board_a, username="admin_a"),
        staff_b=f.board_staff(board_b, username="staff_b"),
        director_a=f.director(school_a1, username="director_a"),
        director_b=f.director(school_b1, username="director_b"),
        ib_a=ib_a,
        ib_b=ib_b,
        partnership_staff=f.partnership_staff(partnership, username="swv_staff"),
        appointment_a=f.AppointmentFactory(
            board=board_a, ib=ib_a, shares=[(school_a1, Decimal("0.8"))]
        ),
        appointment_b=f.AppointmentFactory(
            board=board_b, ib=ib_b, shares=[(school_b1, Decimal("0.5"))]
        ),
        figures_a1=f.SchoolFiguresFactory(school=school_a1),
        task_a=f.CatalogueTaskFactory(board=board_a, title="Groepsbesprekingen voeren"),
    )


def add_package_a(cast: Cast) -> Package:
    """Give the cast ib_a's package at A1 for the current school year (a draft, task_a 40 h).

    Not part of every cast: a package protects its share, and many tests replace shares.
    """
    cast.package_a = package_create(
        share=cast.appointment_a.shares.get(),
        school_year=f.SchoolYearFactory(),
        actor=cast.director_a,
    )
    item_add(
        package=cast.package_a,
        actor=cast.director_a,
        lock_version=cast.package_a.lock_version,
        hours=Decimal("40"),
        task=cast.task_a,
    )
    return cast.package_a


def conversations_far_ahead(cast: Cast) -> None:
    """Board A's conversation cycle at five years: ib_a's next conversations (counted from
    the appointment's start in 2025) are not due yet, so director_a has none to plan
    (competencies/todo_items.py) in tests about other items."""
    ConversationPolicy.objects.create(board=cast.board_a, functioning_years=5, appraisal_years=5)


@pytest.fixture
def package_a(cast) -> Package:
    return add_package_a(cast)


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser(
        username="root", email="root@example.invalid", password="demo-wachtwoord"
    )


@pytest.fixture
def no_role_user(db):
    return f.UserFactory(username="nobody")


# Every table the app writes to; compared before and after a refused request.
STATE_MODELS = (
    Board,
    Board.partnerships.through,
    Partnership,
    School,
    SchoolYear,
    SchoolFigures,
    Membership,
    Appointment,
    AppointmentShare,
    CatalogueTask,
    Package,
    PackageVersion,
    PackageItem,
    PackageEvent,
    Realisation,
    RealisationLine,
    ImportBatch,
    Goal,
    Goal.cells.through,
    GoalAction,
    Training,
    AssessmentRound,
    Rating,
    DirectorView,
    Conversation,
    Framework,
    FrameworkRow,
    FrameworkColumn,
    Cell,
    Level,
    get_user_model(),
    HeatMapConsent,
    Preference,
    DevelopmentPoint,
    WerkplanGoal,
    WerkplanGoal.items.through,
    Evaluation,
    EvaluationGoal,
    HrRecord,
    Invitation,
    AppraisalConversation,
    ConversationPolicy,
    TrainingTrack,
    TrainingModule,
    TrainingModule.cells.through,
    ModulePlan,
    TrackEnrolment,
    RepaymentAgreement,
    TaskDivision,
    RoleHolder,
    DivisionAssignment,
    Network,
    NetworkTheme,
    NetworkMeeting,
    NetworkAttendance,
    NetworkDocument,
    OwnHours,
)


def database_state() -> dict[str, list[tuple]]:
    """All rows of the foundation's tables, every column, in primary-key order."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values_list())
        for model in STATE_MODELS
    }


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads (certificates) go to a temporary folder, never to the project's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def db_state():
    return database_state


@pytest.fixture(autouse=True)
def _lbbo_domains_after_flush(request):
    """Transactional tests (live server, real threads) run on a database that earlier
    transactional tests flushed, data migrations included: give them the LBBO domains again."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction") or "live_server" in request.fixturenames:
        from tasks.services import domains_load

        request.getfixturevalue("transactional_db")
        domains_load()


# ---------------------------------------------------------------------------------------------
# A board of the partnership that does NOT share its figures with it (privacy checks)
# ---------------------------------------------------------------------------------------------


@dataclass
class NonSharingBoard:
    """Board C, in the cast's partnership, not sharing its figures: a school, its director,
    an IB at 0.37 fte (below the board's minimum: a flag that must not travel), board staff,
    a task package, a self-assessment shared with the director and a training record."""

    board: Board
    school: School
    director: object
    ib: object
    staff: object
    appointment: Appointment
    package: Package


@pytest.fixture
def non_sharing_board(cast) -> NonSharingBoard:
    from .competency_factories import TrainingFactory, assessment_round, matrix_framework

    board = f.BoardFactory(name="Bestuur C", number="33333", partnerships=[cast.partnership])
    assert not board.shares_with_partnership
    school = f.SchoolFactory(
        board=board, name="School C1", brin="33CA", partnership=cast.partnership
    )
    f.SchoolFiguresFactory(school=school, pupils=271)
    director = f.director(school, username="director_c", first_name="Dolf", last_name="Cromvoirt")
    ib = f.ib(board, username="ib_c", first_name="Ilona", last_name="Cuijpers")
    staff = f.board_staff(board, username="staff_c", first_name="Stefan", last_name="Colijn")
    appointment = f.AppointmentFactory(board=board, ib=ib, shares=[(school, Decimal("0.37"))])
    package = package_create(
        share=appointment.shares.get(), school_year=f.SchoolYearFactory(), actor=director
    )
    item_add(
        package=package,
        actor=director,
        lock_version=package.lock_version,
        hours=Decimal("24"),
        task=f.CatalogueTaskFactory(board=board, title="Leerlingbespreking C"),
    )
    assessment_round(ib, matrix_framework(board), shared_with=director)
    TrainingFactory(ib=ib, board=board, course="Cursus Cuijpers")
    return NonSharingBoard(
        board=board,
        school=school,
        director=director,
        ib=ib,
        staff=staff,
        appointment=appointment,
        package=package,
    )
