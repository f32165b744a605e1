"""Accessibility of every main page: axe-core in headless Chromium, plus what axe cannot see.

For each page, visited as a user of the role it is made for, with real content:

- axe-core (``axe-playwright-python`` carries it) finds no serious or critical violation;
- ``<html lang="nl">`` (and ``lang="en"`` once the user picks English);
- every visible input, select and textarea has a name from a ``<label>``, ``aria-label`` or
  ``aria-labelledby`` (axe's ``label`` rule also accepts a title or placeholder);
- the keyboard reaches every visible link, button and form control with Tab (one radio per
  group: the arrow keys move inside it), no element has a positive tabindex, and every element
  that receives focus shows it (an outline or a box-shadow);
- no id is used twice;
- the "skip to content" link is the first stop and moves on to the main content.

The data is built once for the module and the pages are read-only GETs, so instead of
pytest-django's ``live_server`` (a transactional database flushed after every test) the module
runs its own live server over committed rows and flushes the database once at the end.
"""

from __future__ import annotations

import datetime
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.base import AXE_FILE_PATH, AxeResults
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connections
from django.test import Client, override_settings
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from schools.security_events import SSO_ATTEMPT_USERNAME
from tests.browser.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("db")]


@pytest.fixture
def db(django_db_setup) -> None:
    """Only the name: pytest-django creates the test database for a run when one of its tests
    asks for ``db``, and the module's own server (``site``) does not. Run alone, the module
    would otherwise build its data in the development database and flush that. The tests read
    the rows ``site`` committed, so they need no transaction of their own."""


# axe impact levels that fail a page; "minor" and "moderate" are reported by axe but not here.
FAILING_IMPACTS = {"serious", "critical"}


# ---------------------------------------------------------------------------------------------
# The data: one board with four schools, every kind of page filled with real content
# ---------------------------------------------------------------------------------------------


@dataclass
class World:
    """The objects the pages are about, and the users who look at them (by key)."""

    users: dict[str, object] = field(default_factory=dict)
    objects: dict[str, object] = field(default_factory=dict)

    def __getattr__(self, name: str):
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None


def fresh(package):
    """The package as stored now: every service bumps its lock version."""
    return type(package).objects.get(pk=package.pk)


def build_world() -> World:
    from competencies import rounds
    from competencies.models import (
        AppraisalConversation,
        Conversation,
        Framework,
        GoalAction,
        Training,
    )
    from competencies.services import framework_copy_standard
    from schools.imports import batch_create, read_file
    from schools.models import AppointmentShare
    from tasks import packages as pkg
    from tasks import realisation as rs
    from tasks.models import CatalogueTask
    from tasks.services import catalogue_copy_standard
    from tests import factories as f
    from tests.competency_factories import GoalFactory, assessment_round, heatmap_consent

    w = World()
    year = f.SchoolYearFactory()
    last_year = f.SchoolYearFactory(start_year=year.start_year - 1)
    start = datetime.date(last_year.start_year, 8, 1)

    partnership = f.PartnershipFactory(name="SWV Passend Onderwijs Waterland", code="PO0042")
    board = f.BoardFactory(
        name="Stichting Waterland Scholen",
        number="41001",
        partnerships=[partnership],
        shares_with_partnership=True,
        min_ib_fte=Decimal("0.6"),
        reserved_hours_per_fte=Decimal("40"),
    )
    other_board = f.BoardFactory(
        name="Stichting Duinrand", number="41002", partnerships=[partnership]
    )
    schools = [
        f.SchoolFactory(board=board, name=name, brin=brin, place=place, partnership=partnership)
        for name, brin, place in (
            ("OBS De Regenboog", "41RB", "Purmerend"),
            ("CBS De Wegwijzer", "41WW", "Purmerend"),
            ("OBS Het Kompas", "41KP", "Edam"),
            ("RKBS Sint Jozef", "41SJ", "Volendam"),
        )
    ]
    duin = f.SchoolFactory(
        board=other_board, name="OBS Het Helmgras", brin="42HG", partnership=partnership
    )
    for n, school in enumerate([*schools, duin]):
        f.SchoolFiguresFactory(school=school, school_year=year, pupils=180 + 70 * n, groups=8 + n)
        f.SchoolFiguresFactory(school=school, school_year=last_year, pupils=170 + 70 * n, groups=8)
    regenboog, wegwijzer, kompas, jozef = schools

    u = w.users
    u["staff"] = f.board_staff(board, username="bestuur", first_name="Bea", last_name="Bakker")
    u["admin"] = f.board_admin(board, username="beheer", first_name="Bram", last_name="Beheer")
    u["director"] = f.director(
        regenboog, wegwijzer, kompas, username="directeur", first_name="Dirk", last_name="Dam"
    )
    u["director_jozef"] = f.director(jozef, username="directeur.jozef")
    u["ib"] = f.ib(board, username="ib.regenboog", first_name="Ilse", last_name="Kempelaar")
    u["ib_two"] = f.ib(board, username="ib.tweescholen", first_name="Tom", last_name="Twee")
    u["ib_jozef"] = f.ib(board, username="ib.jozef", first_name="Jet", last_name="Jozefs")
    u["swv"] = f.partnership_staff(partnership, username="swv")
    u["nobody"] = f.UserFactory(username="zonderrol")
    others = [f.ib(board, username=f"ib.ander{n}") for n in range(3)]

    appointment = f.AppointmentFactory(
        board=board, ib=u["ib"], start_date=start, shares=[(regenboog, Decimal("0.8"))]
    )
    two = f.AppointmentFactory(
        board=board,
        ib=u["ib_two"],
        kind="taak",
        start_date=start,
        shares=[(wegwijzer, Decimal("0.5")), (kompas, Decimal("0.3"))],
    )
    f.AppointmentFactory(
        board=board, ib=u["ib_jozef"], start_date=start, shares=[(jozef, Decimal("0.4"))]
    )
    f.AppointmentFactory(board=other_board, shares=[(duin, Decimal("0.6"))])
    w.objects.update(
        board=board, partnership=partnership, school=regenboog, appointment=appointment
    )

    # The catalogue: the standard tasks (one of them not IB work) and one switched off.
    catalogue_copy_standard(board=board)
    f.CatalogueTaskFactory(board=board, title="Orthotheek bestellen", is_active=False)
    tasks = {t.standard_key: t for t in CatalogueTask.objects.filter(board=board)}
    w.objects["task"] = tasks["groepsbesprekingen"]

    def add(package, director, keys: dict[str, int]) -> None:
        for key, hours in keys.items():
            pkg.item_add(
                package=package,
                actor=director,
                lock_version=fresh(package).lock_version,
                task=tasks[key],
                hours=Decimal(hours),
                note="Afgesproken in het jaargesprek" if hours > 100 else "",
            )

    def submit(package, director) -> None:
        pkg.package_submit(
            package=package,
            actor=director,
            lock_version=fresh(package).lock_version,
            comment="Graag voor 1 oktober",
        )

    def review(package, ib, *, accept: bool) -> None:
        item = pkg.current_version(package).items.first()
        pkg.package_review(
            package=package,
            actor=ib,
            lock_version=fresh(package).lock_version,
            accept=accept,
            comment="" if accept else "Meer tijd voor trendanalyse",
            item_comments={} if accept else {item.pk: "Dit kost meer uren"},
        )

    director = u["director"]
    mix = {"groepsbesprekingen": 160, "trendanalyse-twee-keer-per-jaar": 80, "ib-werkplan": 40}
    # De Regenboog: agreed last year, copied, agreed and reopened this year (version 2, draft),
    # with a task that is not IB work.
    old = pkg.package_create(share=appointment.shares.get(), school_year=last_year, actor=director)
    add(old, director, mix)
    submit(old, director)
    review(old, u["ib"], accept=True)
    current = pkg.package_create(share=appointment.shares.get(), school_year=year, actor=director)
    pkg.package_copy_previous(
        package=current, actor=director, lock_version=fresh(current).lock_version
    )
    add(current, director, {"invallen-lesgeven": 20})
    submit(current, director)
    review(current, u["ib"], accept=True)
    pkg.package_reopen(
        package=current,
        actor=director,
        lock_version=fresh(current).lock_version,
        comment="Extra uren voor het leesproject",
    )
    add(current, director, {"leerteams-ondersteunen": 30})
    # De Wegwijzer: submitted to the IB; Het Kompas: returned with comments.
    submitted = pkg.package_create(
        share=two.shares.get(school=wegwijzer), school_year=year, actor=director
    )
    add(submitted, director, mix)
    submit(submitted, director)
    returned = pkg.package_create(
        share=two.shares.get(school=kompas), school_year=year, actor=director
    )
    add(returned, director, {"groepsbesprekingen": 120, "ib-werkplan": 40})
    submit(returned, director)
    review(returned, u["ib_two"], accept=False)
    # Sint Jozef: agreed.
    agreed = pkg.package_create(
        share=AppointmentShare.objects.get(school=jozef),
        school_year=year,
        actor=u["director_jozef"],
    )
    add(agreed, u["director_jozef"], {"groepsbesprekingen": 200})
    submit(agreed, u["director_jozef"])
    review(agreed, u["ib_jozef"], accept=True)
    # Its realisation: the board's mid-year moment on 1 August (open all year), one task
    # recorded, so that the package page shows planned against realised.
    board.realisation_mid_year = "1-8"
    board.save()
    rs.realisation_save(
        package=fresh(agreed),
        moment="halfjaar",
        actor=u["ib_jozef"],
        lock_version=None,
        values={
            pkg.current_version(agreed).items.first().key: rs.LineValues(
                hours=Decimal("150"), note="Veel extra groepsbesprekingen"
            )
        },
    )
    # Its year-end evaluation: the board's year-end moment on 1 August too (open all year),
    # a werkplan goal, started by the IB (issue 14).
    from tasks import evaluation as ev
    from tasks.models import Domain, WerkplanGoal

    board.realisation_year_end = "1-8"
    board.save()
    WerkplanGoal.objects.create(
        version=pkg.current_version(agreed),
        title="Groepsbesprekingen met de leerteams",
        source_text="Jaarplan",
        domain=Domain.objects.get(code="data"),
        success_criterion="Elk leerteam bespreekt twee keer per jaar zijn data",
    )
    ev.evaluation_start(package=fresh(agreed), actor=u["ib_jozef"])
    w.objects.update(
        draft=current,
        submitted=submitted,
        returned=returned,
        agreed=agreed,
        item=pkg.current_version(current).items.first(),
    )
    # The werkplan: De Regenboog's development points (one an IB's proposal) and a goal of
    # the draft served by two of its tasks (issue 14).
    from schools.models import DevelopmentPoint
    from tasks import werkplan

    point = DevelopmentPoint.objects.create(
        school=current.school,
        title="Begrijpend lezen versterken",
        source="schoolplan",
        start_year=year.start_year,
        end_year=year.start_year + 1,
    )
    DevelopmentPoint.objects.create(
        school=current.school,
        title="Plusaanbod",
        source="jaarplan",
        start_year=year.start_year,
        end_year=year.start_year,
        status="voorgesteld",
        proposed_by=u["ib"],
    )
    w.objects["point"] = point
    w.objects["werkplan_goal"] = werkplan.goal_save(
        package=current,
        actor=u["ib"],
        lock_version=fresh(current).lock_version,
        title="Sterkere leesinstructie",
        development_point=point,
        source_text="",
        domain=pkg.current_version(current).items.first().domain,
        success_criterion="75% haalt het streefniveau begrijpend lezen.",
        items=list(pkg.current_version(current).items.all()[:2]),
    )

    # Competencies: the two standard frameworks; rounds for the heat map and the dialogue.
    matrix = framework_copy_standard(board=board, key="kempenkind-matrix")
    framework_copy_standard(board=board, key="zeven-ib-competenties")
    w.objects["framework"] = matrix
    today = timezone.localdate()
    levels = list(matrix.levels.all())
    cells = list(matrix.cells.all())
    assessment_round(u["ib"], matrix, date=today - datetime.timedelta(days=400))
    shared = rounds.round_start(ib=u["ib"], framework=matrix, date=today)
    rounds.ratings_save(
        round=shared,
        actor=u["ib"],
        data={c.pk: (levels[n % 4], "Besproken in het IB-netwerk") for n, c in enumerate(cells)},
    )
    rounds.round_complete(round=shared, actor=u["ib"])
    rounds.round_share(round=shared, actor=u["ib"])
    rounds.director_views_save(
        round=shared,
        actor=director,
        data={
            c.pk: (levels[(n + 1) % 4] if n == 0 else levels[n % 4], "")
            for n, c in enumerate(cells)
        },
    )
    Conversation.objects.create(
        round=shared, date=today, agreements="Focus op trendanalyse", recorded_by=director
    )
    draft_round = rounds.round_start(ib=u["ib_two"], framework=matrix, date=today)
    rounds.ratings_save(
        round=draft_round, actor=u["ib_two"], data={cells[0].pk: (levels[1], "Een begin")}
    )
    for other in [u["ib_jozef"], *others]:
        heatmap_consent(other, board)  # counted in the heat map: its colours are checked too
        assessment_round(other, matrix, date=today)
    w.objects.update(shared_round=shared, draft_round=draft_round)
    # The conversation cycle: one planned (prepared by the IB), one recorded to sign.
    w.objects["conversation_planned"] = AppraisalConversation.objects.create(
        ib=u["ib"],
        board=board,
        director=director,
        kind="functioning",
        date=today + datetime.timedelta(days=10),
        ib_preparation="Meer tijd voor klassenbezoeken",
        ib_shared_at=timezone.now(),
        linked_round=shared,
    )
    w.objects["conversation_recorded"] = AppraisalConversation.objects.create(
        ib=u["ib"],
        board=board,
        director=director,
        kind="appraisal",
        date=today - datetime.timedelta(days=3),
        report="Een goed jaar.",
        agreements="De module data volgen.",
        recorded_at=timezone.now(),
    )
    assert Framework.objects.filter(board=board).count() == 2

    # The development portfolio: a goal with actions, two trainings (one with a certificate).
    goal = GoalFactory(ib=u["ib"], board=board, title="Trendanalyses maken", status="in_progress")
    goal.cells.add(*cells[:2])
    GoalAction.objects.create(goal=goal, kind="course", description="Cursus data-analyse")
    action = GoalAction.objects.create(
        goal=goal, kind="coaching", description="Coaching door de directeur", status="achieved"
    )
    training = Training.objects.create(
        ib=u["ib"],
        board=board,
        course="Post-hbo Intern Begeleider",
        provider="Hogeschool Waterland",
        hours=Decimal("120"),
        start_date=datetime.date(2025, 9, 1),
        end_date=datetime.date(2026, 6, 30),
        certificate=ContentFile(b"%PDF-1.4\n%%EOF\n", name="0123456789abcdef.pdf"),
    )
    Training.objects.create(
        ib=u["ib_two"],
        board=board,
        course="Rekenen",
        hours=Decimal("16"),
        start_date=datetime.date(2024, 1, 10),
        judgement="accepted",
        judged_by=u["staff"],
        judged_at=timezone.now(),
    )
    w.objects.update(goal=goal, action=action, training=training)

    # The training offer: a mandatory track (one module done as the training above, one
    # overdue) and a paid track the IB follows under a repayment agreement.
    from competencies.training_models import (
        ModulePlan,
        RepaymentAgreement,
        TrackEnrolment,
        TrainingModule,
        TrainingTrack,
    )

    track = TrainingTrack.objects.create(
        board=board,
        name="Persoonsgebonden traject",
        kind="personal",
        is_mandatory=True,
        first_year=2024,
        last_year=2026,
    )
    module = TrainingModule.objects.create(
        track=track, title="Post-hbo Intern Begeleider", hours=120, cost=Decimal("1500")
    )
    module.cells.add(*cells[:2])
    late = TrainingModule.objects.create(track=track, title="Coachen", hours=24, order=1)
    ModulePlan.objects.create(ib=u["ib"], board=board, module=module, training=training)
    ModulePlan.objects.create(
        ib=u["ib"], board=board, module=late, planned_date=datetime.date(2025, 3, 1)
    )
    paid = TrainingTrack.objects.create(
        board=board,
        name="Nascholing",
        kind="continuing",
        first_year=2025,
        last_year=2027,
        repayment_percentages="100; 50",
        early_stop_percentage=Decimal("100"),
    )
    TrainingModule.objects.create(track=paid, title="Basis", hours=80, cost=Decimal("950"))
    enrolment = TrackEnrolment.objects.create(
        ib=u["ib"], board=board, track=paid, started_on=datetime.date(2025, 9, 1)
    )
    RepaymentAgreement.objects.create(
        enrolment=enrolment,
        repayment_percentages="100; 50",
        early_stop_percentage=Decimal("100"),
        agreed_on=datetime.date(2025, 9, 1),
    )
    open_track = TrainingTrack.objects.create(
        board=board, name="Leesspecialist", kind="continuing", first_year=2026, last_year=2027
    )
    w.objects.update(track=track, module=module, paid=paid, enrolment=enrolment)
    w.objects["open_track"] = open_track
    # The IB network: a theme, a past meeting with minutes and attendance, the next meeting
    # (the IB's to-do), a document; attendance counts as training.
    from competencies.network_models import (
        Network,
        NetworkAttendance,
        NetworkDocument,
        NetworkMeeting,
        NetworkTheme,
    )

    Network.objects.create(board=board, counts_as_training=True, hours_per_meeting=Decimal("2"))
    theme = NetworkTheme.objects.create(board=board, title="Handelingsgericht werken")
    meeting = NetworkMeeting.objects.create(
        board=board,
        date=today - datetime.timedelta(days=14),
        start_time=datetime.time(15, 30),
        end_time=datetime.time(17, 0),
        place="Bestuursbureau",
        theme=theme,
        agenda="1. Opening\n2. Casus",
        minutes="Afspraken over de casus.",
    )
    NetworkMeeting.objects.create(
        board=board,
        date=today + datetime.timedelta(days=10),
        start_time=datetime.time(15, 30),
        place="De Regenboog",
        agenda="1. Trendanalyse",
    )
    NetworkAttendance.objects.create(meeting=meeting, ib=u["ib"], status="present")
    NetworkAttendance.objects.create(meeting=meeting, ib=u["ib_two"], status="excused")
    document = NetworkDocument.objects.create(
        board=board,
        title="Format leerlingbespreking",
        theme=theme,
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="0123456789abcdef.pdf"),
    )
    NetworkDocument.objects.create(board=board, title="Handreiking", url="https://example.org/")
    w.objects.update(meeting=meeting, network_theme=theme, network_document=document)

    # Own hours of the IB: a starter's hours this school year, in the package's budget.
    from schools.own_hours import OwnHours

    w.objects["own_hours"] = OwnHours.objects.create(
        appointment=w.appointment,
        kind=OwnHours.Kind.SUSTAINABLE,
        label="Startende IB'er",
        hours=Decimal("40"),
        start_year=year.start_year,
        end_year=year.start_year,
    )

    # A pending DUO import: updated, unchanged, refused (<5) and skipped (other board) rows.
    content = (
        "BRIN_NUMMER;VESTIGINGSNUMMER;VESTIGINGSNAAM;PLAATSNAAM;BEVOEGD GEZAG NUMMER;PEILJAAR;"
        f"AANTAL_LEERLINGEN\n41RB;00;OBS DE REGENBOOG;PURMEREND;41001;{year.start_year};612\n"
        f"41WW;00;CBS DE WEGWIJZER;PURMEREND;41001;{year.start_year};250\n"
        f"41SJ;00;RKBS SINT JOZEF;VOLENDAM;41001;{year.start_year};<5\n"
        f"42HG;00;OBS HET HELMGRAS;EDAM;41002;{year.start_year};402\n"
    ).encode("latin-1")
    # The task division of De Regenboog: the draft's IB column beside a language coordinator.
    from tasks import division as dv
    from tasks.models import DivisionAssignment, RoleHolder

    division = dv.division_create(school=regenboog, school_year=year, actor=director)
    coordinator = RoleHolder.objects.create(
        division=division, role="coordinator_taal", name="Femke", hours=Decimal("80")
    )
    trend = tasks["trendanalyse-twee-keer-per-jaar"]
    DivisionAssignment.objects.create(
        division=division,
        holder=coordinator,
        task=trend,
        key=f"task:{trend.pk}",
        title=trend.title,
        domain=trend.domain,
        hours=Decimal("12"),
    )
    w.objects.update(division=division, coordinator=coordinator)

    w.objects["batch"] = batch_create(
        board=board,
        user=u["staff"],
        kind="leerlingen",
        filename="duo-leerlingen.csv",
        content=content,
        records=read_file(content, "leerlingen"),
    )
    return w


# ---------------------------------------------------------------------------------------------
# The pages
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A page: who looks (a key of World.users, None for anonymous) and its address."""

    user: str | None
    url: Callable[[World], str]


def url(name: str, *args: Callable[[World], object], query: str = "") -> Callable[[World], str]:
    """reverse(name, args) with each argument taken from the world, plus a query string."""
    return lambda w: reverse(name, args=[arg(w) for arg in args]) + query


def pk(attr: str) -> Callable[[World], int]:
    return lambda w: getattr(w, attr).pk


def reset_confirm(w: World) -> str:
    user = w.users["ib"]
    return reverse(
        "password_reset_confirm",
        args=[
            urlsafe_base64_encode(force_bytes(user.pk)),
            default_token_generator.make_token(user),
        ],
    )


BOARD = pk("board")
PAGES: dict[str, Target] = {
    # Anonymous and account pages
    "login": Target(None, url("login")),
    "password-reset": Target(None, url("password_reset")),
    "password-reset-done": Target(None, url("password_reset_done")),
    "password-reset-confirm": Target(None, reset_confirm),
    "password-reset-complete": Target(None, url("password_reset_complete")),
    "password-change": Target("staff", url("password_change")),
    "password-change-done": Target("staff", url("password_change_done")),
    "home-no-role": Target("nobody", url("home")),
    # The help (public; the pages with screenshots as a director and a board administrator)
    "help-index": Target(None, url("help:index")),
    "help-director": Target("director", lambda w: reverse("help:page", args=["directeur"])),
    "help-first-day": Target("admin", lambda w: reverse("help:page", args=["eerste-dag"])),
    "preferences": Target("ib", url("schools:preferences")),
    # AVG: the public privacy statement, the IB'er's own data, ending a person (issue 15).
    "privacy": Target(None, url("schools:privacy")),
    "my-data": Target("ib", url("schools:my-data")),
    "person-end": Target("admin", url("schools:person-end", BOARD, lambda w: w.users["ib"].pk)),
    "two-factor-setup": Target("ib", url("two_factor_setup")),
    # The board's people (invitations, ending a person) and staff from HR (issue 15).
    "staff-list": Target("admin", url("schools:staff-list", BOARD)),
    "hr-import-upload": Target("admin", url("schools:hr-import-upload", BOARD)),
    # The board
    "board-detail": Target("staff", url("schools:board-detail", BOARD)),
    "board-edit": Target("staff", url("schools:board-edit", BOARD)),
    "board-history": Target("staff", url("schools:board-history", BOARD)),
    "membership-history": Target("staff", url("schools:membership-history", BOARD)),
    "security-events": Target("admin", url("schools:security-events", BOARD)),
    "figures-history": Target("staff", url("schools:figures-history", pk("school"))),
    "appointment-history": Target("staff", url("schools:appointment-history", pk("appointment"))),
    "school-create": Target("staff", url("schools:school-create", BOARD)),
    "appointment-create": Target("staff", url("schools:appointment-create", BOARD)),
    "import-upload": Target("staff", url("schools:import-upload", BOARD)),
    "import-preview": Target("staff", url("schools:import-preview", BOARD, pk("batch"))),
    "comparison": Target("staff", url("schools:comparison", BOARD)),
    "comparison-cycle": Target("staff", url("schools:comparison-cycle", BOARD)),
    # Schools and appointments
    "school-list-staff": Target("staff", url("schools:school-list")),
    "school-list-director": Target("director", url("schools:school-list")),
    "school-detail": Target("staff", url("schools:school-detail", pk("school"))),
    "school-edit": Target("staff", url("schools:school-edit", pk("school"))),
    "school-years": Target("staff", url("schools:school-years", pk("school"))),
    "figures-edit": Target(
        "staff",
        url("schools:figures-edit", pk("school"), lambda w: w.draft.school_year.start_year),
    ),
    "appointment-list-staff": Target("staff", url("schools:appointment-list")),
    "appointment-list-ib": Target("ib", url("schools:appointment-list")),
    "appointment-detail": Target("staff", url("schools:appointment-detail", pk("appointment"))),
    "appointment-edit": Target("staff", url("schools:appointment-edit", pk("appointment"))),
    "appointment-end": Target("staff", url("schools:appointment-end", pk("appointment"))),
    # The partnership (read-only)
    "partnership-detail": Target("swv", url("schools:partnership-detail", pk("partnership"))),
    "partnership-comparison": Target(
        "swv", url("schools:partnership-comparison", pk("partnership"))
    ),
    "school-list-partnership": Target("swv", url("schools:school-list")),
    # The task catalogue
    "catalogue-staff": Target("staff", url("tasks:catalogue", BOARD)),
    "catalogue-director": Target("director", url("tasks:catalogue", BOARD)),
    "task-create": Target("staff", url("tasks:task-create", BOARD)),
    "task-edit": Target("staff", url("tasks:task-edit", pk("task"))),
    "task-history": Target("staff", url("tasks:task-history", pk("task"))),
    # Task packages
    "package-overview-staff": Target("staff", url("tasks:package-overview")),
    "package-overview-director": Target("director", url("tasks:package-overview")),
    "ib-packages": Target("ib", url("tasks:ib-packages")),
    "package-draft-director": Target("director", url("tasks:package-detail", pk("draft"))),
    # Without htmx: the sheet with the catalogue (and last year's copy) open.
    "package-catalogue-director": Target("director", url("tasks:package-catalogue", pk("draft"))),
    "package-versions-compared": Target(
        "director", url("tasks:package-detail", pk("draft"), query="?versie=2&vergelijk=1")
    ),
    "package-submitted-ib": Target("ib_two", url("tasks:package-detail", pk("submitted"))),
    "package-submitted-director": Target("director", url("tasks:package-detail", pk("submitted"))),
    "package-returned-director": Target("director", url("tasks:package-detail", pk("returned"))),
    "package-agreed-director": Target("director_jozef", url("tasks:package-detail", pk("agreed"))),
    "package-agreed-staff": Target("staff", url("tasks:package-detail", pk("agreed"))),
    "package-letter": Target("ib_jozef", url("tasks:package-letter", pk("agreed"))),
    "package-realisation-ib": Target(
        "ib_jozef", url("tasks:package-realisation", pk("agreed"), lambda w: "halfjaar")
    ),
    "package-realisation-director": Target(
        "director_jozef", url("tasks:package-realisation", pk("agreed"), lambda w: "halfjaar")
    ),
    "package-evaluation-ib": Target("ib_jozef", url("tasks:package-evaluation", pk("agreed"))),
    "package-evaluation-director": Target(
        "director_jozef", url("tasks:package-evaluation", pk("agreed"))
    ),
    "package-history": Target("director", url("tasks:package-history", pk("draft"))),
    # The task division (issue 16): the director's matrix, the IB's reading, the print.
    "division-index": Target("director", url("tasks:division-index")),
    "division-director": Target(
        "director",
        url("tasks:division", pk("school"), lambda w: w.division.school_year.start_year),
    ),
    "division-ib": Target(
        "ib", url("tasks:division", pk("school"), lambda w: w.division.school_year.start_year)
    ),
    "division-holder-edit": Target(
        "director", url("tasks:division-holder-edit", pk("coordinator"))
    ),
    "division-holder-remove": Target(
        "director", url("tasks:division-holder-remove", pk("coordinator"))
    ),
    "division-print": Target("staff", url("tasks:division-print", pk("division"))),
    # The werkplan: the school's development points and the goals of a package
    "development-points": Target(
        "director", lambda w: reverse("schools:development-points", args=[w.point.school_id])
    ),
    "development-point-propose": Target(
        "ib", lambda w: reverse("schools:development-point-create", args=[w.point.school_id])
    ),
    "development-point-edit": Target(
        "director", url("schools:development-point-edit", pk("point"))
    ),
    "werkplan-goal-create": Target("ib", url("tasks:goal-create", pk("draft"))),
    "werkplan-goal-edit": Target("director", url("tasks:goal-edit", pk("werkplan_goal"))),
    "werkplan-goal-remove": Target("director", url("tasks:goal-remove", pk("werkplan_goal"))),
    # The partnership's copy of agreed packages (board shares with the partnership).
    "copy-list": Target("swv", url("tasks:copy-list")),
    "copy-detail": Target("swv", url("tasks:copy-detail", pk("agreed"))),
    "copy-letter": Target("swv", url("tasks:copy-letter", pk("agreed"))),
    # Competency frameworks and the heat map
    "framework-list": Target("staff", url("competencies:framework-list", BOARD)),
    "framework-detail": Target("staff", url("competencies:framework-detail", pk("framework"))),
    "framework-edit": Target("staff", url("competencies:framework-edit", pk("framework"))),
    "framework-row-add": Target("staff", url("competencies:framework-row-add", pk("framework"))),
    "framework-column-add": Target(
        "staff", url("competencies:framework-column-add", pk("framework"))
    ),
    "framework-row-remove": Target(
        "staff", url("competencies:framework-row-remove", lambda w: w.framework.rows.first().pk)
    ),
    "framework-column-remove": Target(
        "staff",
        url("competencies:framework-column-remove", lambda w: w.framework.columns.first().pk),
    ),
    "heatmap": Target("staff", url("competencies:heatmap", BOARD)),
    # Self-assessments
    "round-list": Target("ib", url("competencies:round-list")),
    "round-detail-ib": Target("ib", url("competencies:round-detail", pk("shared_round"))),
    "round-ratings-ib": Target("ib_two", url("competencies:round-detail", pk("draft_round"))),
    "round-director-view": Target("director", url("competencies:round-detail", pk("shared_round"))),
    "shared-rounds": Target("director", url("competencies:shared-rounds")),
    # The development portfolio
    "plan": Target("ib", url("competencies:plan")),
    "goal-create": Target("ib", url("competencies:goal-create")),
    "goal-edit": Target("ib", url("competencies:goal-edit", pk("goal"))),
    "goal-delete": Target("ib", url("competencies:goal-delete", pk("goal"))),
    "action-create": Target("ib", url("competencies:action-create", pk("goal"))),
    "action-edit": Target("ib", url("competencies:action-edit", pk("action"))),
    "action-delete": Target("ib", url("competencies:action-delete", pk("action"))),
    "training-list": Target("ib", url("competencies:training-list")),
    "training-create": Target("ib", url("competencies:training-create")),
    "training-edit": Target("ib", url("competencies:training-edit", pk("training"))),
    "training-delete": Target("ib", url("competencies:training-delete", pk("training"))),
    "training-review": Target("staff", url("competencies:training-review", BOARD)),
    "training-judge": Target("staff", url("competencies:training-judge", pk("training"))),
    # The conversation cycle
    "conversation-list-staff": Target("staff", url("competencies:conversation-list")),
    "conversation-list-director": Target("director", url("competencies:conversation-list")),
    "conversation-plan": Target(
        "director", url("competencies:conversation-plan", pk("appointment"))
    ),
    "conversation-detail-ib": Target(
        "ib", url("competencies:conversation-detail", pk("conversation_planned"))
    ),
    "conversation-detail-staff": Target(
        "staff", url("competencies:conversation-detail", pk("conversation_recorded"))
    ),
    "conversation-edit": Target(
        "director", url("competencies:conversation-edit", pk("conversation_planned"))
    ),
    "conversation-cancel": Target(
        "director", url("competencies:conversation-cancel", pk("conversation_planned"))
    ),
    "conversation-prepare": Target(
        "ib", url("competencies:conversation-prepare", pk("conversation_planned"))
    ),
    "conversation-report": Target(
        "director", url("competencies:conversation-report", pk("conversation_recorded"))
    ),
    "conversation-sign": Target(
        "ib", url("competencies:conversation-sign", pk("conversation_recorded"))
    ),
    "conversation-policy": Target("staff", url("competencies:conversation-policy", BOARD)),
    "training-offer": Target("staff", url("competencies:training-offer", BOARD)),
    "training-offer-director": Target("director", url("competencies:training-offer", BOARD)),
    "track-create": Target("staff", url("competencies:track-create", BOARD)),
    "track-edit": Target("staff", url("competencies:track-edit", pk("paid"))),
    "track-history": Target("staff", url("competencies:track-history", pk("track"))),
    "module-create": Target("staff", url("competencies:module-create", pk("track"))),
    "module-edit": Target("staff", url("competencies:module-edit", pk("module"))),
    "my-track": Target("ib", url("competencies:my-track")),
    "module-plan": Target("ib", url("competencies:module-plan", pk("module"))),
    "track-enrol": Target("ib", url("competencies:track-enrol", pk("open_track"))),
    "track-overview": Target("staff", url("competencies:track-overview", BOARD)),
    "ib-track": Target(
        "staff", lambda w: reverse("competencies:ib-track", args=[w.board.pk, w.users["ib"].pk])
    ),
    "enrolment-detail": Target("ib", url("competencies:enrolment-detail", pk("enrolment"))),
    "enrolment-stop": Target("staff", url("competencies:enrolment-stop", pk("enrolment"))),
    # The person's own hours on an appointment
    "own-hours-create": Target("staff", url("schools:own-hours-create", pk("appointment"))),
    "own-hours-edit": Target("staff", url("schools:own-hours-edit", pk("own_hours"))),
    "own-hours-delete": Target("staff", url("schools:own-hours-delete", pk("own_hours"))),
    # The IB network
    "network-start": Target("ib", url("competencies:network-start")),
    "network-staff": Target("staff", url("competencies:network", BOARD)),
    "network-director": Target("director", url("competencies:network", BOARD)),
    "network-settings": Target("staff", url("competencies:network-settings", BOARD)),
    "network-meeting-create": Target("staff", url("competencies:network-meeting-create", BOARD)),
    "network-meeting-staff": Target("staff", url("competencies:network-meeting", pk("meeting"))),
    "network-meeting-ib": Target("ib", url("competencies:network-meeting", pk("meeting"))),
    "network-meeting-edit": Target(
        "staff", url("competencies:network-meeting-edit", pk("meeting"))
    ),
    "network-meeting-attendance": Target(
        "staff", url("competencies:network-meeting-attendance", pk("meeting"))
    ),
    "network-meeting-delete": Target(
        "staff", url("competencies:network-meeting-delete", pk("meeting"))
    ),
    "network-theme-create": Target("staff", url("competencies:network-theme-create", BOARD)),
    "network-theme-edit": Target(
        "staff", url("competencies:network-theme-edit", pk("network_theme"))
    ),
    "network-document-create": Target("staff", url("competencies:network-document-create", BOARD)),
    "network-document-edit": Target(
        "staff", url("competencies:network-document-edit", pk("network_document"))
    ),
    "network-document-delete": Target(
        "staff", url("competencies:network-document-delete", pk("network_document"))
    ),
}


# ---------------------------------------------------------------------------------------------
# The module's server, data and browser contexts
# ---------------------------------------------------------------------------------------------


@dataclass
class Site:
    url: str
    world: World
    browser: Browser
    pages: dict[str | None, Page] = field(default_factory=dict)

    def new_context(self, **options) -> BrowserContext:
        context = self.browser.new_context(
            base_url=self.url,
            locale="nl-NL",
            timezone_id="Europe/Amsterdam",
            viewport={"width": 1440, "height": 900},  # the top menu unfolds from 1200 px
            # Bootstrap drops its transitions: the focus ring is there at once, not fading in.
            reduced_motion="reduce",
            **options,
        )
        context.set_default_timeout(10_000)
        # axe-core in every page from the start (Playwright's init scripts are not subject to
        # the CSP): injecting its 500 kB per page through page.evaluate costs more than a run.
        context.add_init_script(path=str(AXE_FILE_PATH))
        return context

    def page(self, user: str | None) -> Page:
        """The user's page, kept for reuse (a new page costs about as much as loading one).

        Logged in with a session cookie from force_login; a name that is not in World.users
        gives an anonymous page of its own.
        """
        if user not in self.pages:
            context = self.new_context()
            if user in self.world.users:
                client = Client()
                client.force_login(self.world.users[user])
                cookie = client.cookies[settings.SESSION_COOKIE_NAME]
                context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": self.url}])
            self.pages[user] = context.new_page()
        return self.pages[user]


def wait_for_request_threads(timeout: float = 5) -> None:
    """Until the server's request threads have finished with the closed browser contexts.

    Each closes its database connections when its browser connection ends; on an in-memory
    SQLite database that connection is the test's own, shared only while the server runs.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(
        "process_request_thread" in thread.name for thread in threading.enumerate()
    ):
        time.sleep(0.05)


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, chromium_browser, tmp_path_factory) -> Iterator[Site]:
    # Unblocked for the whole module: the server thread reads the database during every test.
    with django_db_blocker.unblock():
        from tasks.services import domains_load

        domains_load()  # an earlier transactional test may have flushed them
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
                site = Site(url=server.url, world=build_world(), browser=chromium_browser)
            yield site
            for page in site.pages.values():
                page.context.close()
            wait_for_request_threads()
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            # Leave the database as a flushed transactional test does, the domains restored.
            call_command("flush", interactive=False, verbosity=0)
            domains_load()
            # This teardown may run in another context (Playwright's greenlets) than the one
            # that set up: its own connection would stay open and keep PostgreSQL from
            # dropping the test database at the end of the session.
            connections.close_all()


@pytest.fixture
def site_page(site: Site, request) -> Iterator[Callable[[str | None], Page]]:
    """The user's page (see Site.page); screenshotted when the test fails."""
    used: list[Page] = []

    def user_page(user: str | None) -> Page:
        used.append(site.page(user))
        return used[-1]

    yield user_page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
        for page in used:
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


# ---------------------------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------------------------


def axe_problems(page: Page) -> list[str]:
    """Every serious or critical axe violation: rule, impact, help and the nodes' selectors."""
    # What Axe().run(page) does, without injecting axe-core again (see Site.new_context).
    results = AxeResults(page.evaluate("axe.run({resultTypes: ['violations']})"))
    problems = []
    for violation in results.response["violations"]:
        if violation["impact"] not in FAILING_IMPACTS:
            continue
        nodes = "; ".join(" ".join(map(str, node["target"])) for node in violation["nodes"][:10])
        more = len(violation["nodes"]) - 10
        problems.append(
            f"axe {violation['id']} ({violation['impact']}): {violation['help']}"
            f" -> {nodes}{f' (+{more} more)' if more > 0 else ''}"
        )
    return problems


# Every visible input, select and textarea (not hidden) needs a label, aria-label or
# aria-labelledby with text; input buttons need a value.
UNLABELLED_JS = """() => {
  const text = s => (s || '').replace(/\\s+/g, ' ').trim();
  const describe = el => el.outerHTML.slice(0, 160);
  const bad = [];
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (el.type === 'hidden' || !el.checkVisibility({visibilityProperty: true})) continue;
    if (['submit', 'button', 'reset'].includes(el.type)) {
      if (!text(el.value) && !text(el.getAttribute('aria-label'))) bad.push(describe(el));
      continue;
    }
    let name = text(el.getAttribute('aria-label'));
    const ids = text(el.getAttribute('aria-labelledby'));
    if (!name && ids) {
      name = text(ids.split(' ').map(id => document.getElementById(id)?.textContent).join(' '));
    }
    if (!name && el.labels) name = text([...el.labels].map(l => l.textContent).join(' '));
    if (!name) bad.push(describe(el));
  }
  return bad;
}"""

# Marks every visible, enabled link, button and form control with a key (one key per radio
# group) and records the keys that receive focus, and whether each focused element shows it.
KEYBOARD_SETUP_JS = """() => {
  const interactive = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  const keys = new Set();
  let n = 0;
  for (const el of document.querySelectorAll(interactive + ', [tabindex]')) {
    if (el.disabled || el.closest('[inert]')) continue;
    if (!el.matches(interactive) && el.tabIndex < 0) continue;  // a focus target, not a control
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    const key = el.type === 'radio'
      ? 'radio group ' + (el.form ? el.form.id || [...document.forms].indexOf(el.form) : '') +
        '/' + el.name
      : 'element ' + (n++);
    el.dataset.a11yKey = key;
    keys.add(key);
  }
  window.__a11y = {focused: new Set(), unmarked: [], first: null, wrapped: false};
  document.addEventListener('focusin', event => {
    const el = event.target, state = window.__a11y;
    // Back at the first stop: the whole page has been tabbed through.
    if (state.first === null) state.first = el;
    else if (el === state.first) state.wrapped = true;
    state.focused.add(el.dataset.a11yKey);
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow !== 'none';
    if (!outline && !shadow) window.__a11y.unmarked.push(el.outerHTML.slice(0, 160));
  }, true);
  return keys.size;
}"""

KEYBOARD_RESULT_JS = """() => {
  const missed = [];
  for (const el of document.querySelectorAll('[data-a11y-key]')) {
    const key = el.dataset.a11yKey;
    if (!window.__a11y.focused.has(key)) {
      window.__a11y.focused.add(key);  // report a radio group once
      missed.push(key.startsWith('radio') ? key : el.outerHTML.slice(0, 160));
    }
  }
  return {missed, unmarked: [...new Set(window.__a11y.unmarked)]};
}"""

# axe 4.12 no longer checks duplicate ids (only those that ARIA refers to): labels, htmx's
# focus restoring and the skip link all rely on unique ids.
DUPLICATE_IDS_JS = """() => {
  const seen = new Map();
  for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) || 0) + 1);
  return [...seen].filter(([, count]) => count > 1).map(([id, count]) => `${id} (${count}x)`);
}"""

POSITIVE_TABINDEX_JS = """() => [...document.querySelectorAll('[tabindex]')]
  .filter(el => el.tabIndex > 0).map(el => el.outerHTML.slice(0, 160))"""


def keyboard_problems(page: Page) -> list[str]:
    """Tab through the whole page once: who was never reached, who showed no focus."""
    count = page.evaluate(KEYBOARD_SETUP_JS)
    # A date field takes three stops (day, month, year): allow some, and stop at the wrap.
    for _ in range(0, 3 * count + 20, 10):
        for _ in range(10):
            page.keyboard.press("Tab")
        if page.evaluate("() => window.__a11y.wrapped"):
            break
    result = page.evaluate(KEYBOARD_RESULT_JS)
    problems = [f"not reached with Tab: {html}" for html in result["missed"]]
    problems += [f"no visible focus indicator: {html}" for html in result["unmarked"]]
    problems += [f"positive tabindex: {html}" for html in page.evaluate(POSITIVE_TABINDEX_JS)]
    return problems


# Files, not pages: the CSV/XLSX exports and the certificate download.
DOWNLOADS = {
    "schools:comparison-export",
    "schools:comparison-cycle-export",
    "schools:partnership-comparison-export",
    "competencies:heatmap-export",
    "competencies:training-certificate",
    "competencies:network-document-file",
    "schools:my-data-json",
    "schools:appointment-export",
    "tasks:package-export",
    "tasks:division-export",
    "tasks:catalogue-export",
}
# Old addresses that only redirect to a page checked above.
REDIRECTS = {
    "schools:board-people",  # the people page is schools:staff-list now
}


def test_every_page_of_the_access_matrix_is_checked(site: Site) -> None:
    """A new page in tests/test_access.py's matrix joins PAGES here too (POST-only actions
    and downloads excepted)."""
    from tests.test_access import MATRIX

    pages = {name for name, row in MATRIX.items() if not row.post_only} - DOWNLOADS - REDIRECTS
    checked = {
        resolve(urlsplit(target.url(site.world)).path).view_name for target in PAGES.values()
    }
    assert pages - checked == set(), "add these pages to PAGES"


def assert_accessible(page: Page, name: str) -> None:
    """Every check of this module on the page as it is now; all problems in one message."""
    assert page.locator("html").get_attribute("lang") == "nl", name
    problems = axe_problems(page)
    problems += [f"no label: {html}" for html in page.evaluate(UNLABELLED_JS)]
    problems += [f"duplicate id: {id_}" for id_ in page.evaluate(DUPLICATE_IDS_JS)]
    problems += keyboard_problems(page)
    assert not problems, f"{name} ({page.url}):\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("name", PAGES)
def test_page_is_accessible(site: Site, site_page, name: str) -> None:
    target = PAGES[name]
    page = site_page(target.user)
    response = page.goto(target.url(site.world))
    assert response is not None and response.status == 200, (response and response.status, page.url)
    assert_accessible(page, name)


# Forms sent with mistakes: (user, page, {field selector: value}); the errors must be tied to
# their fields (Django sets aria-invalid and aria-describedby="<id>_error" on the input).
FORMS_WITH_ERRORS: dict[str, tuple[str | None, str, dict[str, str]]] = {
    "login": (None, "login", {"#id_username": "onbekend", "#id_password": "fout"}),
    "school-create": ("staff", "school-create", {"#id_brin": "XX"}),
    "appointment-create": (
        "staff",
        "appointment-create",
        {"#id_start_date": "2026-08-01", "#id_shares-0-fte": "veel"},
    ),
    "goal-create": ("ib", "goal-create", {}),
    "training-create": ("ib", "training-create", {"#id_hours": "-3"}),
    "package-item": ("director", "package-draft-director", {}),
}

UNDESCRIBED_ERRORS_JS = """() => [...document.querySelectorAll('[aria-invalid=true]')]
  .filter(el => !(el.getAttribute('aria-describedby') || '').split(/\\s+/)
    .some(id => document.getElementById(id)?.textContent.trim()))
  .map(el => el.outerHTML.slice(0, 160))"""


@pytest.mark.parametrize("name", FORMS_WITH_ERRORS)
def test_form_errors_are_accessible(site: Site, site_page, name: str) -> None:
    user, page_name, values = FORMS_WITH_ERRORS[name]
    page = site_page(user)
    page.goto(PAGES[page_name].url(site.world))
    if name == "package-item":  # the sheet: wrong hours, Enter in the field saves the sheet
        hours = page.locator(f"tr#item-{site.world.item.pk} input[name^=hours_]")
        hours.fill("-5")
        hours.press("Enter")
    else:
        for selector, value in values.items():
            page.locator(selector).fill(value)
        page.locator("main form[method=post] button[type=submit]").first.click()
    expect(page.locator("main .invalid-feedback, main .alert-danger").first).to_be_visible()
    undescribed = page.evaluate(UNDESCRIBED_ERRORS_JS)
    assert not undescribed, f"errors not tied to their field: {undescribed}"
    assert_accessible(page, f"{name} with errors")


def test_lockout_page_is_accessible(site: Site, site_page) -> None:
    """The page after too many wrong passwords (django-axes), reached as a person would."""
    page = site_page("locked-out")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto(reverse("login"))
        page.locator("#id_username").fill("gesloten")
        page.locator("#id_password").fill("fout")
        page.locator("main form button[type=submit]").click()
    expect(page.locator("main .alert-warning")).to_be_visible()
    assert_accessible(page, "lockout")


def test_sheet_actions_come_before_the_tasks_by_keyboard(site: Site, site_page) -> None:
    """The sheet's "Save" and "Submit" are reached without tabbing through every task: the
    action bar comes first; typing in a task marks it unsaved and counts it in the bar."""
    page = site_page("director")
    page.goto(PAGES["package-draft-director"].url(site.world))
    focused = []
    for _ in range(60):
        page.keyboard.press("Tab")
        focused.append(
            page.evaluate("() => document.activeElement.id || document.activeElement.name")
        )
        if focused[-1] == "sheet-submit":
            break
    assert "sheet-save" in focused and focused[-1] == "sheet-submit", focused
    assert not [name for name in focused if str(name).startswith(("item", "hours_"))], focused
    hours = page.locator(f"tr#item-{site.world.item.pk} input[name^=hours_]")
    hours.fill("41")
    expect(page.locator(".sheet-actions [role=status]")).not_to_be_empty()
    expect(page.locator(f"tr#item-{site.world.item.pk} .unsaved-badge")).to_be_visible()
    assert_accessible(page, "package-draft-director with an unsaved change")


def test_menu_opens_and_closes_by_keyboard(site: Site, site_page) -> None:
    """The "Policies" drop-down in the main menu: Enter opens it, the arrow keys reach every
    item, Escape closes it and returns the focus to its button."""
    page = site_page("staff")
    page.goto(PAGES["board-detail"].url(site.world))
    toggle = page.locator("nav .navbar-nav .dropdown-toggle").first
    items = page.locator("nav .navbar-nav .dropdown").first.locator(".dropdown-item")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    for n in range(items.count()):
        page.keyboard.press("ArrowDown")
        expect(items.nth(n)).to_be_focused()
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()


def test_skip_link_leads_to_the_main_content(site: Site, site_page) -> None:
    page = site_page("staff")
    page.goto(PAGES["board-detail"].url(site.world))
    page.keyboard.press("Tab")
    skip = page.locator("a[href='#main']")
    expect(skip).to_be_focused()
    # Visually hidden until focused: then it shows, with a focus ring.
    box = skip.bounding_box()
    assert box is not None and box["width"] > 20 and box["height"] > 10
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")


def test_focus_is_visible(site: Site, site_page) -> None:
    """A link, a button and a text field each show a focus ring when reached by keyboard."""
    page = site_page(None)
    page.goto(reverse("login"))
    seen = {}
    for _ in range(30):
        page.keyboard.press("Tab")
        tag, style = page.evaluate(
            """() => {
              const el = document.activeElement, s = getComputedStyle(el);
              return [el.tagName.toLowerCase(), [s.outlineStyle, s.outlineWidth, s.boxShadow]];
            }"""
        )
        seen.setdefault(tag, style)
    assert {"a", "button", "input"} <= seen.keys(), seen
    for tag, (outline_style, outline_width, box_shadow) in seen.items():
        if tag in {"a", "button", "input"}:
            visible_outline = outline_style != "none" and float(outline_width[:-2]) > 0
            assert visible_outline or box_shadow != "none", (tag, seen[tag])


def test_english_sets_lang_en(site: Site) -> None:
    """The language button switches the interface to English, and <html lang> follows."""
    context = site.new_context()
    try:
        page = context.new_page()
        page.goto(reverse("login"))
        expect(page.locator("html")).to_have_attribute("lang", "nl")
        english = page.locator("form button[name=language][value=en]")
        expect(english).to_have_attribute("lang", "en")
        english.click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.locator("form button[name=language][value=nl]")).to_have_attribute("lang", "nl")
        assert not axe_problems(page)
    finally:
        context.close()


def test_school_account_lockout_page_is_accessible(site: Site, site_page) -> None:
    """The pages after too many refused returns from a school account: the last refusal says
    the address is now blocked, the next start shows django-axes' status with our text."""
    page = site_page("sso-locked-out")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto(reverse("sso_callback") + "?state=verzonnen&code=abc")
    expect(page.locator("main .alert-danger")).to_contain_text("een mislukte poging te veel")
    assert_accessible(page, "school account refused, now blocked")
    page.goto(reverse("sso_callback") + "?state=verzonnen&code=abc")
    expect(page.locator("main .alert-warning")).to_contain_text("Wacht 15 minuten")
    assert_accessible(page, "school account lockout")
    # The site is shared with the tests after this one.
    AccessAttempt.objects.filter(username=SSO_ATTEMPT_USERNAME).delete()
