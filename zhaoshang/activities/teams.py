"""Reading a team's account (组团经费台账, issue 13): the budget, the expenses and what is left, for a
招商组团 or 产业专班 (whose account its lead unit keeps: rows with `team`) or a resident office (its own
account: rows of `unit` without `team`). See services/teams.py for the rules."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from zhaoshang.orgs.choices import UnitKind
from zhaoshang.orgs.models import Unit, User
from zhaoshang.orgs.scope import visible_unit_ids

from . import money
from .choices import ExpenseStatus
from .models import Expense, OfficeBudget

TEAM_KINDS = (UnitKind.TASK_FORCE, UnitKind.RESIDENT_OFFICE)


def account_q(team: Unit) -> Q:
    """The team's rows: its own as a team, or — an office — its own account."""
    return Q(team=team) | Q(unit=team, team__isnull=True)


def team_list(*, user: User) -> QuerySet[Unit]:
    """Teams the user may see: the 产业专班 and resident offices, and every unit given a team budget; a unit
    user sees the teams of their units and those their units lead."""
    teams = Unit.objects.filter(Q(kind__in=TEAM_KINDS) | Q(team_budgets__isnull=False)).distinct()
    ids = visible_unit_ids(user)
    if ids is not None:
        led = OfficeBudget.objects.filter(unit_id__in=ids, team__isnull=False).values("team_id")
        teams = teams.filter(Q(pk__in=ids) | Q(pk__in=led))
    return teams.order_by("code")


def team_get(*, user: User, pk: int) -> Unit:
    team = team_list(user=user).filter(pk=pk).first()
    if team is None:
        raise Http404("组团不存在或无权查看")
    return team


@dataclass
class Account:
    team: Unit
    year: int
    lead_unit: Unit | None  # who keeps and approves the account
    is_team: bool  # a 组团/专班 account kept by its lead unit, rather than an office's own
    summary: money.BudgetSummary
    reimbursed_yuan: object

    @property
    def unreimbursed_yuan(self):
        return self.summary.approved_yuan - self.reimbursed_yuan


def account(team: Unit, year: int) -> Account:
    """The year's account: a team's kept by the lead unit its budget names; a resident office's own."""
    budget = OfficeBudget.objects.filter(team=team, year=year).select_related("unit").first()
    if budget is not None:
        lead, summary, is_team = budget.unit, money.budget_summary(budget.unit, year, team), True
    elif team.kind == UnitKind.RESIDENT_OFFICE:
        lead, summary, is_team = team, money.budget_summary(team, year), False
    else:  # a team with no budget this year: nothing may be spent yet
        lead, is_team = None, True
        summary = money.BudgetSummary(year=year, budget_wan=None, budget_yuan=None, approved_yuan=money.ZERO,
                                      pending_yuan=money.ZERO)
    rows = Expense.objects.filter(account_q(team), date__year=year, status=ExpenseStatus.APPROVED,
                                  reimbursed_on__isnull=False).values_list("amount", flat=True)
    return Account(team=team, year=year, lead_unit=lead, is_team=is_team, summary=summary,
                   reimbursed_yuan=sum(rows, money.ZERO))


def expenses(team: Unit, year: int) -> QuerySet[Expense]:
    return (Expense.objects.filter(account_q(team), date__year=year)
            .select_related("created_by", "approved_by", "reimbursed_by").order_by("-date", "-id"))
