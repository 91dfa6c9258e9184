"""The 核实认定 pages: the queue and its filters, a record with its evidence inline, the verifier's
buttons, the unit's 被退回 list and refiling, and scope (ACCEPTANCE 4: a district assessor gets a 404
for another district's record)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhaoshang.ledger.choices import EvidenceKind
from zhaoshang.ledger.models import FundArrival, StageEvidence, StageRecord

from ..factories import ProjectFactory
from .verification_helpers import department, district_assessor, pending_fund, signed_filing

QUEUE = reverse("integrity:verification_queue")


def detail(fact, kind="stage"):
    return reverse("integrity:verification_detail", args=[kind, fact.pk])


def action(fact, name, kind="stage"):
    return reverse("integrity:verification_action", args=[kind, fact.pk, name])


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def district_a(unit_a):
    return district_assessor(unit_a)


def test_queue_names_each_record_and_filters(client, assessor, unit_a, unit_b):
    a = signed_filing(unit_a, code="XM-A-9", name="甲区电池项目", signed_amount="50000")
    b = signed_filing(unit_b, code="XM-B-9", name="乙县光伏项目", signed_on=dt.date(2023, 5, 1))
    fund = pending_fund(unit_b, amount="1200")
    client.force_login(assessor)
    html = client.get(QUEUE).content.decode()
    assert "XM-A-9</a> 甲区电池项目" in html and "甲区" in html and "签约" in html and "50,000.00" in html
    assert "到位资金" in html and "1,200.00" in html and "XM-B-9" in html

    def codes(**params):
        rows = client.get(QUEUE, params).context["rows"]
        return sorted(f'{r["kind"]}-{r["fact"].pk}' for r in rows)

    assert codes(unit=unit_a.pk) == [f"stage-{a.pk}"]
    assert codes(kind="fund") == [f"fund-{fund.pk}"]
    assert codes(period="2023") == [f"stage-{b.pk}"]
    assert codes(period="2024Q1", kind="signed") == [f"stage-{a.pk}"]
    assert codes(amount_min="1000", amount_max="2000") == [f"fund-{fund.pk}"]
    assert codes(state="verified", kind="fund") == []  # (the fund's project came in verified)
    assert codes(state="all", kind="fund") == [f"fund-{fund.pk}"]
    response = client.get(QUEUE, {"period": "2024Q5"})
    assert "无法识别的期间" in response.content.decode()
    partial = client.get(QUEUE, {"kind": "fund"}, headers={"HX-Request": "true"})
    assert partial.templates[0].name == "integrity/_verification_table.html"


def test_record_shows_its_evidence_inline_and_what_is_missing(client, assessor, unit_a):
    record = signed_filing(unit_a)
    missing = signed_filing(unit_a, evidence=None)
    client.force_login(assessor)
    html = client.get(detail(record)).content.decode()
    item = StageEvidence.objects.get(record=record)
    inline = reverse("ledger:evidence_inline", args=["stage", item.pk])
    assert f'<iframe src="{inline}"' in html and "所需材料齐全" in html
    html = client.get(detail(missing)).content.decode()
    assert "缺少协议/合同" in html and "未上传证明材料" in html


def test_inline_evidence_headers_and_scope(client, staff_a, staff_b, unit_a):
    record = signed_filing(unit_a)
    item = StageEvidence.objects.get(record=record)
    png = StageEvidence.objects.create(record=record, kind=EvidenceKind.PHOTO,
                                       file=SimpleUploadedFile("现场.png", b"\x89PNG\r\n\x1a\n"))
    doc = StageEvidence.objects.create(record=record, kind=EvidenceKind.OTHER,
                                       file=SimpleUploadedFile("说明.html", b"<script>alert(1)</script>"))
    client.force_login(staff_a)
    pdf = client.get(reverse("ledger:evidence_inline", args=["stage", item.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("inline") and pdf["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in pdf["Content-Security-Policy"]
    image = client.get(reverse("ledger:evidence_inline", args=["stage", png.pk]))
    assert image["Content-Type"] == "image/png" and image["Content-Security-Policy"].startswith("sandbox")
    other = client.get(reverse("ledger:evidence_inline", args=["stage", doc.pk]))
    assert other["Content-Disposition"].startswith("attachment")  # never rendered as a page
    client.force_login(staff_b)
    assert client.get(reverse("ledger:evidence_inline", args=["stage", item.pk])).status_code == 404
    assert client.get(reverse("ledger:evidence", args=["stage", item.pk])).status_code == 404


def test_approve_return_and_reject_from_the_page(client, assessor, unit_a):
    first, second, third = signed_filing(unit_a), signed_filing(unit_a), signed_filing(unit_a)
    client.force_login(assessor)
    response = client.post(action(first, "approve"), {"note": "原件已核", "next": QUEUE})
    assert response.status_code == 302 and response["Location"] == QUEUE
    first.refresh_from_db()
    assert first.verification == "verified"

    response = client.post(action(second, "return"), {"reason": ""}, follow=True)
    assert "请填写退回理由" in response.content.decode()
    response = client.post(action(second, "return"), {"reason": "协议未盖章"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.templates[0].name == "integrity/_verification_detail.html"
    assert "协议未盖章" in html and 'data-verification="returned"' in html
    client.post(action(third, "reject"), {"reason": "重复申报"})
    assert StageRecord.objects.get(pk=third.pk).verification == "rejected"


def test_bulk_approve_from_the_queue_is_all_or_nothing(client, assessor, unit_a):
    good = signed_filing(unit_a)
    fund = pending_fund(unit_a)
    bad = signed_filing(unit_a, evidence=None, code="XM-NO-1")
    client.force_login(assessor)
    url = reverse("integrity:verification_bulk_approve")
    response = client.post(url, {"facts": [f"stage-{good.pk}", f"fund-{fund.pk}", f"stage-{bad.pk}"],
                                 "note": "一季度"}, follow=True)
    assert "全部未生效" in response.content.decode() and "XM-NO-1" in response.content.decode()
    assert StageRecord.objects.get(pk=good.pk).verification == "pending"
    client.post(url, {"facts": [f"stage-{good.pk}", f"fund-{fund.pk}"], "note": "一季度"})
    assert StageRecord.objects.get(pk=good.pk).verification == "verified"
    assert FundArrival.objects.get(pk=fund.pk).verification == "verified"


def test_acceptance_4_district_assessor_only_its_own_district(client, district_a, unit_a, unit_a_child, unit_b):
    own = signed_filing(unit_a_child, code="XM-OWN")
    other = signed_filing(unit_b, code="XM-OTHER")
    dept = signed_filing(department(), code="XM-DEPT")
    client.force_login(district_a)
    html = client.get(QUEUE, {"state": "all"}).content.decode()
    assert "XM-OWN" in html and "XM-OTHER" not in html and "XM-DEPT" not in html
    for fact in (other, dept):
        assert client.get(detail(fact)).status_code == 404
        assert client.post(action(fact, "approve")).status_code == 404
        assert client.post(action(fact, "reject"), {"reason": "越权"}).status_code == 404
    response = client.post(reverse("integrity:verification_bulk_approve"),
                           {"facts": [f"stage-{own.pk}", f"stage-{other.pk}"]})
    assert response.status_code == 404
    assert set(StageRecord.objects.filter(pk__in=[own.pk, other.pk, dept.pk]).values_list("verification",
                                                                                          flat=True)) == {"pending"}
    client.post(action(own, "approve"))
    assert StageRecord.objects.get(pk=own.pk).verification == "preliminary"


def test_city_assessor_verifies_department_facts(client, assessor):
    dept = signed_filing(department())
    client.force_login(assessor)
    client.post(action(dept, "approve"))
    assert StageRecord.objects.get(pk=dept.pk).verification == "verified"


def test_unit_users_cannot_act_and_see_their_returned_records(client, staff_a, staff_b, leader, assessor, unit_a):
    record = signed_filing(unit_a, code="XM-RET", evidence=None)
    client.force_login(staff_a)
    assert client.post(action(record, "approve")).status_code == 403
    client.force_login(leader)
    assert client.post(action(record, "approve")).status_code == 403
    assert 'id="nav-verification"' not in client.get(reverse("ledger:project_list")).content.decode()

    client.force_login(assessor)
    assert 'id="nav-verification"' in client.get(QUEUE).content.decode()
    client.post(action(record, "return"), {"reason": "缺少投资协议原件"})

    client.force_login(staff_a)
    queue = client.get(QUEUE).content.decode()
    assert 'id="returned-facts"' in queue and "XM-RET" in queue and "缺少投资协议原件" in queue
    assert 'id="approve-form"' not in client.get(detail(record)).content.decode()
    project_page = client.get(reverse("ledger:project_detail", args=[record.project_id])).content.decode()
    assert "退回" in project_page and "缺少投资协议原件" in project_page and "重新报送" in project_page
    client.force_login(staff_b)
    assert "XM-RET" not in client.get(QUEUE).content.decode()

    client.force_login(staff_a)
    url = reverse("ledger:fact_refile", args=[record.project_id, "stage", record.pk])
    upload = SimpleUploadedFile("投资协议.pdf", b"%PDF-1.4 signed")
    response = client.post(url, {"note": "已补充盖章协议", "files": [upload], "kind": "contract", "next": QUEUE})
    assert response.status_code == 302 and response["Location"] == QUEUE
    record.refresh_from_db()
    assert record.verification == "pending" and record.evidence.get().kind == "contract"
    assert 'id="returned-facts"' not in client.get(QUEUE).content.decode()


def test_evidence_of_a_kind_from_the_project_page_and_the_stage_form(client, staff_a, staff_b, unit_a):
    record = signed_filing(unit_a, evidence=None)
    url = reverse("ledger:stage_evidence_add", args=[record.project_id, "signed"])
    client.force_login(staff_b)
    assert client.post(url, {"kind": "contract", "files": [SimpleUploadedFile("a.pdf", b"x")]}).status_code == 404
    client.force_login(staff_a)
    page = client.get(reverse("ledger:project_detail", args=[record.project_id])).content.decode()
    assert "缺少协议/合同" in page and "待核实" in page
    client.post(url, {"kind": "contract", "files": [SimpleUploadedFile("合同.pdf", b"%PDF")]})
    assert list(record.evidence.values_list("kind", flat=True)) == ["contract"]

    project = record.project
    client.post(reverse("ledger:stage_file", args=[project.pk]),
                {"stage": "registered", "date": "2024-03-05", "evidence_kind": "license",
                 "files": [SimpleUploadedFile("执照.jpg", b"\xff\xd8\xff jpg")]})
    registered = StageRecord.objects.get(project=project, stage="registered")
    assert registered.verification == "pending" and registered.evidence.get().kind == "license"


def test_fund_correction_sends_a_verified_arrival_back(client, staff_a, assessor, unit_a):
    project = ProjectFactory(lead_unit=unit_a)
    fund = pending_fund(unit_a)
    fund.project = project
    fund.verification = "verified"
    fund.save()
    client.force_login(staff_a)
    url = reverse("ledger:fund_edit", args=[project.pk, fund.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"date": "2024-03-01", "amount": "1500", "kind": "fixed_asset",
                                 "evidence_kind": "bank_receipt"})
    assert response.status_code == 302
    fund.refresh_from_db()
    assert fund.amount == 1500 and fund.verification == "pending"
