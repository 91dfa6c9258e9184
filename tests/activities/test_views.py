"""Every daily-work page answers, and the forms write through the services."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import PersonFactory
from zhaoshang.activities import services
from zhaoshang.activities.models import Attendance, Visit
from zhaoshang.orgs.choices import PersonRole

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
