"""Team finance (issue 13): the money of a 招商组团, 产业专班 or resident office, generalised from the
resident offices' 定额包干.

Huaiyin funds its 招商组团 by "预算管理、总量控制，扎口管理、分别核算" (001), 专款专用: the 招商办 (an
assessor) sets each team's annual budget and names the lead unit (牵头单位) that keeps its account; the
team (or its lead unit) enters its expenses; the lead unit's head approves them (审批, never the person who
entered one) and no approval may take the year's approved spending past the budget; approved expenses
are then reimbursed (报销) one by one. A team's rows carry `team`; their `unit` is the lead unit. A
resident office keeps its own account (`team` empty) with its quarter settlement, as before."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.orgs.choices import UserRole
from zhaoshang.orgs.models import Unit, User
from zhaoshang.orgs.scope import check_can_edit_unit
from zhaoshang.periods import closing

from ..choices import ExpenseStatus
from ..models import Expense, OfficeBudget
from ._common import _not_future, _save, _validate, check_assessor


def _can_edit(user: User, unit_id: int) -> bool:
    try:
        check_can_edit_unit(user, unit_id)
    except PermissionDeniedError:
        return False
    return True


def team_budget(team: Unit, year: int) -> OfficeBudget | None:
    return OfficeBudget.objects.filter(team=team, year=year).select_related("unit").first()


@transaction.atomic
def team_budget_set(*, user: User, team: Unit, lead_unit: Unit, year: int, amount: Decimal,
                    note: str = "") -> OfficeBudget:
    """扎口管理: the 招商办 sets a team's annual budget (万元) and the lead unit that keeps its account."""
    check_assessor(user, _("下达组团经费预算"))
    if team.pk == lead_unit.pk:
        msg = _("牵头单位不能是组团自身")
        raise ApplicationError(msg, field_errors={"lead_unit": [msg]})
    budget = team_budget(team, year) or OfficeBudget(team=team, year=year)
    if budget.pk and budget.unit_id != lead_unit.pk and Expense.objects.filter(
            team=team, date__year=year).exclude(status=ExpenseStatus.REJECTED).exists():
        msg = _("该组团本年度已有支出，不能更换牵头单位")
        raise ApplicationError(msg, field_errors={"lead_unit": [msg]})
    budget.unit, budget.amount, budget.note = lead_unit, amount, note.strip()
    _validate(budget)
    _save(budget, user)
    return budget


@transaction.atomic
def team_expense_create(*, user: User, team: Unit, date: dt.date, category: str, amount: Decimal,
                        description: str, correction_reason: str = "") -> Expense:
    """An expense of the team, entered by the team or its lead unit; it waits for the lead unit's approval."""
    budget = team_budget(team, date.year) if date else None
    if not (_can_edit(user, team.pk) or (budget is not None and _can_edit(user, budget.unit_id))):
        raise PermissionDeniedError(_("无权登记该组团的经费支出"))
    if budget is None:
        msg = _("该组团%(year)s年度尚无经费预算，请先由招商办下达预算（预算管理、总量控制）") % {
            "year": date.year if date else ""}
        raise ApplicationError(msg, field_errors={"date": [msg]})
    expense = Expense(unit=budget.unit, team=team, date=date, category=category, amount=amount,
                      description=description.strip(), created_by=user)
    _validate(expense)
    _not_future(date)
    closed = closing.guard(user=user, dates=[date], reason=correction_reason)
    _save(expense, user)
    closed.record(record="经费支出", action="新增", code=team.code, name=expense.description,
                  summary=f"{date:%Y-%m-%d} {amount}元", date=date)
    return expense


def may_approve(user: User, expense: Expense) -> bool:
    """The lead unit's head (the office's head for an office's own expense) or the 招商办."""
    if user.is_assessor:
        return True
    return user.role == UserRole.UNIT_HEAD and _can_edit(user, expense.unit_id)


@transaction.atomic
def team_expense_reimburse(*, user: User, expense: Expense, on: dt.date) -> Expense:
    """报销: an approved expense is paid back, by the 招商办 or the lead unit's head; once only."""
    if not may_approve(user, expense):
        raise PermissionDeniedError(_("只有牵头单位负责人或考核办可以办理报销"))
    expense = Expense.objects.select_for_update().get(pk=expense.pk)
    if expense.status != ExpenseStatus.APPROVED:
        raise ApplicationError(_("支出审批通过后才能报销"))
    if expense.reimbursed_on is not None:
        raise ApplicationError(_("该支出已于%(date)s报销") % {"date": f"{expense.reimbursed_on:%Y-%m-%d}"})
    _not_future(on)
    if on < expense.date:
        msg = _("报销日期不能早于支出发生日期")
        raise ApplicationError(msg, field_errors={"date": [msg]})
    expense.reimbursed_on, expense.reimbursed_by = on, user
    _save(expense, user)
    return expense
