"""Export of the daily-work lists to .xlsx (openpyxl, write-only). A text cell that begins with
= + - or @ is written as text, never as a formula: an enterprise named "=HYPERLINK(…)" typed by a
user must not run in the reader's Excel (CSV/formula injection)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from zhaoshang.core.text import cell_text

FORMULA_PREFIXES = ("=", "+", "-", "@")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(ws, value):
    # Decimal goes to openpyxl as it is (written as its exact text in the XML, never via float).
    if value is not None and not isinstance(value, int | Decimal | dt.date | dt.datetime):
        value = cell_text(str(value))  # openpyxl refuses control characters (core/text.py)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"  # stored as a shared string: Excel shows the text, evaluates nothing
    if isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def workbook_bytes(title: str, headers: list[str], rows: Iterable[list]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    bold = Font(bold=True)
    header = []
    for h in headers:
        c = WriteOnlyCell(ws, value=h)
        c.font = bold
        header.append(c)
    ws.append(header)
    for row in rows:
        ws.append([_cell(ws, v) for v in row])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_response(filename: str, title: str, headers: list[str], rows: Iterable[list]) -> HttpResponse:
    response = HttpResponse(workbook_bytes(title, headers, rows), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
