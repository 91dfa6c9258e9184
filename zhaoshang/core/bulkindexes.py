"""Secondary indexes, unique and foreign-key constraints set aside while a bulk import fills empty tables
(PostgreSQL), and built again at the end of the import, in the same transaction.

Filling a table row by row keeps each of its indexes up to date row by row, and checks each foreign key with a
query per row: at 2,000,000 generated projects that was about 240 s of server time (16 indexes on a project,
9 on a filing and on a fund). Building an index over a filled table is one sort, and checking a foreign key
over it is one join, several times faster. So, for each table that is empty when the import starts, its
indexes other than the primary key, its unique constraints (unless a foreign key elsewhere refers to one)
and its foreign keys are dropped, and recreated from their own definitions (`pg_get_indexdef`,
`pg_get_constraintdef`, read before dropping: nothing is spelled out here, nothing is lost, the names are
kept). Everything happens in the caller's transaction: if the import fails, the rollback restores the
schema as it was. Triggers and check constraints are left alone (the ledger's totals stay exact).

A table that already has rows keeps everything (rebuilding an index over rows that are already there would
cost more than it saves). On SQLite nothing is done. Until the commit, the tables (and, for the foreign keys,
the tables they point at) stay locked by the DDL: this is for imports into a database nobody uses yet, such
as `zhaoshang generate`. Deferred constraint checks pending at the start run then, and constraints are
checked at once until the end, where they are deferred again (as Django declares them).

    with transaction.atomic(), set_aside([Project, StageRecord]):
        ...  # COPY into the empty tables
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, connections

# Memory for each index build's sort, for the transaction only: 2,000,000 projects' keys sort in memory
# instead of in temporary files (the server's default, 64 MB, is made for a vacuum running beside users).
MAINTENANCE_WORK_MEM = "1GB"


@dataclass
class SetAside:
    """What was dropped, as the statements that recreate it, in the order they run."""

    tables: list[str] = field(default_factory=list)
    indexes: list[str] = field(default_factory=list)  # CREATE [UNIQUE] INDEX …
    constraints: list[str] = field(default_factory=list)  # ALTER TABLE … ADD CONSTRAINT … (unique before foreign)


def _q(connection, name: str) -> str:
    return connection.ops.quote_name(name)


def _empty(cursor, connection, table: str) -> bool:
    cursor.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {_q(connection, table)})")
    return cursor.fetchone()[0]


def _read(cursor, connection, table: str, saved: SetAside) -> list[str]:
    """The definitions of `table`'s droppable indexes and constraints into `saved`; returns the DROP
    statements, foreign keys first (a unique constraint cannot go while something depends on it)."""
    qt = _q(connection, table)
    # Constraints: foreign keys of this table, and unique constraints no foreign key refers to.
    cursor.execute(
        """
        SELECT c.conname, c.contype, pg_get_constraintdef(c.oid)
        FROM pg_constraint c
        WHERE c.conrelid = %s::regclass AND (
            c.contype = 'f'
            OR (c.contype = 'u' AND NOT EXISTS (
                SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid)))
        ORDER BY c.contype DESC, c.conname
        """,
        [qt],
    )
    drops_fk, drops_unique = [], []
    uniques, foreign = [], []
    for name, kind, definition in cursor.fetchall():
        add = f"ALTER TABLE {qt} ADD CONSTRAINT {_q(connection, name)} {definition}"
        drop = f"ALTER TABLE {qt} DROP CONSTRAINT {_q(connection, name)}"
        if kind == "f":
            foreign.append(add)
            drops_fk.append(drop)
        else:
            uniques.append(add)
            drops_unique.append(drop)
    # Indexes that no constraint of the table owns (the primary key's and the unique constraints' are
    # handled with their constraint or kept).
    cursor.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid = %s::regclass AND NOT EXISTS (
            SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)
        ORDER BY 1
        """,
        [qt],
    )
    drops_index = []
    for name, definition in cursor.fetchall():
        saved.indexes.append(definition)
        drops_index.append(f"DROP INDEX {name}")  # regclass text: already quoted and schema-qualified if needed
    saved.constraints[:0] = uniques  # unique constraints before any foreign key is added back
    saved.constraints.extend(foreign)
    return drops_fk + drops_unique + drops_index


def drop(models_: Iterable, using: str = DEFAULT_DB_ALIAS) -> SetAside:
    """Drop the secondary indexes and constraints of those of `models_`' tables that are empty (PostgreSQL,
    inside a transaction); returns what `restore` needs."""
    connection = connections[using]
    saved = SetAside()
    if connection.vendor != "postgresql":
        return saved
    if not connection.in_atomic_block:
        raise RuntimeError("set_aside must run inside a transaction: a failure would leave tables without indexes")
    with connection.cursor() as cursor:
        # A foreign key cannot be dropped from (or added to) a table, nor one pointing at it, while checks of
        # that table wait for the commit: those run now, and constraints are checked at once until `restore`.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        drops: list[str] = []
        for model in models_:
            table = model._meta.db_table
            if table in saved.tables or not _empty(cursor, connection, table):
                continue
            saved.tables.append(table)
            drops += _read(cursor, connection, table, saved)
        # every foreign key goes before any unique constraint it might lean on
        for sql in sorted(drops, key=lambda s: 0 if " DROP CONSTRAINT " in s else 1):
            cursor.execute(sql)
    return saved


def restore(saved: SetAside, using: str = DEFAULT_DB_ALIAS) -> None:
    """Build again what `drop` dropped: indexes, then unique constraints, then foreign keys (each checked over
    the whole table by one query)."""
    if not (saved.indexes or saved.constraints):
        return
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('maintenance_work_mem')")
        memory = cursor.fetchone()[0]
        cursor.execute("SELECT set_config('maintenance_work_mem', %s, true)", [MAINTENANCE_WORK_MEM])
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # as in `drop`
        for sql in saved.indexes + saved.constraints:
            cursor.execute(sql)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute("SELECT set_config('maintenance_work_mem', %s, true)", [memory])


@contextmanager
def set_aside(models_: Iterable, using: str = DEFAULT_DB_ALIAS) -> Iterator[SetAside]:
    """Drop on entry, restore on a normal exit; after an error the caller's rollback restores the schema."""
    saved = drop(list(models_), using)
    yield saved
    restore(saved, using)
