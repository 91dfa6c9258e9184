"""Resident offices (驻点招商局): attendance, work logs, weekly checks, budgets, expenses, quarter settlements
and subsidies — read and written with the office pages' scope and through the very services the pages
call (activities.selectors / activities.services), so history, closed periods and every rule hold alike.

Scope: a unit user sees their own office only; another office is 404 (it tells nothing about it). A
read-only role (leader, auditor) reads every office and is refused every write (403), as are roles a
service reserves to others: budgets and subsidies for the assessment office, approvals and settlements
for the office's head (单位负责人) or the assessment office."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from ninja import Query, Router
from ninja.responses import Status

from zhaoshang.activities import money, selectors, services
from zhaoshang.activities.models import (
    Attendance,
    Expense,
    OfficeBudget,
    QuarterSettlement,
    SubsidyPayment,
    WeeklyCheck,
    WorkLog,
)
from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.periods import today

from .errors import FieldErrors, api_fields
from .office_schemas import (
    AttendanceIn,
    AttendanceOut,
    BudgetIn,
    BudgetOut,
    ExpenseDecisionIn,
    ExpenseIn,
    ExpenseOut,
    ExpensePage,
    MonthQuery,
    OfficeDetailOut,
    OfficePage,
    QuarterIn,
    SettlementOut,
    SubsidyOut,
    WeeklyCheckIn,
    WeeklyCheckOut,
    WorkLogIn,
    WorkLogOut,
    WorkLogPage,
    YearQuery,
)
from .refs import page
from .schemas import READ_ERRORS, WRITE_ERRORS, PageParams

router = Router(tags=["offices"])

VALIDATION_PREFIX = "数据校验未通过"


def _call(service, model, **kwargs):
    """Run a service; a model validation error is answered naming the fields in Chinese (their labels on
    the pages), e.g. “数据校验未通过：金额(元)：金额不能为负数”, with the API's field names in `fields`."""
    try:
        return service(**kwargs)
    except PermissionDeniedError:
        raise
    except ApplicationError as exc:
        if not exc.field_errors or not exc.message.startswith(VALIDATION_PREFIX):
            raise
        parts = []
        for name, messages in exc.field_errors.items():
            label = _label(model, name)
            parts.append(f"{label}：{' '.join(messages)}" if label else " ".join(messages))
        raise ApplicationError(f"{VALIDATION_PREFIX}：{'；'.join(parts)}", exc.extra,
                               field_errors=api_fields(exc.field_errors)) from exc


def _label(model, name: str) -> str:
    if name == "__all__":
        return ""
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - a key that is no model field keeps its own name
        return name


def _office(request, office_id: int):
    return selectors.office_get(user=request.user, pk=office_id)


def _person(office, staff_no: str | None, field: str, label: str):
    if staff_no is None:
        return None
    person = office.people.filter(staff_no=staff_no.strip()).first()
    if person is None:
        raise FieldErrors({field: [f"本驻点招商局没有工号为“{staff_no.strip()}”的人员"]},
                          f"找不到{label}")
    return person


# ---- offices --------------------------------------------------------------------------------------------------


@router.get("", response={200: OfficePage, **READ_ERRORS}, summary="驻点招商局列表")
def list_offices(request, filters: Query[PageParams]):
    return page(selectors.office_list(user=request.user), filters)


@router.get("/{int:office_id}", response={200: OfficeDetailOut, **READ_ERRORS},
            summary="驻点招商局详情（人数与年度经费使用）")
def get_office(request, office_id: int, filters: Query[YearQuery]):
    office = _office(request, office_id)
    summary = money.budget_summary(office, filters.year or today().year)
    return {"id": office.pk, "code": office.code, "name": office.name,
            "people": office.people.filter(is_active=True).count(),
            "budget": {**vars(summary), "remaining_yuan": summary.remaining_yuan,
                       "by_category": [{**row, "category": str(row["category"])} for row in summary.by_category]}}


# ---- attendance -----------------------------------------------------------------------------------------------


def _attendance_out(person, date: dt.date, on_station: bool | None) -> dict:
    return {"staff_no": person.staff_no, "name": person.name, "date": date, "on_station": on_station}


@router.get("/{int:office_id}/attendance", response={200: list[AttendanceOut], **READ_ERRORS},
            summary="出勤登记（一个月，按人员和日期）")
def list_attendance(request, office_id: int, filters: Query[MonthQuery]):
    office = _office(request, office_id)
    year, month = (int(x) for x in (filters.month or f"{today():%Y-%m}").split("-"))
    rows = (Attendance.objects.filter(person__unit=office, date__year=year, date__month=month)
            .select_related("person").order_by("person__staff_no", "date"))
    return [_attendance_out(a.person, a.date, a.on_station) for a in rows]


@router.put("/{int:office_id}/attendance", response={200: AttendanceOut, **WRITE_ERRORS},
            summary="登记一人一天的出勤（驻点、轮休或删除）")
def mark_attendance(request, office_id: int, payload: AttendanceIn):
    office = _office(request, office_id)
    person = _person(office, payload.staff_no, "staff_no", "人员")
    record = _call(services.attendance_mark, Attendance, user=request.user, person=person, date=payload.date,
                   on_station=payload.on_station, correction_reason=payload.correction_reason)
    return _attendance_out(person, payload.date, record.on_station if record else None)


# ---- work logs ------------------------------------------------------------------------------------------------


@router.get("/{int:office_id}/work-logs", response={200: WorkLogPage, **READ_ERRORS}, summary="工作日志（新的在前）")
def list_work_logs(request, office_id: int, filters: Query[PageParams]):
    office = _office(request, office_id)
    return page(selectors.worklog_list(user=request.user, unit=office), filters)


@router.post("/{int:office_id}/work-logs", response={201: WorkLogOut, **WRITE_ERRORS}, summary="填报工作日志")
def create_work_log(request, office_id: int, payload: WorkLogIn):
    office = _office(request, office_id)
    author = _person(office, payload.author_staff_no, "author_staff_no", "填报人")
    enterprises = "\n".join(e.strip() for e in payload.enterprises if e.strip())
    log = _call(services.worklog_create, WorkLog, user=request.user, unit=office, date=payload.date,
                enterprises=enterprises, contacts=payload.contacts, results=payload.results, author=author,
                correction_reason=payload.correction_reason)
    return Status(201, log)


# ---- weekly checks --------------------------------------------------------------------------------------------


@router.get("/{int:office_id}/weekly-checks", response={200: list[WeeklyCheckOut], **READ_ERRORS},
            summary="每周日核实记录（新的在前）")
def list_weekly_checks(request, office_id: int):
    office = _office(request, office_id)
    return list(selectors.weekly_checks(user=request.user, unit=office)[:200])


@router.post("/{int:office_id}/weekly-checks", response={201: WeeklyCheckOut, **WRITE_ERRORS},
             summary="记录每周日核实走访企业台账（核实人、时间为当前账号与当前时间）")
def create_weekly_check(request, office_id: int, payload: WeeklyCheckIn):
    office = _office(request, office_id)
    check = _call(services.weekly_check_record, WeeklyCheck, user=request.user, unit=office,
                  week_ending=payload.week_ending, note=payload.note)
    return Status(201, check)


# ---- budgets --------------------------------------------------------------------------------------------------


@router.get("/{int:office_id}/budgets", response={200: list[BudgetOut], **READ_ERRORS}, summary="年度经费（万元）")
def list_budgets(request, office_id: int):
    office = _office(request, office_id)
    return list(OfficeBudget.objects.filter(unit=office, team__isnull=True).order_by("-year"))


@router.put("/{int:office_id}/budgets", response={200: BudgetOut, **WRITE_ERRORS},
            summary="设置年度经费（定额包干，万元；考核办）")
def set_budget(request, office_id: int, payload: BudgetIn):
    office = _office(request, office_id)
    return _call(services.budget_set, OfficeBudget, user=request.user, unit=office, year=payload.year,
                 amount=payload.amount, note=payload.note)


# ---- expenses -------------------------------------------------------------------------------------------------


@router.get("/{int:office_id}/expenses", response={200: ExpensePage, **READ_ERRORS}, summary="经费支出（元，新的在前）")
def list_expenses(request, office_id: int, filters: Query[PageParams]):
    office = _office(request, office_id)
    return page(selectors.expense_list(user=request.user, unit=office).order_by("-date", "-id"), filters)


@router.post("/{int:office_id}/expenses", response={201: ExpenseOut, **WRITE_ERRORS},
             summary="登记经费支出（元，待审批）")
def create_expense(request, office_id: int, payload: ExpenseIn):
    office = _office(request, office_id)
    expense = _call(services.expense_create, Expense, user=request.user, unit=office, date=payload.date,
                    category=payload.category.value, amount=payload.amount, description=payload.description,
                    correction_reason=payload.correction_reason)
    return Status(201, expense)


@router.post("/{int:office_id}/expenses/{int:expense_id}/decision", response={200: ExpenseOut, **WRITE_ERRORS},
             summary="审批经费支出（单位负责人或考核办，不能审批自己录入的）")
def decide_expense(request, office_id: int, expense_id: int, payload: ExpenseDecisionIn):
    office = _office(request, office_id)
    expense = selectors.expense_get(user=request.user, pk=expense_id)
    if expense.unit_id != office.pk or expense.team_id is not None:  # a team's account is not the office's
        raise Http404("经费支出不存在或无权查看")
    return _call(services.expense_decide, Expense, user=request.user, expense=expense, approve=payload.approve,
                 correction_reason=payload.correction_reason)


# ---- quarter settlements and subsidies ------------------------------------------------------------------------


@router.get("/{int:office_id}/settlements", response={200: list[SettlementOut], **READ_ERRORS},
            summary="季度费用核销记录")
def list_settlements(request, office_id: int):
    office = _office(request, office_id)
    return list(office.settlements.select_related("settled_by")[:100])


@router.post("/{int:office_id}/settlements", response={201: SettlementOut, **WRITE_ERRORS},
             summary="核销季度费用（单位负责人或考核办；该季支出须已全部审批）")
def settle_quarter(request, office_id: int, payload: QuarterIn):
    office = _office(request, office_id)
    settlement = _call(services.quarter_settle, QuarterSettlement, user=request.user, unit=office,
                       quarter=payload.quarter.upper())
    return Status(201, settlement)


@router.get("/{int:office_id}/subsidies", response={200: list[SubsidyOut], **READ_ERRORS},
            summary="驻点补助发放记录（元）")
def list_subsidies(request, office_id: int):
    office = _office(request, office_id)
    return list(office.subsidy_payments.select_related("paid_by")[:100])


@router.post("/{int:office_id}/subsidies", response={201: SubsidyOut, **WRITE_ERRORS},
             summary="发放季度驻点补助（考核办；按出勤计算，上季度费用须已核销）")
def pay_subsidy(request, office_id: int, payload: QuarterIn):
    office = _office(request, office_id)
    payment = _call(services.subsidy_pay, SubsidyPayment, user=request.user, unit=office, quarter=payload.quarter)
    return Status(201, payment)
