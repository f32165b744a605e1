"""Factories that keep related objects inside one board."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.db.models import Max

from schools.models import (
    Appointment,
    AppointmentShare,
    Board,
    Membership,
    Partnership,
    Role,
    School,
    SchoolFigures,
    SchoolYear,
)
from tasks.models import (
    CatalogueTask,
    Domain,
    Evaluation,
    EvaluationGoal,
    GoalRating,
    Package,
    PackageItem,
    PackageStatus,
    PackageVersion,
    Realisation,
    RealisationLine,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Voornaam{n}")
    last_name = factory.Sequence(lambda n: f"Achternaam{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.django.Password("demo-wachtwoord")


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"SWV Test {n}")
    code = factory.Sequence(lambda n: f"PO{n:04d}")


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Stichting Test {n}")
    number = factory.Sequence(lambda n: f"{40000 + n:05d}")
    salary_scales = "LB, LC, LD"

    @factory.post_generation
    def partnerships(self, create, extracted, **kwargs):
        if create and extracted:
            self.partnerships.add(*extracted)


def _brin(n: int) -> str:
    # The second letter starts at Q: the BRINs tests pick by hand (11AA, 22BA, 33CA, ...) end
    # in other letters, so a generated school never collides with the cast, whatever the
    # number of schools made before it in the session.
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return f"{n % 100:02d}{letters[(n // 100) % 26]}{letters[(n // 2600 + 16) % 26]}"


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    board = factory.SubFactory(BoardFactory)
    name = factory.Sequence(lambda n: f"Basisschool {n}")
    brin = factory.Sequence(_brin)
    location_code = "00"
    place = "Teststad"


class SchoolYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolYear
        django_get_or_create = ("start_year",)

    start_year = factory.LazyFunction(SchoolYear.current_start_year)


class SchoolFiguresFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolFigures

    school = factory.SubFactory(SchoolFactory)
    school_year = factory.SubFactory(SchoolYearFactory)
    pupils = 250
    groups = 10


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.BOARD_STAFF
    board = factory.SubFactory(BoardFactory)


def board_staff(board: Board, **kwargs) -> object:
    user = UserFactory(**kwargs)
    Membership.objects.create(user=user, role=Role.BOARD_STAFF, board=board)
    return user


def board_admin(board: Board, **kwargs) -> object:
    user = UserFactory(**kwargs)
    Membership.objects.create(user=user, role=Role.BOARD_ADMIN, board=board)
    return user


def director(*schools: School, **kwargs) -> object:
    user = UserFactory(**kwargs)
    for school in schools:
        Membership.objects.create(user=user, role=Role.DIRECTOR, school=school)
    return user


def ib(board: Board, **kwargs) -> object:
    user = UserFactory(**kwargs)
    Membership.objects.create(user=user, role=Role.IB, board=board)
    return user


def partnership_staff(partnership: Partnership, **kwargs) -> object:
    user = UserFactory(**kwargs)
    Membership.objects.create(user=user, role=Role.PARTNERSHIP_STAFF, partnership=partnership)
    return user


class AppointmentFactory(factory.django.DjangoModelFactory):
    """An appointment with one share; pass ``shares=[(school, fte), ...]`` for more."""

    class Meta:
        model = Appointment
        skip_postgeneration_save = True

    board = factory.SubFactory(BoardFactory)
    ib = factory.LazyAttribute(lambda a: ib(a.board))
    kind = Appointment.Kind.FUNCTIE
    salary_scale = "LB"
    start_date = datetime.date(2025, 8, 1)

    @factory.post_generation
    def shares(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = [(SchoolFactory(board=self.board), Decimal("0.8"))]
        for school, fte in extracted:
            AppointmentShare.objects.create(appointment=self, school=school, fte=Decimal(fte))


class CatalogueTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogueTask

    board = factory.SubFactory(BoardFactory)
    title = factory.Sequence(lambda n: f"Taak {n}")
    description = "Een taak uit de catalogus."
    domain = factory.LazyFunction(lambda: Domain.objects.get(code="zorg"))
    default_hours = Decimal("40")
    source = "KempenKind 2013 §1"


# ---------------------------------------------------------------------------
# Task packages (straight rows, no workflow: use tasks.packages services for that)
# ---------------------------------------------------------------------------


class PackageFactory(factory.django.DjangoModelFactory):
    """A package with version 1; ``status=`` sets that version's status (default concept)."""

    class Meta:
        model = Package
        skip_postgeneration_save = True

    share = factory.LazyFunction(lambda: AppointmentFactory().shares.get())
    school_year = factory.SubFactory(SchoolYearFactory, start_year=2025)

    @factory.post_generation
    def status(self, create, extracted, **kwargs):
        if create:
            PackageVersionFactory(package=self, number=1, status=extracted or PackageStatus.CONCEPT)


class PackageVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PackageVersion

    package = factory.SubFactory(PackageFactory)
    number = factory.LazyAttribute(
        lambda v: (v.package.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    )
    status = PackageStatus.CONCEPT


class PackageItemFactory(factory.django.DjangoModelFactory):
    """An item copied from a catalogue task of the package's own board."""

    class Meta:
        model = PackageItem

    version = factory.SubFactory(PackageVersionFactory)
    task = factory.LazyAttribute(lambda i: CatalogueTaskFactory(board=i.version.package.board))
    title = factory.LazyAttribute(lambda i: i.task.title if i.task else "Eigen taak")
    domain = factory.LazyAttribute(
        lambda i: i.task.domain if i.task else Domain.objects.get(code="zorg")
    )
    is_ib_task = factory.LazyAttribute(lambda i: i.task.is_ib_task if i.task else True)
    not_ib_reason = factory.LazyAttribute(lambda i: i.task.not_ib_reason if i.task else "")
    hours = Decimal("40")


# ---------------------------------------------------------------------------
# The year-end evaluation (straight rows: the evaluation's own services are tested elsewhere)
# ---------------------------------------------------------------------------


class EvaluationFactory(factory.django.DjangoModelFactory):
    """The evaluation of an agreed package, of its newest version; open unless ``closed=True``
    (then held and closed today)."""

    class Meta:
        model = Evaluation
        skip_postgeneration_save = True

    package = factory.SubFactory(PackageFactory, status=PackageStatus.AGREED)
    version = factory.LazyAttribute(lambda e: e.package.versions.order_by("-number").first())

    @factory.post_generation
    def closed(self, create, extracted, **kwargs):
        if create and extracted:
            self.held_on = datetime.date.today()
            self.closed_at = datetime.datetime.now(datetime.UTC)
            self.save()


class EvaluationGoalFactory(factory.django.DjangoModelFactory):
    """A goal of an evaluation, rated "not achieved" unless told; ``key`` as WerkplanGoal.key."""

    class Meta:
        model = EvaluationGoal

    evaluation = factory.SubFactory(EvaluationFactory)
    title = factory.Sequence(lambda n: f"Doel {n}")
    key = factory.LazyAttribute(lambda g: " ".join(g.title.lower().split()))
    domain = factory.LazyFunction(lambda: Domain.objects.get(code="leren"))
    success_criterion = "De leerkrachten werken met het nieuwe groepsoverzicht"
    rating = GoalRating.NOT_ACHIEVED
    evidence = "Twee van de acht groepen werken ermee"


# The formation-norm fields of the board policy form, as a browser posts the defaults.
BOARD_NORM_POST = {
    "norm_kind": "pupils",
    "norm_pupils_per_fte": "300",
    "norm_hours_per_group": "2",
    "norm_week_hours_per_fte": "40",
    "norm_lbbo_hours": "25",
    "norm_lbbo_pupils": "200",
    "norm_multi_school_fte": "1",
    "realisation_mid_year": "1-2",
    "realisation_year_end": "1-7",
    "retention_years": "2",
}


# ---------------------------------------------------------------------------
# Realisation and evaluation (straight rows: tasks.realisation and the evaluation pages write
# them through their services)
# ---------------------------------------------------------------------------


def realisation(package: Package, moment: str, hours: dict[str, str]) -> Realisation:
    """A realisation sheet of ``moment`` with one line per domain code: {code: hours}."""
    sheet = Realisation.objects.create(
        package=package, moment=moment, recorded_by=package.share.appointment.ib
    )
    for code, value in hours.items():
        RealisationLine.objects.create(
            realisation=sheet,
            key=f"custom:taak {code}",
            title=f"Taak {code}",
            domain=Domain.objects.get(code=code),
            hours=Decimal(value),
        )
    return sheet


def evaluation(
    package: Package,
    *,
    held_on: datetime.date | None = None,
    closed: bool = False,
    ratings: tuple[str, ...] = (),
) -> Evaluation:
    """The package's evaluation of its newest agreed version, one goal per rating ("" for a
    goal not rated yet); ``closed`` needs ``held_on`` (the conversation closes the year)."""
    version = package.versions.filter(status=PackageStatus.AGREED).order_by("-number").first()
    record = Evaluation.objects.create(
        package=package,
        version=version or package.versions.order_by("-number").first(),
        held_on=held_on,
        closed_at=(
            datetime.datetime.combine(held_on, datetime.time(12), tzinfo=datetime.UTC)
            if closed
            else None
        ),
    )
    for number, rating in enumerate(ratings, start=1):
        EvaluationGoal.objects.create(
            evaluation=record,
            key=f"doel {number}",
            title=f"Doel {number}",
            domain=Domain.objects.get(code="zorg"),
            rating=rating,
        )
    return record
