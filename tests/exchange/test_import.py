"""Importing the standard workbook as a user would: fill the template, import, see the data; break
cells and get every error with sheet, row and column and an error workbook; import again and nothing
changes; change a row and the history names who changed it; stay inside one's own units."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest
from django.apps import apps

from zhaoshang.activities.models import Attendance, PromotionEvent, Recommendation, Submission, Visit
from zhaoshang.assessment.models import Adjustment
from zhaoshang.exchange.errors_workbook import ERROR_FILL, LIST_SHEET, write_error_workbook
from zhaoshang.exchange.importer import import_workbook
from zhaoshang.ledger.models import FundArrival, Project, ProjectShare, StageRecord
from zhaoshang.orgs.models import Person, Unit
from zhaoshang.targets.models import Target

from ..factories import PersonFactory, UserFactory
from .helpers import FULL, PROJECTS, fill

pytestmark = pytest.mark.django_db


def history_counts() -> dict[str, int]:
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.label.endswith(".Historical" + m._meta.object_name.removeprefix("Historical"))
    }


def test_filled_template_imports_and_data_appears(tmp_path, assessor):
    result = import_workbook(fill(tmp_path / "台账.xlsx", FULL), user=assessor)
    assert result.ok, result.errors
    assert result.committed and result.total("created") == 18
    a01 = Unit.objects.get(code="A01")
    assert a01.group.name == "重点地区" and Unit.objects.get(code="A01-01").parent == a01
    p = Project.objects.get(code="XM-001")
    assert p.signed_amount == Decimal("80000.5") and p.planned_investment == Decimal("120000")
    assert p.registered_on == dt.date(2024, 3, 5) and p.started_on == dt.date(2024, 4, 1)
    assert p.stage == "started" and p.is_four_power and p.status == "advancing"
    assert p.signed_at_event.code == "E2024-01" and p.introducer.staff_no == "P001" and p.created_by == assessor
    assert set(StageRecord.objects.filter(project=p).values_list("stage", "date")) == {
        ("signed", dt.date(2024, 2, 1)),
        ("registered", dt.date(2024, 3, 5)),
        ("started", dt.date(2024, 4, 1)),
    }
    assert Project.objects.get(code="XM-002").signed_amount == Decimal("5000")  # full-width digits
    assert Project.objects.get(code="XM-002").signed_on == dt.date(2024, 5, 1)  # 2024.5.1
    assert sorted(ProjectShare.objects.filter(project=p).values_list("unit__code", "ratio")) == [
        ("A01", Decimal("0.6")),
        ("B01", Decimal("0.4")),
    ]
    assert sorted(FundArrival.objects.filter(project=p).values_list("date", "amount")) == [
        (dt.date(2024, 3, 10), Decimal("1000")),
        (dt.date(2024, 4, 18), Decimal("2500.25")),
    ]  # serial 45400
    assert Visit.objects.get().leader.staff_no == "P001"
    assert Recommendation.objects.get().project == p
    assert Submission.objects.get().period == "2024-03"
    assert Target.objects.get().value == Decimal("100000")
    assert Adjustment.objects.get().entered_by == assessor
    assert Attendance.objects.get().on_station is True
    assert PromotionEvent.objects.get().host_unit == a01
    assert p.history.first().history_user == assessor


def test_same_file_twice_changes_nothing(tmp_path, assessor):
    path = fill(tmp_path / "台账.xlsx", FULL)
    assert import_workbook(path, user=assessor).ok
    before = history_counts()
    again = import_workbook(path, user=assessor)
    assert again.ok and again.total("created") == again.total("updated") == 0
    assert again.total("unchanged") == 18
    assert history_counts() == before


def test_changed_file_updates_rows_and_history_names_the_importer(tmp_path, assessor):
    assert import_workbook(fill(tmp_path / "v1.xlsx", FULL), user=assessor).ok
    editor = UserFactory(username="editor", role="assessor")
    changed = dict(FULL)
    changed["项目"] = [dict(PROJECTS[0], **{"签约金额(万元)": 90000, "竣工日期": "2024-06-30"}), PROJECTS[1]]
    changed["项目共享"] = [{"项目编号": "XM-001", "单位编码": "A01", "比例": 1}]
    before = history_counts()
    result = import_workbook(fill(tmp_path / "v2.xlsx", changed), user=editor)
    assert result.ok, result.errors
    assert result.counts["项目"] == {"created": 0, "updated": 1, "unchanged": 1, "deleted": 0}
    p = Project.objects.get(code="XM-001")
    assert p.signed_amount == Decimal("90000") and p.version == 2 and p.stage == "completed"
    last = p.history.first()
    assert last.history_user == editor and last.history_type == "~" and last.signed_amount == Decimal("90000")
    assert StageRecord.objects.get(project=p, stage="completed").date == dt.date(2024, 6, 30)
    assert list(ProjectShare.objects.filter(project=p).values_list("unit__code", "ratio")) == [("A01", Decimal("1"))]
    after = history_counts()
    assert after["ledger.HistoricalProject"] == before["ledger.HistoricalProject"] + 1
    assert after["activities.HistoricalVisit"] == before["activities.HistoricalVisit"]  # unchanged rows: no history


def broken_workbook(tmp_path):
    base = {"投资方": "某某公司", "签约金额(万元)": 100, "签约日期": dt.date(2024, 1, 5), "引资单位编码": "A01"}
    sheets = {
        "项目": [
            dict(base, 项目编号="XM-1", 项目名称="正常项目"),
            dict(base, 项目编号="XM-2", 项目名称="日期不存在", 签约日期="2024-02-30"),
            dict(base, 项目编号="XM-3", 项目名称="金额为负", **{"签约金额(万元)": -5}),
            dict(base, 项目编号="XM-4", 项目名称="信用代码错", 统一社会信用代码="91110000600037341X"),
            dict(base, 项目编号="XM-5", 项目名称="单位不存在", 引资单位编码="ZZZ"),
            dict(base, 项目编号="XM-6", 项目名称="阶段倒序", 注册日期="2024-03-01", 开工日期="2024-02-01"),
            dict(base, 项目编号="XM-1", 项目名称="编号重复"),
        ],
        "到位资金": [
            {"项目编号": "XM-1", "到位日期": dt.date(2024, 2, 1), "金额(万元)": 10, "资金类型": "固定资产投资"},
            {"项目编号": "XM-1", "到位日期": dt.date(2024, 2, 2), "金额(万元)": 10, "资金类型": "现金"},
        ],
        "项目共享": [{"项目编号": "XM-1", "单位编码": "A01", "比例": 0.9}],
        "走访": [{"日期": dt.date(2024, 2, 1), "单位编码": "A01", "带队领导工号": "P999", "企业名称": "某企业"}],
        "出勤": [{"工号": "P001", "日期": dt.date(2024, 2, 1), "是否驻点": "也许"}],
    }
    return fill(tmp_path / "有错.xlsx", sheets)


EXPECTED = {
    ("项目", 3, "签约日期"),
    ("项目", 4, "签约金额(万元)"),
    ("项目", 5, "统一社会信用代码"),
    ("项目", 6, "引资单位编码"),
    ("项目", 7, "开工日期"),
    ("项目", 8, "项目编号"),
    ("到位资金", 3, "资金类型"),
    ("项目共享", 2, "比例"),
    ("走访", 2, "带队领导工号"),
    ("出勤", 2, "是否驻点"),
}


def test_ten_broken_cells_all_reported_marked_and_nothing_imported(tmp_path, assessor, unit_a):
    PersonFactory(staff_no="P001", unit=unit_a)
    path = broken_workbook(tmp_path)
    result = import_workbook(path, user=assessor)
    assert not result.ok
    found = {(e.sheet, e.row, e.column) for e in result.errors}
    assert found == EXPECTED, [e.as_dict() for e in result.errors]
    messages = " ".join(e.message for e in result.errors)
    for words in (
        "日期不存在",
        "不能为负数",
        "校验位",
        "“ZZZ”不存在",
        "不能早于注册日期",
        "不是有效的资金类型",
        "与第2行重复",
        "共享比例之和应为1",
        "“P999”不存在",
        "应为“是”或“否”",
    ):
        assert words in messages
    assert not Project.objects.exists() and not FundArrival.objects.exists() and not Visit.objects.exists()
    out = write_error_workbook(path, result.errors, tmp_path / "有错-错误.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == LIST_SHEET and wb[LIST_SHEET].max_row == 11
    for sheet, row, column in EXPECTED:
        ws = wb[sheet]
        col = next(c.column for c in ws[1] if str(c.value).rstrip("*") == column)
        cell = ws.cell(row=row, column=col)
        assert cell.fill.fgColor.rgb.endswith(ERROR_FILL.fgColor.rgb[-6:]), (sheet, row, column)
        assert cell.comment is not None and cell.comment.text
    assert ws.cell(row=2, column=1).comment is None  # good cells untouched


def test_dry_run_validates_without_writing(tmp_path, assessor):
    result = import_workbook(fill(tmp_path / "台账.xlsx", FULL), user=assessor, dry_run=True)
    assert result.ok and not result.committed and result.total("created") == 18
    assert not Project.objects.exists() and not Unit.objects.exists()


def test_unit_user_imports_only_rows_of_their_units(tmp_path, staff_a, unit_b, project_b):
    rows = {
        "项目": [
            {
                "项目编号": "XM-A-9",
                "项目名称": "甲区项目",
                "投资方": "甲公司",
                "签约金额(万元)": 10,
                "引资单位编码": "A01",
            },
            {
                "项目编号": "XM-B-9",
                "项目名称": "乙县项目",
                "投资方": "乙公司",
                "签约金额(万元)": 10,
                "引资单位编码": "B01",
            },
        ],
        "到位资金": [{"项目编号": "XM-B-1", "到位日期": dt.date(2024, 3, 1), "金额(万元)": 5, "资金类型": "其他"}],
    }
    result = import_workbook(fill(tmp_path / "越权.xlsx", rows), user=staff_a)
    found = {(e.sheet, e.row, e.column): e.message for e in result.errors}
    assert set(found) == {("项目", 3, "引资单位编码"), ("到位资金", 2, "项目编号")}
    assert "本单位及下级单位" in found[("项目", 3, "引资单位编码")]
    # Another unit's project is, for this user, a code that does not exist (issue 11).
    assert found[("到位资金", 2, "项目编号")] == "项目编号“XM-B-1”不存在（文件和系统中都没有）"
    assert not Project.objects.filter(code__in=["XM-A-9", "XM-B-9"]).exists()
    assert not FundArrival.objects.exists()


def test_unit_user_cannot_create_units_and_leader_cannot_import(tmp_path, staff_a, leader):
    path = fill(tmp_path / "单位.xlsx", {"单位": [{"单位编码": "N01", "单位名称": "新单位", "单位类型": "区"}]})
    result = import_workbook(path, user=staff_a)
    assert [e.message for e in result.errors] == ["只有系统管理员和考核办可以新增或修改单位"]
    refused = import_workbook(path, user=leader)
    assert refused.fatal == "只读账号（领导）不能导入数据"
    assert not Unit.objects.filter(code="N01").exists()


def test_unit_user_stage_dates_never_go_back(tmp_path, staff_a, unit_a):
    assert import_workbook(
        fill(
            tmp_path / "1.xlsx",
            {"项目": [PROJECTS[0] | {"引资单位编码": "A01", "签约活动编号": None, "引资人工号": None}]},
        ),
        user=staff_a,
    ).ok
    cleared = PROJECTS[0] | {"引资单位编码": "A01", "签约活动编号": None, "引资人工号": None, "开工日期": None}
    result = import_workbook(fill(tmp_path / "2.xlsx", {"项目": [cleared]}), user=staff_a)
    assert [(e.column, "不能清除" in e.message) for e in result.errors] == [("开工日期", True)]
    assert Project.objects.get(code="XM-001").started_on == dt.date(2024, 4, 1)


def test_people_and_units_by_code_in_the_same_file(tmp_path, assessor):
    sheets = {
        "单位": [
            {"单位编码": "C02", "单位名称": "下级", "单位类型": "乡镇街道", "上级单位编码": "C01"},
            {"单位编码": "C01", "单位名称": "上级", "单位类型": "区"},
        ],
        "人员": [{"工号": "X1", "姓名": "赵一", "单位编码": "C02"}],
    }
    assert import_workbook(fill(tmp_path / "u.xlsx", sheets), user=assessor).ok
    assert Unit.objects.get(code="C02").parent.code == "C01"
    assert Person.objects.get(staff_no="X1").role == "staff"
    loop = {"单位": [{"单位编码": "C01", "单位名称": "上级", "单位类型": "区", "上级单位编码": "C02"}]}
    result = import_workbook(fill(tmp_path / "loop.xlsx", loop), user=assessor)
    assert [e.column for e in result.errors] == ["上级单位编码"] and "循环" in result.errors[0].message
