"""Resident offices: attendance, work logs, weekly checks and major investment information reports."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.periods import today
from zhaoshang.ledger.models import Project
from zhaoshang.orgs.models import Person, Unit, User
from zhaoshang.orgs.scope import check_can_edit_unit
from zhaoshang.periods import closing  # closed periods (结账): unit users may not write into one

from ..choices import REPORT_FLOW, ReportStatus
from ..models import Attendance, MajorInfoReport, WeeklyCheck, WorkLog
from ._common import _delete, _local_date, _not_future, _now, _save, _unit_code, _validate, check_assessor


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
