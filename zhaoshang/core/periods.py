"""Periods and dates in Asia/Shanghai. A period is a year, a quarter (2024Q1) or a month (2024-03)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def today() -> dt.date:
    return dt.datetime.now(SHANGHAI).date()


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def parse_period(text: str) -> Period:
    """'2024' → the year; '2024Q1' → the quarter; '2024-03' → the month."""
    text = text.strip().upper()
    if m := re.fullmatch(r"(\d{4})", text):
        y = int(m[1])
        return Period(dt.date(y, 1, 1), dt.date(y, 12, 31), f"{y}年")
    if m := re.fullmatch(r"(\d{4})Q([1-4])", text):
        y, q = int(m[1]), int(m[2])
        return Period(dt.date(y, 3 * q - 2, 1), month_end(y, 3 * q), f"{y}年第{'一二三四'[q - 1]}季度")
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        y, mo = int(m[1]), int(m[2])
        if 1 <= mo <= 12:
            return Period(dt.date(y, mo, 1), month_end(y, mo), f"{y}年{mo}月")
    raise ValueError(f"无法识别的期间“{text}”，应为 2024、2024Q1 或 2024-03")


def year_progress(day: dt.date) -> float:
    """Share of the year elapsed at `day` (时序进度), for display only."""
    start = dt.date(day.year, 1, 1)
    days = (dt.date(day.year, 12, 31) - start).days + 1
    return ((day - start).days + 1) / days
