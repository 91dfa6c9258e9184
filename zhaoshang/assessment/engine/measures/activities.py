"""Measures over the activities behind the ledger and the people who do them: late or missing
monthly submissions, visits, leaders of a role, leaders short of visits or of a project."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate

from zhaoshang.activities.models import Submission, Visit
from zhaoshang.core.periods import SHANGHAI
from zhaoshang.orgs.models import Person

from . import projects
from .base import PROJECT_FILTERS, ZERO, Window, industry_of, sum_pairs


def _late_qs(w: Window) -> QuerySet:
    first, last = f"{w.start:%Y-%m}", f"{w.period_end:%Y-%m}"
    return (
        Submission.objects.filter(period__gte=first, period__lte=last, due_date__lte=w.as_of)
        .alias(day=TruncDate("submitted_at", tzinfo=SHANGHAI))
        .filter(Q(submitted_at__isnull=True) | Q(day__gt=F("due_date")))
    )


def late_compute(params, w, subject_type, excluded):
    return sum_pairs(_late_qs(w).order_by().values("unit_id").annotate(v=Count("id")).values_list("unit_id", "v"))


def late_rows(params, w, subject_type, subject_id, excluded):
    return {"submissions": sorted(_late_qs(w).filter(unit_id=subject_id).values_list("id", flat=True))}


def _visit_qs(params, w):
    qs = Visit.objects.filter(date__gte=w.start, date__lte=w.end)
    if params.get("role"):
        qs = qs.filter(leader__role__in=params["role"])
    if sections := industry_of(params):
        # Visits to enterprises of these 行业门类. A visit not yet classified (待归类) still counts, so a
        # ledger kept before visits had a section keeps its score; the rows behind list it apart.
        qs = qs.filter(Q(industry__in=sections) | Q(industry=""))
    return qs


def visits_compute(params, w, subject_type, excluded):
    key = "leader_id" if subject_type == "person" else "unit_id"
    return sum_pairs(_visit_qs(params, w).order_by().values(key).annotate(v=Count("id")).values_list(key, "v"))


def visits_rows(params, w, subject_type, subject_id, excluded):
    """The visits counted, and among them those whose enterprise has no 行业门类 yet (shown 待归类)."""
    key = "leader_id" if subject_type == "person" else "unit_id"
    rows = sorted(_visit_qs(params, w).filter(**{key: subject_id}).values_list("id", "industry"))
    # Only a measure limited to some sections counts a visit despite its missing section.
    unclassified = [pk for pk, section in rows if not section] if industry_of(params) else []
    return {"visits": [pk for pk, _ in rows], "visits_unclassified": unclassified}


def _leaders_qs(params):
    qs = Person.objects.filter(is_active=True)
    if params.get("role"):
        qs = qs.filter(role__in=params["role"])
    return qs


def leaders_compute(params, w, subject_type, excluded):
    return sum_pairs(
        _leaders_qs(params).order_by().values("unit_id").annotate(v=Count("id")).values_list("unit_id", "v")
    )


def leaders_rows(params, w, subject_type, subject_id, excluded):
    return {"people": sorted(_leaders_qs(params).filter(unit_id=subject_id).values_list("id", flat=True))}


def _below_visits_people(params, w) -> list[tuple[int, int]]:
    """(person id, unit id) of leaders with fewer visits in the window than `min_visits`. Visits are
    counted per person in SQL; people number in the hundreds, so the comparison is done here."""
    counts = dict(
        _visit_qs(params, w).order_by().values("leader_id").annotate(v=Count("id")).values_list("leader_id", "v")
    )
    need = params.get("min_visits", Decimal(1))
    return [
        (pid, uid)
        for pid, uid in _leaders_qs(params).order_by().values_list("id", "unit_id")
        if counts.get(pid, 0) < need
    ]


def below_visits_compute(params, w, subject_type, excluded):
    out: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for _, uid in _below_visits_people(params, w):
        out[uid] += 1
    return dict(out)


def below_visits_rows(params, w, subject_type, subject_id, excluded):
    return {"people": sorted(pid for pid, uid in _below_visits_people(params, w) if uid == subject_id)}


def _without_project_people(reqs: list[dict], w, excluded, unit_id: int | None = None) -> list[list[tuple[int, int]]]:
    """For each params in `reqs`: (person id, unit id) of leaders (of `unit_id` alone, when given) who introduced
    (引资人) no project meeting its filters. The projects of all of them are counted per 引资人 in one query (a
    scheme asks this per role and per group quota: four scans of the projects became one), and only for these
    leaders (`projects.credited`): counting every cadre's projects to look up a few leaders was 1 s of a
    unit's sheet at 2,000,000 projects."""
    proj = [{k: v for k, v in params.items() if k in PROJECT_FILTERS} for params in reqs]
    mine = {} if unit_id is None else {"unit_id": unit_id}
    leaders = [list(_leaders_qs(params).filter(**mine).order_by().values_list("id", "unit_id")) for params in reqs]
    asked = frozenset(pid for rows in leaders for pid, _ in rows)
    counts = projects.compute_many([("project_count", p) for p in proj], w, "person", excluded, people=asked)
    return [[(pid, uid) for pid, uid in rows if pid not in met] for rows, met in zip(leaders, counts, strict=True)]


def without_project_many(reqs: list[dict], w, subject_type, excluded) -> list[dict[int, Decimal]]:
    out = []
    for people in _without_project_people(reqs, w, excluded):
        per_unit: dict[int, Decimal] = defaultdict(lambda: ZERO)
        for _, uid in people:
            per_unit[uid] += 1
        out.append(dict(per_unit))
    return out


def without_project_compute(params, w, subject_type, excluded):
    return without_project_many([params], w, subject_type, excluded)[0]


def without_project_rows(params, w, subject_type, subject_id, excluded):
    return {
        "people": sorted(pid for pid, _ in _without_project_people([params], w, excluded, subject_id)[0])
    }
