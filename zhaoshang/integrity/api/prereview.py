"""Pre-review API (项目预评审; a Ninja router mounted by zhaoshang/api/api.py at /integrity/prereviews).
Same service and scope as the pages: the city office, or a district office for its district's projects,
records a review; everyone reads the reviews of the projects they can see."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from zhaoshang.core.errors import ApplicationError
from zhaoshang.ledger import selectors as ledger_selectors

from ..models.prereview import PreReview
from ..selectors import prereview as selectors
from ..services import prereview as services

router = Router(tags=["integrity"])


class PreReviewOut(Schema):
    id: int
    project_id: int
    project_code: str
    project_name: str
    direction_fit: str
    direction_note: str
    policy_fit: str
    policy_note: str
    high_pollution: bool
    high_energy: bool
    high_emission: bool
    reviewer: str
    reviewed_on: dt.date
    conclusion: str
    conclusion_display: str
    note: str


class PreReviewIn(Schema):
    model_config = ConfigDict(extra="forbid")

    project_code: str
    direction_fit: Literal["fit", "unfit"] = Field(..., description="转调方向：fit 符合 / unfit 不符合")
    direction_note: str = ""
    policy_fit: Literal["fit", "unfit"] = Field(..., description="政策导向：fit 符合 / unfit 不符合")
    policy_note: str = ""
    high_pollution: bool = False
    high_energy: bool = False
    high_emission: bool = False
    reviewer: str
    reviewed_on: dt.date
    conclusion: Literal["passed", "failed"] = Field(
        ..., description="passed 通过 / failed 不通过（“三高”项目不能通过）")
    note: str = ""


def _out(r: PreReview) -> dict:
    return {
        "id": r.pk, "project_id": r.project_id, "project_code": r.project.code, "project_name": r.project.name,
        "direction_fit": r.direction_fit, "direction_note": r.direction_note, "policy_fit": r.policy_fit,
        "policy_note": r.policy_note, "high_pollution": r.high_pollution, "high_energy": r.high_energy,
        "high_emission": r.high_emission, "reviewer": r.reviewer, "reviewed_on": r.reviewed_on,
        "conclusion": r.conclusion, "conclusion_display": r.get_conclusion_display(), "note": r.note,
    }


@router.get("", response=list[PreReviewOut], summary="项目预评审记录")
def list_prereviews(request, project_code: str = "", conclusion: str = ""):
    qs = selectors.prereview_list(user=request.user, conclusion=conclusion)
    if project_code:
        qs = qs.filter(project__code=project_code.strip())
    return [_out(r) for r in qs[:500]]


@router.post("", response={201: PreReviewOut}, summary="登记项目预评审（考核办、区考核办）")
def record_prereview(request, payload: PreReviewIn):
    data = payload.model_dump()
    code = data.pop("project_code").strip()
    found = ledger_selectors.project_scope(request.user).filter(code=code).first()
    if found is None:
        message = _("找不到项目编号“%(code)s”") % {"code": code}
        raise ApplicationError(message, field_errors={"project_code": [message]})
    review = services.prereview_record(user=request.user, project=found, **data)
    return Status(201, _out(review))
