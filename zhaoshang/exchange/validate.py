"""The model's own rules, applied to a row fast enough for 100,000 rows.

The services validate with `full_clean()`: field validators, `clean()`, then `validate_constraints()`.
That costs one query per foreign key (existence) and one per check constraint (Django evaluates a
constraint's `Q` with a `SELECT`), which is fine for a form and far too slow for a workbook. Here:

* `clean_fields()` and `clean()` are Django's own code, called as they are, foreign keys excluded
  (the importer resolves every code against the file and the database in bulk);
* check constraints are the model's own `Meta.constraints`, evaluated in Python with SQL's
  three-valued logic (a NULL operand makes the condition unknown, and unknown passes, exactly as
  `Q.check()` wraps the condition in `Coalesce(…, True)`);
* unique constraints are checked by the importer in bulk (file duplicates, one query per sheet).

`tests/exchange/test_validate.py` feeds the same bad values through this path and through the
services and asserts the same fields are refused with the same messages.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from decimal import Decimal
from functools import cache

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import EMPTY_VALUES, MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.constraints import CheckConstraint
from django.db.models.expressions import DatabaseDefault

from zhaoshang.core.text import TextValidator, refused_character

RowErrors = dict[str, list[str]]
_UNKNOWN = None


def _compare(lookup: str, left, right):
    if lookup == "exact" and right is None:
        lookup, right = "isnull", True  # Django turns field=None into IS NULL
    if lookup == "isnull":
        return (left is None) == bool(right)
    if left is None:
        return _UNKNOWN
    if lookup == "in":
        items = list(right)
        if left in [item for item in items if item is not None]:
            return True
        return _UNKNOWN if None in items else False
    if right is None:
        return _UNKNOWN
    if lookup == "exact":
        return left == right
    if lookup == "gt":
        return left > right
    if lookup == "gte":
        return left >= right
    if lookup == "lt":
        return left < right
    if lookup == "lte":
        return left <= right
    if lookup == "regex":
        return re.search(right, str(left)) is not None
    raise NotImplementedError(f"lookup {lookup} is not supported by the fast constraint check")


def _not(value):
    return None if value is None else not value


def evaluate(q: Q, values: dict):
    """True, False or None (unknown) for condition `q` over `values` (attname/name → Python value)."""
    results = []
    for child in q.children:
        if isinstance(child, Q):
            results.append(evaluate(child, values))
            continue
        path, right = child
        parts = path.split("__")
        lookup = parts.pop() if len(parts) > 1 else "exact"
        name = parts[0]
        left = values.get(name)
        if isinstance(right, F):
            right = values.get(right.name)
            if right is None:  # a column compared with a NULL column: unknown (SQL), not IS NULL
                results.append(None if lookup != "isnull" else _compare(lookup, left, right))
                continue
        results.append(_compare(lookup, left, right))
    if q.connector == Q.AND:
        result = False if False in results else (None if None in results else True)
    else:
        result = True if True in results else (None if None in results else False)
    return _not(result) if q.negated else result


def q_fields(q: Q) -> list[str]:
    found: list[str] = []
    for child in q.children:
        if isinstance(child, Q):
            found.extend(q_fields(child))
        else:
            path, right = child
            found.append(path.split("__")[0])
            if isinstance(right, F):
                found.append(right.name)
    return list(dict.fromkeys(found))


def _attname(model, name: str) -> str:
    if name in ("pk", "id"):
        return model._meta.pk.attname
    return model._meta.get_field(name).attname


_OPERATORS = {"exact": operator.eq, "gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}


def _leaf(model, path: str, right):
    """One comparison of a condition as a function of the instance: `_compare`'s three-valued result, with
    the lookup decided once (plain comparisons and IS NULL inline, the rest through `_compare`)."""
    bits = path.split("__")
    lookup = bits.pop() if len(bits) > 1 else "exact"
    la = _attname(model, bits[0])
    if isinstance(right, F):
        ra = _attname(model, right.name)
        op = _OPERATORS.get(lookup)
        if op is not None:
            def part(inst):
                r = getattr(inst, ra)
                if r is None:
                    return None  # a column compared with a NULL column: unknown (SQL), not IS NULL
                left = getattr(inst, la)
                return None if left is None else op(left, r)
            return part

        def part(inst):
            r = getattr(inst, ra)
            if r is None:
                return None if lookup != "isnull" else _compare(lookup, getattr(inst, la), r)
            return _compare(lookup, getattr(inst, la), r)
        return part
    if lookup == "exact" and right is None:
        lookup, right = "isnull", True  # Django turns field=None into IS NULL
    if lookup == "isnull":
        wanted = bool(right)
        return lambda inst: (getattr(inst, la) is None) == wanted
    op = _OPERATORS.get(lookup)
    if op is not None and right is not None:
        def part(inst):
            left = getattr(inst, la)
            return None if left is None else op(left, right)
        return part
    return lambda inst: _compare(lookup, getattr(inst, la), right)


def compile_condition(model, q: Q):
    """`evaluate(q, value_map(instance))` as a closure over the instance: the same three-valued logic,
    without building the value map for every row. AND stops at the first False, OR at the first True:
    the other parts cannot change the result."""
    parts = [compile_condition(model, child) if isinstance(child, Q) else _leaf(model, *child)
             for child in q.children]
    decisive = False if q.connector == Q.AND else True  # the value that settles the connector
    negated = q.negated

    def condition(inst):
        unknown = False
        for part in parts:
            result = part(inst)
            if result is decisive:
                break
            if result is None:
                unknown = True
        else:
            result = None if unknown else not decisive
        if negated:
            return None if result is None else not result
        return result

    return condition


@cache
def check_constraints(model: type[models.Model]) -> list[tuple[CheckConstraint, list[str], object]]:
    """The model's check constraints, the field names each refers to, and the compiled condition."""
    out = []
    for constraint in model._meta.constraints:
        if isinstance(constraint, CheckConstraint):
            names = []
            for name in q_fields(constraint.condition):
                names.append("id" if name in ("pk", "id") else model._meta.get_field(name).name)
            out.append((constraint, names, compile_condition(model, constraint.condition)))
    return out


@cache
def _fk_names(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(f.name for f in model._meta.concrete_fields if f.is_relation)


def value_map(instance: models.Model) -> dict:
    """Field name → value, foreign keys by id, as `Model._get_field_value_map` gives SQL."""
    values = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        values[field.name] = value
        values[field.attname] = value
    values["pk"] = instance.pk
    return values


_CLEAN_CACHE: dict[tuple, dict] = {}
_CACHE_LIMIT = 100_000
_NOT_CACHED = object()


@cache
def _plan(model: type[models.Model], skip: frozenset[str]) -> list[tuple]:
    """(field, name, attname, blank, empty values, standard, how, memo table) for the fields clean_fields()
    looks at; standard: the field's empty values are Django's (None, "" and empty containers); how: True to
    memoise clean() (in the memo table), False to call it, or a one-pass check (`_text_check`) with clean()
    only for what fails."""
    plan = []
    for f in model._meta.fields:
        if f.name in skip or f.generated:
            continue
        # Free text is rarely repeated; choices, amounts, dates and flags are, thousands of times.
        memo = not (isinstance(f, models.CharField | models.TextField) and not f.choices)
        # Text and amounts: checked in one pass (False: Django's clean(), a value it refuses as well).
        memo = _text_check(f) or memo
        standard = list(f.empty_values) == list(EMPTY_VALUES)
        table = _CLEAN_CACHE.setdefault((model, f.attname), {}) if memo is True else None
        plan.append((f, f.name, f.attname, f.blank, f.empty_values, standard, memo, table))
    return plan


# Values of these types never equal an empty container: with Django's empty values, only None and "" are empty.
_SCALARS = frozenset({str, int, bool, float, Decimal, dt.date, dt.datetime})


def _text_check(f) -> object:
    """For a free-text or decimal field, a function telling whether a value passes `f.clean()` unchanged —
    the common case — checked without Django's per-call machinery: for text its length and the
    invisible characters (`TextValidator`) inline, then the field's other validators called directly. A
    value it does not pass goes through `f.clean()`, which gives the messages. None for other fields."""
    if f.choices:
        return None
    if isinstance(f, models.CharField | models.TextField):
        kind = str
        if type(f).to_python not in (models.CharField.to_python, models.TextField.to_python):
            return None
    elif isinstance(f, models.DecimalField) and type(f).to_python is models.DecimalField.to_python:
        kind = Decimal  # to_python(Decimal) is the same number, digits and all
    else:
        return None
    max_length = getattr(f, "max_length", None) if kind is str else None
    multiline = None
    others = []
    for validator in f.validators:
        if kind is str and isinstance(validator, MaxLengthValidator) and validator.limit_value == max_length:
            continue
        if kind is str and isinstance(validator, TextValidator) and multiline is None:
            multiline = validator.multiline
            continue
        others.append(validator)
    limit = max_length if max_length is not None else float("inf")

    def ok(value) -> bool:
        # not None and not empty: Field.validate() (no choices) has nothing to refuse
        if type(value) is not kind:
            return False
        if kind is str:
            if not value or len(value) > limit:
                return False
            if multiline is not None and refused_character(value, multiline=multiline) is not None:
                return False
        elif not value.is_finite():
            return False
        try:
            for validator in others:
                validator(value)
        except ValidationError:
            return False
        return True

    return ok


def clean_fields(instance: models.Model, exclude: set[str]) -> dict[str, list[str]]:
    """`Model.clean_fields()` (Django 5.2) line for line, with a field's `clean()` memoised on the value
    where values repeat: for a field other than a foreign key, `clean(value, instance)` depends on the
    value alone. The memo key keeps the type and a Decimal's exact digits (Decimal("1.0") equals
    Decimal("1.00000") but only one has too many places; True equals 1)."""
    errors: dict[str, list[str]] = {}
    values = instance.__dict__
    for f, name, attname, blank, empty_values, standard, memo, memo_table in _plan(type(instance),
                                                                                  frozenset(exclude)):
        raw_value = values[attname] if attname in values else getattr(instance, attname)
        cls = raw_value.__class__
        if standard and cls in _SCALARS:
            if blank and (raw_value is None or raw_value == ""):
                continue  # `raw_value in empty_values`, without comparing a value with [], () and {}
        else:
            if blank and raw_value in empty_values:
                continue
            if isinstance(raw_value, DatabaseDefault):
                continue
        if memo is not True:
            if memo is not False and memo(raw_value):
                continue  # a text or an amount that passes every rule: clean as it is
            try:
                values[attname] = f.clean(raw_value, instance)
            except ValidationError as e:
                errors[name] = [str(m) for m in e.messages]
            continue
        if len(memo_table) > _CACHE_LIMIT:
            memo_table.clear()
        key = (cls, str(raw_value) if cls is Decimal else raw_value)
        cached = memo_table.get(key, _NOT_CACHED)
        if cached is _NOT_CACHED:
            try:
                cached = (True, f.clean(raw_value, instance))
            except ValidationError as e:
                cached = (False, [str(m) for m in e.messages])
            memo_table[key] = cached
        ok, result = cached
        if ok:
            values[attname] = result
        else:
            errors[name] = list(result)
    return errors


def _messages(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}


def validate_instance(instance: models.Model, *, exclude: tuple[str, ...] = (),
                      settled: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """The errors `full_clean(exclude, validate_unique=False)` would report, as (field name, message),
    without touching the database. Foreign keys must already be resolved (they are not re-queried).
    A constraint's error is attributed to the first field it names (the web shows it for the form).
    `settled`: fields whose value the caller knows passes its field's checks as it is (a default checked once
    for a whole sheet, `Handler.settled_fields`): not checked again; the model's `clean()` and its constraints
    still see them."""
    model = type(instance)
    errors: list[tuple[str, str]] = []
    exclude = tuple(exclude)
    skip = _skipped(model, exclude) | settled if settled else _skipped(model, exclude)
    for name, messages in clean_fields(instance, skip).items():
        errors.extend((name, m) for m in messages)
    try:
        instance.clean()
    except ValidationError as exc:
        errors.extend((name, str(m)) for name, messages in _messages(exc).items() for m in messages)
    named = {name for name, _ in errors}
    for constraint, names, name_set, condition in _constraints(model, exclude):
        if named and not name_set.isdisjoint(named):
            continue  # clean() already named the field
        if condition(instance) is False:
            errors.append((names[0], str(constraint.get_violation_error_message())))
    return errors


@cache
def _skipped(model: type[models.Model], exclude: tuple[str, ...]) -> frozenset[str]:
    return frozenset(exclude) | frozenset(_fk_names(model))


@cache
def _constraints(model: type[models.Model], exclude: tuple[str, ...]) -> list[tuple]:
    """`check_constraints(model)` without those on an excluded field (full_clean skips them), each with the
    set of its field names."""
    return [(constraint, names, frozenset(names), condition)
            for constraint, names, condition in check_constraints(model) if not set(names) & set(exclude)]
