"""The verification state of the ledger's countable facts (stage filings and fund arrivals), at the
level of the rows themselves. Who may take which step, the queue and the reasons live in the
integrity app above; the ledger only keeps the state consistent, so that every write path (forms,
API, import, demo generator) leaves a project's verified dates in step with its filings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from .choices import STAGE_VERIFIED_FIELD, Stage, Verification
from .models import FundArrival, Project, StageRecord

Fact = StageRecord | FundArrival


def local_date(at: dt.datetime) -> dt.date:
    """The Asia/Shanghai calendar date of a moment: what a run's as-of date is compared with."""
    return timezone.localtime(at).date()


def mark_verified(fact: Fact, *, user, at: dt.datetime | None = None) -> None:
    """Set the fact to 已认定 by `user` at `at` (now by default), in memory; the caller saves it
    (with history) and then calls `refresh_project_verified_dates` for a stage filing."""
    at = at or timezone.now()
    fact.verification = Verification.VERIFIED
    fact.verification_reason = ""
    fact.verified_by = user if getattr(user, "pk", None) else None
    fact.verified_at = at
    fact.verified_on = local_date(at)
    fact.reviewed_by = fact.verified_by
    fact.reviewed_at = at


def mark_pending(fact: Fact) -> None:
    """Back to 待核实 (a refiled or edited fact): the earlier verification no longer holds."""
    fact.verification = Verification.PENDING
    fact.verified_by = None
    fact.verified_at = None
    fact.verified_on = None
    fact.preliminary_by = None
    fact.preliminary_at = None


def refresh_project_verified_dates(project_ids: Iterable[int] | None = None) -> int:
    """Recompute `Project.<stage>_verified_on` from the filings: the filing's `verified_on` when it is
    已认定, else None. Set-based (one UPDATE with a subquery per stage), so an import or the demo
    generator calls it once for all the projects it wrote. Returns the number of projects updated."""
    qs = Project.objects.all()
    if project_ids is not None:
        ids = list(project_ids)
        if not ids:
            return 0
        qs = qs.filter(pk__in=ids)
    values = {}
    for stage, field in STAGE_VERIFIED_FIELD.items():
        values[field] = Subquery(
            StageRecord.objects.filter(project_id=OuterRef("pk"), stage=Stage(stage),
                                       verification=Verification.VERIFIED).values("verified_on")[:1]
        )
    return qs.update(**values)
