"""The import of DUO open data and a groups CSV: reading, preview, commit (schools/imports.py).

Board A is bevoegd gezag 11111 with schools 11AA00 (School A1, figures this year: 250 pupils,
10 groups) and 11AB00 (School A2); board B is 22222 with 22BA00.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse

from schools import imports
from schools.imports import (
    CREATE,
    REFUSED,
    SKIPPED,
    UNCHANGED,
    UPDATE,
    AlreadyCommitted,
    ImportFileError,
    batch_commit,
    batch_create,
    read_file,
)
from schools.models import ImportBatch, School, SchoolFigures

from . import factories as f

LOCATIONS = ImportBatch.Kind.LOCATIONS
PUPILS = ImportBatch.Kind.PUPILS
GROUPS = ImportBatch.Kind.GROUPS

LOCATIONS_HEADER = "BRIN NUMMER;VESTIGINGSNUMMER;VESTIGINGSNAAM;PLAATSNAAM;BEVOEGD GEZAG NUMMER"


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\n".join(lines) + "\n").encode(encoding)


def locations_file(*rows: str) -> bytes:
    return csv_bytes(LOCATIONS_HEADER, *rows)


def pupils_file(
    *rows: str, header: str = "BRIN_NUMMER;VESTIGINGSNUMMER;PEILJAAR;AANTAL_LEERLINGEN"
):
    return csv_bytes(header, *rows)


def groups_file(*rows: str) -> bytes:
    return csv_bytes("BRIN;VESTIGING;SCHOOLJAAR;GROEPEN", *rows)


def plan_for(board, kind: str, content: bytes) -> list[dict]:
    records = read_file(content, kind)
    return imports.plan(kind, records, imports.board_data(board, kind, records))


def by_code(actions: list[dict]) -> dict[str, dict]:
    return {action["code"]: action for action in actions}


def reason_keys(action: dict) -> list[str]:
    return [why["key"] for why in action["reasons"]]


def make_batch(cast, kind: str, content: bytes, name: str = "bestand.csv") -> ImportBatch:
    return batch_create(
        board=cast.board_a,
        user=cast.staff_a,
        kind=kind,
        filename=name,
        content=content,
        records=read_file(content, kind),
    )


def upload(client, board, kind: str, content: bytes, name: str = "bestand.csv"):
    url = reverse("schools:import-upload", args=[board.pk])
    return client.post(url, {"kind": kind, "file": SimpleUploadedFile(name, content, "text/csv")})


def commit(client, batch: ImportBatch):
    url = reverse("schools:import-commit", args=[batch.board_id, batch.pk])
    return client.post(url)


def file_error_codes(response) -> list[str]:
    return [error.code for error in response.context["form"].errors.as_data()["file"]]


@pytest.fixture
def staff_client(client, cast):
    client.force_login(cast.staff_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # assert on the English source texts
    return client


# ---------------------------------------------------------------------------------------------
# Reading: headers, codes, encodings, delimiters
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "brin_header",
    ["BRIN NUMMER", "BRIN_NUMMER", "brinnummer", "Brin-Nummer", "INSTELLINGSCODE", "\ufeffBRIN"],
)
def test_brin_header_variants_are_one_column(brin_header):
    content = csv_bytes(
        f"{brin_header};VESTIGINGSNUMMER;VESTIGINGSNAAM;PLAATSNAAM;BEVOEGD GEZAG NUMMER",
        "11ac;00;OBS Nieuw;Eindhoven;11111",
    )
    (record,) = read_file(content, LOCATIONS)
    assert (record["brin"], record["location"], record["error"]) == ("11AC", "00", None)


@pytest.mark.parametrize(
    ("location_header", "value", "location"),
    [
        ("VESTIGINGSNUMMER", "11AC00", "00"),
        ("VESTIGINGSNUMMER", "00", "00"),
        ("VESTIGINGSNUMMER", "0", "00"),  # Excel dropped the leading zero
        ("VESTIGINGSNUMMER", "1", "01"),
        ("VESTIGINGSCODE", "11AC01", "01"),  # DUO's newer files
        ("vestigings_code", "11ac01", "01"),
    ],
)
def test_location_code_variants(location_header, value, location):
    content = csv_bytes(
        f"INSTELLINGSCODE;{location_header};VESTIGINGSNAAM;PLAATSNAAM;BEVOEGD_GEZAG_NUMMER",
        f"11AC;{value};OBS Nieuw;Eindhoven;11111",
    )
    (record,) = read_file(content, LOCATIONS)
    assert record["code"] == f"11AC{location}"
    assert record["error"] is None


@pytest.mark.parametrize(
    ("brin", "location", "key"),
    [
        ("1AC", "00", "bad_brin"),
        ("11A1", "00", "bad_brin"),
        ("", "00", "no_brin"),
        ("11AC", "22BB00", "location_mismatch"),
        ("11AC", "123", "bad_location"),
        ("11AC", "", "no_location"),
    ],
)
def test_invalid_codes_are_refused_with_a_reason(brin, location, key):
    (record,) = read_file(locations_file(f"{brin};{location};OBS Nieuw;Eindhoven;11111"), LOCATIONS)
    assert record["error"]["key"] == key


def test_latin1_file_is_read():
    content = locations_file("11AC;00;OBS Nieuw;Liège;11111").decode().encode("latin-1")
    (record,) = read_file(content, LOCATIONS)
    assert record["place"] == "Liège"


def test_utf8_file_with_bom_is_read():
    content = "\ufeff".encode() + locations_file("11AC;00;OBS Nieuw;Liège;11111")
    (record,) = read_file(content, LOCATIONS)
    assert (record["brin"], record["place"]) == ("11AC", "Liège")


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_delimiter_is_sniffed(delimiter):
    header = LOCATIONS_HEADER.replace(";", delimiter)
    row = delimiter.join(["11AC", "00", '"OBS De Ster; locatie, Zuid"', "Eindhoven", "11111"])
    (record,) = read_file(csv_bytes(header, row), LOCATIONS)
    assert (record["name"], record["place"]) == ("OBS De Ster; locatie, Zuid", "Eindhoven")


def test_blank_lines_are_ignored_and_rows_keep_their_line_number():
    content = locations_file("", "11AC;00;OBS Nieuw;Eindhoven;11111", ";;;;", "11AD;00;B;C;11111")
    assert [record["row"] for record in read_file(content, LOCATIONS)] == [3, 5]


@pytest.mark.parametrize(
    ("value", "start_year"),
    [("2026", 2026), ("2026-10-01", 2026), ("01-10-2026", 2026), ("20261001", 2026)],
)
def test_peiljaar_and_peildatum_give_the_school_year(value, start_year):
    column = "PEILJAAR" if len(value) == 4 else "PEILDATUM"
    header = f"BRIN;VESTIGING;{column};AANTAL_LEERLINGEN"
    (record,) = read_file(pupils_file(f"11AA;00;{value};120", header=header), PUPILS)
    assert (record["year"], record["pupils"]) == (start_year, 120)


@pytest.mark.parametrize(
    ("value", "start_year"),
    [
        ("2026-2027", 2026),
        ("2026/2027", 2026),
        ("2026 - 2027", 2026),
        ("2026-27", 2026),
        ("2026", 2026),
    ],
)
def test_school_year_formats_of_the_groups_file(value, start_year):
    (record,) = read_file(groups_file(f"11AA;00;{value};12"), GROUPS)
    assert (record["year"], record["groups"]) == (start_year, 12)


@pytest.mark.parametrize("value", ["2026-2028", "26-27", "volgend jaar", "1999"])
def test_invalid_school_year_is_refused(value):
    (record,) = read_file(groups_file(f"11AA;00;{value};12"), GROUPS)
    assert record["error"]["key"] == "bad_school_year"


# ---------------------------------------------------------------------------------------------
# Files refused as a whole
# ---------------------------------------------------------------------------------------------

BROKEN_FILES = {
    "empty": (b"", "bestand.csv"),
    "only_whitespace": (b"  \r\n \n", "bestand.csv"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "plaatje.csv"),
    "xlsx": (b"PK\x03\x04\x14\x00\x06\x00rest of a zip", "vestigingen.csv"),
    "garbage": (bytes(range(128, 256)) * 4 + b"\x01\x02\x03", "bestand.csv"),
    "header_only": (LOCATIONS_HEADER.encode(), "bestand.csv"),
    "missing_columns": (b"BRIN;NAAM\n11AC;OBS Nieuw\n", "bestand.csv"),
    "wrong_type": (locations_file("11AC;00;OBS Nieuw;Eindhoven;11111"), "vestigingen.xlsx"),
}


@pytest.mark.parametrize("which", BROKEN_FILES)
def test_broken_file_gets_a_clear_message_and_changes_nothing(staff_client, cast, db_state, which):
    content, name = BROKEN_FILES[which]
    before = db_state()
    response = upload(staff_client, cast.board_a, LOCATIONS, content, name=name)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors and all(len(message) > 15 for message in errors)
    assert db_state() == before


def test_broken_files_have_their_own_reason(staff_client, cast):
    codes = {
        which: file_error_codes(upload(staff_client, cast.board_a, LOCATIONS, content, name=name))[
            0
        ]
        for which, (content, name) in BROKEN_FILES.items()
    }
    assert codes == {
        "empty": "empty",  # Django's own check on an empty upload
        "only_whitespace": "empty",
        "binary": "binary",
        "xlsx": "spreadsheet",
        "garbage": "binary",
        "header_only": "no_rows",
        "missing_columns": "missing_columns",
        "wrong_type": "wrong_type",
    }


def test_missing_columns_are_named(staff_client, cast):
    response = upload(staff_client, cast.board_a, PUPILS, b"BRIN;NAAM\n11AA;School\n")
    (message,) = response.context["form"].errors["file"]
    assert "VESTIGINGSNUMMER / VESTIGINGSCODE" in message
    assert "AANTAL_LEERLINGEN" in message
    assert "PEILJAAR / PEILDATUM" in message
    assert "BRIN NUMMER" not in message  # that one is there
    assert "BRIN, NAAM" in message  # what the file does have


def test_too_large_file_is_refused(staff_client, cast, db_state):
    before = db_state()
    content = locations_file("11AC;00;OBS Nieuw;Eindhoven;11111") + b" " * imports.MAX_BYTES
    response = upload(staff_client, cast.board_a, LOCATIONS, content)
    assert file_error_codes(response) == ["too_large"]
    assert f"{imports.MAX_BYTES // (1024 * 1024)} MB" in response.context["form"].errors["file"][0]
    assert db_state() == before


def test_too_many_rows_are_refused():
    rows = [f"11AC;00;OBS {n};Eindhoven;11111" for n in range(imports.MAX_ROWS + 1)]
    with pytest.raises(ImportFileError) as refused:
        read_file(locations_file(*rows), LOCATIONS)
    assert refused.value.code == "too_many_rows"


def test_exactly_the_maximum_of_rows_is_read():
    rows = [f"11AC;00;OBS {n};Eindhoven;11111" for n in range(imports.MAX_ROWS)]
    assert len(read_file(locations_file(*rows), LOCATIONS)) == imports.MAX_ROWS


def test_unreadable_csv_is_refused():
    # A quoted field that never ends runs past the csv module's field size limit.
    content = locations_file('11AC;00;"OBS' + "x" * 200_000 + ";Eindhoven;11111")
    with pytest.raises(ImportFileError) as refused:
        read_file(content, LOCATIONS)
    assert refused.value.code == "unreadable"


# ---------------------------------------------------------------------------------------------
# The plan: locations
# ---------------------------------------------------------------------------------------------


def test_locations_plan_creates_updates_and_leaves_unchanged(cast):
    cast.school_a1.place = "Veldhoven"
    cast.school_a1.save()
    actions = by_code(
        plan_for(
            cast.board_a,
            LOCATIONS,
            locations_file(
                "11AA;00;SCHOOL A1;VELDHOVEN;11111",  # capitals only: unchanged
                "11AB;00;School A2 hernoemd;Teststad;11111",
                "11AC;00;OBS Nieuw;Eindhoven;11111",
            ),
        )
    )
    assert actions["11AA00"]["action"] == UNCHANGED
    assert actions["11AB00"]["action"] == UPDATE
    assert actions["11AB00"]["changes"] == [
        {"field": "name", "old": "School A2", "new": "School A2 hernoemd"}
    ]
    assert actions["11AC00"]["action"] == CREATE
    assert actions["11AC00"]["apply"] == {
        "brin": "11AC",
        "location_code": "00",
        "name": "OBS Nieuw",
        "place": "Eindhoven",
    }


def test_rows_of_another_board_are_skipped(cast):
    (action,) = plan_for(cast.board_a, LOCATIONS, locations_file("22BB;00;OBS Elders;Ede;22222"))
    assert action["action"] == SKIPPED
    assert action["reasons"] == [{"key": "other_board", "params": {"number": "22222"}}]


def test_other_board_row_is_skipped_even_when_it_is_invalid(cast):
    (action,) = plan_for(cast.board_a, LOCATIONS, locations_file("XX;00;;Ede;22222"))
    assert action["action"] == SKIPPED


def test_board_number_without_leading_zero_still_matches(cast):
    cast.board_a.number = "01111"
    cast.board_a.save()
    (action,) = plan_for(cast.board_a, LOCATIONS, locations_file("11AC;00;OBS Nieuw;Ede;1111"))
    assert action["action"] == CREATE


def test_invalid_brin_of_own_board_is_refused(cast):
    (action,) = plan_for(cast.board_a, LOCATIONS, locations_file("1ACC;00;OBS;Ede;11111"))
    assert (action["action"], reason_keys(action)) == (REFUSED, ["bad_brin"])


def test_code_of_a_school_at_another_board_is_refused(cast):
    (action,) = plan_for(cast.board_a, LOCATIONS, locations_file("22BA;00;Overgenomen;Ede;11111"))
    assert (action["action"], reason_keys(action)) == (REFUSED, ["taken"])


def test_school_without_location_code_blocks_a_second_school(cast):
    cast.school_a2.location_code = ""
    cast.school_a2.save()
    (action,) = plan_for(cast.board_a, LOCATIONS, locations_file("11AB;00;School A2;Ede;11111"))
    assert (action["action"], reason_keys(action)) == (REFUSED, ["blank_location"])


def test_same_location_twice_identical_counts_once(cast):
    row = "11AC;00;OBS Nieuw;Eindhoven;11111"
    (action,) = plan_for(cast.board_a, LOCATIONS, locations_file(row, row))
    assert (action["action"], action["rows"], reason_keys(action)) == (
        CREATE,
        [2, 3],
        ["duplicate"],
    )


def test_same_location_twice_different_is_refused(cast):
    actions = plan_for(
        cast.board_a,
        LOCATIONS,
        locations_file("11AC;00;OBS Nieuw;Eindhoven;11111", "11AC;0;OBS Anders;Eindhoven;11111"),
    )
    (action,) = actions
    assert (action["action"], reason_keys(action)) == (REFUSED, ["conflict"])


def test_locations_file_without_place_keeps_the_place(cast):
    content = csv_bytes(
        "BRIN NUMMER;VESTIGINGSNUMMER;VESTIGINGSNAAM;BEVOEGD GEZAG NUMMER",
        "11AA;00;Nieuwe naam;11111",
    )
    (action,) = plan_for(cast.board_a, LOCATIONS, content)
    assert action["apply"] == {"school": cast.school_a1.pk, "name": "Nieuwe naam"}


# ---------------------------------------------------------------------------------------------
# The plan: pupils and groups
# ---------------------------------------------------------------------------------------------


def test_several_rows_of_a_location_are_summed(cast):
    content = pupils_file("11AA;00;2030;40", "11AA;00;2030;35", "11AA;00;2030;25", "11AB;0;2030;80")
    actions = by_code(plan_for(cast.board_a, PUPILS, content))
    a1 = actions["11AA00"]
    assert (a1["action"], a1["rows"], a1["apply"]["pupils"]) == (CREATE, [2, 3, 4], 100)
    assert a1["reasons"][0] == {"key": "summed", "params": {"count": 3, "rows": "2, 3, 4"}}
    assert "groups_unknown" in reason_keys(a1)
    assert actions["11AB00"]["apply"] == {
        "school": cast.school_a2.pk,
        "start_year": 2030,
        "pupils": 80,
    }


def test_masked_count_refuses_the_location_and_year(cast):
    content = pupils_file("11AA;00;2030;40", "11AA;00;2030;<5", "11AB;00;2030;<5")
    actions = by_code(plan_for(cast.board_a, PUPILS, content))
    assert actions["11AA00"]["action"] == REFUSED
    assert actions["11AA00"]["reasons"][0] == {
        "key": "masked",
        "params": {"value": "<5"},
        "row": 3,
    }
    assert reason_keys(actions["11AA00"]) == ["masked", "total_unknown"]
    assert (actions["11AB00"]["action"], reason_keys(actions["11AB00"])) == (REFUSED, ["masked"])


def test_pupils_of_unknown_schools_are_skipped_without_board_column(cast):
    content = pupils_file("99ZZ;00;2030;40", "22BA;00;2030;300")
    actions = plan_for(cast.board_a, PUPILS, content)
    assert [(a["action"], reason_keys(a)) for a in actions] == [(SKIPPED, ["not_board"])] * 2


def test_pupils_with_board_column(cast):
    header = "INSTELLINGSCODE;VESTIGINGSCODE;BEVOEGD GEZAG NUMMER;PEILJAAR;AANTAL_LEERLINGEN"
    content = pupils_file(
        "22BA;22BA00;22222;2030;300",
        "11AC;11AC00;11111;2030;50",
        "11AA;11AA00;11111;2030;9",
        header=header,
    )
    actions = by_code(plan_for(cast.board_a, PUPILS, content))
    assert (actions["22BA00"]["action"], reason_keys(actions["22BA00"])) == (
        SKIPPED,
        ["other_board"],
    )
    assert (actions["11AC00"]["action"], reason_keys(actions["11AC00"])) == (
        REFUSED,
        ["unknown_school"],
    )
    assert actions["11AA00"]["action"] == CREATE


def test_pupils_update_existing_figures(cast):
    year = cast.figures_a1.school_year.start_year
    actions = by_code(
        plan_for(cast.board_a, PUPILS, pupils_file(f"11AA;00;{year};250", f"11AB;00;{year};90"))
    )
    assert actions["11AA00"]["action"] == UNCHANGED
    assert actions["11AB00"]["action"] == CREATE
    cast.figures_a1.pupils = 240
    cast.figures_a1.save()
    (action,) = plan_for(cast.board_a, PUPILS, pupils_file(f"11AA;00;{year};250"))
    assert action["changes"] == [{"field": "pupils", "old": 240, "new": 250}]


@pytest.mark.parametrize(("value", "key"), [("veel", "bad_number"), ("5001", "too_many_pupils")])
def test_bad_pupil_numbers_are_refused(cast, value, key):
    (action,) = plan_for(cast.board_a, PUPILS, pupils_file(f"11AA;00;2030;{value}"))
    assert (action["action"], reason_keys(action)) == (REFUSED, [key])


def test_groups_update_existing_figures_only(cast):
    year = cast.figures_a1.school_year.start_year
    content = groups_file(f"11AA;00;{year}-{year + 1};12", f"11AB;00;{year};8", f"99ZZ;00;{year};3")
    actions = by_code(plan_for(cast.board_a, GROUPS, content))
    assert actions["11AA00"]["changes"] == [{"field": "groups", "old": 10, "new": 12}]
    assert (actions["11AB00"]["action"], reason_keys(actions["11AB00"])) == (
        REFUSED,
        ["no_figures"],
    )
    assert (actions["99ZZ00"]["action"], reason_keys(actions["99ZZ00"])) == (
        REFUSED,
        ["unknown_school"],
    )


def test_groups_without_location_need_a_single_location(cast):
    year = cast.figures_a1.school_year.start_year
    content = csv_bytes("BRIN;SCHOOLJAAR;GROEPEN", f"11AA;{year};10")
    (action,) = plan_for(cast.board_a, GROUPS, content)
    assert action["action"] == UNCHANGED
    f.SchoolFactory(board=cast.board_a, brin="11AA", location_code="01")
    (action,) = plan_for(cast.board_a, GROUPS, content)
    assert (action["action"], reason_keys(action)) == (REFUSED, ["ambiguous_brin"])


# ---------------------------------------------------------------------------------------------
# Preview and commit through the pages
# ---------------------------------------------------------------------------------------------


def test_upload_shows_the_preview_and_changes_nothing_yet(staff_client, cast):
    content = locations_file(
        "11AB;00;School A2 hernoemd;Teststad;11111",
        "11AC;00;OBS Nieuw;Eindhoven;11111",
        "22BB;00;OBS Elders;Utrecht;22222",
        "1ACC;00;Fout;Ede;11111",
    )
    response = upload(staff_client, cast.board_a, LOCATIONS, content, name="vestigingen.csv")
    batch = ImportBatch.objects.get(board=cast.board_a)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "schools:import-preview", args=[cast.board_a.pk, batch.pk]
    )
    assert not School.objects.filter(brin="11AC").exists()
    assert batch.user == cast.staff_a and batch.committed_at is None
    assert len(batch.sha256) == 64
    page = staff_client.get(response["Location"])
    assert page.context["counts"] == {
        "create": 1,
        "update": 1,
        "unchanged": 0,
        "refused": 1,
        "skipped": 1,
    }
    html = page.text
    assert "School A2 hernoemd" in html and "OBS Nieuw" in html
    assert "Belongs to another board (22222)." in html
    assert "Invalid BRIN number “1ACC”" in html
    assert "name: School A2 → School A2 hernoemd" in html


def test_commit_applies_everything_and_marks_the_batch(staff_client, cast):
    content = locations_file(
        "11AB;00;School A2 hernoemd;Teststad;11111", "11AC;00;OBS Nieuw;Liège;11111"
    )
    batch = make_batch(cast, LOCATIONS, content.decode().encode("latin-1"))
    response = commit(staff_client, batch)
    assert response.status_code == 302
    assert response["Location"] == reverse("schools:school-list")
    new = School.objects.get(brin="11AC", location_code="00")
    assert (new.board, new.name, new.place) == (cast.board_a, "OBS Nieuw", "Liège")
    cast.school_a2.refresh_from_db()
    assert cast.school_a2.name == "School A2 hernoemd"
    batch.refresh_from_db()
    assert batch.committed_at is not None
    page = staff_client.get(response["Location"])
    assert "1 new, 1 updated, 0 unchanged, 0 refused, 0 skipped" in page.text


def test_reimporting_the_same_file_changes_nothing(staff_client, cast, db_state):
    content = locations_file("11AC;00;OBS Nieuw;Eindhoven;11111", "11AA;00;School A1;Ede;11111")
    commit(staff_client, make_batch(cast, LOCATIONS, content))
    before = db_state()
    response = upload(staff_client, cast.board_a, LOCATIONS, content)
    second = ImportBatch.objects.filter(board=cast.board_a).first()
    assert {action["action"] for action in second.actions} == {UNCHANGED}
    page = staff_client.get(response["Location"])
    assert page.context["earlier"] is not None
    assert page.context["to_apply"] == 0
    commit(staff_client, second)
    after = db_state()
    del after["schools.ImportBatch"], before["schools.ImportBatch"]
    assert after == before


def test_pupils_then_groups(staff_client, cast):
    commit(
        staff_client, make_batch(cast, PUPILS, pupils_file("11AB;00;2030;70", "11AB;00;2030;30"))
    )
    figures = SchoolFigures.objects.get(school=cast.school_a2, school_year__start_year=2030)
    assert (figures.pupils, figures.groups) == (100, None)
    # The schools page (where the import leads) and the school page show the unknown groups.
    schools_page = staff_client.get(reverse("schools:school-list"), {"jaar": 2030})
    assert "Number of groups unknown" in schools_page.text
    assert (
        staff_client.get(reverse("schools:school-detail", args=[cast.school_a2.pk])).status_code
        == 200
    )
    response = commit(staff_client, make_batch(cast, GROUPS, groups_file("11AB;00;2030-2031;5")))
    assert response["Location"].endswith("?jaar=2030")
    figures.refresh_from_db()
    assert (figures.pupils, figures.groups) == (100, 5)


def test_pupils_import_keeps_the_groups(staff_client, cast):
    year = cast.figures_a1.school_year.start_year
    commit(staff_client, make_batch(cast, PUPILS, pupils_file(f"11AA;00;{year};262")))
    cast.figures_a1.refresh_from_db()
    assert (cast.figures_a1.pupils, cast.figures_a1.groups) == (262, 10)


def test_commit_is_all_or_nothing(staff_client, cast, db_state, monkeypatch):
    """The second of three changes fails: the first is rolled back, the batch stays pending."""
    batch = make_batch(
        cast,
        LOCATIONS,
        locations_file(
            "11AC;00;OBS Een;Eindhoven;11111",
            "11AD;00;OBS Twee;Eindhoven;11111",
            "11AE;00;OBS Drie;Eindhoven;11111",
        ),
    )
    real_apply, calls = imports.apply_action, []

    def failing_apply(board, kind, action):
        calls.append(action["code"])
        if len(calls) == 2:
            raise IntegrityError("disk full")
        real_apply(board, kind, action)

    monkeypatch.setattr(imports, "apply_action", failing_apply)
    before = db_state()
    response = commit(staff_client, batch)
    assert calls == ["11AC00", "11AD00"]
    assert db_state() == before
    assert not School.objects.filter(brin="11AC").exists()
    page = staff_client.get(response["Location"])
    assert "nothing has been changed" in page.text
    monkeypatch.setattr(imports, "apply_action", real_apply)
    commit(staff_client, batch)
    assert School.objects.filter(brin__in=["11AC", "11AD", "11AE"]).count() == 3


def test_unexpected_error_mid_commit_rolls_back(cast, db_state, monkeypatch):
    batch = make_batch(
        cast,
        PUPILS,
        pupils_file("11AA;00;2030;100", "11AB;00;2030;90"),
    )
    real_apply = imports.apply_action

    def apply_then_crash(board, kind, action):
        real_apply(board, kind, action)
        raise RuntimeError("process killed")

    monkeypatch.setattr(imports, "apply_action", apply_then_crash)
    before = db_state()
    with pytest.raises(RuntimeError):
        batch_commit(batch=batch)
    assert db_state() == before


def test_model_validation_at_commit_rolls_back(staff_client, cast, db_state, monkeypatch):
    """The models' own rules are the last line: a clash the plan did not see stops it all."""
    content = locations_file("11AC;00;OBS Een;Eindhoven;11111", "11AD;00;OBS Twee;Ede;11111")
    batch = make_batch(cast, LOCATIONS, content)
    seen_at_preview = imports.board_data(cast.board_a, LOCATIONS, batch.rows)
    # Another board takes 11AD00 between the commit's plan and its writes.
    f.SchoolFactory(board=cast.board_b, brin="11AD", location_code="00")
    monkeypatch.setattr(imports, "board_data", lambda *args: seen_at_preview)
    before = db_state()
    response = commit(staff_client, batch)
    assert db_state() == before
    assert not School.objects.filter(brin="11AC").exists()
    page = staff_client.get(response["Location"])
    assert "nothing has been changed" in page.text
    assert "A school with this BRIN and location code exists." in page.text


def test_code_taken_after_the_preview_makes_the_preview_stale(staff_client, cast):
    content = locations_file("11AC;00;OBS Een;Eindhoven;11111", "11AD;00;OBS Twee;Ede;11111")
    batch = make_batch(cast, LOCATIONS, content)
    f.SchoolFactory(board=cast.board_b, brin="11AD", location_code="00")
    response = commit(staff_client, batch)
    assert not School.objects.filter(brin="11AC").exists()
    batch.refresh_from_db()
    assert batch.committed_at is None
    assert by_code(batch.actions)["11AD00"]["action"] == REFUSED
    page = staff_client.get(response["Location"])
    assert "changed after this preview" in page.text


def test_stale_preview_applies_nothing_and_shows_the_new_plan(staff_client, cast):
    batch = make_batch(cast, LOCATIONS, locations_file("11AA;00;School A1 nieuw;Teststad;11111"))
    cast.school_a1.name = "School A1 nieuw"
    cast.school_a1.save()
    commit(staff_client, batch)
    batch.refresh_from_db()
    assert batch.committed_at is None
    assert [action["action"] for action in batch.actions] == [UNCHANGED]


def test_committing_twice_is_refused(staff_client, cast, db_state):
    batch = make_batch(cast, LOCATIONS, locations_file("11AC;00;OBS Nieuw;Eindhoven;11111"))
    commit(staff_client, batch)
    before = db_state()
    response = commit(staff_client, batch)
    assert response.status_code == 302
    assert db_state() == before
    page = staff_client.get(response["Location"])
    assert "This import has already been processed." in page.text
    with pytest.raises(AlreadyCommitted):
        batch_commit(batch=batch)


def test_committed_preview_has_no_process_button(staff_client, cast):
    batch = make_batch(cast, LOCATIONS, locations_file("11AC;00;OBS Nieuw;Eindhoven;11111"))
    url = reverse("schools:import-preview", args=[cast.board_a.pk, batch.pk])
    commit_url = reverse("schools:import-commit", args=[cast.board_a.pk, batch.pk])
    assert commit_url in staff_client.get(url).text
    commit(staff_client, batch)
    assert commit_url not in staff_client.get(url).text


# ---------------------------------------------------------------------------------------------
# Who sees imports
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def batch_b(cast) -> ImportBatch:
    content = locations_file("22BC;00;OBS B nieuw;Ede;22222")
    return batch_create(
        board=cast.board_b,
        user=cast.staff_b,
        kind=LOCATIONS,
        filename="b.csv",
        content=content,
        records=read_file(content, LOCATIONS),
    )


def test_batch_of_another_board_is_404(client, cast, batch_b, db_state):
    client.force_login(cast.staff_a)
    # Board B's batch under board A's address, and under board B's (not in staff_a's scope).
    for board in (cast.board_a, cast.board_b):
        preview = reverse("schools:import-preview", args=[board.pk, batch_b.pk])
        assert client.get(preview).status_code == 404
        before = db_state()
        assert (
            client.post(reverse("schools:import-commit", args=[board.pk, batch_b.pk])).status_code
            == 404
        )
        assert db_state() == before


def test_other_staff_of_the_same_board_see_the_batch(client, cast):
    batch = make_batch(cast, LOCATIONS, locations_file("11AC;00;OBS Nieuw;Eindhoven;11111"))
    client.force_login(cast.admin_a)
    assert (
        client.get(reverse("schools:import-preview", args=[cast.board_a.pk, batch.pk])).status_code
        == 200
    )


def test_upload_page_lists_only_own_board_batches(staff_client, cast, batch_b):
    own = make_batch(cast, LOCATIONS, locations_file("11AC;00;OBS Nieuw;Eindhoven;11111"))
    response = staff_client.get(reverse("schools:import-upload", args=[cast.board_a.pk]))
    assert list(response.context["recent"]) == [own]


def test_board_overview_links_to_the_import(staff_client, cast):
    response = staff_client.get(reverse("schools:board-detail", args=[cast.board_a.pk]))
    assert reverse("schools:import-upload", args=[cast.board_a.pk]) in response.text


def test_board_admin_sees_only_own_batches_in_the_admin(client, cast, batch_b):
    own = make_batch(cast, LOCATIONS, locations_file("11AC;00;OBS Nieuw;Eindhoven;11111"))
    client.force_login(cast.admin_a)
    response = client.get(reverse("admin:schools_importbatch_changelist"))
    assert set(response.context["cl"].queryset) == {own}
    change = reverse("admin:schools_importbatch_change", args=[own.pk])
    assert client.get(change).status_code == 200
    assert (
        client.get(reverse("admin:schools_importbatch_change", args=[batch_b.pk])).status_code
        == 302
    )


@pytest.mark.parametrize(
    ("name", "content", "code", "dutch"),
    [
        ("leerlingen.xlsx", b"PK\x03\x04" + bytes(100), "wrong_type", "Alleen CSV-bestanden"),
        ("leerlingen.csv", b"PK\x03\x04" + bytes(100), "spreadsheet", "geen CSV-bestand"),
        ("leerlingen.csv", bytes(range(256)) * 4, "binary", "geen tekstbestand"),
    ],
)
def test_excel_or_damaged_files_are_refused_in_dutch_with_the_kind_kept(
    staff_client, cast, db_state, name, content, code, dutch
):
    before = db_state()
    staff_client.cookies["django_language"] = "nl"
    url = reverse("schools:import-upload", args=[cast.board_a.pk])
    response = staff_client.post(url, {"kind": PUPILS, "file": SimpleUploadedFile(name, content)})
    assert file_error_codes(response) == [code]
    assert dutch in response.context["form"].errors["file"][0]
    assert response.context["form"]["kind"].value() == PUPILS
    assert db_state() == before
