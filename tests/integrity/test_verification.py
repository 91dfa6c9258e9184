"""核实认定 services: the states and who may move them, reasons, evidence, history, bulk approval,
refiling after a return, and what a unit's correction does to a verified fact."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.periods import today
from zhaoshang.integrity.services.verification import fact_approve, fact_reject, fact_return, facts_approve_many
from zhaoshang.ledger import filings, services
from zhaoshang.ledger.choices import EvidenceKind
from zhaoshang.ledger.models import FundArrival, Project, StageEvidence, StageRecord

from ..factories import ProjectFactory
from .verification_helpers import department, district_assessor, pdf, pending_fund, signed_filing


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def district_a(unit_a):
    return district_assessor(unit_a)


def test_new_filings_and_fund_arrivals_start_pending(staff_a, unit_a):
    project = services.project_create(user=staff_a, code="XM-N-1", name="新项目", investor="某公司",
                                      lead_unit=unit_a, signed_amount=Decimal("800"), signed_on=dt.date(2024, 2, 1))
    assert StageRecord.objects.get(project=project, stage="signed").verification == "pending"
    fund = services.fund_arrival_record(user=staff_a, project=project, date=dt.date(2024, 3, 1), amount=Decimal("5"),
                                        evidence=pdf("回单.pdf"), evidence_kind=EvidenceKind.BANK_RECEIPT)
    assert fund.verification == "pending" and fund.evidence_kind == "bank_receipt"
    assert Project.objects.get(pk=project.pk).signed_verified_on is None


def test_district_passes_then_city_verifies_and_each_step_is_in_the_history(unit_a_child, district_a, assessor):
    record = signed_filing(unit_a_child)  # a town under the district
    record = fact_approve(user=district_a, fact=record)
    assert record.verification == "preliminary" and record.preliminary_by == district_a
    assert Project.objects.get(pk=record.project_id).signed_verified_on is None  # not counted yet
    with pytest.raises(ApplicationError, match="初审通过"):
        fact_approve(user=district_a, fact=record)  # the district cannot verify what it passed up

    record = fact_approve(user=assessor, fact=record, note="原件已核")
    assert record.verification == "verified" and record.verified_by == assessor and record.verified_on == today()
    assert record.preliminary_by == district_a  # the district's step is kept
    assert Project.objects.get(pk=record.project_id).signed_verified_on == today()
    steps = [(h.verification, h.history_user, h.history_change_reason)
             for h in record.history.order_by("history_date", "history_id")]
    assert steps[-2:] == [("preliminary", district_a, "初审通过"), ("verified", assessor, "认定：原件已核")]


def test_a_delegated_district_verifies_directly(unit_a, district_a):
    unit_a.verification_delegated = True
    unit_a.save()
    record = fact_approve(user=district_a, fact=signed_filing(unit_a))
    assert record.verification == "verified" and record.verified_by == district_a


@pytest.mark.parametrize("step", [fact_return, fact_reject])
def test_return_and_reject_need_a_reason(step, unit_a, assessor):
    record = signed_filing(unit_a)
    with pytest.raises(ApplicationError, match="理由") as exc:
        step(user=assessor, fact=record, reason="  ")
    assert "reason" in exc.value.field_errors
    record.refresh_from_db()
    assert record.verification == "pending"
    record = step(user=assessor, fact=record, reason="合同金额与台账不符")
    assert record.verification_reason == "合同金额与台账不符" and record.reviewed_by == assessor
    assert record.verification == ("returned" if step is fact_return else "rejected")
    assert record.history.first().history_change_reason.endswith("合同金额与台账不符")


def test_missing_evidence_cannot_be_approved(unit_a, assessor):
    record = signed_filing(unit_a, evidence=EvidenceKind.PHOTO)  # a photo is not a contract
    with pytest.raises(ApplicationError, match="缺少协议/合同") as exc:
        fact_approve(user=assessor, fact=record)
    assert exc.value.field_errors["evidence"] == ["缺少协议/合同"]
    record.refresh_from_db()
    assert record.verification == "pending"


def test_registration_needs_a_licence_and_a_valid_uscc(unit_a, assessor):
    project = ProjectFactory(lead_unit=unit_a, verified=False, investor_uscc="", registered_on=dt.date(2024, 3, 1),
                             stage="registered")
    record = StageRecord.objects.get(project=project, stage="registered")
    with pytest.raises(ApplicationError) as exc:
        fact_approve(user=assessor, fact=record)
    assert exc.value.field_errors["evidence"] == ["缺少营业执照", "缺少有效的投资方统一社会信用代码"]
    StageEvidence.objects.create(record=record, file=pdf("执照.pdf"), kind=EvidenceKind.LICENSE)
    Project.objects.filter(pk=project.pk).update(investor_uscc="91110000600037341L")
    record = StageRecord.objects.get(pk=record.pk)
    assert fact_approve(user=assessor, fact=record).verification == "verified"


def test_start_takes_a_permit_or_site_photos_and_funds_a_receipt(unit_a, assessor):
    project = ProjectFactory(lead_unit=unit_a, verified=False, registered_on=dt.date(2024, 3, 1),
                             started_on=dt.date(2024, 4, 1), stage="started")
    started = StageRecord.objects.get(project=project, stage="started")
    StageEvidence.objects.create(record=started, file=pdf("现场.pdf"), kind=EvidenceKind.PHOTO)
    assert fact_approve(user=assessor, fact=started).verification == "verified"
    with pytest.raises(ApplicationError, match="缺少银行回单或验资报告"):
        fact_approve(user=assessor, fact=pending_fund(unit_a, evidence_kind=EvidenceKind.OTHER))
    assert fact_approve(user=assessor, fact=pending_fund(unit_a)).verification == "verified"


def test_required_evidence_is_a_setting(settings, unit_a, assessor):
    settings.VERIFICATION_EVIDENCE = {**settings.VERIFICATION_EVIDENCE, "signed": [["contract"], ["photo"]]}
    with pytest.raises(ApplicationError, match="缺少现场照片"):
        fact_approve(user=assessor, fact=signed_filing(unit_a))


def test_unit_users_and_leaders_cannot_verify(unit_a, staff_a, leader):
    record = signed_filing(unit_a)
    for user in (staff_a, leader):
        with pytest.raises(PermissionDeniedError):
            fact_approve(user=user, fact=record)
        with pytest.raises(PermissionDeniedError):
            fact_return(user=user, fact=record, reason="不行")


def test_district_assessor_only_within_its_district_and_city_verifies_departments(unit_a, unit_b, district_a,
                                                                                   assessor):
    other = signed_filing(unit_b)
    dept = signed_filing(department())
    for fact in (other, dept):
        with pytest.raises(PermissionDeniedError):
            fact_approve(user=district_a, fact=fact)
        with pytest.raises(PermissionDeniedError):
            fact_reject(user=district_a, fact=fact, reason="越权")
        fact.refresh_from_db()
        assert fact.verification == "pending"
    assert fact_approve(user=assessor, fact=dept).verification == "verified"


def test_bulk_approve_is_all_or_nothing(unit_a, assessor):
    good = [signed_filing(unit_a), pending_fund(unit_a)]
    bad = signed_filing(unit_a, evidence=None, code="XM-BAD-1", name="缺合同项目")
    with pytest.raises(ApplicationError, match="XM-BAD-1 缺合同项目") as exc:
        facts_approve_many(user=assessor, facts=[*good, bad], note="第一批")
    assert len(exc.value.field_errors["facts"]) == 1
    for fact in good:
        fact.refresh_from_db()
        assert fact.verification == "pending"  # nothing of the batch took effect
    done = facts_approve_many(user=assessor, facts=good, note="第一批")
    assert [f.verification for f in done] == ["verified", "verified"]
    assert {f.history.first().history_change_reason for f in done} == {"认定：第一批"}


def test_refile_after_return(unit_a, staff_a, staff_b, assessor):
    record = signed_filing(unit_a, evidence=None)
    with pytest.raises(ApplicationError, match="只有被退回的记录"):
        filings.fact_refile(user=staff_a, fact=record)
    record = fact_return(user=assessor, fact=record, reason="缺少投资协议")
    with pytest.raises(PermissionDeniedError):
        filings.fact_refile(user=staff_b, fact=record)
    record = filings.fact_refile(user=staff_a, fact=record, note="已补充协议",
                                 files=[(pdf(), EvidenceKind.CONTRACT)])
    assert record.verification == "pending" and record.verification_reason == ""
    assert record.history.first().history_change_reason == "重新报送：已补充协议"
    assert fact_approve(user=assessor, fact=record).verification == "verified"


def test_a_unit_changing_a_verified_fact_sends_it_back_to_pending(unit_a, staff_a, assessor):
    record = fact_approve(user=assessor, fact=signed_filing(unit_a))
    project = Project.objects.get(pk=record.project_id)
    assert project.signed_verified_on == today()
    services.project_update(user=staff_a, project=project, expected_version=project.version, name="改名不影响")
    assert StageRecord.objects.get(pk=record.pk).verification == "verified"
    project.refresh_from_db()
    services.project_update(user=staff_a, project=project, expected_version=project.version,
                            signed_amount=Decimal("60000"))
    record.refresh_from_db()
    assert record.verification == "pending" and record.verified_by is None
    assert Project.objects.get(pk=project.pk).signed_verified_on is None

    fund = fact_approve(user=assessor, fact=pending_fund(unit_a))
    filings.fund_arrival_update(user=staff_a, arrival=fund, date=fund.date, amount=Decimal("900"), kind=fund.kind)
    assert FundArrival.objects.get(pk=fund.pk).verification == "pending"


def test_city_may_withdraw_a_verification(unit_a, assessor, district_a):
    record = fact_approve(user=assessor, fact=signed_filing(unit_a))
    with pytest.raises(ApplicationError, match="已认定"):
        fact_return(user=district_a, fact=record, reason="district cannot")
    record = fact_reject(user=assessor, fact=record, reason="借用他人项目")
    assert record.verification == "rejected" and record.verified_on is None
    assert Project.objects.get(pk=record.project_id).signed_verified_on is None
