"""`core.writebehind.WriteBehind`, the one writer thread of the import and the demo generator: jobs run in the
order given, never more than `depth` at once, a failure stops the writes after it and reaches the caller,
and a read of the caller's waits for what was handed over."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from zhaoshang.core.writebehind import WriteBehind
from zhaoshang.orgs.models import Unit

pytestmark = pytest.mark.django_db(transaction=True)


def _unit_job(code: str, gate: threading.Event | None = None):
    def job():
        if gate is not None:
            gate.wait(5)
        Unit.objects.create(code=code, name=f"单位{code}")
    return job


def test_jobs_land_in_order_and_a_read_sees_them_all():
    gate = threading.Event()
    with transaction.atomic(), WriteBehind(connection, depth=4) as writer:
        writer.submit(_unit_job("B1", gate))
        for i in range(2, 5):
            writer.submit(_unit_job(f"B{i}"))
        assert writer._pending == 4  # held back by the first job: nothing written yet, all four accepted
        gate.set()
        codes = list(Unit.objects.filter(code__startswith="B").order_by("pk").values_list("code", flat=True))
    assert codes == ["B1", "B2", "B3", "B4"]


def test_depth_bounds_the_jobs_waiting():
    gate = threading.Event()
    accepted = []

    def submitter(writer):
        for i in range(3):
            writer.submit(_unit_job(f"C{i}", gate if i == 0 else None))
            accepted.append(i)

    with transaction.atomic(), WriteBehind(connection, depth=2) as writer:
        thread = threading.Thread(target=submitter, args=(writer,))
        thread.start()
        thread.join(0.5)
        assert accepted == [0, 1]  # the third waits for room
        gate.set()
        thread.join(5)
        assert accepted == [0, 1, 2]
        writer.drain()
        assert Unit.objects.filter(code__startswith="C").count() == 3


def test_a_failed_job_drops_the_later_ones_and_undoes_the_transaction():
    Unit.objects.create(code="D0", name="已有单位")
    with pytest.raises(ValueError, match="写入失败"), transaction.atomic(), WriteBehind(connection, depth=3) as writer:
        writer.submit(_unit_job("D1"))

        def boom():
            raise ValueError("写入失败")
        writer.submit(boom)
        writer.submit(_unit_job("D2"))
        writer.drain()
    assert list(Unit.objects.filter(code__startswith="D").values_list("code", flat=True)) == ["D0"]


def test_an_error_in_the_block_writes_nothing_more():
    gate = threading.Event()
    with pytest.raises(RuntimeError), transaction.atomic(), WriteBehind(connection, depth=3) as writer:
        writer.submit(_unit_job("E1", gate))
        writer.submit(_unit_job("E2"))
        gate.set()
        raise RuntimeError("导入中断")
    assert not Unit.objects.filter(code__startswith="E").exists()


def test_inline_writer_runs_each_job_at_once():
    with transaction.atomic(), WriteBehind(connection, threaded=False) as writer:
        writer.submit(_unit_job("F1"))
        assert Unit.objects.filter(code="F1").exists()
        writer.drain()
