"""Schemes: TOML text → a validated `Scheme`. Every error names the key (``items[2].points``) and
says what is wrong, in Chinese; a scheme with any error is refused as a whole and never runs.

The format (see docs and the presets in ``zhaoshang/assessment/presets``)::

    key = "bole-2023"            name = "…"            version = 1
    subject = "unit"             # or "person"
    basis = "verified"           # count only 已认定 facts (default); "filed" counts everything filed
    base = 0                     # base score; floor / cap bound the total (optional)
    [subjects]  groups = ["驻点招商局"]     # unit groups (unit schemes) …
                grouping = "莱芜竞赛口径"   # … read under this named grouping (分组口径; optional)
                unit_kinds = ["产业专班"]   # … or unit kinds (both kinds of scheme)
    [ranking]   within = "group"          # or "all"
    [honours]   name = "先进单位"  top = 6  within = "all"
    [veto]      enabled = true  grade = "不合格"
    [[grades]]  min = 90  name = "优秀"   (the last band may omit min; `flag` marks the subject)
    [group_params."重点地区"]  head_quota = 200000     # used in measure parameters as "$head_quota"
    [conflicts] exclusive_groups = ["区及功能区", "市直部门"]
    [bulletin]  main_to = "各县（市、区）人民政府"  copy_to = ["市委", "市政府"]   # 通报的主送和抄送 (版记)
                issuer = "招商引资工作领导小组办公室"  code = "郑招考"  scope = "驻点招商局"   # all optional
    [values.S]  measure = "project_count"  stage = "signed"  level = "州市级"
    [[items]]   key = "signed"  name = "…"  rule = "proportional"  points = 50
                value = { measure = "project_amount", stage = "signed" }   # or a name from [values]
                target = "签约金额"  cap = 1
                source = "002 七(一)1"  quote = "…"  local = true   # 依据原文; local: points are our own
                interim = "pro_rata"   # or "as_is" / "annual_only": how a quarter or month run scores it
    [values.S]  label = "州市级及以上活动签约项目数"   # what the value is called (else said from its measure)
    [[items]]   explain = "…{heads}…{points}"          # the explanation's sentence (see `wording`), or
                explain = [
                  { when = "heads_low == 0", text = "党政主要负责人{heads}，走访均不少于{heads_low.min_visits}" },
                  { text = "党政主要负责人{heads}，其中{heads_low}走访少于{heads_low.min_visits}，{points}" },
                ]
                # slots: {value} as read (2人, 46.98亿元), {value.param} (4次, 20亿元), {formula:format}
                # ({ratio(funds, signed):%}), {points} (扣5分 / 不扣分 / 加2分 / 得3.33分), {score} (3.33分);
                # the first case whose `when` holds is used. Without one, a formula item names each value
                # by its label and says the points; nothing is ever shown as code.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from zhaoshang.core.errors import ApplicationError

from . import wording
from .formula import Formula, FormulaError, compile_formula
from .measures import GROUP_PARAMS, MEASURES, PARAM_TYPES

PRESETS_DIR = Path(__file__).resolve().parent.parent / "presets"
# The rule keys and the one Chinese name each is shown under (pages never show the key itself).
RULES = {
    "proportional": "比例得分",
    "relative_best": "相对最优",
    "efficacy": "功效系数",
    "thresholds": "阈值",
    "per_item": "逐项加减",
    "rank": "排名得分",
    "manual": "手工评分",
    "formula": "公式",
}
# How an item behaves in a quarter or month run (year-to-date): targets and count thresholds scaled by
# the time schedule 序时进度; counted as they are; or scored only in the annual run.
INTERIM = {"pro_rata": "按序时进度", "as_is": "按实计", "annual_only": "年度考核时计分"}
INTERIM_PRO_RATA_RULES = {"proportional", "relative_best", "efficacy"}
# What a scheme counts (核实口径): only facts verified (已认定) by the as-of date, or everything filed.
COUNT_BASES = {"verified": "仅计已认定", "filed": "按申报计"}
DEFAULT_BASIS = "verified"


class SchemeError(ApplicationError):
    """The scheme text is not valid; `field_errors` maps each key path to its messages."""


@dataclass(frozen=True)
class ValueSpec:
    """A named measure with its parameters; a "$name" parameter is taken from the subject's group."""

    name: str
    measure: str
    params: dict
    title: str = ""  # the scheme's own name for the value ([values.X] label = "…")

    @property
    def label(self) -> str:
        """What the value is called: the scheme's label, else said from the measure and its parameters."""
        return self.title or wording.describe(self.measure, self.params)

    def label_for(self, group_params: dict) -> str:
        """The label with group parameters ("$head_quota") resolved for a subject's group."""
        return self.title or wording.describe(self.measure, self.resolve(group_params))

    @property
    def counter(self) -> str:
        """个, 次, 人 … (see `wording.COUNTERS`)."""
        return wording.counter(self.measure)

    def resolve(self, group_params: dict) -> dict:
        return {
            k: (group_params[v[1:]] if isinstance(v, str) and v.startswith("$") else v) for k, v in self.params.items()
        }

    def display(self) -> str:
        # Asked for every sentence of every subject: worked out once (the spec is frozen). Kept in the
        # instance's __dict__, outside the dataclass fields, so equality and asdict() are unchanged.
        shown = self.__dict__.get("_display")
        if shown is None:
            shown = self.__dict__["_display"] = MEASURES[self.measure].display_for(self.params)
        return shown


@dataclass
class Item:
    key: str
    name: str
    rule: str
    points: Decimal | None = None
    max: Decimal | None = None
    floor: Decimal | None = None
    value: str | None = None  # a name in Scheme.values
    add: str | None = None
    target: str | None = None
    label: str = ""
    opts: dict = field(default_factory=dict)
    formula: Formula | None = None
    source: str = ""  # the document and clause, e.g. "002 七(一)2"
    quote: str = ""  # the original sentence, verbatim
    local: bool = False  # points or thresholds are the scheme's own (本地细则), not the document's
    interim: str = "as_is"  # in a quarter or month run: pro_rata | as_is | annual_only (see INTERIM)
    missing_target: str = "zero"  # without a target: "zero" or "skip" (see MISSING_TARGET)
    explain: list = field(default_factory=list)  # sentence templates (wording.Case), first that holds

    @property
    def weight(self) -> Decimal:
        """Full points the item stands for in 按其他指标得分率折算 (0 for 加分项 / 减分项)."""
        w = self.points if self.points is not None else self.max
        return w if w is not None and w > 0 else Decimal(0)

    @property
    def rule_name(self) -> str:
        return RULES[self.rule]

    @property
    def points_text(self) -> str:
        """分值 as an official reads it: "50分", "减分项", "加分项"."""
        if self.max is not None and self.max > 0:
            return f"{_trim(self.max)}分"
        if self.max is not None and self.max == 0:
            return "减分项"
        if self.floor is not None and self.floor >= 0:
            return "加分项"
        return "—"


def _trim(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass
class Grade:
    name: str
    min: Decimal | None
    flag: str = ""


@dataclass
class BulletinSpec:
    """[bulletin]: whom the scheme's bulletin is sent to (主送) and copied to (抄送, in its 版记), the issuing
    body (发文机关, the city's name is put before it), its 机关代字 for the 文号, and the scope the title names."""

    main_to: str = ""
    copy_to: list[str] = field(default_factory=list)
    issuer: str = ""
    code: str = ""
    scope: str = ""


@dataclass
class Scheme:
    key: str
    name: str
    version: int
    subject: str
    text: str
    sha256: str
    basis: str = DEFAULT_BASIS
    base: Decimal = Decimal(0)
    floor: Decimal | None = None
    cap: Decimal | None = None
    groups: list[str] = field(default_factory=list)
    grouping: str = ""  # 分组口径 the groups are read under; "" = the units' own 考核组别
    unit_kinds: tuple[str, ...] = ()
    rank_within: str = "group"
    honours_name: str = ""
    honours_top: int = 0
    honours_within: str = "all"
    honours_tie_breakers: list[str] = field(default_factory=list)  # item keys, in order
    veto: bool = False
    veto_grade: str = ""
    grades: list[Grade] = field(default_factory=list)
    group_params: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    conflict_groups: list[str] = field(default_factory=list)
    values: dict[str, ValueSpec] = field(default_factory=dict)
    items: list[Item] = field(default_factory=list)
    description: str = ""
    bulletin: BulletinSpec = field(default_factory=BulletinSpec)

    def item(self, key: str) -> Item:
        return next(i for i in self.items if i.key == key)

    @property
    def targets(self) -> set[str]:
        return {i.target for i in self.items if i.target}


class _Errors:
    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            details = "；".join(f"{k}：{'；'.join(v)}" for k, v in self.errors.items())
            raise SchemeError(f"考核方案有误：{details}", {"errors": self.errors}, field_errors=self.errors)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _num(err: _Errors, key: str, v, *, required: bool = False, default=None) -> Decimal | None:
    if v is None:
        if required:
            err.add(key, "缺少此项（应为数字）")
        return default
    if isinstance(v, bool) or not isinstance(v, int | float):
        shown = f"文本“{v}”" if isinstance(v, str) else type(v).__name__
        err.add(key, f"应为数字，而不是{shown}")
        return default
    return Decimal(repr(v)) if isinstance(v, float) else Decimal(v)


def _str(err: _Errors, key: str, v, *, required: bool = False, default: str = "") -> str:
    if v is None:
        if required:
            err.add(key, "缺少此项（应为文本）")
        return default
    if not isinstance(v, str):
        err.add(key, f"应为文本，而不是{type(v).__name__}")
        return default
    return v


TOP_KEYS = {
    "key",
    "name",
    "version",
    "subject",
    "basis",
    "base",
    "floor",
    "cap",
    "subjects",
    "ranking",
    "honours",
    "veto",
    "grades",
    "group_params",
    "conflicts",
    "values",
    "items",
    "description",
    "bulletin",
}
ITEM_KEYS = {
    "key",
    "name",
    "rule",
    "points",
    "max",
    "floor",
    "cap",
    "value",
    "add",
    "target",
    "label",
    "per",
    "base",
    "a",
    "b",
    "bands",
    "ranks",
    "rest",
    "min",
    "expr",
    "values",
    "source",
    "quote",
    "local",
    "interim",
    "missing_target",
    "against",
    "explain",
}
# What an item does for a subject without a (positive) target: 0 points, or not apply (the total is then
# rescaled by full points ÷ points of the items that apply, 按其他指标得分率折算).
MISSING_TARGET = {"zero": "按0分计", "skip": "不参与考核，按其他指标得分率折算"}
# relative_best: what the others are scored against (the two readings of Bole 002 七(一)2).
AGAINST = {
    "best": "完成率 ÷ 组内最高完成率 × 分值",
    "first_amount": "第1名得满分，其他按本单位金额 ÷ 第1名金额 × 分值",
}


def parse_scheme(text: str) -> Scheme:
    """Parse and validate; raise SchemeError naming every bad key."""
    err = _Errors()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        err.add("TOML", f"格式错误：{exc}")
        err.raise_if_any()
    for k in data:
        if k not in TOP_KEYS:
            err.add(k, "未知的键")
    s = Scheme(
        key=_str(err, "key", data.get("key"), required=True),
        name=_str(err, "name", data.get("name"), required=True),
        version=1,
        subject=_str(err, "subject", data.get("subject"), default="unit"),
        text=text,
        sha256=sha256(text),
        description=_str(err, "description", data.get("description")),
    )
    version = data.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool):
        err.add("version", "应为整数")
    else:
        s.version = version
    if s.subject not in ("unit", "person"):
        err.add("subject", "应为 unit（单位）或 person（人员）")
    s.basis = _str(err, "basis", data.get("basis"), default=DEFAULT_BASIS)
    if s.basis not in COUNT_BASES:
        err.add("basis", f"应为 verified（{COUNT_BASES['verified']}）或 filed（{COUNT_BASES['filed']}）")
    s.base = _num(err, "base", data.get("base"), default=Decimal(0))
    s.floor = _num(err, "floor", data.get("floor"))
    s.cap = _num(err, "cap", data.get("cap"))

    subjects = data.get("subjects", {})
    if not isinstance(subjects, dict):
        err.add("subjects", "应为表")
        subjects = {}
    groups = subjects.get("groups", [])
    if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
        err.add("subjects.groups", "应为组别名称的列表")
        groups = []
    s.groups = groups
    # 分组口径: the named grouping the subjects' groups are read under (a unit with no group in it keeps
    # its own 考核组别); absent = the default grouping.
    s.grouping = _str(err, "subjects.grouping", subjects.get("grouping")).strip()
    if "unit_kinds" in subjects:
        try:
            s.unit_kinds = PARAM_TYPES["unit_kind"](subjects["unit_kinds"])
        except ValueError as exc:
            err.add("subjects.unit_kinds", str(exc))
    if not s.groups and not s.unit_kinds:
        err.add("subjects", "须用 groups（考核组别）或 unit_kinds（单位类型）指定考核对象")
    if s.subject == "person" and not s.unit_kinds:
        err.add("subjects.unit_kinds", "考核人员的方案须指定人员所在单位的类型")

    ranking = data.get("ranking", {})
    s.rank_within = _str(err, "ranking.within", ranking.get("within"), default="group")
    if s.rank_within not in ("group", "all"):
        err.add("ranking.within", "应为 group（组内）或 all（全体）")
    honours = data.get("honours", {})
    if honours:
        s.honours_name = _str(err, "honours.name", honours.get("name"), required=True)
        top = honours.get("top")
        if not isinstance(top, int) or isinstance(top, bool) or top < 1:
            err.add("honours.top", "应为正整数")
        else:
            s.honours_top = top
        s.honours_within = _str(err, "honours.within", honours.get("within"), default="all")
        if s.honours_within not in ("group", "all"):
            err.add("honours.within", "应为 group 或 all")
        tbs = honours.get("tie_breakers", [])
        if not isinstance(tbs, list) or not all(isinstance(t, str) for t in tbs):
            err.add("honours.tie_breakers", '应为考核指标键的列表，如 ["signed", "funds"]')
        else:
            s.honours_tie_breakers = tbs
    veto = data.get("veto", {})
    if veto:
        enabled = veto.get("enabled", True)
        if not isinstance(enabled, bool):
            err.add("veto.enabled", "应为 true 或 false")
        s.veto = bool(enabled)
        s.veto_grade = _str(err, "veto.grade", veto.get("grade"))

    grades = data.get("grades", [])
    if not isinstance(grades, list):
        err.add("grades", "应为等次列表 [[grades]]")
        grades = []
    for i, g in enumerate(grades):
        key = f"grades[{i}]"
        name = _str(err, f"{key}.name", g.get("name"), required=True)
        mn = _num(err, f"{key}.min", g.get("min"))
        if mn is None and i != len(grades) - 1:
            err.add(f"{key}.min", "只有最后一个等次可以省略 min")
        s.grades.append(Grade(name=name, min=mn, flag=_str(err, f"{key}.flag", g.get("flag"))))
    mins = [g.min for g in s.grades if g.min is not None]
    if mins != sorted(mins, reverse=True):
        err.add("grades", "等次应按 min 从高到低排列")

    gp = data.get("group_params", {})
    for gname, params in gp.items():
        if s.groups and gname not in s.groups:
            err.add(f"group_params.{gname}", f"不是本方案的考核组别（{'、'.join(s.groups)}）")
        s.group_params[gname] = {}
        for pname, v in params.items():
            n = _num(err, f"group_params.{gname}.{pname}", v)
            if n is not None:
                s.group_params[gname][pname] = n

    conflicts = data.get("conflicts", {})
    if conflicts:
        cg = conflicts.get("exclusive_groups", [])
        if not isinstance(cg, list) or len(cg) < 2 or not all(isinstance(g, str) for g in cg):
            err.add("conflicts.exclusive_groups", "应为至少两个组别名称的列表")
        else:
            s.conflict_groups = cg

    for vname, spec in (data.get("values") or {}).items():
        _add_value(err, s, f"values.{vname}", vname, spec)

    s.bulletin = _bulletin(err, data.get("bulletin", {}))

    items = data.get("items", [])
    if not isinstance(items, list) or not items:
        err.add("items", "至少要有一个考核指标 [[items]]")
        items = []
    seen: set[str] = set()
    for i, raw in enumerate(items):
        item = _parse_item(err, s, f"items[{i}]", raw)
        if item is None:
            continue
        if item.key in seen:
            err.add(f"items[{i}].key", f"指标键“{item.key}”重复")
        seen.add(item.key)
        s.items.append(item)
    for j, tb in enumerate(s.honours_tie_breakers):
        if tb not in seen:
            err.add(f"honours.tie_breakers[{j}]", f"没有键为“{tb}”的考核指标")
    err.raise_if_any()
    return s


BULLETIN_KEYS = {"main_to", "copy_to", "issuer", "code", "scope"}


def _bulletin(err: _Errors, raw) -> BulletinSpec:
    spec = BulletinSpec()
    if not isinstance(raw, dict):
        err.add("bulletin", "应为表 [bulletin]")
        return spec
    for k in raw:
        if k not in BULLETIN_KEYS:
            err.add(f"bulletin.{k}", "未知的键（可用 main_to、copy_to、issuer、code、scope）")
    for k in ("main_to", "copy_to"):  # a text, or a list of recipients
        v = raw.get(k)
        if isinstance(v, str):
            v = [v]
        if v is not None and (not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v)):
            err.add(f"bulletin.{k}", "应为文本或文本的列表")
            continue
        names = [x.strip() for x in v or []]
        if k == "main_to":
            spec.main_to = "，".join(names)
        else:
            spec.copy_to = names
    for k in ("issuer", "code", "scope"):
        setattr(spec, k, _str(err, f"bulletin.{k}", raw.get(k)).strip())
    return spec


def _add_value(err: _Errors, s: Scheme, key: str, name: str, spec) -> str | None:
    if not isinstance(spec, dict):
        err.add(key, '应为表，如 { measure = "project_amount", stage = "signed" }')
        return None
    if not name.isidentifier():
        err.add(key, f"名称“{name}”应为字母、数字和下划线组成")
        return None
    if name in s.values:
        err.add(key, f"名称“{name}”已定义")
        return None
    measure = spec.get("measure")
    if measure not in MEASURES:
        err.add(f"{key}.measure", f"未知的度量“{measure}”，可用：{'、'.join(MEASURES)}")
        return None
    mdef = MEASURES[measure]
    if s.subject not in mdef.subjects:
        err.add(f"{key}.measure", f"度量“{measure}”不能用于考核{'人员' if s.subject == 'person' else '单位'}")
    params: dict = {}
    title = _str(err, f"{key}.label", spec.get("label"))
    for pname, v in spec.items():
        if pname in ("measure", "label"):
            continue
        pkey = f"{key}.{pname}"
        if pname not in mdef.params:
            err.add(pkey, f"度量“{measure}”没有参数“{pname}”，可用：{'、'.join(sorted(mdef.params)) or '无'}")
            continue
        if isinstance(v, str) and v.startswith("$"):
            if pname not in GROUP_PARAMS:
                err.add(pkey, f"参数“{pname}”不能按组别取值")
                continue
            gname = v[1:]
            groups = s.groups or list(s.group_params)
            missing = [g for g in groups if gname not in s.group_params.get(g, {})]
            if missing or not groups:
                err.add(pkey, f"组别参数“{gname}”未在 group_params 中为{'、'.join(missing) or '各组别'}定义")
                continue
            params[pname] = v
            continue
        try:
            params[pname] = PARAM_TYPES[pname](v)
        except ValueError as exc:
            err.add(pkey, str(exc))
    for req in mdef.required - set(params):
        err.add(key, f"度量“{measure}”须指定参数“{req}”")
    s.values[name] = ValueSpec(name=name, measure=measure, params=params, title=title)
    return name


def _value_ref(err: _Errors, s: Scheme, key: str, item_key: str, v, suffix: str) -> str | None:
    if v is None:
        return None
    if isinstance(v, str):
        if v not in s.values:
            err.add(key, f"未定义的取值“{v}”（应在 [values] 中定义，或写成 {{ measure = … }}）")
            return None
        return v
    return _add_value(err, s, key, f"{item_key}_{suffix}", v)


def _parse_item(err: _Errors, s: Scheme, key: str, raw) -> Item | None:
    if not isinstance(raw, dict):
        err.add(key, "应为表")
        return None
    for k in raw:
        if k not in ITEM_KEYS:
            err.add(f"{key}.{k}", "未知的键")
    ikey = _str(err, f"{key}.key", raw.get("key"), required=True)
    if ikey and not ikey.isidentifier():
        err.add(f"{key}.key", "应为字母、数字和下划线组成")
    item = Item(
        key=ikey,
        name=_str(err, f"{key}.name", raw.get("name"), required=True),
        rule=_str(err, f"{key}.rule", raw.get("rule"), required=True),
    )
    item.label = _str(err, f"{key}.label", raw.get("label"))
    item.target = _str(err, f"{key}.target", raw.get("target")) or None
    item.source = _str(err, f"{key}.source", raw.get("source"))
    item.quote = _str(err, f"{key}.quote", raw.get("quote"))
    local = raw.get("local", False)
    if not isinstance(local, bool):
        err.add(f"{key}.local", "应为 true 或 false")
    else:
        item.local = local
    if item.rule not in RULES:
        err.add(f"{key}.rule", f"未知的计分规则“{item.rule}”，可用：{'、'.join(RULES)}")
        return None
    default_interim = "pro_rata" if item.rule in INTERIM_PRO_RATA_RULES else "as_is"
    item.interim = _str(err, f"{key}.interim", raw.get("interim"), default=default_interim)
    if item.interim not in INTERIM:
        err.add(f"{key}.interim", "应为 " + "、".join(f"{k}（{v}）" for k, v in INTERIM.items()))
        item.interim = default_interim
    item.missing_target = _str(err, f"{key}.missing_target", raw.get("missing_target"), default="zero")
    if item.missing_target not in MISSING_TARGET:
        err.add(f"{key}.missing_target", "应为 zero（按0分计）或 skip（不参与考核，按其他指标得分率折算）")
        item.missing_target = "zero"
    elif item.missing_target == "skip" and not item.target:
        err.add(f"{key}.missing_target", "只有指定了目标（target）的指标才能设为 skip")
    if "against" in raw and item.rule != "relative_best":
        err.add(f"{key}.against", "只用于相对最优（relative_best）规则")
    for vname, spec in (raw.get("values") or {}).items():
        _add_value(err, s, f"{key}.values.{vname}", vname, spec)
    needs_value = item.rule not in ("manual", "formula")
    item.value = _value_ref(err, s, f"{key}.value", ikey, raw.get("value"), "value")
    if needs_value and item.value is None and "value" not in raw:
        err.add(f"{key}.value", "缺少此项（应为度量）")
    item.floor = _num(err, f"{key}.floor", raw.get("floor"))
    r = item.rule
    if r == "proportional":
        item.points = _num(err, f"{key}.points", raw.get("points"), required=True, default=Decimal(0))
        cap = _num(err, f"{key}.cap", raw.get("cap"), default=Decimal(1))
        item.opts["cap"] = cap
        item.max = item.points * cap
        if not item.target:
            err.add(f"{key}.target", "按目标比例计分须指定目标指标名称")
    elif r == "relative_best":
        item.points = _num(err, f"{key}.points", raw.get("points"), required=True, default=Decimal(0))
        item.max = item.points
        against = _str(err, f"{key}.against", raw.get("against"), default="best")
        if against not in AGAINST:
            err.add(f"{key}.against", "应为 best（完成率 ÷ 组内最高完成率）或 first_amount（本单位金额 ÷ 第1名金额）")
            against = "best"
        item.opts["against"] = against
    elif r == "efficacy":
        a = _num(err, f"{key}.a", raw.get("a"), required=True, default=Decimal(0))
        b = _num(err, f"{key}.b", raw.get("b"), default=Decimal(0))
        item.opts.update(a=a, b=b)
        item.max = a + b
        item.floor = b if item.floor is None else item.floor
    elif r == "thresholds":
        bands = raw.get("bands")
        parsed = []
        if not isinstance(bands, list) or not bands:
            err.add(f"{key}.bands", "应为分档列表，如 [{ min = 1.0, points = 10 }]")
        else:
            for j, band in enumerate(bands):
                if not isinstance(band, dict):
                    err.add(f"{key}.bands[{j}]", "应为表 { min = …, points = … }")
                    continue
                mn = _num(err, f"{key}.bands[{j}].min", band.get("min"), required=True)
                pts = _num(err, f"{key}.bands[{j}].points", band.get("points"), required=True)
                if mn is not None and pts is not None:
                    parsed.append((mn, pts))
        parsed.sort(reverse=True)
        item.opts["bands"] = parsed
        item.max = max((p for _, p in parsed), default=Decimal(0))
        item.floor = Decimal(0) if item.floor is None else item.floor
    elif r == "per_item":
        item.opts["per"] = _num(err, f"{key}.per", raw.get("per"), required=True, default=Decimal(0))
        item.opts["base"] = _num(err, f"{key}.base", raw.get("base"), default=Decimal(0))
        item.add = _value_ref(err, s, f"{key}.add", ikey, raw.get("add"), "add")
        item.max = _num(err, f"{key}.cap", raw.get("cap"))
        item.points = item.max
    elif r == "rank":
        ranks = raw.get("ranks")
        if not isinstance(ranks, list) or not ranks:
            err.add(f"{key}.ranks", "应为各名次得分的列表，如 [10, 8, 6]")
            ranks = []
        item.opts["ranks"] = [
            _num(err, f"{key}.ranks[{j}]", v, required=True, default=Decimal(0)) for j, v in enumerate(ranks)
        ]
        item.opts["rest"] = _num(err, f"{key}.rest", raw.get("rest"), default=Decimal(0))
        item.max = max(item.opts["ranks"] + [item.opts["rest"]])
        item.floor = min(item.opts["ranks"] + [item.opts["rest"]]) if item.floor is None else item.floor
    elif r == "manual":
        item.floor = _num(err, f"{key}.min", raw.get("min"), required=True, default=Decimal(0))
        item.max = _num(err, f"{key}.max", raw.get("max"), required=True, default=Decimal(0))
        if item.floor is not None and item.max is not None and item.floor > item.max:
            err.add(f"{key}.min", "不能大于 max")
    elif r == "formula":
        item.max = _num(err, f"{key}.max", raw.get("max"))
        expr = raw.get("expr")
        if not isinstance(expr, str):
            err.add(f"{key}.expr", "应为公式文本")
        else:
            allowed = set(s.values) | {"target"} if item.target else set(s.values)
            try:
                item.formula = compile_formula(expr, allowed)
            except FormulaError as exc:
                err.add(f"{key}.expr", str(exc))
    if item.floor is not None and item.max is not None and item.floor > item.max:
        err.add(f"{key}.floor", "下限不能大于上限")
    if "explain" in raw:
        item.explain = wording.parse_explain(raw["explain"], s.values, f"{key}.explain", err.add,
                                             target=bool(item.target))
    return item


def load_preset(key: str) -> Scheme:
    return parse_scheme(preset_text(key))


def preset_keys() -> list[str]:
    return sorted(p.stem for p in PRESETS_DIR.glob("*.toml"))


def preset_text(key: str) -> str:
    path = PRESETS_DIR / f"{key}.toml"
    if not path.is_file() or "/" in key:
        raise SchemeError(f"没有名为“{key}”的预置方案，可用：{'、'.join(preset_keys())}")
    return path.read_text(encoding="utf-8")
