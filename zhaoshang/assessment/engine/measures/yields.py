"""Measures over what producing projects yield (产出质效, ledger `ProjectYield`): the tax and output of the
run's year, per unit or per person (the 引资人), their per-亩 figures and their growth on the year before.

- a yield counts for the year of the run's period (`Window.year`); under `basis = "verified"` only a
  yield 已认定 on or before the as-of date counts;
- a unit holds a project's output (and land) by its share ratio and the project's tax by its tax ratio
  (`ProjectShare.tax_ratio`, Bozhou's 共享机制: "企业投产后形成的税收……双方共享"), which is the share
  ratio unless the places agreed another; a project without shares is held whole by its introducing unit;
- projects with status 终止 do not count; ``industry`` limits the 行业门类;
- ``per_mu = true``: the sum over the yields that give their land, divided by that land (万元/亩);
- ``growth = true``: (this year − last year) ÷ last year, as a ratio (0 when last year had none).
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import Coalesce

from zhaoshang.ledger.choices import Status, Verification
from zhaoshang.ledger.models import ProjectYield

from .base import DEC, ZERO, MeasureDef, NotAmong, _bool, industry_of, sum_pairs
from .projects import holder_expr, ratio_expr

PARAMS = {"per_mu": _bool, "growth": _bool}
ONE = Decimal(1)


def tax_ratio_expr(prefix: str = ""):
    """The holder's part of a project's tax: its tax ratio, else its share ratio, else 1 (no shares)."""
    return Coalesce(F(f"{prefix}shares__tax_ratio"), F(f"{prefix}shares__ratio"), Value(ONE), output_field=DEC)


def _yield_q(params: dict, w, year: int, excluded: frozenset[int]) -> Q:
    q = Q(year=year) & ~Q(project__status=Status.TERMINATED)
    if w.verified:
        q &= Q(verification=Verification.VERIFIED, verified_on__lte=w.as_of)
    if sections := industry_of(params):
        q &= Q(project__category__in=sections)
    if excluded:
        q &= Q(NotAmong("project_id", excluded))
    return q


def _sums(field: str, params: dict, w, subject_type: str, year: int, excluded, *, land: bool = False) -> dict:
    """Σ field (× the holder's part) per subject; with `land` only yields giving their land count."""
    q = _yield_q(params, w, year, excluded) & Q(**{f"{field}__isnull": False})
    if land:
        q &= Q(land_mu__gt=0)
    qs = ProjectYield.objects.filter(q)
    if subject_type == "person":
        return sum_pairs(qs.filter(project__introducer__isnull=False).order_by().values("project__introducer_id")
                         .annotate(v=Sum(field, output_field=DEC)).values_list("project__introducer_id", "v"))
    part = tax_ratio_expr("project__") if field == "tax" else ratio_expr("project__")
    value = ExpressionWrapper(F(field) * part, output_field=DEC)
    return sum_pairs(qs.annotate(holder=holder_expr("project__")).order_by().values("holder")
                     .annotate(v=Sum(value, output_field=DEC)).values_list("holder", "v"))


def _land(field: str, params, w, subject_type, year, excluded) -> dict:
    """The land (亩) of the yields that give `field` and land, held by the share ratio."""
    q = _yield_q(params, w, year, excluded) & Q(**{f"{field}__isnull": False}) & Q(land_mu__gt=0)
    qs = ProjectYield.objects.filter(q)
    if subject_type == "person":
        return sum_pairs(qs.filter(project__introducer__isnull=False).order_by().values("project__introducer_id")
                         .annotate(v=Sum("land_mu", output_field=DEC)).values_list("project__introducer_id", "v"))
    value = ExpressionWrapper(F("land_mu") * ratio_expr("project__"), output_field=DEC)
    return sum_pairs(qs.annotate(holder=holder_expr("project__")).order_by().values("holder")
                     .annotate(v=Sum(value, output_field=DEC)).values_list("holder", "v"))


def _value(field: str, params, w, subject_type, year, excluded) -> dict:
    if params.get("per_mu"):
        num = _sums(field, params, w, subject_type, year, excluded, land=True)
        land = _land(field, params, w, subject_type, year, excluded)
        return {k: num.get(k, ZERO) / v for k, v in land.items() if v}
    return _sums(field, params, w, subject_type, year, excluded)


def yield_compute(field: str):
    def compute(params, w, subject_type, excluded):
        current = _value(field, params, w, subject_type, w.year, excluded)
        if not params.get("growth"):
            return current
        last = _value(field, params, w, subject_type, w.year - 1, excluded)
        return {k: (current.get(k, ZERO) - v) / v for k, v in last.items() if v}

    return compute


def yield_rows(params, w, subject_type, subject_id, excluded):
    years = [w.year, w.year - 1] if params.get("growth") else [w.year]
    q = Q()
    for year in years:
        q |= _yield_q(params, w, year, excluded)
    qs = ProjectYield.objects.filter(q)
    if subject_type == "person":
        qs = qs.filter(project__introducer_id=subject_id)
    else:
        qs = qs.filter(Q(project__shares__unit_id=subject_id)
                       | Q(project__lead_unit_id=subject_id, project__shares__isnull=True))
    return {"projects": sorted(set(qs.values_list("project_id", flat=True)))}


class YieldMeasureDef(MeasureDef):
    """A yield measure reads as money, or as a ratio (%) with ``growth``."""

    def display_for(self, params: dict) -> str:
        return "ratio" if params.get("growth") else super().display_for(params)
