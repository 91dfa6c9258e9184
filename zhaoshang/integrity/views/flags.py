"""Flag pages (疑点): the list with filters and the scan button, a flag's detail with its projects side by side
and the resolution form, and the registry import page. Everyone sees the flags touching their units;
assessors scan and resolve (a district assessor only flags wholly inside its district); unit users read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.periods import today
from zhaoshang.ledger.forms import add_service_errors
from zhaoshang.ledger.models import Project
from zhaoshang.ledger.views import refuse_forbidden
from zhaoshang.orgs.models import Unit
from zhaoshang.orgs.scope import visible_unit_ids

from ..forms.flags import FlagFilterForm, RegistryUploadForm, ResolveForm
from ..models.flags import FlagKind, FlagStatus
from ..models.registry import RegistryEntry, RegistryImport
from ..selectors import flags as selectors
from ..services.flags import NO_REGISTRY, can_resolve, flag_resolve, flags_scan
from ..services.registry import RegistryFileError, registry_import

PAGE = 200


def _units(user):
    ids = visible_unit_ids(user)
    qs = Unit.objects.order_by("code")
    return qs if ids is None else qs.filter(id__in=ids)


@login_required
@require_GET
@refuse_forbidden
def flag_list(request):
    form = FlagFilterForm(request.GET or None, units=_units(request.user), years=selectors.flag_years(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    unit = filters.get("unit")
    qs = selectors.flag_list(request.user, kind=filters.get("kind") or "", status=filters.get("status") or "",
                             unit_id=unit.pk if unit else None, year=filters.get("year"))
    total = qs.count()
    return render(request, "integrity/flag_list.html", {
        "form": form, "flags": selectors.flags_view(request.user, qs[:PAGE]), "total": total, "page": PAGE,
        "counts": selectors.flag_status_counts(request.user), "may_scan": request.user.is_assessor,
        "scan_year": today().year - 1 if today().month <= 3 else today().year,
    })


def _detail_context(request, flag, form=None) -> dict:
    rows = selectors.flag_view(request.user, flag)
    visible = visible_unit_ids(request.user)
    for r in rows:
        project_units = {s.unit_id for s in r.project.shares.all()} | {r.project.lead_unit_id}
        r.linkable = visible is None or bool(project_units & visible)
        r.share_text = "、".join(f"{s.unit.name} {s.ratio:.0%}" for s in r.project.shares.all())
    may_resolve = flag.status == FlagStatus.OPEN and can_resolve(request.user, flag)
    if may_resolve and form is None:
        form = ResolveForm(rows=rows, same_investor=flag.kind == FlagKind.SAME_INVESTOR)
    facts = (flag.evidence or {}).get("facts", [])
    return {
        "flag": flag, "rows": rows, "form": form if may_resolve else None, "facts": facts,
        "history": flag.history.select_related("history_user").order_by("-history_date", "-history_id")[:20],
        "projects_only": [r.project for r in rows],
    }


@login_required
@require_GET
@refuse_forbidden
def flag_detail(request, pk: int):
    flag = selectors.flag_get(request.user, pk)
    return render(request, "integrity/flag_detail.html", _detail_context(request, flag))


@login_required
@require_POST
@refuse_forbidden
def flag_resolve_view(request, pk: int):
    flag = selectors.flag_get(request.user, pk)
    if not can_resolve(request.user, flag):
        raise PermissionDeniedError(_("只有市考核办（或疑点涉及项目均在本区范围内的区考核办）可以处理疑点"))
    rows = selectors.flag_rows(flag)
    form = ResolveForm(request.POST, rows=rows, same_investor=flag.kind == FlagKind.SAME_INVESTOR)
    if form.is_valid():
        d = form.cleaned_data
        kept = Project.objects.filter(pk=d.get("kept")).first() if d.get("kept") else None
        try:
            flag_resolve(user=request.user, flag=flag, resolution=d["resolution"], reason=d["reason"],
                         kept_project=kept, shares=form.shares())
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("疑点已处理"))
            return redirect("integrity:flag_detail", pk=flag.pk)
    flag.refresh_from_db()
    return render(request, "integrity/flag_detail.html", _detail_context(request, flag, form), status=400)


@login_required
@require_POST
@refuse_forbidden
def flag_scan_view(request):
    if not request.user.is_assessor:
        raise PermissionDeniedError(_("只有市考核办可以执行疑点扫描"))
    try:
        year = int(request.POST.get("year", ""))
        if not 1990 <= year <= 2100:
            raise ValueError
    except ValueError:
        messages.error(request, _("请填写有效的年度，如 2023"))
        return redirect("integrity:flag_list")
    report = flags_scan(year=year, user=request.user)
    # One line per sentence on the command line; on the page a message is one paragraph.
    messages.success(request, pgettext("list separator", "；").join(report.summary().splitlines()))
    return redirect(f"{reverse('integrity:flag_list')}?year={year}")


@login_required
@require_http_methods(["GET", "POST"])
@refuse_forbidden
def registry_page(request):
    if not (request.user.can_verify or request.user.sees_all_units):
        raise PermissionDeniedError(_("只有考核办可以查看工商登记数据"))
    form = RegistryUploadForm()
    errors: list[str] = []
    if request.method == "POST":
        if not request.user.is_assessor:
            raise PermissionDeniedError(_("只有市考核办可以导入工商登记数据"))
        form = RegistryUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                batch = registry_import(content=upload.read(), file_name=upload.name, user=request.user)
            except RegistryFileError as exc:
                form.add_error(None, exc.message)
                errors = [str(e) for e in exc.errors]
            except ApplicationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已导入工商登记数据%(n)s行，请重新扫描以比对") % {"n": batch.row_count})
                return redirect("integrity:registry")
    # The extract is the whole city's: who imported which file when is for the city (assessors, leaders), not
    # for a district assessor, who learns only whether there is data to compare its projects with.
    city = request.user.sees_all_units
    return render(request, "integrity/flag_registry.html", {
        "form": form, "errors": errors, "show_imports": city,
        "imports": RegistryImport.objects.select_related("imported_by")[:10] if city else [],
        "entries": RegistryEntry.objects.count(), "no_registry": _(NO_REGISTRY),
        "may_import": city and request.user.is_assessor,
    }, status=400 if errors or form.errors else 200)
