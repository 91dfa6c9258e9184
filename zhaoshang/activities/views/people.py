"""招商干部 pages (issue 13): the roster with each cadre's result over the last twelve months, the cadres
without result (无实绩) and what followed (约谈, 调整, 留任 with a reason)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.periods import today
from zhaoshang.ledger.forms import add_service_errors
from zhaoshang.ledger.views import refuse_forbidden

from .. import cadres, selectors
from ..forms import CadreForm, FollowUpForm
from ..services import cadres as cadre_services
from ._common import GET_POST


def _may_edit(user, cadre) -> bool:
    try:
        cadre_services.check_can_edit_cadre(user, cadre)
    except PermissionDeniedError:
        return False
    return not user.is_read_only


@login_required
@require_GET
def cadre_list(request):
    start, end = cadres.last_twelve_months()
    rows = list(cadres.cadre_list(user=request.user).order_by("team__code", "person__staff_no", "-term_start")[:500])
    res = cadres.results({c.person_id for c in rows}, start, end)
    for cadre in rows:
        cadre.result = res.get(cadre.person_id, cadres.CadreResult())
        cadre.serving = cadre.term_start <= end and (cadre.term_end is None or cadre.term_end >= end)
    return render(request, "activities/cadre_list.html", {
        "cadres": rows, "start": start, "end": end, "idle_count": len(cadres.idle(user=request.user)),
        "can_create": not request.user.is_read_only})


@login_required
@require_GET
def cadre_idle(request):
    start, end = cadres.last_twelve_months()
    return render(request, "activities/cadre_idle.html", {
        "cadres": cadres.idle(user=request.user), "start": start, "end": end})


@login_required
@GET_POST
@refuse_forbidden
def cadre_create(request):
    if request.user.is_read_only:
        raise PermissionDeniedError(_("只读账号不能登记招商干部"))
    form = CadreForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            cadre = cadre_services.cadre_create(user=request.user, **form.cleaned_data)
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已登记招商干部%(name)s。") % {"name": cadre.person.name})
            return redirect("activities:cadre_detail", pk=cadre.pk)
    return render(request, "activities/simple_form.html", {
        "form": form, "heading": _("登记招商干部"), "form_id": "cadre-form", "submit_label": _("保存"),
        "intro": _("专班、招商组成员的名册：所在单位、是否脱产专职（保留原单位职务）、任期（亳州：任期两年）。"),
        "back": reverse("activities:cadre_list")})


@login_required
@GET_POST
@refuse_forbidden
def cadre_detail(request, pk: int):
    cadre = cadres.cadre_get(user=request.user, pk=pk)
    can_edit = _may_edit(request.user, cadre)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDeniedError(_("无权处理该招商干部"))
        if form.is_valid():
            try:
                cadre_services.cadre_follow_up(user=request.user, cadre=cadre, **form.cleaned_data)
            except PermissionDeniedError:
                raise
            except ApplicationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("处理情况已记录。"))
                return redirect("activities:cadre_detail", pk=cadre.pk)
    start, end = cadres.last_twelve_months()
    result = cadres.results([cadre.person_id], start, end).get(cadre.person_id, cadres.CadreResult())
    year = today().year
    year_result = cadres.results([cadre.person_id], today().replace(month=1, day=1), today()).get(
        cadre.person_id, cadres.CadreResult())
    return render(request, "activities/cadre_detail.html", {
        "cadre": cadre, "result": result, "year_result": year_result, "year": year, "start": start, "end": end,
        "follow_ups": cadre.follow_ups.select_related("recorded_by"), "form": form, "can_edit": can_edit,
        "history": selectors.record_history(cadre, limit=20)})
