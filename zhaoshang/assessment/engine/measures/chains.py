"""Measures over the chains' pipeline (issue 14, zhaoshang.chains.pipeline): the median days from first
contact to 签约 or 开工 of a unit's projects reaching that stage in the window (the introducing unit), and
the conversion rate of the targets a unit follows (first contacted in the window, signed by its end)."""

from __future__ import annotations

from decimal import Decimal

from zhaoshang.chains.models import TargetEnterprise
from zhaoshang.chains.pipeline import pipelines
from zhaoshang.ledger.models import Project

from .base import Window

STEP_FIELD = {"sign": "signed_on", "start": "started_on"}


def _projects(step: str, w: Window, excluded, unit_id=None):
    field = STEP_FIELD[step]
    qs = Project.objects.filter(**{f"{field}__gte": w.start, f"{field}__lte": w.end}).exclude(status="terminated")
    if excluded:
        qs = qs.exclude(id__in=excluded)
    return qs if unit_id is None else qs.filter(lead_unit_id=unit_id)


def median_compute(step: str):
    def compute(params, w: Window, subject_type, excluded):
        out = {}
        groups = pipelines("unit", projects=_projects(step, w, excluded), targets=TargetEnterprise.objects.none(),
                           as_of=w.end)
        for key, group in groups.items():
            median = group.median(step)
            if median is not None:
                out[key] = median
        return out

    return compute


def median_rows(step: str):
    def rows(params, w: Window, subject_type, subject_id, excluded):
        return {"projects": sorted(_projects(step, w, excluded, subject_id).values_list("id", flat=True))}

    return rows


def _targets(w: Window, unit_id=None):
    qs = TargetEnterprise.objects.filter(first_contact_on__gte=w.start, first_contact_on__lte=w.end)
    return qs if unit_id is None else qs.filter(following_unit_id=unit_id)


def conversion_compute(params, w: Window, subject_type, excluded):
    """Per following unit: signed ÷ contacted, as a percentage (62.5 for 5 of 8)."""
    out = {}
    for key, group in pipelines("office", projects=Project.objects.none(), targets=_targets(w), as_of=w.end).items():
        if group.conversion_rate is not None:
            out[key] = (group.conversion_rate * 100).quantize(Decimal("0.01"))
    return out


def conversion_rows(params, w: Window, subject_type, subject_id, excluded):
    ids = _targets(w, subject_id).exclude(project=None).values_list("project_id", flat=True)
    return {"projects": sorted(ids)}
