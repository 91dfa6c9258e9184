"""The daily-work start page, the quota overview and the reminder list."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from zhaoshang.core.dates import date_problem
from zhaoshang.core.periods import today
from zhaoshang.orgs.scope import visible_unit_ids

from .. import quotas, reminders, selectors


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
        "reminder_count": reminders.count_overdue(user=request.user, as_of=now, quota_lines=lines),
        "offices": selectors.office_list(user=request.user),
    }
    return render(request, "activities/index.html", context)


@login_required
@require_GET
def quota_overview(request):
    now = today()
    try:
        year = int(request.GET.get("year") or now.year)
    except ValueError:
        year = now.year
    # A province's 3,000 units: a page of units at a time (all of them at once was 1.7 s and 3.6 MB); the lines
    # are read for the page's units only, so the queries do not grow with the units on a page.
    units = Paginator(quotas.units_with_lines(unit_ids=visible_unit_ids(request.user)), UNITS_PER_PAGE).get_page(
        request.GET.get("page"))
    page_ids = {u.pk for u in units}
    leaders = quotas.leader_lines(unit_ids=page_ids, year=year, as_of=now)
    offices = quotas.office_lines(unit_ids=page_ids, year=year, as_of=now)
    context = {"year": year, "leaders": leaders, "offices": offices, "units": units,
               "progress": quotas.progress_for(year, now) * 100, "quotas": quotas.quotas(), "today": now}
    return render(request, "activities/quotas.html", context)


@login_required
@require_GET
def reminder_list(request):
    as_of, status = today(), 200
    if request.GET.get("date"):
        # Shown for today instead, and answered 400 naming the parameter: 0001-01-01 minus the reminders'
        # look-back is no date at all, so an implausible date never reaches the reminders.
        try:
            asked = dt.date.fromisoformat(request.GET["date"])
        except ValueError:
            problem = _("日期格式应为 YYYY-MM-DD")
        else:
            problem = date_problem(asked, label=_("日期（date）"))
            as_of = asked if problem is None else as_of
        if problem:
            messages.error(request, problem)
            status = 400
    found = reminders.collect(user=request.user, as_of=as_of)
    # A province's 3,000 units: a page of units at a time (all of them at once was tens of MB)
    units = Paginator(list(found.by_unit().items()), UNITS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "activities/reminders.html", {"reminders": found, "units": units, "as_of": as_of,
                                                         "stale_days": reminders.stale_days()}, status=status)


UNITS_PER_PAGE = 100
