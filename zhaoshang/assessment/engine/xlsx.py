"""Write a run's results as a workbook: one sheet of totals and ranks, one of every item."""

from __future__ import annotations

from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font


def _append(ws, values: list) -> None:
    """One row, its text always text: a unit or project named “=HYPERLINK(…)” (typed in, or imported from a
    workbook) must not become a formula in Excel, and a control character must not break the export."""
    ws.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and cell.data_type == "f":
            cell.data_type = "s"
            cell.quotePrefix = True


def _number(v: str | None) -> Decimal | None:
    return None if v is None else Decimal(v)


def write_xlsx(data: dict, path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "考核结果"
    basis = data.get("basis", {}).get("label")
    _append(
        ws,
        [
            f"{data['scheme']['name']} · {data['period']['label']} · 截至{data['as_of']}"
            + (f" · 核实口径：{basis}" if basis else "")
        ],
    )
    ws["A1"].font = Font(bold=True, size=14)
    items = data["results"][0]["items"] if data["results"] else []
    _append(ws, ["组别", "名次", "编码", "名称", "总分", "等次", "荣誉", "标记"] + [i["name"] for i in items])
    for r in data["results"]:
        _append(
            ws,
            [
                r["group"],
                r["rank"],
                r["subject"]["code"],
                r["subject"]["name"],
                Decimal(r["total"]),
                r["grade"],
                # a tie at the honours boundary reads 先进单位（并列，需考核办确定）
                "、".join(r["honours"] + [f"{h}（并列，需考核办确定）" for h in r.get("honours_pending", [])]),
                "、".join(r["flags"]),
            ]
            + [Decimal(i["points"]) for i in r["items"]],
        )
    detail = wb.create_sheet("得分说明")
    _append(detail, ["编码", "名称", "指标", "实际值", "目标", "得分", "满分", "说明"])
    for r in data["results"]:
        for i in r["items"]:
            _append(
                detail,
                [
                    r["subject"]["code"],
                    r["subject"]["name"],
                    i["name"],
                    _number(i["value"]),
                    _number(i["target"]),
                    Decimal(i["points"]),
                    _number(i["max"]),
                    i["explain"],
                ],
            )
        if r.get("total_explain"):  # the total, with 加分项 and 减分项 apart on a base score
            _append(detail, [r["subject"]["code"], r["subject"]["name"], "总分", None, None, Decimal(r["total"]),
                             None, r["total_explain"]])
    if any("facts" in r for r in data["results"]):
        _facts_sheet(wb, data)
    if data.get("conflicts"):
        cs = wb.create_sheet("重复计入")
        _append(cs, ["项目编号", "项目名称", "涉及单位", "说明"])
        for c in data["conflicts"]:
            _append(
                cs, [c["project"]["code"], c["project"]["name"], "、".join(u["name"] for u in c["units"]), c["message"]]
            )
    wb.save(path)


def _facts_sheet(wb, data: dict) -> None:
    """申报与认定: per subject, signed amount and funds as filed and as verified, and what is waiting."""
    fs = wb.create_sheet("申报与认定")
    _append(fs, ["编码", "名称", "签约金额（万元）", "", "到位资金（万元）", "", "待核实"])
    _append(fs, ["", "", "申报", "认定", "申报", "认定", ""])
    for cols in ("A1:A2", "B1:B2", "C1:D1", "E1:F1", "G1:G2"):
        fs.merge_cells(cols)
    for row in fs.iter_rows(min_row=1, max_row=2):
        for cell in row:
            cell.font = Font(bold=True)
    for r in data["results"]:
        f = r.get("facts")
        if not f:
            continue
        _append(
            fs,
            [
                r["subject"]["code"],
                r["subject"]["name"],
                Decimal(f["signed"]["filed"]),
                Decimal(f["signed"]["verified"]),
                Decimal(f["funds"]["filed"]),
                Decimal(f["funds"]["verified"]),
                f["waiting"],
            ],
        )
    for row in fs.iter_rows(min_row=3, min_col=3, max_col=6):
        for cell in row:
            cell.number_format = "#,##0.00"
