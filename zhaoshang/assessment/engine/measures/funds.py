"""Measures over funds in place (到位资金): arrivals dated in the window, per unit (the introducing
unit, or each share unit for its ratio) or per person (the project's 引资人, or each person of its 引资人
split for their ratio). Under `basis = "verified"` only arrivals 已认定 on or before the as-of date count."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Exists, ExpressionWrapper, F, FilteredRelation, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce

from zhaoshang.ledger.choices import CreditRole, Stage, Status, Verification
from zhaoshang.ledger.models import FundArrival, ProjectCredit, ProjectShare

from .base import DEC, NotAmong, Rider, industry_of, sum_pairs
from .projects import holder_expr, ratio_expr, reached_q, unreached_q


def arrivals_q(w, arrival: str = "", project: str = "project__") -> Q:
    """The arrivals every fund measure reads from: dated in the window, of a project not 终止."""
    return Q(**{f"{arrival}date__gte": w.start, f"{arrival}date__lte": w.end}) & ~Q(
        **{f"{project}status": Status.TERMINATED}
    )


def _measure_q(params: dict, w, arrival: str = "", project: str = "project__") -> Q:
    """What a fund measure asks of an arrival beyond `arrivals_q`: its basis, kind and project filters."""
    a, p = arrival, project
    q = Q()
    if w.verified:
        # 已认定 by the as-of date: a later verification does not reach back into this run.
        q &= Q(**{f"{a}verification": Verification.VERIFIED, f"{a}verified_on__lte": w.as_of})
    if params.get("kind"):
        q &= Q(**{f"{a}kind": params["kind"]})
    if params.get("started_by_end"):
        q &= reached_q(Stage.STARTED, w, p, start=False)
    if params.get("active_at_start"):
        q &= unreached_q(Stage.COMPLETED, w, w.start, p)
    if sections := industry_of(params):  # the funds of projects of these 行业门类
        q &= Q(**{f"{p}category__in": sections})
    return q


def _fund_q(params: dict, w, arrival: str = "", project: str = "project__") -> Q:
    """Arrivals in the window: `arrival` reaches the arrival, `project` its project. From a share they
    differ ("project__fund_arrivals__", "project__"): a project condition written through the
    arrivals would be a multi-valued path, and Django turns its negation (not 终止) into a correlated
    NOT EXISTS per arrival, which was half the query's time."""
    return arrivals_q(w, arrival, project) & _measure_q(params, w, arrival, project)


def _excluded(excluded: frozenset[int]) -> Q:
    # On a column of the model itself (the arrival's or the share's project_id, equal through the
    # join), so no second join to the arrivals is made.
    return Q(NotAmong("project_id", excluded)) if excluded else Q()


def _fund_querysets(params, w, excluded):
    lead = FundArrival.objects.filter(_fund_q(params, w), _excluded(excluded)).filter(
        ~Exists(ProjectShare.objects.filter(project_id=OuterRef("project_id")))
    )
    # One filter() call, so the annotation below reuses the same join to the arrivals.
    shared = ProjectShare.objects.filter(
        _fund_q(params, w, "project__fund_arrivals__", "project__"), _excluded(excluded)
    )
    return lead, shared


def fund_compute(params, w, subject_type, excluded):
    if subject_type == "person":
        # The 引资人, or each person of the project's 引资人 split (个人分成) for their ratio.
        qs = FundArrival.objects.filter(_fund_q(params, w), _excluded(excluded)).alias(
            _credit=FilteredRelation("project__credits", condition=Q(project__credits__role=CreditRole.INTRODUCER)))
        qs = qs.annotate(holder=Coalesce(F("_credit__person_id"), F("project__introducer_id"))).filter(
            holder__isnull=False)
        ratio = Coalesce(F("_credit__ratio"), Value(Decimal(1)), output_field=DEC)
        amount = ExpressionWrapper(F("amount") * ratio, output_field=DEC)
        return sum_pairs(
            qs.order_by().values("holder").annotate(v=Sum(amount, output_field=DEC)).values_list("holder", "v")
        )
    # One pass over the window's arrivals, LEFT JOINed to their project's shares and grouped by holder
    # (see projects.compute_many): 0.22 s where an unshared query and a shared one took 0.31 s.
    qs = FundArrival.objects.filter(_fund_q(params, w), _excluded(excluded)).annotate(holder=holder_expr("project__"))
    amount = ExpressionWrapper(F("amount") * ratio_expr("project__"), output_field=DEC)
    return sum_pairs(
        qs.order_by().values("holder").annotate(v=Sum(amount, output_field=DEC)).values_list("holder", "v")
    )


def compute_many(reqs: list[tuple[str, dict]], w, subject_type, excluded, rider: Rider | None = None) -> list[dict]:
    """fund_amount for each (name, params) of `reqs`, in order. For units, one pass over the window's
    arrivals (`arrivals_q`) for all of them, each measure an aggregate with its own FILTER, and with the
    run's `rider` (申报与认定's funds in place, which read exactly those arrivals) in the same SELECT: at
    2,000,000 projects a pass over the arrivals joined to the projects is 2–3 s. A rider reading other
    rows is left to query on its own."""
    if rider is not None and (subject_type != "unit" or rider.where != arrivals_q(w)):
        rider = None
    if subject_type != "unit" or (len(reqs) == 1 and rider is None):
        return [fund_compute(params, w, subject_type, excluded) for _, params in reqs]
    qs = FundArrival.objects.filter(arrivals_q(w), _excluded(excluded)).annotate(holder=holder_expr("project__"))
    amount = ExpressionWrapper(F("amount") * ratio_expr("project__"), output_field=DEC)
    aggs = {f"v{i}": Sum(amount, filter=_measure_q(params, w) or None, output_field=DEC)
            for i, (_, params) in enumerate(reqs)}
    if rider is not None:
        aggs |= {f"r_{k}": agg for k, agg in rider.aggs.items()}
    rows = list(qs.order_by().values("holder").annotate(**aggs).values_list("holder", *aggs))
    if rider is not None:
        rider.rows = [(r[0], *r[len(reqs) + 1:]) for r in rows]
    return [sum_pairs((r[0], r[i + 1]) for r in rows) for i in range(len(reqs))]


def fund_rows(params, w, subject_type, subject_id, excluded):
    if subject_type == "person":
        split = Exists(ProjectCredit.objects.filter(project_id=OuterRef("project_id"), role=CreditRole.INTRODUCER))
        mine = Exists(ProjectCredit.objects.filter(project_id=OuterRef("project_id"), role=CreditRole.INTRODUCER,
                                                   person_id=subject_id))
        qs = FundArrival.objects.filter(_fund_q(params, w), _excluded(excluded)).filter(
            Q(mine) | (Q(project__introducer_id=subject_id) & ~split))
        pairs = list(qs.values_list("id", "project_id"))
    else:
        lead, _ = _fund_querysets(params, w, excluded)
        pairs = list(lead.filter(project__lead_unit_id=subject_id).values_list("id", "project_id"))
        pairs += list(
            FundArrival.objects.filter(
                _fund_q(params, w), _excluded(excluded), project__shares__unit_id=subject_id
            ).values_list("id", "project_id")
        )
    return {"funds": sorted({a for a, _ in pairs}), "projects": sorted({b for _, b in pairs})}
