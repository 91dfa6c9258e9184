"""Monthly submissions: the board, submit, review, snapshots and deadlines."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.periods import today
from zhaoshang.ledger.forms import add_service_errors
from zhaoshang.ledger.views import refuse_forbidden
from zhaoshang.orgs.choices import UserRole

from .. import selectors, services, snapshots
from ..choices import SubmissionAction, SubmissionState
from ..forms import BoardFilterForm, DeadlineForm, ReturnForm, SubmitForm
from ..models import SubmissionDeadline, SubmissionSnapshot
from ._common import GET_POST, _may_edit, _wants_partial


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
