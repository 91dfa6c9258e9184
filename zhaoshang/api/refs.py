"""Turn the codes a client sends (unit code, staff number, event code) into rows, collecting every
unknown code so one 422 names all the fields at once."""

from __future__ import annotations

from enum import Enum
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from zhaoshang.activities.models import PromotionEvent
from zhaoshang.orgs.models import Person, Unit, UnitGroup

from .errors import FieldErrors


class Refs:
    """`people` and `units`: what the user may choose as a project's 引资人, 帮办秘书 and 帮办单位 (the web
    form's choices: the user's units and their people), plus `keep`, the ids the record already holds.
    A code outside them is answered exactly like a code that does not exist, so the API tells nothing
    about people and units the user may not see."""

    def __init__(self, *, people: models.QuerySet | None = None, units: models.QuerySet | None = None,
                 keep: dict[str, int | None] | None = None) -> None:
        self.errors: dict[str, list[str]] = {}
        self.people = people
        self.units = units
        self.keep = keep or {}

    def _get(self, model: type[models.Model], lookup: str, value: str | None, field: str, what: str,
             qs: models.QuerySet | None = None) -> Any:
        if value is None:
            return None
        value = value.strip()
        obj = (qs if qs is not None else model._default_manager).filter(**{lookup: value}).first() if value else None
        if obj is None and qs is not None and value and self.keep.get(field) is not None:
            obj = model._default_manager.filter(**{lookup: value, "pk": self.keep[field]}).first()
        if obj is None:
            self.errors.setdefault(field, []).append(f"找不到{what}“{value}”")
        return obj

    def chosen_unit(self, code: str | None, field: str) -> Unit | None:
        return self._get(Unit, "code", code, field, "单位编码", self.units)

    def chosen_person(self, staff_no: str | None, field: str) -> Person | None:
        return self._get(Person, "staff_no", staff_no, field, "工号", self.people)

    def unit(self, code: str | None, field: str) -> Unit | None:
        return self._get(Unit, "code", code, field, "单位编码")

    def group(self, code: str | None, field: str) -> UnitGroup | None:
        return self._get(UnitGroup, "code", code, field, "考核组别编码")

    def person(self, staff_no: str | None, field: str) -> Person | None:
        return self._get(Person, "staff_no", staff_no, field, "工号")

    def event(self, code: str | None, field: str) -> PromotionEvent | None:
        return self._get(PromotionEvent, "code", code, field, "活动编号")

    def check(self) -> None:
        if self.errors:
            raise FieldErrors(self.errors, "引用的编码不存在")


def resolve_fields(data: dict, mapping: dict[str, tuple[str, str]], refs: Refs) -> dict:
    """Replace `<x>_code` keys of `data` by model foreign keys. `mapping`: api key → (model field, kind)."""
    # Enum members from the schema become their plain values, as a form would hand them over.
    out = {k: (v.value if isinstance(v, Enum) else v) for k, v in data.items()}
    for api_key, (model_field, kind) in mapping.items():
        if api_key in out:
            out[model_field] = getattr(refs, kind)(out.pop(api_key), api_key)
    return out


def check_not_null(data: dict, model: type[models.Model], api_names: dict[str, str]) -> None:
    """A key sent as null for a column that cannot be null is a 422 naming the key (not a 500 or a
    confusing model error). `api_names` maps model field → the key the client used."""
    reverse = {v: k for k, v in api_names.items()}
    errors = {}
    for key, value in data.items():
        if value is not None:
            continue
        try:
            field = model._meta.get_field(reverse.get(key, key))
        except FieldDoesNotExist:
            continue
        if not field.null:
            errors[key] = ["不能为 null"]
    if errors:
        raise FieldErrors(errors, "请求数据有误")


def write_fields(payload, *, model: type[models.Model], mapping: dict[str, tuple[str, str]],
                 api_names: dict[str, str], partial: bool) -> dict:
    """An input body → service keyword arguments: codes resolved to rows, every unknown code and
    every null in a required column reported together (422). `partial` for PATCH bodies."""
    data = payload.model_dump(exclude_unset=partial)
    check_not_null(data, model, api_names)
    refs = Refs()
    data = resolve_fields(data, mapping, refs)
    refs.check()
    return data


def page(qs, filters) -> dict:
    """One limit/offset page of a list endpoint with the total count."""
    return {
        "count": qs.count(), "limit": filters.limit, "offset": filters.offset,
        "items": list(qs[filters.offset : filters.offset + filters.limit]),
    }
