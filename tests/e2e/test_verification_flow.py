"""核实认定 in the browser: the assessor opens the queue, reads a PDF evidence inline (no download),
approves one record and returns another with a reason; the unit user sees the return with its reason,
refiles, and the record waits for verification again."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from zhaoshang.demo.evidencefiles import pdf_bytes
from zhaoshang.ledger.models import FundArrival, Project, StageEvidence, StageRecord
from zhaoshang.orgs.choices import UserRole

from ..factories import FundArrivalFactory, ProjectFactory, UnitFactory, UserFactory
from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
REASON = "银行回单金额与申报金额不一致，请核对后重新报送"


@pytest.fixture
def filed(settings, tmp_path):
    """A unit's project whose 签约 filing (with its contract, a PDF) and one fund arrival (with its bank
    receipt) wait for verification; another unit's project that the unit user must not see."""
    settings.MEDIA_ROOT = tmp_path / "media"
    unit = UnitFactory(code="BJ01", name="驻北京招商局", kind="resident_office")
    other = UnitFactory(code="WH01", name="驻武汉招商局", kind="resident_office")
    project = ProjectFactory(lead_unit=unit, code="XM-V-1", name="氢能装备制造项目", verified=False,
                             signed_on=dt.date(2024, 3, 15), signed_amount=Decimal("25000"))
    ProjectFactory(lead_unit=other, code="XM-V-2", name="武汉光谷项目", verified=False)
    signed = StageRecord.objects.get(project=project, stage="signed")
    contract = pdf_bytes("INVESTMENT AGREEMENT", ["Project code: XM-V-1", "Amount: 25000 (10k CNY)"])
    StageEvidence.objects.create(record=signed, kind="contract", file=ContentFile(contract, name="投资协议.pdf"))
    receipt = pdf_bytes("BANK RECEIPT", ["Project code: XM-V-1", "Amount: 3000 (10k CNY)"])
    fund = FundArrivalFactory(project=project, verified=False, date=dt.date(2024, 4, 1), amount=Decimal("3000"),
                              evidence=ContentFile(receipt, name="银行回单.pdf"), evidence_kind="bank_receipt")
    UserFactory(username="assessor", role=UserRole.ASSESSOR)
    UserFactory(username="bj01", role=UserRole.UNIT_STAFF, unit=unit)
    return {"signed": signed, "fund": fund}


def open_fact(page, fact_key: str) -> None:
    page.click("#nav-verification")
    page.wait_for_url("**/integrity/verification/**")
    page.locator(f"#verification-table tr[data-fact='{fact_key}'] a", has_text="查看").click()
    page.wait_for_selector(f"#verification-detail[data-fact='{fact_key}']")


def test_assessor_verifies_and_returns_then_unit_refiles(page, filed):
    signed, fund = filed["signed"], filed["fund"]
    downloads = []
    page.on("download", lambda download: downloads.append(download))

    # The assessor's queue holds what waits, from every unit.
    login(page, "assessor")
    page.click("#nav-verification")
    page.wait_for_url("**/integrity/verification/**")
    codes = set(page.locator("#verification-table tbody tr[data-code]").evaluate_all(
        "rows => rows.map(r => r.dataset.code)"))
    assert codes == {"XM-V-1", "XM-V-2"}

    # The 签约 filing with its contract beside it: the PDF opens inline in the frame, nothing downloads.
    with page.expect_response(re.compile(r"/ledger/evidence/stage/\d+/view/$")) as shown:
        open_fact(page, f"stage-{signed.pk}")
    response = shown.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert not response.headers.get("content-disposition", "").startswith("attachment")
    # Chromium hands the frame to its PDF viewer (the response body it reports is the viewer's page);
    # the file itself, fetched with the same session, is the PDF.
    assert page.request.get(response.url).body().startswith(b"%PDF")
    frame = page.locator("#evidence-panel iframe.evidence-frame")
    assert frame.count() == 1 and frame.get_attribute("title") == "投资协议.pdf"
    assert "所需材料齐全" in page.locator("#missing-evidence").inner_text()

    page.click("#approve-submit")
    page.wait_for_selector("#verification-detail[data-verification=verified]")
    assert "已认定" in page.locator("#verification-detail h1").inner_text()

    # The fund arrival goes back to the unit, with the reason.
    page.click("#back-to-queue")
    open_fact(page, f"fund-{fund.pk}")
    page.fill("#return-form textarea[name=reason]", REASON)
    page.click("#return-submit")
    page.wait_for_selector("#verification-detail[data-verification=returned]")
    assert REASON in page.locator("#fact-reason").inner_text()
    assert downloads == []

    signed.refresh_from_db()
    fund.refresh_from_db()
    assert signed.verification == "verified" and signed.verified_by.username == "assessor"
    # The project counts as signed (verified) from the day of the approval.
    assert signed.verified_on is not None
    assert Project.objects.get(pk=signed.project_id).signed_verified_on == signed.verified_on
    assert fund.verification == "returned" and fund.verification_reason == REASON

    # The unit user sees the return and its reason, and refiles.
    page.click("#logout-form button")
    login(page, "bj01")
    page.click("#nav-verification")
    page.wait_for_url("**/integrity/verification/**")
    returned = page.locator(f"#returned-facts [data-fact='fund-{fund.pk}']")
    assert REASON in returned.locator(".returned-reason").inner_text()
    assert page.locator("#verification-table tr[data-code='XM-V-2']").count() == 0  # another unit's
    returned.locator("input[name=note]").fill("已核对银行回单，金额无误")
    returned.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "已重新报送" in page.locator("body").inner_text()
    assert page.locator("#returned-facts").count() == 0

    fund.refresh_from_db()
    assert fund.verification == "pending" and fund.verification_reason == ""
    # A unit user's to-do is its returned records; every state shows the refiled one waiting again.
    page.select_option("#id_state", "all")
    page.click("#filter-submit")
    row = page.locator(f"#verification-table tr[data-fact='fund-{fund.pk}']")
    assert "待核实" in row.inner_text()
    assert FundArrival.objects.get(pk=fund.pk).history.first().history_user.username == "bj01"
