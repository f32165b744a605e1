"""Hours that belong to the person (issue 17): reserved per appointment by board staff, shown
line by line in every package budget of those school years, divided over the schools by fte,
recorded in the appointment's history; pinned query counts where budgets are listed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from schools.models import SchoolYear
from schools.own_hours import OwnHours
from tasks import packages as pkg
from tasks.models import Domain, Package
from tasks.packages import package_create

from . import factories as f


def own_hours(appointment, hours: str = "40", kind=OwnHours.Kind.SUSTAINABLE, **fields):
    year = fields.pop("year", SchoolYear.current_start_year())
    defaults = {"label": "Startende IB'er", "start_year": year, "end_year": year}
    return OwnHours.objects.create(
        appointment=appointment, kind=kind, hours=Decimal(hours), **{**defaults, **fields}
    )


def test_own_hours_reduce_the_budget_line_by_line(cast, package_a):
    board = cast.board_a
    board.hours_per_fte, board.reserved_hours_per_fte = Decimal("1659"), Decimal("123")
    board.save()
    fte = package_a.share.fte
    own_hours(cast.appointment_a, "40", label="Starter")
    own_hours(cast.appointment_a, "24", kind=OwnHours.Kind.STUDY_LEAVE, label="Master SEN")
    package = Package.objects.with_details().get(pk=package_a.pk)
    gross = (fte * Decimal("1659")).quantize(Decimal("0.1"))
    reserved = (fte * Decimal("123")).quantize(Decimal("0.1"))
    assert package.budget_hours == gross - reserved - Decimal("64")
    summary = pkg.summarize(package, [], list(Domain.objects.all()))
    assert [(line.label, line.hours) for line in summary.own_hours_lines] == [
        ("Starter", Decimal("40")),
        ("Master SEN", Decimal("24")),
    ]
    assert summary.budget_hours == package.budget_hours


def test_own_hours_of_another_year_do_not_count(cast, package_a):
    year = package_a.school_year.start_year
    own_hours(cast.appointment_a, "40", year=year - 1)
    own_hours(cast.appointment_a, "30", start_year=year + 1, end_year=year + 2, year=None)
    package = Package.objects.get(pk=package_a.pk)
    assert package.own_hours_lines == []


def test_appointment_at_two_schools_shares_the_hours_by_fte(cast):
    appointment = f.AppointmentFactory(
        board=cast.board_a,
        shares=[(cast.school_a1, Decimal("0.5")), (cast.school_a2, Decimal("0.3"))],
    )
    own_hours(appointment, "40", kind=OwnHours.Kind.STUDY_LEAVE, label="Studieverlof")
    year = f.SchoolYearFactory()
    director = f.director(cast.school_a1, cast.school_a2)
    packages = [
        package_create(share=share, school_year=year, actor=director)
        for share in appointment.shares.order_by("-fte")
    ]
    lines = [Package.objects.get(pk=p.pk).own_hours_lines for p in packages]
    assert [line[0].hours for line in lines] == [Decimal("25"), Decimal("15")]
    assert all(line[0].is_shared and line[0].total_hours == 40 for line in lines)


def test_package_page_and_letter_show_each_line_with_its_label(client, cast, package_a):
    own_hours(cast.appointment_a, "40", label="Startende IB'er (eerste jaar)")
    for user, name in (
        (cast.director_a, "tasks:package-detail"),
        (cast.ib_a, "tasks:package-letter"),
    ):
        client.force_login(user)
        response = client.get(reverse(name, args=[package_a.pk]))
        assert "Startende IB&#x27;er (eerste jaar)" in response.text
        assert "own-hours-line" in response.text


def test_over_budget_counts_the_own_hours(cast, package_a):
    """The package holds 40 hours of tasks; own hours that leave less make it over budget."""
    budget = Package.objects.get(pk=package_a.pk).budget_hours
    own_hours(cast.appointment_a, str(budget - Decimal("30")))
    assert pkg.over_budget_hours(Package.objects.get(pk=package_a.pk)) == Decimal("10")


def test_board_staff_enter_own_hours_recorded_in_history(client, cast):
    client.force_login(cast.staff_a)
    year = str(SchoolYear.current_start_year())
    response = client.post(
        reverse("schools:own-hours-create", args=[cast.appointment_a.pk]),
        {
            "kind": "studieverlof",
            "label": "Master",
            "hours": "40,5",
            "start_year": year,
            "end_year": year,
            "lock_version": "",
        },
    )
    assert response.status_code == 302
    row = OwnHours.objects.get()
    assert row.hours == Decimal("40.5")
    response = client.get(reverse("schools:appointment-history", args=[cast.appointment_a.pk]))
    assert "Master" in response.text
    detail = client.get(reverse("schools:appointment-detail", args=[cast.appointment_a.pk]))
    assert "Master" in detail.text


def test_last_year_before_first_is_refused_input_kept(client, cast):
    client.force_login(cast.staff_a)
    year = SchoolYear.current_start_year()
    response = client.post(
        reverse("schools:own-hours-create", args=[cast.appointment_a.pk]),
        {
            "kind": "studieverlof",
            "label": "Mijn label",
            "hours": "40",
            "start_year": str(year),
            "end_year": str(year - 1),
            "lock_version": "",
        },
    )
    assert response.status_code == 200
    assert "end_year" in response.context["form"].errors
    assert "Mijn label" in response.text
    assert not OwnHours.objects.exists()


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("0,2", "Geef minstens een half uur op."),
        ("2000", "Hoogstens 1659 uur per schooljaar (een volledige baan)."),
        ("12,25", "Geef de uren op met hoogstens één decimaal."),
    ],
)
def test_hours_out_of_range_get_a_dutch_message_without_a_decimal_point(
    client, cast, hours, message
):
    client.force_login(cast.staff_a)
    year = SchoolYear.current_start_year()
    response = client.post(
        reverse("schools:own-hours-create", args=[cast.appointment_a.pk]),
        {
            "kind": "studieverlof",
            "label": "Mijn label",
            "hours": hours,
            "start_year": str(year),
            "end_year": str(year),
            "lock_version": "",
        },
    )
    assert response.context["form"].errors["hours"] == [message]
    assert "0.5" not in response.text
    assert not OwnHours.objects.exists()


def test_stale_own_hours_are_refused(client, cast):
    row = own_hours(cast.appointment_a, "40")
    seen = row.lock_version
    row.hours = Decimal("50")
    row.save()
    client.force_login(cast.staff_a)
    year = str(SchoolYear.current_start_year())
    response = client.post(
        reverse("schools:own-hours-edit", args=[row.pk]),
        {
            "kind": row.kind,
            "label": row.label,
            "hours": "30",
            "start_year": year,
            "end_year": year,
            "lock_version": str(seen),
        },
    )
    assert response.status_code == 409
    row.refresh_from_db()
    assert row.hours == Decimal("50")


@pytest.mark.parametrize("user", ["director_a", "ib_a"])
def test_director_and_ib_read_but_do_not_change_own_hours(client, cast, user):
    row = own_hours(cast.appointment_a, "40", label="Starter")
    client.force_login(cast.user(user))
    detail = client.get(reverse("schools:appointment-detail", args=[cast.appointment_a.pk]))
    assert "Starter" in detail.text
    assert client.get(reverse("schools:own-hours-edit", args=[row.pk])).status_code == 403


# ---------------------------------------------------------------------------
# query counts: budgets of many packages cost one query for their own hours
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 20])
def test_ib_packages_query_count(client, cast, size, django_assert_num_queries):
    ib = cast.ib_a
    director = f.director(cast.school_a2)
    for number in range(size):
        appointment = f.AppointmentFactory(
            board=cast.board_a, ib=ib, shares=[(cast.school_a2, Decimal("0.1"))]
        )
        own_hours(appointment, "10", label=f"Uren {number}")
        year = f.SchoolYearFactory()
        package_create(share=appointment.shares.get(), school_year=year, actor=director)
    client.force_login(ib)
    with django_assert_num_queries(
        3  # the session, the user, the user's memberships
        + 1  # the IB's packages with their current state, school, IB and school year
        + 1  # the appointments' own hours, for every budget at once
    ):
        response = client.get(reverse("tasks:ib-packages"))
    assert sum(len(year["packages"]) for year in response.context["years"]) == size
    assert response.context["years"][0]["budget"] == sum(
        p.budget_hours for p in response.context["years"][0]["packages"]
    )


def test_partnership_copy_shows_the_total_without_the_label(client, cast, package_a):
    """A label says something about the person (a starter, 57+): not for the partnership."""
    from tasks.packages import package_review, package_submit

    own_hours(cast.appointment_a, "40", label="Oudere medewerker (57+)")
    cast.board_a.shares_with_partnership = True
    cast.board_a.save()
    version = Package.objects.get(pk=package_a.pk).lock_version
    package_submit(package=package_a, actor=cast.director_a, lock_version=version)
    version = Package.objects.get(pk=package_a.pk).lock_version
    package_review(package=package_a, actor=cast.ib_a, accept=True, lock_version=version)
    client.force_login(cast.partnership_staff)
    response = client.get(reverse("tasks:copy-detail", args=[package_a.pk]))
    assert response.status_code == 200
    assert "57+" not in response.text
    assert "own-hours-line" in response.text
