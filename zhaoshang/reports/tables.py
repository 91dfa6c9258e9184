"""Excel exports of every table of the bulletin and the annual report: styled, frozen header rows,
numbers as numbers (a percentage as a number with a % format), and any text that a spreadsheet
would take for a formula (= + - @) kept as text."""

from __future__ import annotations

import re
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

NUMBER = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$|^-?\d+(\.\d+)?$")  # 100000, 100,000.00
PERCENT = re.compile(r"^-?\d+(\.\d+)?%$")
HEAD_FONT = Font(bold=True, color="FFFFFF")
HEAD_FILL = PatternFill("solid", fgColor="1F4E79")
TITLE_FONT = Font(bold=True, size=14)
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="center", wrap_text=True)


def print_setup(ws, caption: str, title_rows: str | None, wide: bool) -> None:
    """Printable as it is: A4 (landscape for a wide table), fit to one page wide, the header rows repeated on
    every page, the caption in the page header and 第 N 页 in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if wide else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as it takes
    if title_rows:
        ws.print_title_rows = title_rows
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddHeader.center.text = caption.replace("&", "&&")
    ws.oddHeader.center.size = 12
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def put(ws, row: int, col: int, value):
    """Write a value: numbers and percentages as numbers, everything else as text (never a formula)."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        cell.value = value
        cell.number_format = "0" if isinstance(value, int) else "#,##0.00##"
    elif isinstance(value, str) and NUMBER.match(value):
        cell.value = Decimal(value.replace(",", ""))
        cell.number_format = ("#,##0.00" if "," in value else "#,##0.00##") if "." in value else (
            "#,##0" if "," in value else "0")
    elif isinstance(value, str) and PERCENT.match(value):
        cell.value = Decimal(value[:-1]) / 100
        cell.number_format = "0.00%"
    else:
        cell.value = "" if value is None else str(value)
        cell.data_type = "s"  # "=1+1" or "@x" stays text
    cell.border = BOX
    return cell


def _head(ws, row: int, col: int, text: str):
    cell = put(ws, row, col, text)
    cell.font, cell.fill, cell.alignment = HEAD_FONT, HEAD_FILL, CENTER
    return cell


def table_sheet(wb, title: str, caption: str, head1: list[dict], head2: list[str], rows: list[list]) -> None:
    ws = wb.create_sheet(title[:31])
    ws.cell(row=1, column=1, value=caption).font = TITLE_FONT
    ncols = sum(h.get("colspan", 1) for h in head1)
    nhead = 2 if head2 else 1
    col, sub = 1, 0
    for h in head1:
        span = h.get("colspan", 1)
        _head(ws, 2, col, h["text"])
        if span > 1:
            for k in range(span):
                _head(ws, 3, col + k, head2[sub])
                sub += 1
            for k in range(1, span):
                _head(ws, 2, col + k, "")
            ws.merge_cells(start_row=2, start_column=col, end_row=2, end_column=col + span - 1)
        elif nhead == 2:
            _head(ws, 3, col, "")
            ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
        col += span
    for r, row in enumerate(rows, 2 + nhead):
        for c, value in enumerate(row, 1):
            put(ws, r, c, value).alignment = WRAP
    ws.freeze_panes = ws.cell(row=2 + nhead, column=2)
    print_setup(ws, caption, f"1:{1 + nhead}", wide=ncols > 7)
    for c in range(1, ncols + 1):
        width = max([len(str(h)) for h in head2] + [len(str(r[c - 1])) for r in rows if c - 1 < len(r)] + [6])
        ws.column_dimensions[get_column_letter(c)].width = min(60, width * 1.6 + 2)


def notes_below(ws, lines: list[str]) -> None:
    """Notes under a sheet's table (a blank row, then one line each), e.g. a total rescaled for items
    without a target, or a tie at the honours boundary left to the office."""
    row = ws.max_row + 2
    for n, line in enumerate(lines):
        put(ws, row + n, 1, line).border = Border()


def _lines_sheet(wb, title: str, lines: list[str]) -> None:
    ws = wb.create_sheet(title)
    _head(ws, 1, 1, title)
    for r, line in enumerate(lines, 2):
        put(ws, r, 1, line).alignment = WRAP
    ws.column_dimensions["A"].width = 120
    ws.freeze_panes = "A2"
    print_setup(ws, title, "1:1", wide=False)


def bulletin_workbook(content: dict, path) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    basis = [content["basis"]] if content.get("basis") else []  # none in a bulletin frozen before
    _lines_sheet(wb, "总体情况", [content["title"], content["intro"], *basis, *content["overview"]])
    for t in content["tables"]:
        table_sheet(wb, t["group"], f"{content['run']['period_label']} {t['group']}完成情况及排名", t["head1"],
                    t["head2"], t["rows"])
        notes_below(wb.worksheets[-1], t.get("notes", []))
    lists = content["lists"]
    rows = [["红榜", e["group"], u] for e in lists["red"] for u in e["units"]]
    rows += [["黑榜", e["group"], u] for e in lists["black"] for u in e["units"]]
    table_sheet(wb, "红黑榜", "红黑榜", [{"text": "榜单"}, {"text": "组别"}, {"text": "单位"}], [], rows)
    honours = content.get("honours")  # only a run that names honours (an annual one) has them
    if honours:
        rows = [[name, honours["name"]] for name in honours["named"]]
        rows += [["、".join(tie["units"]), tie["text"]] for tie in honours["pending"]]
        table_sheet(wb, honours["name"], honours["name"], [{"text": "单位"}, {"text": "结果"}], [], rows)
    if content.get("facts"):
        f = content["facts"]
        caption = f"{content['run']['period_label']} 申报与认定情况"
        table_sheet(wb, "申报与认定", caption, f["head1"], f["head2"], f["rows"])
    rows = [[p["heading"], line] for p in content["problems"] for line in p["lines"]]
    table_sheet(wb, "存在问题", "存在问题", [{"text": "问题"}, {"text": "情况"}], [], rows)
    from .bulletin import KEY_HEAD

    table_sheet(wb, "重点项目", "附件：重点项目清单", KEY_HEAD, [], content["key_projects"])
    wb.save(path)


def annual_workbook(content: dict, path) -> None:
    from .bulletin import SHEET_HEAD, TOTALS_HEAD

    wb = Workbook()
    wb.remove(wb.active)
    table_sheet(wb, "考核结果", content["title"], TOTALS_HEAD, [], content["totals"])
    notes_below(wb.worksheets[-1], content.get("notes", []))
    rows = [[n, name] for n, name in enumerate(content["honours"], 1)]
    table_sheet(wb, content["honours_name"], content["honours_name"], [{"text": "序号"}, {"text": "单位"}], [], rows)
    notes_below(wb.worksheets[-1], content.get("honours_pending", []))  # 并列，需考核办确定
    rows = [[s["name"], *r] for s in content["sheets"] for r in s["rows"]]
    table_sheet(wb, "得分明细", "各单位考核得分明细", [{"text": "单位"}, *SHEET_HEAD], [], rows)
    wb.save(path)
