"""Pipeline timeliness (招商周期), as investment agencies measure it: for each project, the days from the
first contact to 签约, 注册 and 开工; their medians, and the conversion rate of targets into signed
projects — per unit (the project's introducing unit), per following unit (task force or resident office)
and per chain.

The first contact is the target enterprise's 首次接触日期 when the project came from the 目标企业库, else
the day the project was entered in the ledger (the start of negotiation). A stage date before the first
contact (a project entered after it was signed) says nothing about the pipeline and is left out.

Conversion rate = targets contacted (with a first contact date) whose project is signed ÷ targets contacted.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from zhaoshang.core.periods import SHANGHAI
from zhaoshang.ledger.models import Project

from .models import ChainProjectLink, TargetEnterprise

STEPS = {"sign": "signed_on", "register": "registered_on", "start": "started_on"}
STEP_LABELS = {"sign": "签约", "register": "注册", "start": "开工"}


@dataclass
class ProjectTiming:
    project_id: int
    code: str
    name: str
    lead_unit_id: int
    chain_id: int | None
    following_unit_id: int | None
    first_contact: dt.date
    days: dict[str, int | None]


@dataclass
class Pipeline:
    """One group's figures (a chain, a unit or an office)."""

    key: object
    label: str = ""
    contacted: int = 0
    converted: int = 0  # contacted targets with a signed project
    projects: int = 0
    days: dict[str, list[int]] = field(default_factory=lambda: {s: [] for s in STEPS})

    @property
    def conversion_rate(self) -> Decimal | None:
        if not self.contacted:
            return None
        return (Decimal(self.converted) / Decimal(self.contacted)).quantize(Decimal("0.0001"), ROUND_HALF_UP)

    def median(self, step: str) -> Decimal | None:
        values = self.days[step]
        if not values:
            return None
        return Decimal(str(statistics.median(values))).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def median_days_to_sign(self):
        return self.median("sign")

    @property
    def median_days_to_register(self):
        return self.median("register")

    @property
    def median_days_to_start(self):
        return self.median("start")


def _days(start: dt.date, end: dt.date | None) -> int | None:
    if end is None or end < start:
        return None
    return (end - start).days


def project_timings(projects: Iterable[Project] | None = None, *, as_of: dt.date | None = None,
                    chained_only: bool = False) -> list[ProjectTiming]:
    """Each project's days from first contact to each step (None: not reached by `as_of`). `chained_only`:
    only the projects landed in a chain or converted from a chain's target (the others have no chain)."""
    qs = Project.objects.all() if projects is None else projects
    columns = ("id", "code", "name", "lead_unit_id", "created_at", *STEPS.values())
    if chained_only:
        # Read from the chains' side: at a province's 2,000,000 projects, reading every project in scope to
        # keep the few with a chain took minutes (and their ids went back as a literal IN list).
        linked = qs.filter(id__in=ChainProjectLink.objects.values("project_id"))
        converted = qs.filter(id__in=TargetEnterprise.objects.filter(project__isnull=False).values("project_id"))
        rows = list({r["id"]: r for part in (linked, converted) for r in part.order_by().values(*columns)}.values())
    else:
        rows = list(qs.order_by().values(*columns))
    scope = qs.order_by().values("id")  # a subquery, never the ids themselves
    chain_of = dict(ChainProjectLink.objects.filter(project_id__in=scope).values_list("project_id",
                                                                                   "segment__chain_id"))
    targets = {t["project_id"]: t for t in TargetEnterprise.objects.filter(project_id__in=scope).values(
        "project_id", "first_contact_on", "following_unit_id", "segment__chain_id")}
    out = []
    for r in rows:
        target = targets.get(r["id"])
        first = (target or {}).get("first_contact_on") or r["created_at"].astimezone(SHANGHAI).date()
        days = {}
        for step, column in STEPS.items():
            date = r[column]
            days[step] = _days(first, date) if date and (as_of is None or date <= as_of) else None
        chain_id = chain_of.get(r["id"]) or (target or {}).get("segment__chain_id")
        out.append(ProjectTiming(r["id"], r["code"], r["name"], r["lead_unit_id"], chain_id,
                                 (target or {}).get("following_unit_id"), first, days))
    return out


def pipelines(by: str, *, projects=None, targets=None, as_of: dt.date | None = None) -> dict[object, Pipeline]:
    """Figures grouped `by` "chain", "unit" (the project's introducing unit; a target counts for its
    following unit) or "office" (the target's following unit: task force or resident office).
    `projects`/`targets`: querysets already limited to the user's scope (None: all)."""
    out: dict[object, Pipeline] = defaultdict(lambda: Pipeline(None))
    proj_key = {"chain": lambda t: t.chain_id, "unit": lambda t: t.lead_unit_id,
                "office": lambda t: t.following_unit_id}[by]
    for timing in project_timings(projects, as_of=as_of, chained_only=by == "chain"):
        key = proj_key(timing)
        if key is None:
            continue
        group = out[key]
        group.key = key
        group.projects += 1
        for step in STEPS:
            if timing.days[step] is not None:
                group.days[step].append(timing.days[step])
    tqs = TargetEnterprise.objects.all() if targets is None else targets
    for t in tqs.order_by().values("first_contact_on", "following_unit_id", "segment__chain_id",
                                   "project__signed_on"):
        if t["first_contact_on"] is None or (as_of is not None and t["first_contact_on"] > as_of):
            continue
        key = t["segment__chain_id"] if by == "chain" else t["following_unit_id"]
        group = out[key]
        group.key = key
        group.contacted += 1
        signed = t["project__signed_on"]
        if signed is not None and (as_of is None or signed <= as_of):
            group.converted += 1
    return dict(out)
