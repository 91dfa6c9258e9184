"""Ledger pages about a filing's verification standing (核实认定) that a unit uses: add evidence of a
kind to a filing (the 签约 filing included), correct a fund arrival, refile a returned fact."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError

from . import filings
from .forms import EvidenceForm, FundArrivalForm, RefileForm, add_service_errors
from .models import FundArrival, StageRecord
from .views import GET_POST, _editable_project, refuse_forbidden


def _flash_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else error)


@login_required
@require_POST
@refuse_forbidden
def stage_evidence_add(request, pk: int, stage: str):
    """补充材料 from the project page: files of one kind added to the filing of `stage`."""
    project = _editable_project(request, pk)
    record = get_object_or_404(StageRecord, project=project, stage=stage)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            count = filings.stage_evidence_add(user=request.user, record=record, files=form.cleaned_data["files"],
                                               kind=form.cleaned_data["kind"])
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已为“%(stage)s”备案补充%(count)s份材料。")
                             % {"stage": record.get_stage_display(), "count": count})
    else:
        _flash_errors(request, form)
    return redirect("ledger:project_detail", pk=project.pk)


@login_required
@GET_POST
@refuse_forbidden
def fund_edit(request, pk: int, fund_pk: int):
    project = _editable_project(request, pk)
    arrival = get_object_or_404(FundArrival, project=project, pk=fund_pk)
    initial = {"date": arrival.date, "amount": arrival.amount, "kind": arrival.kind, "note": arrival.note,
               "evidence_kind": arrival.evidence_kind or None}
    form = FundArrivalForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            filings.fund_arrival_update(user=request.user, arrival=arrival, **form.cleaned_data)
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("到位资金已更正。"))
            return redirect("ledger:project_detail", pk=project.pk)
    context = {"form": form, "project": project, "heading": _("更正到位资金"), "form_id": "fund-form",
               "submit_label": _("保存"), "arrival": arrival}
    return render(request, "ledger/fund_form.html", context)


@login_required
@require_POST
@refuse_forbidden
def fact_refile(request, pk: int, kind: str, fact_pk: int):
    """重新报送 a returned filing (kind "stage") or fund arrival (kind "fund") of the project."""
    project = _editable_project(request, pk)
    model = {"stage": StageRecord, "fund": FundArrival}.get(kind)
    if model is None:
        return redirect("ledger:project_detail", pk=project.pk)
    fact = get_object_or_404(model, project=project, pk=fact_pk)
    form = RefileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            filings.fact_refile(user=request.user, fact=fact, note=form.cleaned_data["note"], files=form.uploads())
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已重新报送，等待核实。"))
    else:
        _flash_errors(request, form)
    # The queue's 被退回 list sends the user back there; anything off-site falls back to the project.
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("ledger:project_detail", pk=project.pk)
