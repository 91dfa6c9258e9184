"""The spot-check draw as plain data (integrity/sampling.py): reproducible from the stored population,
weights and seed; proportional to weight; never more than a unit has, at least the minimum per unit."""

from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal

import pytest

from zhaoshang.integrity import sampling

D = Decimal


def population(sizes: dict[int, int], weight: int = 10_000) -> list[dict]:
    return sampling.canonical(
        {"ref": sampling.ref("stage" if i % 2 else "fund", unit * 1000 + i), "unit": unit, "weight": weight}
        for unit, n in sizes.items() for i in range(n)
    )


def test_same_seed_same_sample_and_another_seed_another():
    pop = population({1: 40, 2: 30, 3: 5})
    first = sampling.draw(pop, rate=D("0.1"), min_per_unit=1, seed=42)
    assert first == sampling.draw(list(pop), rate=D("0.1"), min_per_unit=1, seed=42)
    assert first != sampling.draw(pop, rate=D("0.1"), min_per_unit=1, seed=43)


def test_the_draw_is_fixed_for_a_seed():
    """The method uses integers and randrange only: this exact sample is what seed 42 draws, anywhere."""
    pop = population({1: 10})
    assert sampling.draw(pop, rate=D("0.3"), min_per_unit=1, seed=42) == sorted(
        sampling.weighted_sample([10_000] * 10, 3, random.Random(42))
    )
    assert len(set(sampling.draw(pop, rate=D("0.3"), min_per_unit=1, seed=42))) == 3


def test_sample_size_per_unit():
    assert sampling.sample_size(40, D("0.1"), 1) == 4
    assert sampling.sample_size(41, D("0.1"), 1) == 5  # rounded up
    assert sampling.sample_size(3, D("0.1"), 1) == 1  # the minimum
    assert sampling.sample_size(2, D("0.1"), 5) == 2  # never more than the unit has
    assert sampling.sample_size(0, D("0.1"), 1) == 0
    assert sampling.sample_size(7, D("1"), 0) == 7


def test_min_per_unit_and_rate_per_unit():
    pop = population({1: 40, 2: 3, 3: 1})
    picked = sampling.draw(pop, rate=D("0.1"), min_per_unit=2, seed=7)
    per_unit = Counter(pop[i]["unit"] for i in picked)
    assert per_unit == {1: 4, 2: 2, 3: 1}
    assert sampling.expected_total(pop, rate=D("0.1"), min_per_unit=2) == 7


def test_heavier_facts_are_drawn_more_often():
    weights = [sampling.weight(D("1")), sampling.weight(D("100")), sampling.weight(D("1"), open_flags=3)]
    assert weights == [10_000, 1_000_000, 40_000]
    counts = Counter(sampling.weighted_sample(weights, 1, random.Random(seed))[0] for seed in range(2000))
    assert counts[1] > counts[2] > counts[0]


def test_weight_floor_and_flags():
    assert sampling.weight(D("0")) == sampling.MIN_WEIGHT
    assert sampling.weight(None, open_flags=1) == 2 * sampling.MIN_WEIGHT
    assert sampling.weight(D("50000")) == 500_000_000
    assert sampling.weight(D("0.00005")) == sampling.MIN_WEIGHT


def test_without_replacement_draws_everything_once():
    weights = [1, 5, 100, 3, 7]
    assert sorted(sampling.weighted_sample(weights, 10, random.Random(1))) == [0, 1, 2, 3, 4]


def test_canonical_order_and_digest():
    a = [{"ref": "fund:3", "unit": 2, "weight": 1}, {"ref": "stage:10", "unit": 2, "weight": 1},
         {"ref": "stage:9", "unit": 1, "weight": 1}]
    ordered = sampling.canonical(a)
    assert [e["ref"] for e in ordered] == ["stage:9", "stage:10", "fund:3"]
    assert sampling.digest(ordered) == sampling.digest(sampling.canonical(reversed(a)))
    changed = [dict(e) for e in ordered]
    changed[0]["weight"] = 2
    assert sampling.digest(changed) != sampling.digest(ordered)


@pytest.mark.parametrize("rate", [D("0"), D("-0.1"), D("1.01")])
def test_rate_outside_zero_one_is_refused(rate):
    with pytest.raises(ValueError):
        sampling.draw(population({1: 3}), rate=rate, min_per_unit=1, seed=1)


def test_bad_refs_are_refused():
    with pytest.raises(ValueError):
        sampling.parse_ref("project:1")
