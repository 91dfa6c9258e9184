"""The resident offices' money. Budgets (定额包干) are in 万元 like every ledger amount; expenses and
the daily subsidy are paid in 元. Every amount is a Decimal; the subsidy is computed to the yuan.

    subsidy (元) = RESIDENT_DAILY_SUBSIDY_YUAN (default 80) × person-days on station
    budget (元)  = budget (万元) × 10000
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Sum

from zhaoshang.core.errors import ApplicationError
from zhaoshang.core.periods import month_end

from .choices import ExpenseCategory, ExpenseStatus

WAN_TO_YUAN = Decimal("10000")
ZERO = Decimal("0")


def daily_rate() -> Decimal:
    """元 per person per day on station in the station city (Bole: 80)."""
    return Decimal(str(getattr(settings, "RESIDENT_DAILY_SUBSIDY_YUAN", 80)))


def subsidy(days: int) -> Decimal:
    """The subsidy for `days` person-days, to the yuan (half up, though 80 × days is whole already)."""
    return (daily_rate() * Decimal(days)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def yuan(value: Decimal | None) -> str:
    """`18400` → `18,400.00`; amounts in 元 keep two places as they are paid."""
    if value is None:
        return "—"
    return f"{Decimal(value).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


def quarter_of(day: dt.date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def quarter_bounds(quarter: str) -> tuple[dt.date, dt.date]:
    m = re.fullmatch(r"(\d{4})Q([1-4])", (quarter or "").strip().upper())
    if not m:
        raise ApplicationError(f"“{quarter}”不是有效的季度，应为如 2024Q1", field_errors={"quarter": ["季度格式有误"]})
    year, q = int(m[1]), int(m[2])
    return dt.date(year, 3 * q - 2, 1), month_end(year, 3 * q)


def previous_quarter(quarter: str) -> str:
    start, _ = quarter_bounds(quarter)
    return quarter_of(start - dt.timedelta(days=1))


def person_days(unit, start: dt.date, end: dt.date) -> int:
    """Days on station of all the office's people between the dates (inclusive)."""
    from .models import Attendance

    return Attendance.objects.filter(person__unit=unit, on_station=True, date__range=(start, end)).count()


def approved_total(unit, start: dt.date, end: dt.date) -> Decimal:
    from .models import Expense

    total = Expense.objects.filter(unit=unit, team__isnull=True, date__range=(start, end),
                                   status=ExpenseStatus.APPROVED).aggregate(
        s=Sum("amount"))["s"]
    return Decimal(total or 0).quantize(Decimal("0.01"))


def quarter_needs_settlement(unit, quarter: str) -> bool:
    """A quarter must be settled before the next subsidy if the office spent or was on station in it."""
    from .models import Attendance, Expense

    start, end = quarter_bounds(quarter)
    return (Expense.objects.filter(unit=unit, team__isnull=True, date__range=(start, end))
            .exclude(status=ExpenseStatus.REJECTED).exists()
            or Attendance.objects.filter(person__unit=unit, date__range=(start, end)).exists())


@dataclass
class BudgetSummary:
    year: int
    budget_wan: Decimal | None
    budget_yuan: Decimal | None
    approved_yuan: Decimal
    pending_yuan: Decimal
    by_category: list[dict] = field(default_factory=list)

    @property
    def remaining_yuan(self) -> Decimal | None:
        return None if self.budget_yuan is None else self.budget_yuan - self.approved_yuan

    @property
    def used_share(self) -> Decimal | None:
        if not self.budget_yuan:
            return None
        return (self.approved_yuan / self.budget_yuan * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def budget_summary(unit, year: int, team=None) -> BudgetSummary:
    """The year's budget against approved and pending expenses, by category, in 元 (Decimal, SQL sums).
    With `team` the team's account kept by `unit` (its lead unit); without, `unit`'s own.
    Expenses are stored with two places in 元, so a plain SUM is exact on PostgreSQL; on SQLite the
    amounts are re-summed in Python from the rows to stay exact."""
    from .models import Expense, OfficeBudget

    budget = OfficeBudget.objects.filter(unit=unit, year=year, team=team).values_list("amount", flat=True).first()
    rows = list(Expense.objects.filter(unit=unit, team=team, date__year=year).exclude(status=ExpenseStatus.REJECTED)
                .values_list("category", "status", "amount"))
    approved = sum((a for _, s, a in rows if s == ExpenseStatus.APPROVED), ZERO)
    pending = sum((a for _, s, a in rows if s == ExpenseStatus.PENDING), ZERO)
    by_cat = []
    for cat in ExpenseCategory:
        by_cat.append({
            "category": cat.label,
            "approved": sum((a for c, s, a in rows if c == cat and s == ExpenseStatus.APPROVED), ZERO),
            "pending": sum((a for c, s, a in rows if c == cat and s == ExpenseStatus.PENDING), ZERO),
        })
    return BudgetSummary(
        year=year,
        budget_wan=budget,
        budget_yuan=None if budget is None else (budget * WAN_TO_YUAN).quantize(Decimal("0.01")),
        approved_yuan=approved,
        pending_yuan=pending,
        by_category=by_cat,
    )
