"""Measures over the integrity checks: spot-check findings (抽查复核不属实) against the district whose
assessment office passed or verified the fact (分级考核)."""

from __future__ import annotations

from decimal import Decimal

from zhaoshang.integrity.models import SpotCheckItem, SpotCheckResult
from zhaoshang.integrity.selectors.spotchecks import findings_count


def _findings(w, unit_id=None):
    qs = SpotCheckItem.objects.filter(result=SpotCheckResult.INACCURATE, checked_on__gte=w.start,
                                      checked_on__lte=w.end)
    return qs if unit_id is None else qs.filter(unit_id=unit_id)


def findings_compute(params, w, subject_type, excluded):
    """不属实 findings per district unit, by the date of the result (not of the fact)."""
    return {unit_id: Decimal(n) for unit_id, n in findings_count(w.start, w.end).items()}


def findings_rows(params, w, subject_type, subject_id, excluded):
    pairs = list(_findings(w, subject_id).values_list("stage_record__project_id", "fund_arrival__project_id"))
    return {"projects": sorted({a or b for a, b in pairs if a or b})}
