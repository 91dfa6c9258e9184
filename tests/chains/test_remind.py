"""A missed meeting of a cadence and an overdue action item appear in `zhaoshang remind`, each for its unit."""

from __future__ import annotations

import datetime as dt

import pytest

from zhaoshang.activities.reminders import collect
from zhaoshang.chains.meetings import cadence_periods, missed_meetings
from zhaoshang.chains.models import ActionItem, Cadence, Meeting, MeetingSeries

pytestmark = pytest.mark.django_db
D = dt.date


def test_half_month_and_month_periods():
    periods = cadence_periods(Cadence.HALF_MONTH, D(2024, 2, 1), D(2024, 3, 20))
    assert [p[2] for p in periods] == ["2024年3月上半月", "2024年2月下半月", "2024年2月上半月"]
    assert periods[1][:2] == (D(2024, 2, 16), D(2024, 2, 29))
    assert [p[2] for p in cadence_periods(Cadence.MONTH, D(2024, 1, 1), D(2024, 3, 20))] == ["2024年2月", "2024年1月"]


def test_missed_meetings_and_overdue_actions_are_reminded(unit_a, unit_b, staff_b):
    series = MeetingSeries.objects.create(name="驻点招商工作调度会", kind="dispatch", cadence=Cadence.HALF_MONTH,
                                          organiser=unit_a, starts_on=D(2024, 2, 1))
    meeting = Meeting.objects.create(series=series, kind="dispatch", title="2月上半月调度会", date=D(2024, 2, 10),
                                     organiser=unit_a)
    ActionItem.objects.create(meeting=meeting, text="对接宁德某电池企业", owner_unit=unit_b, deadline=D(2024, 3, 1))
    ActionItem.objects.create(meeting=meeting, text="已办结的事项", owner_unit=unit_b, deadline=D(2024, 3, 1),
                              done=True)
    as_of = D(2024, 3, 20)
    assert [m.label for m in missed_meetings(as_of=as_of)] == ["2024年3月上半月", "2024年2月下半月"]
    items = collect(user=None, as_of=as_of).items
    meeting_lines = [r.text for r in items if r.kind == "meeting"]
    assert meeting_lines == ["驻点招商工作调度会 2024年3月上半月 未召开（应每半月召开一次）",
                             "驻点招商工作调度会 2024年2月下半月 未召开（应每半月召开一次）"]
    actions = [r for r in items if r.kind == "action"]
    assert len(actions) == 1 and actions[0].unit == unit_b and "逾期 19 天" in actions[0].text
    # B's user sees B's overdue item and not A's missed meetings.
    mine = collect(user=staff_b, as_of=as_of).items
    assert [r.kind for r in mine if r.kind in ("meeting", "action")] == ["action"]
