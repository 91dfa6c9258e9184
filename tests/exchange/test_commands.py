"""`zhaoshang template`, `zhaoshang import`, `zhaoshang export` from a terminal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhaoshang.ledger.models import Project

from .helpers import fill, read_rows

pytestmark = pytest.mark.django_db


def test_import_command_reports_errors_and_writes_the_error_workbook(tmp_path, unit_a, capsys):
    bad = {
        "项目": [
            {
                "项目编号": "XM-C",
                "项目名称": "x",
                "投资方": "y",
                "签约金额(万元)": "abc",
                "引资单位编码": "A01",
                "签约日期": dt.date.today() + dt.timedelta(days=400),  # in the future, yet plausible
            }
        ]
    }
    path = fill(tmp_path / "坏.xlsx", bad)
    with pytest.raises(CommandError):
        call_command("import", str(path), "--no-progress")
    err = capsys.readouterr().err
    assert "共2处错误" in err and "项目\t2\t签约金额(万元)\t“abc”不是有效的数字" in err and "晚于今天" in err
    assert (tmp_path / "坏-错误.xlsx").exists()
    assert not Project.objects.exists()


def test_import_then_export_round_trip_by_command(tmp_path, unit_a, assessor, capsys):
    good = {
        "项目": [{"项目编号": "XM-D", "项目名称": "命令行", "投资方": "y", "签约金额(万元)": 5, "引资单位编码": "A01"}]
    }
    path = fill(tmp_path / "好.xlsx", good)
    call_command("import", str(path), "--dry-run", "--user", "assessor", "--no-progress")
    assert "校验通过" in capsys.readouterr().out and not Project.objects.exists()
    call_command("import", str(path), "--user", "assessor")
    assert "导入成功" in capsys.readouterr().out
    assert Project.objects.get(code="XM-D").history.first().history_user == assessor
    out = tmp_path / "出.xlsx"
    call_command("export", str(out), "--unit", "A01")
    assert [r["项目编号"] for r in read_rows(out, "项目")] == ["XM-D"]
    with pytest.raises(CommandError, match="不存在"):
        call_command("export", str(out), "--unit", "NOPE")
