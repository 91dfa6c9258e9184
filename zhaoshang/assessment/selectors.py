"""Reads for the assessment pages and API, scoped to the user: assessors, admins and leaders see
every run and every subject; unit users see published runs only, and only their own units' rows."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from zhaoshang.orgs.models import Person, Unit, User
from zhaoshang.orgs.scope import visible_unit_ids

from .engine.scheme import load_preset, preset_keys
from .models import AssessmentRun, ManualScore
from .models import Scheme as SchemeRow


def scheme_catalogue() -> list[dict]:
    """Presets and stored schemes (latest version of each key)."""
    rows = []
    for key in preset_keys():
        s = load_preset(key)
        rows.append({"key": key, "name": s.name, "version": s.version, "preset": True, "sha256": s.sha256})
    seen = set()
    for row in SchemeRow.objects.order_by("key", "-version"):
        if row.key in seen:
            continue
        seen.add(row.key)
        rows.append(
            {
                "key": row.key,
                "name": row.name,
                "version": row.version,
                "preset": False,
                "sha256": row.sha256,
                "row": row,
            }
        )
    return rows


def run_list(*, user: User) -> QuerySet[AssessmentRun]:
    qs = AssessmentRun.objects.defer("results", "scheme_text")
    if visible_unit_ids(user) is None:
        return qs
    return qs.filter(published=True)


def run_get(*, user: User, pk: int) -> AssessmentRun:
    run = run_list(user=user).defer(None).filter(pk=pk).first()
    if run is None:
        raise Http404("考核结果不存在或无权查看")
    return run


def visible_results(*, user: User, run: AssessmentRun) -> list[dict]:
    results = run.results.get("results", [])
    ids = visible_unit_ids(user)
    if ids is None:
        return results
    if results and results[0]["subject"]["type"] == "person":
        person_ids = {r["subject"]["id"] for r in results}
        allowed = set(Person.objects.filter(id__in=person_ids, unit_id__in=ids).values_list("id", flat=True))
    else:
        allowed = ids
    return [r for r in results if r["subject"]["id"] in allowed]


def visible_conflicts(*, user: User, run: AssessmentRun) -> list[dict]:
    """The run's left-out projects the user may read about: all for the city; for a unit's user, those counted
    for one of its units (another unit's project names are not theirs to see)."""
    conflicts = run.results.get("conflicts", [])
    ids = visible_unit_ids(user)
    if ids is None:
        return conflicts
    codes = set(Unit.objects.filter(id__in=ids).values_list("code", flat=True))
    return [c for c in conflicts if any(u.get("code") in codes for u in c.get("units", []))]


def result_get(*, user: User, run: AssessmentRun, subject_id: int) -> dict:
    for r in visible_results(user=user, run=run):
        if r["subject"]["id"] == subject_id:
            return r
    raise Http404("该考核对象不存在或无权查看")


def manual_scores(*, scheme_key: str, period: str) -> QuerySet[ManualScore]:
    return ManualScore.objects.filter(scheme_key=scheme_key, period=period).select_related(
        "unit", "person", "entered_by"
    )
