"""Reads of the aftercare app, always in the user's scope: a unit user sees the records of their own
units (and below); one of another unit is not found (404), never refused."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from zhaoshang.orgs.models import User
from zhaoshang.orgs.scope import visible_unit_ids

from .models import AftercareVisit, InvestorRequest, LiaisonItem, RequestStatus, Talent


def requests_for(user: User) -> QuerySet[InvestorRequest]:
    qs = InvestorRequest.objects.select_related("project", "unit", "assignee", "department")
    ids = visible_unit_ids(user)
    return qs if ids is None else qs.filter(Q(unit_id__in=ids) | Q(department_id__in=ids))


def visits_for(user: User) -> QuerySet[AftercareVisit]:
    qs = AftercareVisit.objects.select_related("project", "unit", "visitor")
    ids = visible_unit_ids(user)
    return qs if ids is None else qs.filter(unit_id__in=ids)


def talents_for(user: User) -> QuerySet[Talent]:
    qs = Talent.objects.select_related("unit", "introducer", "project")
    ids = visible_unit_ids(user)
    return qs if ids is None else qs.filter(Q(unit_id__in=ids) | Q(shares__unit_id__in=ids)).distinct()


def liaisons_for(user: User) -> QuerySet[LiaisonItem]:
    qs = LiaisonItem.objects.select_related("unit", "project", "lead_person")
    ids = visible_unit_ids(user)
    return qs if ids is None else qs.filter(unit_id__in=ids)


def get_or_404(qs: QuerySet, pk: int):
    found = qs.filter(pk=pk).first()
    if found is None:
        raise Http404(_("记录不存在或无权查看"))
    return found


def overdue_requests(*, unit_ids: set[int] | None, as_of: dt.date) -> QuerySet[InvestorRequest]:
    """Requests not answered whose deadline has passed as of `as_of`."""
    qs = InvestorRequest.objects.filter(status=RequestStatus.OPEN, deadline__lt=as_of).select_related(
        "project", "unit", "assignee", "department").order_by("deadline", "id")
    return qs if unit_ids is None else qs.filter(unit_id__in=unit_ids)


def overdue_reminders(*, unit_ids: set[int] | None, as_of: dt.date) -> list:
    """Overdue requests as lines of `zhaoshang remind` and the reminders page (registered from
    AftercareConfig.ready in activities.reminders.reminder_providers)."""
    from zhaoshang.activities.reminders import Reminder

    from .services import escalate_overdue

    escalate_overdue(as_of=as_of)
    out = []
    for item in overdue_requests(unit_ids=unit_ids, as_of=as_of):
        who = item.assignee.name if item.assignee else (item.department.name if item.department else "—")
        out.append(Reminder(
            item.unit, "investor_request",
            _("客商诉求“%(what)s”（%(project)s）逾期%(days)s天未答复（答复期限%(deadline)s，承办%(who)s，已督办）")
            % {"what": item.subject[:60], "project": item.project.name, "days": (as_of - item.deadline).days,
               "deadline": f"{item.deadline:%Y-%m-%d}", "who": who},
            "aftercare:request_detail", (item.pk,)))
    return out
