"""Ledger pages. Views are thin: read through selectors, write through services, and turn the
services' one error family into a 403 page (PermissionDeniedError) or form errors (the rest)."""

from __future__ import annotations

import os
from decimal import Decimal
from functools import wraps
from math import ceil

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.periods import today
from zhaoshang.orgs.models import Person, Unit
from zhaoshang.orgs.scope import check_can_edit_unit

from . import selectors, services, sharing, yields
from .choices import STAGE_DATE_FIELD, STAGE_ORDER, UNCLASSIFIED, CreditRole, EvidenceKind, Section, Stage
from .credits import credit_split
from .evidence import INLINE_TYPES, missing_evidence
from .forms import (
    FundArrivalForm,
    ProjectFilterForm,
    ProjectForm,
    ReclassifyForm,
    RestoreForm,
    ShareFormSet,
    StageFileForm,
    add_service_errors,
)
from .models import FundArrival, Project, StageEvidence

GET_POST = require_http_methods(["GET", "POST"])


def refuse_forbidden(view):
    """A PermissionDeniedError anywhere in the view (or the service it calls) becomes a 403 page
    carrying the service's Chinese message, so the user learns why rather than just "forbidden"."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDeniedError as exc:
            return render(request, "403.html", {"message": exc.message}, status=403)

    return wrapper


def may_edit(user, project) -> bool:
    try:
        check_can_edit_unit(user, project.lead_unit_id, what=_("该项目"))
    except PermissionDeniedError:
        return False
    return True


def _editable_project(request, pk: int):
    """The project if visible (404 otherwise) and editable by the user (403 otherwise)."""
    project = selectors.project_get(user=request.user, pk=pk)
    check_can_edit_unit(request.user, project.lead_unit_id, what=_("该项目"))
    return project


def _wants_partial(request) -> bool:
    # A history-restore request (back button after the cache was evicted) needs the whole page.
    return bool(request.htmx) and not request.htmx.history_restore_request


# ---------------------------------------------------------------------------------------------
# List


def _page_links(page: int, pages: int) -> list[int | None]:
    """First, last and two either side of the current page; None marks a gap (…)."""
    wanted = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    links: list[int | None] = []
    for number in wanted:
        if links and number - links[-1] > 1:
            links.append(None)
        links.append(number)
    return links


def _choice_labels(field_name: str) -> dict[str, str]:
    """A Project field's choices as value → label, in the request's language."""
    return {value: str(label) for value, label in Project._meta.get_field(field_name).flatchoices}


@login_required
@require_GET
def project_list(request):
    form = ProjectFilterForm(request.GET or None, user=request.user)
    filters = form.to_filters()
    qs = selectors.project_list(user=request.user, filters=filters)
    # The totals query also gives the row count, so no separate COUNT for the paginator: the page
    # costs the same few queries whether the filter matches ten projects or ten thousand.
    branches = selectors.scope_branches(user=request.user, filters=filters)
    totals = selectors.ledger_totals(qs, filters, branches, user=request.user)
    size = settings.LEDGER_PAGE_SIZE
    pages = max(1, ceil(totals.count / size))
    try:
        page = min(max(1, int(request.GET.get("page", 1))), pages)
    except ValueError:
        page = 1
    rows = selectors.project_page(qs, page=page, size=size, branches=branches,
                                  searched_count=totals.count if filters.q else None)
    funds = selectors.page_fund_totals([p.pk for p in rows])
    can_reclassify = not request.user.is_read_only
    labels = {name: _choice_labels(name) for name in ("stage", "status", "category")}
    for project in rows:
        project.funds_total = funds.get(project.pk, Decimal("0"))
        project.can_edit = can_reclassify and may_edit(request.user, project)
        # Each get_FOO_display() rebuilt its field's whole choice list, translating every label, for every row:
        # 40 % of rendering the table. The labels are looked up once per page instead.
        for name, names in labels.items():
            value = getattr(project, name)
            setattr(project, f"{name}_label", names.get(value, value))
    context = {
        "form": form,
        "projects": rows,
        "totals": totals,
        "page": page,
        "pages": pages,
        "page_links": _page_links(page, pages),
        "first_index": (page - 1) * size + 1,
        "can_create": not request.user.is_read_only,
        "can_reclassify": can_reclassify,
        "reclassify_form": ReclassifyForm(user=request.user, initial={"query": request.GET.urlencode()}),
    }
    status = 200
    if bad := form.hidden_errors():
        # A drill-down value no control on the page produces (an id beyond 64 bits, a date that is no
        # date): the link was edited by hand. Answered 400 naming the filter, the rest of the page as usual.
        status = 400
        messages.error(request, _("筛选条件有误：%(errors)s") % {"errors": "；".join(bad)})
    partial = _wants_partial(request)
    if not partial:
        # The migration left 服务业 and 其他 projects 待归类: the page says how many, with a link to them.
        context["unclassified_count"] = selectors.unclassified_count(request.user)
        # Shares other units gave (or took from) this user's units, waiting for their consent.
        context["share_awaiting"] = sharing.awaiting(user=request.user).values("change_id").distinct().count()
        context["unclassified_value"] = UNCLASSIFIED
    template = "ledger/_project_table.html" if partial else "ledger/project_list.html"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ("HX-Request",))  # the same URL answers with a page or a partial
    return response


@login_required
@require_POST
@refuse_forbidden
def project_reclassify(request):
    """归类: set the 行业门类 of the ticked projects, or of all the filter matches, each through the
    ordinary project update (scope, closed periods, history); the refused ones are listed."""
    if request.user.is_read_only:
        raise PermissionDeniedError(_("只读账号不能修改项目"))
    form = ReclassifyForm(request.POST, user=request.user)
    query = request.POST.get("query", "")
    back = f"{reverse('ledger:project_list')}?{query}" if query else reverse("ledger:project_list")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    data = form.cleaned_data
    if data["all_matching"]:
        filters = ProjectFilterForm(QueryDict(data["query"]), user=request.user).to_filters()
        projects = selectors.project_list(user=request.user, filters=filters)
    else:
        projects = selectors.project_scope(request.user).filter(pk__in=data["ids"])
    try:
        done = services.project_reclassify(user=request.user, projects=projects.order_by("code"),
                                           section=data["section"],
                                           correction_reason=data.get("correction_reason") or "")
    except PermissionDeniedError:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    label = Section(data["section"]).label
    if done.changed:
        messages.success(request, _("已将%(n)s个项目归入“%(section)s”，修改已记入各项目的历史。")
                         % {"n": len(done.changed), "section": label})
    if done.unchanged:
        messages.info(request, _("%(n)s个项目原已属于“%(section)s”，未作修改。")
                      % {"n": len(done.unchanged), "section": label})
    if done.refused:
        shown = pgettext("list separator", "；").join(
            f"{p.code} {p.name}：{reason}" for p, reason in done.refused[:REFUSED_SHOWN])
        more = len(done.refused) - REFUSED_SHOWN
        if more > 0:
            shown += _("……另有%(n)s个") % {"n": more}
        messages.warning(request, _("%(n)s个项目未修改：%(list)s") % {"n": len(done.refused), "list": shown})
    return redirect(back)


REFUSED_SHOWN = 5  # refused projects named in the message; the rest are counted


# ---------------------------------------------------------------------------------------------
# Detail


def _timeline(project) -> list[dict]:
    records = {
        r.stage: r
        for r in project.stage_records.select_related("filed_by", "reviewed_by").prefetch_related("evidence")
    }
    for record in records.values():
        record.project = project
        record.missing = missing_evidence(record)
    steps = []
    for stage in STAGE_ORDER[1:]:
        steps.append({
            "stage": stage,
            "label": stage.label,
            "date": getattr(project, STAGE_DATE_FIELD[stage]),
            "record": records.get(stage),
            "reached": project.stage_index >= STAGE_ORDER.index(stage),
            "current": project.stage == stage,
            "default_kind": DEFAULT_EVIDENCE_KIND.get(stage, EvidenceKind.OTHER),
        })
    return steps


# The material a filing's 补充材料 form offers first: the one its stage usually needs.
DEFAULT_EVIDENCE_KIND = {Stage.SIGNED: EvidenceKind.CONTRACT, Stage.REGISTERED: EvidenceKind.LICENSE,
                         Stage.STARTED: EvidenceKind.PERMIT, Stage.COMPLETED: EvidenceKind.ACCEPTANCE,
                         Stage.PRODUCING: EvidenceKind.PRODUCTION}

HISTORY_TYPES = {"+": gettext_lazy("新增"), "~": gettext_lazy("修改"), "-": gettext_lazy("删除")}
# The selector tags entries with a fixed Chinese `kind` (a stable key, also the data-kind attribute);
# pages show the translated label.
HISTORY_KINDS = {"项目": gettext_lazy("项目"), "到位资金": gettext_lazy("到位资金"), "共享": gettext_lazy("共享"),
                 "阶段备案": gettext_lazy("阶段备案")}
FK_MODELS = {"lead_unit": Unit, "assisting_unit": Unit, "introducer": Person, "assisting_secretary": Person,
             # events belong to activities (a layer above): reached through the foreign key, not imported
             "signed_at_event": Project._meta.get_field("signed_at_event").related_model}


def _show(field, value, names: dict) -> str:
    """A history value as a person reads it: names for foreign keys and choices, 是/否, dates."""
    if value is None or value == "":
        return _("待归类") if field is not None and field.name == "category" else "—"
    if field is not None and field.name in FK_MODELS:
        return names.get((FK_MODELS[field.name], value), f"#{value}")
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, Decimal):
        return f"{value.normalize():,f}"
    return str(value)


def describe_history(entries: list[dict]) -> list[dict]:
    """Add readable `action`, `summary` and per-field `before → after` to the selector's entries.
    Foreign keys arrive as raw ids; they are resolved with one query per model, not per row."""
    by_verbose = {str(f.verbose_name): f for f in Project._meta.fields}
    wanted: dict[type, set] = {}
    for entry in entries:
        for change in entry["changes"]:
            field = by_verbose.get(str(change["field"]))
            if field is not None and field.name in FK_MODELS:
                wanted.setdefault(FK_MODELS[field.name], set()).update(
                    v for v in (change["old"], change["new"]) if v)
        if entry["kind"] == "共享":
            wanted.setdefault(Unit, set()).add(entry["record"].unit_id)
    names = {(model, pk): str(obj) for model, ids in wanted.items() for pk, obj in model.objects.in_bulk(ids).items()}
    for entry in entries:
        rec = entry["record"]
        entry["action"] = HISTORY_TYPES.get(rec.history_type, rec.history_type)
        entry["kind_label"] = HISTORY_KINDS.get(entry["kind"], entry["kind"])
        entry["is_project"] = entry["kind"] == "项目"
        entry["rows"] = [
            {"field": change["field"],
             "old": _show(by_verbose.get(str(change["field"])), change["old"], names),
             "new": _show(by_verbose.get(str(change["field"])), change["new"], names)}
            for change in entry["changes"]
        ]
        if entry["kind"] == "到位资金":
            entry["summary"] = _("%(date)s %(amount)s万元 %(kind)s") % {
                "date": f"{rec.date:%Y-%m-%d}", "amount": f"{rec.amount.normalize():,f}",
                "kind": rec.get_kind_display(),
            }
        elif entry["kind"] == "共享":
            entry["summary"] = f"{names.get((Unit, rec.unit_id), rec.unit_id)} {rec.ratio.normalize():f}"
        elif entry["kind"] == "阶段备案":
            entry["summary"] = f"{rec.get_stage_display()} {rec.date:%Y-%m-%d}"
        else:
            entry["summary"] = ""
        if entry["kind"] in ("到位资金", "阶段备案"):
            # Each verification step is a history row of the fact: say where it stood, and why.
            entry["summary"] += f" · {rec.get_verification_display()}"
            if rec.history_change_reason:
                entry["summary"] += f"（{rec.history_change_reason}）"
    return entries


@login_required
@require_GET
def project_detail(request, pk: int):
    project = selectors.project_get(user=request.user, pk=pk)
    year = today().year
    funds = list(project.fund_arrivals.select_related("recorded_by", "reviewed_by").order_by("-date", "-id"))
    for fund in funds:
        fund.project = project
        fund.missing = missing_evidence(fund)
    context = {
        "project": project,
        "timeline": _timeline(project),
        "shares": list(project.shares.select_related("unit")),
        # Changes of the shares, the one waiting for another unit's consent first (ledger/sharing.py).
        "share_changes": [sharing.describe(c, request.user)
                          for c in project.share_changes.select_related("proposed_by")[:10]],
        # 个人分成 (ledger/credits.py): who holds the 引资人 and 帮办秘书 credit, and for what part.
        "credit_splits": [(role, credit_split(project, role)) for role in CreditRole],
        "funds": funds,
        "fund_totals": selectors.project_fund_totals(project, year),
        "year": year,
        "history": describe_history(selectors.project_history(project)),
        "can_edit": may_edit(request.user, project),
        "can_restore": request.user.is_assessor,
        "signed_stage": Stage.SIGNED,
        "evidence_kinds": EvidenceKind.choices,
    }
    return render(request, "ledger/project_detail.html", context)


# ---------------------------------------------------------------------------------------------
# Create and edit


@login_required
@GET_POST
@refuse_forbidden
def project_create(request):
    if request.user.is_read_only:
        raise PermissionDeniedError(_("只读账号不能新建项目"))
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(user=request.user, **form.service_fields())
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("项目“%(name)s”已保存。") % {"name": project.name})
            return redirect("ledger:project_detail", pk=project.pk)
    return render(request, "ledger/project_form.html", {"form": form, "project": None})


@login_required
@GET_POST
@refuse_forbidden
def project_edit(request, pk: int):
    project = _editable_project(request, pk)
    form = ProjectForm(request.POST or None, user=request.user, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(
                user=request.user, project=project, expected_version=form.cleaned_data["version"],
                **form.service_fields(),
            )
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("项目“%(name)s”已更新。") % {"name": project.name})
            return redirect("ledger:project_detail", pk=project.pk)
    return render(request, "ledger/project_form.html", {"form": form, "project": project})


# ---------------------------------------------------------------------------------------------
# Funds, stage filings, shares


@login_required
@GET_POST
@refuse_forbidden
def fund_create(request, pk: int):
    project = _editable_project(request, pk)
    form = FundArrivalForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.fund_arrival_record(user=request.user, project=project, **form.cleaned_data)
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("到位资金已登记。"))
            return redirect("ledger:project_detail", pk=project.pk)
    context = {"form": form, "project": project, "heading": _("登记到位资金"), "form_id": "fund-form",
               "submit_label": _("保存")}
    return render(request, "ledger/fund_form.html", context)


@login_required
@GET_POST
@refuse_forbidden
def stage_file(request, pk: int):
    project = _editable_project(request, pk)
    form = StageFileForm(request.POST or None, request.FILES or None, project=project, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.stage_file(user=request.user, project=project, **form.cleaned_data)
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("“%(stage)s”阶段已备案。") % {"stage": record.get_stage_display()})
            return redirect("ledger:project_detail", pk=project.pk)
    context = {"form": form, "project": project, "heading": _("阶段备案"), "form_id": "stage-form",
               "submit_label": pgettext("button", "备案")}
    return render(request, "ledger/stage_form.html", context)


@login_required
@GET_POST
@refuse_forbidden
def shares_edit(request, pk: int):
    project = _editable_project(request, pk)
    initial = [{"unit": s.unit_id, "ratio": s.ratio, "tax_ratio": s.tax_ratio} for s in project.shares.all()]
    formset = ShareFormSet(request.POST or None, initial=initial, prefix="shares")
    share_errors: list[str] = []
    if request.method == "POST" and formset.is_valid():
        try:
            change = yields.project_set_shares_and_tax(user=request.user, project=project,
                                                       shares=formset.shares_with_tax())
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            share_errors = exc.field_errors.get("shares") or [exc.message]
        else:
            if change is not None:
                # Another unit's figures change only with its consent: the project keeps its shares till then.
                names = "、".join(line.unit.name for line in change.lines.all() if line.consent == "pending")
                messages.info(request, _("共享变更已提交，待%(units)s确认后生效；确认前仍按原比例计算。")
                              % {"units": names})
            else:
                messages.success(request, _("共享比例已保存。"))
            return redirect("ledger:project_detail", pk=project.pk)
    context = {"formset": formset, "project": project, "share_errors": share_errors}
    return render(request, "ledger/shares_form.html", context)


# ---------------------------------------------------------------------------------------------
# Evidence and restore


def _evidence_file(request, kind: str, pk: int):
    """The evidence file, after checking the user may see its project (404 otherwise)."""
    if kind == "stage":
        item = StageEvidence.objects.select_related("record").filter(pk=pk).first()
        project_id, file = (item.record.project_id, item.file) if item else (None, None)
    elif kind == "fund":
        item = FundArrival.objects.filter(pk=pk).first()
        project_id, file = (item.project_id, item.evidence) if item else (None, None)
    else:
        raise Http404
    if project_id is None or not file:
        raise Http404(_("证明材料不存在"))
    selectors.project_get(user=request.user, pk=project_id)  # 404 outside the user's scope
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("证明材料文件已丢失")) from exc
    return handle, os.path.basename(file.name)


@login_required
@require_GET
def evidence(request, kind: str, pk: int):
    """Stream an evidence file after checking the user may see its project: files are never
    served from MEDIA_ROOT directly, where a guessed URL would bypass the unit scope."""
    handle, name = _evidence_file(request, kind, pk)
    return _download(handle, name)


def _download(handle, name: str) -> FileResponse:
    """A download the browser never renders: an uploaded page or SVG must not run on this origin."""
    response = FileResponse(handle, as_attachment=True, filename=name, content_type="application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response


# A sandboxed document cannot run scripts, submit forms or reach this origin's cookies. Chromium's
# PDF viewer refuses to run in a sandboxed document at all, so a PDF gets the same CSP without
# `sandbox`: the file is served as application/pdf with nosniff, so it can only ever be a PDF.
INLINE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"


@login_required
@require_GET
@xframe_options_sameorigin
def evidence_inline(request, kind: str, pk: int):
    """The same file, scoped the same way, shown in the browser (the verification queue puts it
    beside the record). Only PDF, PNG and JPEG open inline; anything else is still a download."""
    handle, name = _evidence_file(request, kind, pk)
    content_type = INLINE_TYPES.get(os.path.splitext(name)[1].lower())
    if content_type is None:
        return _download(handle, name)
    response = FileResponse(handle, as_attachment=False, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = INLINE_CSP if content_type == "application/pdf" else f"sandbox; {INLINE_CSP}"
    return response


@login_required
@require_POST
@refuse_forbidden
def project_restore(request, pk: int):
    project = selectors.project_get(user=request.user, pk=pk)
    form = RestoreForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择要恢复的历史版本。"))
        return redirect("ledger:project_detail", pk=project.pk)
    try:
        services.project_restore(user=request.user, project=project, history_id=form.cleaned_data["history_id"])
    except PermissionDeniedError:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已恢复到所选历史版本，恢复操作本身也记入了历史。"))
    return redirect("ledger:project_detail", pk=project.pk)
