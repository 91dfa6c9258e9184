"""Quotas at a glance: this year's counts against the quotas the schemes set, judged against the
time schedule (时序进度) of the year.

Defaults follow the source documents and can be changed in settings (ACTIVITY_QUOTAS, same shape):
- Zhengzhou (000): each 党政主要负责人 ≥ 4 visits a year, each 分管领导 ≥ 8;
- Bole (002): each resident office ≥ 30 recommendations, of which ≥ 10 to main leaders, and ≥ 2
  events, of which ≥ 1 with city leaders present.
A stored scheme that names `leaders_below_visits` with `min_visits` for a role overrides the visit
quota of that role (the latest version of each scheme; the highest quota wins).

A line is `met` when the count reaches the quota, `on_track` when it reaches quota × 时序进度,
`behind` otherwise — shown in colour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from django.conf import settings
from django.db.models import Count, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.periods import year_progress
from zhaoshang.orgs.choices import PersonRole, UnitKind

from .choices import RecommendTarget

DEFAULT_QUOTAS = {
    "visits": {PersonRole.PARTY_GOV_HEAD.value: 4, PersonRole.DIVISION_LEADER.value: 8},
    "resident_office": {"recommendations": 30, "recommendations_main": 10, "events": 2,
                        "events_with_city_leaders": 1},
}
OFFICE_LABELS = {
    "recommendations": _("推荐领导考察项目"),
    "recommendations_main": _("其中推荐主要领导考察"),
    "events": _("举办招商推介活动"),
    "events_with_city_leaders": _("其中邀请市领导参加"),
}
STATUS_LABELS = {"met": _("已完成"), "on_track": _("符合时序进度"), "behind": _("落后于时序进度")}
STATUS_CSS = {"met": "success", "on_track": "primary", "behind": "danger"}


# Higher layers that also set visit quotas (the assessment schemes do) register a provider here,
# a function returning {person role: visits a year}; activities never imports them.
visit_quota_providers: list[Callable[[], dict[str, int]]] = []


def quotas() -> dict:
    configured = getattr(settings, "ACTIVITY_QUOTAS", {}) or {}
    visits = {**DEFAULT_QUOTAS["visits"], **configured.get("visits", {})}
    for provider in visit_quota_providers:
        visits.update(provider())
    office = {**DEFAULT_QUOTAS["resident_office"], **configured.get("resident_office", {})}
    return {"visits": visits, "resident_office": office}


def progress_for(year: int, as_of: dt.date) -> Decimal:
    if as_of.year > year:
        return Decimal(1)
    if as_of.year < year:
        return Decimal(0)
    return Decimal(str(round(year_progress(as_of), 4)))


@dataclass
class QuotaLine:
    """One count against one quota, e.g. 张三 (党政主要负责人) visits 2 of 4, expected 1 by now."""

    unit: object
    subject: str
    label: str
    count: int
    quota: int
    progress: Decimal
    key: str = ""
    staff_no: str = ""  # the person's (工号), on a leader's line

    @property
    def expected(self) -> int:
        return int((self.quota * self.progress).to_integral_value(rounding=ROUND_CEILING))

    @property
    def status(self) -> str:
        if self.count >= self.quota:
            return "met"
        return "on_track" if self.count >= self.expected else "behind"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def css(self) -> str:
        return STATUS_CSS[self.status]


def units_with_lines(*, unit_ids: set[int] | None):
    """The units `leader_lines` or `office_lines` would show a line for, in code order: what the quota page
    pages over, so a province's 3,000 units are counted once and only a page of them is read in full."""
    from zhaoshang.orgs.models import Person, Unit

    # The same filters as the two functions below, so every unit with a line is on exactly one page.
    leaders = Person.objects.filter(is_active=True, role__in=list(quotas()["visits"])).values("unit_id")
    units = Unit.objects.filter(Q(id__in=leaders) | Q(kind=UnitKind.RESIDENT_OFFICE, is_active=True))
    if unit_ids is not None:
        units = units.filter(id__in=unit_ids)
    return units.order_by("code")


def leader_lines(*, unit_ids: set[int] | None, year: int, as_of: dt.date) -> list[QuotaLine]:
    """Each active 党政主要负责人 and 分管领导: visits this year up to `as_of` against the quota."""
    from zhaoshang.orgs.models import Person, Unit

    q = quotas()["visits"]
    progress = progress_for(year, as_of)
    end = min(as_of, dt.date(year, 12, 31))
    people = Person.objects.filter(is_active=True, role__in=list(q)).order_by("unit__code", "role", "staff_no")
    if unit_ids is not None:
        people = people.filter(unit_id__in=unit_ids)
    people = people.annotate(n=Count("visits", filter=Q(visits__date__gte=dt.date(year, 1, 1),
                                                        visits__date__lte=end)))
    # Rows, not model instances, and each unit read once: a province's 27,623 leaders made as many Person and
    # Unit instances for every start page (1.4 s); one label per role, not one translation per person.
    rows = list(people.values_list("pk", "name", "role", "staff_no", "unit_id", "n"))
    units = Unit.objects.in_bulk({row[4] for row in rows})
    labels = {role: gettext("%(role)s走访对接") % {"role": PersonRole(role).label} for role in q}
    return [
        QuotaLine(unit=units[unit_id], subject=name, label=labels[role], count=n,
                  quota=q[role], progress=progress, key=f"visits-{pk}", staff_no=staff_no)
        for pk, name, role, staff_no, unit_id, n in rows
    ]


def office_lines(*, unit_ids: set[int] | None, year: int, as_of: dt.date) -> list[QuotaLine]:
    """Each resident office: recommendations (to main leaders) and events (with city leaders)."""
    from zhaoshang.orgs.models import Unit

    q = quotas()["resident_office"]
    progress = progress_for(year, as_of)
    start, end = dt.date(year, 1, 1), min(as_of, dt.date(year, 12, 31))
    offices = Unit.objects.filter(kind=UnitKind.RESIDENT_OFFICE, is_active=True).order_by("code")
    if unit_ids is not None:
        offices = offices.filter(id__in=unit_ids)
    in_year = Q(recommendations__date__gte=start, recommendations__date__lte=end)
    ev_year = Q(events__date__gte=start, events__date__lte=end)
    offices = offices.annotate(
        recommendations_n=Count("recommendations", filter=in_year, distinct=True),
        recommendations_main_n=Count(
            "recommendations", filter=in_year & Q(recommendations__target=RecommendTarget.MAIN), distinct=True),
        events_n=Count("events", filter=ev_year, distinct=True),
        events_with_city_leaders_n=Count("events", filter=ev_year & ~Q(events__city_leaders_present=""),
                                         distinct=True),
    )
    lines = []
    for office in offices:
        for key, label in OFFICE_LABELS.items():
            lines.append(QuotaLine(unit=office, subject=office.name, label=str(label),
                                   count=getattr(office, f"{key}_n"),
                                   quota=q[key], progress=progress, key=f"{key}-{office.pk}"))
    return lines
