"""Query-count guards: the ledger list, a project page, the cockpit and the API lists issue the same
number of SQL queries with 100 projects as with 1,000 — a page whose queries grow with the ledger (one
per row, one per unit, ids sent back one by one) would not stay flat at a province's 2,000,000.
Counts, not timings: a count is the same on every machine."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import ProjectFactory, UnitFactory, UnitGroupFactory, UserFactory
from zhaoshang.ledger.models import FundArrival, Project, ProjectShare
from zhaoshang.orgs.choices import UserRole
from zhaoshang.orgs.models import ApiToken

pytestmark = pytest.mark.django_db

PAGES = {
    "ledger list": "/ledger/",
    "ledger sorted": "/ledger/?sort=-signed_amount",
    "ledger filtered": "/ledger/?stage=signed&amount_min=100&q=项目",
    "ledger page 2": "/ledger/?page=2",
    "cockpit data": "/reports/cockpit/data/?year=2024&as_of=2024-06-30",
}
API_LISTS = ["/api/projects", "/api/projects?page=2", "/api/units", "/api/people", "/api/share-changes",
             "/api/integrity/flags", "/api/integrity/verification"]


@pytest.fixture
def city():
    offices, districts = UnitGroupFactory(name="驻点招商局"), UnitGroupFactory(name="区县")
    county = UnitFactory(code="QX01", name="甲县", kind="county", group=districts)
    towns = [UnitFactory(code=f"QX01-{i:02d}", name=f"甲县{i}镇", kind="township", parent=county) for i in range(3)]
    office = UnitFactory(code="ZD01", name="驻北京招商局", kind="resident_office", group=offices)
    other = UnitFactory(code="QX02", name="乙县", kind="county", group=districts)
    watched = ProjectFactory(code="XM-WATCH", lead_unit=county, signed_on=dt.date(2024, 3, 1))
    FundArrival.objects.create(project=watched, date=dt.date(2024, 4, 1), amount=Decimal("100"))
    ProjectShare.objects.create(project=watched, unit=office, ratio=Decimal("0.5"))
    ProjectShare.objects.create(project=watched, unit=county, ratio=Decimal("0.5"))
    return {"units": [county, *towns, office, other], "county": county, "watched": watched}


def grow(city, total: int) -> None:
    """Add plain projects until the ledger holds `total`: every unit leads some, every tenth is shared
    across groups (a cockpit conflict), every third has funds."""
    units = itertools.cycle(city["units"])
    start = Project.objects.count()
    new = [
        Project(code=f"XM{n:06d}", name=f"测试项目{n}", investor="某某公司", category="C",
                signed_amount=Decimal(n % 997), signed_on=dt.date(2024, 1, 1) + dt.timedelta(days=n % 300),
                status="advancing", stage="signed",
                lead_unit=next(units))
        for n in range(start, total)
    ]
    Project.objects.bulk_create(new)
    shares, funds = [], []
    for p in Project.objects.filter(code__in=[p.code for p in new]):
        n = int(p.code[2:])
        if n % 10 == 0 and p.lead_unit_id != city["units"][4].pk:
            shares.append(ProjectShare(project=p, unit=city["units"][4], ratio=Decimal("0.5")))
            shares.append(ProjectShare(project=p, unit_id=p.lead_unit_id, ratio=Decimal("0.5")))
        if n % 3 == 0:
            funds.append(FundArrival(project=p, date=p.signed_on, amount=Decimal("10")))
    ProjectShare.objects.bulk_create(shares)
    FundArrival.objects.bulk_create(funds)
    assert Project.objects.count() == total


def counts(city) -> dict[str, int]:
    users = {
        "assessor": UserFactory(username="assessor", role=UserRole.ASSESSOR),
        "county": UserFactory(username="county", role=UserRole.UNIT_STAFF, unit=city["county"]),
    }
    out = {}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        _, key = ApiToken.issue(user=user, name="perf")
        api = {"Authorization": f"Bearer {key}"}
        probes = [(name, path, {}) for name, path in PAGES.items()]
        probes.append(("project page", f"/ledger/{city['watched'].pk}/", {}))
        probes += [(path, path, api) for path in API_LISTS]
        for name, path, headers in probes:
            client.get(path, headers=headers)  # warm: sessions, caches of the first request
            with CaptureQueriesContext(connection) as ctx:
                resp = client.get(path, headers=headers)
            assert resp.status_code == 200, (role, name, resp.status_code)
            out[f"{role}: {name}"] = len(ctx.captured_queries)
    return out


def test_query_counts_do_not_grow_with_the_ledger(city):
    grow(city, 100)
    small = counts(city)
    grow(city, 1000)
    large = counts(city)
    grew = {k: (small[k], large[k]) for k in small if small[k] != large[k]}
    assert not grew, f"queries at 100 → 1,000 projects: {grew}"
