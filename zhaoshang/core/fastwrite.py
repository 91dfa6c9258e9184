"""Bulk writes with history, fast enough for an import of 400,000 rows or a scan's half a million flags.

`simple_history.utils.bulk_create_with_history` builds a historical model instance per row and goes
through the ORM's insert compiler, which costs more than validating the row. These functions write
the model's rows with `executemany` (PostgreSQL: COPY) over prepared tuples, and their history rows
(history_type "+" or "~", history_user the importing user, history_date now) with one
`INSERT INTO <history> SELECT … FROM <table>` per batch: the history row is the row as the database
holds it after the write, copied by the database rather than prepared a second time in Python.
New rows get their ids reserved up front (from the table's sequence) so the history rows and later
sheets can refer to them. Values go through each field's own `get_db_prep_save`, except where the
database driver takes the Python value as it is (strings, integers, flags; Decimal and dates as
Django's backends pass them).

On a database other than SQLite or PostgreSQL they fall back to the simple_history functions.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal

from django.db import connections, models, router
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from . import bulkcopy

PASS_THROUGH = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.AutoField,
                models.BigAutoField, models.ForeignKey)
BATCH = 5000


def _converter(field, connection):
    """A function preparing a value of `field` for the driver, or None when the value goes as it is."""
    if isinstance(field, models.FileField):
        return lambda value: value if type(value) is str else field.get_db_prep_save(value, connection)
    if isinstance(field, models.DecimalField):
        if connection.vendor in ("sqlite", "postgresql"):
            return None  # Django registers Decimal → str with sqlite3; psycopg adapts Decimal itself
    elif isinstance(field, PASS_THROUGH):
        return None
    elif type(field) is models.DateField:
        # psycopg adapts a date itself; Django's SQLite backend registers `adapt_date` (isoformat) with
        # sqlite3, the same text as `adapt_datefield_value`
        return None
    return bulkcopy.prepared_by_field(field, connection)


def _sqlite_text(field, connection):
    """SQLite: the text Django's sqlite3 adapters make of a Decimal (str) or a date (isoformat), made while the
    rows are built, so that a batch goes to JSON (`_as_json`) without a call back into Python per value."""
    if connection.vendor != "sqlite":
        return None
    if isinstance(field, models.DecimalField):
        return str
    if type(field) is models.DateField:
        return dt.date.isoformat
    return None


_MAKERS: dict[tuple, object] = {}


def _tuples(objs: list, attnames: list[str], convs: list) -> list[tuple]:
    """Row values read from each instance's __dict__ (raw values, no descriptors), converted where needed.
    One generated comprehension per column list: a tuple expression per row, no per-cell loop."""
    key = (tuple(attnames), tuple(convs))
    make = _MAKERS.get(key)
    if make is None:
        env, parts = {}, []
        for i, (name, conv) in enumerate(zip(attnames, convs, strict=True)):
            if conv is None:
                parts.append(f"d[{name!r}]")
            else:
                env[f"c{i}"] = conv
                parts.append(f"(None if (v{i} := d[{name!r}]) is None else c{i}(v{i}))")
        source = f"def make(objs):\n    return [({', '.join(parts)},) for d in [o.__dict__ for o in objs]]\n"
        exec(compile(source, "<fastwrite._tuples>", "exec"), env)  # noqa: S102 — names are field attnames
        make = _MAKERS[key] = env["make"]
    return make(objs)


def _q(connection, name: str) -> str:
    return connection.ops.quote_name(name)


def _reserve_ids(model, n: int, connection) -> Sequence[int]:
    return bulkcopy.reserve_ids(model, n, using=connection.alias)


def _sqlite_top(model, connection) -> int:
    return bulkcopy.sqlite_top(model, connection)


def _column_types(cursor, table: str, columns: list[str]) -> list[int]:
    """The type oid of each column, which a binary COPY must name."""
    cursor.execute("SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0"
                   " AND NOT attisdropped", [_q(cursor.db, table)])
    oid = dict(cursor.fetchall())
    return [oid[c] for c in columns]


def _insert(connection, table: str, fields: list, rows: list) -> None:
    columns = [f.column for f in fields]
    cols = ", ".join(_q(connection, c) for c in columns)
    if connection.vendor == "postgresql" and rows:
        # COPY: one stream instead of a statement per row (executemany sent ~550 project rows a second);
        # binary, so the server does not parse dates and numbers from text (`core.bulkcopy` does the same).
        with connection.cursor() as cursor:
            oids = _column_types(cursor, table, columns)
            with cursor.cursor.copy(f"COPY {_q(connection, table)} ({cols}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(oids)
                write = copy.write_row
                for row in rows:
                    write(row)
        return
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {_q(connection, table)} ({cols}) VALUES ({marks})"
    # A float in JSON is read back by SQLite's own text-to-number conversion, which could differ from the bound
    # double in the last digit: such a table keeps executemany.
    floats = any(isinstance(f, models.FloatField) for f in fields)
    by_json = not floats and _json_insert_works(connection)
    with connection.cursor() as cursor:
        for i in range(0, len(rows), BATCH):
            batch = rows[i:i + BATCH]
            statement = _json_insert(connection, table, columns, batch) if by_json else None
            if statement is None:
                cursor.executemany(sql, batch)
            else:
                cursor.execute(*statement)


def _json_insert_works(connection) -> bool:
    return connection.vendor == "sqlite" and connection.Database.sqlite_version_info >= (3, 38)


def _json_insert(connection, table: str, columns: list[str], batch: list[tuple]) -> tuple[str, list] | None:
    """SQLite 3.38+: an INSERT of a whole batch given as one JSON array of row arrays (`json_each`). One
    statement is one `sqlite3_step`, during which Python's sqlite3 lets go of the interpreter lock: the
    import's writer thread (`core.writebehind`) then inserts while the main thread checks the next rows.
    `executemany` takes the lock back after every row and, beside a busy thread, waits for it each time (300,000
    fund rows did not finish in ten minutes). Binding the rows of a batch to one many-row VALUES was tried: the
    same statement count, but the 100k + 300k import took 23 s against 21 s this way."""
    # A column with one value in every row of the batch (the importing user, 待核实, empty notes …: most of
    # them) is bound once as a parameter, as executemany would bind it; the JSON carries the others.
    by_column = list(zip(*batch, strict=True))
    varying = [k for k, values in enumerate(by_column) if values.count(values[0]) != len(values)]
    packed = _as_json(list(zip(*[by_column[k] for k in varying], strict=True)) if varying else [[0]] * len(batch))
    if packed is None:
        return None
    picks, params, at = [], [], {k: n for n, k in enumerate(varying)}
    for k in range(len(columns)):
        if k in at:
            picks.append(f"value ->> {at[k]}")
        else:
            picks.append("%s")
            params.append(by_column[k][0])
    cols = ", ".join(_q(connection, c) for c in columns)
    sql = f"INSERT INTO {_q(connection, table)} ({cols}) SELECT {', '.join(picks)} FROM json_each(%s)"
    return sql, [*params, packed]


def _json_value(value):
    # What Django registers with sqlite3 for these types (Decimal → str, date/datetime → adapt_date /
    # adapt_datetime), so a value is stored as executemany would store it. Anything else: executemany.
    kind = type(value)
    if kind is Decimal:
        return str(value)
    if kind is dt.date:
        return value.isoformat()
    if kind is dt.datetime:
        return value.isoformat(" ")
    raise TypeError(kind.__name__)


def _as_json(rows: list) -> str | None:
    """The rows as one JSON text for `_json_insert_sql`, or None when a value is of a type without a JSON form
    that SQLite reads back as sqlite3 would bind it (bytes, a UUID …)."""
    try:
        return json.dumps(rows, default=_json_value, ensure_ascii=False, allow_nan=False, check_circular=False)
    except (TypeError, ValueError):
        return None


def _id_ranges(ids: list[int], connection) -> list[tuple[str, list]]:
    """WHERE clauses (with their parameters) selecting exactly the rows `ids`: `id BETWEEN` when the ids
    are contiguous (what `_reserve_ids` gives), else `IN` / `= ANY` in batches."""
    ids = sorted(set(ids))
    if ids and ids[-1] - ids[0] + 1 == len(ids):
        return [("BETWEEN %s AND %s", [ids[0], ids[-1]])]
    if connection.vendor == "postgresql":
        return [("= ANY(%s)", [ids[i:i + BATCH * 10]]) for i in range(0, len(ids), BATCH * 10)]
    step = 900  # SQLite's limit on a statement's parameters
    return [(f"IN ({', '.join(['%s'] * len(part))})", part) for part in (ids[i:i + step]
                                                                     for i in range(0, len(ids), step))]


def _history_rows(model, objs: list, history_type: str, user_id, connection, reason: str | None = None) -> None:
    """One history row per object, copied from the model's table as it now stands (the row just written)."""
    _history_of_ids(model, [o.pk for o in objs], history_type, user_id, connection, reason)


def _history_of_ids(model, ids: list[int], history_type: str, user_id, connection, reason: str | None = None
                    ) -> None:
    history = model.history.model
    tracked = {f.attname for f in history.tracked_fields}
    constants = {"history_date": connection.ops.adapt_datetimefield_value(timezone.now()),
                 "history_change_reason": reason, "history_type": history_type, "history_user_id": user_id}
    fields = [f for f in history._meta.concrete_fields if f.attname != "history_id"]
    if any(f.attname not in tracked and f.attname not in constants for f in fields):
        raise NotImplementedError("historical model with custom fields")
    source = {f.attname: f for f in model._meta.concrete_fields}
    targets, selects, params = [], [], []
    for f in fields:
        targets.append(_q(connection, f.column))
        if f.attname in constants:
            selects.append("%s")
            params.append(constants[f.attname])
        else:
            selects.append(_q(connection, source[f.attname].column))
    pk = _q(connection, model._meta.pk.column)
    head = (f"INSERT INTO {_q(connection, history._meta.db_table)} ({', '.join(targets)}) "
            f"SELECT {', '.join(selects)} FROM {_q(connection, model._meta.db_table)} WHERE {pk} ")
    with connection.cursor() as cursor:
        for where, part in _id_ranges(ids, connection):
            cursor.execute(f"{head}{where} ORDER BY {pk}", [*params, *part])


def create_with_history(model, objs: list, *, user=None, reason: str | None = None) -> list:
    """Insert `objs` (ids assigned in place) and one "+" history row each, naming `user` (and `reason`, the
    change reason every history row gives)."""
    if not objs:
        return objs
    connection = connections[router.db_for_write(model)]
    if connection.vendor not in ("sqlite", "postgresql"):
        return bulk_create_with_history(objs, model, batch_size=1000, default_user=user,
                                        default_change_reason=reason)
    missing = [o for o in objs if o.pk is None]
    for obj, new_id in zip(missing, _reserve_ids(model, len(missing), connection), strict=True):
        obj.pk = new_id
    fields = list(model._meta.concrete_fields)
    now = timezone.now()
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objs:  # DateTimeField.pre_save(add=True), one moment for the whole write
                setattr(obj, field.attname, now)
    rows = _tuples(objs, [f.attname for f in fields],
                   [_converter(f, connection) or _sqlite_text(f, connection) for f in fields])
    _insert(connection, model._meta.db_table, fields, rows)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    if hasattr(model, "history"):
        _history_rows(model, objs, "+", getattr(user, "pk", None), connection, reason)
    return objs


def insert_rows_with_history(model, attnames: list[str], rows: list[tuple], *, user=None, reason: str | None = None
                             ) -> Sequence[int]:
    """Insert new rows given as tuples of values for `attnames` (no instances built: a model's `__init__` cost
    more than writing the row), each with a reserved id and one "+" history row; returns the ids, in row
    order. Fields not named get their defaults (`core.bulkcopy`)."""
    if not rows:
        return []
    connection = connections[router.db_for_write(model)]
    if connection.vendor not in ("sqlite", "postgresql"):
        objs = create_with_history(model, [model(**dict(zip(attnames, row, strict=True))) for row in rows],
                                   user=user, reason=reason)
        return [o.pk for o in objs]
    ids = bulkcopy.reserve_ids(model, len(rows), using=connection.alias)
    bulkcopy.insert_rows(model, [model._meta.pk.attname, *attnames],
                         ((pk, *row) for pk, row in zip(ids, rows, strict=True)), using=connection.alias)
    if hasattr(model, "history"):
        _history_of_ids(model, list(ids), "+", getattr(user, "pk", None), connection, reason)
    return ids


def can_create_from_source(model) -> bool:
    """Whether `create_from_source` works on the database of `model`: PostgreSQL, or SQLite 3.35 or later."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor == "postgresql":
        return True
    return connection.vendor == "sqlite" and connection.Database.sqlite_version_info >= (3, 35)


def create_from_source(model, template: models.Model, source, source_ids: list[int],
                       branches: list[dict[str, tuple[str, object]]], *, user=None) -> list[int]:
    """Insert rows of `model` made by the database from rows of `source` (a model), with one "+" history
    row each, and return their ids — what `create_with_history` writes for instances built in Python, without
    building them. For each source row among `source_ids` and each branch in turn (the rows are inserted in
    that order), a row whose fields are those of `template` (its defaults; auto_now fields now) except the
    branch's: attname → ("column", attname of `source`) or ("value", a value). Every branch names the same
    attnames. A branch gives no row for a source row where one of its columns is NULL."""
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    now = timezone.now()
    varying = list(branches[0])
    fixed_fields = [f for f in meta.concrete_fields if f.attname not in varying and not f.primary_key]
    fixed_params = []
    for f in fixed_fields:
        value = now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else template.__dict__[
            f.attname]
        fixed_params.append(value if value is None or _converter(f, connection) is None
                            else f.get_db_prep_save(value, connection))
    src_pk = _q(connection, source._meta.pk.column)
    targets = [_q(connection, f.column) for f in fixed_fields] + [_q(connection, meta.get_field(a).column)
                                                                   for a in varying]
    select = ["%s"] * len(fixed_fields) + [f"zs_s.zs_{i}" for i in range(len(varying))]
    new_ids: list[int] = []
    with connection.cursor() as cursor:
        for where, part in _id_ranges(source_ids, connection):
            parts, params = [], []
            for k, branch in enumerate(branches):
                cols, notnull = [f"{src_pk} AS zs_order", f"{k} AS zs_branch"], []
                for i, attname in enumerate(varying):
                    how, what = branch[attname]
                    if how == "column":
                        column = _q(connection, source._meta.get_field(what).column)
                        cols.append(f"{column} AS zs_{i}")
                        notnull.append(f" AND {column} IS NOT NULL")
                    else:
                        cols.append(f"%s AS zs_{i}")
                        params.append(what)
                parts.append(f"SELECT {', '.join(cols)} FROM {_q(connection, source._meta.db_table)} "
                             f"WHERE {src_pk} {where}{''.join(notnull)}")
                params.extend(part)
            sql = (f"INSERT INTO {_q(connection, meta.db_table)} ({', '.join(targets)}) SELECT {', '.join(select)} "
                   f"FROM ({' UNION ALL '.join(parts)}) zs_s ORDER BY zs_s.zs_order, zs_s.zs_branch")
            if connection.vendor == "postgresql":
                cursor.execute(f"{sql} RETURNING {_q(connection, meta.pk.column)}", [*fixed_params, *params])
                new_ids.extend(row[0] for row in cursor.fetchall())
                continue
            # SQLite gives the rows of one INSERT the ids after the table's top, one after another. Fetching
            # them with RETURNING would take Python's interpreter lock back for every row — beside the import's
            # busy main thread, a wait each time (`core.writebehind`).
            top = _sqlite_top(model, connection)
            cursor.execute(sql, [*fixed_params, *params])
            written = cursor.rowcount
            if _sqlite_top(model, connection) != top + written:
                raise RuntimeError(f"{meta.db_table}: ids of the inserted rows are not consecutive")
            new_ids.extend(range(top + 1, top + 1 + written))
    if new_ids and hasattr(model, "history"):
        _history_of_ids(model, new_ids, "+", getattr(user, "pk", None), connection)
    return new_ids


def update_with_history(model, objs: list, fields: list[str], *, user=None) -> None:
    """Write `fields` of `objs` and one "~" history row each (the full row after the change)."""
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    if connection.vendor not in ("sqlite", "postgresql"):
        bulk_update_with_history(objs, model, fields, batch_size=500, default_user=user)
        return
    meta = model._meta
    targets = [meta.get_field(name) for name in fields]
    now = timezone.now()
    for field in targets:
        if getattr(field, "auto_now", False):
            for obj in objs:
                setattr(obj, field.attname, now)
    sets = ", ".join(f"{_q(connection, f.column)} = %s" for f in targets)
    sql = f"UPDATE {_q(connection, meta.db_table)} SET {sets} WHERE {_q(connection, meta.pk.column)} = %s"
    rows = _tuples(objs, [f.attname for f in targets] + [meta.pk.attname],
                   [_converter(f, connection) for f in targets] + [None])
    with connection.cursor() as cursor:
        for i in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[i:i + BATCH])
    if hasattr(model, "history"):
        _history_rows(model, objs, "~", getattr(user, "pk", None), connection)
