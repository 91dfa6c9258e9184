"""The small city of the report tests (three resident offices in the Bole scheme's group, two districts),
a published annual Bole run over it, and a 2024 award catalogue drawing on that scheme."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import UserFactory
from tests.reports.conftest import assessor, bj_staff, city, leader  # noqa: F401
from zhaoshang.assessment.engine.run import resolve_scheme, run_scheme, store
from zhaoshang.awards.choices import AwardKind, AwardRule, ThresholdOn
from zhaoshang.awards.models import AwardItem, Catalogue
from zhaoshang.orgs.choices import UserRole


@pytest.fixture
def run(city):  # noqa: F811
    rr = run_scheme(resolve_scheme("bole-2023"), "2024", dt.date(2024, 12, 31))
    return store(rr, publish=True)


@pytest.fixture
def catalogue(db):
    cat = Catalogue.objects.create(year=2024, title="2024年度招商引资和项目建设服务奖励")
    AwardItem.objects.create(catalogue=cat, kind=AwardKind.COLLECTIVE, name="先进集体奖", rule=AwardRule.TOP_N,
                             count=1, amount=Decimal("50000"), scheme_keys="bole-2023", order=1)
    AwardItem.objects.create(catalogue=cat, kind=AwardKind.SINGLE, name="到位资金奖", rule=AwardRule.THRESHOLD,
                             threshold_on=ThresholdOn.ITEM_VALUE, threshold_item="funds", threshold=Decimal("5000"),
                             amount=Decimal("20000"), scheme_keys="bole-2023", order=2)
    return cat


@pytest.fixture
def audit_user(db):
    return UserFactory(username="audit", role=UserRole.AUDIT_OFFICE)
