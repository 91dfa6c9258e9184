"""The two steps every service write takes: validate the instance the way a form would, and save it
with the acting user recorded on its history row. Raised errors are the one `ApplicationError` family."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _

from .errors import ApplicationError


def validate_or_raise(instance, *, exclude: Iterable[str] = ()) -> None:
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        raise ApplicationError.from_validation_error(exc) from exc


def save_with_history(instance, user) -> None:
    instance._history_user = user  # django-simple-history records this user on the history row
    try:
        instance.save()
    except IntegrityError as exc:  # a database constraint the form could not see (e.g. a race on a code)
        raise ApplicationError(_("保存失败，数据违反约束：%(error)s") % {"error": exc}) from exc
