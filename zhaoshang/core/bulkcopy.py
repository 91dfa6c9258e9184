"""Plain bulk inserts of many rows, without the ORM's per-row cost: COPY on PostgreSQL, executemany on SQLite.

`bulk_create` builds a model instance per row and renders an INSERT of a few hundred rows per statement,
preparing every value through its field: on PostgreSQL 100,000 generated projects with their filings and
funds took two minutes, most of it the server parsing and planning those statements. Here a caller hands
over tuples (or instances) and the rows go as one binary COPY stream per call (30 s for the same 100,000;
what is left is the server's own work per row: 16 indexes on a project, the foreign-key checks).

No history rows, no signals, no `full_clean()`: this is for bulk imports whose rows are known to be valid
(the demo generator). Values are the Python values a field holds; a field not named gets its default, the
auto_now / auto_now_add timestamps one `now` for the whole call, and a primary key not named is assigned
by the database in row order, as `bulk_create` would. Rows that later rows must refer to get their ids
from `reserve_ids` first.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Sequence

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.utils import timezone

from .writebehind import WriteBehind

BATCH = 5000  # rows per executemany on SQLite
# Fields whose Python value the driver takes as it is (Django registers Decimal, date and datetime with
# sqlite3; psycopg adapts them itself). A DateTimeField is a DateField: it is told apart below.
PASS_THROUGH = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.AutoField,
                models.BigAutoField, models.ForeignKey, models.DecimalField, models.DateField)


def _q(connection, name: str) -> str:
    return connection.ops.quote_name(name)


def _converter(field, connection):
    """A function preparing a value of `field` for the driver, or None when the value goes as it is."""
    if isinstance(field, models.DateTimeField):
        if connection.vendor == "postgresql":
            return None  # psycopg sends an aware datetime with its offset
    elif isinstance(field, PASS_THROUGH):
        return None
    return prepared_by_field(field, connection)


def prepared_by_field(field, connection):
    """`field.get_db_prep_save` for one value after another, prepared once while the value stays the same object:
    the auto_now fields and history dates of a write share one `now`."""
    last = [object(), None]

    def convert(value):
        if value is not last[0]:
            last[0], last[1] = value, field.get_db_prep_save(value, connection)
        return last[1]

    return convert


def reserve_ids(model, n: int, using: str = DEFAULT_DB_ALIAS) -> Sequence[int]:
    """`n` new primary keys of `model`, taken from its sequence (PostgreSQL) or above the highest id in
    use (SQLite, inside the caller's write transaction: no other writer). A range when they follow on."""
    if n <= 0:
        return range(0)
    connection = connections[using]
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The sequence named once: `pg_get_serial_sequence` in the select list runs for every row,
            # a catalog lookup each (nine tenths of the time of reserving 60,000 ids).
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [_q(connection, table), column])
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, n])
            ids = [row[0] for row in cursor.fetchall()]
            return range(ids[0], ids[0] + n) if ids[-1] - ids[0] == n - 1 else ids
    if connection.vendor != "sqlite":
        raise NotImplementedError(connection.vendor)
    top = sqlite_top(model, connection)
    return range(top + 1, top + 1 + n)


def sqlite_top(model, connection) -> int:
    """SQLite, inside the caller's write transaction (no other writer): the id below the next one the table
    gives — above both the highest id and the AUTOINCREMENT counter, so the id of a deleted row (which has
    history) is never given out again."""
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX({_q(connection, column)}) FROM {_q(connection, table)}")
        top = cursor.fetchone()[0] or 0
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'")
        if cursor.fetchone():
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            top = max(top, row[0] if row else 0)
    return top


class _Plan:
    """Which columns a call writes and how each row is completed and converted."""

    def __init__(self, model, attnames: Sequence[str], connection) -> None:
        meta = model._meta
        named = list(attnames)
        by_attname = {f.attname: f for f in meta.concrete_fields}
        unknown = [a for a in named if a not in by_attname]
        if unknown:
            raise ValueError(f"{meta.label} has no column {unknown}")
        now = timezone.now()
        self.fields = [by_attname[a] for a in named]
        # Fields not named: the pk is left to the database; the rest get their default (auto_now: now).
        fixed, per_row = [], []
        for f in meta.concrete_fields:
            if f.attname in named or f.primary_key:
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                fixed.append((f, now))
            elif f.has_default() and callable(f.default):
                per_row.append(f)
            else:
                fixed.append((f, f.get_default()))
        self.fields += [f for f, _ in fixed] + per_row
        self.tail = tuple(value for _, value in fixed)
        self.per_row = per_row
        self.convs = [(i, c) for i, f in enumerate(self.fields) if (c := _converter(f, connection)) is not None]
        self.columns = [f.column for f in self.fields]

    def complete(self, rows: Iterable[Sequence]) -> Iterable[Sequence]:
        tail, per_row, convs = self.tail, self.per_row, self.convs
        for row in rows:
            row = (*row, *tail, *(f.get_default() for f in per_row)) if tail or per_row else row
            if convs:
                row = list(row)
                for i, conv in convs:
                    if row[i] is not None:
                        row[i] = conv(row[i])
            yield row


def insert_rows(model, attnames: Sequence[str], rows: Iterable[Sequence], *, using: str = DEFAULT_DB_ALIAS) -> int:
    """Insert `rows` (tuples of Python values for `attnames`, in that order) into `model`'s table; returns
    how many. Runs in the caller's transaction."""
    return _insert(connections[using], model, attnames, rows)


def _column_types(cursor, table: str, columns: Sequence[str]) -> list[int]:
    """The type oid of each column, which a binary COPY must name."""
    cursor.execute("SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0"
                   " AND NOT attisdropped", [table])
    oid = dict(cursor.fetchall())
    return [oid[c] for c in columns]


def _insert(connection, model, attnames: Sequence[str], rows: Iterable[Sequence]) -> int:
    plan = _Plan(model, attnames, connection)
    table = _q(connection, model._meta.db_table)
    cols = ", ".join(_q(connection, c) for c in plan.columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: one stream instead of a statement per few hundred rows; binary, so the server does not
            # parse dates and numbers from text (a tenth of its time per row).
            oids = _column_types(cursor, model._meta.db_table, plan.columns)
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(oids)
                write = copy.write_row
                for row in plan.complete(rows):
                    write(row)
                    count += 1
            return count
        if connection.vendor != "sqlite":
            raise NotImplementedError(connection.vendor)
        sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * len(plan.columns))})"
        completed = iter(plan.complete(rows))
        while batch := list(itertools.islice(completed, BATCH)):
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def insert_objects(model, objs: Sequence[models.Model], *, using: str = DEFAULT_DB_ALIAS) -> int:
    """Insert unsaved instances of `model` as they are (their pk when set, else the database's)."""
    if not objs:
        return 0
    fields = [f for f in model._meta.concrete_fields
              if not (f.primary_key and objs[0].pk is None)
              and not getattr(f, "auto_now", False) and not getattr(f, "auto_now_add", False)]
    attnames = [f.attname for f in fields]
    return insert_rows(model, attnames, ([o.__dict__[a] for a in attnames] for o in objs), using=using)


class Writer:
    """`insert_rows` calls run in order on a writer thread (PostgreSQL), over the caller's connection and in
    its transaction, so the server stores one chunk (indexes, foreign-key checks) while the caller draws the
    next: generating 2,000,000 projects takes about as long in Python as storing them does in PostgreSQL.
    On SQLite the calls run at once. The thread is `core.writebehind.WriteBehind`'s, up to `depth` chunks
    ahead; any query of the caller's own first waits for the chunks handed over.

        with Writer() as writer:
            writer.insert_rows(Model, ["a", "b"], rows)
    """

    def __init__(self, using: str = DEFAULT_DB_ALIAS, depth: int = 8) -> None:
        self.connection = connections[using]
        self.behind = WriteBehind(self.connection, depth=depth, name="bulkcopy-writer",
                                  threaded=self.connection.vendor == "postgresql")

    def __enter__(self) -> Writer:
        self.behind.__enter__()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.behind.__exit__(exc_type, exc, tb)

    def insert_rows(self, model, attnames: Sequence[str], rows: list) -> int:
        self.behind.submit(functools.partial(_insert, self.connection, model, attnames, rows))
        return len(rows)

    def idle(self) -> None:
        """Wait until every row handed over is stored (the connection is then the caller's)."""
        self.behind.drain()


def tune_transaction(using: str = DEFAULT_DB_ALIAS) -> None:
    """Inside a bulk import's transaction on PostgreSQL: commit without waiting for the WAL flush (a crash
    loses the import, which is then run again; it never leaves half of it), and check foreign keys as each
    COPY ends instead of all at commit, where the checks of millions of rows would run alone, after the
    last row is drawn. The caller writes parents before children; `end_tuning` restores deferral."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def end_tuning(using: str = DEFAULT_DB_ALIAS) -> None:
    """Foreign keys deferred to commit again (Django declares them DEFERRABLE INITIALLY DEFERRED), for the
    rest of an enclosing transaction."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def analyze(models_: Iterable, using: str = DEFAULT_DB_ALIAS) -> None:
    """Refresh the planner's statistics of tables just filled (PostgreSQL; SQLite's ANALYZE is left to the
    caller), so the first queries over them are planned for their real size."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models_:
            cursor.execute(f"ANALYZE {_q(connection, model._meta.db_table)}")
