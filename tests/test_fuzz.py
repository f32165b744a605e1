"""Hostile and random POST data to every form view and POST action (issue #6).

For every row of the access matrix with a ``post``, hypothesis takes the row's valid POST data
and replaces, drops or adds keys with hostile values: empty and very long strings, odd unicode,
NUL bytes, injection strings, odd numbers and dates, lists for single fields, ids of board B's
objects and stale or garbage lock versions. Posted by the user the row allows and by an outsider
of board B. Never a 500; a refused POST changes nothing anywhere; board B's data never changes.

The cast fixture is per test, not per example: every example runs in a savepoint that is
rolled back, so the examples do not see each other's changes.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    Level,
    Rating,
    Training,
)
from competencies.network_models import (
    Network,
    NetworkAttendance,
    NetworkDocument,
    NetworkMeeting,
    NetworkTheme,
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
    ImportBatch,
    Membership,
    School,
    SchoolFigures,
    SchoolYear,
)
from tasks.models import CatalogueTask, Package, PackageEvent, PackageItem, PackageVersion
from tasks.packages import item_add, package_create

from . import factories as f
from .conftest import add_package_a
from .test_access import MATRIX

ALLOWED = (200, 302)
FUZZ_SETTINGS = settings(
    max_examples=15,
    deadline=None,
    database=None,  # no example database in the project
    derandomize=True,  # the same examples every run: a failure found once stays found
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# ---------------------------------------------------------------------------------------------
# The cast: as in test_access (with package_a), and board B with data worth protecting.
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def cast(cast):
    from .competency_factories import matrix_framework

    add_package_a(cast)
    share_b = cast.appointment_b.shares.get()
    cast.package_b = package_create(
        share=share_b,
        school_year=SchoolYear.objects.get(pk=cast.package_a.school_year_id),
        actor=cast.director_b,
    )
    cast.task_b = f.CatalogueTaskFactory(board=cast.board_b, title="Taak van bestuur B")
    item_add(
        package=cast.package_b,
        actor=cast.director_b,
        lock_version=cast.package_b.lock_version,
        hours=Decimal("10"),
        task=cast.task_b,
    )
    cast.framework_b = matrix_framework(cast.board_b, name="Matrix B")
    cast.goal_b = Goal.objects.create(ib=cast.ib_b, board=cast.board_b, title="Doel B")
    GoalAction.objects.create(goal=cast.goal_b, kind="course", description="Cursus B")
    cast.training_b = Training.objects.create(
        ib=cast.ib_b,
        board=cast.board_b,
        course="Cursus B",
        hours=Decimal("8"),
        start_date="2025-09-01",
    )
    cast.conversation_b = AppraisalConversation.objects.create(
        ib=cast.ib_b,
        board=cast.board_b,
        director=cast.director_b,
        kind="functioning",
        date="2025-11-03",
        report="Verslag B",
        recorded_at="2025-11-04T12:00:00Z",
    )
    cast.track_b = TrainingTrack.objects.create(
        board=cast.board_b, name="Traject B", kind="personal", first_year=2025, last_year=2026
    )
    cast.module_b = TrainingModule.objects.create(track=cast.track_b, title="Module B", hours=8)
    cast.enrolment_b = TrackEnrolment.objects.create(
        ib=cast.ib_b, board=cast.board_b, track=cast.track_b, started_on="2025-09-01"
    )
    # Board B's IB network: a theme and a meeting with ib_b's attendance.
    cast.theme_b = NetworkTheme.objects.create(board=cast.board_b, title="Thema B")
    cast.meeting_b = NetworkMeeting.objects.create(
        board=cast.board_b, date="2026-02-05", start_time="15:30", place="B", theme=cast.theme_b
    )
    NetworkAttendance.objects.create(meeting=cast.meeting_b, ib=cast.ib_b, status="present")
    return cast


def board_b_ids(c) -> list[int]:
    """Primary keys of board B's objects: what a hostile form of board A smuggles in."""
    framework = c.framework_b
    ids = {
        c.board_b.pk,
        c.school_b1.pk,
        c.appointment_b.pk,
        c.package_b.pk,
        c.task_b.pk,
        c.goal_b.pk,
        c.training_b.pk,
        c.conversation_b.pk,
        c.track_b.pk,
        c.module_b.pk,
        c.enrolment_b.pk,
        c.theme_b.pk,
        c.meeting_b.pk,
        c.ib_b.pk,
        c.director_b.pk,
        c.staff_b.pk,
        framework.pk,
        *AppointmentShare.objects.filter(appointment=c.appointment_b).values_list("pk", flat=True),
        *PackageItem.objects.filter(version__package=c.package_b).values_list("pk", flat=True),
        *framework.rows.values_list("pk", flat=True),
        *framework.columns.values_list("pk", flat=True),
        *framework.cells.values_list("pk", flat=True),
        *framework.levels.values_list("pk", flat=True),
    }
    return sorted(ids)


# Board B's rows, table by table: how each model reaches its board.
BOARD_B_LOOKUPS = (
    (Board, "pk"),
    (Board.partnerships.through, "board"),
    (School, "board"),
    (SchoolFigures, "school__board"),
    (Membership, "board"),
    (Membership, "school__board"),
    (Appointment, "board"),
    (AppointmentShare, "appointment__board"),
    (CatalogueTask, "board"),
    (Package, "share__appointment__board"),
    (PackageVersion, "package__share__appointment__board"),
    (PackageItem, "version__package__share__appointment__board"),
    (PackageEvent, "package__share__appointment__board"),
    (ImportBatch, "board"),
    (Goal, "board"),
    (GoalAction, "goal__board"),
    (Training, "board"),
    (AssessmentRound, "board"),
    (Rating, "round__board"),
    (DirectorView, "round__board"),
    (Conversation, "round__board"),
    (AppraisalConversation, "board"),
    (ConversationPolicy, "board"),
    (Framework, "board"),
    (FrameworkRow, "framework__board"),
    (FrameworkColumn, "framework__board"),
    (Cell, "framework__board"),
    (Level, "framework__board"),
    (TrainingTrack, "board"),
    (TrainingModule, "track__board"),
    (ModulePlan, "board"),
    (TrackEnrolment, "board"),
    (RepaymentAgreement, "enrolment__board"),
    (Network, "board"),
    (NetworkTheme, "board"),
    (NetworkMeeting, "board"),
    (NetworkAttendance, "meeting__board"),
    (NetworkDocument, "board"),
)


def board_state(board) -> dict[str, list[tuple]]:
    state = {
        f"{model._meta.label}:{lookup}": list(
            model.objects.filter(**{lookup: board.pk}).order_by("pk").values_list()
        )
        for model, lookup in BOARD_B_LOOKUPS
    }
    # The people of the board (through their board or school membership), every column.
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(
        pk__in=Membership.objects.filter(board=board).values("user")
    ) | get_user_model().objects.filter(
        pk__in=Membership.objects.filter(school__board=board).values("user")
    )
    state["users"] = list(users.distinct().order_by("pk").values_list())
    return state


# ---------------------------------------------------------------------------------------------
# Hostile values.
# ---------------------------------------------------------------------------------------------

MISSING = object()

HOSTILE_STRINGS = [
    "",
    " ",
    "A" * 10_000,
    "é" * 10_000,
    "\u202eRTL-override\u202c",
    "\u200b\u200c\u200d\ufeff",
    "😀👩‍👩‍👧‍👦🏳️‍🌈",
    "nul\x00byte",
    "\x00",
    "' OR 1=1 --",
    "'; DROP TABLE schools_school; --",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}{% debug %}",
    "%s%s%n%x",
    "../../etc/passwd",
    "-1",
    "0",
    "1e308",
    "-1e308",
    "NaN",
    "Infinity",
    "-inf",
    "0,0001",
    "0.0001",
    "1.000.000,5",
    "9" * 18,
    "-" + "9" * 18,
    "1_000",
    "0x10",
    "0000-00-00",
    "9999-12-31",
    "31-02-2026",
    "2026-02-31",
    "0001-01-01",
    "10000-01-01",
    "true",
    "on",
    "None",
    "null",
]


def hostile_values(other_ids: list[int]) -> st.SearchStrategy:
    single = st.one_of(
        st.sampled_from(HOSTILE_STRINGS),
        st.text(max_size=40),
        st.integers().map(str),
        st.sampled_from([2**63, 2**64, 2**70, -(2**63) - 1]).map(str),  # beyond any id column
        st.floats().map(str),
        st.sampled_from(other_ids).map(str),
    )
    # A list where one value is expected (and a multi-value field of hostile ids).
    return st.one_of(single, single, single, st.lists(single, min_size=2, max_size=3))


def hostile_files() -> st.SearchStrategy:
    return st.one_of(
        st.just(b""),
        st.binary(max_size=300),
        st.just(b"\xff\xfe\x00garbage;;;\n" * 50),
        st.just(b"BRIN NUMMER;VESTIGINGSNUMMER\n22BB;00\n"),
        st.just(b"PK\x03\x04 not really a zip"),
    ).map(lambda content: SimpleUploadedFile("upload.csv", content, "text/csv"))


MANAGEMENT = ["", "-1", "0", "1", "3", "7", "abc", "1e3", "0,5", "\x00"]

EXTRA_KEYS = [
    "id",
    "pk",
    "board",
    "board_id",
    "school",
    "ib",
    "share",
    "status",
    "is_staff",
    "is_superuser",
    "lock_version",
    "decision",
    "action",
    "shares-0-school",
]


@st.composite
def hostile_post(draw, valid: dict, other_ids: list[int], lock_version: int) -> dict:
    values = hostile_values(other_ids)
    locks = st.one_of(
        st.sampled_from([lock_version - 1, lock_version + 1, -1, 0, 2**63 - 1, 2**64]).map(str),
        st.sampled_from(["", "abc", "1.5", "NaN", "9" * 18]),
    )
    data = {}
    for key, value in valid.items():
        if isinstance(value, SimpleUploadedFile):
            choice = st.one_of(st.just(value), hostile_files(), values, st.just(MISSING))
        elif key.endswith(("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")):
            # Not the huge numbers: the formset caps them (absolute_max), but rendering
            # a thousand forms back would make the suite slow, not find a crash.
            choice = st.one_of(st.just(value), st.sampled_from(MANAGEMENT), st.just(MISSING))
        elif key == "lock_version":
            choice = st.one_of(st.just(value), locks, values, st.just(MISSING))
        else:
            choice = st.one_of(st.just(value), values, st.just(MISSING))
        drawn = draw(choice)
        if drawn is not MISSING:
            data[key] = drawn
    extras = draw(st.dictionaries(st.sampled_from(EXTRA_KEYS), values, max_size=3))
    for key, value in extras.items():
        data.setdefault(key, value)
    return data


# ---------------------------------------------------------------------------------------------
# The tests.
# ---------------------------------------------------------------------------------------------

POSTED = [name for name, row in MATRIX.items() if row.post is not None]
# Board B has no administrator of its own in the cast: its board staff stand in.
OWN = {"staff_a": "staff_b", "director_a": "director_b", "ib_a": "ib_b", "admin_a": "staff_b"}


def allowed_user(name: str) -> str:
    expected = MATRIX[name].expected
    users = ("staff_a", "director_a", "ib_a", "admin_a")  # admin_a: pages only they may use
    return next(user for user in users if expected[user] in ALLOWED)


def outsider(name: str) -> str | None:
    """A user of board B who is refused; None for a page that is everyone's own (settings)."""
    expected = MATRIX[name].expected
    own = OWN[allowed_user(name)]
    candidates = (own, "staff_b", "director_b", "ib_b")
    return next((user for user in candidates if expected[user] not in ALLOWED), None)


def current_lock(c) -> int:
    return Package.objects.get(pk=c.package_a.pk).lock_version


def run_examples(client, cast, db_state, name, user, data) -> None:
    row = MATRIX[name]
    # The fixtures are set up once per test and shared by its examples; every example is
    # rolled back, so the state before is the same for all of them.
    if not hasattr(cast, "_fuzz_url"):
        if row.setup:
            row.setup(cast)
        cast._fuzz_url = reverse(name, kwargs=row.kwargs(cast))
        cast._fuzz_ids = board_b_ids(cast)
        client.force_login(cast.user(user))
        cast._fuzz_before = db_state()
        cast._fuzz_board_b = board_state(cast.board_b)
    allowed = user == allowed_user(name)

    with transaction.atomic():
        try:
            valid = row.post(cast)
            post = data.draw(hostile_post(valid, cast._fuzz_ids, current_lock(cast)), label="post")
            response = client.post(cast._fuzz_url, post)
            status = response.status_code
            assert status < 500, (status, post)
            if not allowed:
                assert status in (403, 404), (status, post)
            if status != 302:
                # Refused (form errors, 400, 403, 404): nothing changed, on any board.
                assert db_state() == cast._fuzz_before, (status, post)
            else:
                assert board_state(cast.board_b) == cast._fuzz_board_b, (status, post)
        finally:
            transaction.set_rollback(True)


@pytest.mark.parametrize(
    "name", [pytest.param(name, id=f"{name}-{allowed_user(name)}") for name in POSTED]
)
@FUZZ_SETTINGS
@given(data=st.data())
def test_hostile_post_by_allowed_user(client, cast, db_state, name, data):
    run_examples(client, cast, db_state, name, allowed_user(name), data)


@pytest.mark.parametrize(
    "name",
    [pytest.param(name, id=f"{name}-{outsider(name)}") for name in POSTED if outsider(name)],
)
@settings(FUZZ_SETTINGS, max_examples=4)
@given(data=st.data())
def test_hostile_post_by_board_b_outsider(client, cast, db_state, name, data):
    """Refused before the data is read: a few examples do."""
    run_examples(client, cast, db_state, name, outsider(name), data)
