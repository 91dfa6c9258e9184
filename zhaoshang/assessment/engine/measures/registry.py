"""The registry of measures: each name a scheme may use, with its label, documentation, parameters
and the functions that compute it and find the rows behind it."""

from __future__ import annotations

from . import activities, adjustments, chains, funds, integrity, people, projects
from .base import PARAM_TYPES, PROJECT_FILTERS, MeasureDef, Rider, Window

_P = frozenset(PROJECT_FILTERS | {"weighted"})
_UNIT, _BOTH = frozenset({"unit"}), frozenset({"unit", "person"})
_PERSON = frozenset({"person"})


def _yield_and_aftercare() -> list[MeasureDef]:
    from . import aftercare, yields

    PARAM_TYPES.update(yields.PARAMS)
    PARAM_TYPES.update(aftercare.PARAMS)
    y = frozenset({"per_mu", "growth", "industry", "category"})
    yd = yields.YieldMeasureDef
    return [
        yd("yield_tax", "税收", "年度为考核年度的投产项目税收（万元）之和，按税收分成比例计入（未约定的同共享比例）；"
           "per_mu=true 为亩均税收（填报了用地的项目：税收 ÷ 用地），growth=true 为较上年增长率；"
           "industry 限定行业门类。", y, frozenset(), "money", _BOTH, yields.yield_compute("tax"),
           yields.yield_rows),
        yd("yield_output", "产值", "年度为考核年度的投产项目产值（万元）之和，按共享比例计入；per_mu=true 为亩均产值，"
           "growth=true 为较上年增长率；industry 限定行业门类。", y, frozenset(), "money", _BOTH,
           yields.yield_compute("output_value"), yields.yield_rows),
        MeasureDef("yield_employees", "用工人数", "年度为考核年度的投产项目用工人数之和，按共享比例计入。",
                   frozenset({"industry", "category"}), frozenset(), "count", _BOTH,
                   yields.yield_compute("employees"), yields.yield_rows),
        MeasureDef("requests_overdue", "逾期未答复的客商诉求件数",
                   "答复期限在窗口内且早于截止日、到期未答复（或逾期后才答复）的客商诉求件数，计入责任单位"
                   "（个人：承办人）。", frozenset(), frozenset(), "count", _BOTH, aftercare.overdue_compute,
                   aftercare.overdue_rows),
        MeasureDef("adjustments_requests", "考核调整分",
                   "本年度考核调整（不含一票否决）之和，加上每件逾期未答复的客商诉求 per_overdue 分（负数为扣分，"
                   "默认−5）；item_min/item_max 限定每项调整分值。",
                   frozenset({"items", "item_min", "item_max", "per_overdue"}), frozenset(), "points", _BOTH,
                   aftercare.adjust_with_requests_compute, aftercare.adjust_with_requests_rows),
        MeasureDef("request_response_days", "客商诉求平均答复天数",
                   "窗口内答复的客商诉求从受理到答复的平均天数。", frozenset(), frozenset(), "count", _BOTH,
                   aftercare.response_compute, aftercare.response_rows),
        MeasureDef("talent_count", "引进人才数",
                   "引进日期在窗口内的人才（团队按1计），按共享比例计入；talent_level 限定人才层次；"
                   "talent_weights 按层次加权（如 国家级 = 3）。", frozenset({"talent_level", "talent_weights"}),
                   frozenset(), "count", _BOTH, aftercare.talent_compute, aftercare.talent_rows),
        MeasureDef("liaison_count", "项目跑办事项数",
                   "窗口内启动的跑办事项数；给出 outcome 时为结果日期在窗口内、结果属于所列的事项数；sought 限定"
                   "争取类别（重点项目、重大政策、资金）。", frozenset({"sought", "outcome"}), frozenset(), "count",
                   _BOTH, aftercare.liaison_count_compute, aftercare.liaison_rows),
        MeasureDef("liaison_amount", "跑办争取资金",
                   "结果日期在窗口内、争取成功（含部分成功）的跑办事项争取到的资金（万元）之和。",
                   frozenset({"sought"}), frozenset(), "money", _BOTH, aftercare.liaison_amount_compute,
                   aftercare.liaison_amount_rows),
    ]


MEASURES: dict[str, MeasureDef] = {
    m.name: m
    for m in [
        MeasureDef(
            "project_amount",
            "项目金额",
            "窗口内到达 stage 所列阶段（日期在期间内且不晚于截止日）的项目金额之和；basis 选金额口径，按共享比例计入；"
            "industry 限定行业门类（GB/T 4754-2017门类代码或名称、其列表，或“工业”即B、C、D），待归类的项目不计入。",
            _P | {"basis"},
            frozenset({"stage"}),
            "money",
            _BOTH,
            projects.project_compute("amount"),
            projects.project_rows,
        ),
        MeasureDef(
            "project_count",
            "项目个数",
            "同上，计项目个数（weighted=false 时共享项目按1个计）；industry 限定行业门类，待归类的项目不计入。",
            _P,
            frozenset({"stage"}),
            "count",
            _BOTH,
            projects.project_compute("count"),
            projects.project_rows,
        ),
        MeasureDef(
            "secretary_projects",
            "帮办项目个数",
            "作为帮办秘书服务、窗口内到达 stage 所列阶段的项目个数，按帮办秘书分成比例计入（未分成的由项目登记的"
            "帮办秘书全额计入；weighted=false 时每个项目按1个计）；其他条件同项目个数。",
            _P,
            frozenset({"stage"}),
            "count",
            _PERSON,
            people.secretary_compute("count"),
            people.secretary_rows,
        ),
        MeasureDef(
            "secretary_amount",
            "帮办项目金额",
            "作为帮办秘书服务、窗口内到达 stage 所列阶段的项目金额之和，按帮办秘书分成比例计入；basis 选金额口径；"
            "其他条件同项目金额。",
            _P | {"basis"},
            frozenset({"stage"}),
            "money",
            _PERSON,
            people.secretary_compute("amount"),
            people.secretary_rows,
        ),
        MeasureDef(
            "fund_amount",
            "到位资金",
            "到位日期在窗口内的到位资金之和，可按资金类型过滤，按共享比例计入；industry 只计所列行业门类项目的资金"
            "（待归类的项目不计入）。",
            frozenset({"kind", "started_by_end", "active_at_start", "industry", "category"}),
            frozenset(),
            "money",
            _BOTH,
            funds.fund_compute,
            funds.fund_rows,
        ),
        MeasureDef(
            "late_submissions",
            "未报或迟报次数",
            "期间各月的报送中，截止日期不晚于截止日、且未报送或晚于截止日期报送的次数。",
            frozenset(),
            frozenset(),
            "count",
            _UNIT,
            activities.late_compute,
            activities.late_rows,
        ),
        MeasureDef(
            "visits",
            "走访次数",
            "窗口内走访对接次数，可按带队领导角色过滤；industry 只计走访所列行业门类企业的次数，"
            "企业尚未归类（待归类）的走访仍计入，并在明细中标注“待归类”。",
            frozenset({"role", "industry", "category"}),
            frozenset(),
            "count",
            _BOTH,
            activities.visits_compute,
            activities.visits_rows,
        ),
        MeasureDef(
            "leaders",
            "领导人数",
            "单位在职人员中所列角色的人数。",
            frozenset({"role"}),
            frozenset({"role"}),
            "count",
            _UNIT,
            activities.leaders_compute,
            activities.leaders_rows,
        ),
        MeasureDef(
            "leaders_below_visits",
            "走访不足的领导人数",
            "所列角色中窗口内走访次数少于 min_visits 的人数；industry 只计走访所列行业门类企业的次数"
            "（待归类的走访仍计入）。",
            frozenset({"role", "min_visits", "industry", "category"}),
            frozenset({"role", "min_visits"}),
            "count",
            _UNIT,
            activities.below_visits_compute,
            activities.below_visits_rows,
        ),
        MeasureDef(
            "leaders_without_project",
            "未完成引资任务的领导人数",
            "所列角色中，作为引资人未引进符合条件项目（stage、min_amount、uplift、industry 行业门类等）的人数。",
            frozenset({"role"}) | PROJECT_FILTERS,
            frozenset({"role", "stage"}),
            "count",
            _UNIT,
            activities.without_project_compute,
            activities.without_project_rows,
        ),
        MeasureDef(
            "adjustments",
            "考核调整分",
            "本年度考核调整（不含一票否决）之和；item_min/item_max 限定每项分值。",
            frozenset({"items", "item_min", "item_max"}),
            frozenset(),
            "points",
            _BOTH,
            adjustments.adjust_compute,
            adjustments.adjust_rows,
        ),
        MeasureDef(
            "veto",
            "一票否决",
            "本年度事项为“一票否决”的考核调整条数。",
            frozenset(),
            frozenset(),
            "count",
            _BOTH,
            adjustments.veto_compute,
            adjustments.veto_rows,
        ),
        MeasureDef(
            "spotcheck_findings",
            "抽查复核不属实数",
            "复核日期在窗口内、结果为“不属实”的抽查记录条数，计入当初初审或认定该记录的区考核办所在单位。",
            frozenset(),
            frozenset(),
            "count",
            _UNIT,
            integrity.findings_compute,
            integrity.findings_rows,
        ),
        MeasureDef(
            "median_days_to_sign",
            "首次接触至签约天数中位数",
            "窗口内签约的项目（引资单位计）从首次接触（来自目标企业库的按首次接触日期，否则按项目录入日期）到签约的"
            "天数的中位数；无签约项目的单位无此值。",
            frozenset(),
            frozenset(),
            "count",
            _UNIT,
            chains.median_compute("sign"),
            chains.median_rows("sign"),
        ),
        MeasureDef(
            "median_days_to_start",
            "首次接触至开工天数中位数",
            "窗口内开工的项目从首次接触到开工的天数的中位数；口径同首次接触至签约天数中位数。",
            frozenset(),
            frozenset(),
            "count",
            _UNIT,
            chains.median_compute("start"),
            chains.median_rows("start"),
        ),
        MeasureDef(
            "conversion_rate",
            "目标企业转化率",
            "跟进单位在窗口内首次接触的目标企业中，截至窗口末已转为签约项目的比例（百分数）。",
            frozenset(),
            frozenset(),
            "count",
            _UNIT,
            chains.conversion_compute,
            chains.conversion_rows,
        ),
        MeasureDef(
            "unit_kind",
            "单位类型",
            "单位类型属于 unit_kind 时为1，否则为0。",
            frozenset({"unit_kind"}),
            frozenset({"unit_kind"}),
            "count",
            _BOTH,
            adjustments.unit_kind_compute,
            adjustments.no_rows,
        ),
        # 产出质效 and service to investors (issue 15): measures/yields.py, measures/aftercare.py.
        *_yield_and_aftercare(),
    ]
}


def compute(name: str, params: dict, w: Window, subject_type: str, excluded: frozenset[int] = frozenset()):
    return MEASURES[name].compute(params, w, subject_type, excluded)


def compute_many(
    reqs: list[tuple[str, dict]],
    w: Window,
    subject_type: str,
    excluded: frozenset[int] = frozenset(),
    riders: dict[str, Rider] | None = None,
    persons: frozenset[int] | None = None,
) -> list[dict]:
    """The values of several (measure, params) at once, in order. Measures over the same rows share
    a query: the project measures (`projects.compute_many`), the 帮办秘书's (`people.secretary_many`), the
    fund measures (`funds.compute_many`) and the leaders without a project (`activities.without_project_many`);
    the others run one by one. `riders` ("projects", "funds": `Rider`) ride along the project and the
    fund pass when there is one. `persons`: a person run's subjects, whom the credit passes read for
    (`projects.credited`); values of other people may come too."""
    out: list[dict] = [{} for _ in reqs]
    riders = riders or {}
    shared = {
        "project_amount": lambda rs, *a: projects.compute_many(rs, *a, rider=riders.get("projects"), people=persons),
        "fund_amount": lambda rs, *a: funds.compute_many(rs, *a, rider=riders.get("funds")),
        "leaders_without_project": lambda rs, *a: activities.without_project_many([p for _, p in rs], *a),
    }
    shared["project_count"] = shared["project_amount"]
    shared["secretary_projects"] = shared["secretary_amount"] = (
        lambda rs, *a: people.secretary_many(rs, *a, people=persons))
    families: dict[object, list[int]] = {}
    for i, (name, _) in enumerate(reqs):
        families.setdefault(shared.get(name, i), []).append(i)
    for family, idx in families.items():
        if isinstance(family, int):
            name, params = reqs[family]
            out[family] = compute(name, params, w, subject_type, excluded)
            continue
        for i, values in zip(idx, family([reqs[i] for i in idx], w, subject_type, excluded), strict=True):
            out[i] = values
    return out


def rows(
    name: str, params: dict, w: Window, subject_type: str, subject_id: int, excluded: frozenset[int] = frozenset()
):
    return MEASURES[name].rows(params, w, subject_type, subject_id, excluded)
