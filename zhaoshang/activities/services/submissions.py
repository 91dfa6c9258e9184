"""The monthly submission cycle: deadlines, submit, return for correction, accept, missing months."""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.periods import parse_period
from zhaoshang.orgs.choices import UserRole
from zhaoshang.orgs.models import Unit, User
from zhaoshang.orgs.scope import check_can_edit_unit
from zhaoshang.periods import closing  # closed periods (结账): unit users may not write into one

from .. import snapshots
from ..choices import SubmissionAction
from ..models import Submission, SubmissionDeadline, SubmissionSnapshot, SubmissionStep
from ._common import _local_date, _now, _save, _unit_code, _validate, check_assessor


def _parse_month(period: str) -> tuple[int, int]:
    text = (period or "").strip()
    try:
        p = parse_period(text)
    except ValueError as exc:
        raise ApplicationError(str(exc), field_errors={"period": [str(exc)]}) from exc
    if p.start.day != 1 or p.end.month != p.start.month or p.start.year != p.end.year:
        raise ApplicationError(_("报送期间应为月份，如 2024-03"), field_errors={"period": [_("应为月份")]})
    return p.start.year, p.start.month


def normalise_period(period: str) -> str:
    year, month = _parse_month(period)
    return f"{year}-{month:02d}"


def default_due_date(period: str) -> dt.date:
    """The SUBMISSION_DUE_DAY (default 5) of the month after the period, clamped to the month's end."""
    year, month = _parse_month(period)
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    day = int(getattr(settings, "SUBMISSION_DUE_DAY", 5))
    return dt.date(year, month, min(max(day, 1), calendar.monthrange(year, month)[1]))


def due_date_for(period: str) -> dt.date:
    period = normalise_period(period)
    configured = SubmissionDeadline.objects.filter(period=period).values_list("due_date", flat=True).first()
    return configured or default_due_date(period)


@transaction.atomic
def deadline_set(*, user: User, period: str, due_date: dt.date, note: str = "",
                 correction_reason: str = "") -> SubmissionDeadline:
    """Set a period's deadline; the submission records of the period move with it, so the late and
    missing measures read the new date. Moving the deadline of a month in a closed period is a
    correction (with a reason)."""
    check_assessor(user, _("设置报送截止日期"))
    period = normalise_period(period)
    old_due = due_date_for(period)
    deadline = SubmissionDeadline.objects.filter(period=period).first() or SubmissionDeadline(period=period)
    deadline.due_date, deadline.note, deadline.set_by = due_date, note.strip(), user
    _validate(deadline)
    closed = closing.guard(user=user, dates=[_month_start(period)] if due_date != old_due else [],
                           reason=correction_reason)
    _save(deadline, user)
    for sub in Submission.objects.filter(period=period).exclude(due_date=due_date):
        sub.due_date = due_date
        _save(sub, user)
    closed.record(record="报送截止日期", action="修改", name=f"{period}报送",
                  summary=f"截止日期：{old_due:%Y-%m-%d} → {due_date:%Y-%m-%d}")
    return deadline


def _month_start(period: str) -> dt.date:
    """The day a month's submission is dated by in closed periods (结账): its 报送期间's first day."""
    year, month = _parse_month(period)
    return dt.date(year, month, 1)


def last_action(submission: Submission) -> str | None:
    step = submission.steps.order_by("-at", "-id").first()
    return step.action if step else None


def awaiting_review(submission: Submission, action: str | None) -> bool:
    """Submitted and not yet returned or accepted. A submission imported or generated with a time but
    without steps counts as submitted, so the office can review it like any other."""
    return action in (SubmissionAction.SUBMITTED, SubmissionAction.RESUBMITTED) or (
        action is None and submission.submitted_at is not None)


def _check_head(user: User, unit: Unit) -> None:
    if user.is_read_only or user.role != UserRole.UNIT_HEAD:
        raise PermissionDeniedError(_("只有单位负责人可以报送台账"))
    check_can_edit_unit(user, unit.pk, what=_("该单位的台账"))


@transaction.atomic
def submission_submit(*, user: User, unit: Unit, period: str, at: dt.datetime | None = None,
                      correction_reason: str = "") -> Submission:
    """A unit head submits the unit's ledger for a month: a snapshot of the unit's projects, funds
    and activities is frozen, and `submitted_at` becomes this moment. After a return for correction
    the same call resubmits; `submitted_at` is then the resubmission, the one finally accepted."""
    _check_head(user, unit)
    at = _now(at)
    period = normalise_period(period)
    year, month = _parse_month(period)
    if _local_date(at) < dt.date(year, month, 1):
        raise ApplicationError(_("不能报送尚未开始的月份"), field_errors={"period": [_("月份尚未开始")]})
    closed = closing.guard(user=user, dates=[_month_start(period)], reason=correction_reason)
    sub = Submission.objects.select_for_update().filter(unit=unit, period=period).first()
    if sub is None:
        sub = Submission(unit=unit, period=period, due_date=due_date_for(period))
        _validate(sub)
        _save(sub, user)
    previous = last_action(sub)
    if previous in (SubmissionAction.SUBMITTED, SubmissionAction.RESUBMITTED, SubmissionAction.ACCEPTED) or (
        previous is None and sub.submitted_at is not None
    ):
        raise ApplicationError(
            _("%(unit)s %(period)s 的台账已报送，只有考核办退回修改后才能重新报送") % {"unit": unit, "period": period}
        )
    data = snapshots.build(unit=unit, period=period)
    snapshot = SubmissionSnapshot(submission=sub, taken_at=at, data=data, sha256=snapshots.digest(data),
                                  counts=snapshots.counts(data))
    _save(snapshot, user)
    action = SubmissionAction.RESUBMITTED if previous == SubmissionAction.RETURNED else SubmissionAction.SUBMITTED
    step = SubmissionStep(submission=sub, action=action, at=at, by=user, snapshot=snapshot)
    _save(step, user)
    sub.submitted_at = at
    _save(sub, user)
    verb = "重新报送" if previous == SubmissionAction.RETURNED else "报送"
    closed.record(record="报送", action="新增", code=unit.code, name=f"{period}报送",
                  summary=f"{verb} {_local_date(at):%Y-%m-%d}")
    return sub


@transaction.atomic
def submission_return(*, user: User, submission: Submission, reason: str,
                      at: dt.datetime | None = None, correction_reason: str = "") -> SubmissionStep:
    """退回修改: the assessment office returns a submission with a reason. Until it is resubmitted
    the month counts as not submitted (`submitted_at` is cleared; the step keeps the old time). A
    month in a closed period is a correction; the return's reason serves unless another is given."""
    check_assessor(user, _("退回报送"))
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("退回修改必须填写理由"), field_errors={"reason": [_("请填写退回理由")]})
    sub = Submission.objects.select_for_update().get(pk=submission.pk)
    if not awaiting_review(sub, last_action(sub)):
        raise ApplicationError(_("只能退回已报送、待审核的台账"))
    closed = closing.guard(user=user, dates=[_month_start(sub.period)], reason=correction_reason or reason)
    step = SubmissionStep(submission=sub, action=SubmissionAction.RETURNED, at=_now(at), by=user, reason=reason)
    _validate(step, exclude=["snapshot"])
    _save(step, user)
    sub.submitted_at = None
    _save(sub, user)
    submission.submitted_at = None
    closed.record(record="报送", action="修改", code=_unit_code(sub.unit_id), name=f"{sub.period}报送",
                  summary=f"退回修改：{reason}")
    return step


@transaction.atomic
def submission_accept(*, user: User, submission: Submission, at: dt.datetime | None = None) -> SubmissionStep:
    check_assessor(user, _("审核报送"))
    sub = Submission.objects.select_for_update().get(pk=submission.pk)
    if not awaiting_review(sub, last_action(sub)):
        raise ApplicationError(_("只能审核已报送、待审核的台账"))
    step = SubmissionStep(submission=sub, action=SubmissionAction.ACCEPTED, at=_now(at), by=user)
    _save(step, user)
    return step


def months_due(as_of: dt.date, *, months: int = 12) -> list[str]:
    """Periods of the last `months` months whose deadline has passed by `as_of`."""
    out = []
    year, month = as_of.year, as_of.month
    for _i in range(months + 1):
        period = f"{year}-{month:02d}"
        if due_date_for(period) < as_of:
            out.append(period)
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return sorted(out)


@transaction.atomic
def submissions_open(*, as_of: dt.date, months: int = 12) -> int:
    """Record 未报 for every active unit and every past-due month without a submission row, so the
    schemes' `late_submissions` measure counts a missing month without anyone entering it. Run daily
    by `zhaoshang remind`. Returns the number of rows created."""
    created = 0
    unit_ids = list(Unit.objects.filter(is_active=True).values_list("id", flat=True))
    for period in months_due(as_of, months=months):
        have = set(Submission.objects.filter(period=period).values_list("unit_id", flat=True))
        due = due_date_for(period)
        rows = [Submission(unit_id=uid, period=period, due_date=due) for uid in unit_ids if uid not in have]
        Submission.objects.bulk_create(rows)  # history rows are not needed for an empty 未报 record
        created += len(rows)
    return created
