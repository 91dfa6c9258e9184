"""三员分立: the 系统管理员 opens accounts and issues passwords, the 安全管理员 grants roles and units, the
审计管理员 reads the audit log — each only that, none of them sees business data, and the business roles can
do none of it. The superuser is for installation only."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from zhaoshang.orgs.choices import UserRole
from zhaoshang.orgs.scope import visible_unit_ids
from zhaoshang.security import checks
from zhaoshang.security.models import AccountSecurity, AuditAction, AuditEvent

from ..factories import UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()

BUSINESS_PAGES = ["/ledger/", "/work/", "/assessment/", "/targets/", "/reports/cockpit/", "/exchange/", "/units/",
                  "/integrity/flags/"]


def security_pages(target_pk: int) -> dict[str, str]:
    """Each administrator page and the one role whose job it is."""
    return {
        reverse("security:user_create"): "admin",
        reverse("security:user_account", args=[target_pk]): "admin",
        reverse("security:user_role", args=[target_pk]): "security_admin",
        reverse("security:lockouts"): "security_admin",
        reverse("security:audit_list"): "audit_admin",
        reverse("security:audit_export"): "audit_admin",
    }


def test_each_administrator_page_opens_for_its_role_only(client, sysadmin, secadmin, auditadmin, assessor, staff_a,
                                                         leader):
    pages = security_pages(staff_a.pk)
    for user in (sysadmin, secadmin, auditadmin, assessor, staff_a, leader):
        client.force_login(user)
        for url, role in pages.items():
            status = client.get(url).status_code
            assert (status == 200) == (user.role == role), (user.username, url, status)
            if status != 200:
                assert status == 403, (user.username, url, status)
        # The account list serves the 系统管理员 and the 安全管理员, each acting on their part.
        listing = client.get(reverse("security:user_list")).status_code
        assert (listing == 200) == (user.role in ("admin", "security_admin")), user.username


def test_audit_admin_reads_the_log_and_nothing_else(client, auditadmin, project_a):
    client.force_login(auditadmin)
    assert client.get(reverse("home")).url == reverse("security:index")
    assert client.get(reverse("security:audit_list")).status_code == 200
    for url in BUSINESS_PAGES + [f"/ledger/{project_a.pk}/", "/admin/"]:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:  # the Django admin sends a non-staff user to its own login
            assert "/admin/login/" in response.url
    assert client.get("/api/projects").status_code == 403
    html = client.get(reverse("security:index")).content.decode()
    assert 'id="nav-ledger"' not in html and 'id="nav-security-audit"' in html
    denied = AuditEvent.objects.filter(action=AuditAction.DENIED, username="auditadmin")
    assert denied.filter(target="/ledger/").exists()


def test_administrators_have_no_business_scope(sysadmin, secadmin, auditadmin, unit_a):
    for user in (sysadmin, secadmin, auditadmin):
        assert not user.sees_all_units and not user.is_assessor and not user.can_verify
        assert visible_unit_ids(user) == set()


def test_system_admin_opens_an_account_that_waits_for_a_role(client, sysadmin, secadmin, unit_a):
    client.force_login(sysadmin)
    response = client.post(reverse("security:user_create"),
                           {"username": "newcomer", "last_name": "张", "first_name": "三", "email": ""})
    assert response.status_code == 200
    issued = response.context["password"]
    assert 'id="issued-password"' in response.content.decode()
    newcomer = User.objects.get(username="newcomer")
    assert newcomer.role == UserRole.PENDING and newcomer.unit is None and newcomer.check_password(issued)
    assert AccountSecurity.objects.get(user=newcomer).must_change_password
    # The 系统管理员 cannot grant the role: that is the 安全管理员's job.
    assert client.get(reverse("security:user_role", args=[newcomer.pk])).status_code == 403

    client.force_login(secadmin)
    assert client.get(reverse("security:user_create")).status_code == 403
    assert client.post(reverse("security:user_password", args=[newcomer.pk])).status_code == 403
    response = client.post(reverse("security:user_role", args=[newcomer.pk]),
                           {"role": UserRole.UNIT_STAFF, "unit": ""})
    assert response.status_code == 200 and "该角色必须指定所属单位" in response.content.decode()
    response = client.post(reverse("security:user_role", args=[newcomer.pk]),
                           {"role": UserRole.UNIT_STAFF, "unit": unit_a.pk})
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.role == UserRole.UNIT_STAFF and newcomer.unit == unit_a
    change = AuditEvent.objects.get(action=AuditAction.ROLE_CHANGE, target="账号 newcomer")
    assert change.username == "secadmin"
    assert "角色：待授权 → 单位工作人员" in change.detail and "所属单位：— → 甲区" in change.detail
    created = AuditEvent.objects.get(action=AuditAction.ACCOUNT, target="账号 newcomer")
    assert created.username == "sysadmin" and "开设账号" in created.detail


def test_administrator_roles_carry_no_unit(client, secadmin, staff_a):
    client.force_login(secadmin)
    client.post(reverse("security:user_role", args=[staff_a.pk]),
                {"role": UserRole.AUDIT_ADMIN, "unit": staff_a.unit_id})
    staff_a.refresh_from_db()
    assert staff_a.role == UserRole.AUDIT_ADMIN and staff_a.unit is None


def test_security_admin_cannot_change_own_role_or_the_superuser(client, secadmin):
    root = UserFactory(username="root", role=UserRole.ADMIN, is_superuser=True, is_staff=True)
    client.force_login(secadmin)
    assert client.post(reverse("security:user_role", args=[secadmin.pk]),
                       {"role": UserRole.AUDIT_ADMIN, "unit": ""}).status_code == 403
    assert client.get(reverse("security:user_role", args=[root.pk])).status_code == 403
    secadmin.refresh_from_db()
    assert secadmin.role == UserRole.SECURITY_ADMIN


def test_system_admin_resets_a_password_and_deactivates(client, sysadmin, staff_a):
    client.force_login(sysadmin)
    response = client.post(reverse("security:user_password", args=[staff_a.pk]))
    password = response.context["password"]
    staff_a.refresh_from_db()
    assert staff_a.check_password(password) and not staff_a.check_password("pw")
    response = client.post(reverse("security:user_account", args=[staff_a.pk]),
                           {"last_name": "", "first_name": "", "email": "", "is_active": ""})
    assert response.status_code == 302
    staff_a.refresh_from_db()
    assert not staff_a.is_active
    deactivated = AuditEvent.objects.get(action=AuditAction.ACCOUNT, target="账号 staff_a", username="sysadmin")
    assert "启用：是 → 否" in deactivated.detail
    # Not their own account.
    response = client.post(reverse("security:user_account", args=[sysadmin.pk]),
                           {"last_name": "", "first_name": "", "email": "", "is_active": ""})
    assert "不能停用自己的账号" in response.content.decode()


def test_django_admin_user_page_is_for_the_superuser_only(client, assessor):
    assessor.is_staff = True
    assessor.save()
    client.force_login(assessor)
    assert client.get("/admin/orgs/user/").status_code == 403
    root = UserFactory(username="root", role=UserRole.ADMIN, is_superuser=True, is_staff=True)
    client.force_login(root)
    assert client.get("/admin/orgs/user/").status_code == 200


def test_admin_actions_are_recorded(client):
    root = UserFactory(username="root", role=UserRole.ADMIN, is_superuser=True, is_staff=True)
    client.force_login(root)
    response = client.post("/admin/orgs/unitgroup/add/", {"code": "G9", "name": "测试组", "description": ""})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.ADMIN)
    assert event.username == "root" and "测试组" in event.target and "新增" in event.detail


def test_check_deploy_warns_while_a_superuser_is_active(db):
    assert checks.active_superuser(None) == []
    root = UserFactory(username="root", role=UserRole.ADMIN, is_superuser=True)
    (warning,) = checks.active_superuser(None)
    assert "超级用户仅用于安装" in warning.msg and "root" in warning.msg
    root.is_active = False
    root.save()
    assert checks.active_superuser(None) == []


def test_business_pages_still_work_for_business_roles(client, staff_a, assessor):
    for user in (staff_a, assessor):
        client.force_login(user)
        assert client.get(reverse("home")).url == reverse("ledger:project_list")
        for url in BUSINESS_PAGES:
            assert client.get(url).status_code == 200, (user.username, url)


def test_anyone_can_open_their_own_account_page(client, staff_a):
    client.force_login(staff_a)
    html = client.get(reverse("security:account")).content.decode()
    assert "staff_a" in html and 'id="logout-everywhere-form"' in html
    assert client.get(reverse("security:index")).url == reverse("security:account")
    second = Client()
    second.force_login(staff_a)
    assert second.get(reverse("security:account")).status_code == 200
