"""Closing a period: unit users may not write records dated in it; assessors may, with a reason, and
the correction is recorded (and refused without one)."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import FundArrivalFactory, ProjectFactory
from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.ledger import services
from zhaoshang.ledger.models import Project
from zhaoshang.periods.closing import period_close, period_reopen
from zhaoshang.periods.models import Correction, PeriodClose

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_q1(assessor):
    return period_close(user=assessor, period="2024q1", note="一季度结账")


def test_only_assessors_close(staff_a, leader):
    for user in (staff_a, leader):
        with pytest.raises(PermissionDeniedError):
            period_close(user=user, period="2024Q1")
    assert not PeriodClose.objects.exists()


def test_close_twice_and_bad_period(assessor, closed_q1):
    assert (closed_q1.period, closed_q1.label) == ("2024Q1", "2024年第一季度")
    assert (closed_q1.start, closed_q1.end) == (dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    with pytest.raises(ApplicationError, match="已结账"):
        period_close(user=assessor, period="2024Q1")
    with pytest.raises(ApplicationError, match="无法识别"):
        period_close(user=assessor, period="2024Q5")


def test_unit_user_cannot_change_a_project_signed_in_closed_period(staff_a, project_a, closed_q1):
    with pytest.raises(PermissionDeniedError, match="已结账"):
        services.project_update(user=staff_a, project=project_a, expected_version=project_a.version,
                                signed_amount=Decimal("60000"))
    project_a.refresh_from_db()
    assert project_a.signed_amount == Decimal("50000")


def test_unit_user_may_file_a_later_stage_outside_the_closed_period(staff_a, project_a, closed_q1):
    services.stage_file(user=staff_a, project=project_a, stage="registered", date=dt.date(2024, 4, 10))
    project_a.refresh_from_db()
    assert project_a.stage == "registered"
    with pytest.raises(PermissionDeniedError):
        services.stage_file(user=staff_a, project=project_a, stage="started", date=dt.date(2024, 3, 30))


def test_unit_user_funds_in_closed_period(staff_a, project_a, closed_q1):
    with pytest.raises(PermissionDeniedError):
        services.fund_arrival_record(user=staff_a, project=project_a, date=dt.date(2024, 2, 1), amount=Decimal("10"))
    arrival = services.fund_arrival_record(user=staff_a, project=project_a, date=dt.date(2024, 4, 1),
                                           amount=Decimal("10"))
    old = FundArrivalFactory(project=project_a, date=dt.date(2024, 3, 1))
    with pytest.raises(PermissionDeniedError):
        services.fund_arrival_delete(user=staff_a, arrival=old)
    services.fund_arrival_delete(user=staff_a, arrival=arrival)


def test_unit_user_cannot_create_a_project_dated_in_closed_period(staff_a, unit_a, closed_q1):
    with pytest.raises(PermissionDeniedError):
        services.project_create(user=staff_a, code="XM-NEW", name="新项目", investor="某公司", lead_unit=unit_a,
                                signed_amount=Decimal("100"), signed_on=dt.date(2024, 1, 5))
    assert not Project.objects.filter(code="XM-NEW").exists()


def test_assessor_needs_a_reason_and_the_correction_is_kept(assessor, project_a, closed_q1):
    with pytest.raises(ApplicationError, match="更正理由") as exc:
        services.project_update(user=assessor, project=project_a, expected_version=project_a.version,
                                signed_amount=Decimal("60000"))
    assert "correction_reason" in exc.value.field_errors
    assert not Correction.objects.exists()
    project_a.refresh_from_db()
    services.project_update(user=assessor, project=project_a, expected_version=project_a.version,
                            signed_amount=Decimal("60000"), correction_reason="核实合同金额为6亿元")
    c = Correction.objects.get()
    assert (c.period, c.record, c.action, c.project, c.reason) == (closed_q1, "项目", "修改", project_a,
                                                                    "核实合同金额为6亿元")
    assert "签约金额" in c.summary and "50000 → 60000" in c.summary
    assert c.record_date == dt.date(2024, 2, 1)


def test_writes_outside_closed_periods_record_nothing(assessor, staff_a, closed_q1, unit_a):
    p = ProjectFactory(lead_unit=unit_a, signed_on=dt.date(2024, 5, 1))
    services.project_update(user=staff_a, project=p, expected_version=p.version, name="改名")
    assert not Correction.objects.exists()


def test_reopen(assessor, project_a, closed_q1):
    period_reopen(user=assessor, period="2024Q1")
    assert not PeriodClose.objects.exists()
    period_close(user=assessor, period="2024Q1")
    services.fund_arrival_record(user=assessor, project=project_a, date=dt.date(2024, 2, 1), amount=Decimal("1"),
                                 correction_reason="补录")
    with pytest.raises(ApplicationError, match="更正记录"):
        period_reopen(user=assessor, period="2024Q1")
