"""Writes for inspections (一季一督查): plans, self-check reports (自查自报), site visits (实地查看) and
rectification items (整改). Who may do what:

- a plan: the city assessment office (考核办);
- a self-check: a unit user, for their own unit (or a unit under it) named in the plan;
- a site visit and a rectification item: the city office, or a district office (区考核办) for units in
  its district;
- closing a rectification: the unit (with a note on what was done) or the office; reopening: the office.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.periods import today
from zhaoshang.core.services import save_with_history as _save
from zhaoshang.core.services import validate_or_raise as _validate
from zhaoshang.core.text import clean_text
from zhaoshang.core.uploads import DOCUMENTS, IMAGES, check_uploads
from zhaoshang.ledger.models import Project
from zhaoshang.orgs.choices import UserRole
from zhaoshang.orgs.models import Person, Unit, User
from zhaoshang.orgs.scope import can_see_unit

from ..models.inspections import (
    InspectionPlan,
    PlanStatus,
    Rectification,
    RectificationStatus,
    SelfCheckAttachment,
    SelfCheckReport,
    SiteVisit,
    SiteVisitPhoto,
    validate_quarter,
)

UNIT_ROLES = (UserRole.UNIT_STAFF, UserRole.UNIT_HEAD)


def check_upload(files: Iterable[UploadedFile], field: str, allowed: Sequence[str] = DOCUMENTS) -> None:
    """Uploads are limited like the workbook import (UPLOAD_MAX_MB) and typed (attachments: PDF, images,
    Office, OFD; photos: JPEG or PNG); the error names the field."""
    check_uploads(files, field=field, allowed=allowed)


TEXT_MAX = 5000  # a self-check, a visit's findings, a rectification: a few pages at most


def _text(value: str, field: str, label: str, max_length: int = TEXT_MAX, multiline: bool = True) -> str:
    return clean_text(value, field=field, label=label, max_length=max_length, multiline=multiline)


def _check_assessor(user: User) -> None:
    if not user.is_authenticated or not user.is_assessor:
        raise PermissionDeniedError(_("只有考核办可以制定督查计划"))


def check_inspector(user: User, unit_id: int) -> None:
    """The city office anywhere; a district office within its district."""
    if user.is_authenticated and user.is_assessor:
        return
    if user.is_authenticated and user.is_district_assessor and can_see_unit(user, unit_id):
        return
    raise PermissionDeniedError(_("只有考核办或本辖区的区考核办可以记录督查情况"))


def _check_unit_in_plan(plan: InspectionPlan, unit: Unit, field: str = "unit") -> None:
    if not plan.units.filter(pk=unit.pk).exists():
        message = _("%(unit)s 不在本次督查计划的督查单位中") % {"unit": unit.name}
        raise ApplicationError(message, field_errors={field: [message]})


def _check_project(project: Project | None, unit: Unit, field: str = "project") -> None:
    if project is not None and project.lead_unit_id != unit.pk:
        message = _("项目 %(code)s 不是 %(unit)s 引进的项目") % {"code": project.code, "unit": unit.name}
        raise ApplicationError(message, field_errors={field: [message]})


def _not_future(day: dt.date, field: str) -> None:
    if day > today():
        message = _("日期 %(date)s 晚于今天") % {"date": f"{day:%Y-%m-%d}"}
        raise ApplicationError(message, field_errors={field: [message]})


# ---------------------------------------------------------------------------------------------
# Plans


@transaction.atomic
def inspection_plan_create(*, user: User, period: str, title: str, units: Sequence[Unit],
                           projects: Sequence[Project] = (), note: str = "") -> InspectionPlan:
    """A quarter's plan. Each project named must belong to one of the plan's units."""
    _check_assessor(user)
    period = (period or "").strip().upper()
    try:
        validate_quarter(period)
    except ValidationError as exc:  # one message, not the length limit of the column as well
        raise ApplicationError(exc.messages[0], field_errors={"period": exc.messages}) from exc
    plan = InspectionPlan(period=period, title=_text(title, "title", _("督查名称"), 200, multiline=False),
                          note=_text(note, "note", _("督查要求")), created_by=user)
    _validate(plan)
    if not units:
        raise ApplicationError(_("请选择督查单位"), field_errors={"units": [_("请至少选择一个督查单位")]})
    unit_ids = {u.pk for u in units}
    stray = [p for p in projects if p.lead_unit_id not in unit_ids]
    if stray:
        message = _("项目 %(codes)s 不属于所选督查单位") % {"codes": "、".join(p.code for p in stray)}
        raise ApplicationError(message, field_errors={"projects": [message]})
    _save(plan, user)
    plan.units.set(units)
    plan.projects.set(projects)
    return plan


@transaction.atomic
def inspection_plan_set_status(*, user: User, plan: InspectionPlan, status: str) -> InspectionPlan:
    _check_assessor(user)
    if status not in PlanStatus.values:
        raise ApplicationError(_("无效的状态"), field_errors={"status": [_("无效的状态")]})
    plan.status = status
    _save(plan, user)
    return plan


# ---------------------------------------------------------------------------------------------
# Self-check (自查自报)


@transaction.atomic
def self_check_submit(*, user: User, plan: InspectionPlan, unit: Unit, summary: str, issues: str = "",
                      files: Sequence[UploadedFile] = ()) -> SelfCheckReport:
    """File (or refile) a unit's self-check for a plan; attachments are added to those already there."""
    if not user.is_authenticated or user.role not in UNIT_ROLES or user.is_superuser:
        raise PermissionDeniedError(_("自查自报由被督查单位报送"))
    if not can_see_unit(user, unit.pk):
        raise PermissionDeniedError(_("您只能报送本单位及下级单位的自查情况"))
    _check_unit_in_plan(plan, unit)
    check_upload(files, "files")
    report = SelfCheckReport.objects.filter(plan=plan, unit=unit).first() or SelfCheckReport(plan=plan, unit=unit)
    report.summary = _text(summary, "summary", _("自查情况"))
    report.issues = _text(issues, "issues", _("发现的问题"))
    report.submitted_by, report.submitted_at = user, timezone.now()
    _validate(report, exclude=["plan", "unit"])
    _save(report, user)
    for upload in files:
        _save(SelfCheckAttachment(report=report, file=upload), user)
    if plan.status == PlanStatus.PLANNED:
        plan.status = PlanStatus.ONGOING
        _save(plan, user)
    return report


# ---------------------------------------------------------------------------------------------
# Site visits (实地查看)


@transaction.atomic
def site_visit_record(*, user: User, plan: InspectionPlan, unit: Unit, visited_on: dt.date, people: str,
                      findings: str, project: Project | None = None,
                      photos: Sequence[UploadedFile] = ()) -> SiteVisit:
    check_inspector(user, unit.pk)
    _check_unit_in_plan(plan, unit)
    _check_project(project, unit)
    _not_future(visited_on, "visited_on")
    check_upload(photos, "photos", IMAGES)
    visit = SiteVisit(plan=plan, unit=unit, project=project, visited_on=visited_on,
                      people=_text(people, "people", _("参加人员"), 300, multiline=False),
                      findings=_text(findings, "findings", _("查看情况")), recorded_by=user)
    _validate(visit)
    _save(visit, user)
    for upload in photos:
        _save(SiteVisitPhoto(visit=visit, file=upload), user)
    if plan.status == PlanStatus.PLANNED:
        plan.status = PlanStatus.ONGOING
        _save(plan, user)
    return visit


# ---------------------------------------------------------------------------------------------
# Rectification (整改)


@transaction.atomic
def rectification_add(*, user: User, plan: InspectionPlan, unit: Unit, description: str, deadline: dt.date,
                      owner_name: str = "", owner_person: Person | None = None, project: Project | None = None,
                      site_visit: SiteVisit | None = None) -> Rectification:
    check_inspector(user, unit.pk)
    _check_unit_in_plan(plan, unit)
    _check_project(project, unit)
    if site_visit is not None and site_visit.unit_id != unit.pk:
        message = _("实地查看记录不是对 %(unit)s 的查看") % {"unit": unit.name}
        raise ApplicationError(message, field_errors={"site_visit": [message]})
    owner_name = _text(owner_name, "owner_name", _("责任人"), 100, multiline=False)
    item = Rectification(plan=plan, unit=unit, description=_text(description, "description", _("整改事项")),
                         deadline=deadline, owner_name=owner_name, owner_person=owner_person, project=project,
                         site_visit=site_visit, created_by=user)
    _validate(item)
    _save(item, user)
    return item


def _check_can_close(user: User, item: Rectification) -> None:
    if not user.is_authenticated or user.is_read_only:
        raise PermissionDeniedError(_("您没有办理整改销号的权限（只读账号）"))
    if user.is_assessor or can_see_unit(user, item.unit_id):
        return
    raise PermissionDeniedError(_("您只能办理本单位及下级单位的整改事项"))


@transaction.atomic
def rectification_close(*, user: User, rectification: Rectification, note: str) -> Rectification:
    """The unit (or the office) reports the item put right, saying what was done."""
    _check_can_close(user, rectification)
    if rectification.status == RectificationStatus.DONE:
        raise ApplicationError(_("该整改事项已完成销号"))
    note = _text(note, "note", _("整改情况"), 2000)
    if not note:
        raise ApplicationError(_("请填写整改情况"), field_errors={"note": [_("销号须填写整改情况")]})
    rectification.status = RectificationStatus.DONE
    rectification.closure_note = note
    rectification.closed_at, rectification.closed_by = timezone.now(), user
    _validate(rectification)
    _save(rectification, user)
    return rectification


@transaction.atomic
def rectification_reopen(*, user: User, rectification: Rectification, note: str,
                         deadline: dt.date | None = None) -> Rectification:
    """The office finds the item not put right after all: back to 整改中, the reason kept in the note."""
    check_inspector(user, rectification.unit_id)
    if rectification.status != RectificationStatus.DONE:
        raise ApplicationError(_("该整改事项仍在整改中"))
    note = _text(note, "note", _("重新整改理由"), 2000)
    if not note:
        raise ApplicationError(_("请填写重新整改的理由"), field_errors={"note": [_("请填写重新整改的理由")]})
    rectification.status = RectificationStatus.OPEN
    stamp = f"{today():%Y-%m-%d}"
    rectification.closure_note = f"{rectification.closure_note}\n【{stamp} 退回重新整改】{note}".strip()
    rectification.closed_at = rectification.closed_by = None
    if deadline is not None:
        rectification.deadline = deadline
    _validate(rectification)
    _save(rectification, user)
    return rectification
