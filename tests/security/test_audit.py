"""The security audit log: what it records, that nobody can change or delete a row (the model, and on
PostgreSQL a trigger), the purge that keeps 180 days, and the 审计管理员's filter and export."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from zhaoshang.security import audit
from zhaoshang.security.models import AuditAction, AuditEvent, AuditLogIsAppendOnly, AuditResult

from .conftest import login

pytestmark = pytest.mark.django_db


def old_event(days: int, **fields) -> AuditEvent:
    event = AuditEvent(at=timezone.now() - dt.timedelta(days=days), action=AuditAction.LOGIN, username="old",
                       **fields)
    event.save()
    return event


# ---------------------------------------------------------------------------------------------
# What it records


def test_login_logout_and_failure_have_time_user_address_action_result(client, staff_a):
    login(client, "staff_a", "wrong")
    login(client, "staff_a", "pw")
    client.post(reverse("logout"))
    failed, logged_in, logged_out = AuditEvent.objects.filter(username="staff_a").exclude(
        action=AuditAction.ACCOUNT).order_by("id")
    assert (failed.action, failed.result, failed.address) == (AuditAction.LOGIN_FAILED, AuditResult.FAILURE,
                                                              "127.0.0.1")
    assert (logged_in.action, logged_in.result, logged_in.user_pk) == (AuditAction.LOGIN, AuditResult.SUCCESS,
                                                                       staff_a.pk)
    assert logged_out.action == AuditAction.LOGOUT and logged_out.address == "127.0.0.1"
    assert failed.at <= logged_in.at <= logged_out.at


def test_refusals_on_scoped_objects_are_recorded(client, staff_a, project_b):
    client.force_login(staff_a)
    assert client.get(f"/ledger/{project_b.pk}/").status_code == 404
    assert client.get(f"/api/projects/{project_b.pk}").status_code == 404
    assert client.get(reverse("security:audit_list")).status_code == 403
    targets = set(AuditEvent.objects.filter(action=AuditAction.DENIED, username="staff_a")
                  .values_list("target", flat=True))
    assert targets == {f"/ledger/{project_b.pk}/", f"/api/projects/{project_b.pk}", reverse("security:audit_list")}
    assert set(AuditEvent.objects.filter(action=AuditAction.DENIED).values_list("result", flat=True)) == {"denied"}


def test_file_downloads_and_exports_are_recorded(client, assessor):
    client.force_login(assessor)
    response = client.get(reverse("exchange:template"))
    assert response.status_code == 200
    event = AuditEvent.objects.get(action__in=[AuditAction.DOWNLOAD, AuditAction.EXPORT], username="assessor")
    assert event.target.endswith(".xlsx")


def test_an_import_is_recorded(client, assessor, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(assessor)
    template = client.get(reverse("exchange:template"))
    workbook = b"".join(template.streaming_content)
    upload = SimpleUploadedFile("空模板.xlsx", workbook, content_type="application/octet-stream")
    client.post(reverse("exchange:import"), {"file": upload, "dry_run": "on"})
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert event.username == "assessor" and event.target == "空模板.xlsx" and "试导入" in event.detail


def test_record_api_for_other_apps(rf, staff_a, project_a):
    request = rf.get("/exchange/export/", REMOTE_ADDR="10.1.2.3")
    request.user = staff_a
    event = audit.record(request, AuditAction.IMPORT, project_a, result=False, detail="第3行：单位编码不存在")
    assert (event.username, event.address, event.result) == ("staff_a", "10.1.2.3", AuditResult.FAILURE)
    assert event.target == "项目：XM-A-1 甲区电池项目"
    # A user alone, and control characters never reach the log (or its export).
    event = audit.record(staff_a, AuditAction.EXPORT, "台账\x00\u202e.xlsx")
    assert event.target == "台账.xlsx" and event.address is None
    with pytest.raises(ValueError):
        audit.record(staff_a, "made_up_action")


# ---------------------------------------------------------------------------------------------
# Append-only


def test_nobody_can_change_or_delete_a_row_through_the_app(staff_a):
    event = audit.record(staff_a, AuditAction.LOGIN)
    event.detail = "篡改"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(detail="篡改")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.all().delete()
    event.refresh_from_db()
    assert event.detail == ""


def test_audit_admin_has_no_delete_in_the_admin_or_pages(client, auditadmin, staff_a):
    event = audit.record(staff_a, AuditAction.LOGIN)
    client.force_login(auditadmin)
    html = client.get(reverse("security:audit_list")).content.decode()
    assert "删除" not in html
    assert client.post(reverse("security:audit_list"), {"delete": event.pk}).status_code in (200, 405)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_database_refuses_update_and_delete_in_sql(staff_a):
    """PostgreSQL refuses in the database itself (a trigger); SQLite, a single-user file, relies on the model."""
    event = audit.record(staff_a, AuditAction.LOGIN)
    if connection.vendor != "postgresql":
        event.detail = "x"
        for attempt in (event.save, event.delete, AuditEvent.objects.filter(pk=event.pk).delete):
            with pytest.raises(Exception, match="只能追加|至少保留|不能"):
                attempt()
        assert AuditEvent.objects.filter(pk=event.pk, detail="").exists()
        return
    table = AuditEvent._meta.db_table
    for sql in (f"UPDATE {table} SET detail = 'x' WHERE id = %s", f"DELETE FROM {table} WHERE id = %s"):
        with pytest.raises(DatabaseError, match="只能追加|至少保留"), transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, detail="").exists()
    if connection.vendor == "postgresql":
        # The purge function itself refuses rows younger than 180 days, even when asked directly.
        for sql in ("SELECT zhaoshang_audit_purge(now(), 180)",
                    "SELECT zhaoshang_audit_purge(now() - interval '400 days', 30)"):
            with pytest.raises(DatabaseError, match="至少保留"), transaction.atomic(), \
                    connection.cursor() as cursor:
                cursor.execute(sql)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


# ---------------------------------------------------------------------------------------------
# Retention: 180 days


def test_purge_refuses_anything_younger_than_180_days():
    young = old_event(179)
    too_soon = (timezone.localdate() - dt.timedelta(days=170)).isoformat()
    with pytest.raises(CommandError, match="至少保留180天"):
        call_command("security", "purge", "--before", too_soon, stdout=io.StringIO())
    assert AuditEvent.objects.filter(pk=young.pk).exists()


def test_purge_removes_only_rows_older_than_the_date():
    ancient, old, young = old_event(400), old_event(200), old_event(10)
    before = (timezone.localdate() - dt.timedelta(days=300)).isoformat()
    out = io.StringIO()
    call_command("security", "purge", "--before", before, stdout=out)
    assert "1 条" in out.getvalue()
    assert not AuditEvent.objects.filter(pk=ancient.pk).exists()
    assert AuditEvent.objects.filter(pk__in=[old.pk, young.pk]).count() == 2
    # The purge is itself in the log.
    assert AuditEvent.objects.filter(action=AuditAction.AUDIT_LOG, detail__contains="1 条").exists()


def test_purge_rejects_a_malformed_date():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("security", "purge", "--before", "yesterday", stdout=io.StringIO())


# ---------------------------------------------------------------------------------------------
# The 审计管理员's page: filter and export


def test_filter_by_user_action_and_date(client, auditadmin, staff_a):
    login(Client(), "staff_a", "wrong")
    login(Client(), "nobody", "wrong")
    old_event(30, target="旧记录")
    client.force_login(auditadmin)
    page = client.get(reverse("security:audit_list"), {"username": "staff_a", "action": "login_failed"})
    rows = list(page.context["page"])
    assert [(e.username, e.action) for e in rows] == [("staff_a", "login_failed")]
    today = timezone.localdate().isoformat()
    page = client.get(reverse("security:audit_list"), {"start": today, "end": today})
    assert "旧记录" not in page.content.decode()
    page = client.get(reverse("security:audit_list"), {"result": "failure"})
    assert {e.username for e in page.context["page"]} == {"staff_a", "nobody"}


def test_export_is_xlsx_and_formula_safe(client, auditadmin):
    login(Client(), "=HYPERLINK(\"http://evil\",\"点我\")", "wrong")
    client.force_login(auditadmin)
    response = client.get(reverse("security:audit_export"), {"action": "login_failed"})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    assert [c.value for c in sheet[1]][:5] == ["时间", "用户", "角色", "地址", "事件"]
    cell = sheet.cell(row=2, column=2)
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s" and cell.quotePrefix
    assert sheet.cell(row=2, column=5).value == "登录失败"
    # Exporting the log is itself recorded.
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, username="auditadmin").exists()


def test_logged_in_pages_and_the_api_are_not_cached(client, staff_a):
    client.force_login(staff_a)
    assert "no-store" in client.get(reverse("ledger:project_list"))["Cache-Control"]
    assert "no-store" in client.get("/api/units")["Cache-Control"]
    assert "no-store" in Client().get("/api/units")["Cache-Control"]


def test_a_path_that_is_no_page_is_not_a_refusal(client, staff_a):
    client.force_login(staff_a)
    assert client.get("/favicon.ico").status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.DENIED).exists()
