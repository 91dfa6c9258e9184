"""Unit pages: read-only views of the units in the user's scope. Units are maintained in the admin."""

from __future__ import annotations

import re
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhaoshang.core.db import MoneySum
from zhaoshang.core.errors import PermissionDeniedError

from . import lookups
from .choices import UnitKind
from .models import Unit
from .selectors import grouping_overview, unit_get
from .selectors import unit_list as unit_list_selector


def _with_project_totals(qs):
    # One GROUP BY over the units' introduced projects, instead of a count and a sum per unit.
    return qs.annotate(
        project_count=Count("introduced_projects"), signed_sum=MoneySum("introduced_projects__signed_amount")
    )


@login_required
@require_GET
def unit_list(request):
    # A page of units, their projects counted for that page only (a province's 3,000 units grouped over
    # 2,000,000 projects took 0.9 s of SQL and a 1 MB page; per page it reads the (unit, …) index alone).
    page = Paginator(unit_list_selector(user=request.user).order_by("code"), UNITS_PER_PAGE).get_page(
        request.GET.get("page"))
    units = list(page.object_list)
    totals = {pk: (n, s) for pk, n, s in _with_project_totals(Unit.objects.filter(pk__in=[u.pk for u in units]))
              .order_by().values_list("pk", "project_count", "signed_sum")}
    for unit in units:
        unit.project_count, unit.signed_sum = totals.get(unit.pk, (0, None))
    return render(request, "orgs/unit_list.html", {"units": units, "page": page})


UNITS_PER_PAGE = 200


@login_required
@require_GET
def unit_detail(request, pk: int):
    unit = unit_get(user=request.user, pk=pk)
    totals = _with_project_totals(unit_list_selector(user=request.user).filter(pk=unit.pk)).values(
        "project_count", "signed_sum").first() or {}
    context = {
        "unit": unit,
        "is_resident_office": unit.kind == UnitKind.RESIDENT_OFFICE,
        # Children of a visible unit are visible too (scope covers a unit and everything below it).
        "children": list(unit.children.select_related("group").order_by("code")),
        "people": list(unit.people.order_by("staff_no")),
        # its groups under the named groupings (分组口径); elsewhere it keeps its own 考核组别
        "memberships": list(unit.memberships.select_related("grouping", "group").order_by("grouping__name")),
        "project_count": totals.get("project_count", 0),
        "signed_sum": totals.get("signed_sum") or Decimal("0"),
    }
    return render(request, "orgs/unit_detail.html", context)


@login_required
@require_GET
def grouping_list(request):
    """分组口径: each grouping's groups with their unit counts and its members, beside the default
    grouping (the units' own 考核组别). Groupings span the whole city, so only users who see every unit
    see them; they are edited through the workbook's 分组 sheet or the admin."""
    try:
        groupings = grouping_overview(user=request.user)
    except PermissionDeniedError as exc:
        return render(request, "403.html", {"message": exc.message}, status=403)
    return render(request, "orgs/grouping_list.html", {"groupings": groupings})


KEEP_NAME = re.compile(r"[A-Za-z_][\w-]{0,63}")  # a multiple picker's field name: its choices come under it


@login_required
@require_GET
def options(request, kind: str):
    """A search picker's `<option>`s (zhaoshang.core.widgets.SearchSelect): lookup `kind`, scoped to the user."""
    if kind not in lookups.LOOKUPS:
        raise Http404
    found = lookups.search(kind, request.user, request.GET.get("term") or request.GET.get("q", ""))
    keep = request.GET.get("keep", "")
    if not KEEP_NAME.fullmatch(keep):  # a single picker: the matches replace the options
        return render(request, "orgs/_options.html", {"options": found})
    # a multiple picker: its current choices first, still selected, then the other matches
    kept = lookups.chosen(kind, request.user, request.GET.getlist(keep))
    ids = {pk for pk, _label in kept}
    return render(request, "orgs/_options.html", {"options": [o for o in found if o[0] not in ids], "kept": kept,
                                                  "multiple": True})
