"""The whole ledger's totals (projects, signed amount, funds in place), kept by the database itself.

An assessor's first view of the ledger, the API's unfiltered list and the cockpit show the count and the sums
over every project: at 2,000,000 projects and ~6,000,000 fund arrivals those aggregates read whole tables
(hundreds of milliseconds on every page load). On PostgreSQL, statement-level triggers on `ledger_project` and
`ledger_fundarrival` append each statement's change (rows added or removed, the signed amount and funds it
adds or takes away) to `ledger_totals_delta` — every write path included: the services, `QuerySet.update()`,
the import's `COPY`, the generator's bulk writes, raw SQL, TRUNCATE. The totals are the sum of those rows:
exact as of the reader's snapshot, never stale.

Appending a row rather than updating one counter keeps concurrent writers apart: a long import does not hold
a lock every other user's save would wait on. The rows are folded into one now and then (`compact`), by the
reader, under an advisory lock so two readers do not fold at once.

SQLite (one writer, small ledgers) has no such triggers: the totals are plain aggregates there.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import connections, router, transaction
from django.db.models import Count, Sum

from zhaoshang.core.db import MoneySum, money

from .models import FundArrival, LedgerTotalsDelta, Project

COMPACT_AFTER = 200  # delta rows; folding them costs a few milliseconds
ADVISORY_KEY = 0x7A5F_7465  # pg_try_advisory_xact_lock key of the fold ("zs_te")


def maintained(alias: str) -> bool:
    return connections[alias].vendor == "postgresql"


def whole_ledger() -> tuple[int, Decimal, Decimal]:
    """(projects, signed amount, funds in place) over the whole ledger."""
    alias = router.db_for_read(LedgerTotalsDelta)
    if not maintained(alias):
        agg = Project.objects.using(alias).order_by().aggregate(n=Count("id"), signed=MoneySum("signed_amount"))
        funds = FundArrival.objects.using(alias).order_by().aggregate(s=MoneySum("amount"))["s"]
        return agg["n"], money(agg["signed"]), money(funds)
    rows = LedgerTotalsDelta.objects.using(alias).aggregate(
        n=Count("id"), projects=Sum("projects"), signed=Sum("signed"), funds=Sum("funds"))
    if rows["n"] > COMPACT_AFTER:
        compact()
    return int(rows["projects"] or 0), money(rows["signed"]), money(rows["funds"])


def compact() -> None:
    """Fold the delta rows into one, on the primary; skipped when another reader is folding."""
    fold(LedgerTotalsDelta, ADVISORY_KEY, FOLD)


def fold(model, advisory_key: int, sql: str) -> None:
    """Run a delta table's fold `sql` on the primary under the advisory lock `advisory_key`, so two readers
    never fold at once (the second skips it); nothing on SQLite. Shared with `ledger.summary`."""
    alias = router.db_for_write(model)
    if not maintained(alias):
        return
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [advisory_key])
        if cursor.fetchone()[0]:
            cursor.execute(sql)


FOLD = """
WITH gone AS (DELETE FROM ledger_totals_delta RETURNING projects, signed, funds)
INSERT INTO ledger_totals_delta (projects, signed, funds)
SELECT COALESCE(SUM(projects), 0), COALESCE(SUM(signed), 0), COALESCE(SUM(funds), 0) FROM gone
"""
