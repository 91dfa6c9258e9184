"""组团经费 pages (issue 13): the ledger of each 招商组团, 产业专班 or resident office — budget, expenses,
what is left — with the lead unit's approval and reimbursement. Huaiyin (001): "预算管理、总量控制，扎口
管理、分别核算", 专款专用."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.periods import today
from zhaoshang.ledger.forms import add_service_errors
from zhaoshang.ledger.views import refuse_forbidden

from .. import services, teams
from ..choices import ExpenseStatus
from ..forms import ExpenseForm, ReimburseForm, TeamBudgetForm
from ..models import Expense
from ..services import teams as team_services
from ._common import GET_POST, _may_edit


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or today().year)
    except ValueError:
        year = today().year
    return year if 2000 <= year <= 2100 else today().year


@login_required
@require_GET
def team_list(request):
    year = _year(request)
    accounts = teams.accounts(list(teams.team_list(user=request.user)[:200]), year)
    return render(request, "activities/team_list.html", {"accounts": accounts, "year": year})


@login_required
@require_GET
def team_ledger(request, pk: int):
    team = teams.team_get(user=request.user, pk=pk)
    year = _year(request)
    acct = teams.account(team, year)
    rows = list(teams.expenses(team, year)[:300])
    for row in rows:
        row.can_decide = row.status == ExpenseStatus.PENDING and team_services.may_approve(request.user, row) \
            and row.created_by_id != request.user.pk
        row.can_reimburse = (acct.is_team and row.status == ExpenseStatus.APPROVED and row.reimbursed_on is None
                             and team_services.may_approve(request.user, row))
    can_enter = not request.user.is_read_only and (
        _may_edit(request.user, team.pk) or (acct.lead_unit is not None and _may_edit(request.user, acct.lead_unit.pk)))
    return render(request, "activities/team_ledger.html", {
        "team": team, "year": year, "account": acct, "expenses": rows, "can_enter": can_enter and acct.is_team,
        "is_assessor": request.user.is_assessor, "today": today(), "years": range(today().year, today().year - 5, -1)})


def _back(team, year):
    return f"{reverse('activities:team_ledger', args=[team.pk])}?year={year}"


@login_required
@GET_POST
@refuse_forbidden
def team_budget_set(request, pk: int):
    team = teams.team_get(user=request.user, pk=pk)
    if not request.user.is_assessor:
        raise PermissionDeniedError(_("只有考核办可以下达组团经费预算"))
    year = _year(request)
    budget = team_services.team_budget(team, year)
    initial = {"year": year, "lead_unit": budget.unit_id if budget else team.parent_id,
               "amount": budget.amount if budget else None, "note": budget.note if budget else ""}
    form = TeamBudgetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            team_services.team_budget_set(user=request.user, team=team, **form.cleaned_data)
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("组团经费预算已保存。"))
            return redirect(_back(team, form.cleaned_data["year"]))
    return render(request, "activities/simple_form.html", {
        "office": team, "form": form, "heading": _("下达组团经费预算"), "form_id": "team-budget-form",
        "submit_label": _("保存"), "intro": _("预算管理、总量控制，扎口管理、分别核算：年度预算由招商办下达，"
                                            "牵头单位扎口管理并审批支出，各组团分别核算。"),
        "back": _back(team, year)})


@login_required
@GET_POST
@refuse_forbidden
def team_expense_create(request, pk: int):
    team = teams.team_get(user=request.user, pk=pk)
    form = ExpenseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            expense = team_services.team_expense_create(user=request.user, team=team, **form.cleaned_data)
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("支出已登记，待牵头单位审批。"))
            return redirect(_back(team, expense.date.year))
    return render(request, "activities/simple_form.html", {
        "office": team, "form": form, "heading": _("登记组团经费支出"), "form_id": "team-expense-form",
        "submit_label": _("保存"), "intro": _("专款专用：支出登记后由牵头单位负责人审批，审批通过后办理报销。"),
        "back": _back(team, _year(request))})


def _team_expense(request, team_pk: int, pk: int):
    team = teams.team_get(user=request.user, pk=team_pk)
    expense = Expense.objects.filter(teams.account_q(team), pk=pk).first()
    if expense is None:
        raise Http404(_("经费支出不存在或无权查看"))
    return team, expense


@login_required
@require_POST
@refuse_forbidden
def team_expense_decide(request, pk: int, expense_pk: int):
    team, expense = _team_expense(request, pk, expense_pk)
    try:
        services.expense_decide(user=request.user, expense=expense, approve=request.POST.get("approve") == "1")
    except PermissionDeniedError:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("支出已审批。"))
    return redirect(_back(team, expense.date.year))


@login_required
@require_POST
@refuse_forbidden
def team_expense_reimburse(request, pk: int, expense_pk: int):
    team, expense = _team_expense(request, pk, expense_pk)
    form = ReimburseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写有效的报销日期"))
    else:
        try:
            team_services.team_expense_reimburse(user=request.user, expense=expense, on=form.cleaned_data["on"])
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已办理报销。"))
    return redirect(_back(team, expense.date.year))
