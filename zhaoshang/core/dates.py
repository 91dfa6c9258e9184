"""Plausible dates: a date a user types is on or after 1949-01-01 and at most ten years ahead.

A ledger of investment projects, visits and funds has nothing before the founding of the People's
Republic, and a date decades ahead is a typo (2204 for 2024) that would otherwise sit in the figures,
or break a page that counts days back from it (0001-01-01 minus a week is no date at all). Like the text
rule (core/text.py) the check is installed on every DateField of Zhaoshang's models when the core app is
ready, so forms, the admin, the services behind the API and the workbook import all refuse the same dates
with the same message. A model whose field may hold any date says so in `any_date_fields` (an
enterprise's founding date from the company registry can be older than 1949).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from .errors import ApplicationError
from .periods import today

EARLIEST = dt.date(1949, 1, 1)
YEARS_AHEAD = 10


def latest(now: dt.date | None = None) -> dt.date:
    """The last plausible date: the same day ten years on (28 February for a 29 February)."""
    now = now or today()
    try:
        return now.replace(year=now.year + YEARS_AHEAD)
    except ValueError:
        return now.replace(year=now.year + YEARS_AHEAD, day=28)


def date_problem(value: dt.date, *, label: str) -> str | None:
    """The Chinese message refusing `value` for the field called `label`, or None when it is plausible."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if value < EARLIEST:
        return _("%(label)s（%(date)s）早于1949年1月1日，请核对") % {"label": label, "date": value.isoformat()}
    last = latest()
    if value > last:
        return _("%(label)s（%(date)s）晚于%(latest)s，超出今后%(years)s年，请核对") % {
            "label": label, "date": value.isoformat(), "latest": last.isoformat(), "years": YEARS_AHEAD}
    return None


def check_date(value: dt.date | None, *, field: str, label: str) -> None:
    """Raise `ApplicationError` naming `field` for an implausible date (for input that is no model field:
    a page's date parameter, a service argument saved without `full_clean`)."""
    if value is not None and (message := date_problem(value, label=label)):
        raise ApplicationError(message, field_errors={field: [message]})


@deconstructible
class PlausibleDateValidator:
    code = "implausible_date"

    def __init__(self, label: str = ""):
        self.label = label

    def __call__(self, value) -> None:
        if not isinstance(value, dt.date):
            return
        message = date_problem(value, label=str(self.label) or _("日期"))
        if message:
            raise ValidationError(message, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, PlausibleDateValidator) and self.label == other.label


def install_model_validators() -> None:
    """Give every DateField of Zhaoshang's models a `PlausibleDateValidator` (from CoreConfig.ready),
    except those their model lists in `any_date_fields`. As in core/text.py the validator goes into the
    field's `validators` list, which migrations do not see."""
    from django.apps import apps
    from django.db import models

    for model in apps.get_models(include_auto_created=True):
        if not model.__module__.startswith("zhaoshang."):
            continue
        exempt = set(getattr(model, "any_date_fields", ()))
        for field in model._meta.concrete_fields:
            if type(field) is not models.DateField or field.name in exempt:
                continue
            if any(isinstance(v, PlausibleDateValidator) for v in field.validators):
                continue
            field.__dict__["validators"] = [*field.validators, PlausibleDateValidator(field.verbose_name)]
