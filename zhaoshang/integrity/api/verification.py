"""Verification (核实认定) API (a Ninja router; mounted by zhaoshang/api/api.py at
/integrity/verification). Same scoped selectors and services as the queue page: a fact outside the
user's scope is a 404. Amounts are strings in 万元 with 4 places, as everywhere in the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.urls import reverse
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict, field_validator

from zhaoshang.core.errors import PermissionDeniedError
from zhaoshang.core.periods import parse_period
from zhaoshang.ledger import filings
from zhaoshang.ledger.choices import EvidenceKind
from zhaoshang.ledger.evidence import missing_evidence
from zhaoshang.ledger.models import StageRecord

from ..selectors import verification as selectors
from ..services import verification as services

router = Router(tags=["verification"])

FactKind = Literal["stage", "fund"]
QueueKind = Literal["signed", "registered", "started", "completed", "producing", "fund"]
STATES = Literal["pending", "preliminary", "verified", "returned", "rejected", "todo", "all"]


def _money(value: Decimal | None) -> str | None:
    return None if value is None else format(Decimal(value).quantize(Decimal("0.0001")), "f")


class ErrorOut(Schema):
    message: str
    fields: dict[str, list[str]] = {}


READ_ERRORS = {404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class QueueQuery(Schema):
    unit: int | None = Field(None, description="引资单位id")
    kind: QueueKind | None = Field(None, description="签约 signed、注册 registered、开工 started、竣工 completed、"
                                                     "投产 producing、到位资金 fund")
    period: str = Field("", description="按备案（到位）日期：2024、2024Q1 或 2024-03")
    state: STATES = Field("todo", description="核实状态；todo 为待当前用户处理的记录，all 为全部")
    amount_min: Decimal | None = Field(None, description="金额下限（万元；阶段备案按签约金额，到位资金按到位金额）")
    amount_max: Decimal | None = Field(None, description="金额上限（万元）")
    q: str = Field("", description="项目编号或名称")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)

    @field_validator("period")
    @classmethod
    def _known_period(cls, value: str) -> str:
        if value.strip():
            parse_period(value)  # its ValueError says what a period looks like
        return value


class EvidenceOut(Schema):
    kind: str
    kind_display: str
    name: str
    url: str
    inline_url: str


class FactOut(Schema):
    kind: FactKind = Field(..., description="stage（阶段备案）或 fund（到位资金）")
    id: int
    fact_type: str = Field(..., description="签约/注册/开工/竣工/投产 的阶段编码，或 fund")
    fact_type_display: str
    label: str
    project_id: int
    project_code: str
    project_name: str
    unit_code: str
    unit_name: str
    date: dt.date
    amount: str = Field(..., description="万元：阶段备案为项目签约金额，到位资金为到位金额")
    verification: str
    verification_display: str
    verification_reason: str
    missing_evidence: list[str]
    evidence: list[EvidenceOut]
    preliminary_by: str | None
    preliminary_at: dt.datetime | None
    verified_by: str | None
    verified_at: dt.datetime | None
    verified_on: dt.date | None
    reviewed_by: str | None
    reviewed_at: dt.datetime | None


class QueueOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[FactOut]


class NoteIn(Schema):
    model_config = ConfigDict(extra="forbid")
    note: str = Field("", max_length=100, description="意见（可选）")


class ReasonIn(Schema):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(..., max_length=500, description="理由（必填）")


class FactRef(Schema):
    model_config = ConfigDict(extra="forbid")
    kind: FactKind
    id: int


class BulkIn(Schema):
    model_config = ConfigDict(extra="forbid")
    facts: list[FactRef] = Field(..., min_length=1, max_length=500)
    note: str = Field("", max_length=100, description="对所选记录统一适用的意见")


class BulkOut(Schema):
    count: int
    items: list[FactOut]


class RefileIn(Schema):
    model_config = ConfigDict(extra="forbid")
    note: str = Field("", max_length=300, description="更正说明")


def _user_name(user) -> str | None:
    return user.username if user is not None else None


def _evidence(fact) -> list[dict]:
    if isinstance(fact, StageRecord):
        items = [(e.pk, e.file, e.kind, "stage") for e in fact.evidence.all()]
    else:
        items = [(fact.pk, fact.evidence, fact.evidence_kind or EvidenceKind.OTHER, "fund")] if fact.evidence else []
    return [{"kind": kind, "kind_display": str(EvidenceKind(kind).label), "name": file.name.rsplit("/", 1)[-1],
             "url": reverse("ledger:evidence", args=[tag, pk]),
             "inline_url": reverse("ledger:evidence_inline", args=[tag, pk])} for pk, file, kind, tag in items]


def _out(fact) -> dict:
    project = fact.project
    return {
        "kind": selectors.fact_kind(fact), "id": fact.pk,
        "fact_type": selectors.fact_type(fact), "fact_type_display": selectors.fact_type_label(fact),
        "label": selectors.fact_label(fact),
        "project_id": project.pk, "project_code": project.code, "project_name": project.name,
        "unit_code": project.lead_unit.code, "unit_name": project.lead_unit.name,
        "date": fact.date, "amount": _money(selectors.fact_amount(fact)),
        "verification": fact.verification, "verification_display": fact.get_verification_display(),
        "verification_reason": fact.verification_reason,
        "missing_evidence": missing_evidence(fact), "evidence": _evidence(fact),
        "preliminary_by": _user_name(fact.preliminary_by), "preliminary_at": fact.preliminary_at,
        "verified_by": _user_name(fact.verified_by), "verified_at": fact.verified_at, "verified_on": fact.verified_on,
        "reviewed_by": _user_name(fact.reviewed_by), "reviewed_at": fact.reviewed_at,
    }


def _reload(request, fact) -> dict:
    return _out(selectors.fact_get(user=request.user, kind=selectors.fact_kind(fact), pk=fact.pk))


def _verifier(request) -> None:
    if not request.user.can_verify:
        raise PermissionDeniedError(gettext("只有考核办可以核实认定"))


@router.get("", response={200: QueueOut, **READ_ERRORS}, summary="核实队列（分页，按单位范围）")
def list_queue(request, filters: Query[QueueQuery]):
    period = parse_period(filters.period) if filters.period.strip() else None
    state = {"todo": selectors.TODO, "all": ""}.get(filters.state, filters.state)
    f = selectors.QueueFilters(
        unit=filters.unit, kind=filters.kind or "", date_from=period.start if period else None,
        date_to=period.end if period else None, state=state, amount_min=filters.amount_min,
        amount_max=filters.amount_max, q=filters.q.strip(),
    )
    page = selectors.verification_queue(user=request.user, filters=f, offset=filters.offset, limit=filters.limit)
    return {"count": page.count, "limit": filters.limit, "offset": filters.offset,
            "items": [_out(fact) for fact in page.items]}


@router.get("/{kind}/{int:fact_id}", response={200: FactOut, **READ_ERRORS}, summary="一条记录（含材料与缺项）")
def get_fact(request, kind: FactKind, fact_id: int):
    return _out(selectors.fact_get(user=request.user, kind=kind, pk=fact_id))


@router.post("/{kind}/{int:fact_id}/approve", response={200: FactOut, **WRITE_ERRORS},
             summary="通过（区考核办：初审通过，获授权则认定；市考核办：认定）")
def approve(request, kind: FactKind, fact_id: int, payload: NoteIn):
    fact = selectors.fact_get(user=request.user, kind=kind, pk=fact_id)  # 404 outside the scope first
    _verifier(request)
    return _reload(request, services.fact_approve(user=request.user, fact=fact, note=payload.note))


@router.post("/{kind}/{int:fact_id}/return", response={200: FactOut, **WRITE_ERRORS}, summary="退回（须填理由）")
def return_fact(request, kind: FactKind, fact_id: int, payload: ReasonIn):
    fact = selectors.fact_get(user=request.user, kind=kind, pk=fact_id)  # 404 outside the scope first
    _verifier(request)
    return _reload(request, services.fact_return(user=request.user, fact=fact, reason=payload.reason))


@router.post("/{kind}/{int:fact_id}/reject", response={200: FactOut, **WRITE_ERRORS}, summary="不予认定（须填理由）")
def reject_fact(request, kind: FactKind, fact_id: int, payload: ReasonIn):
    fact = selectors.fact_get(user=request.user, kind=kind, pk=fact_id)  # 404 outside the scope first
    _verifier(request)
    return _reload(request, services.fact_reject(user=request.user, fact=fact, reason=payload.reason))


@router.post("/bulk-approve", response={200: BulkOut, **WRITE_ERRORS}, summary="批量通过（全部通过或全部不生效）")
def bulk_approve(request, payload: BulkIn):
    facts = selectors.facts_get(user=request.user, keys=[(ref.kind, ref.id) for ref in payload.facts])
    _verifier(request)
    done = services.facts_approve_many(user=request.user, facts=facts, note=payload.note)
    return {"count": len(done), "items": [_reload(request, fact) for fact in done]}


@router.post("/{kind}/{int:fact_id}/refile", response={200: FactOut, **WRITE_ERRORS},
             summary="重新报送被退回的记录（单位更正后）")
def refile(request, kind: FactKind, fact_id: int, payload: RefileIn):
    fact = selectors.fact_get(user=request.user, kind=kind, pk=fact_id)
    return _reload(request, filings.fact_refile(user=request.user, fact=fact, note=payload.note))
