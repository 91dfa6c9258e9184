"""The 核实认定 API at /api/integrity/verification: the same queue, steps and scope as the pages
(ACCEPTANCE 4: a district assessor gets a 404 for another district's record)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from zhaoshang.ledger.models import FundArrival, StageRecord
from zhaoshang.orgs.models import ApiToken

from .verification_helpers import department, district_assessor, pending_fund, signed_filing

BASE = "/api/integrity/verification"


class Api:
    def __init__(self, user):
        _, key = ApiToken.issue(user=user, name="tests")
        self.client, self.headers = Client(), {"Authorization": f"Bearer {key}"}

    def get(self, path, params=None):
        return self.client.get(BASE + path, params or {}, headers=self.headers)

    def post(self, path, data=None):
        return self.client.post(BASE + path, json.dumps(data or {}), content_type="application/json",
                                headers=self.headers)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_queue_lists_named_records_with_evidence_and_missing(assessor, unit_a, unit_b):
    record = signed_filing(unit_a, code="XM-API-1", name="甲区电池项目")
    signed_filing(unit_b, evidence=None)
    fund = pending_fund(unit_b, amount="1200.5")
    api = Api(assessor)
    body = api.get("", {"kind": "signed", "unit": unit_a.pk}).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["label"].startswith("XM-API-1 甲区电池项目 · 签约") and item["unit_name"] == "甲区"
    assert item["amount"] == "50000.0000" and item["verification"] == "pending" and item["missing_evidence"] == []
    assert item["evidence"][0]["kind"] == "contract" and item["evidence"][0]["inline_url"].endswith("/view/")
    assert api.get("", {"state": "all"}).json()["count"] >= 3
    assert api.get(f"/fund/{fund.pk}").json()["amount"] == "1200.5000"
    assert api.get(f"/stage/{record.pk}").json()["id"] == record.pk
    bad = api.get("", {"period": "2024Q9"})
    assert bad.status_code == 422 and "period" in bad.json()["fields"]


def test_steps_reasons_and_missing_evidence(assessor, unit_a):
    ok, returned, missing = signed_filing(unit_a), signed_filing(unit_a), signed_filing(unit_a, evidence=None)
    api = Api(assessor)
    r = api.post(f"/stage/{ok.pk}/approve", {"note": "原件已核"})
    assert r.status_code == 200 and r.json()["verification"] == "verified" and r.json()["verified_by"] == "assessor"
    r = api.post(f"/stage/{returned.pk}/return", {"reason": " "})
    assert r.status_code == 400 and "reason" in r.json()["fields"]
    r = api.post(f"/stage/{returned.pk}/return", {"reason": "协议未盖章"})
    assert r.json()["verification"] == "returned" and r.json()["verification_reason"] == "协议未盖章"
    r = api.post(f"/stage/{missing.pk}/approve")
    assert r.status_code == 400 and r.json()["fields"]["evidence"] == ["缺少协议/合同"]
    r = api.post(f"/stage/{missing.pk}/reject", {"reason": "重复申报"})
    assert r.json()["verification"] == "rejected"


def test_bulk_approve_all_or_nothing(assessor, unit_a):
    good, fund = signed_filing(unit_a), pending_fund(unit_a)
    bad = signed_filing(unit_a, evidence=None)
    api = Api(assessor)
    refs = [{"kind": "stage", "id": good.pk}, {"kind": "fund", "id": fund.pk}]
    r = api.post("/bulk-approve", {"facts": [*refs, {"kind": "stage", "id": bad.pk}], "note": "一季度"})
    assert r.status_code == 400 and len(r.json()["fields"]["facts"]) == 1
    assert StageRecord.objects.get(pk=good.pk).verification == "pending"
    r = api.post("/bulk-approve", {"facts": refs, "note": "一季度"})
    assert r.status_code == 200 and r.json()["count"] == 2
    assert FundArrival.objects.get(pk=fund.pk).verification == "verified"


def test_unit_refiles_a_returned_record(assessor, staff_a, staff_b, unit_a):
    record = signed_filing(unit_a)
    Api(assessor).post(f"/stage/{record.pk}/return", {"reason": "金额有误"})
    assert Api(staff_b).post(f"/stage/{record.pk}/refile", {"note": "x"}).status_code == 404
    unit = Api(staff_a)
    returned = unit.get("", {"state": "todo"}).json()
    assert [i["id"] for i in returned["items"]] == [record.pk]  # a unit's to-do is its returned records
    assert unit.post(f"/stage/{record.pk}/approve").status_code == 403
    r = unit.post(f"/stage/{record.pk}/refile", {"note": "已更正签约金额"})
    assert r.status_code == 200 and r.json()["verification"] == "pending"


def test_acceptance_4_district_assessor_404_in_another_district(unit_a, unit_a_child, unit_b, assessor):
    district = Api(district_assessor(unit_a))
    own = signed_filing(unit_a_child)
    other = signed_filing(unit_b)
    dept = signed_filing(department())
    ids = [i["id"] for i in district.get("", {"state": "all"}).json()["items"]]
    assert own.pk in ids and other.pk not in ids and dept.pk not in ids
    for fact in (other, dept):
        assert district.get(f"/stage/{fact.pk}").status_code == 404
        assert district.post(f"/stage/{fact.pk}/approve").status_code == 404
        assert district.post(f"/stage/{fact.pk}/return", {"reason": "越权"}).status_code == 404
    r = district.post("/bulk-approve", {"facts": [{"kind": "stage", "id": own.pk}, {"kind": "stage", "id": other.pk}]})
    assert r.status_code == 404
    assert StageRecord.objects.get(pk=own.pk).verification == "pending"
    assert district.post(f"/stage/{own.pk}/approve").json()["verification"] == "preliminary"
    # the city assessor takes the district's pass up, and verifies the 市直部门 record
    city = Api(assessor)
    assert city.post(f"/stage/{own.pk}/approve").json()["verification"] == "verified"
    assert city.post(f"/stage/{dept.pk}/approve").json()["verification"] == "verified"
