"""`zhaoshang bulletin --run ID -o OUT.docx [--annual] [--xlsx]` and `zhaoshang close_period`."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import load_workbook

from zhaoshang.periods.models import PeriodClose
from zhaoshang.reports.models import BulletinSnapshot

pytestmark = pytest.mark.django_db


def test_assess_publish_then_bulletin(city, tmp_path):
    out = StringIO()
    call_command("assess", scheme="bole-2023", period="2024Q1", json=True, publish=True, stdout=out)
    run = json.loads(out.getvalue())["run"]
    run_id = run["id"]
    assert run["published"] is True
    # publishing from the command line freezes the bulletin in the same transaction as the results
    assert BulletinSnapshot.objects.filter(run_id=run_id).exists()
    err = StringIO()
    call_command("bulletin", run=run_id, output=str(tmp_path / "b.docx"), xlsx=str(tmp_path / "b.xlsx"), stderr=err)
    assert "已发布" in err.getvalue()
    texts = [p.text for p in Document(str(tmp_path / "b.docx")).paragraphs]
    assert "关于2024年第一季度驻点招商局招商引资工作情况的通报" in texts  # the Bole scheme's scope
    assert "驻点招商局" in load_workbook(tmp_path / "b.xlsx").sheetnames
    call_command("bulletin", run=run_id, output=str(tmp_path / "a.docx"), annual=True, stderr=StringIO())
    assert Document(str(tmp_path / "a.docx")).tables
    with pytest.raises(CommandError, match="不存在"):
        call_command("bulletin", run=99999, output=str(tmp_path / "x.docx"))


def test_close_period_command(assessor, leader):
    out = StringIO()
    call_command("close_period", "2024Q1", user="assessor", stdout=out)
    assert "2024年第一季度" in out.getvalue() and PeriodClose.objects.count() == 1
    with pytest.raises(CommandError, match="考核办"):
        call_command("close_period", "2024Q2", user="leader")
