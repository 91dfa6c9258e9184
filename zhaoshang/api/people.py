"""People (人员): cadres and staff who introduce projects and lead visits."""

from __future__ import annotations

from django.db.models import Q
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from zhaoshang.orgs import selectors, services
from zhaoshang.orgs.choices import PersonRole
from zhaoshang.orgs.models import Person

from .errors import API_FIELD_NAMES
from .refs import page, write_fields
from .schemas import READ_ERRORS, WRITE_ERRORS, IdParam, InputSchema, PageParams

router = Router(tags=["people"])

REFS = {"unit_code": ("unit", "unit")}


class PersonOut(Schema):
    id: int
    staff_no: str
    name: str
    unit_id: int
    unit_code: str
    unit_name: str
    title: str
    role: str
    role_display: str
    is_active: bool

    @staticmethod
    def resolve_unit_code(obj: Person) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_unit_name(obj: Person) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_role_display(obj: Person) -> str:
        return obj.get_role_display()


class PersonPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PersonOut]


class PersonQuery(PageParams):
    q: str = Field("", description="按工号或姓名搜索")
    unit: int | None = IdParam("单位id")
    unit_code: str | None = Field(None, description="单位编码")


class PersonIn(InputSchema):
    staff_no: str = Field(..., max_length=32)
    name: str = Field(..., max_length=50)
    unit_code: str
    title: str = Field("", max_length=100)
    role: PersonRole = PersonRole.STAFF
    is_active: bool = True


class PersonPatch(InputSchema):
    staff_no: str | None = Field(None, max_length=32)
    name: str | None = Field(None, max_length=50)
    unit_code: str | None = None
    title: str | None = Field(None, max_length=100)
    role: PersonRole | None = None
    is_active: bool | None = None


def _fields(payload: InputSchema, *, partial: bool) -> dict:
    return write_fields(payload, model=Person, mapping=REFS, api_names=API_FIELD_NAMES, partial=partial)


@router.get("", response={200: PersonPage, **READ_ERRORS}, summary="人员列表")
def list_people(request, filters: Query[PersonQuery]):
    qs = selectors.person_list(user=request.user)
    if filters.q:
        qs = qs.filter(Q(staff_no__icontains=filters.q) | Q(name__icontains=filters.q))
    if filters.unit:
        qs = qs.filter(unit_id=filters.unit)
    if filters.unit_code:
        qs = qs.filter(unit__code=filters.unit_code)
    return page(qs, filters)


@router.post("", response={201: PersonOut, **WRITE_ERRORS}, summary="新增人员")
def create_person(request, payload: PersonIn):
    person = services.person_create(user=request.user, **_fields(payload, partial=False))
    return Status(201, selectors.person_get(user=request.user, pk=person.pk))


@router.get("/{int:person_id}", response={200: PersonOut, **READ_ERRORS}, summary="人员详情")
def get_person(request, person_id: int):
    return selectors.person_get(user=request.user, pk=person_id)


@router.patch("/{int:person_id}", response={200: PersonOut, **WRITE_ERRORS}, summary="修改人员")
def update_person(request, person_id: int, payload: PersonPatch):
    person = selectors.person_get(user=request.user, pk=person_id)
    services.person_update(user=request.user, person=person, **_fields(payload, partial=True))
    return selectors.person_get(user=request.user, pk=person_id)
