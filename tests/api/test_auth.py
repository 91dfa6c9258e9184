"""Tokens and sessions: who gets in, and what a browser session must prove to write."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from zhaoshang.ledger.models import Project
from zhaoshang.orgs.models import ApiToken

from .test_projects import valid_project

pytestmark = pytest.mark.django_db


def test_token_authenticates_as_its_user_and_records_use(staff_a, project_a):
    token, key = ApiToken.issue(user=staff_a, name="同步")
    assert token.last_used_at is None
    r = Client().get("/api/projects", headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 200
    assert [p["code"] for p in r.json()["items"]] == ["XM-A-1"]  # scoped to staff_a's unit
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("header", ["Bearer zs_not-a-real-token", "Bearer ", "Token abc", "Basic dXNlcjpwdw=="])
def test_invalid_token_is_401(staff_a, header):
    for method in ("get", "post"):
        r = getattr(Client(), method)("/api/projects", headers={"Authorization": header})
        assert r.status_code == 401, (method, header)
        assert r.json()["message"]


def test_no_credentials_is_401(unit_a):
    r = Client().get("/api/projects")
    assert r.status_code == 401
    assert r.json() == {"message": "未登录或令牌无效", "fields": {}}
    # A write without credentials is also 401 (not a CSRF error), and saves nothing.
    r = Client(enforce_csrf_checks=True).post("/api/projects", valid_project(), content_type="application/json")
    assert r.status_code == 401
    assert not Project.objects.exists()


def test_revoked_token_and_inactive_user_are_refused(staff_a):
    token, key = ApiToken.issue(user=staff_a, name="x")
    headers = {"Authorization": f"Bearer {key}"}
    assert Client().get("/api/units", headers=headers).status_code == 200
    staff_a.is_active = False
    staff_a.save()
    assert Client().get("/api/units", headers=headers).status_code == 401
    staff_a.is_active = True
    staff_a.save()
    token.delete()
    assert Client().get("/api/units", headers=headers).status_code == 401


def test_session_read_works_and_post_without_csrf_is_refused(staff_a, unit_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_a)
    assert client.get("/api/projects").status_code == 200
    r = client.post("/api/projects", valid_project(), content_type="application/json")
    assert r.status_code == 403
    assert "CSRF" in r.json()["message"]
    assert not Project.objects.exists()


def test_session_post_with_csrf_token_is_accepted(staff_a, unit_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_a)
    client.get("/api/docs")  # the docs page sets the CSRF cookie, as it does for Swagger's "Try it out"
    csrf = client.cookies["csrftoken"].value
    r = client.post("/api/projects", valid_project(), content_type="application/json", headers={"X-CSRFToken": csrf})
    assert r.status_code == 201, r.json()
    assert Project.objects.get().history.first().history_user == staff_a


def test_token_command_create_list_revoke(staff_a, capsys):
    call_command("token", "create", "staff_a", "--name", "省平台同步")
    key = capsys.readouterr().out.strip()
    assert key.startswith("zs_")
    token = ApiToken.objects.get(user=staff_a)
    assert token.key_hash == ApiToken.hash_key(key) and token.name == "省平台同步"
    assert key not in token.key_hash  # only the hash is stored
    assert Client().get("/api/units", headers={"Authorization": f"Bearer {key}"}).status_code == 200

    call_command("token", "list", "staff_a")
    listing = capsys.readouterr().out
    assert token.prefix in listing and "省平台同步" in listing and key not in listing

    call_command("token", "revoke", token.prefix)
    assert not ApiToken.objects.exists()
    assert Client().get("/api/units", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_token_command_unknown_user(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="用户不存在"):
        call_command("token", "create", "nobody", "--name", "x")
