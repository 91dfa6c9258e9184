"""The `generate`, `demo` and `serve` commands."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import ProjectFactory
from zhaoshang.core.periods import today
from zhaoshang.demo.accounts import DEMO_PASSWORD
from zhaoshang.ledger.choices import STAGE_VERIFIED_FIELD
from zhaoshang.ledger.models import FundArrival, Project, StageEvidence, StageRecord
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
    # The district assessor (区考核办) of 中牟县 is a demo account, listed on the login page.
    district = User.objects.get(username="qkh")
    assert district.role == UserRole.DISTRICT_ASSESSOR and district.unit.code == "ZM01"
    assert district.check_password(DEMO_PASSWORD) and "qkh" in text
    _assert_verification_mix()
    # A second run keeps the data.
    users = User.objects.count()
    call_command("demo", no_serve=True, stdout=io.StringIO())
    assert User.objects.count() == users


def _assert_verification_mix() -> None:
    """Mostly 已认定; this year's latest filings wait; three returned and one rejected, with reasons;
    evidence files (real PDFs and PNGs) on recent facts."""
    facts = [*StageRecord.objects.select_related("project"), *FundArrival.objects.select_related("project")]
    states = Counter(f.verification for f in facts)
    assert states["verified"] > 0.8 * len(facts)
    # rejected: the verification mix's one, and the fact behind the awards demo's clawback (awardsgen)
    assert states["pending"] >= 10 and states["returned"] == 3 and states["rejected"] == 2
    waiting = [f for f in facts if f.verification in ("pending", "preliminary")]
    assert all(f.date >= today() - dt.timedelta(days=60) for f in waiting)  # the latest filings
    # 初审通过 only in the district assessor's district (中牟县 and its towns).
    assert {f.project.lead_unit.code[:4] for f in facts if f.verification == "preliminary"} <= {"ZM01"}
    returned = [f for f in facts if f.verification == "returned"]
    assert "缺少银行回单，请补充后重新报送" in {f.verification_reason for f in returned}
    assert all(f.verification_reason and f.reviewed_by.username == "assessor" for f in returned)
    rejected = next(f for f in facts if f.verification == "rejected" and "抽查复核不属实" not in f.verification_reason)
    assert "不予认定" in rejected.verification_reason and rejected.project.signed_verified_on is None
    assert all(f.verified_on == f.date for f in facts if f.verification == "verified")
    # The projects' verified dates follow their filings.
    for record in StageRecord.objects.select_related("project"):
        expected = record.date if record.verification == "verified" else None
        assert getattr(record.project, STAGE_VERIFIED_FIELD[record.stage]) == expected
    # Evidence opens as what it claims to be.
    files = [e.file for e in StageEvidence.objects.all()] + [f.evidence for f in facts
                                                              if isinstance(f, FundArrival) and f.evidence]
    assert len(files) > 50
    heads = Counter(f.open("rb").read(8)[:4] for f in files)
    assert set(heads) == {b"%PDF", b"\x89PNG"}
    assert StageEvidence.objects.filter(kind="contract").exists()
    assert FundArrival.objects.exclude(evidence="").exclude(evidence_kind="").exists()


def test_demo_accounts_can_log_in(client, db, settings):
    settings.DEMO_MODE = True
    call_command("demo", no_serve=True, stdout=io.StringIO())
    assert client.login(username="bj01", password=DEMO_PASSWORD)
    client.logout()
    login = client.get("/accounts/login/").content.decode()
    assert "<code>qkh</code>" in login and "区考核办" in login
    assert client.login(username="qkh", password=DEMO_PASSWORD)


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
