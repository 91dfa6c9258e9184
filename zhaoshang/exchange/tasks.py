"""Background import (django-tasks, database backend): the page enqueues, `db_worker` runs it, and the
job row carries progress for the page's progress bar."""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.utils import timezone
from django_tasks import task

from .errors_workbook import write_error_workbook
from .importer import import_workbook
from .models import ImportJob

PROGRESS_EVERY = 5000  # rows between progress writes


def progress_path(job: ImportJob) -> Path:
    return Path(f"{job.file}.progress.json")


def write_progress(job: ImportJob, done: int, total: int, sheet: str) -> None:
    path = progress_path(job)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"progress": done, "total": total, "sheet": sheet}, ensure_ascii=False))
    os.replace(tmp, path)


def read_progress(job: ImportJob) -> None:
    """Fill the job's progress from its file while it runs (the page polls this every second)."""
    try:
        data = json.loads(progress_path(job).read_text())
    except (OSError, ValueError):
        return
    job.progress, job.total = data.get("progress", 0), data.get("total", 0)


def run_job(job: ImportJob) -> ImportJob:
    """Run an import job now (inline for small files, or inside the background task)."""
    job.status = ImportJob.Status.RUNNING
    job.save(update_fields=["status"])
    last = [0]

    def progress(done: int, total: int, sheet: str) -> None:
        # The import runs in one transaction, so progress written to the job row would stay invisible
        # until the end (and SQLite allows no second writer): it goes to a small file beside the upload.
        if done - last[0] >= PROGRESS_EVERY or done >= total:
            last[0] = done
            write_progress(job, done, max(total, done), sheet)

    try:
        result = import_workbook(job.file, user=job.user, dry_run=job.dry_run, progress=progress,
                                 correction_reason=job.correction_reason, verified=job.verified)
    except Exception as exc:  # never leave the page polling a job that died
        job.status = ImportJob.Status.FAILED
        job.result = {"ok": False, "fatal": f"导入时发生内部错误：{exc}", "summary": "导入失败", "errors": [],
                      "error_count": 0, "warnings": [], "counts": {}}
        job.finished_at = timezone.now()
        job.save()
        raise
    job.result = result.as_dict()
    job.result["errors"] = job.result["errors"][:500]  # the page shows the first ones; the workbook has all
    job.progress = job.total = max(result.rows, 1)
    job.status = ImportJob.Status.DONE if result.ok else ImportJob.Status.FAILED
    if result.errors:
        out = Path(job.file).with_name(f"{Path(job.file).stem}-错误.xlsx")
        write_error_workbook(job.file, result.errors, out)
        job.errors_file = str(out)
    job.finished_at = timezone.now()
    job.save()
    progress_path(job).unlink(missing_ok=True)
    return job


@task()
def import_job_task(job_id: int) -> None:
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    run_job(job)
