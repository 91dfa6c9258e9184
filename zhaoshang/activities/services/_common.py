"""Helpers shared by the services: validation, saving with history, dates and correction summaries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.periods import SHANGHAI, today
from zhaoshang.orgs.models import Unit, User


def _validate(instance, *, exclude: Iterable[str] = ()) -> None:
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        raise ApplicationError.from_validation_error(exc) from exc


def _save(instance, user: User | None) -> None:
    instance._history_user = user  # django-simple-history records this user on the history row
    try:
        instance.save()
    except IntegrityError as exc:  # a constraint the form could not see (e.g. a race on a unique key)
        raise ApplicationError(_("保存失败，数据违反约束：%(exc)s") % {"exc": exc}) from exc


def _delete(instance, user: User | None) -> None:
    instance._history_user = user
    instance.delete()


def _now(at: dt.datetime | None) -> dt.datetime:
    return at if at is not None else timezone.now()


def _local_date(at: dt.datetime) -> dt.date:
    return at.astimezone(SHANGHAI).date()


def _not_future(day: dt.date | None, field: str = "date") -> None:
    if day is not None and day > today():
        raise ApplicationError(_("日期不能晚于今天"), field_errors={field: [_("日期晚于今天")]})


def _apply(instance, fields: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ApplicationError(_("未知字段：%(f)s") % {"f": ", ".join(sorted(unknown))},
                               field_errors={k: [_("未知字段")] for k in unknown})
    for name, value in fields.items():
        setattr(instance, name, value.strip() if isinstance(value, str) else value)


def _state(instance, names: Iterable[str]) -> dict:
    """The values of `names` (foreign keys as ids), to tell whether an update changes anything."""
    return {name: getattr(instance, instance._meta.get_field(name).attname) for name in names}


def _changes(instance, before: dict) -> str:
    """“日期：2024-03-01 → 2024-03-02；…” for a correction's summary (in the site's language, as
    `closing.project_changes`)."""
    parts = []
    with translation.override(settings.LANGUAGE_CODE):
        for name, old in before.items():
            field = instance._meta.get_field(name)
            new = getattr(instance, field.attname)
            if old != new:
                parts.append(f"{field.verbose_name}：{_show(old)} → {_show(new)}")
    return "；".join(parts)


def _show(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    return str(value)


def _update_dates(instance, before: dict, date_field: str = "date") -> list[dt.date | None]:
    """The dates an update touches: the record's old and new date when anything changed."""
    if _state(instance, before) == before:
        return []
    return [before[date_field], getattr(instance, date_field)]


def _unit_code(unit_id: int | None) -> str:
    return Unit.objects.filter(pk=unit_id).values_list("code", flat=True).first() or "" if unit_id else ""


def check_assessor(user: User, what: str) -> None:
    if not (user.is_authenticated and user.is_assessor):
        raise PermissionDeniedError(_("只有考核办可以%(what)s") % {"what": what})
