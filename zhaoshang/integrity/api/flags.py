"""Flags API (疑点; a Ninja router mounted by zhaoshang/api/api.py at /integrity/flags). Same services,
selectors and scope as the pages: everyone lists and reads the flags touching their units; assessors scan
and resolve (a district assessor only flags wholly inside its district). Amounts are strings in 万元."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from zhaoshang.core.errors import ApplicationError
from zhaoshang.ledger.models import Project
from zhaoshang.orgs.models import Unit

from ..models.flags import Flag, FlagKind, FlagStatus
from ..selectors import flags as selectors
from ..services.flags import can_resolve, flag_resolve, flags_scan

router = Router(tags=["integrity"])


class FlagUnitRef(Schema):
    code: str
    name: str


class FlagProjectOut(Schema):
    id: int
    code: str
    name: str
    unit: FlagUnitRef | None
    investor: str
    investor_uscc: str
    signed_amount: str = Field(..., description="签约金额（万元）")
    signed_on: str | None
    registered_on: str | None


class FlagFactOut(Schema):
    label: str
    values: list[str]


class FlagOut(Schema):
    id: int
    kind: str
    kind_display: str
    year: int | None
    reason: str
    status: str
    status_display: str
    resolution: str
    resolution_display: str
    resolution_reason: str
    kept_unit: FlagUnitRef | None
    kept_project_code: str | None
    split: list[dict[str, Any]]
    resolved_by: str | None
    resolved_at: str | None
    created_at: str
    projects: list[FlagProjectOut]
    facts: list[FlagFactOut]
    may_resolve: bool


class FlagQuery(Schema):
    kind: Literal[tuple(FlagKind.values)] | None = Field(None, description="疑点类型")  # type: ignore[valid-type]
    status: Literal["open", "resolved"] | None = Field(None, description="open 待处理；resolved 已处理")
    unit_code: str | None = Field(None, description="单位编码")
    year: int | None = Field(None, description="年度")
    limit: int = Field(200, ge=1, le=1000)
    offset: int = Field(0, ge=0)


class FlagPage(Schema):
    count: int
    items: list[FlagOut]


class FlagShareIn(Schema):
    unit_code: str
    ratio: Decimal


class FlagResolveIn(Schema):
    model_config = ConfigDict(extra="forbid")

    resolution: Literal["confirmed", "excluded", "rejected"] = Field(
        ..., description="confirmed 确认重复；excluded 排除；rejected 不予认定")
    kept_project_code: str | None = Field(None, description="确认重复时保留计入的项目编号")
    shares: list[FlagShareIn] = Field(default_factory=list,
                                      description="确认重复并按约定比例分成时各单位的比例（合计为1）")
    reason: str = Field("", max_length=500, description="排除、不予认定时必填")


class FlagScanIn(Schema):
    model_config = ConfigDict(extra="forbid")

    year: int = Field(..., ge=1990, le=2100)


class FlagScanOut(Schema):
    year: int | None
    years: list[int]
    projects: int
    found: dict[str, int]
    new: int
    updated: int
    reopened: int
    cleared: int
    unchanged: int
    not_run: list[str]
    seconds: float


class FlagErrorOut(Schema):
    message: str
    fields: dict[str, list[str]] = {}
    extra: dict[str, Any] | None = None


ERRORS = {400: FlagErrorOut, 403: FlagErrorOut, 404: FlagErrorOut, 422: FlagErrorOut}


def _unit(u: Unit | None) -> dict | None:
    return {"code": u.code, "name": u.name} if u else None


def _out(request, flag: Flag, rows=None) -> dict:
    rows = selectors.flag_view(request.user, flag) if rows is None else rows
    return {
        "id": flag.pk, "kind": flag.kind, "kind_display": str(flag.get_kind_display()), "year": flag.year,
        "reason": flag.reason, "status": flag.status, "status_display": str(flag.get_status_display()),
        "resolution": flag.resolution, "resolution_display": str(flag.get_resolution_display() or ""),
        "resolution_reason": flag.resolution_reason, "kept_unit": _unit(flag.kept_unit),
        "kept_project_code": flag.kept_project.code if flag.kept_project else None, "split": flag.split,
        "resolved_by": flag.resolved_by.username if flag.resolved_by else None,
        "resolved_at": flag.resolved_at.isoformat() if flag.resolved_at else None,
        "created_at": flag.created_at.isoformat(),
        "projects": [{
            "id": r.project.pk, "code": r.project.code, "name": r.project.name, "unit": _unit(r.unit),
            "investor": r.project.investor, "investor_uscc": r.project.investor_uscc,
            "signed_amount": f"{r.project.signed_amount:f}",
            "signed_on": r.project.signed_on.isoformat() if r.project.signed_on else None,
            "registered_on": r.project.registered_on.isoformat() if r.project.registered_on else None,
        } for r in rows],
        "facts": (flag.evidence or {}).get("facts", []),
        "may_resolve": flag.status == FlagStatus.OPEN and can_resolve(request.user, flag),
    }


@router.get("", response={200: FlagPage, **ERRORS}, summary="疑点列表（本人可见单位涉及的疑点）")
def list_flags(request, filters: Query[FlagQuery]):
    unit_id = None
    if filters.unit_code:
        unit = Unit.objects.filter(code=filters.unit_code).first()
        if unit is None:
            raise ApplicationError(gettext("单位编码“%(code)s”不存在") % {"code": filters.unit_code},
                                   field_errors={"unit_code": [gettext("单位不存在")]})
        unit_id = unit.pk
    qs = selectors.flag_list(request.user, kind=filters.kind or "", status=filters.status or "", unit_id=unit_id,
                             year=filters.year)
    items = selectors.flags_view(request.user, qs[filters.offset : filters.offset + filters.limit])
    return {"count": qs.count(), "items": [_out(request, f, list(f.rows.all())) for f in items]}


@router.get("/{int:flag_id}", response={200: FlagOut, **ERRORS}, summary="疑点详情（涉及项目与依据）")
def get_flag(request, flag_id: int):
    return _out(request, selectors.flag_get(request.user, flag_id))


@router.post("/{int:flag_id}/resolve", response={200: FlagOut, **ERRORS},
             summary="处理疑点（考核办）：确认重复（保留计入的项目，可按约定比例分成）、排除或不予认定")
def resolve_flag(request, flag_id: int, payload: FlagResolveIn):
    flag = selectors.flag_get(request.user, flag_id)
    kept = None
    if payload.kept_project_code:
        kept = Project.objects.filter(code=payload.kept_project_code, integrity_flag_rows__flag=flag).first()
        if kept is None:
            raise ApplicationError(gettext("保留计入的项目不是该疑点涉及的项目"),
                                   field_errors={"kept_project_code": [gettext("不是该疑点涉及的项目")]})
    shares = []
    for s in payload.shares:
        unit = Unit.objects.filter(code=s.unit_code).first()
        if unit is None:
            raise ApplicationError(gettext("单位编码“%(code)s”不存在") % {"code": s.unit_code},
                                   field_errors={"shares": [gettext("单位不存在")]})
        shares.append((unit, s.ratio))
    flag_resolve(user=request.user, flag=flag, resolution=payload.resolution, reason=payload.reason,
                 kept_project=kept, shares=shares)
    return _out(request, selectors.flag_get(request.user, flag_id))


@router.post("/scan", response={200: FlagScanOut, **ERRORS}, summary="扫描一个年度（考核办）")
def scan(request, payload: FlagScanIn):
    return flags_scan(year=payload.year, user=request.user).as_dict()
