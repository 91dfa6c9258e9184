"""The generator's bulk path: the same rows for a seed as before it was made faster, the schema as migrated
after it (indexes and constraints set aside while the tables are filled on PostgreSQL), the ledger's totals
exact, and nothing left behind by a failure."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count

from zhaoshang.core.db import MoneySum
from zhaoshang.demo import generator
from zhaoshang.demo.generator import BULK_MODELS, DIGITS, _below, _digits8, generate
from zhaoshang.ledger import totals
from zhaoshang.ledger.models import FundArrival, Project, ProjectShare, StageRecord
from zhaoshang.orgs.models import Unit

from ..factories import ProjectFactory

TODAY = dt.date(2026, 11, 23)


def _ledger_digest() -> str:
    """The generated ledger's rows, by code (ids depend on the sequences the other tests used)."""
    h = hashlib.md5()
    for row in Project.objects.order_by("code").values_list(
            "code", "name", "investor", "investor_uscc", "investor_origin", "industry", "industry_chain", "category",
            "is_four_power", "is_foreign", "planned_investment", "signed_amount", "foreign_amount", "signed_on",
            "registered_on", "started_on", "completed_on", "producing_on", "stage", "status", "status_reason",
            "lead_unit__code", "assisting_unit__code", "introducer__staff_no", "assisting_secretary__staff_no"):
        h.update(repr(row).encode())
    for model, order, fields in (
            (StageRecord, ("project__code", "stage"), ("project__code", "stage", "date", "verified_on")),
            (FundArrival, ("project__code", "date", "amount", "kind"), ("project__code", "date", "amount", "kind")),
            (ProjectShare, ("project__code", "unit__code"), ("project__code", "unit__code", "ratio"))):
        for row in model.objects.order_by(*order).values_list(*fields):
            h.update(repr(row).encode())
    return h.hexdigest()


def test_same_rows_as_before_the_speed_up(db):
    # Computed with the generator as it was before its draws were rewritten for speed (issue 12): the
    # rewrite draws the same numbers in the same order, so the ledger is the same one.
    generate(seed=5, units=8, projects=400, years=(2023, 2024, 2025), today=TODAY)
    assert _ledger_digest() == "ba672d87db9d45486314168298140015"


@pytest.mark.parametrize("seed", range(20))
def test_digits_drawn_as_one_at_a_time(seed):
    fast, slow = random.Random(seed), random.Random(seed)
    for _ in range(50):
        assert _digits8(fast.getrandbits) == "".join(DIGITS[_below(slow.getrandbits, 10)] for _ in range(8))
        assert fast.getstate() == slow.getstate()  # and the stream goes on from the same place


def _schema() -> set[tuple]:
    tables = [m._meta.db_table for m in BULK_MODELS]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":  # nothing is set aside there: the schema is never touched
            cursor.execute(f"SELECT type, name, tbl_name, sql FROM sqlite_master WHERE tbl_name IN {tuple(tables)}")
            return set(cursor.fetchall())
        cursor.execute("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)", [tables])
        indexes = {("index", *row) for row in cursor.fetchall()}
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated, condeferrable,"
            " condeferred FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s)", [tables])
        constraints = {("constraint", *row) for row in cursor.fetchall()}
        # the ledger's totals triggers (a foreign key's own triggers are named by oid, and checked above)
        cursor.execute("SELECT tgrelid::regclass::text, tgname, tgenabled FROM pg_trigger WHERE NOT tgisinternal"
                       " AND tgrelid::regclass::text = ANY(%s)", [tables])
        triggers = {("trigger", *row) for row in cursor.fetchall()}
    return indexes | constraints | triggers


def test_schema_as_migrated_and_totals_exact_after_generate(db):
    migrated = _schema()
    if connection.vendor == "postgresql":
        assert {("index", "ledger_project", "project_unit_cover"),
                ("trigger", "ledger_project", "ledger_totals_project_ins")} <= {row[:3] for row in migrated}
    else:
        assert ("index", "project_unit_cover", "ledger_project") in {row[:3] for row in migrated}
    generate(seed=3, units=6, projects=300, years=(2024, 2025), today=TODAY)
    assert _schema() == migrated
    agg = Project.objects.aggregate(n=Count("id"), s=MoneySum("signed_amount"))  # exact on SQLite too
    funds = FundArrival.objects.aggregate(s=MoneySum("amount"))["s"]
    n, signed, funded = totals.whole_ledger()
    assert (n, signed, funded) == (300, agg["s"], funds) and funds > Decimal("0")
    # The sequence was moved past the generated projects: the next one gets a fresh id.
    later = ProjectFactory(lead_unit=Unit.objects.first())
    assert later.pk > Project.objects.exclude(pk=later.pk).order_by("-pk").values_list("pk", flat=True)[0]


def test_a_failed_generation_leaves_the_schema_and_no_rows(db, monkeypatch):
    migrated = _schema()

    def broken(self):
        raise RuntimeError("生成中断")

    monkeypatch.setattr(generator.Generator, "_write_targets", broken)
    with pytest.raises(RuntimeError):
        generate(seed=3, units=4, projects=100, years=(2025,), today=TODAY)
    assert _schema() == migrated
    assert not Project.objects.exists() and not Unit.objects.exists()


def test_the_cockpit_figures_counted_once_equal_the_generated_ledger(db, assessor, monkeypatch):
    # On PostgreSQL the figures' triggers are off while the empty ledger is filled, and the figures are counted
    # once at the end (`ledger.figures_pause`); on SQLite both reads aggregate the ledger.
    from zhaoshang.reports import cockpit

    def both(as_of):
        kept = cockpit._cockpit_data(assessor, as_of.year, as_of)
        with monkeypatch.context() as m:
            m.setattr(cockpit, "_whole_province", lambda user: False)
            summed = cockpit._cockpit_data(assessor, as_of.year, as_of)
        return kept, summed

    generate(seed=4, units=8, projects=400, years=(2024, 2025), today=TODAY)
    days = (dt.date(2024, 6, 30), dt.date(2024, 12, 31), dt.date(2025, 3, 17))
    for day in days:
        kept, summed = both(day)
        assert kept == summed, day
    signed = {c["key"]: c for c in both(dt.date(2024, 12, 31))[0]["completion"]}["signed"]["value"]
    assert Decimal(signed) > 0
    # the triggers are on again: a project written afterwards counts at once
    unit = Unit.objects.order_by("code").first()
    ProjectFactory(lead_unit=unit, signed_on=dt.date(2024, 12, 30), signed_amount=Decimal("12345.5"))
    kept, summed = both(dt.date(2024, 12, 31))
    assert kept == summed
    after = {c["key"]: c for c in kept["completion"]}["signed"]["value"]
    assert Decimal(after) == Decimal(signed) + Decimal("12345.5")
