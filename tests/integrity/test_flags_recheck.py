"""Re-checking some projects (after a save or an import, issue 12) raises exactly the flags a scan of their years
raises about them: same investor by USCC, by an equal or a similar name, in another unit, close in date and
amount; and the checks of each project alone. The re-check reads the neighbours' investors only, so this
compares it with the year scan on a ledger full of near misses."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from tests.factories import ProjectFactory, UnitFactory
from zhaoshang.integrity.models import Flag, FlagKind, FlagStatus
from zhaoshang.integrity.services import flags as flags_service
from zhaoshang.integrity.services.flags import flags_scan_projects, flags_scan_years
from zhaoshang.ledger.models import Project

pytestmark = pytest.mark.django_db

BRANDS = ["宇通", "华瑞", "达嘉", "茂盛", "恒信", "金源"]
TRADES = ["新能源科技", "客车", "生物制药", "智能装备制造", "冷链物流", "电子信息材料研发"]
FORMS = ["有限公司", "股份有限公司", "（郑州）有限公司", "集团有限公司"]
USCCS = ["91410100MA44C12340", "91310115MA1K412340", ""]


def investor(rng: random.Random) -> str:
    name = rng.choice(BRANDS) + rng.choice(TRADES)
    if rng.random() < 0.2:  # a near miss: one character left out or added
        i = rng.randrange(1, len(name))
        name = name[:i] + name[i + 1:] if rng.random() < 0.5 else name[:i] + "新" + name[i:]
    if rng.random() < 0.2:
        name = "河南省郑州市" + name
    return name + rng.choice(FORMS)


@pytest.fixture
def ledger():
    """120 projects of four units over 2022–2024, of twelve-odd investors, many of them close in date and
    amount: most kinds of pair and of near miss appear."""
    rng = random.Random(12)
    units = [UnitFactory(code=f"U{i}", name=f"单位{i}") for i in range(4)]
    start = dt.date(2022, 1, 1)
    for n in range(120):
        terminated = rng.random() < 0.1
        ProjectFactory(
            code=f"XM-{n:03d}", lead_unit=rng.choice(units), investor=investor(rng),
            investor_uscc=rng.choice(USCCS), signed_on=start + dt.timedelta(days=rng.randrange(0, 1095)),
            signed_amount=Decimal(rng.choice([800, 1000, 1100, 1300, 5000, 0])),
            status="terminated" if terminated else "advancing", status_reason="投资方撤资" if terminated else "",
        )
    return sorted(Project.objects.values_list("id", flat=True))


def open_flags(kind: str | None = None) -> set[tuple[str, frozenset[int]]]:
    flags = Flag.objects.filter(status=FlagStatus.OPEN)
    if kind:
        flags = flags.filter(kind=kind)
    return {(f.fingerprint, frozenset(f.rows.values_list("project_id", flat=True))) for f in flags}


def about(flags, ids) -> set:
    return {f for f in flags if f[1] & set(ids)}


@pytest.mark.parametrize("match_first", [True, False])
def test_recheck_of_every_project_finds_what_the_scan_of_their_years_finds(ledger, monkeypatch, match_first):
    flags_scan_years(years=[2022, 2023, 2024])
    scanned = open_flags()
    assert len(open_flags(FlagKind.SAME_INVESTOR)) >= 10  # the ledger has pairs to find
    Flag.objects.all().delete()
    # many projects: their neighbours matched by blocking keys first, or (as few neighbours) all loaded
    monkeypatch.setattr(flags_service, "FEW_NEIGHBOURS_PER_TARGET", 0 if match_first else 3)
    flags_scan_projects(project_ids=ledger)
    assert open_flags() == scanned


def test_recheck_of_a_few_projects_finds_their_flags_and_no_other(ledger):
    flags_scan_years(years=[2022, 2023, 2024])
    scanned = open_flags()
    some = ledger[::9]  # few projects: each name against every neighbour's
    Flag.objects.all().delete()
    flags_scan_projects(project_ids=some)
    assert open_flags() == about(scanned, some)
    assert open_flags(FlagKind.SAME_INVESTOR)


def test_one_project_at_a_time_adds_up_to_the_scan(ledger):
    flags_scan_years(years=[2022, 2023, 2024])
    scanned = open_flags()
    Flag.objects.all().delete()
    for pid in ledger:
        flags_scan_projects(project_ids=[pid])
    assert open_flags() == scanned


def test_many_targets_path_agrees_with_the_few_targets_path(ledger, monkeypatch):
    some = ledger[:60]
    monkeypatch.setattr(flags_service, "FEW_NEIGHBOURS_PER_TARGET", 0)  # match first, by keys or by names
    flags_scan_projects(project_ids=some)
    many = open_flags()
    Flag.objects.all().delete()
    monkeypatch.setattr(flags_service, "FEW_TARGETS", 1000)
    flags_scan_projects(project_ids=some)
    assert open_flags() == many


def test_a_project_no_longer_signed_or_terminated_has_its_flags_closed(ledger):
    flags_scan_projects(project_ids=ledger)
    flagged = Flag.objects.filter(status=FlagStatus.OPEN, kind=FlagKind.SAME_INVESTOR).first()
    project = flagged.rows.first().project
    Project.objects.filter(pk=project.pk).update(status="terminated", status_reason="投资方撤资")
    flags_scan_projects(project_ids=[project.pk])
    flagged.refresh_from_db()
    assert flagged.status == FlagStatus.RESOLVED
    assert not about(open_flags(), [project.pk])


def test_a_scan_storing_its_pairs_in_batches_raises_and_closes_the_same_flags(ledger, monkeypatch):
    flags_scan_years(years=[2022, 2023, 2024])
    scanned = open_flags()
    Flag.objects.all().delete()
    monkeypatch.setattr(flags_service, "SYNC_BATCH", 3)  # a big year's pairs are stored a batch at a time
    report = flags_scan_years(years=[2022, 2023, 2024])
    assert open_flags() == scanned
    assert report.counts.new == len(scanned)
    assert report.found[FlagKind.SAME_INVESTOR] == len(open_flags(FlagKind.SAME_INVESTOR))
    # A correction: the investor of a flagged project was mistyped. The next scan closes its pairs, and only them.
    pair = Flag.objects.filter(kind=FlagKind.SAME_INVESTOR).first()
    corrected = pair.rows.first().project_id
    Project.objects.filter(pk=corrected).update(investor="完全不同的投资方有限公司", investor_uscc="")
    report = flags_scan_years(years=[2022, 2023, 2024])
    closed = {f for f in scanned if f[0].startswith(FlagKind.SAME_INVESTOR) and corrected in f[1]}
    assert closed and report.counts.cleared == len(closed)
    assert open_flags() == scanned - closed
