"""The live ledger's figures by day and month, and its shared projects, kept by the database (PostgreSQL).

The province cockpit shows, over every unit, the year's signed amount by unit, industry, origin and month,
the projects started, completed and producing, the funds in place, and the projects shared or held across
groups. At 2,000,000 projects each of those is an aggregate over ~650,000 projects and ~1.1M fund arrivals,
0.5–2.5 s apiece. Statement-level triggers (migration 0014, `summary_sql`) append each statement's change
to `ledger_summary_delta`, grouped by day (by month for the per-unit figures), and keep
`ledger_shared_project` (one row per project with a share: its date, whether it is live, whether its holders
fall in two or more groups). A year is then a few thousand rows. Every write path is counted: the services,
`QuerySet.update()`, the import's COPY, the generator, raw SQL, TRUNCATE; the figures are exact as of the
reader's snapshot, like `ledger.totals`.

The per-unit figures are by month: the days of a month the window covers only in part are summed from the
projects themselves (one indexed range of days). Only projects not 终止 count, as in the cockpit.

SQLite has no such triggers: the cockpit aggregates the ledger there (`maintained()` is False).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import router
from django.db.models import Count, Q, Sum

from zhaoshang.core.db import MoneySum, money

from .choices import Status
from .models import LedgerSummaryDelta, Project, SharedProject
from .totals import fold, maintained

__all__ = ["maintained", "reading_alias", "signed_by_unit", "by_day", "by_month", "shared_count", "conflicts",
           "compact", "UnitFigures"]

COMPACT_AFTER = 2000  # unfolded delta rows; folding a few thousand takes milliseconds
ADVISORY_KEY = 0x7A5F_7375  # pg_try_advisory_xact_lock key of the fold ("zs_su")
ZERO = Decimal(0)


def reading_alias() -> str:
    return router.db_for_read(LedgerSummaryDelta)


@dataclass
class UnitFigures:
    """A unit's live projects signed in a window: amount (万元), how many, and the foreign ones (万美元)."""

    amount: Decimal = ZERO
    count: int = 0
    foreign_amount: Decimal = ZERO
    foreign_count: int = 0


def _first_of_next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _whole_months(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date] | None:
    """The first days of the first and the last month wholly inside [start, end], or None."""
    first = start if start.day == 1 else _first_of_next_month(start)
    end_month = end.replace(day=1)
    month_ends_here = _first_of_next_month(end) - dt.timedelta(days=1) == end
    last = end_month if month_ends_here else (end_month - dt.timedelta(days=1)).replace(day=1)
    return (first, last) if first <= last else None


def signed_by_unit(start: dt.date, end: dt.date) -> dict[int, UnitFigures]:
    """Each introducing unit's live projects signed in [start, end]."""
    alias = reading_alias()
    out: dict[int, UnitFigures] = defaultdict(UnitFigures)
    months = _whole_months(start, end)
    rest = [(start, end)]
    if months:
        first, last = months
        rows = (LedgerSummaryDelta.objects.using(alias).filter(kind="u", day__gte=first, day__lte=last)
                .order_by().values("unit_id")
                .annotate(a=Sum("amount"), n=Sum("n"), fa=Sum("foreign_amount"), fn=Sum("foreign_n"))
                .values_list("unit_id", "a", "n", "fa", "fn"))
        for unit, a, n, fa, fn in rows:
            _add(out[unit], a, n, fa, fn)
        rest = [(start, first - dt.timedelta(days=1)), (_first_of_next_month(last), end)]
    for lo, hi in rest:  # the days of a month covered in part, from the projects (an index range of days)
        if lo > hi:
            continue
        rows = (Project.objects.using(alias).filter(signed_on__gte=lo, signed_on__lte=hi)
                .exclude(status=Status.TERMINATED).order_by().values("lead_unit_id")
                .annotate(a=MoneySum("signed_amount"), n=Count("*"),  # COUNT(*): the index holds no id
                          fa=MoneySum("foreign_amount", filter=Q(is_foreign=True)),
                          fn=Count("is_foreign", filter=Q(is_foreign=True)))
                .values_list("lead_unit_id", "a", "n", "fa", "fn"))
        for unit, a, n, fa, fn in rows:
            _add(out[unit], a, n, fa, fn)
    return {unit: f for unit, f in out.items() if f.count}


def _add(f: UnitFigures, amount, count, foreign_amount, foreign_count) -> None:
    f.amount += money(amount)
    f.count += int(count or 0)
    f.foreign_amount += money(foreign_amount)
    f.foreign_count += int(foreign_count or 0)


def by_day(kind: str, start: dt.date, end: dt.date) -> dict[str, tuple[Decimal, int]]:
    """A day-grained figure (i: signed by industry, o: by origin, s/c/p: started/completed/producing, f: funds)
    over [start, end], by label ('' for the figures without one): (amount, count)."""
    rows = (LedgerSummaryDelta.objects.using(reading_alias()).filter(kind=kind, day__gte=start, day__lte=end)
            .order_by().values("label").annotate(a=Sum("amount"), n=Sum("n")).values_list("label", "a", "n"))
    return {label: (money(a), int(n)) for label, a, n in rows if n}


def total(kind: str, start: dt.date, end: dt.date) -> tuple[Decimal, int]:
    figures = by_day(kind, start, end).values()
    return sum((a for a, _ in figures), ZERO), sum(n for _, n in figures)


def by_month(kind: str, start: dt.date, end: dt.date) -> dict[int, Decimal]:
    """A day-grained figure's amount by month of [start, end] (one calendar year)."""
    rows = (LedgerSummaryDelta.objects.using(reading_alias()).filter(kind=kind, day__gte=start, day__lte=end)
            .order_by().values("day__month").annotate(a=Sum("amount")).values_list("day__month", "a"))
    return {m: money(a) for m, a in rows}


def shared_count(start: dt.date, end: dt.date) -> int:
    """Live projects signed in [start, end] that have a share."""
    return total("h", start, end)[1]


def conflicts(end: dt.date, limit: int) -> tuple[list[int], int]:
    """The live projects signed by `end` whose holders fall in two or more groups: the first `limit` ids by
    project code (an index walk), and how many there are (their count by signing day)."""
    ids = list(SharedProject.objects.using(reading_alias()).filter(live=True, conflict=True, signed_on__lte=end)
               .order_by("code").values_list("project_id", flat=True)[:limit])
    return ids, (total("x", dt.date.min, end)[1] if ids else 0)


def needs_compacting() -> bool:
    alias = reading_alias()
    return LedgerSummaryDelta.objects.using(alias).filter(folded=False)[:COMPACT_AFTER + 1].count() > COMPACT_AFTER


def compact() -> None:
    """Fold the unfolded delta rows into one row per key, on the primary; skipped when another is folding."""
    fold(LedgerSummaryDelta, ADVISORY_KEY, FOLD)


FOLD = """
WITH keys AS (SELECT DISTINCT kind, day, unit_id, label FROM ledger_summary_delta WHERE NOT folded),
gone AS (DELETE FROM ledger_summary_delta d USING keys k
          WHERE d.kind = k.kind AND d.day = k.day AND d.unit_id = k.unit_id AND d.label = k.label
          RETURNING d.kind, d.day, d.unit_id, d.label, d.amount, d.n, d.foreign_amount, d.foreign_n)
INSERT INTO ledger_summary_delta (kind, day, unit_id, label, amount, n, foreign_amount, foreign_n, folded)
SELECT kind, day, unit_id, label, SUM(amount), SUM(n), SUM(foreign_amount), SUM(foreign_n), true FROM gone
 GROUP BY kind, day, unit_id, label
HAVING SUM(n) <> 0 OR SUM(amount) <> 0 OR SUM(foreign_amount) <> 0 OR SUM(foreign_n) <> 0
"""
