"""The import of staff and appointments from HR (schools/hr_import.py): reading both layouts,
the plan, commit, re-import, leavers, atomicity, and the pages (issue 15).

The cast: board A (11111) with School A1 (11AA00) and School A2 (11AB00), ib_a (0.8 fte at
A1), director_a (A1), admin_a; board B with ib_b.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook

from schools import hr_import
from schools.hr_import import read_hr_file
from schools.imports import (
    CREATE,
    REFUSED,
    SKIPPED,
    UNCHANGED,
    UPDATE,
    ImportFileError,
    batch_commit,
    batch_create,
    present,
)
from schools.models import (
    Appointment,
    HrRecord,
    ImportBatch,
    Membership,
    Role,
    SecurityEvent,
)

from . import factories as f

STAFF = ImportBatch.Kind.STAFF
AFAS_HEADER = "Medewerker;Naam;E-mailadres;BRIN;Vestiging;FTE;Functie;Begindatum;Einddatum"


def csv(*lines: str, sep: str = ";", bom: bool = False, encoding: str = "utf-8") -> bytes:
    text = "\n".join(line.replace(";", sep) for line in lines) + "\n"
    return (("\ufeff" if bom else "") + text).encode(encoding)


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def afas(*rows: str, **kwargs) -> bytes:
    return csv(AFAS_HEADER, *rows, **kwargs)


def upload(board, user, content: bytes, *, full: bool = True, name: str = "hr.csv"):
    return batch_create(
        board=board,
        user=user,
        kind=STAFF,
        filename=name,
        content=content,
        records=read_hr_file(content, full=full),
    )


def by_number(batch: ImportBatch) -> dict[str, dict]:
    return {action["code"]: action for action in batch.actions}


def reasons(action: dict) -> str:
    with translation.override("en"):
        return " ".join(present(action)["details"])


# -- reading ---------------------------------------------------------------------------------


def test_afas_csv_with_bom_and_semicolons():
    rows = read_hr_file(
        afas(
            "1001;Ilse de Wit;Ilse@Example.invalid;11AA;00;0,6;Intern begeleider;01-08-2026;",
            bom=True,
        ),
        full=True,
    )
    assert rows["layout"] == "afas"
    assert rows["columns"]["number"] == "Medewerker"
    record = rows["records"][0]
    assert record["row"] == 2
    assert (record["number"], record["first_name"], record["last_name"]) == (
        "1001",
        "Ilse",
        "de Wit",
    )
    assert record["email"] == "ilse@example.invalid"
    assert (record["brin"], record["location"], record["fte"]) == ("11AA", "00", "0.6000")
    assert (record["role"], record["start"], record["end"]) == ("ib", "2026-08-01", None)
    assert record["error"] is None


def test_youforce_xlsx_with_dates_and_numbers_as_excel_keeps_them():
    content = xlsx(
        [
            ["Personeelsnummer", "Roepnaam", "Tussenvoegsel", "Achternaam", "E-mailadres",
             "BRIN", "Omvang", "Functie", "Ingangsdatum", "Einddatum"],
            [2001, "Joris", "van", "Dijk", "joris@example.invalid", "11AB00", "80%",
             "IB'er", datetime.datetime(2026, 8, 1), None],
            [2002, "Sanne", "", "Ooievaart", "sanne@example.invalid", "11AA00", 1.0,
             "Directeur", datetime.date(2025, 8, 1), None],
        ]
    )  # fmt: skip
    rows = read_hr_file(content, full=False)
    assert rows["layout"] == "youforce"
    ib, director = rows["records"]
    assert (ib["number"], ib["first_name"], ib["last_name"]) == ("2001", "Joris", "van Dijk")
    assert (ib["brin"], ib["location"], ib["fte"], ib["start"]) == (
        "11AB",
        "00",
        "0.8000",
        "2026-08-01",
    )
    assert director["role"] == "director" and director["row"] == 3


@pytest.mark.parametrize(
    "header",
    [
        "Personeelsnummer,Naam,E-mail,Vestiging,FTE,Functie,Ingangsdatum,Einddatum",
        "persnr,Medewerker,Emailadres,BRIN,Omvang,Functie,Begindatum,Datum uit dienst",
    ],
)
def test_comma_separated_header_variants(header):
    content = csv(header, "7;Jan Smit;jan@example.invalid;11AA00;0.5000;ib-er;2026-08-01;", sep=",")
    rows = read_hr_file(content, full=True)
    assert rows["layout"] == "mixed"
    record = rows["records"][0]
    assert (record["number"], record["last_name"], record["brin"], record["fte"]) == (
        "7",
        "Smit",
        "11AA",
        "0.5000",
    )


def test_last_name_first_with_a_comma():
    content = afas("1;Vries, Jan de;jan@example.invalid;11AA;00;1;Directeur;;")
    record = read_hr_file(content, full=True)["records"][0]
    assert (record["first_name"], record["last_name"]) == ("Jan", "de Vries")


@pytest.mark.parametrize(
    ("function", "role"),
    [
        ("Intern begeleider", "ib"),
        ("IB'er", "ib"),
        ("IB-er bovenbouw", "ib"),
        ("IB-coördinator", "ib"),
        ("Directeur", "director"),
        ("Meerschoolse directeur", "director"),
        ("Schoolleider", "director"),
        ("Adjunct-directeur", None),
        ("Leerkracht", None),
        ("Onderwijsassistent", None),
    ],
)
def test_function_decides_the_role(function, role):
    assert hr_import.role_for(function) == role


def test_missing_columns_refuse_the_file_naming_them():
    with pytest.raises(ImportFileError) as error:
        read_hr_file(csv("Naam;E-mailadres", "Jan;jan@example.invalid"), full=True)
    assert "Personeelsnummer / Medewerker" in error.value.message
    assert "Functie" in error.value.message


def test_bad_rows_are_refused_with_their_reason(cast):
    batch = upload(
        cast.board_a,
        cast.admin_a,
        afas(
            ";Geen Nummer;g@example.invalid;11AA;00;0,5;IB'er;01-08-2026;",
            "2;Fout Mail;geen-adres;11AA;00;0,5;IB'er;01-08-2026;",
            "3;Te Veel;t@example.invalid;11AA;00;1,2;IB'er;01-08-2026;",
            "4;Rare Datum;r@example.invalid;11AA;00;0,5;IB'er;31-02-2026;",
            "5;Vreemde School;v@example.invalid;99ZZ;00;0,5;IB'er;01-08-2026;",
            "6;Andere Bestuur;ib_b@example.invalid;11AA;00;0,5;IB'er;01-08-2026;",
            "7;Zonder Begin;z@example.invalid;11AA;00;0,5;IB'er;;",
        ),
    )
    actions = {action["row"]: action for action in batch.actions}
    assert all(action["action"] == REFUSED for action in actions.values())
    assert "No personnel number" in reasons(actions[2])
    assert "Invalid e-mail address" in reasons(actions[3])
    assert "Invalid fte" in reasons(actions[4])
    assert "Invalid date" in reasons(actions[5])
    assert "Your board has no school" in reasons(actions[6])
    assert "outside your board" in reasons(actions[7])
    assert "No begin date" in reasons(actions[8])


# -- the plan and the commit -----------------------------------------------------------------


MIXED_FILE = (
    "1001;Ilse de Wit;ilse@example.invalid;11AB;00;0,6;Intern begeleider;01-08-2026;",
    "1002;Ib A;ib_a@example.invalid;11AA;00;0,8;IB'er;01-08-2025;",
    "1003;Karel Leraar;karel@example.invalid;11AA;00;1;Leerkracht;01-08-2020;",
    "1004;Dir A;director_a@example.invalid;11AB00;;;Directeur;01-08-2020;",
)


def test_preview_then_commit_creates_updates_and_skips(cast):
    batch = upload(cast.board_a, cast.admin_a, afas(*MIXED_FILE))
    actions = by_number(batch)
    assert actions["1001"]["action"] == CREATE
    assert "new account" in reasons(actions["1001"])
    assert actions["1002"]["action"] == UPDATE  # matched by e-mail: the number is new
    assert actions["1003"]["action"] == SKIPPED
    assert "Leerkracht" in reasons(actions["1003"])
    assert actions["1004"]["action"] == UPDATE
    assert "School A2" in reasons(actions["1004"]) and "School A1" in reasons(actions["1004"])
    assert not HrRecord.objects.exists()  # nothing changes before the commit

    counts = batch_commit(batch=batch)
    assert counts == {"create": 1, "update": 2, "unchanged": 0, "refused": 0, "skipped": 1}
    ilse = HrRecord.objects.get(board=cast.board_a, personnel_number="1001").user
    assert (ilse.username, ilse.first_name, ilse.last_name) == (
        "ilse@example.invalid",
        "Ilse",
        "de Wit",
    )
    assert not ilse.has_usable_password()
    appointment = Appointment.objects.get(ib=ilse)
    assert appointment.start_date == datetime.date(2026, 8, 1)
    assert appointment.salary_scale == "LB"  # the scale of the board's IB appointments (ib_a)
    assert [(s.school, s.fte) for s in appointment.shares.all()] == [
        (cast.school_a2, Decimal("0.6"))
    ]
    assert Membership.objects.filter(user=ilse, role=Role.IB, board=cast.board_a).exists()
    assert HrRecord.objects.get(personnel_number="1002").user == cast.ib_a
    assert Appointment.objects.filter(ib=cast.ib_a).count() == 1
    schools = Membership.objects.filter(user=cast.director_a, role=Role.DIRECTOR)
    assert [m.school for m in schools] == [cast.school_a2]


def test_reimport_updates_instead_of_duplicating(cast):
    batch_commit(batch=upload(cast.board_a, cast.admin_a, afas(*MIXED_FILE)))
    again = upload(cast.board_a, cast.admin_a, afas(*MIXED_FILE))
    assert {a["action"] for a in again.actions} == {UNCHANGED, SKIPPED}

    changed = (
        "1001;Ilse de Wit-Smit;ilse@example.invalid;11AB;00;0,4;Intern begeleider;01-08-2026;",
        "1001;Ilse de Wit-Smit;ilse@example.invalid;11AA;00;0,2;Intern begeleider;01-08-2026;",
        *MIXED_FILE[1:],
    )
    batch = upload(cast.board_a, cast.admin_a, afas(*changed))
    action = by_number(batch)["1001"]
    assert action["action"] == UPDATE and action["rows"] == [2, 3]
    assert "School A2 0,4" in reasons(action) and "de Wit-Smit" in reasons(action)
    batch_commit(batch=batch)
    ilse = HrRecord.objects.get(personnel_number="1001").user
    assert ilse.last_name == "de Wit-Smit"
    appointment = Appointment.objects.get(ib=ilse)  # still one appointment
    assert {s.school_id: s.fte for s in appointment.shares.all()} == {
        cast.school_a2.pk: Decimal("0.4"),
        cast.school_a1.pk: Decimal("0.2"),
    }
    assert HrRecord.objects.filter(board=cast.board_a).count() == 3


def test_absent_from_a_full_import_is_ended_not_deleted(cast):
    batch_commit(batch=upload(cast.board_a, cast.admin_a, afas(*MIXED_FILE)))
    ilse = HrRecord.objects.get(personnel_number="1001").user

    partial = upload(cast.board_a, cast.admin_a, afas(MIXED_FILE[1]), full=False)
    assert {a["action"] for a in partial.actions} == {UNCHANGED}

    full = upload(cast.board_a, cast.admin_a, afas(*MIXED_FILE[1:]))
    leaver = by_number(full)["1001"]
    assert leaver["action"] == UPDATE and "has left" in reasons(leaver)
    assert "blocked" in reasons(leaver)
    director = by_number(full)["1004"]
    assert director["action"] == UNCHANGED
    batch_commit(batch=full)
    today = timezone.localdate()
    ilse.refresh_from_db()
    assert not ilse.is_active  # blocked, never deleted
    appointment = Appointment.objects.get(ib=ilse)
    assert appointment.end_date == max(today, appointment.start_date + datetime.timedelta(1))
    assert HrRecord.objects.get(personnel_number="1001").ended_on == today
    # A later import ends nobody twice.
    again = upload(cast.board_a, cast.admin_a, afas(*MIXED_FILE[1:]))
    assert "1001" not in by_number(again)


def test_end_date_passed_ends_the_person(cast):
    batch_commit(batch=upload(cast.board_a, cast.admin_a, afas(*MIXED_FILE)))
    line = "1004;Dir A;director_a@example.invalid;11AB00;;;Directeur;01-08-2020;31-10-2026"
    batch = upload(cast.board_a, cast.admin_a, afas(*MIXED_FILE[:3], line))
    action = by_number(batch)["1004"]
    assert action["action"] == UPDATE and "31 Oct. 2026 has passed" in reasons(action)
    with translation.override("nl"):
        assert "31 okt 2026" in " ".join(present(action)["details"])  # "j N Y", as elsewhere
    batch_commit(batch=batch)
    assert not Membership.objects.filter(user=cast.director_a, role=Role.DIRECTOR).exists()
    assert HrRecord.objects.get(personnel_number="1004").ended_on == datetime.date(2026, 10, 31)
    cast.director_a.refresh_from_db()
    assert not cast.director_a.is_active


def test_commit_is_atomic(cast, monkeypatch):
    batch = upload(cast.board_a, cast.admin_a, afas(*MIXED_FILE))
    real = hr_import.apply_person
    calls = []

    def failing(board, data):
        calls.append(data["number"])
        if len(calls) == 2:
            raise hr_import.ValidationError("boom")
        real(board, data)

    monkeypatch.setattr(hr_import, "apply_person", failing)
    with pytest.raises(hr_import.ValidationError):
        batch_commit(batch=batch)
    assert len(calls) == 2
    assert not HrRecord.objects.exists()
    assert not Appointment.objects.filter(ib__username="ilse@example.invalid").exists()
    batch.refresh_from_db()
    assert batch.committed_at is None


def test_appointment_rules_refuse_the_whole_import(cast):
    """A person with 0.8 fte at board B gets 0.5 fte at board A: over 1 fte, nothing done."""
    other = f.AppointmentFactory(
        board=cast.board_b,
        ib=f.ib(cast.board_b, username="beide", email="beide@example.invalid"),
        shares=[(cast.school_b1, Decimal("0.8"))],
    )
    Membership.objects.create(user=other.ib, role=Role.IB, board=cast.board_a)
    batch = upload(
        cast.board_a,
        cast.admin_a,
        afas(
            "1001;Ilse de Wit;ilse@example.invalid;11AB;00;0,6;IB'er;01-08-2026;",
            "1009;Bei De;beide@example.invalid;11AA;00;0,5;IB'er;01-08-2026;",
        ),
    )
    with pytest.raises(hr_import.ValidationError):
        batch_commit(batch=batch)
    assert not HrRecord.objects.exists()


# -- the pages -------------------------------------------------------------------------------


def test_admin_uploads_previews_and_commits(client, cast):
    client.force_login(cast.admin_a)
    url = reverse("schools:hr-import-upload", args=[cast.board_a.pk])
    response = client.get(url)
    assert "Personeelsnummer" in response.content.decode()
    content = xlsx([AFAS_HEADER.split(";"), MIXED_FILE[0].split(";")])
    response = client.post(
        url, {"file": SimpleUploadedFile("afas.xlsx", content), "full": "on"}, follow=True
    )
    page = response.content.decode()
    assert "AFAS" in page and "Medewerker" in page
    batch = ImportBatch.objects.get(kind=STAFF)
    response = client.post(reverse("schools:import-commit", args=[cast.board_a.pk, batch.pk]))
    assert response["Location"] == reverse("schools:staff-list", args=[cast.board_a.pk])
    assert HrRecord.objects.filter(personnel_number="1001").exists()
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.IMPORT, user=cast.admin_a)


def test_upload_refuses_other_files_with_the_reason(client, cast):
    client.force_login(cast.admin_a)
    client.cookies["django_language"] = "en"
    url = reverse("schools:hr-import-upload", args=[cast.board_a.pk])
    response = client.post(url, {"file": SimpleUploadedFile("hr.pdf", b"%PDF-1.4")})
    assert response.status_code == 200
    assert "Excel" in response.context["form"].errors["file"][0]
    response = client.post(url, {"file": SimpleUploadedFile("hr.xlsx", b"PK\x03\x04rommel")})
    assert "cannot be read" in response.context["form"].errors["file"][0]


@pytest.mark.parametrize(
    ("user", "preview", "commit"),
    [
        ("admin_a", 200, 302),
        ("staff_a", 404, 404),  # board staff: HR files (names, addresses) are not theirs
        ("staff_b", 404, 404),
        ("director_a", 403, 403),
        ("ib_a", 403, 403),
        ("partnership_staff", 403, 403),
    ],
)
def test_hr_batches_are_for_the_board_administrator(client, cast, user, preview, commit):
    batch = upload(cast.board_a, cast.admin_a, afas(MIXED_FILE[0]))
    client.force_login(cast.user(user))
    args = [cast.board_a.pk, batch.pk]
    assert client.get(reverse("schools:import-preview", args=args)).status_code == preview
    assert client.post(reverse("schools:import-commit", args=args)).status_code == commit
    assert HrRecord.objects.exists() == (commit == 302)


def test_duo_upload_page_does_not_offer_the_staff_kind(client, cast):
    client.force_login(cast.admin_a)
    response = client.get(reverse("schools:import-upload", args=[cast.board_a.pk]))
    assert 'value="personeel"' not in response.content.decode()


def test_the_sample_file_imports_for_the_demo_board():
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "demo" / "hr-personeel-voorbeeld.csv"
    rows = read_hr_file(path.read_bytes(), full=False)
    assert rows["layout"] == "afas"
    assert all(record["error"] is None for record in rows["records"])


def test_full_export_is_not_ticked_by_default(client, cast):
    client.force_login(cast.admin_a)
    response = client.get(reverse("schools:hr-import-upload", args=[cast.board_a.pk]))
    assert response.context["form"]["full"].value() in (False, None)
    assert 'name="full" checked' not in response.content.decode()
    # Not ticked: nobody missing from the file is ended.
    batch_commit(batch=upload(cast.board_a, cast.admin_a, afas(*MIXED_FILE)))
    content = afas(MIXED_FILE[1])
    client.post(
        reverse("schools:hr-import-upload", args=[cast.board_a.pk]),
        {"file": SimpleUploadedFile("deel.csv", content)},
    )
    batch = ImportBatch.objects.filter(kind=STAFF, committed_at__isnull=True).get()
    assert not batch.rows["full"]
    assert {a["action"] for a in batch.actions} == {UNCHANGED}


def test_preview_of_a_full_export_names_everyone_it_ends(client, cast):
    batch_commit(batch=upload(cast.board_a, cast.admin_a, afas(*MIXED_FILE)))
    batch = upload(cast.board_a, cast.admin_a, afas(MIXED_FILE[1]), full=True)
    client.force_login(cast.admin_a)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("schools:import-preview", args=[cast.board_a.pk, batch.pk]))
    leavers = response.context["leavers"]
    assert [row["name"] for row in leavers] == ["Ilse de Wit", "Dir A"]
    page = response.content.decode()
    section = page.split('data-testid="leavers"')[1].split("</section>")[0]
    assert "Processing ends 2 people" in section
    assert "Ilse de Wit (1001)" in section and "Dir A (1004)" in section
    assert "has left" in section


def test_preview_with_nothing_to_change_offers_no_commit(client, cast):
    batch_commit(batch=upload(cast.board_a, cast.admin_a, afas(*MIXED_FILE)))
    batch = upload(cast.board_a, cast.admin_a, afas(*MIXED_FILE))
    client.force_login(cast.admin_a)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("schools:import-preview", args=[cast.board_a.pk, batch.pk]))
    body = page.content.decode()
    assert "There is nothing to change" in body
    assert reverse("schools:import-commit", args=[cast.board_a.pk, batch.pk]) not in body
    assert "<caption" not in body  # the tables are named by their section's heading


@pytest.mark.parametrize(
    ("name", "content", "dutch"),
    [
        ("hr.xlsx", bytes(range(256)) * 8, "is geen Excelwerkmap"),
        ("hr.xlsx", AFAS_HEADER.encode() + b"\n", "bevat tekst"),  # a CSV file renamed
        ("hr.xlsx", b"PK\x03\x04" + bytes(range(256)), "kan niet worden gelezen"),
        ("hr.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200), "oud Excelbestand"),
        ("hr.csv", bytes(range(256)) * 8, "Excelwerkmap (.xlsx) noch een CSV-bestand"),
    ],
)
def test_a_damaged_or_misnamed_file_is_refused_in_dutch_with_the_form_kept(
    client, cast, name, content, dutch
):
    client.force_login(cast.admin_a)
    url = reverse("schools:hr-import-upload", args=[cast.board_a.pk])
    response = client.post(url, {"file": SimpleUploadedFile(name, content), "full": "on"})
    assert response.status_code == 200
    assert dutch in response.context["form"].errors["file"][0]
    assert response.context["form"]["full"].value() is True  # the choice is kept
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("user", ["admin_a", "director_a", "ib_a", "partnership_staff"])
def test_another_boards_import_is_404_whatever_the_role(client, cast, user):
    other = upload(cast.board_b, cast.staff_b, afas(MIXED_FILE[0]))
    client.force_login(cast.user(user))
    for board in (cast.board_a, cast.board_b):
        args = [board.pk, other.pk] if board == cast.board_a else [board.pk, other.pk + 999]
        assert client.get(reverse("schools:import-preview", args=args)).status_code == 404
        assert client.post(reverse("schools:import-commit", args=args)).status_code == 404


def test_a_row_is_refused_with_every_reason_and_without_repeating_its_number(cast):
    batch = upload(
        cast.board_a,
        cast.admin_a,
        afas(
            "2;Alles Fout;geen-adres;11AA;00;1,2;IB'er;31-02-2026;",
            "5;Vreemde School;v@example.invalid;99ZZ;00;0,5;IB'er;01-08-2026;",
        ),
    )
    actions = {action["row"]: action for action in batch.actions}
    text = reasons(actions[2])
    for why in ("Invalid e-mail address", "Invalid date", "Invalid fte"):
        assert why in text
    assert len(actions[2]["reasons"]) == 3
    # The row's number is in its own column; the reason does not say it again.
    assert "Row 3" not in reasons(actions[3]) and "Your board has no school" in reasons(actions[3])


def test_a_new_ib_gets_the_boards_ib_scale_not_silently_the_first(cast):
    new_ib = "1001;Ilse de Wit;ilse@example.invalid;11AB;00;0,6;Intern begeleider;01-08-2026;"
    Appointment.objects.filter(board=cast.board_a).update(salary_scale="LC")
    action = by_number(upload(cast.board_a, cast.admin_a, afas(new_ib)))["1001"]
    assert action["apply"]["ib"]["scale"] == "LC"
    assert "LC, the scale of most of your board's IB appointments" in reasons(action)
    # A scale the board does not use is said, and the usual one used.
    header = AFAS_HEADER + ";Schaal"
    batch = upload(cast.board_a, cast.admin_a, csv(header, new_ib + ";L11"))
    action = by_number(batch)["1001"]
    assert action["apply"]["ib"]["scale"] == "LC" and "“L11” is not on" in reasons(action)
    # No IB appointments to go by (the board's first import): none, said, to fill in later.
    Appointment.objects.filter(board=cast.board_a).delete()
    batch = upload(cast.board_a, cast.admin_a, afas(new_ib))
    action = by_number(batch)["1001"]
    assert action["action"] == CREATE and "gets none until you fill it in" in reasons(action)
    batch_commit(batch=batch)
    assert Appointment.objects.get(ib__username="ilse@example.invalid").salary_scale == ""
    Appointment.objects.filter(board=cast.board_a).delete()
    batch = upload(cast.board_a, cast.admin_a, csv(header, new_ib + ";LD"))
    assert by_number(batch)["1001"]["apply"]["ib"]["scale"] == "LD"
