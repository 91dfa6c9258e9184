"""The exchange page: template download, upload (import, optionally a dry run), progress, results
with the first errors and the error workbook, and export. Views are thin: the importer, exporter and
template writer do the work; a job row carries progress between the worker and the page."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhaoshang.orgs.models import Unit
from zhaoshang.orgs.scope import can_see_unit
from zhaoshang.security.audit import record

from .exporter import export_workbook
from .forms import ExportForm, ImportForm
from .importer import verify_problem
from .models import ImportJob
from .tasks import import_job_task, read_progress, run_job
from .template import write_template

INLINE_MAX_BYTES = 512 * 1024  # smaller uploads are imported during the request
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN_ERRORS = 50


def _upload_dir(user) -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports" / str(user.pk)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _context(request, **extra) -> dict:
    return {
        "import_form": ImportForm(),
        "export_form": ExportForm(),
        "can_import": not request.user.is_read_only,
        "can_import_verified": verify_problem(request.user) is None,
        "jobs": ImportJob.objects.filter(user=request.user)[:5],
        "upload_max_mb": settings.UPLOAD_MAX_MB,
        **extra,
    }


@login_required
@require_GET
def index(request):
    return render(request, "exchange/index.html", _context(request))


@login_required
@require_GET
def template_download(request):
    tmp = Path(tempfile.mkdtemp()) / "template.xlsx"
    write_template(tmp, user=request.user)
    return FileResponse(tmp.open("rb"), as_attachment=True, filename="标准数据交换工作簿模板.xlsx", content_type=XLSX)


@login_required
@require_POST
def import_upload(request):
    if request.user.is_read_only:
        return render(request, "403.html", {"message": _("只读账号（领导）不能导入数据")}, status=403)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "exchange/index.html", _context(request, import_form=form), status=400)
    if form.cleaned_data["verified"] and (problem := verify_problem(request.user)):
        form.add_error(None, problem)  # the checkbox is not shown to them; a crafted post gets this
        return render(request, "exchange/index.html", _context(request, import_form=form), status=403)
    upload = form.cleaned_data["file"]
    path = _upload_dir(request.user) / f"{timezone.now():%Y%m%d%H%M%S}-{uuid.uuid4().hex[:8]}.xlsx"
    with path.open("wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    job = ImportJob.objects.create(user=request.user, file=str(path), original_name=upload.name[:255],
                                   dry_run=form.cleaned_data["dry_run"],
                                   correction_reason=form.cleaned_data["correction_reason"].strip(),
                                   verified=form.cleaned_data["verified"])
    record(request, "import", upload.name, detail=f"{'试导入' if job.dry_run else '导入'}，任务 {job.pk}")
    if upload.size <= INLINE_MAX_BYTES:
        run_job(job)
    else:
        import_job_task.enqueue(job.pk)
    return redirect("exchange:job", pk=job.pk)


def _job(request, pk: int) -> ImportJob:
    job = get_object_or_404(ImportJob, pk=pk)
    if job.user_id != request.user.pk and not request.user.is_assessor:
        raise Http404(_("导入任务不存在"))
    return job


@login_required
@require_GET
def job_detail(request, pk: int):
    job = _job(request, pk)
    if not job.finished:
        read_progress(job)
    result = job.result or {}
    context = {"job": job, "result": result, "errors": (result.get("errors") or [])[:SHOWN_ERRORS]}
    if request.htmx:  # the poll: the job's card, and the recent list below it swapped out of band
        recent = ImportJob.objects.filter(user=request.user)[:5]
        return render(request, "exchange/_job.html", {**context, "recent": recent, "oob": True})
    return render(request, "exchange/job.html", _context(request, **context))


@login_required
@require_GET
def job_errors(request, pk: int):
    job = _job(request, pk)
    if not job.errors_file or not Path(job.errors_file).exists():
        raise Http404(_("没有错误工作簿"))
    name = f"{Path(job.original_name).stem}-错误.xlsx"
    return FileResponse(open(job.errors_file, "rb"), as_attachment=True, filename=name, content_type=XLSX)


@login_required
@require_http_methods(["GET"])
def export_download(request):
    form = ExportForm(request.GET)
    if not form.is_valid():
        return render(request, "exchange/index.html", _context(request, export_form=form), status=400)
    unit = None
    if code := form.cleaned_data["unit"].strip():
        unit = Unit.objects.filter(code=code).first()
        if unit is None or not can_see_unit(request.user, unit.pk):
            form.add_error("unit", _("单位编码“%(code)s”不存在或无权查看") % {"code": code})
            return render(request, "exchange/index.html", _context(request, export_form=form), status=400)
    tmp = Path(tempfile.mkdtemp()) / "export.xlsx"
    export_workbook(tmp, user=request.user, unit=unit, year=form.cleaned_data["year"])
    year = str(form.cleaned_data["year"] or "")
    parts = ["招商数据导出", unit.code if unit else "", year, f"{timezone.localdate():%Y%m%d}"]
    filename = "-".join(p for p in parts if p) + ".xlsx"
    return FileResponse(tmp.open("rb"), as_attachment=True, filename=filename, content_type=XLSX)


__all__ = ["index", "template_download", "import_upload", "job_detail", "job_errors", "export_download", "redirect"]
