"""Importing into a closed period (结账): a unit user's new or changed rows dated in it are errors with
sheet, row and column, and nothing is imported; an assessor needs a correction reason and each such
row is kept as a `Correction`; unchanged rows (the same file again) still pass."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from zhaoshang.activities.models import Attendance, PromotionEvent, Recommendation, Submission, Visit
from zhaoshang.exchange.importer import import_workbook
from zhaoshang.ledger.models import FundArrival, Project, ProjectShare
from zhaoshang.periods.closing import period_close
from zhaoshang.periods.models import Correction

from .helpers import FULL, fill
from .test_views import upload

pytestmark = pytest.mark.django_db

CLOSED = "2024年第一季度已结账，日期在该期间内的记录不能再修改；如需更正，请联系考核办"
NEEDS_REASON = "2024年第一季度已结账：更正该期间的记录须填写更正理由"


@pytest.fixture
def loaded(tmp_path, assessor, unit_a):
    """The full workbook imported before closing, then 2024Q1 closed."""
    path = fill(tmp_path / "台账.xlsx", FULL)
    assert import_workbook(path, user=assessor).ok
    period_close(user=assessor, period="2024Q1")
    return path


def changed_sheets() -> dict:
    """The full workbook with a change in every closed-period sheet, plus untouched and open-period rows."""
    sheets = copy.deepcopy(FULL)
    sheets["项目"][0]["签约金额(万元)"] = 90000  # XM-001, signed 2024-02-01
    sheets["项目共享"][0]["比例"] = 0.5  # XM-001's shares
    sheets["项目共享"][1]["比例"] = 0.5
    sheets["到位资金"].append({"项目编号": "XM-001", "到位日期": dt.date(2024, 3, 20), "金额(万元)": 7,
                             "资金类型": "其他"})
    sheets["招商活动"][0]["名称"] = "春季招商推介会（更名）"  # dated 2024-03-01
    sheets["走访"].append({"日期": dt.date(2024, 3, 5), "单位编码": "A01", "带队领导工号": "P001",
                         "企业名称": "新走访企业", "事项": "补录"})
    sheets["走访"].append({"日期": dt.date(2024, 4, 2), "单位编码": "A01", "带队领导工号": "P001",
                         "企业名称": "四月企业", "事项": "正常"})  # open period: fine on its own
    sheets["推荐考察"].append({"日期": dt.date(2024, 3, 8), "单位编码": "A01", "企业名称": "补录企业",
                           "推荐对象": "主要领导"})
    sheets["报送"].append({"单位编码": "A01", "报送期间": "2024-02", "截止日期": dt.date(2024, 3, 5)})
    sheets["出勤"].append({"工号": "P001", "日期": dt.date(2024, 3, 6), "是否驻点": "否"})
    return sheets


EXPECTED = {
    ("项目", 2, "签约日期"),
    ("项目共享", 2, "项目编号"),
    ("到位资金", 4, "到位日期"),
    ("招商活动", 2, "日期"),
    ("走访", 3, "日期"),
    ("推荐考察", 3, "日期"),
    ("报送", 3, "报送期间"),
    ("出勤", 3, "日期"),
}


def unit_sheets(sheets: dict) -> dict:
    """What a unit user may import otherwise: no units, targets or adjustments, only unit A01's rows."""
    out = {k: v for k, v in sheets.items() if k not in ("单位", "人员", "目标", "考核调整")}
    out["项目"] = [r for r in out["项目"] if r["引资单位编码"] == "A01"]
    return out


def snapshot() -> dict:
    return {m.__name__: m.objects.count() for m in (Project, ProjectShare, FundArrival, PromotionEvent, Visit,
                                                    Recommendation, Submission, Attendance, Correction)}


def test_same_file_again_passes_for_unit_user_and_assessor(tmp_path, loaded, staff_a, assessor):
    before = snapshot()
    again = import_workbook(loaded, user=assessor)
    assert again.ok and again.total("created") == again.total("updated") == 0
    mine = import_workbook(fill(tmp_path / "本单位.xlsx", unit_sheets(FULL)), user=staff_a)
    assert mine.ok, mine.errors
    assert mine.total("created") == mine.total("updated") == 0
    assert snapshot() == before


def test_unit_user_refused_with_every_row_located_and_nothing_imported(tmp_path, loaded, staff_a):
    sheets = unit_sheets(changed_sheets())
    sheets["走访"][-1]["企业名称"] = None  # an ordinary error, reported with the others
    before = snapshot()
    result = import_workbook(fill(tmp_path / "更正.xlsx", sheets), user=staff_a)
    assert not result.ok
    closed = {(e.sheet, e.row, e.column) for e in result.errors if e.message == CLOSED}
    assert closed == EXPECTED
    assert [(e.sheet, e.row, e.column) for e in result.errors if e.message != CLOSED] == [("走访", 4, "企业名称")]
    assert snapshot() == before
    assert Project.objects.get(code="XM-001").signed_amount == Decimal("80000.5")
    assert not Visit.objects.filter(date=dt.date(2024, 4, 2)).exists()


def test_unit_user_may_import_rows_outside_the_closed_period(tmp_path, loaded, staff_a):
    sheets = unit_sheets(FULL)
    sheets["走访"] = sheets["走访"] + [{"日期": dt.date(2024, 4, 2), "单位编码": "A01", "带队领导工号": "P001",
                                    "企业名称": "四月企业", "事项": "正常"}]
    result = import_workbook(fill(tmp_path / "四月.xlsx", sheets), user=staff_a)
    assert result.ok, result.errors
    assert result.total("created") == 1 and not Correction.objects.exists()


def test_assessor_needs_a_reason_then_each_row_is_a_correction(tmp_path, loaded, assessor):
    path = fill(tmp_path / "更正.xlsx", changed_sheets())
    before = snapshot()
    refused = import_workbook(path, user=assessor)
    assert {(e.sheet, e.row, e.column) for e in refused.errors} == EXPECTED
    assert {e.message for e in refused.errors} == {NEEDS_REASON}
    assert snapshot() == before

    dry = import_workbook(path, user=assessor, dry_run=True, correction_reason="补录一季度数据")
    assert dry.ok and not Correction.objects.exists()

    result = import_workbook(path, user=assessor, correction_reason="补录一季度数据")
    assert result.ok, result.errors
    assert Project.objects.get(code="XM-001").signed_amount == Decimal("90000")
    assert Visit.objects.filter(enterprise="四月企业").exists()
    found = sorted((c.record, c.action, c.project_code, c.record_date) for c in Correction.objects.all())
    assert found == sorted([
        ("项目", "修改", "XM-001", dt.date(2024, 2, 1)),
        ("共享", "修改", "XM-001", dt.date(2024, 2, 1)),
        ("到位资金", "新增", "XM-001", dt.date(2024, 3, 20)),
        ("招商活动", "修改", "E2024-01", dt.date(2024, 3, 1)),
        ("走访", "新增", "A01", dt.date(2024, 3, 5)),
        ("推荐考察", "新增", "A01", dt.date(2024, 3, 8)),
        ("报送", "新增", "A01", dt.date(2024, 2, 1)),
        ("出勤", "新增", "A01", dt.date(2024, 3, 6)),
    ])
    corrections = Correction.objects.all()
    assert {c.reason for c in corrections} == {"补录一季度数据"}
    assert {c.user for c in corrections} == {assessor}
    assert {c.period.period for c in corrections} == {"2024Q1"}
    project = Correction.objects.get(record="项目")
    assert project.project.code == "XM-001" and "签约金额" in project.summary and "90000" in project.summary
    assert Correction.objects.get(record="到位资金").project.code == "XM-001"

    # the same file again: nothing changed, so no reason is needed and no correction is added
    again = import_workbook(path, user=assessor)
    assert again.ok and again.total("created") == again.total("updated") == 0
    assert Correction.objects.count() == 8


def test_command_takes_a_correction_reason(tmp_path, loaded, assessor, capsys):
    sheets = {"走访": FULL["走访"] + [{"日期": dt.date(2024, 3, 5), "单位编码": "A01", "带队领导工号": "P001",
                                     "企业名称": "命令行补录", "事项": "补录"}]}
    path = fill(tmp_path / "命令行.xlsx", sheets)
    with pytest.raises(CommandError):
        call_command("import", str(path), "--user", "assessor", "--no-progress")
    assert NEEDS_REASON in capsys.readouterr().err
    assert not Visit.objects.filter(enterprise="命令行补录").exists()
    call_command("import", str(path), "--user", "assessor", "--no-progress", "--correction-reason", "漏报补录")
    c = Correction.objects.get()
    assert (c.record, c.action, c.reason, c.user) == ("走访", "新增", "漏报补录", assessor)


def test_upload_form_offers_the_reason_to_assessors(client, loaded, tmp_path, assessor, staff_a):
    client.force_login(staff_a)
    assert 'name="correction_reason"' not in client.get(reverse("exchange:index")).content.decode()
    client.force_login(assessor)
    assert 'name="correction_reason"' in client.get(reverse("exchange:index")).content.decode()
    path = fill(tmp_path / "页面.xlsx", {"出勤": FULL["出勤"] + [
        {"工号": "P001", "日期": dt.date(2024, 3, 7), "是否驻点": "是"}]})
    client.post(reverse("exchange:import"), {"file": upload(path)}, follow=True)
    assert not Attendance.objects.filter(date=dt.date(2024, 3, 7)).exists()
    response = client.post(reverse("exchange:import"), {"file": upload(path), "correction_reason": "补登出勤"},
                           follow=True)
    assert response.status_code == 200
    assert Attendance.objects.filter(date=dt.date(2024, 3, 7)).exists()
    assert Correction.objects.get().reason == "补登出勤"
