"""Composition: base score + items, caps and floors, grade bands, veto (一票否决), ranking with ties
(1, 2, 2, 4) and the top N honours. Pure functions over `SubjectInput`s: no database."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from zhaoshang.core.money import quantize

from . import whatif
from .explain import num, pts
from .rules import ItemResult, SubjectInput, evaluate, interim_scheme, item_stats, rank_dense_competition
from .scheme import Scheme

VETO_FLAG = "一票否决"
TIE_UNDECIDED = "并列，需考核办确定"


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
    missing_targets: list[str] = field(default_factory=list)  # names of the items skipped for want of a target
    total_explain: str = ""  # how the total was rescaled (按其他指标得分率折算), if it was
    honours_pending: list[str] = field(default_factory=list)  # tied at the boundary: the office decides
    honours_note: str = ""  # how a tie at the boundary was (or was not) broken


def apply_overrides(scheme: Scheme, inputs: list[SubjectInput], overrides: dict | None):
    """What-if: a copy of the scheme with the changes of `whatif` (points, targets, thresholds …),
    checked first (a bad change raises ApplicationError naming the field). Nothing is saved."""
    return whatif.apply(scheme, inputs, whatif.check(scheme, overrides))


def score(
    scheme: Scheme, inputs: list[SubjectInput], overrides: dict | None = None, progress: Decimal | None = None
) -> list[SubjectResult]:
    """`progress`: 序时进度 of a quarter or month run (year-to-date inputs); None for an annual run.
    Interim runs scale pro_rata items, score annual_only items 0 and name no honours."""
    # the changes are made to the whole-year scheme, which the time schedule then scales
    scheme, inputs = apply_overrides(scheme, inputs, overrides)
    scheme = interim_scheme(scheme, progress)
    scope = (lambda s: s.group) if scheme.rank_within == "group" else (lambda s: "")
    peers: dict[str, list[SubjectInput]] = defaultdict(list)
    for s in inputs:
        peers[scope(s)].append(s)
    stats = {(item.key, sc): item_stats(item, members) for item in scheme.items for sc, members in peers.items()}

    results = []
    for s in inputs:
        items = [evaluate(item, scheme, s, stats[(item.key, scope(s))]) for item in scheme.items]
        total, total_explain = _total(scheme, items)
        if scheme.cap is not None and total > scheme.cap:
            total, total_explain = scheme.cap, f"{total_explain}，超过总分上限，按{pts(scheme.cap)}计"
        if scheme.floor is not None and total < scheme.floor:
            total, total_explain = scheme.floor, f"{total_explain}，低于总分下限，按{pts(scheme.floor)}计"
        res = SubjectResult(subject=s, group=s.group, total=total, grade="", items=items)
        res.missing_targets = [i.name for i in items if not i.applies]
        res.total_explain = total_explain
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

    if scheme.honours_top and progress is None:  # honours are named only on annual runs
        pools: dict[str, list[SubjectResult]] = defaultdict(list)
        for r in results:
            if not r.vetoed:
                pools[r.group if scheme.honours_within == "group" else ""].append(r)
        for pool in pools.values():
            _name_honours(scheme, pool)

    order = {g: i for i, g in enumerate(scheme.groups)}
    results.sort(key=lambda r: (order.get(r.group, len(order)), r.group, r.rank, r.subject.code))
    return results


def _total(scheme: Scheme, items: list[ItemResult]) -> tuple[Decimal, str]:
    """Base + items, and how: 加分项 and 减分项 apart on a base score ("基础分100分；减分项：…；加分项：…；
    总分…"), each item's points otherwise. When items do not apply (no target, missing_target = "skip"),
    the items with full points are rescaled by full points ÷ points of the items that apply
    (按其他指标得分率折算)."""
    plain = scheme.base + sum((i.points for i in items), Decimal(0))
    skipped = [it for it, r in zip(scheme.items, items, strict=True) if not r.applies]
    if not skipped:
        return plain, f"{_breakdown(scheme, items)}；总分{pts(plain)}"
    full = sum((it.weight for it in scheme.items), Decimal(0))
    applying = full - sum((it.weight for it in skipped), Decimal(0))
    if applying <= 0:
        return plain, (f"{'、'.join(it.name for it in skipped)}未设定目标，不参与考核；无其他可折算的指标；"
                       f"{_breakdown(scheme, items)}；总分{pts(plain)}")
    weighted = [r.points for it, r in zip(scheme.items, items, strict=True) if r.applies and it.weight > 0]
    others = [r for it, r in zip(scheme.items, items, strict=True) if r.applies and it.weight <= 0]
    got = sum(weighted, Decimal(0))
    scaled = quantize(got * full / applying, 2)
    parts = " + ".join(pts(p) for p in weighted) or pts(Decimal(0))
    total = scheme.base + scaled + sum((r.points for r in others), Decimal(0))
    text = (
        f"{'、'.join(it.name for it in skipped)}未设定目标，不参与考核；按其他指标得分率折算："
        f"({parts}) × 满分{num(full)}分 ÷ 适用指标分值{num(applying)}分 = {pts(scaled)}"
    )
    extra = [f"{r.name}{_signed(r.points)}" for r in others if r.points]
    if scheme.base:
        extra.insert(0, f"基础分{num(scheme.base)}分")
    return total, text + (f"；另计{'、'.join(extra)}" if extra else "") + f"；总分{pts(total)}"


def _signed(points: Decimal) -> str:
    """加2分 / 扣3分 / 0分."""
    if points > 0:
        return f"加{num(points)}分"
    return f"扣{num(-points)}分" if points < 0 else "0分"


def _item_points(r: ItemResult) -> str:
    """"签约资金完成情况50分"; a 逐项加减 item with a base score with its 减分项 and 加分项 apart:
    "日常工作考核9分（基础分10分，减分项扣1分，加分项加0分）"."""
    text = f"{r.name}{num(r.points)}分" if r.points >= 0 else f"{r.name}{_signed(r.points)}"
    if r.parts is not None:
        base, minus, plus = r.parts
        bound = base - minus + plus
        limit = "，超过上限" if bound > r.points else "，低于下限" if bound < r.points else ""
        text += f"（基础分{num(base)}分，减分项扣{num(minus)}分，加分项加{num(plus)}分{limit}）"
    return text


def _breakdown(scheme: Scheme, items: list[ItemResult]) -> str:
    """On a base score (加减分制): the base, then 减分项 and 加分项 apart, each with the items that moved
    it; otherwise each item's points."""
    if not scheme.base:
        return "各项得分：" + "、".join(_item_points(r) for r in items)
    minus = [r for r in items if r.points < 0]
    plus = [r for r in items if r.points > 0]
    lost = -sum((r.points for r in minus), Decimal(0))
    won = sum((r.points for r in plus), Decimal(0))
    minus_txt = f"{'、'.join(f'{r.name}{_signed(r.points)}' for r in minus)}，共扣{num(lost)}分" if minus else "无"
    plus_txt = f"{'、'.join(f'{r.name}{_signed(r.points)}' for r in plus)}，共加{num(won)}分" if plus else "无"
    return f"基础分{num(scheme.base)}分；减分项：{minus_txt}；加分项：{plus_txt}"


def _name_honours(scheme: Scheme, pool: list[SubjectResult]) -> None:
    """The top N of a pool. A tie in total at the boundary is broken by the scheme's tie-breakers (item
    points, in order); a tie that remains is marked 并列，需考核办确定 and no one of it is named."""
    top, name = scheme.honours_top, scheme.honours_name
    tb_items = [scheme.item(k) for k in scheme.honours_tie_breakers]

    def key(r: SubjectResult) -> tuple:
        pts_of = {i.key: i.points for i in r.items}
        return (r.total, *(pts_of.get(it.key, Decimal(0)) for it in tb_items))

    by_total = rank_dense_competition({r.subject.id: r.total for r in pool})
    keys = {r.subject.id: key(r) for r in pool}
    # competition ranks on (total, tie-breakers…): equal tuples share the better place
    ordered = sorted(keys.values(), reverse=True)
    first_at = {}
    for i, k in enumerate(ordered, start=1):
        first_at.setdefault(k, i)
    count = defaultdict(int)
    for k in ordered:
        count[k] += 1
    tb_names = "、".join(it.name for it in tb_items)
    # how many share each total, counted once: asked per subject it was a pass over the pool each time,
    # 23,484 × 23,484 for a province's 先进个人 candidates (3.5 minutes)
    with_total = Counter(r.total for r in pool)
    for r in pool:
        k = keys[r.subject.id]
        place, last = first_at[k], first_at[k] + count[k] - 1
        total_rank = by_total[r.subject.id]
        total_tied = with_total[r.total]
        at_boundary = total_rank <= top < total_rank + total_tied - 1
        if last <= top:
            r.honours.append(name)
        elif place <= top:
            r.honours_pending.append(name)
        if at_boundary:
            if place <= top < last:
                how = f"按{tb_names}得分仍并列" if tb_items else "方案未规定并列时的排序办法"
                r.honours_note = f"总分并列第{total_rank}名，{how}，{name}名额{TIE_UNDECIDED}"
            else:
                outcome = f"列入{name}" if last <= top else f"未列入{name}"
                r.honours_note = f"总分并列第{total_rank}名，按{tb_names}得分排序后{outcome}"
