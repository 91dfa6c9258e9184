"""Writes of the chains app. Pages, commands and the demo call these, so scope, validation and history
live in one place. A converted target becomes a ledger project through `ledger.services.project_create`
(scope, closed periods, history and the signing guards hold as for any project)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.periods import today
from zhaoshang.core.services import save_with_history as _save
from zhaoshang.core.services import validate_or_raise as _validate
from zhaoshang.ledger import services as ledger_services
from zhaoshang.ledger.choices import InvestorTag, tags_to_field
from zhaoshang.ledger.models import Project
from zhaoshang.orgs.choices import UnitKind
from zhaoshang.orgs.models import Unit, User
from zhaoshang.orgs.scope import check_can_edit_unit, visible_unit_ids

from .models import (
    ActionItem,
    ChainProjectLink,
    ChainSegment,
    ContactStatus,
    IndustryChain,
    Meeting,
    MeetingReport,
    SegmentGap,
    TargetEnterprise,
    TaskForce,
)

TARGET_FIELDS = ("name", "uscc", "segment", "tags", "region", "contact_name", "contact_phone", "status",
                 "following_unit", "first_contact_on", "note")
# Statuses that mean the city has talked to the enterprise: the first contact date is then required.
CONTACTED = (ContactStatus.CONTACTED, ContactStatus.NEGOTIATING, ContactStatus.SIGNED)


def check_can_manage_chains(user: User) -> None:
    """Chains, segments and task forces are the city's structure: the 考核办 (or an administrator of the
    business data) keeps them."""
    if not user.is_authenticated or user.is_read_only or not user.is_assessor:
        raise PermissionDeniedError(_("只有考核办可以维护产业链、环节和产业专班"))


# ---- chains, segments, gaps, task forces ---------------------------------------------------------------------

@transaction.atomic
def chain_save(*, user: User, chain: IndustryChain | None = None, offices=(), **fields) -> IndustryChain:
    check_can_manage_chains(user)
    chain = chain or IndustryChain()
    for name, value in fields.items():
        setattr(chain, name, value.strip() if isinstance(value, str) else value)
    _validate(chain)
    _save(chain, user)
    if offices:
        chain.offices.set(offices)
    return chain


@transaction.atomic
def segment_save(*, user: User, chain: IndustryChain, segment: ChainSegment | None = None, **fields) -> ChainSegment:
    check_can_manage_chains(user)
    segment = segment or ChainSegment(chain=chain)
    for name, value in fields.items():
        setattr(segment, name, value.strip() if isinstance(value, str) else value)
    _validate(segment)
    _save(segment, user)
    return segment


@transaction.atomic
def gap_add(*, user: User, segment: ChainSegment, kind: str, note: str) -> SegmentGap:
    check_can_manage_chains(user)
    gap = SegmentGap(segment=segment, kind=kind, note=note.strip())
    _validate(gap)
    _save(gap, user)
    return gap


@transaction.atomic
def task_force_save(*, user: User, chain: IndustryChain, unit: Unit, leader=None, guide_title: str = "",
                    team=()) -> TaskForce:
    """四个一: the leading city leader, the 专班 (a unit of kind 产业专班), its guide and its team."""
    check_can_manage_chains(user)
    if unit.kind != UnitKind.TASK_FORCE:
        raise ApplicationError(_("“%(unit)s”不是产业专班类型的单位") % {"unit": unit.name},
                               field_errors={"unit": [_("请选择产业专班类型的单位")]})
    force = TaskForce.objects.filter(chain=chain).first() or TaskForce(chain=chain)
    force.unit, force.leader, force.guide_title = unit, leader, guide_title.strip()
    _validate(force)
    _save(force, user)
    force.team.set(team)
    return force


# ---- projects in segments ------------------------------------------------------------------------------------

@transaction.atomic
def project_link(*, user: User, project: Project, segment: ChainSegment | None) -> ChainProjectLink | None:
    """Put a ledger project in a chain segment (None: take it out). Only who may edit the project may."""
    check_can_edit_unit(user, project.lead_unit_id, what=_("该项目"))
    link = ChainProjectLink.objects.filter(project=project).first()
    if segment is None:
        if link is not None:
            link._history_user = user
            link.delete()
        return None
    if link is None:
        link = ChainProjectLink(project=project, created_by=user)
    link.segment = segment
    _save(link, user)
    return link


# ---- target enterprises --------------------------------------------------------------------------------------

def _clean_tags(tags) -> str:
    if isinstance(tags, str):
        return tags
    known = set(InvestorTag.values)
    unknown = [t for t in tags if t not in known]
    if unknown:
        raise ApplicationError(_("未知的企业标签：%(tags)s") % {"tags": "、".join(unknown)},
                               field_errors={"tags": [_("未知的企业标签")]})
    return tags_to_field(tags)


def _check_target(target: TargetEnterprise) -> None:
    errors = {}
    if target.status in CONTACTED and target.first_contact_on is None:
        errors["first_contact_on"] = [_("已接触、在谈或已签约的目标企业须填写首次接触日期")]
    if target.first_contact_on and target.first_contact_on > today():
        errors["first_contact_on"] = [_("首次接触日期不能晚于今天")]
    if errors:
        raise ApplicationError(_("目标企业信息有误"), field_errors=errors)


@transaction.atomic
def target_save(*, user: User, target: TargetEnterprise | None = None, **fields) -> TargetEnterprise:
    """Create or update a target enterprise; the following unit must be one of the user's units."""
    unknown = set(fields) - set(TARGET_FIELDS)
    if unknown:
        raise ApplicationError(_("未知字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if target is not None:
        check_can_edit_unit(user, target.following_unit_id, what=_("该目标企业"))
    target = target or TargetEnterprise(created_by=user)
    for name, value in fields.items():
        if name == "tags":
            value = _clean_tags(value)
        elif isinstance(value, str):
            value = value.strip()
        if name == "uscc":
            value = value.upper()
        setattr(target, name, value)
    check_can_edit_unit(user, target.following_unit_id, what=_("该跟进单位的目标企业"))
    # A contact status moved on without a date: the first contact is today.
    if target.status in CONTACTED and target.first_contact_on is None and "first_contact_on" not in fields:
        target.first_contact_on = today()
    _validate(target)
    _check_target(target)
    _save(target, user)
    return target


def suggest_project_code(target: TargetEnterprise) -> str:
    return f"ZS{today():%Y}-MB{target.pk:04d}"


@transaction.atomic
def target_convert(*, user: User, target: TargetEnterprise, code: str, name: str, lead_unit: Unit,
                   signed_amount=None, planned_investment=None, build_kind: str = "",
                   negotiation_on: dt.date | None = None) -> Project:
    """A target that reached 在谈 becomes a ledger project (through the ledger's own create service), in
    the segment of the target, keeping the link (target.project)."""
    check_can_edit_unit(user, target.following_unit_id, what=_("该目标企业"))
    if target.project_id is not None:
        raise ApplicationError(_("该目标企业已转为项目 %(code)s") % {"code": target.project.code})
    if target.status == ContactStatus.DROPPED:
        raise ApplicationError(_("已放弃的目标企业不能转为项目"))
    chain = target.segment.chain
    sections = chain.section_codes()
    fields = {
        "code": code, "name": name, "investor": target.name, "investor_uscc": target.uscc,
        "investor_origin": target.region, "industry": chain.name, "industry_chain": chain.name,
        "category": sections[0] if sections else "", "lead_unit": lead_unit,
        "investor_tags": target.tags, "build_kind": build_kind,
    }
    if signed_amount is not None:
        fields["signed_amount"] = signed_amount
    if planned_investment is not None:
        fields["planned_investment"] = planned_investment
    project = ledger_services.project_create(user=user, **fields)
    project_link(user=user, project=project, segment=target.segment)
    target.project = project
    if target.status in (ContactStatus.NOT_CONTACTED, ContactStatus.CONTACTED):
        target.status = ContactStatus.NEGOTIATING
    if target.first_contact_on is None:
        target.first_contact_on = negotiation_on or today()
    _save(target, user)
    return project


def sync_target_from_project(*, project, user) -> None:
    """After a ledger write: a converted target whose project is signed reads 已签约 (ledger hook)."""
    target = TargetEnterprise.objects.filter(project_id=project.pk).first()
    if target is None or project.signed_on is None or target.status == ContactStatus.SIGNED:
        return
    target.status = ContactStatus.SIGNED
    _save(target, user if getattr(user, "pk", None) else None)


# ---- meetings ------------------------------------------------------------------------------------------------

@transaction.atomic
def meeting_save(*, user: User, meeting: Meeting | None = None, attendees=(), reports=(), **fields) -> Meeting:
    """A meeting with its attendees and the reports (unit, content) of the offices and task forces."""
    if meeting is not None:
        check_can_edit_unit(user, meeting.organiser_id, what=_("该会议"))
    meeting = meeting or Meeting(created_by=user)
    for name, value in fields.items():
        setattr(meeting, name, value.strip() if isinstance(value, str) else value)
    check_can_edit_unit(user, meeting.organiser_id, what=_("该召集单位的会议"))
    if meeting.date and meeting.date > today():
        raise ApplicationError(_("会议日期不能晚于今天"), field_errors={"date": [_("会议日期不能晚于今天")]})
    _validate(meeting)
    _save(meeting, user)
    if attendees:
        meeting.attendees.set(attendees)
    for unit, content in reports:
        report = MeetingReport.objects.filter(meeting=meeting, unit=unit).first() or MeetingReport(
            meeting=meeting, unit=unit)
        report.content = content.strip()
        _validate(report)
        _save(report, user)
    return meeting


@transaction.atomic
def action_add(*, user: User, meeting: Meeting, text: str, owner_unit: Unit, deadline: dt.date,
               owner=None) -> ActionItem:
    check_can_edit_unit(user, meeting.organiser_id, what=_("该会议"))
    item = ActionItem(meeting=meeting, text=text.strip(), owner_unit=owner_unit, owner=owner, deadline=deadline)
    _validate(item)
    _save(item, user)
    return item


@transaction.atomic
def action_done(*, user: User, item: ActionItem, on: dt.date | None = None) -> ActionItem:
    """The owner unit (or the meeting's organiser) marks an action item done."""
    ids = visible_unit_ids(user)
    if user.is_read_only or not (user.is_assessor or ids is None or item.owner_unit_id in ids
                                 or item.meeting.organiser_id in ids):
        raise PermissionDeniedError(_("您无权办结该督办事项"))
    item.done, item.done_on = True, on or today()
    _save(item, user)
    return item
