"""服务与产出 pages as users see them: a unit user sees and changes only their units' records (another
unit's is 404), requests are received, answered, and overdue ones reach the reminders and the cockpit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhaoshang.activities.reminders import collect
from zhaoshang.aftercare import services
from zhaoshang.aftercare.models import InvestorRequest, LiaisonItem, Talent
from zhaoshang.reports.cockpit import cockpit_data

from ..factories import PersonFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary(unit_a):
    return PersonFactory(unit=unit_a, name="王帮办")


@pytest.fixture
def producing(unit_a, secretary):
    return ProjectFactory(lead_unit=unit_a, code="XM-P-1", name="甲区电机厂", signed_on=dt.date(2022, 1, 5),
                          registered_on=dt.date(2022, 2, 1), started_on=dt.date(2022, 3, 1),
                          completed_on=dt.date(2022, 12, 1), producing_on=dt.date(2023, 1, 10), stage="producing",
                          assisting_secretary=secretary)


def test_request_received_answered_and_scoped(client, staff_a, staff_b, producing):
    client.force_login(staff_a)
    response = client.post(reverse("aftercare:request_create"), {
        "project_code": "XM-P-1", "subject": "协调用电增容", "received_on": "2024-03-01", "channel": "secretary"})
    assert response.status_code == 302, response.content.decode()
    item = InvestorRequest.objects.get()
    assert item.assignee.name == "王帮办" and item.deadline == dt.date(2024, 4, 1)
    page = client.get(reverse("aftercare:request_list")).content.decode()
    assert "协调用电增容" in page and "逾期未答复" in page
    response = client.post(reverse("aftercare:request_detail", args=[item.pk]),
                           {"answered_on": "2024-03-20", "answer": "已协调供电公司增容", "satisfaction": "satisfied"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "answered" and item.history.count() == 2
    # another unit: the request, its list and the project code are unknown
    client.force_login(staff_b)
    assert client.get(reverse("aftercare:request_detail", args=[item.pk])).status_code == 404
    assert "协调用电增容" not in client.get(reverse("aftercare:request_list")).content.decode()
    response = client.post(reverse("aftercare:request_create"), {
        "project_code": "XM-P-1", "subject": "x", "received_on": "2024-03-01", "channel": "secretary"})
    assert "不存在或不在本单位范围内" in response.content.decode()


def test_overdue_request_in_reminders_and_cockpit(staff_a, staff_b, producing, assessor):
    services.request_create(user=staff_a, project=producing, subject="办理土地证", received_on=dt.date(2024, 1, 10))
    lines = collect(user=staff_a, as_of=dt.date(2024, 2, 20)).by_kind("investor_request")
    assert len(lines) == 1 and "办理土地证" in lines[0].text and "逾期10天未答复" in lines[0].text
    assert collect(user=staff_b, as_of=dt.date(2024, 2, 20)).by_kind("investor_request") == []
    assert InvestorRequest.objects.get().escalated_on == dt.date(2024, 2, 11)
    data = cockpit_data(user=assessor, year=2024, as_of=dt.date(2024, 2, 20))
    assert data["aftercare"]["request_count"] == 1 and data["aftercare"]["requests"][0]["days"] == 10


def test_cockpit_tax_per_mu_by_unit(assessor, producing, staff_a):
    from zhaoshang.ledger import yields

    yields.yield_record(user=staff_a, project=producing, year=2024, tax=Decimal("600"), land_mu=Decimal("40"))
    data = cockpit_data(user=assessor, year=2024, as_of=dt.date(2024, 12, 31))
    assert data["aftercare"]["tax_per_mu"] == [{"unit": "甲区", "value": "15.00", "tax": "600.00", "land": "40.00"}]


def test_visit_talent_liaison_pages(client, staff_a, staff_b, producing, unit_a, unit_b, secretary):
    client.force_login(staff_a)
    response = client.post(reverse("aftercare:visit_create"), {
        "project_code": "XM-P-1", "date": "2024-05-01", "visitor": secretary.pk, "summary": "生产正常",
        "issues": "招工难\n物流成本高"})
    assert response.status_code == 302
    visit_url = response["Location"]
    assert "招工难" in client.get(visit_url).content.decode()

    pdf = SimpleUploadedFile("协议.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(reverse("aftercare:talent_create"), {
        "name": "张教授团队", "is_team": "on", "team_size": "5", "level": "national", "enterprise": "甲区电机厂",
        "joined_on": "2024-06-01", "unit": unit_a.pk, "evidence": pdf,
        "share_unit_1": unit_a.pk, "share_ratio_1": "0.6", "share_unit_2": unit_b.pk, "share_ratio_2": "0.4"})
    assert response.status_code == 302, response.content.decode()
    talent = Talent.objects.get()
    assert sorted(talent.shares.values_list("ratio", flat=True)) == [Decimal("0.4"), Decimal("0.6")]
    fake = SimpleUploadedFile("假.pdf", b"<html>", content_type="application/pdf")
    response = client.post(reverse("aftercare:talent_create"), {
        "name": "李", "level": "municipal", "enterprise": "x", "joined_on": "2024-06-01", "unit": unit_a.pk,
        "evidence": fake})
    assert "不是 PDF 文件" in response.content.decode() and Talent.objects.count() == 1
    assert client.get(reverse("aftercare:talent_evidence", args=[talent.pk])).status_code == 200

    response = client.post(reverse("aftercare:liaison_create"), {
        "unit": unit_a.pk, "title": "争取中央预算内投资", "sought": "funds", "body": "国家发展改革委",
        "started_on": "2024-02-01", "outcome": "won", "outcome_on": "2024-09-01", "amount_won": "3,000"})
    assert response.status_code == 302, response.content.decode()
    item = LiaisonItem.objects.get()
    assert item.amount_won == Decimal("3000")

    client.force_login(staff_b)
    assert client.get(visit_url).status_code == 404
    assert client.get(reverse("aftercare:liaison_detail", args=[item.pk])).status_code == 404
    # B shares the talent: sees it, may not change it
    assert "张教授团队" in client.get(reverse("aftercare:talent_list")).content.decode()
    assert client.get(reverse("aftercare:talent_edit", args=[talent.pk])).status_code == 403
    assert "服务与产出" in client.get(reverse("aftercare:index")).content.decode()


def test_yield_list_page_scoped(client, staff_a, staff_b, producing):
    from zhaoshang.ledger import yields

    yields.yield_record(user=staff_a, project=producing, year=2024, tax=Decimal("600"), land_mu=Decimal("40"))
    client.force_login(staff_a)
    page = client.get(reverse("aftercare:yield_list") + "?state=pending").content.decode()
    assert "甲区电机厂" in page and "15.00" in page and "待核实" in page
    client.force_login(staff_b)
    assert "甲区电机厂" not in client.get(reverse("aftercare:yield_list")).content.decode()
