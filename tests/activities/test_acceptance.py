"""The issue's acceptance points, tried as a new user would."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from tests.assessment.helpers import by_code, points
from tests.factories import ProjectFactory, UnitFactory, UnitGroupFactory, UserFactory
from zhaoshang.activities import selectors, services, snapshots
from zhaoshang.activities.choices import SubmissionAction
from zhaoshang.activities.models import Submission
from zhaoshang.assessment.engine.run import run_scheme, to_json
from zhaoshang.assessment.engine.scheme import load_preset
from zhaoshang.ledger import services as ledger_services
from zhaoshang.orgs.choices import UserRole

from .conftest import at

pytestmark = pytest.mark.django_db


def cell(html: str, staff_no: str, field: str) -> str:
    row = re.search(rf'<tr data-staff="{staff_no}">(.*?)</tr>', html, re.S)[1]
    return re.search(rf'data-field="{field}"[^>]*?(?:data-value="([^"]*)")?>\s*([^<]*)', row, re.S).groups()


# 1. A month of attendance and logs → days on station, the 26-day rule, the subsidy to the yuan.

def test_office_month_shows_days_rule_and_subsidy(client, office, office_staff, office_people):
    director, liaison = office_people
    # March 2024 has 31 days. The director is on station 1–27 (27 days); the liaison 1–20 and then
    # not recorded (20 days): short by 6.
    services.attendance_month_set(user=office_staff, person=director, year=2024, month=3,
                                  days={d: True for d in range(1, 28)})
    services.attendance_month_set(user=office_staff, person=liaison, year=2024, month=3,
                                  days={d: True for d in range(1, 21)})
    for day, firm in ((4, "博乐石材有限公司"), (11, "某某新能源汽车零部件公司")):
        services.worklog_create(user=office_staff, unit=office, date=dt.date(2024, 3, day), enterprises=firm,
                                contacts="对接投资部负责人", results="有意向来博考察")

    client.force_login(office_staff)
    html = client.get(f"/work/offices/{office.pk}/?month=2024-03").content.decode()
    assert cell(html, "BJ-1", "on_station")[1].strip() == "27"
    assert cell(html, "BJ-1", "rule")[0] == "pass"
    assert cell(html, "BJ-1", "subsidy")[0] == "2160"  # 27 × 80 元
    assert cell(html, "BJ-2", "on_station")[1].strip() == "20"
    assert cell(html, "BJ-2", "rule")[0] == "fail"
    assert "差 6 天" in html
    assert cell(html, "BJ-2", "subsidy")[0] == "1600"  # 20 × 80 元
    assert 'data-total="subsidy" data-value="3760"' in html  # 47 person-days × 80 = 3,760 元
    assert "博乐石材有限公司" in html and "某某新能源汽车零部件公司" in html


def test_rotation_days_count_towards_the_month(office, office_staff, office_people):
    from zhaoshang.activities import attendance

    director, _ = office_people
    # July 2024: 12 days' rotation (1–12) and 19 days on station: 19 + 12 = 31 ≥ 26, and the quarter's
    # rotation is one block of 12 days. A second rotation of 2 days in August breaks the quarter rule
    # and does not count towards August.
    days = {d: d > 12 for d in range(1, 32)}
    services.attendance_month_set(user=office_staff, person=director, year=2024, month=7, days=days)
    aug = {d: True for d in range(1, 25)} | {25: False, 26: False}
    services.attendance_month_set(user=office_staff, person=director, year=2024, month=8, days=aug)
    today = dt.date(2024, 12, 31)
    july = attendance.month_rows([director], 2024, 7, today)[0]
    assert (july.on_station, july.rotation, july.allowed_rotation, july.passes) == (19, 12, 12, True)
    august = attendance.month_rows([director], 2024, 8, today)[0]
    assert (august.on_station, august.allowed_rotation, august.passes, august.shortfall) == (24, 0, False, 2)
    q3 = attendance.quarter_rows([director], "2024Q3")[0]
    assert (q3.rotation, q3.blocks, q3.passes) == (14, 2, False)
    assert q3.problems == ["轮休14天，超过12天", "轮休分2次，应集中一次"]


# 2. March on time, April late → the records, and both presets deduct for April without manual entry.

def _submit_march_and_april(unit):
    head = UserFactory(username=f"head_{unit.code}", role=UserRole.UNIT_HEAD, unit=unit)
    services.submission_submit(user=head, unit=unit, period="2024-03", at=at("2024-04-05 16:30"))
    services.submission_submit(user=head, unit=unit, period="2024-04", at=at("2024-05-08 09:10"))
    return head


def test_on_time_and_late_records(office):
    _submit_march_and_april(office)
    march, april = Submission.objects.filter(unit=office).order_by("period")
    assert (march.due_date, april.due_date) == (dt.date(2024, 4, 5), dt.date(2024, 5, 5))
    now = dt.date(2024, 6, 1)
    assert selectors.timeliness(march, march.due_date, now) == "on_time"
    assert selectors.timeliness(april, april.due_date, now) == "late"


def test_bole_deducts_for_the_late_month(office):
    _submit_march_and_april(office)
    data = to_json(run_scheme(load_preset("bole-2023"), "2024", dt.date(2024, 6, 30)))
    # 日常工作 10 − 0.5 × 1 (April late) = 9.50
    assert points(by_code(data)["BJ"])["daily"] == Decimal("9.50")
    late = next(i for i in by_code(data)["BJ"]["items"] if i["key"] == "daily")
    assert "1" in late["explain"]


def test_zhengzhou_deducts_for_the_late_month():
    zone = UnitFactory(code="ZZ", name="航空港区", kind="dev_zone", group=UnitGroupFactory(code="G-K", name="重点地区"))
    _submit_march_and_april(zone)
    data = to_json(run_scheme(load_preset("zhengzhou-2019"), "2024", dt.date(2024, 6, 30)))
    assert points(by_code(data)["ZZ"])["submissions"] == Decimal("-1.00")


def test_without_the_late_month_there_is_no_deduction(office):
    head = UserFactory(username="head_ontime", role=UserRole.UNIT_HEAD, unit=office)
    services.submission_submit(user=head, unit=office, period="2024-03", at=at("2024-04-05 23:59"))
    data = to_json(run_scheme(load_preset("bole-2023"), "2024", dt.date(2024, 6, 30)))
    assert points(by_code(data)["BJ"])["daily"] == Decimal("10.00")


# 3. A returned submission is corrected and resubmitted: the snapshots differ exactly by the correction.

def test_return_correct_resubmit(office, assessor):
    head = UserFactory(username="bj_head2", role=UserRole.UNIT_HEAD, unit=office)
    project = ProjectFactory(lead_unit=office, code="XM-BJ-1", name="数字经济总部项目", signed_amount=Decimal("50000"),
                             signed_on=dt.date(2024, 3, 10))
    ProjectFactory(lead_unit=office, code="XM-BJ-2", name="装备制造项目", signed_on=dt.date(2024, 1, 10))
    sub = services.submission_submit(user=head, unit=office, period="2024-03", at=at("2024-04-02 10:00"))
    services.submission_return(user=assessor, submission=sub, reason="XM-BJ-1 签约金额与合同不符",
                               at=at("2024-04-03 09:00"))
    sub.refresh_from_db()
    assert sub.submitted_at is None  # returned: not submitted until corrected

    project.refresh_from_db()
    ledger_services.project_update(user=head, project=project, expected_version=project.version,
                                   signed_amount=Decimal("45000"))
    services.submission_submit(user=head, unit=office, period="2024-03", at=at("2024-04-04 11:00"))

    sub.refresh_from_db()
    assert sub.submitted_at == at("2024-04-04 11:00")
    assert [s.action for s in sub.steps.order_by("at")] == [
        SubmissionAction.SUBMITTED, SubmissionAction.RETURNED, SubmissionAction.RESUBMITTED]
    assert sub.steps.get(action=SubmissionAction.RETURNED).reason == "XM-BJ-1 签约金额与合同不符"
    first, second = sub.snapshots.order_by("taken_at")
    d = snapshots.diff(first.data, second.data)
    assert d["projects"]["changed"] == [{"key": "XM-BJ-1", "fields": [
        {"field": "signed_amount", "label": "签约金额(万元)", "old": "50000", "new": "45000"}]}]
    assert not d["projects"]["added"] and not d["projects"]["removed"]
    assert all(section["empty"] for name, section in d.items() if name != "projects")
    assert first.sha256 == snapshots.digest(first.data) != second.sha256


def test_submission_pages_show_the_cycle(client, office, assessor):
    head = _submit_march_and_april(office)
    april = Submission.objects.get(unit=office, period="2024-04")
    client.force_login(assessor)
    html = client.get("/work/submissions/?period=2024-04").content.decode()
    assert re.search(r'data-unit="BJ" data-timeliness="late"', html)
    response = client.post(f"/work/submissions/{april.pk}/return/", {"reason": "缺少4月到位资金凭证"})
    assert response.status_code == 302
    client.force_login(head)
    html = client.get(f"/work/submissions/{april.pk}/").content.decode()
    assert "缺少4月到位资金凭证" in html and 'id="submission-resubmit"' in html
    client.post(f"/work/submissions/{april.pk}/resubmit/")
    april.refresh_from_db()
    assert april.submitted_at is not None and april.steps.count() == 3
