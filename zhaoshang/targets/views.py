"""Targets pages: the list of targets in the user's scope, and the decomposition of a city total over
units (assessors only): preview the split, then save it. Thin views: `decompose.py` computes and
saves (the same functions as `zhaoshang targets decompose`)."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.orgs.models import Unit
from zhaoshang.orgs.scope import visible_unit_ids

from .decompose import FACTORS, decompose, save_targets
from .forms import FACTOR_KEYS, DecomposeForm, rows_to_json
from .models import Target

COMMON_INDICATORS = ("签约金额", "到位资金", "外资", "过亿元项目", "新招引", "新开工", "在建", "新竣工", "投产")


def _assessor_only(view):
    """Decomposing and saving targets is the assessment office's work: others get the 403 page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_assessor:
            exc = PermissionDeniedError(_("只有考核办或系统管理员可以分解和保存目标"))
            return render(request, "403.html", {"message": exc.message}, status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _targets_in_scope(user):
    qs = Target.objects.select_related("unit")
    ids = visible_unit_ids(user)
    return qs if ids is None else qs.filter(unit_id__in=ids)


@login_required
def target_list(request):
    qs = _targets_in_scope(request.user)
    # DISTINCT in the database: a province's targets are tens of thousands of rows, its years and indicators few.
    years = list(qs.values_list("year", flat=True).distinct().order_by("-year"))
    indicators = list(qs.values_list("indicator", flat=True).distinct().order_by("indicator"))
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else (years[0] if years else None)
    indicator = request.GET.get("indicator", "")
    if year:
        qs = qs.filter(year=year)
    if indicator:
        qs = qs.filter(indicator=indicator)
    # Paged by unit, not by row, so a unit's targets never split over two pages; a province's 3,000 units on one
    # page were 1.8 s and 1.9 MB. Only the page's units have their targets read.
    units = Paginator(Unit.objects.filter(id__in=qs.values("unit_id")).order_by("code"), UNITS_PER_PAGE).get_page(
        request.GET.get("page"))
    targets = list(qs.filter(unit_id__in=[u.pk for u in units]).order_by("unit__code", "indicator"))
    return render(
        request,
        "targets/target_list.html",
        {
            "targets": targets,
            "units": units,
            "years": years,
            "indicators": indicators,
            "year": year,
            "indicator": indicator,
            "may_decompose": request.user.is_assessor,
        },
    )


UNITS_PER_PAGE = 100


def _units():
    return list(Unit.objects.filter(is_active=True).order_by("code"))


def _unit_table(units, data: QueryDict | None):
    """The table of units with their typed factors (kept between previews)."""
    return [
        {"unit": u, "inputs": [(f"{k}_{u.id}", (data or {}).get(f"{k}_{u.id}", "")) for k in FACTOR_KEYS]}
        for u in units
    ]


@login_required
@_assessor_only
@require_http_methods(["GET", "POST"])
def decompose_view(request):
    """GET: the form. POST action=preview: the split, not saved. POST action=save: the split of the
    previewed factors, computed again and saved (history records the user)."""
    units = _units()
    data = request.POST if request.method == "POST" else None
    form = DecomposeForm(data, request.FILES or None, units=units)
    ctx = {
        "form": form,
        "factors": FACTORS,
        "table": _unit_table(units, data),
        "indicators": sorted(set(COMMON_INDICATORS) | set(Target.objects.values_list("indicator", flat=True))),
    }
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            rows = form.factor_rows()
            parts = decompose(cd["total"], rows, cd["weights"])
            if request.POST.get("action") == "save":
                n = save_targets(year=cd["year"], indicator=cd["indicator"], parts=parts, user=request.user)
                messages.success(
                    request,
                    _("已保存%(year)s年“%(ind)s”%(n)s个单位的目标，合计%(total)s")
                    % {"year": cd["year"], "ind": cd["indicator"], "n": n, "total": cd["total"]},
                )
                url = reverse("targets:target_list")
                return redirect(f"{url}?year={cd['year']}&indicator={cd['indicator']}")
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            existing = Target.objects.filter(
                year=cd["year"], indicator=cd["indicator"], unit__code__in=[p.unit_code for p in parts]
            ).count()
            ctx.update(
                {
                    "parts": [(p, p.share * 100) for p in parts],
                    "sum": sum((p.value for p in parts), start=cd["total"] * 0),
                    "rows_json": rows_to_json(rows),
                    "existing": existing,
                    "weights": cd["weights"],
                }
            )
    return render(request, "targets/decompose.html", ctx)
