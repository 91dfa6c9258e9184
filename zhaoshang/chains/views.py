"""Chain pages: the chains, one chain drawn with its segments (click-through to the ledger filtered to the
segment and to the target list), the 目标企业库 with its conversion into a ledger project, and the meetings
with their minutes. Views are thin: selectors read (scoped), services write."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.money import format_auto
from zhaoshang.ledger.choices import tags_from_field
from zhaoshang.ledger.forms import add_service_errors
from zhaoshang.ledger.selectors import project_scope
from zhaoshang.ledger.views import refuse_forbidden
from zhaoshang.orgs.models import Unit
from zhaoshang.security.audit import record
from zhaoshang.security.models import AuditAction

from . import documents, meetings, selectors, services
from .forms import (
    ActionForm,
    ConvertForm,
    MeetingForm,
    ProjectSegmentForm,
    ReportForm,
    TargetFilterForm,
    TargetForm,
)
from .models import POSITION_ORDER, ActionItem, ChainSegment, Position, TaskForce
from .pipeline import pipelines

GET_POST = require_http_methods(["GET", "POST"])
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


def ledger_link(segment_id: int) -> str:
    return f"{reverse('ledger:project_list')}?{urlencode({'segment': segment_id})}"


def targets_link(**params) -> str:
    return f"{reverse('chains:target_list')}?{urlencode(params)}"


# ---- chains --------------------------------------------------------------------------------------------------

@login_required
@require_GET
def chain_list(request):
    overview = selectors.chains_overview(user=request.user)
    by_chain = pipelines("chain", projects=project_scope(request.user), targets=selectors.target_scope(request.user))
    rows = [{"figures": f, "pipeline": by_chain.get(f.chain.pk)} for f in overview]
    return render(request, "chains/chain_list.html", {"rows": rows})


def _chart(figures) -> dict:
    """Nodes placed in three columns (上游/中游/下游), each linked to the ledger filtered to its projects;
    an edge from every segment of one column to every segment of the next."""
    columns: dict[str, list] = {p.value: [] for p in Position}
    for f in figures.segments:
        columns.setdefault(f.segment.position, []).append(f)
    nodes, edges = [], []
    for col, position in enumerate(sorted(columns, key=lambda p: POSITION_ORDER.get(p, 9))):
        for row, f in enumerate(columns[position]):
            seg = f.segment
            nodes.append({
                "id": str(seg.pk), "name": seg.name, "position": seg.get_position_display(), "x": col * 300,
                "y": row * 110, "projects": f.projects, "amount": str(f.amount), "amount_text": format_auto(f.amount),
                "targets": f.targets, "has_break": f.has_break,
                "gaps": [f"{g.get_kind_display()}：{g.note}" for g in f.gaps],
                "link": ledger_link(seg.pk), "targets_link": targets_link(segment=seg.pk),
            })
    ordered = [sorted(columns[p], key=lambda f: f.segment.order) for p in
               sorted(columns, key=lambda p: POSITION_ORDER.get(p, 9))]
    for left, right in zip(ordered, ordered[1:], strict=False):
        for a in left:
            for b in right:
                edges.append({"source": str(a.segment.pk), "target": str(b.segment.pk)})
    return {"nodes": nodes, "edges": edges}


@login_required
@require_GET
def chain_detail(request, pk: int):
    chain = selectors.chain_get(pk)
    figures = selectors.chain_figures(user=request.user, chain=chain)
    projects = project_scope(request.user)
    targets = selectors.target_scope(request.user)
    group = pipelines("chain", projects=projects, targets=targets).get(chain.pk)
    # Per following unit (专班, 驻点局) and per introducing unit, over this chain's targets and projects.
    in_chain = projects.filter(chain_link__segment__chain=chain)
    chain_targets = targets.filter(segment__chain=chain)
    by_unit = []
    for by, label in (("office", _("跟进单位")), ("unit", _("引资单位"))):
        groups = pipelines(by, projects=in_chain, targets=chain_targets if by == "office" else targets.none())
        names = dict(Unit.objects.filter(pk__in=[k for k in groups if k]).values_list("pk", "name"))
        by_unit += [{"kind": label, "unit": names.get(k, "—"), "p": g} for k, g in
                    sorted(groups.items(), key=lambda kv: names.get(kv[0], ""))]
    labels = {"projects": _("项目"), "amount": _("签约金额"), "targets": _("目标企业"), "unit": _("个"),
              "break": _("断点"), "clickHint": _("点击查看该环节的台账项目")}
    return render(request, "chains/chain_detail.html", {
        "chain": chain, "figures": figures, "pipeline": group, "chart": _chart(figures), "labels": labels,
        "by_unit": by_unit,
        "task_force": TaskForce.objects.filter(chain=chain).select_related("unit", "leader").first(),
        "link_form": ProjectSegmentForm(chain_id=chain.pk),
        "can_link": not request.user.is_read_only,
        "targets_all_link": targets_link(chain=chain.pk),
    })


@login_required
@require_POST
@refuse_forbidden
def project_link(request, pk: int):
    """Put one of the user's ledger projects (by its code) in a segment of this chain."""
    chain = selectors.chain_get(pk)
    form = ProjectSegmentForm(request.POST, chain_id=chain.pk)
    if form.is_valid():
        project = project_scope(request.user).filter(code=form.cleaned_data["project_code"].strip()).first()
        segment = ChainSegment.objects.filter(pk=form.cleaned_data["segment"], chain=chain).first()
        if project is None:
            messages.error(request, _("项目编号不存在或无权查看"))
        elif segment is not None:
            try:
                services.project_link(user=request.user, project=project, segment=segment)
                messages.success(request, _("已将项目 %(code)s 归入环节“%(segment)s”")
                                 % {"code": project.code, "segment": segment.name})
            except ApplicationError as exc:
                messages.error(request, exc.message)
    else:
        messages.error(request, _("请填写项目编号并选择环节"))
    return redirect("chains:chain_detail", pk=chain.pk)


@login_required
@require_GET
def chain_guide(request, pk: int):
    chain = selectors.chain_get(pk)
    content = documents.guide_docx(chain, user=request.user)
    record(request, AuditAction.EXPORT, f"产业招商指南：{chain.name}", True)
    return _docx_response(content, f"{chain.name}产业招商指南.docx")


# ---- targets -------------------------------------------------------------------------------------------------

@login_required
@require_GET
def target_list(request):
    form = TargetFilterForm(request.GET or None)
    values = form.values()
    qs = selectors.target_list(user=request.user, **values)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    segment = ChainSegment.objects.select_related("chain").filter(pk=values["segment"]).first() \
        if values["segment"] else None
    return render(request, "chains/target_list.html", {
        "form": form, "page": page, "count": page.paginator.count, "segment": segment,
        "can_create": not request.user.is_read_only,
        "query": request.GET.copy().urlencode() if request.GET else "",
    })


@login_required
@GET_POST
@refuse_forbidden
def target_edit(request, pk: int | None = None):
    target = selectors.target_get(user=request.user, pk=pk) if pk else None
    if request.method == "POST":
        form = TargetForm(request.POST, user=request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["segment"] = ChainSegment.objects.get(pk=data["segment"])
            try:
                target = services.target_save(user=request.user, target=target, **data)
            except ApplicationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("目标企业已保存"))
                return redirect("chains:target_detail", pk=target.pk)
    else:
        initial = {}
        if target is not None:
            initial = {f: getattr(target, f) for f in ("name", "uscc", "region", "contact_name", "contact_phone",
                                                       "status", "first_contact_on", "note")}
            initial.update(segment=target.segment_id, following_unit=target.following_unit_id,
                           tags=tags_from_field(target.tags))
        elif request.GET.get("segment", "").isdigit():
            initial["segment"] = int(request.GET["segment"])
        form = TargetForm(initial=initial, user=request.user)
    return render(request, "chains/target_form.html", {"form": form, "target": target})


@login_required
@require_GET
def target_detail(request, pk: int):
    target = selectors.target_get(user=request.user, pk=pk)
    history = target.history.select_related("history_user").order_by("-history_date")[:20]
    convert_form = None
    if target.project_id is None and not request.user.is_read_only:
        convert_form = ConvertForm(user=request.user, initial={
            "code": services.suggest_project_code(target), "name": f"{target.name}项目",
            "lead_unit": target.following_unit_id})
    return render(request, "chains/target_detail.html", {
        "target": target, "history": history, "convert_form": convert_form,
        "can_edit": not request.user.is_read_only,
    })


@login_required
@require_POST
@refuse_forbidden
def target_convert(request, pk: int):
    target = selectors.target_get(user=request.user, pk=pk)
    form = ConvertForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            project = services.target_convert(user=request.user, target=target, **form.cleaned_data)
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已转为台账项目 %(code)s，并归入环节“%(segment)s”")
                             % {"code": project.code, "segment": target.segment.name})
            return redirect("ledger:project_detail", pk=project.pk)
    history = target.history.select_related("history_user").order_by("-history_date")[:20]
    return render(request, "chains/target_detail.html", {
        "target": target, "history": history, "convert_form": form, "can_edit": True}, status=400)


# ---- meetings ------------------------------------------------------------------------------------------------

@login_required
@require_GET
def meeting_list(request):
    from zhaoshang.core.periods import today
    from zhaoshang.orgs.scope import visible_unit_ids

    qs = selectors.meeting_scope(request.user)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    ids = visible_unit_ids(request.user)
    as_of = today()
    return render(request, "chains/meeting_list.html", {
        "page": page, "missed": meetings.missed_meetings(as_of=as_of, unit_ids=ids),
        "overdue": list(meetings.overdue_actions(as_of=as_of, unit_ids=ids)[:50]),
        "can_create": not request.user.is_read_only,
    })


@login_required
@GET_POST
@refuse_forbidden
def meeting_create(request):
    if request.method == "POST":
        form = MeetingForm(request.POST, user=request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            attendees = data.pop("attendees")
            try:
                meeting = services.meeting_save(user=request.user, attendees=attendees, **data)
            except ApplicationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("会议已保存"))
                return redirect("chains:meeting_detail", pk=meeting.pk)
    else:
        form = MeetingForm(user=request.user)
    return render(request, "chains/meeting_form.html", {"form": form})


@login_required
@GET_POST
@refuse_forbidden
def meeting_detail(request, pk: int):
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    report_form, action_form = ReportForm(user=request.user), ActionForm(user=request.user)
    if request.method == "POST":
        try:
            if request.POST.get("what") == "report":
                report_form = ReportForm(request.POST, user=request.user)
                if report_form.is_valid():
                    services.meeting_save(user=request.user, meeting=meeting, reports=[
                        (report_form.cleaned_data["unit"], report_form.cleaned_data["content"])])
                    messages.success(request, _("汇报已记录"))
                    return redirect("chains:meeting_detail", pk=meeting.pk)
            elif request.POST.get("what") == "action":
                action_form = ActionForm(request.POST, user=request.user)
                if action_form.is_valid():
                    services.action_add(user=request.user, meeting=meeting, **action_form.cleaned_data)
                    messages.success(request, _("督办事项已添加"))
                    return redirect("chains:meeting_detail", pk=meeting.pk)
            elif request.POST.get("what") == "done":
                raw = request.POST.get("item", "")
                item = ActionItem.objects.filter(pk=int(raw), meeting=meeting).first() if raw.isdigit() and \
                    len(raw) < 18 else None
                if item is not None:
                    services.action_done(user=request.user, item=item)
                    messages.success(request, _("督办事项已办结"))
                return redirect("chains:meeting_detail", pk=meeting.pk)
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            messages.error(request, exc.message)
    return render(request, "chains/meeting_detail.html", {
        "meeting": meeting, "reports": meeting.reports.select_related("unit"),
        "actions": meeting.action_items.select_related("owner_unit", "owner").order_by("done", "deadline"),
        "report_form": report_form, "action_form": action_form, "can_edit": not request.user.is_read_only,
    })


@login_required
@require_GET
def meeting_minutes(request, pk: int):
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    record(request, AuditAction.EXPORT, f"会议纪要：{meeting}", True)
    return _docx_response(documents.minutes_docx(meeting), f"{meeting.date:%Y%m%d}{meeting.title}纪要.docx")
