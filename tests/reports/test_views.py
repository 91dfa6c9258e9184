"""Pages and downloads: leaders read the cockpit and bulletins, unit users see their own unit and
published runs only, only assessors publish and close periods."""

import io
import re

import pytest
from docx import Document
from openpyxl import load_workbook

from zhaoshang.periods.models import PeriodClose
from zhaoshang.reports.publish import publish

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["assessor", "leader", "bj_staff"])
def test_cockpit_page_and_data(client, city, who, request):
    login(client, request.getfixturevalue(who))
    page = client.get("/reports/cockpit/?year=2024")
    assert page.status_code == 200
    html = page.content.decode()
    assert "vendor/echarts.min.js" in html and "zhaoshang/cockpit.js" in html
    # nothing loaded from another host (the bare word "cdn" also turned up inside a random CSRF token)
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)
    data = client.get("/reports/cockpit/data/?year=2024&as_of=2024-03-31").json()
    units = {u["unit"] for g in data["ranking"] for u in g["units"]}
    assert ("驻上海招商局" in units) == (who != "bj_staff")


def test_downloads(client, q1_run, leader):
    login(client, leader)
    for name, kind in (("bulletin.docx", "docx"), ("annual.docx", "docx"), ("bulletin.xlsx", "xlsx"),
                       ("annual.xlsx", "xlsx")):
        r = client.get(f"/reports/runs/{q1_run.pk}/{name}")
        assert r.status_code == 200, name
        body = b"".join(r.streaming_content)
        if kind == "docx":
            assert "关于2024年" in "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)
        else:
            assert load_workbook(io.BytesIO(body)).sheetnames


def test_unit_users_get_published_bulletins_only(client, q1_run, bj_staff, assessor):
    login(client, bj_staff)
    assert client.get(f"/reports/runs/{q1_run.pk}/bulletin.docx").status_code == 404
    publish(user=assessor, run=q1_run)
    assert client.get(f"/reports/runs/{q1_run.pk}/bulletin.docx").status_code == 200
    assert client.get(f"/reports/runs/{q1_run.pk}/diff/").status_code == 403


def test_publish_and_close_are_for_assessors(client, q1_run, leader, bj_staff, assessor):
    for user in (leader, bj_staff):
        login(client, user)
        assert client.post(f"/reports/runs/{q1_run.pk}/publish/").status_code in (403, 404)
        assert client.post("/reports/periods/close/", {"period": "2024Q1"}).status_code == 403
    q1_run.refresh_from_db()
    assert not q1_run.published and not PeriodClose.objects.exists()
    login(client, assessor)
    r = client.post(f"/reports/runs/{q1_run.pk}/publish/")
    assert r.status_code == 302
    q1_run.refresh_from_db()
    assert q1_run.published
    assert client.post("/reports/periods/close/", {"period": "2024Q1"}).status_code == 302
    assert PeriodClose.objects.get().label == "2024年第一季度"
    page = client.get(f"/reports/runs/{q1_run.pk}/diff/")
    assert page.status_code == 200 and "得分没有变化" in page.content.decode()
    index = client.get("/reports/").content.decode()
    assert "2024年第一季度" in index and "bulletin.docx" in index
