"""The words of an explanation: what each named value is called, how its number reads (with its
counter: 个 projects, 次 visits and submissions, 人 people), how an item's points read ("扣5分",
"不扣分", "加2分"), and the sentence templates a scheme gives its formula items.

A template (the item key ``explain``, see `scheme`) is a sentence with slots in braces:

- ``{heads}``: a named value as read: "2人", "46.98亿元", "5次";
- ``{heads_low.min_visits}``: a parameter of a named value as the subject's group and the time
  schedule make it: "4次" (2次 by June in a pro-rata item), "20亿元", "党政主要负责人";
- ``{ratio(funds, signed):%}``: any formula over the values, with a format after the colon: ``%`` a
  rate, ``亿元``/``万元`` an amount, any other word a counter ("{4 * heads:次}" → "8次"); without a
  format a bare number;
- ``{points}``: the outcome as an official says it ("扣5分", "不扣分", "加2分", "不加分", "得3.33分");
  ``{score}``: the points alone ("3.33分").

Several sentences may be given with a condition each (``when``, a formula over the values and
``points``); the first that holds is used. Nothing in a template is ever shown as written code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.utils import translation

from zhaoshang.core.money import quantize

from .explain import TEXT_MEMO, amount, fmt, money_unit, num, plain_zero
from .formula import Formula, FormulaError, compile_formula
from .measures import MEASURES

ZERO = Decimal(0)

# Each measure's counter: what one of what it counts is called. Money, points and yes/no have none.
COUNTERS = {
    "project_count": "个",
    "visits": "次",
    "late_submissions": "次",
    "leaders": "人",
    "leaders_below_visits": "人",
    "leaders_without_project": "人",
    "veto": "项",
    "spotcheck_findings": "项",
    "yield_employees": "人",  # issue 15: yields and service to investors
    "requests_overdue": "件",
    "request_response_days": "天",
    "talent_count": "人",
    "liaison_count": "项",
    "median_days_to_sign": "天",
    "median_days_to_start": "天",
    "conversion_rate": "%",
}
# Measures whose value is 1 or 0 (yes or no).
FLAG_MEASURES = {"unit_kind"}


def _zh(label) -> str:
    """A choice's label in the scheme's language (explanations are stored Chinese, whoever runs)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(label)


def counter(measure: str) -> str:
    return COUNTERS.get(measure, "")


# ---------------------------------------------------------------------------------------------
# What a value is called


def choice_words(param: str, value) -> str:
    """A choice parameter's value(s) in words: 党政主要负责人、分管领导; 签约或开工; 州市级."""
    from zhaoshang.activities.choices import EventLevel
    from zhaoshang.ledger.choices import BuildKind, FundKind, InvestorTag, Stage
    from zhaoshang.orgs.choices import PersonRole, UnitKind

    enum = {"role": PersonRole, "stage": Stage, "level": EventLevel, "kind": FundKind, "unit_kind": UnitKind,
            "tags": InvestorTag, "build_kind": BuildKind}.get(param)
    values = value if isinstance(value, tuple | list) else (value,)
    if enum is None:
        return "、".join(str(v) for v in values)
    labels = {c.value: _zh(c.label) for c in enum}
    return ("或" if param == "stage" else "、").join(labels.get(v, str(v)) for v in values)


def industry_words(sections) -> str:
    """Sections (("B", "C", "D")) as read: 工业, 制造业, 批发和零售业、住宿和餐饮业."""
    try:
        from zhaoshang.ledger.choices import INDUSTRY_SETS, section_names
    except ImportError:  # pragma: no cover - before the ledger knew sections
        return "、".join(sections) if isinstance(sections, tuple | list) else str(sections)
    letters = tuple(sections) if isinstance(sections, tuple | list) else (sections,)
    for name, members in INDUSTRY_SETS.items():
        if tuple(sorted(letters)) == tuple(sorted(members)):
            return name
    names = section_names()
    return "、".join(names.get(x, str(x)) for x in letters)


def _size(params: dict) -> str:
    lo, hi = params.get("min_amount"), params.get("max_amount")
    if isinstance(lo, str) or isinstance(hi, str):  # "$head_quota" not yet resolved for a group
        return "规定金额以上"
    if lo is not None and hi is not None:
        return f"{amount(lo)}至{amount(hi)}"
    if lo is not None:
        return f"{amount(lo)}以上"
    if hi is not None:
        return f"{amount(hi)}以下"
    return ""


def _project_words(params: dict) -> str:
    """The projects a filter keeps, in words: 在州市级及以上招商活动中签约的50亿元以上制造业四力型项目."""
    head = f"在{choice_words('level', params['level'])}及以上招商活动中" if params.get("level") else ""
    stage = choice_words("stage", params["stage"]) if params.get("stage") else ""
    if params.get("started_by_end"):
        stage = f"{stage}且已开工" if stage else "已开工"
    sections = params.get("industry") or params.get("category")
    kind = industry_words(sections) if sections else ""
    four = "四力型" if params.get("four_power") else ""
    return f"{head}{stage}{'的' if stage else ''}{_size(params)}{kind}{four}项目"


_BASES = {"planned": "计划总投资", "planned_or_signed": "计划总投资", "foreign": "外资金额", "signed": "签约金额"}


def describe(measure: str, params: Mapping) -> str:
    """A Chinese name for a measure with its parameters, for values a scheme did not label."""
    p = dict(params)
    roles = choice_words("role", p["role"]) if p.get("role") else ""
    if measure in ("project_count", "project_amount"):
        words = _project_words(p)
        if measure == "project_count":
            return f"{words}数"
        basis = p.get("basis", "signed")
        if words == "签约的项目" and basis == "signed":
            return "签约金额"
        return f"{words}{_BASES.get(basis, '金额')}"
    if measure == "fund_amount":
        kind = choice_words("kind", p["kind"]) if p.get("kind") else ""
        which = "在建项目" if p.get("active_at_start") or p.get("started_by_end") else ""
        sections = p.get("industry") or p.get("category")
        if sections:
            which = f"{industry_words(sections)}{which or '项目'}"
        return f"{which}{kind}到位资金"
    if measure == "visits":
        sections = p.get("industry") or p.get("category")
        to = f"{industry_words(sections)}企业" if sections else ""
        return f"{roles}走访{to}次数"
    if measure == "leaders":
        return f"{roles or '领导'}人数"
    if measure == "leaders_below_visits":
        need = p.get("min_visits")
        need_txt = f"{num(need)}次" if isinstance(need, Decimal) else "规定次数"
        return f"走访少于{need_txt}的{roles or '领导'}人数"
    if measure == "leaders_without_project":
        return f"未引进{_project_words(p)}的{roles or '领导'}人数"
    if measure == "unit_kind":
        return f"是否{choice_words('unit_kind', p.get('unit_kind', ()))}"
    if measure == "adjustments" and p.get("items"):
        return f"考核调整分（{'、'.join(p['items'])}）"
    if measure == "veto":
        return "一票否决事项数"
    return MEASURES[measure].label if measure in MEASURES else measure


def noun(label: str, counter_word: str) -> str:
    """The label before a counted number: 未报或迟报次数 + 2次 → 未报或迟报2次, 投产项目数 → 投产项目1个."""
    if counter_word and label.endswith(f"{counter_word}数"):
        return label[:-2]
    if label.endswith("数"):
        return label[:-1]
    return label


@lru_cache(maxsize=TEXT_MEMO)  # by value, as explain.fmt
def value_text(value: Decimal, display: str, measure: str, unit: str | None = None) -> str:
    """A value's number as read, without its label: 2人, 46.98亿元, 是."""
    if measure in FLAG_MEASURES:
        return "是" if value > 0 else "否"
    if display == "count":
        return fmt(value, "count", counter(measure) or "个")
    return fmt(value, display, unit)


def say(label: str, value: Decimal, display: str, measure: str, unit: str | None = None) -> str:
    """A value with its label, as in a sentence: 未报或迟报2次, 党政主要负责人2人, 签约金额 9.70亿元."""
    if measure in FLAG_MEASURES:
        return f"{label[2:] if label.startswith('是否') else label}：{'是' if value > 0 else '否'}"
    if display == "count":
        return f"{noun(label, counter(measure))}{value_text(value, display, measure)}"
    if display == "points":
        return f"{label.removesuffix('分')}{fmt(value, 'points')}"
    return f"{label} {value_text(value, display, measure, unit)}"


def param_text(name: str, value) -> str:
    """A measure parameter as read: 4次, 20亿元, 党政主要负责人."""
    if isinstance(value, str) and value.startswith("$"):
        return "规定标准"
    if name == "min_visits":
        return f"{num(value)}次"
    if name in ("min_amount", "max_amount"):
        return amount(value)
    if name in ("industry", "category"):
        return industry_words(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return num(value)
    return choice_words(name, value)


# ---------------------------------------------------------------------------------------------
# Points as an official says them


def item_kind(item, scheme) -> str:
    """deduct (减分项: never more than 0), bonus (加分项: on top of a base score, or open-ended from 0),
    or score (an item's own points)."""
    if item.max is not None and item.max <= 0:
        return "deduct"
    if scheme.base > 0 or (item.max is None and item.floor is not None and item.floor >= 0):
        return "bonus"
    return "score"


@lru_cache(maxsize=TEXT_MEMO)  # by value, as explain.fmt: a run says 不扣分 and 得0分 thousands of times
def outcome(kind: str, points: Decimal, *, pending: bool = False) -> str:
    """扣5分 / 不扣分 / 加2分 / 不加分 / 得3.33分; `pending` (an annual-only item in an interim run):
    what the year-end assessment would give as things stand."""
    p = plain_zero(quantize(points, 2))
    if p < 0:
        text = f"扣{num(-p)}分"
    elif p == 0 and kind in ("deduct", "bonus"):
        text = "不扣分" if kind == "deduct" else "不加分"
    elif kind == "bonus" or (kind == "deduct" and p > 0):
        text = f"加{num(p)}分"
    else:
        text = f"得{num(p)}分"
    if pending:
        return f"按目前进度{text}" if text.startswith("不") else f"按目前进度将{text}"
    return text


# ---------------------------------------------------------------------------------------------
# Sentence templates


SLOT = re.compile(r"\{([^{}]+)\}")
PARAM_SLOT = re.compile(r"^\s*([A-Za-z_]\w*)\.([A-Za-z_]\w*)\s*$")
RESERVED = {"points", "score"}


@dataclass
class Slot:
    kind: str  # outcome | score | param | expr
    value: str = ""  # for param: the named value
    param: str = ""
    formula: Formula | None = None
    spec: str = ""  # format after the colon


@dataclass
class Case:
    text: str
    parts: list = field(default_factory=list)  # literal strings and Slots
    when: Formula | None = None


def _parse_slot(body: str, values: Mapping, allowed: set[str]) -> Slot:
    expr, _, spec = body.partition(":")
    expr, spec = expr.strip(), spec.strip()
    if expr == "points":
        return Slot("outcome")
    if expr == "score":
        return Slot("score")
    m = PARAM_SLOT.match(expr)
    if m:
        vname, pname = m.groups()
        if vname not in values:
            raise FormulaError(f"未定义的取值“{vname}”")
        known = MEASURES[values[vname].measure].params
        if pname not in known:
            raise FormulaError(f"取值“{vname}”的度量没有参数“{pname}”，可用：{'、'.join(sorted(known)) or '无'}")
        return Slot("param", value=vname, param=pname)
    return Slot("expr", formula=compile_formula(expr, allowed), spec=spec)


def parse_explain(raw, values: Mapping, key: str, add: Callable[[str, str], None], *, target: bool) -> list[Case]:
    """The item key ``explain``: a sentence, or a list of ``{ when = "…", text = "…" }`` (the last may
    omit `when`). Every slot and condition is checked when the scheme is loaded; `add(key, message)`
    records an error."""
    cases_raw = [{"text": raw}] if isinstance(raw, str) else raw
    if not isinstance(cases_raw, list) or not cases_raw:
        add(key, '应为一句说明文字，或 [{ when = "条件", text = "说明" }, { text = "说明" }] 形式的列表')
        return []
    allowed = set(values) | {"points"} | ({"target"} if target else set())
    out = []
    for j, case in enumerate(cases_raw):
        ckey = f"{key}[{j}]" if not isinstance(raw, str) else key
        if not isinstance(case, dict) or not isinstance(case.get("text"), str):
            add(ckey, '应为 { when = "条件", text = "说明" }，text 为说明文字')
            continue
        unknown = set(case) - {"when", "text"}
        for k in sorted(unknown):
            add(f"{ckey}.{k}", "未知的键（可用 when、text）")
        parsed = Case(text=case["text"])
        if "when" in case:
            try:
                parsed.when = compile_formula(case["when"], allowed)
            except FormulaError as exc:
                add(f"{ckey}.when", str(exc))
        pos = 0
        for m in SLOT.finditer(case["text"]):
            parsed.parts.append(case["text"][pos : m.start()])
            try:
                parsed.parts.append(_parse_slot(m.group(1), values, allowed))
            except FormulaError as exc:
                add(f"{ckey}.text", f"“{{{m.group(1)}}}”：{exc}")
            pos = m.end()
        parsed.parts.append(case["text"][pos:])
        out.append(parsed)
    return out


@dataclass
class Context:
    """What a template is filled from, for one subject and item."""

    env: dict  # value name → Decimal, plus points (and target)
    values: Mapping  # value name → ValueSpec (interim-scaled)
    group_params: dict
    kind: str  # deduct | bonus | score
    pending: bool = False


def _format(v: Decimal, spec: str) -> str:
    if spec == "%":
        return fmt(v, "ratio")
    if spec in ("亿元", "万元"):
        return fmt(v, "money", spec)
    if spec == "money":
        return fmt(v, "money", money_unit(v))
    return f"{num(quantize(v, 2))}{spec}"  # a count (2.67个) or a number: two places at most


def _slot_text(slot: Slot, ctx: Context) -> str:
    points = ctx.env.get("points", ZERO)
    if slot.kind == "outcome":
        return outcome(ctx.kind, points, pending=ctx.pending)
    if slot.kind == "score":
        return f"{num(plain_zero(quantize(points, 2)))}分"
    if slot.kind == "param":
        spec = ctx.values[slot.value]
        return param_text(slot.param, spec.resolve(ctx.group_params).get(slot.param))
    f = slot.formula
    names = f.names
    # a bare value name reads as the value does: with its counter or unit
    if not slot.spec and len(names) == 1 and f.text.strip() in names and f.text.strip() in ctx.values:
        spec = ctx.values[f.text.strip()]
        v = ctx.env.get(f.text.strip(), ZERO)
        return value_text(v, spec.display(), spec.measure, money_unit(v) if spec.display() == "money" else None)
    return _format(f.evaluate(ctx.env), slot.spec)


def render(cases: list[Case], ctx: Context) -> str | None:
    """The first case whose condition holds, filled in; None if none holds."""
    for case in cases:
        if case.when is not None and not case.when.evaluate(ctx.env):
            continue
        return "".join(p if isinstance(p, str) else _slot_text(p, ctx) for p in case.parts)
    return None


def formula_names_in_order(formula: Formula) -> list[str]:
    """The names a formula uses, in the order they are written."""
    seen: list[str] = []
    for m in re.finditer(r"[A-Za-z_]\w*", formula.text):
        if m.group(0) in formula.names and m.group(0) not in seen:
            seen.append(m.group(0))
    return seen


def template_names(cases: list[Case]) -> list[str]:
    """The named values a sentence mentions (in its slots and conditions), in the order written."""
    seen: list[str] = []
    for case in cases:
        for part in [case.when, *case.parts]:
            if isinstance(part, Formula):
                names = formula_names_in_order(part)
            elif isinstance(part, Slot):
                names = (
                    [part.value]
                    if part.kind == "param"
                    else (formula_names_in_order(part.formula) if part.formula else [])
                )
            else:
                continue
            seen += [n for n in names if n not in seen]
    return seen
