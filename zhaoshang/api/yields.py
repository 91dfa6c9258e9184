"""产出质效: a producing project's yearly output, tax, employees and land, with 亩均税收, 亩均产值 and
投资强度. The same services as the project page (ledger/yields.py): scope on the introducing unit,
closed periods, history; a changed yield that was checked goes back to 待核实."""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from zhaoshang.ledger import selectors, yields
from zhaoshang.ledger.models import Project, ProjectYield

from .schemas import READ_ERRORS, WRITE_ERRORS, IdParam, InputSchema, Money, MoneyOut, PageParams

router = Router(tags=["yields"])


class YieldOut(Schema):
    id: int
    project_id: int
    project_code: str
    year: int
    output_value: MoneyOut | None = Field(None, description="产值（万元）")
    tax: MoneyOut | None = Field(None, description="税收（万元）")
    employees: int | None = Field(None, description="用工人数")
    land_mu: Decimal | None = Field(None, description="用地（亩）")
    note: str
    verification: str = Field(description="核实状态：pending 待核实、preliminary 初审通过、verified 已认定、"
                                          "returned 退回、rejected 不予认定")
    verified_on: str | None = None
    tax_per_mu: MoneyOut | None = Field(None, description="亩均税收（万元/亩）")
    output_per_mu: MoneyOut | None = Field(None, description="亩均产值（万元/亩）")
    intensity: MoneyOut | None = Field(None, description="投资强度：截至当年末固定资产投资到位资金 ÷ 用地（万元/亩）")


class YieldIn(InputSchema):
    project_code: str = Field(max_length=40, description="项目编号")
    year: int = Field(ge=1900, le=2100, description="年度")
    output_value: Money | None = Field(None, ge=0)
    tax: Money | None = Field(None, ge=0)
    employees: int | None = Field(None, ge=0, le=10_000_000)
    land_mu: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    note: str = Field("", max_length=300)
    correction_reason: str = Field("", max_length=300, description="修改已结账期间的记录时由考核办填写更正理由")


class YieldPatch(InputSchema):
    output_value: Money | None = Field(None, ge=0)
    tax: Money | None = Field(None, ge=0)
    employees: int | None = Field(None, ge=0, le=10_000_000)
    land_mu: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    note: str | None = Field(None, max_length=300)
    correction_reason: str = Field("", max_length=300)


class YieldQuery(PageParams):
    project_id: int | None = IdParam("项目 id")
    year: int | None = Field(None, ge=1900, le=2100)


def _out(item: ProjectYield, figures: dict[int, yields.YieldFigures] | None = None) -> dict:
    figures = figures if figures is not None else {f.item.pk: f for f in yields.project_figures(item.project)}
    f = figures.get(item.pk)
    return {
        "id": item.pk, "project_id": item.project_id, "project_code": item.project.code, "year": item.year,
        "output_value": item.output_value, "tax": item.tax, "employees": item.employees, "land_mu": item.land_mu,
        "note": item.note, "verification": item.verification,
        "verified_on": f"{item.verified_on:%Y-%m-%d}" if item.verified_on else None,
        "tax_per_mu": f.tax_per_mu if f else None, "output_per_mu": f.output_per_mu if f else None,
        "intensity": f.intensity if f else None,
    }


def _visible(request):
    return ProjectYield.objects.filter(project__in=selectors.project_scope(request.user).values("id"))


def _get(request, yield_id: int) -> ProjectYield:
    item = _visible(request).select_related("project").filter(pk=yield_id).first()
    if item is None:
        raise Http404("产出记录不存在或无权查看")
    return item


@router.get("", response={200: list[YieldOut], **READ_ERRORS}, summary="产出质效列表",
            description="本单位（考核办：全部）项目的年度产出，可按项目、年度筛选。")
def list_yields(request, filters: Query[YieldQuery]):
    qs = _visible(request).select_related("project").order_by("project__code", "year")
    if filters.project_id:
        qs = qs.filter(project_id=filters.project_id)
    if filters.year:
        qs = qs.filter(year=filters.year)
    items = list(qs[filters.offset:filters.offset + filters.limit])
    out = []
    cache: dict[int, dict] = {}
    for item in items:
        if item.project_id not in cache:
            cache[item.project_id] = {f.item.pk: f for f in yields.project_figures(item.project)}
        out.append(_out(item, cache[item.project_id]))
    return out


@router.get("/{int:yield_id}", response={200: YieldOut, **READ_ERRORS}, summary="产出记录")
def get_yield(request, yield_id: int):
    return _out(_get(request, yield_id))


@router.post("", response={201: YieldOut, **WRITE_ERRORS}, summary="登记产出")
def create_yield(request, payload: YieldIn):
    data = payload.model_dump()
    code = data.pop("project_code")
    project = selectors.project_scope(request.user).filter(code=code).first()
    if project is None:
        raise Http404("项目不存在或无权查看")
    project = Project.objects.get(pk=project.pk)
    item = yields.yield_record(user=request.user, project=project, **data)
    return Status(201, _out(item))


@router.patch("/{int:yield_id}", response={200: YieldOut, **WRITE_ERRORS}, summary="修改产出")
def update_yield(request, yield_id: int, payload: YieldPatch):
    item = _get(request, yield_id)
    data = payload.model_dump(exclude_unset=True)
    reason = data.pop("correction_reason", "")
    item = yields.yield_update(user=request.user, item=item, correction_reason=reason, **data)
    return _out(item)


@router.delete("/{int:yield_id}", response={204: None, **WRITE_ERRORS}, summary="删除产出")
def delete_yield(request, yield_id: int, correction_reason: str = ""):
    item = _get(request, yield_id)
    yields.yield_delete(user=request.user, item=item, correction_reason=correction_reason)
    return Status(204, None)
