"""The security audit log as an .xlsx for the 审计管理员.

A cell that starts with = + - @ would be read by a spreadsheet as a formula (formula injection: a username
typed at the login page is attacker-chosen text); every text cell is written as a string with Excel's
quote prefix, so it is shown, never evaluated."""

from __future__ import annotations

import tempfile

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from zhaoshang.core.text import strip_control

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 200_000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(cell, value) -> None:
    """Put `value` into `cell` so that no spreadsheet evaluates it."""
    if isinstance(value, str):
        value = strip_control(value)
        cell.value = value
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    else:
        cell.value = value


def audit_workbook(events) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = _("安全审计日志")
    headers = [_("时间"), _("用户"), _("角色"), _("地址"), _("事件"), _("对象"), _("结果"), _("说明")]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row, event in enumerate(events[:MAX_ROWS].iterator(chunk_size=2000), start=2):
        values = [
            timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"), event.username, event.role,
            event.address or "", event.get_action_display(), event.target, event.get_result_display(),
            event.detail,
        ]
        for col, value in enumerate(values, start=1):
            safe_cell(ws.cell(row=row, column=col), str(value))
    for letter, width in zip("ABCDEFGH", (20, 16, 14, 16, 14, 40, 8, 50), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    return wb


def audit_workbook_response(events) -> FileResponse:
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    audit_workbook(events).save(handle)
    handle.seek(0)
    name = f"安全审计日志_{timezone.localtime():%Y%m%d_%H%M}.xlsx"
    return FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX)
