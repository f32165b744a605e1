"""The demo's task packages (issue 13): built for each school's real size from the catalogue's
defaults, and comments that agree with the figures of their own package."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from tasks import packages as pkg
from tasks.models import Domain, Package, PackageStatus
from tasks.standard_catalogue import RETIRED


def package_of(brin: str, start_year: int) -> Package:
    return Package.objects.with_details().get(
        share__school__brin=brin, school_year__start_year=start_year
    )


def hours_by_key(package: Package) -> dict[str, Decimal]:
    items = pkg.current_version(package).items.select_related("task")
    return {item.task.standard_key: item.hours for item in items if item.task}


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


def test_demo_packages_fit_their_school_and_budget(demo):
    domains = list(Domain.objects.all())
    agreed = Package.objects.with_details().filter(school_year__start_year=2025)
    assert agreed.count() == 8
    for package in agreed:
        version = pkg.current_version(package)
        assert version.status == PackageStatus.AGREED
        items = list(version.items.all())
        summary = pkg.summarize(package, items, domains)
        assert summary.over_budget_hours == 0, package
        # Used for the most part, not left half empty ...
        assert summary.left_hours <= summary.budget_hours / 10, (package, summary.left_hours)
        # ... over every LBBO domain, and none of the tasks merged away.
        assert summary.empty_domains == [], package
        assert not set(hours_by_key(package)) & set(RETIRED), package


def test_hours_follow_the_school_not_the_fte(demo):
    large, little = package_of("11AA", 2025), package_of("11AF", 2025)  # 1.0 and 0.3 fte
    big, small = hours_by_key(large), hours_by_key(little)
    # The twice-yearly trend analysis costs the same at both: not 104 h at the large school.
    assert big["trendanalyse-twee-keer-per-jaar"] == small["trendanalyse-twee-keer-per-jaar"] == 32
    # Class visits follow the school's teachers (6 h each), not the IB's fte.
    for package, hours in ((large, big), (little, small)):
        teachers = pkg.school_size(package).teachers
        assert hours["klassenbezoeken-met-nagesprek"] == 6 * teachers
    assert pkg.school_size(large).teachers > 2 * pkg.school_size(little).teachers


def test_the_school_of_300_pupils_has_what_a_real_one_has(demo):
    kompas = package_of("11AC", 2025)  # 300 pupils, 12 groups, 0.6 fte
    assert kompas.share.fte == Decimal("0.6")
    keys = hours_by_key(kompas)
    for key in (
        "intern-ondersteuningsteam",  # the support team
        "opp-begeleiden",  # development plans
        "externe-contacten",  # external contacts
        "aanvragen-extra-ondersteuning-tlv",  # admission requests
    ):
        assert key in keys, key


def test_comments_agree_with_their_figures(demo):
    kompas = package_of("11AC", 2026)
    version = pkg.current_version(kompas)
    item = version.items.get(task__standard_key="kwaliteitsrapportage")
    assert f"van {item.hours:.0f} naar {item.hours / 2:.0f} uur" in item.ib_comment
    horizon = package_of("11AJ", 2026)
    assert pkg.over_budget_hours(horizon) > 0


def test_package_history_is_dated_within_its_own_school_year(demo):
    """Built at whatever day seed_demo runs, a 2025-2026 package was 'agreed' in December 2026
    and a comment asking for an answer 'voor de herfstvakantie' was dated after it. Every step
    of a package lies in its school year, in order, and what speaks of the autumn break before
    it comes is dated before it (Zuid, 2026: from 17 October)."""
    autumn_break = timezone.make_aware(datetime.datetime(2026, 10, 17))
    for package in Package.objects.select_related("school_year"):
        year = package.school_year
        start = timezone.make_aware(datetime.datetime.combine(year.start_date, datetime.time()))
        end = timezone.make_aware(datetime.datetime.combine(year.end_date, datetime.time(23)))
        events = list(package.events.order_by("id"))
        times = [event.at for event in events]
        assert times == sorted(times), package
        assert start <= package.created_at <= times[0], package
        assert times[-1] < end, package
        for event in events:
            if "voor de herfstvakantie" in event.comment or "Na de herfstvakantie" in event.comment:
                assert event.at < autumn_break, event.comment
        for version in package.versions.all():
            for moment in (version.created_at, version.submitted_at, version.agreed_at):
                assert moment is None or start <= moment < end, (package, version)


def test_the_demo_partnership_reads_the_sharing_boards_agreed_packages(demo, client):
    """Board A shares with the SWV: `swv` reads its agreed packages (with partnership tasks
    marked); board B does not share: nothing of it (issue 14)."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from tasks.models import PackageVersion

    swv = get_user_model().objects.get(username="swv")
    copies = list(PackageVersion.objects.copies_for_user(swv).select_related("package__share"))
    boards = {version.package.share.school.board.number for version in copies}
    assert boards == {"49901"}
    assert any(item.concerns_partnership for v in copies for item in v.items.all())
    client.force_login(swv)
    page = client.get(reverse("tasks:copy-list") + "?jaar=2025").text
    assert "RKBS De Regenboog" in page
    assert "OBS De Heuvelrug" not in page
    board_b = Package.objects.filter(
        share__school__board__number="49902", versions__status=PackageStatus.AGREED
    ).first()
    assert board_b is not None
    assert client.get(reverse("tasks:copy-detail", args=[board_b.pk])).status_code == 404


def test_the_demo_board_staff_see_last_years_cycle(demo, client):
    """`bestuur.a` finds measured figures on the year cycle beside the comparison: last year's
    realisation of every agreed package (issue 14, "Board figures"); the page says plainly
    what was not recorded instead of showing zeros."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from schools.models import Board

    staff = get_user_model().objects.get(username="bestuur.a")
    board = Board.objects.get(number="49901")
    client.force_login(staff)
    url = reverse("schools:comparison-cycle", args=[board.pk])
    last_year = client.get(url, {"jaar": 2025})
    assert last_year.status_code == 200
    total = last_year.context["total"].current
    assert total.recorded == total.agreed > 0
    assert total.realised_hours > 0 and total.discussions > 0
    assert last_year.context["domain_chart"] is not None
    now = client.get(url)
    if not now.context["found"]["realisation_now"]:  # before the board's mid-year moment
        assert "?jaar=2025" in now.text  # the notice points to last year
