"""The 产出 API: record, read with the derived figures, scope (another unit's yields are 404)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from zhaoshang.orgs.models import ApiToken

from ..factories import FundArrivalFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def _client(user):
    _, key = ApiToken.issue(user=user, name="tests")
    client = Client()
    headers = {"Authorization": f"Bearer {key}"}

    def call(method, path, data=None):
        if method == "get":
            return client.get(path, data or {}, headers=headers)
        return getattr(client, method)(path, json.dumps(data), content_type="application/json", headers=headers)
    return call


def test_yield_api(staff_a, staff_b, unit_a):
    project = ProjectFactory(lead_unit=unit_a, code="XM-P-1", signed_on=dt.date(2022, 1, 5),
                             registered_on=dt.date(2022, 2, 1), started_on=dt.date(2022, 3, 1),
                             completed_on=dt.date(2022, 12, 1), producing_on=dt.date(2023, 1, 10))
    FundArrivalFactory(project=project, date=dt.date(2022, 6, 1), amount="20000")
    a = _client(staff_a)
    r = a("post", "/api/yields", {"project_code": "XM-P-1", "year": 2023, "output_value": "9000", "tax": "450.5",
                                  "land_mu": "50"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["tax"] == "450.5000" and body["tax_per_mu"] == "9.0100" and body["intensity"] == "400.0000"
    assert body["verification"] == "pending"
    r = a("post", "/api/yields", {"project_code": "XM-P-1", "year": 2023, "tax": "1"})
    assert r.status_code == 400 and "已登记" in r.json()["message"]
    r = a("patch", f"/api/yields/{body['id']}", {"tax": "500"})
    assert r.status_code == 200 and r.json()["tax"] == "500.0000"
    b = _client(staff_b)
    assert b("get", f"/api/yields/{body['id']}").status_code == 404
    assert b("get", "/api/yields").json() == []
    assert b("post", "/api/yields", {"project_code": "XM-P-1", "year": 2024, "tax": "1"}).status_code == 404
    assert [y["year"] for y in a("get", "/api/yields").json()] == [2023]


def test_aftercare_read_api(staff_a, staff_b, unit_a):
    from zhaoshang.aftercare import services

    project = ProjectFactory(lead_unit=unit_a, code="XM-R-1", signed_on=dt.date(2024, 1, 5))
    item = services.request_create(user=staff_a, project=project, subject="协调用地", received_on=dt.date(2024, 1, 10),
                                   department=unit_a)
    a, b = _client(staff_a), _client(staff_b)
    body = a("get", "/api/aftercare/requests", {"state": "overdue"}).json()
    assert [(r["subject"], r["deadline"], r["overdue"]) for r in body] == [("协调用地", "2024-02-10", True)]
    assert b("get", f"/api/aftercare/requests/{item.pk}").status_code == 404
    assert b("get", "/api/aftercare/requests").json() == []
    assert a("get", "/api/aftercare/talent").json() == [] and a("get", "/api/aftercare/liaison").json() == []
