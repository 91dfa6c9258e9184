"""Resident offices' money: budgets (万元), expenses, quarter settlements and subsidies (元)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.orgs.choices import UserRole
from zhaoshang.orgs.models import Unit, User
from zhaoshang.orgs.scope import check_can_edit_unit
from zhaoshang.periods import closing  # closed periods (结账): unit users may not write into one

from .. import money
from ..choices import ExpenseStatus
from ..models import Expense, OfficeBudget, QuarterSettlement, SubsidyPayment
from ._common import _local_date, _not_future, _now, _save, _validate, check_assessor


def _check_head_or_assessor(user: User, unit: Unit, what: str) -> None:
    if user.is_assessor:
        return
    if user.role != UserRole.UNIT_HEAD:
        raise PermissionDeniedError(_("只有单位负责人或考核办可以%(what)s") % {"what": what})
    check_can_edit_unit(user, unit.pk, what=what)


@transaction.atomic
def budget_set(*, user: User, unit: Unit, year: int, amount: Decimal, note: str = "") -> OfficeBudget:
    """定额包干: the office's annual funds in 万元, set by the office in charge."""
    check_assessor(user, _("设置驻点经费"))
    budget = (OfficeBudget.objects.filter(unit=unit, year=year, team__isnull=True).first()
              or OfficeBudget(unit=unit, year=year))
    budget.amount, budget.note = amount, note.strip()
    _validate(budget)
    _save(budget, user)
    return budget


def _check_not_settled(unit: Unit, date: dt.date) -> None:
    quarter = money.quarter_of(date)
    if QuarterSettlement.objects.filter(unit=unit, quarter=quarter).exists():
        raise ApplicationError(_("%(q)s 的费用已核销，不能再变更该季度的支出") % {"q": quarter},
                               field_errors={"date": [_("该季度已核销")]})


@transaction.atomic
def expense_create(*, user: User, unit: Unit, date: dt.date, category: str, amount: Decimal,
                   description: str, correction_reason: str = "") -> Expense:
    check_can_edit_unit(user, unit.pk, what=_("该单位的经费支出"))
    expense = Expense(unit=unit, date=date, category=category, amount=amount, description=description.strip(),
                      created_by=user)
    _validate(expense)
    _not_future(date)
    _check_not_settled(unit, date)
    closed = closing.guard(user=user, dates=[date], reason=correction_reason)
    _save(expense, user)
    closed.record(record="经费支出", action="新增", code=unit.code, name=expense.description,
                  summary=f"{date:%Y-%m-%d} {amount}元", date=date)
    return expense


@transaction.atomic
def expense_decide(*, user: User, expense: Expense, approve: bool, at: dt.datetime | None = None,
                   correction_reason: str = "") -> Expense:
    """报批: the office's head or the office in charge approves or refuses an expense, never the
    person who entered it. An approval beyond the year's 定额包干 budget is refused."""
    _check_head_or_assessor(user, expense.unit, _("审批经费支出"))
    if expense.created_by_id == user.pk and not user.is_superuser:
        raise PermissionDeniedError(_("不能审批自己录入的支出"))
    if expense.status != ExpenseStatus.PENDING:
        raise ApplicationError(_("该支出已审批"))
    if expense.team_id is None:  # a team's expenses are reimbursed one by one, not settled by quarter
        _check_not_settled(expense.unit, expense.date)
    if approve:
        summary = money.budget_summary(expense.unit, expense.date.year, expense.team)
        if summary.budget_yuan is not None and summary.approved_yuan + expense.amount > summary.budget_yuan:
            raise ApplicationError(
                _("批准后年度支出 %(total)s 元将超过定额包干经费 %(budget)s 元") % {
                    "total": money.yuan(summary.approved_yuan + expense.amount),
                    "budget": money.yuan(summary.budget_yuan)})
    closed = closing.guard(user=user, dates=[expense.date], reason=correction_reason)
    expense.status = ExpenseStatus.APPROVED if approve else ExpenseStatus.REJECTED
    expense.approved_by, expense.approved_at = user, _now(at)
    _save(expense, user)
    closed.record(record="经费支出", action="修改", code=expense.unit.code, name=expense.description,
                  summary=f"审批：{'批准' if approve else '不批准'}", date=expense.date)
    return expense


@transaction.atomic
def quarter_settle(*, user: User, unit: Unit, quarter: str, at: dt.datetime | None = None) -> QuarterSettlement:
    """当季费用核销 at the quarter's rotation: every expense of the quarter must have been decided."""
    _check_head_or_assessor(user, unit, _("核销季度费用"))
    start, end = money.quarter_bounds(quarter)
    at = _now(at)
    if _local_date(at) < start:
        raise ApplicationError(_("季度尚未开始，不能核销"), field_errors={"quarter": [_("季度尚未开始")]})
    pending = Expense.objects.filter(unit=unit, date__range=(start, end), status=ExpenseStatus.PENDING).count()
    if pending:
        raise ApplicationError(_("%(q)s 还有 %(n)s 笔支出未审批，审批后才能核销") % {"q": quarter, "n": pending},
                               field_errors={"quarter": [_("有未审批的支出")]})
    settlement = QuarterSettlement(unit=unit, quarter=quarter.upper(), settled_by=user, settled_at=at,
                                   expenses_total=money.approved_total(unit, start, end))
    _validate(settlement)
    _save(settlement, user)
    return settlement


@transaction.atomic
def subsidy_pay(*, user: User, unit: Unit, quarter: str, at: dt.datetime | None = None) -> SubsidyPayment:
    """Pay a quarter's daily subsidy, 80 元 per person per day on station, computed from attendance
    to the yuan. Refused until the previous quarter's expenses are settled (Bole: 当季费用核销后，方可
    发放下一季度补助) — unless the office had nothing in that quarter to settle."""
    check_assessor(user, _("发放驻点补助"))
    quarter = quarter.strip().upper()
    start, end = money.quarter_bounds(quarter)
    previous = money.previous_quarter(quarter)
    if money.quarter_needs_settlement(unit, previous) and not QuarterSettlement.objects.filter(
        unit=unit, quarter=previous
    ).exists():
        raise ApplicationError(
            _("%(prev)s 的费用尚未核销，不能发放 %(q)s 的补助（当季费用核销后，方可发放下一季度补助）")
            % {"prev": previous, "q": quarter}, field_errors={"quarter": [_("上季度费用未核销")]})
    days = money.person_days(unit, start, end)
    payment = SubsidyPayment(unit=unit, quarter=quarter, person_days=days, rate=money.daily_rate(),
                             amount=money.subsidy(days), paid_by=user, paid_at=_now(at))
    _validate(payment)
    _save(payment, user)
    return payment
