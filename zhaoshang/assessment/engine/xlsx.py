"""Write a run's results as a workbook: one sheet of totals and ranks, one of every item."""

from __future__ import annotations

from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font


def write_xlsx(data: dict, path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "考核结果"
    ws.append([f"{data['scheme']['name']} · {data['period']['label']} · 截至{data['as_of']}"])
    ws["A1"].font = Font(bold=True, size=14)
    items = data["results"][0]["items"] if data["results"] else []
    ws.append(["组别", "名次", "编码", "名称", "总分", "等次", "荣誉", "标记"] + [i["name"] for i in items])
    for r in data["results"]:
        ws.append(
            [
                r["group"],
                r["rank"],
                r["subject"]["code"],
                r["subject"]["name"],
                Decimal(r["total"]),
                r["grade"],
                "、".join(r["honours"]),
                "、".join(r["flags"]),
            ]
            + [Decimal(i["points"]) for i in r["items"]]
        )
    detail = wb.create_sheet("得分说明")
    detail.append(["编码", "名称", "指标", "实际值", "目标", "得分", "满分", "说明"])
    for r in data["results"]:
        for i in r["items"]:
            detail.append(
                [
                    r["subject"]["code"],
                    r["subject"]["name"],
                    i["name"],
                    i["value"],
                    i["target"],
                    Decimal(i["points"]),
                    i["max"],
                    i["explain"],
                ]
            )
    if data.get("conflicts"):
        cs = wb.create_sheet("重复计入")
        cs.append(["项目编号", "项目名称", "涉及单位", "说明"])
        for c in data["conflicts"]:
            cs.append(
                [c["project"]["code"], c["project"]["name"], "、".join(u["name"] for u in c["units"]), c["message"]]
            )
    wb.save(path)
