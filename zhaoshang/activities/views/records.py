"""Visits, recommendations, events: one set of views over a small table of kinds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.periods import today
from zhaoshang.ledger.forms import add_service_errors
from zhaoshang.ledger.views import refuse_forbidden

from .. import selectors, services
from ..forms import EventForm, RecommendationForm, RecordFilterForm, VisitForm
from ..xlsx import xlsx_response
from ._common import GET_POST, PAGE_SIZE, _may_edit, _wants_partial


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
         (gettext_lazy("企业名称"), lambda o: o.enterprise), (gettext_lazy("事项"), lambda o: o.matter),
         (gettext_lazy("企业行业门类"), lambda o: o.get_industry_display() if o.industry else _("待归类"))],
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
