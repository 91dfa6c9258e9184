"""服务与产出 pages: investor requests, aftercare visits, talent and 项目跑办. Lists and details read
through the scoped selectors (another unit's record is 404); writes go through the services."""

from __future__ import annotations

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.periods import today
from zhaoshang.ledger.choices import Verification
from zhaoshang.ledger.forms import add_service_errors
from zhaoshang.ledger.models import ProjectYield
from zhaoshang.ledger.selectors import project_scope
from zhaoshang.ledger.views import GET_POST, refuse_forbidden
from zhaoshang.ledger.yields import per_mu
from zhaoshang.security import audit
from zhaoshang.security.models import AuditAction

from . import deadlines, selectors, services
from .forms import AnswerForm, IssueForm, LiaisonForm, RequestForm, StepForm, TalentForm, VisitForm
from .models import (
    IssueStatus,
    LiaisonOutcome,
    RequestStatus,
    Talent,
    VisitIssue,
)

PAGE = 50


def _page(request, qs):
    return Paginator(qs, PAGE).get_page(request.GET.get("page"))


def _no_read_only(user) -> None:
    if user.is_read_only:
        raise PermissionDeniedError(_("只读账号不能登记或修改"))


def _form_page(request, form, heading: str, back: str, intro: str = ""):
    return render(request, "aftercare/form.html", {"form": form, "heading": heading, "back": back, "intro": intro})


@login_required
@require_GET
def index(request):
    user, now = request.user, today()
    requests = selectors.requests_for(user)
    context = {
        "overdue": list(requests.filter(status=RequestStatus.OPEN, deadline__lt=now)[:10]),
        "open_count": requests.filter(status=RequestStatus.OPEN).count(),
        "overdue_count": requests.filter(status=RequestStatus.OPEN, deadline__lt=now).count(),
        "answered_count": requests.filter(status=RequestStatus.ANSWERED).count(),
        "visits": list(selectors.visits_for(user)[:5]),
        "open_issues": VisitIssue.objects.filter(visit__in=selectors.visits_for(user).values("id"),
                                                 status=IssueStatus.OPEN).count(),
        "talent_count": selectors.talents_for(user).count(),
        "liaisons": list(selectors.liaisons_for(user)[:5]),
        "deadline_rule": deadlines.describe(),
        "today": now,
    }
    return render(request, "aftercare/index.html", context)


# ---- 产出质效 -------------------------------------------------------------------------------------------------


@login_required
@require_GET
def yield_list(request):
    """The yields of the user's projects, latest year first, with 亩均税收; `?state=pending` lists those
    waiting for verification (the verifier opens the project page to pass or return one)."""
    qs = ProjectYield.objects.filter(project__in=project_scope(request.user).values("id")).select_related(
        "project", "project__lead_unit").order_by("-year", "project__code")
    state = request.GET.get("state", "")
    if state == "pending":
        qs = qs.filter(verification__in=[Verification.PENDING, Verification.PRELIMINARY])
    elif state == "verified":
        qs = qs.filter(verification=Verification.VERIFIED)
    page = _page(request, qs)
    for item in page:
        item.tax_per_mu = per_mu(item.tax, item.land_mu)
        item.output_per_mu = per_mu(item.output_value, item.land_mu)
    states = [("", _("全部")), ("pending", _("待核实")), ("verified", _("已认定"))]
    return render(request, "aftercare/yield_list.html", {"page": page, "state": state, "states": states})


# ---- 客商诉求 -------------------------------------------------------------------------------------------------


@login_required
@require_GET
def request_list(request):
    qs = selectors.requests_for(request.user)
    state = request.GET.get("state", "")
    now = today()
    if state == "open":
        qs = qs.filter(status=RequestStatus.OPEN)
    elif state == "overdue":
        qs = qs.filter(status=RequestStatus.OPEN, deadline__lt=now)
    elif state == "answered":
        qs = qs.filter(status=RequestStatus.ANSWERED)
    page = _page(request, qs)
    for item in page:
        item.is_overdue = item.overdue_on(now)
    states = [("", _("全部")), ("open", _("办理中")), ("overdue", _("逾期未答复")), ("answered", _("已答复"))]
    return render(request, "aftercare/request_list.html", {"page": page, "state": state, "states": states,
                                                           "deadline_rule": deadlines.describe()})


@login_required
@GET_POST
@refuse_forbidden
def request_create(request):
    _no_read_only(request.user)
    form = RequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        project = data.pop("project_code")
        try:
            item = services.request_create(user=request.user, project=project, **data)
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("客商诉求已受理，答复期限为%(date)s。") % {"date": f"{item.deadline:%Y-%m-%d}"})
            return redirect("aftercare:request_detail", pk=item.pk)
    return _form_page(request, form, _("受理客商诉求"), "aftercare:request_list", deadlines.describe())


@login_required
@GET_POST
@refuse_forbidden
def request_detail(request, pk: int):
    item = selectors.get_or_404(selectors.requests_for(request.user), pk)
    may_edit = services.may_edit_unit(request.user, item.unit_id)
    form = AnswerForm(request.POST or None, initial={"answered_on": today()})
    if request.method == "POST":
        if not may_edit:
            raise PermissionDeniedError(_("您无权答复该客商诉求"))
        if form.is_valid():
            try:
                services.request_answer(user=request.user, item=item, **form.cleaned_data)
            except PermissionDeniedError:
                raise
            except ApplicationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("客商诉求已答复办结。"))
                return redirect("aftercare:request_detail", pk=item.pk)
    context = {"item": item, "form": form, "may_edit": may_edit, "overdue": item.overdue_on(today()),
               "history": item.history.select_related("history_user").order_by("-history_date")[:20],
               "provisional": deadlines.provisional(item.deadline)}
    return render(request, "aftercare/request_detail.html", context)


# ---- 服务走访 -------------------------------------------------------------------------------------------------


@login_required
@require_GET
def visit_list(request):
    page = _page(request, selectors.visits_for(request.user).prefetch_related("issues"))
    return render(request, "aftercare/visit_list.html", {"page": page})


@login_required
@GET_POST
@refuse_forbidden
def visit_create(request):
    _no_read_only(request.user)
    form = VisitForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        project = data.pop("project_code")
        try:
            visit = services.visit_record(user=request.user, project=project, **data)
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("服务走访已登记。"))
            return redirect("aftercare:visit_detail", pk=visit.pk)
    return _form_page(request, form, _("登记服务走访"), "aftercare:visit_list",
                      _("走访已投产企业，了解生产经营情况，登记企业反映的问题并逐项跟踪办理。"))


@login_required
@GET_POST
@refuse_forbidden
def visit_detail(request, pk: int):
    visit = selectors.get_or_404(selectors.visits_for(request.user), pk)
    may_edit = services.may_edit_unit(request.user, visit.unit_id)
    issues = list(visit.issues.all())
    if request.method == "POST":
        issue = next((i for i in issues if str(i.pk) == request.POST.get("issue")), None)
        if issue is None:
            raise Http404
        form = IssueForm(request.POST)
        if form.is_valid():
            try:
                services.issue_follow(user=request.user, issue=issue, **form.cleaned_data)
            except PermissionDeniedError:
                raise
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("问题办理情况已更新。"))
        else:
            messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("aftercare:visit_detail", pk=visit.pk)
    context = {"visit": visit, "issues": [(i, IssueForm(initial={"status": i.status, "resolution": i.resolution,
                                                                  "resolved_on": i.resolved_on}, prefix=f"i{i.pk}"))
                                          for i in issues], "may_edit": may_edit}
    return render(request, "aftercare/visit_detail.html", context)


# ---- 招才引智 -------------------------------------------------------------------------------------------------


@login_required
@require_GET
def talent_list(request):
    page = _page(request, selectors.talents_for(request.user).prefetch_related("shares__unit"))
    return render(request, "aftercare/talent_list.html", {"page": page})


def _talent_form_page(request, talent: Talent | None):
    _no_read_only(request.user)
    initial = {}
    if talent is not None:
        initial = {f: getattr(talent, f) for f in ("name", "is_team", "team_size", "level", "field", "enterprise",
                                                   "joined_on", "unit", "introducer", "note")}
        initial["project_code"] = talent.project.code if talent.project else ""
        for i, share in enumerate(talent.shares.all()[:3], start=1):
            initial[f"share_unit_{i}"], initial[f"share_ratio_{i}"] = share.unit_id, share.ratio
    form = TalentForm(request.POST or None, request.FILES or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not k.startswith("share_")}
        data["project"] = data.pop("project_code")
        evidence = data.pop("evidence")
        try:
            talent = services.talent_save(user=request.user, talent=talent, shares=form.shares(),
                                          evidence=evidence, **data)
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("人才“%(name)s”已保存。") % {"name": talent.name})
            return redirect("aftercare:talent_list")
    heading = _("修改引进人才") if talent else _("登记引进人才")
    return _form_page(request, form, heading, "aftercare:talent_list",
                      _("双招双引：引进的人才和团队计入引进单位；多个单位共同引进的，填写各单位比例（之和为1）。"))


@login_required
@GET_POST
@refuse_forbidden
def talent_create(request):
    return _talent_form_page(request, None)


@login_required
@GET_POST
@refuse_forbidden
def talent_edit(request, pk: int):
    talent = selectors.get_or_404(selectors.talents_for(request.user), pk)
    if not services.may_edit_unit(request.user, talent.unit_id):
        raise PermissionDeniedError(_("只有引进单位可以修改该人才记录"))
    return _talent_form_page(request, talent)


@login_required
@require_GET
def talent_evidence(request, pk: int):
    """The evidence file, as a download, after the scope check (404 outside it); the download is audited."""
    talent = selectors.get_or_404(selectors.talents_for(request.user), pk)
    if not talent.evidence:
        raise Http404(_("证明材料不存在"))
    try:
        handle = talent.evidence.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("证明材料文件已丢失")) from exc
    audit.record(request, AuditAction.DOWNLOAD, talent, detail="人才证明材料")
    response = FileResponse(handle, as_attachment=True, filename=os.path.basename(talent.evidence.name),
                            content_type="application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---- 项目跑办 -------------------------------------------------------------------------------------------------


@login_required
@require_GET
def liaison_list(request):
    page = _page(request, selectors.liaisons_for(request.user))
    return render(request, "aftercare/liaison_list.html", {"page": page})


def _liaison_form_page(request, item):
    _no_read_only(request.user)
    initial = {}
    if item is not None:
        initial = {f: getattr(item, f) for f in ("unit", "title", "sought", "body", "started_on", "outcome",
                                                 "outcome_on", "amount_won", "lead_person", "note")}
        initial["project_code"] = item.project.code if item.project else ""
    form = LiaisonForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["project"] = data.pop("project_code")
        try:
            item = services.liaison_save(user=request.user, item=item, **data)
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("跑办事项已保存。"))
            return redirect("aftercare:liaison_detail", pk=item.pk)
    heading = _("修改跑办事项") if item else _("登记跑办事项")
    return _form_page(request, form, heading, "aftercare:liaison_list",
                      _("驻点招商局向中央机关、国家部委争取重点项目、重大政策和资金的跑办事项。"))


@login_required
@GET_POST
@refuse_forbidden
def liaison_create(request):
    return _liaison_form_page(request, None)


@login_required
@GET_POST
@refuse_forbidden
def liaison_edit(request, pk: int):
    item = selectors.get_or_404(selectors.liaisons_for(request.user), pk)
    return _liaison_form_page(request, item)


@login_required
@require_GET
def liaison_detail(request, pk: int):
    item = selectors.get_or_404(selectors.liaisons_for(request.user), pk)
    context = {"item": item, "steps": list(item.steps.all()), "step_form": StepForm(initial={"date": today()}),
               "may_edit": services.may_edit_unit(request.user, item.unit_id),
               "won": item.outcome in (LiaisonOutcome.WON, LiaisonOutcome.PARTIAL)}
    return render(request, "aftercare/liaison_detail.html", context)


@login_required
@require_POST
@refuse_forbidden
def liaison_step(request, pk: int):
    item = selectors.get_or_404(selectors.liaisons_for(request.user), pk)
    form = StepForm(request.POST)
    if form.is_valid():
        try:
            services.liaison_step_add(user=request.user, item=item, **form.cleaned_data)
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("跑办进展已记录。"))
    else:
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("aftercare:liaison_detail", pk=item.pk)
