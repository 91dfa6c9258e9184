"""The exchange page as the three named users meet it."""

from __future__ import annotations

from io import BytesIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhaoshang.exchange.models import ImportJob
from zhaoshang.ledger.models import Project

from .helpers import fill

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(path, name="台账.xlsx"):
    return SimpleUploadedFile(name, path.read_bytes(), content_type=XLSX)


def project_row(code, unit, **extra):
    return {
        "项目编号": code,
        "项目名称": "页面导入",
        "投资方": "某公司",
        "签约金额(万元)": 10,
        "引资单位编码": unit,
        **extra,
    }


def test_page_template_and_export_downloads(client, staff_a, project_a, project_b):
    client.force_login(staff_a)
    page = client.get(reverse("exchange:index"))
    assert (
        page.status_code == 200 and "下载模板" in page.content.decode() and 'id="import-form"' in page.content.decode()
    )
    template = client.get(reverse("exchange:template"))
    assert template.status_code == 200
    wb = openpyxl.load_workbook(BytesIO(b"".join(template.streaming_content)))
    assert "项目" in wb.sheetnames
    export = client.get(reverse("exchange:export"), {"year": 2024})
    wb = openpyxl.load_workbook(BytesIO(b"".join(export.streaming_content)))
    assert [r[0] for r in wb["项目"].iter_rows(min_row=2, values_only=True)] == ["XM-A-1"]
    refused = client.get(reverse("exchange:export"), {"unit": "B01"})
    assert refused.status_code == 400 and "无权查看" in refused.content.decode()


def test_upload_imports_and_shows_the_result(client, staff_a, tmp_path):
    client.force_login(staff_a)
    path = fill(tmp_path / "ok.xlsx", {"项目": [project_row("XM-W1", "A01")]})
    response = client.post(reverse("exchange:import"), {"file": upload(path)}, follow=True)
    body = response.content.decode()
    assert "导入成功" in body and Project.objects.get(code="XM-W1").history.first().history_user == staff_a
    job = ImportJob.objects.get()
    assert job.status == "done" and job.percent == 100
    partial = client.get(reverse("exchange:job", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert "hx-trigger" not in partial.content.decode()  # finished: the page stops polling


def test_upload_with_errors_lists_them_and_offers_the_error_workbook(client, staff_a, unit_b, tmp_path):
    client.force_login(staff_a)
    path = fill(
        tmp_path / "bad.xlsx",
        {"项目": [project_row("XM-W2", "B01"), project_row("XM-W3", "A01", 签约日期="2024-13-01")]},
    )
    response = client.post(reverse("exchange:import"), {"file": upload(path), "dry_run": "on"}, follow=True)
    body = response.content.decode()
    assert 'id="import-errors"' in body and "工作表" in body and "签约日期" in body and "本单位及下级单位" in body
    job = ImportJob.objects.get()
    download = client.get(reverse("exchange:job_errors", args=[job.pk]))
    wb = openpyxl.load_workbook(BytesIO(b"".join(download.streaming_content)))
    assert wb["项目"]["K3"].comment is not None or any(c.comment for row in wb["项目"].iter_rows() for c in row)
    assert not Project.objects.filter(code__startswith="XM-W").exists()


def test_running_job_partial_polls_every_second(client, staff_a, tmp_path):
    from zhaoshang.exchange.tasks import write_progress

    client.force_login(staff_a)
    job = ImportJob.objects.create(
        user=staff_a, file=str(tmp_path / "x.xlsx"), original_name="x.xlsx", status="running"
    )
    write_progress(job, 5000, 20000, "项目")
    partial = client.get(reverse("exchange:job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in partial and "25%" in partial


def test_leader_cannot_import_and_others_cannot_see_my_job(client, leader, staff_a, staff_b, tmp_path):
    client.force_login(leader)
    path = fill(tmp_path / "x.xlsx", {"项目": [project_row("XM-L", "A01")]})
    assert client.post(reverse("exchange:import"), {"file": upload(path)}).status_code == 403
    assert 'id="import-form"' not in client.get(reverse("exchange:index")).content.decode()
    job = ImportJob.objects.create(user=staff_a, file="/x.xlsx", original_name="x.xlsx")
    client.force_login(staff_b)
    assert client.get(reverse("exchange:job", args=[job.pk])).status_code == 404


def test_large_upload_runs_as_a_background_task(client, staff_a, tmp_path, monkeypatch):
    from zhaoshang.exchange import views

    monkeypatch.setattr(views, "INLINE_MAX_BYTES", 0)
    client.force_login(staff_a)
    path = fill(tmp_path / "big.xlsx", {"项目": [project_row("XM-BG", "A01")]})
    client.post(reverse("exchange:import"), {"file": upload(path)})
    assert ImportJob.objects.get().status == "done" and Project.objects.filter(code="XM-BG").exists()
