"""Pipeline timeliness on a hand-made case (acceptance 1): days from first contact to 签约/注册/开工, their
medians and the conversion rate per chain and per following unit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import ProjectFactory
from zhaoshang.chains.models import ChainProjectLink, TargetEnterprise
from zhaoshang.chains.pipeline import pipelines, project_timings
from zhaoshang.core.periods import SHANGHAI
from zhaoshang.ledger.models import Project

pytestmark = pytest.mark.django_db
D = dt.date


def target(segment, unit, name, first, project=None):
    return TargetEnterprise.objects.create(name=name, segment=segment, following_unit=unit, first_contact_on=first,
                                           project=project, status="contacted" if first else "none")


def linked(segment, unit, code, **dates):
    p = ProjectFactory(lead_unit=unit, code=code, **{"signed_on": None, "stage": "none", **dates})
    ChainProjectLink.objects.create(project=p, segment=segment)
    return p


@pytest.fixture
def case(chain, unit_a, office):
    """Targets followed by the office: T1 contacted 2024-01-01, signed 01-31 (30 days), registered 02-10 (40),
    started 03-01 (60); T2 contacted 01-10, signed 03-10 (60 days); T3 contacted 02-01, its project still in
    talks; T4 contacted 02-15, no project; T5 never contacted. One more project of the chain, entered
    2024-01-01 without a target, signed 04-01 (91 days: 2024 is a leap year)."""
    seg = chain.segs["动力电池"]
    p1 = linked(seg, unit_a, "P1", signed_on=D(2024, 1, 31), registered_on=D(2024, 2, 10), started_on=D(2024, 3, 1))
    p2 = linked(seg, unit_a, "P2", signed_on=D(2024, 3, 10))
    p3 = linked(seg, unit_a, "P3")
    p4 = linked(chain.segs["整车"], unit_a, "P4", signed_on=D(2024, 4, 1))
    Project.objects.filter(pk=p4.pk).update(created_at=dt.datetime(2024, 1, 1, 9, tzinfo=SHANGHAI))
    target(seg, office, "T1", D(2024, 1, 1), p1)
    target(seg, office, "T2", D(2024, 1, 10), p2)
    target(seg, office, "T3", D(2024, 2, 1), p3)
    target(seg, office, "T4", D(2024, 2, 15))
    target(seg, office, "T5", None)
    return {"p1": p1, "p4": p4}


def test_days_from_first_contact_per_project(case):
    timings = {t.code: t for t in project_timings()}
    assert timings["P1"].days == {"sign": 30, "register": 40, "start": 60}
    assert timings["P2"].days == {"sign": 60, "register": None, "start": None}
    assert timings["P3"].days == {"sign": None, "register": None, "start": None}
    assert timings["P4"].first_contact == D(2024, 1, 1) and timings["P4"].days["sign"] == 91


def test_conversion_and_median_days_per_chain_and_office(case, chain, office, unit_a):
    by_chain = pipelines("chain")[chain.pk]
    assert by_chain.contacted == 4 and by_chain.converted == 2
    assert by_chain.conversion_rate == Decimal("0.5")
    assert by_chain.projects == 4
    assert by_chain.median_days_to_sign == Decimal("60")  # 30, 60, 91
    assert by_chain.median_days_to_register == Decimal("40")
    assert by_chain.median_days_to_start == Decimal("60")
    by_office = pipelines("office")[office.pk]
    assert by_office.conversion_rate == Decimal("0.5")
    assert by_office.median_days_to_sign == Decimal("45")  # P1 30, P2 60 (P4 has no target)
    by_unit = pipelines("unit")[unit_a.pk]
    assert by_unit.median_days_to_sign == Decimal("60")
    # As of 2024-03-01 only P1 was signed: T1 of the four contacted by then.
    early = pipelines("chain", as_of=D(2024, 3, 1))[chain.pk]
    assert (early.contacted, early.converted) == (4, 1)
    assert early.median_days_to_sign == Decimal("30")
