"""Reads for inspections, scoped to the user: a unit user sees the plans that name one of their units
and, within a plan, only their units' self-checks, visits and rectifications; the offices see all
(a district office: its district)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from zhaoshang.orgs.models import Unit, User
from zhaoshang.orgs.scope import visible_unit_ids

from ..models.inspections import (
    InspectionPlan,
    Rectification,
    RectificationStatus,
    SelfCheckAttachment,
    SelfCheckReport,
    SiteVisit,
    SiteVisitPhoto,
)


def _in_scope(qs: QuerySet, user: User, field: str = "unit_id") -> QuerySet:
    ids = visible_unit_ids(user)
    return qs if ids is None else qs.filter(**{f"{field}__in": ids})


def plan_list(*, user: User, period: str = "") -> QuerySet[InspectionPlan]:
    qs = InspectionPlan.objects.all()
    ids = visible_unit_ids(user)
    if ids is not None:
        qs = qs.filter(units__in=ids).distinct()
    if period:
        qs = qs.filter(period__startswith=period.strip().upper())
    # `plan.units.all()` lists only the units the user may see: a unit inspected alongside others does not
    # learn which others (units outside the scope are not named anywhere else either).
    units = Unit.objects.order_by("code") if ids is None else Unit.objects.filter(id__in=ids).order_by("code")
    return qs.prefetch_related(Prefetch("units", queryset=units)).order_by("-period", "-id")


def plan_get(*, user: User, pk: int) -> InspectionPlan:
    plan = plan_list(user=user).filter(pk=pk).first()
    if plan is None:
        raise Http404(_("督查计划不存在或不在您的权限范围内"))
    return plan


def plan_projects(*, user: User, plan: InspectionPlan):
    """The plan's projects the user may see: a unit inspected alongside others sees its own projects only."""
    return _in_scope(plan.projects.select_related("lead_unit"), user, "lead_unit_id").order_by("code")


def self_check_list(*, user: User, plan: InspectionPlan | None = None) -> QuerySet[SelfCheckReport]:
    qs = _in_scope(SelfCheckReport.objects.all(), user)
    if plan is not None:
        qs = qs.filter(plan=plan)
    return qs.select_related("unit", "plan", "submitted_by").prefetch_related("attachments").order_by(
        "plan_id", "unit__code")


def site_visit_list(*, user: User, plan: InspectionPlan | None = None) -> QuerySet[SiteVisit]:
    qs = _in_scope(SiteVisit.objects.all(), user)
    if plan is not None:
        qs = qs.filter(plan=plan)
    return qs.select_related("unit", "project", "plan", "recorded_by").prefetch_related("photos").order_by(
        "visited_on", "id")


def rectification_list(*, user: User, plan: InspectionPlan | None = None, status: str = "",
                       overdue_on: dt.date | None = None) -> QuerySet[Rectification]:
    qs = _in_scope(Rectification.objects.all(), user)
    if plan is not None:
        qs = qs.filter(plan=plan)
    if status:
        qs = qs.filter(status=status)
    if overdue_on is not None:
        qs = qs.filter(status=RectificationStatus.OPEN, deadline__lt=overdue_on)
    return qs.select_related("unit", "project", "plan", "owner_person", "closed_by").order_by("deadline", "id")


def rectification_get(*, user: User, pk: int) -> Rectification:
    item = rectification_list(user=user).filter(pk=pk).first()
    if item is None:
        raise Http404(_("整改事项不存在或不在您的权限范围内"))
    return item


def overdue_rectifications(*, unit_ids: set[int] | None, as_of: dt.date) -> list[Rectification]:
    """Open items past their deadline, for the reminders and the cockpit (`unit_ids` None: all)."""
    qs = Rectification.objects.filter(status=RectificationStatus.OPEN, deadline__lt=as_of)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    return list(qs.select_related("unit", "plan", "project", "owner_person").order_by("deadline", "unit__code", "id"))


@dataclass
class UnitRow:
    """One unit of a plan as its detail page shows it."""

    unit: object
    self_check: SelfCheckReport | None
    visits: list
    rectifications: list

    @property
    def open_count(self) -> int:
        return sum(1 for r in self.rectifications if r.status == RectificationStatus.OPEN)


def plan_units(*, user: User, plan: InspectionPlan) -> list[UnitRow]:
    ids = visible_unit_ids(user)
    units = [u for u in plan.units.order_by("code") if ids is None or u.pk in ids]
    checks = {r.unit_id: r for r in self_check_list(user=user, plan=plan)}
    visits: dict[int, list] = {}
    for v in site_visit_list(user=user, plan=plan):
        visits.setdefault(v.unit_id, []).append(v)
    items: dict[int, list] = {}
    for r in rectification_list(user=user, plan=plan):
        items.setdefault(r.unit_id, []).append(r)
    return [UnitRow(u, checks.get(u.pk), visits.get(u.pk, []), items.get(u.pk, [])) for u in units]


def attachment_get(*, user: User, kind: str, pk: int):
    """A self-check attachment or a site photo the user may see (404 otherwise), and its file."""
    if kind == "selfcheck":
        item = _in_scope(SelfCheckAttachment.objects.filter(pk=pk), user, "report__unit_id").first()
    elif kind == "photo":
        item = _in_scope(SiteVisitPhoto.objects.filter(pk=pk), user, "visit__unit_id").first()
    else:
        item = None
    if item is None or not item.file:
        raise Http404(_("附件不存在"))
    return item



def overdue_reminders(*, unit_ids: set[int] | None, as_of: dt.date) -> list:
    """Overdue 整改 as lines of `zhaoshang remind` and the reminders page (registered in
    activities.reminders.reminder_providers by integrity/hooks.py)."""
    from zhaoshang.activities.reminders import Reminder

    out = []
    for item in overdue_rectifications(unit_ids=unit_ids, as_of=as_of):
        owner = item.owner or "—"
        out.append(Reminder(
            item.unit, "rectification",
            _("督查整改“%(what)s”逾期 %(days)s 天未完成（整改期限 %(deadline)s，责任人 %(owner)s，%(plan)s）")
            % {"what": item.description[:60], "days": item.overdue_days(as_of), "deadline": f"{item.deadline:%Y-%m-%d}",
               "owner": owner, "plan": f"{item.plan.period} {item.plan.title}"},
            "integrity:inspection_detail", (item.plan_id,)))
    return out
