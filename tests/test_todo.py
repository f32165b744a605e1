"""What needs doing now: the items per role, on the start pages, and their query counts.

Every test has a foreign board (B, and the non-sharing board C) and another IB of board A
present with items of their own: those never reach the user's list.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from competencies import rounds
from competencies.models import DirectorView, Goal, GoalAction, Training
from schools.imports import batch_commit
from schools.models import DevelopmentPoint, Membership, Role, SchoolYear
from schools.todo import Item, fold, items_for
from tasks.models import Domain, Package
from tasks.packages import item_add, package_create, package_review, package_submit

from . import factories as f
from .competency_factories import TrainingFactory, assessment_round, matrix_framework
from .conftest import add_package_a, conversations_far_ahead
from .test_access import import_batch_a
from .test_queries import BOARD_YEAR, REQUEST, TODO_BOARD, TODO_DIRECTOR, TODO_IB

TODAY = datetime.date(SchoolYear.current_start_year(), 11, 15)  # after the count date


def fresh(package: Package) -> Package:
    return Package.objects.get(pk=package.pk)


def submit(package: Package, director) -> None:
    package_submit(package=package, actor=director, lock_version=fresh(package).lock_version)


def review(package: Package, ib, *, accept: bool) -> None:
    package_review(
        package=package,
        actor=ib,
        lock_version=fresh(package).lock_version,
        accept=accept,
        comment="" if accept else "Meer tijd voor trendanalyse",
        over_budget_confirmed=True,
    )


def kinds(user, today: datetime.date = TODAY) -> list[tuple[str, str]]:
    return [(item.kind, item.subject) for item in items_for(user, today)]


@pytest.fixture
def world(cast, non_sharing_board):
    """The cast with package_a (a draft), board C, and a colleague IB of board A at school A2
    whose package was submitted to them and who has a draft self-assessment of their own."""
    add_package_a(cast)
    conversations_far_ahead(cast)  # director_a's conversations to plan: tests of their own
    colleague = f.ib(cast.board_a, username="colleague", first_name="Carla", last_name="Collega")
    appointment = f.AppointmentFactory(
        board=cast.board_a, ib=colleague, shares=[(cast.school_a2, Decimal("0.6"))]
    )
    director_a2 = f.director(cast.school_a2, username="director_a2")
    package = package_create(
        share=appointment.shares.get(), school_year=f.SchoolYearFactory(), actor=director_a2
    )
    item_add(
        package=package,
        actor=director_a2,
        lock_version=package.lock_version,
        hours=Decimal("20"),
        title="Leerlingbespreking A2",
        domain=Domain.objects.get(code="zorg"),
    )
    submit(package, director_a2)
    assessment_round(colleague, matrix_framework(cast.board_a), completed=False)
    # Board B: a package submitted to ib_b, a self-assessment shared with director_b, a
    # certificate to judge.
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
    submit(package_b, cast.director_b)
    assessment_round(cast.ib_b, matrix_framework(cast.board_b), shared_with=cast.director_b)
    TrainingFactory(
        ib=cast.ib_b, board=cast.board_b, certificate=ContentFile(b"%PDF-1.4\n", name="b.pdf")
    )
    cast.colleague = colleague
    cast.colleague_package = package
    return cast


# ---------------------------------------------------------------------------------------------
# the IB
# ---------------------------------------------------------------------------------------------


def test_ib_sees_a_package_submitted_to_them_and_nobody_elses(world):
    assert kinds(world.ib_a) == []  # package_a is a draft: nothing for the IB yet
    submit(world.package_a, world.director_a)
    year = SchoolYear.objects.get(start_year=SchoolYear.current_start_year()).name
    assert kinds(world.ib_a) == [("package-review", f"School A1 · {year}")]
    (item,) = items_for(world.ib_a, TODAY)
    assert item.url == reverse("tasks:package-detail", args=[world.package_a.pk])
    assert item.since == timezone.localdate()
    assert [kind for kind, _subject in kinds(world.colleague)] == [
        "round-to-finish",
        "package-review",
    ]
    assert [kind for kind, _subject in kinds(world.ib_b)] == ["package-review"]


def test_ib_sees_their_draft_self_assessment_until_it_is_completed(world):
    framework = matrix_framework(world.board_a, name="Matrix A")
    round_ = assessment_round(world.ib_a, framework, completed=False)
    assert kinds(world.ib_a) == [("round-to-finish", "Matrix A")]
    rounds.round_complete(round=round_, actor=world.ib_a)
    assert kinds(world.ib_a) == []


def test_ib_sees_development_goals_and_actions_falling_due(world):
    soon = TODAY + datetime.timedelta(days=10)
    later = TODAY + datetime.timedelta(days=60)
    goal = Goal.objects.create(ib=world.ib_a, board=world.board_a, title="Data", due_date=soon)
    Goal.objects.create(ib=world.ib_a, board=world.board_a, title="Later", due_date=later)
    Goal.objects.create(
        ib=world.ib_a, board=world.board_a, title="Gehaald", due_date=soon, status="achieved"
    )
    GoalAction.objects.create(goal=goal, kind="course", description="Cursus", due_date=soon)
    Goal.objects.create(ib=world.colleague, board=world.board_a, title="Van collega", due_date=soon)
    assert kinds(world.ib_a) == [
        ("development-goal", "Data"),
        ("development-action", "Data: Cursus"),
    ]


# ---------------------------------------------------------------------------------------------
# the director
# ---------------------------------------------------------------------------------------------


def test_director_sees_a_draft_once_the_year_has_begun(world):
    year = SchoolYear(start_year=SchoolYear.current_start_year())
    (item,) = items_for(world.director_a, TODAY)
    assert item.kind == "package-draft"
    assert item.subject.startswith("School A1 · ")
    assert item.due == year.start_date
    submit(world.package_a, world.director_a)
    assert kinds(world.director_a) == []  # waiting for the IB


def test_director_sees_a_returned_package(world):
    submit(world.package_a, world.director_a)
    review(world.package_a, world.ib_a, accept=False)
    (item,) = items_for(world.director_a, TODAY)
    assert item.kind == "package-returned"
    assert item.url == reverse("tasks:package-detail", args=[world.package_a.pk])
    assert item.since == timezone.localdate()
    assert "package-returned" not in {kind for kind, _s in kinds(world.director_b)}


def test_director_sees_a_package_over_budget(world):
    # 0.8 fte x 1659 h = 1327.2 h; 40 h + 1300 h is 12.8 h over.
    item_add(
        package=world.package_a,
        actor=world.director_a,
        lock_version=fresh(world.package_a).lock_version,
        hours=Decimal("1300"),
        title="Veel",
        domain=Domain.objects.get(code="zorg"),
    )
    (item,) = items_for(world.director_a, TODAY)
    assert item.kind == "package-over-budget"
    assert item.note == "12,8 uur boven het budget"
    # Agreed over budget with the IB's explicit confirmation: nothing left to do.
    submit(world.package_a, world.director_a)
    review(world.package_a, world.ib_a, accept=True)
    assert kinds(world.director_a) == []


def test_director_sees_an_ib_share_without_a_package(world):
    other = f.AppointmentFactory(board=world.board_a, shares=[(world.school_a1, Decimal("0.2"))])
    missing = [
        item for item in items_for(world.director_a, TODAY) if item.kind == "package-missing"
    ]
    assert [item.subject.split(" · ")[1] for item in missing] == [other.ib.get_full_name()]
    assert missing[0].url.startswith(reverse("tasks:package-overview"))


def test_director_sees_a_shared_self_assessment_until_they_take_it_up(world):
    round_ = assessment_round(
        world.ib_a, matrix_framework(world.board_a), shared_with=world.director_a
    )
    shared = [item for item in items_for(world.director_a, TODAY) if item.kind == "shared-round"]
    assert [item.url for item in shared] == [reverse("competencies:round-detail", args=[round_.pk])]
    DirectorView.objects.create(
        round=round_, cell=round_.framework.cells.first(), author=world.director_a
    )
    assert "shared-round" not in {kind for kind, _s in kinds(world.director_a)}


# ---------------------------------------------------------------------------------------------
# board staff
# ---------------------------------------------------------------------------------------------


def test_board_staff_see_shares_without_an_agreed_package(world):
    not_agreed = [s for kind, s in kinds(world.staff_a) if kind == "package-not-agreed"]
    assert [subject.split(" · ")[0] for subject in not_agreed] == ["School A1", "School A2"]
    submit(world.package_a, world.director_a)
    review(world.package_a, world.ib_a, accept=True)
    not_agreed = [s for kind, s in kinds(world.staff_a) if kind == "package-not-agreed"]
    assert [subject.split(" · ")[0] for subject in not_agreed] == ["School A2"]
    assert all("School A" not in subject for _kind, subject in kinds(world.staff_b))


def test_board_staff_see_certificates_to_judge(world):
    training = TrainingFactory(
        ib=world.ib_a,
        board=world.board_a,
        course="Post-hbo IB",
        certificate=ContentFile(b"%PDF-1.4\n", name="a.pdf"),
    )
    TrainingFactory(ib=world.ib_a, board=world.board_a, course="Zonder certificaat")
    certificates = [item for item in items_for(world.staff_a, TODAY) if item.kind == "certificate"]
    assert [item.url for item in certificates] == [
        reverse("competencies:training-judge", args=[training.pk])
    ]
    Training.objects.filter(pk=training.pk).update(judgement="accepted")
    assert "certificate" not in {kind for kind, _s in kinds(world.staff_a)}
    assert [kind for kind, _s in kinds(world.staff_b)].count("certificate") == 1  # B's own


def test_board_staff_see_an_import_to_finish_for_a_week(world):
    batch = import_batch_a(world)
    (item,) = [item for item in items_for(world.staff_a) if item.kind == "import-to-finish"]
    assert item.url == reverse("schools:import-preview", args=[world.board_a.pk, batch.pk])
    assert item.due == item.since + datetime.timedelta(days=7)
    assert "import-to-finish" not in {
        kind for kind, _s in kinds(world.staff_b, timezone.localdate())
    }
    week_later = timezone.localdate() + datetime.timedelta(days=8)
    assert "import-to-finish" not in {kind for kind, _s in kinds(world.staff_a, week_later)}
    batch_commit(batch=batch)
    assert "import-to-finish" not in {
        kind for kind, _s in kinds(world.staff_a, timezone.localdate())
    }


def test_board_staff_see_schools_without_figures_of_the_counted_year(world):
    year = SchoolYear.current_start_year()
    missing = [s for kind, s in kinds(world.staff_a) if kind == "figures-missing"]
    assert missing == [f"School A2 · {year}-{year + 1}"]  # A1 has figures of this year
    # Before 1 October the year's pupils are not counted yet: last year's are asked for.
    september = datetime.date(year, 9, 1)
    missing = [s for kind, s in kinds(world.staff_a, september) if kind == "figures-missing"]
    assert missing == [f"School A1 · {year - 1}-{year}", f"School A2 · {year - 1}-{year}"]


def test_partnership_staff_have_no_list_yet(world, client):
    assert items_for(world.partnership_staff, TODAY) == []
    client.force_login(world.partnership_staff)
    response = client.get(reverse("schools:partnership-detail", args=[world.partnership.pk]))
    assert "todo" not in response.context


# ---------------------------------------------------------------------------------------------
# order and folding
# ---------------------------------------------------------------------------------------------


def test_items_are_sorted_by_the_date_they_are_due_or_wait_since():
    day = datetime.date(2026, 11, 1)
    items = [
        Item(kind="a", title="A", subject="later", url="/", due=day + datetime.timedelta(days=5)),
        Item(kind="b", title="B", subject="undated", url="/"),
        Item(kind="c", title="C", subject="waiting", url="/", since=day),
    ]
    assert [item.subject for item in sorted(items, key=Item.sort_key)] == [
        "waiting",
        "later",
        "undated",
    ]


def test_more_than_five_of_a_kind_fold_into_one_line():
    items = [
        Item(kind="k", title="Doen", subject=str(n), url=f"/{n}", more_url="/alle")
        for n in range(7)
    ]
    rows = fold(items, TODAY)
    assert [row.item.subject for row in rows if not row.more] == ["0", "1", "2", "3", "4"]
    assert rows[-1].more == 2
    assert rows[-1].item.more_url == "/alle"


# ---------------------------------------------------------------------------------------------
# the start pages
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "page", "expected"),
    [
        ("ib_a", lambda c: reverse("schools:appointment-list"), "Takenpakket beoordelen"),
        ("director_a", lambda c: reverse("schools:school-list"), "Teruggestuurd takenpakket"),
        (
            "staff_a",
            lambda c: reverse("schools:board-detail", args=[c.board_a.pk]),
            "Geen akkoord bevonden takenpakket",
        ),
    ],
)
def test_start_page_leads_with_the_list(client, world, user, page, expected):
    submit(world.package_a, world.director_a)
    if user == "director_a":
        review(world.package_a, world.ib_a, accept=False)
    client.force_login(world.user(user))
    response = client.get(page(world))
    html = response.content.decode()
    assert response.context["todo"]
    todo_at = html.index('id="todo-title"')
    assert expected in html[todo_at:]
    # Before what the page shows: the table, or the board's year in figures.
    shown = 'id="year-title"' if user == "staff_a" else "</table>"
    assert html.index("<h1") < todo_at < html.index(shown)
    forbidden = ["School B1", "School C1"] + (["Collega"] if user != "staff_a" else [])
    assert not [text for text in forbidden if text in html]


def test_empty_list_says_nothing_to_do(client, world):
    client.force_login(world.ib_a)  # package_a is a draft: nothing waits for the IB
    response = client.get(reverse("schools:appointment-list"))
    assert "Niets te doen." in response.content.decode()
    assert not response.context["todo"]


def test_list_only_on_the_users_own_start_page(client, world):
    client.force_login(world.staff_a)
    assert client.get(reverse("schools:school-list")).context["todo"] is None
    assert client.get(reverse("schools:appointment-list")).context["todo"] is None
    client.force_login(world.director_a)
    assert client.get(reverse("schools:appointment-list")).context["todo"] is None


# ---------------------------------------------------------------------------------------------
# query counts: the same with one and with many items of every kind
# ---------------------------------------------------------------------------------------------


def build(size: int):
    """A board with ``size`` schools, each with an IB share whose package is submitted (the
    IB's items), returned or over budget (the director's), a draft self-assessment, a shared
    one, a goal and an action due, a certificate and a pending import per school."""
    board = f.BoardFactory()
    staff = f.board_staff(board)
    director = f.UserFactory()
    ib = f.ib(board)
    year = f.SchoolYearFactory()
    framework = matrix_framework(board, rows=1, columns=1)
    domain = Domain.objects.get(code="zorg")
    for n in range(size):
        school = f.SchoolFactory(board=board)
        f.director(school)
        Membership.objects.create(user=director, role=Role.DIRECTOR, school=school)
        director.__dict__.pop("_ib_scope", None)  # get_scope caches the memberships
        appointment = f.AppointmentFactory(board=board, ib=ib, shares=[(school, Decimal("0.1"))])
        package = package_create(share=appointment.shares.get(), school_year=year, actor=director)
        for title in ("Taak", "Nog een taak") if n % 2 else ("Taak",):
            item_add(  # 0.1 fte is 165.9 h: two tasks of 100 h are over budget
                package=package,
                actor=director,
                lock_version=fresh(package).lock_version,
                hours=Decimal("100"),
                title=title,
                domain=domain,
            )
        if n % 2 == 0:
            submit(package, director)
        f.AppointmentFactory(board=board, shares=[(school, Decimal("0.2"))])  # no package
        assessment_round(ib, framework, completed=False)
        assessment_round(ib, framework, shared_with=director)
        goal = Goal.objects.create(ib=ib, board=board, title=f"Doel {n}", due_date=TODAY)
        GoalAction.objects.create(goal=goal, kind="course", description="Cursus", due_date=TODAY)
        TrainingFactory(ib=ib, board=board, certificate=ContentFile(b"%PDF-1.4\n", name="c.pdf"))
        DevelopmentPoint.objects.create(  # an IB's proposal for the director to decide on
            school=school,
            title=f"Voorstel {n}",
            source="evaluatie",
            start_year=year.start_year,
            end_year=year.start_year,
            status=DevelopmentPoint.Status.PROPOSED,
            proposed_by=ib,
        )
    # Every appointment started on 1-8-2025 and no conversation was held: each IB's yearly
    # functioneringsgesprek is overdue, for the director to plan.
    return board, staff, director, ib


@pytest.mark.parametrize("size", [1, 8])
def test_start_page_query_counts_do_not_grow(client, db, django_assert_num_queries, size):
    board, staff, director, ib = build(size)
    assert len(items_for(ib)) >= 3 * size and len(items_for(director)) >= 2 * size
    director_kinds = [item.kind for item in items_for(director, TODAY)]
    assert director_kinds.count("development-point-proposed") == size
    # One functioneringsgesprek per IB: ``ib`` (one IB over every school) and each school's other.
    assert director_kinds.count("conversation-to-plan") == size + 1
    assert len(items_for(staff)) >= 2 * size
    client.force_login(ib)
    with django_assert_num_queries(
        REQUEST + 3 + TODO_IB  # the IB's appointments, shares, directors; the to-do list
    ):
        client.get(reverse("schools:appointment-list"))
    client.force_login(director)
    with django_assert_num_queries(
        REQUEST + 1 + 1 + 3 + 1 + TODO_DIRECTOR  # as tests/test_queries.py; the list
    ):
        client.get(reverse("schools:school-list"))
    client.force_login(staff)
    with django_assert_num_queries(
        REQUEST + 1 + BOARD_YEAR + 1 + 1 + TODO_BOARD  # as tests/test_queries.py
    ):
        client.get(reverse("schools:board-detail", args=[board.pk]))
