"""The shape every sheet's import follows; each sheet's handler fills in what differs."""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models.base import ModelState
from django.utils import timezone

from zhaoshang.core.fastwrite import create_with_history, update_with_history

from ..parsing import CellError, column_parser, parse, row_visible
from ..spec import SHEET_BY_NAME, Column
from ..validate import validate_instance

CHUNK = 5000
BATCH = 1000
REF_LABEL = {"unit": "单位编码", "person": "工号", "project": "项目编号", "event": "活动编号"}


@dataclass
class Row:
    number: int
    values: dict  # column key → parsed value, only for columns present and readable
    bad: set = field(default_factory=set)  # column keys whose cell could not be used
    ids: dict = field(default_factory=dict)  # ref column key → id (None when empty)
    key: tuple | None = None
    blocked: bool = False  # depends on a row that itself has an error: validate, never write


_BLANKS: dict[type, tuple[dict, list]] = {}
_NO_DEFAULT = object()


def build(model: type[models.Model], **values) -> models.Model:
    """`model(**values)` for an import's own rows (`values` by attname), without `Model.__init__`'s per-field
    work: the defaults, then the values. Only for models with no pre_init/post_init receivers."""
    plan = _BLANKS.get(model)
    if plan is None:
        blank, dynamic = {}, []
        for f in model._meta.concrete_fields:
            if f.has_default() and callable(f.default):
                dynamic.append(f)
            else:
                blank[f.attname] = f.get_default()
        plan = _BLANKS[model] = (blank, dynamic)
    instance = model.__new__(model)
    instance._state = ModelState()
    instance.__dict__.update(plan[0])
    for f in plan[1]:
        instance.__dict__[f.attname] = f.get_default()
    instance.__dict__.update(values)
    return instance


def _show(value) -> str:
    if value is None or value == "":
        return "—"
    if hasattr(value, "normalize"):
        return f"{value.normalize():f}"
    if hasattr(value, "strftime"):
        return f"{value:%Y-%m-%d}"
    return str(value)


_NOTHING: frozenset[str] = frozenset()


class Handler:
    """Import one sheet. Subclasses set the model, which columns go to which fields and which
    columns are codes of other rows, and override the hooks for their sheet's rules."""

    sheet_name: str = ""
    model: type[models.Model]
    fields: dict[str, str] = {}  # column key → model field name (plain values)
    refs: dict[str, tuple[str, str]] = {}  # column key → (ref kind, model attname)
    exclude: tuple[str, ...] = ()  # fields full_clean skips, as in the service
    ref_kind: str = ""  # what other sheets call rows of this sheet by ("unit", "project", …)
    what: str = "该单位的数据"
    # Closed periods (结账): the model's date fields that place a row in a period, its own date first
    # (a change to any other field touches that one), and what a correction calls the record.
    date_fields: tuple[str, ...] = ()
    closing_record: str = ""
    # Whether a chunk is written on the writer thread while the next one is checked (`core.writebehind`):
    # only for a sheet whose rows never name a row of the same sheet (those codes are known once written).
    pipelined: bool = False
    # Whether `make_key` gives every row a key of its own (then no row can repeat another, and the keys seen
    # are not kept: 300,000 fund rows' keys were 60 MB).
    keys_unique: bool = False
    # Whether `assign` sets only the sheet's own columns (a new row's other fields keep their defaults, checked
    # once for the whole sheet: `settled_fields`).
    assigns_columns_only: bool = False

    def __init__(self, ctx, reader):
        self.ctx = ctx
        self.reader = reader
        self.sheet = SHEET_BY_NAME[self.sheet_name]
        self.present: list[tuple[str, Column]] = [(c.key, c) for c in reader.columns.values()]
        self.present_keys = {k for k, _ in self.present}
        self.parsers = [(k, column_parser(c)) for k, c in self.present]
        self.present_key_columns = [k for k in self.sheet.key if k in self.present_keys]
        self.seen: dict[tuple, int] = {}
        # formulas without a cached result: already reported by the importer, the cell reads as empty
        self.formula_cells = {(r + 1, reader.columns[c].key) for r, c in reader.blank_formulas if c in reader.columns}
        self._key_plan = [(k, k in self.refs) for k in self.sheet.key]
        self.creates: list[models.Model] = []
        self.updates: list[models.Model] = []
        self.update_fields: set[str] = set()
        self.counts = {"created": 0, "updated": 0, "unchanged": 0, "deleted": 0}
        self.col_of_field = {f: k for k, f in self.fields.items()}
        self.col_of_field.update({att[:-3] if att.endswith("_id") else att: k for k, (_, att) in self.refs.items()})
        self.tracked = [f for k, f in self.fields.items() if k in self.present_keys] + [
            att for k, (_, att) in self.refs.items() if k in self.present_keys
        ]
        self._defaults = {}
        self._blank: dict = {}
        self._callable_defaults = []
        for f in self.model._meta.concrete_fields:
            if f.has_default() and callable(f.default):
                self._callable_defaults.append(f)
            else:
                self._blank[f.attname] = f.get_default()
        for key, name in self.fields.items():
            f = self.model._meta.get_field(name)
            if not f.null and f.has_default():
                self._defaults[key] = f.get_default()
        # (column, field, default for an empty cell, whether the value goes straight into __dict__: a plain
        # field, whose class attribute sets nothing itself)
        self._assign_plan = [
            (key, name, self._defaults.get(key, _NO_DEFAULT),
             self.model._meta.get_field(name).attname == name
             and not hasattr(getattr(self.model, name, None), "__set__"))
            for key, name in self.fields.items()]
        self._ref_plan = [(key, att) for key, (_kind, att) in self.refs.items()]

    @functools.cached_property
    def settled_fields(self) -> frozenset[str]:
        """The fields a new row of this sheet leaves at a default that passes the field's checks unchanged: the
        same value in every new row, so the same answer — checked here once instead of on each of 100,000 rows
        (a project has some forty fields, a sheet fills fifteen to twenty-five). Not foreign keys (never
        checked per field), not callable defaults (a value per row), not fields `assign` may set."""
        if not self.assigns_columns_only:
            return _NOTHING
        filled = {name for key, name in self.fields.items() if key in self.present_keys}
        per_row = {f.attname for f in self._callable_defaults}
        out = set()
        for f in self.model._meta.concrete_fields:
            if f.name in filled or f.attname in per_row or f.is_relation or f.primary_key or f.generated:
                continue
            value = self._blank.get(f.attname)
            try:
                cleaned = f.clean(value, None)
            except ValidationError:
                continue  # a default the field refuses: every row's own error, as before
            if type(cleaned) is type(value) and cleaned == value:
                out.add(f.name)
        return frozenset(out)

    # ---- the run ---------------------------------------------------------------------------------

    def run(self) -> None:
        if self.pipelined:
            self.ctx.projects  # noqa: B018 — loaded here, before a written chunk registers its codes
        rows_iter = self.reader.rows()
        while chunk := list(itertools.islice(rows_iter, CHUNK)):
            rows = [r for r in (self.parse(n, raw) for n, raw in chunk) if r is not None]
            existing = self.load_existing([r.key for r in rows if r.key is not None]) if rows else {}
            for row in rows:
                if row.key is not None:
                    self.process(row, existing.get(row.key))
            self.flush()
            self.ctx.advance(len(chunk), self.sheet_name)
        self.ctx.drain()  # the sheet's rows are written and their codes known before anything reads them
        self.finish()

    def error(self, row: int | None, column: str, message: str) -> None:
        header = self.sheet.column(column).header if column in self.sheet.by_key else column
        self.ctx.error(self.sheet_name, row, header, message)

    def parse(self, number: int, raw: dict) -> Row | None:
        row = Row(number, {})
        visible = row_visible(raw.values())
        if visible:
            try:  # every cell of the row at once; a cell that fails is found and named by the loop below
                row.values = self._parse_all(raw)
            except (CellError, KeyError):
                visible = None
        if not visible:
            self._parse_cells(row, raw, visible is not False)
        self.resolve(row)
        if row.bad and any(k in row.bad for k in self.present_key_columns):
            return row  # keyless: its cell errors are reported, nothing else can be checked
        row.key = self.make_key(row)
        if self.keys_unique:
            return row
        first = self.seen.get(row.key)
        if first is not None:
            self.error(number, self.sheet.key[0], f"与第{first}行重复（{self.sheet.key_headers()}相同）")
            row.key = None
            return row
        self.seen[row.key] = number
        return row

    def _parse_cells(self, row: Row, raw: dict, visible: bool) -> None:
        """Each cell in turn, its error reported with the row and column (an invisible character: `parse`
        checks each cell and names it)."""
        number, values = row.number, row.values
        parsers = self.parsers if visible else [(key, functools.partial(parse, col)) for key, col in self.present]
        for key, parse_cell in parsers:
            try:
                values[key] = parse_cell(raw.get(key))
            except CellError as exc:
                if not (self.formula_cells and (number, key) in self.formula_cells):
                    self.error(number, key, str(exc))
                row.bad.add(key)

    @functools.cached_property
    def _parse_all(self):
        """{column key: parsed value} of a row's cells as one generated dict display (the columns in the
        order of `self.parsers`): no loop, no exception handler per cell. Raises on the first bad cell."""
        env = {f"p{i}": parse_cell for i, (_key, parse_cell) in enumerate(self.parsers)}
        items = ", ".join(f"{key!r}: p{i}(raw[{key!r}])" for i, (key, _p) in enumerate(self.parsers))
        exec(compile(f"def parse_all(raw):\n    return {{{items}}}\n", "<parse_all>", "exec"), env)  # noqa: S102
        return env["parse_all"]

    def resolve(self, row: Row) -> None:
        for key, (kind, _att) in self.refs.items():
            if key not in row.values or key in row.bad:
                continue
            code = row.values[key]
            if not code:
                row.ids[key] = None
                continue
            found = self.lookup(kind, code)
            if found is None:
                row.bad.add(key)
                if code in self.ctx.failed[kind]:
                    row.blocked = True  # the referenced row has its own error; do not report twice
                else:
                    self.error(row.number, key, f"{REF_LABEL[kind]}“{code}”不存在（文件和系统中都没有）")
            else:
                row.ids[key] = found

    def lookup(self, kind: str, code: str) -> int | None:
        if kind == "unit":
            return self.ctx.units.get(code)
        table = {"person": self.ctx.persons, "event": self.ctx.events, "project": self.ctx.projects}[kind]
        found = table.get(code)
        if found and kind == "project" and not self.ctx.can_see_project(*found):
            return None  # another unit's project: for this user the code names nothing
        return found[0] if found else None

    def make_key(self, row: Row) -> tuple:
        return self._key_of(row.ids, row.values)

    @functools.cached_property
    def _key_of(self):
        """(ids, values) → the row's key, as one generated tuple display (no loop per row, as `_parse_all`)."""
        items = "".join(f"{'ids' if is_ref else 'values'}.get({k!r}), " for k, is_ref in self._key_plan)
        env: dict = {}
        exec(compile(f"def key_of(ids, values):\n    return ({items})\n", "<key_of>", "exec"), env)  # noqa: S102
        return env["key_of"]

    # ---- hooks ---------------------------------------------------------------------------------------

    def load_existing(self, keys: list[tuple]) -> dict[tuple, models.Model]:
        raise NotImplementedError

    def new_instance(self, row: Row) -> models.Model:
        # What Model.__init__() does for an instance with default values, without its per-field
        # overhead (this runs 100,000 times).
        instance = self.model.__new__(self.model)
        instance._state = ModelState()
        instance.__dict__.update(self._blank)
        for f in self._callable_defaults:
            setattr(instance, f.attname, f.get_default())
        return instance

    def assign(self, instance: models.Model, row: Row) -> None:
        values, bad, ids = row.values, row.bad, row.ids
        # With no related object cached (a row built by `new_instance`, or loaded without select_related), a
        # foreign key id goes straight into __dict__: all the descriptor does besides is drop a cached object.
        uncached = not instance._state.__dict__.get("fields_cache")
        direct = instance.__dict__
        for key, name, default, plain in self._assign_plan:
            if key in values and key not in bad:
                value = values[key]
                if value is None and default is not _NO_DEFAULT:
                    value = default
                if plain:
                    direct[name] = value
                else:
                    setattr(instance, name, value)
        for key, att in self._ref_plan:
            if key in ids and key not in bad:
                if uncached:
                    direct[att] = ids[key]
                else:
                    setattr(instance, att, ids[key])

    def units_of(self, instance: models.Model) -> list[int | None]:
        """The units whose data this row is: the user must be allowed to edit each."""
        return [getattr(instance, "unit_id", None)]

    def permission(self, instance, old_units: list, row: Row) -> str | None:
        units = self.units_of(instance)
        if not old_units and len(units) == 1:  # a new row of one unit (most rows): the loop below, unrolled
            unit_id = units[0]
            if unit_id is not None and unit_id < 0:
                return None
            return self.ctx.edit_problem(unit_id, self.what)
        for unit_id in dict.fromkeys([*old_units, *units]):
            if unit_id is not None and unit_id < 0:
                continue  # a unit created by this file (only assessors may create units)
            problem = self.ctx.edit_problem(unit_id, self.what)
            if problem:
                return problem
        return None

    def extra_checks(self, instance, before: dict | None, row: Row) -> list[tuple[str, str]]:
        """Rules the services add to the model's own (future dates, stages never going back …)."""
        return []

    def before_create(self, instance) -> None:
        pass

    def before_update(self, instance) -> None:
        pass

    def after_write(self, created: list, updated: list, before: dict) -> None:
        pass

    def closing_dates(self, instance, before: dict | None, changed: list | None) -> list[tuple[str, object]]:
        """(field, date) pairs a create (before None) or an update touches, as `closing.project_dates`:
        every date field that changed (old and new), and the row's own date (old and new) when
        anything else changed."""
        if not self.date_fields:
            return []
        if before is None:
            return [(f, getattr(instance, f)) for f in self.date_fields]
        own = self.date_fields[0]
        pairs = []
        for name in changed:
            if name in self.date_fields:
                pairs += [(name, before.get(name)), (name, getattr(instance, name))]
        if own not in changed and any(name not in self.date_fields for name in changed):
            pairs += [(own, getattr(instance, own))]
        return pairs

    def correction_subjects(self, instances: list) -> list[tuple[int | None, str, str]]:
        """(project id, code, name) naming each corrected row in the bulletin."""
        return [(None, "", str(i)) for i in instances]

    def correction_summary(self, instance, before: dict | None, changed: list | None, row: Row) -> str:
        if before is None:
            shown = "，".join(f"{self.sheet.column(k).header.rstrip('*')}{_show(row.values.get(k))}"
                             for k in self.sheet.key if k in row.values)
            return f"导入新增：{shown}"
        parts = []
        for name in changed:
            field = self.model._meta.get_field(name[:-3] if name.endswith("_id") and name != "id" else name)
            parts.append(f"{field.verbose_name}：{_show(before.get(name))} → {_show(getattr(instance, name))}")
        return "导入修改：" + "；".join(parts)

    def register(self, instance, row: Row) -> None:
        """Make the row's code known to later sheets (called for every valid row, written or not)."""

    def finish(self) -> None:
        pass

    # ---- one row ---------------------------------------------------------------------------------------

    def process(self, row: Row, instance: models.Model | None) -> None:
        new = instance is None
        if new:
            instance = self.new_instance(row)
            before = None
            old_units: list = []
        else:
            before = {f: getattr(instance, f) for f in self.tracked}
            old_units = self.units_of(instance)
        self.assign(instance, row)
        changed = None if new else [f for f in self.tracked if getattr(instance, f) != before[f]]
        if not new and not changed and not row.bad:
            self.counts["unchanged"] += 1
            self.register(instance, row)
            return
        problem = self.permission(instance, old_units, row)
        if problem:
            self.error(row.number, self.permission_column(), problem)
        errors = validate_instance(instance, exclude=self.exclude, settled=self.settled_fields if new else _NOTHING)
        named = {name for name, _message in errors}
        # One message per field: a date the model refuses (before 1949, decades ahead) is not also "in the future".
        errors += [(name, message) for name, message in self.extra_checks(instance, before, row) if name not in named]
        hit = self.ctx.closed_hit(self.closing_dates(instance, before, changed)) if self.ctx.closed else None
        if hit and (closed_problem := self.ctx.closing_problem(hit[0])):
            errors.append((hit[1], closed_problem))  # a unit user, or an assessor without a reason
        reported = False
        for name, message in errors:
            column = self.col_of_field.get(name) or self.sheet.key[0]
            if name == NON_FIELD_ERRORS:
                column = self.sheet.key[0]
            if column in row.bad:
                continue  # the cell's own error says it already
            self.error(row.number, column, message)
            reported = True
        if problem or reported or row.bad or row.blocked:
            if self.ref_kind:
                self.ctx.failed[self.ref_kind].add(self.code_of(row))
            return
        if new:
            self.before_create(instance)
            self.creates.append(instance)
            self.counts["created"] += 1
        else:
            self.before_update(instance)
            instance._zs_before = before
            self.updates.append(instance)
            self.update_fields.update(changed)
            self.counts["updated"] += 1
        self.pending_rows.append((instance, row))
        if hit:
            summary = self.correction_summary(instance, before, changed, row)
            self.pending_corrections.append((instance, hit[0], hit[2], "新增" if new else "修改", summary))

    @property
    def pending_corrections(self) -> list:
        if not hasattr(self, "_corrections"):
            self._corrections = []
        return self._corrections

    def save_corrections(self, pending: list) -> None:
        """One `Correction` per written row dated in a closed period (an assessor's import with a reason)."""
        from zhaoshang.periods.models import Correction

        subjects = self.correction_subjects([instance for instance, *_ in pending])
        user_id = getattr(self.ctx.actor, "pk", None)
        Correction.objects.bulk_create([
            Correction(period=period, record=self.closing_record or self.sheet_name, action=action,
                       project_id=project_id, project_code=(code or "")[:40], project_name=(name or "")[:200],
                       record_date=day, summary=summary[:500], reason=self.ctx.correction_reason, user_id=user_id)
            for (_i, period, day, action, summary), (project_id, code, name) in zip(pending, subjects, strict=True)
        ])

    @property
    def pending_rows(self) -> list:
        if not hasattr(self, "_pending"):
            self._pending = []
        return self._pending

    def permission_column(self) -> str:
        return next((k for k, (kind, _) in self.refs.items() if kind == "unit" and k in self.present_keys),
                    self.sheet.key[0])

    def code_of(self, row: Row) -> str:
        return row.values.get(self.sheet.key[0], "")

    def flush(self) -> None:
        pending, self._pending = self.pending_rows, []
        corrections, self._corrections = self.pending_corrections, []
        creates, updates, fields = self.creates, self.updates, self.update_fields
        self.creates, self.updates, self.update_fields = [], [], set()
        if self.ctx.writing and (creates or updates):
            def write_chunk() -> None:
                self.write(creates, updates, fields)
                if corrections:
                    self.save_corrections(corrections)
                for instance, row in pending:
                    self.register(instance, row)  # with the ids the write gave

            # Behind, while the next chunk is read and checked: a chunk of new rows only, whose write is a few
            # statements that each run whole in the database. Changes read and write row by row (the filings of
            # changed projects), and the writer thread would wait for the interpreter lock after every row.
            if self.pipelined and not updates:
                self.ctx.write_behind(write_chunk)
            else:
                self.ctx.drain()  # after the chunk before it, which may still be being written
                write_chunk()
            return
        if creates:
            for instance in creates:
                instance.pk = self.ctx.sentinel()
        for instance, row in pending:
            self.register(instance, row)

    def write(self, creates: list, updates: list, fields: set[str]) -> None:
        user = self.ctx.actor
        self.ctx.written += len(creates) + len(updates)
        before = {id(i): i._zs_before for i in updates}
        if creates:
            create_with_history(self.model, creates, user=user)
        if updates:
            if any(f.name == "updated_at" for f in self.model._meta.concrete_fields):
                now = timezone.now()
                for instance in updates:
                    instance.updated_at = now
                fields = fields | {"updated_at"}
            update_with_history(self.model, updates, sorted(fields), user=user)
        self.after_write(creates, updates, before)
