"""Three reviews, 公示 over Chinese working days, objections, the decision."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from tests.factories import UnitFactory, UserFactory
from zhaoshang.awards import services
from zhaoshang.awards.models import Nomination
from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.orgs.choices import UserRole

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def nomination(run, catalogue, assessor):
    return services.nominate_from_run(user=assessor, run=run)[0]


def _pass_reviews(n, assessor):
    for office in ("investment", "assessment", "audit"):
        services.review(user=assessor, nomination=n, office=office, verdict="approve")
    n.refresh_from_db()
    return n


def test_workdays_command_2024_national_day():
    # 9/28 (Sat) is off, 9/29 (Sun) is a 调休 working day, 10/1–10/7 are the holiday, 10/12 (Sat) works
    out = io.StringIO()
    call_command("workdays", "add", "2024-09-27", "5", stdout=out)
    assert out.getvalue().strip() == "2024-10-10"
    out = io.StringIO()
    call_command("workdays", "add", "2024-09-27", "1", stdout=out)
    assert out.getvalue().strip() == "2024-09-29"


def test_three_offices_review(nomination, assessor, audit_user):
    n = nomination
    services.review(user=audit_user, nomination=n, office="audit", verdict="object", reason="到位资金凭证待核")
    with pytest.raises(PermissionDeniedError):
        services.review(user=audit_user, nomination=n, office="assessment", verdict="approve")
    with pytest.raises(ApplicationError, match="理由"):
        services.review(user=assessor, nomination=n, office="investment", verdict="object", reason="")
    services.review(user=assessor, nomination=n, office="investment", verdict="approve")
    services.review(user=assessor, nomination=n, office="assessment", verdict="approve")
    n.refresh_from_db()
    assert n.status == "review"  # the audit office still objects
    services.review(user=audit_user, nomination=n, office="audit", verdict="approve", reason="已核实")
    n.refresh_from_db()
    assert n.status == "reviewed"
    assert n.reviews.get(office="audit").history.count() == 2  # the objection is kept in history


def test_investment_office_head_signs_only_its_review(nomination):
    office = UnitFactory(code="SZ01", name="市招商办", kind="department")
    head = UserFactory(username="zsb", role=UserRole.UNIT_HEAD, unit=office)
    services.review(user=head, nomination=nomination, office="investment", verdict="approve")
    with pytest.raises(PermissionDeniedError):
        services.review(user=head, nomination=nomination, office="audit", verdict="approve")


def test_notice_end_date_skips_national_day(nomination, assessor, catalogue):
    _pass_reviews(nomination, assessor)
    notice = services.start_notice(user=assessor, catalogue=catalogue, doc_no="〔2024〕8号", start_on=D(2024, 9, 27))
    assert (notice.days, notice.end_on) == (5, D(2024, 10, 10))
    nomination.refresh_from_db()
    assert nomination.status == "notice" and nomination.notice == notice
    with pytest.raises(ApplicationError, match="尚未期满"):
        services.decide(user=assessor, catalogue=catalogue, doc_no="〔2024〕9号", decided_on=D(2024, 10, 10))
    decision = services.decide(user=assessor, catalogue=catalogue, doc_no="〔2024〕9号", decided_on=D(2024, 10, 11))
    nomination.refresh_from_db()
    assert nomination.status == "decided" and nomination.decision == decision


def test_notice_days_setting_per_catalogue(nomination, assessor, catalogue):
    catalogue.notice_days = 7
    catalogue.save()
    _pass_reviews(nomination, assessor)
    notice = services.start_notice(user=assessor, catalogue=catalogue, doc_no="〔2024〕8号", start_on=D(2024, 9, 27))
    assert notice.end_on == D(2024, 10, 12)  # 10/11 and the 调休 Saturday 10/12


def test_only_reviewed_nominations_enter_notice(nomination, assessor, catalogue):
    with pytest.raises(ApplicationError, match="三方审核"):
        services.start_notice(user=assessor, catalogue=catalogue, doc_no="〔2024〕8号")


def test_objections_block_then_withdraw(nomination, assessor, catalogue, leader):
    for n in Nomination.objects.all():
        _pass_reviews(n, assessor)
    services.start_notice(user=assessor, catalogue=catalogue, doc_no="〔2024〕8号", start_on=D(2024, 9, 27))
    o = services.record_objection(user=assessor, nomination=nomination, content="签约项目系重复统计",
                                  received_on=D(2024, 9, 30))
    with pytest.raises(ApplicationError, match="异议尚未处理"):
        services.decide(user=assessor, catalogue=catalogue, doc_no="〔2024〕9号", decided_on=D(2024, 10, 11))
    with pytest.raises(PermissionDeniedError):
        services.resolve_objection(user=leader, objection=o, upheld=True, resolution="x")
    services.resolve_objection(user=assessor, objection=o, upheld=True, resolution="经核查属实")
    nomination.refresh_from_db()
    assert nomination.status == "withdrawn" and "经核查属实" in nomination.status_reason
    second = Nomination.objects.exclude(pk=nomination.pk).get()
    assert second.status == "notice"
    services.decide(user=assessor, catalogue=catalogue, doc_no="〔2024〕9号", decided_on=D(2024, 10, 11))
    second.refresh_from_db()
    assert second.status == "decided"
