"""The import writes a chunk on a thread of its own while it checks the next (`core.writebehind`). A user
sees the same outcome as before: every row written once with its history and filings, a later sheet finding
the projects of every chunk, a failed write undoing the whole import, and the same file again changing nothing."""

from __future__ import annotations

import datetime as dt
import threading
import time
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from zhaoshang.core import fastwrite
from zhaoshang.core.writebehind import WriteBehind
from zhaoshang.exchange.handlers import base
from zhaoshang.exchange.importer import import_workbook
from zhaoshang.ledger.models import FundArrival, Project, StageRecord
from zhaoshang.orgs.models import Unit

from .helpers import UNITS, fill

pytestmark = pytest.mark.django_db(transaction=True)


def _projects(n: int) -> list[dict]:
    return [{"项目编号": f"XM-{i:03d}", "项目名称": f"项目{i}", "投资方": f"第{i}号科技有限公司",
             "签约金额(万元)": 1000 + i, "签约日期": dt.date(2024, 1, 1 + i % 28),
             "注册日期": dt.date(2024, 3, 1) if i % 2 else None, "引资单位编码": "A01"} for i in range(n)]


def _funds(n: int) -> list[dict]:
    return [{"项目编号": f"XM-{i % n:03d}", "到位日期": dt.date(2024, 4, 1 + i // n), "金额(万元)": 10 + i,
             "资金类型": "固定资产投资"} for i in range(2 * n)]


def test_chunks_written_behind_all_land_with_history_and_filings(tmp_path, assessor, monkeypatch):
    monkeypatch.setattr(base, "CHUNK", 4)  # 23 projects and 46 arrivals: six and twelve chunks
    path = fill(tmp_path / "台账.xlsx", {"单位": UNITS, "项目": _projects(23), "到位资金": _funds(23)})
    result = import_workbook(path, user=assessor)
    assert result.ok, result.errors
    assert Project.objects.count() == 23 and FundArrival.objects.count() == 46
    assert Project.history.filter(history_type="+").count() == 23
    assert FundArrival.history.filter(history_type="+", history_user=assessor).count() == 46
    assert StageRecord.objects.filter(stage="signed").count() == 23
    assert StageRecord.objects.filter(stage="registered").count() == 11
    last = Project.objects.get(code="XM-022")  # in the last chunk; its funds in the funds sheet's chunks
    assert sorted(last.fund_arrivals.values_list("amount", flat=True)) == [Decimal(32), Decimal(55)]
    again = import_workbook(path, user=assessor)
    assert again.ok and again.total("created") == 0 and again.total("unchanged") == 3 + 23 + 46


def test_a_write_failing_behind_undoes_the_whole_import(tmp_path, assessor, monkeypatch):
    monkeypatch.setattr(base, "CHUNK", 4)
    real_insert = fastwrite._insert
    calls = {"funds": 0}

    def failing_insert(conn, table, fields, rows):
        if table == FundArrival._meta.db_table:
            calls["funds"] += 1
            if calls["funds"] == 3:  # the third chunk of arrivals, on the writer thread
                raise IntegrityError("模拟：写入失败")
        return real_insert(conn, table, fields, rows)

    monkeypatch.setattr(fastwrite, "_insert", failing_insert)
    path = fill(tmp_path / "台账.xlsx", {"单位": UNITS, "项目": _projects(10), "到位资金": _funds(10)})
    result = import_workbook(path, user=assessor)
    assert not result.committed
    assert "保存失败" in result.fatal and "模拟：写入失败" in result.fatal
    assert not Unit.objects.exists() and not Project.objects.exists() and not FundArrival.objects.exists()
    assert not Project.history.exists() and not StageRecord.objects.exists()


def test_a_read_on_the_importing_thread_waits_for_the_write_in_flight(unit_a):
    started = threading.Event()

    def slow_write():
        started.set()
        time.sleep(0.3)
        Unit.objects.filter(pk=unit_a.pk).update(name="写入线程改的名字")

    with transaction.atomic(), WriteBehind(connection) as writer:
        writer.submit(slow_write)
        assert started.wait(5)
        # The read is held until the write is done, and sees it (the same connection and transaction).
        assert Unit.objects.get(pk=unit_a.pk).name == "写入线程改的名字"
        transaction.set_rollback(True)
    assert Unit.objects.get(pk=unit_a.pk).name != "写入线程改的名字"


def test_a_failed_write_is_raised_on_the_importing_thread():
    def broken():
        raise ValueError("坏了")

    with transaction.atomic(), pytest.raises(ValueError, match="坏了"), WriteBehind(connection) as writer:
        writer.submit(broken)
        writer.drain()


def test_defaults_checked_once_still_meet_the_rules_of_each_row(tmp_path, assessor):
    """A sheet without the 状态原因 column: the empty reason is checked once for the sheet, not per row, and
    a row that needs one (终止) is still refused by the rule that reads both."""
    import openpyxl

    wb = openpyxl.Workbook()
    units = wb.active
    units.title = "单位"
    units.append(["单位编码*", "单位名称*", "单位类型*"])
    units.append(["A01", "甲区", "区"])
    projects = wb.create_sheet("项目")
    projects.append(["项目编号*", "项目名称*", "投资方*", "签约金额(万元)*", "签约日期", "项目状态", "引资单位编码*"])
    projects.append(["XM-1", "项目一", "甲公司", 100, dt.date(2024, 1, 5), "推进中", "A01"])
    projects.append(["XM-2", "项目二", "乙公司", 200, dt.date(2024, 1, 6), "终止", "A01"])
    path = tmp_path / "少列.xlsx"
    wb.save(path)
    result = import_workbook(path, user=assessor)
    assert not result.committed
    assert [(e.sheet, e.row, e.message) for e in result.errors] == [
        ("项目", 3, "状态为停滞、终止或流失时必须填写原因")]
    assert not Project.objects.exists()


def test_the_switch_interval_is_put_back_when_the_last_import_ends():
    import sys

    from zhaoshang.core.writebehind import SWITCH_INTERVAL

    before = sys.getswitchinterval()
    short = min(before, SWITCH_INTERVAL) if connection.vendor == "postgresql" else before
    with transaction.atomic(), WriteBehind(connection):
        assert sys.getswitchinterval() == short
        with WriteBehind(connection):  # a second import at the same time
            assert sys.getswitchinterval() == short
        assert sys.getswitchinterval() == short  # the first is still writing
    assert sys.getswitchinterval() == before
