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
from django.db.models import Count, Max, Q
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from competencies.models import AssessmentRound
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
from tasks.models import Package, PackageItem

User = get_user_model()


@dataclass(frozen=True)
class Subject:
    """One page to measure: who asks for which URL, and the target p95 in ms (if any)."""

    name: str
    url: str
    user: object
    target_ms: float | None = None


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
        if self.subject.target_ms is None:
            return "-"
        return "ok" if self.p95_ms <= self.subject.target_ms else "MISSED"


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

    def comparison() -> Subject:
        url = reverse("schools:comparison", args=[board.pk]) + f"?jaar={year}"
        target = 300.0 if board_schools <= 150 else None
        return Subject(f"comparison, board of {board_schools} schools", url, staff, target)

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
        return Subject(f"partnership comparison, {found.n} schools", url, user)

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

    biggest = (
        Package.objects.filter(school_year__start_year=year)
        .annotate(n=Count("versions__items"))
        .order_by("-n", "id")
        .select_related("share__appointment__ib", "share__school")
        .first()
    )

    def package_page(as_role: str) -> Callable[[], Subject]:
        def build() -> Subject:
            if biggest is None:
                raise NoSubject(f"no package in {year}")
            items = PackageItem.objects.filter(version__package=biggest).count()
            if as_role == Role.IB:
                user = biggest.share.appointment.ib
            else:
                user = member(Role.DIRECTOR, school=biggest.share.school)
            url = reverse("tasks:package-detail", args=[biggest.pk])
            return Subject(f"package page as {as_role}, {items} items", url, user, 100.0)

        return build

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

    add("comparison", comparison)
    add("partnership", partnership)
    add("director", director_overview)
    add("package (director)", package_page(Role.DIRECTOR))
    add("package (IB)", package_page(Role.IB))
    add("IB overview", ib_overview)
    add("heat map", heatmap)
    add("school", school_detail)
    return result


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
    times: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(subject.url)
        times.append((time.perf_counter() - start) * 1000)
        status = response.status_code if response.status_code != 200 else status
    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        client.get(subject.url)
    result = Result(subject, status, times, recorder.queries)

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
        f"- Data: {counts}",
        f"- Each page {repeat} times through the test client after a warm-up; times in ms. "
        "Floor: the page's slowest query run again as raw SQL (median); SQL: all its queries "
        "once; ratio: page median / floor. Target: p95 limit from issue #6.",
        "",
        "| Page | Median | p95 | Queries | Floor | SQL | Ratio | Target | Result | Change |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for result in results:
        before = previous.get(result.subject.name)
        change = f"{(result.median_ms / before - 1) * 100:+.0f}%" if before else "new"
        target = f"{result.subject.target_ms:.0f}" if result.subject.target_ms else "-"
        ratio = f"{result.ratio:.1f}" if result.ratio else "-"
        lines.append(
            f"| {result.subject.name} | {result.median_ms:.1f} | {result.p95_ms:.1f} "
            f"| {len(result.queries)} | {result.floor_ms:.1f} | {result.sql_total_ms:.1f} "
            f"| {ratio} | {target} | {result.verdict} | {change} |"
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
