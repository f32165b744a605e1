"""Tables as CSV or XLSX, with the Dutch conventions of the board comparison (issue 15).

CSV: ';' separated, decimal comma, dates as dd-mm-jjjj, UTF-8 with a BOM (so that Excel on
Dutch Windows reads the accents), text that looks like a formula prefixed with an apostrophe.
XLSX: openpyxl's write-only mode (row by row), a bold header, number formats per column,
the header row frozen and a filter on it.

A column's kind: "text", "int", "one" (1 decimal), "fte" (2 decimals), "date".
Callers record the export as a security event (core knows nothing of the portal's models).
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence

from django.http import Http404, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _

# Characters that make a spreadsheet read a text cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLACES = {"fte": 2, "one": 1, "int": 0}
XLSX_FORMATS = {"fte": "0.00", "one": "0.0", "int": "0", "date": "dd-mm-yyyy"}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


def csv_cell(value: object, kind: str) -> str:
    """Excel NL: decimal comma; text that looks like a formula is quoted with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y")
    if kind in PLACES and not isinstance(value, str):
        return f"{value:.{PLACES[kind]}f}".replace(".", ",")
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def write_csv(
    header: Sequence[str], body: Iterable[Sequence], kinds: Sequence[str]
) -> tuple[bytes, str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for values in body:
        writer.writerow([csv_cell(v, k) for v, k in zip(values, kinds, strict=True)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), "text/csv; charset=utf-8"


def write_xlsx(
    header: Sequence[str],
    body: Sequence[Sequence],
    kinds: Sequence[str],
    *,
    sheet_title: str,
    freeze: str = "A2",
    bold_last: bool = False,
) -> tuple[bytes, str]:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    for index, label in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(40, max(10, len(label) + 2))
    sheet.freeze_panes = freeze
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(1, len(body))}"
    bold = Font(bold=True)
    formats = [XLSX_FORMATS.get(kind) for kind in kinds]

    def cell(value: object, number_format: str | None, *, strong: bool = False) -> WriteOnlyCell:
        if isinstance(value, Promise):  # a lazy translation
            value = str(value)
        if isinstance(value, str) and value.startswith(FORMULA_START):
            value = "'" + value
        written = WriteOnlyCell(sheet, value=value)
        if number_format:
            written.number_format = number_format
        if strong:
            written.font = bold
        return written

    sheet.append([cell(label, None, strong=True) for label in header])
    last = len(body) - 1
    for number, values in enumerate(body):
        strong = bold_last and number == last
        sheet.append([cell(v, f, strong=strong) for v, f in zip(values, formats, strict=True)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), XLSX_TYPE


def table_response(
    fmt: str,
    filename: str,
    header: Sequence[str],
    body: Sequence[Sequence],
    kinds: Sequence[str],
    *,
    sheet_title: str,
) -> HttpResponse:
    """The table as a download; 404 for a format other than csv or xlsx."""
    if fmt == "csv":
        content, content_type = write_csv(header, body, kinds)
    elif fmt == "xlsx":
        content, content_type = write_xlsx(header, body, kinds, sheet_title=sheet_title)
    else:
        raise Http404(_("Export as CSV or XLSX."))
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
