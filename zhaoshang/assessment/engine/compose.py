"""Composition: base score + items, caps and floors, grade bands, veto (一票否决), ranking with ties
(1, 2, 2, 4) and the top N honours. Pure functions over `SubjectInput`s: no database."""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from .rules import ItemResult, SubjectInput, evaluate, item_stats, rank_dense_competition
from .scheme import Scheme

VETO_FLAG = "一票否决"


@dataclass
class SubjectResult:
    subject: SubjectInput
    group: str
    total: Decimal
    grade: str
    items: list[ItemResult]
    rank: int = 0
    rank_all: int = 0
    honours: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    vetoed: bool = False


def apply_overrides(scheme: Scheme, inputs: list[SubjectInput], overrides: dict | None):
    """What-if: a copy of the scheme with new weights (``points``: item → weight) and copies of the
    inputs with targets scaled (``target_scale``: item → factor, 1 = unchanged). Nothing is saved."""
    if not overrides:
        return scheme, inputs
    scheme = copy.deepcopy(scheme)
    for key, weight in (overrides.get("points") or {}).items():
        item = scheme.item(key)
        weight = Decimal(weight)
        if item.rule == "proportional":
            item.points, item.max = weight, weight * item.opts["cap"]
        elif item.rule == "relative_best":
            item.points = item.max = weight
        elif item.rule == "efficacy":
            item.opts["a"] = weight - item.opts["b"]
            item.max = weight
    scales = {
        scheme.item(k).target: Decimal(v)
        for k, v in (overrides.get("target_scale") or {}).items()
        if scheme.item(k).target
    }
    if scales:
        inputs = [copy.copy(s) for s in inputs]
        for s in inputs:
            s.targets = {ind: (v * scales[ind] if ind in scales else v) for ind, v in s.targets.items()}
    return scheme, inputs


def score(scheme: Scheme, inputs: list[SubjectInput], overrides: dict | None = None) -> list[SubjectResult]:
    scheme, inputs = apply_overrides(scheme, inputs, overrides)
    scope = (lambda s: s.group) if scheme.rank_within == "group" else (lambda s: "")
    peers: dict[str, list[SubjectInput]] = defaultdict(list)
    for s in inputs:
        peers[scope(s)].append(s)
    stats = {(item.key, sc): item_stats(item, members) for item in scheme.items for sc, members in peers.items()}

    results = []
    for s in inputs:
        items = [evaluate(item, scheme, s, stats[(item.key, scope(s))]) for item in scheme.items]
        total = scheme.base + sum((i.points for i in items), Decimal(0))
        if scheme.cap is not None:
            total = min(total, scheme.cap)
        if scheme.floor is not None:
            total = max(total, scheme.floor)
        res = SubjectResult(subject=s, group=s.group, total=total, grade="", items=items)
        grade = next((g for g in scheme.grades if g.min is None or total >= g.min), None)
        if grade:
            res.grade = grade.name
            if grade.flag:
                res.flags.append(grade.flag)
        if scheme.veto and s.veto:
            res.vetoed = True
            res.grade = scheme.veto_grade or (scheme.grades[-1].name if scheme.grades else "")
            res.flags.append(VETO_FLAG)
        results.append(res)

    by_scope: dict[str, list[SubjectResult]] = defaultdict(list)
    for r in results:
        by_scope[scope(r.subject)].append(r)
    for members in by_scope.values():
        ranks = rank_dense_competition({r.subject.id: r.total for r in members})
        for r in members:
            r.rank = ranks[r.subject.id]
    overall = rank_dense_competition({r.subject.id: r.total for r in results})
    for r in results:
        r.rank_all = overall[r.subject.id]

    if scheme.honours_top:
        pools: dict[str, list[SubjectResult]] = defaultdict(list)
        for r in results:
            if not r.vetoed:
                pools[r.group if scheme.honours_within == "group" else ""].append(r)
        for pool in pools.values():
            ranks = rank_dense_competition({r.subject.id: r.total for r in pool})
            for r in pool:
                if ranks[r.subject.id] <= scheme.honours_top:
                    r.honours.append(scheme.honours_name)

    order = {g: i for i, g in enumerate(scheme.groups)}
    results.sort(key=lambda r: (order.get(r.group, len(order)), r.group, r.rank, r.subject.code))
    return results
