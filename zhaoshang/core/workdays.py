"""China's working days (法定节假日 and 调休 make-up working days included), for deadlines such as the
公示 period (issue 13) and the answer to an investor's request (issue 15).

The calendar comes from `chinesecalendar`, which the State Council's yearly notice updates; a year it
does not know yet (the notice comes out each November or December) falls back to Monday–Friday, and
`known(day)` tells the caller so a page can say the date is provisional.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar


def known(day: dt.date) -> bool:
    """Whether the maintained calendar covers this day's year (otherwise weekends only are skipped)."""
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


def is_workday(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_workdays(start: dt.date, count: int) -> dt.date:
    """The date `count` working days after `start` (`start` itself not counted; count ≥ 0).
    With count 0 the answer is `start`."""
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    remaining = count
    while remaining:
        day += dt.timedelta(days=1)
        if is_workday(day):
            remaining -= 1
    return day


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when end ≤ start)."""
    days = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_workday(day):
            days += 1
    return days
