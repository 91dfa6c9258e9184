"""Writes to the daily work: visits, recommendations, events, the monthly submission cycle and the
resident offices' attendance, logs, reports and money. Web forms, imports and commands all call
these functions, so scope, validation and history live in exactly one place."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.periods import SHANGHAI, parse_period, today
from zhaoshang.ledger.models import Project
from zhaoshang.orgs.choices import UserRole
from zhaoshang.orgs.models import Person, Unit, User
from zhaoshang.orgs.scope import check_can_edit_unit
from zhaoshang.reports import closing  # closed periods (结账): unit users may not write into one

from . import money, snapshots
from .choices import REPORT_FLOW, ExpenseStatus, ReportStatus, SubmissionAction
from .models import (
    Attendance,
    Expense,
    MajorInfoReport,
    OfficeBudget,
    PromotionEvent,
    QuarterSettlement,
    Recommendation,
    Submission,
    SubmissionDeadline,
    SubmissionSnapshot,
    SubmissionStep,
    SubsidyPayment,
    Visit,
    WeeklyCheck,
    WorkLog,
)

VISIT_FIELDS = ("date", "unit", "leader", "enterprise", "matter")
RECOMMENDATION_FIELDS = ("date", "unit", "project", "enterprise", "target")
EVENT_FIELDS = ("code", "date", "name", "level", "host_unit", "city_leaders_present")


def _validate(instance, *, exclude: Iterable[str] = ()) -> None:
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        raise ApplicationError.from_validation_error(exc) from exc


def _save(instance, user: User | None) -> None:
    instance._history_user = user  # django-simple-history records this user on the history row
    try:
        instance.save()
    except IntegrityError as exc:  # a constraint the form could not see (e.g. a race on a unique key)
        raise ApplicationError(_("保存失败，数据违反约束：%(exc)s") % {"exc": exc}) from exc


def _delete(instance, user: User | None) -> None:
    instance._history_user = user
    instance.delete()


def _now(at: dt.datetime | None) -> dt.datetime:
    return at if at is not None else timezone.now()


def _local_date(at: dt.datetime) -> dt.date:
    return at.astimezone(SHANGHAI).date()


def _not_future(day: dt.date | None, field: str = "date") -> None:
    if day is not None and day > today():
        raise ApplicationError(_("日期不能晚于今天"), field_errors={field: [_("日期晚于今天")]})


def _apply(instance, fields: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ApplicationError(_("未知字段：%(f)s") % {"f": ", ".join(sorted(unknown))},
                               field_errors={k: [_("未知字段")] for k in unknown})
    for name, value in fields.items():
        setattr(instance, name, value.strip() if isinstance(value, str) else value)


def _state(instance, names: Iterable[str]) -> dict:
    """The values of `names` (foreign keys as ids), to tell whether an update changes anything."""
    return {name: getattr(instance, instance._meta.get_field(name).attname) for name in names}


def _changes(instance, before: dict) -> str:
    """“日期：2024-03-01 → 2024-03-02；…” for a correction's summary (in the site's language, as
    `closing.project_changes`)."""
    parts = []
    with translation.override(settings.LANGUAGE_CODE):
        for name, old in before.items():
            field = instance._meta.get_field(name)
            new = getattr(instance, field.attname)
            if old != new:
                parts.append(f"{field.verbose_name}：{_show(old)} → {_show(new)}")
    return "；".join(parts)


def _show(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    return str(value)


def _update_dates(instance, before: dict, date_field: str = "date") -> list[dt.date | None]:
    """The dates an update touches: the record's old and new date when anything changed."""
    if _state(instance, before) == before:
        return []
    return [before[date_field], getattr(instance, date_field)]


def _unit_code(unit_id: int | None) -> str:
    return Unit.objects.filter(pk=unit_id).values_list("code", flat=True).first() or "" if unit_id else ""


def check_assessor(user: User, what: str) -> None:
    if not (user.is_authenticated and user.is_assessor):
        raise PermissionDeniedError(_("只有考核办可以%(what)s") % {"what": what})


# ---------------------------------------------------------------------------------------------
# Visits, recommendations, events


def _check_leader(visit: Visit) -> None:
    if visit.leader_id and visit.unit_id and visit.leader.unit_id != visit.unit_id:
        raise ApplicationError(_("带队领导应为本单位人员"), field_errors={"leader": [_("不是该单位的人员")]})


def _record_visit(closed: closing.Guard, visit: Visit, action: str, summary: str) -> None:
    closed.record(record="走访", action=action, code=_unit_code(visit.unit_id), name=visit.enterprise,
                  summary=summary, date=visit.date if action != "修改" else None)


@transaction.atomic
def visit_create(*, user: User, correction_reason: str = "", **fields) -> Visit:
    visit = Visit()
    _apply(visit, fields, VISIT_FIELDS)
    check_can_edit_unit(user, visit.unit_id, what=_("该单位的走访"))
    _validate(visit)
    _check_leader(visit)
    _not_future(visit.date)
    closed = closing.guard(user=user, dates=[visit.date], reason=correction_reason)
    _save(visit, user)
    _record_visit(closed, visit, "新增", f"{visit.date:%Y-%m-%d} {visit.enterprise}")
    return visit


@transaction.atomic
def visit_update(*, user: User, visit: Visit, correction_reason: str = "", **fields) -> Visit:
    check_can_edit_unit(user, visit.unit_id, what=_("该走访记录"))
    before = _state(visit, VISIT_FIELDS)
    _apply(visit, fields, VISIT_FIELDS)
    check_can_edit_unit(user, visit.unit_id, what=_("目标单位的走访"))
    _validate(visit)
    _check_leader(visit)
    _not_future(visit.date)
    closed = closing.guard(user=user, dates=_update_dates(visit, before), reason=correction_reason)
    _save(visit, user)
    _record_visit(closed, visit, "修改", _changes(visit, before))
    return visit


@transaction.atomic
def visit_delete(*, user: User, visit: Visit, correction_reason: str = "") -> None:
    check_can_edit_unit(user, visit.unit_id, what=_("该走访记录"))
    closed = closing.guard(user=user, dates=[visit.date], reason=correction_reason)
    _delete(visit, user)
    _record_visit(closed, visit, "删除", f"{visit.date:%Y-%m-%d} {visit.enterprise}")


def _check_project(user: User, rec: Recommendation) -> None:
    if rec.project_id is None:
        return
    from zhaoshang.ledger.selectors import project_scope

    if not project_scope(user).filter(pk=rec.project_id).exists():
        raise ApplicationError(_("所选项目不存在或无权查看"), field_errors={"project": [_("无权选择该项目")]})


def _record_recommendation(closed: closing.Guard, rec: Recommendation, action: str, summary: str) -> None:
    closed.record(record="推荐考察", action=action, code=_unit_code(rec.unit_id), name=rec.enterprise,
                  summary=summary, date=rec.date if action != "修改" else None)


@transaction.atomic
def recommendation_create(*, user: User, correction_reason: str = "", **fields) -> Recommendation:
    rec = Recommendation()
    _apply(rec, fields, RECOMMENDATION_FIELDS)
    check_can_edit_unit(user, rec.unit_id, what=_("该单位的推荐考察"))
    _validate(rec)
    _check_project(user, rec)
    _not_future(rec.date)
    closed = closing.guard(user=user, dates=[rec.date], reason=correction_reason)
    _save(rec, user)
    _record_recommendation(closed, rec, "新增", f"{rec.date:%Y-%m-%d} {rec.enterprise}")
    return rec


@transaction.atomic
def recommendation_update(*, user: User, recommendation: Recommendation, correction_reason: str = "",
                          **fields) -> Recommendation:
    check_can_edit_unit(user, recommendation.unit_id, what=_("该推荐考察记录"))
    before = _state(recommendation, RECOMMENDATION_FIELDS)
    _apply(recommendation, fields, RECOMMENDATION_FIELDS)
    check_can_edit_unit(user, recommendation.unit_id, what=_("目标单位的推荐考察"))
    _validate(recommendation)
    _check_project(user, recommendation)
    _not_future(recommendation.date)
    closed = closing.guard(user=user, dates=_update_dates(recommendation, before), reason=correction_reason)
    _save(recommendation, user)
    _record_recommendation(closed, recommendation, "修改", _changes(recommendation, before))
    return recommendation


@transaction.atomic
def recommendation_delete(*, user: User, recommendation: Recommendation, correction_reason: str = "") -> None:
    check_can_edit_unit(user, recommendation.unit_id, what=_("该推荐考察记录"))
    closed = closing.guard(user=user, dates=[recommendation.date], reason=correction_reason)
    _delete(recommendation, user)
    _record_recommendation(closed, recommendation, "删除",
                           f"{recommendation.date:%Y-%m-%d} {recommendation.enterprise}")


@transaction.atomic
def event_create(*, user: User, correction_reason: str = "", **fields) -> PromotionEvent:
    """A city-level event (no host unit) can be recorded by the assessment office only."""
    event = PromotionEvent()
    _apply(event, fields, EVENT_FIELDS)
    check_can_edit_unit(user, event.host_unit_id, what=_("该单位主办的活动"))
    _validate(event)
    closed = closing.guard(user=user, dates=[event.date], reason=correction_reason)
    _save(event, user)
    closed.record(record="招商活动", action="新增", code=event.code, name=event.name,
                  summary=f"{event.date:%Y-%m-%d} {event.name}", date=event.date)
    return event


@transaction.atomic
def event_update(*, user: User, event: PromotionEvent, correction_reason: str = "", **fields) -> PromotionEvent:
    check_can_edit_unit(user, event.host_unit_id, what=_("该招商活动"))
    before = _state(event, EVENT_FIELDS)
    _apply(event, fields, EVENT_FIELDS)
    check_can_edit_unit(user, event.host_unit_id, what=_("目标单位主办的活动"))
    _validate(event)
    closed = closing.guard(user=user, dates=_update_dates(event, before), reason=correction_reason)
    _save(event, user)
    closed.record(record="招商活动", action="修改", code=event.code, name=event.name,
                  summary=_changes(event, before))
    return event


# ---------------------------------------------------------------------------------------------
# The monthly submission cycle


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


# ---------------------------------------------------------------------------------------------
# Resident offices: attendance, work logs, weekly checks, major-project reports


@transaction.atomic
def attendance_mark(*, user: User, person: Person, date: dt.date, on_station: bool | None,
                    correction_reason: str = "") -> Attendance | None:
    """Daily entry: on station (True), on rotation/away (False) or not recorded (None, deletes)."""
    check_can_edit_unit(user, person.unit_id, what=_("该人员的出勤"))
    _not_future(date)
    record = Attendance.objects.filter(person=person, date=date).first()
    old = record.on_station if record else None
    if old == on_station:
        return record
    closed = closing.guard(user=user, dates=[date], reason=correction_reason)
    shown = {True: "驻点", False: "轮休", None: "—"}
    summary = f"{person.name} {date:%Y-%m-%d}：{shown[old]} → {shown[on_station]}"
    action = "删除" if on_station is None else ("新增" if record is None else "修改")
    if on_station is None:
        _delete(record, user)
        record = None
    else:
        record = record or Attendance(person=person, date=date)
        record.on_station = on_station
        _validate(record)
        _save(record, user)
    closed.record(record="出勤", action=action, code=_unit_code(person.unit_id), name=person.name,
                  summary=summary, date=date)
    return record


@transaction.atomic
def attendance_month_set(*, user: User, person: Person, year: int, month: int,
                         days: dict[int, bool | None], correction_reason: str = "") -> int:
    """Set a month of attendance at once (the office's monthly sheet). Returns the days changed."""
    check_can_edit_unit(user, person.unit_id, what=_("该人员的出勤"))
    last = calendar.monthrange(year, month)[1]
    existing = {a.date.day: a for a in Attendance.objects.filter(person=person, date__year=year, date__month=month)}
    changed = 0
    for day, value in days.items():
        if not 1 <= day <= last:
            raise ApplicationError(_("日期无效：%(d)s") % {"d": day})
        date = dt.date(year, month, day)
        old = existing.get(day)
        if (old.on_station if old else None) == value:
            continue
        if value is not None and date > today():
            raise ApplicationError(_("不能登记今天以后的出勤（%(d)s）") % {"d": f"{date:%Y-%m-%d}"})
        attendance_mark(user=user, person=person, date=date, on_station=value,
                        correction_reason=correction_reason)
        changed += 1
    return changed


@transaction.atomic
def worklog_create(*, user: User, unit: Unit, date: dt.date, enterprises: str, contacts: str = "",
                   results: str = "", author: Person | None = None, correction_reason: str = "") -> WorkLog:
    check_can_edit_unit(user, unit.pk, what=_("该单位的工作日志"))
    if author is None:
        author = Person.objects.filter(user=user).first()
    log = WorkLog(unit=unit, date=date, enterprises=enterprises.strip(), contacts=contacts.strip(),
                  results=results.strip(), author=author, created_by=user)
    _validate(log)
    _not_future(date)
    closed = closing.guard(user=user, dates=[date], reason=correction_reason)
    _save(log, user)
    closed.record(record="工作日志", action="新增", code=unit.code, name=unit.name,
                  summary=f"{date:%Y-%m-%d} {'、'.join(log.enterprise_list)}", date=date)
    return log


@transaction.atomic
def weekly_check_record(*, user: User, unit: Unit, week_ending: dt.date, note: str = "",
                        at: dt.datetime | None = None) -> WeeklyCheck:
    """每周日核实: record that the week's visited-enterprise ledger was checked, by whom and when;
    the counts are taken from the week's work logs as they stand."""
    check_can_edit_unit(user, unit.pk, what=_("该单位的走访台账"))
    at = _now(at)
    logs = list(WorkLog.objects.filter(unit=unit, date__gt=week_ending - dt.timedelta(days=7),
                                       date__lte=week_ending))
    check = WeeklyCheck(unit=unit, week_ending=week_ending, note=note.strip(), checked_by=user, checked_at=at,
                        logs_checked=len(logs), enterprises_checked=sum(len(x.enterprise_list) for x in logs))
    _validate(check)
    if week_ending > _local_date(at) + dt.timedelta(days=6):
        raise ApplicationError(_("不能核实尚未开始的周"), field_errors={"week_ending": [_("该周尚未开始")]})
    _save(check, user)
    return check


@transaction.atomic
def report_create(*, user: User, unit: Unit, reported_on: dt.date, enterprise: str, intention: str,
                  industry: str = "", amount: Decimal | None = None) -> MajorInfoReport:
    check_can_edit_unit(user, unit.pk, what=_("该单位的重大项目报告"))
    report = MajorInfoReport(unit=unit, reported_on=reported_on, enterprise=enterprise.strip(),
                             intention=intention.strip(), industry=industry.strip(), amount=amount, created_by=user)
    _validate(report)
    _not_future(reported_on, "reported_on")
    _save(report, user)
    return report


@transaction.atomic
def report_assign(*, user: User, report: MajorInfoReport, assigned_unit: Unit,
                  at: dt.datetime | None = None) -> MajorInfoReport:
    """The office in charge (市重大产业办, an assessor account) assigns a report to an industry-chain
    lead unit, which then contacts the enterprise with the resident office."""
    check_assessor(user, _("交办重大项目报告"))
    if report.status not in (ReportStatus.REPORTED, ReportStatus.ASSIGNED):
        raise ApplicationError(_("该报告已在跟进中，不能重新交办"))
    report.assigned_unit, report.assigned_at, report.status = assigned_unit, _now(at), ReportStatus.ASSIGNED
    _validate(report)
    _save(report, user)
    return report


@transaction.atomic
def report_advance(*, user: User, report: MajorInfoReport, status: str, progress: str = "",
                   project: Project | None = None) -> MajorInfoReport:
    """Follow a report: forward along 交办 → 来访考察 → 洽谈 → 签约, or 终止. The reporting office, the
    assigned lead unit and the assessment office may update it."""
    if not user.is_assessor:
        try:
            check_can_edit_unit(user, report.unit_id, what=_("该重大项目报告"))
        except PermissionDeniedError:
            check_can_edit_unit(user, report.assigned_unit_id, what=_("该重大项目报告"))
    status = ReportStatus(status)
    if report.status in (ReportStatus.SIGNED, ReportStatus.DROPPED):
        raise ApplicationError(_("该报告已%(s)s，不能再变更") % {"s": report.get_status_display()})
    if status != ReportStatus.DROPPED:
        if report.assigned_unit_id is None:
            raise ApplicationError(_("报告尚未交办产业链牵头单位"), field_errors={"status": [_("尚未交办")]})
        if REPORT_FLOW.index(status) < REPORT_FLOW.index(ReportStatus(report.status)):
            raise ApplicationError(_("状态不能倒退"), field_errors={"status": [_("状态不能倒退")]})
    if status == ReportStatus.SIGNED and project is None:
        raise ApplicationError(_("签约时请选择台账中的签约项目"), field_errors={"project": [_("请选择签约项目")]})
    report.status = status
    if project is not None:
        report.project = project
    if progress.strip():
        stamp = f"{today():%Y-%m-%d} {report.get_status_display()}：{progress.strip()}"
        report.progress = f"{report.progress}\n{stamp}".strip()
    _validate(report)
    _save(report, user)
    return report


# ---------------------------------------------------------------------------------------------
# Money: budgets (万元), expenses and subsidies (元)


def _check_head_or_assessor(user: User, unit: Unit, what: str) -> None:
    if user.is_assessor:
        return
    if user.role != UserRole.UNIT_HEAD:
        raise PermissionDeniedError(_("只有单位负责人或考核办可以%(what)s") % {"what": what})
    check_can_edit_unit(user, unit.pk, what=what)


@transaction.atomic
def budget_set(*, user: User, unit: Unit, year: int, amount: Decimal, note: str = "") -> OfficeBudget:
    """定额包干: the office's annual funds in 万元, set by the office in charge."""
    check_assessor(user, _("设置驻点经费"))
    budget = OfficeBudget.objects.filter(unit=unit, year=year).first() or OfficeBudget(unit=unit, year=year)
    budget.amount, budget.note = amount, note.strip()
    _validate(budget)
    _save(budget, user)
    return budget


def _check_not_settled(unit: Unit, date: dt.date) -> None:
    quarter = money.quarter_of(date)
    if QuarterSettlement.objects.filter(unit=unit, quarter=quarter).exists():
        raise ApplicationError(_("%(q)s 的费用已核销，不能再变更该季度的支出") % {"q": quarter},
                               field_errors={"date": [_("该季度已核销")]})


@transaction.atomic
def expense_create(*, user: User, unit: Unit, date: dt.date, category: str, amount: Decimal,
                   description: str, correction_reason: str = "") -> Expense:
    check_can_edit_unit(user, unit.pk, what=_("该单位的经费支出"))
    expense = Expense(unit=unit, date=date, category=category, amount=amount, description=description.strip(),
                      created_by=user)
    _validate(expense)
    _not_future(date)
    _check_not_settled(unit, date)
    closed = closing.guard(user=user, dates=[date], reason=correction_reason)
    _save(expense, user)
    closed.record(record="经费支出", action="新增", code=unit.code, name=expense.description,
                  summary=f"{date:%Y-%m-%d} {amount}元", date=date)
    return expense


@transaction.atomic
def expense_decide(*, user: User, expense: Expense, approve: bool, at: dt.datetime | None = None,
                   correction_reason: str = "") -> Expense:
    """报批: the office's head or the office in charge approves or refuses an expense, never the
    person who entered it. An approval beyond the year's 定额包干 budget is refused."""
    _check_head_or_assessor(user, expense.unit, _("审批经费支出"))
    if expense.created_by_id == user.pk and not user.is_superuser:
        raise PermissionDeniedError(_("不能审批自己录入的支出"))
    if expense.status != ExpenseStatus.PENDING:
        raise ApplicationError(_("该支出已审批"))
    _check_not_settled(expense.unit, expense.date)
    if approve:
        summary = money.budget_summary(expense.unit, expense.date.year)
        if summary.budget_yuan is not None and summary.approved_yuan + expense.amount > summary.budget_yuan:
            raise ApplicationError(
                _("批准后年度支出 %(total)s 元将超过定额包干经费 %(budget)s 元") % {
                    "total": money.yuan(summary.approved_yuan + expense.amount),
                    "budget": money.yuan(summary.budget_yuan)})
    closed = closing.guard(user=user, dates=[expense.date], reason=correction_reason)
    expense.status = ExpenseStatus.APPROVED if approve else ExpenseStatus.REJECTED
    expense.approved_by, expense.approved_at = user, _now(at)
    _save(expense, user)
    closed.record(record="经费支出", action="修改", code=expense.unit.code, name=expense.description,
                  summary=f"审批：{'批准' if approve else '不批准'}", date=expense.date)
    return expense


@transaction.atomic
def quarter_settle(*, user: User, unit: Unit, quarter: str, at: dt.datetime | None = None) -> QuarterSettlement:
    """当季费用核销 at the quarter's rotation: every expense of the quarter must have been decided."""
    _check_head_or_assessor(user, unit, _("核销季度费用"))
    start, end = money.quarter_bounds(quarter)
    at = _now(at)
    if _local_date(at) < start:
        raise ApplicationError(_("季度尚未开始，不能核销"), field_errors={"quarter": [_("季度尚未开始")]})
    pending = Expense.objects.filter(unit=unit, date__range=(start, end), status=ExpenseStatus.PENDING).count()
    if pending:
        raise ApplicationError(_("%(q)s 还有 %(n)s 笔支出未审批，审批后才能核销") % {"q": quarter, "n": pending},
                               field_errors={"quarter": [_("有未审批的支出")]})
    settlement = QuarterSettlement(unit=unit, quarter=quarter.upper(), settled_by=user, settled_at=at,
                                   expenses_total=money.approved_total(unit, start, end))
    _validate(settlement)
    _save(settlement, user)
    return settlement


@transaction.atomic
def subsidy_pay(*, user: User, unit: Unit, quarter: str, at: dt.datetime | None = None) -> SubsidyPayment:
    """Pay a quarter's daily subsidy, 80 元 per person per day on station, computed from attendance
    to the yuan. Refused until the previous quarter's expenses are settled (Bole: 当季费用核销后，方可
    发放下一季度补助) — unless the office had nothing in that quarter to settle."""
    check_assessor(user, _("发放驻点补助"))
    quarter = quarter.strip().upper()
    start, end = money.quarter_bounds(quarter)
    previous = money.previous_quarter(quarter)
    if money.quarter_needs_settlement(unit, previous) and not QuarterSettlement.objects.filter(
        unit=unit, quarter=previous
    ).exists():
        raise ApplicationError(
            _("%(prev)s 的费用尚未核销，不能发放 %(q)s 的补助（当季费用核销后，方可发放下一季度补助）")
            % {"prev": previous, "q": quarter}, field_errors={"quarter": [_("上季度费用未核销")]})
    days = money.person_days(unit, start, end)
    payment = SubsidyPayment(unit=unit, quarter=quarter, person_days=days, rate=money.daily_rate(),
                             amount=money.subsidy(days), paid_by=user, paid_at=_now(at))
    _validate(payment)
    _save(payment, user)
    return payment
