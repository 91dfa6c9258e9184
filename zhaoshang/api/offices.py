"""Resident offices (驻点招商局), read-only: the offices, their work logs, annual budgets and expenses, with
the same scope as the office pages (activities.selectors): a unit user sees their own office only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Query, Router, Schema

from zhaoshang.activities import selectors
from zhaoshang.activities.models import Expense, OfficeBudget

from .refs import page
from .schemas import READ_ERRORS, PageParams

router = Router(tags=["offices"])


class OfficeOut(Schema):
    id: int
    code: str
    name: str


class OfficePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[OfficeOut]


class WorkLogOut(Schema):
    id: int
    date: dt.date
    author_name: str
    enterprises: list[str]
    contacts: str
    results: str

    @staticmethod
    def resolve_author_name(obj) -> str:
        return obj.author.name if obj.author else ""

    @staticmethod
    def resolve_enterprises(obj) -> list[str]:
        return obj.enterprise_list


class WorkLogPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[WorkLogOut]


class BudgetOut(Schema):
    year: int
    amount: Decimal  # 万元
    note: str


class ExpenseOut(Schema):
    id: int
    date: dt.date
    category: str
    category_display: str
    amount: Decimal  # 元
    description: str
    status: str
    status_display: str

    @staticmethod
    def resolve_category_display(obj) -> str:
        return obj.get_category_display()

    @staticmethod
    def resolve_status_display(obj) -> str:
        return obj.get_status_display()


class ExpensePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ExpenseOut]


@router.get("", response={200: OfficePage, **READ_ERRORS}, summary="驻点招商局列表")
def list_offices(request, filters: Query[PageParams]):
    return page(selectors.office_list(user=request.user), filters)


@router.get("/{int:office_id}/work-logs", response={200: WorkLogPage, **READ_ERRORS}, summary="工作日志（新的在前）")
def list_work_logs(request, office_id: int, filters: Query[PageParams]):
    office = selectors.office_get(user=request.user, pk=office_id)
    return page(selectors.worklog_list(user=request.user, unit=office), filters)


@router.get("/{int:office_id}/budgets", response={200: list[BudgetOut], **READ_ERRORS}, summary="年度经费（万元）")
def list_budgets(request, office_id: int):
    office = selectors.office_get(user=request.user, pk=office_id)
    return list(OfficeBudget.objects.filter(unit=office).order_by("-year"))


@router.get("/{int:office_id}/expenses", response={200: ExpensePage, **READ_ERRORS}, summary="经费支出（元，新的在前）")
def list_expenses(request, office_id: int, filters: Query[PageParams]):
    office = selectors.office_get(user=request.user, pk=office_id)
    return page(Expense.objects.filter(unit=office).order_by("-date", "-id"), filters)
