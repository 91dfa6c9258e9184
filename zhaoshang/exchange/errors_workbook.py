"""The error workbook: the uploaded file given back with every bad cell filled light red and a comment
naming the problem, plus a 错误清单 sheet listing every error. The user corrects it and imports it again.

openpyxl holds the whole workbook in memory, so above `FULL_COPY_MAX_MB` the error workbook is the
错误清单 sheet alone (with each bad row's values copied next to the reason) rather than the whole file.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from zhaoshang.core.text import cell_text

from .reader import header_key, match_sheet

ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
LIST_SHEET = "错误清单"
FULL_COPY_MAX_MB = 8


def _list_sheet(wb, errors, index: int = 0):
    ws = wb.create_sheet(LIST_SHEET, index)
    ws.append(["工作表", "行", "列", "问题"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for e in errors:
        # A sheet name or a message quoting a cell may carry a character openpyxl refuses.
        ws.append([cell_text(str(e.sheet)), e.row, cell_text(str(e.column)), cell_text(e.message)])
    for letter, width in zip("ABCD", (12, 8, 18, 80), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    return ws


def write_error_workbook(source: str | Path, errors: list, out: str | Path) -> Path:
    source, out = Path(source), Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    readable = True
    if source.stat().st_size > FULL_COPY_MAX_MB * 1024 * 1024:
        readable = False
    else:
        try:
            wb = openpyxl.load_workbook(source)
        except Exception:  # the file itself is unreadable: only the list can be given back
            readable = False
    if not readable:
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        _list_sheet(wb, errors)
        wb.save(out)
        return out
    by_sheet: dict[str, list] = defaultdict(list)
    for e in errors:
        by_sheet[e.sheet].append(e)
    for ws in wb.worksheets:
        spec = match_sheet(ws.title)
        if spec is None or spec.name not in by_sheet:
            continue
        positions = _header_positions(ws, spec)
        notes: dict[tuple[int, int], list[str]] = defaultdict(list)
        for e in by_sheet[spec.name]:
            col = positions.get(header_key(e.column))
            if e.row and col:
                notes[(e.row, col)].append(e.message)
        for (row, col), messages in notes.items():
            cell = ws.cell(row=row, column=col)
            cell.fill = ERROR_FILL
            cell.comment = Comment(cell_text("\n".join(messages)), "导入检查", width=300,
                                   height=80 + 20 * len(messages))
    _list_sheet(wb, errors)
    wb.active = 0
    try:
        wb.save(out)
    except Exception:  # a cell of the uploaded file openpyxl cannot write back (a control character)
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        _list_sheet(wb, errors)
        wb.save(out)
    return out


def _header_positions(ws, spec) -> dict[str, int]:
    """Header key → 1-based column, from the first non-empty row (aliases resolved to the Chinese header)."""
    wanted = {}
    for col in spec.columns:
        wanted[header_key(col.header)] = header_key(col.header)
        for alias in col.aliases:
            wanted.setdefault(alias.lower(), header_key(col.header))
    for row in ws.iter_rows(min_row=1, max_row=20):
        keys = [(header_key(c.value), c.column) for c in row if c.value is not None]
        found = {wanted[k]: col for k, col in keys if k in wanted}
        if found:
            return found
    return {}
