"""A small chain for the tests: 新能源汽车 with 上游 电池材料 (a 断点), 中游 动力电池 and 下游 整车; unit A
(甲区) and a resident office follow its targets."""

from __future__ import annotations

import pytest

from tests.factories import UnitFactory, UserFactory
from zhaoshang.chains import services
from zhaoshang.chains.models import GapKind, Position
from zhaoshang.orgs.choices import UnitKind, UserRole


@pytest.fixture
def chain_admin(db):
    return UserFactory(username="chain_assessor", role=UserRole.ASSESSOR)


@pytest.fixture
def office(db):
    return UnitFactory(code="ZD01", name="驻北京招商局", kind=UnitKind.RESIDENT_OFFICE)


@pytest.fixture
def office_staff(office):
    return UserFactory(username="office_staff", role=UserRole.UNIT_STAFF, unit=office)


@pytest.fixture
def chain(chain_admin, office):
    chain = services.chain_save(user=chain_admin, name="新能源汽车", sections="C", classes="C36 汽车制造业",
                                local_base="已有整车企业两家", policies="固定资产投资补助", offices=[office])
    segs = {}
    for order, (position, name) in enumerate([(Position.UPSTREAM, "电池材料"), (Position.MIDSTREAM, "动力电池"),
                                              (Position.DOWNSTREAM, "整车")]):
        segs[name] = services.segment_save(user=chain_admin, chain=chain, position=position, name=name, order=order)
    services.gap_add(user=chain_admin, segment=segs["电池材料"], kind=GapKind.BREAK, note="本地无正极材料企业")
    chain.segs = segs
    return chain
