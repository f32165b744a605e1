"""Import of staff and appointments from the board's HR system (AFAS, Youforce): issue 15.

The same flow as the DUO import (schools/imports.py, whose machinery this reuses): upload ->
``read_hr_file`` (pure: bytes -> recognised columns + one record per row) -> a pending
``ImportBatch`` of kind STAFF -> preview -> ``batch_commit`` plans again against the database
and applies every action in one transaction, or nothing at all.

Decisions
---------
Reading a file
    * CSV (``;``, ``,`` or TAB, UTF-8 with or without BOM, Windows-1252, UTF-16: the DUO
      reader) or XLSX (the first sheet; Excel's dates and numbers are turned into text the
      CSV rules read). Same limits: 5 MB, 20,000 rows.
    * Layouts: AFAS exports the employee as "Medewerker" (the number) with one "Naam" column;
      Youforce as "Personeelsnummer" with separate "Voornaam"/"Roepnaam", "Tussenvoegsel" and
      "Achternaam". Either name style goes with either number column; the batch stores which
      layout and which column per field were recognised, and the preview says so.
    * A "Naam" of the form "Vries, Jan de" is last name, first name (and prefix); otherwise the
      first word is the first name.
    * FTE ("FTE", "Omvang", "Deeltijdfactor", "Werktijdfactor"): "0,8", "0.8000" or "80%";
      more than 0 and at most 1. Dates: 2026-08-01, 01-08-2026, 1-8-2026, 20260801.
    * School: "BRIN" + "Vestiging" (the DUO import's code rules: 21AZ + 00, or 21AZ00 in
      either column); a code that cannot be read is tried as the name of one of the board's
      schools (some exports give the organisational unit's name).
Who is who
    * The key is the personnel number within the board (``HrRecord``). A person without one
      yet is matched by e-mail among the board's own people (a role at the board or one of
      its schools). An address that belongs to an account outside the board is refused: the
      board cannot take over another board's account.
    * Several rows with one number are one person (one row per school: the shares of one
      appointment).
Function -> role
    * IB'er / intern begeleider / IB-coördinator -> an IB appointment at the board (kind
      "functie"), one share per school row with its fte; directeur / schoolleider (not
      adjunct) -> a director role at the school. Other functions are skipped with the reason.
    * A new appointment starts on the row's begindatum (required); its salary scale is the
      "Schaal" column when it is on the board's list, else the scale of most of the board's
      IB appointments (said); with neither it is left empty (said), to fill in on the
      appointment: never silently the first scale of the list (a teacher's LB).
      An existing current appointment keeps its start date; its shares and end date follow
      the file. Equal largest shares: the first row's school leads. The appointment rules
      (services.appointment_save: at most 1 fte, also across appointments) are checked at
      commit; a breach rolls the whole import back with the rule's message.
Leavers (ended, never deleted)
    * A row whose einddatum has passed, a person with an HR record whose function no longer
      gives a role, and (with "full export" ticked) a person with an HR record absent from the
      file: current appointments at the board end (the einddatum, else today; never before
      the day after the start), director roles at the board's schools are removed (the role
      history keeps them), the HR record gets ``ended_on``. The IB role at the board stays, so
      the ended appointment keeps its rules. An account with no other role and no current
      appointment left is blocked (``is_active``); a later import that brings the person
      back unblocks it.
Accounts
    * A new person gets an account named by their e-mail address, without a password: they
      set one through an invitation (schools/invitations.py), sent from the staff page.

Reasons, changes and layout names are stored as keys and translated when shown.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy

from . import imports
from .imports import (
    APPLIED,
    CREATE,
    MAX_BYTES,
    MAX_ROWS,
    REFUSED,
    SKIPPED,
    UNCHANGED,
    UPDATE,
    Cells,
    ImportFileError,
    RowError,
    change,
    decode,
    make_action,
    normalise_header,
    parse_code,
    read_table,
    reason,
    same_text,
    tidy,
)
from .models import (
    ONE_FTE,
    Appointment,
    Board,
    HrRecord,
    ImportBatch,
    Membership,
    Role,
    School,
)
from .services import ShareInput, appointment_end, appointment_save

IB, DIRECTOR = "ib", "director"
XLSX_SIGNATURE = b"PK\x03\x04"
# Excel 97-2003 (.xls), and an .xlsx encrypted with a password: an OLE compound file.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Field -> normalised header aliases (see imports.normalise_header), preferred first.
HR_COLUMNS: dict[str, tuple[str, ...]] = {
    "number": (
        "personeelsnummer",
        "persnr",
        "personeelsnr",
        "medewerkernummer",
        "medewerkernr",
        "medewerkercode",
        "werknemersnummer",
        "werknemernummer",
        "medewerker",
    ),
    "name": ("naam", "volledigenaam", "medewerkernaam", "weergavenaam", "medewerker"),
    "first_name": ("roepnaam", "voornaam", "voornamen"),
    "prefix": ("tussenvoegsel", "voorvoegsel", "voorvoegsels"),
    "last_name": ("achternaam", "geboortenaam"),
    "email": ("emailadres", "emailwerk", "emailadreswerk", "zakelijkemail", "email", "mail"),
    "brin": ("brin", "brinnummer", "brincode", "instellingscode"),
    "location": ("vestiging", "vestigingsnummer", "vestigingscode", "school", "locatie"),
    "fte": ("fte", "omvang", "omvangfte", "deeltijdfactor", "werktijdfactor", "wtf"),
    "function": ("functie", "functienaam", "omschrijvingfunctie", "functieomschrijving"),
    "start": (
        "begindatum",
        "ingangsdatum",
        "datumindienst",
        "begindatumcontract",
        "startdatum",
        "begindatumfunctie",
    ),
    "end": ("einddatum", "datumuitdienst", "einddatumcontract", "einddatumfunctie"),
    "scale": ("schaal", "salarisschaal", "loonschaal"),
}

# How the preview names the fields (the Dutch header most exports use).
HR_FIELD_NAMES = {
    "number": "Personeelsnummer",
    "name": "Naam",
    "first_name": "Voornaam",
    "prefix": "Tussenvoegsel",
    "last_name": "Achternaam",
    "email": "E-mailadres",
    "brin": "BRIN",
    "location": "Vestiging",
    "fte": "FTE",
    "function": "Functie",
    "start": "Begindatum",
    "end": "Einddatum",
    "scale": "Schaal",
}

LAYOUTS = {
    "afas": gettext_lazy("AFAS export (employee code in “Medewerker”, one name column)"),
    "youforce": gettext_lazy(
        "Youforce export (“Personeelsnummer”, first name and last name in separate columns)"
    ),
    "mixed": gettext_lazy("HR export (personnel number and name columns recognised)"),
}

HR_FILE_ERRORS = {
    "xlsx_unreadable": gettext_lazy(
        "The Excel file cannot be read. Save it again as .xlsx, or as CSV (semicolon separated)."
    ),
    "xlsx_is_text": gettext_lazy(
        "The file is named .xlsx but holds text, not an Excel workbook (a CSV file renamed?). "
        "Rename it to .csv, or open it in Excel and save it as Excel workbook (.xlsx)."
    ),
    "xlsx_damaged": gettext_lazy(
        "The file is named .xlsx but is not an Excel workbook: it is damaged or another kind "
        "of file. Open it in Excel and save it again as Excel workbook (.xlsx), or as CSV."
    ),
    "xls_old": gettext_lazy(
        "This is an old Excel file (.xls) or one protected with a password. Open it in Excel "
        "and save it as Excel workbook (.xlsx) without a password, or as CSV."
    ),
    "hr_not_text": gettext_lazy(
        "This is neither an Excel workbook (.xlsx) nor a CSV file. In your HR system, export "
        "the staff list as Excel or CSV and upload that file."
    ),
    "hr_wrong_type": gettext_lazy(
        "Only CSV and Excel files (.xlsx) can be imported. In your HR system, export the staff "
        "list as Excel or CSV."
    ),
    "hr_missing_columns": gettext_lazy(
        "Required columns are missing: %(missing)s. The file has these columns: %(found)s."
    ),
}
imports.FILE_ERRORS.update(HR_FILE_ERRORS)

imports.FIELD_LABELS.update(
    {
        "first_name": gettext_lazy("first name"),
        "last_name": gettext_lazy("last name"),
        "email": gettext_lazy("e-mail address"),
        "account": gettext_lazy("account"),
        "shares": gettext_lazy("schools and fte"),
        "appointment_end": gettext_lazy("end date of the appointment"),
        "director_of": gettext_lazy("director of"),
        "director_no_longer": gettext_lazy("no longer director of"),
        "personnel_number": gettext_lazy("personnel number"),
    }
)

imports.REASONS.update(
    {
        "no_number": gettext_lazy("No personnel number."),
        "no_person_name": gettext_lazy("No name."),
        "bad_email": gettext_lazy("Invalid e-mail address “%(value)s”."),
        "no_email": gettext_lazy("No e-mail address: a new person needs one to sign in."),
        "email_other_board": gettext_lazy(
            "The e-mail address belongs to an account outside your board: ask the portal's "
            "administrator."
        ),
        "email_in_use": gettext_lazy(
            "The e-mail address belongs to another person of your board (%(name)s)."
        ),
        "number_in_use": gettext_lazy(
            "This person already has personnel number %(number)s at your board."
        ),
        "bad_fte": gettext_lazy("Invalid fte “%(value)s”: more than 0 and at most 1, e.g. 0,8."),
        "no_fte": gettext_lazy("No fte for the IB appointment."),
        "fte_total": gettext_lazy(
            "Together the rows come to %(total)s fte; an appointment is at most 1 fte."
        ),
        "bad_date": gettext_lazy("Invalid date “%(value)s”: write it as 01-08-2026."),
        "end_before_start": gettext_lazy("The end date is not after the begin date."),
        "no_start": gettext_lazy("No begin date for the new appointment."),
        "no_school": gettext_lazy("No school (BRIN and vestiging)."),
        "unknown_hr_school": gettext_lazy("Your board has no school “%(value)s”."),
        "no_role": gettext_lazy(
            "Function “%(function)s” has no role in the portal (only IB'ers and directors)."
        ),
        "other_rows_no_role": gettext_lazy(
            "Rows %(rows)s have a function without a role in the portal and are left out."
        ),
        "new_account": gettext_lazy("A new account without a password: invite the person."),
        "default_scale": gettext_lazy("Salary scale %(scale)s (the board's first scale)."),
        "usual_scale": gettext_lazy(
            "No salary scale in the file: %(scale)s, the scale of most of your board's IB "
            "appointments. Check it, or add the column Schaal."
        ),
        "unknown_scale_used": gettext_lazy(
            "Salary scale “%(value)s” is not on your board's list (%(codes)s): %(scale)s, the "
            "scale of most of your board's IB appointments, is used."
        ),
        "no_scale": gettext_lazy(
            "No salary scale: the new IB appointment gets none until you fill it in on the "
            "appointment (or add the column Schaal with one of your board's scales: %(codes)s)."
        ),
        "unknown_scale": gettext_lazy(
            "Salary scale “%(value)s” is not on your board's list (%(codes)s)."
        ),
        "lead_school": gettext_lazy("Equal largest shares: %(school)s leads."),
        "left_absent": gettext_lazy("Not in this full export: the person has left."),
        "left_end_date": gettext_lazy("End date %(date)s has passed: the person has left."),
        "left_function": gettext_lazy(
            "Function “%(function)s” no longer gives a role in the portal."
        ),
        "ends_appointment": gettext_lazy("The IB appointment ends on %(date)s."),
        "blocks_account": gettext_lazy("No other role is left: the account is blocked."),
        "unblocks_account": gettext_lazy("The account is unblocked."),
        "nothing_to_end": gettext_lazy("Nothing left to end."),
    }
)


# ---------------------------------------------------------------------------
# Bytes -> a table of strings (CSV through the DUO reader, XLSX through openpyxl)
# ---------------------------------------------------------------------------


def cell_text(value: object) -> str:
    """An Excel cell as the CSV rules read it: dates as 2026-08-01, 1234.0 as 1234."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_xlsx(content: bytes) -> imports.Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        raise ImportFileError("xlsx_unreadable") from error
    except Exception as error:  # openpyxl lets other parser errors through (XML, TypeError)
        raise ImportFileError("xlsx_unreadable") from error
    try:
        if not workbook.worksheets:
            raise ImportFileError("xlsx_unreadable")
        sheet = workbook.worksheets[0]
        headers: list[str] | None = None
        rows: list[tuple[int, list[str]]] = []
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [cell_text(value) for value in values]
            if not any(cells):
                continue
            if headers is None:
                headers = cells
            elif len(rows) >= MAX_ROWS:
                raise ImportFileError("too_many_rows", max=MAX_ROWS)
            else:
                rows.append((line, cells))
    except ImportFileError:
        raise
    except Exception as error:  # a damaged sheet inside a readable zip: any parser error
        raise ImportFileError("xlsx_unreadable") from error
    finally:
        workbook.close()
    if headers is None:
        raise ImportFileError("empty")
    if not rows:
        raise ImportFileError("no_rows")
    return imports.Table(headers, rows)


def read_hr_table(content: bytes, filename: str = "") -> imports.Table:
    """The file by what it holds (an Excel workbook is a zip file), with an error that says
    what is wrong when the name promises something else."""
    if len(content) > MAX_BYTES:
        raise ImportFileError("too_large", max=MAX_BYTES // (1024 * 1024))
    if content.startswith(XLSX_SIGNATURE):
        return read_xlsx(content)
    if content.startswith(OLE_SIGNATURE):
        raise ImportFileError("xls_old")
    try:
        text = decode(content)
    except ImportFileError as error:
        damaged = filename.lower().endswith(".xlsx")
        raise ImportFileError("xlsx_damaged" if damaged else "hr_not_text") from error
    if filename.lower().endswith(".xlsx"):
        raise ImportFileError("xlsx_is_text")
    return read_table(text)


def find_hr_columns(headers: list[str]) -> tuple[str, dict[str, int]]:
    """(layout key, field -> column position); ImportFileError naming what is missing."""
    positions: dict[str, int] = {}
    for position, header in enumerate(headers):
        positions.setdefault(normalise_header(header), position)
    found: dict[str, int] = {}
    for field, aliases in HR_COLUMNS.items():
        used = set(found.values())
        alias = next((a for a in aliases if a in positions and positions[a] not in used), None)
        if alias is not None:
            found[field] = positions[alias]
    missing = []
    if "number" not in found:
        missing.append("Personeelsnummer / Medewerker")
    if "name" not in found and "last_name" not in found:
        missing.append("Naam / Achternaam")
    if "function" not in found:
        missing.append("Functie")
    if "brin" not in found and "location" not in found:
        missing.append("BRIN / Vestiging")
    if missing:
        shown = [header for header in headers[:20] if header] or ["-"]
        raise ImportFileError(
            "hr_missing_columns", missing="; ".join(missing), found=", ".join(shown)
        )
    number_header = normalise_header(headers[found["number"]])
    split_name = "last_name" in found
    if number_header == "medewerker" and not split_name:
        layout = "afas"
    elif number_header == "personeelsnummer" and split_name:
        layout = "youforce"
    else:
        layout = "mixed"
    return layout, found


# ---------------------------------------------------------------------------
# Cells -> values
# ---------------------------------------------------------------------------

HR_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%Y%m%d", "%d/%m/%Y", "%Y/%m/%d", "%d.%m.%Y")


def parse_date(value: str | None) -> datetime.date | None:
    """A date as HR exports write it; None when empty; RowError when unreadable."""
    text = (value or "").strip().split(" ")[0].split("T")[0]
    if not text:
        return None
    for date_format in HR_DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    raise RowError(reason("bad_date", value=value))


def parse_fte(value: str | None) -> Decimal | None:
    """0,8 / 0.8000 / 80%; None when empty; RowError outside (0, 1]."""
    raw = (value or "").strip()
    if not raw:
        return None
    text = raw.replace(" ", "").replace(",", ".")
    percent = text.endswith("%")
    try:
        number = Decimal(text.rstrip("%"))
    except InvalidOperation as error:
        raise RowError(reason("bad_fte", value=raw)) from error
    if percent:
        number = number / 100
    if not number.is_finite() or number <= 0 or number > ONE_FTE:
        raise RowError(reason("bad_fte", value=raw))
    return number.quantize(Decimal("0.0001"))


IB_FUNCTION = re.compile(
    r"\b(ib|ib'?er|ib-er|ibc|intern\s*begeleider|internbegeleider|ib-co[oö]rdinator)\b"
)
DIRECTOR_FUNCTION = re.compile(r"(directeur|schoolleider|director)")


def role_for(function: str) -> str | None:
    text = function.casefold().replace("’", "'")
    if "adjunct" not in text and DIRECTOR_FUNCTION.search(text):
        return DIRECTOR
    if IB_FUNCTION.search(text.replace("-", " ").replace("ib er", "ib'er")) or re.search(
        r"\bib[-']", text
    ):
        return IB
    return None


def split_name(cells: Cells) -> tuple[str, str]:
    if cells.has("last_name"):
        first = tidy(cells.get("first_name"))
        last = tidy(f"{cells.get('prefix') or ''} {cells.get('last_name') or ''}")
        return first, last
    name = tidy(cells.get("name"))
    if "," in name:
        last, _comma, rest = name.partition(",")
        words = rest.split()
        # "Vries, Jan de": the prefix follows the first name.
        first = words[0] if words else ""
        return first, tidy(" ".join(words[1:] + [last]))
    first, _space, last = name.partition(" ")
    return first, last


def hr_record(line: int, cells: Cells) -> dict:
    first, last = split_name(cells)
    record = {
        "row": line,
        "number": tidy(cells.get("number")),
        "first_name": first[:150],
        "last_name": last[:150],
        "email": (cells.get("email") or "").strip().lower(),
        "function": tidy(cells.get("function"))[:100],
        "role": None,
        "brin": None,
        "location": None,
        "school_text": "",
        "fte": None,
        "start": None,
        "end": None,
        "scale": tidy(cells.get("scale")).upper(),
        "error": None,
    }
    record["role"] = role_for(record["function"])
    # Every reason the row is refused for, not only the first: one upload fixes them all.
    errors: list[dict] = []

    def check(step) -> object:
        try:
            return step()
        except RowError as error:
            errors.append(error.why)
            return None

    if not record["number"]:
        errors.append(reason("no_number"))
    if not (first or last):
        errors.append(reason("no_person_name"))
    if record["email"]:
        try:
            validate_email(record["email"])
        except ValidationError:
            errors.append(reason("bad_email", value=record["email"]))
    start = check(lambda: parse_date(cells.get("start")))
    end = check(lambda: parse_date(cells.get("end")))
    if start and end and end <= start:
        errors.append(reason("end_before_start"))
    record["start"] = start.isoformat() if start else None
    record["end"] = end.isoformat() if end else None
    if record["role"] is not None:
        check(lambda: read_school(record, cells))
    if record["role"] == IB:
        fte = check(lambda: parse_fte(cells.get("fte")))
        record["fte"] = str(fte) if fte is not None else None
    record["error"] = errors[0] if errors else None
    record["errors"] = errors
    return record


def read_school(record: dict, cells: Cells) -> None:
    brin_cell, location_cell = cells.get("brin") or "", cells.get("location") or ""
    text = tidy(f"{brin_cell} {location_cell}")
    if not text:
        raise RowError(reason("no_school"))
    if not brin_cell and imports.FULL_CODE.fullmatch(imports.compact(location_cell)):
        brin_cell, location_cell = location_cell, ""
    try:
        record["brin"], record["location"] = parse_code(brin_cell, location_cell)
    except RowError:
        # Not a code: perhaps the school's name (matched in the plan).
        record["school_text"] = tidy(location_cell or brin_cell)


def read_hr_file(content: bytes, *, full: bool, filename: str = "") -> dict:
    """Bytes -> {"layout", "columns" (field -> header), "full", "records"}."""
    table = read_hr_table(content, filename)
    layout, columns = find_hr_columns(table.headers)
    records = [hr_record(line, Cells(values, columns)) for line, values in table.rows]
    return {
        "layout": layout,
        "columns": {field: table.headers[position] for field, position in columns.items()},
        "full": full,
        "records": records,
    }


def recognised(rows: dict) -> dict:
    """What the preview says about the file: its layout and which column gave which field."""
    return {
        "layout": LAYOUTS.get(rows.get("layout"), ""),
        "columns": [
            (HR_FIELD_NAMES[field], header)
            for field, header in rows.get("columns", {}).items()
            if field in HR_FIELD_NAMES
        ],
        "full": rows.get("full", False),
    }


# ---------------------------------------------------------------------------
# What the board has now, and the plan against it
# ---------------------------------------------------------------------------


def board_snapshot(board: Board, rows: dict) -> dict:
    """Everything the plan reads, in a fixed number of queries."""
    records = rows["records"]
    schools = list(board.schools.only("pk", "brin", "location_code", "name"))
    people = set(
        Membership.objects.filter(Q(board=board) | Q(school__board=board)).values_list(
            "user_id", flat=True
        )
    )
    hr = {
        number: (user_id, ended_on)
        for number, user_id, ended_on in HrRecord.objects.filter(board=board).values_list(
            "personnel_number", "user_id", "ended_on"
        )
    }
    emails = {r["email"] for r in records if r["email"]}
    user_ids = people | {user_id for user_id, _ended in hr.values()}
    users = {
        row["pk"]: row
        for row in get_user_model()
        .objects.annotate(email_lower=Lower("email"), username_lower=Lower("username"))
        .filter(Q(pk__in=user_ids) | Q(email_lower__in=emails) | Q(username_lower__in=emails))
        .values("pk", "username", "first_name", "last_name", "email", "is_active")
    }
    today = timezone.localdate()
    appointments: dict[int, list[dict]] = defaultdict(list)
    for appointment in (
        Appointment.objects.filter(board=board, ib_id__in=user_ids)
        .not_ended_on(today)
        .prefetch_related("shares")
        .order_by("-start_date", "-pk")
    ):
        appointments[appointment.ib_id].append(
            {
                "pk": appointment.pk,
                "start": appointment.start_date.isoformat(),
                "end": appointment.end_date.isoformat() if appointment.end_date else None,
                "shares": {str(s.school_id): str(s.fte) for s in appointment.shares.all()},
            }
        )
    memberships = list(
        Membership.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "role", "board_id", "school_id"
        )
    )
    school_ids = {school.pk for school in schools}
    directing: dict[int, set[int]] = defaultdict(set)
    other_roles: dict[int, int] = defaultdict(int)
    ib_members = set()
    for user_id, role, board_id, school_id in memberships:
        if role == Role.DIRECTOR and school_id in school_ids:
            directing[user_id].add(school_id)
        elif role == Role.IB and board_id == board.pk:
            ib_members.add(user_id)
        else:
            other_roles[user_id] += 1
    elsewhere = set(
        Appointment.objects.filter(ib_id__in=user_ids)
        .exclude(board=board)
        .not_ended_on(today)
        .values_list("ib_id", flat=True)
    )
    scales = board.salary_scale_codes
    # The board's IB scale: the one most of its IB appointments have.
    ib_scale = next(
        (
            code
            for code in Appointment.objects.filter(board=board, salary_scale__in=scales)
            .values("salary_scale")
            .annotate(n=Count("pk"))
            .order_by("-n", "salary_scale")
            .values_list("salary_scale", flat=True)
        ),
        None,
    )
    return {
        "today": today,
        "scales": scales,
        "ib_scale": ib_scale,
        "schools": {s.code: s for s in schools},
        "school_names": {s.name.casefold(): s for s in schools},
        "people": people,
        "hr": hr,
        "users": users,
        "by_email": {u["email"].lower(): pk for pk, u in users.items() if u["email"]},
        "usernames": {u["username"].lower(): pk for pk, u in users.items()},
        "appointments": appointments,
        "directing": directing,
        "other_roles": other_roles,
        "ib_members": ib_members,
        "elsewhere": elsewhere,
    }


def full_name(first: str, last: str) -> str:
    return tidy(f"{first} {last}")


def school_of(record: dict, data: dict) -> School | dict:
    """The board's school of a row, or the reason why none (the DUO import's code rules)."""
    if record["brin"]:
        school, why = imports.find_school(_finder(data), record["brin"], record["location"])
        if school is not None:
            return data["schools"][school["code"]]
        code = record["brin"] + (record["location"] or "")
        return why or reason("unknown_hr_school", value=code)
    school = data["school_names"].get(record["school_text"].casefold())
    if school is None:
        return reason("unknown_hr_school", value=record["school_text"])
    return school


def _finder(data: dict) -> imports.BoardData:
    cached = data.get("_finder")
    if cached is None:
        schools = {
            code: {"pk": s.pk, "brin": s.brin, "code": code, "name": s.name, "place": ""}
            for code, s in data["schools"].items()
        }
        cached = data["_finder"] = imports.BoardData("", schools, frozenset(), {})
    return cached


def fte_text(value: str | Decimal) -> str:
    """0,6 whatever the request's language: the plan made at the commit must equal the
    preview's (a stored text does not follow the reader's locale)."""
    number = Decimal(value).normalize()
    return f"{number:f}".replace(".", ",")


def shares_text(shares: dict[str, str], data: dict) -> str:
    names = {str(s.pk): s.name for s in data["schools"].values()}
    return ", ".join(
        f"{names.get(pk, pk)} {fte_text(fte)}"
        for pk, fte in sorted(shares.items(), key=lambda item: -Decimal(item[1]))
    )


def plan_staff(board: Board, rows: dict) -> list[dict]:
    """One action per person (personnel number), per refused row, and per leaver."""
    data = board_snapshot(board, rows)
    actions: list[dict] = []
    groups: dict[str, list[dict]] = defaultdict(list)
    for record in rows["records"]:
        if record["error"] is not None:
            code = record["number"] or "?"
            name = full_name(record["first_name"], record["last_name"])
            why = record.get("errors") or [record["error"]]
            actions.append(make_action(REFUSED, [record["row"]], code, name=name, reasons=why))
        else:
            groups[record["number"]].append(record)
    for number, group in groups.items():
        actions.append(person_action(number, group, data))
    if rows.get("full"):
        in_file = {record["number"] for record in rows["records"] if record["number"]}
        for number, (user_id, ended_on) in sorted(data["hr"].items()):
            if number not in in_file and ended_on is None:
                actions.append(
                    leaver_action(number, user_id, data, [], reason("left_absent"), None)
                )
    return sorted(actions, key=lambda action: (action["row"] or 10**9, action["code"]))


def person_action(number: str, group: list[dict], data: dict) -> dict:
    rows = [record["row"] for record in group]
    first = group[0]
    name = full_name(first["first_name"], first["last_name"])
    with_role = [record for record in group if record["role"] is not None]
    today = data["today"]
    known = data["hr"].get(number)
    if not with_role:
        why = reason("left_function", function=first["function"])
        if known is not None and known[1] is None:
            return leaver_action(number, known[0], data, rows, why, None, name=name)
        why = reason("no_role", function=first["function"] or "–")
        return make_action(SKIPPED, rows, number, name=name, reasons=[why])
    notes = []
    if len(with_role) < len(group):
        left_out = [record["row"] for record in group if record["role"] is None]
        notes.append(reason("other_rows_no_role", rows=imports.rows_text(left_out)))
    ends = [record["end"] for record in with_role]
    if all(ends) and max(ends) < today.isoformat():
        end = max(ends)
        why = reason("left_end_date", date=date_text(end))
        if known is None or known[1] is not None:
            return make_action(SKIPPED, rows, number, name=name, reasons=[why])
        return leaver_action(number, known[0], data, rows, why, end, name=name)

    # Who: the HR record, else the e-mail address among the board's people.
    email = next((record["email"] for record in group if record["email"]), "")
    user_id = known[0] if known else None
    refuse = lambda why: make_action(REFUSED, rows, number, name=name, reasons=[why])  # noqa: E731
    if user_id is None and email:
        match = data["by_email"].get(email) or data["usernames"].get(email)
        if match is not None and match not in data["people"]:
            return refuse(reason("email_other_board"))
        if match is not None and match in {uid for uid, _e in data["hr"].values()}:
            other = next(n for n, (uid, _e) in data["hr"].items() if uid == match)
            return refuse(reason("number_in_use", number=other))
        user_id = match
    if user_id is None and not email:
        return refuse(reason("no_email"))
    if user_id is not None and email:
        owner = data["by_email"].get(email) or data["usernames"].get(email)
        if owner is not None and owner != user_id:
            if owner not in data["people"]:
                return refuse(reason("email_other_board"))
            other = data["users"][owner]
            return refuse(reason("email_in_use", name=full_name(other["first_name"],
                                                                other["last_name"])))  # fmt: skip

    changes: list[dict] = []
    apply: dict = {
        "number": number,
        "user": user_id,
        "function": first["function"] if not with_role else with_role[0]["function"],
        "user_fields": {},
        "ib": None,
        "directors_add": [],
        "directors_remove": [],
        "activate": False,
        "new_record": known is None,
        "reopen": bool(known and known[1] is not None),
    }
    wanted = {"first_name": first["first_name"], "last_name": first["last_name"]}
    if email:
        wanted["email"] = email
    if user_id is None:
        notes.append(reason("new_account"))
        apply["user_fields"] = {**wanted, "username": email}
        changes += [change(field, None, value) for field, value in wanted.items() if value]
    else:
        user = data["users"][user_id]
        for field, value in wanted.items():
            if value and not same_text(user[field] or "", value):
                changes.append(change(field, user[field], value))
                apply["user_fields"][field] = value
        if not user["is_active"]:
            apply["activate"] = True
            notes.append(reason("unblocks_account"))
    if known is None:
        changes.append(change("personnel_number", None, number))

    # Schools of the rows.
    schools: list[tuple[dict, School]] = []
    for record in with_role:
        school = school_of(record, data)
        if isinstance(school, dict):
            why = {**school, "row": record["row"]}
            return make_action(REFUSED, rows, number, name=name, reasons=[why])
        schools.append((record, school))

    ib_rows = [(r, s) for r, s in schools if r["role"] == IB]
    director_rows = [(r, s) for r, s in schools if r["role"] == DIRECTOR]
    if ib_rows:
        result = ib_plan(user_id, ib_rows, data, changes, notes)
        if result is not None and "key" in result:
            return refuse(result)
        apply["ib"] = result
    current = data["directing"].get(user_id, set()) if user_id else set()
    wanted_schools = {s.pk for _r, s in director_rows}
    names = {s.pk: s.name for s in data["schools"].values()}
    add = sorted(wanted_schools - current)
    if add:
        apply["directors_add"] = add
        changes.append(change("director_of", None, ", ".join(names[pk] for pk in add)))
    remove = sorted(current - wanted_schools) if director_rows or ib_rows else []
    if remove:
        apply["directors_remove"] = remove
        changes.append(change("director_no_longer", None, ", ".join(names[pk] for pk in remove)))
    roles = sorted({r["role"] for r in with_role})
    action_name = name
    what = CREATE if user_id is None else (UPDATE if changes or apply["activate"] else UNCHANGED)
    if what == UNCHANGED and (apply["new_record"] or apply["reopen"]):
        what = UPDATE
    action = make_action(
        what,
        rows,
        number,
        name=action_name,
        reasons=notes,
        changes=changes,
        apply=apply if what in APPLIED else None,
    )
    action["roles"] = roles
    return action


# Stored as keys, translated when shown: the plan made at the commit must equal the preview's
# whatever the language of either request.
ROLE_LABELS = {
    IB: gettext_lazy("IB'er"),
    DIRECTOR: gettext_lazy("director"),
    "left": gettext_lazy("left"),
}


def is_leaver(action: dict) -> bool:
    """Whether the action ends the person at the board (gone from a full export, an end date
    that has passed, a function without a role)."""
    return action.get("roles") == ["left"]


def roles_text(action: dict) -> str:
    return ", ".join(str(ROLE_LABELS[role]) for role in action.get("roles", []))


def date_text(iso: str) -> str:
    """Stored as ISO (the plan must not depend on the language); shown as "1 aug 2026" by
    imports.shown_value."""
    return datetime.date.fromisoformat(iso).isoformat()


def ib_plan(
    user_id: int | None, ib_rows: list, data: dict, changes: list, notes: list
) -> dict | None:
    """The appointment the IB rows ask for, or a reason (refusal)."""
    shares: dict[str, Decimal] = {}
    for record, school in ib_rows:
        if record["fte"] is None:
            return {**reason("no_fte"), "row": record["row"]}
        shares[str(school.pk)] = shares.get(str(school.pk), Decimal(0)) + Decimal(record["fte"])
    total = sum(shares.values(), Decimal(0))
    if total > ONE_FTE:
        return reason("fte_total", total=fte_text(total))
    ends = [record["end"] for record, _s in ib_rows]
    end = None if not all(ends) else max(ends)
    largest = max(shares.values())
    tied = [pk for pk, fte in shares.items() if fte == largest]
    lead = int(tied[0]) if len(tied) > 1 else None
    if lead is not None:
        name = next(s.name for s in data["schools"].values() if s.pk == lead)
        notes.append(reason("lead_school", school=name))
    shares_json = {pk: str(fte) for pk, fte in shares.items()}
    existing = data["appointments"].get(user_id, []) if user_id else []
    if existing:
        appointment = existing[0]
        old = {pk: str(Decimal(fte).normalize()) for pk, fte in appointment["shares"].items()}
        new = {pk: str(Decimal(fte).normalize()) for pk, fte in shares_json.items()}
        if old != new:
            changes.append(
                change(
                    "shares",
                    shares_text(appointment["shares"], data),
                    shares_text(shares_json, data),
                )  # fmt: skip
            )
        if end != appointment["end"] and (end is None or end > appointment["start"]):
            changes.append(
                change(
                    "appointment_end",
                    date_text(appointment["end"]) if appointment["end"] else "",
                    date_text(end) if end else "",
                )  # fmt: skip
            )
        else:
            end = appointment["end"]
        if old == new and end == appointment["end"]:
            return {"appointment": appointment["pk"], "unchanged": True}
        return {
            "appointment": appointment["pk"],
            "shares": shares_json,
            "end": end,
            "lead": lead,
            "ensure_member": user_id not in data["ib_members"],
        }
    starts = [record["start"] for record, _s in ib_rows if record["start"]]
    if not starts:
        return reason("no_start")
    scale = next((r["scale"] for r, _s in ib_rows if r["scale"] in data["scales"]), None)
    if scale is None:
        # Never silently the board's first scale (a teacher's LB for an IB'er): the scale of
        # most of the board's IB appointments, said so, or none (said) to fill in later.
        given = next((r["scale"] for r, _s in ib_rows if r["scale"]), "")
        codes = ", ".join(data["scales"]) or "–"
        scale = data["ib_scale"] or ""
        if scale and given:
            notes.append(reason("unknown_scale_used", value=given, codes=codes, scale=scale))
        elif scale:
            notes.append(reason("usual_scale", scale=scale))
        else:  # the board's first IB appointments: none to go by, so none rather than a guess
            if given:
                notes.append(reason("unknown_scale", value=given, codes=codes))
            notes.append(reason("no_scale", codes=codes))
    changes.append(change("shares", None, shares_text(shares_json, data)))
    return {
        "appointment": None,
        "shares": shares_json,
        "start": min(starts),
        "end": end,
        "scale": scale,
        "lead": lead,
        "ensure_member": user_id is None or user_id not in data["ib_members"],
    }


def leaver_action(
    number: str,
    user_id: int,
    data: dict,
    rows: list[int],
    why: dict,
    end: str | None,
    *,
    name: str = "",
) -> dict:
    """End the person's roles at the board (never delete them)."""
    user = data["users"].get(user_id) or {"first_name": "", "last_name": "", "is_active": True}
    name = name or full_name(user["first_name"], user["last_name"])
    day = datetime.date.fromisoformat(end) if end else data["today"]
    notes = [why]
    ending = []
    for appointment in data["appointments"].get(user_id, []):
        start = datetime.date.fromisoformat(appointment["start"])
        last = max(day, start + datetime.timedelta(days=1))
        ending.append({"pk": appointment["pk"], "end": last.isoformat()})
        notes.append(reason("ends_appointment", date=last.isoformat()))
    directing = sorted(data["directing"].get(user_id, set()))
    names = {s.pk: s.name for s in data["schools"].values()}
    changes = []
    if directing:
        changes.append(change("director_no_longer", None, ", ".join(names[pk] for pk in directing)))
    block = (
        user["is_active"]
        and not data["other_roles"].get(user_id)
        and user_id not in data["elsewhere"]
    )
    if block:
        notes.append(reason("blocks_account"))
    apply = {
        "leave": True,
        "number": number,
        "user": user_id,
        "on": day.isoformat(),
        "appointments": ending,
        "directors_remove": directing,
        "block": bool(block),
    }
    action = make_action(
        UPDATE, rows or [0], number, name=name, reasons=notes, changes=changes, apply=apply
    )
    if not rows:
        action["row"] = None
        action["rows"] = []
    action["roles"] = ["left"]
    return action


# ---------------------------------------------------------------------------
# Applying (inside batch_commit's transaction)
# ---------------------------------------------------------------------------


def apply_staff(board: Board, actions: list[dict]) -> None:
    for action in actions:
        if action["action"] not in APPLIED:
            continue
        data = action["apply"]
        if data.get("leave"):
            apply_leave(board, data)
        else:
            apply_person(board, data)


def apply_person(board: Board, data: dict) -> None:
    User = get_user_model()
    if data["user"] is None:
        fields = data["user_fields"]
        user = User(
            username=fields["username"],
            email=fields["email"],
            first_name=fields["first_name"],
            last_name=fields["last_name"],
        )
        user.set_unusable_password()
        user.full_clean()
        user.save()
    else:
        user = User.objects.get(pk=data["user"])
        if data["user_fields"] or data["activate"]:
            for field, value in data["user_fields"].items():
                setattr(user, field, value)
            user.is_active = True
            user.full_clean()
            user.save()
    record, _created = HrRecord.objects.get_or_create(
        board=board, personnel_number=data["number"], defaults={"user": user}
    )
    record.user, record.function, record.ended_on = user, data["function"], None
    record.full_clean()
    record.save()
    ib = data["ib"]
    if ib is not None and not ib.get("unchanged"):
        if ib["ensure_member"]:
            Membership.objects.get_or_create(user=user, role=Role.IB, board=board)
        wanted = [int(pk) for pk in ib["shares"]]
        schools = {str(s.pk): s for s in board.schools.filter(pk__in=wanted)}
        if ib["appointment"] is None:
            appointment = Appointment(
                ib=user,
                board=board,
                kind=Appointment.Kind.FUNCTIE,
                salary_scale=ib["scale"],
                start_date=datetime.date.fromisoformat(ib["start"]),
            )
        else:
            appointment = Appointment.objects.get(pk=ib["appointment"], board=board)
        appointment.end_date = datetime.date.fromisoformat(ib["end"]) if ib["end"] else None
        appointment.lead_school = schools[str(ib["lead"])] if ib["lead"] else None
        appointment_save(
            appointment=appointment,
            shares=[ShareInput(schools[pk], Decimal(fte)) for pk, fte in ib["shares"].items()],
        )
    for school in board.schools.filter(pk__in=data["directors_add"]):
        membership = Membership(user=user, role=Role.DIRECTOR, school=school)
        membership.full_clean()
        membership.save()
    remove_directors(board, user.pk, data["directors_remove"])


def remove_directors(board: Board, user_id: int, school_ids: list[int]) -> None:
    # One by one, so the role history records each removal.
    for membership in Membership.objects.filter(
        user_id=user_id, role=Role.DIRECTOR, school__board=board, school_id__in=school_ids
    ):
        membership.delete()


def apply_leave(board: Board, data: dict) -> None:
    for item in data["appointments"]:
        appointment = Appointment.objects.get(pk=item["pk"], board=board)
        appointment_end(appointment=appointment, end_date=datetime.date.fromisoformat(item["end"]))
    remove_directors(board, data["user"], data["directors_remove"])
    record = HrRecord.objects.get(board=board, personnel_number=data["number"])
    record.ended_on = datetime.date.fromisoformat(data["on"])
    record.save()
    if data["block"]:
        get_user_model().objects.filter(pk=data["user"]).update(is_active=False)


# ---------------------------------------------------------------------------
# Anonymisation: nothing of the person stays in stored HR files (schools/personal_data.py)
# ---------------------------------------------------------------------------

# What a committed batch keeps of its file: the preview still says which layout and columns
# were recognised; the records themselves (names, e-mail addresses of every employee) are
# only needed to plan the commit again.
KEPT_AFTER_COMMIT = ("layout", "columns", "full")


def rows_after_commit(rows: dict) -> dict:
    return {key: rows[key] for key in KEPT_AFTER_COMMIT if key in rows}


def scrub_person_from_imports(user, pseudonym: str) -> int:
    """Remove ``user`` from every stored HR import batch (before their HR records go): their
    records leave the batch's rows; their actions keep the row numbers, the kind of action
    and the reasons (the board's figures and the per-row report) but name the pseudonym and
    lose the changes and the personnel number; their name, e-mail address and personnel
    numbers are replaced wherever another row's reason names them. Returns batches changed."""
    numbers = defaultdict(set)
    for board_id, number in HrRecord.objects.filter(user=user).values_list(
        "board_id", "personnel_number"
    ):
        numbers[board_id].add(number)
    addresses = {value.lower() for value in (user.email, user.get_username()) if value}
    names = {name for name in (user.get_full_name(),) if len(name) >= 3}
    changed = 0
    batches = ImportBatch.objects.filter(kind=ImportBatch.Kind.STAFF)
    for batch in batches.only("pk", "board_id", "rows", "actions").iterator():
        own = numbers.get(batch.board_id, set())
        rows, actions = scrub_batch(
            batch.rows, batch.actions, user.pk, own, addresses, names, pseudonym
        )
        if (rows, actions) != (batch.rows, batch.actions):
            ImportBatch.objects.filter(pk=batch.pk).update(rows=rows, actions=actions)
            changed += 1
    return changed


def scrub_batch(
    rows: dict,
    actions: list[dict],
    user_id: int,
    numbers: set[str],
    addresses: set[str],
    names: set[str],
    pseudonym: str,
) -> tuple[dict, list[dict]]:
    if not isinstance(rows, dict):
        return rows, actions
    records = rows.get("records") or []
    theirs = [
        r for r in records if r.get("number") in numbers or r.get("email", "").lower() in addresses
    ]
    numbers = numbers | {r["number"] for r in theirs if r.get("number")}
    names = names | {full_name(r["first_name"], r["last_name"]) for r in theirs}
    names = {name for name in names if len(name) >= 3}
    their_rows = {r["row"] for r in theirs}
    kept = [r for r in records if r not in theirs]
    scrubbed = []
    for action in actions:
        apply = action.get("apply") or {}
        if (
            set(action.get("rows") or []) & their_rows
            or action.get("code") in numbers
            or apply.get("user") == user_id
        ):
            action = {
                **action,
                "code": "",
                "name": pseudonym,
                "changes": [],
                "apply": None,
            }
        scrubbed.append(replace_texts(action, numbers, addresses, names, pseudonym))
    return {**rows, "records": kept}, scrubbed


def replace_texts(value, numbers: set[str], addresses: set[str], names: set[str], pseudonym: str):
    """``value`` (JSON) with the person's number, address or name replaced in every text."""
    if isinstance(value, dict):
        return {k: replace_texts(v, numbers, addresses, names, pseudonym) for k, v in value.items()}
    if isinstance(value, list):
        return [replace_texts(v, numbers, addresses, names, pseudonym) for v in value]
    if not isinstance(value, str):
        return value
    if value in numbers or value.lower() in addresses:
        return pseudonym
    for name in names:
        value = re.sub(rf"\b{re.escape(name)}\b", pseudonym, value, flags=re.I)
    return value
