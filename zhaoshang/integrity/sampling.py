"""Spot-check sampling (抽查复核): who gets drawn, computed from plain data, no database.

The draw must be reproducible from what is stored with it: the population (fact references in a
canonical order), the weights and the seed. So everything here is exact and portable:

- a population entry is ``{"ref": "stage:12" | "fund:7", "unit": <district unit id>, "weight": <int>}``;
  the canonical order is by unit, then kind (stage filings before fund arrivals), then the fact's id;
- a weight is an integer: the amount in 元 (万元 × 10000; at least 1 万元, so a fact without an amount can
  still be drawn) times (1 + the project's open risk flags);
- within each unit, ``k = min(n, max(min_per_unit, ceil(rate × n)))`` facts are drawn with probability
  proportional to weight and without replacement, one after the other: each step takes
  ``random.Random(seed).randrange(remaining total weight)`` and the fact whose cumulative weight
  interval holds it (a Fenwick tree finds it in log n). Integers and ``randrange`` only, never floats,
  so the same inputs give the same sample on every machine and Python version;
- units are drawn in canonical order from one generator seeded once with the seed.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterable, Sequence
from decimal import ROUND_CEILING, Decimal

KIND_ORDER = {"stage": 0, "fund": 1}
# The weight of a fact without an amount (or below 1 万元): 1 万元 in 元.
MIN_WEIGHT = 10_000


def ref(kind: str, pk: int) -> str:
    return f"{kind}:{pk}"


def parse_ref(value: str) -> tuple[str, int]:
    kind, _, pk = value.partition(":")
    if kind not in KIND_ORDER or not pk.isdigit():
        raise ValueError(f"无效的记录引用“{value}”")
    return kind, int(pk)


def weight(amount: Decimal | None, open_flags: int = 0) -> int:
    """Amount (万元) in 元, at least 1 万元, times (1 + open flags)."""
    yuan = int((Decimal(amount or 0) * 10_000).to_integral_value(rounding=ROUND_CEILING))
    return max(yuan, MIN_WEIGHT) * (1 + max(int(open_flags), 0))


def canonical(entries: Iterable[dict]) -> list[dict]:
    """The entries in canonical order: unit, kind, id."""

    def key(e: dict):
        kind, pk = parse_ref(e["ref"])
        return (e["unit"], KIND_ORDER[kind], pk)

    return sorted(entries, key=key)


def digest(population: Sequence[dict]) -> str:
    """sha256 of the population (references, units and weights, in order) as canonical JSON."""
    text = json.dumps([[e["ref"], e["unit"], e["weight"]] for e in population], separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def sample_size(n: int, rate: Decimal, min_per_unit: int) -> int:
    """How many of a unit's n facts are drawn: the rate (rounded up), at least `min_per_unit`, at most n."""
    if n <= 0:
        return 0
    by_rate = int((Decimal(rate) * n).to_integral_value(rounding=ROUND_CEILING))
    return min(n, max(min_per_unit, by_rate))


class _Fenwick:
    """Prefix sums of integer weights with point updates, and the index holding a given offset."""

    def __init__(self, weights: Sequence[int]):
        self.n = len(weights)
        self.tree = [0] * (self.n + 1)
        for i, w in enumerate(weights):
            self.add(i, w)
        self.top = 1 << max(self.n.bit_length() - 1, 0)

    def add(self, i: int, delta: int) -> None:
        i += 1
        while i <= self.n:
            self.tree[i] += delta
            i += i & -i

    def find(self, offset: int) -> int:
        """The smallest index whose cumulative weight exceeds `offset` (0 ≤ offset < total)."""
        pos, step = 0, self.top
        while step:
            nxt = pos + step
            if nxt <= self.n and self.tree[nxt] <= offset:
                pos = nxt
                offset -= self.tree[nxt]
            step >>= 1
        return pos


def weighted_sample(weights: Sequence[int], k: int, rng: random.Random) -> list[int]:
    """k distinct indexes drawn with probability proportional to weight, in the order drawn."""
    if any(w <= 0 for w in weights):
        raise ValueError("权重必须为正整数")
    k = min(k, len(weights))
    tree = _Fenwick(weights)
    total = sum(weights)
    chosen = []
    for _ in range(k):
        i = tree.find(rng.randrange(total))
        chosen.append(i)
        tree.add(i, -weights[i])
        total -= weights[i]
    return chosen


def draw(population: Sequence[dict], *, rate: Decimal, min_per_unit: int, seed: int) -> list[int]:
    """The positions (in `population`, which must be in canonical order) of the sampled facts, sorted.

    Refuses a rate outside (0, 1] and a negative minimum."""
    rate = Decimal(rate)
    if not (0 < rate <= 1):
        raise ValueError("抽查比例应大于0且不超过1")
    if min_per_unit < 0:
        raise ValueError("每单位最少抽查数不能为负数")
    rng = random.Random(seed)
    units: dict[int, list[int]] = {}
    for pos, e in enumerate(population):
        units.setdefault(e["unit"], []).append(pos)
    out: list[int] = []
    for unit in sorted(units):
        positions = units[unit]
        k = sample_size(len(positions), rate, min_per_unit)
        picked = weighted_sample([population[p]["weight"] for p in positions], k, rng)
        out.extend(positions[i] for i in picked)
    return sorted(out)


def expected_total(population: Sequence[dict], *, rate: Decimal, min_per_unit: int) -> int:
    """How many facts a draw takes (for a preview)."""
    sizes: dict[int, int] = {}
    for e in population:
        sizes[e["unit"]] = sizes.get(e["unit"], 0) + 1
    return sum(sample_size(n, rate, min_per_unit) for n in sizes.values())


def random_seed() -> int:
    """A fresh seed for a draw that was not given one (shown and stored, so the draw can be repeated)."""
    return random.SystemRandom().randrange(1, 10**9)

