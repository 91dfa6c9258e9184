"""Measures over projects: amounts and counts of projects reaching a stage in the window, per unit
(the introducing unit, or each share unit for its ratio) or per person (the 引资人, or each person of
the project's 引资人 split for their ratio, `ProjectCredit`); and the
projects two assessed groups both claim (不得相互抵顶). Under `basis = "verified"` a stage is reached
only when its filing is 已认定 by the as-of date (`reached_q`).

Several project measures of one run are computed together (`compute_many`): one GROUP BY query
over the projects of all their stages, each measure a conditional aggregate (SUM/COUNT … FILTER
(WHERE …)). A scheme names a dozen project values over the same year, and a scan of the project
table per value was most of a run's time."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from zhaoshang.activities.choices import levels_at_or_above
from zhaoshang.ledger.choices import (
    STAGE_DATE_FIELD,
    STAGE_VERIFIED_FIELD,
    CreditRole,
    Stage,
    Status,
    tag_filter_value,
)
from zhaoshang.ledger.models import Project, ProjectCredit, ProjectShare
from zhaoshang.orgs.selectors import units_grouped

from .base import DEC, ZERO, Among, KeyOf, NotAmong, Rider, Window, industry_of, sum_pairs


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


def reached_q(stage: str, w: Window, prefix: str = "", *, start: bool = True) -> Q:
    """Reached `stage` inside the window by the stage's own date (from the window's start unless
    `start` is false); under `basis = "verified"` its filing must also be 已认定 by the as-of date,
    read from the project's denormalised `<stage>_verified_on` (no join to the filings)."""
    field = f"{prefix}{STAGE_DATE_FIELD[stage]}"
    q = Q(**{f"{field}__lte": w.end})
    if start:
        q &= Q(**{f"{field}__gte": w.start})
    if w.verified:
        q &= Q(**{f"{prefix}{STAGE_VERIFIED_FIELD[stage]}__lte": w.as_of})
    return q


def unreached_q(stage: str, w: Window, before, prefix: str = "") -> Q:
    """Not (yet) at `stage` before the date `before`: no date, a date on or after it, or under
    `basis = "verified"` a filing not verified by the as-of date (an unchecked completion does not
    end a project's activity)."""
    field = f"{prefix}{STAGE_DATE_FIELD[stage]}"
    q = Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": before})
    if w.verified:
        vfield = f"{prefix}{STAGE_VERIFIED_FIELD[stage]}"
        q |= Q(**{f"{vfield}__isnull": True}) | Q(**{f"{vfield}__gt": w.as_of})
    return q


def stage_q(params: dict, w: Window, prefix: str = "") -> Q:
    """Reached one of the `stage`s inside the window (see `reached_q`)."""
    sq = Q()
    for stage in params.get("stage") or ():
        sq |= reached_q(stage, w, prefix)
    return sq


def _other_q(params: dict, w: Window, prefix: str = "") -> Q:
    """The project filters other than stage, status and size."""
    p = prefix
    q = Q()
    if sections := industry_of(params):  # 行业门类: a project 待归类 counts for no section
        q &= Q(**{f"{p}category__in": sections})
    if params.get("four_power") is not None:
        q &= Q(**{f"{p}is_four_power": params["four_power"]})
    if params.get("build_kind"):
        q &= Q(**{f"{p}build_kind__in": params["build_kind"]})
    if params.get("tags"):  # any of the listed investor tags ("|code|code|", ledger.choices.tag_filter_value)
        tq = Q()
        for code in params["tags"]:
            tq |= Q(**{f"{p}investor_tags__contains": tag_filter_value(code)})
        q &= tq
    if params.get("level"):
        q &= Q(**{f"{p}signed_at_event__level__in": levels_at_or_above(params["level"])})
    if params.get("started_by_end"):
        q &= reached_q(Stage.STARTED, w, p, start=False)
    if params.get("active_at_start"):
        q &= unreached_q(Stage.COMPLETED, w, w.start, p)
    return q


def _excluded_q(excluded: frozenset[int], column: str) -> Q:
    return Q(NotAmong(column, excluded)) if excluded else Q()


def project_q(params: dict, w: Window, excluded: frozenset[int], prefix: str = "") -> Q:
    """The filter on Project (or on a model reaching it through `prefix`) shared by project measures."""
    q = ~Q(**{f"{prefix}status": Status.TERMINATED}) & stage_q(params, w, prefix) & _other_q(params, w, prefix)
    return q & _excluded_q(excluded, f"{prefix}id")


def _size_q(params: dict, prefix: str, size_alias: str) -> Q:
    """The size test on the whole signed amount; with `uplift` on the 四力型-adjusted size, which the
    query must carry as the alias `size_alias`."""
    lo, hi = params.get("min_amount"), params.get("max_amount")
    field = size_alias if params.get("uplift") else f"{prefix}signed_amount"
    q = Q()
    if lo is not None:
        q &= Q(**{f"{field}__gte": lo})
    if hi is not None:
        q &= Q(**{f"{field}__lt": hi})
    return q


def apply_size(qs: QuerySet, params: dict, prefix: str) -> QuerySet:
    if params.get("uplift") and (params.get("min_amount") is not None or params.get("max_amount") is not None):
        qs = qs.alias(_size=_size_expr(prefix, True))
    return qs.filter(_size_q(params, prefix, "_size"))


def _no_shares():
    return ~Exists(ProjectShare.objects.filter(project_id=OuterRef("pk")))


def _project_querysets(params: dict, w: Window, excluded: frozenset[int]):
    lead = apply_size(Project.objects.filter(project_q(params, w, excluded)), params, "").filter(_no_shares())
    shared = apply_size(
        ProjectShare.objects.filter(
            project_q(params, w, frozenset(), "project__"), _excluded_q(excluded, "project_id")
        ),
        params,
        "project__",
    )
    return lead, shared


# ---------------------------------------------------------------------------------------------
# compute, several measures at once


def holder_expr(prefix: str = ""):
    """Who holds a row, over `Project LEFT JOIN ProjectShare`: the share's unit, or the introducing
    unit when the project has no shares."""
    return Coalesce(F(f"{prefix}shares__unit_id"), F(f"{prefix}lead_unit_id"))


def ratio_expr(prefix: str = ""):
    """The holder's part of the row: the share's ratio, or 1 for a project without shares."""
    return Coalesce(F(f"{prefix}shares__ratio"), Value(Decimal(1)), output_field=DEC)


NAMED_PERSON = {CreditRole.INTRODUCER: "introducer_id", CreditRole.SECRETARY: "assisting_secretary_id"}
FEW_PEOPLE = 200  # up to this many, `credited` finds their projects by index rather than by a scan


def credited(qs: QuerySet, role: str = CreditRole.INTRODUCER, people: frozenset[int] | None = None) -> QuerySet:
    """Projects with `holder` (the person) for a role, over `Project LEFT JOIN ProjectCredit` of that role:
    each credited person for their ratio (个人分成, `person_ratio_expr`), or — a project without credit rows
    of the role — the person it names (引资人 / 帮办秘书) whole. Projects naming nobody drop out.

    `people`: only the projects that can give one of them a row (they name one, or credit one), for a run
    that assesses some of a province's cadres (bozhou-2021: 1,083 of 27,623): the others' rows were grouped
    and thrown away (1.2 s of a 2.7 s pass at 2,000,000 projects). Rows of other people still come with
    those projects; the caller reads its own subjects' values."""
    if people is not None:
        names_one = Q(Among(NAMED_PERSON[role], people))
        split = ProjectCredit.objects.filter(Among("person_id", people), role=role).order_by().values("project_id")
        if len(people) <= FEW_PEOPLE:
            # A few people (a unit's leaders, on its sheet): their projects as one set of ids, found along the two
            # indexes; with the OR below PostgreSQL scanned every project for them (0.6 s at 2,000,000).
            named = Project.objects.filter(names_one).order_by().values("id")
            qs = qs.filter(id__in=named.union(split, all=True))
        else:
            # Many (bozhou-2021's 1,083 cadres): the set of ids made a worse plan than the scan it saves
            # (0.7 → 2.4 s; 23,484 people 2.1 → 18 s); the scan tests each project against both instead.
            qs = qs.filter(names_one | Q(id__in=split))
    qs = qs.alias(_credit=FilteredRelation("credits", condition=Q(credits__role=role)))
    qs = qs.annotate(holder=Coalesce(F("_credit__person_id"), F(NAMED_PERSON[role])))
    return qs.filter(holder__isnull=False)


def person_ratio_expr():
    """The person's part of a row of `credited`: the credit ratio, or 1 for the named person."""
    return Coalesce(F("_credit__ratio"), Value(Decimal(1)), output_field=DEC)


def person_project_ids(qs: QuerySet, role: str, person_id: int) -> list[int]:
    """The projects of `qs` whose `role` credit the person holds (in part or whole)."""
    split = Exists(ProjectCredit.objects.filter(project_id=OuterRef("pk"), role=role))
    rows = qs.filter(Q(Exists(ProjectCredit.objects.filter(project_id=OuterRef("pk"), role=role,
                                                            person_id=person_id)))
                     | (Q(**{NAMED_PERSON[role]: person_id}) & ~split))
    return sorted(rows.values_list("id", flat=True))


def _conditional(kind: str, params: dict, w: Window, side: str, own_stage: bool):
    """The aggregate of one measure inside a batch (side: unit | person). With `own_stage` its stage
    window is part of its FILTER, the WHERE being the union of the batch's windows."""
    cond = _other_q(params, w) & _size_q(params, "", "_size")
    if own_stage:
        cond = stage_q(params, w) & cond
    filt = cond if cond else None
    ratio = ratio_expr() if side == "unit" else person_ratio_expr()
    if kind == "count":
        if params.get("weighted", True):
            return Sum(ratio, filter=filt, output_field=DEC)
        return Count("id", filter=filt)
    amount = ExpressionWrapper(_amount_expr("", params.get("basis", "signed")) * ratio, output_field=DEC)
    return Sum(amount, filter=filt, output_field=DEC)


def compute_many(
    reqs: list[tuple[str, dict]],
    w: Window,
    subject_type: str,
    excluded: frozenset[int],
    rider: Rider | None = None,
    role: str = CreditRole.INTRODUCER,
    people: frozenset[int] | None = None,
) -> list[dict]:
    """`reqs`: (measure name, params) of project_amount / project_count; their values, in order.

    All of them in one query: the WHERE keeps the projects reaching any of their stages in the
    window, and each measure is an aggregate with its own FILTER. Only 签约日期 is indexed, so a
    measure over another stage scans the project table anyway, and one scan for all is cheapest.
    For units the projects are LEFT JOINed to their shares and grouped by holder (share unit, else
    introducing unit), rather than one query for unshared projects (NOT EXISTS per row) and one
    for shares: a single pass, and SQLite no longer walks the lead-unit index row by row to group.
    Huaiyin's four stages at 100,000 projects on SQLite: 0.65 s in four query pairs, 0.06 s so.

    A run's `rider` (申报与认定's signed amounts, `Rider`) is read in the same pass: its rows join the
    WHERE and its aggregates the SELECT. At 2,000,000 projects that saved a pass of 1.5–2.5 s.
    For people, `role` names whose credit is counted: the 引资人's, or the 帮办秘书's (`people` module), and
    `people` the run's subjects (`credited`)."""
    # A person pass counts the 引资人's credit; a rider (申报与认定) reads it, not the 帮办秘书's.
    rider = rider if reqs and (subject_type == "unit" or role == CreditRole.INTRODUCER) else None
    if not reqs:
        return []
    stage_sets = {tuple(sorted(p.get("stage") or ())) for _, p in reqs}
    own_stage = len(stage_sets) > 1 or rider is not None
    rows_q = stage_q({"stage": tuple(sorted({s for ss in stage_sets for s in ss}))}, w)
    if rider is not None:
        rows_q |= rider.where
    where = ~Q(status=Status.TERMINATED) & rows_q & _excluded_q(excluded, "id")
    kinds = [("count" if name == "project_count" else "amount", p) for name, p in reqs]
    names = [f"v{i}" for i in range(len(reqs))]
    if subject_type == "person":
        qs, side = credited(Project.objects.filter(where), role, people), "person"
    else:
        qs, side = Project.objects.filter(where).annotate(holder=holder_expr()), "unit"
    if any(p.get("uplift") for _, p in reqs):
        qs = qs.alias(_size=_size_expr("", True))
    aggs = {n: _conditional(k, p, w, side, own_stage) for n, (k, p) in zip(names, kinds, strict=True)}
    if rider is not None:
        aggs |= {f"r_{k}": agg for k, agg in rider.aggs.items()}
    rows = list(qs.order_by().values("holder").annotate(**aggs).values_list("holder", *aggs))
    if rider is not None:
        rider.rows = [(r[0], *r[len(names) + 1:]) for r in rows]
    out = []
    for i, (kind, _) in enumerate(kinds):
        # A COUNT over no matching row is 0 where a query of its own would have had no row: drop it,
        # so a measure returns the same alone or in company.
        out.append(sum_pairs((r[0], r[i + 1]) for r in rows if not (kind == "count" and r[i + 1] == 0)))
    return out


def project_compute(kind: str):
    name = "project_count" if kind == "count" else "project_amount"

    def compute(params: dict, w: Window, subject_type: str, excluded: frozenset[int]) -> dict[int, Decimal]:
        return compute_many([(name, params)], w, subject_type, excluded)[0]

    return compute


def project_rows(params: dict, w: Window, subject_type: str, subject_id: int, excluded: frozenset[int]):
    if subject_type == "person":
        qs = apply_size(Project.objects.filter(project_q(params, w, excluded)), params, "")
        return {"projects": person_project_ids(qs, CreditRole.INTRODUCER, subject_id)}
    lead, shared = _project_querysets(params, w, excluded)
    ids = set(lead.filter(lead_unit_id=subject_id).values_list("id", flat=True))
    ids |= set(shared.filter(unit_id=subject_id).values_list("project_id", flat=True))
    return {"projects": sorted(ids)}


# ---------------------------------------------------------------------------------------------
# Conflicts


def conflicting_projects(groups: list[str], w: Window, grouping: str = "") -> list[dict]:
    """Projects held at once by units of two or more of `groups` (e.g. a 市直部门 and a 区): 不得相互抵顶.
    A unit's group is read under the scheme's `grouping` (分组口径; without a group there, its own 考核组别).
    A holder is the introducing unit or a share unit; only a project with shares can have two, so one
    GROUP BY over the shares finds them. Only projects signed by the end of the window matter.

    The database decides which projects conflict: each group is a small number (`KeyOf`, the units'
    ids written into the SQL), and a project conflicts when its share units' numbers differ or its
    introducing unit's number lies outside them. At 2,000,000 projects this replaced reading every
    share of the groups' units into Python (250,000 rows, 6.8 s of which 4.3 s the query: the groups
    came as a subquery that PostgreSQL evaluated once per share row)."""
    rows_of_units = list(units_grouped(grouping).filter(resolved_group__in=groups)
                         .values_list("id", "resolved_group", "code", "name"))
    group_of: dict[int, str] = {uid: g for uid, g, _, _ in rows_of_units}
    names = sorted(set(group_of.values()))
    if len(names) < 2:
        return []
    # One entry per unit, shared by the conflicts it holds (tens of thousands of them at province scale).
    entry = {uid: {"code": code, "name": name, "group": g} for uid, g, code, name in rows_of_units}
    code_of = {uid: code for uid, _, code, _ in rows_of_units}
    sets = [[uid for uid, g in group_of.items() if g == name] for name in names]
    share_key, lead_key = KeyOf("unit_id", sets), KeyOf("project__lead_unit_id", sets)
    held = ProjectShare.objects.filter(Among("unit_id", group_of), project__signed_on__lte=w.end).exclude(
        project__status=Status.TERMINATED
    )
    found = list(
        held.order_by()
        .values("project_id", "project__lead_unit_id", "project__code", "project__name")
        .annotate(lo=Min(share_key), hi=Max(share_key), lead=Max(lead_key))
        .filter(Q(lo__lt=F("hi")) | Q(lead__lt=F("lo")) | Q(lead__gt=F("hi")))
        .values_list("project_id", "project__lead_unit_id", "project__code", "project__name")
    )
    if not found:
        return []
    # The conflicting projects' share units of the groups (their ids written into the SQL: thousands).
    held_by: dict[int, set[int]] = defaultdict(set)
    for pid, uid in ProjectShare.objects.filter(Among("unit_id", group_of), Among("project_id", [r[0] for r in found])
                                                 ).order_by().values_list("project_id", "unit_id"):
        held_by[pid].add(uid)
    out = []
    for pid, lead, code, name in sorted(found, key=lambda r: r[2]):
        hs = held_by[pid]
        if lead in group_of:
            hs.add(lead)
        held_units = [entry[u] for u in sorted(hs, key=code_of.__getitem__)]
        holders = "、".join(u["name"] for u in held_units)
        out.append(
            {
                "project": {"id": pid, "code": code, "name": name},
                "units": held_units,
                "message": f"项目“{name}”同时计入{holders}，不得相互抵顶，在核实前均不计入",
            }
        )
    return out
