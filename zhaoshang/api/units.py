"""Units (单位). Everyone reads the units in their scope; only the assessment office maintains them."""

from __future__ import annotations

from django.db.models import Q
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from zhaoshang.orgs import selectors, services
from zhaoshang.orgs.choices import UnitKind
from zhaoshang.orgs.models import Unit

from .errors import API_FIELD_NAMES
from .refs import page, write_fields
from .schemas import READ_ERRORS, WRITE_ERRORS, IdParam, InputSchema, PageParams

router = Router(tags=["units"])

REFS = {"parent_code": ("parent", "unit"), "group_code": ("group", "group")}


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_display: str
    parent_id: int | None
    parent_code: str | None
    group_id: int | None
    group_code: str | None
    regions: str
    focus_industries: str
    lead_leader: str
    is_active: bool

    @staticmethod
    def resolve_kind_display(obj: Unit) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_parent_code(obj: Unit) -> str | None:
        return obj.parent.code if obj.parent_id else None

    @staticmethod
    def resolve_group_code(obj: Unit) -> str | None:
        return obj.group.code if obj.group_id else None


class UnitPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[UnitOut]


class UnitQuery(PageParams):
    q: str = Field("", description="按编码或名称搜索")
    kind: UnitKind | None = None
    parent: int | None = IdParam("上级单位id")


class UnitIn(InputSchema):
    code: str = Field(..., max_length=32)
    name: str = Field(..., max_length=100)
    kind: UnitKind
    parent_code: str | None = None
    group_code: str | None = None
    regions: str = Field("", max_length=200)
    focus_industries: str = Field("", max_length=300)
    lead_leader: str = Field("", max_length=100)
    is_active: bool = True


class UnitPatch(InputSchema):
    code: str | None = Field(None, max_length=32)
    name: str | None = Field(None, max_length=100)
    kind: UnitKind | None = None
    parent_code: str | None = None
    group_code: str | None = None
    regions: str | None = Field(None, max_length=200)
    focus_industries: str | None = Field(None, max_length=300)
    lead_leader: str | None = Field(None, max_length=100)
    is_active: bool | None = None


def _fields(payload: InputSchema, *, partial: bool) -> dict:
    return write_fields(payload, model=Unit, mapping=REFS, api_names=API_FIELD_NAMES, partial=partial)


@router.get("", response={200: UnitPage, **READ_ERRORS}, summary="单位列表")
def list_units(request, filters: Query[UnitQuery]):
    qs = selectors.unit_list(user=request.user)
    if filters.q:
        qs = qs.filter(Q(code__icontains=filters.q) | Q(name__icontains=filters.q))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.parent:
        qs = qs.filter(parent_id=filters.parent)
    return page(qs, filters)


@router.post("", response={201: UnitOut, **WRITE_ERRORS}, summary="新增单位（考核办）")
def create_unit(request, payload: UnitIn):
    unit = services.unit_create(user=request.user, **_fields(payload, partial=False))
    return Status(201, selectors.unit_get(user=request.user, pk=unit.pk))


@router.get("/{int:unit_id}", response={200: UnitOut, **READ_ERRORS}, summary="单位详情")
def get_unit(request, unit_id: int):
    return selectors.unit_get(user=request.user, pk=unit_id)


@router.patch("/{int:unit_id}", response={200: UnitOut, **WRITE_ERRORS}, summary="修改单位（考核办）")
def update_unit(request, unit_id: int, payload: UnitPatch):
    unit = selectors.unit_get(user=request.user, pk=unit_id)
    services.unit_update(user=request.user, unit=unit, **_fields(payload, partial=True))
    return selectors.unit_get(user=request.user, pk=unit_id)
