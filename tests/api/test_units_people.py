"""Units are maintained by the assessment office; people by their own unit."""

from __future__ import annotations

import pytest

from zhaoshang.orgs.models import Person, Unit

from ..factories import PersonFactory, UnitGroupFactory

pytestmark = pytest.mark.django_db


def test_unit_list_is_scoped(api_a, api_assessor, unit_a, unit_a_child, unit_b):
    assert {u["code"] for u in api_a.get("/api/units").json()["items"]} == {"A01", "A01-01"}
    body = api_assessor.get("/api/units").json()
    assert body["count"] == 3
    child = next(u for u in body["items"] if u["code"] == "A01-01")
    assert child["parent_id"] == unit_a.pk and child["parent_code"] == "A01"
    assert api_a.get(f"/api/units/{unit_b.pk}").status_code == 404
    assert api_a.get(f"/api/units/{unit_a.pk}").json()["code"] == "A01"


def test_assessor_creates_and_updates_units(api_assessor, assessor, unit_a):
    UnitGroupFactory(code="G1", name="重点地区")
    r = api_assessor.post("/api/units", {"code": "C01", "name": "丙区", "kind": "district", "parent_code": "A01",
                                         "group_code": "G1"})
    assert r.status_code == 201, r.json()
    unit = Unit.objects.get(code="C01")
    assert r.json()["parent_code"] == "A01" and r.json()["group_code"] == "G1"
    assert unit.history.first().history_user == assessor
    r = api_assessor.patch(f"/api/units/{unit.pk}", {"name": "丙区（新）", "parent_code": None})
    assert r.status_code == 200, r.json()
    assert r.json()["parent_id"] is None and r.json()["name"] == "丙区（新）"


def test_unit_errors_name_the_field(api_assessor, unit_a):
    r = api_assessor.post("/api/units", {"code": "A01", "name": "重复", "kind": "district"})
    assert r.status_code == 400 and "code" in r.json()["fields"]
    r = api_assessor.post("/api/units", {"code": "C02", "name": "丙", "kind": "district", "parent_code": "ZZ"})
    assert r.status_code == 422 and "parent_code" in r.json()["fields"]
    r = api_assessor.post("/api/units", {"code": "C02", "name": "丙", "kind": "planet"})
    assert r.status_code == 422 and "kind" in r.json()["fields"]
    r = api_assessor.patch(f"/api/units/{unit_a.pk}", {"name": None})
    assert r.status_code == 422 and "name" in r.json()["fields"]
    assert not Unit.objects.filter(code="C02").exists()


def test_cycle_is_refused_on_parent_code(api_assessor, unit_a, unit_a_child):
    r = api_assessor.patch(f"/api/units/{unit_a.pk}", {"parent_code": "A01-01"})
    assert r.status_code == 400
    assert "parent_code" in r.json()["fields"]


def test_unit_staff_and_leader_cannot_maintain_units(api_a, api_leader, unit_a):
    assert api_a.post("/api/units", {"code": "X", "name": "X", "kind": "district"}).status_code == 403
    assert api_a.patch(f"/api/units/{unit_a.pk}", {"name": "改"}).status_code == 403
    assert api_leader.post("/api/units", {"code": "X", "name": "X", "kind": "district"}).status_code == 403
    assert not Unit.objects.filter(code="X").exists()


def test_people_scope_and_writes(api_a, api_b, staff_a, unit_a, unit_b):
    mine = PersonFactory(unit=unit_a, staff_no="A-001")
    theirs = PersonFactory(unit=unit_b, staff_no="B-001")
    assert [p["staff_no"] for p in api_a.get("/api/people").json()["items"]] == ["A-001"]
    assert api_a.get(f"/api/people/{theirs.pk}").status_code == 404

    r = api_a.post("/api/people", {"staff_no": "A-002", "name": "李四", "unit_code": "A01", "role": "director"})
    assert r.status_code == 201, r.json()
    assert r.json()["unit_id"] == unit_a.pk and r.json()["unit_code"] == "A01"
    assert Person.objects.get(staff_no="A-002").history.first().history_user == staff_a

    assert api_a.post("/api/people", {"staff_no": "A-003", "name": "王五", "unit_code": "B01"}).status_code == 403
    r = api_a.post("/api/people", {"staff_no": "A-003", "name": "王五", "unit_code": "NOPE"})
    assert r.status_code == 422 and "unit_code" in r.json()["fields"]
    assert not Person.objects.filter(staff_no="A-003").exists()

    r = api_a.patch(f"/api/people/{mine.pk}", {"title": "科长"})
    assert r.status_code == 200 and r.json()["title"] == "科长"
    assert api_a.patch(f"/api/people/{mine.pk}", {"unit_code": "B01"}).status_code == 403
    mine.refresh_from_db()
    assert mine.unit == unit_a
