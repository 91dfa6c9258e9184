"""Write the standard workbook: the blank template, and (through `exporter.py`) the filled export.

One writer for both, in openpyxl's write-only mode so an export of 100,000 projects streams to disk
instead of building every cell in memory. Each sheet gets Chinese headers (required ones end with *),
a frozen header row, column widths, date and number formats, and dropdowns (data validation) for
choice columns and unit codes, fed from a hidden `_lists` sheet. A 填表说明 sheet describes every
column. Text that Excel could take for a formula (= + - @) is written as text with a quote prefix.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from zhaoshang.core.text import cell_text
from zhaoshang.ledger.choices import section_names

from .spec import INSTRUCTIONS_SHEET, KIND_LABELS, LISTS_SHEET, SHEETS, Column, Sheet

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
HEADER_FONT = Font(bold=True)
DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "#,##0.00##"
RATIO_FORMAT = "0.######"
LAST_ROW = 1048576
FORMULA_START = ("=", "+", "-", "@")


def _cell(ws, value, column: Column | None = None):
    if isinstance(value, str):
        # openpyxl refuses control characters (IllegalCharacterError): one stored before the rule of
        # core/text.py would fail the whole export, so it is left out of the cell.
        value = cell_text(value)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        if value.startswith(FORMULA_START):
            # Never a formula: an exported "=HYPERLINK(…)" in a company name must stay text in Excel.
            cell.data_type = "s"
            cell.quotePrefix = True
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, Decimal | int | float) and not isinstance(value, bool) and column is not None:
        if column.kind == "decimal":
            cell.number_format = MONEY_FORMAT
        elif column.kind == "ratio":
            cell.number_format = RATIO_FORMAT
    return cell


class ListSheet:
    """The hidden sheet holding the dropdown lists; returns a range reference per list."""

    def __init__(self):
        self.columns: list[tuple[str, list[str]]] = []
        self.refs: dict[str, str] = {}

    def ref(self, name: str, values: list[str]) -> str | None:
        if not values:
            return None
        if name not in self.refs:
            self.columns.append((name, values))
            letter = get_column_letter(len(self.columns))
            self.refs[name] = f"{LISTS_SHEET}!${letter}$2:${letter}${len(values) + 1}"
        return self.refs[name]

    def write(self, wb: Workbook) -> None:
        ws = wb.create_sheet(LISTS_SHEET)
        ws.sheet_state = "hidden"
        width = len(self.columns)
        ws.append([name for name, _ in self.columns])
        longest = max((len(v) for _, v in self.columns), default=0)
        for i in range(longest):
            ws.append([_cell(ws, values[i]) if i < len(values) else None for _, values in self.columns][:width])


def _validations(ws, sheet: Sheet, lists: ListSheet, unit_codes: list[str]) -> None:
    for idx, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(idx)
        area = f"{letter}2:{letter}{LAST_ROW}"
        ref = None
        if column.kind in ("choice", "bool", "section"):
            name = {"bool": "是/否", "section": "行业门类"}.get(column.kind, column.header)
            ref = lists.ref(name, column.choice_labels)
        elif column.ref == "unit":
            ref = lists.ref("单位编码", unit_codes)
        if ref:
            # A 行业门类 may also be typed as its code (C) or an old word: offered, not enforced.
            strict = column.kind in ("choice", "bool")
            dv = DataValidation(type="list", formula1=f"={ref}", allow_blank=True, showErrorMessage=strict,
                                errorStyle="stop" if strict else "warning", errorTitle="输入有误",
                                error=f"请从下拉列表中选择{column.header}")
            dv.add(area)
            ws.data_validations.append(dv)
        elif column.kind == "date":
            dv = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True,
                                showErrorMessage=False)
            dv.add(area)
            ws.data_validations.append(dv)
        elif column.kind in ("decimal", "ratio", "year"):
            dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="-1E+15", allow_blank=True,
                                showErrorMessage=True, errorStyle="warning", errorTitle="输入有误",
                                error=f"{column.header}应为数字")
            dv.add(area)
            ws.data_validations.append(dv)


def _instructions(wb: Workbook) -> None:
    ws = wb.create_sheet(INSTRUCTIONS_SHEET)
    for letter, width in zip("ABCDE", (12, 22, 8, 16, 70), strict=True):
        ws.column_dimensions[letter].width = width
    title = WriteOnlyCell(ws, value="招商引资标准数据交换工作簿 · 填表说明")
    title.font = Font(bold=True, size=14)
    ws.append([title])
    notes = [
        "1. 每个工作表第一行为表头，请勿修改表头文字；带 * 的列为必填。不需要的工作表可以删除，列的顺序可以调整。",
        "2. 各表之间以编码互相引用：单位编码、工号、项目编号、活动编号。"
        "被引用的数据须已在系统中，或在本文件的相应工作表中。",
        "3. 按编码新增或更新：再次导入同一文件不会产生变化；修改后导入只更新有变化的行，并记录修改人。",
        "4. 日期可填 2024-05-01、2024/5/1、2024年5月1日 或 Excel 日期；金额单位为万元（外资为万美元），可带千分位。",
        "5. 是否类的列填“是”或“否”；下拉列表中的选项与系统界面一致。",
        "6. 只要有一处错误，整个文件都不会导入；系统会给出错误清单和标出错误单元格的工作簿，改正后重新导入即可。",
    ]
    for note in notes:
        ws.append([note])
    ws.append([])
    header = []
    for text in ("工作表", "列", "必填", "类型", "说明"):
        cell = WriteOnlyCell(ws, value=text)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        header.append(cell)
    ws.append(header)
    for sheet in SHEETS:
        ws.append([sheet.name, "（整表）", "", "", f"{sheet.help} 识别一行的列：{sheet.key_headers()}。"])
        for column in sheet.columns:
            help_text = column.help
            if column.kind in ("choice", "bool"):
                help_text = f"可选：{'、'.join(column.choice_labels)}。{help_text}"
            elif column.kind == "section":
                codes = "；".join(f"{code} {name}" for code, name in section_names().items())
                help_text = f"{help_text}。门类：{codes}"
            ws.append([sheet.name, column.header, "是" if column.required else "", KIND_LABELS[column.kind], help_text])


def _sheet_header(ws, sheet: Sheet) -> None:
    ws.freeze_panes = "A2"
    for idx, column in enumerate(sheet.columns, start=1):
        dim = ws.column_dimensions[get_column_letter(idx)]
        dim.width = column.width
        if column.kind == "date":
            dim.number_format = DATE_FORMAT
        elif column.kind == "decimal":
            dim.number_format = MONEY_FORMAT
        elif column.kind in ("code", "text"):
            dim.number_format = "@"  # codes like 001 keep their zeros
    cells = []
    for column in sheet.columns:
        cell = WriteOnlyCell(ws, value=column.title)
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        tip = f"{'必填。' if column.required else ''}{KIND_LABELS[column.kind]}。{column.help}".strip()
        cell.comment = Comment(tip, "招商系统", width=240, height=90)
        cells.append(cell)
    ws.append(cells)


def write_workbook(path: str | Path, data: dict[str, Iterable[list]] | None = None, *,
                   unit_codes: list[str] | None = None) -> Path:
    """Write the standard workbook to `path`. `data` maps sheet names to rows (lists of Python values in
    the sheet's column order); without it, the blank template."""
    path = Path(path)
    wb = Workbook(write_only=True)
    lists = ListSheet()
    codes = unit_codes if unit_codes is not None else _unit_codes()
    _instructions(wb)
    for sheet in SHEETS:
        ws = wb.create_sheet(sheet.name)
        _sheet_header(ws, sheet)
        _validations(ws, sheet, lists, codes)
        for values in (data or {}).get(sheet.name, ()):
            ws.append([_cell(ws, v, c) if v is not None else None for v, c in zip(values, sheet.columns, strict=True)])
    lists.write(wb)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _unit_codes() -> list[str]:
    from zhaoshang.orgs.models import Unit

    return list(Unit.objects.filter(is_active=True).order_by("code").values_list("code", flat=True))


def write_template(path: str | Path, *, user=None) -> Path:
    """The blank workbook; the unit-code dropdown lists the units the user may see."""
    from zhaoshang.orgs.models import Unit
    from zhaoshang.orgs.scope import visible_unit_ids

    qs = Unit.objects.filter(is_active=True).order_by("code")
    ids = visible_unit_ids(user) if user is not None and getattr(user, "pk", None) else None
    if ids is not None:
        qs = qs.filter(id__in=ids)
    return write_workbook(path, None, unit_codes=list(qs.values_list("code", flat=True)))
