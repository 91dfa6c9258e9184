"""Spot-check pages (抽查复核): the list, the draw form, a spot-check's sampled facts by district with a
result form per fact, and the findings per district. City assessors draw and record; district assessors
see their own district's sampled facts read-only; unit users get a 403."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.ledger.forms import add_service_errors
from zhaoshang.ledger.views import refuse_forbidden

from .. import sampling
from ..forms.spotchecks import DrawForm, ResultForm
from ..selectors import spotchecks as selectors
from ..services.spotchecks import spotcheck_draw, spotcheck_record_result


def _wants_partial(request) -> bool:
    return bool(getattr(request, "htmx", False)) and not request.htmx.history_restore_request


@login_required
@require_GET
@refuse_forbidden
def spotcheck_list(request):
    checks = selectors.spotcheck_list(user=request.user)
    return render(request, "integrity/spotcheck_list.html", {
        "checks": checks, "may_draw": selectors.may_record(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
@refuse_forbidden
def spotcheck_new(request):
    if not selectors.may_record(request.user):
        raise PermissionDeniedError(_("只有市考核办可以抽查复核"))
    form = DrawForm(request.POST or None, initial={"seed": sampling.random_seed()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            check = spotcheck_draw(user=request.user, period=d["period"], rate=d["rate"],
                                   min_per_unit=d["min_per_unit"], seed=d["seed"], note=d["note"])
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已抽取%(n)s条记录（总体%(total)s条，随机种子%(seed)s）") % {
                "n": check.items.count(), "total": check.population_size, "seed": check.seed})
            return redirect("integrity:spotcheck_detail", pk=check.pk)
    return render(request, "integrity/spotcheck_form.html", {"form": form})


def _detail_context(request, check) -> dict:
    items = list(selectors.spotcheck_items(user=request.user, spot_check=check))
    may_record = selectors.may_record(request.user)
    for item in items:
        item.form = ResultForm(prefix=f"item{item.pk}") if may_record else None
    groups = [{"unit": unit, "items": list(rows)} for unit, rows in groupby(items, key=lambda i: i.unit)]
    return {
        "check": check, "groups": groups, "findings": selectors.findings_by_unit(items),
        "may_record": may_record, "n_items": len(items),
    }


@login_required
@require_GET
@refuse_forbidden
def spotcheck_detail(request, pk: int):
    check = selectors.spotcheck_get(user=request.user, pk=pk)
    return render(request, "integrity/spotcheck_detail.html", _detail_context(request, check))


@login_required
@require_POST
@refuse_forbidden
def spotcheck_item_result(request, pk: int):
    item = selectors.spotcheck_item_get(user=request.user, pk=pk)
    if not selectors.may_record(request.user):
        raise PermissionDeniedError(_("只有市考核办可以记录抽查复核结果"))
    form = ResultForm(request.POST, prefix=f"item{item.pk}")
    if form.is_valid():
        try:
            item = spotcheck_record_result(user=request.user, item=item, result=form.cleaned_data["result"],
                                           reason=form.cleaned_data["reason"])
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            item = selectors.spotcheck_item_get(user=request.user, pk=item.pk)
            form = None
            if not _wants_partial(request):
                messages.success(request, _("已记录复核结果：%(result)s") % {"result": item.get_result_display()})
                return redirect("integrity:spotcheck_detail", pk=item.spot_check_id)
    if _wants_partial(request):
        item.form = form
        items = selectors.spotcheck_items(user=request.user, spot_check=item.spot_check)
        return render(request, "integrity/_spotcheck_item.html", {
            "item": item, "may_record": True, "findings_oob": selectors.findings_by_unit(items),
        })
    if form is not None:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("integrity:spotcheck_detail", pk=item.spot_check_id)
