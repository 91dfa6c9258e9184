"""Facts waiting for verification, for the 核实认定 tests: a 签约 filing or a fund arrival of a unit,
with or without the evidence its kind needs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from zhaoshang.ledger.choices import EvidenceKind
from zhaoshang.ledger.models import FundArrival, StageEvidence, StageRecord
from zhaoshang.orgs.choices import UserRole

from ..factories import FundArrivalFactory, ProjectFactory, UnitFactory, UserFactory


def pdf(name: str = "投资协议.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


def signed_filing(unit, *, evidence: str | None = EvidenceKind.CONTRACT, **project) -> StageRecord:
    """A project of `unit` whose 签约 filing is 待核实, with a contract (or the given kind, or none)."""
    record = StageRecord.objects.get(project=ProjectFactory(lead_unit=unit, verified=False, **project),
                                     stage="signed")
    if evidence:
        StageEvidence.objects.create(record=record, file=pdf(), kind=evidence)
    return record


def pending_fund(unit, *, evidence_kind: str | None = EvidenceKind.BANK_RECEIPT, amount="1200") -> FundArrival:
    project = ProjectFactory(lead_unit=unit)
    fund = FundArrivalFactory(project=project, verified=False, amount=Decimal(amount), date=dt.date(2024, 3, 1))
    if evidence_kind:
        fund.evidence = pdf("银行回单.pdf")
        fund.evidence_kind = evidence_kind
        fund.save()
    return fund


def district_assessor(unit, username: str = "district_a"):
    return UserFactory(username=username, role=UserRole.DISTRICT_ASSESSOR, unit=unit)


def department(code: str = "D01", name: str = "市商务局"):
    return UnitFactory(code=code, name=name, kind="department")
