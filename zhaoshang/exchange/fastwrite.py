"""Bulk writes with history, fast enough for 400,000 rows.

`simple_history.utils.bulk_create_with_history` builds a historical model instance per row and goes
through the ORM's insert compiler, which costs more than validating the row. These functions write
the same rows — the model's row and its history row (history_type "+" or "~", history_user the
importing user, history_date now) — with `executemany` over prepared tuples. New rows get their ids
reserved up front (from the table's sequence) so the history rows and later sheets can refer to them.
Values go through each field's own `get_db_prep_save`, except where the database driver takes the
Python value as it is (strings, integers, flags; Decimal and dates as Django's backends pass them).

On a database other than SQLite or PostgreSQL they fall back to the simple_history functions.
"""

from __future__ import annotations

from operator import itemgetter

from django.db import connections, models, router
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

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
        if connection.vendor == "postgresql":
            return None
        return lambda value: value.isoformat()  # what the SQLite backend's adapt_datefield_value does
    last = [object(), None]

    def convert(value):
        # auto_now fields and history dates share one `now` per write: prepare it once
        if value is not last[0]:
            last[0], last[1] = value, field.get_db_prep_save(value, connection)
        return last[1]

    return convert


def _tuples(objs: list, attnames: list[str], convs: list, consts: dict[int, object] | None = None) -> list[list]:
    """Row values read from each instance's __dict__ (raw values, no descriptors), converted where needed;
    `consts` inserts the same value at the given positions of every row."""
    get = itemgetter(*attnames) if len(attnames) > 1 else (lambda d: (d[attnames[0]],))
    todo = [(i, c) for i, c in enumerate(convs) if c is not None]
    rows = []
    for obj in objs:
        row = list(get(obj.__dict__))
        for i, conv in todo:
            value = row[i]
            if value is not None:
                row[i] = conv(value)
        rows.append(row)
    if consts:
        positions = sorted(consts)
        for row in rows:
            for i in positions:
                row.insert(i, consts[i])
    return rows


def _q(connection, name: str) -> str:
    return connection.ops.quote_name(name)


def _reserve_ids(model, n: int, connection) -> list[int]:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [_q(connection, table), model._meta.pk.column, n])
            return [row[0] for row in cursor.fetchall()]
        # SQLite, inside the import's write transaction (no other writer): above both the highest id and
        # the AUTOINCREMENT counter, so an id of a deleted row (which has history) is never reused.
        cursor.execute(f"SELECT MAX({_q(connection, model._meta.pk.column)}) FROM {_q(connection, table)}")
        top = cursor.fetchone()[0] or 0
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'")
        if cursor.fetchone():
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            top = max(top, row[0] if row else 0)
    return list(range(top + 1, top + 1 + n))


def _insert(connection, table: str, columns: list[str], rows: list) -> None:
    cols = ", ".join(_q(connection, c) for c in columns)
    if connection.vendor == "postgresql" and rows:
        # COPY: one stream instead of a statement per row (executemany sent ~550 project rows a second).
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {_q(connection, table)} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {_q(connection, table)} ({cols}) VALUES ({marks})"
    with connection.cursor() as cursor:
        for i in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[i:i + BATCH])


def _history_rows(model, objs: list, history_type: str, user_id, connection) -> None:
    history = model.history.model
    tracked = {f.attname for f in history.tracked_fields}
    constants = {"history_date": connection.ops.adapt_datetimefield_value(timezone.now()),
                 "history_change_reason": None, "history_type": history_type, "history_user_id": user_id}
    fields = [f for f in history._meta.concrete_fields if f.attname != "history_id"]
    if any(f.attname not in tracked and f.attname not in constants for f in fields):
        raise NotImplementedError("historical model with custom fields")
    source = {f.attname: f for f in model._meta.concrete_fields}
    consts, attnames, convs = {}, [], []
    for i, f in enumerate(fields):
        if f.attname in constants:
            consts[i] = constants[f.attname]
        else:
            attnames.append(f.attname)
            # the source field's preparation: a FileField's history column is text, its value a FieldFile
            convs.append(_converter(source.get(f.attname, f), connection))
    rows = _tuples(objs, attnames, convs, consts)
    _insert(connection, history._meta.db_table, [f.column for f in fields], rows)


def create_with_history(model, objs: list, *, user=None) -> list:
    """Insert `objs` (ids assigned in place) and one "+" history row each, naming `user`."""
    if not objs:
        return objs
    connection = connections[router.db_for_write(model)]
    if connection.vendor not in ("sqlite", "postgresql"):
        return bulk_create_with_history(objs, model, batch_size=1000, default_user=user)
    missing = [o for o in objs if o.pk is None]
    for obj, new_id in zip(missing, _reserve_ids(model, len(missing), connection), strict=True):
        obj.pk = new_id
    fields = list(model._meta.concrete_fields)
    now = timezone.now()
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objs:  # DateTimeField.pre_save(add=True), one moment for the whole write
                setattr(obj, field.attname, now)
    rows = _tuples(objs, [f.attname for f in fields], [_converter(f, connection) for f in fields])
    _insert(connection, model._meta.db_table, [f.column for f in fields], rows)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    if hasattr(model, "history"):
        _history_rows(model, objs, "+", getattr(user, "pk", None), connection)
    return objs


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
