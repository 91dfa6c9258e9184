"""Reading the cadre roster (招商干部) and each cadre's result (实绩) from the projects credited to them.

A cadre's result over a window is read from the ledger as the person measures read it: the projects
signed in the window (not 终止) that the person introduced (引资人) or served (帮办秘书), each for the
person's ratio in the project's 个人分成 (`ProjectCredit`), or whole when the project has no split for
that role and names the person. A serving cadre who has been on the roster at least twelve months and
has neither introduced nor served a project in the last twelve months is 无实绩 (Bozhou 004: 年度内无
招商实绩的，不得继续留在专班)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404

from zhaoshang.core.periods import today
from zhaoshang.ledger.choices import CreditRole, Status
from zhaoshang.ledger.models import Project, ProjectCredit
from zhaoshang.orgs.models import User
from zhaoshang.orgs.scope import visible_unit_ids

from .models import Cadre

ZERO = Decimal(0)


@dataclass
class CadreResult:
    introduced: Decimal = ZERO  # projects, each for the person's ratio
    introduced_amount: Decimal = ZERO  # 万元, signed amount × ratio
    served: Decimal = ZERO
    served_amount: Decimal = ZERO
    projects: set[int] = field(default_factory=set)

    @property
    def has_result(self) -> bool:
        return bool(self.projects)


def last_twelve_months(on: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The twelve months up to `on` (today): from the day after the same date a year before."""
    end = on or today()
    try:
        start = end.replace(year=end.year - 1)
    except ValueError:  # 29 February
        start = end.replace(year=end.year - 1, day=28)
    return start + dt.timedelta(days=1), end


def results(person_ids, start: dt.date, end: dt.date) -> dict[int, CadreResult]:
    """person id → their result over [start, end] (signed date), read from the projects and splits."""
    ids = set(person_ids)
    out: dict[int, CadreResult] = defaultdict(CadreResult)
    if not ids:
        return {}
    signed = Project.objects.filter(signed_on__range=(start, end)).exclude(status=Status.TERMINATED)
    credit_rows = list(ProjectCredit.objects.filter(project__in=signed.values("pk"))
                       .values_list("project_id", "role", "person_id", "ratio"))
    split: dict[tuple[int, str], list[tuple[int, Decimal]]] = defaultdict(list)
    for pid, role, person_id, ratio in credit_rows:
        split[(pid, role)].append((person_id, ratio))
    touched = {pid for pid, _r, person_id, _x in credit_rows if person_id in ids}
    rows = signed.filter(Q(introducer_id__in=ids) | Q(assisting_secretary_id__in=ids) | Q(pk__in=touched)).values_list(
        "pk", "introducer_id", "assisting_secretary_id", "signed_amount")
    for pid, introducer, secretary, amount in rows:
        for role, named in ((CreditRole.INTRODUCER, introducer), (CreditRole.SECRETARY, secretary)):
            holders = split.get((pid, role)) or ([(named, Decimal(1))] if named else [])
            for person_id, ratio in holders:
                if person_id not in ids:
                    continue
                r = out[person_id]
                r.projects.add(pid)
                if role == CreditRole.INTRODUCER:
                    r.introduced += ratio
                    r.introduced_amount += (amount or ZERO) * ratio
                else:
                    r.served += ratio
                    r.served_amount += (amount or ZERO) * ratio
    return dict(out)


def cadre_list(*, user: User) -> QuerySet[Cadre]:
    """The cadres of the user's units (their home unit or their team); all for an assessor or leader."""
    qs = Cadre.objects.select_related("person", "unit", "team")
    ids = visible_unit_ids(user)
    if ids is None:
        return qs
    return qs.filter(Q(unit_id__in=ids) | Q(team_id__in=ids))


def cadre_get(*, user: User, pk: int) -> Cadre:
    cadre = cadre_list(user=user).filter(pk=pk).first()
    if cadre is None:
        raise Http404("招商干部不存在或无权查看")
    return cadre


def serving(qs: QuerySet[Cadre], on: dt.date) -> QuerySet[Cadre]:
    return qs.filter(term_start__lte=on).filter(Q(term_end__isnull=True) | Q(term_end__gte=on))


def idle(*, user: User, on: dt.date | None = None) -> list[Cadre]:
    """无实绩: serving cadres on the roster for at least twelve months with no project introduced or
    served in the last twelve months; each carries `result` and `last_follow_up` (within the window)."""
    start, end = last_twelve_months(on)
    cadres = list(serving(cadre_list(user=user), end).filter(term_start__lte=start)
                  .prefetch_related("follow_ups").order_by("team__code", "person__staff_no"))
    res = results({c.person_id for c in cadres}, start, end)
    out = []
    for cadre in cadres:
        cadre.result = res.get(cadre.person_id, CadreResult())
        if cadre.result.has_result:
            continue
        cadre.last_follow_up = next((f for f in cadre.follow_ups.all() if f.date >= start), None)
        out.append(cadre)
    return out
