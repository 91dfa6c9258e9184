"""Measures computed together (one query, conditional aggregates, projects LEFT JOINed to their
shares) give exactly what a plain Python reading of the rules gives, measure by measure, for units
and people, with conflicting projects excluded."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

import pytest

from tests.factories import FundArrivalFactory, PersonFactory, ProjectFactory, UnitFactory
from zhaoshang.assessment.engine import measures
from zhaoshang.ledger.choices import STAGE_DATE_FIELD
from zhaoshang.ledger.models import FundArrival, Project, ProjectShare

pytestmark = pytest.mark.django_db

W = measures.Window(dt.date(2024, 1, 1), dt.date(2024, 12, 31), dt.date(2024, 9, 30))

REQUESTS = [
    ("project_amount", {"stage": ("signed",)}),
    ("project_amount", {"stage": ("started",), "basis": "planned_or_signed"}),
    ("project_amount", {"stage": ("completed",), "basis": "planned"}),
    ("project_amount", {"stage": ("signed",), "basis": "foreign", "industry": ("C",)}),
    ("project_count", {"stage": ("signed",), "industry": ("B", "C", "D")}),
    ("project_count", {"stage": ("signed",), "min_amount": Decimal(100000), "uplift": True, "weighted": False}),
    ("project_count", {"stage": ("started",), "min_amount": Decimal(50000), "uplift": True, "weighted": False}),
    ("project_count", {"stage": ("signed", "started"), "four_power": True}),
    ("project_count", {"stage": ("signed",), "min_amount": Decimal(30000), "max_amount": Decimal(90000)}),
    ("project_count", {"stage": ("signed",), "started_by_end": True}),
    ("project_count", {"stage": ("producing",)}),
]


def _size(p, uplift):
    if uplift and p.is_four_power and 50000 <= p.signed_amount < 100000:
        return Decimal(100000)
    if uplift and p.is_four_power and 100000 <= p.signed_amount < 200000:
        return Decimal(200000)
    return p.signed_amount


def _in(d):
    return d is not None and W.start <= d <= W.end


def reference(name, params, subject_type, excluded):
    """The rules of the measures module, read literally, row by row."""
    out = defaultdict(Decimal)
    shares = defaultdict(list)
    for s in ProjectShare.objects.all():
        shares[s.project_id].append(s)
    for p in Project.objects.all():
        if p.status == "terminated" or p.id in excluded:
            continue
        if not any(_in(getattr(p, STAGE_DATE_FIELD[s])) for s in params["stage"]):
            continue
        if params.get("industry") and p.category not in params["industry"]:
            continue
        if params.get("four_power") is not None and p.is_four_power != params["four_power"]:
            continue
        if params.get("started_by_end") and not (p.started_on and p.started_on <= W.end):
            continue
        size = _size(p, params.get("uplift"))
        if params.get("min_amount") is not None and size < params["min_amount"]:
            continue
        if params.get("max_amount") is not None and size >= params["max_amount"]:
            continue
        basis = params.get("basis", "signed")
        amount = {
            "signed": p.signed_amount,
            "planned": p.planned_investment or 0,
            "planned_or_signed": p.planned_investment if p.planned_investment is not None else p.signed_amount,
            "foreign": p.foreign_amount or 0,
        }[basis]
        if subject_type == "person":
            if p.introducer_id:
                out[p.introducer_id] += 1 if name == "project_count" else amount
            continue
        holders = [(s.unit_id, s.ratio) for s in shares[p.id]] or [(p.lead_unit_id, Decimal(1))]
        for uid, ratio in holders:
            if name == "project_count":
                out[uid] += ratio if params.get("weighted", True) else 1
            else:
                out[uid] += amount * ratio
    return dict(out)


def fund_reference(excluded):
    out = defaultdict(Decimal)
    for f in FundArrival.objects.select_related("project"):
        p = f.project
        if p.status == "terminated" or p.id in excluded or not _in(f.date):
            continue
        holders = [(s.unit_id, s.ratio) for s in p.shares.all()] or [(p.lead_unit_id, Decimal(1))]
        for uid, ratio in holders:
            out[uid] += f.amount * ratio
    return dict(out)


@pytest.fixture
def ledger():
    rnd = random.Random(7)
    units = [UnitFactory() for _ in range(4)]
    people = [PersonFactory(unit=u, role="head") for u in units]
    dates = [
        None,
        dt.date(2023, 12, 31),
        dt.date(2024, 1, 1),
        dt.date(2024, 6, 1),
        dt.date(2024, 9, 30),
        dt.date(2024, 10, 1),
    ]
    for _ in range(60):
        p = ProjectFactory(
            lead_unit=rnd.choice(units),
            introducer=rnd.choice([None, *people]),
            signed_on=rnd.choice(dates[1:]),
            signed_amount=Decimal(rnd.choice([1000, 30000, 49999, 50000, 90000, 99999, 100000, 150000, 250000])),
            planned_investment=rnd.choice([None, Decimal(70000)]),
            foreign_amount=rnd.choice([None, Decimal("12.5")]),
            is_four_power=rnd.random() < 0.4,
            category=rnd.choice(["C", "D", "K", ""]),
            status=rnd.choice(["advancing"] * 5 + ["terminated"]),
            status_reason="投资方撤资",
            is_foreign=True,
        )
        started = rnd.choice(dates)
        if started and started >= p.signed_on:
            p.started_on = started
            later = [d for d in dates if d and d >= started]
            p.completed_on = rnd.choice([None, *later])
            p.producing_on = p.completed_on and rnd.choice([None, p.completed_on])
            p.save()
        if rnd.random() < 0.3:
            a, b = rnd.sample(units, 2)
            ProjectShare.objects.create(project=p, unit=a, ratio=Decimal("0.6"))
            ProjectShare.objects.create(project=p, unit=b, ratio=Decimal("0.4"))
        for _ in range(rnd.randint(0, 2)):
            FundArrivalFactory(project=p, date=rnd.choice(dates[1:]), amount=Decimal(rnd.choice([10, 250, 3000])))
    return units


@pytest.mark.parametrize("subject_type", ["unit", "person"])
@pytest.mark.parametrize("exclude", [False, True])
def test_measures_together_equal_the_rules(ledger, subject_type, exclude):
    excluded = (
        frozenset(list(Project.objects.order_by("id").values_list("id", flat=True))[::5]) if exclude else frozenset()
    )
    together = measures.compute_many(REQUESTS, W, subject_type, excluded)
    for (name, params), got in zip(REQUESTS, together, strict=True):
        want = reference(name, params, subject_type, excluded)
        assert {k: v for k, v in got.items() if v} == {k: v for k, v in want.items() if v}, (name, params)
        assert got == measures.compute(name, params, W, subject_type, excluded)  # alone as in company
    if subject_type == "unit":
        assert measures.compute("fund_amount", {}, W, "unit", excluded) == {
            k: v for k, v in fund_reference(excluded).items() if v
        }


def test_leaders_without_project_together_and_alone(ledger):
    reqs = [
        ("leaders_without_project", {"role": ("head",), "stage": ("signed",), "min_amount": Decimal(q), "uplift": True})
        for q in (50000, 100000, 200000)
    ]
    together = measures.compute_many(reqs, W, "unit")
    assert together == [measures.compute(n, p, W, "unit") for n, p in reqs]
    # A stricter quota leaves at least as many leaders without a project.
    for uid in together[0]:
        assert together[0][uid] <= together[1].get(uid, 0) <= together[2].get(uid, 0)
    # A unit's sheet names its own leaders, read for that unit alone (`credited` for a few people): as many
    # as the run counted, new leaders without a project among them.
    from zhaoshang.orgs.models import Unit

    for u in Unit.objects.order_by("id")[:2]:
        PersonFactory(unit=u, role="head")
    counted = measures.compute_many(reqs, W, "unit")
    assert all(counted[i][u.pk] >= 1 for i in range(3) for u in Unit.objects.order_by("id")[:2])
    for (name, params), per_unit in zip(reqs, counted, strict=True):
        for uid, n in per_unit.items():
            assert len(measures.rows(name, params, W, "unit", uid)["people"]) == n


@pytest.mark.parametrize("basis", ["filed", "verified"])
def test_facts_riding_on_the_passes_equal_their_own_queries(ledger, basis):
    """申报与认定 read in the measures' passes over the projects and the arrivals give what their own
    queries give, and the measures of those passes what they give alone."""
    from zhaoshang.assessment.engine.facts import filed_and_verified, riders

    rnd = random.Random(3)
    for f in FundArrival.objects.all():  # some arrivals verified before, some after the as-of date
        f.verification = rnd.choice(["pending", "preliminary", "verified", "verified"])
        verified = f.verification == "verified"
        f.verified_on = rnd.choice([dt.date(2024, 3, 1), dt.date(2024, 12, 1)]) if verified else None
        f.save(update_fields=["verification", "verified_on"])
    Project.objects.filter(id__in=list(Project.objects.values_list("id", flat=True))[::2]).update(
        signed_verified_on=dt.date(2024, 5, 1), started_verified_on=dt.date(2024, 11, 1))
    w = measures.Window(W.start, W.period_end, W.as_of, basis)
    excluded = frozenset(list(Project.objects.order_by("id").values_list("id", flat=True))[::7])
    reqs = [*REQUESTS[:3], ("fund_amount", {}), ("fund_amount", {"kind": "fixed_asset", "started_by_end": True}),
            ("fund_amount", {"active_at_start": True, "industry": ("C",)})]
    ridden = riders(w, "unit")
    together = measures.compute_many(reqs, w, "unit", excluded, ridden)
    assert all(r.rows is not None for r in ridden.values())  # both passes took their rider
    assert together == [measures.compute(n, p, w, "unit", excluded) for n, p in reqs]
    assert any(together[3].values())
    facts = filed_and_verified(w, "unit", None, excluded, ridden)
    assert facts == filed_and_verified(w, "unit", None, excluded)
    assert any(v["funds_verified"] for v in facts.values()) and any(v["waiting"] for v in facts.values())
