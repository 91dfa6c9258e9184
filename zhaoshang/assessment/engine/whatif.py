"""What-if (模拟测算): the changes an office may try on a run's scheme, checked and applied to a copy.
Every item has something to change: its points, its target, its thresholds.

The changes, each a table of item key → new value (the page's form and the API send the same)::

    points        新分值: proportional / relative_best / efficacy / thresholds / rank (bands and ranks
                  scaled to it); for manual, per_item and formula items it is the upper limit (上限)
    target_scale  目标倍数 (1 = unchanged; the page asks in %), for items with a target
    cap           上限: proportional — the completion cap (1.2 = 120%); other items — the points' upper limit
    floor         下限 of the points
    bands         阈值: [[min, points], …] (or [{min, points}, …]) for thresholds items
    per, base     逐项加减: points per counted item and the base score
    ranks, rest   排名得分: points of the 1st, 2nd … place and of the rest
    factor        公式得分倍数 (1 = unchanged): a formula item's points (and limits) multiplied

Nothing is saved. Bad input is refused with a Chinese message naming the field (``points.signed``).
"""

from __future__ import annotations

import copy
from decimal import Decimal, InvalidOperation

from zhaoshang.core.errors import ApplicationError

from .scheme import Item, Scheme

KINDS = {
    "points": "分值",
    "target_scale": "目标倍数",
    "cap": "上限",
    "floor": "下限",
    "bands": "分档",
    "per": "每项分值",
    "base": "基础分",
    "ranks": "各名次得分",
    "rest": "其余名次得分",
    "factor": "得分倍数",
}
# Which rules each change applies to (None: every rule).
APPLIES = {
    "points": None,
    "target_scale": None,  # items with a target
    "cap": None,
    "floor": None,
    "bands": {"thresholds"},
    "per": {"per_item"},
    "base": {"per_item"},
    "ranks": {"rank"},
    "rest": {"rank"},
    "factor": {"formula"},
}


def _number(v) -> Decimal:
    if isinstance(v, bool) or v is None:
        raise ValueError
    if isinstance(v, Decimal):
        d = v
    elif isinstance(v, int):
        d = Decimal(v)
    elif isinstance(v, float):
        d = Decimal(repr(v))
    elif isinstance(v, str) and v.strip():
        d = Decimal(v.strip().replace(",", ""))
    else:
        raise ValueError
    if not d.is_finite():
        raise ValueError
    return d


def check(scheme: Scheme, data: dict | None) -> dict:
    """The changes as Decimals, or ApplicationError naming every bad field."""
    if not data:
        return {}
    errors: dict[str, list[str]] = {}
    out: dict = {}
    items = {i.key: i for i in scheme.items}
    if not isinstance(data, dict):
        raise ApplicationError("模拟测算的参数应为对象", field_errors={"__all__": ["应为对象"]})
    for kind, table in data.items():
        if kind not in KINDS:
            errors.setdefault(kind, []).append(f"未知的调整项“{kind}”，可用：{'、'.join(KINDS)}")
            continue
        if not table:
            continue
        if not isinstance(table, dict):
            errors.setdefault(kind, []).append("应为“指标键 → 数值”的对象")
            continue
        for key, raw in table.items():
            field = f"{kind}.{key}"
            item = items.get(key)
            if item is None:
                errors.setdefault(field, []).append(f"没有键为“{key}”的考核指标，可用：{'、'.join(items)}")
                continue
            problem = _applies(kind, item)
            if problem:
                errors.setdefault(field, []).append(f"“{item.name}”{problem}")
                continue
            try:
                value = _value(kind, raw)
            except ValueError as exc:
                what = str(exc) or "应为数字"
                errors.setdefault(field, []).append(f"“{item.name}”的{KINDS[kind]}{what}，而不是“{raw}”")
                continue
            if kind == "target_scale" and value < 0:
                errors.setdefault(field, []).append(f"“{item.name}”的目标倍数不能为负数")
                continue
            out.setdefault(kind, {})[key] = value
    if errors:
        details = "；".join(f"{k}：{'；'.join(v)}" for k, v in errors.items())
        raise ApplicationError(f"模拟测算的参数有误：{details}", field_errors=errors)
    return out


def _applies(kind: str, item: Item) -> str:
    rules = APPLIES[kind]
    if rules is not None and item.rule not in rules:
        return f"不能调整{KINDS[kind]}（只适用于{'、'.join(_RULE_NAMES[r] for r in sorted(rules))}指标）"
    if kind == "target_scale" and not item.target:
        return "没有目标，不能调整目标"
    return ""


_RULE_NAMES = {"thresholds": "阈值", "per_item": "逐项加减", "rank": "排名得分", "formula": "公式"}


def _value(kind: str, raw):
    if kind == "bands":
        if not isinstance(raw, list) or not raw:
            raise ValueError("应为分档列表，如 [[1.0, 10], [0.8, 6]]")
        bands = []
        for band in raw:
            if isinstance(band, dict):
                band = [band.get("min"), band.get("points")]
            if not isinstance(band, list | tuple) or len(band) != 2:
                raise ValueError("每档应为 [门槛, 分值]")
            try:
                bands.append((_number(band[0]), _number(band[1])))
            except (ValueError, InvalidOperation):
                raise ValueError("的门槛和分值应为数字") from None
        return sorted(bands, reverse=True)
    if kind == "ranks":
        if not isinstance(raw, list) or not raw:
            raise ValueError("应为各名次得分的列表，如 [10, 8, 6]")
        try:
            return [_number(v) for v in raw]
        except (ValueError, InvalidOperation):
            raise ValueError("应为数字列表") from None
    try:
        return _number(raw)
    except (ValueError, InvalidOperation):
        raise ValueError("应为数字") from None


def apply(scheme: Scheme, inputs: list, overrides: dict | None):
    """A copy of the scheme with the (checked) changes, and copies of the inputs with targets scaled."""
    if not overrides:
        return scheme, inputs
    scheme = copy.deepcopy(scheme)
    for kind in ("bands", "ranks", "rest", "per", "base", "points", "cap", "floor", "factor"):
        for key, v in (overrides.get(kind) or {}).items():
            _change(scheme.item(key), kind, v)
    scales = {scheme.item(k).target: v for k, v in (overrides.get("target_scale") or {}).items()}
    if scales:
        inputs = [copy.copy(s) for s in inputs]
        for s in inputs:
            s.targets = {ind: (v * scales[ind] if ind in scales else v) for ind, v in s.targets.items()}
    return scheme, inputs


def _change(item: Item, kind: str, v) -> None:
    r = item.rule
    if kind == "bands":
        item.opts["bands"] = list(v)
        item.max = max((p for _, p in v), default=Decimal(0))
    elif kind == "ranks":
        item.opts["ranks"] = list(v)
        item.max = max(v + [item.opts["rest"]])
    elif kind == "rest":
        item.opts["rest"] = v
        item.max = max(item.opts["ranks"] + [v])
    elif kind in ("per", "base"):
        item.opts[kind] = v
    elif kind == "factor":
        item.opts["factor"] = v
        item.max = item.max * v if item.max is not None else None
        item.floor = item.floor * v if item.floor is not None else None
        if item.max is not None and item.floor is not None and item.floor > item.max:
            item.max, item.floor = item.floor, item.max
    elif kind == "floor":
        item.floor = v
    elif kind == "cap":
        if r == "proportional":
            item.opts["cap"] = v
            item.max = item.points * v
        else:
            item.max = v
            if r == "per_item":
                item.points = v
    elif kind == "points":
        _points(item, v)


def _points(item: Item, w: Decimal) -> None:
    """A new full score: the item's points, or its bands or ranks scaled to it, or its upper limit."""
    r = item.rule
    if r == "proportional":
        item.points, item.max = w, w * item.opts["cap"]
    elif r == "relative_best":
        item.points = item.max = w
    elif r == "efficacy":
        item.opts["a"] = w - item.opts["b"]
        item.max = w
    elif r in ("thresholds", "rank"):
        old = item.max or Decimal(0)
        ratio = w / old if old else Decimal(0)
        if r == "thresholds":
            item.opts["bands"] = [(mn, p * ratio) for mn, p in item.opts["bands"]]
        else:
            item.opts["ranks"] = [p * ratio for p in item.opts["ranks"]]
            item.opts["rest"] = item.opts["rest"] * ratio
        item.max = w
    else:  # manual, per_item, formula: the upper limit
        item.max = w
        if r == "per_item":
            item.points = w
