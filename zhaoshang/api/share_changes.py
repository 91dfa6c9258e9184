"""Share changes waiting for a unit's consent (共享确认, ledger/sharing.py): list, confirm, decline, withdraw.

The same services as the ledger's 共享确认 page: a unit user answers for their own units, an assessor for any;
the introducing unit may withdraw a change still waiting."""

from __future__ import annotations

from django.http import Http404
from ninja import Field, Router

from zhaoshang.ledger import sharing
from zhaoshang.ledger.models import ShareChange

from .project_schemas import ShareChangeOut
from .schemas import WRITE_ERRORS, InputSchema

router = Router(tags=["projects"])


class DeclineIn(InputSchema):
    note: str = Field("", max_length=300, description="拒绝理由（选填）")


def _change(request, change_id: int) -> ShareChange:
    change = sharing.visible_changes(user=request.user).filter(pk=change_id).first()
    if change is None:
        raise Http404("共享变更不存在或无权查看")
    return change


@router.get("", response=list[ShareChangeOut], summary="待确认的共享变更",
            description="本单位待确认的，以及本单位项目待对方确认的共享变更（考核办：全部）。")
def list_changes(request):
    return list(sharing.changes_for(user=request.user).select_related("project")[:500])


@router.post("/{int:change_id}/confirm", response={200: ShareChangeOut, **WRITE_ERRORS}, summary="确认共享变更")
def confirm_change(request, change_id: int):
    change = _change(request, change_id)
    sharing.confirm(user=request.user, change=change)
    change.refresh_from_db()
    return change


@router.post("/{int:change_id}/decline", response={200: ShareChangeOut, **WRITE_ERRORS}, summary="拒绝共享变更")
def decline_change(request, change_id: int, payload: DeclineIn):
    change = _change(request, change_id)
    sharing.decline(user=request.user, change=change, note=payload.note)
    change.refresh_from_db()
    return change


@router.post("/{int:change_id}/withdraw", response={200: ShareChangeOut, **WRITE_ERRORS}, summary="撤回共享变更")
def withdraw_change(request, change_id: int):
    change = _change(request, change_id)
    sharing.withdraw(user=request.user, change=change)
    change.refresh_from_db()
    return change
