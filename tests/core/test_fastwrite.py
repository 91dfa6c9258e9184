"""The import's bulk writer stores every value as Django's own save would: the same value and, on SQLite, the
same storage class (an amount as a number, a date as text, a flag as an integer), whichever way the rows
reach the database (a whole batch as one JSON array, or row by row)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from tests.factories import ProjectFactory
from zhaoshang.core import fastwrite
from zhaoshang.ledger.choices import FundKind
from zhaoshang.ledger.models import FundArrival, Project

TRICKY_TEXT = '某某“科技”有限公司 \\ "引号" 换行\n第二行 ★ 𠀋'


def _stored(table: str, pk: int) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])  # noqa: S608 — a model's own table
        names = [c[0] for c in cursor.description]
        values = cursor.fetchone()
        kinds = {}
        if connection.vendor == "sqlite":
            cursor.execute(f"SELECT {', '.join(f'typeof({n})' for n in names)} FROM {table} WHERE id = %s", [pk])  # noqa: S608
            kinds = dict(zip(names, cursor.fetchone(), strict=True))
    return {n: (v, kinds.get(n)) for n, v in zip(names, values, strict=True)}


def _copy_of(project: Project, code: str) -> Project:
    clone = Project.objects.get(pk=project.pk)
    clone.pk = clone.id = None
    clone.code = code
    return clone


@pytest.mark.django_db
@pytest.mark.parametrize("batch", [1, 3, 5000])
def test_bulk_written_project_is_stored_as_a_saved_one(unit_a, monkeypatch, batch):
    monkeypatch.setattr(fastwrite, "BATCH", batch)
    saved = ProjectFactory(lead_unit=unit_a, code="XM-SAVED", investor=TRICKY_TEXT, signed_amount=Decimal("1234.5600"),
                           planned_investment=None, is_four_power=True, signed_on=dt.date(2024, 2, 29))
    copies = [_copy_of(saved, f"XM-BULK-{i}") for i in range(4)]
    fastwrite.create_with_history(Project, copies, user=None)
    expected = _stored(Project._meta.db_table, saved.pk)
    for copy in copies:
        got = _stored(Project._meta.db_table, copy.pk)
        differing = {k for k in expected if expected[k] != got[k]} - {"id", "code", "created_at", "updated_at"}
        assert not differing, {k: (expected[k], got[k]) for k in differing}
        again = Project.objects.get(pk=copy.pk)
        assert again.investor == TRICKY_TEXT
        assert again.signed_amount == Decimal("1234.5600")
        assert again.signed_on == dt.date(2024, 2, 29)
        assert again.is_four_power is True and again.planned_investment is None
        assert again.history.count() == 1


@pytest.mark.django_db
def test_bulk_written_arrivals_keep_exact_amounts(project_a):
    amounts = [Decimal("0.0001"), Decimal("99999999.9999"), Decimal("12.5"), Decimal("7")]
    arrivals = [FundArrival(project=project_a, date=dt.date(2024, 1, 1 + i), amount=a, kind=FundKind.OTHER)
                for i, a in enumerate(amounts)]
    fastwrite.create_with_history(FundArrival, arrivals, user=None)
    stored = list(FundArrival.objects.filter(project=project_a).order_by("date").values_list("amount", flat=True))
    assert stored == amounts
    assert sum(stored) == sum(amounts)
