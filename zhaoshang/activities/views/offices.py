"""Resident offices' pages (attendance, logs, checks, money) and major investment information reports."""

from __future__ import annotations

import datetime as dt

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
from zhaoshang.orgs.choices import UserRole
from zhaoshang.orgs.scope import check_can_edit_unit

from .. import attendance, money, selectors, services
from ..choices import ExpenseStatus, ReportStatus
from ..forms import (
    AttendanceMonthForm,
    BudgetForm,
    ExpenseForm,
    QuarterForm,
    ReportAdvanceForm,
    ReportAssignForm,
    ReportForm,
    WeeklyCheckForm,
    WorkLogForm,
)
from ._common import GET_POST, _may_edit


def _month_param(request, default: dt.date) -> tuple[int, int]:
    text = request.GET.get("month") or f"{default:%Y-%m}"
    try:
        year, month = (int(x) for x in text.split("-"))
        dt.date(year, month, 1)
    except ValueError:
        year, month = default.year, default.month
    return year, month


@login_required
@require_GET
def office_list(request):
    return render(request, "activities/office_list.html", {"offices": selectors.office_list(user=request.user)})


@login_required
@require_GET
def office_detail(request, pk: int):
    office = selectors.office_get(user=request.user, pk=pk)
    now = today()
    year, month = _month_param(request, now)
    people = list(office.people.filter(is_active=True).order_by("staff_no"))
    rows = attendance.month_rows(people, year, month, now)
    quarter = money.quarter_of(dt.date(year, month, 1))
    summary = money.budget_summary(office, year)
    context = {
        "office": office, "year": year, "month": month, "month_text": f"{year}-{month:02d}",
        "rows": rows, "quarter": quarter, "quarter_rows": attendance.quarter_rows(people, quarter),
        "subsidy_total": sum((r.subsidy_yuan for r in rows), money.ZERO),
        "days_total": sum(r.on_station for r in rows), "rate": money.daily_rate(),
        "min_days": attendance.min_days(), "rotation_days": attendance.rotation_days(),
        "logs": selectors.worklog_list(user=request.user, unit=office)[:20],
        "checks": selectors.weekly_checks(user=request.user, unit=office)[:10],
        "budget": summary, "expenses": selectors.expense_list(user=request.user, unit=office)
        .filter(date__year=year)[:50],
        "settlements": office.settlements.select_related("settled_by")[:8],
        "payments": office.subsidy_payments.select_related("paid_by")[:8],
        "reports": selectors.report_list(user=request.user).filter(unit=office)[:10],
        "can_edit": _may_edit(request.user, office.pk),
        "is_assessor": request.user.is_assessor,
        "can_approve": request.user.is_assessor or (request.user.role == UserRole.UNIT_HEAD
                                                    and _may_edit(request.user, office.pk)),
        "quarter_form": QuarterForm(initial={"quarter": quarter}),
        "pending": ExpenseStatus.PENDING,
    }
    return render(request, "activities/office_detail.html", context)


def _editable_office(request, pk: int):
    office = selectors.office_get(user=request.user, pk=pk)
    check_can_edit_unit(request.user, office.pk, what=_("该驻点招商局的数据"))
    return office


@login_required
@GET_POST
@refuse_forbidden
def attendance_edit(request, pk: int, person_pk: int):
    office = _editable_office(request, pk)
    person = office.people.filter(pk=person_pk).first()
    if person is None:
        raise Http404
    now = today()
    year, month = _month_param(request, now)
    row = attendance.month_rows([person], year, month, now)[0]
    form = AttendanceMonthForm(request.POST or None, year=year, month=month, initial_days=row.days,
                               user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.attendance_month_set(user=request.user, person=person, year=year, month=month,
                                                    days=form.days(),
                                                    correction_reason=form.cleaned_data.get("correction_reason", ""))
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("出勤已保存（%(n)s 天有变动）。") % {"n": changed})
            return redirect(f"{reverse('activities:office_detail', args=[office.pk])}?month={year}-{month:02d}")
    return render(request, "activities/attendance_form.html", {
        "office": office, "person": person, "form": form, "row": row, "month_text": f"{year}-{month:02d}"})


def _office_form(request, office, form, heading: str, form_id: str, submit_label: str, intro: str = ""):
    return render(request, "activities/simple_form.html", {
        "office": office, "form": form, "heading": heading, "form_id": form_id, "submit_label": submit_label,
        "intro": intro, "back": reverse("activities:office_detail", args=[office.pk]) if office else None})


def _office_write(request, pk: int, form_cls, service, heading: str, form_id: str, done: str, intro: str = "",
                  initial: dict | None = None, **form_kwargs):
    office = _editable_office(request, pk) if form_cls is not BudgetForm else selectors.office_get(
        user=request.user, pk=pk)
    form = form_cls(request.POST or None, initial=initial, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            service(user=request.user, unit=office, **form.cleaned_data)
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("activities:office_detail", pk=office.pk)
    return _office_form(request, office, form, heading, form_id, _("保存"), intro)


@login_required
@GET_POST
@refuse_forbidden
def worklog_create(request, pk: int):
    return _office_write(request, pk, WorkLogForm, services.worklog_create, _("填报工作日志"), "worklog-form",
                         _("工作日志已保存。"), initial={"date": today()}, user=request.user)


@login_required
@GET_POST
@refuse_forbidden
def weekly_check_create(request, pk: int):
    now = today()
    sunday = now - dt.timedelta(days=now.isoweekday() % 7)
    return _office_write(request, pk, WeeklyCheckForm, services.weekly_check_record, _("每周日核实走访企业台账"),
                         "weekly-check-form", _("本周核实已记录。"), initial={"week_ending": sunday},
                         intro=_("核实人和核实时间自动记录为当前账号和当前时间。"))


@login_required
@GET_POST
@refuse_forbidden
def budget_set(request, pk: int):
    if not request.user.is_assessor:
        raise PermissionDeniedError(_("只有考核办可以设置驻点经费"))
    return _office_write(request, pk, BudgetForm, services.budget_set, _("设置年度经费（定额包干）"), "budget-form",
                         _("年度经费已保存。"), initial={"year": today().year})


@login_required
@GET_POST
@refuse_forbidden
def expense_create(request, pk: int):
    return _office_write(request, pk, ExpenseForm, services.expense_create, _("登记经费支出"), "expense-form",
                         _("支出已登记，待审批。"), initial={"date": today()}, user=request.user,
                         intro=_("支出金额单位为元；年度经费（定额包干）单位为万元，1万元 = 10000元。"))


@login_required
@require_POST
@refuse_forbidden
def expense_decide(request, pk: int):
    expense = selectors.expense_get(user=request.user, pk=pk)
    try:
        services.expense_decide(user=request.user, expense=expense, approve=request.POST.get("approve") == "1")
    except PermissionDeniedError:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("支出已审批。"))
    return redirect("activities:office_detail", pk=expense.unit_id)


def _quarter_action(request, pk: int, service, done: str):
    office = selectors.office_get(user=request.user, pk=pk)
    form = QuarterForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("季度应为如 2024Q1 的格式"))
    else:
        try:
            service(user=request.user, unit=office, quarter=form.cleaned_data["quarter"].upper())
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done)
    return redirect("activities:office_detail", pk=office.pk)


@login_required
@require_POST
@refuse_forbidden
def quarter_settle(request, pk: int):
    return _quarter_action(request, pk, services.quarter_settle, _("季度费用已核销。"))


@login_required
@require_POST
@refuse_forbidden
def subsidy_pay(request, pk: int):
    return _quarter_action(request, pk, services.subsidy_pay, _("季度驻点补助已发放。"))


# ---------------------------------------------------------------------------------------------
# Major investment information reports


@login_required
@require_GET
def report_list(request):
    return render(request, "activities/report_list.html", {
        "reports": selectors.report_list(user=request.user)[:200], "can_create": not request.user.is_read_only})


@login_required
@GET_POST
@refuse_forbidden
def report_create(request):
    if request.user.is_read_only:
        raise PermissionDeniedError(_("只读账号不能录入"))
    form = ReportForm(request.POST or None, user=request.user,
                      initial={"reported_on": today(), "unit": request.user.unit_id})
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(user=request.user, **form.cleaned_data)
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("重大项目报告已提交。"))
            return redirect("activities:report_detail", pk=report.pk)
    return render(request, "activities/simple_form.html", {
        "form": form, "heading": _("报告重大投资信息"), "form_id": "report-form", "submit_label": _("提交报告"),
        "back": reverse("activities:report_list")})


@login_required
@GET_POST
@refuse_forbidden
def report_detail(request, pk: int):
    report = selectors.report_get(user=request.user, pk=pk)
    assign_form = ReportAssignForm(request.POST if request.POST.get("action") == "assign" else None,
                                   initial={"assigned_unit": report.assigned_unit_id})
    advance_form = ReportAdvanceForm(request.POST if request.POST.get("action") == "advance" else None,
                                     user=request.user)
    if request.method == "POST":
        form = assign_form if request.POST.get("action") == "assign" else advance_form
        if form.is_valid():
            try:
                if form is assign_form:
                    services.report_assign(user=request.user, report=report, **form.cleaned_data)
                else:
                    services.report_advance(user=request.user, report=report, **form.cleaned_data)
            except PermissionDeniedError:
                raise
            except ApplicationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("重大项目报告已更新。"))
                return redirect("activities:report_detail", pk=report.pk)
    open_ = report.status not in (ReportStatus.SIGNED, ReportStatus.DROPPED)
    return render(request, "activities/report_detail.html", {
        "report": report, "assign_form": assign_form, "advance_form": advance_form,
        "can_assign": request.user.is_assessor and report.status in (ReportStatus.REPORTED, ReportStatus.ASSIGNED),
        "can_advance": open_ and not request.user.is_read_only, "history": selectors.record_history(report)})
