"""Daily-work pages. Views are thin: read through selectors, write through services; a service's
PermissionDeniedError becomes a 403 page with its message, the rest of its errors form errors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.periods import today
from zhaoshang.ledger.forms import add_service_errors
from zhaoshang.ledger.views import refuse_forbidden
from zhaoshang.orgs.choices import UserRole
from zhaoshang.orgs.scope import check_can_edit_unit, visible_unit_ids

from . import attendance, money, quotas, reminders, selectors, services, snapshots
from .choices import ExpenseStatus, ReportStatus, SubmissionAction, SubmissionState
from .forms import (
    AttendanceMonthForm,
    BoardFilterForm,
    BudgetForm,
    DeadlineForm,
    EventForm,
    ExpenseForm,
    QuarterForm,
    RecommendationForm,
    RecordFilterForm,
    ReportAdvanceForm,
    ReportAssignForm,
    ReportForm,
    ReturnForm,
    SubmitForm,
    VisitForm,
    WeeklyCheckForm,
    WorkLogForm,
)
from .models import SubmissionDeadline, SubmissionSnapshot
from .xlsx import xlsx_response

GET_POST = require_http_methods(["GET", "POST"])
PAGE_SIZE = 50


def _may_edit(user, unit_id) -> bool:
    try:
        check_can_edit_unit(user, unit_id)
    except PermissionDeniedError:
        return False
    return True


def _wants_partial(request) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


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
def index(request):
    now = today()
    ids = visible_unit_ids(request.user)
    lines = quotas.leader_lines(unit_ids=ids, year=now.year, as_of=now) + quotas.office_lines(
        unit_ids=ids, year=now.year, as_of=now)
    context = {
        "behind": sum(1 for x in lines if x.status == "behind"),
        "lines": len(lines),
        "reminder_count": len(reminders.collect(user=request.user, as_of=now).items),
        "offices": selectors.office_list(user=request.user),
    }
    return render(request, "activities/index.html", context)


# ---------------------------------------------------------------------------------------------
# Visits, recommendations, events: one set of views over a small table of kinds


@dataclass
class Kind:
    key: str
    title: str
    form: type
    list: Any
    get: Any
    create: Any
    update: Any
    delete: Any
    unit_id: Any
    columns: list[tuple[str, Any]]


KINDS = {
    "visits": Kind(
        "visits", gettext_lazy("走访对接"), VisitForm, selectors.visit_list, selectors.visit_get,
        services.visit_create,
        lambda user, obj, **f: services.visit_update(user=user, visit=obj, **f),
        lambda user, obj, **f: services.visit_delete(user=user, visit=obj, **f),
        lambda obj: obj.unit_id,
        [(gettext_lazy("日期"), lambda o: o.date), (gettext_lazy("单位"), lambda o: o.unit.name),
         (gettext_lazy("带队领导"), lambda o: o.leader.name),
         (gettext_lazy("领导角色"), lambda o: o.leader.get_role_display()),
         (gettext_lazy("企业名称"), lambda o: o.enterprise), (gettext_lazy("事项"), lambda o: o.matter)],
    ),
    "recommendations": Kind(
        "recommendations", gettext_lazy("推荐考察"), RecommendationForm, selectors.recommendation_list,
        selectors.recommendation_get,
        services.recommendation_create,
        lambda user, obj, **f: services.recommendation_update(user=user, recommendation=obj, **f),
        lambda user, obj, **f: services.recommendation_delete(user=user, recommendation=obj, **f),
        lambda obj: obj.unit_id,
        [(gettext_lazy("日期"), lambda o: o.date), (gettext_lazy("单位"), lambda o: o.unit.name),
         (gettext_lazy("推荐对象"), lambda o: o.get_target_display()),
         (gettext_lazy("企业名称"), lambda o: o.enterprise),
         (gettext_lazy("项目"), lambda o: o.project.code if o.project else "")],
    ),
    "events": Kind(
        "events", gettext_lazy("招商活动"), EventForm, selectors.event_list, selectors.event_get, services.event_create,
        lambda user, obj, **f: services.event_update(user=user, event=obj, **f),
        None,
        lambda obj: obj.host_unit_id,
        [(gettext_lazy("活动编号"), lambda o: o.code), (gettext_lazy("日期"), lambda o: o.date),
         (gettext_lazy("名称"), lambda o: o.name), (gettext_lazy("级别"), lambda o: o.get_level_display()),
         (gettext_lazy("主办单位"), lambda o: o.host_unit.name if o.host_unit else _("市级")),
         (gettext_lazy("市领导参加"), lambda o: o.city_leaders_present),
         (gettext_lazy("签约项目"), lambda o: "、".join(p.code for p in o.projects.all()))],
    ),
}


def _kind(key: str) -> Kind:
    if key not in KINDS:
        raise Http404
    return KINDS[key]


@login_required
@require_GET
def record_list(request, kind: str):
    k = _kind(kind)
    form = RecordFilterForm(request.GET or None, user=request.user, kind=kind)
    qs = k.list(user=request.user, filters=form.to_filters())
    if request.GET.get("format") == "xlsx":
        # Events are few and need their prefetched projects; visits can be many, so they stream.
        objects = qs if kind == "events" else qs.iterator(chunk_size=2000)
        rows = ([fn(o) for _, fn in k.columns] for o in objects)
        return xlsx_response(f"{k.title}.xlsx", str(k.title), [str(label) for label, _ in k.columns], rows)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "kind": k, "form": form, "page": page, "count": page.paginator.count,
        "rows": [(o, [_display(fn(o)) for _, fn in k.columns]) for o in page.object_list],
        "headers": [label for label, _ in k.columns],
        "can_create": not request.user.is_read_only,
        "export_query": request.GET.copy().urlencode(),
    }
    template = "activities/_record_table.html" if _wants_partial(request) else "activities/record_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _display(value) -> str:
    return f"{value:%Y-%m-%d}" if isinstance(value, dt.date) else ("" if value is None else str(value))


def _service_fields(form) -> dict:
    return {name: value for name, value in form.cleaned_data.items()}


@login_required
@GET_POST
@refuse_forbidden
def record_create(request, kind: str):
    k = _kind(kind)
    if request.user.is_read_only:
        raise PermissionDeniedError(_("只读账号不能录入"))
    initial = {"date": today()}
    if request.user.unit_id:
        initial.update({"unit": request.user.unit_id, "host_unit": request.user.unit_id})
    form = k.form(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            k.create(user=request.user, **_service_fields(form))
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(what)s已保存。") % {"what": k.title})
            return redirect(f"activities:{kind}_list")
    return render(request, "activities/record_form.html", {"kind": k, "form": form, "obj": None})


@login_required
@GET_POST
@refuse_forbidden
def record_edit(request, kind: str, pk: int):
    k = _kind(kind)
    obj = k.get(user=request.user, pk=pk)
    can_edit = _may_edit(request.user, k.unit_id(obj))
    form = k.form(request.POST or None, user=request.user, instance=obj)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDeniedError(_("您无权修改该记录"))
        if form.is_valid():
            try:
                k.update(request.user, obj, **_service_fields(form))
            except PermissionDeniedError:
                raise
            except ApplicationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("%(what)s已更新。") % {"what": k.title})
                return redirect(f"activities:{kind}_list")
    context = {"kind": k, "form": form, "obj": obj, "can_edit": can_edit, "history": selectors.record_history(obj),
               "can_delete": can_edit and k.delete is not None}
    if kind == "events":
        context["signed_projects"] = list(obj.projects.select_related("lead_unit").order_by("code"))
    return render(request, "activities/record_form.html", context)


@login_required
@require_POST
@refuse_forbidden
def record_delete(request, kind: str, pk: int):
    k = _kind(kind)
    if k.delete is None:
        raise Http404
    obj = k.get(user=request.user, pk=pk)
    try:
        k.delete(request.user, obj, correction_reason=request.POST.get("correction_reason", ""))
    except ApplicationError as exc:  # an assessor deleting a record of a closed period (结账) without a reason
        messages.error(request, exc.message)
        return redirect(f"activities:{kind}_edit", pk=pk)
    messages.success(request, _("记录已删除，删除前的内容保留在历史中。"))
    return redirect(f"activities:{kind}_list")


# ---------------------------------------------------------------------------------------------
# Quotas and reminders


@login_required
@require_GET
def quota_overview(request):
    now = today()
    try:
        year = int(request.GET.get("year") or now.year)
    except ValueError:
        year = now.year
    ids = visible_unit_ids(request.user)
    leaders = quotas.leader_lines(unit_ids=ids, year=year, as_of=now)
    offices = quotas.office_lines(unit_ids=ids, year=year, as_of=now)
    context = {"year": year, "leaders": leaders, "offices": offices,
               "progress": quotas.progress_for(year, now) * 100, "quotas": quotas.quotas(), "today": now}
    return render(request, "activities/quotas.html", context)


@login_required
@require_GET
def reminder_list(request):
    as_of = today()
    if request.GET.get("date"):
        try:
            as_of = dt.date.fromisoformat(request.GET["date"])
        except ValueError:
            messages.error(request, _("日期格式应为 YYYY-MM-DD"))
    found = reminders.collect(user=request.user, as_of=as_of)
    return render(request, "activities/reminders.html", {"reminders": found, "as_of": as_of,
                                                         "stale_days": reminders.stale_days()})


# ---------------------------------------------------------------------------------------------
# Resident offices


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


# ---------------------------------------------------------------------------------------------
# Monthly submissions


def _last_month(day: dt.date) -> str:
    first = day.replace(day=1) - dt.timedelta(days=1)
    return f"{first:%Y-%m}"


@login_required
@require_GET
def submission_list(request):
    now = today()
    form = BoardFilterForm(request.GET or None, user=request.user)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    period = data.get("period") or _last_month(now)
    try:
        period = services.normalise_period(period)
    except ApplicationError:
        period = _last_month(now)
    unit = data.get("unit")
    rows = selectors.submission_board(user=request.user, period=period, today=now,
                                      unit=unit.pk if unit else None, state_filter=data.get("state") or "")
    counts = {}
    for r in rows:
        counts[r.timeliness] = counts.get(r.timeliness, 0) + 1
    context = {"form": form, "rows": rows, "period": period, "due_date": services.due_date_for(period),
               "counts": counts, "can_submit": request.user.role == UserRole.UNIT_HEAD,
               "is_assessor": request.user.is_assessor}
    template = "activities/_submission_table.html" if _wants_partial(request) else "activities/submission_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
@GET_POST
@refuse_forbidden
def submission_submit(request):
    if request.user.role != UserRole.UNIT_HEAD:
        raise PermissionDeniedError(_("只有单位负责人可以报送台账"))
    now = today()
    initial = {"unit": request.user.unit_id, "period": request.GET.get("period") or _last_month(now)}
    form = SubmitForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            sub = services.submission_submit(user=request.user, **form.cleaned_data)
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(period)s 台账已报送，报送时的台账快照已保存。") % {"period": sub.period})
            return redirect("activities:submission_detail", pk=sub.pk)
    return render(request, "activities/simple_form.html", {
        "form": form, "heading": _("报送月度台账"), "form_id": "submit-form", "submit_label": _("确认报送"),
        "back": reverse("activities:submission_list"),
        "intro": _("报送时将冻结本单位当前的项目、到位资金和活动记录作为快照；截止日期默认为次月%(d)s日。")
        % {"d": services.default_due_date("2000-01").day}})


@login_required
@require_GET
def submission_detail(request, pk: int):
    sub = selectors.submission_get(user=request.user, pk=pk)
    now = today()
    steps = list(sub.steps.select_related("by", "snapshot").order_by("at", "id"))
    shots = list(sub.snapshots.order_by("taken_at", "id"))
    compare = None
    if len(shots) >= 2:
        compare = {"title": _("最近两次报送的差异（退回修改前后）"), "old": shots[-2], "new": shots[-1],
                   "diff": snapshots.diff(shots[-2].data, shots[-1].data)}
    previous = selectors.previous_snapshot(sub)
    month_compare = None
    if shots:
        month_compare = {"old": previous, "new": shots[-1],
                         "diff": snapshots.diff(previous.data if previous else None, shots[-1].data)}
    last = sub.last_action
    context = {
        "sub": sub, "steps": steps, "snapshots": shots, "compare": compare, "month_compare": month_compare,
        "state": SubmissionState(selectors.state(sub, sub.due_date, now)).label,
        "timeliness": selectors.timeliness(sub, sub.due_date, now),
        "can_review": request.user.is_assessor and services.awaiting_review(sub, last),
        "can_resubmit": request.user.role == UserRole.UNIT_HEAD and last == SubmissionAction.RETURNED
        and _may_edit(request.user, sub.unit_id),
        "return_form": ReturnForm(),
    }
    return render(request, "activities/submission_detail.html", context)


@login_required
@require_POST
@refuse_forbidden
def submission_resubmit(request, pk: int):
    sub = selectors.submission_get(user=request.user, pk=pk)
    try:
        services.submission_submit(user=request.user, unit=sub.unit, period=sub.period)
    except PermissionDeniedError:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已重新报送，新的快照已保存。"))
    return redirect("activities:submission_detail", pk=sub.pk)


@login_required
@require_POST
@refuse_forbidden
def submission_return(request, pk: int):
    sub = selectors.submission_get(user=request.user, pk=pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("退回修改必须填写理由。"))
    else:
        try:
            services.submission_return(user=request.user, submission=sub, reason=form.cleaned_data["reason"])
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已退回修改。"))
    return redirect("activities:submission_detail", pk=sub.pk)


@login_required
@require_POST
@refuse_forbidden
def submission_accept(request, pk: int):
    sub = selectors.submission_get(user=request.user, pk=pk)
    try:
        services.submission_accept(user=request.user, submission=sub)
    except PermissionDeniedError:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("报送已审核通过。"))
    return redirect("activities:submission_detail", pk=sub.pk)


@login_required
@require_GET
def snapshot_detail(request, pk: int):
    snap = SubmissionSnapshot.objects.select_related("submission__unit").filter(pk=pk).first()
    if snap is None:
        raise Http404
    selectors.submission_get(user=request.user, pk=snap.submission_id)  # 404 outside the user's scope
    return render(request, "activities/snapshot_detail.html", {
        "snap": snap, "sections": [(snapshots.SECTIONS[k], k, snap.data.get(k) or {}) for k in snapshots.SECTIONS],
        "labels": snapshots.FIELD_LABELS, "check": snapshots.digest(snap.data) == snap.sha256})


@login_required
@GET_POST
@refuse_forbidden
def deadline_list(request):
    form = DeadlineForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not request.user.is_assessor:
            raise PermissionDeniedError(_("只有考核办可以设置报送截止日期"))
        if form.is_valid():
            try:
                services.deadline_set(user=request.user, **form.cleaned_data)
            except PermissionDeniedError:
                raise
            except ApplicationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("截止日期已保存。"))
                return redirect("activities:deadline_list")
    return render(request, "activities/deadline_list.html", {
        "form": form, "deadlines": SubmissionDeadline.objects.select_related("set_by")[:36],
        "default_day": services.default_due_date("2000-01").day, "is_assessor": request.user.is_assessor})
