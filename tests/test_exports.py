"""Excel and CSV exports of the appointments overview, a school year's packages and the
catalogue (issue 15): content, Dutch CSV conventions, scoping, constant query counts, security
events."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from schools.models import SchoolYear, SecurityEvent

from . import factories as f


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = response.content
    assert content.startswith("\ufeff".encode())  # a BOM, for Excel
    text = content.decode("utf-8-sig")
    assert "\r\n" in text
    return [line.split(";") for line in text.strip("\r\n").split("\r\n")]


def xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


# ---------------------------------------------------------------------------------------------
# Appointments (schools)
# ---------------------------------------------------------------------------------------------


def test_appointments_csv_has_dutch_conventions(client, cast):
    client.force_login(cast.staff_a)
    rows = csv_rows(client.get(reverse("schools:appointment-export", args=["csv"])))
    header, *body = rows
    assert header[0] == "IB'er" and "Fte op deze school" in header
    (row,) = body
    name = cast.ib_a.get_full_name() or cast.ib_a.get_username()
    assert row[:5] == [name, "Bestuur A", "School A1", "11AA00", "0,80"]
    assert row[6] == "01-08-2025"  # dd-mm-jjjj
    assert SecurityEvent.objects.filter(
        user=cast.staff_a, kind=SecurityEvent.Kind.EXPORT, detail__startswith="aanstellingen-"
    ).exists()


def test_appointments_xlsx_and_scope(client, cast):
    """Board B's appointment is in the database but never in board A's export."""
    client.force_login(cast.staff_a)
    rows = xlsx_rows(client.get(reverse("schools:appointment-export", args=["xlsx"])))
    assert rows[0][0] == "IB'er"
    assert [row[2] for row in rows[1:]] == ["School A1"]
    assert rows[1][4] == Decimal("0.8") or rows[1][4] == 0.8


def test_ib_exports_only_their_own_appointments(client, cast):
    f.AppointmentFactory(board=cast.board_a, shares=[(cast.school_a2, "0.4")])
    client.force_login(cast.ib_a)
    body = csv_rows(client.get(reverse("schools:appointment-export", args=["csv"])))[1:]
    assert [row[2] for row in body] == ["School A1"]


def test_unknown_format_is_404(client, cast):
    client.force_login(cast.staff_a)
    assert client.get(reverse("schools:appointment-export", args=["pdf"])).status_code == 404


def test_appointments_export_takes_constant_queries(client, cast):
    client.force_login(cast.staff_a)
    url = reverse("schools:appointment-export", args=["csv"])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(8):
        school = f.SchoolFactory(board=cast.board_a, name=f"School extra {n}")
        f.AppointmentFactory(board=cast.board_a, shares=[(school, "0.5"), (cast.school_a2, "0.1")])
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(csv_rows(response)) == 1 + 1 + 16
    assert len(many) == len(one)


# ---------------------------------------------------------------------------------------------
# Packages of a school year (tasks)
# ---------------------------------------------------------------------------------------------


def package_url(fmt: str = "csv") -> str:
    return reverse("tasks:package-export", args=[fmt]) + f"?jaar={SchoolYear.current_start_year()}"


def test_packages_export_one_row_per_task(client, cast, package_a):
    client.force_login(cast.staff_a)
    header, *body = csv_rows(client.get(package_url()))
    assert header[:7] == [
        "School",
        "BRIN en vestiging",
        "IB'er",
        "Domein",
        "Taak",
        "IB-taak",
        "Uren",
    ]
    (row,) = body
    assert row[0] == "School A1" and row[4] == "Groepsbesprekingen voeren"
    assert row[6] == "40,0"
    assert row[7] == "Concept"
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT).count() == 1


def test_packages_xlsx(client, cast, package_a):
    client.force_login(cast.staff_a)
    rows = xlsx_rows(client.get(package_url("xlsx")))
    assert rows[1][4] == "Groepsbesprekingen voeren"


def test_packages_export_is_scoped(client, cast, package_a):
    """Board B's package exists but is not in board A's export, nor in the partnership's
    while board B does not share."""
    other = f.PackageFactory(
        share=cast.appointment_b.shares.get(),
        school_year=f.SchoolYearFactory(start_year=SchoolYear.current_start_year()),
    )
    f.PackageItemFactory(version=other.versions.get(), title="Taak van bestuur B")
    client.force_login(cast.staff_a)
    body = csv_rows(client.get(package_url()))[1:]
    assert [row[0] for row in body] == ["School A1"]
    client.force_login(cast.staff_b)
    body = csv_rows(client.get(package_url()))[1:]
    assert [row[4] for row in body] == ["Taak van bestuur B"]
    client.force_login(cast.partnership_staff)
    body = csv_rows(client.get(package_url()))[1:]
    assert "Taak van bestuur B" not in [row[4] for row in body]
    assert "Groepsbesprekingen voeren" not in [row[4] for row in body]


def test_packages_export_takes_constant_queries(client, cast, package_a):
    client.force_login(cast.staff_a)
    client.get(package_url())
    with CaptureQueriesContext(connection) as one:
        client.get(package_url())
    year = f.SchoolYearFactory(start_year=SchoolYear.current_start_year())
    for n in range(5):
        school = f.SchoolFactory(board=cast.board_a, name=f"School extra {n}")
        appointment = f.AppointmentFactory(board=cast.board_a, shares=[(school, "0.5")])
        package = f.PackageFactory(share=appointment.shares.get(), school_year=year)
        for _item in range(3):
            f.PackageItemFactory(version=package.versions.get())
    with CaptureQueriesContext(connection) as many:
        response = client.get(package_url())
    assert len(csv_rows(response)) == 1 + 1 + 15
    assert len(many) == len(one)


# ---------------------------------------------------------------------------------------------
# The catalogue (tasks)
# ---------------------------------------------------------------------------------------------


def test_catalogue_export_with_filters_and_scope(client, cast):
    f.CatalogueTaskFactory(board=cast.board_a, title="Oud", is_active=False)
    f.CatalogueTaskFactory(board=cast.board_b, title="Taak van B")
    client.force_login(cast.staff_a)
    url = reverse("tasks:catalogue-export", args=[cast.board_a.pk, "csv"])
    body = csv_rows(client.get(url))[1:]
    assert [row[1] for row in body] == ["Groepsbesprekingen voeren"]
    assert body[0][2] == "40,0"
    body = csv_rows(client.get(url, {"inactief": "on"}))[1:]
    assert sorted(row[1] for row in body) == ["Groepsbesprekingen voeren", "Oud"]
    rows = xlsx_rows(client.get(reverse("tasks:catalogue-export", args=[cast.board_a.pk, "xlsx"])))
    assert rows[0][1] == "Taak"
    client.force_login(cast.staff_b)
    assert client.get(url).status_code == 404


def test_catalogue_export_takes_constant_queries(client, cast):
    client.force_login(cast.staff_a)
    url = reverse("tasks:catalogue-export", args=[cast.board_a.pk, "csv"])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(10):
        f.CatalogueTaskFactory(board=cast.board_a, title=f"Taak {n}")
    with CaptureQueriesContext(connection) as many:
        assert len(csv_rows(client.get(url))) == 12
    assert len(many) == len(one)


@pytest.mark.parametrize(
    ("name", "args"),
    [("schools:appointment-list", []), ("tasks:package-overview", [])],
)
def test_pages_link_their_exports(client, cast, name, args):
    client.force_login(cast.staff_a)
    page = client.get(reverse(name, args=args))
    assert "export.xlsx" in page.text and "export.csv" in page.text


def test_catalogue_links_its_exports(client, cast):
    client.force_login(cast.staff_a)
    page = client.get(reverse("tasks:catalogue", args=[cast.board_a.pk]))
    assert "catalogus/export.xlsx" in page.text
