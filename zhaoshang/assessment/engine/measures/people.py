"""Measures of the people who serve projects: the 帮办秘书 (Huaiyin 001 credits "帮办服务单位及帮办秘书"
beside "引资单位及引资人", and a scheme may score 帮办 service on its own).

A project's 帮办秘书 credit is held by the people of its 帮办秘书 split (`ProjectCredit`, role
secretary), each for their ratio, or — without a split — by the project's `assisting_secretary` whole
(see `projects.credited`). The projects are those reaching `stage` in the window, with the same filters
as the 引资人 measures (size, 行业门类, 四力型 …); a project 终止 never counts.

    secretary_projects = Σ ratio over the projects served (weighted = false: 1 per project)
    secretary_amount   = Σ amount × ratio (basis: signed | planned | planned_or_signed | foreign)
"""

from __future__ import annotations

from django.db.models import Count, ExpressionWrapper, Sum

from zhaoshang.ledger.choices import CreditRole
from zhaoshang.ledger.models import Project

from .base import DEC, sum_pairs
from .projects import (
    _amount_expr,
    apply_size,
    compute_many,
    credited,
    person_project_ids,
    person_ratio_expr,
    project_q,
)


def _served(params: dict, w, excluded: frozenset[int]):
    return apply_size(credited(Project.objects.filter(project_q(params, w, excluded)), CreditRole.SECRETARY),
                      params, "")


def secretary_compute(kind: str):
    """secretary_projects (kind "count") or secretary_amount (kind "amount"), per person."""

    def compute(params: dict, w, subject_type: str, excluded: frozenset[int]):
        if subject_type != "person":
            return {}
        if kind == "count":
            agg = (Sum(person_ratio_expr(), output_field=DEC) if params.get("weighted", True)
                   else Count("id"))
        else:
            amount = _amount_expr("", params.get("basis", "signed"))
            agg = Sum(ExpressionWrapper(amount * person_ratio_expr(), output_field=DEC), output_field=DEC)
        rows = _served(params, w, excluded).order_by().values("holder").annotate(v=agg).values_list("holder", "v")
        return sum_pairs(rows)

    return compute


def secretary_many(reqs: list[tuple[str, dict]], w, subject_type: str, excluded: frozenset[int],
                   people: frozenset[int] | None = None) -> list[dict]:
    """Several secretary measures in one pass (`projects.compute_many` over the 帮办秘书 credits), as the
    引资人 measures are: a pass over the projects is 0.5–0.9 s at 2,000,000."""
    if subject_type != "person":
        return [{} for _ in reqs]
    as_project = [("project_count" if name == "secretary_projects" else "project_amount", p) for name, p in reqs]
    return compute_many(as_project, w, subject_type, excluded, role=CreditRole.SECRETARY, people=people)


def secretary_rows(params: dict, w, subject_type: str, subject_id: int, excluded: frozenset[int]):
    qs = apply_size(Project.objects.filter(project_q(params, w, excluded)), params, "")
    return {"projects": person_project_ids(qs, CreditRole.SECRETARY, subject_id)}
