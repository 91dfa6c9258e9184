"""The demo city shows the integrity checks as a new user expects after `make demo`: the flags page lists
a few flags of each kind (the planted ones, not dozens of accidental ones), two already resolved by the
assessor, and the open same-investor pairs count for nobody in a preset run until they are resolved."""

from __future__ import annotations

from collections import Counter

import pytest
from django.urls import reverse

from zhaoshang.assessment.engine.run import run_scheme
from zhaoshang.assessment.engine.scheme import load_preset
from zhaoshang.core.periods import today
from zhaoshang.demo.city import load_demo_city
from zhaoshang.demo.generator import generate
from zhaoshang.demo.integritygen import CASES, planted_year
from zhaoshang.integrity.models import Flag, FlagKind, FlagStatus, RegistryEntry, Resolution
from zhaoshang.integrity.services.flags import flag_resolve, flags_scan_years
from zhaoshang.ledger.models import Project
from zhaoshang.orgs.models import User

PLANTED_FLAGS = 9  # 3 same investor, 1 year-end, 1 re-filed, 1 elsewhere, 1 注销, 1 renamed, 1 not in the registry
SPURIOUS_AT_MOST = 5


@pytest.fixture
def demo(db, settings):
    settings.CITY_DIVISION_CODES = ["4101"]  # the demo's ZHAOSHANG_CITY_DIVISIONS
    load_demo_city()
    return {c.key: Project.objects.get(name=c.name) for c in CASES}


def _kinds(status: str | None = None) -> Counter:
    flags = Flag.objects.all() if status is None else Flag.objects.filter(status=status)
    return Counter(flags.values_list("kind", flat=True))


def _projects_of(flag: Flag) -> set[str]:
    return set(flag.rows.values_list("project__name", flat=True))


def test_demo_has_each_kind_of_flag_few_spurious_and_two_resolved(demo, client):
    kinds = _kinds()
    for kind in (FlagKind.SAME_INVESTOR, FlagKind.PACKAGED_YEAR_END, FlagKind.REFILED_EXISTING,
                 FlagKind.REGISTERED_ELSEWHERE, FlagKind.REGISTRY_CANCELLED, FlagKind.REGISTRY_NAME,
                 FlagKind.REGISTRY_UNKNOWN):
        assert kinds[kind] >= 1, kind
    assert kinds[FlagKind.SAME_INVESTOR] >= 3
    assert sum(kinds.values()) <= PLANTED_FLAGS + SPURIOUS_AT_MOST, kinds
    assert RegistryEntry.objects.count() > 400  # the registry check has run against an extract

    pairs = [_projects_of(f) for f in Flag.objects.filter(kind=FlagKind.SAME_INVESTOR, status=FlagStatus.OPEN)]
    assert {demo["same_uscc_a"].name, demo["same_uscc_b"].name} in pairs
    assert {demo["same_name_a"].name, demo["same_name_b"].name} in pairs
    name_pair = Flag.objects.get(rows__project=demo["same_name_a"], kind=FlagKind.SAME_INVESTOR)
    assert "郑州宇通客车股份有限公司" in name_pair.reason and "宇通客车有限公司" in name_pair.reason
    assert "名称相近" in name_pair.reason
    for key, kind in (("year_end", FlagKind.PACKAGED_YEAR_END), ("refiled", FlagKind.REFILED_EXISTING),
                      ("elsewhere", FlagKind.REGISTERED_ELSEWHERE), ("cancelled", FlagKind.REGISTRY_CANCELLED),
                      ("same_name_b", FlagKind.REGISTRY_UNKNOWN)):
        assert Flag.objects.filter(kind=kind, rows__project=demo[key], status=FlagStatus.OPEN).exists(), key

    # Resolved by the city assessor: one 确认重复 kept by 高新区, one 排除 with its reason.
    assessor = User.objects.get(username="assessor")
    confirmed = Flag.objects.get(rows__project=demo["confirmed_b"], kind=FlagKind.SAME_INVESTOR)
    assert confirmed.resolution == Resolution.CONFIRMED and confirmed.kept_project == demo["confirmed_b"]
    assert confirmed.kept_unit.name == "高新技术产业开发区" and confirmed.resolved_by == assessor
    excluded = Flag.objects.get(kind=FlagKind.REGISTRY_NAME)
    assert excluded.resolution == Resolution.EXCLUDED and "更名" in excluded.resolution_reason
    assert _kinds(FlagStatus.RESOLVED) == Counter({FlagKind.SAME_INVESTOR: 1, FlagKind.REGISTRY_NAME: 1})

    # The flags page lists them for the assessor.
    client.force_login(assessor)
    page = client.get(reverse("integrity:flag_list")).content.decode()
    for key in ("same_uscc_a", "same_name_b", "year_end", "refiled", "elsewhere", "cancelled"):
        assert demo[key].name in page, key

    # A rescan of the demo's years finds nothing new and reopens nothing.
    before = set(Flag.objects.values_list("fingerprint", "status"))
    report = flags_scan_years(years=range(planted_year(today()) - 2, today().year + 1))
    assert report.counts.new == 0 and report.counts.reopened == 0 and report.counts.cleared == 0
    assert set(Flag.objects.values_list("fingerprint", "status")) == before


def test_planted_pair_counts_for_nobody_in_a_preset_run_until_resolved(demo):
    year = str(planted_year(today()))
    zm, jk = demo["same_uscc_a"], demo["same_uscc_b"]
    scheme = load_preset("zhengzhou-2019")
    rr = run_scheme(scheme, year)
    left_out = {c["project"]["id"]: c["message"] for c in rr.conflicts}
    for p in (zm, jk, demo["same_name_a"], demo["same_name_b"]):
        assert "在核实前均不计入" in left_out[p.pk]
    assert "由高新技术产业开发区计入" in left_out[demo["confirmed_a"].pk]
    assert demo["confirmed_b"].pk not in left_out
    signed = {s.code: s.values["signed"] for s in rr.inputs}

    flag = Flag.objects.get(rows__project=zm, kind=FlagKind.SAME_INVESTOR)
    flag_resolve(user=User.objects.get(username="assessor"), flag=flag, resolution=Resolution.CONFIRMED,
                 kept_project=zm, reason="经核实为中牟县落地项目")
    rr = run_scheme(scheme, year)
    left_out = {c["project"]["id"] for c in rr.conflicts}
    assert zm.pk not in left_out and jk.pk in left_out
    after = {s.code: s.values["signed"] for s in rr.inputs}
    assert after["ZM01"] - signed["ZM01"] == zm.signed_amount
    assert after["JK01"] == signed["JK01"]


def test_generated_projects_registered_here_carry_a_local_uscc(db, settings):
    settings.CITY_DIVISION_CODES = ["4101"]
    generate(seed=11, units=12, projects=400, years=(2023, 2024))
    registered = Project.objects.filter(registered_on__isnull=False).exclude(investor_uscc="")
    assert registered.count() > 200
    assert not [p.investor_uscc for p in registered if not p.investor_uscc[2:6] == "4101"]
    assert Project.objects.filter(registered_on__isnull=True).exclude(investor_uscc__startswith="914101").exists()
    report = flags_scan_years(years=(2023, 2024))
    found = {k: n for k, n in report.found.items() if n}
    assert sum(found.values()) <= 3, found  # a generated ledger is consistent: hardly anything to flag
