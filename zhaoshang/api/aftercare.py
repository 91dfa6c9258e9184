"""服务与产出 (read only): investor requests, talent and 项目跑办 in the user's scope (another unit's is 404)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import Http404
from ninja import Field, Query, Router, Schema

from zhaoshang.aftercare import selectors
from zhaoshang.core.periods import today

from .schemas import READ_ERRORS, MoneyOut, PageParams

router = Router(tags=["aftercare"])


class RequestOut(Schema):
    id: int
    project_code: str
    unit_code: str
    subject: str
    received_on: dt.date
    channel: str
    assignee_staff_no: str | None
    department_code: str | None
    deadline: dt.date = Field(description="答复期限（按设置 AFTERCARE_ANSWER_DEADLINE 计算）")
    status: str = Field(description="open 办理中、answered 已答复")
    overdue: bool = Field(description="今天是否逾期未答复")
    escalated_on: dt.date | None
    answered_on: dt.date | None
    answer: str
    satisfaction: str


class RequestQuery(PageParams):
    state: str = Field("", description="open 办理中、overdue 逾期未答复、answered 已答复；留空为全部",
                       pattern="^(|open|overdue|answered)$")


class ShareOut(Schema):
    unit_code: str
    ratio: Decimal


class TalentOut(Schema):
    id: int
    name: str
    is_team: bool
    team_size: int | None
    level: str
    field: str
    enterprise: str
    project_code: str | None
    joined_on: dt.date
    unit_code: str
    shares: list[ShareOut]


class LiaisonOut(Schema):
    id: int
    unit_code: str
    title: str
    sought: str
    body: str
    started_on: dt.date
    outcome: str
    outcome_on: dt.date | None
    amount_won: MoneyOut | None = Field(None, description="争取资金（万元）")
    steps: list[dict]


def _request(r) -> dict:
    return {"id": r.pk, "project_code": r.project.code, "unit_code": r.unit.code, "subject": r.subject,
            "received_on": r.received_on, "channel": r.channel,
            "assignee_staff_no": r.assignee.staff_no if r.assignee else None,
            "department_code": r.department.code if r.department else None, "deadline": r.deadline,
            "status": r.status, "overdue": r.overdue_on(today()), "escalated_on": r.escalated_on,
            "answered_on": r.answered_on, "answer": r.answer, "satisfaction": r.satisfaction}


@router.get("/requests", response={200: list[RequestOut], **READ_ERRORS}, summary="客商诉求")
def list_requests(request, filters: Query[RequestQuery]):
    qs = selectors.requests_for(request.user)
    if filters.state == "open":
        qs = qs.filter(status="open")
    elif filters.state == "overdue":
        qs = qs.filter(status="open", deadline__lt=today())
    elif filters.state == "answered":
        qs = qs.filter(status="answered")
    return [_request(r) for r in qs[filters.offset:filters.offset + filters.limit]]


@router.get("/requests/{int:request_id}", response={200: RequestOut, **READ_ERRORS}, summary="客商诉求详情")
def get_request(request, request_id: int):
    found = selectors.requests_for(request.user).filter(pk=request_id).first()
    if found is None:
        raise Http404("客商诉求不存在或无权查看")
    return _request(found)


@router.get("/talent", response={200: list[TalentOut], **READ_ERRORS}, summary="引进人才")
def list_talent(request, filters: Query[PageParams]):
    qs = selectors.talents_for(request.user).prefetch_related("shares__unit")
    return [{"id": t.pk, "name": t.name, "is_team": t.is_team, "team_size": t.team_size, "level": t.level,
             "field": t.field, "enterprise": t.enterprise, "project_code": t.project.code if t.project else None,
             "joined_on": t.joined_on, "unit_code": t.unit.code,
             "shares": [{"unit_code": s.unit.code, "ratio": s.ratio} for s in t.shares.all()]}
            for t in qs[filters.offset:filters.offset + filters.limit]]


@router.get("/liaison", response={200: list[LiaisonOut], **READ_ERRORS}, summary="项目跑办")
def list_liaison(request, filters: Query[PageParams]):
    qs = selectors.liaisons_for(request.user).prefetch_related("steps")
    return [{"id": i.pk, "unit_code": i.unit.code, "title": i.title, "sought": i.sought, "body": i.body,
             "started_on": i.started_on, "outcome": i.outcome, "outcome_on": i.outcome_on, "amount_won": i.amount_won,
             "steps": [{"date": s.date.isoformat(), "action": s.action} for s in i.steps.all()]}
            for i in qs[filters.offset:filters.offset + filters.limit]]
