"""The resident offices' attendance rules (Bole 002, 五㈠): every person is on station at least 26
days a month, and takes one rotation (轮休) of at most 12 days every 3 months, travel included.

How the two rules meet: a day recorded as not on station is a rotation day. Each calendar quarter
allows 12 rotation days, used in date order; the rotation days a month uses count towards its 26
(so a month with the quarter's 12-day rotation needs 14 days on station). A day not recorded at all
is neither. A month still in progress is shown but not judged.

    month passes      ⇔ on station + rotation days allowed in the month ≥ 26
    quarter passes    ⇔ rotation days ≤ 12 and taken in one block
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from . import money


def min_days() -> int:
    return int(getattr(settings, "RESIDENT_MIN_DAYS_PER_MONTH", 26))


def rotation_days() -> int:
    return int(getattr(settings, "RESIDENT_ROTATION_DAYS", 12))


@dataclass
class MonthRow:
    """One person's month: days on station, rotation, unrecorded, the 26-day rule and the subsidy."""

    person: object
    year: int
    month: int
    on_station: int
    rotation: int
    unrecorded: int
    allowed_rotation: int
    required: int
    in_progress: bool
    subsidy_yuan: Decimal
    days: dict[int, bool | None] = field(default_factory=dict)

    @property
    def passes(self) -> bool | None:
        if self.in_progress:
            return None
        return self.on_station + self.allowed_rotation >= self.required

    @property
    def shortfall(self) -> int:
        return max(0, self.required - self.on_station - self.allowed_rotation)


@dataclass
class QuarterRow:
    """One person's quarter: rotation days, in how many blocks, and whether the 12-day rule holds."""

    person: object
    quarter: str
    rotation: int
    blocks: int

    @property
    def problems(self) -> list[str]:
        out = []
        if self.rotation > rotation_days():
            out.append(_("轮休%(days)s天，超过%(limit)s天") % {"days": self.rotation, "limit": rotation_days()})
        if self.blocks > 1:
            out.append(_("轮休分%(n)s次，应集中一次") % {"n": self.blocks})
        return out

    @property
    def passes(self) -> bool:
        return not self.problems


def _blocks(days: list[dt.date]) -> int:
    days = sorted(days)
    return sum(1 for i, d in enumerate(days) if i == 0 or (d - days[i - 1]).days > 1)


def _quarter_off(records: dict[dt.date, bool], start: dt.date, end: dt.date) -> list[dt.date]:
    return sorted(d for d, on in records.items() if not on and start <= d <= end)


def month_rows(people, year: int, month: int, today: dt.date) -> list[MonthRow]:
    """Month rows for `people` in one query for the whole quarter up to the month's end (the
    rotation allowance is shared by the quarter's months)."""
    from .models import Attendance

    people = list(people)
    q_start, _ = money.quarter_bounds(money.quarter_of(dt.date(year, month, 1)))
    m_start = dt.date(year, month, 1)
    m_end = dt.date(year, month, calendar.monthrange(year, month)[1])
    by_person: dict[int, dict[dt.date, bool]] = {p.pk: {} for p in people}
    for pid, day, on in Attendance.objects.filter(person__in=people, date__range=(q_start, m_end)).values_list(
        "person_id", "date", "on_station"
    ):
        by_person[pid][day] = on
    rows = []
    for person in people:
        records = by_person[person.pk]
        off_before = len(_quarter_off(records, q_start, m_start - dt.timedelta(days=1)))
        off_month = len(_quarter_off(records, m_start, m_end))
        allowed = max(0, min(off_month, rotation_days() - off_before))
        on = sum(1 for d, v in records.items() if v and m_start <= d <= m_end)
        recorded_days = {d.day: v for d, v in records.items() if m_start <= d <= m_end}
        last_day = min(m_end, today)
        elapsed = max(0, (last_day - m_start).days + 1)
        rows.append(MonthRow(
            person=person, year=year, month=month, on_station=on, rotation=off_month,
            unrecorded=max(0, elapsed - len(recorded_days)), allowed_rotation=allowed, required=min_days(),
            in_progress=today <= m_end, subsidy_yuan=money.subsidy(on),
            days={d: recorded_days.get(d) for d in range(1, m_end.day + 1)},
        ))
    return rows


def quarter_rows(people, quarter: str) -> list[QuarterRow]:
    from .models import Attendance

    people = list(people)
    start, end = money.quarter_bounds(quarter)
    off: dict[int, list[dt.date]] = {p.pk: [] for p in people}
    for pid, day in Attendance.objects.filter(person__in=people, date__range=(start, end), on_station=False
                                              ).values_list("person_id", "date"):
        off[pid].append(day)
    return [QuarterRow(person=p, quarter=quarter, rotation=len(off[p.pk]), blocks=_blocks(off[p.pk]))
            for p in people]
