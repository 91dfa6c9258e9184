"""Spot-checks API (抽查复核; a Ninja router mounted by zhaoshang/api/api.py at /integrity/spotchecks). Same
services, selectors and scope as the pages: the city assessment office draws and records results; a
district assessor reads the spot-checks of its own district's facts; unit users get a 403. Amounts are
strings in 万元, as everywhere in the API."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from ..models.spotchecks import SpotCheckResult
from ..selectors import spotchecks as selectors
from ..services.spotchecks import MAX_SEED, spotcheck_draw, spotcheck_record_result

router = Router(tags=["integrity"])


class SpotCheckUnitRef(Schema):
    code: str
    name: str


class SpotCheckProjectRef(Schema):
    id: int
    code: str
    name: str


class SpotCheckFactOut(Schema):
    kind: Literal["stage", "fund"]
    id: int
    stage: str | None
    fund_kind: str | None
    label: str
    date: str
    verification: str
    verification_display: str


class SpotCheckItemOut(Schema):
    id: int
    unit: SpotCheckUnitRef
    project: SpotCheckProjectRef
    fact: SpotCheckFactOut
    amount: str = Field(..., description="金额（万元）")
    weight: int = Field(..., description="权重：金额（元，不足1万元按1万元）×（1 + 未处理疑点数）")
    open_flags: int
    verifier: str | None
    result: str
    result_display: str
    reason: str
    checked_by: str | None
    checked_at: str | None


class SpotCheckFindingOut(Schema):
    unit: SpotCheckUnitRef
    sampled: int
    checked: int
    inaccurate: int


class SpotCheckSummary(Schema):
    id: int
    period: str
    label: str
    rate: str
    min_per_unit: int
    seed: int
    population_size: int | None = Field(None, description="总体条数（全市，仅市考核办与市领导可见）")
    population_digest: str
    sample_size: int
    pending: int
    inaccurate: int
    created_at: str


class SpotCheckOut(Schema):
    id: int
    period: str
    label: str
    start: str
    end: str
    rate: str
    min_per_unit: int
    seed: int
    population_size: int | None = Field(None, description="总体条数（全市，仅市考核办与市领导可见）")
    population_digest: str
    sample_size: int
    note: str
    created_by: str | None
    created_at: str
    items: list[SpotCheckItemOut]
    findings: list[SpotCheckFindingOut]


class SpotCheckDrawIn(Schema):
    model_config = ConfigDict(extra="forbid")

    period: str = Field(..., max_length=10, description="2023、2023Q2 或 2023-05")
    rate: Decimal = Field(Decimal("0.1"), description="各区抽查比例，大于0且不超过1（如 \"0.1\"）")
    min_per_unit: int = Field(1, ge=0, description="每个有记录的单位至少抽查几条")
    seed: int | None = Field(None, ge=0, le=MAX_SEED, description="随机种子；不填则随机生成并保存")
    note: str = Field("", max_length=300)


class SpotCheckResultIn(Schema):
    model_config = ConfigDict(extra="forbid")

    result: Literal["accurate", "inaccurate"] = Field(..., description="accurate 属实；inaccurate 不属实")
    reason: str = Field("", max_length=500, description="不属实时必填")


class SpotCheckErrorOut(Schema):
    message: str
    fields: dict[str, list[str]] = {}
    extra: dict[str, Any] | None = None


ERRORS = {400: SpotCheckErrorOut, 403: SpotCheckErrorOut, 404: SpotCheckErrorOut, 422: SpotCheckErrorOut}


def _detail(request, check) -> dict:
    out = selectors.spotcheck_as_dict(check, selectors.spotcheck_items(user=request.user, spot_check=check))
    return {**out, "population_size": _population(request, check)}


def _population(request, check) -> int | None:
    """The population is the whole city's: a district assessor learns only its own sampled facts."""
    return check.population_size if request.user.sees_all_units else None


@router.get("", response={200: list[SpotCheckSummary], **ERRORS}, summary="抽查复核列表")
def list_spotchecks(request):
    return [
        {"id": c.pk, "period": c.period, "label": c.label, "rate": format(c.rate.normalize(), "f"),
         "min_per_unit": c.min_per_unit, "seed": c.seed, "population_size": _population(request, c),
         "population_digest": c.population_digest, "sample_size": c.n_items, "pending": c.n_pending,
         "inaccurate": c.n_inaccurate, "created_at": c.created_at.isoformat()}
        for c in selectors.spotcheck_list(user=request.user)
    ]


@router.post("", response={201: SpotCheckOut, **ERRORS}, summary="抽取（市考核办）")
def draw_spotcheck(request, payload: SpotCheckDrawIn):
    check = spotcheck_draw(user=request.user, period=payload.period, rate=payload.rate,
                           min_per_unit=payload.min_per_unit, seed=payload.seed, note=payload.note)
    return Status(201, _detail(request, check))


@router.get("/{int:spotcheck_id}", response={200: SpotCheckOut, **ERRORS}, summary="抽查详情（抽取的记录与各区问题数）")
def get_spotcheck(request, spotcheck_id: int):
    return _detail(request, selectors.spotcheck_get(user=request.user, pk=spotcheck_id))


@router.post("/items/{int:item_id}/result", response={200: SpotCheckItemOut, **ERRORS},
             summary="记录复核结果（市考核办）：属实，或不属实并说明理由（该记录改为不予认定）")
def record_result(request, item_id: int, payload: SpotCheckResultIn):
    item = selectors.spotcheck_item_get(user=request.user, pk=item_id)
    result = SpotCheckResult(payload.result)
    item = spotcheck_record_result(user=request.user, item=item, result=result, reason=payload.reason)
    return selectors.item_as_dict(selectors.spotcheck_item_get(user=request.user, pk=item.pk))
