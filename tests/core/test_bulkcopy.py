"""core.bulkcopy: rows written as the ORM would write them (defaults, timestamps, ids), on either backend."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhaoshang.core import bulkcopy
from zhaoshang.ledger.models import FundArrival, Project, StageRecord
from zhaoshang.orgs.choices import UnitKind
from zhaoshang.orgs.models import Unit


@pytest.fixture
def unit(db):
    return Unit.objects.create(code="T01", name="测试区", kind=UnitKind.DISTRICT)


def test_rows_get_defaults_timestamps_and_reserved_ids(unit):
    ids = list(bulkcopy.reserve_ids(Project, 3))
    assert len(set(ids)) == 3
    rows = [(pk, f"XM{pk}", "项目", "投资方", unit.pk, Decimal("12.5000"), dt.date(2025, 3, 1)) for pk in ids]
    assert bulkcopy.insert_rows(
        Project, ["id", "code", "name", "investor", "lead_unit_id", "signed_amount", "signed_on"], rows) == 3
    p = Project.objects.get(pk=ids[1])
    assert (p.code, p.signed_amount, p.signed_on, p.version, p.status) == (
        f"XM{ids[1]}", Decimal("12.5000"), dt.date(2025, 3, 1), 1, Project._meta.get_field("status").default)
    assert p.created_at is not None and p.updated_at is not None
    # The next id the table gives out is above the reserved ones.
    later = Project.objects.create(code="XM-next", name="后续", investor="某公司", lead_unit=unit)
    assert later.pk > max(ids)


def test_writer_keeps_order_and_reports_errors(unit):
    project = Project.objects.create(code="XM1", name="项目", investor="投资方", lead_unit=unit)
    with bulkcopy.Writer() as writer:
        writer.insert_rows(StageRecord, ["project_id", "stage", "date"], [(project.pk, "signed", dt.date(2025, 1, 2))])
        writer.insert_rows(FundArrival, ["project_id", "date", "amount"],
                           [(project.pk, dt.date(2025, 2, 1), Decimal("3.0000")),
                            (project.pk, dt.date(2025, 2, 2), Decimal("4.0000"))])
        writer.idle()
        assert project.stage_records.count() == 1
    assert [f.amount for f in FundArrival.objects.order_by("pk")] == [Decimal("3.0000"), Decimal("4.0000")]


def test_writer_raises_a_failed_write(unit):
    project = Project.objects.create(code="XM1", name="项目", investor="投资方", lead_unit=unit)
    row = (project.pk, "signed", dt.date(2025, 1, 2))
    with pytest.raises(Exception):  # noqa: B017 - IntegrityError on both backends, wrapped or not
        with bulkcopy.Writer() as writer:
            writer.insert_rows(StageRecord, ["project_id", "stage", "date"], [row, row])  # stage filed twice
            writer.idle()


def test_instances_are_written_as_they_are(unit):
    project = Project.objects.create(code="XM1", name="项目", investor="投资方", lead_unit=unit)
    records = [StageRecord(project=project, stage="signed", date=dt.date(2025, 1, 2), note="导入"),
               StageRecord(project=project, stage="registered", date=dt.date(2025, 2, 3))]
    assert bulkcopy.insert_objects(StageRecord, records) == 2
    got = list(project.stage_records.order_by("pk").values_list("stage", "date", "note", "verification"))
    assert got == [("signed", dt.date(2025, 1, 2), "导入", "pending"),
                   ("registered", dt.date(2025, 2, 3), "", "pending")]
    assert all(r.filed_at is not None for r in project.stage_records.all())
