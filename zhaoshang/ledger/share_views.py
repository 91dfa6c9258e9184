"""共享确认: the changes of shares waiting for a unit's consent (ledger/sharing.py), and the answers.

The receiving unit sees here what the introducing unit proposes for it — the project, the ratios before
and after — and confirms or declines; the introducing unit sees what it is waiting for and may withdraw it.
An assessor may answer for any unit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.text import strip_control

from . import sharing
from .models import ShareChange
from .views import refuse_forbidden


@login_required
@require_GET
def share_change_list(request):
    changes = [sharing.describe(c, request.user) for c in sharing.changes_for(user=request.user)
               .select_related("project__lead_unit")[:200]]
    context = {"awaiting": [c for c in changes if c.can_answer],
               "proposed": [c for c in changes if not c.can_answer]}
    return render(request, "ledger/share_changes.html", context)


def _change(request, pk: int) -> ShareChange:
    """A change the user may see: one of their units waits on it, or it is their units' project."""
    change = sharing.visible_changes(user=request.user).filter(pk=pk).first()
    if change is None:
        raise Http404(_("共享变更不存在或无权查看"))
    return change


def _back(request, change: ShareChange):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("ledger:share_changes")


@login_required
@require_POST
@refuse_forbidden
def share_change_confirm(request, pk: int):
    change = _change(request, pk)
    try:
        applied = sharing.confirm(user=request.user, change=change)
    except PermissionDeniedError:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if applied:
            messages.success(request, _("已确认，项目“%(code)s”的共享比例已生效。") % {"code": change.project.code})
        else:
            messages.success(request, _("已确认；还需其他单位确认后生效。"))
    return _back(request, change)


@login_required
@require_POST
@refuse_forbidden
def share_change_decline(request, pk: int):
    change = _change(request, pk)
    try:
        sharing.decline(user=request.user, change=change, note=strip_control(request.POST.get("note", ""))[:300])
    except PermissionDeniedError:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已拒绝，项目“%(code)s”的共享比例保持不变。") % {"code": change.project.code})
    return _back(request, change)


@login_required
@require_POST
@refuse_forbidden
def share_change_withdraw(request, pk: int):
    change = _change(request, pk)
    try:
        sharing.withdraw(user=request.user, change=change)
    except PermissionDeniedError:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已撤回该共享变更。"))
    return _back(request, change)
