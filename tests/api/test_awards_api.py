"""The awards in the API, read with the awards pages' scope and written through the page's service: the
catalogue for everyone; nominations of one's own unit only (another unit's is 404, also for a review); the
run a nomination came from named by scheme and period; amounts in 元 as decimal strings; a review recorded
with its history and moving the nomination to 审核通过 once the three offices agree; a role the service does
not allow is refused (403) — the 审计局 role signs the 审计局's opinion and nothing else; bad input is a 422
naming the field in Chinese."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.awards.conftest import audit_user, catalogue, run  # noqa: F401
from tests.reports.conftest import assessor, bj_staff, city, leader  # noqa: F401
from zhaoshang.awards import services
from zhaoshang.awards.models import Clawback, Nomination, Review

from .conftest import _api

pytestmark = pytest.mark.django_db


@pytest.fixture
def noms(run, catalogue, assessor, city):  # noqa: F811
    """The run's two nominations of 驻北京招商局, and a manual one of 驻上海招商局."""
    services.nominate_from_run(user=assessor, run=run)
    item = catalogue.items.get(name="先进集体奖")
    sh = services.nominate_manually(user=assessor, item=item, unit=city["offices"][1], reason="引进外资项目")
    bj = Nomination.objects.get(unit=city["offices"][0], item=item)
    return {"bj": bj, "sh": sh}


def test_the_catalogue_is_read_by_everyone_with_amounts_in_yuan(catalogue, bj_staff):  # noqa: F811
    api = _api(bj_staff)
    body = api.get("/api/awards/catalogue").json()
    assert [c["year"] for c in body] == [2024]
    items = {i["name"]: i for i in body[0]["items"]}
    assert items["先进集体奖"]["amount_yuan"] == "50000.00" and items["先进集体奖"]["count"] == 1
    assert items["到位资金奖"]["threshold"] == "5000.00" and items["到位资金奖"]["schemes"] == ["bole-2023"]
    assert api.get("/api/awards/catalogue", {"year": 2023}).json() == []
    bad = api.get("/api/awards/catalogue", {"year": 1999})
    assert bad.status_code == 422 and bad.json()["fields"] == {"year": ["不能小于2000"]}


def test_a_unit_user_sees_their_own_units_nominations_only(noms, bj_staff, leader):  # noqa: F811
    api = _api(bj_staff)
    listed = api.get("/api/awards/nominations").json()
    assert listed["count"] == 2
    assert {n["subject"]["name"] for n in listed["items"]} == {"驻北京招商局"}
    missing = api.get(f"/api/awards/nominations/{noms['sh'].pk}")
    assert missing.status_code == 404 and missing.json()["message"] == "该奖励提名不存在或无权查看"
    refused = api.post(f"/api/awards/nominations/{noms['sh'].pk}/reviews", {"office": "audit", "verdict": "approve"})
    assert refused.status_code == 404 and "驻上海" not in refused.json()["message"]
    assert api.get("/api/awards/nominations/999999").status_code == 404
    everything = _api(leader).get("/api/awards/nominations").json()
    assert everything["count"] == 3
    filtered = _api(leader).get("/api/awards/nominations", {"status": "review", "year": 2024, "limit": 1}).json()
    assert filtered["count"] == 3 and len(filtered["items"]) == 1
    assert _api(leader).get("/api/awards/nominations", {"year": 2023}).json()["count"] == 0
    other = _api(leader).get("/api/awards/nominations", {"catalogue": noms["bj"].item.catalogue_id + 1}).json()
    assert other["count"] == 0


def test_the_detail_names_the_run_by_scheme_and_period(noms, run, bj_staff, assessor, audit_user):  # noqa: F811
    body = _api(bj_staff).get(f"/api/awards/nominations/{noms['bj'].pk}").json()
    assert body["award"]["name"] == "先进集体奖" and body["amount_yuan"] == "50000.00"
    assert body["subject"] == {"type": "unit", "name": "驻北京招商局", "unit_code": "ZD01",
                               "unit_name": "驻北京招商局", "staff_no": None}
    assert body["run"]["id"] == run.pk and body["run"]["period"] == "2024"
    assert body["run"]["scheme_name"] == run.scheme_name and run.scheme_name in body["run"]["label"]
    assert Decimal(body["total"]) == noms["bj"].total and body["rank"] == 1
    assert [(r["office_display"], r["verdict"]) for r in body["reviews"]] == [
        ("招商办", None), ("考核办", None), ("审计局", None)]
    assert body["notice"] is None and body["decision"] is None and body["status_display"] == "审核中"
    assert body["may_review"] == [] and body["timeline"][0]["what"] == "提名"
    assert _api(assessor).get(f"/api/awards/nominations/{noms['bj'].pk}").json()["may_review"] == [
        "investment", "assessment", "audit"]
    assert _api(audit_user).get(f"/api/awards/nominations/{noms['bj'].pk}").json()["may_review"] == ["audit"]


def test_a_review_is_recorded_through_the_service_with_its_history(noms, assessor, audit_user):  # noqa: F811
    n = noms["sh"]
    audit = _api(audit_user)
    objected = audit.post(f"/api/awards/nominations/{n.pk}/reviews",
                          {"office": "audit", "verdict": "object", "reason": "需补充审计资料"})
    assert objected.status_code == 201, objected.json()
    body = objected.json()
    assert (body["office_display"], body["verdict_display"], body["reason"]) == ("审计局", "有异议", "需补充审计资料")
    assert body["signed_by"] and body["nomination"]["status_display"] == "审核中"
    office = _api(assessor)
    for which in ("investment", "assessment"):
        assert office.post(f"/api/awards/nominations/{n.pk}/reviews",
                           {"office": which, "verdict": "approve"}).status_code == 201
    agreed = audit.post(f"/api/awards/nominations/{n.pk}/reviews", {"office": "audit", "verdict": "approve"})
    assert agreed.json()["nomination"]["status"] == "reviewed"
    review = Review.objects.get(nomination=n, office="audit")
    assert review.signed_by == audit_user and review.verdict == "approve"
    assert [h.verdict for h in review.history.order_by("history_date")] == ["object", "approve"]
    assert {h.history_user for h in review.history.all()} == {audit_user}
    n.refresh_from_db()
    assert n.status == "reviewed" and n.history.filter(history_change_reason="三方审核均已同意").exists()
    detail = office.get(f"/api/awards/nominations/{n.pk}").json()
    whats = [e["what"] for e in detail["timeline"]]
    assert "审计局审核：有异议" in whats and "审计局审核：同意" in whats
    assert detail["status_display"] == "审核通过" and detail["may_review"] == ["investment", "assessment", "audit"]


def test_roles_the_service_does_not_allow_are_refused(noms, audit_user, leader, bj_staff):  # noqa: F811
    n = noms["bj"]
    path = f"/api/awards/nominations/{n.pk}/reviews"
    # The 审计局 signs its own opinion only; the leader and unit users sign none.
    other_office = _api(audit_user).post(path, {"office": "assessment", "verdict": "approve"})
    assert other_office.status_code == 403 and other_office.json()["message"] == "您不能登记考核办的审核意见"
    assert _api(leader).post(path, {"office": "audit", "verdict": "approve"}).status_code == 403
    own_unit = _api(bj_staff).post(path, {"office": "investment", "verdict": "approve"})
    assert own_unit.status_code == 403 and "招商办" in own_unit.json()["message"]
    assert not Review.objects.exists()


def test_bad_input_is_a_422_naming_the_field_in_chinese(noms, assessor):  # noqa: F811
    api = _api(assessor)
    path = f"/api/awards/nominations/{noms['bj'].pk}/reviews"
    bad = api.post(path, {"office": "audit", "verdict": "yes"})
    assert bad.status_code == 422
    assert list(bad.json()["fields"]) == ["verdict"] and bad.json()["message"].startswith("请求数据有误：verdict")
    assert "取值无效" in bad.json()["fields"]["verdict"][0]
    missing = api.post(path, {"verdict": "approve"})
    assert missing.status_code == 422 and missing.json()["fields"] == {"office": ["此字段为必填项"]}
    unknown = api.post(path, {"office": "audit", "verdict": "approve", "comment": "x"})
    assert unknown.status_code == 422 and unknown.json()["fields"] == {"comment": ["未知字段"]}
    too_long = api.post(path, {"office": "audit", "verdict": "object", "reason": "长" * 2001})
    assert too_long.status_code == 422 and too_long.json()["fields"] == {"reason": ["长度不能超过2000个字符"]}
    status = api.get("/api/awards/nominations", {"status": "done"})
    assert status.status_code == 422 and "status" in status.json()["fields"]
    # The service's own rule: an objection needs a reason (400, naming the field).
    no_reason = api.post(path, {"office": "audit", "verdict": "object", "reason": "  "})
    assert no_reason.status_code == 400 and no_reason.json()["message"] == "请填写理由"
    assert no_reason.json()["fields"] == {"reason": ["必须填写理由"]}
    assert not Review.objects.exists()


def test_notice_and_decision_state_and_a_closed_nomination(noms, assessor, catalogue):  # noqa: F811
    for n in Nomination.objects.all():
        for office in ("investment", "assessment", "audit"):
            services.review(user=assessor, nomination=n, office=office, verdict="approve")
    services.start_notice(user=assessor, catalogue=catalogue, doc_no="〔2024〕8号", start_on=dt.date(2024, 9, 27))
    services.decide(user=assessor, catalogue=catalogue, doc_no="〔2024〕9号", decided_on=dt.date(2024, 10, 11))
    api = _api(assessor)
    body = api.get(f"/api/awards/nominations/{noms['bj'].pk}").json()
    assert body["status"] == "decided" and body["may_review"] == []
    assert body["notice"]["doc_no"] == "〔2024〕8号" and body["notice"]["end_on"] == "2024-10-10"
    assert body["notice"]["end_on_provisional"] is False
    assert body["decision"]["doc_no"] == "〔2024〕9号" and body["decision"]["decided_on"] == "2024-10-11"
    late = api.post(f"/api/awards/nominations/{noms['bj'].pk}/reviews", {"office": "audit", "verdict": "object",
                                                                         "reason": "迟到的意见"})
    assert late.status_code == 400 and "已表彰" in late.json()["message"]
    assert api.get("/api/awards/nominations", {"status": "decided"}).json()["count"] == 3


def test_clawbacks_are_listed_within_scope(noms, bj_staff, leader):  # noqa: F811
    for key, amount in (("bj", "50000"), ("sh", "0")):
        Clawback.objects.create(nomination=noms[key], fact_kind="fund", fact_id=noms[key].pk,
                                fact_label=f"{noms[key].subject_name}到位资金", explanation="不再符合评选条件",
                                amount=Decimal(amount))
    own = _api(bj_staff).get("/api/awards/clawbacks").json()
    assert [(c["nomination"]["subject_name"], c["amount_yuan"], c["status_display"]) for c in own] == [
        ("驻北京招商局", "50000.00", "建议追回")]
    assert own[0]["recovered_amount_yuan"] is None and own[0]["nomination"]["award"] == "先进集体奖"
    every = _api(leader).get("/api/awards/clawbacks", {"year": 2024, "status": "proposed"}).json()
    assert len(every) == 2
    assert _api(leader).get("/api/awards/clawbacks", {"status": "confirmed"}).json() == []
    detail = _api(bj_staff).get(f"/api/awards/nominations/{noms['bj'].pk}").json()
    assert [c["amount_yuan"] for c in detail["clawbacks"]] == ["50000.00"]


def test_the_api_page_lists_the_awards_operations(client):
    schema = client.get("/api/openapi.json").json()
    paths = schema["paths"]
    for path in ("/api/awards/catalogue", "/api/awards/nominations", "/api/awards/nominations/{nomination_id}",
                 "/api/awards/clawbacks"):
        assert "get" in paths[path], path
    assert "post" in paths["/api/awards/nominations/{nomination_id}/reviews"]
    item = schema["components"]["schemas"]["AwardItemOut"]["properties"]["amount_yuan"]
    assert item["type"] == "string" and "元" in item["description"]
