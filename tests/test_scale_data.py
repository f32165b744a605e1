"""``generate_scale_data``: the national-scale data set, built small here (scale 0.02).

The data set is generated once for the module (inside a transaction rolled back at the end);
tests that generate again (determinism, refusal, flush) do so inside their own transaction.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from competencies.models import AssessmentRound, DirectorView, Rating
from competencies.rounds import round_share
from ibportal.scale import Targets
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
from schools.services import ShareInput, validate_shares
from tasks import packages as services
from tasks.models import Domain, Package, PackageEvent, PackageItem, PackageStatus

SCALE, SEED = 0.02, 7
TARGETS = Targets.for_scale(SCALE)
User = get_user_model()


def generate(*extra: str, seed: int = SEED) -> str:
    out = StringIO()
    call_command(
        "generate_scale_data", "--scale", str(SCALE), "--seed", str(seed), *extra, stdout=out
    )
    return out.getvalue()


@pytest.fixture(scope="module")
def scale_data(django_db_setup, django_db_blocker):
    """The generated data set, shared by the module's tests and rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = generate()
        yield output
        transaction.set_rollback(True)


@pytest.fixture
def data(scale_data, db) -> str:
    return scale_data


def current_version(package: Package):
    return max(package.versions.all(), key=lambda version: version.number)


def fingerprint() -> list:
    """Everything that should follow from the seed (not primary keys or timestamps)."""
    queries = [
        Board.objects.values_list("number", "name", "norm_kind", "min_ib_fte"),
        School.objects.values_list("brin", "location_code", "name", "board__number"),
        User.objects.values_list("username", "first_name", "last_name"),
        AppointmentShare.objects.values_list(
            "appointment__ib__username", "school__brin", "school__location_code", "fte"
        ),
        PackageItem.objects.values_list(
            "version__package__share__appointment__ib__username",
            "version__package__share__school__brin",
            "version__package__school_year__start_year",
            "version__number",
            "version__status",
            "title",
            "hours",
        ),
        PackageEvent.objects.values_list(
            "package__share__appointment__ib__username", "kind", "detail", "comment"
        ),
        Rating.objects.values_list(
            "round__ib__username", "round__date", "cell__row__title", "level__number"
        ),
    ]
    return [sorted(query, key=repr) for query in queries]


# ---------------------------------------------------------------------------
# shape
# ---------------------------------------------------------------------------


def test_prints_progress_and_counts(data):
    assert "task packages" in data and "total" in data
    assert re.search(rf"^schools\.School +{TARGETS.schools}$", data, re.MULTILINE)
    assert re.search(r"^tasks\.PackageItem +[\d,]{4,}$", data, re.MULTILINE)
    assert "Scale data ready." in data


def test_board_sizes_are_skewed_between_1_and_150(data):
    sizes = sorted(board.schools.count() for board in Board.objects.all())
    assert len(sizes) == TARGETS.boards and sum(sizes) == TARGETS.schools
    assert sizes[0] == 1 and sizes[-1] <= 150
    assert statistics.median(sizes) < statistics.mean(sizes)  # many small boards, a few large
    largest = Board.objects.get(number="10001")
    assert largest.schools.count() == sizes[-1] == TARGETS.largest_board
    assert largest.name.startswith("Stichting Grootste Bestuur")


def test_full_scale_targets_have_a_board_of_exactly_150_schools():
    targets = Targets.for_scale(1)
    assert (targets.boards, targets.schools, targets.appointments) == (900, 6100, 6000)
    assert targets.largest_board == 150 and targets.partnerships == 75


def test_every_school_has_figures_for_three_years_and_a_partnership_of_its_board(data):
    current = SchoolYear.current_start_year()
    years = set(SchoolFigures.objects.values_list("school_year__start_year", flat=True))
    assert years == {current - 2, current - 1, current}
    assert SchoolFigures.objects.count() == 3 * TARGETS.schools
    assert not SchoolFigures.objects.filter(pupils__lte=0).exists()
    for school in School.objects.select_related("board"):
        assert school.partnership_id in set(school.board.partnerships.values_list("id", flat=True))


def test_a_quarter_of_the_appointments_is_spread_over_two_or_three_schools(data):
    spread = Counter(appointment.shares.count() for appointment in Appointment.objects.all())
    assert Appointment.objects.count() == TARGETS.appointments
    assert set(spread) <= {1, 2, 3} and spread[2] and spread[3]
    assert 0.18 <= (spread[2] + spread[3]) / TARGETS.appointments <= 0.32


def test_appointments_pass_the_services_own_validation(data):
    totals = defaultdict(Decimal)
    for appointment in Appointment.objects.select_related("board", "lead_school"):
        shares = list(appointment.shares.select_related("school"))
        appointment.full_clean()
        lead = appointment.lead_school_id
        validate_shares(appointment, [ShareInput(school=s.school, fte=s.fte) for s in shares])
        assert appointment.lead_school_id == lead  # a lead school only on a tie, and a tied one
        assert all(s.school.board_id == appointment.board_id for s in shares)
        totals[appointment.ib_id] += sum(s.fte for s in shares)
    assert max(totals.values()) <= 1


def test_people_follow_the_username_scheme(data):
    board = Board.objects.get(number="10001")
    assert Membership.objects.filter(
        user__username="scale-board-1", role=Role.BOARD_STAFF, board=board
    ).exists()
    assert Membership.objects.filter(
        user__username="scale-admin-1", role=Role.BOARD_ADMIN, board=board
    ).exists()
    assert Membership.objects.filter(
        user__username="scale-swv-1", role=Role.PARTNERSHIP_STAFF
    ).exists()
    assert not School.objects.exclude(memberships__role=Role.DIRECTOR).exists()
    for appointment in Appointment.objects.select_related("ib"):
        assert appointment.ib.username.startswith("scale-ib-")
        assert appointment.ib.memberships.filter(role=Role.IB, board=appointment.board).exists()
    scale_users = User.objects.filter(username__startswith="scale-")
    assert scale_users.filter(username__startswith="scale-director-").count() >= (
        TARGETS.schools // 3
    )
    assert scale_users.values("password").distinct().count() == 1  # one hash for everyone
    assert scale_users.get(username="scale-ib-1").check_password("demo")


# ---------------------------------------------------------------------------
# task packages
# ---------------------------------------------------------------------------


def test_packages_cover_three_school_years_with_about_15_items(data):
    current = SchoolYear.current_start_year()
    packages = list(
        Package.objects.prefetch_related("versions__items").select_related(
            "share__school__board", "school_year"
        )
    )
    assert {p.school_year.start_year for p in packages} == {current - 2, current - 1, current}
    domains = Domain.objects.count()
    counts, filled = [], []
    for package in packages:
        items = list(current_version(package).items.all())
        counts.append(len(items))
        assert len({item.domain_id for item in items}) == domains
        assert all(0 < item.hours <= package.budget_hours for item in items)
        filled.append(sum(item.hours for item in items) / package.budget_hours)
    assert 13 <= statistics.mean(counts) <= 17
    # The hours fit the budget: most packages fill 80-110% of it, a few are over (a signal).
    assert max(filled) < Decimal("1.3")
    assert sum(Decimal("0.8") <= share <= Decimal("1.1") for share in filled) > 0.9 * len(filled)
    assert any(share > 1 for share in filled)


def test_package_statuses_move_from_agreed_in_the_past_to_a_mix_this_year(data):
    current = SchoolYear.current_start_year()
    by_year = defaultdict(Counter)
    for package in Package.objects.prefetch_related("versions").select_related("school_year"):
        by_year[package.school_year.start_year][current_version(package).status] += 1
    assert set(by_year[current - 2]) == {PackageStatus.AGREED}
    assert by_year[current - 1][PackageStatus.AGREED] > 0.8 * sum(by_year[current - 1].values())
    assert len(by_year[current]) >= 3
    assert Package.objects.filter(versions__number=2).exists()  # reopened packages


def test_events_and_versions_are_what_the_services_leave(data):
    now = timezone.now()
    for package in Package.objects.prefetch_related("versions", "events"):
        events = list(package.events.all())
        kinds = Counter(event.kind for event in events)
        assert kinds[PackageEvent.Kind.CREATED] == 1
        # Every service call except creating bumps the lock; going back to draft rides along.
        bumps = len(events) - kinds[PackageEvent.Kind.CREATED] - kinds[PackageEvent.Kind.DRAFT]
        assert package.lock_version == bumps
        for version in package.versions.all():
            of_version = {e.kind for e in events if e.version_number == version.number}
            if version.status in (PackageStatus.SUBMITTED, PackageStatus.AGREED):
                assert PackageEvent.Kind.SUBMITTED in of_version and version.submitted_at
            if version.status == PackageStatus.AGREED:
                assert PackageEvent.Kind.AGREED in of_version and version.agreed_at
                assert version.agreed_at >= version.submitted_at
        moments = [event.at for event in sorted(events, key=lambda event: event.pk)]
        assert moments == sorted(moments) and moments[-1] <= now  # a history, in the past


def test_last_years_packages_have_realisation_and_evaluations(data):
    """The board's year cycle (issue 14) has figures to show: last year's agreed packages are
    realised at the year end, task by task; the past years' packages mostly evaluated."""
    from tasks.models import Evaluation, GoalRating, Moment, Realisation, RealisationLine

    current = SchoolYear.current_start_year()
    sheets = Realisation.objects.filter(package__school_year__start_year=current - 1)
    assert sheets.exists() and not sheets.exclude(moment=Moment.END).exists()
    agreed_last_year = (
        Package.objects.filter(school_year__start_year=current - 1, versions__status="akkoord")
        .distinct()
        .count()
    )
    assert sheets.count() == agreed_last_year
    line = RealisationLine.objects.select_related("realisation__package").first()
    keys = {item.key for item in current_version(line.realisation.package).items.all()} | {
        item.key for v in line.realisation.package.versions.all() for item in v.items.all()
    }
    assert line.key in keys
    closed = Evaluation.objects.filter(closed_at__isnull=False)
    assert closed.count() > 0.7 * Evaluation.objects.count() > 0
    assert not closed.filter(held_on__isnull=True).exists()
    ratings = set(closed.values_list("goals__rating", flat=True))
    assert ratings == {GoalRating.ACHIEVED, GoalRating.PARTLY, GoalRating.NOT_ACHIEVED}


def test_the_services_carry_on_with_generated_packages(data):
    """A draft of this year within its budget is submitted and agreed through the real
    services (an agreement over budget asks for a confirmation first)."""
    current = SchoolYear.current_start_year()
    package = next(
        p
        for p in Package.objects.filter(school_year__start_year=current).with_details()
        if services.current_version(p).status == PackageStatus.CONCEPT
        and services.over_budget_hours(p) <= 0
    )
    director = package.school.memberships.filter(role=Role.DIRECTOR).first().user
    services.package_submit(package=package, actor=director, lock_version=package.lock_version)
    package.refresh_from_db()
    services.package_review(
        package=package, actor=package.ib, lock_version=package.lock_version, accept=True
    )
    assert services.current_version(package).status == PackageStatus.AGREED


# ---------------------------------------------------------------------------
# competencies
# ---------------------------------------------------------------------------


def test_half_of_the_ibs_completed_a_round_with_every_cell_rated(data):
    rounds = list(AssessmentRound.objects.select_related("framework"))
    assert all(r.status == AssessmentRound.Status.COMPLETED for r in rounds)
    ibs = {r.ib_id for r in rounds}
    assert 0.3 <= len(ibs) / TARGETS.appointments <= 0.7
    for round_ in rounds:
        ratings = list(round_.ratings.all())
        assert len(ratings) == round_.framework.cells.count()
        assert all(rating.level_id for rating in ratings)
        assert round_.framework.board_id == round_.board_id


def test_shared_rounds_go_to_the_personnel_responsible_director(data):
    shared = list(AssessmentRound.objects.filter(shared_with__isnull=False))
    assert shared and DirectorView.objects.exists()
    for round_ in shared:
        appointment = Appointment.objects.with_details().get(ib=round_.ib)
        assert round_.shared_with in appointment.personnel_directors
        assert not round_.director_views.exclude(author=round_.shared_with).exists()
    # The service, asked again, picks the same director.
    round_ = shared[0]
    result = round_share(round=round_, actor=round_.ib)
    assert result.director == round_.shared_with


# ---------------------------------------------------------------------------
# pages
# ---------------------------------------------------------------------------


def page_urls() -> list[tuple[str, str]]:
    board = Board.objects.get(number="10001")
    package = Package.objects.filter(share__school__board=board).order_by("-id").first()
    director = package.school.memberships.filter(role=Role.DIRECTOR).first().user.username
    ib = package.ib.username
    shared = AssessmentRound.objects.filter(shared_with__isnull=False).select_related(
        "ib", "shared_with"
    )[0]
    partnership = Partnership.objects.get(code="PO2101")
    return [
        ("scale-board-1", reverse("schools:board-detail", args=[board.pk])),
        ("scale-board-1", reverse("schools:comparison", args=[board.pk])),
        ("scale-board-1", reverse("schools:appointment-list")),
        ("scale-board-1", reverse("tasks:package-overview")),
        ("scale-board-1", reverse("tasks:package-detail", args=[package.pk])),
        ("scale-board-1", reverse("competencies:heatmap", args=[board.pk])),
        (director, reverse("schools:school-list")),
        (director, reverse("tasks:package-overview")),
        (director, reverse("tasks:package-detail", args=[package.pk])),
        (director, reverse("tasks:package-history", args=[package.pk])),
        (ib, reverse("schools:appointment-list")),
        (ib, reverse("tasks:ib-packages")),
        (ib, reverse("tasks:package-detail", args=[package.pk])),
        (shared.ib.username, reverse("competencies:round-list")),
        (shared.shared_with.username, reverse("competencies:shared-rounds")),
        (shared.shared_with.username, reverse("competencies:round-detail", args=[shared.pk])),
        ("scale-swv-1", reverse("schools:partnership-comparison", args=[partnership.pk])),
    ]


def test_main_pages_render_for_generated_users(data, client):
    for username, url in page_urls():
        client.force_login(User.objects.get(username=username))
        response = client.get(url)
        assert response.status_code == 200, (username, url)


# ---------------------------------------------------------------------------
# running it again
# ---------------------------------------------------------------------------


def test_refuses_a_database_with_boards_without_flush(data):
    before = Package.objects.count()
    with pytest.raises(CommandError, match="--flush"):
        generate()
    assert Package.objects.count() == before


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(data):
    first = fingerprint()
    generate("--flush")
    assert fingerprint() == first
    generate("--flush", seed=SEED + 1)
    assert fingerprint() != first


def test_flush_keeps_superusers_and_the_domains(data):
    User.objects.create_superuser("root", "root@example.invalid", "secret-password")
    other = User.objects.create_user("someone-else")
    domains = Domain.objects.count()
    output = generate("--flush")
    assert "deleted" in output
    assert User.objects.filter(username="root").exists()
    assert not User.objects.filter(pk=other.pk).exists()
    assert Domain.objects.count() == domains == 4  # three LBBO domains, general duties
    assert Board.objects.count() == TARGETS.boards
