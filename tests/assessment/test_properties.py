"""Property tests (hypothesis): more of a good thing never lowers a score; items stay within
[floor, max]; ranks agree with totals; shares split amounts without loss."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import ProjectFactory, UnitFactory
from zhaoshang.assessment.engine import measures
from zhaoshang.assessment.engine.compose import score
from zhaoshang.assessment.engine.rules import SubjectInput
from zhaoshang.assessment.engine.scheme import load_preset
from zhaoshang.ledger.models import ProjectShare

# Values a unit wants more of, per preset (a late submission or a bigger denominator is not one).
GOOD = {
    "bole-2023": ["signed_value", "funds_value", "daily_add"],
    "huaiyin-2020": [
        "new_signed_value",
        "new_started_value",
        "building_value",
        "completed_value",
        "producing_value",
        "process_add",
    ],
    "laiwu-2019": ["signed_value", "foreign_value", "big_value"],
    "zhengzhou-2019": ["funds", "four_power", "adjust", "signed_1m"],
}
GROUPS = {
    "bole-2023": ["驻点招商局"],
    "huaiyin-2020": ["平台", "镇街"],
    "laiwu-2019": ["区及功能区", "市直部门"],
    "zhengzhou-2019": ["重点地区", "市内五区及郑东新区"],
}

amounts = st.decimals(min_value=0, max_value=500000, places=2)
counts = st.integers(min_value=0, max_value=6).map(Decimal)


@st.composite
def populations(draw, key):
    scheme = load_preset(key)
    n = draw(st.integers(min_value=1, max_value=6))
    subjects = []
    for i in range(n):
        values = {name: draw(counts if spec.display() == "count" else amounts) for name, spec in scheme.values.items()}
        if key == "bole-2023":
            values["K"] = min(values["K"], values["S"])
        targets = {t: draw(st.one_of(st.just(Decimal(0)), amounts)) for t in scheme.targets}
        subjects.append(
            SubjectInput(
                i + 1,
                "unit",
                f"U{i}",
                f"单位{i}",
                draw(st.sampled_from(GROUPS[key])),
                values,
                targets,
                veto=draw(st.booleans()),
            )
        )
    return scheme, subjects


def _total(scheme, subjects, sid):
    return next(r.total for r in score(scheme, subjects) if r.subject.id == sid)


@pytest.mark.parametrize("key", list(GOOD))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_more_of_a_good_thing_never_lowers_a_score(key, data):
    scheme, subjects = data.draw(populations(key))
    who = data.draw(st.sampled_from(subjects))
    name = data.draw(st.sampled_from(GOOD[key]))
    extra = data.draw(st.decimals(min_value=0, max_value=100000, places=2))
    before = _total(scheme, subjects, who.id)
    who.values[name] = who.values.get(name, Decimal(0)) + extra
    assert _total(scheme, subjects, who.id) >= before


@pytest.mark.parametrize("key", list(GOOD))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_items_within_bounds_and_ranks_follow_totals(key, data):
    scheme, subjects = data.draw(populations(key))
    results = score(scheme, subjects)
    for r in results:
        for item, res in zip(scheme.items, r.items, strict=True):
            assert res.points == res.points.quantize(Decimal("0.01"))
            if item.max is not None:
                assert res.points <= item.max
            if item.floor is not None:
                assert res.points >= item.floor
        if not r.missing_targets:
            assert r.total == scheme.base + sum(i.points for i in r.items)
        else:  # missing_target = "skip": rescaled by full points ÷ points of the items that apply
            full = sum(i.weight for i in scheme.items)
            applying = sum(i.weight for i, res in zip(scheme.items, r.items, strict=True) if res.applies)
            if applying > 0:
                got = sum(res.points for res in r.items if res.applies)
                assert r.total == scheme.base + (got * full / applying).quantize(Decimal("0.01"), ROUND_HALF_UP)
    for a in results:
        for b in results:
            if a.group != b.group:
                continue
            if a.total > b.total:
                assert a.rank < b.rank
            elif a.total == b.total:
                assert a.rank == b.rank
    for r in results:  # 1, 2, 2, 4: a rank is one more than the number of better totals in the group
        assert r.rank == 1 + sum(1 for o in results if o.group == r.group and o.total > r.total)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    amount=st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("999999.9999"), places=4),
    parts=st.lists(st.integers(min_value=1, max_value=100), min_size=1, max_size=5),
)
def test_shares_split_amounts_without_loss(amount, parts):
    # Ratios with 6 places summing to exactly 1: the last unit takes what is left.
    total = sum(parts)
    ratios = [Decimal(p * 1_000_000 // total) / 1_000_000 for p in parts[:-1]]
    ratios.append(Decimal(1) - sum(ratios, Decimal(0)))
    with transaction.atomic():
        sid = transaction.savepoint()
        units = [UnitFactory() for _ in ratios]
        project = ProjectFactory(lead_unit=units[0], signed_amount=amount, signed_on=dt.date(2024, 2, 1))
        for u, r in zip(units, ratios, strict=True):
            if r:
                ProjectShare.objects.create(project=project, unit=u, ratio=r)
        w = measures.Window(dt.date(2024, 1, 1), dt.date(2024, 12, 31), dt.date(2024, 12, 31))
        got = measures.compute("project_amount", {"stage": ("signed",)}, w, "unit")
        assert sum(got.values(), Decimal(0)).quantize(Decimal("0.0001")) == amount
        count = measures.compute("project_count", {"stage": ("signed",)}, w, "unit")
        assert sum(count.values(), Decimal(0)) == 1
        transaction.savepoint_rollback(sid)
