"""Login lockout (等保 2.0 身份鉴别): five failures lock the account for 30 minutes, the user is told so in
Chinese, the audit log records it, the 安全管理员 can lift it; an address is locked after more failures; the
API token endpoints obey the same lockout."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from zhaoshang.orgs.models import ApiToken
from zhaoshang.security.models import AuditAction, AuditEvent

from ..factories import UserFactory
from .conftest import login

pytestmark = pytest.mark.django_db
LOCKED = "登录失败次数过多"


def test_sixth_wrong_password_is_refused_as_locked_and_so_is_the_right_one(client, staff_a):
    for attempt in range(1, 5):
        response = login(client, "staff_a", "wrong")
        html = response.content.decode()
        assert response.status_code == 200 and "用户名或密码错误" in html
        assert f"再失败{5 - attempt}次，账号将被锁定" in html
    fifth = login(client, "staff_a", "wrong")
    assert fifth.status_code == 429 and LOCKED in fifth.content.decode() and "30分钟" in fifth.content.decode()
    sixth = login(client, "staff_a", "wrong")
    assert sixth.status_code == 429 and LOCKED in sixth.content.decode()
    # While locked, even the right password does not get in.
    right = login(client, "staff_a", "pw")
    assert right.status_code == 429
    assert client.get(reverse("ledger:project_list")).status_code == 302  # still not logged in

    failures = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, username="staff_a")
    assert failures.count() == 7
    assert failures.filter(detail__contains="锁定中").count() == 2  # the sixth and the right password
    (lock,) = AuditEvent.objects.filter(action=AuditAction.LOCKOUT)
    assert lock.username == "staff_a" and lock.target == "账号 staff_a" and lock.address == "127.0.0.1"
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN, username="staff_a").exists()


def test_lockout_message_in_english(client, staff_a):
    for _ in range(5):
        response = login(client, "staff_a", "wrong", headers={"accept-language": "en"})
    assert response.status_code == 429
    assert "locked" in response.content.decode()


def test_security_admin_sees_and_lifts_the_lockout(client, staff_a, secadmin):
    for _ in range(5):
        login(client, "staff_a", "wrong")
    admin = Client()
    admin.force_login(secadmin)
    page = admin.get(reverse("security:lockouts")).content.decode()
    assert "<code>staff_a</code>" in page
    assert 'data-username="staff_a"' in admin.get(reverse("security:user_list")).content.decode()
    response = admin.post(reverse("security:unlock"), {"kind": "account", "key": "staff_a"})
    assert response.status_code == 302
    assert "<code>staff_a</code>" not in admin.get(reverse("security:lockouts")).content.decode()
    (unlock,) = AuditEvent.objects.filter(action=AuditAction.UNLOCK)
    assert unlock.username == "secadmin" and unlock.target == "账号 staff_a"

    assert login(client, "staff_a", "pw").status_code == 302
    assert client.get(reverse("ledger:project_list")).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, username="staff_a").exists()


def test_lockout_page_is_the_security_admins_alone(client, staff_a, assessor, sysadmin, auditadmin):
    for user in (staff_a, assessor, sysadmin, auditadmin):
        client.force_login(user)
        assert client.get(reverse("security:lockouts")).status_code == 403, user.username
        assert client.post(reverse("security:unlock"), {"kind": "account", "key": "x"}).status_code == 403


def test_an_address_is_locked_after_twenty_failures_whatever_the_usernames(client, staff_a, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 20
    for n in range(19):
        assert login(client, f"nobody{n}", "wrong").status_code == 200
    assert login(client, "nobody19", "wrong").status_code == 429
    # Every account is refused from that address now, and it shows on the lockout page.
    assert login(client, "staff_a", "pw").status_code == 429
    other_address = Client(REMOTE_ADDR="10.0.0.9")
    assert login(other_address, "staff_a", "pw").status_code == 302
    lock = AuditEvent.objects.get(action=AuditAction.LOCKOUT)
    assert lock.target == "地址 127.0.0.1"


def test_success_resets_the_count(client, staff_a):
    for _ in range(4):
        login(client, "staff_a", "wrong")
    assert login(client, "staff_a", "pw").status_code == 302
    client.logout()
    for _ in range(4):
        assert login(client, "staff_a", "wrong").status_code == 200


# ---------------------------------------------------------------------------------------------
# API tokens


def test_wrong_tokens_lock_the_address(staff_a, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    _token, key = ApiToken.issue(user=staff_a, name="同步")
    api = Client()
    for n in range(5):
        r = api.get("/api/units", headers={"Authorization": f"Bearer zs_wrong{n}"})
        assert r.status_code == 401
    r = api.get("/api/units", headers={"Authorization": "Bearer zs_wrong-last"})
    assert r.status_code == 429 and LOCKED in r.json()["message"]
    # Now even the right token is refused from that address, but not from another.
    assert api.get("/api/units", headers={"Authorization": f"Bearer {key}"}).status_code == 429
    elsewhere = Client(REMOTE_ADDR="10.0.0.9")
    assert elsewhere.get("/api/units", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    failed = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, target="API令牌")
    assert failed.count() == 6
    assert AuditEvent.objects.filter(action=AuditAction.LOCKOUT, target="地址 127.0.0.1").exists()


def test_a_locked_account_cannot_use_its_token(client, staff_a):
    _token, key = ApiToken.issue(user=staff_a, name="同步")
    for _ in range(5):
        login(client, "staff_a", "wrong")
    r = Client(REMOTE_ADDR="10.0.0.9").get("/api/units", headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 429
    assert LOCKED in r.json()["message"]


def test_administrators_tokens_are_refused(sysadmin):
    _token, key = ApiToken.issue(user=sysadmin, name="x")
    r = Client().get("/api/units", headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 403


def test_a_user_of_another_address_is_not_slowed(client, staff_a):
    UserFactory(username="staff_c", unit=staff_a.unit)
    for _ in range(5):
        login(client, "staff_a", "wrong")
    assert login(client, "staff_c", "pw").status_code == 302
