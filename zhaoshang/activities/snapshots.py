"""Snapshots frozen at each monthly submission, and the difference between two of them.

Choices are stored as their codes, never their labels, so the language of the page that submitted
does not change a snapshot. A snapshot holds, as plain JSON with every value a string (amounts as
their exact decimal text):
- `projects`: the projects the unit holds (introduced or shared), keyed by project code;
- `funds`: the funds in place of those projects, keyed `code#id`;
- `visits`, `recommendations`: the unit's records dated in the period's year up to the month's end;
- `events`: the events the unit hosted in that time, keyed by event code, with the projects signed at each;
- `attendance`: for each person of the unit, days on station in the month (resident offices).

`diff(old, new)` lists per section what was added, removed and changed (field by field), so a
returned submission's correction shows exactly what the unit changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal

from django.db.models import Q

from zhaoshang.core.periods import parse_period

SECTIONS = {
    "projects": "项目",
    "funds": "到位资金",
    "visits": "走访对接",
    "recommendations": "推荐考察",
    "events": "招商活动",
    "attendance": "驻点出勤",
}
FIELD_LABELS = {
    "name": "名称", "investor": "投资方", "signed_amount": "签约金额(万元)", "signed_on": "签约日期",
    "registered_on": "注册日期", "started_on": "开工日期", "completed_on": "竣工日期", "producing_on": "投产日期",
    "stage": "阶段", "status": "状态", "lead_unit": "引资单位", "share": "本单位比例", "project": "项目",
    "date": "日期", "amount": "金额(万元)", "kind": "类型", "leader": "带队领导", "enterprise": "企业",
    "matter": "事项", "target": "推荐对象", "level": "级别", "city_leaders_present": "市领导参加",
    "signed_projects": "签约项目", "days_on_station": "驻点天数", "category": "类别", "industry": "产业",
}


def _s(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def build(*, unit, period: str) -> dict:
    """The unit's ledger as of now, for the submission of `period` (YYYY-MM)."""
    from zhaoshang.ledger.models import FundArrival, Project, ProjectShare

    from .models import Attendance, PromotionEvent, Recommendation, Visit

    p = parse_period(period)
    year_start, month_end = dt.date(p.start.year, 1, 1), p.end
    shares = dict(ProjectShare.objects.filter(unit=unit).values_list("project_id", "ratio"))
    projects = Project.objects.filter(Q(lead_unit=unit) | Q(id__in=list(shares))).select_related("lead_unit")
    data: dict[str, dict] = {name: {} for name in SECTIONS}
    codes = {}
    for pr in projects.order_by("code"):
        codes[pr.pk] = pr.code
        data["projects"][pr.code] = {
            "name": pr.name, "investor": pr.investor, "signed_amount": _s(pr.signed_amount),
            "signed_on": _s(pr.signed_on), "registered_on": _s(pr.registered_on), "started_on": _s(pr.started_on),
            "completed_on": _s(pr.completed_on), "producing_on": _s(pr.producing_on),
            "stage": pr.stage, "status": pr.status,
            "lead_unit": pr.lead_unit.name, "share": _s(shares.get(pr.pk, Decimal(1) if pr.lead_unit_id == unit.pk
                                                                   else None)),
        }
    for f in FundArrival.objects.filter(project_id__in=list(codes)).order_by("project_id", "date", "id"):
        data["funds"][f"{codes[f.project_id]}#{f.pk}"] = {
            "project": codes[f.project_id], "date": _s(f.date), "amount": _s(f.amount),
            "kind": f.kind,
        }
    for v in Visit.objects.filter(unit=unit, date__range=(year_start, month_end)).select_related("leader"):
        data["visits"][str(v.pk)] = {"date": _s(v.date), "leader": v.leader.name, "enterprise": v.enterprise,
                                     "matter": v.matter}
    for r in Recommendation.objects.filter(unit=unit, date__range=(year_start, month_end)).select_related("project"):
        data["recommendations"][str(r.pk)] = {"date": _s(r.date), "enterprise": r.enterprise,
                                              "target": r.target,
                                              "project": r.project.code if r.project else ""}
    for e in PromotionEvent.objects.filter(host_unit=unit, date__range=(year_start, month_end)).prefetch_related(
        "projects"
    ):
        data["events"][e.code] = {"date": _s(e.date), "name": e.name, "level": e.level,
                                  "city_leaders_present": e.city_leaders_present,
                                  "signed_projects": "、".join(sorted(x.code for x in e.projects.all()))}
    for staff_no, name, n in _attendance(unit, p.start, p.end, Attendance):
        data["attendance"][staff_no] = {"name": name, "days_on_station": str(n)}
    return {"unit": {"code": unit.code, "name": unit.name}, "period": period, **data}


def _attendance(unit, start, end, Attendance):
    from django.db.models import Count

    rows = (Attendance.objects.filter(person__unit=unit, on_station=True, date__range=(start, end))
            .order_by().values("person__staff_no", "person__name").annotate(n=Count("id")))
    return sorted((r["person__staff_no"], r["person__name"], r["n"]) for r in rows)


def canonical(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest(data: dict) -> str:
    return hashlib.sha256(canonical(data).encode()).hexdigest()


def counts(data: dict) -> dict:
    return {name: len(data.get(name) or {}) for name in SECTIONS}


def diff(old: dict | None, new: dict) -> dict:
    """Per section: added and removed keys (with their rows) and changed keys with the fields that
    changed. `old=None` (the first submission) lists everything as added."""
    out = {}
    old = old or {}
    for name, label in SECTIONS.items():
        a, b = old.get(name) or {}, new.get(name) or {}
        added = [{"key": k, "row": b[k]} for k in sorted(set(b) - set(a))]
        removed = [{"key": k, "row": a[k]} for k in sorted(set(a) - set(b))]
        changed = []
        for k in sorted(set(a) & set(b)):
            fields = [{"field": f, "label": FIELD_LABELS.get(f, f), "old": a[k].get(f, ""), "new": b[k].get(f, "")}
                      for f in sorted(set(a[k]) | set(b[k])) if a[k].get(f, "") != b[k].get(f, "")]
            if fields:
                changed.append({"key": k, "fields": fields})
        out[name] = {"label": label, "added": added, "removed": removed, "changed": changed,
                     "empty": not (added or removed or changed)}
    return out


def is_empty(d: dict) -> bool:
    return all(section["empty"] for section in d.values())
