"""Database helpers that keep money exact on every backend.

SQLite has no decimal type: Django stores a DecimalField there as REAL, and `SUM()` adds binary
floats. Over a hundred thousand amounts with four decimals the total drifts in the fourth place
(measured by bench/ledger_bench.py), and Django's SQLite converter then rounds the float to 15
significant digits. `MoneySum` sums scaled integers on SQLite instead — each stored value rounds
back to its exact 万元 amount with four places — and converts the integer total to Decimal in
Python. On PostgreSQL it is a plain `SUM` over `numeric`, which is exact already.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models, router, transaction
from django.db.models import Sum

MONEY_SCALE = 10_000  # four decimal places, as every money column is stored


class _ScaledMoney(models.BigIntegerField):
    """Output field for the SQLite form: the database returns an integer count of 1/10000 万元."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else Decimal(int(value)).scaleb(-4)


class MoneySum(Sum):
    """`Sum()` for money columns, exact on SQLite as on PostgreSQL. Accepts `filter=` like Sum."""

    def __init__(self, expression, **extra):
        if connections[DEFAULT_DB_ALIAS].vendor == "sqlite":
            extra.setdefault("output_field", _ScaledMoney())
        else:
            extra.setdefault("output_field", models.DecimalField(max_digits=30, decimal_places=4))
        super().__init__(expression, **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        # SUM(x) → SUM(CAST(ROUND(x * 10000) AS INTEGER)); Aggregate.as_sql still adds the FILTER clause.
        clone = self.copy()  # set the template on a copy: Aggregate.as_sql also passes `template` on
        clone.template = f"%(function)s(CAST(ROUND((%(distinct)s%(expressions)s) * {MONEY_SCALE}) AS INTEGER))"
        return clone.as_sql(compiler, connection, **extra_context)


def money(value: Decimal | None) -> Decimal:
    """A SUM over no rows is NULL; the ledger shows 0."""
    return value if value is not None else Decimal("0")


# The largest value of a 64-bit integer column (ids, versions). A larger number typed into a URL or a form
# makes SQLite and PostgreSQL raise an overflow error instead of finding nothing, so inputs are bounded by it.
DB_INT_MAX = 2**63 - 1


@contextmanager
def analytic_memory(model: type[models.Model] | None = None) -> Iterator[None]:
    """On PostgreSQL, the reads inside run in one transaction with `work_mem` raised for it alone (SET LOCAL,
    settings.ASSESS_WORK_MEM), on the database `model` is read from (the replica inside `stale_reads`): at
    province scale the GROUP BYs and DISTINCTs of an assessment run or a bulletin spilled to disk at the default
    4MB. Other connections keep the server's setting; SQLite has no such knob.

    JIT compilation is off for the same transaction: each pass of a run over a province's year (a million
    fund arrivals) is costly enough to trigger it, and compiling its aggregates took 0.15–0.17 s per query on
    a 2-core server, more than the compiled code saved (bole-2023's funds pass 4.0 s with JIT, 3.7 s without;
    bench/NOTES.md, tenth session)."""
    alias = router.db_for_read(model) if model is not None else DEFAULT_DB_ALIAS
    connection = connections[alias]
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=alias):
        with connection.cursor() as cursor:
            # set_config(…, true) is SET LOCAL with the value as a parameter (SET takes no parameters).
            cursor.execute("SELECT set_config('work_mem', %s, true), set_config('jit', 'off', true)",
                           [settings.ASSESS_WORK_MEM])
        yield
