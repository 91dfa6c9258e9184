"""Passwords (8+ characters of three classes, not common, not the username, not one of the last 5, 90 days,
issued ones changed at the first login, `demo` only in demo mode), sessions (30 minutes idle, 12 hours, logout
everywhere) and the optional second factor for the three administrators."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhaoshang.security.models import AccountSecurity, AuditAction, AuditEvent
from zhaoshang.security.signals import LOGIN_AT, SEEN_AT

from ..factories import UserFactory
from .conftest import GOOD_PASSWORD, login

pytestmark = pytest.mark.django_db
LEDGER = "/ledger/"


def change_password(client, old: str, new: str):
    return client.post(reverse("security:password_change"),
                       {"old_password": old, "new_password1": new, "new_password2": new})


# ---------------------------------------------------------------------------------------------
# Password rules


def test_the_deployed_settings_store_passwords_with_a_slow_salted_hash():
    """The suite swaps in a fast hasher (tests/conftest.py); what a server runs with is the settings module's
    own choice, which must stay a deliberately slow one (PBKDF2 by Django's default, or Argon2)."""
    from django.conf import global_settings
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    import zhaoshang.settings as deployed

    first = getattr(deployed, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)[0]
    assert first.rsplit(".", 1)[1] in {"PBKDF2PasswordHasher", "Argon2PasswordHasher"}
    assert PBKDF2PasswordHasher.iterations >= 600_000


@pytest.mark.parametrize("password, why", [
    ("Ab1!x", "太短"),
    ("abcdefgh12", "只有两类"),
    ("Password1", "常见密码"),
    ("Staff_a-2024!", "含用户名"),
])
def test_weak_passwords_are_refused(staff_a, password, why):
    with pytest.raises(ValidationError):
        validate_password(password, staff_a)


def test_a_good_password_passes(staff_a):
    validate_password(GOOD_PASSWORD, staff_a)


def test_none_of_the_last_five_passwords(client, staff_a):
    client.force_login(staff_a)
    passwords = ["pw", "Zs-First-0001!", "Zs-Second-0002!", "Zs-Third-0003!", "Zs-Fourth-0004!", "Zs-Fifth-0005!"]
    for old, new in zip(passwords, passwords[1:], strict=False):
        assert change_password(client, old, new).status_code == 302, new
    # The last five (the current one and the four before it) are refused …
    for reused in passwords[1:]:
        response = change_password(client, "Zs-Fifth-0005!", reused)
        assert response.status_code == 200 and "最近5次" in response.content.decode(), reused
    # … and one more change lets the oldest of them drop out.
    assert change_password(client, "Zs-Fifth-0005!", "Zs-Sixth-0006!").status_code == 302
    assert change_password(client, "Zs-Sixth-0006!", "Zs-First-0001!").status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD, username="staff_a", result="success").count() == 7


def test_an_issued_password_must_be_changed_at_the_first_login(client, sysadmin, staff_a):
    admin = Client()
    admin.force_login(sysadmin)
    issued = admin.post(reverse("security:user_password", args=[staff_a.pk])).context["password"]
    validate_password(issued)  # the issued password itself meets the policy

    assert login(client, "staff_a", issued).status_code == 302
    response = client.get(LEDGER)
    assert response.status_code == 302 and response.url.startswith(reverse("security:password_change"))
    assert client.get("/api/units").status_code == 403
    page = client.get(response.url).content.decode()
    assert "管理员下发" in page
    response = client.post(response.url, {"old_password": issued, "new_password1": GOOD_PASSWORD,
                                          "new_password2": GOOD_PASSWORD, "next": LEDGER})
    assert response.status_code == 302 and response.url == LEDGER
    assert client.get(LEDGER).status_code == 200
    assert not AccountSecurity.objects.get(user=staff_a).must_change_password


def test_passwords_expire_after_90_days(client, staff_a):
    client.force_login(staff_a)
    assert client.get(LEDGER).status_code == 200
    AccountSecurity.objects.filter(user=staff_a).update(password_changed_at=timezone.now() - dt.timedelta(days=91))
    response = client.get(LEDGER)
    assert response.status_code == 302 and reverse("security:password_change") in response.url
    assert "超过90天" in client.get(response.url).content.decode()


def test_demo_password_only_in_demo_mode(client, settings):
    UserFactory(username="demo_user", role="assessor", password="demo")
    settings.DEMO_MODE = True
    assert login(client, "demo_user", "demo").status_code == 302
    assert client.get(LEDGER).status_code == 200
    client.logout()
    settings.DEMO_MODE = False
    assert login(client, "demo_user", "demo").status_code == 302
    assert client.get(LEDGER).url.startswith(reverse("security:password_change"))


# ---------------------------------------------------------------------------------------------
# Sessions


def age_session(client, **seconds_ago):
    session = client.session
    now = time.time()
    for key, ago in seconds_ago.items():
        session[{"login": LOGIN_AT, "seen": SEEN_AT}[key]] = now - ago
    session.save()


def test_idle_for_30_minutes_logs_out(client, staff_a):
    client.force_login(staff_a)
    age_session(client, seen=29 * 60)
    assert client.get(LEDGER).status_code == 200
    age_session(client, seen=31 * 60)
    response = client.get(LEDGER)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.get(LEDGER).status_code == 302  # logged out for good
    end = AuditEvent.objects.get(action=AuditAction.SESSION_END, username="staff_a")
    assert "30分钟" in end.detail


def test_twelve_hours_after_login_logs_out_even_when_active(client, staff_a):
    client.force_login(staff_a)
    age_session(client, login=12 * 3600 + 60, seen=10)
    response = client.get(LEDGER)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert "12小时" in AuditEvent.objects.get(action=AuditAction.SESSION_END).detail


def test_api_session_timeout_is_json(client, staff_a):
    client.force_login(staff_a)
    age_session(client, seen=31 * 60)
    response = client.get("/api/units")
    assert response.status_code == 401 and "重新登录" in response.json()["message"]


def test_logout_everywhere_by_the_user(staff_a):
    office, home = Client(), Client()
    office.force_login(staff_a)
    home.force_login(staff_a)
    assert home.get(LEDGER).status_code == 200
    time.sleep(0.01)  # the sessions above must have started strictly before the logout
    response = office.post(reverse("security:logout_everywhere"))
    assert response.status_code == 302
    assert office.get(LEDGER).status_code == 302
    assert home.get(LEDGER).status_code == 302
    again = Client()
    again.force_login(staff_a)
    assert again.get(LEDGER).status_code == 200  # a new login is not affected


def test_logout_everywhere_by_the_security_admin(secadmin, staff_a):
    user, admin = Client(), Client()
    user.force_login(staff_a)
    admin.force_login(secadmin)
    time.sleep(0.01)
    assert admin.post(reverse("security:user_logout_everywhere", args=[staff_a.pk])).status_code == 302
    assert user.get(LEDGER).status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.SESSION_END, username="secadmin",
                                     target="账号 staff_a").exists()
    # Nobody else may end another user's sessions.
    admin.force_login(UserFactory(username="assessor2", role="assessor"))
    assert admin.post(reverse("security:user_logout_everywhere", args=[staff_a.pk])).status_code == 403


# ---------------------------------------------------------------------------------------------
# Second factor


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def test_second_factor_is_required_for_administrators_when_on(client, settings, secadmin, staff_a):
    settings.ADMIN_OTP_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp slows retries after a wrong code; this test retries at once
    assert login(client, "secadmin", "pw").status_code == 302
    response = client.get(reverse("security:lockouts"))
    assert response.status_code == 302 and response.url.startswith(reverse("security:otp"))
    setup = client.get(response.url)
    assert "<svg" in setup.content.decode() and 'id="otp-secret"' in setup.content.decode()
    device = TOTPDevice.objects.get(user=secadmin, confirmed=False)
    wrong = client.post(reverse("security:otp"), {"token": "000000" if current_code(device) != "000000" else "111111"})
    assert "动态验证码不正确" in wrong.content.decode()
    response = client.post(reverse("security:otp"), {"token": current_code(device), "next": "/security/lockouts/"})
    assert response.status_code == 302 and response.url == "/security/lockouts/"
    assert client.get(reverse("security:lockouts")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed

    # The next login asks for the code again (no new setup).
    client.post(reverse("logout"))
    login(client, "secadmin", "pw")
    response = client.get(reverse("security:lockouts"))
    assert response.url.startswith(reverse("security:otp"))
    assert "<svg" not in client.get(response.url).content.decode()

    # Business users are not asked.
    other = Client()
    login(other, "staff_a", "pw")
    assert other.get(LEDGER).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.OTP, result="failure").count() == 1


def test_second_factor_off_by_default(client, secadmin):
    login(client, "secadmin", "pw")
    assert client.get(reverse("security:lockouts")).status_code == 200
