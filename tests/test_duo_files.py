"""DUO's files as boards download them (issue 15): every layout recognised, the year from the
columns or the file name, national files streamed with only the board's schools kept.

The files in tests/duo_files/ mirror DUO's layouts (headers, separators, encodings) with the
codes of the test cast: board A is 11111 with 11AA00 and 11AB00, board B 22222 with 22BA00.
"""

from __future__ import annotations

import io
import random
import tracemalloc
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schools import imports
from schools.imports import (
    CREATE,
    REFUSED,
    SKIPPED,
    ImportFileError,
    batch_commit,
    batch_create,
    read_upload,
)
from schools.models import ImportBatch, SchoolFigures

FILES = Path(__file__).parent / "duo_files"
LOCATIONS = ImportBatch.Kind.LOCATIONS
PUPILS = ImportBatch.Kind.PUPILS

CLUSTER_FILE = "01.-leerlingen-po-soort-po,-cluster,-leeftijd-2023-2024.csv"
OVERVIEW_FILE = "02.-leerlingen-po-totaaloverzicht-2022.csv"
AGES_FILE = "leerlingen-bo-naar-leeftijd-2014-2015.csv"
WEIGHTS_FILE = "01.-leerlingen-bo-naar-leerlinggewicht-2013.csv"
ADDRESSES_FILE = "adressen-alle-vestigingen-bo.csv"


def read(name: str, kind: str, board) -> imports.Reading:
    with (FILES / name).open("rb") as stream:
        return read_upload(stream, kind, filename=name, board=board)


def plan(reading: imports.Reading, board, kind: str) -> dict[str, dict]:
    records = reading.records
    actions = imports.plan(kind, records, imports.board_data(board, kind, records))
    return {action["code"]: action for action in actions}


def upload(client, board, kind: str, content: bytes, name: str):
    url = reverse("schools:import-upload", args=[board.pk])
    return client.post(url, {"kind": kind, "file": SimpleUploadedFile(name, content, "text/csv")})


@pytest.fixture
def nl_client(client, cast):
    client.force_login(cast.staff_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    return client


# ---------------------------------------------------------------------------------------------
# Each layout
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "layout", "years", "source", "pupils"),
    [
        (
            CLUSTER_FILE,
            "pupils_total",
            ["2023-2024"],
            {"key": "columns", "params": {"column": "PEILDATUM_LEERLINGEN"}},
            {"11AA00": 215, "11AB00": 80},
        ),
        (
            OVERVIEW_FILE,
            "pupils_total",
            ["2022-2023"],
            {"key": "name", "params": {"found": "2022"}},
            {"11AA00": 231, "11AB00": 84},
        ),
        (
            AGES_FILE,
            "pupils_ages",
            ["2014-2015"],
            {"key": "name", "params": {"found": "2014-2015"}},
            {"11AA00": 194},
        ),
        (
            WEIGHTS_FILE,
            "pupils_weights",
            ["2013-2014"],
            {"key": "name", "params": {"found": "2013"}},
            {"11AA00": 200},
        ),
    ],
)
def test_pupil_layouts_are_recognised(cast, name, layout, years, source, pupils):
    reading = read(name, PUPILS, cast.board_a)
    assert reading.summary["layout"] == layout
    assert reading.summary["years"] == years
    assert reading.summary["year_source"] == source
    actions = plan(reading, cast.board_a, PUPILS)
    created = {code: a["apply"]["pupils"] for code, a in actions.items() if a["action"] == CREATE}
    assert created == pupils
    start = int(years[0][:4])
    assert {a["apply"]["start_year"] for a in actions.values() if a["action"] == CREATE} == {start}


def test_rows_of_other_boards_are_skipped_and_counted(cast):
    reading = read(CLUSTER_FILE, PUPILS, cast.board_a)
    assert (reading.summary["rows_read"], reading.summary["rows_kept"]) == (5, 3)
    actions = plan(reading, cast.board_a, PUPILS)
    assert actions["22BA00"]["action"] == SKIPPED
    assert actions["22BA00"]["reasons"] == [{"key": "other_board", "params": {"number": "22222"}}]
    assert actions["33CA01"]["action"] == SKIPPED


def test_without_board_number_only_the_boards_schools_are_kept(cast):
    """The total overview has no bevoegd-gezag column: rows are matched on the codes of the
    schools the board already has (11AA with location "0" as Excel writes it)."""
    reading = read(OVERVIEW_FILE, PUPILS, cast.board_a)
    assert reading.summary["rows_kept"] == 2
    kept = [r["code"] for r in reading.records if not r.get("skip")]
    assert kept == ["11AA00", "11AB00"]
    actions = plan(reading, cast.board_a, PUPILS)
    for code in ("22BA00", "44DD00"):
        assert (actions[code]["action"], actions[code]["reasons"][0]["key"]) == (
            SKIPPED,
            "not_board",
        )


def test_other_location_of_a_known_brin_is_skipped(cast):
    actions = plan(read(AGES_FILE, PUPILS, cast.board_a), cast.board_a, PUPILS)
    assert actions["11AB01"]["action"] == SKIPPED
    assert actions["11AA00"]["rows"] == [2, 3, 4]  # one row per pupil weight, added up


def test_masked_weight_refuses_the_location(cast):
    actions = plan(read(WEIGHTS_FILE, PUPILS, cast.board_a), cast.board_a, PUPILS)
    assert actions["11AB00"]["action"] == REFUSED
    assert actions["11AB00"]["reasons"][0]["key"] == "masked"


def test_addresses_file_is_recognised(cast):
    reading = read(ADDRESSES_FILE, LOCATIONS, cast.board_a)
    assert reading.summary["layout"] == "locations"
    actions = plan(reading, cast.board_a, LOCATIONS)
    # "SCHOOL A1" differs in capitals only: the name is kept (the place is DUO's).
    assert "name" not in [change["field"] for change in actions["11AA00"]["changes"]]
    assert actions["11AC00"]["action"] == CREATE
    assert actions["11AC00"]["apply"]["name"] == "OBS De Regenboog"
    assert {actions["22BA00"]["action"], actions["33CA01"]["action"]} == {SKIPPED}


def test_count_date_wins_over_the_name(cast):
    # The file name says 2019, the column says 1 October 2023: the column is the count.
    content = (FILES / CLUSTER_FILE).read_bytes()
    reading = read_upload(io.BytesIO(content), PUPILS, filename="leerlingen-2019.csv")
    assert reading.summary["years"] == ["2023-2024"]


@pytest.mark.parametrize(
    ("filename", "found"),
    [
        ("leerlingen-2023-2024.csv", "2023-2024"),
        ("leerlingen_2023_2024.csv", "2023-2024"),
        ("leerlingen 2024.csv", "2024"),
        ("02.-leerlingen-po-totaaloverzicht-2022.csv", "2022"),
    ],
)
def test_year_from_name(filename, found):
    start, text = imports.year_from_name(filename)
    assert (start, text) == (int(found[:4]), found)


def test_name_with_two_years_is_refused():
    content = b"BRIN_NUMMER;VESTIGINGSNUMMER;TOTAAL\n11AA;00;100\n"
    with pytest.raises(ImportFileError) as refused:
        read_upload(io.BytesIO(content), PUPILS, filename="leerlingen-2019-en-2023.csv")
    assert refused.value.code == "year_in_name"


# ---------------------------------------------------------------------------------------------
# Files that are refused, in Dutch
# ---------------------------------------------------------------------------------------------


def test_file_without_year_is_refused_with_a_dutch_reason(nl_client, cast, db_state):
    before = db_state()
    content = b"BRIN_NUMMER;VESTIGINGSNUMMER;TOTAAL\n11AA;00;100\n"
    response = upload(nl_client, cast.board_a, PUPILS, content, "leerlingen.csv")
    (message,) = response.context["form"].errors["file"]
    assert "Er ontbreken verplichte kolommen" in message
    assert "het jaar in de bestandsnaam" in message
    assert db_state() == before


def test_file_without_counts_is_refused(nl_client, cast):
    content = b"BRIN_NUMMER;VESTIGINGSNUMMER;PLAATSNAAM\n11AA;00;Ede\n"
    response = upload(nl_client, cast.board_a, PUPILS, content, "leerlingen-2023-2024.csv")
    (message,) = response.context["form"].errors["file"]
    assert "AANTAL_LEERLINGEN / TOTAAL / LEEFTIJD_" in message


def test_spreadsheet_is_refused_in_dutch(nl_client, cast):
    content = b"PK\x03\x04" + b"\x00" * 100
    response = upload(nl_client, cast.board_a, PUPILS, content, "leerlingen-2023-2024.csv")
    (message,) = response.context["form"].errors["file"]
    assert "spreadsheet" in message and "CSV" in message


# ---------------------------------------------------------------------------------------------
# Through the pages: preview says which layout and year, commit applies
# ---------------------------------------------------------------------------------------------


def test_preview_names_layout_and_year_and_commit_applies(nl_client, cast):
    content = (FILES / OVERVIEW_FILE).read_bytes()
    response = upload(nl_client, cast.board_a, PUPILS, content, OVERVIEW_FILE)
    assert response.status_code == 302
    batch = ImportBatch.objects.get(board=cast.board_a)
    assert batch.summary["layout"] == "pupils_total"
    page = nl_client.get(response["Location"])
    about = page.context["about_file"]
    assert "Herkende indeling" in about[0] and "TOTAAL" in about[0]
    assert "2022-2023" in about[1] and "bestandsnaam" in about[1]
    assert "4 rijen gelezen, 2 daarvan" in about[2]
    assert page.context["counts"]["skipped"] == 2
    nl_client.post(reverse("schools:import-commit", args=[cast.board_a.pk, batch.pk]))
    figures = SchoolFigures.objects.filter(school__board=cast.board_a, school_year__start_year=2022)
    assert sorted(figures.values_list("school__brin", "pupils")) == [("11AA", 231), ("11AB", 84)]


# ---------------------------------------------------------------------------------------------
# A national file: streamed, only the board's rows kept
# ---------------------------------------------------------------------------------------------

NATIONAL_ROWS = 60_000


def national_file(path: Path, *, with_board: bool) -> Path:
    """A file of DUO's size and layout: 60,000 rows of other schools, with the board's two
    schools somewhere in between."""
    randomly = random.Random(15)
    board_col = "BEVOEGD_GEZAG_NUMMER;" if with_board else ""
    header = (
        f"PEILDATUM_LEERLINGEN;INSTELLINGSCODE;VESTIGINGSCODE;INSTELLINGSNAAM_VESTIGING;"
        f"POSTCODE_VESTIGING;PLAATSNAAM;GEMEENTENAAM;PROVINCIE;SOORT_PO;DENOMINATIE_VESTIGING;"
        f"{board_col}CLUSTER;LEEFTIJD_4;LEEFTIJD_5;TOTAAL\r\n"
    )
    own = {1234: ("11AA", 150), 45678: ("11AB", 90)}
    with path.open("w", encoding="cp1252", newline="") as out:
        out.write(header)
        for number in range(NATIONAL_ROWS):
            if number in own:
                brin, total = own[number]
                board = "11111;" if with_board else ""
            else:
                brin = f"{number % 100:02d}{chr(65 + number // 2600 % 26)}{chr(65 + number % 26)}"
                brin = "99ZZ" if brin in ("11AA", "11AB") else brin
                total = randomly.randint(5, 900)
                board = f"{randomly.randint(20000, 99999)};" if with_board else ""
            out.write(
                f"20241001;{brin};{brin}00;Basisschool Nummer {number} Éénhoorn;1234AB;Plaats;"
                f"GEMEENTE;Noord-Brabant;Bo;Algemeen bijzonder;"
                f"{board};{total // 2};{total - total // 2};{total}\r\n"
            )
    return path


@pytest.mark.parametrize("with_board", [True, False])
def test_national_file_is_streamed_and_only_the_boards_rows_kept(cast, tmp_path, with_board):
    path = national_file(tmp_path / "01.-leerlingen-po-2024-2025.csv", with_board=with_board)
    assert path.stat().st_size > 5 * 1024 * 1024  # over the old limit
    cast.board_a.schools.count()  # warm the connection before measuring
    tracemalloc.start()
    try:
        with path.open("rb") as stream:
            reading = read_upload(stream, PUPILS, filename=path.name, board=cast.board_a)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # The file is over 5 MB; reading it holds a few chunks and the kept rows, not the file.
    assert peak < 2 * 1024 * 1024, peak
    assert reading.summary["rows_read"] == NATIONAL_ROWS
    assert reading.summary["rows_kept"] == 2
    listed = [r for r in reading.records if r.get("skip")]
    assert len(listed) == imports.MAX_LISTED_SKIPS
    unlisted = sum(reading.summary["unlisted"].values())
    assert unlisted == NATIONAL_ROWS - 2 - imports.MAX_LISTED_SKIPS
    batch = batch_create(
        board=cast.board_a,
        user=cast.staff_a,
        kind=PUPILS,
        filename=path.name,
        records=reading.records,
        sha256=reading.sha256,
        summary=reading.summary,
    )
    counts = batch_commit(batch=batch)
    assert counts["create"] == 2
    assert counts["skipped"] == NATIONAL_ROWS - 2
    figures = SchoolFigures.objects.filter(school__board=cast.board_a, school_year__start_year=2024)
    assert sorted(figures.values_list("school__brin", "pupils")) == [("11AA", 150), ("11AB", 90)]


def test_reading_a_national_file_takes_a_constant_number_of_queries(cast, tmp_path):
    path = national_file(tmp_path / "leerlingen-2024.csv", with_board=False)
    with CaptureQueriesContext(connection) as queries, path.open("rb") as stream:
        read_upload(stream, PUPILS, filename=path.name, board=cast.board_a)
    assert len(queries) == 1  # the board's school codes, once


def test_more_than_the_maximum_of_own_rows_is_refused(cast):
    rows = "".join(f"11AA;00;2024;{n % 50}\n" for n in range(imports.MAX_ROWS + 1))
    content = ("BRIN;VESTIGINGSNUMMER;PEILJAAR;AANTAL_LEERLINGEN\n" + rows).encode()
    with pytest.raises(ImportFileError) as refused:
        read_upload(io.BytesIO(content), PUPILS, filename="x.csv", board=cast.board_a)
    assert refused.value.code == "too_many_rows"
