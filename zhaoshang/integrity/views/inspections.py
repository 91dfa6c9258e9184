"""Inspection pages (一季一督查): plans by quarter, a plan with its units' self-checks, site visits and
rectifications, the forms behind them, and the scoped download of their files."""

from __future__ import annotations

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.periods import today
from zhaoshang.ledger.forms import add_service_errors
from zhaoshang.ledger.views import INLINE_CSP, refuse_forbidden
from zhaoshang.orgs.scope import can_see_unit, visible_unit_ids

from ..forms.inspections import (
    CloseForm,
    PlanForm,
    RectificationForm,
    ReopenForm,
    SelfCheckForm,
    SiteVisitForm,
)
from ..models.inspections import PlanStatus, RectificationStatus
from ..selectors import inspections as selectors
from ..services import inspections as services

GET_POST = require_http_methods(["GET", "POST"])
INLINE_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".pdf": "application/pdf"}


def _is_inspector(user, unit_id: int) -> bool:
    try:
        services.check_inspector(user, unit_id)
    except PermissionDeniedError:
        return False
    return True


def _may_self_check(user, unit_id: int) -> bool:
    return user.role in services.UNIT_ROLES and not user.is_superuser and can_see_unit(user, unit_id)


def _may_close(user, unit_id: int) -> bool:
    return not user.is_read_only and (user.is_assessor or can_see_unit(user, unit_id))


def _inspected_units(user, plan):
    """The plan's units this user may record visits and rectifications for."""
    ids = visible_unit_ids(user)
    qs = plan.units.order_by("code")
    if user.is_assessor:
        return qs
    if user.is_district_assessor and ids is not None:
        return qs.filter(pk__in=ids)
    return qs.none()


@login_required
@require_GET
def plan_list(request):
    period = (request.GET.get("period") or "").strip()
    plans = list(selectors.plan_list(user=request.user, period=period))
    as_of = today()
    overdue = {}
    for item in selectors.rectification_list(user=request.user, overdue_on=as_of).filter(
            plan_id__in=[p.pk for p in plans]):
        overdue[item.plan_id] = overdue.get(item.plan_id, 0) + 1
    by_period: dict[str, list] = {}
    for plan in plans:
        plan.overdue_count = overdue.get(plan.pk, 0)
        by_period.setdefault(plan.period, []).append(plan)
    context = {"by_period": by_period, "period": period, "can_create": request.user.is_assessor}
    return render(request, "integrity/inspection_list.html", context)


@login_required
@GET_POST
@refuse_forbidden
def plan_create(request):
    if not request.user.is_assessor:
        raise PermissionDeniedError(_("只有考核办可以制定督查计划"))
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.inspection_plan_create(user=request.user, period=data["period"], title=data["title"],
                                                   units=list(data["units"]), projects=data["project_codes"],
                                                   note=data["note"])
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            exc.field_errors = {("project_codes" if k == "projects" else k): v for k, v in exc.field_errors.items()}
            add_service_errors(form, exc)
        else:
            messages.success(request, _("督查计划已创建。"))
            return redirect("integrity:inspection_detail", pk=plan.pk)
    return render(request, "integrity/inspection_plan_form.html", {"form": form})


@login_required
@require_GET
def plan_detail(request, pk: int):
    plan = selectors.plan_get(user=request.user, pk=pk)
    as_of = today()
    user = request.user
    rows = selectors.plan_units(user=user, plan=plan)
    for row in rows:
        row.may_self_check = _may_self_check(user, row.unit.pk)
        row.may_inspect = _is_inspector(user, row.unit.pk)
        for item in row.rectifications:
            item.days_overdue = item.overdue_days(as_of)
            item.may_close = item.status == RectificationStatus.OPEN and _may_close(user, item.unit_id)
            item.may_reopen = item.status == RectificationStatus.DONE and row.may_inspect
    context = {
        "plan": plan, "rows": rows, "as_of": as_of,
        "projects": selectors.plan_projects(user=user, plan=plan),
        "may_inspect": any(r.may_inspect for r in rows),
        "can_set_status": user.is_assessor, "statuses": PlanStatus.choices,
        "close_form": CloseForm(), "reopen_form": ReopenForm(),
    }
    return render(request, "integrity/inspection_detail.html", context)


@login_required
@require_POST
@refuse_forbidden
def plan_status(request, pk: int):
    plan = selectors.plan_get(user=request.user, pk=pk)
    try:
        services.inspection_plan_set_status(user=request.user, plan=plan, status=request.POST.get("status", ""))
    except PermissionDeniedError:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("督查计划状态已更新为“%(status)s”。") % {"status": plan.get_status_display()})
    return redirect("integrity:inspection_detail", pk=plan.pk)


@login_required
@GET_POST
@refuse_forbidden
def self_check(request, pk: int, unit_id: int):
    plan = selectors.plan_get(user=request.user, pk=pk)
    unit = plan.units.filter(pk=unit_id).first()
    if unit is None or not can_see_unit(request.user, unit.pk):
        raise Http404(_("该单位不在本次督查计划中"))
    if not _may_self_check(request.user, unit.pk):
        raise PermissionDeniedError(_("自查自报由被督查单位报送"))
    existing = selectors.self_check_list(user=request.user, plan=plan).filter(unit=unit).first()
    initial = {"summary": existing.summary, "issues": existing.issues} if existing else None
    form = SelfCheckForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.self_check_submit(user=request.user, plan=plan, unit=unit, summary=data["summary"],
                                       issues=data["issues"], files=data["files"])
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("自查报告已报送。"))
            return redirect("integrity:inspection_detail", pk=plan.pk)
    context = {"plan": plan, "unit": unit, "form": form, "existing": existing,
               "heading": _("自查自报"), "form_id": "self-check-form", "submit_label": _("报送")}
    return render(request, "integrity/inspection_form.html", context)


@login_required
@GET_POST
@refuse_forbidden
def site_visit_create(request, pk: int):
    plan = selectors.plan_get(user=request.user, pk=pk)
    units = _inspected_units(request.user, plan)
    if not units.exists():
        raise PermissionDeniedError(_("只有考核办或本辖区的区考核办可以记录督查情况"))
    form = SiteVisitForm(request.POST or None, request.FILES or None, units=units,
                         initial={"unit": request.GET.get("unit")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.site_visit_record(user=request.user, plan=plan, unit=data["unit"], visited_on=data["visited_on"],
                                       people=data["people"], findings=data["findings"],
                                       project=data["project_code"], photos=data["photos"])
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            exc.field_errors = {("project_code" if k == "project" else k): v for k, v in exc.field_errors.items()}
            add_service_errors(form, exc)
        else:
            messages.success(request, _("实地查看记录已保存。"))
            return redirect("integrity:inspection_detail", pk=plan.pk)
    context = {"plan": plan, "form": form, "heading": _("记录实地查看"), "form_id": "site-visit-form",
               "submit_label": _("保存")}
    return render(request, "integrity/inspection_form.html", context)


@login_required
@GET_POST
@refuse_forbidden
def rectification_create(request, pk: int):
    plan = selectors.plan_get(user=request.user, pk=pk)
    units = _inspected_units(request.user, plan)
    if not units.exists():
        raise PermissionDeniedError(_("只有考核办或本辖区的区考核办可以记录督查情况"))
    visits = list(selectors.site_visit_list(user=request.user, plan=plan).filter(unit__in=units))
    form = RectificationForm(request.POST or None, units=units, visits=visits,
                             initial={"unit": request.GET.get("unit"), "site_visit": request.GET.get("visit")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.rectification_add(user=request.user, plan=plan, unit=data["unit"],
                                       description=data["description"], deadline=data["deadline"],
                                       owner_name=data["owner_name"], owner_person=data["owner_staff_no"],
                                       project=data["project_code"], site_visit=data["site_visit"])
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            renamed = {"project": "project_code", "owner_person": "owner_staff_no"}
            exc.field_errors = {renamed.get(k, k): v for k, v in exc.field_errors.items()}
            add_service_errors(form, exc)
        else:
            messages.success(request, _("整改事项已提出。"))
            return redirect("integrity:inspection_detail", pk=plan.pk)
    context = {"plan": plan, "form": form, "heading": _("提出整改事项"), "form_id": "rectification-form",
               "submit_label": _("保存")}
    return render(request, "integrity/inspection_form.html", context)


@login_required
@require_POST
@refuse_forbidden
def rectification_close(request, pk: int):
    item = selectors.rectification_get(user=request.user, pk=pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("销号须填写整改情况。"))
    else:
        try:
            services.rectification_close(user=request.user, rectification=item, note=form.cleaned_data["note"])
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("整改事项已销号。"))
    return redirect("integrity:inspection_detail", pk=item.plan_id)


@login_required
@require_POST
@refuse_forbidden
def rectification_reopen(request, pk: int):
    item = selectors.rectification_get(user=request.user, pk=pk)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写重新整改的理由。"))
    else:
        try:
            services.rectification_reopen(user=request.user, rectification=item, note=form.cleaned_data["note"],
                                          deadline=form.cleaned_data["deadline"])
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已退回重新整改。"))
    return redirect("integrity:inspection_detail", pk=item.plan_id)


@login_required
@require_GET
def rectification_list(request):
    as_of = today()
    status = request.GET.get("status", "")
    overdue = request.GET.get("overdue") == "1"
    items = list(selectors.rectification_list(user=request.user, status=status if status in RectificationStatus.values
                                              else "", overdue_on=as_of if overdue else None))
    for item in items:
        item.days_overdue = item.overdue_days(as_of)
    context = {"items": items, "status": status, "overdue": overdue, "statuses": RectificationStatus.choices,
               "as_of": as_of}
    return render(request, "integrity/inspection_rectifications.html", context)


@login_required
@require_GET
def attachment(request, kind: str, pk: int):
    """Stream a self-check attachment or a site photo after checking scope: files are never served
    from MEDIA_ROOT directly. Photos and PDFs open in the browser; anything else downloads."""
    item = selectors.attachment_get(user=request.user, kind=kind, pk=pk)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("附件文件已丢失")) from exc
    name = os.path.basename(item.file.name)
    inline = INLINE_TYPES.get(os.path.splitext(name)[1].lower())
    if inline:
        response = FileResponse(handle, filename=name, content_type=inline)
        # As the ledger's evidence: never sniffed into a page, and an image is a sandboxed document.
        response["Content-Security-Policy"] = INLINE_CSP if inline == "application/pdf" else f"sandbox; {INLINE_CSP}"
    else:
        response = FileResponse(handle, as_attachment=True, filename=name, content_type="application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response
