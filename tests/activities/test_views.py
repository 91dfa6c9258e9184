"""Every daily-work page answers, and the forms write through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import PersonFactory, UnitFactory
from zhaoshang.activities import services
from zhaoshang.activities.models import Attendance, Visit
from zhaoshang.orgs.choices import PersonRole, UnitKind

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(office, office_staff, office_head, office_people, assessor):
    director, _ = office_people
    services.attendance_mark(user=office_staff, person=director, date=dt.date(2024, 3, 1), on_station=True)
    services.worklog_create(user=office_staff, unit=office, date=dt.date(2024, 3, 1), enterprises="甲公司")
    services.event_create(user=office_staff, code="E-1", date=dt.date(2024, 3, 1), name="推介会", level="county",
                          host_unit=office)
    report = services.report_create(user=office_staff, unit=office, reported_on=dt.date(2024, 3, 1), enterprise="乙",
                                    intention="投资")
    sub = services.submission_submit(user=office_head, unit=office, period="2024-03", at=at("2024-04-01 09:00"))
    return {"report": report, "sub": sub, "director": director}


def test_pages_answer(client, data, office, assessor, office_staff):
    snap = data["sub"].snapshots.first()
    urls = ["/work/", "/work/quotas/", "/work/reminders/", "/work/offices/", f"/work/offices/{office.pk}/",
            f"/work/offices/{office.pk}/attendance/{data['director'].pk}/?month=2024-03",
            f"/work/offices/{office.pk}/logs/new/", f"/work/offices/{office.pk}/checks/new/",
            f"/work/offices/{office.pk}/expenses/new/", "/work/reports/", "/work/reports/new/",
            f"/work/reports/{data['report'].pk}/", "/work/submissions/", "/work/submissions/deadlines/",
            f"/work/submissions/{data['sub'].pk}/", f"/work/snapshots/{snap.pk}/",
            "/work/visits/", "/work/visits/new/", "/work/recommendations/", "/work/recommendations/new/",
            "/work/events/", "/work/events/new/", f"/work/events/{office.events.first().pk}/"]
    for user in (assessor, office_staff):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 200, (user.username, url)
    client.force_login(assessor)
    assert client.get(f"/work/offices/{office.pk}/budget/").status_code == 200


def test_htmx_list_answers_with_the_partial(client, office_staff, data):
    client.force_login(office_staff)
    html = client.get("/work/events/?q=推介", HTTP_HX_REQUEST="true").content.decode()
    assert html.lstrip().startswith('<div id="record-results"') and "<html" not in html


def test_visit_form_records_and_shows_errors(client, unit_a, staff_a):
    head = PersonFactory(unit=unit_a, role=PersonRole.PARTY_GOV_HEAD, name="甲区区长")
    client.force_login(staff_a)
    response = client.post("/work/visits/new/", {"date": "2024-03-05", "unit": unit_a.pk, "leader": head.pk,
                                                 "enterprise": "甲区电池企业", "matter": "洽谈"})
    assert response.status_code == 302 and Visit.objects.get().enterprise == "甲区电池企业"
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    html = client.post("/work/visits/new/", {"date": future, "unit": unit_a.pk, "leader": head.pk,
                                             "enterprise": "乙"}).content.decode()
    assert "日期晚于今天" in html


def test_attendance_form_saves_a_month(client, office, office_staff, data):
    client.force_login(office_staff)
    url = f"/work/offices/{office.pk}/attendance/{data['director'].pk}/?month=2024-02"
    form = {f"d{d}": "1" for d in range(1, 27)} | {"d27": "0"}
    assert client.post(url, form).status_code == 302
    assert Attendance.objects.filter(person=data["director"], date__month=2, on_station=True).count() == 26


def test_submit_form_as_unit_head(client, office, office_head):
    client.force_login(office_head)
    response = client.post("/work/submissions/submit/", {"unit": office.pk, "period": "2024-02"})
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "首次报送" in html and 'data-action="submitted"' in html


def _pager_link(html: str, pager_id: str, rel: str) -> str:
    """The href of the page link `rel` (prev/next) in the pager `pager_id`, as a browser would follow it."""
    nav = html.split(f'id="{pager_id}"')[1].split("</ul>")[0]
    return nav.split(f'rel="{rel}"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")


def test_quota_page_shows_a_page_of_units_and_links_keep_the_year(client, assessor, unit_a, unit_b, office,
                                                                   monkeypatch):
    """A province's 3,000 units come a page of units at a time; both tables show the page's units only."""
    from zhaoshang.activities.views import overview

    monkeypatch.setattr(overview, "UNITS_PER_PAGE", 2)
    PersonFactory(unit=unit_a, role=PersonRole.PARTY_GOV_HEAD, name="甲区区长")
    PersonFactory(unit=unit_b, role=PersonRole.DIVISION_LEADER, name="乙县副县长")
    client.force_login(assessor)
    first = client.get("/work/quotas/", {"year": "2024"}).content.decode()
    assert "甲区区长" in first and "乙县副县长" in first
    # The resident office (code BJ, after A01 and B01) is on the next page, and this page says so.
    assert "驻北京招商局" not in first and "本页单位中没有驻点招商局" in first
    assert "第 1 / 2 页，共 3 个单位" in first
    following = _pager_link(first, "quota-pagination", "next")
    assert "year=2024" in following and "page=2" in following
    second = client.get("/work/quotas/" + following).content.decode()
    assert "驻北京招商局" in second and "推荐领导考察项目" in second
    assert "甲区区长" not in second and "乙县副县长" not in second and "2024年任务进度" in second
    assert "year=2024" in _pager_link(second, "quota-pagination", "prev")


def test_quota_pages_keep_a_unit_users_scope(client, staff_a, unit_a, unit_a_child, unit_b, monkeypatch):
    from zhaoshang.activities.views import overview

    monkeypatch.setattr(overview, "UNITS_PER_PAGE", 1)
    PersonFactory(unit=unit_a, role=PersonRole.PARTY_GOV_HEAD, name="甲区区长")
    PersonFactory(unit=unit_a_child, role=PersonRole.PARTY_GOV_HEAD, name="街道书记")
    PersonFactory(unit=unit_b, role=PersonRole.PARTY_GOV_HEAD, name="乙县县长")
    client.force_login(staff_a)
    first = client.get("/work/quotas/").content.decode()
    second = client.get("/work/quotas/", {"page": 2}).content.decode()
    assert "甲区区长" in first and "街道书记" in second and "共 2 个单位" in first
    assert "乙县县长" not in first + second + client.get("/work/quotas/", {"page": 3}).content.decode()


def _quota_city(start: int, stop: int) -> None:
    """Units start…stop-1, each with a 党政主要负责人 and a 分管领导 who made a visit; every fifth is a resident
    office."""

    for i in range(start, stop):
        unit = UnitFactory(code=f"Q{i:03d}", kind=UnitKind.RESIDENT_OFFICE if i % 5 == 0 else UnitKind.DISTRICT)
        for role in (PersonRole.PARTY_GOV_HEAD, PersonRole.DIVISION_LEADER):
            person = PersonFactory(unit=unit, role=role)
            Visit.objects.create(date=dt.date(2024, 3, 1), unit=unit, leader=person, enterprise="甲公司")


def test_quota_page_queries_do_not_grow_with_its_units(client, assessor):
    client.force_login(assessor)
    counts = []
    for before, total in ((0, 5), (5, 50)):
        _quota_city(before, total)
        with CaptureQueriesContext(connection) as queries:
            html = client.get("/work/quotas/", {"year": "2024"}).content.decode()
        assert html.count('data-count="1"') == 2 * total  # every leader's one visit, so every unit is on the page
        counts.append(len(queries))
    assert counts[0] == counts[1]
