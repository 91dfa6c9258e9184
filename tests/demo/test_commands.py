"""The `generate`, `demo` and `serve` commands."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import ProjectFactory
from zhaoshang.demo.accounts import DEMO_PASSWORD
from zhaoshang.ledger.models import Project
from zhaoshang.orgs.choices import UnitKind, UserRole
from zhaoshang.orgs.models import Unit, User


def test_generate_refuses_non_empty_database_without_flush(db):
    existing = ProjectFactory(code="REAL-1")
    with pytest.raises(CommandError, match="--flush"):
        call_command("generate", units=3, projects=10, seed=1, no_progress=True, stdout=io.StringIO())
    assert Project.objects.count() == 1
    call_command("generate", units=3, projects=10, seed=1, flush=True, no_progress=True, stdout=io.StringIO())
    assert Project.objects.count() == 10
    assert not Project.objects.filter(pk=existing.pk).exists()


def test_generate_rejects_bad_years(db):
    with pytest.raises(CommandError, match="年度"):
        call_command("generate", units=3, projects=10, years="二〇二四", no_progress=True)


def test_demo_no_serve_loads_city_and_accounts(db):
    out = io.StringIO()
    call_command("demo", no_serve=True, stdout=out)
    text = out.getvalue()
    assert "demo" in text and "assessor" in text and "bj01" in text
    for username, role in (("admin", UserRole.ADMIN), ("assessor", UserRole.ASSESSOR), ("leader", UserRole.LEADER)):
        user = User.objects.get(username=username)
        assert user.role == role
        assert user.check_password(DEMO_PASSWORD)
    assert User.objects.get(username="admin").is_superuser
    offices = Unit.objects.filter(kind=UnitKind.RESIDENT_OFFICE, group__name="驻点招商局")
    names = set(offices.values_list("name", flat=True))
    assert names >= {"驻北京招商局", "驻武汉招商局", "驻杭州招商局", "驻深圳招商局"}
    beijing = offices.get(code="BJ01")
    assert "河北" in beijing.regions and "黄连军" in beijing.lead_leader and "新材料" in beijing.focus_industries
    assert beijing.people.filter(name="王金良", role="director").exists()
    assert set(Unit.objects.values_list("group__name", flat=True)) >= {"重点地区", "市内五区及郑东新区", "产业专班"}
    for unit in Unit.objects.all():
        staff = User.objects.get(username=unit.code.lower())
        assert staff.role == UserRole.UNIT_STAFF and staff.unit == unit
        assert staff.person.unit == unit
    for county in Unit.objects.filter(kind=UnitKind.COUNTY):
        head = User.objects.get(username=f"{county.code.lower()}-head")
        assert head.role == UserRole.UNIT_HEAD and head.person.unit == county
    assert 500 <= Project.objects.count() <= 700
    assert set(Project.objects.values_list("signed_on__year", flat=True).distinct()) >= {2023, 2024, 2025}
    # A second run keeps the data.
    users = User.objects.count()
    call_command("demo", no_serve=True, stdout=io.StringIO())
    assert User.objects.count() == users


def test_demo_accounts_can_log_in(client, db):
    call_command("demo", no_serve=True, stdout=io.StringIO())
    assert client.login(username="bj01", password=DEMO_PASSWORD)


def test_serve_collects_static_and_execs_gunicorn(db, monkeypatch):
    calls = []
    monkeypatch.setattr("zhaoshang.core.management.commands.serve.call_command",
                        lambda *a, **k: calls.append(("call", a, k)))
    monkeypatch.setattr("os.execvp", lambda path, argv: calls.append(("exec", path, argv)))
    call_command("serve", bind="127.0.0.1:9000", workers=2, stdout=io.StringIO())
    assert calls[0][0] == "call" and calls[0][1] == ("collectstatic",)
    kind, path, argv = calls[1]
    assert kind == "exec" and path.endswith("gunicorn")
    assert argv[1] == "zhaoshang.wsgi:application"
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:9000"
    assert argv[argv.index("--workers") + 1] == "2"
