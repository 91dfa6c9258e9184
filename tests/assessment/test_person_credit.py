"""个人分成 (issue 13, acceptance 1): a project split 60/40 between two 引资人 gives each their share in a
person run, and the 帮办秘书 measure counts the projects a secretary served. Values computed by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from zhaoshang.assessment.engine import measures
from zhaoshang.assessment.engine.run import run_scheme, to_json
from zhaoshang.assessment.engine.scheme import parse_scheme
from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.ledger import credits
from zhaoshang.ledger.models import ProjectCredit
from zhaoshang.orgs.choices import UserRole

from .helpers import person, project, unit

pytestmark = pytest.mark.django_db
D = Decimal
W = measures.Window(dt.date(2024, 1, 1), dt.date(2024, 12, 31), dt.date(2024, 12, 31))
SIGNED = {"stage": ("signed",)}

SCHEME = """
key = "t-person-credit"
name = "人员分成测试"
version = 1
subject = "person"
basis = "filed"
[subjects]
unit_kinds = ["产业专班"]
[ranking]
within = "all"
[values.amount]
measure = "project_amount"
stage = "signed"
[values.served]
measure = "secretary_projects"
stage = "signed"
[[items]]
key = "amount"
name = "引资金额"
rule = "formula"
expr = "amount / 1000"
[[items]]
key = "served"
name = "帮办项目"
rule = "formula"
expr = "served"
"""


@pytest.fixture
def city(db):
    """专班 T with 引资人 甲、乙 and 帮办秘书 丙、丁, and an assessor to write the splits.

    P1 10,000 万元: 引资人 甲 60 % / 乙 40 %; 帮办秘书 丙 (named, no split).
    P2  5,000 万元: 引资人 乙 (named, no split); 帮办秘书 丙.
    P3  2,000 万元: 引资人 甲; 帮办秘书 丙 50 % / 丁 50 %.
    P4  8,000 万元 signed in 2023: outside the window."""
    t = unit("T1", None, kind="task_force", name="新能源专班")
    a, b, c, d = (person(t, name=n) for n in ("甲", "乙", "丙", "丁"))
    assessor = UserFactory(username="credit-assessor", role=UserRole.ASSESSOR)
    p1 = project(t, "2024-03-01", 10000, introducer=a, assisting_secretary=c)
    project(t, "2024-04-01", 5000, introducer=b, assisting_secretary=c)
    p3 = project(t, "2024-05-01", 2000, introducer=a, assisting_secretary=c)
    project(t, "2023-05-01", 8000, introducer=a, assisting_secretary=c)
    credits.project_set_credits(user=assessor, project=p1, role="introducer", credits=[(a, D("0.6")), (b, D("0.4"))])
    credits.project_set_credits(user=assessor, project=p3, role="secretary", credits=[(c, D("0.5")), (d, D("0.5"))])
    return {"unit": t, "甲": a, "乙": b, "丙": c, "丁": d, "p1": p1, "p3": p3, "assessor": assessor}


def test_a_60_40_split_gives_each_introducer_their_share(city):
    a, b = city["甲"], city["乙"]
    amount = measures.compute("project_amount", SIGNED, W, "person")
    count = measures.compute("project_count", SIGNED, W, "person")
    # 甲: 10,000 × 0.6 + 2,000 (P3 whole) = 8,000; 乙: 10,000 × 0.4 + 5,000 (P2 whole) = 9,000
    assert amount[a.pk] == D("8000") and amount[b.pk] == D("9000")
    # 甲: 0.6 + 1 = 1.6 projects; 乙: 0.4 + 1 = 1.4
    assert count[a.pk] == D("1.6") and count[b.pk] == D("1.4")
    # unweighted: each holds P1 as one project
    unweighted = measures.compute("project_count", {**SIGNED, "weighted": False}, W, "person")
    assert unweighted[a.pk] == 2 and unweighted[b.pk] == 2
    assert measures.rows("project_amount", SIGNED, W, "person", b.pk)["projects"] == sorted(
        [city["p1"].pk, *[p.pk for p in b.introduced_projects.filter(signed_on__year=2024)]])


def test_the_secretary_measures_count_the_projects_served(city):
    c, d = city["丙"], city["丁"]
    served = measures.compute("secretary_projects", SIGNED, W, "person")
    # 丙 served P1 and P2 whole and half of P3: 1 + 1 + 0.5 = 2.5 (P4 is 2023); 丁 half of P3
    assert served == {c.pk: D("2.5"), d.pk: D("0.5")}
    whole = measures.compute("secretary_projects", {**SIGNED, "weighted": False}, W, "person")
    assert whole == {c.pk: 3, d.pk: 1}
    amount = measures.compute("secretary_amount", SIGNED, W, "person")
    # 丙: 10,000 + 5,000 + 2,000 × 0.5 = 16,000; 丁: 1,000
    assert amount == {c.pk: D("16000"), d.pk: D("1000")}
    assert len(measures.rows("secretary_projects", SIGNED, W, "person", c.pk)["projects"]) == 3
    assert measures.rows("secretary_projects", SIGNED, W, "person", d.pk)["projects"] == [city["p3"].pk]
    # asked together (one pass over the projects), beside the 引资人's, they are the same
    reqs = [("secretary_projects", SIGNED), ("secretary_projects", {**SIGNED, "weighted": False}),
            ("secretary_amount", SIGNED), ("project_amount", SIGNED)]
    assert measures.compute_many(reqs, W, "person") == [served, whole, amount,
                                                         measures.compute("project_amount", SIGNED, W, "person")]
    assert measures.compute_many(reqs[:3], W, "unit") == [{}, {}, {}]


def test_a_person_run_scores_each_share(city):
    results = {r["subject"]["name"]: r for r in to_json(run_scheme(parse_scheme(SCHEME), "2024"))["results"]}
    # 甲 8,000 / 1000 = 8; 乙 9; 丙 2.5 served; 丁 0.5 served
    assert D(results["甲"]["total"]) == D(8)
    assert D(results["乙"]["total"]) == D(9)
    assert D(results["丙"]["total"]) == D("2.5")
    assert D(results["丁"]["total"]) == D("0.5")
    assert [results[n]["rank"] for n in ("乙", "甲", "丙", "丁")] == [1, 2, 3, 4]


def test_ratios_must_sum_to_one(city):
    a, b = city["甲"], city["乙"]
    with pytest.raises(ApplicationError) as exc:
        credits.project_set_credits(user=city["assessor"], project=city["p1"], role="introducer",
                                    credits=[(a, D("0.6")), (b, D("0.3"))])
    assert "之和应为1" in exc.value.message and "0.9" in exc.value.message
    # nothing half-written: the 60/40 split stands
    assert sorted(city["p1"].credits.filter(role="introducer").values_list("ratio", flat=True)) == [D("0.4"), D("0.6")]


def test_clearing_the_split_returns_the_credit_to_the_named_person(city):
    credits.project_set_credits(user=city["assessor"], project=city["p1"], role="introducer", credits=[])
    assert credits.credit_split(city["p1"], "introducer") == [(city["甲"], D(1))]
    # the rows removed are in the history
    assert ProjectCredit.history.filter(project_id=city["p1"].pk, history_type="-").count() == 2


def test_another_units_user_cannot_split_the_credit(city, staff_b):
    with pytest.raises(PermissionDeniedError):
        credits.project_set_credits(user=staff_b, project=city["p1"], role="introducer",
                                    credits=[(city["甲"], D(1))])


def test_the_project_page_shows_and_edits_the_split(city, client):
    client.force_login(city["assessor"])
    page = client.get(reverse("ledger:project_detail", args=[city["p1"].pk])).content.decode()
    assert "个人分成" in page and "60" in page and "40" in page
    url = reverse("ledger:credits_edit", args=[city["p1"].pk, "introducer"])
    data = {"credits-TOTAL_FORMS": "3", "credits-INITIAL_FORMS": "0", "credits-0-person": city["甲"].pk,
            "credits-0-ratio": "0.7", "credits-1-person": city["乙"].pk, "credits-1-ratio": "0.2"}
    body = client.post(url, data).content.decode()
    assert "之和应为1" in body
    data["credits-1-ratio"] = "0.3"
    assert client.post(url, data).status_code == 302
    assert credits.credit_split(city["p1"], "introducer") == [(city["甲"], D("0.7")), (city["乙"], D("0.3"))]


# ---------------------------------------------------------------------------------------------
# The 个人分成 sheet of the exchange workbook


def _workbook(tmp_path, rows):
    from zhaoshang.exchange.template import write_workbook

    path = tmp_path / "credits.xlsx"
    write_workbook(path, {"个人分成": rows})
    return path


def test_the_workbook_sheet_replaces_a_split(city, tmp_path):
    from zhaoshang.exchange.importer import import_workbook

    p1, a, b = city["p1"], city["甲"], city["乙"]
    result = import_workbook(_workbook(tmp_path, [[p1.code, "引资人", a.staff_no, "0.5"],
                                                  [p1.code, "引资人", b.staff_no, "50%"]]), user=city["assessor"])
    assert result.ok, result.errors
    assert dict(credits.credit_split(p1, "introducer")) == {a: D("0.5"), b: D("0.5")}
    assert ProjectCredit.history.filter(project_id=p1.pk).count() == 4  # 2 written by the fixture, 2 changed


def test_a_bad_sum_in_the_workbook_names_sheet_row_and_column_and_writes_nothing(city, tmp_path):
    from zhaoshang.exchange.importer import import_workbook

    p1, a, b = city["p1"], city["甲"], city["乙"]
    result = import_workbook(_workbook(tmp_path, [[p1.code, "引资人", a.staff_no, "0.5"],
                                                  [p1.code, "引资人", b.staff_no, "0.4"]]), user=city["assessor"])
    assert not result.ok
    error = result.errors[0]
    assert (error.sheet, error.column) == ("个人分成", "比例") and "之和应为1" in error.message
    assert sorted(city["p1"].credits.filter(role="introducer").values_list("ratio", flat=True)) == [D("0.4"), D("0.6")]


def test_funds_follow_the_split(city):
    from .helpers import fund

    fund(city["p1"], "2024-06-01", 500)
    values = measures.compute("fund_amount", {}, W, "person")
    # 500 万元 in P1: 甲 60 % = 300, 乙 40 % = 200
    assert values == {city["甲"].pk: D("300"), city["乙"].pk: D("200")}
    assert measures.rows("fund_amount", {}, W, "person", city["乙"].pk)["projects"] == [city["p1"].pk]


def test_a_person_runs_filed_and_verified_hold_each_project_whole_by_its_introducer(city):
    """申报与认定 of a person run, read in the run's pass over the 引资人 split, still hold each project whole
    by its named 引资人 (P1 to 甲 although split 60/40), as their own query does."""
    from zhaoshang.assessment.engine.facts import filed_and_verified, riders

    a, b = city["甲"], city["乙"]
    ridden = riders(W, "person")
    measures.compute_many([("project_amount", SIGNED), ("project_count", {"stage": ("started",)})], W, "person",
                          frozenset(), ridden)
    assert ridden["projects"].rows is not None  # the pass took it
    facts = filed_and_verified(W, "person", None, frozenset(), ridden)
    assert facts == filed_and_verified(W, "person")
    # 甲: P1 10,000 (whole, as named) + P3 2,000; 乙: P2 5,000
    assert facts[a.pk]["signed_filed"] == D("12000") and facts[b.pk]["signed_filed"] == D("5000")


@pytest.mark.parametrize("few", [200, 0], ids=["by index", "by scan"])
def test_passes_read_for_some_people_give_them_what_a_pass_for_everyone_gives(city, few, monkeypatch):
    """A run that assesses some of the cadres reads only the projects that name or credit one of them
    (`projects.credited`, both ways it finds them): 乙 alone still gets 40 % of P1 although 甲 introduced it,
    丁 alone half of P3 although 丙 is its named secretary, and 申报与认定 is each one's own."""
    from zhaoshang.assessment.engine.facts import filed_and_verified, riders
    from zhaoshang.assessment.engine.measures import projects as project_measures

    monkeypatch.setattr(project_measures, "FEW_PEOPLE", few)

    a, b, c, d = city["甲"], city["乙"], city["丙"], city["丁"]
    reqs = [("project_amount", SIGNED), ("project_count", SIGNED), ("secretary_projects", SIGNED),
            ("secretary_amount", SIGNED)]
    everyone = measures.compute_many(reqs, W, "person")
    for some in ({b.pk}, {d.pk}, {a.pk, c.pk}):
        ridden = riders(W, "person")
        narrowed = measures.compute_many(reqs, W, "person", frozenset(), ridden, frozenset(some))
        for whole, part in zip(everyone, narrowed, strict=True):
            assert {k: v for k, v in part.items() if k in some} == {k: v for k, v in whole.items() if k in some}
        assert filed_and_verified(W, "person", some, frozenset(), ridden) == {
            k: v for k, v in filed_and_verified(W, "person").items() if k in some}
    only_b = measures.compute_many(reqs[:1], W, "person", frozenset(), None, frozenset({b.pk}))[0]
    assert only_b[b.pk] == D("9000")  # P1 10,000 × 40 % + P2 5,000
    only_d = measures.compute_many(reqs[3:], W, "person", frozenset(), None, frozenset({d.pk}))[0]
    assert only_d[d.pk] == D("1000")  # P3 2,000 × 50 %
