"""Meetings that drive the chains (Bole 002: 每半月召开1次驻点招商工作调度会，每月召开1次产业链例会): which
periods of a standing meeting passed without one, and which action items are overdue — for
`zhaoshang remind` (activities.reminders.reminder_providers) and the cockpit's red flags."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from zhaoshang.core.periods import month_end

from .models import ActionItem, Cadence, MeetingSeries

# How far back a missed meeting is still reported.
LOOKBACK_PERIODS = 6


def cadence_periods(cadence: str, start: dt.date, as_of: dt.date) -> list[tuple[dt.date, dt.date, str]]:
    """The periods of the cadence that ended before `as_of` and began on or after `start`'s period,
    latest first, at most LOOKBACK_PERIODS: (first day, last day, label)."""
    if cadence == Cadence.NONE:
        return []
    out = []
    y, m = as_of.year, as_of.month
    half = 2 if as_of.day > 15 else 1
    while len(out) < LOOKBACK_PERIODS:
        # step back one period from the current (unfinished) one
        if cadence == Cadence.HALF_MONTH:
            if half == 2:
                half = 1
            else:
                half, (y, m) = 2, ((y, m - 1) if m > 1 else (y - 1, 12))
            first = dt.date(y, m, 1 if half == 1 else 16)
            last = dt.date(y, m, 15) if half == 1 else month_end(y, m)
            label = (_("%(y)s年%(m)s月上半月") if half == 1 else _("%(y)s年%(m)s月下半月")) % {"y": y, "m": m}
        else:
            y, m = (y, m - 1) if m > 1 else (y - 1, 12)
            first, last, label = dt.date(y, m, 1), month_end(y, m), _("%(y)s年%(m)s月") % {"y": y, "m": m}
        if last < start:
            break
        out.append((first, last, label))
    return out


@dataclass
class MissedMeeting:
    series: MeetingSeries
    first: dt.date
    last: dt.date
    label: str


def missed_meetings(*, as_of: dt.date, unit_ids: set[int] | None = None) -> list[MissedMeeting]:
    out = []
    series = MeetingSeries.objects.filter(is_active=True).select_related("organiser")
    if unit_ids is not None:
        series = series.filter(organiser_id__in=unit_ids)
    for s in series:
        held = list(s.meetings.filter(date__lte=as_of).values_list("date", flat=True))
        for first, last, label in cadence_periods(s.cadence, s.starts_on, as_of):
            if not any(first <= d <= last for d in held):
                out.append(MissedMeeting(s, first, last, label))
    return out


def overdue_actions(*, as_of: dt.date, unit_ids: set[int] | None = None):
    qs = ActionItem.objects.filter(done=False, deadline__lt=as_of).select_related("owner_unit", "owner", "meeting")
    if unit_ids is not None:
        qs = qs.filter(owner_unit_id__in=unit_ids)
    return qs.order_by("deadline", "id")


def reminders(*, unit_ids, as_of):
    """Registered in activities.reminders.reminder_providers (ChainsConfig.ready)."""
    from zhaoshang.activities.reminders import Reminder

    out = []
    for miss in missed_meetings(as_of=as_of, unit_ids=unit_ids):
        out.append(Reminder(
            miss.series.organiser, "meeting",
            _("%(series)s %(period)s 未召开（应%(cadence)s召开一次）")
            % {"series": miss.series.name, "period": miss.label, "cadence": miss.series.get_cadence_display()},
            "chains:meeting_list", ()))
    for item in overdue_actions(as_of=as_of, unit_ids=unit_ids):
        out.append(Reminder(
            item.owner_unit, "action",
            _("会议督办事项“%(text)s”逾期 %(days)s 天未办结（时限 %(deadline)s，责任人 %(owner)s，%(meeting)s）")
            % {"text": item.text[:60], "days": (as_of - item.deadline).days,
               "deadline": f"{item.deadline:%Y-%m-%d}", "owner": item.owner.name if item.owner else "—",
               "meeting": item.meeting.title},
            "chains:meeting_detail", (item.meeting_id,)))
    return out
