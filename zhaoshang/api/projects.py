"""The project ledger: projects, their shares, stage filings and funds in place.

Reads go through the same scoped selectors as the web pages and writes through the same services,
so a rule enforced in one is enforced in all.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core import signing
from django.db import connection
from django.db.models import Q
from ninja import Query, Router
from ninja.responses import Status

from zhaoshang.ledger import selectors, services
from zhaoshang.ledger.models import Project
from zhaoshang.orgs.models import Unit
from zhaoshang.orgs.selectors import person_list, unit_list

from .errors import API_FIELD_NAMES, FieldErrors
from .project_schemas import (
    FundIn,
    FundList,
    FundOut,
    ProjectDetailOut,
    ProjectIn,
    ProjectPage,
    ProjectPatch,
    ProjectQuery,
    ShareChangeOut,
    ShareOut,
    SharesIn,
    StageIn,
    StageRecordOut,
    fund_totals,
)
from .refs import Refs, check_not_null, resolve_fields
from .schemas import READ_ERRORS, WRITE_ERRORS

router = Router(tags=["projects"])

# 引资人, 帮办秘书 and 帮办单位 are chosen among the user's units and their people, as on the web form.
REFS = {
    "lead_unit_code": ("lead_unit", "unit"),
    "introducer_staff_no": ("introducer", "chosen_person"),
    "assisting_unit_code": ("assisting_unit", "chosen_unit"),
    "assisting_secretary_staff_no": ("assisting_secretary", "chosen_person"),
    "signed_at_event_code": ("signed_at_event", "event"),
}
CHOSEN = {"introducer_staff_no": "introducer_id", "assisting_unit_code": "assisting_unit_id",
          "assisting_secretary_staff_no": "assisting_secretary_id"}
RELATED = ("lead_unit", "introducer", "assisting_unit", "assisting_secretary", "signed_at_event")


def _shares(items: list[dict] | None, refs: Refs) -> list[tuple[Unit | None, Decimal]] | None:
    if items is None:
        return None
    return [(refs.unit(item["unit_code"], f"shares.{i}.unit_code"), item["ratio"]) for i, item in enumerate(items)]


def _refs(user, project: Project | None = None) -> Refs:
    keep = {key: getattr(project, att) for key, att in CHOSEN.items()} if project is not None else {}
    return Refs(people=person_list(user=user), units=unit_list(user=user), keep=keep)


def _write_args(data: dict, user, project: Project | None = None) -> tuple[dict, list | None]:
    """API body → (service keyword arguments, shares), or a 422 naming every unknown code."""
    shares_in = data.pop("shares", None)
    check_not_null(data, Project, API_FIELD_NAMES)
    refs = _refs(user, project)
    fields = resolve_fields(data, REFS, refs)
    shares = _shares(shares_in, refs)
    refs.check()
    return fields, shares


def _get(request, project_id: int) -> Project:
    return selectors.project_get(user=request.user, pk=project_id)


@router.get("", response={200: ProjectPage, **READ_ERRORS}, summary="项目台账（分页，含合计）")
def list_projects(request, filters: Query[ProjectQuery]):
    unit_id = filters.unit
    if filters.unit_code:
        refs = Refs()
        unit = refs.unit(filters.unit_code, "unit_code")
        refs.check()
        unit_id = unit.pk
    wanted = selectors.ProjectFilters(
        unit=unit_id,
        stage=filters.stage or "",
        status=filters.status or "",
        category=filters.category or "",
        year=filters.year,
        amount_min=filters.amount_min,
        amount_max=filters.amount_max,
        q=filters.q.strip(),
        sort=filters.sort,
    )
    qs = selectors.project_list(user=request.user, filters=wanted)
    branches = selectors.scope_branches(user=request.user, filters=wanted)
    totals = selectors.ledger_totals(qs, wanted, branches, user=request.user)
    offset = filters.offset
    if filters.cursor:
        if filters.sort or filters.offset:
            raise FieldErrors({"cursor": ["游标分页只按默认排序（签约日期倒序）读取，不能与 sort、offset 同时使用"]})
        after = after_cursor(read_cursor(filters.cursor))
        qs = qs.filter(after)
        branches = branches and [branch.filter(after) for branch in branches]
        offset = 0
    # ids first, then the rows: the same paging as the ledger page (selectors.page_ids)
    # (a search's count bounds what is left after a cursor too: either way of paging gives the same rows)
    ids = selectors.page_ids(qs, offset=offset, limit=filters.limit + 1, branches=branches,
                             searched_count=totals.count if wanted.q else None)
    page = selectors.rows_in_order(ids, *RELATED)
    items = page[: filters.limit]
    more = len(page) > filters.limit
    return {
        "count": totals.count,
        "limit": filters.limit,
        "offset": 0 if filters.cursor else filters.offset,
        "items": items,
        "next": make_cursor(items[-1]) if more and not filters.sort else None,
        "totals": {"count": totals.count, "signed_amount": totals.signed_amount, "funds": totals.funds},
    }


# ---- keyset paging ------------------------------------------------------------------------------------------
# The default order is (signed_on DESC, id DESC), the order of the index `project_signed_desc`. A cursor is the
# last row's (signed_on, id), signed so that it cannot be made up or altered; it only says where to go on, in
# the user's own scoped list, so it cannot reveal a project the user does not see.

CURSOR_SALT = "zhaoshang.api.projects.cursor"
CURSOR_INVALID = "游标无效或已损坏：请从第一页重新读取（不带 cursor）"


def make_cursor(project: Project) -> str:
    day = project.signed_on.isoformat() if project.signed_on else ""
    return signing.Signer(salt=CURSOR_SALT).sign(f"{day}|{project.pk}")


def read_cursor(cursor: str) -> tuple[dt.date | None, int]:
    try:
        day, _, pk = signing.Signer(salt=CURSOR_SALT).unsign(cursor).partition("|")
        return (dt.date.fromisoformat(day) if day else None), int(pk)
    except (signing.BadSignature, ValueError):
        raise FieldErrors({"cursor": [CURSOR_INVALID]}) from None


def after_cursor(position: tuple[dt.date | None, int]) -> Q:
    """The rows after `position` in (signed_on DESC, id DESC). Where a NULL date sorts follows the database
    (PostgreSQL: first, as the largest value; SQLite: last), as the order itself does. The `signed_on <= day`
    bound lets the index start at the cursor instead of walking every row before it."""
    day, pk = position
    nulls_first = connection.features.nulls_order_largest
    if day is None:
        undated = Q(signed_on__isnull=True, id__lt=pk)
        return undated | Q(signed_on__isnull=False) if nulls_first else undated
    dated = Q(signed_on__lte=day) & (Q(signed_on__lt=day) | Q(id__lt=pk))
    return dated if nulls_first else dated | Q(signed_on__isnull=True)


@router.post("", response={201: ProjectDetailOut, **WRITE_ERRORS}, summary="新增项目")
def create_project(request, payload: ProjectIn):
    data = payload.model_dump()
    reason = data.pop("correction_reason")
    fields, shares = _write_args(data, request.user)
    project = services.project_create(user=request.user, shares=shares, correction_reason=reason, **fields)
    return Status(201, _get(request, project.pk))


@router.get("/{int:project_id}", response={200: ProjectDetailOut, **READ_ERRORS}, summary="项目详情")
def get_project(request, project_id: int):
    return _get(request, project_id)


@router.patch("/{int:project_id}", response={200: ProjectDetailOut, **WRITE_ERRORS}, summary="修改项目（需带版本号）")
def update_project(request, project_id: int, payload: ProjectPatch):
    project = _get(request, project_id)
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("version")
    reason = data.pop("correction_reason", "")
    fields, shares = _write_args(data, request.user, project)
    services.project_update(user=request.user, project=project, expected_version=version, shares=shares,
                            correction_reason=reason, **fields)
    return _get(request, project_id)


@router.put("/{int:project_id}/shares", response={200: list[ShareOut], 202: ShareChangeOut, **WRITE_ERRORS},
            summary="设置共享比例",
            description="200：已生效，返回新的共享比例。202：变更涉及本单位及下级单位以外的单位，须经该单位或考核办"
                        "确认后生效（见 /api/share-changes），确认前项目仍按原比例计算。")
def set_shares(request, project_id: int, payload: SharesIn):
    project = _get(request, project_id)
    refs = Refs()
    shares = _shares(payload.model_dump()["shares"], refs)
    refs.check()
    change = services.project_set_shares(user=request.user, project=project, shares=shares or [],
                                         correction_reason=payload.correction_reason)
    if change is not None:
        return Status(202, change)
    return list(project.shares.select_related("unit"))


@router.post("/{int:project_id}/stages", response={201: StageRecordOut, **WRITE_ERRORS}, summary="阶段备案")
def file_stage(request, project_id: int, payload: StageIn):
    project = _get(request, project_id)
    record = services.stage_file(user=request.user, project=project, **payload.model_dump())
    return Status(201, record)


@router.get("/{int:project_id}/funds", response={200: FundList, **READ_ERRORS}, summary="到位资金")
def list_funds(request, project_id: int):
    project = _get(request, project_id)
    return {"items": list(project.fund_arrivals.select_related("recorded_by")), "totals": fund_totals(project)}


@router.post("/{int:project_id}/funds", response={201: FundOut, **WRITE_ERRORS}, summary="录入到位资金")
def record_fund(request, project_id: int, payload: FundIn):
    project = _get(request, project_id)
    data = payload.model_dump()
    data["kind"] = data["kind"].value
    arrival = services.fund_arrival_record(user=request.user, project=project, **data)
    return Status(201, arrival)
