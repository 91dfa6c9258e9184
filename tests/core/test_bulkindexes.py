"""core.bulkindexes: an empty table's indexes and constraints set aside for a bulk import come back exactly as
they were; a table with rows keeps its own; a failure leaves the schema untouched. On SQLite nothing is set
aside (its bulk writes are fast enough) and the schema is never touched."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from zhaoshang.core import bulkcopy, bulkindexes
from zhaoshang.ledger.models import FundArrival, Project, StageRecord
from zhaoshang.orgs.choices import UnitKind
from zhaoshang.orgs.models import Unit

POSTGRES = connection.vendor == "postgresql"
TABLES = ("ledger_project", "ledger_stagerecord", "ledger_fundarrival")


def schema() -> set[tuple]:
    """Every index and constraint of the tables, with its full definition and state."""
    with connection.cursor() as cursor:
        if not POSTGRES:
            cursor.execute(f"SELECT type, name, tbl_name, sql FROM sqlite_master WHERE tbl_name IN {TABLES}")
            return set(cursor.fetchall())
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)", [list(TABLES)])
        indexes = {("index", *row) for row in cursor.fetchall()}
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated, condeferrable,"
            " condeferred FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s)", [list(TABLES)])
        constraints = {("constraint", *row) for row in cursor.fetchall()}
    return indexes | constraints


def test_set_aside_and_restored_exactly(db):
    before = schema()
    unit = Unit.objects.create(code="T01", name="测试区", kind=UnitKind.DISTRICT)
    with bulkindexes.set_aside([Project, StageRecord, FundArrival]) as saved:
        if not POSTGRES:
            assert saved.tables == [] and schema() == before
        else:
            _only_primary_keys_left(saved)
        ids = list(bulkcopy.reserve_ids(Project, 2))
        bulkcopy.insert_rows(Project, ["id", "code", "name", "investor", "lead_unit_id"],
                             [(pk, f"XM{pk}", "项目", "投资方", unit.pk) for pk in ids])
    assert schema() == before
    assert Project.objects.filter(lead_unit=unit).count() == 2


def _only_primary_keys_left(saved):
    assert set(saved.tables) == set(TABLES)
    during = schema()
    names = {row[2] for row in during}
    # only the primary keys' indexes are left (and the checks)
    assert "ledger_project_code_key" not in names and "project_unit_cover" not in names
    assert "ledger_project_pkey" in names
    assert not any("FOREIGN KEY" in row[3] for row in during if row[0] == "constraint")


def test_a_table_with_rows_keeps_its_indexes(db):
    unit = Unit.objects.create(code="T01", name="测试区", kind=UnitKind.DISTRICT)
    Project.objects.create(code="XM1", name="项目", investor="投资方", lead_unit=unit)
    before = schema()
    with bulkindexes.set_aside([Project, StageRecord]) as saved:
        assert saved.tables == (["ledger_stagerecord"] if POSTGRES else [])
        assert {row for row in schema() if row[1] == "ledger_project"} == {
            row for row in before if row[1] == "ledger_project"}
    assert schema() == before


def test_a_failure_rolls_the_schema_back(db):
    before = schema()
    with pytest.raises(RuntimeError), transaction.atomic(), bulkindexes.set_aside([Project, StageRecord]):
        raise RuntimeError("导入中断")
    assert schema() == before


def test_a_broken_foreign_key_is_caught_when_restored(db):
    if not POSTGRES:  # nothing set aside: SQLite checks its foreign keys as it always does, at the commit
        with transaction.atomic(), bulkindexes.set_aside([Project, StageRecord]) as saved:
            assert saved.tables == []
        return
    with pytest.raises(Exception, match="foreign key"), transaction.atomic(), \
            bulkindexes.set_aside([Project, StageRecord]):
        bulkcopy.insert_rows(Project, ["code", "name", "investor", "lead_unit_id"],
                             [("XM1", "项目", "投资方", 999_999)])  # no such unit
