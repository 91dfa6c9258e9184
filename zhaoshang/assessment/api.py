"""Assessment API (a Ninja router; mounted by zhaoshang/api/api.py at /assessment). Same engine,
selectors and permissions as the pages; decimals are strings, as in `zhaoshang assess --json`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Router, Schema
from pydantic import ConfigDict

from zhaoshang.assessment.publishing import publish as publish_with_bulletin
from zhaoshang.core.db_router import stale_reads
from zhaoshang.core.errors import PermissionDeniedError

from . import selectors
from .behind import subject_behind
from .engine import run as engine
from .engine import whatif
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
    """The changes of `engine.whatif` (each a table of item key → value); numbers as strings or numbers."""

    model_config = ConfigDict(extra="forbid")

    points: dict[str, Any] = Field(default_factory=dict, description="指标键 → 新分值（手工、逐项加减、公式为上限）")
    target_scale: dict[str, Any] = Field(default_factory=dict, description="指标键 → 目标倍数（1 为不变）")
    cap: dict[str, Any] = Field(default_factory=dict, description="指标键 → 上限（比例得分为完成率封顶，如 1.2）")
    floor: dict[str, Any] = Field(default_factory=dict, description="指标键 → 下限")
    bands: dict[str, Any] = Field(default_factory=dict, description="阈值指标键 → [[门槛, 分值], …]")
    per: dict[str, Any] = Field(default_factory=dict, description="逐项加减指标键 → 每项分值")
    base: dict[str, Any] = Field(default_factory=dict, description="逐项加减指标键 → 基础分")
    ranks: dict[str, Any] = Field(default_factory=dict, description="排名指标键 → 各名次得分列表")
    rest: dict[str, Any] = Field(default_factory=dict, description="排名指标键 → 其余名次得分")
    factor: dict[str, Any] = Field(default_factory=dict, description="公式指标键 → 得分倍数（1 为不变）")


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
    scheme = parse_scheme(run.scheme_text)
    behind = subject_behind(run, scheme, result, subject_id)
    # item key → the values behind its points, each with its label, its number and its rows named
    return {**result, "rows": {key: [b.as_json() for b in values] for key, values in behind.items()}}


@router.post(
    "/runs/{run_id}/what-if", response=list[dict[str, Any]],
    summary="模拟测算：改变分值、目标或门槛后的总分和名次（不保存）",
)
def what_if(request, run_id: int, payload: WhatIfIn):
    if not request.user.sees_all_units:
        raise PermissionDeniedError("模拟测算仅供考核办和领导使用")
    with stale_reads():  # the stored run only, read from the replica when there is one
        run = selectors.run_get(user=request.user, pk=run_id)
    # a bad change (an unknown item key, a value that is not a number) is a 400 naming the field
    changes = whatif.check(parse_scheme(run.scheme_text), payload.dict())
    _, results = engine.rescore(run, changes)
    return [engine.result_json(r) for r in results]
