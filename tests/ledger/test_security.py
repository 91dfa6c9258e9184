"""Probes of the ledger pages that verification added (evidence inline, 补充材料, 更正到位资金, 重新报送) with
four users: unit staff of A and of B, the district assessor of A's district and the leader (read only).
Another unit's object is a 404 (never a 403 that would confirm it exists), the leader writes nothing,
uploads are limited and typed, and a page or an SVG never opens inline."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import FundArrivalFactory, ProjectFactory, UserFactory
from zhaoshang.integrity.services.verification import fact_return
from zhaoshang.ledger.choices import EvidenceKind
from zhaoshang.ledger.models import FundArrival, StageEvidence, StageRecord
from zhaoshang.orgs.choices import UserRole

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def district_a(unit_a):
    return UserFactory(username="district_a", role=UserRole.DISTRICT_ASSESSOR, unit=unit_a)


@pytest.fixture
def project(unit_a):
    return ProjectFactory(lead_unit=unit_a, code="XM-A-5", name="甲区电机项目", verified=False)


@pytest.fixture
def fund(project):
    return FundArrivalFactory(project=project, verified=False, amount=Decimal("500"), date=dt.date(2024, 3, 1))


def pdf(name="合同.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


def urls(project, fund, record):
    return {
        "fund_edit": reverse("ledger:fund_edit", args=[project.pk, fund.pk]),
        "evidence": reverse("ledger:stage_evidence_add", args=[project.pk, "signed"]),
        "refile": reverse("ledger:fact_refile", args=[project.pk, "stage", record.pk]),
    }


def test_another_unit_gets_404_and_the_leader_403_on_every_write(client, project, fund, staff_b, leader, assessor):
    record = StageRecord.objects.get(project=project, stage="signed")
    fact_return(user=assessor, fact=record, reason="缺协议")
    paths = urls(project, fund, record)
    post = {"fund_edit": {"date": "2024-03-01", "amount": "9999", "kind": "fixed_asset"},
            "evidence": {"kind": "contract", "files": [pdf()]},
            "refile": {"note": "补充", "kind": "contract"}}
    client.force_login(staff_b)
    assert client.get(paths["fund_edit"]).status_code == 404
    for name, url in paths.items():
        assert client.post(url, post[name]).status_code == 404, name
    client.force_login(leader)
    for name, url in paths.items():
        post[name].get("files") and post[name].update(files=[pdf()])
        assert client.post(url, post[name]).status_code == 403, name
    fund.refresh_from_db()
    record.refresh_from_db()
    assert fund.amount == Decimal("500") and record.verification == "returned"
    assert not StageEvidence.objects.filter(record=record).exists()


def test_district_assessor_refiles_only_in_its_district(client, unit_b, district_a, assessor):
    other = ProjectFactory(lead_unit=unit_b, code="XM-B-5", verified=False)
    record = StageRecord.objects.get(project=other, stage="signed")
    fact_return(user=assessor, fact=record, reason="缺协议")
    client.force_login(district_a)
    url = reverse("ledger:fact_refile", args=[other.pk, "stage", record.pk])
    assert client.post(url, {"note": "x", "kind": "contract"}).status_code == 404
    record.refresh_from_db()
    assert record.verification == "returned"


@pytest.mark.parametrize("name,content", [
    ("说明.html", b"<script>alert(document.cookie)</script>"),
    ("图.svg", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
    ("伪装.pdf", b"<html><script>alert(1)</script></html>"),
    ("伪装.png", b"<script>alert(1)</script>"),
])
def test_pages_and_scripts_cannot_be_uploaded_as_evidence(client, project, staff_a, name, content):
    client.force_login(staff_a)
    url = reverse("ledger:stage_evidence_add", args=[project.pk, "signed"])
    page = client.post(url, {"kind": "contract", "files": [SimpleUploadedFile(name, content)]}, follow=True)
    assert name in page.content.decode()  # the message names the file
    assert not StageEvidence.objects.exists()


def test_evidence_that_is_not_pdf_or_image_never_opens_inline(client, project, staff_a):
    record = StageRecord.objects.get(project=project, stage="signed")
    # Stored before uploads were typed (or by an administrator): still never rendered by the browser.
    svg = StageEvidence.objects.create(record=record, kind=EvidenceKind.OTHER,
                                       file=SimpleUploadedFile("图.svg", b"<svg onload='alert(1)'/>"))
    client.force_login(staff_a)
    for url in (reverse("ledger:evidence_inline", args=["stage", svg.pk]),
                reverse("ledger:evidence", args=["stage", svg.pk])):
        response = client.get(url)
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "svg" not in response["Content-Type"]


def test_evidence_uploads_are_size_limited(client, settings, project, fund, staff_a):
    settings.UPLOAD_MAX_MB = 1
    big = SimpleUploadedFile("大.pdf", b"%PDF" + b"0" * (1024 * 1024), content_type="application/pdf")
    client.force_login(staff_a)
    page = client.post(reverse("ledger:stage_evidence_add", args=[project.pk, "signed"]),
                       {"kind": "contract", "files": [big]}, follow=True).content.decode()
    assert "超过上限1MB" in page and not StageEvidence.objects.exists()
    big.seek(0)
    page = client.post(reverse("ledger:fund_edit", args=[project.pk, fund.pk]),
                       {"date": "2024-03-01", "amount": "500", "kind": "fixed_asset", "evidence": big,
                        "evidence_kind": "bank_receipt"}).content.decode()
    assert "超过上限1MB" in page
    fund.refresh_from_db()
    assert not fund.evidence


def test_refile_note_is_cleaned_and_the_refile_is_in_history(client, project, staff_a, assessor):
    record = StageRecord.objects.get(project=project, stage="signed")
    fact_return(user=assessor, fact=record, reason="缺协议")
    client.force_login(staff_a)
    client.post(reverse("ledger:fact_refile", args=[project.pk, "stage", record.pk]),
                {"note": "已补\x07协议\u202e", "kind": "contract", "files": [pdf()]})
    record.refresh_from_db()
    assert record.verification == "pending" and record.note == "已补协议"
    last = record.history.first()
    assert last.history_user == staff_a and last.history_change_reason == "重新报送：已补协议"


def test_fund_edit_of_another_projects_fund_is_404(client, project, unit_a, staff_a):
    sibling = ProjectFactory(lead_unit=unit_a, code="XM-A-6")
    theirs = FundArrivalFactory(project=ProjectFactory(code="XM-Z-1"))
    client.force_login(staff_a)
    # A fund id of another project (even the user's own) under this project's URL is not found.
    assert client.get(reverse("ledger:fund_edit", args=[sibling.pk, theirs.pk])).status_code == 404
    assert client.post(reverse("ledger:fund_edit", args=[project.pk, theirs.pk]),
                       {"date": "2024-03-01", "amount": "1", "kind": "fixed_asset"}).status_code == 404
    assert FundArrival.objects.get(pk=theirs.pk).amount == Decimal("1000")
