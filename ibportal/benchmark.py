"""Page benchmark: time the main pages on the configured database and write a Markdown table.

Each page is requested through Django's test client (the whole middleware stack, sessions and
templates included, no network) as a user who may see it, on the biggest subject the data
holds: the largest board, the partnership with the most schools, the director with the most
IB shares, the package with the most items, the IB with the most schools. For each page:

- the median and 95th percentile of the response time over ``repeat`` requests;
- the number of queries (from one extra request);
- the floor: the page's slowest query (its main aggregate), run again as raw SQL with the same
  parameters, median over ``repeat`` runs; and the time of all its queries together;
- the ratio page/floor: how much the page adds on top of its main query.

Used by ``manage.py benchmark`` (see ``benchmarks/README.md``).
"""

from __future__ import annotations

import datetime
import os
import platform
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from competencies.models import (
    AppraisalConversation,
    AssessmentRound,
    ModulePlan,
    NetworkAttendance,
    NetworkMeeting,
)
from schools.models import (
    Appointment,
    AppointmentShare,
    Board,
    Membership,
    Partnership,
    Role,
    School,
    SchoolYear,
)
from tasks.models import (
    EvaluationGoal,
    Package,
    PackageItem,
    PackageStatus,
    PackageVersion,
    TaskDivision,
)

User = get_user_model()


@dataclass(frozen=True)
class Subject:
    """One page to measure: who asks for which URL, and the target p95 in ms (if any)."""

    name: str
    url: str
    user: object
    target_ms: float | None = None
    # Package pages: at most this many times the trivial page of the same user (issue #11),
    # whose requests alternate with the page's so that both meet the same machine load.
    max_trivial_ratio: float | None = None
    trivial_url: str | None = None
    is_trivial: bool = False
    # The comparison: at most this many times its own SQL time (issue #12).
    max_sql_ratio: float | None = None


@dataclass
class Query:
    sql: str
    params: object
    many: bool
    seconds: float


@dataclass
class Result:
    subject: Subject
    status: int
    times_ms: list[float]
    queries: list[Query] = field(default_factory=list)
    floor_ms: float = 0.0
    floor_sql: str = ""
    sql_total_ms: float = 0.0
    trivial_ms: float | None = None  # the median of the same user's trivial page

    @property
    def trivial_ratio(self) -> float | None:
        return self.median_ms / self.trivial_ms if self.trivial_ms else None

    @property
    def sql_ratio(self) -> float | None:
        return self.median_ms / self.sql_total_ms if self.sql_total_ms else None

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95_ms(self) -> float:
        return percentile(self.times_ms, 95)

    @property
    def ratio(self) -> float | None:
        return self.median_ms / self.floor_ms if self.floor_ms else None

    @property
    def verdict(self) -> str:
        if self.status != 200:
            return f"HTTP {self.status}"
        checks = []
        if self.subject.target_ms is not None:
            checks.append(self.p95_ms <= self.subject.target_ms)
        limit = self.subject.max_trivial_ratio
        if limit is not None and self.trivial_ratio is not None:
            checks.append(self.trivial_ratio <= limit)
        limit = self.subject.max_sql_ratio
        if limit is not None and self.sql_ratio is not None:
            checks.append(self.sql_ratio <= limit)
        if not checks:
            return "-"
        return "ok" if all(checks) else "MISSED"


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile: the smallest value with ``pct`` percent at or below it."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))  # ceil
    return ordered[int(rank) - 1]


class NoSubject(Exception):
    """The database lacks what a page needs (e.g. no partnership)."""


# ---------------------------------------------------------------------------------------------
# Choosing the subjects: the biggest of each kind in the data
# ---------------------------------------------------------------------------------------------


def member(role: str, **scope) -> object:
    membership = (
        Membership.objects.filter(role=role, user__is_active=True, **scope)
        .select_related("user")
        .order_by("id")
        .first()
    )
    if membership is None:
        raise NoSubject(f"no active {role} for {scope}")
    return membership.user


def current_year_with_packages() -> int:
    latest = Package.objects.aggregate(year=Max("school_year__start_year"))["year"]
    if latest is None:
        raise NoSubject("no packages")
    return min(latest, SchoolYear.start_year_for(datetime.date.today()))


def largest_board() -> Board:
    board = Board.objects.annotate(n=Count("schools")).order_by("-n", "id").first()
    if board is None:
        raise NoSubject("no boards")
    return board


def subjects(*, year: int | None = None) -> list[Subject]:
    """The main pages, each on the biggest subject in the data."""
    year = year or current_year_with_packages()
    result: list[Subject] = []

    def add(name: str, build: Callable[[], Subject]) -> None:
        try:
            result.append(build())
        except NoSubject as missing:
            print(f"  skipped {name}: {missing}")

    board = largest_board()
    board_schools = board.schools.count()
    staff = member(Role.BOARD_STAFF, board=board)

    # Issue #12: the comparison of up to 150 schools within 6x its user's trivial page and
    # within 10x its own SQL time.
    trivial = reverse("password_change")
    limits = {"max_trivial_ratio": 6.0, "trivial_url": trivial, "max_sql_ratio": 10.0}

    def comparison() -> Subject:
        url = reverse("schools:comparison", args=[board.pk]) + f"?jaar={year}"
        small = board_schools <= 150
        return Subject(
            f"comparison, board of {board_schools} schools",
            url,
            staff,
            300.0 if small else None,
            **(limits if small else {}),
        )

    def cycle() -> Subject:
        """The year cycle beside the comparison (issue 14): the comparison's limits."""
        url = reverse("schools:comparison-cycle", args=[board.pk]) + f"?jaar={year}"
        small = board_schools <= 150
        return Subject(
            f"year cycle, board of {board_schools} schools",
            url,
            staff,
            300.0 if small else None,
            **(limits if small else {}),
        )

    def partnership() -> Subject:
        found = (
            Partnership.objects.annotate(
                n=Count("schools", filter=Q(schools__board__shares_with_partnership=True))
            )
            .filter(memberships__role=Role.PARTNERSHIP_STAFF)
            .order_by("-n", "id")
            .first()
        )
        if found is None:
            raise NoSubject("no partnership with staff")
        user = member(Role.PARTNERSHIP_STAFF, partnership=found)
        url = reverse("schools:partnership-comparison", args=[found.pk]) + f"?jaar={year}"
        return Subject(
            f"partnership comparison, {found.n} schools",
            url,
            user,
            **(limits if found.n <= 150 else {}),
        )

    def director_overview() -> Subject:
        shares_at = (
            Membership.objects.filter(role=Role.DIRECTOR, user__is_active=True)
            .values("user")
            .annotate(
                n=Count("school__ib_shares__appointment__ib", distinct=True),
                schools=Count("school", distinct=True),
            )
            .order_by("-n", "user")
            .first()
        )
        if shares_at is None:
            raise NoSubject("no director")
        user = User.objects.get(pk=shares_at["user"])
        url = reverse("tasks:package-overview") + f"?jaar={year}"
        label = f"director's overview, {shares_at['schools']} schools, {shares_at['n']} IBs"
        return Subject(label, url, user, 100.0)

    package_pages = package_subjects(year)

    def ib_overview() -> Subject:
        top = (
            AppointmentShare.objects.filter(
                appointment__in=Appointment.objects.filter(ib__is_active=True)
            )
            .values("appointment__ib")
            .annotate(n=Count("school", distinct=True))
            .order_by("-n", "appointment__ib")
            .first()
        )
        if top is None:
            raise NoSubject("no IB")
        user = User.objects.get(pk=top["appointment__ib"])
        packages = Package.objects.filter(share__appointment__ib=user).count()
        url = reverse("tasks:ib-packages")
        return Subject(f"IB's overview, {top['n']} schools, {packages} packages", url, user, 100.0)

    def heatmap() -> Subject:
        rounds = AssessmentRound.objects.filter(ib__memberships__board=board).count()
        url = reverse("competencies:heatmap", args=[board.pk]) + f"?jaar={year}"
        return Subject(f"heat map, board of {board_schools} schools, {rounds} rounds", url, staff)

    def school_detail() -> Subject:
        school = (
            School.objects.filter(board=board)
            .annotate(n=Count("ib_shares"))
            .order_by("-n", "id")
            .first()
        )
        if school is None:
            raise NoSubject("no school")
        url = reverse("schools:school-detail", args=[school.pk])
        return Subject("school page (norms)", url, staff)

    def division() -> Subject:
        """The task division with the most tasks of roles (issue 16), as its director: the
        package pages' limit (4x the same user's trivial page)."""
        found = (
            TaskDivision.objects.filter(school_year__start_year=year)
            .annotate(n=Count("assignments"))
            .order_by("-n", "id")
            .first()
        )
        if found is None:
            raise NoSubject(f"no task division in {year}")
        membership = (
            Membership.objects.filter(
                role=Role.DIRECTOR, school_id=found.school_id, user__is_active=True
            )
            .select_related("user")
            .first()
        )
        if membership is None:
            raise NoSubject("no director of the school with the biggest task division")
        url = reverse("tasks:division", args=[found.school_id, year])
        return Subject(
            f"task division as director, {found.n} tasks of roles",
            url,
            membership.user,
            max_trivial_ratio=4.0,
            trivial_url=reverse("password_change"),
        )

    def start_pages() -> list[Callable[[], Subject]]:
        """Each role's start page with what needs doing now (issue 14): 4x the same user's
        trivial page, like every page that is not a comparison."""
        trivial = reverse("password_change")

        def board_start() -> Subject:
            url = reverse("schools:board-detail", args=[board.pk])
            return Subject(
                f"start page as board staff, board of {board_schools} schools",
                url,
                staff,
                max_trivial_ratio=4.0,
                trivial_url=trivial,
            )

        def director_start() -> Subject:
            version = biggest_version(year, PackageStatus.CONCEPT)
            user = member(Role.DIRECTOR, school=version.package.share.school)
            schools = Membership.objects.filter(user=user, role=Role.DIRECTOR).count()
            return Subject(
                f"start page as director, {schools} schools",
                reverse("schools:school-list"),
                user,
                max_trivial_ratio=4.0,
                trivial_url=trivial,
            )

        def ib_start() -> Subject:
            version = biggest_version(year, PackageStatus.SUBMITTED)
            user = version.package.share.appointment.ib
            return Subject(
                "start page as IB",
                reverse("schools:appointment-list"),
                user,
                max_trivial_ratio=4.0,
                trivial_url=trivial,
            )

        def partnership_start() -> Subject:
            """The partnership with the most schools, as its staff."""
            found = (
                Partnership.objects.annotate(n=Count("schools"))
                .filter(memberships__role=Role.PARTNERSHIP_STAFF)
                .order_by("-n", "id")
                .first()
            )
            if found is None:
                raise NoSubject("no partnership with staff")
            return Subject(
                f"start page as partnership staff, {found.n} schools",
                reverse("schools:partnership-detail", args=[found.pk]),
                member(Role.PARTNERSHIP_STAFF, partnership=found),
                max_trivial_ratio=4.0,
                trivial_url=trivial,
            )

        def trivial_staff() -> Subject:
            return Subject(
                "trivial page (password form) as board staff", trivial, staff, is_trivial=True
            )

        board_start.__name__ = "board start page"
        director_start.__name__ = "director's start page"
        ib_start.__name__ = "IB's start page"
        partnership_start.__name__ = "partnership's start page"
        trivial_staff.__name__ = "trivial page as board staff"
        return [trivial_staff, board_start, director_start, ib_start, partnership_start]

    add("comparison", comparison)
    add("year cycle", cycle)
    add("partnership", partnership)
    for page in copy_subjects(year):
        add(page.__name__, page)
    add("director", director_overview)
    for page in package_pages:
        add(page.__name__, page)
    add("IB overview", ib_overview)
    add("heat map", heatmap)
    add("school", school_detail)
    add("task division", division)
    for page in issue17_subjects(board, staff):
        add(page.__name__, page)
    for page in start_pages():
        add(page.__name__, page)
    return result


def issue17_subjects(board: Board, staff: object) -> list[Callable[[], Subject]]:
    """The conversation cycle, the training track and the IB network (issue 17), each within
    4x the same user's trivial page: the director and the IB with the most conversations, one
    conversation, board staff's track overview of the largest board and its IB with the most
    module plans, and the largest board's network and its meeting with the most attendance."""
    trivial = reverse("password_change")
    limits = {"max_trivial_ratio": 4.0, "trivial_url": trivial}

    def most_conversations(field: str) -> tuple[object, int]:
        top = (
            AppraisalConversation.objects.filter(**{f"{field}__is_active": True})
            .values(field)
            .annotate(n=Count("id"))
            .order_by("-n", field)
            .first()
        )
        if top is None:
            raise NoSubject("no conversations")
        return User.objects.get(pk=top[field]), top["n"]

    def director_conversations() -> Subject:
        user, n = most_conversations("director")
        url = reverse("competencies:conversation-list")
        return Subject(f"conversations as director, {n} conversations", url, user, **limits)

    def conversation_page() -> Subject:
        user, _n = most_conversations("director")
        found = (
            AppraisalConversation.objects.filter(director=user, recorded_at__isnull=False)
            .order_by("-date", "-id")
            .first()
        )
        if found is None:
            raise NoSubject("no recorded conversation")
        url = reverse("competencies:conversation-detail", args=[found.pk])
        return Subject("conversation page as director", url, user, **limits)

    def ib_conversations() -> Subject:
        user, n = most_conversations("ib")
        url = reverse("competencies:conversation-list")
        return Subject(f"conversations as IB, {n} conversations", url, user, **limits)

    def track_overview() -> Subject:
        plans = ModulePlan.objects.filter(board=board).count()
        url = reverse("competencies:track-overview", args=[board.pk])
        return Subject(f"track overview as board staff, {plans} module plans", url, staff, **limits)

    def ib_track() -> Subject:
        top = (
            ModulePlan.objects.filter(board=board)
            .values("ib")
            .annotate(n=Count("id"))
            .order_by("-n", "ib")
            .first()
        )
        if top is None:
            raise NoSubject("no module plans")
        url = reverse("competencies:ib-track", args=[board.pk, top["ib"]])
        return Subject(f"IB's track as board staff, {top['n']} modules", url, staff, **limits)

    def network_page() -> Subject:
        meetings = NetworkMeeting.objects.filter(board=board).count()
        url = reverse("competencies:network", args=[board.pk])
        return Subject(f"network as board staff, {meetings} meetings", url, staff, **limits)

    def network_page_ib() -> Subject:
        found = (
            NetworkAttendance.objects.filter(meeting__board=board, ib__is_active=True)
            .order_by("ib_id")
            .first()
        )
        if found is None:
            raise NoSubject("no IB in the network")
        url = reverse("competencies:network", args=[board.pk])
        return Subject("network as IB", url, found.ib, **limits)

    def meeting_page() -> Subject:
        found = (
            NetworkMeeting.objects.filter(board=board)
            .annotate(n=Count("attendances"))
            .order_by("-n", "-date", "id")
            .first()
        )
        if found is None:
            raise NoSubject("no network meeting")
        url = reverse("competencies:network-meeting", args=[found.pk])
        return Subject(
            f"network meeting as board staff, {found.n} attendances", url, staff, **limits
        )

    return [
        director_conversations,
        conversation_page,
        ib_conversations,
        track_overview,
        ib_track,
        network_page,
        network_page_ib,
        meeting_page,
    ]


def copy_subjects(year: int) -> list[Callable[[], Subject]]:
    """The partnership's copy (issue 14, each within 4x the same user's trivial page): the
    list of the year's copies of the partnership with the most, and its biggest copy."""
    trivial = reverse("password_change")

    def biggest_copy() -> tuple[PackageVersion, object]:
        for membership in Membership.objects.filter(
            role=Role.PARTNERSHIP_STAFF, user__is_active=True
        ).select_related("user"):
            version = (
                PackageVersion.objects.copies_for_user(membership.user)
                .filter(package__school_year__start_year=year)
                .annotate(n=Count("items"))
                .order_by("-n", "id")
                .first()
            )
            if version is not None:
                return version, membership.user
        raise NoSubject(f"no partnership's copy in {year}")

    def copy_list() -> Subject:
        version, user = biggest_copy()
        copies = (
            PackageVersion.objects.copies_for_user(user)
            .filter(package__school_year__start_year=year)
            .count()
        )
        url = reverse("tasks:copy-list") + f"?jaar={year}"
        return Subject(
            f"partnership's copies, {copies} packages",
            url,
            user,
            max_trivial_ratio=4.0,
            trivial_url=trivial,
        )

    def copy_detail() -> Subject:
        version, user = biggest_copy()
        url = reverse("tasks:copy-detail", args=[version.package_id])
        return Subject(
            f"partnership's copy of a package, {version.n} items",
            url,
            user,
            max_trivial_ratio=4.0,
            trivial_url=trivial,
        )

    def trivial_page() -> Subject:
        _version, user = biggest_copy()
        return Subject(
            "trivial page (password form) as partnership staff", trivial, user, is_trivial=True
        )

    trivial_page.__name__ = "trivial page as partnership staff"
    copy_list.__name__ = "partnership's copies"
    copy_detail.__name__ = "partnership's copy"
    return [trivial_page, copy_list, copy_detail]


def biggest_version(year: int, status: str) -> PackageVersion:
    """The current version in ``status`` with the most items of the year's packages.

    Preferred: one whose IB share had last year's package evaluated with rated goals, the
    page's fullest state (a draft then shows last year's marks and goals to carry over), so
    that the pages' query counts do not depend on which package the data happens to make the
    biggest."""
    newer = PackageVersion.objects.filter(
        package=OuterRef("package"), number__gt=OuterRef("number")
    )
    evaluated_last_year = EvaluationGoal.objects.filter(
        evaluation__package__share=OuterRef("package__share"),
        evaluation__package__school_year__start_year=year - 1,
    ).exclude(rating="")
    version = (
        PackageVersion.objects.filter(package__school_year__start_year=year, status=status)
        .exclude(Exists(newer))
        .annotate(n=Count("items"), evaluated=Exists(evaluated_last_year))
        .order_by("-evaluated", "-n", "id")
        .select_related("package__share__appointment__ib", "package__share__school")
        .first()
    )
    if version is None:
        raise NoSubject(f"no package in {year} that is {status}")
    return version


def package_subjects(year: int) -> list[Callable[[], Subject]]:
    """The package pages (issue #11: each within 4x the trivial page of the same user): the
    director's sheet of the biggest draft, its task letter and history, and the IB's review
    page of the biggest submitted package; each user's trivial page (the password form)."""
    trivial = reverse("password_change")

    def draft() -> tuple[PackageVersion, object]:
        version = biggest_version(year, PackageStatus.CONCEPT)
        return version, member(Role.DIRECTOR, school=version.package.share.school)

    def page(label: str, url_name: str, who: Callable) -> Callable[[], Subject]:
        def build() -> Subject:
            version, user = who()
            url = reverse(url_name, args=[version.package_id])
            items = version.items.count()
            events = version.package.events.count()
            size = f"{events} events" if url_name == "tasks:package-history" else f"{items} items"
            target = 100.0 if url_name == "tasks:package-detail" else None
            return Subject(
                f"{label}, {size}", url, user, target, max_trivial_ratio=4.0, trivial_url=trivial
            )

        build.__name__ = label
        return build

    def review() -> tuple[PackageVersion, object]:
        version = biggest_version(year, PackageStatus.SUBMITTED)
        return version, version.package.share.appointment.ib

    def agreed_by_ib() -> tuple[PackageVersion, object]:
        version = biggest_version(year, PackageStatus.AGREED)
        return version, version.package.share.appointment.ib

    def agreed_by_director() -> tuple[PackageVersion, object]:
        version = biggest_version(year, PackageStatus.AGREED)
        return version, member(Role.DIRECTOR, school=version.package.share.school)

    def trivial_page(label: str, who: Callable) -> Callable[[], Subject]:
        def build() -> Subject:
            _version, user = who()
            return Subject(
                f"trivial page (password form) as {label}", trivial, user, is_trivial=True
            )

        build.__name__ = f"trivial page as {label}"
        return build

    return [
        trivial_page("director", draft),
        page("package sheet as director", "tasks:package-detail", draft),
        page("task letter as director", "tasks:package-letter", draft),
        page("package history as director", "tasks:package-history", draft),
        page("werkplan goal form as director", "tasks:goal-create", draft),
        trivial_page("IB", review),
        page("review page as IB", "tasks:package-detail", review),
        # The year-end evaluation of the biggest agreed package (issue #14), with the
        # realisation per domain beside it.
        page("year-end evaluation as IB", "tasks:package-evaluation", agreed_by_ib),
        page("year-end evaluation as director", "tasks:package-evaluation", agreed_by_director),
    ]


# ---------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------


class Recorder:
    """A database execute wrapper that keeps each query with its parameters and time."""

    def __init__(self) -> None:
        self.queries: list[Query] = []

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append(Query(sql, params, many, time.perf_counter() - start))


def run_raw(query: Query) -> float:
    """Seconds to run one recorded query again as raw SQL and fetch all its rows."""
    with connection.cursor() as cursor:
        start = time.perf_counter()
        cursor.execute(query.sql, query.params)
        if cursor.description is not None:
            cursor.fetchall()
        return time.perf_counter() - start


def is_read(query: Query) -> bool:
    return not query.many and query.sql.lstrip().upper().startswith(("SELECT", "WITH"))


def measure(subject: Subject, *, repeat: int, warmup: int) -> Result:
    client = Client()
    client.force_login(subject.user)
    status = 200
    for _ in range(warmup):
        status = client.get(subject.url).status_code
        if subject.trivial_url:
            client.get(subject.trivial_url)
    times: list[float] = []
    trivial_times: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(subject.url)
        times.append((time.perf_counter() - start) * 1000)
        status = response.status_code if response.status_code != 200 else status
        if subject.trivial_url:
            start = time.perf_counter()
            client.get(subject.trivial_url)
            trivial_times.append((time.perf_counter() - start) * 1000)
    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        client.get(subject.url)
    result = Result(subject, status, times, recorder.queries)
    if trivial_times:
        result.trivial_ms = statistics.median(trivial_times)

    reads = [query for query in recorder.queries if is_read(query)]
    if reads:
        # Each read once more (warm), then the slowest is the page's main query: its floor.
        costs = [(min(run_raw(query), run_raw(query)), query) for query in reads]
        result.sql_total_ms = sum(cost for cost, _ in costs) * 1000
        _, main = max(costs, key=lambda pair: pair[0])
        result.floor_ms = statistics.median(run_raw(main) for _ in range(repeat)) * 1000
        result.floor_sql = " ".join(main.sql.split())
    return result


# ---------------------------------------------------------------------------------------------
# Reporting
# ---------------------------------------------------------------------------------------------


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            cwd=settings.BASE_DIR,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def data_counts() -> dict[str, int]:
    return {
        "boards": Board.objects.count(),
        "schools": School.objects.count(),
        "appointments": Appointment.objects.count(),
        "packages": Package.objects.count(),
        "package items": PackageItem.objects.count(),
        "self-assessment rounds": AssessmentRound.objects.count(),
    }


def load_average() -> str:
    try:
        return ", ".join(f"{load:.1f}" for load in os.getloadavg())
    except OSError:  # not available on this platform
        return "unknown"


def vendor_label() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    return connection.vendor


def previous_medians(path: Path) -> dict[str, float]:
    """Median per page from the last results file, to show the change."""
    if not path.exists():
        return {}
    medians: dict[str, float] = {}
    for line in path.read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) > 3 and cells[1].replace(".", "", 1).isdigit():
            medians[cells[0]] = float(cells[1])
    return medians


def render(results: list[Result], *, repeat: int, previous: dict[str, float]) -> str:
    counts = ", ".join(f"{n:,} {name}" for name, n in data_counts().items())
    lines = [
        f"# Page benchmark on {vendor_label()}",
        "",
        f"- When: {timezone.localtime().isoformat(timespec='minutes')}, commit {git_commit()}",
        *(["- **DEBUG is on: times include its query logging.**"] if settings.DEBUG else []),
        f"- Machine: {os.cpu_count()} cores, {platform.machine()}, "
        f"Python {platform.python_version()}",
        f"- Load average after the run: {load_average()} (other processes on the machine slow "
        "every page alike: compare pages within one run, as the x trivial column does)",
        f"- Data: {counts}",
        f"- Each page {repeat} times through the test client after a warm-up; times in ms. "
        "Floor: the page's slowest query run again as raw SQL (median); SQL: all its queries "
        "once; ratio: page median / floor. Target: p95 limit from issue #6. x trivial: the "
        "page's median / the median of the same user's trivial page (the password form), "
        "requested alternately with the page so both meet the same load; package pages at "
        "most 4x (issue #11), comparisons of up to 150 schools at most 6x (issue #12). "
        "x SQL: the page's median / its SQL; comparisons at most 10x (issue #12).",
        "",
        "| Page | Median | p95 | Queries | Floor | SQL | Ratio | Target | Result | Change "
        "| x trivial | x SQL |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |",
    ]
    for result in results:
        before = previous.get(result.subject.name)
        change = f"{(result.median_ms / before - 1) * 100:+.0f}%" if before else "new"
        target = f"{result.subject.target_ms:.0f}" if result.subject.target_ms else "-"
        ratio = f"{result.ratio:.1f}" if result.ratio else "-"
        trivial = f"{result.trivial_ratio:.1f}" if result.trivial_ratio else "-"
        if result.subject.max_trivial_ratio:
            trivial += f" (max {result.subject.max_trivial_ratio:.0f})"
        by_sql = "-"
        if result.subject.max_sql_ratio and result.sql_ratio:
            by_sql = f"{result.sql_ratio:.1f} (max {result.subject.max_sql_ratio:.0f})"
        lines.append(
            f"| {result.subject.name} | {result.median_ms:.1f} | {result.p95_ms:.1f} "
            f"| {len(result.queries)} | {result.floor_ms:.1f} | {result.sql_total_ms:.1f} "
            f"| {ratio} | {target} | {result.verdict} | {change} | {trivial} | {by_sql} |"
        )
    lines += ["", "## Main query per page", ""]
    for result in results:
        sql = result.floor_sql if len(result.floor_sql) < 600 else result.floor_sql[:600] + " …"
        lines += [f"- **{result.subject.name}** ({result.floor_ms:.1f} ms): `{sql}`"]
    return "\n".join(lines) + "\n"


def test_client_settings():
    """The test client's host and plain HTTP, whatever the production settings say."""
    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    return override_settings(ALLOWED_HOSTS=hosts, SECURE_SSL_REDIRECT=False)


def chosen_subjects(only: str | None) -> list[Subject]:
    return [s for s in subjects() if not only or only.lower() in s.name.lower()]


def profile(*, only: str | None, repeat: int, lines: int = 40) -> None:
    """Print where the time of each chosen page goes (cProfile, cumulative)."""
    import cProfile
    import pstats

    with test_client_settings():
        for subject in chosen_subjects(only):
            client = Client()
            client.force_login(subject.user)
            client.get(subject.url)
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(repeat):
                client.get(subject.url)
            profiler.disable()
            print(f"== {subject.name}: {subject.url} ({repeat} requests)")
            order = os.environ.get("PROFILE_SORT", "cumulative")  # or tottime
            pstats.Stats(profiler).sort_stats(order).print_stats(lines)


def run(*, repeat: int, warmup: int, output: Path | None, only: str | None = None) -> list:
    """Measure every page and write the table; returns the results."""
    with test_client_settings():
        chosen = chosen_subjects(only)
        results = []
        for subject in chosen:
            print(f"  {subject.name}: {subject.url} as {subject.user}")
            results.append(measure(subject, repeat=repeat, warmup=warmup))
    previous = previous_medians(output) if output else {}
    table = render(results, repeat=repeat, previous=previous)
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(table)
    print(table)
    return results
