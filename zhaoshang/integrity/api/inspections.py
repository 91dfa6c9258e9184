"""Inspections API (一季一督查; a Ninja router mounted by zhaoshang/api/api.py at /integrity/inspections).
Same services, selectors and scope as the pages: plans (the city office), self-checks (the unit),
site visits and rectifications (the city office, or a district office within its district), closing
and reopening rectifications. Units, people and projects are named by their codes."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from zhaoshang.core.errors import ApplicationError
from zhaoshang.core.periods import today
from zhaoshang.ledger.models import Project
from zhaoshang.orgs.models import Person, Unit

from ..models.inspections import InspectionPlan, Rectification, SelfCheckReport, SiteVisit
from ..selectors import inspections as selectors
from ..services import inspections as services

router = Router(tags=["integrity"])


class _In(Schema):
    model_config = ConfigDict(extra="forbid")


class UnitRef(Schema):
    code: str
    name: str


class ProjectRef(Schema):
    id: int
    code: str
    name: str


def _unit(u: Unit) -> dict:
    return {"code": u.code, "name": u.name}


def _project(p: Project | None) -> dict | None:
    return None if p is None else {"id": p.pk, "code": p.code, "name": p.name}


class PlanOut(Schema):
    id: int
    period: str
    period_label: str
    title: str
    status: str
    status_display: str
    note: str
    units: list[UnitRef]
    projects: list[ProjectRef]
    created_at: dt.datetime


class SelfCheckOut(Schema):
    id: int
    plan_id: int
    unit: UnitRef
    summary: str
    issues: str
    submitted_by: str | None
    submitted_at: dt.datetime
    attachments: list[str]


class SiteVisitOut(Schema):
    id: int
    plan_id: int
    unit: UnitRef
    project: ProjectRef | None
    visited_on: dt.date
    people: str
    findings: str
    photos: list[str]


class RectificationOut(Schema):
    id: int
    plan_id: int
    site_visit_id: int | None
    unit: UnitRef
    project: ProjectRef | None
    description: str
    owner: str
    deadline: dt.date
    status: str
    status_display: str
    overdue_days: int = Field(..., description="逾期天数（已完成或未到期为 0）")
    closed_at: dt.datetime | None
    closed_by: str | None
    closure_note: str


class PlanDetailOut(PlanOut):
    self_checks: list[SelfCheckOut]
    site_visits: list[SiteVisitOut]
    rectifications: list[RectificationOut]


class PlanIn(_In):
    period: str = Field(..., description="季度，如 2024Q2")
    title: str
    unit_codes: list[str] = Field(..., min_length=1, description="督查单位编码")
    project_codes: list[str] = Field(default_factory=list, description="督查项目编号（须属于督查单位）")
    note: str = ""


class SelfCheckIn(_In):
    unit_code: str
    summary: str
    issues: str = ""


class SiteVisitIn(_In):
    unit_code: str
    visited_on: dt.date
    people: str
    findings: str
    project_code: str | None = None


class RectificationIn(_In):
    unit_code: str
    description: str
    deadline: dt.date
    owner_name: str = ""
    owner_staff_no: str | None = None
    project_code: str | None = None
    site_visit_id: int | None = None


class CloseIn(_In):
    note: str = Field(..., description="整改情况")


class ReopenIn(_In):
    note: str = Field(..., description="重新整改的理由")
    deadline: dt.date | None = None


class RectificationQuery(Schema):
    status: str = Field("", description="open（整改中）或 done（已完成）")
    overdue: bool = Field(False, description="只列逾期未完成的")
    plan_id: int | None = None


def _name(user) -> str | None:
    return None if user is None else (user.get_full_name() or user.username)


def _plan_out(plan: InspectionPlan, user) -> dict:
    return {"id": plan.pk, "period": plan.period, "period_label": plan.period_label, "title": plan.title,
            "status": plan.status, "status_display": plan.get_status_display(), "note": plan.note,
            "units": [_unit(u) for u in plan.units.all()],  # prefetched by the selector, scoped
            "projects": [_project(p) for p in selectors.plan_projects(user=user, plan=plan)],
            "created_at": plan.created_at}


def _self_check_out(r: SelfCheckReport) -> dict:
    return {"id": r.pk, "plan_id": r.plan_id, "unit": _unit(r.unit), "summary": r.summary, "issues": r.issues,
            "submitted_by": _name(r.submitted_by), "submitted_at": r.submitted_at,
            "attachments": [a.file.name.rsplit("/", 1)[-1] for a in r.attachments.all()]}


def _visit_out(v: SiteVisit) -> dict:
    return {"id": v.pk, "plan_id": v.plan_id, "unit": _unit(v.unit), "project": _project(v.project),
            "visited_on": v.visited_on, "people": v.people, "findings": v.findings,
            "photos": [p.file.name.rsplit("/", 1)[-1] for p in v.photos.all()]}


def _rect_out(r: Rectification, as_of: dt.date) -> dict:
    return {"id": r.pk, "plan_id": r.plan_id, "site_visit_id": r.site_visit_id, "unit": _unit(r.unit),
            "project": _project(r.project), "description": r.description, "owner": r.owner,
            "deadline": r.deadline, "status": r.status, "status_display": r.get_status_display(),
            "overdue_days": r.overdue_days(as_of), "closed_at": r.closed_at, "closed_by": _name(r.closed_by),
            "closure_note": r.closure_note}


class _Codes:
    """Codes a client sent → rows; every unknown code is named in one error."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def get(self, model, lookup: str, value: str | None, field: str, what: str):
        value = (value or "").strip()
        if not value:
            return None
        obj = model.objects.filter(**{lookup: value}).first()
        if obj is None:
            self.errors.setdefault(field, []).append(_("找不到%(what)s“%(value)s”") % {"what": what, "value": value})
        return obj

    def check(self) -> None:
        if self.errors:
            raise ApplicationError(_("引用的编码不存在"), field_errors=self.errors)


def _renamed(exc: ApplicationError, names: dict[str, str]) -> ApplicationError:
    exc.field_errors = {names.get(k, k): v for k, v in exc.field_errors.items()}
    return exc


@router.get("", response=list[PlanOut], summary="督查计划（按季度）")
def list_plans(request, period: str = ""):
    return [_plan_out(p, request.user) for p in selectors.plan_list(user=request.user, period=period)]


@router.post("", response={201: PlanDetailOut}, summary="制定督查计划（考核办）")
def create_plan(request, payload: PlanIn):
    codes = _Codes()
    units = [codes.get(Unit, "code", c, "unit_codes", _("单位编码")) for c in payload.unit_codes]
    projects = [codes.get(Project, "code", c, "project_codes", _("项目编号")) for c in payload.project_codes]
    codes.check()
    try:
        plan = services.inspection_plan_create(user=request.user, period=payload.period, title=payload.title,
                                               units=units, projects=projects, note=payload.note)
    except ApplicationError as exc:
        raise _renamed(exc, {"units": "unit_codes", "projects": "project_codes"}) from None
    return Status(201, _detail(request, plan))


def _detail(request, plan: InspectionPlan) -> dict:
    as_of = today()
    return {
        **_plan_out(plan, request.user),
        "self_checks": [_self_check_out(r) for r in selectors.self_check_list(user=request.user, plan=plan)],
        "site_visits": [_visit_out(v) for v in selectors.site_visit_list(user=request.user, plan=plan)],
        "rectifications": [_rect_out(r, as_of) for r in selectors.rectification_list(user=request.user, plan=plan)],
    }


@router.get("/{int:plan_id}", response=PlanDetailOut, summary="督查计划详情（自查、实地查看、整改）")
def get_plan(request, plan_id: int):
    return _detail(request, selectors.plan_get(user=request.user, pk=plan_id))


@router.get("/{int:plan_id}/self-checks", response=list[SelfCheckOut], summary="自查自报")
def list_self_checks(request, plan_id: int):
    plan = selectors.plan_get(user=request.user, pk=plan_id)
    return [_self_check_out(r) for r in selectors.self_check_list(user=request.user, plan=plan)]


@router.post("/{int:plan_id}/self-checks", response={201: SelfCheckOut}, summary="报送自查（被督查单位）")
def submit_self_check(request, plan_id: int, payload: SelfCheckIn):
    plan = selectors.plan_get(user=request.user, pk=plan_id)
    codes = _Codes()
    unit = codes.get(Unit, "code", payload.unit_code, "unit_code", _("单位编码"))
    codes.check()
    report = services.self_check_submit(user=request.user, plan=plan, unit=unit, summary=payload.summary,
                                        issues=payload.issues)
    return Status(201, _self_check_out(report))


@router.get("/{int:plan_id}/site-visits", response=list[SiteVisitOut], summary="实地查看记录")
def list_site_visits(request, plan_id: int):
    plan = selectors.plan_get(user=request.user, pk=plan_id)
    return [_visit_out(v) for v in selectors.site_visit_list(user=request.user, plan=plan)]


@router.post("/{int:plan_id}/site-visits", response={201: SiteVisitOut}, summary="记录实地查看（考核办、区考核办）")
def record_site_visit(request, plan_id: int, payload: SiteVisitIn):
    plan = selectors.plan_get(user=request.user, pk=plan_id)
    codes = _Codes()
    unit = codes.get(Unit, "code", payload.unit_code, "unit_code", _("单位编码"))
    project = codes.get(Project, "code", payload.project_code, "project_code", _("项目编号"))
    codes.check()
    try:
        visit = services.site_visit_record(user=request.user, plan=plan, unit=unit, visited_on=payload.visited_on,
                                           people=payload.people, findings=payload.findings, project=project)
    except ApplicationError as exc:
        raise _renamed(exc, {"project": "project_code"}) from None
    return Status(201, _visit_out(visit))


@router.get("/rectifications", response=list[RectificationOut], summary="整改事项")
def list_rectifications(request, filters: Query[RectificationQuery]):
    as_of = today()
    qs = selectors.rectification_list(user=request.user, status=filters.status,
                                      overdue_on=as_of if filters.overdue else None)
    if filters.plan_id:
        qs = qs.filter(plan_id=filters.plan_id)
    return [_rect_out(r, as_of) for r in qs]


@router.post("/{int:plan_id}/rectifications", response={201: RectificationOut},
             summary="提出整改事项（考核办、区考核办）")
def add_rectification(request, plan_id: int, payload: RectificationIn):
    plan = selectors.plan_get(user=request.user, pk=plan_id)
    codes = _Codes()
    unit = codes.get(Unit, "code", payload.unit_code, "unit_code", _("单位编码"))
    project = codes.get(Project, "code", payload.project_code, "project_code", _("项目编号"))
    person = codes.get(Person, "staff_no", payload.owner_staff_no, "owner_staff_no", _("工号"))
    visit = None
    if payload.site_visit_id is not None:
        visit = selectors.site_visit_list(user=request.user, plan=plan).filter(pk=payload.site_visit_id).first()
        if visit is None:
            codes.errors["site_visit_id"] = [_("找不到该实地查看记录")]
    codes.check()
    try:
        item = services.rectification_add(user=request.user, plan=plan, unit=unit, description=payload.description,
                                          deadline=payload.deadline, owner_name=payload.owner_name,
                                          owner_person=person, project=project, site_visit=visit)
    except ApplicationError as exc:
        raise _renamed(exc, {"project": "project_code", "site_visit": "site_visit_id",
                             "owner_person": "owner_staff_no"}) from None
    return Status(201, _rect_out(item, today()))


@router.post("/rectifications/{int:rectification_id}/close", response=RectificationOut, summary="整改销号")
def close_rectification(request, rectification_id: int, payload: CloseIn):
    item = selectors.rectification_get(user=request.user, pk=rectification_id)
    item = services.rectification_close(user=request.user, rectification=item, note=payload.note)
    return _rect_out(item, today())


@router.post("/rectifications/{int:rectification_id}/reopen", response=RectificationOut,
             summary="退回重新整改（考核办、区考核办）")
def reopen_rectification(request, rectification_id: int, payload: ReopenIn):
    item = selectors.rectification_get(user=request.user, pk=rectification_id)
    item = services.rectification_reopen(user=request.user, rectification=item, note=payload.note,
                                         deadline=payload.deadline)
    return _rect_out(item, today())
