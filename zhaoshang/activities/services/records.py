"""Visits (走访), recommendations (推荐考察) and promotion events (招商活动)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from zhaoshang.core.errors import ApplicationError
from zhaoshang.orgs.models import User
from zhaoshang.orgs.scope import check_can_edit_unit
from zhaoshang.periods import closing  # closed periods (结账): unit users may not write into one

from ..models import PromotionEvent, Recommendation, Visit
from ._common import _apply, _changes, _delete, _not_future, _save, _state, _unit_code, _update_dates, _validate

VISIT_FIELDS = ("date", "unit", "leader", "enterprise", "industry", "matter")
RECOMMENDATION_FIELDS = ("date", "unit", "project", "enterprise", "target")
EVENT_FIELDS = ("code", "date", "name", "level", "host_unit", "city_leaders_present")


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
