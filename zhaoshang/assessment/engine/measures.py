"""The fixed vocabulary of measures: named aggregates computed per subject by SQL (GROUP BY unit or
person), for a window (period start → the earlier of period end and the as-of date).

Common rules, applied by every measure over projects:
- records count by their own business date (signing, stage, arrival, visit, due dates), never by
  when they were entered; dates after the as-of date are ignored;
- projects with status 终止 do not count;
- a unit holds a project whole when it has no shares, otherwise each share unit holds its ratio:
  amounts and counts are multiplied by the ratio (``weighted = false`` counts a held project as 1);
- a size test (``min_amount`` / ``max_amount``, 万元, min inclusive, max exclusive) uses the whole
  signed amount; ``uplift = true`` counts a 四力型 project of 50000–99999 as 100000 and of
  100000–199999 as 200000 (Zhengzhou);
- a person holds the projects they introduced (引资人), whole.

New measures are added here, with a docstring and a test; a scheme can only name what is here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate

from zhaoshang.activities.choices import EventLevel, levels_at_or_above
from zhaoshang.activities.models import Submission, Visit
from zhaoshang.core.periods import SHANGHAI
from zhaoshang.ledger.choices import STAGE_DATE_FIELD, Category, FundKind, Stage, Status
from zhaoshang.ledger.models import FundArrival, Project, ProjectShare
from zhaoshang.orgs.choices import PersonRole, UnitKind
from zhaoshang.orgs.models import Person, Unit, UnitGroup

from ..models import Adjustment

VETO_ITEM = "一票否决"
ZERO = Decimal(0)
DEC = DecimalField(max_digits=30, decimal_places=6)


@dataclass(frozen=True)
class Window:
    """What a run looks at: business dates from `start` to `end` (period end capped by as-of)."""

    start: dt.date
    period_end: dt.date
    as_of: dt.date

    @property
    def end(self) -> dt.date:
        return min(self.period_end, self.as_of)

    @property
    def year(self) -> int:
        return self.period_end.year


# ---------------------------------------------------------------------------------------------
# Parameter types: each parser takes the TOML value and returns the normalised value or raises
# ValueError with a Chinese message. Choice parameters accept the code or the Chinese label.


def _choice(choices, *, many: bool = False):
    by_any = {c.value: c.value for c in choices} | {str(c.label): c.value for c in choices}

    def parse(v):
        items = v if isinstance(v, list) else [v]
        if not many and isinstance(v, list):
            raise ValueError("应为单个取值")
        out = []
        for x in items:
            if not isinstance(x, str) or x not in by_any:
                raise ValueError(f"“{x}”不是有效取值，可选：{'、'.join(str(c.label) for c in choices)}")
            out.append(by_any[x])
        return tuple(out) if many else out[0]

    parse.doc = "、".join(str(c.label) for c in choices)  # type: ignore[attr-defined]
    return parse


def _number(v):
    if isinstance(v, bool) or not isinstance(v, int | float | str):
        raise ValueError(f"应为数字，而不是{type(v).__name__}")
    if isinstance(v, str):
        raise ValueError(f"应为数字，而不是文本“{v}”")
    return Decimal(repr(v)) if isinstance(v, float) else Decimal(v)


def _bool(v):
    if not isinstance(v, bool):
        raise ValueError("应为 true 或 false")
    return v


def _text_list(v):
    items = v if isinstance(v, list) else [v]
    if not all(isinstance(x, str) and x for x in items):
        raise ValueError("应为文本或文本列表")
    return tuple(items)


STAGES = [s for s in Stage if s != Stage.NONE]
BASES = {
    "signed": "签约金额",
    "planned": "计划总投资",
    "planned_or_signed": "计划总投资（无则签约金额）",
    "foreign": "外资金额（万美元）",
}


def _basis(v):
    if v not in BASES:
        raise ValueError(f"“{v}”不是有效取值，可选：{'、'.join(BASES)}")
    return v


PARAM_TYPES: dict[str, Callable] = {
    "stage": _choice(STAGES, many=True),
    "basis": _basis,
    "min_amount": _number,
    "max_amount": _number,
    "category": _choice(Category),
    "four_power": _bool,
    "uplift": _bool,
    "weighted": _bool,
    "level": _choice(EventLevel),
    "started_by_end": _bool,
    "active_at_start": _bool,
    "kind": _choice(FundKind),
    "role": _choice(PersonRole, many=True),
    "min_visits": _number,
    "item_min": _number,
    "item_max": _number,
    "items": _text_list,
    "unit_kind": _choice(UnitKind, many=True),
}
# Parameters that a scheme may set per unit group with "$name".
GROUP_PARAMS = {"min_amount", "max_amount", "min_visits", "item_min", "item_max"}

PROJECT_FILTERS = {"stage", "min_amount", "max_amount", "category", "four_power", "uplift", "level", "started_by_end"}


@dataclass(frozen=True)
class MeasureDef:
    name: str
    label: str
    doc: str
    params: frozenset[str]
    required: frozenset[str]
    display: str  # money | usd | count | points
    subjects: frozenset[str]
    compute: Callable
    rows: Callable

    def display_for(self, params: dict) -> str:
        if self.display == "money" and params.get("basis") == "foreign":
            return "usd"
        return self.display


# ---------------------------------------------------------------------------------------------
# Projects


def _size_expr(prefix: str, uplift: bool):
    amount = F(f"{prefix}signed_amount")
    if not uplift:
        return amount
    fp = f"{prefix}is_four_power"
    return Case(
        When(
            **{fp: True, f"{prefix}signed_amount__gte": 50000, f"{prefix}signed_amount__lt": 100000},
            then=Value(Decimal(100000)),
        ),
        When(
            **{fp: True, f"{prefix}signed_amount__gte": 100000, f"{prefix}signed_amount__lt": 200000},
            then=Value(Decimal(200000)),
        ),
        default=amount,
        output_field=DEC,
    )


def _amount_expr(prefix: str, basis: str):
    if basis == "planned":
        return Coalesce(F(f"{prefix}planned_investment"), Value(ZERO), output_field=DEC)
    if basis == "planned_or_signed":
        return Coalesce(F(f"{prefix}planned_investment"), F(f"{prefix}signed_amount"), output_field=DEC)
    if basis == "foreign":
        return Coalesce(F(f"{prefix}foreign_amount"), Value(ZERO), output_field=DEC)
    return F(f"{prefix}signed_amount")


def project_q(params: dict, w: Window, excluded: frozenset[int], prefix: str = "") -> Q:
    """The filter on Project (or on a model reaching it through `prefix`) shared by project measures."""
    p = prefix
    q = ~Q(**{f"{p}status": Status.TERMINATED})
    stages = params.get("stage") or ()
    if stages:
        sq = Q()
        for stage in stages:
            field = f"{p}{STAGE_DATE_FIELD[stage]}"
            sq |= Q(**{f"{field}__gte": w.start, f"{field}__lte": w.end})
        q &= sq
    if params.get("category"):
        q &= Q(**{f"{p}category": params["category"]})
    if params.get("four_power") is not None:
        q &= Q(**{f"{p}is_four_power": params["four_power"]})
    if params.get("level"):
        q &= Q(**{f"{p}signed_at_event__level__in": levels_at_or_above(params["level"])})
    if params.get("started_by_end"):
        q &= Q(**{f"{p}started_on__lte": w.end})
    if params.get("active_at_start"):
        q &= Q(**{f"{p}completed_on__isnull": True}) | Q(**{f"{p}completed_on__gte": w.start})
    if excluded:
        q &= ~Q(**{f"{p}id__in": list(excluded)})
    return q


def _apply_size(qs: QuerySet, params: dict, prefix: str) -> QuerySet:
    lo, hi = params.get("min_amount"), params.get("max_amount")
    if lo is None and hi is None:
        return qs
    if not params.get("uplift"):
        if lo is not None:
            qs = qs.filter(**{f"{prefix}signed_amount__gte": lo})
        if hi is not None:
            qs = qs.filter(**{f"{prefix}signed_amount__lt": hi})
        return qs
    qs = qs.alias(_size=_size_expr(prefix, True))
    if lo is not None:
        qs = qs.filter(_size__gte=lo)
    if hi is not None:
        qs = qs.filter(_size__lt=hi)
    return qs


def _no_shares():
    return ~Exists(ProjectShare.objects.filter(project_id=OuterRef("pk")))


def _project_querysets(params: dict, w: Window, excluded: frozenset[int]):
    lead = _apply_size(Project.objects.filter(project_q(params, w, excluded)), params, "").filter(_no_shares())
    shared = _apply_size(ProjectShare.objects.filter(project_q(params, w, excluded, "project__")), params, "project__")
    return lead, shared


def _sum_pairs(*pairs) -> dict[int, Decimal]:
    out: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for qs in pairs:
        for key, v in qs:
            if key is not None and v is not None:
                out[key] += Decimal(v)
    return dict(out)


def _project_compute(kind: str):
    def compute(params: dict, w: Window, subject_type: str, excluded: frozenset[int]) -> dict[int, Decimal]:
        weighted = params.get("weighted", True)
        basis = params.get("basis", "signed")
        if subject_type == "person":
            qs = _apply_size(
                Project.objects.filter(project_q(params, w, excluded), introducer__isnull=False), params, ""
            )
            agg = Count("id") if kind == "count" else Sum(_amount_expr("", basis), output_field=DEC)
            return _sum_pairs(qs.order_by().values("introducer_id").annotate(v=agg).values_list("introducer_id", "v"))
        lead, shared = _project_querysets(params, w, excluded)
        if kind == "count":
            lead_agg = Count("id")
            share_agg = Sum("ratio", output_field=DEC) if weighted else Count("id")
        else:
            lead_agg = Sum(_amount_expr("", basis), output_field=DEC)
            share_agg = Sum(ExpressionWrapper(_amount_expr("project__", basis) * F("ratio"), output_field=DEC))
        return _sum_pairs(
            lead.order_by().values("lead_unit_id").annotate(v=lead_agg).values_list("lead_unit_id", "v"),
            shared.order_by().values("unit_id").annotate(v=share_agg).values_list("unit_id", "v"),
        )

    return compute


def _project_rows(params: dict, w: Window, subject_type: str, subject_id: int, excluded: frozenset[int]):
    if subject_type == "person":
        qs = _apply_size(Project.objects.filter(project_q(params, w, excluded), introducer_id=subject_id), params, "")
        return {"projects": sorted(qs.values_list("id", flat=True))}
    lead, shared = _project_querysets(params, w, excluded)
    ids = set(lead.filter(lead_unit_id=subject_id).values_list("id", flat=True))
    ids |= set(shared.filter(unit_id=subject_id).values_list("project_id", flat=True))
    return {"projects": sorted(ids)}


# ---------------------------------------------------------------------------------------------
# Funds in place


def _fund_q(params: dict, w: Window, excluded: frozenset[int], prefix: str = "") -> Q:
    p = prefix
    q = Q(**{f"{p}date__gte": w.start, f"{p}date__lte": w.end}) & ~Q(**{f"{p}project__status": Status.TERMINATED})
    if params.get("kind"):
        q &= Q(**{f"{p}kind": params["kind"]})
    if params.get("started_by_end"):
        q &= Q(**{f"{p}project__started_on__lte": w.end})
    if params.get("active_at_start"):
        q &= Q(**{f"{p}project__completed_on__isnull": True}) | Q(**{f"{p}project__completed_on__gte": w.start})
    if params.get("category"):
        q &= Q(**{f"{p}project__category": params["category"]})
    if excluded:
        q &= ~Q(**{f"{p}project_id__in": list(excluded)})
    return q


def _fund_querysets(params, w, excluded):
    lead = FundArrival.objects.filter(_fund_q(params, w, excluded)).filter(
        ~Exists(ProjectShare.objects.filter(project_id=OuterRef("project_id")))
    )
    # One filter() call, so the annotation below reuses the same join to the arrivals.
    shared = ProjectShare.objects.filter(_fund_q(params, w, excluded, "project__fund_arrivals__"))
    return lead, shared


def _fund_compute(params, w, subject_type, excluded):
    if subject_type == "person":
        qs = FundArrival.objects.filter(_fund_q(params, w, excluded), project__introducer__isnull=False)
        return _sum_pairs(
            qs.order_by()
            .values("project__introducer_id")
            .annotate(v=Sum("amount"))
            .values_list("project__introducer_id", "v")
        )
    lead, shared = _fund_querysets(params, w, excluded)
    share_amount = ExpressionWrapper(F("project__fund_arrivals__amount") * F("ratio"), output_field=DEC)
    return _sum_pairs(
        lead.order_by()
        .values("project__lead_unit_id")
        .annotate(v=Sum("amount"))
        .values_list("project__lead_unit_id", "v"),
        shared.order_by().values("unit_id").annotate(v=Sum(share_amount)).values_list("unit_id", "v"),
    )


def _fund_rows(params, w, subject_type, subject_id, excluded):
    if subject_type == "person":
        qs = FundArrival.objects.filter(_fund_q(params, w, excluded), project__introducer_id=subject_id)
        pairs = list(qs.values_list("id", "project_id"))
    else:
        lead, _ = _fund_querysets(params, w, excluded)
        pairs = list(lead.filter(project__lead_unit_id=subject_id).values_list("id", "project_id"))
        pairs += list(
            FundArrival.objects.filter(_fund_q(params, w, excluded), project__shares__unit_id=subject_id).values_list(
                "id", "project_id"
            )
        )
    return {"funds": sorted({a for a, _ in pairs}), "projects": sorted({b for _, b in pairs})}


# ---------------------------------------------------------------------------------------------
# Submissions, visits, leaders, adjustments, unit kind


def _late_qs(w: Window) -> QuerySet:
    first, last = f"{w.start:%Y-%m}", f"{w.period_end:%Y-%m}"
    return (
        Submission.objects.filter(period__gte=first, period__lte=last, due_date__lte=w.as_of)
        .alias(day=TruncDate("submitted_at", tzinfo=SHANGHAI))
        .filter(Q(submitted_at__isnull=True) | Q(day__gt=F("due_date")))
    )


def _late_compute(params, w, subject_type, excluded):
    return _sum_pairs(_late_qs(w).order_by().values("unit_id").annotate(v=Count("id")).values_list("unit_id", "v"))


def _late_rows(params, w, subject_type, subject_id, excluded):
    return {"submissions": sorted(_late_qs(w).filter(unit_id=subject_id).values_list("id", flat=True))}


def _visit_qs(params, w):
    qs = Visit.objects.filter(date__gte=w.start, date__lte=w.end)
    if params.get("role"):
        qs = qs.filter(leader__role__in=params["role"])
    return qs


def _visits_compute(params, w, subject_type, excluded):
    key = "leader_id" if subject_type == "person" else "unit_id"
    return _sum_pairs(_visit_qs(params, w).order_by().values(key).annotate(v=Count("id")).values_list(key, "v"))


def _visits_rows(params, w, subject_type, subject_id, excluded):
    key = "leader_id" if subject_type == "person" else "unit_id"
    return {"visits": sorted(_visit_qs(params, w).filter(**{key: subject_id}).values_list("id", flat=True))}


def _leaders_qs(params):
    qs = Person.objects.filter(is_active=True)
    if params.get("role"):
        qs = qs.filter(role__in=params["role"])
    return qs


def _leaders_compute(params, w, subject_type, excluded):
    return _sum_pairs(
        _leaders_qs(params).order_by().values("unit_id").annotate(v=Count("id")).values_list("unit_id", "v")
    )


def _leaders_rows(params, w, subject_type, subject_id, excluded):
    return {"people": sorted(_leaders_qs(params).filter(unit_id=subject_id).values_list("id", flat=True))}


def _below_visits_people(params, w) -> list[tuple[int, int]]:
    """(person id, unit id) of leaders with fewer visits in the window than `min_visits`. Visits are
    counted per person in SQL; people number in the hundreds, so the comparison is done here."""
    counts = dict(
        _visit_qs(params, w).order_by().values("leader_id").annotate(v=Count("id")).values_list("leader_id", "v")
    )
    need = params.get("min_visits", Decimal(1))
    return [(pid, uid) for pid, uid in _leaders_qs(params).values_list("id", "unit_id") if counts.get(pid, 0) < need]


def _below_visits_compute(params, w, subject_type, excluded):
    out: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for _, uid in _below_visits_people(params, w):
        out[uid] += 1
    return dict(out)


def _below_visits_rows(params, w, subject_type, subject_id, excluded):
    return {"people": sorted(pid for pid, uid in _below_visits_people(params, w) if uid == subject_id)}


def _without_project_people(params, w, excluded) -> list[tuple[int, int]]:
    """(person id, unit id) of leaders who introduced (引资人) no project meeting the filters."""
    proj_params = {k: v for k, v in params.items() if k in PROJECT_FILTERS}
    qs = _apply_size(
        Project.objects.filter(project_q(proj_params, w, excluded), introducer__isnull=False), proj_params, ""
    )
    met = set(qs.order_by().values_list("introducer_id", flat=True).distinct())
    return [(pid, uid) for pid, uid in _leaders_qs(params).values_list("id", "unit_id") if pid not in met]


def _without_project_compute(params, w, subject_type, excluded):
    out: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for _, uid in _without_project_people(params, w, excluded):
        out[uid] += 1
    return dict(out)


def _without_project_rows(params, w, subject_type, subject_id, excluded):
    return {"people": sorted(pid for pid, uid in _without_project_people(params, w, excluded) if uid == subject_id)}


def _adjust_qs(params, w, *, veto: bool):
    qs = Adjustment.objects.filter(year=w.year)
    qs = qs.filter(item=VETO_ITEM) if veto else qs.exclude(item=VETO_ITEM)
    if params.get("items"):
        qs = qs.filter(item__in=params["items"])
    return qs


def _adjust_expr(params):
    lo, hi = params.get("item_min"), params.get("item_max")
    whens = []
    if hi is not None:
        whens.append(When(points__gt=hi, then=Value(hi)))
    if lo is not None:
        whens.append(When(points__lt=lo, then=Value(lo)))
    return Case(*whens, default=F("points"), output_field=DEC) if whens else F("points")


def _adjust_compute(params, w, subject_type, excluded):
    key = "person_id" if subject_type == "person" else "unit_id"
    qs = _adjust_qs(params, w, veto=False).filter(**{f"{key}__isnull": False})
    return _sum_pairs(
        qs.order_by().values(key).annotate(v=Sum(_adjust_expr(params), output_field=DEC)).values_list(key, "v")
    )


def _adjust_rows(params, w, subject_type, subject_id, excluded):
    key = "person_id" if subject_type == "person" else "unit_id"
    return {
        "adjustments": sorted(
            _adjust_qs(params, w, veto=False).filter(**{key: subject_id}).values_list("id", flat=True)
        )
    }


def _veto_compute(params, w, subject_type, excluded):
    key = "person_id" if subject_type == "person" else "unit_id"
    qs = _adjust_qs({}, w, veto=True).filter(**{f"{key}__isnull": False})
    return _sum_pairs(qs.order_by().values(key).annotate(v=Count("id")).values_list(key, "v"))


def _veto_rows(params, w, subject_type, subject_id, excluded):
    key = "person_id" if subject_type == "person" else "unit_id"
    return {
        "adjustments": sorted(_adjust_qs({}, w, veto=True).filter(**{key: subject_id}).values_list("id", flat=True))
    }


def _unit_kind_compute(params, w, subject_type, excluded):
    if subject_type == "person":
        qs = Person.objects.filter(unit__kind__in=params["unit_kind"]).values_list("id", flat=True)
    else:
        qs = Unit.objects.filter(kind__in=params["unit_kind"]).values_list("id", flat=True)
    return {pk: Decimal(1) for pk in qs}


def _no_rows(*args):
    return {}


_P = frozenset(PROJECT_FILTERS | {"weighted"})
_UNIT, _BOTH = frozenset({"unit"}), frozenset({"unit", "person"})

MEASURES: dict[str, MeasureDef] = {
    m.name: m
    for m in [
        MeasureDef(
            "project_amount",
            "项目金额",
            "窗口内到达 stage 所列阶段（日期在期间内且不晚于截止日）的项目金额之和；basis 选金额口径，按共享比例计入。",
            _P | {"basis"},
            frozenset({"stage"}),
            "money",
            _BOTH,
            _project_compute("amount"),
            _project_rows,
        ),
        MeasureDef(
            "project_count",
            "项目个数",
            "同上，计项目个数（weighted=false 时共享项目按1个计）。",
            _P,
            frozenset({"stage"}),
            "count",
            _BOTH,
            _project_compute("count"),
            _project_rows,
        ),
        MeasureDef(
            "fund_amount",
            "到位资金",
            "到位日期在窗口内的到位资金之和，可按资金类型过滤，按共享比例计入。",
            frozenset({"kind", "started_by_end", "active_at_start", "category"}),
            frozenset(),
            "money",
            _BOTH,
            _fund_compute,
            _fund_rows,
        ),
        MeasureDef(
            "late_submissions",
            "未报或迟报次数",
            "期间各月的报送中，截止日期不晚于截止日、且未报送或晚于截止日期报送的次数。",
            frozenset(),
            frozenset(),
            "count",
            _UNIT,
            _late_compute,
            _late_rows,
        ),
        MeasureDef(
            "visits",
            "走访次数",
            "窗口内走访对接次数，可按带队领导角色过滤。",
            frozenset({"role"}),
            frozenset(),
            "count",
            _BOTH,
            _visits_compute,
            _visits_rows,
        ),
        MeasureDef(
            "leaders",
            "领导人数",
            "单位在职人员中所列角色的人数。",
            frozenset({"role"}),
            frozenset({"role"}),
            "count",
            _UNIT,
            _leaders_compute,
            _leaders_rows,
        ),
        MeasureDef(
            "leaders_below_visits",
            "走访不足的领导人数",
            "所列角色中窗口内走访次数少于 min_visits 的人数。",
            frozenset({"role", "min_visits"}),
            frozenset({"role", "min_visits"}),
            "count",
            _UNIT,
            _below_visits_compute,
            _below_visits_rows,
        ),
        MeasureDef(
            "leaders_without_project",
            "未完成引资任务的领导人数",
            "所列角色中，作为引资人未引进符合条件项目（stage、min_amount、uplift 等）的人数。",
            frozenset({"role"}) | PROJECT_FILTERS,
            frozenset({"role", "stage"}),
            "count",
            _UNIT,
            _without_project_compute,
            _without_project_rows,
        ),
        MeasureDef(
            "adjustments",
            "考核调整分",
            "本年度考核调整（不含一票否决）之和；item_min/item_max 限定每项分值。",
            frozenset({"items", "item_min", "item_max"}),
            frozenset(),
            "points",
            _BOTH,
            _adjust_compute,
            _adjust_rows,
        ),
        MeasureDef(
            "veto",
            "一票否决",
            "本年度事项为“一票否决”的考核调整条数。",
            frozenset(),
            frozenset(),
            "count",
            _BOTH,
            _veto_compute,
            _veto_rows,
        ),
        MeasureDef(
            "unit_kind",
            "单位类型",
            "单位类型属于 unit_kind 时为1，否则为0。",
            frozenset({"unit_kind"}),
            frozenset({"unit_kind"}),
            "count",
            _BOTH,
            _unit_kind_compute,
            _no_rows,
        ),
    ]
}


def compute(name: str, params: dict, w: Window, subject_type: str, excluded: frozenset[int] = frozenset()):
    return MEASURES[name].compute(params, w, subject_type, excluded)


def rows(
    name: str, params: dict, w: Window, subject_type: str, subject_id: int, excluded: frozenset[int] = frozenset()
):
    return MEASURES[name].rows(params, w, subject_type, subject_id, excluded)


def conflicting_projects(groups: list[str], w: Window) -> list[dict]:
    """Projects held at once by units of two or more of `groups` (e.g. a 市直部门 and a 区): 不得相互抵顶.
    A holder is the introducing unit or a share unit; only a project with shares can have two, so one
    GROUP BY over the shares finds them. Only projects signed by the end of the window matter."""
    group_ids = dict(UnitGroup.objects.filter(name__in=groups).values_list("id", "name"))
    if len(group_ids) < 2:
        return []
    rows = (
        ProjectShare.objects.filter(unit__group_id__in=group_ids, project__signed_on__lte=w.end)
        .exclude(project__status=Status.TERMINATED)
        .values_list("project_id", "unit_id", "unit__group_id", "project__lead_unit_id", "project__lead_unit__group_id")
    )
    holders: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for pid, uid, gid, lead, lead_gid in rows:
        holders[pid].add((uid, gid))
        if lead_gid in group_ids:
            holders[pid].add((lead, lead_gid))
    ids = [pid for pid, hs in holders.items() if len({g for _, g in hs}) >= 2]
    if not ids:
        return []
    holders = {pid: {u for u, _ in holders[pid]} for pid in ids}
    units = {
        u.id: u for u in Unit.objects.filter(id__in={u for hs in holders.values() for u in hs}).select_related("group")
    }
    out = []
    for p in Project.objects.filter(id__in=ids).order_by("code").only("id", "code", "name"):
        held = sorted((units[uid] for uid in holders[p.id]), key=lambda u: u.code)
        out.append(
            {
                "project": {"id": p.id, "code": p.code, "name": p.name},
                "units": [{"code": u.code, "name": u.name, "group": u.group.name if u.group else ""} for u in held],
                "message": f"项目“{p.name}”同时计入{'、'.join(u.name for u in held)}，不得相互抵顶，在核实前均不计入",
            }
        )
    return out
