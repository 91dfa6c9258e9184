"""A bulk load into an empty ledger counts the kept figures once, at the end (PostgreSQL).

The whole-ledger and per-unit totals (`ledger.totals`, `ledger.unit_totals`) and the cockpit's figures
(`ledger.summary`) are kept by statement-level triggers that append each statement's change. The generator
writes 2,000,000 projects, their shares and millions of fund arrivals in thousands of COPY batches: each batch
fired the triggers (grouping the batch seven ways, looking up the live project of every fund row, refreshing the
shared projects), and the hundreds of thousands of rows they appended then had to be folded (about 40 s at 2M).
Into empty tables the same figures are one recount over the finished tables, so the triggers are disabled for
the load and the figures counted once before they are enabled again — inside the caller's transaction: a failed
load rolls the triggers back to enabled with everything else, and no other session ever sees the tables without
them.

Tables that already hold rows keep their triggers (a recount would then be a full count of a live ledger).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections

from . import totals_sql

TABLES = ("ledger_project", "ledger_fundarrival", "ledger_projectshare")
PREFIXES = ("ledger\\_summary\\_%", "ledger\\_totals\\_%")


def _paused_triggers(cursor) -> list[tuple[str, str]]:
    cursor.execute(
        "SELECT tgrelid::regclass::text, tgname FROM pg_trigger"
        " WHERE NOT tgisinternal AND tgenabled <> 'D' AND tgrelid::regclass::text = ANY(%s)"
        " AND (tgname LIKE %s OR tgname LIKE %s) ORDER BY 1, 2", [list(TABLES), *PREFIXES])
    return cursor.fetchall()


def _all_empty(cursor) -> bool:
    cursor.execute(" AND ".join(f"NOT EXISTS (SELECT 1 FROM {t})" for t in TABLES).join(("SELECT ", "")))
    return cursor.fetchone()[0]


@contextmanager
def counted_at_end(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Within a transaction: the figures' triggers of the empty ledger tables disabled, and on a normal exit
    enabled again and the figures counted from the tables. Nothing on SQLite (no triggers there)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("counted_at_end must run inside a transaction: a failure would leave the triggers off")
    with connection.cursor() as cursor:
        paused = _paused_triggers(cursor) if _all_empty(cursor) else []
        for table, name in paused:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {connection.ops.quote_name(name)}")
    yield
    if not paused:
        return
    with connection.cursor() as cursor:
        for table, name in paused:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {connection.ops.quote_name(name)}")
        cursor.execute(totals_sql.RECOUNT)
        cursor.execute("SELECT ledger_unit_totals_recount()")  # the per-unit totals' triggers are ledger_totals_unit_*
        cursor.execute("SELECT ledger_summary_recount()")  # `generate` then folds its rows, one per key
