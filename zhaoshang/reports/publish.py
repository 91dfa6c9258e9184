"""Publishing a run with its bulletin frozen, and what changed since: re-running a published run on
current data shows the projects, amounts and scores that differ — the published numbers stay."""

from __future__ import annotations

from decimal import Decimal

from zhaoshang.assessment.engine import run as engine
from zhaoshang.assessment.engine.scheme import parse_scheme
from zhaoshang.assessment.models import AssessmentRun
from zhaoshang.assessment.publishing import publish  # noqa: F401  (the bulletin freeze hangs on it)
from zhaoshang.ledger.choices import STAGE_DATE_FIELD
from zhaoshang.ledger.models import FundArrival, Project, ProjectShare, StageRecord
from zhaoshang.periods.models import Correction

PROJECT_FIELDS = ("name", "signed_amount", "signed_on", "registered_on", "started_on", "completed_on", "producing_on",
                  "status", "lead_unit_id", "planned_investment", "foreign_amount", "is_foreign", "category",
                  "is_four_power", "introducer_id")
DATES = tuple(STAGE_DATE_FIELD.values())
MAX_PROJECTS = 200


def _d(v) -> Decimal | None:
    return None if v is None else Decimal(v)


def run_diff(run: AssessmentRun) -> dict:
    """Re-run `run` (same scheme text, period, as-of, group) on the current data and compare."""
    scheme = parse_scheme(run.scheme_text)
    rr = engine.run_scheme(scheme, run.period, run.as_of, group=run.group)
    now = {r["subject"]["id"]: r for r in (engine.result_json(x) for x in rr.results)}
    then = {r["subject"]["id"]: r for r in run.results.get("results", [])}
    scores = []
    for sid in sorted(set(now) | set(then), key=lambda i: (then.get(i) or now[i])["subject"]["code"]):
        a, b = then.get(sid), now.get(sid)
        if a and b and a["total"] == b["total"] and a["rank"] == b["rank"] and a["grade"] == b["grade"]:
            continue
        items = []
        if a and b:
            old = {i["key"]: i for i in a["items"]}
            for i in b["items"]:
                o = old.get(i["key"])
                if o is None or o["points"] != i["points"] or o["value"] != i["value"]:
                    items.append({"name": i["name"], "old": o["points"] if o else None, "new": i["points"],
                                  "old_explain": o["explain"] if o else "", "new_explain": i["explain"]})
        ref = a or b
        scores.append({
            "id": sid, "code": ref["subject"]["code"], "name": ref["subject"]["name"],
            "old_total": a["total"] if a else None, "new_total": b["total"] if b else None,
            "old_rank": a["rank"] if a else None, "new_rank": b["rank"] if b else None,
            "old_grade": a["grade"] if a else None, "new_grade": b["grade"] if b else None,
            "delta": str(Decimal(b["total"]) - Decimal(a["total"])) if a and b else None, "items": items,
        })
    old_inputs = {d["id"]: d for d in run.results.get("inputs", [])}
    amounts = []
    for d in engine.inputs_json(rr.inputs):
        o = old_inputs.get(d["id"], {"values": {}})
        for name, v in d["values"].items():
            before = o["values"].get(name)
            if before is None or Decimal(before) != Decimal(v):
                spec = scheme.values.get(name)
                amounts.append({"code": d["code"], "name": d["name"], "value": name,
                                "label": spec.label if spec else name, "old": before, "new": v,
                                "delta": str(Decimal(v) - Decimal(before or 0))})
    since = run.published_at or run.created_at
    return {
        "run": run,
        "since": since,
        "scores": scores,
        "amounts": amounts,
        "projects": changed_projects(run, since),
        "corrections": list(Correction.objects.filter(at__gt=since).select_related("period", "user")
                            .order_by("at", "id")),
        "conflicts_then": len(run.results.get("conflicts", [])),
        "conflicts_now": len(rr.conflicts),
    }


def changed_projects(run: AssessmentRun, since) -> list[dict]:
    """Projects dated in the run's window (before or after the change) that were changed, or whose
    stage filings, funds or shares were, after `since`; each with its fields before → after."""
    ids: set[int] = set(Project.history.filter(history_date__gt=since).values_list("id", flat=True).distinct())
    for model in (FundArrival, StageRecord, ProjectShare):
        ids |= set(model.history.filter(history_date__gt=since).values_list("project_id", flat=True).distinct())
    if not ids:
        return []
    start, end = run.period_start, min(run.period_end, run.as_of)

    def in_window(values: dict) -> bool:
        return any(values.get(f) and start <= values[f] <= end for f in DATES)

    out = []
    current = {p["id"]: p for p in Project.objects.filter(id__in=ids).values("id", "code", *PROJECT_FIELDS)}
    for pid in sorted(ids):
        before = (Project.history.filter(id=pid, history_date__lte=since).order_by("-history_date", "-history_id")
                  .values("code", "history_type", *PROJECT_FIELDS).first())
        if before and before["history_type"] == "-":
            before = None
        after = current.get(pid)
        ref = after or before
        if ref is None or not (in_window(before or {}) or in_window(after or {})):
            continue
        fields = []
        for f in PROJECT_FIELDS:
            old, new = (before or {}).get(f), (after or {}).get(f)
            if old != new:
                fields.append({"field": str(Project._meta.get_field(f.removesuffix("_id")).verbose_name),
                               "old": _show(old), "new": _show(new)})
        funds_then = _funds(pid, start, end, since)
        funds_now = _funds(pid, start, end, None)
        if funds_then != funds_now:
            fields.append({"field": "期间内到位资金", "old": _show(funds_then), "new": _show(funds_now)})
        if not fields:
            continue
        out.append({"id": pid, "code": ref["code"], "name": ref["name"],
                    "action": "新增" if before is None else ("删除" if after is None else "修改"), "fields": fields})
        if len(out) >= MAX_PROJECTS:
            break
    return out


def _funds(project_id: int, start, end, as_at) -> Decimal:
    """Funds of the project dated in the window, as the ledger stood at `as_at` (now if None)."""
    if as_at is None:
        rows = FundArrival.objects.filter(project_id=project_id, date__gte=start, date__lte=end)
        return sum((r.amount for r in rows), Decimal(0))
    latest: dict[int, tuple] = {}
    for h in (FundArrival.history.filter(project_id=project_id, history_date__lte=as_at)
              .order_by("history_date", "history_id").values("id", "history_type", "date", "amount")):
        latest[h["id"]] = (h["history_type"], h["date"], h["amount"])
    return sum((amt for kind, d, amt in latest.values() if kind != "-" and start <= d <= end), Decimal(0))


def _show(v) -> str:
    if v is None or v == "":
        return "—"
    if isinstance(v, Decimal):
        return f"{v.normalize():f}"
    return str(v)
