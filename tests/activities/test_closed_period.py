"""Closed periods (结账) in the daily work: a unit user may not write visits, recommendations, events,
attendance, work logs, expenses or submissions dated in a closed period; an assessor may, with a
reason, and the write is kept as a `Correction`; writes outside it (or changing nothing) pass."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import PersonFactory
from zhaoshang.activities import services
from zhaoshang.activities.models import Attendance, Expense, PromotionEvent, Recommendation, Submission, Visit, WorkLog
from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.orgs.choices import PersonRole
from zhaoshang.periods.closing import period_close
from zhaoshang.periods.models import Correction

from .conftest import at

pytestmark = pytest.mark.django_db

CLOSED = "2024年第一季度已结账，日期在该期间内的记录不能再修改；如需更正，请联系考核办"
Q1, Q2 = dt.date(2024, 2, 10), dt.date(2024, 4, 10)


@pytest.fixture
def head(unit_a):
    return PersonFactory(unit=unit_a, role=PersonRole.PARTY_GOV_HEAD, name="书记")


@pytest.fixture
def visit(staff_a, unit_a, head):
    return services.visit_create(user=staff_a, date=Q1, unit=unit_a, leader=head, enterprise="甲公司")


@pytest.fixture
def closed_q1(assessor, visit):
    return period_close(user=assessor, period="2024Q1")


def test_unit_user_refused_for_visits_recommendations_events(staff_a, unit_a, head, visit, closed_q1):
    with pytest.raises(PermissionDeniedError, match=CLOSED):
        services.visit_create(user=staff_a, date=Q1, unit=unit_a, leader=head, enterprise="乙公司")
    with pytest.raises(PermissionDeniedError, match=CLOSED):
        services.visit_update(user=staff_a, visit=visit, enterprise="改名")
    with pytest.raises(PermissionDeniedError, match=CLOSED):
        services.visit_update(user=staff_a, visit=Visit.objects.get(), date=Q2)  # moving it out is a change too
    with pytest.raises(PermissionDeniedError, match=CLOSED):
        services.visit_delete(user=staff_a, visit=Visit.objects.get())
    with pytest.raises(PermissionDeniedError, match=CLOSED):
        services.recommendation_create(user=staff_a, date=Q1, unit=unit_a, enterprise="丙", target="main")
    with pytest.raises(PermissionDeniedError, match=CLOSED):
        services.event_create(user=staff_a, code="E-Q1", date=Q1, name="推介会", level="county", host_unit=unit_a)
    v = Visit.objects.get()
    assert (v.date, v.enterprise) == (Q1, "甲公司")
    assert not Recommendation.objects.exists() and not PromotionEvent.objects.exists()
    assert not Correction.objects.exists()
    # outside the closed period, and an update that changes nothing, pass
    services.visit_create(user=staff_a, date=Q2, unit=unit_a, leader=head, enterprise="乙公司")
    services.visit_update(user=staff_a, visit=v, enterprise="甲公司")
    rec = services.recommendation_create(user=staff_a, date=Q2, unit=unit_a, enterprise="丙", target="main")
    with pytest.raises(PermissionDeniedError, match=CLOSED):
        services.recommendation_update(user=staff_a, recommendation=rec, date=Q1)
    event = services.event_create(user=staff_a, code="E-Q2", date=Q2, name="推介会", level="county", host_unit=unit_a)
    with pytest.raises(PermissionDeniedError, match=CLOSED):
        services.event_update(user=staff_a, event=event, date=Q1)
    assert not Correction.objects.exists()


def test_assessor_needs_a_reason_and_corrections_are_kept(assessor, unit_a, head, visit, closed_q1):
    with pytest.raises(ApplicationError, match="更正理由") as exc:
        services.visit_update(user=assessor, visit=visit, enterprise="甲公司（更正）")
    assert "correction_reason" in exc.value.field_errors
    visit.refresh_from_db()
    services.visit_update(user=assessor, visit=visit, enterprise="甲公司（更正）", correction_reason="企业名称录错")
    services.recommendation_create(user=assessor, date=Q1, unit=unit_a, enterprise="丙", target="main",
                                   correction_reason="漏报补录")
    services.event_create(user=assessor, code="E-Q1", date=Q1, name="推介会", level="county", host_unit=unit_a,
                          correction_reason="漏报补录")
    services.visit_delete(user=assessor, visit=Visit.objects.get(), correction_reason="重复录入")
    found = [(c.record, c.action, c.project_code, c.record_date, c.reason, c.project) for c in
             Correction.objects.order_by("id")]
    assert found == [
        ("走访", "修改", "A01", Q1, "企业名称录错", None),
        ("推荐考察", "新增", "A01", Q1, "漏报补录", None),
        ("招商活动", "新增", "E-Q1", Q1, "漏报补录", None),
        ("走访", "删除", "A01", Q1, "重复录入", None),
    ]
    first = Correction.objects.order_by("id").first()
    assert first.project_name == "甲公司（更正）" and "甲公司 → 甲公司（更正）" in first.summary
    assert first.user == assessor and first.period == closed_q1


def test_resident_office_attendance_logs_and_expenses(office, office_staff, office_people, assessor, closed_q1):
    director, _ = office_people
    with pytest.raises(PermissionDeniedError, match=CLOSED):
        services.attendance_month_set(user=office_staff, person=director, year=2024, month=3, days={1: True})
    with pytest.raises(PermissionDeniedError, match=CLOSED):
        services.worklog_create(user=office_staff, unit=office, date=Q1, enterprises="甲公司")
    with pytest.raises(PermissionDeniedError, match=CLOSED):
        services.expense_create(user=office_staff, unit=office, date=Q1, category="reception",
                                amount=Decimal("100"), description="接待")
    assert not Attendance.objects.exists() and not WorkLog.objects.exists() and not Expense.objects.exists()
    assert services.attendance_month_set(user=office_staff, person=director, year=2024, month=4, days={1: True}) == 1
    services.attendance_month_set(user=assessor, person=director, year=2024, month=3, days={1: True, 2: False},
                                  correction_reason="补登")
    services.worklog_create(user=assessor, unit=office, date=Q1, enterprises="甲公司", correction_reason="补登")
    services.expense_create(user=assessor, unit=office, date=Q1, category="reception", amount=Decimal("100"),
                            description="接待", correction_reason="补登")
    assert sorted(Correction.objects.values_list("record", "action", "record_date")) == [
        ("出勤", "新增", dt.date(2024, 3, 1)), ("出勤", "新增", dt.date(2024, 3, 2)),
        ("工作日志", "新增", Q1), ("经费支出", "新增", Q1)]
    assert Attendance.objects.filter(date__month=3).count() == 2


def test_submissions_of_a_closed_month(office, office_head, assessor, closed_q1):
    with pytest.raises(PermissionDeniedError, match=CLOSED):
        services.submission_submit(user=office_head, unit=office, period="2024-03", at=at("2024-04-02 09:00"))
    assert not Submission.objects.exists()
    services.submission_submit(user=office_head, unit=office, period="2024-04", at=at("2024-05-02 09:00"))
    with pytest.raises(ApplicationError, match="更正理由"):
        services.deadline_set(user=assessor, period="2024-02", due_date=dt.date(2024, 3, 10))
    services.deadline_set(user=assessor, period="2024-02", due_date=dt.date(2024, 3, 10), correction_reason="延期")
    c = Correction.objects.get()
    assert (c.record, c.record_date, c.reason) == ("报送截止日期", dt.date(2024, 2, 1), "延期")


def test_forms_offer_the_reason_to_assessors_only(client, staff_a, assessor, unit_a, head, visit, closed_q1):
    client.force_login(staff_a)
    page = client.get(reverse("activities:visits_edit", args=[visit.pk])).content.decode()
    assert 'name="correction_reason"' not in page
    response = client.post(reverse("activities:visits_create"), {
        "date": "2024-02-11", "unit": unit_a.pk, "leader": head.pk, "enterprise": "乙公司", "matter": ""})
    assert response.status_code == 403 and CLOSED in response.content.decode()
    client.force_login(assessor)
    page = client.get(reverse("activities:visits_edit", args=[visit.pk])).content.decode()
    assert 'name="correction_reason"' in page
    data = {"date": "2024-02-10", "unit": unit_a.pk, "leader": head.pk, "enterprise": "甲公司（更正）", "matter": ""}
    response = client.post(reverse("activities:visits_edit", args=[visit.pk]), data)
    assert response.status_code == 200 and "更正理由" in response.content.decode()
    response = client.post(reverse("activities:visits_edit", args=[visit.pk]), data | {"correction_reason": "录错"})
    assert response.status_code == 302
    assert Correction.objects.get().reason == "录错"
    assert Visit.objects.get().enterprise == "甲公司（更正）"


def test_delete_page_refuses_without_a_reason(client, assessor, visit, closed_q1):
    client.force_login(assessor)
    response = client.post(reverse("activities:visits_delete", args=[visit.pk]))
    assert response.status_code == 302 and response.url == reverse("activities:visits_edit", args=[visit.pk])
    assert Visit.objects.filter(pk=visit.pk).exists()
    client.post(reverse("activities:visits_delete", args=[visit.pk]), {"correction_reason": "重复录入"})
    assert not Visit.objects.filter(pk=visit.pk).exists()
    assert Correction.objects.get().action == "删除"
