"""Inspections (督查): "要采取项目单位自查自报和到实地查看相结合的方法，坚持一季一督查" (seed 003). A quarter's plan,
the unit's self-check with attachments, the inspector's site visit with photos, rectification items
closed by the unit and reopened by the office; overdue items in `zhaoshang remind` and on the cockpit.
Permission tests use the three named users (staff_a, staff_b, assessor) and a district assessor of A."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from tests.api.conftest import _api
from tests.factories import PersonFactory, UserFactory
from zhaoshang.activities import reminders
from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.integrity.models import InspectionPlan, Rectification, RectificationStatus, SelfCheckReport
from zhaoshang.integrity.services import inspections as services
from zhaoshang.orgs.choices import UserRole
from zhaoshang.reports.cockpit import cockpit_data

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2024, 7, 20)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def district_a(unit_a):
    return UserFactory(username="district_a", role=UserRole.DISTRICT_ASSESSOR, unit=unit_a)


@pytest.fixture
def plan(assessor, unit_a, unit_b, project_a):
    return services.inspection_plan_create(user=assessor, period="2024q2", title="二季度项目推进督查",
                                           units=[unit_a, unit_b], projects=[project_a], note="重点查看开工情况")


def upload(name: str, content: bytes = b"%PDF-1.4 test", kind: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=kind)


def overdue_item(plan, assessor, unit, **kw) -> Rectification:
    return services.rectification_add(user=assessor, plan=plan, unit=unit, description=kw.pop("description",
                                      "开工手续不全，补办施工许可"), deadline=kw.pop("deadline", dt.date(2024, 7, 10)),
                                      owner_name=kw.pop("owner_name", "王局长"), **kw)


# ---------------------------------------------------------------------------------------------
# The workflow


def test_quarter_plan_self_check_site_visit_and_rectification(client, plan, staff_a, assessor, unit_a, project_a):
    assert plan.period == "2024Q2" and plan.period_label == "2024年第二季度"

    report = services.self_check_submit(user=staff_a, plan=plan, unit=unit_a, summary="项目已开工，进度正常",
                                        issues="施工许可待补", files=[upload("自查表.pdf")])
    visit = services.site_visit_record(user=assessor, plan=plan, unit=unit_a, visited_on=dt.date(2024, 6, 18),
                                       people="市考核办张三、李四", findings="现场已开挖，施工许可未见",
                                       project=project_a, photos=[upload("现场.jpg", b"\xff\xd8\xff", "image/jpeg")])
    owner = PersonFactory(name="王局长", unit=unit_a)
    item = services.rectification_add(user=assessor, plan=plan, unit=unit_a, description="补办施工许可",
                                      deadline=dt.date(2024, 7, 31), owner_person=owner, project=project_a,
                                      site_visit=visit)
    plan.refresh_from_db()
    assert plan.get_status_display() == "督查中"

    client.force_login(staff_a)
    page = client.get(reverse("integrity:inspection_detail", args=[plan.pk])).content.decode()
    for text in ("二季度项目推进督查", "项目已开工，进度正常", "自查表.pdf", "现场已开挖，施工许可未见", "现场.jpg",
                 "补办施工许可", "王局长", "2024-07-31", "整改中"):
        assert text in page, text

    # The attachment downloads through the scoped view; the photo opens in the browser.
    attachment = report.attachments.get()
    response = client.get(reverse("integrity:inspection_file", args=["selfcheck", attachment.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 test"
    photo = visit.photos.get()
    response = client.get(reverse("integrity:inspection_file", args=["photo", photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "attachment" not in response.get("Content-Disposition", "")

    # The unit closes the item with what it did; the office reopens it with a reason and a new deadline.
    response = client.post(reverse("integrity:rectification_close", args=[item.pk]), {"note": "已取得施工许可证"})
    item.refresh_from_db()
    assert item.status == RectificationStatus.DONE and item.closed_by == staff_a and item.closed_at is not None
    client.force_login(assessor)
    client.post(reverse("integrity:rectification_reopen", args=[item.pk]),
                {"note": "许可证范围与现场不符", "deadline": "2024-08-15"})
    item.refresh_from_db()
    assert item.status == RectificationStatus.OPEN and item.deadline == dt.date(2024, 8, 15)
    assert "已取得施工许可证" in item.closure_note and "许可证范围与现场不符" in item.closure_note
    assert [h.status for h in item.history.order_by("history_id")] == ["open", "done", "open"]
    assert report.history.count() == 1 and plan.history.exists()


def test_self_check_form_with_attachments_and_resubmission(client, plan, staff_a, unit_a):
    client.force_login(staff_a)
    url = reverse("integrity:inspection_self_check", args=[plan.pk, unit_a.pk])
    response = client.post(url, {"summary": "第一次报送", "issues": "", "files": [upload("a.pdf"), upload("b.pdf")]})
    assert response.status_code == 302
    response = client.post(url, {"summary": "补充报送", "issues": "台账缺页", "files": [upload("c.pdf")]})
    report = SelfCheckReport.objects.get(plan=plan, unit=unit_a)
    assert report.summary == "补充报送" and report.attachments.count() == 3
    assert [h.summary for h in report.history.order_by("history_id")] == ["第一次报送", "补充报送"]


def test_uploads_are_limited_in_size(client, settings, plan, staff_a, unit_a, assessor):
    settings.UPLOAD_MAX_MB = 1
    client.force_login(staff_a)
    big = upload("大文件.pdf", b"0" * (1024 * 1024 + 1))
    response = client.post(reverse("integrity:inspection_self_check", args=[plan.pk, unit_a.pk]),
                           {"summary": "报送", "files": [big]})
    assert response.status_code == 200
    assert "超过上限1MB" in " ".join(response.context["form"].errors["files"])
    assert not SelfCheckReport.objects.exists()
    with pytest.raises(ApplicationError) as exc:
        services.site_visit_record(user=assessor, plan=plan, unit=unit_a, visited_on=dt.date(2024, 6, 1),
                                   people="张三", findings="查看", photos=[upload("大.jpg", b"0" * (1024 * 1024 + 1))])
    assert "photos" in exc.value.field_errors


def test_a_plan_is_a_quarter(assessor, unit_a):
    for bad in ("2024", "2024-05", "二季度"):
        with pytest.raises(ApplicationError) as exc:
            services.inspection_plan_create(user=assessor, period=bad, title="督查", units=[unit_a])
        assert exc.value.field_errors["period"] == ["督查期间应为季度，如 2024Q2"]
    assert not InspectionPlan.objects.exists()


def test_plan_projects_must_belong_to_its_units(assessor, unit_a, project_b):
    with pytest.raises(ApplicationError) as exc:
        services.inspection_plan_create(user=assessor, period="2024Q3", title="督查", units=[unit_a],
                                        projects=[project_b])
    assert "XM-B-1" in exc.value.field_errors["projects"][0]


def test_assessor_creates_a_plan_on_the_page(client, assessor, staff_a, unit_a, unit_b, project_a):
    client.force_login(staff_a)
    assert client.get(reverse("integrity:inspection_create")).status_code == 403
    client.force_login(assessor)
    response = client.post(reverse("integrity:inspection_create"), {
        "period": "2024Q3", "title": "三季度督查", "units": [unit_a.pk, unit_b.pk], "project_codes": "XM-A-1",
        "note": ""})
    plan = InspectionPlan.objects.get()
    assert response.status_code == 302 and list(plan.projects.all()) == [project_a]
    listing = client.get(reverse("integrity:inspection_list")).content.decode()
    assert "2024年第三季度" in listing and "三季度督查" in listing


# ---------------------------------------------------------------------------------------------
# Scope: the unit, another unit, the office (and a district office)


def test_unit_users_see_and_file_only_their_own(client, plan, staff_a, staff_b, unit_a, unit_b, assessor):
    report = services.self_check_submit(user=staff_a, plan=plan, unit=unit_a, summary="甲区自查情况",
                                        files=[upload("甲区.pdf")])
    item = overdue_item(plan, assessor, unit_a)
    with pytest.raises(PermissionDeniedError):
        services.self_check_submit(user=staff_b, plan=plan, unit=unit_a, summary="代报")
    with pytest.raises(PermissionDeniedError):
        services.self_check_submit(user=assessor, plan=plan, unit=unit_a, summary="代报")
    with pytest.raises(PermissionDeniedError):
        services.rectification_close(user=staff_b, rectification=item, note="已整改")
    with pytest.raises(PermissionDeniedError):
        services.site_visit_record(user=staff_a, plan=plan, unit=unit_a, visited_on=dt.date(2024, 6, 1),
                                   people="自己", findings="很好")
    with pytest.raises(PermissionDeniedError):
        services.inspection_plan_create(user=staff_a, period="2024Q3", title="督查", units=[unit_a])

    client.force_login(staff_b)
    page = client.get(reverse("integrity:inspection_detail", args=[plan.pk])).content.decode()
    assert "乙县" in page and "甲区自查情况" not in page and "开工手续不全" not in page
    attachment = report.attachments.get()
    assert client.get(reverse("integrity:inspection_file", args=["selfcheck", attachment.pk])).status_code == 404
    assert client.get(reverse("integrity:inspection_self_check", args=[plan.pk, unit_a.pk])).status_code == 404
    assert client.post(reverse("integrity:rectification_close", args=[item.pk]), {"note": "x"}).status_code == 404
    assert client.get(reverse("integrity:inspection_visit_create", args=[plan.pk])).status_code == 403

    only_a = services.inspection_plan_create(user=assessor, period="2024Q3", title="甲区专项督查", units=[unit_a])
    assert client.get(reverse("integrity:inspection_detail", args=[only_a.pk])).status_code == 404
    assert "甲区专项督查" not in client.get(reverse("integrity:inspection_list")).content.decode()

    client.force_login(assessor)
    page = client.get(reverse("integrity:inspection_detail", args=[plan.pk])).content.decode()
    assert "甲区自查情况" in page and "开工手续不全" in page


def test_district_assessor_inspects_only_its_district(district_a, plan, unit_a, unit_b):
    visit = services.site_visit_record(user=district_a, plan=plan, unit=unit_a, visited_on=dt.date(2024, 6, 2),
                                       people="区考核办", findings="已查看")
    services.rectification_add(user=district_a, plan=plan, unit=unit_a, description="补材料",
                               deadline=dt.date(2024, 8, 1), owner_name="赵六", site_visit=visit)
    with pytest.raises(PermissionDeniedError):
        services.site_visit_record(user=district_a, plan=plan, unit=unit_b, visited_on=dt.date(2024, 6, 2),
                                   people="区考核办", findings="越权")
    with pytest.raises(PermissionDeniedError):
        services.rectification_add(user=district_a, plan=plan, unit=unit_b, description="越权", owner_name="x",
                                   deadline=dt.date(2024, 8, 1))


# ---------------------------------------------------------------------------------------------
# Overdue 整改: `zhaoshang remind`, the reminders page and the cockpit


def test_overdue_rectification_in_remind_and_on_the_reminders_page(client, plan, assessor, unit_a, unit_b, staff_a,
                                                                   staff_b):
    overdue_item(plan, assessor, unit_a)
    overdue_item(plan, assessor, unit_b, description="乙县按期整改的事项", deadline=dt.date(2024, 12, 31))
    out = io.StringIO()
    call_command("remind", "--date", AS_OF.isoformat(), "--no-open", stdout=out)
    text = out.getvalue()
    assert "甲区" in text
    assert "督查整改“开工手续不全，补办施工许可”逾期 10 天未完成（整改期限 2024-07-10，责任人 王局长" in text
    assert "乙县按期整改的事项" not in text

    assert [r.kind for r in reminders.collect(user=staff_b, as_of=AS_OF).items if r.kind == "rectification"] == []
    client.force_login(staff_a)
    page = client.get(reverse("activities:reminders"), {"date": AS_OF.isoformat()}).content.decode()
    assert "开工手续不全，补办施工许可" in page and "整改" in page


def test_overdue_rectification_on_the_cockpit_red_flags(client, plan, assessor, unit_a, staff_a, staff_b):
    item = overdue_item(plan, assessor, unit_a)
    flags = cockpit_data(user=assessor, year=2024, as_of=AS_OF)["flags"]
    assert flags["rectification_count"] == 1
    assert flags["rectifications"][0] | {"link": None} == {
        "unit": "甲区", "what": "开工手续不全，补办施工许可", "deadline": "2024-07-10", "days": 10, "owner": "王局长",
        "plan": "2024Q2 二季度项目推进督查", "link": None}
    assert cockpit_data(user=staff_a, year=2024, as_of=AS_OF)["flags"]["rectification_count"] == 1
    assert cockpit_data(user=staff_b, year=2024, as_of=AS_OF)["flags"]["rectification_count"] == 0
    # Before the deadline it is not overdue; once closed it is gone.
    assert cockpit_data(user=assessor, year=2024, as_of=dt.date(2024, 7, 10))["flags"]["rectification_count"] == 0
    services.rectification_close(user=staff_a, rectification=item, note="已补办")
    assert cockpit_data(user=assessor, year=2024, as_of=AS_OF)["flags"]["rectification_count"] == 0


def test_cockpit_page_names_the_overdue_item(client, plan, assessor, unit_a):
    overdue_item(plan, assessor, unit_a, deadline=dt.date(2020, 1, 1))
    client.force_login(assessor)
    page = client.get(reverse("reports:cockpit")).content.decode()
    assert "督查整改逾期（1）" in page and "开工手续不全，补办施工许可" in page


# ---------------------------------------------------------------------------------------------
# API


def test_api_plan_self_check_rectification_close(plan, staff_a, staff_b, assessor, unit_a):
    office, unit, other = _api(assessor), _api(staff_a), _api(staff_b)
    base = "/api/integrity/inspections"
    created = office.post(base, {"period": "2024Q3", "title": "三季度督查", "unit_codes": ["A01", "B01"]})
    assert created.status_code == 201, created.json()
    assert unit.post(base, {"period": "2024Q3", "title": "x", "unit_codes": ["A01"]}).status_code == 403
    bad = office.post(base, {"period": "2024Q3", "title": "x", "unit_codes": ["NOPE"]})
    assert bad.status_code == 400 and "unit_codes" in bad.json()["fields"]

    pid = created.json()["id"]
    sent = unit.post(f"{base}/{pid}/self-checks", {"unit_code": "A01", "summary": "接口报送"})
    assert sent.status_code == 201 and sent.json()["unit"]["code"] == "A01"
    assert other.post(f"{base}/{pid}/self-checks", {"unit_code": "A01", "summary": "代报"}).status_code == 403

    added = office.post(f"{base}/{pid}/rectifications", {"unit_code": "A01", "description": "补齐台账",
                                                         "deadline": "2024-07-01", "owner_name": "王局长"})
    assert added.status_code == 201 and added.json()["status"] == "open"
    rid = added.json()["id"]
    overdue = unit.get(f"{base}/rectifications", {"overdue": "true"}).json()
    assert [r["description"] for r in overdue] == ["补齐台账"] and overdue[0]["overdue_days"] > 0
    assert other.get(f"{base}/rectifications").json() == []
    assert other.post(f"{base}/rectifications/{rid}/close", {"note": "x"}).status_code == 404
    no_note = unit.post(f"{base}/rectifications/{rid}/close", {"note": " "})
    assert no_note.status_code == 400 and "note" in no_note.json()["fields"]
    closed = unit.post(f"{base}/rectifications/{rid}/close", {"note": "已补齐"})
    assert closed.status_code == 200 and closed.json()["status_display"] == "已完成"
    assert unit.post(f"{base}/rectifications/{rid}/reopen", {"note": "x"}).status_code == 403
    assert office.post(f"{base}/rectifications/{rid}/reopen", {"note": "未补齐"}).json()["status"] == "open"

    detail = office.get(f"{base}/{pid}").json()
    assert [s["summary"] for s in detail["self_checks"]] == ["接口报送"]
    assert [r["unit"]["code"] for r in detail["rectifications"]] == ["A01"]
    assert [p["title"] for p in other.get(base, {"period": "2024Q3"}).json()] == ["三季度督查"]
    assert other.get(f"{base}/{pid}").json()["self_checks"] == []
