"""Probes of the integrity features as an attacker would run them, with four users: unit staff of unit A
(`staff_a`), unit staff of unit B (`staff_b`), the district assessor of A (`district_a`, 区考核办) and the
leader (read only); the city `assessor` sets the scene. A user sees and changes only what their role and
units allow, in the pages, the API and the import, and learns nothing about the rest (404, no names);
every step is in the history; control characters never get in; uploads are limited and typed."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.api.conftest import _api
from tests.factories import ProjectFactory, UnitFactory
from zhaoshang.assessment.engine.xlsx import write_xlsx
from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.uscc import check_character
from zhaoshang.integrity.models import Flag, FlagKind, RegistryEntry, SpotCheckItem
from zhaoshang.integrity.models.inspections import RectificationStatus, SiteVisitPhoto
from zhaoshang.integrity.services import inspections
from zhaoshang.integrity.services import verification as services
from zhaoshang.integrity.services.flags import flag_resolve, flags_scan
from zhaoshang.integrity.services.registry import registry_import
from zhaoshang.integrity.services.spotchecks import spotcheck_draw, spotcheck_record_result
from zhaoshang.ledger.models import StageRecord

from .verification_helpers import district_assessor, pending_fund, signed_filing

pytestmark = pytest.mark.django_db
USCC = "91410100MA44C1234" + check_character("91410100MA44C1234")
QUEUE = reverse("integrity:verification_queue")
BULK = reverse("integrity:verification_bulk_approve")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def district_a(unit_a):
    return district_assessor(unit_a)


def detail(fact, kind="stage"):
    return reverse("integrity:verification_detail", args=[kind, fact.pk])


def action(fact, name, kind="stage"):
    return reverse("integrity:verification_action", args=[kind, fact.pk, name])


def api_fact(fact, suffix="", kind="stage"):
    return f"/api/integrity/verification/{kind}/{fact.pk}{suffix}"


def pdf(name="材料.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


def jpeg(name="现场.jpg", size=0):
    return SimpleUploadedFile(name, b"\xff\xd8\xff\xe0" + b"0" * size, content_type="image/jpeg")


# ---- verification: pages and API, GET and POST, foreign ids ----------------------------------------------------


def test_other_units_facts_are_404_in_pages_and_api_and_nothing_changes(client, unit_a, unit_b, staff_b, district_a):
    fact_a = signed_filing(unit_a)
    fact_b = signed_filing(unit_b)
    before = fact_a.history.count() + fact_b.history.count()
    for user, foreign in ((staff_b, fact_a), (district_a, fact_b)):
        client.force_login(user)
        assert client.get(detail(foreign)).status_code == 404
        for name in ("approve", "return", "reject"):
            assert client.post(action(foreign, name), {"reason": "x"}).status_code == 404
        api = _api(user)
        assert api.get(api_fact(foreign)).status_code == 404
        assert api.post(api_fact(foreign, "/approve"), {}).status_code == 404
        assert api.post(api_fact(foreign, "/return"), {"reason": "x"}).status_code == 404
        # Filtering the queue by another unit's id reveals nothing, not even a count.
        listed = api.get("/api/integrity/verification", {"unit": foreign.project.lead_unit_id, "state": "all"})
        assert listed.json()["count"] == 0
        page = client.get(QUEUE, {"unit": foreign.project.lead_unit_id, "state": ""}).content.decode()
        assert foreign.project.name not in page
    for fact in (fact_a, fact_b):
        fact.refresh_from_db()
        assert fact.verification == "pending"
    assert fact_a.history.count() + fact_b.history.count() == before


def test_bulk_approve_with_one_foreign_id_approves_nothing(client, unit_a, unit_b, district_a):
    mine, theirs = signed_filing(unit_a), signed_filing(unit_b)
    client.force_login(district_a)
    response = client.post(BULK, {"facts": [f"stage-{mine.pk}", f"stage-{theirs.pk}"], "note": "批量"})
    assert response.status_code == 404
    api = _api(district_a)
    refs = [{"kind": "stage", "id": mine.pk}, {"kind": "stage", "id": theirs.pk}]
    assert api.post("/api/integrity/verification/bulk-approve", {"facts": refs}).status_code == 404
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.verification == theirs.verification == "pending"


def test_unit_staff_and_leader_cannot_verify_their_own_or_any_fact(client, unit_a, staff_a, leader):
    fact = signed_filing(unit_a)
    for user in (staff_a, leader):
        client.force_login(user)
        assert client.post(action(fact, "approve")).status_code == 403
        assert client.post(BULK, {"facts": [f"stage-{fact.pk}"]}).status_code == 403
        assert _api(user).post(api_fact(fact, "/approve"), {}).status_code == 403
        assert _api(user).post(api_fact(fact, "/reject"), {"reason": "x"}).status_code == 403
    fact.refresh_from_db()
    assert fact.verification == "pending"


def test_leader_cannot_refile_for_a_unit(unit_a, assessor, leader):
    fact = signed_filing(unit_a)
    services.fact_return(user=assessor, fact=fact, reason="协议未盖章")
    response = _api(leader).post(api_fact(fact, "/refile"), {"note": "代为报送"})
    assert response.status_code == 403
    fact.refresh_from_db()
    assert fact.verification == "returned"


def test_session_api_writes_need_the_csrf_token(unit_a, district_a):
    fact = signed_filing(unit_a)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(district_a)
    refused = browser.post(api_fact(fact, "/approve"), "{}", content_type="application/json")
    assert refused.status_code == 403
    fact.refresh_from_db()
    assert fact.verification == "pending"
    browser.get(QUEUE)  # sets the csrftoken cookie
    token = browser.cookies["csrftoken"].value
    done = browser.post(api_fact(fact, "/approve"), "{}", content_type="application/json",
                        headers={"X-CSRFToken": token})
    assert done.status_code == 200 and done.json()["verification"] == "preliminary"


def test_every_verification_step_is_a_history_row_with_who_and_why(unit_a, district_a, assessor):
    fact = signed_filing(unit_a)
    services.fact_approve(user=district_a, fact=fact, note="原件已核")
    services.fact_approve(user=assessor, fact=fact)
    services.fact_return(user=assessor, fact=fact, reason="金额与协议不符")
    rows = list(fact.history.order_by("history_date", "history_id"))
    assert [r.verification for r in rows[-3:]] == ["preliminary", "verified", "returned"]
    assert [r.history_user for r in rows[-3:]] == [district_a, assessor, assessor]
    assert rows[-3].history_change_reason == "初审通过：原件已核"
    assert rows[-1].history_change_reason == "退回：金额与协议不符"


# ---- control characters and over-long text ------------------------------------------------------------------


def test_control_characters_are_stripped_from_reasons_and_notes(client, unit_a, assessor):
    fact = signed_filing(unit_a)
    client.force_login(assessor)
    client.post(action(fact, "return"), {"reason": "协议\x00未\x07盖章\u202e\x1b[31m"})
    fact.refresh_from_db()
    assert fact.verification == "returned" and fact.verification_reason == "协议未盖章[31m"
    other = signed_filing(unit_a)
    # The API refuses them instead, naming the field (issue 11: every API string is checked before use).
    response = _api(assessor).post(api_fact(other, "/approve"), {"note": "已\x0b核\x7f"})
    assert response.status_code == 422 and "U+000B" in response.json()["fields"]["note"][0]
    assert _api(assessor).post(api_fact(other, "/approve"), {"note": "已核"}).status_code == 200
    assert other.history.first().history_change_reason == "认定：已核"


def test_over_long_reasons_and_notes_are_refused_by_name(client, unit_a, assessor):
    fact = signed_filing(unit_a)
    client.force_login(assessor)
    page = client.post(action(fact, "return"), {"reason": "长" * 501}, follow=True).content.decode()
    assert "理由不能超过500个字" in page
    page = client.post(action(fact, "approve"), {"note": "长" * 101}, follow=True).content.decode()
    assert "意见不能超过100个字" in page
    fact.refresh_from_db()
    assert fact.verification == "pending"  # the over-long note is not silently dropped: nothing happened
    response = _api(assessor).post(api_fact(fact, "/return"), {"reason": "长" * 501})
    assert response.status_code == 422


# ---- flags --------------------------------------------------------------------------------------------------


@pytest.fixture
def cross_flag(unit_a, unit_b):
    """Unit A and unit B (another district) file the same investor."""
    ProjectFactory(lead_unit=unit_a, code="XM-A-7", name="甲区客车项目", investor="郑州宇通客车有限公司",
                   investor_uscc=USCC, signed_amount=Decimal("60000"), signed_on=dt.date(2023, 3, 1))
    ProjectFactory(lead_unit=unit_b, code="XM-B-7", name="乙县客车项目", investor="郑州宇通客车有限公司",
                   investor_uscc=USCC, signed_amount=Decimal("60000"), signed_on=dt.date(2023, 4, 1))
    flags_scan(year=2023)
    return Flag.objects.get(kind=FlagKind.SAME_INVESTOR)


def test_district_assessor_cannot_resolve_a_flag_touching_another_district(client, cross_flag, district_a,
                                                                            staff_b, leader):
    resolve = reverse("integrity:flag_resolve", args=[cross_flag.pk])
    client.force_login(district_a)
    page = client.get(reverse("integrity:flag_detail", args=[cross_flag.pk])).content.decode()
    assert "甲区客车项目" in page and "乙县客车项目" not in page and "乙县" not in page and "XM-B-7" not in page
    assert client.post(resolve, {"resolution": "excluded", "reason": "不是重复"}).status_code == 403
    assert _api(district_a).post(f"/api/integrity/flags/{cross_flag.pk}/resolve",
                                 {"resolution": "excluded", "reason": "x"}).status_code == 403
    client.force_login(leader)
    assert client.post(resolve, {"resolution": "excluded", "reason": "不是重复"}).status_code == 403
    client.force_login(staff_b)  # staff of B sees it (its own project), but may not resolve either
    assert client.post(resolve, {"resolution": "excluded", "reason": "不是重复"}).status_code == 403
    cross_flag.refresh_from_db()
    assert cross_flag.is_open


def test_flag_list_filtered_by_another_unit_says_nothing(cross_flag, staff_a, unit_b):
    api = _api(staff_a)
    assert api.get("/api/integrity/flags").json()["count"] == 1
    assert api.get("/api/integrity/flags", {"unit_code": unit_b.code}).json()["count"] == 0


def test_only_the_city_scans_and_imports_the_registry(client, cross_flag, district_a, leader):
    client.force_login(district_a)
    assert client.post(reverse("integrity:flag_scan"), {"year": "2023"}).status_code == 403
    assert _api(district_a).post("/api/integrity/flags/scan", {"year": 2023}).status_code == 403
    header = "企业名称,统一社会信用代码,成立日期,登记机关,注册资本,登记状态\n"
    csv = SimpleUploadedFile("r.csv", (header + f"甲公司,{USCC},2020-01-01,郑州,100,存续\n").encode())
    assert client.post(reverse("integrity:registry"), {"file": csv}).status_code == 403
    client.force_login(leader)
    assert client.post(reverse("integrity:registry"), {"file": csv}).status_code == 403
    assert not RegistryEntry.objects.exists()


def test_flag_resolution_cleans_its_reason_keeps_shares_to_the_flags_units_and_is_in_history(cross_flag, assessor):
    far = UnitFactory(code="Z09", name="远方区")
    kept = cross_flag.rows.get(position=0).project
    with pytest.raises(ApplicationError, match="分成单位只能是疑点涉及的单位"):
        flag_resolve(user=assessor, flag=cross_flag, resolution="confirmed", reason="x", kept_project=kept,
                     shares=[(kept.lead_unit, Decimal("0.5")), (far, Decimal("0.5"))])
    with pytest.raises(ApplicationError, match="理由不能超过500个字"):
        flag_resolve(user=assessor, flag=cross_flag, resolution="excluded", reason="长" * 501)
    flag_resolve(user=assessor, flag=cross_flag, resolution="excluded", reason="两期\x00项目\u200b")
    cross_flag.refresh_from_db()
    assert cross_flag.resolution_reason == "两期项目"
    last = cross_flag.history.first()
    assert last.status == "resolved" and last.history_user == assessor


# ---- spot-checks --------------------------------------------------------------------------------------------


@pytest.fixture
def spot_item(unit_a, district_a, assessor):
    fact = signed_filing(unit_a, signed_on=dt.date(2024, 3, 1))
    services.fact_approve(user=district_a, fact=fact)
    check = spotcheck_draw(user=assessor, period="2024", rate=Decimal(1), min_per_unit=1, seed=7)
    return check.items.get()


def test_district_assessor_cannot_record_spot_check_results(client, spot_item, district_a, staff_a, leader):
    url = reverse("integrity:spotcheck_item_result", args=[spot_item.pk])
    client.force_login(district_a)
    prefix = f"item{spot_item.pk}"
    assert client.post(url, {f"{prefix}-result": "accurate"}).status_code == 403
    api = _api(district_a)
    assert api.post(f"/api/integrity/spotchecks/items/{spot_item.pk}/result", {"result": "accurate"}).status_code == 403
    # The population is the whole city's: a district learns only its own sampled facts, not the total.
    assert api.get(f"/api/integrity/spotchecks/{spot_item.spot_check_id}").json()["population_size"] is None
    assert api.get("/api/integrity/spotchecks").json()[0]["population_size"] is None
    for user in (staff_a, leader):
        client.force_login(user)
        assert client.post(url, {f"{prefix}-result": "accurate"}).status_code == 403
        assert client.post(reverse("integrity:spotcheck_new"), {"period": "2024", "rate": "1", "min_per_unit": "1",
                                                                "seed": "1"}).status_code == 403
    spot_item.refresh_from_db()
    assert spot_item.result == "pending"


def test_a_spot_check_result_is_in_the_history_of_the_item_and_the_fact(spot_item, assessor):
    spotcheck_record_result(user=assessor, item=spot_item, result="inaccurate", reason="现场无\x07此项目")
    item = SpotCheckItem.objects.get(pk=spot_item.pk)
    assert item.reason == "现场无此项目" and item.history.first().history_user == assessor
    fact = StageRecord.objects.get(pk=item.stage_record_id)
    assert fact.verification == "rejected" and fact.history.first().history_change_reason == "抽查复核不属实"


# ---- inspections ----------------------------------------------------------------------------------------------


@pytest.fixture
def plan(assessor, unit_a, unit_b, project_a, project_b):
    return inspections.inspection_plan_create(user=assessor, period="2024Q2", title="二季度督查",
                                              units=[unit_a, unit_b], projects=[project_a, project_b])


@pytest.fixture
def plan_a(assessor, unit_a, project_a):
    return inspections.inspection_plan_create(user=assessor, period="2024Q2", title="甲区专项督查",
                                              units=[unit_a], projects=[project_a])


def test_a_unit_inspected_with_others_sees_only_its_own_units_and_projects(client, plan, staff_a, unit_b):
    client.force_login(staff_a)
    page = client.get(reverse("integrity:inspection_detail", args=[plan.pk])).content.decode()
    assert "甲区电池项目" in page and "乙县光伏项目" not in page and "XM-B-1" not in page
    listing = client.get(reverse("integrity:inspection_list")).content.decode()
    assert "二季度督查" in listing and unit_b.name not in listing
    data = _api(staff_a).get(f"/api/integrity/inspections/{plan.pk}").json()
    assert [p["code"] for p in data["projects"]] == ["XM-A-1"] and [u["code"] for u in data["units"]] == ["A01"]


def test_self_check_for_a_unit_not_in_the_plan_or_of_another_unit(client, plan, plan_a, staff_a, staff_b, unit_a,
                                                                  unit_b, leader):
    client.force_login(staff_b)
    url = reverse("integrity:inspection_self_check", args=[plan_a.pk, unit_a.pk])
    assert client.post(url, {"summary": "冒名报送"}).status_code == 404  # the plan names only A: not B's
    assert client.post(reverse("integrity:inspection_self_check", args=[plan.pk, unit_a.pk]),
                       {"summary": "冒名报送"}).status_code == 404
    client.force_login(staff_a)
    assert client.post(reverse("integrity:inspection_self_check", args=[plan_a.pk, unit_b.pk]),
                       {"summary": "x"}).status_code == 404
    assert _api(staff_b).post(f"/api/integrity/inspections/{plan_a.pk}/self-checks",
                              {"unit_code": "A01", "summary": "x"}).status_code == 404
    client.force_login(leader)
    assert client.post(reverse("integrity:inspection_self_check", args=[plan.pk, unit_a.pk]),
                       {"summary": "x"}).status_code == 403
    assert not plan.self_checks.exists() and not plan_a.self_checks.exists()


def test_uploads_are_typed_and_limited(settings, plan, staff_a, unit_a, assessor):
    settings.UPLOAD_MAX_MB = 1
    with pytest.raises(ApplicationError, match="类型不允许上传"):
        inspections.self_check_submit(user=staff_a, plan=plan, unit=unit_a, summary="自查",
                                      files=[SimpleUploadedFile("x.html", b"<script>alert(1)</script>")])
    with pytest.raises(ApplicationError, match="内容不是 PDF 文件"):
        inspections.self_check_submit(user=staff_a, plan=plan, unit=unit_a, summary="自查",
                                      files=[SimpleUploadedFile("x.pdf", b"<html><script>alert(1)</script>")])
    with pytest.raises(ApplicationError, match="类型不允许上传"):
        inspections.site_visit_record(user=assessor, plan=plan, unit=unit_a, visited_on=dt.date(2024, 5, 1),
                                      people="张三", findings="查看", photos=[pdf("现场.pdf")])
    with pytest.raises(ApplicationError, match="类型不允许上传"):
        inspections.site_visit_record(user=assessor, plan=plan, unit=unit_a, visited_on=dt.date(2024, 5, 1),
                                      people="张三", findings="查看",
                                      photos=[SimpleUploadedFile("x.svg", b"<svg onload=alert(1)>")])
    with pytest.raises(ApplicationError, match="超过上限1MB"):
        inspections.site_visit_record(user=assessor, plan=plan, unit=unit_a, visited_on=dt.date(2024, 5, 1),
                                      people="张三", findings="查看", photos=[jpeg(size=1024 * 1024)])
    assert not plan.self_checks.exists() and not plan.site_visits.exists()


def test_inspection_photos_open_sandboxed_and_unsniffed(client, plan, assessor, staff_a, staff_b, unit_a):
    visit = inspections.site_visit_record(user=assessor, plan=plan, unit=unit_a, visited_on=dt.date(2024, 5, 1),
                                          people="张三", findings="查看", photos=[jpeg()])
    photo = SiteVisitPhoto.objects.get(visit=visit)
    url = reverse("integrity:inspection_file", args=["photo", photo.pk])
    client.force_login(staff_a)
    response = client.get(url)
    assert response["Content-Type"] == "image/jpeg" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    client.force_login(staff_b)
    assert client.get(url).status_code == 404


def test_texts_of_inspections_are_cleaned_and_limited_and_closing_is_in_history(plan, assessor, staff_a, unit_a):
    with pytest.raises(ApplicationError, match="整改事项不能超过5000个字"):
        inspections.rectification_add(user=assessor, plan=plan, unit=unit_a, description="长" * 5001,
                                      deadline=dt.date(2024, 7, 1))
    item = inspections.rectification_add(user=assessor, plan=plan, unit=unit_a, description="补办\x00施工许可",
                                         deadline=dt.date(2024, 7, 1), owner_name="王\n局长")
    assert item.description == "补办施工许可" and item.owner_name == "王 局长"
    inspections.rectification_close(user=staff_a, rectification=item, note="已补办\x1b")
    item.refresh_from_db()
    assert item.status == RectificationStatus.DONE and item.closure_note == "已补办"
    last = item.history.first()
    assert last.status == RectificationStatus.DONE and last.history_user == staff_a


def test_leader_and_other_units_cannot_write_inspections(client, plan, leader, staff_b, unit_a):
    item = inspections.rectification_add(user=plan.created_by, plan=plan, unit=unit_a, description="补办",
                                         deadline=dt.date(2024, 7, 1), owner_name="王局长")
    close = reverse("integrity:rectification_close", args=[item.pk])
    client.force_login(staff_b)
    assert client.post(close, {"note": "代为销号"}).status_code == 404
    client.force_login(leader)
    assert client.post(close, {"note": "代为销号"}).status_code == 403
    assert client.post(reverse("integrity:inspection_status", args=[plan.pk]), {"status": "done"}).status_code == 403
    assert client.post(reverse("integrity:inspection_create"), {"period": "2024Q3", "title": "x"}).status_code == 403
    assert client.post(reverse("integrity:inspection_visit_create", args=[plan.pk]),
                       {"unit": unit_a.pk}).status_code == 403
    assert _api(leader).post("/api/integrity/inspections", {"period": "2024Q3", "title": "x",
                                                            "unit_codes": ["A01"]}).status_code == 403
    item.refresh_from_db()
    plan.refresh_from_db()
    assert item.status == RectificationStatus.OPEN and plan.status != "done"


# ---- pre-review -----------------------------------------------------------------------------------------------


def test_pre_review_of_another_units_project(client, project_b, staff_a, district_a, leader):
    url = reverse("integrity:prereview_create", args=[project_b.pk])
    data = {"direction_fit": "fit", "policy_fit": "fit", "reviewer": "专家组", "reviewed_on": "2024-01-05",
            "conclusion": "passed"}
    for user in (staff_a, district_a):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, data).status_code == 404
        assert _api(user).post("/api/integrity/prereviews", {**data, "project_code": "XM-B-1"}).status_code == 400
    client.force_login(leader)
    assert client.post(url, data).status_code == 403
    assert not project_b.prereviews.exists()


# ---- tokens of every role --------------------------------------------------------------------------------------


def test_bearer_tokens_of_each_role_keep_to_their_scope(unit_a, unit_b, staff_a, staff_b, district_a, leader):
    fact_a, fund_b = signed_filing(unit_a), pending_fund(unit_b)
    expected = {  # (fact of A, fund of B) → status of GET
        staff_a: (200, 404), staff_b: (404, 200), district_a: (200, 404), leader: (200, 200),
    }
    for user, (a, b) in expected.items():
        api = _api(user)
        assert api.get(api_fact(fact_a)).status_code == a
        assert api.get(api_fact(fund_b, kind="fund")).status_code == b
    assert _api(leader).post(api_fact(fund_b, "/approve", kind="fund"), {}).status_code == 403
    fund_b.refresh_from_db()
    assert fund_b.verification == "pending"


# ---- delegation is the city's ---------------------------------------------------------------------------------


def test_district_assessor_cannot_delegate_verification_to_itself(client, unit_a, district_a):
    response = _api(district_a).patch(f"/api/units/{unit_a.pk}", {"verification_delegated": True})
    assert response.status_code in (403, 422)
    assert _api(district_a).patch(f"/api/units/{unit_a.pk}", {"name": "甲区（改）"}).status_code == 403
    client.force_login(district_a)
    admin = client.get(reverse("admin:orgs_unit_change", args=[unit_a.pk]))
    assert admin.status_code == 302 and "/login/" in admin["Location"]
    unit_a.refresh_from_db()
    assert not unit_a.verification_delegated and unit_a.name == "甲区"
    fact = signed_filing(unit_a)
    assert services.fact_approve(user=district_a, fact=fact).verification == "preliminary"


def test_only_the_city_sees_who_imported_the_registry(client, assessor, district_a, leader, staff_a):
    header = "企业名称,统一社会信用代码,成立日期,登记机关,注册资本,登记状态\n"
    registry_import(content=(header + f"甲公司,{USCC},2020-01-01,郑州,100,存续\n").encode(),
                    file_name="全市登记库2023.csv", user=assessor)
    page = reverse("integrity:registry")
    client.force_login(district_a)
    html = client.get(page).content.decode()
    assert "已导入1家企业" in html  # whether there is data to compare with
    assert "全市登记库2023.csv" not in html and 'id="registry-imports"' not in html and "导入人" not in html
    assert 'id="registry-form"' not in html and "由市考核办统一导入" in html
    client.force_login(leader)  # sees the whole city, imports nothing
    html = client.get(page).content.decode()
    assert "全市登记库2023.csv" in html and 'id="registry-form"' not in html
    client.force_login(assessor)
    html = client.get(page).content.decode()
    assert "全市登记库2023.csv" in html and 'id="registry-form"' in html
    client.force_login(staff_a)
    assert client.get(page).status_code == 403


# ---- the import: registry extracts, --verified by a unit user ---------------------------------------------------


def test_registry_import_keeps_formulas_as_text_and_strips_control_characters(assessor):
    header = "企业名称,统一社会信用代码,成立日期,登记机关,注册资本,登记状态\n"
    row = f'"=HYPERLINK(""http://evil"",""点我"")\x07",{USCC},2020-01-01,郑州\x00,100,存续\n'
    registry_import(content=(header + row).encode(), file_name="r.csv", user=assessor)
    entry = RegistryEntry.objects.get()
    assert entry.name == '=HYPERLINK("http://evil","点我")' and entry.authority == "郑州"


def test_registry_import_is_limited_and_typed(settings, assessor):
    settings.UPLOAD_MAX_MB = 1
    header = "企业名称,统一社会信用代码,成立日期,登记机关,注册资本,登记状态\n"
    with pytest.raises(ApplicationError, match="超过上限1MB"):
        registry_import(content=(header + "x" * (1024 * 1024)).encode(), file_name="r.csv", user=assessor)
    with pytest.raises(ApplicationError, match="只能导入"):
        registry_import(content=header.encode(), file_name="r.html", user=assessor)


def test_registry_workbook_formula_cells_are_read_as_their_value(assessor):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["企业名称", "统一社会信用代码", "成立日期", "登记机关", "注册资本", "登记状态"])
    ws.append(["甲公司", USCC, "2020-01-01", '=HYPERLINK("http://evil","郑州")', "100", "存续"])
    buf = io.BytesIO()
    wb.save(buf)
    registry_import(content=buf.getvalue(), file_name="r.xlsx", user=assessor)
    # No cached result (written by a program): the cell reads as empty, never as a live formula.
    assert "HYPERLINK" not in RegistryEntry.objects.get().authority


def test_background_import_by_a_unit_user_cannot_verify(tmp_path, unit_a, staff_a):
    from tests.exchange.helpers import fill
    from tests.exchange.test_import_verification import ledger, states
    from zhaoshang.exchange.models import ImportJob
    from zhaoshang.exchange.tasks import run_job

    path = fill(tmp_path / "台账.xlsx", ledger())
    job = ImportJob.objects.create(user=staff_a, file=str(path), original_name="台账.xlsx", verified=True)
    run_job(job)
    assert "verified" not in set(states().values())


# ---- exports --------------------------------------------------------------------------------------------------


def test_run_workbook_writes_formula_like_text_as_text(tmp_path):
    evil = '=HYPERLINK("http://evil","点我")'
    item = {"name": "签约", "points": "1", "value": "1", "target": "1", "max": "1", "explain": "+1\x07"}
    subject = {"code": "@A01", "name": evil}
    data = {
        "scheme": {"name": "方案"}, "period": {"label": "2024年"}, "as_of": "2024-12-31",
        "results": [{"group": "-", "rank": 1, "subject": subject, "total": "1", "grade": "", "honours": [],
                     "flags": [], "items": [item],
                     "facts": {"signed": {"filed": "1", "verified": "1"}, "funds": {"filed": "1", "verified": "0"},
                               "waiting": 0}}],
        "conflicts": [{"project": {"code": "+XM", "name": evil}, "units": [{"name": "-甲区"}], "message": "=1+1"}],
    }
    write_xlsx(data, tmp_path / "run.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "run.xlsx")
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in cells)
    assert evil in [c.value for c in cells] and "+1" in [c.value for c in cells]


def test_service_refusals_are_permission_errors_not_silent(unit_b, district_a):
    with pytest.raises(PermissionDeniedError):
        services.fact_approve(user=district_a, fact=signed_filing(unit_b))


def test_leader_writes_nothing_through_the_api(cross_flag, project_a, leader):
    api = _api(leader)
    refused = [
        api.post("/api/integrity/flags/scan", {"year": 2023}),
        api.post(f"/api/integrity/flags/{cross_flag.pk}/resolve", {"resolution": "excluded", "reason": "x"}),
        api.post("/api/integrity/spotchecks", {"period": "2023", "rate": "0.1", "min_per_unit": 1, "seed": 1}),
        api.post("/api/integrity/prereviews", {"project_code": project_a.code, "direction_fit": "fit",
                                               "policy_fit": "fit", "reviewer": "专家组",
                                               "reviewed_on": "2024-01-05", "conclusion": "passed"}),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403, 403]
    cross_flag.refresh_from_db()
    assert cross_flag.is_open and not project_a.prereviews.exists()
