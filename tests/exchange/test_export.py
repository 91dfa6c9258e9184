"""Export: what the user may see, typed values, formulas never run; and the round trip."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command

from zhaoshang.exchange.exporter import export_workbook
from zhaoshang.exchange.importer import import_workbook
from zhaoshang.ledger.models import Project

from ..factories import FundArrivalFactory, ProjectFactory
from .helpers import FULL, fill, read_rows

pytestmark = pytest.mark.django_db


def all_values(path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets[1:-1]:  # not 填表说明, not the hidden lists
        rows = [tuple(v.date() if isinstance(v, dt.datetime) else v for v in r) for r in ws.iter_rows(values_only=True)]
        out[ws.title] = sorted(rows[1:], key=repr)
    return out


def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path, unit_a):
    ProjectFactory(
        code="XM-X",
        name='=HYPERLINK("http://evil","点我")',
        investor="+cmd|' /C calc'!A0",
        investor_origin="-2+3",
        industry="@SUM(1)",
        lead_unit=unit_a,
    )
    out = tmp_path / "导出.xlsx"
    export_workbook(out)
    with zipfile.ZipFile(out) as zf:
        names = [n for n in zf.namelist() if n.startswith("xl/worksheets/")]
        xml = b"".join(zf.read(n) for n in names).decode()
        styles = zf.read("xl/styles.xml").decode()
    assert "<f>" not in xml  # never a formula: the text is a string cell
    assert "<t>=HYPERLINK(" in xml.replace("&quot;", '"')
    assert 'quotePrefix="1"' in styles
    wb = openpyxl.load_workbook(out)
    ws = wb["项目"]
    cells = {c.value: c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str)}
    for text in ('=HYPERLINK("http://evil","点我")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)"):
        assert cells[text].data_type == "s" and cells[text].quotePrefix, text


def test_numbers_as_numbers_dates_as_dates_labels_for_choices(tmp_path, unit_a):
    project = ProjectFactory(code="XM-N", lead_unit=unit_a, signed_amount=Decimal("1234.5678"))
    FundArrivalFactory(project=project, amount=Decimal("10.5"), kind="registered_capital")
    out = tmp_path / "导出.xlsx"
    call_command("export", str(out))
    p = read_rows(out, "项目")[0]
    assert p["签约金额(万元)"] == 1234.5678 and p["签约日期"] == dt.date(2024, 2, 1)
    assert p["项目类别"] == "制造业" and p["是否外资"] == "否" and p["项目状态"] == "推进中"
    assert read_rows(out, "到位资金") == [
        {"项目编号": "XM-N", "到位日期": dt.date(2024, 3, 1), "金额(万元)": 10.5, "资金类型": "注册资本"}
    ]


def test_export_is_scoped_to_what_the_user_sees(tmp_path, staff_a, project_a, project_b):
    out = tmp_path / "甲.xlsx"
    call_command("export", str(out), "--user", "staff_a")
    assert [r["项目编号"] for r in read_rows(out, "项目")] == ["XM-A-1"]
    assert {r["单位编码"] for r in read_rows(out, "单位")} == {"A01"}


def test_round_trip_export_import_export_is_identical(tmp_path, assessor):
    from zhaoshang.demo.generator import flush_city, generate

    generate(seed=3, units=8, projects=60, years=(2024,))
    assert import_workbook(fill(tmp_path / "extra.xlsx", FULL), user=assessor).ok  # every sheet has rows
    first = tmp_path / "first.xlsx"
    export_workbook(first)
    flush_city()
    assert not Project.objects.exists()
    result = import_workbook(first)
    assert result.ok, [e.as_dict() for e in result.errors[:10]]
    second = tmp_path / "second.xlsx"
    export_workbook(second)
    a, b = all_values(first), all_values(second)
    assert set(a) == set(b)
    for sheet in a:
        assert a[sheet] == b[sheet], sheet
    assert sum(len(rows) for rows in a.values()) > 100
    again = import_workbook(second)
    assert again.ok and again.total("created") == again.total("updated") == 0
