"""What is overdue, for the reminders page and the daily `zhaoshang remind` command: submissions
not sent (or returned and not resent) after their deadline, projects with no progress for N days by
stage, and quotas behind the time schedule; higher layers add theirs through `reminder_providers`
(integrity: overdue 整改). A unit user sees their own units; the office sees all.

The stale-project thresholds can be changed in settings, e.g.
REMIND_STALE_DAYS = {"negotiating": 45, "signed": 20}:
- negotiating: a project 在谈 (not signed) not updated for 45 days;
- signed: a project signed but not registered (签约未注册) 20 days after signing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from zhaoshang.core.periods import SHANGHAI
from zhaoshang.ledger.choices import Stage, Status
from zhaoshang.orgs.models import Unit, User
from zhaoshang.orgs.scope import visible_unit_ids

from . import quotas, selectors

DEFAULT_STALE_DAYS = {"negotiating": 45, "signed": 20}
PROJECTS_SHOWN = 20  # stale projects listed one by one per unit and kind; the rest are one line


def stale_days() -> dict[str, int]:
    return {**DEFAULT_STALE_DAYS, **(getattr(settings, "REMIND_STALE_DAYS", {}) or {})}


@dataclass
class Reminder:
    unit: Unit
    kind: str  # submission | project | quota | rectification (整改, from integrity)
    text: str
    url_name: str = ""
    url_args: tuple = ()
    count: int = 1  # overdue things it stands for: more than one for "另有 N 个项目…"


@dataclass
class Reminders:
    as_of: dt.date
    items: list[Reminder] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Overdue things in all (a unit's projects past PROJECTS_SHOWN are one line that counts them all)."""
        return sum(r.count for r in self.items)

    def by_kind(self, kind: str) -> list[Reminder]:
        return [r for r in self.items if r.kind == kind]

    def by_unit(self) -> dict[Unit, list[Reminder]]:
        # Grouped by the unit's id: hashing a model instance for each of a province's 100,000 lines cost more
        # than the grouping itself.
        grouped: dict[int, list[Reminder]] = {}
        unit_of: dict[int, Unit] = {}
        for r in sorted(self.items, key=lambda r: (r.unit.code, r.kind)):
            pk = r.unit.pk
            if pk not in grouped:
                grouped[pk], unit_of[pk] = [], r.unit
            grouped[pk].append(r)
        return {unit_of[pk]: rs for pk, rs in grouped.items()}


# Higher layers add their own overdue items (integrity: overdue 整改) by registering a provider here,
# called as provider(unit_ids=…, as_of=…) with the ids in scope (None: every unit) and returning
# Reminders; activities never imports them.
reminder_providers: list[Callable[..., list[Reminder]]] = []


def _units(ids: set[int] | None):
    qs = Unit.objects.filter(is_active=True).order_by("code")
    if ids is not None:
        qs = qs.filter(id__in=ids)
    return qs


def _overdue_submissions(ids: set[int] | None, units: list[Unit], as_of: dt.date, months: int):
    """(unit, period, due date, returned?) for every past-due month without a submission that stands (missing or
    returned and not resent)."""
    from .services import months_due

    scope = selectors.Submission.objects.all() if ids is None else selectors.Submission.objects.filter(unit_id__in=ids)
    scope = scope.annotate(last_action=selectors._last_step("action"))
    for period in months_due(as_of, months=months):
        subs = {s.unit_id: s for s in scope.filter(period=period)}
        period_due = selectors_due(period)  # once a period, not once a unit (3,000 queries a month)
        for u in units:
            sub = subs.get(u.pk)
            if sub is not None and sub.submitted_at is not None:
                continue
            due = sub.due_date if sub else None
            if sub is not None and due >= as_of:
                continue
            yield u, period, due or period_due, sub is not None and sub.last_action == "returned"


def _stale_kinds(ids: set[int] | None, as_of: dt.date):
    """(projects without progress, the date they are idle since, the threshold's key, the line for one, the line
    for the rest of a unit's) for each kind: 在谈 not updated, 签约 not registered."""
    from zhaoshang.ledger.models import Project

    days = stale_days()
    # The live projects as the partial index `project_stale` states them (two tests), so the planner uses it.
    projects = Project.objects.exclude(status=Status.TERMINATED).exclude(status=Status.LOST)
    if ids is not None:
        projects = projects.filter(lead_unit_id__in=ids)
    neg_cut = as_of - dt.timedelta(days=days["negotiating"])
    sig_cut = as_of - dt.timedelta(days=days["signed"])
    # Last updated on neg_cut or before (Shanghai's day), as a range of the column itself so that the
    # database can walk its index (`project_stale`) rather than convert every row's time to a date.
    neg_before = dt.datetime.combine(neg_cut + dt.timedelta(days=1), dt.time(0), tzinfo=SHANGHAI)
    return (
        (projects.filter(stage=Stage.NONE, updated_at__lt=neg_before), "updated_at", "negotiating",
         _("项目 %(code)s %(name)s 在谈 %(idle)s 天无进展（超过 %(limit)s 天）"),
         _("另有 %(n)s 个项目在谈超过 %(limit)s 天无进展")),
        (projects.filter(Q(stage=Stage.SIGNED), signed_on__lte=sig_cut), "signed_on", "signed",
         _("项目 %(code)s %(name)s 签约 %(idle)s 天仍未注册（超过 %(limit)s 天）"),
         _("另有 %(n)s 个项目签约超过 %(limit)s 天仍未注册")),
    )


def _quota_lines(ids: set[int] | None, as_of: dt.date) -> list:
    return (quotas.leader_lines(unit_ids=ids, year=as_of.year, as_of=as_of)
            + quotas.office_lines(unit_ids=ids, year=as_of.year, as_of=as_of))


def collect(*, user: User | None, as_of: dt.date, months: int = 12) -> Reminders:
    """Everything overdue as of `as_of` in the user's scope (`user=None`: every unit, for the command)."""
    ids = None if user is None else visible_unit_ids(user)
    out = Reminders(as_of=as_of)
    units = list(_units(ids))
    unit_by_id = {u.pk: u for u in units}

    # Each sentence translated once, not once a line (a province's lines run to a hundred thousand).
    returned_text = _("%(period)s 台账退回修改后尚未重新报送（截止 %(due)s）")
    missing_text = _("%(period)s 台账逾期未报送（截止 %(due)s）")
    for u, period, due, returned in _overdue_submissions(ids, units, as_of, months):
        values = {"period": period, "due": f"{due:%Y-%m-%d}"}
        text = (returned_text if returned else missing_text) % values
        out.items.append(Reminder(u, "submission", text, "activities:submission_list", ()))

    # Projects without progress: the first PROJECTS_SHOWN of a unit by code, and one line for the rest (a
    # province had hundreds of thousands: a 78 MB page built in minutes).
    days = stale_days()
    all_units = {}
    for qs, since, limit_key, text, rest_text in _stale_kinds(ids, as_of):
        rows = (qs.order_by().annotate(
            rank=Window(RowNumber(), partition_by=F("lead_unit_id"), order_by=F("code").asc()),
            in_unit=Window(Count("id"), partition_by=F("lead_unit_id")))
            .filter(rank__lte=PROJECTS_SHOWN).values_list("id", "code", "name", "lead_unit_id", since, "in_unit")
            .order_by("lead_unit_id", "code"))
        rows = list(rows)
        missing = {r[3] for r in rows} - set(unit_by_id) - set(all_units)
        all_units.update(Unit.objects.in_bulk(missing))  # inactive units still hold projects
        limit = days[limit_key]
        shown: dict[int, int] = {}
        for pk, code, name, unit_id, when, in_unit in rows:
            unit = unit_by_id.get(unit_id) or all_units[unit_id]
            day = when.astimezone(SHANGHAI).date() if isinstance(when, dt.datetime) else when
            out.items.append(Reminder(unit, "project", text % {"code": code, "name": name,
                                                              "idle": (as_of - day).days, "limit": limit},
                                      "ledger:project_detail", (pk,)))
            shown[unit_id] = shown.get(unit_id, 0) + 1
            if shown[unit_id] == PROJECTS_SHOWN and in_unit > PROJECTS_SHOWN:
                out.items.append(Reminder(unit, "project", rest_text % {"n": in_unit - PROJECTS_SHOWN,
                                                                        "limit": limit},
                                          "ledger:project_list", (), count=in_unit - PROJECTS_SHOWN))

    # Quotas behind the time schedule.
    behind_text = _("%(subject)s %(label)s %(count)s/%(quota)s，按时序进度应达 %(expected)s")
    for line in _quota_lines(ids, as_of):
        if line.status == "behind" and line.unit.pk in unit_by_id:
            out.items.append(Reminder(
                line.unit, "quota",
                behind_text % {"subject": line.subject, "label": line.label, "count": line.count,
                               "quota": line.quota, "expected": line.expected},
                "activities:quotas", ()))

    for provider in reminder_providers:
        out.items.extend(r for r in provider(unit_ids=ids, as_of=as_of) if ids is None or r.unit.pk in ids)
    return out


def count_overdue(*, user: User, as_of: dt.date, quota_lines: list | None = None, months: int = 12) -> int:
    """`collect(…).total` without writing a line of it: the start page shows only the number. Stale projects
    are counted (not ranked and listed per unit), and the quota lines the page has already read are reused — at
    2,000,000 projects the page took 4.5 s building the whole list to count it."""
    ids = visible_unit_ids(user)
    units = list(_units(ids))
    active = {u.pk for u in units}
    total = sum(1 for _ in _overdue_submissions(ids, units, as_of, months))
    total += sum(qs.count() for qs, *_ in _stale_kinds(ids, as_of))
    lines = _quota_lines(ids, as_of) if quota_lines is None else quota_lines
    total += sum(1 for line in lines if line.status == "behind" and line.unit.pk in active)
    for provider in reminder_providers:
        total += sum(r.count for r in provider(unit_ids=ids, as_of=as_of) if ids is None or r.unit.pk in ids)
    return total


def selectors_due(period: str) -> dt.date:
    from .services import due_date_for

    return due_date_for(period)
