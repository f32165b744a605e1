"""Import of school data: DUO's open-data files and a simple CSV of groups (issue #4).

Three kinds of file (``ImportBatch.Kind``):

* **vestigingen**: DUO's list of school locations. Creates the board's schools, or updates the
  name and place of existing ones (matched on BRIN + location code).
* **leerlingen**: DUO's pupil counts per location. Sets ``SchoolFigures.pupils`` of the board's
  existing schools.
* **groepen**: a CSV the board makes itself (``BRIN;VESTIGING;SCHOOLJAAR;GROEPEN``). Sets
  ``SchoolFigures.groups`` where pupil figures exist.

The flow: upload -> ``read_file`` (pure: bytes -> parsed rows) -> ``plan`` (pure: parsed rows +
a snapshot of the board -> one action per school, or per row that is refused or skipped) ->
a pending ``ImportBatch`` in the database -> preview -> ``batch_commit`` plans again against the
database as it is now and applies every action in one transaction, or nothing at all.

Decisions
---------
Reading a file
    * Streamed (CHUNK bytes at a time, csv row by row): DUO's national files (tens of
      thousands of rows) are uploaded as DUO publishes them. With a board (the upload page),
      only the rows of the board's schools are kept: by the bevoegd-gezag number when the file
      has one (locations, today's pupil files), else by the BRIN + location code of the
      schools the board already has (older pupil files carry no board number). Rows of other
      schools are listed as skipped up to MAX_LISTED_SKIPS and otherwise only counted.
    * At most 50 MB, and 20,000 rows of the board's own schools.
    * Encoding: UTF-8 (a BOM is dropped), else Windows-1252 (what Excel writes on Dutch
      Windows and what DUO's older files are; the same as Latin-1 for letters like é), else
      Latin-1. A UTF-16 file (Excel's "Unicode text") is read by its BOM. NUL bytes or other
      control characters mean a binary file; the signatures of .xlsx/.ods (zip) and .xls get
      their own message. A first pass decides the encoding (and the SHA-256), a second reads.
    * Delimiter: whichever of ``;``, ``,`` and TAB occurs most in the header line.
    * Blank lines are ignored; a row's number is its line in the file (header = line 1), as a
      spreadsheet numbers it.
    * Headers: case-insensitive; spaces, underscores, hyphens and dots do not count; a BOM is
      dropped. "BRIN NUMMER", "BRIN_NUMMER" and "brinnummer" are one column. Aliases per field
      in ``COLUMNS``, the first one present wins (e.g. VESTIGINGSNAAM before NAAM).
    * Required columns: vestigingen BRIN, location, name, bevoegd-gezag number (place optional);
      groepen BRIN, SCHOOLJAAR, GROEPEN (location and bevoegd-gezag number optional);
      leerlingen BRIN, location, the count and the year (bevoegd-gezag number optional).
      A missing one refuses the whole file with a message naming it.
    * Pupil layouts (``FILE_LAYOUTS``, the one recognised is shown with the preview): a
      column AANTAL_LEERLINGEN; else DUO's TOTAAL (per soort po, cluster and age, or the
      total overview; the rows of one location are added up); else the LEEFTIJD columns
      added up (older per-age files, one row per pupil weight); else the GEWICHT_0.00 / 0.30 /
      1.20 columns added up (older per-weight files; SCHOOLGEWICHT is not a count).
    * The year of pupils: PEILJAAR, PEILDATUM(_LEERLINGEN) or SCHOOLJAAR when the file has
      one; else from the file name: "2023-2024" is that school year, one year alone ("2022")
      is the year of the count, as PEILJAAR. A name with several years is refused.
Codes
    * BRIN (or INSTELLINGSCODE): two digits and two letters, upper-cased. A 6-character value
      (21AZ00) carries the location code as well.
    * VESTIGINGSNUMMER / VESTIGINGSCODE: either the full code "21AZ00" (its first four
      characters must be the BRIN) or only the location number "00", "0" or "1" (Excel drops
      leading zeros), padded to two digits.
    * A school of the board with the same BRIN and an empty location code blocks the row: DUO's
      "00" might be that school, and a second school would be made silently.
    * Bevoegd-gezag number: up to five digits, padded with zeros (Excel again).
Whose rows
    * With a bevoegd-gezag column, a row of another board is *skipped* with "belongs to another
      board (12345)". Without one (pupils, groups), a row whose school is not one of the
      board's schools is skipped (pupils: DUO's national file) or refused (groups: a file the
      board made itself). Other boards' schools are never read, except that creating a school
      whose code another board already uses is refused (the code is unique in the portal).
Pupils
    * PEILJAAR 2026 means counted on 1 October 2026, the count of school year 2026-2027
      (pupils are counted on 1 October; the school year starts on 1 August). A PEILDATUM
      (2026-10-01, 01-10-2026, 20261001) gives the school year that day falls in.
    * Several rows for one location and year (DUO's files per age or per group) are summed, and
      the preview says which rows were summed.
    * DUO masks small numbers as "<5". A masked or unreadable number refuses the whole location
      and year: the total is not known, and nothing is invented.
    * Only existing schools of the board; new figures get ``groups`` empty (unknown; the field
      is nullable since migration 0003), existing figures keep their groups.
    * At most 5000 pupils (the model's limit); school year 2000-2100.
Groups
    * SCHOOLJAAR "2026-2027", "2026/2027", "2026-27" or "2026"; 0-200 groups.
    * Only where figures (pupils) exist for that school and year: a pupil count is never made up.
    * Without a location column (or with an empty cell) a 4-character BRIN is enough when the
      board has exactly one location with it.
Names and duplicates
    * Names and places are taken as written, spaces tidied; a difference in capitals only does
      not count as a change (DUO writes many names in capitals, boards often do not).
    * A location or school/year that occurs twice: identical rows count once (reported), rows
      that differ are all refused.
Commit
    * ``batch_commit`` marks the batch with a conditional UPDATE (so committing twice, even at
      the same moment, fails once), plans again against the database and, when the plan differs
      from the preview, stores the new plan and applies nothing. Otherwise it applies all
      actions with the models' ``full_clean()`` in one ``transaction.atomic``: any error rolls
      everything back, the batch mark included.
    * Re-importing the same file gives only "unchanged" rows; the preview also says when the
      same file (SHA-256) was processed before.
    * Pending batches older than a week are deleted when the board uploads a new file.

Reasons and changes are stored as keys with parameters and translated when shown, so the
preview speaks the language of whoever looks at it.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime
import hashlib
import io
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .models import Board, ImportBatch, School, SchoolFigures, SchoolYear

Kind = ImportBatch.Kind

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 20_000  # rows kept from one file: with a board, only the rows of its own schools
MAX_LISTED_SKIPS = 200  # rows of other schools listed in the preview; the rest are counted
CHUNK = 64 * 1024  # bytes read at a time: a file is streamed, never held whole in memory
MAX_PUPILS = 5000  # SchoolFigures.pupils
MAX_GROUPS = 200  # SchoolFigures.groups
PENDING_DAYS = 7
BULK_BATCH = 500  # rows per INSERT/UPDATE when the figures of an import are written

CREATE, UPDATE, UNCHANGED, REFUSED, SKIPPED = "create", "update", "unchanged", "refused", "skipped"
ACTIONS = (CREATE, UPDATE, UNCHANGED, REFUSED, SKIPPED)
APPLIED = (CREATE, UPDATE)


# ---------------------------------------------------------------------------
# Files that cannot be imported at all
# ---------------------------------------------------------------------------

FILE_ERRORS = {
    "too_large": gettext_lazy("The file is larger than %(max)s MB."),
    "wrong_type": gettext_lazy(
        "Only CSV files can be imported (a file name ending in .csv or .txt). In Excel, choose "
        "Save as and then CSV (semicolon separated)."
    ),
    "empty": gettext_lazy("The file is empty."),
    "no_rows": gettext_lazy("The file has column headings but no rows."),
    "spreadsheet": gettext_lazy(
        "This is a spreadsheet (Excel or similar), not a CSV file. In Excel, choose Save as and "
        "then CSV (semicolon separated), and upload that file."
    ),
    "binary": gettext_lazy(
        "This is not a text file. Upload a CSV file (separated by semicolons or commas)."
    ),
    "unreadable": gettext_lazy(
        "The file cannot be read as CSV (near line %(line)s). Check that it is a CSV file."
    ),
    "too_many_rows": gettext_lazy(
        "The file has more than %(max)s rows for your board's schools. Split it into smaller "
        "files and import them one by one."
    ),
    "year_in_name": gettext_lazy(
        "The file has no PEILJAAR, PEILDATUM or SCHOOLJAAR column, and its name gives more "
        "than one year (%(years)s). Rename the file so that its name holds only the year of "
        "the count, e.g. leerlingen-2023-2024.csv, and upload it again."
    ),
    "missing_columns": gettext_lazy(
        "Required columns are missing: %(missing)s. The file has these columns: %(found)s. "
        "Check that you chose the right kind of file."
    ),
}


class ImportFileError(Exception):
    """A file that cannot be imported at all; nothing is stored."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    @property
    def message(self) -> str:
        text = str(FILE_ERRORS[self.code])
        return text % self.params if self.params else text


# ---------------------------------------------------------------------------
# Bytes -> a table of strings
# ---------------------------------------------------------------------------

SPREADSHEET_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # .xlsx/.ods (zip), .xls (OLE)
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
DELIMITERS = (";", ",", "\t")


def sniff_encoding(stream: BinaryIO) -> tuple[str, str]:
    """First pass over the file: (encoding, SHA-256), or ImportFileError for what is too large,
    empty or not text. Reads CHUNK bytes at a time; the stream is left at its start."""
    digest, size, head, text_seen = hashlib.sha256(), 0, b"", False
    utf8 = codecs.getincrementaldecoder("utf-8")()
    cp1252 = codecs.getincrementaldecoder("cp1252")()
    utf8_ok = cp1252_ok = True
    has_nul = False
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > MAX_BYTES:
            raise ImportFileError("too_large", max=MAX_BYTES // (1024 * 1024))
        digest.update(chunk)
        head = head or chunk[:4]
        text_seen = text_seen or bool(chunk.strip())
        has_nul = has_nul or b"\x00" in chunk
        for name, decoder in (("utf8", utf8), ("cp1252", cp1252)):
            if (utf8_ok if name == "utf8" else cp1252_ok) and not has_nul:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    if name == "utf8":
                        utf8_ok = False
                    else:
                        cp1252_ok = False
    stream.seek(0)
    if not text_seen:
        raise ImportFileError("empty")
    if head.startswith(SPREADSHEET_SIGNATURES):
        raise ImportFileError("spreadsheet")
    if head.startswith(UTF16_BOMS):
        return "utf-16", digest.hexdigest()
    if has_nul:
        raise ImportFileError("binary")
    try:
        utf8.decode(b"", final=True)
    except UnicodeDecodeError:
        utf8_ok = False
    if utf8_ok:
        return "utf-8-sig", digest.hexdigest()
    # Windows-1252 is what Excel writes on Dutch Windows; Latin-1 decodes any byte (bytes
    # that are control characters there are caught as binary).
    return ("cp1252" if cp1252_ok else "latin-1"), digest.hexdigest()


def decode(content: bytes) -> str:
    """The whole file as text (for small files read at once; imports stream instead)."""
    encoding, _sha = sniff_encoding(io.BytesIO(content))
    try:
        text = content.decode(encoding).lstrip("\ufeff")
    except UnicodeDecodeError as error:
        raise ImportFileError("binary") from error
    if CONTROL_CHARACTERS.search(text):
        raise ImportFileError("binary")
    return text


def sniff_delimiter(header_line: str) -> str:
    counts = {delimiter: header_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ";"


def text_lines(stream: BinaryIO, encoding: str) -> Iterator[str]:
    """The file's lines, decoded as they are read; a control character means a binary file."""
    wrapper = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        first = True
        for line in wrapper:
            if first:
                line, first = line.lstrip("\ufeff"), False
            if CONTROL_CHARACTERS.search(line):
                raise ImportFileError("binary")
            yield line
    except UnicodeDecodeError as error:
        raise ImportFileError("binary") from error
    finally:
        with contextlib.suppress(ValueError):  # the caller owns the stream: do not close it
            wrapper.detach()


def table_rows(lines: Iterator[str]) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of every non-blank row, the header first; lines numbered as a
    spreadsheet numbers them (header = line 1 when the file starts with it)."""
    skipped = 0
    first_line = ""
    for line in lines:
        if line.strip():
            first_line = line
            break
        skipped += 1
    if not first_line:
        raise ImportFileError("empty")
    reader = csv.reader(itertools.chain([first_line], lines), delimiter=sniff_delimiter(first_line))
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                yield skipped + reader.line_num, cells
    except csv.Error as error:
        raise ImportFileError("unreadable", line=skipped + reader.line_num) from error


@dataclass
class Table:
    """A small file read whole (the HR import's): its headers and its rows."""

    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (line number, cells)


def read_table(text: str) -> Table:
    """A decoded file as a table, at most MAX_ROWS rows (``table_rows`` reads it)."""
    rows = table_rows(iter(text.splitlines(keepends=True)))
    _line, headers = next(rows)
    found: list[tuple[int, list[str]]] = []
    for row in rows:
        if len(found) >= MAX_ROWS:
            raise ImportFileError("too_many_rows", max=MAX_ROWS)
        found.append(row)
    if not found:
        raise ImportFileError("no_rows")
    return Table([cell.strip() for cell in headers], found)


# ---------------------------------------------------------------------------
# Columns
# ---------------------------------------------------------------------------


def normalise_header(name: str) -> str:
    """'BRIN NUMMER', 'BRIN_NUMMER', 'Brin-nummer' and 'brinnummer' are the same column."""
    return re.sub(r"[\s_\-.]+", "", name.replace("\ufeff", "")).lower()


@dataclass(frozen=True)
class Column:
    label: str  # how DUO spells it, for messages
    aliases: tuple[str, ...]  # normalised, preferred first


COLUMNS: dict[str, Column] = {
    "brin": Column("BRIN NUMMER / INSTELLINGSCODE", ("brinnummer", "instellingscode", "brin")),
    "location": Column(
        "VESTIGINGSNUMMER / VESTIGINGSCODE", ("vestigingsnummer", "vestigingscode", "vestiging")
    ),
    "name": Column("VESTIGINGSNAAM", ("vestigingsnaam", "schoolnaam", "naam")),
    "place": Column("PLAATSNAAM", ("plaatsnaam", "vestigingsplaats", "plaats")),
    "board": Column(
        "BEVOEGD GEZAG NUMMER", ("bevoegdgezagnummer", "bevoegdgezag", "bgnummer", "bgnr")
    ),
    "pupils": Column(
        "AANTAL_LEERLINGEN", ("aantalleerlingen", "totaalaantalleerlingen", "leerlingen")
    ),
    "year": Column("PEILJAAR", ("peiljaar", "jaar")),
    "count_date": Column("PEILDATUM", ("peildatum", "peildatumleerlingen")),
    "school_year": Column("SCHOOLJAAR", ("schooljaar", "jaar")),
    "groups": Column("GROEPEN", ("groepen", "aantalgroepen")),
}


@dataclass(frozen=True)
class Layout:
    required: tuple[tuple[str, ...], ...]  # each: one of these fields is enough
    optional: tuple[str, ...]


LAYOUTS: dict[str, Layout] = {
    Kind.LOCATIONS: Layout((("brin",), ("location",), ("name",), ("board",)), ("place",)),
    Kind.PUPILS: Layout(
        (("brin",), ("location",)), ("board", "pupils", "year", "count_date", "school_year")
    ),
    Kind.GROUPS: Layout((("brin",), ("school_year",), ("groups",)), ("location", "board")),
}

# Which layout of a file was recognised (shown with the preview). Pupils come in several:
# DUO changed its files over the years, and boards download whichever year they need.
FILE_LAYOUTS = {
    "locations": gettext_lazy("DUO school locations (adressen vestigingen), one row per location"),
    "pupils_count": gettext_lazy("Pupils per location with a column AANTAL_LEERLINGEN"),
    "pupils_total": gettext_lazy(
        "DUO pupils per location with a column TOTAAL (e.g. per soort po, cluster and age, "
        "or the total overview); the rows of a location are added up"
    ),
    "pupils_ages": gettext_lazy(
        "DUO pupils per location and age (LEEFTIJD columns, no TOTAAL): the ages are added up"
    ),
    "pupils_weights": gettext_lazy(
        "DUO pupils per location and pupil weight (GEWICHT columns): the weights are added up"
    ),
    "groups": gettext_lazy("Groups per school (the board's own CSV)"),
}

YEAR_SOURCES = {
    "columns": gettext_lazy("from the column %(column)s"),
    "name": gettext_lazy("from the file name (%(found)s)"),
}

AGE_HEADER = re.compile(r"leeftijd.*|[0-9]{1,2}jaar")
WEIGHT_HEADER = re.compile(r"gewicht(0|00|000|03|030|12|120)")
TOTAL_ALIASES = ("totaal", "totaalleerlingen", "totaalaantal", "aantaltotaal")
YEAR_PAIR = re.compile(r"(?<![0-9])(20[0-9]{2})\s*[-_/ ]\s*(20[0-9]{2})(?![0-9])")
YEAR_ALONE = re.compile(r"(?<![0-9])(20[0-9]{2})(?![0-9])")


@dataclass(frozen=True)
class Recognised:
    """What ``recognise`` found in a file's header (and name)."""

    columns: dict[str, int]  # field -> position
    layout: str  # a key of FILE_LAYOUTS
    counts: tuple[int, ...] = ()  # pupils: the columns added up per row
    year: int | None = None  # pupils: the start year taken from the file name
    year_source: dict = field(default_factory=dict)  # {"key": ..., "params": ...}


def year_from_name(filename: str) -> tuple[int | None, str]:
    """(start year, what was found) from a name like ...-2023-2024.csv or ...-2024.csv.

    A pair of consecutive years is the school year; one year alone is the year of the count
    (1 October), as PEILJAAR: 2024 -> school year 2024-2025. Several different years: (None,
    the years) and the file is refused; none: (None, "")."""
    stem = re.sub(r"\.[A-Za-z0-9]{1,4}$", "", filename or "")
    pairs = {int(start) for start, end in YEAR_PAIR.findall(stem) if int(end) == int(start) + 1}
    if len(pairs) == 1:
        start = pairs.pop()
        return valid_start_year(start), f"{start}-{start + 1}"
    alone = sorted(set(YEAR_ALONE.findall(stem)))
    if len(pairs) > 1 or len(alone) > 1:
        return None, ", ".join(alone)
    if alone:
        return valid_start_year(int(alone[0])), alone[0]
    return None, ""


def recognise(headers: list[str], kind: str, filename: str = "") -> Recognised:
    """The file's layout; ImportFileError naming the required columns that are missing."""
    positions: dict[str, int] = {}
    for position, header in enumerate(headers):
        positions.setdefault(normalise_header(header), position)
    layout = LAYOUTS[kind]
    wanted = {name for group in layout.required for name in group} | set(layout.optional)
    found: dict[str, int] = {}
    for name in wanted:
        alias = next((a for a in COLUMNS[name].aliases if a in positions), None)
        if alias is not None:
            found[name] = positions[alias]
    missing = [
        " / ".join(COLUMNS[name].label for name in group)
        for group in layout.required
        if not any(name in found for name in group)
    ]
    recognised = Recognised(found, "locations" if kind == Kind.LOCATIONS else "groups")
    if kind == Kind.PUPILS:
        recognised, more = recognise_pupils(headers, positions, found, filename)
        missing += more
    if missing:
        shown = [header for header in headers[:20] if header] or ["-"]
        raise ImportFileError("missing_columns", missing="; ".join(missing), found=", ".join(shown))
    return recognised


def recognise_pupils(
    headers: list[str], positions: dict[str, int], found: dict[str, int], filename: str
) -> tuple[Recognised, list[str]]:
    missing: list[str] = []
    counts: tuple[int, ...] = ()
    total = next((positions[a] for a in TOTAL_ALIASES if a in positions), None)
    normalised = [normalise_header(header) for header in headers]
    ages = tuple(i for i, name in enumerate(normalised) if AGE_HEADER.fullmatch(name))
    weights = tuple(i for i, name in enumerate(normalised) if WEIGHT_HEADER.fullmatch(name))
    if "pupils" in found:
        layout = "pupils_count"
    elif total is not None:
        layout, found["pupils"] = "pupils_total", total
    elif ages:
        layout, counts = "pupils_ages", ages
    elif weights:
        layout, counts = "pupils_weights", weights
    else:
        layout = "pupils_count"
        missing.append("AANTAL_LEERLINGEN / TOTAAL / LEEFTIJD_…")
    year, source = None, {}
    column = next((name for name in ("year", "count_date", "school_year") if name in found), None)
    if column is not None:
        label = headers[found[column]].strip().lstrip("\ufeff")
        source = {"key": "columns", "params": {"column": label}}
        for other in ("year", "count_date", "school_year"):
            if other != column:
                found.pop(other, None)
    else:
        year, text = year_from_name(filename)
        if year is not None:
            source = {"key": "name", "params": {"found": text}}
        elif "," in text:
            raise ImportFileError("year_in_name", years=text)
        else:
            missing.append(
                "PEILJAAR / PEILDATUM / SCHOOLJAAR "
                + _("(or the year in the file name, e.g. 2023-2024)")
            )
    return Recognised(found, layout, counts, year, source), missing


def find_columns(headers: list[str], kind: str) -> dict[str, int]:
    """Field -> column position (see ``recognise``)."""
    return recognise(headers, kind).columns


@dataclass(frozen=True)
class Cells:
    values: list[str]
    columns: dict[str, int]
    recognised: Recognised | None = None

    def has(self, name: str) -> bool:
        return name in self.columns

    def get(self, name: str) -> str | None:
        """The stripped cell; None when the file has no such column, "" when the cell is empty."""
        if name not in self.columns:
            return None
        return self.at(self.columns[name])

    def at(self, position: int) -> str:
        return self.values[position].strip() if position < len(self.values) else ""


# ---------------------------------------------------------------------------
# Cells -> values (each returns the value, or a reason why not)
# ---------------------------------------------------------------------------

BRIN = re.compile(r"[0-9]{2}[A-Z]{2}")
FULL_CODE = re.compile(r"([0-9]{2}[A-Z]{2})([0-9]{2})")
DIGITS = re.compile(r"[0-9]+")


def reason(key: str, **params: object) -> dict:
    """A reason as stored in a batch: translated only when shown (see ``REASONS``)."""
    return {"key": key, "params": params}


class RowError(Exception):
    """One row (or cell) that cannot be used, with the reason."""

    def __init__(self, why: dict) -> None:
        super().__init__(why["key"])
        self.why = why


def compact(value: str | None) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def tidy(value: str | None) -> str:
    return " ".join((value or "").split())


def parse_location(brin: str, value: str) -> str | dict:
    full = FULL_CODE.fullmatch(value)
    if full:
        if full.group(1) != brin:
            return reason("location_mismatch", value=value, brin=brin)
        return full.group(2)
    if DIGITS.fullmatch(value) and len(value) <= 2:
        return value.zfill(2)
    return reason("bad_location", value=value)


def parse_code(brin_cell: str | None, location_cell: str | None) -> tuple[str, str | None]:
    """(BRIN, location code or None); raises RowError with the reason."""
    brin = compact(brin_cell)
    location = compact(location_cell)
    if not brin:
        raise RowError(reason("no_brin"))
    full = FULL_CODE.fullmatch(brin)
    if full:
        brin, own = full.groups()
        if location and parse_location(brin, location) != own:
            raise RowError(reason("location_mismatch", value=location, brin=brin))
        return brin, own
    if not BRIN.fullmatch(brin):
        raise RowError(reason("bad_brin", value=brin))
    if not location:
        return brin, None
    parsed = parse_location(brin, location)
    if isinstance(parsed, dict):
        raise RowError(parsed)
    return brin, parsed


def parse_board_number(value: str | None) -> str | None:
    value = compact(value)
    return value.zfill(5) if DIGITS.fullmatch(value) and len(value) <= 5 else None


def parse_count(value: str | None, *, maximum: int, too_many: str) -> int:
    """A whole number 0..maximum; raises RowError (DUO's "<5" mask: "masked")."""
    raw = (value or "").strip()
    number = compact(raw)
    if number.startswith("<"):
        raise RowError(reason("masked", value=raw))
    if not DIGITS.fullmatch(number):
        raise RowError(reason("bad_number", value=raw))
    if int(number) > maximum:
        raise RowError(reason(too_many, value=int(number), max=maximum))
    return int(number)


def valid_start_year(year: int) -> int | None:
    return year if 2000 <= year <= 2100 else None


def parse_year(value: str | None) -> int | None:
    """PEILJAAR 2026: counted on 1 October 2026, so school year 2026-2027."""
    value = compact(value)
    return valid_start_year(int(value)) if re.fullmatch(r"[0-9]{4}", value) else None


DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%Y%m%d", "%d/%m/%Y", "%Y/%m/%d")


def parse_count_date(value: str | None) -> int | None:
    """PEILDATUM: the school year the day falls in (a time after the date is ignored)."""
    text = (value or "").strip().split(" ")[0].split("T")[0]
    for pattern in DATE_FORMATS:
        try:
            day = datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        return valid_start_year(SchoolYear.start_year_for(day))
    return None


def parse_school_year(value: str | None) -> int | None:
    """'2026-2027', '2026/2027', '2026-27' or '2026'."""
    value = compact(value)
    match = re.fullmatch(r"([0-9]{4})(?:[-/]([0-9]{4}|[0-9]{2}))?", value)
    if not match:
        return None
    start, end = int(match.group(1)), match.group(2)
    if end is not None and end != str(start + 1)[-len(end) :]:
        return None
    return valid_start_year(start)


# ---------------------------------------------------------------------------
# Rows -> records (plain JSON: stored in the batch and planned again at commit)
# ---------------------------------------------------------------------------


def base_record(line: int, cells: Cells) -> dict:
    brin_cell, location_cell = cells.get("brin"), cells.get("location")
    record = {
        "row": line,
        "code": compact(brin_cell) + compact(location_cell) or "?",  # as written, until parsed
        "brin": None,
        "location": None,
        "board": cells.get("board"),
        "error": None,
    }
    try:
        record["brin"], record["location"] = parse_code(brin_cell, location_cell)
    except RowError as error:
        record["error"] = error.why
    else:
        record["code"] = record["brin"] + (record["location"] or "")
    return record


def location_record(line: int, cells: Cells) -> dict:
    record = base_record(line, cells)
    name, place = tidy(cells.get("name")), cells.get("place")
    record.update(name=name, place=tidy(place) if place is not None else None)
    if record["error"] is None:
        if record["location"] is None:
            record["error"] = reason("no_location")
        elif not name:
            record["error"] = reason("no_name")
        elif len(name) > School._meta.get_field("name").max_length:
            record["error"] = reason("name_too_long")
        elif len(record["place"] or "") > School._meta.get_field("place").max_length:
            record["error"] = reason("place_too_long")
    return record


def pupils_record(line: int, cells: Cells) -> dict:
    record = base_record(line, cells)
    recognised = cells.recognised
    if recognised is not None and recognised.year is not None:
        raw_year, year = "", recognised.year  # from the file name
    elif cells.has("year"):
        raw_year, year = cells.get("year"), parse_year(cells.get("year"))
    elif cells.has("school_year"):
        raw_year, year = cells.get("school_year"), parse_school_year(cells.get("school_year"))
    else:
        raw_year, year = cells.get("count_date"), parse_count_date(cells.get("count_date"))
    record.update(year=year, pupils=None, value_error=None)
    if record["error"] is None:
        if record["location"] is None:
            record["error"] = reason("no_location")
        elif year is None:
            record["error"] = reason("bad_year", value=raw_year)
    # A bad number does not refuse only its row: it makes the location's total unknown.
    try:
        if recognised is not None and recognised.counts:
            record["pupils"] = sum_counts(cells, recognised.counts)
        else:
            record["pupils"] = parse_count(
                cells.get("pupils"), maximum=MAX_PUPILS, too_many="too_many_pupils"
            )
    except RowError as error:
        record["value_error"] = error.why
    return record


def sum_counts(cells: Cells, positions: tuple[int, ...]) -> int:
    """The sum of DUO's age or weight columns; an empty cell is 0, a masked one ("<5") makes
    the sum unknown. The maximum is checked on the location's total."""
    total = 0
    for position in positions:
        if cells.at(position):
            total += parse_count(cells.at(position), maximum=10**6, too_many="too_many_pupils")
    return total


def groups_record(line: int, cells: Cells) -> dict:
    record = base_record(line, cells)
    raw_year = cells.get("school_year")
    record.update(year=parse_school_year(raw_year), groups=None)
    if record["error"] is None and record["year"] is None:
        record["error"] = reason("bad_school_year", value=raw_year)
    if record["error"] is None:
        try:
            record["groups"] = parse_count(
                cells.get("groups"), maximum=MAX_GROUPS, too_many="too_many_groups"
            )
        except RowError as error:
            record["error"] = error.why
    return record


RECORD_PARSERS: dict[str, Callable[[int, Cells], dict]] = {
    Kind.LOCATIONS: location_record,
    Kind.PUPILS: pupils_record,
    Kind.GROUPS: groups_record,
}


@dataclass
class Reading:
    """A file read: the records kept, its SHA-256 and what the preview says about the file."""

    records: list[dict]
    sha256: str
    summary: dict


@dataclass(frozen=True)
class BoardFilter:
    """Which rows of a national file are the board's: its bevoegd-gezag number when the file
    has one, else the codes of the schools it already has."""

    number: str
    codes: frozenset[str]  # BRIN + location code ("11AA00"; "11AA" for a school without)
    brins: frozenset[str]

    @classmethod
    def of(cls, board: Board) -> BoardFilter:
        codes = frozenset(
            brin + location for brin, location in board.schools.values_list("brin", "location_code")
        )
        return cls(board.number, codes, frozenset(code[:4] for code in codes))

    def outsider(self, cells: Cells) -> str | None:
        """Why a row is not the board's ("other_board", "not_board"), or None to keep it.
        A row whose code cannot be read is kept, so that it is shown as refused."""
        if cells.has("board"):
            number = parse_board_number(cells.get("board"))
            return "other_board" if number is not None and number != self.number else None
        try:
            brin, location = parse_code(cells.get("brin"), cells.get("location"))
        except RowError:
            return None
        if location is None:
            return None if brin in self.brins else "not_board"
        return None if brin + location in self.codes or brin in self.codes else "not_board"


FILTERED_KINDS = (Kind.LOCATIONS, Kind.PUPILS)  # DUO's national files; groups are the board's


def read_upload(
    stream: BinaryIO, kind: str, *, filename: str = "", board: Board | None = None
) -> Reading:
    """A file -> one record per row of the board's schools, streamed (DUO's national files
    have tens of thousands of rows; only the board's are kept).

    Without a board every row is kept. Rows of other schools are listed (as skipped) up to
    MAX_LISTED_SKIPS; the rest are only counted in the summary. ImportFileError when the
    file as a whole is refused.
    """
    encoding, sha256 = sniff_encoding(stream)
    lines = text_lines(stream, encoding)
    try:
        return read_rows(lines, kind, filename=filename, board=board, sha256=sha256)
    finally:
        lines.close()


def read_rows(
    lines: Iterator[str], kind: str, *, filename: str, board: Board | None, sha256: str
) -> Reading:
    rows = table_rows(lines)
    _header_line, headers = next(rows)
    headers = [cell.strip() for cell in headers]
    recognised = recognise(headers, kind, filename)
    parse = RECORD_PARSERS[kind]
    keep = BoardFilter.of(board) if board is not None and kind in FILTERED_KINDS else None
    records: list[dict] = []
    read, kept, listed = 0, 0, 0
    unlisted: Counter[str] = Counter()
    for line, values in rows:
        read += 1
        cells = Cells(values, recognised.columns, recognised)
        why = keep.outsider(cells) if keep is not None else None
        if why is not None:
            if listed < MAX_LISTED_SKIPS:
                listed += 1
                records.append({**parse(line, cells), "skip": why})
            else:
                unlisted[why] += 1
            continue
        kept += 1
        if kept > MAX_ROWS:
            raise ImportFileError("too_many_rows", max=MAX_ROWS)
        records.append(parse(line, cells))
    if not read:
        raise ImportFileError("no_rows")
    years = sorted({r["year"] for r in records if r.get("year") and not r.get("skip")})
    summary = {
        "layout": recognised.layout,
        "year_source": recognised.year_source,
        "years": [school_year_name(year) for year in years],
        "rows_read": read,
        "rows_kept": kept,
        "unlisted": dict(unlisted),
    }
    return Reading(records, sha256, summary)


def read_file(
    content: bytes, kind: str, *, filename: str = "", board: Board | None = None
) -> list[dict]:
    """Bytes -> one record per data row (see ``read_upload``)."""
    return read_upload(io.BytesIO(content), kind, filename=filename, board=board).records


# ---------------------------------------------------------------------------
# What the board has now (read in a few queries) and the plan against it (pure)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardData:
    number: str
    schools: dict[str, dict]  # code (BRIN + location) -> {"pk", "brin", "name", "place"}
    taken: frozenset[str]  # codes in the file that schools of other boards use
    figures: dict[tuple[int, int], dict]  # (school pk, start year) -> {"pupils", "groups"}


def board_data(board: Board, kind: str, records: list[dict]) -> BoardData:
    schools = {
        school.code: {
            "pk": school.pk,
            "brin": school.brin,
            "name": school.name,
            "place": school.place,
        }
        for school in board.schools.only("brin", "location_code", "name", "place")
    }
    taken: frozenset[str] = frozenset()
    if kind == Kind.LOCATIONS:
        own_rows = {
            r["brin"]
            for r in records
            if r["brin"] and parse_board_number(r["board"]) == board.number
        }
        taken = frozenset(
            brin + location
            for brin, location in School.objects.exclude(board=board)
            .filter(brin__in=own_rows)
            .values_list("brin", "location_code")
        )
    figures: dict[tuple[int, int], dict] = {}
    if kind != Kind.LOCATIONS:
        rows = SchoolFigures.objects.filter(school__board=board).values_list(
            "school_id", "school_year__start_year", "pupils", "groups"
        )
        figures = {(s, y): {"pupils": p, "groups": g} for s, y, p, g in rows}
    return BoardData(board.number, schools, taken, figures)


def school_year_name(start_year: int) -> str:
    return f"{start_year}-{start_year + 1}"


def make_action(
    what: str,
    rows: list[int],
    code: str,
    *,
    name: str = "",
    year: int | None = None,
    reasons: list[dict] | None = None,
    changes: list[dict] | None = None,
    apply: dict | None = None,
) -> dict:
    return {
        "row": rows[0],
        "rows": rows,
        "code": code,
        "name": name,
        "year": school_year_name(year) if year else "",
        "action": what,
        "reasons": reasons or [],
        "changes": changes or [],
        "apply": apply,
    }


def change(field: str, old: object, new: object) -> dict:
    return {"field": field, "old": old, "new": new}


def rows_text(rows: list[int]) -> str:
    return ", ".join(str(row) for row in rows)


def same_text(old: str, new: str) -> bool:
    return tidy(old).casefold() == tidy(new).casefold()


def first_check(record: dict, data: BoardData) -> dict | None:
    """The action for a row of another board or with an unreadable code, else None."""
    one = [record["row"]]
    if record.get("skip") == "not_board":  # read from a national file without board numbers
        return make_action(SKIPPED, one, record["code"], reasons=[reason("not_board")])
    if record["board"] is not None:
        number = parse_board_number(record["board"])
        if number is None:
            why = reason("bad_board_number", value=record["board"])
            return make_action(REFUSED, one, record["code"], reasons=[why])
        if number != data.number:
            why = reason("other_board", number=number)
            return make_action(SKIPPED, one, record["code"], reasons=[why])
    if record["error"] is not None:
        return make_action(REFUSED, one, record["code"], reasons=[record["error"]])
    return None


def find_school(
    data: BoardData, brin: str, location: str | None
) -> tuple[dict | None, dict | None]:
    """The board's school for a code, or (None, the reason why not / None: not the board's)."""
    if location is None:
        matches = [school for school in data.schools.values() if school["brin"] == brin]
        if len(matches) > 1:
            return None, reason("ambiguous_brin", brin=brin)
        return (matches[0], None) if matches else (None, None)
    school = data.schools.get(brin + location)
    if school is not None:
        return school, None
    if brin in data.schools:  # a school of the board with this BRIN and no location code
        return None, reason("blank_location", brin=brin)
    return None, None


def plan_locations(records: list[dict], data: BoardData) -> list[dict]:
    actions, by_code = [], defaultdict(list)
    for record in records:
        done = first_check(record, data)
        if done:
            actions.append(done)
        else:
            by_code[record["code"]].append(record)
    for code, group in by_code.items():
        actions.append(location_action(code, group, data))
    return actions


def location_action(code: str, group: list[dict], data: BoardData) -> dict:
    rows = [record["row"] for record in group]
    first = group[0]
    name, place = first["name"], first["place"]
    if len({(record["name"], record["place"]) for record in group}) > 1:
        why = reason("conflict", rows=rows_text(rows))
        return make_action(REFUSED, rows, code, name=name, reasons=[why])
    notes = [reason("duplicate", rows=rows_text(rows[1:]))] if len(rows) > 1 else []
    school = data.schools.get(code)
    if school is None:
        if first["brin"] in data.schools:
            why = reason("blank_location", brin=first["brin"])
            return make_action(REFUSED, rows, code, name=name, reasons=[why])
        if code in data.taken:
            return make_action(REFUSED, rows, code, name=name, reasons=[reason("taken")])
        new = {"brin": first["brin"], "location_code": first["location"], "name": name}
        new["place"] = place or ""
        changes = [change("name", None, name)] + ([change("place", None, place)] if place else [])
        return make_action(CREATE, rows, code, name=name, reasons=notes, changes=changes, apply=new)
    changes = []
    if not same_text(school["name"], name):
        changes.append(change("name", school["name"], name))
    if place is not None and not same_text(school["place"], place):
        changes.append(change("place", school["place"], place))
    if not changes:
        return make_action(UNCHANGED, rows, code, name=school["name"], reasons=notes)
    new = {"school": school["pk"], **{item["field"]: item["new"] for item in changes}}
    return make_action(UPDATE, rows, code, name=name, reasons=notes, changes=changes, apply=new)


def bucket_by_school(
    records: list[dict], data: BoardData, *, outsider: str
) -> tuple[list[dict], dict[tuple[int, int], tuple[dict, list[dict]]]]:
    """Refused/skipped actions, and the other records by (school pk, start year).

    ``outsider`` is what happens to a row whose school is not the board's when the file says
    nothing about the board: "skipped" for DUO's national files, "refused" for the board's own.
    """
    actions, buckets = [], {}
    for record in records:
        done = first_check(record, data)
        if done:
            actions.append(done)
            continue
        school, why = find_school(data, record["brin"], record["location"])
        if school is None:
            one, code = [record["row"]], record["code"]
            if why is None and record["board"] is None and outsider == SKIPPED:
                actions.append(make_action(SKIPPED, one, code, reasons=[reason("not_board")]))
            else:
                why = why or reason("unknown_school", code=code)
                actions.append(make_action(REFUSED, one, code, reasons=[why]))
            continue
        key = (school["pk"], record["year"])
        buckets.setdefault(key, (school, []))[1].append(record)
    return actions, buckets


def plan_pupils(records: list[dict], data: BoardData) -> list[dict]:
    actions, buckets = bucket_by_school(records, data, outsider=SKIPPED)
    for (pk, year), (school, group) in buckets.items():
        actions.append(pupils_action(pk, year, school, group, data))
    return actions


def pupils_action(pk: int, year: int, school: dict, group: list[dict], data: BoardData) -> dict:
    rows = [record["row"] for record in group]
    code, name = group[0]["code"], school["name"]
    problems = [{**r["value_error"], "row": r["row"]} for r in group if r["value_error"]]
    if problems:
        reasons = problems + ([reason("total_unknown")] if len(rows) > 1 else [])
        return make_action(REFUSED, rows, code, name=name, year=year, reasons=reasons)
    total = sum(record["pupils"] for record in group)
    if total > MAX_PUPILS:
        why = reason("too_many_pupils", value=total, max=MAX_PUPILS)
        return make_action(REFUSED, rows, code, name=name, year=year, reasons=[why])
    notes = [reason("summed", count=len(rows), rows=rows_text(rows))] if len(rows) > 1 else []
    new = {"school": pk, "start_year": year, "pupils": total}
    existing = data.figures.get((pk, year))
    if existing is None:
        changes = [change("pupils", None, total)]
        notes.append(reason("groups_unknown"))
        return make_action(
            CREATE, rows, code, name=name, year=year, reasons=notes, changes=changes, apply=new
        )
    if existing["pupils"] == total:
        return make_action(UNCHANGED, rows, code, name=name, year=year, reasons=notes)
    changes = [change("pupils", existing["pupils"], total)]
    return make_action(
        UPDATE, rows, code, name=name, year=year, reasons=notes, changes=changes, apply=new
    )


def plan_groups(records: list[dict], data: BoardData) -> list[dict]:
    actions, buckets = bucket_by_school(records, data, outsider=REFUSED)
    for (pk, year), (school, group) in buckets.items():
        actions.append(groups_action(pk, year, school, group, data))
    return actions


def groups_action(pk: int, year: int, school: dict, group: list[dict], data: BoardData) -> dict:
    rows = [record["row"] for record in group]
    code, name = group[0]["code"], school["name"]
    if len({record["groups"] for record in group}) > 1:
        why = reason("conflict", rows=rows_text(rows))
        return make_action(REFUSED, rows, code, name=name, year=year, reasons=[why])
    notes = [reason("duplicate", rows=rows_text(rows[1:]))] if len(rows) > 1 else []
    groups = group[0]["groups"]
    existing = data.figures.get((pk, year))
    if existing is None:
        why = reason("no_figures", year=school_year_name(year))
        return make_action(REFUSED, rows, code, name=name, year=year, reasons=[why])
    if existing["groups"] == groups:
        return make_action(UNCHANGED, rows, code, name=name, year=year, reasons=notes)
    changes = [change("groups", existing["groups"], groups)]
    new = {"school": pk, "start_year": year, "groups": groups}
    return make_action(
        UPDATE, rows, code, name=name, year=year, reasons=notes, changes=changes, apply=new
    )


PLANNERS: dict[str, Callable[[list[dict], BoardData], list[dict]]] = {
    Kind.LOCATIONS: plan_locations,
    Kind.PUPILS: plan_pupils,
    Kind.GROUPS: plan_groups,
}


def plan(kind: str, records: list[dict], data: BoardData) -> list[dict]:
    """One action per school (and year), or per row that is refused or skipped, in file order."""
    return sorted(PLANNERS[kind](records, data), key=lambda action: action["row"])


def count_actions(actions: list[dict], summary: dict | None = None) -> dict[str, int]:
    """Actions per kind; the rows of other schools that were only counted (see
    ``read_upload``) are added to the skipped ones."""
    counts = Counter(action["action"] for action in actions)
    counts[SKIPPED] += sum(((summary or {}).get("unlisted") or {}).values())
    return {what: counts.get(what, 0) for what in ACTIONS}


def describe_file(kind: str, summary: dict) -> list[str]:
    """What the preview says about the file: its layout, its year and the rows left out."""
    if not summary:
        return []
    lines = [_("Layout recognised: %(layout)s.") % {"layout": FILE_LAYOUTS[summary["layout"]]}]
    source = summary.get("year_source") or {}
    years = ", ".join(summary.get("years") or []) or "–"
    if source:
        how = str(YEAR_SOURCES[source["key"]]) % source["params"]
        lines.append(_("School year: %(years)s, %(how)s.") % {"years": years, "how": how})
    elif kind == Kind.GROUPS:
        lines.append(_("School year: %(years)s.") % {"years": years})
    unlisted = sum((summary.get("unlisted") or {}).values())
    counts = {"read": summary["rows_read"], "kept": summary["rows_kept"], "count": unlisted}
    if unlisted:
        text = _(
            "%(read)s rows read, %(kept)s of them for your board's schools; %(count)s rows of "
            "other schools are skipped without being listed."
        )
    else:
        text = _("%(read)s rows read, %(kept)s of them for your board's schools.")
    lines.append(text % counts)
    return lines


# ---------------------------------------------------------------------------
# Showing actions (translated when shown)
# ---------------------------------------------------------------------------

ACTION_LABELS = {
    CREATE: gettext_lazy("new"),
    UPDATE: gettext_lazy("update"),
    UNCHANGED: gettext_lazy("unchanged"),
    REFUSED: gettext_lazy("refused"),
    SKIPPED: gettext_lazy("skipped"),
}

FIELD_LABELS = {
    "name": gettext_lazy("name"),
    "place": gettext_lazy("place"),
    "pupils": gettext_lazy("pupils"),
    "groups": gettext_lazy("groups"),
}

REASONS = {
    "other_board": gettext_lazy("Belongs to another board (%(number)s)."),
    "bad_board_number": gettext_lazy("No valid bevoegd-gezag number (“%(value)s”)."),
    "no_brin": gettext_lazy("No BRIN number."),
    "bad_brin": gettext_lazy(
        "Invalid BRIN number “%(value)s”: two digits and two letters, e.g. 21AZ."
    ),
    "bad_location": gettext_lazy(
        "Invalid location code “%(value)s”: two digits (e.g. 00) or the full code (e.g. 21AZ00)."
    ),
    "location_mismatch": gettext_lazy("Location code %(value)s does not belong to BRIN %(brin)s."),
    "no_location": gettext_lazy("No location code (vestigingsnummer)."),
    "no_name": gettext_lazy("No name."),
    "name_too_long": gettext_lazy("The name is longer than 200 characters."),
    "place_too_long": gettext_lazy("The place name is longer than 100 characters."),
    "conflict": gettext_lazy(
        "In the file more than once with different data (rows %(rows)s): correct the file."
    ),
    "duplicate": gettext_lazy("Also in row(s) %(rows)s, with the same data."),
    "taken": gettext_lazy(
        "A school with this BRIN and location code exists at another board in the portal."
    ),
    "blank_location": gettext_lazy(
        "Your board has school %(brin)s without a location code: give it its location code "
        "(e.g. 00) first, so that this row does not make a second school."
    ),
    "bad_year": gettext_lazy("Invalid year or count date “%(value)s”."),
    "bad_school_year": gettext_lazy(
        "Invalid school year “%(value)s”: write it as 2026-2027 or 2026."
    ),
    "masked": gettext_lazy(
        "Number masked by DUO (%(value)s): the real number is not known, so nothing is imported "
        "for this location and year."
    ),
    "bad_number": gettext_lazy("“%(value)s” is not a whole number."),
    "too_many_pupils": gettext_lazy("%(value)s pupils is more than the maximum of %(max)s."),
    "too_many_groups": gettext_lazy("%(value)s groups is more than the maximum of %(max)s."),
    "total_unknown": gettext_lazy("The total of this location is not known."),
    "not_board": gettext_lazy("Not a school of your board."),
    "unknown_school": gettext_lazy(
        "Your board has no school %(code)s: import the school locations first."
    ),
    "ambiguous_brin": gettext_lazy(
        "Your board has several locations with BRIN %(brin)s: give the location code."
    ),
    "no_figures": gettext_lazy(
        "No pupil count for %(year)s yet: import the pupils or enter the figures first."
    ),
    "summed": gettext_lazy("The sum of %(count)s rows (%(rows)s)."),
    "groups_unknown": gettext_lazy("Number of groups unknown: import or enter it later."),
}


def describe_reason(why: dict, *, one_row: bool = False) -> str:
    """A stored reason in the reader's language; ``one_row``: the action is of one row, so
    the row number (shown beside it) is not said again."""
    params = {key: shown_value(value) for key, value in why["params"].items()}
    text = str(REASONS[why["key"]]) % params
    if "row" in why and not one_row:
        return _("Row %(row)s: %(text)s") % {"row": why["row"], "text": text}
    return text


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def shown_value(value: object) -> object:
    """A stored value as shown: an ISO date as a Dutch date ("1 aug 2026"); stored plans keep
    ISO dates, so the plan made at the commit equals the preview's whatever the language."""
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        try:
            return date_format(datetime.date.fromisoformat(value), "j N Y")
        except ValueError:
            return value
    return value


def describe_change(item: dict) -> str:
    field = str(FIELD_LABELS[item["field"]])
    new = shown_value(item["new"]) if item["new"] not in (None, "") else "–"
    if item["old"] is None:
        return _("%(field)s: %(new)s") % {"field": field, "new": new}
    old = shown_value(item["old"]) if item["old"] != "" else "–"
    return _("%(field)s: %(old)s → %(new)s") % {"field": field, "old": old, "new": new}


def present(action: dict) -> dict:
    """An action as the preview shows it."""
    rows = action["rows"]
    shown = rows_text(rows[:5]) + (", …" if len(rows) > 5 else "")
    return {
        **action,
        "rows_shown": shown,
        "label": ACTION_LABELS[action["action"]],
        "details": [describe_change(item) for item in action["changes"]]
        + [describe_reason(why, one_row=len(rows) <= 1) for why in action["reasons"]],
    }


# ---------------------------------------------------------------------------
# Services: store a batch, commit it
# ---------------------------------------------------------------------------


class AlreadyCommitted(Exception):
    """The batch was processed before (perhaps a moment ago, by a second click)."""


class StalePreview(Exception):
    """The database changed since the preview; the batch now holds the new plan."""

    def __init__(self, actions: list[dict]) -> None:
        super().__init__("stale preview")
        self.actions = actions


def file_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@transaction.atomic
def batch_create(
    *,
    board: Board,
    user,
    kind: str,
    filename: str,
    records: list[dict],
    content: bytes | None = None,
    sha256: str = "",
    summary: dict | None = None,
) -> ImportBatch:
    """Plan the parsed rows against the board and store them as a pending batch (the file's
    SHA-256 given, or computed from ``content``)."""
    week_ago = timezone.now() - datetime.timedelta(days=PENDING_DAYS)
    ImportBatch.objects.filter(
        board=board, committed_at__isnull=True, created_at__lt=week_ago
    ).delete()
    actions = plan_batch(board, kind, records)
    return ImportBatch.objects.create(
        board=board,
        user=user,
        kind=kind,
        filename=filename[:255],
        sha256=sha256 or file_hash(content or b""),
        rows=records,
        actions=actions,
        summary=summary or {},
    )


def plan_batch(board: Board, kind: str, records) -> list[dict]:
    """The plan of a batch's rows against the board as it is now. Staff files from HR have
    their own planner (schools/hr_import.py); their rows are a dict with the records."""
    if kind == Kind.STAFF:
        from .hr_import import plan_staff

        return plan_staff(board, records)
    return plan(kind, records, board_data(board, kind, records))


def batch_commit(*, batch: ImportBatch) -> dict[str, int]:
    """Apply every action of the batch in one transaction, or nothing at all.

    Raises AlreadyCommitted, StalePreview (the new plan is stored, nothing applied), or the
    ValidationError/DatabaseError that stopped the commit (everything rolled back).
    """
    try:
        with transaction.atomic():
            # A conditional UPDATE claims the batch: a second commit finds 0 rows, also on
            # SQLite where select_for_update does nothing.
            claimed = ImportBatch.objects.filter(pk=batch.pk, committed_at__isnull=True).update(
                committed_at=timezone.now()
            )
            if not claimed:
                raise AlreadyCommitted
            batch = ImportBatch.objects.select_related("board").get(pk=batch.pk)
            actions = plan_batch(batch.board, batch.kind, batch.rows)
            if actions != batch.actions:
                raise StalePreview(actions)
            if batch.kind == Kind.STAFF:
                from .hr_import import apply_staff, rows_after_commit

                apply_staff(batch.board, actions)
                # The file's records (every employee's name and address) are not needed any
                # more: the preview of a processed import shows its actions.
                ImportBatch.objects.filter(pk=batch.pk).update(rows=rows_after_commit(batch.rows))
                return count_actions(actions)
            pending = [
                apply_action(batch.board, batch.kind, action)
                for action in actions
                if action["action"] in APPLIED
            ]
            write_figures([figures for figures in pending if figures is not None])
    except StalePreview as stale:
        ImportBatch.objects.filter(pk=batch.pk, committed_at__isnull=True).update(
            actions=stale.actions
        )
        raise
    return count_actions(actions, batch.summary)


def apply_action(board: Board, kind: str, action: dict) -> SchoolFigures | None:
    """Apply one planned create/update, with the models' own validation.

    A school is saved at once; figures are returned validated but unsaved, for
    ``write_figures`` to write in batches with their history.
    """
    data = action["apply"]
    if kind == Kind.LOCATIONS:
        if action["action"] == CREATE:
            school = School(board=board, **data)
        else:
            school = board.schools.get(pk=data["school"])
            for field in ("name", "place"):
                if field in data:
                    setattr(school, field, data[field])
        school.full_clean()
        school.save()
        return None
    school_year, _created = SchoolYear.objects.get_or_create(start_year=data["start_year"])
    figures = SchoolFigures.objects.filter(
        school__board=board, school_id=data["school"], school_year=school_year
    ).first()
    if figures is None:  # only pupils create figures; the plan refuses groups without them
        figures = SchoolFigures(
            school=board.schools.get(pk=data["school"]), school_year=school_year
        )
    for field in ("pupils", "groups"):
        if field in data:
            setattr(figures, field, data[field])
    figures.full_clean()
    return figures


def write_figures(figures: list[SchoolFigures]) -> None:
    """Write the validated figures of an import in batches together with their history
    (django-simple-history's bulk helpers: the importing user, old and new values, as a save
    through the pages records them; the author comes from the request).

    Updated rows move their ``lock_version`` on, so a figures form opened before the import is
    refused instead of silently overwriting the imported number.
    """
    new = [row for row in figures if row.pk is None]
    changed = [row for row in figures if row.pk is not None]
    bulk_create_with_history(new, SchoolFigures, batch_size=BULK_BATCH)
    for row in changed:
        row.lock_version = F("lock_version") + 1
    if changed:
        bulk_update_with_history(
            changed,
            SchoolFigures,
            ["pupils", "groups", "lock_version"],
            batch_size=BULK_BATCH,
        )
