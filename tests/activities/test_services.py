"""Rules of the daily work, one outcome per test."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from openpyxl import load_workbook

from tests.factories import PersonFactory, ProjectFactory, UserFactory
from zhaoshang.activities import money, quotas, reminders, services
from zhaoshang.activities.models import Submission
from zhaoshang.assessment.engine.measures import Window, compute
from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.periods import today
from zhaoshang.orgs.choices import PersonRole, UserRole

from .conftest import at

pytestmark = pytest.mark.django_db


def test_quota_counts_and_schedule(staff_a, unit_a, office, office_staff):
    head = PersonFactory(unit=unit_a, role=PersonRole.PARTY_GOV_HEAD, name="书记")
    for month in (1, 2):
        services.visit_create(user=staff_a, date=dt.date(2024, month, 3), unit=unit_a, leader=head, enterprise="甲")
    mid_year = dt.date(2024, 7, 1)  # 时序进度 ≈ 50%: 4 × 0.5 = 2 expected
    line = quotas.leader_lines(unit_ids=None, year=2024, as_of=mid_year)[0]
    assert (line.count, line.quota, line.expected, line.status) == (2, 4, 2, "on_track")
    line = quotas.leader_lines(unit_ids=None, year=2024, as_of=dt.date(2024, 10, 1))[0]
    assert line.status == "behind" and line.css == "danger"
    for i in range(11):
        services.recommendation_create(user=office_staff, date=dt.date(2024, 3, 1 + i), unit=office,
                                       enterprise=f"企业{i}", target="main" if i < 10 else "division")
    services.event_create(user=office_staff, code="E-BJ-1", date=dt.date(2024, 5, 1), name="北京推介会",
                          level="prefecture", host_unit=office, city_leaders_present="黄连军")
    lines = {x.label: x for x in quotas.office_lines(unit_ids=None, year=2024, as_of=mid_year)}
    assert (lines["推荐领导考察项目"].count, lines["推荐领导考察项目"].status) == (11, "behind")  # 11 < 15
    assert lines["其中推荐主要领导考察"].status == "met"
    assert (lines["举办招商推介活动"].count, lines["举办招商推介活动"].status) == (1, "on_track")
    assert lines["其中邀请市领导参加"].status == "met"


def test_subsidy_waits_for_last_quarters_settlement(office, office_staff, office_head, office_people, assessor):
    director, liaison = office_people
    services.attendance_month_set(user=office_staff, person=director, year=2024, month=3,
                                  days={d: True for d in range(1, 27)})
    services.attendance_month_set(user=office_staff, person=liaison, year=2024, month=4,
                                  days={d: True for d in range(1, 29)})
    expense = services.expense_create(user=office_staff, unit=office, date=dt.date(2024, 3, 20), category="reception",
                                      amount=Decimal("1280.50"), description="接待来博考察企业")
    with pytest.raises(ApplicationError, match="2024Q1 的费用尚未核销"):
        services.subsidy_pay(user=assessor, unit=office, quarter="2024Q2")
    with pytest.raises(ApplicationError, match="未审批"):
        services.quarter_settle(user=office_head, unit=office, quarter="2024Q1")
    with pytest.raises(PermissionDeniedError):
        services.expense_decide(user=office_staff, expense=expense, approve=True)
    services.expense_decide(user=office_head, expense=expense, approve=True)
    settlement = services.quarter_settle(user=office_head, unit=office, quarter="2024Q1")
    assert settlement.expenses_total == Decimal("1280.50")
    with pytest.raises(ApplicationError, match="已核销"):
        services.expense_create(user=office_staff, unit=office, date=dt.date(2024, 3, 21), category="travel",
                                amount=1, description="补录")
    payment = services.subsidy_pay(user=assessor, unit=office, quarter="2024Q2")
    assert (payment.person_days, payment.amount) == (28, Decimal("2240"))  # 28 × 80 元


def test_budget_in_wan_expenses_in_yuan(office, office_staff, office_head, assessor):
    services.budget_set(user=assessor, unit=office, year=2024, amount=Decimal("0.5"))  # 0.5 万元 = 5000 元
    ok = services.expense_create(user=office_staff, unit=office, date=dt.date(2024, 2, 1), category="travel",
                                 amount=Decimal("4000"), description="赴京差旅")
    over = services.expense_create(user=office_staff, unit=office, date=dt.date(2024, 2, 2), category="meals",
                                   amount=Decimal("1000.01"), description="伙食")
    services.expense_decide(user=office_head, expense=ok, approve=True)
    with pytest.raises(ApplicationError, match="超过定额包干经费 5,000.00 元"):
        services.expense_decide(user=office_head, expense=over, approve=True)
    summary = money.budget_summary(office, 2024)
    assert (summary.budget_yuan, summary.approved_yuan, summary.remaining_yuan) == (
        Decimal("5000.00"), Decimal("4000"), Decimal("1000.00"))


def test_deadline_set_moves_the_due_date_the_measure_reads(office, assessor):
    head = UserFactory(username="h", role=UserRole.UNIT_HEAD, unit=office)
    services.submission_submit(user=head, unit=office, period="2024-03", at=at("2024-04-08 10:00"))
    w = Window(dt.date(2024, 1, 1), dt.date(2024, 12, 31), dt.date(2024, 12, 31))
    assert compute("late_submissions", {}, w, "unit")[office.pk] == 1
    services.deadline_set(user=assessor, period="2024-03", due_date=dt.date(2024, 4, 10), note="清明节顺延")
    assert Submission.objects.get(unit=office).due_date == dt.date(2024, 4, 10)
    assert compute("late_submissions", {}, w, "unit").get(office.pk, 0) == 0
    with override_settings(SUBMISSION_DUE_DAY=10):
        assert services.due_date_for("2024-05") == dt.date(2024, 6, 10)


def test_missing_months_are_recorded_and_counted(office, unit_b):
    created = services.submissions_open(as_of=dt.date(2024, 3, 20), months=3)
    # Due dates passed by 03-20: 2023-12 (01-05), 2024-01 (02-05), 2024-02 (03-05) for both units.
    assert created == 6
    assert services.submissions_open(as_of=dt.date(2024, 3, 20), months=3) == 0
    w = Window(dt.date(2024, 1, 1), dt.date(2024, 12, 31), dt.date(2024, 3, 20))
    assert compute("late_submissions", {}, w, "unit")[office.pk] == 2


def test_reminders_and_the_command(staff_a, unit_a, unit_b, assessor):
    UserFactory(username="a_mail", role=UserRole.UNIT_STAFF, unit=unit_a, email="a@example.org")
    UserFactory(username="office_mail", role=UserRole.ASSESSOR, email="office@example.org")
    ProjectFactory(lead_unit=unit_a, code="XM-STALE", name="签约未注册项目", signed_on=dt.date(2024, 1, 2))
    as_of = dt.date(2024, 3, 1)
    found = reminders.collect(user=staff_a, as_of=as_of)
    assert {r.unit.code for r in found.items} == {"A01"}  # staff_a sees only their own unit
    texts = [r.text for r in found.items]
    assert any("XM-STALE" in t and "仍未注册" in t for t in texts)
    assert any(t.startswith("2024-01 台账逾期未报送") for t in texts)
    assert {r.unit.code for r in reminders.collect(user=assessor, as_of=as_of).items} == {"A01", "B01"}
    out = StringIO()
    call_command("remind", "--date", "2024-03-01", "--email", stdout=out)
    assert "XM-STALE" in out.getvalue()
    assert {tuple(m.to) for m in mail.outbox} == {("a@example.org",), ("office@example.org",)}


def test_a_units_many_stale_projects_are_listed_up_to_a_limit_then_counted(staff_a, unit_a, client,
                                                                          monkeypatch):
    """A province's units hold hundreds of stale projects each: the first PROJECTS_SHOWN are listed by code,
    one line counts the rest, and the totals still count every one of them."""
    monkeypatch.setattr(reminders, "PROJECTS_SHOWN", 3)
    for i in range(5):
        ProjectFactory(lead_unit=unit_a, code=f"XM-S{i}", name=f"签约项目{i}", signed_on=dt.date(2024, 1, 2))
    found = reminders.collect(user=staff_a, as_of=dt.date(2024, 3, 1))
    stale = [r for r in found.items if r.kind == "project"]
    assert [r.text.split()[1] for r in stale[:3]] == ["XM-S0", "XM-S1", "XM-S2"]
    assert stale[3].text == "另有 2 个项目签约超过 20 天仍未注册" and stale[3].count == 2
    assert len(stale) == 4 and found.total == len(found.items) - 1 + 2
    client.force_login(staff_a)
    page = client.get("/work/?date=2024-03-01")
    assert page.status_code == 200


def test_the_start_page_counts_what_the_reminder_list_holds(staff_a, unit_a, unit_b, assessor, client,
                                                           monkeypatch):
    """/work/ shows only how many reminders there are: counted without writing the list (stale projects by a
    COUNT, the page's quota lines reused), the number is the list's own total, for a unit user and the office."""
    monkeypatch.setattr(reminders, "PROJECTS_SHOWN", 2)
    for i in range(5):
        ProjectFactory(lead_unit=unit_a, code=f"XM-C{i}", name=f"签约项目{i}", signed_on=dt.date(2024, 1, 2))
    ProjectFactory(lead_unit=unit_b, code="XM-B1", name="乙县项目", signed_on=dt.date(2024, 1, 2))
    now = today()
    for user in (staff_a, assessor):
        total = reminders.collect(user=user, as_of=now).total
        assert reminders.count_overdue(user=user, as_of=now) == total
        client.force_login(user)
        page = client.get("/work/").content.decode()
        assert f'id="reminder-count" data-value="{total}"' in page
    assert reminders.count_overdue(user=staff_a, as_of=now) < reminders.count_overdue(user=assessor, as_of=now)


def test_major_report_followed_to_signing(office, office_staff, assessor, unit_a):
    report = services.report_create(user=office_staff, unit=office, reported_on=dt.date(2024, 3, 1),
                                    enterprise="某500强装备制造集团", intention="拟投资建设装备制造基地",
                                    amount=Decimal("200000"))
    with pytest.raises(PermissionDeniedError):
        services.report_assign(user=office_staff, report=report, assigned_unit=unit_a)
    with pytest.raises(ApplicationError, match="尚未交办"):
        services.report_advance(user=office_staff, report=report, status="inspecting")
    services.report_assign(user=assessor, report=report, assigned_unit=unit_a)
    services.report_advance(user=office_staff, report=report, status="inspecting", progress="企业来博考察")
    project = ProjectFactory(lead_unit=office, code="XM-500")
    services.report_advance(user=assessor, report=report, status="signed", project=project)
    report.refresh_from_db()
    assert (report.status, report.project) == ("signed", project)
    assert report.history.count() == 4


def test_weekly_check_records_who_and_when(office, office_staff):
    services.worklog_create(user=office_staff, unit=office, date=dt.date(2024, 3, 5), enterprises="甲公司\n乙公司")
    check = services.weekly_check_record(user=office_staff, unit=office, week_ending=dt.date(2024, 3, 10),
                                         at=at("2024-03-10 20:00"))
    assert (check.logs_checked, check.enterprises_checked, check.checked_by) == (1, 2, office_staff)
    with pytest.raises(ApplicationError, match="周日"):
        services.weekly_check_record(user=office_staff, unit=office, week_ending=dt.date(2024, 3, 11))


def test_export_writes_formula_text_as_text(client, staff_a, unit_a):
    head = PersonFactory(unit=unit_a, role=PersonRole.PARTY_GOV_HEAD)
    services.visit_create(user=staff_a, date=dt.date(2024, 3, 1), unit=unit_a, leader=head,
                          enterprise='=HYPERLINK("http://x","y")', matter="-1+2")
    client.force_login(staff_a)
    response = client.get("/work/visits/?format=xlsx")
    ws = load_workbook(BytesIO(response.content)).active
    row = [c for c in ws[2]]
    assert row[4].value == '=HYPERLINK("http://x","y")' and row[4].data_type == "s"
    assert row[5].value == "-1+2" and row[5].data_type == "s"


def test_snapshot_language_does_not_change_it(office, assessor):
    from django.utils import translation

    from zhaoshang.activities import snapshots

    ProjectFactory(lead_unit=office, code="XM-L")
    with translation.override("en"):
        en = snapshots.build(unit=office, period="2024-03")
    zh = snapshots.build(unit=office, period="2024-03")
    assert snapshots.digest(en) == snapshots.digest(zh)


def test_unit_user_cannot_record_a_city_event(staff_a, assessor):
    with pytest.raises(PermissionDeniedError):
        services.event_create(user=staff_a, code="E-CITY", date=dt.date(2024, 3, 1), name="市级推介会",
                              level="prefecture", host_unit=None)
    services.event_create(user=assessor, code="E-CITY", date=dt.date(2024, 3, 1), name="市级推介会",
                          level="prefecture", host_unit=None)




def test_an_imported_submission_can_be_returned_and_resubmitted(office, office_head, assessor):
    sub = Submission.objects.create(unit=office, period="2024-01", due_date=dt.date(2024, 2, 5),
                                    submitted_at=at("2024-02-04 10:00"))
    services.submission_return(user=assessor, submission=sub, reason="导入数据缺少项目", at=at("2024-02-05 09:00"))
    services.submission_submit(user=office_head, unit=office, period="2024-01", at=at("2024-02-06 10:00"))
    sub.refresh_from_db()
    assert sub.submitted_at == at("2024-02-06 10:00")  # the resubmission is what counts: now late
    assert [s.action for s in sub.steps.order_by("at")] == ["returned", "resubmitted"]


def test_a_project_in_talks_is_stale_from_shanghais_day_after_the_limit(staff_a, unit_a):
    """在谈 45 days without an update: last touched at 23:59 on the 45th day before, Shanghai time (15:59 UTC), it
    is stale; at 00:00 of the next day (16:00 UTC the day before) it is not yet — by the office's calendar, not
    the server's."""
    from zhaoshang.ledger.models import Project

    as_of = dt.date(2024, 3, 1)  # the limit falls on 2024-01-16
    for code, updated in (("XM-T1", "2024-01-16T15:59:00+00:00"), ("XM-T2", "2024-01-16T16:00:00+00:00")):
        project = ProjectFactory(lead_unit=unit_a, code=code, name=f"在谈项目{code}", signed_on=None,
                                 stage="none", status="negotiating")
        Project.objects.filter(pk=project.pk).update(updated_at=dt.datetime.fromisoformat(updated))
    texts = [r.text for r in reminders.collect(user=staff_a, as_of=as_of).items if r.kind == "project"]
    assert texts == ["项目 XM-T1 在谈项目XM-T1 在谈 45 天无进展（超过 45 天）"]
    assert reminders.count_overdue(user=staff_a, as_of=as_of) == reminders.collect(user=staff_a, as_of=as_of).total
