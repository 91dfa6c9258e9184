"""Input and output bodies of the resident-office API (驻点招商局): attendance, work logs, weekly checks,
budgets (万元), expenses, quarter settlements and subsidies (元).

Budgets are in 万元 like every ledger amount; expenses and subsidies are kept in 元 with two places, as
the offices keep them (activities.models). Every field carries a Chinese description for the API page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

from zhaoshang.activities.choices import ExpenseCategory

from .schemas import InputSchema, Money, MoneyOut, _money_in


def _yuan_out(value: Decimal) -> str:
    return format(Decimal(value).quantize(Decimal("0.01")), "f")


_YUAN_JSON = WithJsonSchema({"type": "string", "pattern": r"^-?\d+(\.\d{1,2})?$", "examples": ["860.00"]})

# 元, two places, in and out as a string (a JSON float is refused, as for 万元).
Yuan = Annotated[
    Decimal,
    BeforeValidator(_money_in),
    Field(max_digits=14, decimal_places=2),
    PlainSerializer(_yuan_out, return_type=str),
    _YUAN_JSON,
]
YuanOut = Annotated[Decimal, PlainSerializer(_yuan_out, return_type=str), _YUAN_JSON]

# Dates the offices work with: a year outside this range is a typing error, not a record.
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2100, 12, 31)
QUARTER_PATTERN = r"^20[0-9]{2}[Qq][1-4]$"
MONTH_PATTERN = r"^20[0-9]{2}-(0[1-9]|1[0-2])$"


def Day(description: str):  # noqa: N802 - used like the Field it returns
    return Field(..., ge=FIRST_DAY, le=LAST_DAY, description=description)


CORRECTION = Field("", max_length=500, description="更正理由：写入已结账期间时必填（单位账号）")


# ---- offices --------------------------------------------------------------------------------------------------


class OfficeOut(Schema):
    id: int = Field(..., description="驻点招商局id")
    code: str = Field(..., description="单位编码")
    name: str = Field(..., description="驻点招商局名称")


class OfficePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[OfficeOut]


class CategoryOut(Schema):
    category: str = Field(..., description="费用类别")
    approved: YuanOut = Field(..., description="已审批（元）")
    pending: YuanOut = Field(..., description="待审批（元）")


class BudgetSummaryOut(Schema):
    year: int = Field(..., description="年度")
    budget_wan: MoneyOut | None = Field(None, description="年度经费（定额包干，万元）；未设置为 null")
    budget_yuan: YuanOut | None = Field(None, description="年度经费折合元")
    approved_yuan: YuanOut = Field(..., description="已审批支出（元）")
    pending_yuan: YuanOut = Field(..., description="待审批支出（元）")
    remaining_yuan: YuanOut | None = Field(None, description="剩余经费（元）")
    by_category: list[CategoryOut] = Field(..., description="按费用类别")


class OfficeDetailOut(OfficeOut):
    people: int = Field(..., description="在岗人数（人）")
    budget: BudgetSummaryOut = Field(..., description="所查年度的经费使用情况")


class YearQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="年度（默认今年）")


# ---- attendance -----------------------------------------------------------------------------------------------


class MonthQuery(Schema):
    month: str | None = Field(None, pattern=MONTH_PATTERN, description="月份 YYYY-MM（默认本月）")


class AttendanceOut(Schema):
    staff_no: str = Field(..., description="工号")
    name: str = Field(..., description="姓名")
    date: dt.date = Field(..., description="日期")
    on_station: bool | None = Field(None, description="true 驻点，false 轮休，null 未登记")


class AttendanceIn(InputSchema):
    staff_no: str = Field(..., max_length=32, description="本驻点招商局人员的工号")
    date: dt.date = Day("日期（不能晚于今天）")
    on_station: bool | None = Field(..., description="true 驻点，false 轮休，null 删除当日登记")
    correction_reason: str = CORRECTION


# ---- work logs and weekly checks ------------------------------------------------------------------------------


class WorkLogOut(Schema):
    id: int
    date: dt.date = Field(..., description="日期")
    author_name: str = Field(..., description="填报人")
    enterprises: list[str] = Field(..., description="走访企业")
    contacts: str = Field(..., description="联系对接情况")
    results: str = Field(..., description="工作成效")

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


class WorkLogIn(InputSchema):
    date: dt.date = Day("日期（不能晚于今天）")
    enterprises: list[Annotated[str, Field(max_length=200)]] = Field(
        ..., min_length=1, max_length=100, description="走访企业，每项一家企业")
    contacts: str = Field("", max_length=5000, description="联系对接情况")
    results: str = Field("", max_length=5000, description="工作成效")
    author_staff_no: str | None = Field(None, max_length=32, description="填报人工号（本驻点人员；默认当前账号本人）")
    correction_reason: str = CORRECTION


class WeeklyCheckOut(Schema):
    id: int
    week_ending: dt.date = Field(..., description="核实周（周日）")
    logs_checked: int = Field(..., description="核实日志条数（条）")
    enterprises_checked: int = Field(..., description="核实走访企业数（家）")
    note: str = Field(..., description="核实意见")
    checked_by: str = Field(..., description="核实人")
    checked_at: dt.datetime = Field(..., description="核实时间")

    @staticmethod
    def resolve_checked_by(obj) -> str:
        user = obj.checked_by
        return (user.get_full_name() or user.username) if user else ""


class WeeklyCheckIn(InputSchema):
    week_ending: dt.date = Day("核实周的周日")
    note: str = Field("", max_length=2000, description="核实意见")


# ---- money ----------------------------------------------------------------------------------------------------


class BudgetOut(Schema):
    year: int = Field(..., description="年度")
    amount: MoneyOut = Field(..., description="年度经费（定额包干，万元）")
    note: str = Field(..., description="说明")


class BudgetIn(InputSchema):
    year: int = Field(..., ge=2000, le=2100, description="年度")
    amount: Money = Field(..., description="年度经费（定额包干，万元），如 \"32.5\"")
    note: str = Field("", max_length=200, description="说明")


class ExpenseOut(Schema):
    id: int
    date: dt.date = Field(..., description="发生日期")
    category: str = Field(..., description="费用类别代码")
    category_display: str = Field(..., description="费用类别")
    amount: YuanOut = Field(..., description="金额（元）")
    description: str = Field(..., description="事由")
    status: str = Field(..., description="审批状态代码")
    status_display: str = Field(..., description="审批状态")

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


class ExpenseIn(InputSchema):
    date: dt.date = Day("发生日期（不能晚于今天）")
    category: ExpenseCategory = Field(..., description="费用类别：travel 差旅费，reception 接待费，transport 交通补助，"
                                                       "meals 伙食补助")
    amount: Yuan = Field(..., description="金额（元，不是万元），如 \"860\"")
    description: str = Field(..., max_length=300, description="事由")
    correction_reason: str = CORRECTION


class ExpenseDecisionIn(InputSchema):
    approve: bool = Field(..., description="true 批准，false 不批准")
    correction_reason: str = CORRECTION


class QuarterIn(InputSchema):
    quarter: str = Field(..., pattern=QUARTER_PATTERN, description="季度，如 2024Q1")


class SettlementOut(Schema):
    quarter: str = Field(..., description="季度")
    expenses_total: YuanOut = Field(..., description="核销金额（元）")
    settled_by: str = Field(..., description="核销人")
    settled_at: dt.datetime = Field(..., description="核销时间")

    @staticmethod
    def resolve_settled_by(obj) -> str:
        user = obj.settled_by
        return (user.get_full_name() or user.username) if user else ""


class SubsidyOut(Schema):
    quarter: str = Field(..., description="季度")
    person_days: int = Field(..., description="驻点人天数（人天）")
    rate: YuanOut = Field(..., description="补助标准（元/人/天）")
    amount: YuanOut = Field(..., description="补助金额（元）")
    paid_by: str = Field(..., description="发放人")
    paid_at: dt.datetime = Field(..., description="发放时间")

    @staticmethod
    def resolve_paid_by(obj) -> str:
        user = obj.paid_by
        return (user.get_full_name() or user.username) if user else ""
