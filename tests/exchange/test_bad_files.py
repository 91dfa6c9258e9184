"""Bad files: each gives a clear Chinese message and leaves the database unchanged."""

from __future__ import annotations

import re
import time
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from openpyxl.styles import PatternFill

from zhaoshang.exchange.importer import import_workbook
from zhaoshang.exchange.reader import ENCRYPTED_MARK, OLE_MAGIC
from zhaoshang.ledger.models import Project
from zhaoshang.orgs.models import Unit

from .helpers import fill

pytestmark = pytest.mark.django_db


def write(path, data: bytes):
    path.write_bytes(data)
    return path


def refused(path, user, *words):
    result = import_workbook(path, user=user)
    assert not result.ok and result.fatal
    text = result.fatal + " ".join(e.message for e in result.errors)
    for word in words:
        assert word in text, text
    assert not Unit.objects.filter(code__startswith="N").exists() and not Project.objects.exists()
    return result


def unit_book(path, **extra):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "单位"
    ws.append(["单位编码*", "单位名称*", "单位类型*"])
    ws.append(["N01", "新区", "区"])
    for name, rows in extra.items():
        other = wb.create_sheet(name)
        for row in rows:
            other.append(row)
    wb.save(path)
    return wb, path


def test_old_xls(tmp_path, assessor):
    refused(write(tmp_path / "a.xls", OLE_MAGIC + bytes(2000)), assessor, ".xls", "另存为")


def test_password_protected(tmp_path, assessor):
    refused(write(tmp_path / "p.xlsx", OLE_MAGIC + bytes(600) + ENCRYPTED_MARK + bytes(600)), assessor, "密码")


def test_renamed_csv(tmp_path, assessor):
    refused(write(tmp_path / "c.xlsx", "单位编码,单位名称\nN01,新区\n".encode()), assessor, "CSV")


def test_png(tmp_path, assessor):
    refused(write(tmp_path / "i.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(100)), assessor, "图片")


def test_corrupted_zip(tmp_path, assessor):
    _, good = unit_book(tmp_path / "good.xlsx")
    data = good.read_bytes()
    refused(write(tmp_path / "broken.xlsx", data[: len(data) // 2]), assessor, "损坏")


def test_too_large(tmp_path, assessor, settings):
    settings.UPLOAD_MAX_MB = 0
    _, path = unit_book(tmp_path / "big.xlsx")
    refused(path, assessor, "超过上限0MB")


def test_missing_required_column(tmp_path, assessor):
    wb = openpyxl.Workbook()
    wb.active.title = "项目"
    wb.active.append(["项目编号*", "项目名称*", "签约金额(万元)*", "引资单位编码*"])
    wb.save(tmp_path / "m.xlsx")
    result = refused(tmp_path / "m.xlsx", assessor, "缺少必填列“投资方”")
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("项目", 1, "投资方")]


def test_unknown_sheet_is_warned_and_ignored(tmp_path, assessor):
    _, path = unit_book(tmp_path / "u.xlsx", 备注=[["随便写写"]])
    result = import_workbook(path, user=assessor)
    assert result.ok and result.warnings == ["工作表“备注”不是标准工作表，已忽略"]
    assert Unit.objects.filter(code="N01").exists()


def test_million_formatted_empty_rows(tmp_path, assessor):
    wb, path = unit_book(tmp_path / "formatted.xlsx")
    ws = wb["单位"]
    for col in range(1, 6):
        ws.cell(row=1_000_000, column=col).fill = PatternFill("solid", fgColor="FFFF00")
        ws.cell(row=1_048_576, column=col).number_format = "yyyy-mm-dd"
    wb.save(path)
    started = time.perf_counter()
    result = import_workbook(path, user=assessor)
    assert result.ok and result.rows == 1
    assert time.perf_counter() - started < 10  # streamed, not a million rows materialised


def test_formula_with_cached_value_is_used_and_without_is_an_error(tmp_path, assessor, unit_a):
    row = {
        "项目编号": "XM-F",
        "项目名称": "公式",
        "投资方": "某公司",
        "签约金额(万元)": "=100*2",
        "引资单位编码": "A01",
    }
    path = fill(tmp_path / "f.xlsx", {"项目": [row]})
    result = import_workbook(path, user=assessor)
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("项目", 2, "签约金额(万元)")]
    assert "公式没有计算结果" in result.errors[0].message
    # The same file as Excel saves it: the formula with its cached result.
    cached = tmp_path / "cached.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(cached, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if b"<f>100*2</f>" in data:
                data = re.sub(rb"<f>100\*2</f><v\s*/?>(</v>)?", b"<f>100*2</f><v>200</v>", data)
            dst.writestr(item, data)
    assert import_workbook(cached, user=assessor).ok
    assert Project.objects.get(code="XM-F").signed_amount == Decimal("200")


def test_merged_header(tmp_path, assessor):
    wb, path = unit_book(tmp_path / "merged.xlsx")
    wb["单位"].merge_cells("A1:B1")
    wb.save(path)
    refused(path, assessor, "合并单元格（A1:B1）")
