"""Assessment API (a Ninja router; mounted by zhaoshang/api/api.py at /assessment). Same engine,
selectors and permissions as the pages; decimals are strings, as in `zhaoshang assess --json`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Router, Schema

from zhaoshang.assessment.publishing import publish as publish_with_bulletin
from zhaoshang.core.errors import PermissionDeniedError

from . import selectors
from .engine import run as engine
from .engine.scheme import parse_scheme
from .engine.store import check_assessor, scheme_save

router = Router(tags=["assessment"])


class SchemeOut(Schema):
    key: str
    name: str
    version: int
    preset: bool
    sha256: str


class SchemeText(Schema):
    text: str = Field(..., description="方案 TOML 文本")


class ValidationOut(Schema):
    ok: bool
    message: str
    errors: dict[str, list[str]]


class RunIn(Schema):
    scheme: str = Field(..., description="预置方案编码、已保存方案编码")
    period: str = Field(..., description="2023、2023Q2 或 2023-05")
    as_of: dt.date | None = None
    group: str = ""
    publish: bool = False


class WhatIfIn(Schema):
    points: dict[str, str] = Field(default_factory=dict, description="指标键 → 新权重（分）")
    target_scale: dict[str, str] = Field(default_factory=dict, description="指标键 → 目标倍数（1 为不变）")


class RunSummary(Schema):
    id: int
    scheme_key: str
    scheme_name: str
    scheme_sha256: str
    period: str
    period_label: str
    as_of: dt.date
    group: str
    published: bool


@router.get("/schemes", response=list[SchemeOut], summary="考核方案（预置和已保存）")
def list_schemes(request):
    return selectors.scheme_catalogue()


@router.post("/schemes/validate", response=ValidationOut, summary="校验方案文本（不保存）")
def validate_scheme(request, payload: SchemeText):
    from .engine.scheme import SchemeError

    try:
        s = parse_scheme(payload.text)
    except SchemeError as exc:
        return {"ok": False, "message": exc.message, "errors": exc.field_errors}
    return {"ok": True, "message": f"方案校验通过：{s.name}", "errors": {}}


@router.post("/schemes", response={201: SchemeOut}, summary="保存方案（新版本）")
def create_scheme(request, payload: SchemeText):
    row = scheme_save(text=payload.text, user=request.user)
    return 201, {"key": row.key, "name": row.name, "version": row.version, "preset": False, "sha256": row.sha256}


@router.get("/runs", response=list[RunSummary], summary="考核结果列表")
def list_runs(request):
    return list(selectors.run_list(user=request.user)[:200])


@router.post("/runs", response={201: dict[str, Any]}, summary="运行考核（考核办）")
def create_run(request, payload: RunIn):
    check_assessor(request.user, "考核")
    scheme = engine.resolve_scheme(payload.scheme)
    rr = engine.run_scheme(scheme, payload.period, payload.as_of, group=payload.group)
    run = engine.store(rr, user=request.user)
    if payload.publish:
        rr.run = publish_with_bulletin(user=request.user, run=run)
    return 201, engine.to_json(rr)


@router.get("/runs/{run_id}", response=dict[str, Any], summary="一次考核的结果（JSON 格式同 zhaoshang assess --json）")
def get_run(request, run_id: int):
    run = selectors.run_get(user=request.user, pk=run_id)
    data = {k: v for k, v in run.results.items() if k != "inputs"}
    data["results"] = selectors.visible_results(user=request.user, run=run)
    return data


@router.post("/runs/{run_id}/publish", response=RunSummary, summary="发布（发布后不可更改）")
def publish_run(request, run_id: int):
    check_assessor(request.user, "考核")
    return publish_with_bulletin(user=request.user, run=selectors.run_get(user=request.user, pk=run_id))


@router.get("/runs/{run_id}/subjects/{subject_id}", response=dict[str, Any], summary="考核对象得分明细及依据数据")
def get_subject(request, run_id: int, subject_id: int):
    run = selectors.run_get(user=request.user, pk=run_id)
    result = selectors.result_get(user=request.user, run=run, subject_id=subject_id)
    return {**result, "rows": engine.rows_behind(run, subject_id)}


@router.post(
    "/runs/{run_id}/what-if", response=list[dict[str, Any]], summary="模拟测算：改变权重或目标后的总分和名次（不保存）"
)
def what_if(request, run_id: int, payload: WhatIfIn):
    if not request.user.sees_all_units:
        raise PermissionDeniedError("模拟测算仅供考核办和领导使用")
    run = selectors.run_get(user=request.user, pk=run_id)
    _, results = engine.rescore(run, payload.dict())
    return [engine.result_json(r) for r in results]
