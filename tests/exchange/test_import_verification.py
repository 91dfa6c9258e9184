"""Imports and 核实认定: imported facts wait for verification like any filing; an assessor can bring in a
ledger that was already checked (`--verified`, or the checkbox on the page); a unit user cannot."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tests.factories import UserFactory
from zhaoshang.exchange import views as exchange_views
from zhaoshang.exchange.importer import import_workbook
from zhaoshang.exchange.models import ImportJob
from zhaoshang.ledger.models import FundArrival, Project, StageRecord
from zhaoshang.orgs.choices import UserRole

from .helpers import fill

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SIGNED, REGISTERED = dt.date(2024, 2, 1), dt.date(2024, 3, 5)


def ledger(**changes) -> dict:
    project = {
        "项目编号": "XM-V1", "项目名称": "甲区电池项目", "投资方": "某某新能源科技有限公司",
        "签约金额(万元)": 80000, "签约日期": SIGNED, "注册日期": REGISTERED, "引资单位编码": "A01",
    }
    project.update(changes)
    return {
        "项目": [project],
        "到位资金": [{"项目编号": "XM-V1", "到位日期": dt.date(2024, 3, 10), "金额(万元)": 1000,
                   "资金类型": "固定资产投资"}],
    }


def states() -> dict[str, str]:
    facts = {r.stage: r.verification for r in StageRecord.objects.all()}
    for arrival in FundArrival.objects.all():  # one arrival in these workbooks
        facts["fund"] = arrival.verification
    return facts


def history_rows() -> int:
    return sum(m.history.count() for m in (Project, StageRecord, FundArrival))


def upload(path):
    return SimpleUploadedFile("台账.xlsx", path.read_bytes(), content_type=XLSX)


def test_imported_facts_wait_for_verification(tmp_path, unit_a, staff_a):
    result = import_workbook(fill(tmp_path / "台账.xlsx", ledger()), user=staff_a)
    assert result.committed, result.errors
    # The 签约 filing is made with the others, and nothing counts as verified yet.
    assert states() == {"signed": "pending", "registered": "pending", "fund": "pending"}
    assert StageRecord.objects.get(stage="signed").date == SIGNED
    project = Project.objects.get(code="XM-V1")
    assert project.signed_verified_on is None and project.registered_verified_on is None
    assert "直接认定" not in result.summary()


def test_verified_import_by_the_operator(tmp_path, unit_a):
    out = io.StringIO()
    call_command("import", str(fill(tmp_path / "台账.xlsx", ledger())), "--verified", "--no-progress", stdout=out)
    assert "直接认定3条" in out.getvalue()
    assert states() == {"signed": "verified", "registered": "verified", "fund": "verified"}
    signed = StageRecord.objects.get(stage="signed")
    # A checked ledger counts from the fact's own date, so last year's ledger counts for last year.
    assert signed.verified_on == SIGNED and signed.verified_by is None and signed.verified_at is not None
    project = Project.objects.get(code="XM-V1")
    assert project.signed_verified_on == SIGNED and project.registered_verified_on == REGISTERED


def test_verified_import_names_the_assessor_as_verifier(tmp_path, unit_a, assessor):
    path = fill(tmp_path / "台账.xlsx", ledger())
    call_command("import", str(path), "--verified", "--user", "assessor", "--no-progress", stdout=io.StringIO())
    for fact in (*StageRecord.objects.all(), *FundArrival.objects.all()):
        assert fact.verification == "verified"
        assert fact.verified_by == assessor and fact.reviewed_by == assessor and fact.verified_on == fact.date
        # The step is in the history, by the assessor.
        last = fact.history.first()
        assert last.verification == "verified" and last.history_user == assessor


def test_unit_user_cannot_import_as_verified_from_the_command_line(tmp_path, unit_a, staff_a):
    path = fill(tmp_path / "台账.xlsx", ledger())
    with pytest.raises(CommandError, match="只有考核办可以将导入的数据直接认定"):
        call_command("import", str(path), "--verified", "--user", "staff_a", "--no-progress",
                     stdout=io.StringIO())
    assert not Project.objects.exists()
    # Nor by calling the importer directly.
    result = import_workbook(path, user=staff_a, verified=True)
    assert not result.ok and "只有考核办" in result.fatal and not Project.objects.exists()


def test_district_assessor_only_where_the_city_delegated(tmp_path, unit_a):
    district = UserFactory(username="qkh", role=UserRole.DISTRICT_ASSESSOR, unit=unit_a)
    path = fill(tmp_path / "台账.xlsx", ledger())
    refused = import_workbook(path, user=district, verified=True)
    assert "须经市考核办认定" in refused.fatal and not Project.objects.exists()
    unit_a.verification_delegated = True
    unit_a.save()
    district.refresh_from_db()
    assert import_workbook(path, user=district, verified=True).committed
    assert set(states().values()) == {"verified"}


def test_import_page_checkbox_for_assessors_only(client, tmp_path, unit_a, staff_a, staff_b, assessor):
    path = fill(tmp_path / "台账.xlsx", ledger())
    for user in (staff_a, staff_b):
        client.force_login(user)
        assert "导入的数据已经核实（直接认定）" not in client.get(reverse("exchange:index")).content.decode()
    # A unit user posting the flag anyway is refused, and nothing is imported.
    client.force_login(staff_a)
    refused = client.post(reverse("exchange:import"), {"file": upload(path), "verified": "on"})
    assert refused.status_code == 403 and "只有考核办可以将导入的数据直接认定" in refused.content.decode()
    assert not Project.objects.exists() and not ImportJob.objects.exists()
    client.force_login(assessor)
    assert "导入的数据已经核实（直接认定）" in client.get(reverse("exchange:index")).content.decode()
    page = client.post(reverse("exchange:import"), {"file": upload(path), "verified": "on"}, follow=True)
    assert "导入成功" in page.content.decode() and "直接认定3条" in page.content.decode()
    assert set(states().values()) == {"verified"}
    assert StageRecord.objects.get(stage="registered").verified_by == assessor


def test_background_import_carries_the_flag(client, tmp_path, unit_a, assessor, monkeypatch):
    monkeypatch.setattr(exchange_views, "INLINE_MAX_BYTES", 0)  # every upload goes to the task queue
    client.force_login(assessor)
    client.post(reverse("exchange:import"), {"file": upload(fill(tmp_path / "台账.xlsx", ledger())),
                                             "verified": "on"})
    job = ImportJob.objects.get()
    assert job.verified and job.status == "done"
    assert set(states().values()) == {"verified"}


@pytest.mark.parametrize("verified", [False, True])
def test_reimport_of_the_same_file_changes_nothing(tmp_path, unit_a, verified):
    path = fill(tmp_path / "台账.xlsx", ledger())
    flags = ["--verified"] if verified else []
    call_command("import", str(path), *flags, "--no-progress", stdout=io.StringIO())
    before, facts = history_rows(), states()
    out = io.StringIO()
    call_command("import", str(path), *flags, "--no-progress", stdout=out)
    assert "新增0行，更新0行" in out.getvalue()
    assert history_rows() == before and states() == facts


def test_a_changed_stage_date_goes_back_to_pending(tmp_path, unit_a, staff_a):
    call_command("import", str(fill(tmp_path / "核实.xlsx", ledger())), "--verified", "--no-progress",
                 stdout=io.StringIO())
    moved = dt.date(2024, 3, 8)
    result = import_workbook(fill(tmp_path / "更正.xlsx", ledger(**{"注册日期": moved})), user=staff_a)
    assert result.committed, result.errors
    registered = StageRecord.objects.get(stage="registered")
    assert registered.date == moved and registered.verification == "pending" and registered.verified_on is None
    assert states() == {"signed": "verified", "registered": "pending", "fund": "verified"}
    project = Project.objects.get(code="XM-V1")
    assert project.signed_verified_on == SIGNED and project.registered_verified_on is None
    assert registered.history.first().history_user == staff_a


def test_a_changed_signed_amount_reopens_the_signing(tmp_path, unit_a, staff_a, assessor):
    call_command("import", str(fill(tmp_path / "核实.xlsx", ledger())), "--verified", "--no-progress",
                 stdout=io.StringIO())
    import_workbook(fill(tmp_path / "金额.xlsx", ledger(**{"签约金额(万元)": 90000})), user=staff_a)
    assert states() == {"signed": "pending", "registered": "verified", "fund": "verified"}
    assert Project.objects.get(code="XM-V1").signed_verified_on is None
    # An assessor's verified import of the corrected ledger verifies it again, on the fact's date.
    import_workbook(fill(tmp_path / "改.xlsx", ledger(**{"签约金额(万元)": 95000})), user=assessor, verified=True)
    signed = StageRecord.objects.get(stage="signed")
    assert signed.verification == "verified" and signed.verified_by == assessor and signed.verified_on == SIGNED
    assert Project.objects.get(code="XM-V1").signed_verified_on == SIGNED
