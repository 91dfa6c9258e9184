"""Every chain page answers a unit user with its content: the list, a target's form, detail and conversion
into a project, and a meeting with its report, action item and closing it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import PersonFactory
from zhaoshang.chains.models import ActionItem, ContactStatus, Meeting, TargetEnterprise
from zhaoshang.ledger.models import Project

pytestmark = pytest.mark.django_db


def test_target_form_detail_and_conversion(client, chain, staff_a, unit_a):
    client.force_login(staff_a)
    assert "新能源汽车" in client.get(reverse("chains:chain_list")).content.decode()
    assert client.get(reverse("chains:target_create")).status_code == 200
    bad = client.post(reverse("chains:target_create"), {
        "name": "宁德某电池有限公司", "uscc": "91110000600037341X", "segment": chain.segs["动力电池"].pk,
        "status": ContactStatus.CONTACTED, "following_unit": unit_a.pk, "first_contact_on": "2024-01-10"})
    assert bad.status_code == 200 and "校验位错误" in bad.content.decode()
    response = client.post(reverse("chains:target_create"), {
        "name": "宁德某电池有限公司", "uscc": "91110000600037341L", "segment": chain.segs["动力电池"].pk,
        "tags": ["fortune500", "listed"], "status": ContactStatus.CONTACTED, "following_unit": unit_a.pk,
        "first_contact_on": "2024-01-10"})
    target = TargetEnterprise.objects.get()
    assert response.status_code == 302 and target.tag_labels() == ["世界500强", "上市"]
    page = client.get(reverse("chains:target_detail", args=[target.pk])).content.decode()
    assert "世界500强、上市" in page and "转为台账项目" in page
    assert client.get(reverse("chains:target_edit", args=[target.pk])).status_code == 200

    response = client.post(reverse("chains:target_convert", args=[target.pk]), {
        "code": "XM-T-1", "name": "动力电池项目", "lead_unit": unit_a.pk, "build_kind": "new"})
    project = Project.objects.get(code="XM-T-1")
    assert response.status_code == 302 and response["Location"] == reverse("ledger:project_detail", args=[project.pk])
    page = client.get(response["Location"]).content.decode()
    assert "新建" in page and "世界500强、上市" in page  # the project page shows 建设性质 and 投资方标签


def test_meeting_report_action_and_closing(client, staff_a, unit_a, unit_b):
    client.force_login(staff_a)
    chair = PersonFactory(unit=unit_a, name="王主任")
    response = client.post(reverse("chains:meeting_create"), {
        "kind": "dispatch", "title": "3月上半月调度会", "date": "2024-03-12", "organiser": unit_a.pk,
        "chair": chair.pk, "attendees": [chair.pk], "decisions": "各单位加快对接"})
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and meeting.chair == chair
    url = reverse("chains:meeting_detail", args=[meeting.pk])
    client.post(url, {"what": "report", "unit": unit_a.pk, "content": "本期走访企业12家"})
    client.post(url, {"what": "action", "text": "跟进电池企业", "owner_unit": unit_a.pk, "deadline": "2024-03-31"})
    item = ActionItem.objects.get()
    page = client.get(url).content.decode()
    assert "本期走访企业12家" in page and "跟进电池企业" in page
    client.post(url, {"what": "done", "item": item.pk})
    item.refresh_from_db()
    assert item.done and item.done_on is not None
    assert "3月上半月调度会" in client.get(reverse("chains:meeting_list")).content.decode()
    # A meeting of another unit is not found.
    other = Meeting.objects.create(kind="chain", title="乙县例会", date=dt.date(2024, 3, 1), organiser=unit_b)
    assert client.get(reverse("chains:meeting_detail", args=[other.pk])).status_code == 404
