"""By when an investor's request must be answered (答复期限).

Bole (002) deducts points when "对客商反映的合理诉求一个月内不答复": one calendar month by default. A city
may count working days instead (法定节假日 and 调休 from `core/workdays.py`); the setting::

    AFTERCARE_ANSWER_DEADLINE = {"months": 1}      # default: the same day next month
    AFTERCARE_ANSWER_DEADLINE = {"workdays": 20}   # 20 Chinese working days after the day received
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.utils.translation import gettext as _

from zhaoshang.core import workdays

DEFAULT = {"months": 1}


def rule() -> dict:
    value = getattr(settings, "AFTERCARE_ANSWER_DEADLINE", None) or DEFAULT
    if "workdays" in value:
        return {"workdays": int(value["workdays"])}
    return {"months": int(value.get("months", 1))}


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it has no such day: 1-31 → 2-28/29)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def deadline_for(received_on: dt.date) -> dt.date:
    r = rule()
    if "workdays" in r:
        return workdays.add_workdays(received_on, r["workdays"])
    return add_months(received_on, r["months"])


def describe() -> str:
    """The rule in words, for the request form and the docs."""
    r = rule()
    if "workdays" in r:
        return _("受理后%(n)s个工作日内答复（按国家法定节假日和调休安排计算）") % {"n": r["workdays"]}
    if r["months"] == 1:
        return _("受理后一个月内答复")
    return _("受理后%(n)s个月内答复") % {"n": r["months"]}


def provisional(deadline: dt.date) -> bool:
    """Whether the working-day calendar of the deadline's year is not published yet (weekends only)."""
    return "workdays" in rule() and not workdays.known(deadline)
