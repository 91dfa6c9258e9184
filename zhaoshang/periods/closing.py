"""Closing periods (结账). Once 2024Q1 is closed, unit users may no longer write ledger records dated
in it (a project by its signing date and the stage dates it changes, a stage filing or a fund arrival
by its own date). An assessor may, giving a reason; the write is kept as a `Correction`, flagged in
the next bulletin and in the re-run of a published result.

The ledger services call `guard()` before they save and `Guard.record()` after, in their transaction,
so a refused or failed write leaves no correction behind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.periods import parse_period
from zhaoshang.core.text import strip_control

from .models import Correction, PeriodClose


def check_assessor(user, what: str) -> None:
    if not (user and user.is_authenticated and user.is_assessor):
        raise PermissionDeniedError(f"只有考核办或系统管理员可以{what}")


@transaction.atomic
def period_close(*, user, period: str, note: str = "") -> PeriodClose:
    """Close a period: records dated in it become read-only for unit users."""
    check_assessor(user, "结账")
    try:
        p = parse_period(period)
    except ValueError as exc:
        raise ApplicationError(str(exc), field_errors={"period": [str(exc)]}) from exc
    text = period.strip().upper()
    if PeriodClose.objects.filter(period=text).exists():
        raise ApplicationError(f"{p.label}已结账", field_errors={"period": ["已结账"]})
    try:
        return PeriodClose.objects.create(period=text, label=p.label, start=p.start, end=p.end, note=note,
                                          closed_by=user)
    except IntegrityError as exc:
        raise ApplicationError(f"{p.label}已结账") from exc


@transaction.atomic
def period_reopen(*, user, period: str) -> None:
    """Reopen a closed period with no corrections (a period with corrections stays closed: its
    corrections are part of the record)."""
    check_assessor(user, "取消结账")
    row = PeriodClose.objects.filter(period=period.strip().upper()).first()
    if row is None:
        raise ApplicationError("该期间未结账")
    if row.corrections.exists():
        raise ApplicationError(f"{row.label}已有结账后更正记录，不能取消结账")
    row.delete()


def refused_message(period: PeriodClose) -> str:
    """What a unit user is told when a write touches a closed period."""
    return f"{period.label}已结账，日期在该期间内的记录不能再修改；如需更正，请联系考核办"


def reason_message(period: PeriodClose) -> str:
    """What an assessor is told when a correction to a closed period comes without a reason."""
    return f"{period.label}已结账：更正该期间的记录须填写更正理由"


def closed_periods() -> list[PeriodClose]:
    """Every closed period, earliest first (one query), for bulk writers such as the import that test
    many dates in memory with `covering()` rather than calling `guard()` per row."""
    return list(PeriodClose.objects.order_by("start"))


def covering(periods: list[PeriodClose], dates: Iterable[dt.date | None]) -> PeriodClose | None:
    """The earliest of `periods` (as from `closed_periods()`) covering any of `dates`, or None."""
    days = [d for d in dates if d is not None]
    for period in periods:
        if any(period.start <= d <= period.end for d in days):
            return period
    return None


def closed_period(dates: Iterable[dt.date | None]) -> PeriodClose | None:
    """The closed period covering any of `dates` (the earliest if several), or None."""
    days = sorted({d for d in dates if d is not None})
    if not days:
        return None
    q = Q()
    for d in days:
        q |= Q(start__lte=d, end__gte=d)
    return PeriodClose.objects.filter(q).order_by("start").first()


@dataclass
class Guard:
    """What `guard()` found: the closed period (None if the write touches none) and the reason."""

    period: PeriodClose | None
    user: object
    reason: str
    dates: tuple

    def record(self, *, record: str, action: str, project=None, summary: str = "", date: dt.date | None = None,
               code: str = "", name: str = "") -> None:
        """Keep the correction. A record that is not a project's (a visit, an attendance day …) passes
        no project but a `code` and `name` that identify it in the bulletin (e.g. the unit's code and
        the enterprise visited)."""
        if self.period is None:
            return
        day = date or next(d for d in self.dates if self.period.start <= d <= self.period.end)
        if project is not None:
            code, name = project.code, project.name
        Correction.objects.create(
            period=self.period, record=record, action=action,
            project=project if project is not None and project.pk else None,
            project_code=(code or "")[:40], project_name=(name or "")[:200], record_date=day, summary=summary[:500],
            reason=self.reason, user=self.user if getattr(self.user, "is_authenticated", False) else None,
        )


def guard(*, user, dates: Iterable[dt.date | None], reason: str = "") -> Guard:
    """Refuse a unit user's write to a closed period; require an assessor's reason."""
    days = tuple(sorted({d for d in dates if d is not None}))
    period = closed_period(days)
    if period is None:
        return Guard(None, user, "", days)
    if not (user and user.is_assessor):
        raise PermissionDeniedError(refused_message(period), extra={"closed_period": period.period})
    reason = strip_control(reason, multiline=True)  # free text: invisible characters removed (core/text.py)
    if not reason:
        msg = reason_message(period)
        raise ApplicationError(msg, field_errors={"correction_reason": [msg]})
    return Guard(period, user, reason, days)
