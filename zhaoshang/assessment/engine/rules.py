"""Rules: turn a subject's measure values (and target) into an item's points, with an explanation a
person can check by hand. Points are rounded half up to 2 places at the end of each item, then
kept within [floor, max]."""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from zhaoshang.core.money import quantize

from . import wording
from .explain import fmt, money_unit, num, plain_zero, pts
from .formula import FormulaError
from .scheme import Item, Scheme

ZERO, ONE = Decimal(0), Decimal(1)
ZERO_POINTS = Decimal("0.00")  # points read "0.00" like every other item, not "0"


@dataclass
class SubjectInput:
    """Everything scoring needs about one subject; measured once, so what-if can rescore without SQL."""

    id: int
    type: str
    code: str
    name: str
    group: str
    values: dict[str, Decimal] = field(default_factory=dict)
    targets: dict[str, Decimal] = field(default_factory=dict)
    manual: dict[str, tuple[Decimal, str]] = field(default_factory=dict)
    veto: bool = False


@dataclass
class ItemResult:
    key: str
    name: str
    value: Decimal | None
    target: Decimal | None
    points: Decimal
    max: Decimal | None
    explain: str
    value_name: str | None = None
    applies: bool = True  # False: no target and missing_target = "skip" (按其他指标得分率折算)
    # a 逐项加减 item with a base score: (base, points taken off, points added), for the total's 加减分项
    parts: tuple[Decimal, Decimal, Decimal] | None = None


class EngineError(Exception):
    pass


def _value(item: Item, subj: SubjectInput) -> Decimal:
    return subj.values.get(item.value, ZERO) if item.value else ZERO


def _target(item: Item, subj: SubjectInput) -> Decimal | None:
    """The item's target; in an interim run a pro_rata item's target times 序时进度 (opts["scale"])."""
    t = subj.targets.get(item.target) if item.target else None
    scale = item.opts.get("scale")
    return t * scale if t is not None and scale is not None else t


# Measure parameters that are count thresholds per year (scaled, rounded up, for a pro_rata item).
COUNT_THRESHOLD_PARAMS = {"min_visits": ("走访次数门槛", "次")}


def _pct(progress: Decimal) -> str:
    return f"{num(progress * 100)}%"


def _ceil(d: Decimal) -> Decimal:
    return d.to_integral_value(rounding=ROUND_CEILING)


def interim_scheme(scheme: Scheme, progress: Decimal | None) -> Scheme:
    """The scheme as a quarter or month run scores it (year-to-date, `progress` = 序时进度 = months
    elapsed ÷ 12): pro_rata items get their targets, count bands and count-threshold measure parameters
    scaled (counts rounded up); annual_only items are marked. `None` (an annual run): the scheme as is."""
    if progress is None:
        return scheme
    scheme = copy.deepcopy(scheme)
    for item in scheme.items:
        if item.interim == "annual_only":
            item.opts["annual_only"] = True
            continue
        if item.interim != "pro_rata":
            continue
        item.opts["scale"] = progress
        notes = []
        if item.rule == "thresholds" and not item.target and item.value:
            count = scheme.values[item.value].display() == "count"
            item.opts["annual_bands"] = item.opts["bands"]
            item.opts["bands"] = [
                (_ceil(mn * progress) if count else mn * progress, p) for mn, p in item.opts["bands"]
            ]
        names = {item.value, item.add} | (set(item.formula.names) if item.formula else set())
        for vname in sorted(n for n in names if n in scheme.values):
            spec = scheme.values[vname]
            params = dict(spec.params)
            for pname, (what, unit) in COUNT_THRESHOLD_PARAMS.items():
                v = params.get(pname)
                if isinstance(v, Decimal):
                    params[pname] = _ceil(v * progress)
                    notes.append(f"{what} 全年{num(v)}{unit} × {_pct(progress)} = {num(params[pname])}{unit}")
            if params != spec.params:
                scheme.values[vname] = dataclasses.replace(spec, params=params)
        item.opts["scale_notes"] = notes
    return scheme


def _interim_head(item: Item, subj: SubjectInput, display: str, unit: str | None) -> str:
    """"序时进度50%：目标 10亿元 × 50% = 5亿元；" for a scaled item, "" otherwise."""
    progress = item.opts.get("scale")
    if progress is None:
        return ""
    parts = []
    annual = subj.targets.get(item.target) if item.target else None
    if annual is not None:
        t_display = display if display != "points" else "count"
        parts.append(
            f"目标 {fmt(annual, t_display, unit)} × {_pct(progress)} = {fmt(annual * progress, t_display, unit)}"
        )
    if "annual_bands" in item.opts:
        lows = [(a, b) for (a, _), (b, _) in zip(item.opts["annual_bands"], item.opts["bands"], strict=True)]
        parts.append("、".join(f"档次 全年≥{num(a)} × {_pct(progress)} → ≥{num(b)}" for a, b in lows))
    parts += item.opts.get("scale_notes", [])
    return f"序时进度{_pct(progress)}：{'，'.join(parts)}；" if parts else f"序时进度{_pct(progress)}；"


def completion(item: Item, subj: SubjectInput) -> Decimal | None:
    """value ÷ target, or None without a positive target."""
    t = _target(item, subj)
    return _value(item, subj) / t if t is not None and t > 0 else None


def basis(item: Item, subj: SubjectInput) -> Decimal:
    """What relative rules compare: completion when the item has a target, else the value."""
    if item.target:
        return completion(item, subj) or ZERO
    return _value(item, subj)


def applies(item: Item, subj: SubjectInput) -> bool:
    """False when the item has no (positive) target for the subject and the scheme says "skip"."""
    if item.missing_target != "skip" or not item.target:
        return True
    t = _target(item, subj)
    return t is not None and t > 0


def _bound(item: Item, points: Decimal) -> tuple[Decimal, str]:
    note = ""
    if item.max is not None and points > item.max:
        points, note = item.max, f"，封顶{pts(item.max)}"
    if item.floor is not None and points < item.floor:
        points, note = item.floor, f"，保底{pts(item.floor)}"
    return plain_zero(points), note


def _bounded(item: Item, raw: Decimal) -> tuple[Decimal, str]:
    """Points within [floor, max] and, when the bound changed them, a note for a sentence that already
    says its points: "（按规则计12分，超过上限按10分计）"."""
    q = plain_zero(quantize(raw, 2))
    points, note = _bound(item, q)
    if not note:
        return points, ""
    how = "超过上限" if q > points else "低于下限"
    return points, f"（按规则计{num(q)}分，{how}按{num(points)}分计）"


def _label(item: Item, scheme: Scheme, subj: SubjectInput) -> str:
    if item.label:
        return item.label
    if item.value:
        return scheme.values[item.value].label_for(scheme.group_params.get(subj.group, {}))
    return item.name


def _say(scheme: Scheme, vname: str, subj: SubjectInput) -> str:
    """A named value with its label, as in a sentence: 走访少于4次的党政主要负责人0人, 签约金额 9.70亿元."""
    spec = scheme.values[vname]
    v = subj.values.get(vname, ZERO)
    return wording.say(spec.label_for(scheme.group_params.get(subj.group, {})), v, spec.display(), spec.measure)


def _per_item_text(item: Item, scheme: Scheme, subj: SubjectInput, counted: str, counter: str, value: Decimal,
                   extra: Decimal, points: Decimal, kind: str, pending: bool) -> str:
    """逐项加减 in words, 加分项 and 减分项 apart when the item has a base score:
    "基础分10分；减分项：未报或迟报2次，每次扣0.5分，扣1分；加分项：无；得9分"."""
    per, base = item.opts["per"], item.opts["base"]
    each = f"每{counter or '项'}"
    minus, plus = [], []
    if value and per < 0:
        minus.append(f"{counted}，{each}扣{num(-per)}分，扣{num(-per * value)}分")
    elif value and per > 0:
        plus.append(f"{counted}，{each}加{num(per)}分，加{num(per * value)}分")
    if item.add and extra:
        add_label = scheme.values[item.add].label_for(scheme.group_params.get(subj.group, {})).removesuffix("分")
        (plus if extra > 0 else minus).append(f"{add_label}{'加' if extra > 0 else '扣'}{num(abs(extra))}分")
    result = wording.outcome(kind, points, pending=pending)
    if base:
        none = f"无（{counted}）" if not value else "无"
        return (f"基础分{num(base)}分；减分项：{'；'.join(minus) or (none if per < 0 else '无')}；"
                f"加分项：{'；'.join(plus) or (none if per > 0 else '无')}；{result}")
    parts = minus + plus
    if not parts:
        return f"{counted}，{result}"
    return parts[0] if len(parts) == 1 and not pending else f"{'；'.join(parts)}；合计{result}"


def _formula_text(item: Item, scheme: Scheme, subj: SubjectInput, env: dict, kind: str, pending: bool) -> str:
    """The scheme's sentence for the outcome; without one (or if it cannot be filled), each value by
    its label and then the points: "走访少于4次的党政主要负责人0人；不扣分"."""
    ctx = wording.Context(env, scheme.values, scheme.group_params.get(subj.group, {}), kind, pending)
    if item.explain:
        try:
            text = wording.render(item.explain, ctx)
        except (FormulaError, ArithmeticError):
            text = None
        if text is not None:
            return text
    names = [n for n in wording.formula_names_in_order(item.formula) if n in scheme.values]
    shown = "，".join(_say(scheme, n, subj) for n in names)
    result = wording.outcome(kind, env["points"], pending=pending)
    return f"{shown}；{result}" if shown else result


def evaluate(item: Item, scheme: Scheme, subj: SubjectInput, stats: dict) -> ItemResult:
    spec = scheme.values[item.value] if item.value else None
    display = spec.display() if spec else "points"
    counter = spec.counter if spec else ""
    value, target = (_value(item, subj) if item.value else None), _target(item, subj)
    label = _label(item, scheme, subj)
    # money in one unit for value and target; a count with its own counter (个, 次, 人)
    unit = money_unit(value, target) if display == "money" else (counter or None) if display == "count" else None
    v_txt, t_txt = fmt(value, display, unit), fmt(target, display, unit)
    kind = wording.item_kind(item, scheme)
    pending = bool(item.opts.get("annual_only"))
    if not applies(item, subj):
        text = f"{label} {v_txt}，未设定{item.target}目标，本项不参与考核，总分按其他指标得分率折算"
        return ItemResult(item.key, item.name, value, target, ZERO_POINTS, item.max, text, item.value, applies=False)
    r = item.rule
    closed = None  # (points, text) when the sentence says its points itself
    if r == "proportional":
        cap = item.opts["cap"]
        if target is None or target <= 0:
            raw, text = ZERO, f"{label} {v_txt}，未设定{item.target}目标，不得分"
        else:
            ratio = value / target
            if ratio > cap:
                raw = item.points * cap
                text = (
                    f"{label} {v_txt} ÷ 目标 {t_txt} = {fmt(ratio, 'ratio')}，超过{fmt(cap, 'ratio')}按"
                    f"{fmt(cap, 'ratio')}计，× {num(item.points)}分"
                )
            else:
                raw = item.points * ratio
                text = f"{label} {v_txt} ÷ 目标 {t_txt} × {num(item.points)}分"
    elif r == "relative_best":
        best = stats["best"]
        mine = basis(item, subj)
        what = "完成率" if item.target else label
        mine_txt = fmt(mine, "ratio") if item.target else v_txt
        best_txt = fmt(best, "ratio") if item.target else fmt(best, display, unit)
        head = f"{label} {v_txt} ÷ 目标 {t_txt} = 完成率 {mine_txt}；" if item.target else ""
        if item.target and (target is None or target <= 0):
            head = f"{label} {v_txt}，未设定{item.target}目标，完成率按0计；"
        if best <= 0:
            raw, text = ZERO, f"{head}组内最高{what}为0，得0分"
        elif item.opts.get("against") == "first_amount":
            # The other reading: the first-ranked (highest completion) gets full points, others by amount.
            first = stats["first_value"]
            first_txt = fmt(first, display, unit)
            if mine >= best:
                raw, text = item.points, f"{head}组内第1名，得满分{num(item.points)}分"
            elif first <= 0:
                raw, text = ZERO, f"{head}第1名{label}为0，得0分"
            else:
                raw = item.points * (value or ZERO) / first
                text = f"{head}{label} {v_txt} ÷ 第1名{label} {first_txt} × {num(item.points)}分"
        else:
            raw = item.points * mine / best
            text = f"{head}{mine_txt} ÷ 组内最高{what} {best_txt} × {num(item.points)}分"
    elif r == "efficacy":
        lo, hi = stats["min"], stats["max"]
        a, b = item.opts["a"], item.opts["b"]
        mine = basis(item, subj)
        if hi == lo:
            raw, text = a + b, f"{label} {v_txt}；组内各单位相同，按满分 {num(a)} + {num(b)}"
        else:
            raw = (mine - lo) / (hi - lo) * a + b
            show = (lambda x: fmt(x, "ratio")) if item.target else (lambda x: fmt(x, display, unit))
            text = f"功效系数：({show(mine)} − 最低 {show(lo)}) ÷ (最高 {show(hi)} − 最低 {show(lo)}) × {num(a)} + {num(b)}"  # noqa: E501
    elif r == "thresholds":
        mine = basis(item, subj)
        if item.target:
            shown = (f"{label} {v_txt} ÷ 目标 {t_txt} = 完成率 {fmt(mine, 'ratio')}" if target and target > 0
                     else f"{label} {v_txt}，未设定{item.target}目标，完成率按0计")
            band = lambda mn: f"完成率不低于{fmt(mn, 'ratio')}"  # noqa: E731
        else:
            shown = wording.say(label, value, display, spec.measure, unit) if spec else f"{label} {v_txt}"
            band = lambda mn: f"不少于{fmt(mn, display, unit)}"  # noqa: E731
        raw, band_txt = ZERO, ""
        for mn, p in item.opts["bands"]:
            if mine >= mn:
                raw, band_txt = p, f"达到“{band(mn)}”档"
                break
        if not band_txt:
            lowest = min((mn for mn, _ in item.opts["bands"]), default=None)
            band_txt = f"未达到最低档（{band(lowest)}）" if lowest is not None else "未达到任何档次"
        points, note = _bounded(item, raw)
        closed = points, f"{shown}，{band_txt}，{wording.outcome(kind, points, pending=pending)}{note}"
    elif r == "per_item":
        extra = subj.values.get(item.add, ZERO) if item.add else ZERO
        raw = item.opts["base"] + item.opts["per"] * value + extra
        counted = wording.say(label, value, display, spec.measure, unit) if spec else f"{label} {num(value)}"
        points, note = _bounded(item, raw)
        closed = points, _per_item_text(item, scheme, subj, counted, counter, value, extra, points, kind,
                                        pending) + note
        step = item.opts["per"] * value
        parts = (item.opts["base"], -min(step, ZERO) - min(extra, ZERO), max(step, ZERO) + max(extra, ZERO))
    elif r == "rank":
        rank = stats["rank"][subj.id]
        ranks, rest = item.opts["ranks"], item.opts["rest"]
        raw = ranks[rank - 1] if rank <= len(ranks) else rest
        text = f"{label} {v_txt}，组内第{rank}名"
    elif r == "manual":
        entered = subj.manual.get(item.key)
        if entered is None:
            raw, text = ZERO, "尚未录入人工评分"
        else:
            raw, text = entered[0], f"人工评分 {num(entered[0])}分（理由：{entered[1]}）"
    elif r == "formula":
        env = dict(subj.values)
        if item.target:
            env["target"] = target if target is not None else ZERO
        # Subjects with the same values (those the item reads) in the same group get the same points and
        # sentence: computed once per item in a run. At 2M / 3,000 units bole-2023 wrote 2,386 sentences for
        # 6,000 (units at zero on the same items); 23,647 people repeat rarely (1 %). Keyed by each value as
        # written, so 0 and 0.00 are never taken for each other.
        memo = stats.setdefault(FORMULA_MEMO, {})
        if (used := stats.get(FORMULA_NAMES)) is None:
            used = stats[FORMULA_NAMES] = _names_used(item)
        key = (subj.group, tuple(str(env.get(name)) for name in used))
        closed = memo.get(key)
        if closed is None:
            try:
                raw = item.formula.evaluate(env) * item.opts.get("factor", ONE)  # what-if 得分倍数
            except FormulaError as exc:
                raise EngineError(f"指标“{item.name}”计算出错：{exc}") from exc
            points, note = _bounded(item, raw)
            env["points"] = points
            closed = memo[key] = points, _formula_text(item, scheme, subj, env, kind, pending) + note
    else:  # pragma: no cover - the scheme parser refuses other rules
        raise EngineError(f"未知规则 {r}")
    head = _interim_head(item, subj, display, unit)
    # the result shows the annual target (bulletins read "占年度目标"); the explanation the scaled one
    target = subj.targets.get(item.target) if item.target else None
    if closed is None:
        points, note = _bound(item, plain_zero(quantize(raw, 2)))
        text = f"{text} = {pts(quantize(raw, 2))}{note}"
    else:
        points, text = closed
    if pending:
        if closed is None:  # the arithmetic as things stand, without its points
            text = text.rsplit(" = ", 1)[0]
        text = f"{head}{text}；年度考核时计分，本期0分"
        return ItemResult(item.key, item.name, value, target, ZERO_POINTS, item.max, text, item.value)
    result = ItemResult(item.key, item.name, value, target, points, item.max, f"{head}{text}", item.value)
    if r == "per_item" and item.opts["base"]:
        result.parts = parts
    return result


def rank_dense_competition(values: dict[int, Decimal]) -> dict[int, int]:
    """Competition ranking (1, 2, 2, 4): equal values share the better rank."""
    ordered = sorted(values.items(), key=lambda kv: kv[1], reverse=True)
    ranks, prev, prev_rank = {}, None, 0
    for i, (sid, v) in enumerate(ordered, start=1):
        if v != prev:
            prev_rank, prev = i, v
        ranks[sid] = prev_rank
    return ranks


FORMULA_MEMO = "formula_memo"  # in an item's stats: its formula's (points, sentence) by group and values
FORMULA_NAMES = "formula_names"  # and the values they depend on


def _names_used(item: Item) -> tuple[str, ...]:
    """The values a formula item's points and sentence read: its formula's, its sentence's conditions' and
    slots' (a param slot reads the group's parameters, and the group is in the memo's key)."""
    names = set(item.formula.names)
    for case in item.explain or ():
        if case.when is not None:
            names |= case.when.names
        names.update(*(part.formula.names for part in case.parts
                       if not isinstance(part, str) and part.formula is not None))
    return tuple(sorted(names))


def item_stats(item: Item, peers: list[SubjectInput]) -> dict:
    """Group statistics a relative rule needs, computed once per item and scope (over the subjects the
    item applies to)."""
    peers = [s for s in peers if applies(item, s)]
    if item.rule == "relative_best":
        best = max((basis(item, s) for s in peers), default=ZERO)
        # the first-ranked's amount (the largest, if several share the best completion)
        first = max((_value(item, s) for s in peers if basis(item, s) == best), default=ZERO)
        return {"best": best, "first_value": first}
    if item.rule == "efficacy":
        vals = [basis(item, s) for s in peers] or [ZERO]
        return {"min": min(vals), "max": max(vals)}
    if item.rule == "rank":
        return {"rank": rank_dense_competition({s.id: basis(item, s) for s in peers})}
    return {}
