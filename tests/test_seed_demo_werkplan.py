"""The demo's werkplans (issue 14): development points at every school with a package, an IB's
proposal waiting for its director, goals on every package version of both years, the signals
somewhere (not everywhere), and each role sees them."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import F
from django.test import Client
from django.urls import reverse

from schools.models import DevelopmentPoint, School
from tasks import werkplan
from tasks.models import Domain, Evaluation, Package, PackageVersion, WerkplanGoal


def test_demo_werkplans(db):
    call_command("seed_demo", verbosity=0)  # once: it takes a while
    goals_before = WerkplanGoal.objects.count()
    check_every_version_has_goals_and_the_signals_show()
    check_each_role_sees_them()
    check_a_draft_starts_from_last_years_evaluation()
    evaluations_before = Evaluation.objects.count()
    call_command("seed_demo", verbosity=0)  # again: nothing doubled
    assert WerkplanGoal.objects.count() == goals_before
    assert Evaluation.objects.count() == evaluations_before


def check_a_draft_starts_from_last_years_evaluation():
    """De Horizon's draft (directeur.kompas, ib.horizon): tasks marked by last year's
    realisation and a goal of last year's evaluation to carry over (issue 14)."""
    package = Package.objects.get(share__school__brin="11AJ", school_year__start_year=2026)
    for username in ("directeur.kompas", "ib.horizon"):
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        response = client.get(reverse("tasks:package-detail", args=[package.pk]))
        assert response.context["marked_items"], username
        assert response.context["carry_over"].offers, username
        assert 'id="carry-over"' in response.text


def check_every_version_has_goals_and_the_signals_show():
    assert not PackageVersion.objects.filter(goals__isnull=True).exists()
    schools_with_packages = School.objects.filter(ib_shares__packages__isnull=False).distinct()
    for school in schools_with_packages:
        assert school.development_points.filter(status="vastgesteld").count() >= 3, school
    assert DevelopmentPoint.objects.filter(status="voorgesteld").count() == 2
    domains = list(Domain.objects.all())
    plans = [
        werkplan.werkplan_of(version, list(version.items.all()), domains)
        for version in PackageVersion.objects.filter(package__school_year__start_year=2026)
    ]
    assert any(plan.goals_without_hours for plan in plans)
    assert any(plan.too_much_unlinked for plan in plans)
    assert not all(plan.too_much_unlinked for plan in plans)
    # Goals are tied to tasks of their own version only.
    assert not WerkplanGoal.items.through.objects.exclude(
        packageitem__version_id=F("werkplangoal__version_id")
    ).exists()


def check_each_role_sees_them():
    client = Client()
    users = get_user_model().objects
    package = Package.objects.get(share__school__brin="11AA", school_year__start_year=2026)
    regenboog = package.school
    for username in ("directeur.regenboog", "ib.regenboog", "bestuur.a"):
        client.force_login(users.get(username=username))
        page = client.get(reverse("tasks:package-detail", args=[package.pk])).text
        assert "Sterkere instructie begrijpend lezen" in page, username
        points = client.get(reverse("schools:development-points", args=[regenboog.pk])).text
        assert "Een passend aanbod voor meer- en hoogbegaafde leerlingen" in points, username
    client.force_login(users.get(username="swv"))
    url = reverse("schools:development-points", args=[regenboog.pk])
    assert client.get(url).status_code == 404
