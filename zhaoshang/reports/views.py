"""Report pages: the cockpit (and its JSON), bulletins and annual reports as .docx and .xlsx,
publishing a run with its bulletin frozen, the changes since publication, and closing periods.

Leaders and assessors see every unit; unit users see their own units in the cockpit and the
published bulletins; only assessors publish and close periods."""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from functools import wraps
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhaoshang.assessment import selectors as run_selectors
from zhaoshang.core.db_router import stale_reads
from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.periods import today
from zhaoshang.periods import closing
from zhaoshang.periods.models import Correction, PeriodClose

from . import cockpit, publish
from .bulletin import annual_content, bulletin_content, write_annual, write_bulletin
from .models import DocumentNumber
from .tables import annual_workbook, bulletin_workbook

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def refuse_forbidden(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDeniedError as exc:
            return render(request, "403.html", {"message": exc.message}, status=403)

    return wrapper


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or today().year)
    except ValueError:
        year = today().year
    return min(max(year, 2000), 2100)


def _as_of(request) -> dt.date | None:
    try:
        return dt.date.fromisoformat(request.GET["as_of"]) if request.GET.get("as_of") else None
    except ValueError:
        return None


def _cockpit_labels() -> dict:
    """The words the cockpit's charts show, in the user's language; `{name}` marks are filled in by
    cockpit.js (they are not Python placeholders)."""
    return {
        "rate": _("完成率"),
        "schedule": _("时序进度"),
        "completionTip": _("{label}：{value}"),
        "targetTip": _(" / 目标 {target}"),
        "noTarget": _("（无目标）"),
        "year": _("{year}年"),
        "months": [_("1月"), _("2月"), _("3月"), _("4月"), _("5月"), _("6月"),
                   _("7月"), _("8月"), _("9月"), _("10月"), _("11月"), _("12月")],
        "wan": _("万元"),
        "trendTip": _("{series}{month}：{value}万元"),
        "rankingTip": _("{name}：签约{value}万元"),
        "rankingRate": _("，完成率{rate}%"),
        "breakdownTip": _("{name}：{value}万元"),
        "breakdownCount": _("（{count}个）"),
    }


@login_required
@require_GET
def cockpit_page(request):
    data = cockpit.cockpit_data(user=request.user, year=_year(request), as_of=_as_of(request))
    return render(request, "reports/cockpit.html", {
        "data": json.loads(json.dumps(data, cls=DjangoJSONEncoder)), "year": data["year"],
        "years": list(range(today().year, today().year - 5, -1)), "labels": _cockpit_labels(),
    })


@login_required
@require_GET
def cockpit_data(request):
    data = cockpit.cockpit_data(user=request.user, year=_year(request), as_of=_as_of(request))
    return JsonResponse(data, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False})


@login_required
@require_GET
def index(request):
    runs = list(run_selectors.run_list(user=request.user)[:50])
    numbers = {d.run_id: d.text for d in DocumentNumber.objects.filter(run__in=[r.pk for r in runs],
                                                                       kind=DocumentNumber.Kind.BULLETIN)}
    for run in runs:  # the bulletin's 文号, once publishing reserved it
        run.doc_no = numbers.get(run.pk)
    return render(request, "reports/index.html", {
        "runs": runs, "periods": PeriodClose.objects.select_related("closed_by"),
        "corrections": Correction.objects.select_related("period", "user")[:50] if request.user.sees_all_units else [],
        "may_manage": request.user.is_assessor,
    })


def _send(path: Path, name: str, content_type: str) -> FileResponse:
    return FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type=content_type)


def _download(request, pk: int, kind: str, fmt: str):
    with stale_reads():  # a report may be seconds old: read from the replica when there is one
        return _write_download(request, pk, kind, fmt)


def _write_download(request, pk: int, kind: str, fmt: str):
    run = run_selectors.run_get(user=request.user, pk=pk)
    out = Path(tempfile.mkdtemp(prefix="zs-report-")) / f"report.{fmt}"
    if kind == "bulletin":
        content = bulletin_content(run)
        (write_bulletin if fmt == "docx" else bulletin_workbook)(content, out)
    else:
        content = annual_content(run)
        (write_annual if fmt == "docx" else annual_workbook)(content, out)
    return _send(out, download_name(run, content, kind, fmt), DOCX if fmt == "docx" else XLSX)


UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def download_name(run, content: dict, kind: str, fmt: str) -> str:
    """郑州市制造业招商引资考核（2019）_2024年第一季度_郑招考〔2025〕3号_工作通报.docx: scheme, period and 文号, so
    two runs never download under one name (a draft says 草稿). Django sends it as RFC 5987 filename*."""
    number = content.get("doc_no", "") if run.published else "草稿"
    label = "工作通报" if kind == "bulletin" else "考核结果通报"
    name = "_".join(x for x in (run.scheme_name, run.period_label, number, label) if x)
    return UNSAFE.sub("", name) + f".{fmt}"


@login_required
@require_GET
def bulletin(request, pk: int):
    return _download(request, pk, "bulletin", "docx")


@login_required
@require_GET
def bulletin_xlsx(request, pk: int):
    return _download(request, pk, "bulletin", "xlsx")


@login_required
@require_GET
def annual(request, pk: int):
    return _download(request, pk, "annual", "docx")


@login_required
@require_GET
def annual_xlsx(request, pk: int):
    return _download(request, pk, "annual", "xlsx")


@login_required
@require_POST
@refuse_forbidden
def run_publish(request, pk: int):
    run = run_selectors.run_get(user=request.user, pk=pk)
    try:
        publish.publish(user=request.user, run=run)
    except PermissionDeniedError:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已发布：考核结果和通报内容今后不会再改变"))
    return redirect("reports:diff", pk=pk)


@login_required
@require_GET
@refuse_forbidden
def run_diff(request, pk: int):
    if not request.user.sees_all_units:
        raise PermissionDeniedError(_("发布后变化情况仅供考核办和领导查看"))
    run = run_selectors.run_get(user=request.user, pk=pk)
    return render(request, "reports/diff.html", {"diff": publish.run_diff(run), "run": run,
                                                 "may_publish": request.user.is_assessor and not run.published})


@login_required
@require_POST
@refuse_forbidden
def period_close(request):
    try:
        row = closing.period_close(user=request.user, period=request.POST.get("period", ""),
                                   note=request.POST.get("note", ""))
    except PermissionDeniedError:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(period)s已结账：各单位不能再修改该期间的记录") % {"period": row.label})
    return redirect("reports:index")
