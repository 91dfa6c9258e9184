"""Spot-checks (抽查复核, acceptance 3 of issue 9): the city assessment office draws a weighted sample of the
facts district assessors passed or verified. The draw is the same for the same seed and inputs and differs
for another seed; a 不属实 result turns the fact to 不予认定 (the score drops on a re-run) and counts as a
finding against the district, which a scheme can score. Pages, API and command line; three users."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from tests.assessment.helpers import unit
from tests.factories import FundArrivalFactory, ProjectFactory, UnitFactory, UserFactory
from zhaoshang.assessment.engine.run import run_scheme, to_json
from zhaoshang.assessment.engine.scheme import parse_scheme
from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.periods import SHANGHAI, today
from zhaoshang.integrity.models import Flag, FlagProject, SpotCheck, SpotCheckItem, SpotCheckResult
from zhaoshang.integrity.services.spotchecks import spotcheck_draw, spotcheck_record_result
from zhaoshang.ledger.choices import Verification
from zhaoshang.ledger.models import Project, StageRecord
from zhaoshang.orgs.choices import UserRole

D = Decimal


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def district_verify(fact, by, on: dt.date, *, step: str = "verified") -> None:
    """`by` (a district assessor) verified (已认定) or passed (初审通过) the fact on `on`."""
    at = timezone.make_aware(dt.datetime.combine(on, dt.time(10)), SHANGHAI)
    if step == "verified":
        fact.verification, fact.verified_by, fact.verified_at, fact.verified_on = Verification.VERIFIED, by, at, on
    else:
        fact.verification, fact.preliminary_by, fact.preliminary_at = Verification.PRELIMINARY, by, at
        fact.verified_by = fact.verified_at = fact.verified_on = None
    fact.save()


@pytest.fixture
def city(db):
    """甲区 (A, with a town under it) has 20 signings of 2023 verified by its district assessor and one
    fund arrival it passed (初审通过); 乙县 (B) has 2 signings verified by its own. Not in the population: a
    signing the city verified, a signing of 2024, a filing still waiting."""
    a = unit("A", "区县", name="甲区")
    town = UnitFactory(code="A-01", name="甲区某镇", kind="township", parent=a)
    b = unit("B", "区县", name="乙县")
    dist_a = UserFactory(username="dist_a", role=UserRole.DISTRICT_ASSESSOR, unit=a)
    dist_b = UserFactory(username="dist_b", role=UserRole.DISTRICT_ASSESSOR, unit=b)
    assessor = UserFactory(username="assessor", role=UserRole.ASSESSOR)
    staff_a = UserFactory(username="staff_a", role=UserRole.UNIT_STAFF, unit=a)

    def signing(lead, code, on, amount, by):
        p = ProjectFactory(lead_unit=lead, code=code, name=f"{lead.name}项目{code}", signed_on=on,
                           signed_amount=D(amount))
        if by is not None:
            district_verify(StageRecord.objects.get(project=p, stage="signed"), by, on)
        return p

    a_projects = [signing(a if i % 3 else town, f"XM-A-{i:02d}", dt.date(2023, 3, 1) + dt.timedelta(days=i),
                          1000 * (i + 1), dist_a) for i in range(20)]
    arrival = FundArrivalFactory(project=a_projects[0], date=day("2023-06-01"), amount=D("3000"), verified=False)
    district_verify(arrival, dist_a, day("2023-06-02"), step="preliminary")
    b_projects = [signing(b, f"XM-B-{i}", day("2023-05-01"), 5000, dist_b) for i in range(2)]
    signing(a, "XM-A-CITY", day("2023-04-01"), 8000, None)  # verified by the city (the factory's 已认定)
    signing(a, "XM-A-2024", day("2024-02-01"), 8000, dist_a)
    ProjectFactory(lead_unit=a, code="XM-A-WAIT", signed_on=day("2023-07-01"), verified=False)
    return {"a": a, "b": b, "town": town, "dist_a": dist_a, "dist_b": dist_b, "assessor": assessor,
            "staff_a": staff_a, "a_projects": a_projects, "b_projects": b_projects, "arrival": arrival}


def refs(check: SpotCheck) -> list[str]:
    return sorted(f"stage:{i.stage_record_id}" if i.stage_record_id else f"fund:{i.fund_arrival_id}"
                  for i in check.items.all())


def draw(city, seed=42, rate="0.3", min_per_unit=1, period="2023"):
    return spotcheck_draw(user=city["assessor"], period=period, rate=D(rate), min_per_unit=min_per_unit, seed=seed)


# ---------------------------------------------------------------------------------------------
# The draw


def test_population_is_the_district_verified_facts_of_the_period(city):
    check = draw(city)
    assert len(check.population) == 23  # 20 + 1 arrival of A, 2 of B
    assert len(check.weights) == 23 and check.weights == [e["weight"] for e in check.population]
    units = {e["unit"] for e in check.population}
    assert units == {city["a"].pk, city["b"].pk}  # the town's signings are charged to 甲区, whose office verified them
    stage_ids = [int(e["ref"].split(":")[1]) for e in check.population if e["ref"].startswith("stage")]
    codes = set(Project.objects.filter(stage_records__in=stage_ids).values_list("code", flat=True))
    assert len(codes) == 22
    assert not codes & {"XM-A-CITY", "XM-A-2024", "XM-A-WAIT"}
    assert f"fund:{city['arrival'].pk}" in {e["ref"] for e in check.population}


def test_same_seed_same_sample_another_seed_another(city):
    first, again, other = draw(city, seed=42), draw(city, seed=42), draw(city, seed=43)
    assert refs(first) == refs(again)
    assert first.population == again.population and first.population_digest == again.population_digest
    assert first.seed == 42 and len(first.population_digest) == 64
    assert refs(other) != refs(first)
    assert other.population_digest == first.population_digest  # same inputs, only the seed differs
    # per district: ceil(0.3 × 21) = 7 of 甲区, ceil(0.3 × 2) = 1 of 乙县
    per_unit = {u: first.items.filter(unit=city[u]).count() for u in ("a", "b")}
    assert per_unit == {"a": 7, "b": 1}


def test_changed_inputs_change_the_digest(city):
    before = draw(city)
    StageRecord.objects.filter(project=city["b_projects"][0], stage="signed").update(
        verification=Verification.RETURNED)
    after = draw(city)
    assert len(after.population) == 22 and after.population_digest != before.population_digest


def test_min_per_unit_is_honoured_and_never_more_than_a_unit_has(city):
    check = draw(city, rate="0.01", min_per_unit=1)
    assert check.items.filter(unit=city["a"]).count() == 1 and check.items.filter(unit=city["b"]).count() == 1
    check = draw(city, rate="0.01", min_per_unit=5)
    assert check.items.filter(unit=city["a"]).count() == 5
    assert check.items.filter(unit=city["b"]).count() == 2  # 乙县 has only two


def test_open_flags_weigh_a_fact_more(city):
    p = city["b_projects"][0]
    flag = Flag.objects.create(kind="packaged_year_end", fingerprint="test-flag", year=2023, reason="年末突击签约")
    FlagProject.objects.create(flag=flag, project=p, unit=city["b"])
    check = draw(city, rate="1")
    item = check.items.get(stage_record__project=p)
    other = check.items.get(stage_record__project=city["b_projects"][1])
    assert item.open_flags == 1 and item.weight == 2 * other.weight == 2 * 5000 * 10_000


@pytest.mark.parametrize("rate", ["0", "-0.1", "1.5", "abc"])
def test_a_rate_outside_zero_one_is_refused(city, rate):
    with pytest.raises(ApplicationError) as exc:
        spotcheck_draw(user=city["assessor"], period="2023", rate=rate, min_per_unit=1, seed=1)
    assert "rate" in exc.value.field_errors
    assert not SpotCheck.objects.exists()


def test_a_bad_period_is_refused(city):
    with pytest.raises(ApplicationError) as exc:
        spotcheck_draw(user=city["assessor"], period="2023年", rate="0.1", min_per_unit=1, seed=1)
    assert "period" in exc.value.field_errors


def test_a_period_without_district_verified_facts_is_refused(city):
    with pytest.raises(ApplicationError) as exc:
        spotcheck_draw(user=city["assessor"], period="2022", rate="0.1", min_per_unit=1, seed=1)
    assert "没有区考核办" in exc.value.message


@pytest.mark.parametrize("who", ["dist_a", "staff_a"])
def test_only_the_city_draws(city, who):
    with pytest.raises(PermissionDeniedError):
        spotcheck_draw(user=city[who], period="2023", rate="0.1", min_per_unit=1, seed=1)


def test_without_a_seed_one_is_chosen_and_stored(city):
    check = spotcheck_draw(user=city["assessor"], period="2023", rate="0.1", min_per_unit=1)
    again = draw(city, seed=check.seed, rate="0.1")
    assert refs(again) == refs(check)


# ---------------------------------------------------------------------------------------------
# Results

SCHEME = """
key = "spotcheck-test"
name = "抽查复核测试"
subject = "unit"
basis = "verified"
[subjects]
groups = ["区县"]

[[items]]
key = "signed"
name = "签约金额"
rule = "relative_best"
points = 100
value = { measure = "project_amount", stage = "signed" }

[[items]]
key = "findings"
name = "抽查复核"
rule = "per_item"
label = "抽查不属实数"
base = 10
per = -2
floor = 0
cap = 10
value = { measure = "spotcheck_findings" }
"""


def item_value(data: dict, code: str, key: str) -> Decimal:
    result = next(r for r in data["results"] if r["subject"]["code"] == code)
    return D(next(i["value"] for i in result["items"] if i["key"] == key))


def test_inaccurate_rejects_the_fact_and_the_score_drops_on_a_rerun(city):
    scheme = parse_scheme(SCHEME)
    before = to_json(run_scheme(scheme, "2023"))
    project = city["a_projects"][1]  # lead unit 甲区, 2,000万元
    check = draw(city, rate="1")
    item = check.items.get(stage_record__project=project)
    assert item.unit == city["a"] and item.verifier == city["dist_a"] and item.amount == D("2000")

    spotcheck_record_result(user=city["assessor"], item=item, result=SpotCheckResult.INACCURATE,
                            reason="现场核查无签约协议原件")

    record = StageRecord.objects.get(project=project, stage="signed")
    assert record.verification == Verification.REJECTED
    assert "现场核查无签约协议原件" in record.verification_reason
    assert record.reviewed_by == city["assessor"]
    assert record.history.first().history_user == city["assessor"]
    project.refresh_from_db()
    assert project.signed_verified_on is None
    item.refresh_from_db()
    assert item.result == SpotCheckResult.INACCURATE and item.checked_by == city["assessor"]
    assert item.history.count() == 2

    after = to_json(run_scheme(scheme, "2023"))
    assert item_value(after, "A", "signed") == item_value(before, "A", "signed") - D("2000")
    # the finding counts by the date of the result (today), against 甲区 only
    this_year = to_json(run_scheme(scheme, str(today().year)))
    assert item_value(this_year, "A", "findings") == 1
    assert item_value(this_year, "B", "findings") == 0
    assert D(next(r for r in this_year["results"] if r["subject"]["code"] == "A")["items"][1]["points"]) == D("8")


def test_accurate_keeps_the_fact(city):
    check = draw(city, rate="1")
    item = check.items.filter(fund_arrival__isnull=False).get()
    spotcheck_record_result(user=city["assessor"], item=item, result=SpotCheckResult.ACCURATE)
    city["arrival"].refresh_from_db()
    assert city["arrival"].verification == Verification.PRELIMINARY
    item.refresh_from_db()
    assert item.result == SpotCheckResult.ACCURATE and item.reason == ""


def test_inaccurate_needs_a_reason_and_a_result_is_final(city):
    item = draw(city).items.first()
    with pytest.raises(ApplicationError) as exc:
        spotcheck_record_result(user=city["assessor"], item=item, result=SpotCheckResult.INACCURATE, reason=" ")
    assert "reason" in exc.value.field_errors
    spotcheck_record_result(user=city["assessor"], item=item, result=SpotCheckResult.ACCURATE)
    with pytest.raises(ApplicationError) as exc:
        spotcheck_record_result(user=city["assessor"], item=item, result=SpotCheckResult.INACCURATE, reason="补充")
    assert "不能更改" in exc.value.message


@pytest.mark.parametrize("who", ["dist_a", "staff_a"])
def test_only_the_city_records_results(city, who):
    item = draw(city).items.first()
    with pytest.raises(PermissionDeniedError):
        spotcheck_record_result(user=city[who], item=item, result=SpotCheckResult.ACCURATE)
    item.refresh_from_db()
    assert item.result == SpotCheckResult.PENDING


# ---------------------------------------------------------------------------------------------
# Command line


def run_cli(*args) -> str:
    out = StringIO()
    call_command("integrity", "spotcheck", *args, stdout=out)
    return out.getvalue()


def test_cli_json_is_reproducible(city):
    args = ["--period", "2023", "--rate", "0.3", "--min-per-unit", "1", "--seed", "42", "--json"]
    first, second = json.loads(run_cli(*args)), json.loads(run_cli(*args))
    assert first["population_size"] == 23 and first["seed"] == 42 and first["sample_size"] == 8
    assert first["population_digest"] == second["population_digest"]
    assert [i["fact"] for i in first["items"]] == [i["fact"] for i in second["items"]]
    item = first["items"][0]
    assert item["unit"]["name"] in ("甲区", "乙县") and item["project"]["code"].startswith("XM-")
    assert item["result"] == "pending" and D(item["amount"]) > 0
    third = json.loads(run_cli("--period", "2023", "--rate", "0.3", "--seed", "43", "--json"))
    assert [i["fact"] for i in third["items"]] != [i["fact"] for i in first["items"]]
    assert SpotCheck.objects.count() == 3 and SpotCheck.objects.filter(created_by__isnull=True).count() == 3


def test_cli_table(city):
    text = run_cli("--period", "2023", "--rate", "1", "--seed", "7")
    assert "总体 23 条，抽取 23 条" in text and "随机种子 7" in text
    assert "乙县\tXM-B-0\t乙县项目XM-B-0\t签约\t2023-05-01\t5,000.00\t5,000.00" in text
    assert "到位资金（固定资产投资）\t2023-06-01\t3,000.00" in text


def test_cli_refuses_a_bad_rate_and_a_unit_user(city):
    with pytest.raises(CommandError, match="抽查比例"):
        run_cli("--period", "2023", "--rate", "2", "--seed", "1")
    with pytest.raises(CommandError, match="市考核办"):
        run_cli("--period", "2023", "--rate", "0.1", "--seed", "1", "--user", "staff_a")


# ---------------------------------------------------------------------------------------------
# Pages


def login(client, user):
    client.force_login(user)
    return client


def test_assessor_draws_on_the_page_and_records_a_result(client, city):
    login(client, city["assessor"])
    page = client.get(reverse("integrity:spotcheck_new"))
    assert page.status_code == 200 and page.context["form"].initial["seed"] > 0
    response = client.post(reverse("integrity:spotcheck_new"),
                           {"period": "2023", "rate": "0.3", "min_per_unit": "1", "seed": "42", "note": "一季度"})
    check = SpotCheck.objects.get()
    assert response.status_code == 302 and response.url == reverse("integrity:spotcheck_detail", args=[check.pk])
    assert refs(check) == refs(draw(city, seed=42))

    detail = client.get(response.url)
    html = detail.content.decode()
    assert "甲区" in html and "乙县" in html and check.population_digest in html and "spotcheck-result-form" in html
    item = check.items.filter(unit=city["a"]).first()
    prefix = f"item{item.pk}"
    url = reverse("integrity:spotcheck_item_result", args=[item.pk])
    missing = client.post(url, {f"{prefix}-result": "inaccurate", f"{prefix}-reason": ""}, HTTP_HX_REQUEST="true")
    assert "请填写不属实的理由" in missing.content.decode()
    done = client.post(url, {f"{prefix}-result": "inaccurate", f"{prefix}-reason": "无施工许可"},
                       HTTP_HX_REQUEST="true")
    row = done.content.decode()
    assert done.status_code == 200 and "不属实" in row and 'id="spotcheck-findings"' in row
    assert item.fact.__class__.objects.get(pk=item.fact.pk).verification == Verification.REJECTED
    listing = client.get(reverse("integrity:spotcheck_list")).content.decode()
    assert "2023年" in listing


def test_the_draw_form_names_a_bad_rate(client, city):
    login(client, city["assessor"])
    response = client.post(reverse("integrity:spotcheck_new"),
                           {"period": "2023", "rate": "1.5", "min_per_unit": "1", "seed": "1"})
    assert response.status_code == 200 and response.context["form"].errors["rate"]
    assert not SpotCheck.objects.exists()


def test_district_assessor_sees_its_own_district_read_only(client, city):
    check = draw(city, rate="1")
    b_item = check.items.filter(unit=city["b"]).first()
    login(client, city["dist_a"])
    assert client.get(reverse("integrity:spotcheck_list")).status_code == 200
    html = client.get(reverse("integrity:spotcheck_detail", args=[check.pk])).content.decode()
    assert "XM-A-01" in html and "XM-B-0" not in html and "spotcheck-result-form" not in html
    a_item = check.items.filter(unit=city["a"]).first()
    response = client.post(reverse("integrity:spotcheck_item_result", args=[a_item.pk]),
                           {f"item{a_item.pk}-result": "accurate"})
    assert response.status_code == 403
    assert client.post(reverse("integrity:spotcheck_item_result", args=[b_item.pk]),
                       {f"item{b_item.pk}-result": "accurate"}).status_code == 404
    assert client.get(reverse("integrity:spotcheck_new")).status_code == 403


def test_other_district_does_not_see_a_spot_check_without_its_facts(client, city):
    check = draw(city, rate="0.3", period="2023")
    check.items.filter(unit=city["b"]).delete()
    login(client, city["dist_b"])
    assert client.get(reverse("integrity:spotcheck_detail", args=[check.pk])).status_code == 404
    assert "2023年" not in client.get(reverse("integrity:spotcheck_list")).content.decode()


def test_unit_user_does_not_see_the_pages(client, city):
    check = draw(city)
    login(client, city["staff_a"])
    assert client.get(reverse("integrity:spotcheck_list")).status_code == 403
    assert client.get(reverse("integrity:spotcheck_detail", args=[check.pk])).status_code == 403
    assert client.get(reverse("integrity:spotcheck_new")).status_code == 403


# ---------------------------------------------------------------------------------------------
# API


def api(client, user):
    client.force_login(user)
    return client


def test_api_draw_get_and_record(client, city):
    api(client, city["assessor"])
    body = {"period": "2023", "rate": "0.3", "min_per_unit": 1, "seed": 42}
    created = client.post("/api/integrity/spotchecks", json.dumps(body), content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["seed"] == 42 and data["population_size"] == 23 and data["sample_size"] == 8
    assert data["items"] == json.loads(json.dumps(data["items"]))
    listing = client.get("/api/integrity/spotchecks").json()
    assert listing[0]["id"] == data["id"] and listing[0]["pending"] == 8
    got = client.get(f"/api/integrity/spotchecks/{data['id']}").json()
    assert [i["fact"] for i in got["items"]] == [i["fact"] for i in data["items"]]

    item_id = data["items"][0]["id"]
    url = f"/api/integrity/spotchecks/items/{item_id}/result"
    refused = client.post(url, json.dumps({"result": "inaccurate"}), content_type="application/json")
    assert refused.status_code == 400 and "reason" in refused.json()["fields"]
    done = client.post(url, json.dumps({"result": "inaccurate", "reason": "资金未实际到位"}),
                       content_type="application/json")
    assert done.status_code == 200
    assert done.json()["result"] == "inaccurate" and done.json()["fact"]["verification"] == "rejected"


def test_api_scope(client, city):
    check = draw(city, rate="1")
    a_item = check.items.filter(unit=city["a"]).first()
    b_item = check.items.filter(unit=city["b"]).first()
    api(client, city["dist_a"])
    got = client.get(f"/api/integrity/spotchecks/{check.pk}").json()
    assert {i["unit"]["name"] for i in got["items"]} == {"甲区"}
    assert client.post(f"/api/integrity/spotchecks/items/{b_item.pk}/result", json.dumps({"result": "accurate"}),
                       content_type="application/json").status_code == 404
    assert client.post(f"/api/integrity/spotchecks/items/{a_item.pk}/result", json.dumps({"result": "accurate"}),
                       content_type="application/json").status_code == 403
    assert client.post("/api/integrity/spotchecks", json.dumps({"period": "2023", "seed": 1}),
                       content_type="application/json").status_code == 403
    api(client, city["staff_a"])
    assert client.get("/api/integrity/spotchecks").status_code == 403
    assert client.get(f"/api/integrity/spotchecks/{check.pk}").status_code == 403
    assert SpotCheckItem.objects.filter(result=SpotCheckResult.PENDING).count() == check.items.count()
