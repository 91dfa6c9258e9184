"""申报与认定: for every subject of a run, the main values both ways — signed amount and funds in place
as filed (申报) and as verified by the as-of date (认定) — and the count of its facts still waiting
(待核实 or 初审通过), so a unit sees what has not been checked yet whatever the scheme's basis.

Cheap by design: three GROUP BY queries over the window (projects signed, fund arrivals, stage
filings), each with conditional aggregates, not a second run. Holders follow the measures: a unit
holds a project whole or by its share ratio (amounts weighted, facts counted once per holder); a
person holds the projects they introduced. The projects a run leaves out (conflicts, flags) are
left out here too, so 认定 equals the run's own signed amount under `basis = "verified"`."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, ExpressionWrapper, F, Q, Sum

from zhaoshang.core.money import quantize
from zhaoshang.ledger.choices import CreditRole, Status, Verification
from zhaoshang.ledger.models import FundArrival, Project, ProjectCredit, StageRecord

from .measures.base import DEC, ZERO, Among, NotAmong, Rider, Window
from .measures.funds import arrivals_q
from .measures.projects import holder_expr, ratio_expr

WAITING = (Verification.PENDING, Verification.PRELIMINARY)
KEYS = ("signed_filed", "signed_verified", "funds_filed", "funds_verified", "waiting")


def _waiting_q(w: Window, prefix: str = "") -> Q:
    """Not decided by the as-of date: 待核实 or 初审通过, or 已认定 only after the as-of date."""
    return Q(**{f"{prefix}verification__in": WAITING}) | Q(
        **{f"{prefix}verification": Verification.VERIFIED, f"{prefix}verified_on__gt": w.as_of}
    )


def _grouped(qs, subject_type: str, prefix: str, only: set[int] | None = None, **aggs) -> list[tuple]:
    """`qs` grouped by holder with `aggs`; amounts (callables of the ratio expression) weighted by
    the unit's share. People are read only among `only`, when given: a scheme that assesses one group's
    cadres (bozhou-2021: 1,083 of a province's 27,623) reads their projects' funds along the introducer's
    index instead of every fund arrival of the year (4.1 s at 2,000,000 projects)."""
    if subject_type == "person":
        qs = qs.filter(Among(f"{prefix}introducer_id", only) if only is not None
                       else Q(**{f"{prefix}introducer__isnull": False}))
        qs = qs.annotate(holder=F(f"{prefix}introducer_id"))
        ratio = None
    else:
        qs = qs.annotate(holder=holder_expr(prefix))
        ratio = ratio_expr(prefix)
    built = {k: make(ratio) for k, make in aggs.items()}
    return list(qs.order_by().values("holder").annotate(**built).values_list("holder", *built))


def _sum(field: str, cond: Q | None = None):
    def make(ratio):
        amount = F(field) if ratio is None else ExpressionWrapper(F(field) * ratio, output_field=DEC)
        return Sum(amount, filter=cond, output_field=DEC)

    return make


def _count(cond: Q | None = None):
    return lambda ratio: Count("id", filter=cond)


def _signed_where(w: Window) -> Q:
    return Q(signed_on__gte=w.start, signed_on__lte=w.end)


def riders(w: Window, subject_type: str) -> dict[str, Rider]:
    """The signed amounts and the funds in place, to be read by the run's own passes over the projects
    and the arrivals (`measures.compute_many`) rather than by passes of their own: each is 1–3 s at
    2,000,000 projects. A person holds a project's facts as its 引资人, whole, where the person pass
    follows the 引资人 split (`projects.credited`): the pass gives the facts of the projects without a
    split (there the holder is the 引资人), and `filed_and_verified` adds those with one by a query
    driven from the splits (few projects have one). A person run's funds have no pass to ride on."""
    signed = _signed_where(w)
    verified = Q(signed_verified_on__lte=w.as_of)
    if subject_type != "unit":
        whole = signed & Q(_credit__person_id__isnull=True)  # the project's one row of the LEFT JOIN
        return {"projects": Rider(signed, {
            "filed": _sum("signed_amount", whole)(None),
            "verified": _sum("signed_amount", whole & verified)(None),
        })}
    ratio = ratio_expr()
    fund_ratio = ratio_expr("project__")
    return {
        "projects": Rider(signed, {
            "filed": _sum("signed_amount", signed)(ratio),
            "verified": _sum("signed_amount", signed & verified)(ratio),
        }),
        "funds": Rider(arrivals_q(w), {
            "filed": _sum("amount")(fund_ratio),
            "verified": _sum("amount", _verified_q(w))(fund_ratio),
            "waiting": _count(_waiting_q(w))(fund_ratio),
        }),
    }


def _verified_q(w: Window) -> Q:
    return Q(verification=Verification.VERIFIED, verified_on__lte=w.as_of)


def filed_and_verified(
    w: Window,
    subject_type: str,
    subject_ids: set[int] | None = None,
    excluded: frozenset[int] = frozenset(),
    ridden: dict[str, Rider] | None = None,
) -> dict[int, dict[str, Decimal | int]]:
    """Per subject id: signed_filed, signed_verified, funds_filed, funds_verified (万元) and waiting
    (facts dated in the window not yet verified). Subjects without any have no entry. `ridden`: the
    `riders` after the run's passes; those a pass took are not queried again."""
    out: dict[int, dict] = {}
    ridden = ridden or {}

    def add(holder, key, v):
        if holder is None or v is None or (subject_ids is not None and holder not in subject_ids):
            return
        row = out.setdefault(holder, {"signed_filed": ZERO, "signed_verified": ZERO, "funds_filed": ZERO,
                                      "funds_verified": ZERO, "waiting": 0})
        row[key] += v

    def read(name: str, query, split=None) -> list[tuple]:
        # A pass that carried the rider also has rows for holders of its measures only: their `filed`
        # is NULL (no row of the facts' own), and a query of the facts alone would have had no row.
        rider = ridden.get(name)
        if rider is None or rider.rows is None:
            return query()
        return [r for r in rider.rows if r[1] is not None] + (split() if split else [])

    not_excluded = Q(NotAmong("id", excluded)) if excluded else Q()
    projects = Project.objects.filter(~Q(status=Status.TERMINATED), not_excluded, _signed_where(w))
    signed_aggs = {"filed": _sum("signed_amount"),
                   "verified": _sum("signed_amount", Q(signed_verified_on__lte=w.as_of))}
    # A person pass gave the projects without a 引资人 split; those with one are read from the splits.
    split_signed = None if subject_type == "unit" else lambda: _grouped(
        projects.filter(id__in=ProjectCredit.objects.filter(role=CreditRole.INTRODUCER).values("project_id")),
        subject_type, "", subject_ids, **signed_aggs)
    for holder, filed, verified in read("projects", lambda: _grouped(projects, subject_type, "", subject_ids,
                                                                     **signed_aggs), split_signed):
        add(holder, "signed_filed", filed)
        add(holder, "signed_verified", verified)

    arrivals_excluded = Q(NotAmong("project_id", excluded)) if excluded else Q()
    arrivals = FundArrival.objects.filter(arrivals_q(w), arrivals_excluded)
    for holder, filed, verified, waiting in read("funds", lambda: _grouped(
        arrivals, subject_type, "project__", subject_ids,
        filed=_sum("amount"), verified=_sum("amount", _verified_q(w)), waiting=_count(_waiting_q(w)),
    )):
        add(holder, "funds_filed", filed)
        add(holder, "funds_verified", verified)
        add(holder, "waiting", waiting)

    filings = StageRecord.objects.filter(
        ~Q(project__status=Status.TERMINATED), arrivals_excluded, _waiting_q(w), date__gte=w.start, date__lte=w.end
    )
    # Not narrowed to the subjects: the filings still waiting are few and found along their own index, and
    # narrowed the planner joined them to a scan of the projects (0.06 → 1.3 s for 23,484 people).
    for holder, waiting in _grouped(filings, subject_type, "project__", waiting=_count()):
        add(holder, "waiting", waiting)
    return out


def facts_json(values: dict[str, Decimal | int] | None) -> dict:
    """As stored in a run's results: amounts as text (exact), the count as a number."""
    v = values or {}

    def amount(key: str) -> str:
        return str(quantize(Decimal(v.get(key, ZERO)), 4))

    return {
        "signed": {"filed": amount("signed_filed"), "verified": amount("signed_verified")},
        "funds": {"filed": amount("funds_filed"), "verified": amount("funds_verified")},
        "waiting": int(v.get("waiting", 0)),
    }
