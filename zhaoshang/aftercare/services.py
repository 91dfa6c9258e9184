"""Writes of the aftercare app. Pages, the API and the demo call these, so scope (a unit user writes only
for their own units), validation and history live in one place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.periods import today
from zhaoshang.core.services import save_with_history as _save
from zhaoshang.core.services import validate_or_raise as _validate
from zhaoshang.core.uploads import check_upload
from zhaoshang.ledger.choices import Stage
from zhaoshang.ledger.models import Project
from zhaoshang.orgs.models import Person, Unit, User
from zhaoshang.orgs.scope import can_see_unit, check_can_edit_unit

from . import deadlines
from .models import (
    AftercareVisit,
    InvestorRequest,
    IssueStatus,
    LiaisonItem,
    LiaisonOutcome,
    LiaisonStep,
    RequestStatus,
    Talent,
    TalentShare,
    VisitIssue,
)

SHARE_TOLERANCE = Decimal("0.00001")


def _not_future(day: dt.date | None, field: str, label: str) -> None:
    if day is not None and day > today():
        message = _("%(label)s不能晚于今天") % {"label": label}
        raise ApplicationError(message, field_errors={field: [message]})


def _person_in_scope(user: User, person: Person | None, field: str, label: str) -> None:
    if person is not None and not can_see_unit(user, person.unit_id):
        message = _("所选%(label)s不在本单位及下级单位范围内") % {"label": label}
        raise ApplicationError(message, field_errors={field: [message]})


# ---------------------------------------------------------------------------------------------
# 客商诉求


@transaction.atomic
def request_create(*, user: User, project: Project, subject: str, received_on: dt.date, detail: str = "",
                   channel: str = "secretary", raised_by: str = "", assignee: Person | None = None,
                   department: Unit | None = None, unit: Unit | None = None) -> InvestorRequest:
    """受理 a request: answerable by the project's introducing unit unless another is named, assigned to
    the project's 帮办秘书 unless someone or a department is named; the deadline follows the setting."""
    unit = unit or project.lead_unit
    check_can_edit_unit(user, unit.pk, what=_("该单位的客商诉求"))
    if assignee is None and department is None:
        assignee = project.assisting_secretary
    if assignee is not None and assignee != project.assisting_secretary:
        _person_in_scope(user, assignee, "assignee", _("承办人"))
    _not_future(received_on, "received_on", _("受理日期"))
    item = InvestorRequest(project=project, unit=unit, subject=(subject or "").strip(), detail=(detail or "").strip(),
                           received_on=received_on, channel=channel, raised_by=(raised_by or "").strip(),
                           assignee=assignee, department=department, created_by=user,
                           deadline=deadlines.deadline_for(received_on) if received_on else None)
    if assignee is None and department is None:
        message = _("项目未指定帮办秘书，请选择承办人或承办部门")
        raise ApplicationError(message, field_errors={"assignee": [message]})
    _validate(item)
    _save(item, user)
    return item


@transaction.atomic
def request_assign(*, user: User, item: InvestorRequest, assignee: Person | None = None,
                   department: Unit | None = None) -> InvestorRequest:
    check_can_edit_unit(user, item.unit_id, what=_("该客商诉求"))
    if assignee is None and department is None:
        message = _("请选择承办人或承办部门")
        raise ApplicationError(message, field_errors={"assignee": [message]})
    _person_in_scope(user, assignee, "assignee", _("承办人"))
    item.assignee, item.department = assignee, department
    item._change_reason = _("转办")
    _save(item, user)
    return item


@transaction.atomic
def request_answer(*, user: User, item: InvestorRequest, answered_on: dt.date, answer: str,
                   satisfaction: str = "") -> InvestorRequest:
    """答复 and close the request with the investor's satisfaction."""
    check_can_edit_unit(user, item.unit_id, what=_("该客商诉求"))
    if item.status == RequestStatus.ANSWERED:
        raise ApplicationError(_("该诉求已答复办结"))
    answer = (answer or "").strip()
    if not answer:
        message = _("请填写答复内容")
        raise ApplicationError(message, field_errors={"answer": [message]})
    _not_future(answered_on, "answered_on", _("答复日期"))
    item.answered_on, item.answer, item.satisfaction = answered_on, answer, satisfaction or ""
    item.status = RequestStatus.ANSWERED
    _validate(item)
    item._change_reason = _("答复办结")
    _save(item, user)
    return item


def escalate_overdue(*, as_of: dt.date | None = None, user: User | None = None) -> list[InvestorRequest]:
    """督办: mark every request overdue as of `as_of` and not escalated yet, dated the day it fell overdue
    (the day after its deadline), whenever this runs (`zhaoshang remind` and the reminders page run it);
    each escalation is a row in the request's history."""
    as_of = as_of or today()
    done = []
    for item in InvestorRequest.objects.filter(status=RequestStatus.OPEN, deadline__lt=as_of,
                                               escalated_on__isnull=True):
        item.escalated_on = item.deadline + dt.timedelta(days=1)
        item._change_reason = _("逾期未答复，转督办")
        _save(item, user)
        done.append(item)
    return done


# ---------------------------------------------------------------------------------------------
# 服务走访


@transaction.atomic
def visit_record(*, user: User, project: Project, date: dt.date, unit: Unit | None = None,
                 visitor: Person | None = None, met: str = "", summary: str = "",
                 issues: Sequence[str] = ()) -> AftercareVisit:
    unit = unit or project.lead_unit
    check_can_edit_unit(user, unit.pk, what=_("该单位的服务走访"))
    if project.stage != Stage.PRODUCING:
        message = _("服务走访针对已投产企业，该项目尚未投产")
        raise ApplicationError(message, field_errors={"project": [message]})
    _person_in_scope(user, visitor, "visitor", _("带队人员"))
    _not_future(date, "date", _("走访日期"))
    visit = AftercareVisit(project=project, unit=unit, date=date, visitor=visitor, met=(met or "").strip(),
                           summary=(summary or "").strip(), created_by=user)
    _validate(visit)
    _save(visit, user)
    for text in issues:
        if text and text.strip():
            issue = VisitIssue(visit=visit, description=text.strip())
            _validate(issue)
            _save(issue, user)
    return visit


@transaction.atomic
def issue_follow(*, user: User, issue: VisitIssue, status: str, resolution: str = "",
                 resolved_on: dt.date | None = None, owner: str | None = None) -> VisitIssue:
    check_can_edit_unit(user, issue.visit.unit_id, what=_("该走访问题"))
    if status not in IssueStatus.values:
        raise ApplicationError(_("无效的办理状态"), field_errors={"status": [_("无效的办理状态")]})
    if status != IssueStatus.OPEN and not (resolution or "").strip():
        message = _("办结时请填写办理结果")
        raise ApplicationError(message, field_errors={"resolution": [message]})
    _not_future(resolved_on, "resolved_on", _("办结日期"))
    issue.status = status
    issue.resolution = (resolution or "").strip()
    issue.resolved_on = resolved_on or (today() if status != IssueStatus.OPEN else None)
    if owner is not None:
        issue.owner = owner.strip()
    _validate(issue)
    _save(issue, user)
    return issue


# ---------------------------------------------------------------------------------------------
# 招才引智


def _check_shares(shares: Sequence[tuple[Unit, Decimal]]) -> None:
    errors = []
    if len({u.pk for u, _r in shares}) != len(shares):
        errors.append(_("同一单位重复出现"))
    if any(Decimal(r) <= 0 or Decimal(r) > 1 for _u, r in shares):
        errors.append(_("每个比例必须大于0且不超过1"))
    total = sum((Decimal(r) for _u, r in shares), Decimal(0))
    if shares and abs(total - 1) > SHARE_TOLERANCE:
        errors.append(_("共享比例之和应为1，实际为%(total)s") % {"total": f"{total.normalize():f}"})
    if errors:
        raise ApplicationError(_("共享比例有误：%(errors)s") % {"errors": "；".join(errors)},
                               field_errors={"shares": errors})


@transaction.atomic
def talent_save(*, user: User, talent: Talent | None = None, shares: Sequence[tuple[Unit, Decimal]] | None = None,
                evidence=None, **fields) -> Talent:
    """Create or change a talent record; `shares` (units and ratios summing to 1) credits several units,
    an empty list the introducing unit whole. Evidence is checked like every upload (core/uploads.py)."""
    if talent is not None:
        check_can_edit_unit(user, talent.unit_id, what=_("该人才记录"))
    talent = talent or Talent(created_by=user)
    for name, value in fields.items():
        setattr(talent, name, value.strip() if isinstance(value, str) else value)
    check_can_edit_unit(user, talent.unit_id, what=_("该单位的人才记录"))
    _person_in_scope(user, talent.introducer, "introducer", _("引进人"))
    _not_future(talent.joined_on, "joined_on", _("引进日期"))
    if talent.is_team and not talent.team_size:
        message = _("引进团队请填写团队人数")
        raise ApplicationError(message, field_errors={"team_size": [message]})
    if evidence is not None:
        check_upload(evidence, field="evidence")
        talent.evidence = evidence
    _validate(talent, exclude=["evidence"])
    _save(talent, user)
    if shares is not None:
        shares = list(shares)
        _check_shares(shares)
        existing = {s.unit_id: s for s in talent.shares.all()}
        keep = set()
        for unit, ratio in shares:
            share = existing.get(unit.pk) or TalentShare(talent=talent, unit=unit)
            if share.pk is None or share.ratio != Decimal(ratio):
                share.ratio = Decimal(ratio)
                _validate(share)
                _save(share, user)
            keep.add(unit.pk)
        for unit_id, share in existing.items():
            if unit_id not in keep:
                share._history_user = user
                share.delete()
    return talent


# ---------------------------------------------------------------------------------------------
# 项目跑办


@transaction.atomic
def liaison_save(*, user: User, item: LiaisonItem | None = None, **fields) -> LiaisonItem:
    if item is not None:
        check_can_edit_unit(user, item.unit_id, what=_("该跑办事项"))
    item = item or LiaisonItem(created_by=user)
    for name, value in fields.items():
        setattr(item, name, value.strip() if isinstance(value, str) else value)
    check_can_edit_unit(user, item.unit_id, what=_("该单位的跑办事项"))
    _person_in_scope(user, item.lead_person, "lead_person", _("负责人"))
    _not_future(item.started_on, "started_on", _("启动日期"))
    _not_future(item.outcome_on, "outcome_on", _("结果日期"))
    if item.outcome != LiaisonOutcome.IN_PROGRESS and item.outcome_on is None:
        message = _("已有结果的跑办事项请填写结果日期")
        raise ApplicationError(message, field_errors={"outcome_on": [message]})
    if item.amount_won and item.outcome not in (LiaisonOutcome.WON, LiaisonOutcome.PARTIAL):
        message = _("只有争取成功的事项才填写争取资金")
        raise ApplicationError(message, field_errors={"amount_won": [message]})
    _validate(item)
    _save(item, user)
    return item


@transaction.atomic
def liaison_step_add(*, user: User, item: LiaisonItem, date: dt.date, action: str) -> LiaisonStep:
    check_can_edit_unit(user, item.unit_id, what=_("该跑办事项"))
    _not_future(date, "date", _("日期"))
    if date < item.started_on:
        message = _("进展日期不能早于启动日期")
        raise ApplicationError(message, field_errors={"date": [message]})
    step = LiaisonStep(item=item, date=date, action=(action or "").strip())
    _validate(step)
    _save(step, user)
    return step


def may_edit_unit(user: User, unit_id: int | None) -> bool:
    try:
        check_can_edit_unit(user, unit_id)
    except PermissionDeniedError:
        return False
    return True
