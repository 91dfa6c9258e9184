"""Which dates a project write touches, and what it changed: what the closed-period guard
(`zhaoshang.periods.closing`) needs to know about a project write."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import translation

from .models import Project

DATE_FIELDS = ("signed_on", "registered_on", "started_on", "completed_on", "producing_on")
# Fields a user may set on a project through a form, the API or an import.
PROJECT_FIELDS = (
    "code", "name", "investor", "investor_uscc", "investor_origin", "industry", "industry_chain", "category",
    "is_four_power", "is_foreign", "foreign_amount", "planned_investment", "signed_amount", "signed_on",
    "signed_at_event", "registered_on", "started_on", "completed_on", "producing_on", "status", "status_reason",
    "lead_unit", "introducer", "assisting_unit", "assisting_secretary", "build_kind", "investor_tags",
)



def project_state(project) -> dict:
    """The project's editable values (foreign keys as ids), to compare before and after an update."""
    out = {}
    for name in PROJECT_FIELDS:
        field = Project._meta.get_field(name)
        out[name] = getattr(project, field.attname)
    return out


def project_dates(before: dict | None, project) -> list[dt.date | None]:
    """The dates a create (before None) or an update touches: every stage date that changed (old
    and new), and the signing date (old and new) when anything else changed."""
    after = project_state(project)
    if before is None:
        return [after[f] for f in DATE_FIELDS]
    changed = [k for k in after if after[k] != before.get(k)]
    dates: list[dt.date | None] = []
    for name in changed:
        if name in DATE_FIELDS:
            dates += [before.get(name), after[name]]
    if any(name not in DATE_FIELDS for name in changed) or "signed_on" in changed:
        dates += [before.get("signed_on"), after["signed_on"]]
    return dates


def project_changes(before: dict | None, project) -> str:
    """“签约金额：50000 → 52000；…” for the correction's summary."""
    after = project_state(project)
    if before is None:
        return f"新增项目，签约金额{after['signed_amount']}万元"
    parts = []
    with translation.override(settings.LANGUAGE_CODE):  # a stored record reads the same for everybody
        for name, new in after.items():
            old = before.get(name)
            if old != new:
                parts.append(f"{Project._meta.get_field(name).verbose_name}：{_show(old)} → {_show(new)}")
    return "；".join(parts)


def _show(v) -> str:
    if v is None or v == "":
        return "—"
    if hasattr(v, "normalize"):
        return f"{v.normalize():f}"
    return str(v)
