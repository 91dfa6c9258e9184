"""Fill the downloaded template the way a person would: open it, type rows under the headers, save."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from zhaoshang.exchange.template import write_template


def header_positions(ws) -> dict[str, int]:
    return {str(c.value).rstrip("*"): c.column for c in ws[1] if c.value}


def fill(path: Path, sheets: dict[str, list[dict]], *, template: Path | None = None) -> Path:
    """Write `sheets` ({sheet: [{header: value}]}) into a fresh template saved at `path`."""
    source = template or write_template(path.with_name("blank-" + path.name))
    wb = openpyxl.load_workbook(source)
    for name, rows in sheets.items():
        ws = wb[name]
        cols = header_positions(ws)
        for i, row in enumerate(rows, start=2):
            for header, value in row.items():
                ws.cell(row=i, column=cols[header], value=value)
    wb.save(path)
    return path


def read_rows(path: Path, sheet: str) -> list[dict]:
    wb = openpyxl.load_workbook(path, data_only=True)
    ws = wb[sheet]
    cols = {c: str(v).rstrip("*") for c, v in enumerate(next(ws.iter_rows(values_only=True))) if v}
    out = []
    for values in ws.iter_rows(min_row=2, values_only=True):
        if any(v is not None for v in values):
            out.append(
                {cols[c]: (v.date() if isinstance(v, dt.datetime) else v) for c, v in enumerate(values) if c in cols}
            )
    return out


UNITS = [
    {"单位编码": "A01", "单位名称": "甲区", "单位类型": "区", "考核组别": "重点地区"},
    {"单位编码": "A01-01", "单位名称": "甲区某街道", "单位类型": "乡镇街道", "上级单位编码": "A01"},
    {"单位编码": "B01", "单位名称": "乙县", "单位类型": "县(市)"},
]
PEOPLE = [
    {"工号": "P001", "姓名": "王局长", "单位编码": "A01", "职务": "局长", "角色": "局长"},
    {"工号": "P002", "姓名": "李专员", "单位编码": "B01", "角色": "工作人员"},
]
EVENTS = [
    {
        "活动编号": "E2024-01",
        "日期": dt.date(2024, 3, 1),
        "名称": "春季招商推介会",
        "级别": "州市级",
        "主办单位编码": "A01",
    }
]
PROJECTS = [
    {
        "项目编号": "XM-001",
        "项目名称": "甲区电池项目",
        "投资方": "某某新能源科技有限公司",
        "统一社会信用代码": "91110000600037341L",
        "投资方来源地": "深圳",
        "所属产业": "新能源",
        "项目类别": "制造业",
        "是否四力型": "是",
        "是否外资": "否",
        "计划总投资(万元)": "120,000",
        "签约金额(万元)": 80000.5,
        "签约日期": dt.date(2024, 2, 1),
        "签约活动编号": "E2024-01",
        "注册日期": "2024/3/5",
        "开工日期": "2024年4月1日",
        "项目状态": "推进中",
        "引资单位编码": "A01",
        "引资人工号": "P001",
    },
    {
        "项目编号": "XM-002",
        "项目名称": "乙县光伏项目",
        "投资方": "某某光伏有限公司",
        "签约金额(万元)": "５０００",
        "签约日期": "2024.5.1",
        "引资单位编码": "B01",
    },
]
SHARES = [
    {"项目编号": "XM-001", "单位编码": "A01", "比例": 0.6},
    {"项目编号": "XM-001", "单位编码": "B01", "比例": "40%"},
]
FUNDS = [
    {"项目编号": "XM-001", "到位日期": dt.date(2024, 3, 10), "金额(万元)": 1000, "资金类型": "固定资产投资"},
    {"项目编号": "XM-001", "到位日期": 45400, "金额(万元)": "2,500.25", "资金类型": "注册资本"},
]
VISITS = [
    {"日期": dt.date(2024, 3, 2), "单位编码": "A01", "带队领导工号": "P001", "企业名称": "某某集团", "事项": "洽谈"}
]
RECOMMENDATIONS = [
    {
        "日期": dt.date(2024, 3, 3),
        "单位编码": "A01",
        "项目编号": "XM-001",
        "企业名称": "某某集团",
        "推荐对象": "主要领导",
    }
]
SUBMISSIONS = [
    {"单位编码": "A01", "报送期间": "2024-03", "截止日期": dt.date(2024, 4, 5), "报送日期": dt.date(2024, 4, 3)}
]
TARGETS = [{"单位编码": "A01", "年度": 2024, "指标": "签约金额", "目标值": 100000}]
ADJUSTMENTS = [{"单位编码": "A01", "年度": 2024, "事项": "获省级表彰", "分值": 2, "理由": "省政府通报表扬"}]
ATTENDANCE = [{"工号": "P001", "日期": dt.date(2024, 3, 4), "是否驻点": "是"}]

FULL = {
    "单位": UNITS,
    "人员": PEOPLE,
    "招商活动": EVENTS,
    "项目": PROJECTS,
    "项目共享": SHARES,
    "到位资金": FUNDS,
    "走访": VISITS,
    "推荐考察": RECOMMENDATIONS,
    "报送": SUBMISSIONS,
    "目标": TARGETS,
    "考核调整": ADJUSTMENTS,
    "出勤": ATTENDANCE,
}
