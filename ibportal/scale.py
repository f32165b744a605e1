"""A national-scale data set, built fast with bulk inserts (``manage.py generate_scale_data``).

At ``--scale 1``: 75 partnerships, 900 boards (1 to 150 schools, skewed: many one-school
boards, a few large ones), 6,100 schools, 6,000 IB appointments (a quarter over two or three
schools), three school years (the current one and the two before) of pupil figures and task
packages (about 15 items, in every workflow state, with versions and history), each board's
task catalogue and KempenKind competency matrix, and completed self-assessment rounds for half
of the IBs. About a million rows.

Nothing here calls the services row by row: each step builds plain model instances and writes
them with ``bulk_create`` in batches. The rows are the ones the services would leave behind
(``schools.services`` for appointments, ``tasks.packages`` for packages and their events,
``competencies`` for frameworks and rounds), and the shapes obey the same rules: shares of at
most 1 fte together, a leading school on a tie, items that fit the package's hours, workflow
transitions in the allowed order.

Accounts (all share one password, hashed once):

- ``scale-board-<n>``: board staff of board n; ``scale-admin-<n>``: its board administrator.
  Boards are numbered 1.. in creation order; board 1 is the largest (150 schools at scale 1),
  named "Stichting Grootste Bestuur (150 scholen)", bevoegd-gezag number 10001 (board n has
  number 10000 + n).
- ``scale-director-<n>``: a director of one school, or of two or three small schools of one
  board (a multi-school director).
- ``scale-ib-<n>``: the IB of appointment n (one appointment each, numbered by board).
- ``scale-swv-<n>``: the staff member of partnership n (code ``PO<2100 + n>``).

Everything is drawn from ``random.Random(seed)`` in a fixed order, so a seed gives the same data
on every database (primary keys and timestamps aside).
"""

from __future__ import annotations

import datetime
import math
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone, translation
from django.utils.translation import ngettext

from competencies.models import (
    AppraisalConversation,
    AssessmentRound,
    Cell,
    Conversation,
    ConversationKind,
    ConversationPolicy,
    DirectorView,
    Framework,
    FrameworkColumn,
    FrameworkRow,
    Goal,
    GoalAction,
    HeatMapConsent,
    Level,
    ModulePlan,
    Network,
    NetworkAttendance,
    NetworkDocument,
    NetworkMeeting,
    NetworkTheme,
    Rating,
    RepaymentAgreement,
    TrackEnrolment,
    Training,
    TrainingModule,
    TrainingTrack,
)
from competencies.standard_frameworks import FRAMEWORKS
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
    Role,
    School,
    SchoolFigures,
    SchoolYear,
    SecurityEvent,
    SingleSignOn,
    personnel_responsibility,
)
from schools.own_hours import OwnHours
from tasks.models import (
    CatalogueTask,
    DivisionAssignment,
    Domain,
    Evaluation,
    EvaluationGoal,
    GoalRating,
    HolderRole,
    Moment,
    Package,
    PackageEvent,
    PackageItem,
    PackageStatus,
    PackageVersion,
    Realisation,
    RealisationLine,
    RoleHolder,
    TaskDivision,
    WerkplanGoal,
)
from tasks.packages import SchoolSize, hours_text, proposed_hours
from tasks.services import standard_task
from tasks.standard_catalogue import TASKS

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

User = get_user_model()
Kind = PackageEvent.Kind
Status = PackageStatus

BATCH = 5000
MAX_BOARD_SIZE = 150
FRAMEWORK_KEY = "kempenkind-matrix"
ONE_PLACE = Decimal("0.1")
FTE_STEP = Decimal("0.05")


class DataExists(Exception):
    """The database already holds boards (or scale accounts) and no flush was asked for."""


# ---------------------------------------------------------------------------
# sizes
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Targets:
    """How much to build; ``for_scale(1)`` is the national picture."""

    partnerships: int
    boards: int
    schools: int
    appointments: int
    largest_board: int

    @classmethod
    def for_scale(cls, scale: float) -> Targets:
        boards = max(1, round(900 * scale))
        schools = max(boards, round(6100 * scale))
        schools = min(schools, boards * MAX_BOARD_SIZE)
        # A quarter of the schools at most, and enough for the other boards to hold the rest.
        largest = min(MAX_BOARD_SIZE, max(schools // 4, math.ceil(schools / boards)))
        return cls(
            partnerships=max(1, round(75 * scale)),
            boards=boards,
            schools=schools,
            appointments=max(1, round(6000 * scale)),
            largest_board=largest,
        )


def board_sizes(rng: random.Random, targets: Targets) -> list[int]:
    """Schools per board: the largest first, then a skewed spread that sums to the target."""
    rest, wanted = targets.boards - 1, targets.schools - targets.largest_board
    if rest == 0:
        return [targets.schools]
    # Smaller than the largest board, unless the others could not hold the rest (tiny scales).
    cap = targets.largest_board - 1
    cap = cap if cap >= 1 and rest * cap >= wanted else targets.largest_board
    sizes = [1 if rng.random() < 0.38 else _lognormal_size(rng, cap) for _ in range(rest)]
    total = sum(sizes)
    while total != wanted:
        index = rng.randrange(rest)
        if total < wanted and sizes[index] < cap and (sizes[index] > 1 or rng.random() < 0.05):
            sizes[index] += 1  # mostly boards with several schools grow
            total += 1
        elif total > wanted and sizes[index] > 1:
            sizes[index] -= 1
            total -= 1
    return [targets.largest_board, *sorted(sizes, reverse=True)]


def _lognormal_size(rng: random.Random, cap: int) -> int:
    return max(2, min(cap, round(math.exp(rng.gauss(1.75, 0.85)))))


# ---------------------------------------------------------------------------
# the build context: what later steps need from earlier ones
# ---------------------------------------------------------------------------


@dataclass
class FrameworkParts:
    framework: Framework
    cells: list[Cell]
    levels: list[Level]


@dataclass
class AppointmentPlan:
    board: Board
    schools: list[School]
    ftes: list[Decimal]
    kind: str
    salary_scale: str
    start: datetime.date
    end: datetime.date | None = None
    lead: School | None = None
    appointment: Appointment | None = None
    ib: AbstractUser | None = None
    shares: list[AppointmentShare] = field(default_factory=list)

    def runs_in(self, start_year: int) -> bool:
        """The rule of ``package_create``: the appointment runs on some day of the year."""
        year = SchoolYear(start_year=start_year)
        return self.start <= year.end_date and (self.end is None or self.end >= year.start_date)


@dataclass
class Build:
    rng: random.Random
    targets: Targets
    password_hash: str
    log: Callable[[str], None]
    now: datetime.datetime = field(default_factory=timezone.now)
    counts: Counter = field(default_factory=Counter)
    years: dict[int, SchoolYear] = field(default_factory=dict)
    partnerships: list[Partnership] = field(default_factory=list)
    boards: list[Board] = field(default_factory=list)
    board_partnerships: dict[int, list[Partnership]] = field(default_factory=dict)
    schools_of: dict[int, list[School]] = field(default_factory=dict)
    pupils: dict[tuple[int, int], int] = field(default_factory=dict)
    director_groups: dict[int, list[list[School]]] = field(default_factory=dict)
    directors_of: dict[int, list[AbstractUser]] = field(default_factory=dict)
    tasks_of: dict[int, list[CatalogueTask]] = field(default_factory=dict)
    framework_of: dict[int, FrameworkParts] = field(default_factory=dict)
    appointments: list[AppointmentPlan] = field(default_factory=list)
    # Realisation and evaluation draw from their own generator (seeded from the seed), so
    # adding them left every other row of a seed as it was.
    cycle_rng: random.Random = field(default_factory=random.Random)

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.now)

    @property
    def current_year(self) -> int:
        return SchoolYear.start_year_for(self.today)

    @property
    def start_years(self) -> list[int]:
        return [self.current_year - 2, self.current_year - 1, self.current_year]

    @property
    def schools(self) -> Iterator[School]:
        for board in self.boards:
            yield from self.schools_of[board.pk]

    def pick(self, weighted: Sequence[tuple[object, float]]) -> object:
        values, weights = zip(*weighted, strict=True)
        return self.rng.choices(values, weights=weights)[0]


def bulk(build: Build, model: type[models.Model], objects: Iterable[models.Model]) -> list:
    """Insert in batches; the returned objects carry their primary keys.

    A model with a history (django-simple-history) gets its "created" records in batches too,
    as the pages would have left them, without an author.
    """
    objects = list(objects)
    created = model.objects.bulk_create(objects, batch_size=BATCH)
    build.counts[model._meta.label] += len(objects)
    if hasattr(model._meta, "simple_history_manager_attribute"):
        model.history.bulk_history_create(created, batch_size=BATCH)
        build.counts[model.history.model._meta.label] += len(created)
    return created


@contextmanager
def explicit_timestamps(*model_fields: tuple[type[models.Model], str]) -> Iterator[None]:
    """Let bulk_create write the given ``auto_now_add`` fields as set on the objects.

    A package's history spans two school years; with ``auto_now_add`` every event of the data
    set would carry the moment of generation. The fields are restored afterwards.
    """
    saved = []
    for model, name in model_fields:
        model_field = model._meta.get_field(name)
        saved.append((model_field, model_field.auto_now, model_field.auto_now_add))
        model_field.auto_now = model_field.auto_now_add = False
    try:
        yield
    finally:
        for model_field, auto_now, auto_now_add in saved:
            model_field.auto_now, model_field.auto_now_add = auto_now, auto_now_add


def at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


# ---------------------------------------------------------------------------
# names (all invented)
# ---------------------------------------------------------------------------


def words(text: str, sep: str | None = None) -> tuple[str, ...]:
    return tuple(text.split(sep))


PLACE_HEADS = words(
    "Beek Bos Dijk Heide Hoog Linde Mol Veen Wolde Zand Eik Berk Els Hazel Kempen Leeuw Oost "
    "West Noord Zuid Rijn Maas Vecht Wester Ooster Bremen Valken Raven Vossen Duiven"
)
PLACE_TAILS = words("dorp veld horst wijk hout rade stede burg meer loo broek hoven")
SCHOOL_KINDS = (
    ("OBS", 30),
    ("CBS", 20),
    ("RKBS", 18),
    ("PCBS", 6),
    ("IKC", 8),
    ("Basisschool", 10),
    ("Daltonschool", 3),
    ("Montessorischool", 2),
    ("Jenaplanschool", 3),
)
SCHOOL_NAMES = words(
    "De Regenboog|De Wegwijzer|Het Kompas|De Vlinder|De Zaaier|De Linde|De Horizon|De Bron|"
    "Het Zonnepad|De Klimop|De Fontein|De Sterrenkijker|Het Palet|De Springplank|De Wilgenhoek|"
    "De Piramide|De Kameleon|Het Baken|De Ontdekking|De Notenbalk|De Tweemaster|De Schakel|"
    "De Wereldwijzer|Het Anker|De Octopus|De Triangel|De Meander|De Vuurtoren|Het Mozaiek|"
    "De Toermalijn|De Eikenhorst|Sint Jozef|Sint Franciscus|Sint Maarten|Willibrord|"
    "Het Startpunt|De Boomgaard|De Windroos|De Kiem|Het Kinderrijk|De Akker|De Duizendpoot",
    sep="|",
)
BOARD_PATTERNS = (
    "Stichting {place} Onderwijs",
    "Stichting Openbaar Onderwijs {place}",
    "Stichting Katholiek Onderwijs {place}",
    "Vereniging Christelijk Onderwijs {place}",
    "Stichting Scholengroep {place}",
    "Stichting Primair Onderwijs {place} e.o.",
)
FIRST_NAMES = words(
    "Anna Bram Carla Daan Eva Femke Gijs Hanna Ilse Jeroen Karin Lars Marieke Niels Olga Pim "
    "Roos Sander Tessa Ruud Wendy Yara Joost Lotte Maarten Nadia Ömer Petra Sanne Thijs Willem "
    "Fatima Kees Linda Mohamed Ingrid Bas Esther Tom Noor"
)
LAST_NAMES = words(
    "Akkerman Bakker Brouwer Dekker Dijkstra Elzinga Groen Hendriks Hoekstra Jansen Kok "
    "Kuipers Lammers Meijer Mulder Nijhuis Oosterhof Peeters Postma Ridder Schouten Smit "
    "Timmermans Veenstra Verbeek Visser Vos Wouters Zijlstra Brink Willemsen Koster Prins "
    "Bosman Huisman Jonker Kramer Molenaar Sanders Verhoeven"
)


def place_name(rng: random.Random) -> str:
    return rng.choice(PLACE_HEADS) + rng.choice(PLACE_TAILS)


def person_name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def new_user(build: Build, username: str) -> AbstractUser:
    first, last = person_name(build.rng)
    return User(
        username=username,
        first_name=first,
        last_name=last,
        email=f"{username}@scale.ib-portaal.invalid",
        password=build.password_hash,
    )


# ---------------------------------------------------------------------------
# step 0: emptying the app's data (only with --flush)
# ---------------------------------------------------------------------------

# Leaves first, so no row outlives what it points to. Domain is reference data from a migration
# and stays; every other model of the three apps must be named here (checked in flush_app_data).
FLUSH_ORDER: tuple[type[models.Model], ...] = (
    # The history (django-simple-history) first: its rows point at users (history_user).
    Board.history.model,
    SchoolFigures.history.model,
    Membership.history.model,
    Appointment.history.model,
    AppointmentShare.history.model,
    CatalogueTask.history.model,
    RoleHolder.history.model,
    DivisionAssignment.history.model,
    HrRecord.history.model,
    Network.history.model,
    OwnHours.history.model,
    OwnHours,
    NetworkMeeting.history.model,
    NetworkAttendance.history.model,
    HrRecord,
    Invitation,
    SingleSignOn,
    SecurityEvent,
    Preference,
    NetworkAttendance,
    NetworkDocument,
    NetworkMeeting,
    NetworkTheme,
    Network,
    HeatMapConsent,
    AppraisalConversation,
    ConversationPolicy,
    Conversation,
    DirectorView,
    Rating,
    AssessmentRound,
    GoalAction,
    Goal.cells.through,
    Goal,
    RepaymentAgreement.history.model,
    RepaymentAgreement,
    TrackEnrolment.history.model,
    TrackEnrolment,
    ModulePlan.history.model,
    ModulePlan,
    Training,
    TrainingModule.history.model,
    TrainingModule.cells.through,
    TrainingModule,
    TrainingTrack.history.model,
    TrainingTrack,
    CatalogueTask.cells.through,
    WerkplanGoal.items.through,
    WerkplanGoal,
    EvaluationGoal,
    Evaluation,
    RealisationLine,
    Realisation,
    DivisionAssignment,
    RoleHolder,
    TaskDivision,
    PackageEvent,
    PackageItem,
    PackageVersion,
    Package,
    CatalogueTask,
    Cell,
    Level,
    FrameworkColumn,
    FrameworkRow,
    Framework,
    ImportBatch,
    AppointmentShare,
    Appointment,
    Membership,
    SchoolFigures,
    DevelopmentPoint,
    School,
    Board.partnerships.through,
    Board,
    Partnership,
    SchoolYear,
)
KEPT_MODELS = (Domain,)


def app_models() -> set[type[models.Model]]:
    return {
        model
        for label in ("schools", "tasks", "competencies")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }


def flush_app_data() -> dict[str, int]:
    """Delete every row of the app's own tables and every account that is not a superuser.

    Superusers stay (they hold no app data); so do the LBBO domains, sessions, the admin log of
    superusers and uploaded files in the storage (certificates are only unlinked).
    """
    unknown = app_models() - set(FLUSH_ORDER) - set(KEPT_MODELS)
    if unknown:  # a model added later must be placed in FLUSH_ORDER on purpose
        raise RuntimeError(f"flush does not know these models: {sorted(map(str, unknown))}")
    deleted = {}
    with connection.cursor() as cursor:
        for model in FLUSH_ORDER:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
            deleted[model._meta.db_table] = cursor.rowcount
    deleted["users"], _by_model = User.objects.filter(is_superuser=False).delete()
    return deleted


def log_flush(build: Build) -> None:
    deleted = flush_app_data()
    accounts = deleted.pop("users")
    build.log(f"  deleted {sum(deleted.values()):,} rows of app data and {accounts:,} accounts")


def has_data() -> bool:
    return (
        Board.objects.exists()
        or Partnership.objects.exists()
        or User.objects.filter(username__startswith="scale-").exists()
    )


# ---------------------------------------------------------------------------
# step 1: school years, partnerships, boards
# ---------------------------------------------------------------------------


def create_years(build: Build) -> None:
    build.years = {
        start: SchoolYear.objects.get_or_create(start_year=start)[0] for start in build.start_years
    }


def create_partnerships(build: Build) -> None:
    build.partnerships = bulk(
        build,
        Partnership,
        (
            Partnership(name=f"SWV Passend Onderwijs {place_name(build.rng)}", code=f"PO{2100 + n}")
            for n in range(1, build.targets.partnerships + 1)
        ),
    )


def board_policy(build: Build) -> dict:
    """A board's own IB policy: the spread of choices boards make in practice."""
    pick = build.pick
    return {
        "reserved_hours_per_fte": pick([(Decimal(0), 5), (Decimal(40), 2), (Decimal(83), 2)]),
        "min_ib_fte": pick([(Decimal("0.6"), 5), (Decimal("0.5"), 2), (Decimal("0.4"), 1)]),
        "salary_scales": pick(
            [("LB, LC, LD", 7), ("L10, L11, L12", 2), ("LB, LC, LD, 9, 10, 11", 1)]
        ),
        "norm_kind": pick(
            [(Board.NormKind.PUPILS, 6), (Board.NormKind.GROUPS, 3), (Board.NormKind.LBBO, 1)]
        ),
        "norm_multi_school_fte": pick([(Decimal(1), 1), (None, 1)]),
        "shares_with_partnership": build.rng.random() < 0.6,
    }


def create_boards(build: Build, sizes: list[int]) -> None:
    boards = []
    for n, size in enumerate(sizes, start=1):
        name = build.rng.choice(BOARD_PATTERNS).format(place=place_name(build.rng))
        if n == 1:
            name = f"Stichting Grootste Bestuur ({size} scholen)"
        boards.append(Board(name=name, number=f"{10000 + n:05d}", **board_policy(build)))
    build.boards = bulk(build, Board, boards)
    links = []
    for n, (board, size) in enumerate(zip(build.boards, sizes, strict=True)):
        # Every partnership gets boards; a large board works in several regions.
        first = build.partnerships[n % len(build.partnerships)]
        extra = build.rng.sample(build.partnerships, min(len(build.partnerships), size // 40))
        chosen = [first, *(p for p in extra if p is not first)]
        build.board_partnerships[board.pk] = chosen
        links += [
            Board.partnerships.through(board_id=board.pk, partnership_id=p.pk) for p in chosen
        ]
    bulk(build, Board.partnerships.through, links)


# ---------------------------------------------------------------------------
# step 2: schools and their pupil figures
# ---------------------------------------------------------------------------


def brin_for(n: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return f"{n % 100:02d}{letters[(n // 100) % 26]}{letters[(n // 2600) % 26]}"


def create_schools(build: Build, sizes: list[int]) -> None:
    schools, brin_number = [], 0
    for board, size in zip(build.boards, sizes, strict=True):
        place = place_name(build.rng)
        for index in range(size):
            previous = schools[-1] if index else None
            if previous and previous.location_code == "00" and build.rng.random() < 0.04:
                # A second location of the previous school: same BRIN, its own location code.
                name = f"{previous.name}, locatie {place_name(build.rng)}"
                brin, location = previous.brin, "01"
            else:
                brin_number += 1
                name = f"{build.pick(SCHOOL_KINDS)} {build.rng.choice(SCHOOL_NAMES)}"
                brin, location = brin_for(brin_number), "00"
            if build.rng.random() < 0.3:
                place = place_name(build.rng)
            schools.append(
                School(
                    board=board,
                    name=name,
                    brin=brin,
                    location_code=location,
                    place=place,
                    partnership=build.rng.choice(build.board_partnerships[board.pk]),
                )
            )
    for school in bulk(build, School, schools):
        build.schools_of.setdefault(school.board_id, []).append(school)


def create_figures(build: Build) -> None:
    """Pupils on 1 October and groups, three years; a few imported counts without groups."""
    figures = []
    first, *_ = build.start_years
    for school in build.schools:
        pupils = max(25, min(1100, round(math.exp(build.rng.gauss(5.3, 0.55)))))
        for start_year in build.start_years:
            if start_year != first:
                pupils = max(20, round(pupils * (1 + build.rng.gauss(0, 0.04))))
            groups = max(2, min(40, round(pupils / build.rng.uniform(22, 28))))
            if start_year == first and build.rng.random() < 0.03:
                groups = None
            build.pupils[school.pk, start_year] = pupils
            figures.append(
                SchoolFigures(
                    school=school,
                    school_year=build.years[start_year],
                    pupils=pupils,
                    groups=groups,
                )
            )
    bulk(build, SchoolFigures, figures)


# ---------------------------------------------------------------------------
# step 3: each board's catalogue and competency matrix
# ---------------------------------------------------------------------------


def create_catalogues(build: Build) -> None:
    """What ``catalogue_copy_standard`` writes for every board, in bulk."""
    domains = {domain.code: domain for domain in Domain.objects.all()}
    tasks = (standard_task(board, task, domains) for board in build.boards for task in TASKS)
    for task in bulk(build, CatalogueTask, tasks):
        build.tasks_of.setdefault(task.board_id, []).append(task)


def by_framework(objects: Iterable[models.Model]) -> dict[int, list]:
    grouped = defaultdict(list)
    for obj in objects:
        grouped[obj.framework_id].append(obj)
    return grouped


def create_frameworks(build: Build) -> None:
    """What ``framework_copy_standard`` writes for the KempenKind matrix, for every board."""
    data = FRAMEWORKS[FRAMEWORK_KEY]
    frameworks = bulk(
        build,
        Framework,
        (
            Framework(
                board=board,
                standard_key=FRAMEWORK_KEY,
                name=data["name"],
                description=data["description"],
                kind=data["kind"],
            )
            for board in build.boards
        ),
    )
    columns = by_framework(
        bulk(
            build,
            FrameworkColumn,
            (
                FrameworkColumn(framework=framework, title=title, order=order)
                for framework in frameworks
                for order, title in enumerate(data["columns"], start=1)
            ),
        )
    )
    rows = by_framework(
        bulk(
            build,
            FrameworkRow,
            (
                FrameworkRow(
                    framework=framework,
                    title=row["title"],
                    description=row["description"],
                    order=order,
                )
                for framework in frameworks
                for order, row in enumerate(data["rows"], start=1)
            ),
        )
    )
    cells = by_framework(
        bulk(
            build,
            Cell,
            (
                Cell(
                    framework=framework,
                    row=row,
                    column=column,
                    descriptor=descriptor,
                    order=number,
                )
                for framework in frameworks
                for row, row_data in zip(rows[framework.pk], data["rows"], strict=True)
                for column, indicators in zip(
                    columns[framework.pk] or [None], row_data["cells"], strict=True
                )
                for number, descriptor in enumerate(indicators, start=1)
            ),
        )
    )
    levels = by_framework(
        bulk(
            build,
            Level,
            (
                Level(
                    framework=framework,
                    number=number,
                    name=level["name"],
                    description=level["description"],
                )
                for framework in frameworks
                for number, level in enumerate(data["levels"], start=1)
            ),
        )
    )
    for framework in frameworks:
        build.framework_of[framework.board_id] = FrameworkParts(
            framework, cells[framework.pk], levels[framework.pk]
        )


# Which matrix rows a task of each domain draws on (row order of the KempenKind matrix:
# interpersonal, guiding processes, coordinating support, carrying out the school plan).
# Matrix rows a task of each LBBO domain draws on; general school duties draw on none.
ROWS_FOR_DOMAIN = {"leren": (0, 1, 3), "data": (1, 3), "zorg": (0, 2)}


def link_tasks_to_cells(build: Build) -> None:
    """Every board names the competencies its IB tasks draw on (``CatalogueTask.cells``), so
    that the package pages read the IB's levels at every scale (their queries are pinned
    whatever the data: a page without links would skip those reads)."""
    codes = {domain.pk: domain.code for domain in Domain.objects.all()}
    links = []
    for board in build.boards:
        cells = build.framework_of[board.pk].cells
        row_ids = sorted({cell.row_id for cell in cells})
        for task in build.tasks_of[board.pk]:
            if not task.is_ib_task:
                continue
            wanted = {
                row_ids[i]
                for i in ROWS_FOR_DOMAIN.get(codes[task.domain_id], ())
                if i < len(row_ids)
            }
            candidates = [cell for cell in cells if cell.row_id in wanted]
            for cell in build.rng.sample(candidates, min(len(candidates), build.rng.randint(1, 2))):
                links.append(CatalogueTask.cells.through(cataloguetask_id=task.pk, cell_id=cell.pk))
    bulk(build, CatalogueTask.cells.through, links)


# ---------------------------------------------------------------------------
# step 4: people: board staff, directors, partnership staff
# ---------------------------------------------------------------------------


def group_directors(build: Build, schools: list[School]) -> list[list[School]]:
    """One director per school, except small schools that often share a multi-school director."""
    small = [s for s in schools if build.pupils[s.pk, build.current_year] < 150]
    small_ids = {s.pk for s in small}
    build.rng.shuffle(small)
    groups = []
    while small:
        if len(small) >= 2 and build.rng.random() < 0.55:
            size = 3 if len(small) >= 3 and build.rng.random() < 0.3 else 2
            groups.append(small[:size])
            small = small[size:]
        else:
            groups.append([small.pop()])
    return groups + [[s] for s in schools if s.pk not in small_ids]


def create_people(build: Build) -> None:
    users, memberships = [], []

    def add(username: str, role: str, scopes: Sequence[dict]) -> AbstractUser:
        user = new_user(build, username)
        users.append(user)
        memberships.extend(Membership(user=user, role=role, **scope) for scope in scopes)
        return user

    for n, board in enumerate(build.boards, start=1):
        add(f"scale-board-{n}", Role.BOARD_STAFF, [{"board": board}])
        add(f"scale-admin-{n}", Role.BOARD_ADMIN, [{"board": board}])
    for n, partnership in enumerate(build.partnerships, start=1):
        add(f"scale-swv-{n}", Role.PARTNERSHIP_STAFF, [{"partnership": partnership}])
    directors = 0
    for board in build.boards:
        groups = group_directors(build, build.schools_of[board.pk])
        build.director_groups[board.pk] = groups
        for group in groups:
            # Now and then a large school has a second director (a location director).
            extra = [s for s in group if build.pupils[s.pk, build.current_year] >= 400]
            for schools in [group] + [[s] for s in extra if build.rng.random() < 0.05]:
                directors += 1
                user = add(
                    f"scale-director-{directors}", Role.DIRECTOR, [{"school": s} for s in schools]
                )
                for school in schools:
                    build.directors_of.setdefault(school.pk, []).append(user)
    bulk(build, User, users)
    bulk(build, Membership, memberships)
    for school_directors in build.directors_of.values():
        # The order round_share uses to pick the personnel-responsible director.
        school_directors.sort(key=lambda user: (user.get_full_name() or user.username, user.pk))


# ---------------------------------------------------------------------------
# step 5: IB appointments, their shares and the IBs' accounts
# ---------------------------------------------------------------------------


def appointments_per_board(build: Build) -> dict[int, tuple[int, int]]:
    """{board pk: (appointments, of which over several schools)}; a quarter spread in total."""
    total, schools = build.targets.appointments, build.targets.schools
    counts = {
        b.pk: max(1, round(len(build.schools_of[b.pk]) * total / schools)) for b in build.boards
    }
    by_size = sorted(build.boards, key=lambda b: -len(build.schools_of[b.pk]))
    index = 0
    while sum(counts.values()) != total:
        board = by_size[index % len(by_size)]
        index += 1
        if sum(counts.values()) < total:
            counts[board.pk] += 1
        elif counts[board.pk] > 1:
            counts[board.pk] -= 1
    multi_boards = [b.pk for b in build.boards if len(build.schools_of[b.pk]) >= 2]
    share = round(total / 4) / max(1, sum(counts[pk] for pk in multi_boards))
    return {
        pk: (count, min(count, math.floor(count * share + build.rng.random())))
        if pk in multi_boards
        else (count, 0)
        for pk, count in counts.items()
    }


def spread_schools(
    build: Build, board: Board, count: int, multi: int
) -> tuple[list[list[School]], Counter, dict[int, int]]:
    """The schools of each appointment: the multi-school ones first (over the schools of a
    multi-school director where there are such), then one school each, where IB is lacking
    most (the largest schools get a second IB). Also returns how many IBs each school has
    and its pupils."""
    schools = build.schools_of[board.pk]
    pupils = {s.pk: build.pupils[s.pk, build.current_year] for s in schools}
    groups = [g for g in build.director_groups[board.pk] if len(g) >= 2]
    covered: Counter = Counter()
    spreads = []
    for _ in range(multi):
        if groups:
            chosen = groups.pop(0)
        else:
            size = 3 if len(schools) >= 3 and build.rng.random() < 0.3 else 2
            ranked = sorted(
                schools, key=lambda s: (covered[s.pk], pupils[s.pk] * build.rng.random())
            )
            chosen = ranked[:size]
        covered.update(s.pk for s in chosen)
        spreads.append(chosen)
    for _ in range(count - multi):
        chosen = min(schools, key=lambda s: (covered[s.pk], -pupils[s.pk]))
        covered[chosen.pk] += 1
        spreads.append([chosen])
    return spreads, covered, pupils


def share_ftes(needs: Sequence[float]) -> list[Decimal]:
    """Shares in steps of 0.05 fte: at least 0.1 each, 0.2 for a single school, 1 fte together."""
    steps = [max(2, round(need / 0.05)) for need in needs]
    if len(steps) == 1:
        steps = [min(20, max(4, steps[0]))]
    while sum(steps) > 20:
        steps[steps.index(max(steps))] -= 1
    return [FTE_STEP * step for step in steps]


def appointment_dates(build: Build) -> tuple[datetime.date, datetime.date | None]:
    """Most IBs started years ago; some last year or this year; a few left last summer."""
    current, draw = build.current_year, build.rng.random()
    if draw < 0.10:
        return datetime.date(current - 1, 8, 1), None
    if draw < 0.15:
        return datetime.date(current, 8, 1), None
    start = datetime.date(build.rng.randint(current - 12, current - 2), 8, 1)
    if build.rng.random() < 0.1:
        start = datetime.date(current - 1, 1, 1)  # started halfway the year before last
    end = datetime.date(current, 7, 31) if build.rng.random() < 0.03 else None
    return start, end


def plan_appointments(build: Build) -> None:
    counts = appointments_per_board(build)
    for board in build.boards:
        count, multi = counts[board.pk]
        spreads, covered, pupils = spread_schools(build, board, count, multi)
        for schools in spreads:
            needs = [
                pupils[s.pk] / 260 * build.rng.uniform(0.8, 1.25) / covered[s.pk] for s in schools
            ]
            ftes = share_ftes(needs)
            # Seed 000: a leading school only where directors' summed formations tie.
            outcome = personnel_responsibility(
                [
                    (s, fte, build.directors_of.get(s.pk, []))
                    for s, fte in zip(schools, ftes, strict=True)
                ],
                None,
            )
            tied = [row.schools[0] for row in outcome.tied] if outcome.to_choose else []
            start, end = appointment_dates(build)
            small = sum(ftes) < Decimal("0.4")
            build.appointments.append(
                AppointmentPlan(
                    board=board,
                    schools=schools,
                    ftes=ftes,
                    kind="taak" if build.rng.random() < (0.5 if small else 0.08) else "functie",
                    salary_scale=build.rng.choice(board.salary_scale_codes),
                    start=start,
                    end=end,
                    lead=build.rng.choice(tied) if len(tied) > 1 else None,
                )
            )


def create_appointments(build: Build) -> None:
    """The IBs' accounts and memberships, the appointments and their shares per school."""
    plans = build.appointments
    for n, plan in enumerate(plans, start=1):
        plan.ib = new_user(build, f"scale-ib-{n}")
    bulk(build, User, (plan.ib for plan in plans))
    bulk(build, Membership, (Membership(user=p.ib, role=Role.IB, board=p.board) for p in plans))
    for plan in plans:
        plan.appointment = Appointment(
            ib=plan.ib,
            board=plan.board,
            kind=plan.kind,
            salary_scale=plan.salary_scale,
            start_date=plan.start,
            end_date=plan.end,
            lead_school=plan.lead,
        )
    bulk(build, Appointment, (plan.appointment for plan in plans))
    for plan in plans:
        plan.shares = [
            AppointmentShare(appointment=plan.appointment, school=school, fte=fte)
            for school, fte in zip(plan.schools, plan.ftes, strict=True)
        ]
    bulk(build, AppointmentShare, (share for plan in plans for share in plan.shares))


# ---------------------------------------------------------------------------
# step 6: task packages, as the package services would have left them
# ---------------------------------------------------------------------------

# Per school year (two years ago, last year, this year): how a package's year went.
STORIES = (
    (("agreed", 88), ("returned_agreed", 8), ("reopened_agreed", 4)),
    (
        ("agreed", 82),
        ("returned_agreed", 6),
        ("reopened_agreed", 4),
        ("submitted", 4),
        ("draft", 4),
    ),
    (
        ("agreed", 35),
        ("submitted", 25),
        ("returned", 10),
        ("draft", 22),
        ("reopened_draft", 5),
        ("returned_agreed", 3),
    ),
)
SUBMIT_COMMENTS = (
    "Het takenpakket zoals we het in het jaargesprek bespraken.",
    "Graag je reactie voor de herfstvakantie.",
    "Hetzelfde takenpakket als vorig jaar, met een paar kleine wijzigingen.",
    "Dit is de nieuwe verdeling na het MR-overleg over het werkverdelingsplan.",
    "",
)
ACCEPT_COMMENTS = ("Akkoord.", "Akkoord, dank je wel.", "", "Prima zo.")
RETURN_COMMENTS = (
    "Ik mis tijd voor de overstap naar het voortgezet onderwijs.",
    "De uren voor de groepsbesprekingen zijn te krap met twee nieuwe groepen.",
    "Kunnen we het klassenbezoek beter verdelen over het jaar?",
    "Hier staat werk in dat niet bij mijn rol hoort; laten we het bespreken.",
)
ITEM_COMMENTS = (
    "Dit kan wat minder, de leerkrachten zijn goed op weg.",
    "Graag uitbreiden, dit werkt goed.",
    "Dit is werk van de leerkracht, niet van de IB'er.",
    "Kan dit naar het bestuursbureau?",
)
REOPEN_COMMENTS = (
    "Na de herfstvakantie komt er een extra groep bij.",
    "Nieuwe afspraken na het inspectiebezoek.",
    "Een collega is langdurig ziek; we verdelen de taken opnieuw.",
)
ITEM_NOTES = (
    "Twee nieuwe kleutergroepen",
    "Nieuw: leesonderwijs",
    "Samen met de bouwcoördinator",
    "Vooral in de bovenbouw",
    "Inclusief de evaluatie in juni",
)
OWN_TASKS = (
    ("Invoering nieuwe rekenmethode begeleiden", "leren"),
    ("Werkgroep leesbevordering", "leren"),
    ("Inzet van de NPO-middelen volgen", "data"),
    ("Contact met jeugdarts en wijkteam", "zorg"),
    ("Taalklas voor nieuwkomers", "zorg"),
)
# Share of a package's tasks per domain; every package also has the general school duties.
DOMAIN_SPLIT = {"algemeen": 0.05, "leren": 0.31, "data": 0.26, "zorg": 0.38}


@dataclass
class ItemPlan:
    task_id: int | None
    title: str
    domain_id: int
    hours: Decimal
    is_ib_task: bool = True
    not_ib_reason: str = ""
    note: str = ""
    ib_comment: str = ""
    concerns_partnership: bool = False

    @classmethod
    def of_task(cls, task: CatalogueTask, hours: Decimal, note: str = "") -> ItemPlan:
        return cls(
            task_id=task.pk,
            title=task.title,
            domain_id=task.domain_id,
            hours=hours,
            is_ib_task=task.is_ib_task,
            not_ib_reason=task.not_ib_reason,
            note=note,
            concerns_partnership=task.concerns_partnership,
        )

    def copy(self) -> ItemPlan:
        """What copying a year or reopening carries over: everything but the IB's comment."""
        return ItemPlan(
            self.task_id,
            self.title,
            self.domain_id,
            self.hours,
            self.is_ib_task,
            self.not_ib_reason,
            self.note,
            concerns_partnership=self.concerns_partnership,
        )


@dataclass
class VersionPlan:
    number: int
    created_at: datetime.datetime
    items: list[ItemPlan] = field(default_factory=list)
    status: str = Status.CONCEPT
    ib_comment: str = ""
    submitted_at: datetime.datetime | None = None
    agreed_at: datetime.datetime | None = None


@dataclass
class EventPlan:
    version_number: int
    kind: str
    actor_id: int
    at: datetime.datetime
    detail: str = ""
    comment: str = ""


@dataclass
class PackagePlan:
    share: AppointmentShare
    start_year: int
    created_at: datetime.datetime
    versions: list[VersionPlan] = field(default_factory=list)
    events: list[EventPlan] = field(default_factory=list)
    lock_version: int = 0
    ib_id: int = 0

    @property
    def agreed_or_latest(self) -> VersionPlan:
        """What next year's copy starts from (as ``package_copy_previous`` chooses)."""
        agreed = [version for version in self.versions if version.status == Status.AGREED]
        return agreed[-1] if agreed else self.versions[-1]

    def shift_before(self, limit: datetime.datetime) -> None:
        """Move the whole history back in time when it would end after ``limit`` (now)."""
        moments = [event.at for event in self.events]
        if max(moments) <= limit:
            return
        delta = max(moments) - limit
        self.created_at -= delta
        for event in self.events:
            event.at -= delta
        for version in self.versions:
            version.created_at -= delta
            if version.submitted_at:
                version.submitted_at -= delta
            if version.agreed_at:
                version.agreed_at -= delta


def stored(hours: Decimal) -> Decimal:
    """Hours as read back from the database (one decimal), as the services print them."""
    return hours.quantize(ONE_PLACE)


class PackageStory:
    """Replays the services of ``tasks.packages`` on a plan: the same versions, statuses,
    timestamps, events (with their actor, detail and comment) and lock_version bumps."""

    def __init__(
        self, plan: PackagePlan, *, director_id: int, ib_id: int, rng: random.Random
    ) -> None:
        self.plan, self.director_id, self.ib_id, self.rng = plan, director_id, ib_id, rng
        self.clock = plan.created_at
        plan.versions.append(VersionPlan(number=1, created_at=self.clock))
        self._event(Kind.CREATED, director_id)

    @property
    def version(self) -> VersionPlan:
        return self.plan.versions[-1]

    def _later(self, *, days: int = 0, minutes: int = 0) -> None:
        self.clock += datetime.timedelta(days=days, minutes=minutes + self.rng.randint(1, 5))

    def _event(self, kind: str, actor_id: int, detail: str = "", comment: str = "") -> None:
        self.plan.events.append(
            EventPlan(self.version.number, kind, actor_id, self.clock, detail[:500], comment)
        )

    def _editable(self) -> VersionPlan:
        """A director's change bumps the lock; a returned version goes back to draft first."""
        self.plan.lock_version += 1
        if self.version.status == Status.RETURNED:
            self.version.status = Status.CONCEPT
            self._event(Kind.DRAFT, self.director_id)
        if self.version.status != Status.CONCEPT:
            raise ValueError(f"a {self.version.status} package cannot be changed")
        return self.version

    def add(self, item: ItemPlan) -> None:
        self._later(minutes=1)
        self._editable().items.append(item)
        self._event(Kind.ITEM_ADDED, self.director_id, f"{item.title}: {hours_text(item.hours)}")

    def copy(self, source: VersionPlan, year: SchoolYear) -> None:
        self._later(minutes=1)
        self._editable().items.extend(item.copy() for item in source.items)
        count = len(source.items)
        detail = ngettext(
            "%(count)s task from %(year)s", "%(count)s tasks from %(year)s", count
        ) % {"count": count, "year": year}
        self._event(Kind.COPIED, self.director_id, detail)

    def change(self, item: ItemPlan, hours: Decimal, note: str | None = None) -> None:
        self._later(minutes=2)
        self._editable()
        old, item.hours = item.hours, hours
        item.note = item.note if note is None else note
        detail = f"{item.title}: {hours_text(stored(old))} → {hours_text(hours)}"
        self._event(Kind.ITEM_CHANGED, self.director_id, detail)

    def remove(self, item: ItemPlan) -> None:
        self._later(minutes=1)
        self._editable().items.remove(item)
        detail = f"{item.title}: {hours_text(stored(item.hours))}"
        self._event(Kind.ITEM_REMOVED, self.director_id, detail)

    def submit(self, comment: str) -> None:
        self._later(days=self.rng.randint(1, 10))
        self.plan.lock_version += 1
        self.version.status, self.version.submitted_at = Status.SUBMITTED, self.clock
        self._event(Kind.SUBMITTED, self.director_id, comment=comment)

    def review(
        self, *, accept: bool, comment: str, item_comments: Sequence[tuple[ItemPlan, str]] = ()
    ) -> None:
        self._later(days=self.rng.randint(1, 14))
        self.plan.lock_version += 1
        for item, text in item_comments:
            item.ib_comment = text
        self.version.ib_comment = comment
        if accept:
            self.version.status, self.version.agreed_at = Status.AGREED, self.clock
            self._event(Kind.AGREED, self.ib_id, comment=comment)
        else:
            self.version.status = Status.RETURNED
            self._event(Kind.RETURNED, self.ib_id, comment=comment)

    def reopen(self, comment: str) -> None:
        self._later(days=self.rng.randint(20, 90))
        self.plan.lock_version += 1
        old = self.version
        self.plan.versions.append(
            VersionPlan(
                number=old.number + 1,
                created_at=self.clock,
                items=[item.copy() for item in old.items],
            )
        )
        self._event(Kind.REOPENED, self.director_id, comment=comment)


def budget_hours(fte: Decimal, board: Board) -> Decimal:
    """``Package.budget_hours``, computed the same way."""
    gross = (fte * board.hours_per_fte).quantize(ONE_PLACE)
    return gross - (fte * board.reserved_hours_per_fte).quantize(ONE_PLACE)


# The catalogue's reference school: a task's hours per group or teacher become hours per year.
TYPICAL_SIZE = SchoolSize(groups=12, teachers=16)


def typical_hours(task: CatalogueTask) -> float:
    """A task's proposed hours per year at the reference school (its default is per unit)."""
    return float(proposed_hours(task, TYPICAL_SIZE))


def weighted_sample(rng: random.Random, tasks: Sequence[CatalogueTask], k: int) -> list:
    """k tasks without repeats, the larger tasks (more typical hours) more likely."""
    keyed = sorted(tasks, key=lambda task: -(rng.random() ** (1 / typical_hours(task))))
    return keyed[:k]


@dataclass
class BoardTasks:
    ib_by_domain: dict[str, list[CatalogueTask]]
    not_ib: list[CatalogueTask]
    domain_ids: dict[str, int]


class PackagePlanner:
    """Plans the packages of one share over the three years, each year copied from the last."""

    def __init__(self, build: Build) -> None:
        self.build, self.rng = build, build.rng
        self.domains = {domain.pk: domain.code for domain in Domain.objects.all()}
        self.tasks: dict[int, BoardTasks] = {}

    def board_tasks(self, board: Board) -> BoardTasks:
        if board.pk not in self.tasks:
            by_domain = defaultdict(list)
            for task in self.build.tasks_of[board.pk]:
                if task.is_ib_task:
                    by_domain[self.domains[task.domain_id]].append(task)
            not_ib = [task for task in self.build.tasks_of[board.pk] if not task.is_ib_task]
            ids = {code: pk for pk, code in self.domains.items()}
            self.tasks[board.pk] = BoardTasks(dict(by_domain), not_ib, ids)
        return self.tasks[board.pk]

    def plan_share(self, plan: AppointmentPlan, share: AppointmentShare) -> list[PackagePlan]:
        packages, previous = [], None
        for offset, start_year in enumerate(self.build.start_years):
            if plan.runs_in(start_year):
                previous = self.plan_year(plan, share, start_year, previous, STORIES[offset])
                packages.append(previous)
        return packages

    def plan_year(
        self,
        plan: AppointmentPlan,
        share: AppointmentShare,
        start_year: int,
        previous: PackagePlan | None,
        stories: Sequence[tuple[str, int]],
    ) -> PackagePlan:
        build, rng = self.build, self.rng
        created = at(datetime.date(start_year, 5, 15), 9) + datetime.timedelta(
            days=rng.randint(0, 100), minutes=rng.randint(0, 480)
        )
        # An IB who starts halfway the year gets a package after starting, not before.
        created = max(created, at(plan.start + datetime.timedelta(days=7), 10))
        package = PackagePlan(
            share=share, start_year=start_year, created_at=created, ib_id=plan.ib.pk
        )
        director = build.directors_of[share.school_id][0]
        story = PackageStory(package, director_id=director.pk, ib_id=plan.ib.pk, rng=rng)
        budget = budget_hours(share.fte, plan.board)
        if previous is not None:
            story.copy(previous.agreed_or_latest, build.years[start_year - 1])
            self.adjust(story, plan.board, budget)
        else:
            for item in self.fresh_items(plan.board, budget):
                story.add(item)
        self.play(story, build.pick(stories), plan.board, budget)
        package.shift_before(build.now - datetime.timedelta(minutes=5))
        return package

    def fresh_items(self, board: Board, budget: Decimal) -> list[ItemPlan]:
        """About 15 catalogue tasks over the three domains, their hours filling the budget."""
        rng, tasks = self.rng, self.board_tasks(board)
        count = rng.randint(13, 17) if budget >= 250 else rng.randint(9, 12)
        chosen = []
        for code, part in DOMAIN_SPLIT.items():
            wanted = max(2, round(count * part))
            chosen += weighted_sample(rng, tasks.ib_by_domain[code], wanted)
        if rng.random() < 0.07 and tasks.not_ib:
            chosen[-1] = rng.choice(tasks.not_ib)  # role purity: work that is not the IB's
        fill = rng.uniform(1.03, 1.12) if rng.random() < 0.04 else rng.uniform(0.86, 1.0)
        factor = float(budget) * fill / sum(typical_hours(task) for task in chosen)
        items = [
            ItemPlan.of_task(task, self.hours(typical_hours(task), factor, budget))
            for task in chosen
        ]
        if rng.random() < 0.04:
            title, code = rng.choice(OWN_TASKS)
            items.append(
                ItemPlan(None, title, tasks.domain_ids[code], self.hours(20, factor, budget))
            )
        for item in items:
            if rng.random() < 0.08:
                item.note = rng.choice(ITEM_NOTES)
        return items

    def hours(self, default: Decimal | float, factor: float, budget: Decimal) -> Decimal:
        value = round(float(default) * factor * self.rng.uniform(0.85, 1.15))
        return Decimal(max(1, min(int(budget), value)))

    def adjust(
        self, story: PackageStory, board: Board, budget: Decimal, *, always: bool = False
    ) -> None:
        """A director's edits to a copied or reopened package: hours, or one task for another."""
        rng, items = self.rng, story.version.items
        draw = rng.random() * (0.7 if always else 1)
        if draw < 0.45:
            for item in rng.sample(items, min(len(items), rng.randint(1, 3))):
                delta = rng.choice((-1, 1)) * rng.randint(2, 16)
                hours = Decimal(max(1, min(int(budget), int(item.hours) + delta)))
                story.change(item, hours, rng.choice(ITEM_NOTES) if rng.random() < 0.2 else None)
        elif draw < 0.7:
            old = rng.choice(items)
            story.remove(old)
            have = {item.task_id for item in items} | {old.task_id}
            unused = [
                task
                for tasks in self.board_tasks(board).ib_by_domain.values()
                for task in tasks
                if task.pk not in have
            ]
            # One task for another of the same domain where there is one: a swap, not a shift.
            unused = [task for task in unused if task.domain_id == old.domain_id] or unused
            if unused:
                story.add(ItemPlan.of_task(rng.choice(unused), Decimal(int(old.hours))))

    def play(self, story: PackageStory, kind: str, board: Board, budget: Decimal) -> None:
        """The workflow of the year: submitted, returned, agreed, reopened, or still a draft."""
        rng = self.rng
        if kind == "draft":
            return
        story.submit(rng.choice(SUBMIT_COMMENTS))
        if kind == "submitted":
            return
        if kind.startswith("returned"):
            items = story.version.items
            commented = rng.sample(items, min(len(items), rng.randint(1, 2)))
            story.review(
                accept=False,
                comment=rng.choice(RETURN_COMMENTS),
                item_comments=[(item, rng.choice(ITEM_COMMENTS)) for item in commented],
            )
            if kind == "returned":
                return
            item = commented[0]
            story.change(item, Decimal(max(1, int(item.hours) - rng.randint(2, 10))))
            story.submit(rng.choice(SUBMIT_COMMENTS))
        story.review(accept=True, comment=rng.choice(ACCEPT_COMMENTS))
        if kind.startswith("reopened"):
            story.reopen(rng.choice(REOPEN_COMMENTS))
            self.adjust(story, board, budget, always=True)
            if kind == "reopened_agreed":
                story.submit(rng.choice(SUBMIT_COMMENTS))
                story.review(accept=True, comment=rng.choice(ACCEPT_COMMENTS))


def create_packages(build: Build) -> None:
    """Plan the packages share by share and write them in chunks (memory stays flat)."""
    planner, chunk = PackagePlanner(build), []
    timestamps = ((Package, "created_at"), (PackageVersion, "created_at"), (PackageEvent, "at"))
    with explicit_timestamps(*timestamps):
        for plan in build.appointments:
            for share in plan.shares:
                chunk += planner.plan_share(plan, share)
            if len(chunk) >= 2000:
                write_packages(build, chunk)
                chunk = []
        write_packages(build, chunk)


def write_packages(build: Build, plans: list[PackagePlan]) -> None:
    packages = bulk(
        build,
        Package,
        (
            Package(
                share_id=plan.share.pk,
                school_year_id=build.years[plan.start_year].pk,
                lock_version=plan.lock_version,
                created_at=plan.created_at,
            )
            for plan in plans
        ),
    )
    pairs = [
        (package, v) for package, plan in zip(packages, plans, strict=True) for v in plan.versions
    ]
    # The partnership's copy (issue 14): agreed versions of schools whose board shares.
    sharing = set(
        School.objects.filter(
            board__shares_with_partnership=True, partnership__isnull=False
        ).values_list("pk", flat=True)
    )
    shared = {
        package.pk
        for package, plan in zip(packages, plans, strict=True)
        if plan.share.school_id in sharing
    }
    versions = bulk(
        build,
        PackageVersion,
        (
            PackageVersion(
                package_id=package.pk,
                number=v.number,
                status=v.status,
                ib_comment=v.ib_comment,
                submitted_at=v.submitted_at,
                agreed_at=v.agreed_at,
                shared_with_partnership=v.status == Status.AGREED and package.pk in shared,
                created_at=v.created_at,
            )
            for package, v in pairs
        ),
    )
    bulk(
        build,
        PackageItem,
        (
            PackageItem(
                version_id=row.pk,
                task_id=item.task_id,
                title=item.title,
                domain_id=item.domain_id,
                is_ib_task=item.is_ib_task,
                not_ib_reason=item.not_ib_reason,
                concerns_partnership=item.concerns_partnership,
                hours=item.hours,
                note=item.note,
                ib_comment=item.ib_comment,
            )
            for row, (_package, v) in zip(versions, pairs, strict=True)
            for item in v.items
        ),
    )
    bulk(
        build,
        PackageEvent,
        (
            PackageEvent(
                package_id=package.pk,
                version_number=event.version_number,
                kind=event.kind,
                actor_id=event.actor_id,
                at=event.at,
                detail=event.detail,
                comment=event.comment,
            )
            for package, plan in zip(packages, plans, strict=True)
            for event in plan.events
        ),
    )
    write_cycle(
        build,
        packages,
        plans,
        {(p.pk, v.number): row.pk for row, (p, v) in zip(versions, pairs, strict=True)},
    )


# The year cycle (issue 14): realisation and evaluation of agreed packages, for the board's
# figures. Kept small, so the generator stays about as fast: realisation only of last year
# (at the year end) and of this year (at the mid-year moment once its date has passed), one
# line per task of the newest agreed version; evaluations of the past years' packages.
GOAL_TITLES = (
    "Groepsbesprekingen volgens de nieuwe cyclus",
    "Trendanalyse rekenen met het team besproken",
    "Leesonderwijs versterken in groep 3 tot en met 5",
    "Ondersteuningsstructuur beschreven in het SOP",
    "Klassenbezoeken met nagesprek in elke groep",
)
RATINGS = ((GoalRating.ACHIEVED, 5), (GoalRating.PARTLY, 3), (GoalRating.NOT_ACHIEVED, 2))


def pick_rating(rng: random.Random) -> str:
    values, weights = zip(*RATINGS, strict=True)
    return rng.choices(values, weights=weights)[0]


def item_key(item: ItemPlan) -> str:
    """``PackageItem.key`` of a planned item."""
    return f"task:{item.task_id}" if item.task_id else f"custom:{item.title.strip().lower()}"


def write_cycle(
    build: Build,
    packages: list[Package],
    plans: list[PackagePlan],
    version_pk: dict[tuple[int, int], int],
) -> None:
    rng, today = build.cycle_rng, build.today
    sheets: list[tuple[Realisation, list[ItemPlan]]] = []
    evaluations: list[tuple[Evaluation, list[ItemPlan]]] = []
    boards = {school.pk: board for board in build.boards for school in build.schools_of[board.pk]}
    for package, plan in zip(packages, plans, strict=True):
        agreed = [v for v in plan.versions if v.status == Status.AGREED]
        if not agreed:
            continue
        version, year = agreed[-1], plan.start_year
        moment = None
        if year == build.current_year - 1:
            moment = Moment.END
        elif year == build.current_year:
            mid = boards[plan.share.school_id].realisation_dates(year)["mid"]
            moment = Moment.MID if mid <= today else None
        if moment is not None:
            sheet = Realisation(package_id=package.pk, moment=moment, recorded_by_id=plan.ib_id)
            sheets.append((sheet, version.items))
        if not version.items:
            continue
        if year < build.current_year and rng.random() < 0.95:
            held = datetime.date(year + 1, 6, rng.randint(1, 30))
            closed = rng.random() < 0.9
            record = Evaluation(
                package_id=package.pk,
                version_id=version_pk[(package.pk, version.number)],
                ib_ready_at=at(held - datetime.timedelta(days=7)),
                held_on=held if closed else None,
                closed_at=at(held, 15) if closed else None,
            )
            evaluations.append((record, version.items))
    written = bulk(build, Realisation, (sheet for sheet, _items in sheets))
    bulk(
        build,
        RealisationLine,
        (
            RealisationLine(
                realisation_id=sheet.pk,
                key=item_key(item),
                title=item.title,
                domain_id=item.domain_id,
                hours=(item.hours * Decimal(rng.uniform(0.6, 1.3))).quantize(ONE_PLACE),
            )
            for sheet, (_sheet, items) in zip(written, sheets, strict=True)
            for item in items
        ),
    )
    written = bulk(build, Evaluation, (record for record, _items in evaluations))
    goals = []
    for record, (_record, items) in zip(written, evaluations, strict=True):
        for title in rng.sample(GOAL_TITLES, rng.randint(2, 4)):
            goals.append(
                EvaluationGoal(
                    evaluation_id=record.pk,
                    key=title.lower(),
                    title=title,
                    domain_id=rng.choice(items).domain_id,
                    rating=pick_rating(rng) if record.closed_at else "",
                )
            )
    bulk(build, EvaluationGoal, goals)


# ---------------------------------------------------------------------------
# step 7: completed self-assessment rounds for half of the IBs
# ---------------------------------------------------------------------------

EVIDENCE = (
    "Besproken in het IB-netwerk.",
    "Zie de verslagen van de klassenbezoeken.",
    "Reacties van het team op de studiedag.",
    "Gesprek met de directeur over het jaarplan.",
)
VIEW_NOTES = (
    "Herkenbaar.",
    "Ik zie hier meer groei dan je zelf aangeeft.",
    "Hier wil ik graag over doorpraten.",
)
AGREEMENTS = (
    "We spreken af dat je dit jaar de leerteams verder begeleidt; evaluatie in juni.",
    "Scholing data-analyse volgen; de uren komen uit het professionaliseringsbudget.",
    "Klassenbezoeken samen voorbereiden met de bouwcoördinatoren.",
)


def round_window(build: Build) -> tuple[datetime.date, datetime.date]:
    """Rounds are filled in in the autumn: this autumn once it has begun, else last autumn."""
    start = datetime.date(build.current_year, 9, 15)
    if build.today > start + datetime.timedelta(days=1):
        return start, min(build.today - datetime.timedelta(days=1), start.replace(month=12))
    return start.replace(year=start.year - 1), start.replace(year=start.year - 1, month=12)


def personnel_director(build: Build, plan: AppointmentPlan) -> AbstractUser | None:
    """The director ``round_share`` would choose, when the appointment runs today."""
    if not (plan.start <= build.today and (plan.end is None or plan.end >= build.today)):
        return None
    outcome = personnel_responsibility(
        [
            (school, fte, build.directors_of.get(school.pk, []))
            for school, fte in zip(plan.schools, plan.ftes, strict=True)
        ],
        plan.lead.pk if plan.lead else None,
    )
    return outcome.directors[0] if outcome.directors else None


@dataclass
class RoundPlan:
    round: AssessmentRound
    parts: FrameworkParts
    levels: list[int]  # level number per cell
    views: bool = False
    conversation: bool = False


def plan_rounds(build: Build) -> list[RoundPlan]:
    rng, (first, last) = build.rng, round_window(build)
    latest_moment = build.now - datetime.timedelta(minutes=1)
    planned = []
    for plan in build.appointments:
        if rng.random() >= 0.5:
            continue
        parts = build.framework_of[plan.board.pk]
        latest = first + datetime.timedelta(days=rng.randint(0, (last - first).days))
        days = [latest - datetime.timedelta(days=rng.randint(350, 380)), latest]
        days = days if rng.random() < 0.3 else days[1:]  # some IBs have last year's round too
        base = rng.randint(1, len(parts.levels) - 1)
        for growth, day in enumerate(days):
            completed = min(at(day, 16, rng.randint(0, 59)), latest_moment)
            round_ = AssessmentRound(
                ib=plan.ib,
                board=plan.board,
                framework=parts.framework,
                date=day,
                status=AssessmentRound.Status.COMPLETED,
                completed_at=completed,
            )
            levels = [
                max(1, min(len(parts.levels), base + growth + rng.choice((-1, 0, 0, 1))))
                for _cell in parts.cells
            ]
            planned.append(RoundPlan(round_, parts, levels))
        director = personnel_director(build, plan)
        if director is not None and rng.random() < 0.4:
            shared = planned[-1]
            shared.round.shared_with = director
            shared.round.shared_at = min(
                shared.round.completed_at + datetime.timedelta(days=rng.randint(1, 3)),
                latest_moment,
            )
            shared.views = rng.random() < 0.6
            shared.conversation = shared.views and rng.random() < 0.5
    return planned


def create_rounds(build: Build) -> None:
    rng, planned = build.rng, plan_rounds(build)
    bulk(build, AssessmentRound, (p.round for p in planned))
    ratings, views, conversations = [], [], []
    for p in planned:
        for cell, number in zip(p.parts.cells, p.levels, strict=True):
            evidence = rng.choice(EVIDENCE) if rng.random() < 0.3 else ""
            level = p.parts.levels[number - 1]
            ratings.append(Rating(round=p.round, cell=cell, level=level, evidence=evidence))
            if p.views:
                seen = max(1, min(len(p.parts.levels), number + rng.choice((-1, 0, 0, 1))))
                views.append(
                    DirectorView(
                        round=p.round,
                        cell=cell,
                        level=p.parts.levels[seen - 1],
                        note=rng.choice(VIEW_NOTES) if rng.random() < 0.2 else "",
                        author=p.round.shared_with,
                    )
                )
        if p.conversation:
            day = min(
                timezone.localdate(p.round.shared_at) + datetime.timedelta(days=rng.randint(5, 20)),
                build.today,
            )
            conversations.append(
                Conversation(
                    round=p.round,
                    date=day,
                    agreements=rng.choice(AGREEMENTS),
                    recorded_by=rng.choice((p.round.ib, p.round.shared_with)),
                    created_at=min(at(day, 15), build.now),
                )
            )
    bulk(build, Rating, ratings)
    bulk(build, DirectorView, views)
    # About half of the IBs with rounds let them count in the board's heat map (chosen by id,
    # not by the random generator, so the data after this step stays as it was).
    consenting = {(p.round.ib_id, p.round.board_id) for p in planned if p.round.ib_id % 2 == 0}
    bulk(
        build,
        HeatMapConsent,
        (
            HeatMapConsent(ib_id=ib_id, board_id=board_id, given_at=build.now)
            for ib_id, board_id in sorted(consenting)
        ),
    )
    with explicit_timestamps((Conversation, "created_at")):
        bulk(build, Conversation, conversations)


# ---------------------------------------------------------------------------
# running it all
# ---------------------------------------------------------------------------

# ---------------------------------------------------------------------------
# Task divisions (issue 16)
# ---------------------------------------------------------------------------

DIVISION_HOURS = (20, 40, 60, 80, 120, 200)


def create_divisions(build: Build) -> None:
    """Task divisions of the current school year at about two thirds of the schools: two to
    six roles besides the IB, each with one to four catalogue tasks. The last step, with a
    generator of its own, so every other row of a seed stays as it was."""
    rng = random.Random(f"{build.rng.random()}-divisions")
    year = build.years[build.current_year]
    divisions = bulk(
        build,
        TaskDivision,
        (
            TaskDivision(school=school, school_year=year)
            for school in build.schools
            if rng.random() < 0.66
        ),
    )
    holders = bulk(
        build,
        RoleHolder,
        (
            RoleHolder(division=division, role=role, hours=Decimal(rng.choice(DIVISION_HOURS)))
            for division in divisions
            for role in rng.sample(HolderRole.values, k=rng.randint(2, 6))
        ),
    )
    assignments = []
    for holder in holders:
        tasks = build.tasks_of[holder.division.school.board_id]
        for task in rng.sample(tasks, k=min(len(tasks), rng.randint(1, 4))):
            assignments.append(
                DivisionAssignment(
                    division=holder.division,
                    holder=holder,
                    task=task,
                    key=f"task:{task.pk}",
                    title=task.title,
                    domain_id=task.domain_id,
                    hours=Decimal(rng.randint(4, 40)),
                )
            )
    bulk(build, DivisionAssignment, assignments)


# ---------------------------------------------------------------------------
# Conversation cycle, training tracks and the IB network (issue 17)
# ---------------------------------------------------------------------------

DIRECTOR_PREPARATIONS = (
    "Terugblik op de afspraken van vorig jaar en de werkdruk rond de toetsperiodes.",
    "Hoe staat het met de rolzuiverheid: wat doet de IB'er wel en niet?",
    "De samenwerking met de leerteams en de ontwikkeling van de zorgstructuur.",
    "Professionalisering: welke module past bij de plannen van de school?",
)
IB_PREPARATIONS = (
    "De groepsbesprekingen lopen goed; ik wil meer tijd voor klassenbezoeken.",
    "De trendanalyse wil ik samen met het team maken.",
    "Ik merk dat leerkrachten mij vragen leerlingen zelf te begeleiden.",
    "Ik wil graag de module coachende gesprekstechnieken volgen.",
)
REPORTS = (
    "Het afgelopen jaar is goed verlopen. De groepsbesprekingen zijn volgens plan gevoerd en "
    "leerkrachten weten de IB'er te vinden.",
    "De IB'er heeft de zorgstructuur op orde. De trendanalyse wordt nu met het team besproken; "
    "de klassenbezoeken schieten er soms bij in.",
    "Een druk jaar met veel nieuwe leerlingen. De IB'er heeft de aanmeldingen bij het SWV goed "
    "begeleid; de administratie kost veel tijd.",
)
RESPONSES = ("", "", "Herkenbaar verslag.", "Akkoord, dank je wel.", "Ik mis de werkdruk nog.")

# (name, kind, mandatory, first/last year offset, scheme, early stop, modules: (title,
#  provider, hours, in working time, cost, year offset)); the demo's tracks (seed_demo).
SCALE_TRACKS = (
    (
        "Persoonsgebonden traject IB",
        TrainingTrack.Kind.PERSONAL,
        True,
        (-1, 1),
        "",
        None,
        (
            ("Intake en portfolio", "Bestuursbureau", "12", True, "0", -1),
            ("Coachende gesprekstechnieken", "Kempen Academie", "24", True, "450", -1),
            ("Trendanalyse en datagestuurd werken", "Kempen Academie", "30", True, "650", 0),
            ("Intervisie en reflectie", "Netwerk IB", "16", False, "0", 0),
            ("Passend onderwijs en het SWV", "Bestuursbureau", "8", True, "0", 1),
        ),
    ),
    (
        "Post-hbo Intern Begeleider",
        TrainingTrack.Kind.CONTINUING,
        False,
        (-1, 1),
        "100; 75; 50; 25",
        Decimal("100"),
        (
            ("Basismodule intern begeleider", "Hogeschool De Kempen", "80", False, "1250", -1),
            ("Handelingsgericht werken", "Hogeschool De Kempen", "60", False, "950", 0),
            ("Kwaliteitscoördinatie (LBBO 2022)", "Hogeschool De Kempen", "60", True, "1100", 1),
        ),
    ),
)

NETWORK_THEMES = (
    ("Handelingsgericht werken", "Van groepsoverzicht naar groepsplan."),
    ("Trendanalyse in de leerteams", "Twee keer per jaar de opbrengsten duiden met de teams."),
    ("Passend onderwijs", "Arrangementen en de samenwerking met het SWV."),
    ("Gedrag in de klas", "Wat vraagt de leerkracht van de IB'er bij gedragsvragen?"),
    ("Hoogbegaafdheid", "Signaleren en begeleiden van (hoog)begaafde leerlingen."),
    ("Leesonderwijs en dyslexie", "Het protocol leesproblemen en dyslexie in de praktijk."),
    ("Rolzuiverheid", "Wat hoort bij de IB-taak en wat niet?"),
)
MEETING_AGENDA = (
    "1. Opening en mededelingen vanuit het bestuur\n2. Het thema\n3. Casus (geanonimiseerd)\n"
    "4. Rondvraag"
)
MEETING_MINUTES = (
    "Aanwezig: zie presentielijst.\n\n1. Het bestuur meldt de nieuwe planning.\n2. Het thema "
    "is besproken met voorbeelden uit twee scholen.\n3. De casus is besproken.\n4. Geen rondvraag."
)
DOCUMENTS = (
    ("Handreiking passend onderwijs", "https://www.passendonderwijs.nl/"),
    ("Protocol leesproblemen en dyslexie", "https://www.lezenendyslexie.nl/"),
    ("Beroepsstandaard intern begeleider", "https://www.lbbo.nl/"),
    ("Format anonieme leerlingbespreking", "https://example.org/format-leerlingbespreking"),
    ("Handreiking hoogbegaafdheid", "https://www.slo.nl/"),
    ("Notulen-sjabloon netwerk", "https://example.org/notulen-sjabloon"),
    ("Checklist groepsbespreking", "https://example.org/checklist-groepsbespreking"),
    ("Trendanalyse: voorbeeld", "https://example.org/trendanalyse"),
)
PLACES = ("Bestuursbureau", "Vergaderzaal bestuursbureau", "Bibliotheek", "Een van de scholen")


def running_plans(build: Build) -> list[tuple[AppointmentPlan, AbstractUser]]:
    """The appointments running today with their personnel-responsible director."""
    found = []
    for plan in build.appointments:
        director = personnel_director(build, plan)
        if director is not None and plan.ib is not None:
            found.append((plan, director))
    return found


def create_conversations(build: Build, rng: random.Random) -> None:
    """Per board a cycle; per running appointment the conversations held since its start over
    the last three years (recorded, mostly signed) and now and then the next one planned."""
    policies = bulk(
        build,
        ConversationPolicy,
        (
            ConversationPolicy(
                board=board, functioning_years=1, appraisal_years=rng.choice((2, 2, 3))
            )
            for board in build.boards
        ),
    )
    appraisal_years = {policy.board_id: policy.appraisal_years for policy in policies}
    latest_moment = build.now - datetime.timedelta(minutes=1)
    rows = []
    for plan, director in running_plans(build):
        held = []
        for years_ago in (2, 1, 0):
            day = build.today - datetime.timedelta(days=365 * years_ago + rng.randint(20, 120))
            if day >= plan.start and rng.random() < 0.85:
                held.append(day)
        for n, day in enumerate(held):
            kind = (
                ConversationKind.APPRAISAL
                if n % appraisal_years[plan.board.pk] == appraisal_years[plan.board.pk] - 1
                else ConversationKind.FUNCTIONING
            )
            recorded = min(at(day + datetime.timedelta(days=rng.randint(1, 5)), 16), latest_moment)
            last = n == len(held) - 1
            signed = None
            if not last or rng.random() < 0.7:
                signed = min(recorded + datetime.timedelta(days=rng.randint(1, 10)), latest_moment)
            rows.append(
                AppraisalConversation(
                    ib=plan.ib,
                    board=plan.board,
                    director=director,
                    kind=kind,
                    date=day,
                    director_preparation=rng.choice(DIRECTOR_PREPARATIONS),
                    director_shared_at=at(day - datetime.timedelta(days=7), 12),
                    ib_preparation=rng.choice(IB_PREPARATIONS),
                    ib_shared_at=at(day - datetime.timedelta(days=4), 12),
                    report=rng.choice(REPORTS),
                    agreements=rng.choice(AGREEMENTS),
                    recorded_at=recorded,
                    ib_response=rng.choice(RESPONSES) if signed else "",
                    signed_at=signed,
                    created_at=at(day - datetime.timedelta(days=rng.randint(14, 40)), 10),
                )
            )
        if rng.random() < 0.35:
            day = build.today + datetime.timedelta(days=rng.randint(3, 60))
            rows.append(
                AppraisalConversation(
                    ib=plan.ib,
                    board=plan.board,
                    director=director,
                    kind=ConversationKind.FUNCTIONING,
                    date=day,
                    director_preparation=(
                        rng.choice(DIRECTOR_PREPARATIONS) if rng.random() < 0.5 else ""
                    ),
                    created_at=build.now - datetime.timedelta(days=rng.randint(1, 20)),
                )
            )
    with explicit_timestamps((AppraisalConversation, "created_at")):
        bulk(build, AppraisalConversation, rows)


def create_training(build: Build, rng: random.Random) -> None:
    """Per board the mandatory personal track and at some boards a paid continuing track; the
    IBs' module plans (the earlier years' modules taken, with a training record), and the
    continuing track's enrolments with their repayment agreements."""
    start = build.current_year
    tracks, module_rows, specs = [], [], []
    for board in build.boards:
        for spec in SCALE_TRACKS:
            name, kind, mandatory, (first, last), scheme, early, _modules = spec
            if not mandatory and rng.random() >= 0.4:
                continue
            tracks.append(
                TrainingTrack(
                    board=board,
                    name=name,
                    kind=kind,
                    is_mandatory=mandatory,
                    first_year=start + first,
                    last_year=start + last,
                    repayment_percentages=scheme,
                    early_stop_percentage=early,
                    description="Het opleidingstraject van de intern begeleiders van het bestuur.",
                    source="Scale data",
                )
            )
            specs.append(spec)
    tracks = bulk(build, TrainingTrack, tracks)
    for track, spec in zip(tracks, specs, strict=True):
        for order, (title, provider, hours, working, cost, year) in enumerate(spec[6]):
            module_rows.append(
                TrainingModule(
                    track=track,
                    title=title,
                    provider=provider,
                    hours=Decimal(hours),
                    in_working_time=working,
                    cost=Decimal(cost),
                    school_year=start + year,
                    is_required=True,
                    order=order,
                )
            )
    modules = bulk(build, TrainingModule, module_rows)
    links = []
    for module in modules:
        cells = build.framework_of[module.track.board_id].cells
        for cell in cells[module.order * 2 : module.order * 2 + 2]:
            links.append(TrainingModule.cells.through(trainingmodule=module, cell=cell))
    bulk(build, TrainingModule.cells.through, links)
    modules_of: dict[int, list[TrainingModule]] = defaultdict(list)
    for module in modules:
        modules_of[module.track_id].append(module)
    tracks_of: dict[int, list[TrainingTrack]] = defaultdict(list)
    for track in tracks:
        tracks_of[track.board_id].append(track)

    trainings, plans, enrolments = [], [], []
    for plan, _director in running_plans(build):
        for track in tracks_of[plan.board.pk]:
            if not track.is_mandatory:
                if rng.random() >= 0.3:
                    continue
                enrolments.append(
                    TrackEnrolment(
                        ib=plan.ib,
                        board=plan.board,
                        track=track,
                        started_on=max(plan.start, datetime.date(start - 1, 9, 1)),
                    )
                )
            for module in modules_of[track.pk]:
                if module.school_year < start and rng.random() < 0.8:
                    end = build.today - datetime.timedelta(days=rng.randint(60, 400))
                    training = Training(
                        ib=plan.ib,
                        board=plan.board,
                        course=module.title,
                        provider=module.provider,
                        hours=module.hours,
                        start_date=end - datetime.timedelta(days=60),
                        end_date=end,
                        judgement=rng.choice(
                            (Training.Judgement.ACCEPTED,) * 3 + (Training.Judgement.PENDING,)
                        ),
                    )
                    trainings.append(training)
                    plans.append(
                        ModulePlan(
                            ib=plan.ib,
                            board=plan.board,
                            module=module,
                            training=training,
                            cost_taken=module.cost,
                            planned_year=module.school_year,
                        )
                    )
                elif rng.random() < 0.6:
                    plans.append(
                        ModulePlan(
                            ib=plan.ib,
                            board=plan.board,
                            module=module,
                            planned_year=module.school_year,
                            planned_date=build.today
                            + datetime.timedelta(days=rng.randint(-60, 300)),
                        )
                    )
    bulk(build, Training, trainings)
    for row in plans:
        row.training_id = row.training.pk if row.training else None
    bulk(build, ModulePlan, plans)
    enrolments = bulk(build, TrackEnrolment, enrolments)
    bulk(
        build,
        RepaymentAgreement,
        (
            RepaymentAgreement(
                enrolment=enrolment,
                repayment_percentages=enrolment.track.repayment_percentages,
                early_stop_percentage=enrolment.track.early_stop_percentage,
                agreed_on=enrolment.started_on,
            )
            for enrolment in enrolments
        ),
    )


def create_networks(build: Build, rng: random.Random) -> None:
    """Per board its network with themes, five meetings a school year over three years (the
    past ones with minutes and the attendance of the IBs appointed then), the next two meetings
    and documents (links; no uploaded files)."""
    bulk(
        build,
        Network,
        (
            Network(
                board=board,
                description="Het platform van de intern begeleiders van het bestuur.",
                counts_as_training=rng.random() < 0.6,
                hours_per_meeting=Decimal(rng.choice(("2.0", "2.5", "3.0"))),
            )
            for board in build.boards
        ),
    )
    themes = bulk(
        build,
        NetworkTheme,
        (
            NetworkTheme(board=board, title=title, description=description)
            for board in build.boards
            for title, description in rng.sample(NETWORK_THEMES, k=rng.randint(3, 6))
        ),
    )
    themes_of: dict[int, list[NetworkTheme]] = defaultdict(list)
    for theme in themes:
        themes_of[theme.board_id].append(theme)
    ibs_of: dict[int, list[AppointmentPlan]] = defaultdict(list)
    for plan in build.appointments:
        if plan.ib is not None:
            ibs_of[plan.board.pk].append(plan)
    meetings = []
    first = datetime.date(build.current_year - 2, 9, 1)
    for board in build.boards:
        days = sorted(
            first + datetime.timedelta(days=int(n * 73 + rng.randint(0, 40))) for n in range(20)
        )
        days = [d for d in days if d <= build.today][-15:]
        days += [
            build.today + datetime.timedelta(days=rng.randint(7, 40)),
            build.today + datetime.timedelta(days=rng.randint(60, 100)),
        ]
        for day in days:
            day += datetime.timedelta(days=(2 - day.weekday()) % 7)  # a Wednesday
            past = day < build.today
            meetings.append(
                NetworkMeeting(
                    board=board,
                    date=day,
                    start_time=datetime.time(15, 30),
                    end_time=datetime.time(17, 30),
                    place=rng.choice(PLACES),
                    theme=rng.choice(themes_of[board.pk]),
                    agenda=MEETING_AGENDA,
                    minutes=MEETING_MINUTES if past and rng.random() < 0.8 else "",
                )
            )
    meetings = bulk(build, NetworkMeeting, meetings)
    statuses = (
        (NetworkAttendance.Status.PRESENT,) * 7
        + (NetworkAttendance.Status.EXCUSED,) * 2
        + (NetworkAttendance.Status.ABSENT,)
    )
    attendances = []
    for meeting in meetings:
        if meeting.date >= build.today:
            continue
        for plan in ibs_of[meeting.board_id]:
            if plan.start <= meeting.date and (plan.end is None or plan.end >= meeting.date):
                attendances.append(
                    NetworkAttendance(meeting=meeting, ib=plan.ib, status=rng.choice(statuses))
                )
    bulk(build, NetworkAttendance, attendances)
    documents = []
    for board in build.boards:
        for title, url in rng.sample(DOCUMENTS, k=rng.randint(2, 6)):
            theme = rng.choice(themes_of[board.pk]) if rng.random() < 0.7 else None
            documents.append(NetworkDocument(board=board, title=title, theme=theme, url=url))
    bulk(build, NetworkDocument, documents)


def create_issue17(build: Build) -> None:
    """A generator of its own (drawn after every earlier step), so the rows of the earlier
    steps of a seed stay as they were."""
    rng = random.Random(f"{build.rng.random()}-issue17")
    create_conversations(build, rng)
    create_training(build, rng)
    create_networks(build, rng)


REPORTED = (
    Partnership,
    Board,
    School,
    SchoolFigures,
    User,
    Membership,
    Appointment,
    AppointmentShare,
    CatalogueTask,
    Framework,
    Cell,
    Package,
    PackageVersion,
    PackageItem,
    PackageEvent,
    AssessmentRound,
    Rating,
    DirectorView,
    Conversation,
    HeatMapConsent,
    TaskDivision,
    RoleHolder,
    DivisionAssignment,
    ConversationPolicy,
    AppraisalConversation,
    TrainingTrack,
    TrainingModule,
    ModulePlan,
    Training,
    TrackEnrolment,
    Network,
    NetworkTheme,
    NetworkMeeting,
    NetworkAttendance,
    NetworkDocument,
)


def analyze() -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL; autovacuum would come later)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def final_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in REPORTED}


def timed(build: Build, name: str, step: Callable[[], object]) -> None:
    before, started = Counter(build.counts), time.perf_counter()
    step()
    added = build.counts - before
    summary = ", ".join(f"{count} {label}" for label, count in added.items())
    build.log(f"{name:<28}{time.perf_counter() - started:7.1f} s  {summary}")


def generate(
    *, scale: float, seed: int, password: str, flush: bool, log: Callable[[str], None]
) -> dict[str, int]:
    """Build the data set (after emptying the app's data when ``flush``); returns the counts."""
    if not flush and has_data():
        raise DataExists(
            "The database already has boards, partnerships or scale accounts. Use --flush to "
            "delete all app data and all accounts except superusers first."
        )
    started = time.perf_counter()
    build = Build(
        rng=random.Random(seed),
        targets=Targets.for_scale(scale),
        password_hash=make_password(password),
        log=log,
        cycle_rng=random.Random(f"{seed}-cycle"),
    )
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        if flush:
            timed(build, "flush app data", lambda: log_flush(build))
        sizes = board_sizes(build.rng, build.targets)
        timed(build, "school years", lambda: create_years(build))
        timed(build, "partnerships", lambda: create_partnerships(build))
        timed(build, "boards", lambda: create_boards(build, sizes))
        timed(build, "schools", lambda: create_schools(build, sizes))
        timed(build, "school figures", lambda: create_figures(build))
        timed(build, "catalogues", lambda: create_catalogues(build))
        timed(build, "competency frameworks", lambda: create_frameworks(build))
        timed(build, "task-competency links", lambda: link_tasks_to_cells(build))
        timed(build, "board staff and directors", lambda: create_people(build))
        timed(build, "appointments", lambda: (plan_appointments(build), create_appointments(build)))
        timed(build, "task packages", lambda: create_packages(build))
        timed(build, "self-assessment rounds", lambda: create_rounds(build))
        timed(build, "task divisions", lambda: create_divisions(build))
        timed(build, "conversations, tracks, network", lambda: create_issue17(build))
    if connection.vendor == "postgresql":
        timed(build, "analyze", analyze)
    log(f"{'total':<28}{time.perf_counter() - started:7.1f} s")
    return final_counts()
