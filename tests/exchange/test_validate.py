"""The import's fast path and the services refuse the same bad values with the same messages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Q

from zhaoshang.core.errors import ApplicationError
from zhaoshang.exchange.validate import evaluate, validate_instance
from zhaoshang.ledger.models import FundArrival, Project
from zhaoshang.ledger.services import fund_arrival_record, project_create

pytestmark = pytest.mark.django_db

GOOD = {
    "code": "XM-V",
    "name": "校验项目",
    "investor": "某公司",
    "signed_amount": Decimal("100"),
    "signed_on": dt.date(2024, 1, 5),
    "status": "advancing",
}
BAD = [
    {"signed_amount": Decimal("-1")},
    {"planned_investment": Decimal("-5")},
    {"investor_uscc": "91110000600037341X"},
    {"investor_uscc": "ABC"},
    {"registered_on": dt.date(2024, 3, 1), "started_on": dt.date(2024, 2, 1)},
    {"status": "stalled", "status_reason": ""},
    {"foreign_amount": Decimal("10"), "is_foreign": False},
    {"signed_on": None, "registered_on": dt.date(2024, 3, 1)},
    {"signed_amount": Decimal("1.12345")},
    {"name": "长" * 201},
    {"category": "nonsense"},
    {"name": ""},
]


def messages_of(exc: ApplicationError) -> list[str]:
    return sorted(m for msgs in exc.field_errors.values() for m in msgs)


@pytest.mark.parametrize("bad", BAD)
def test_project_fast_path_equals_service(bad, assessor, unit_a):
    fields = {**GOOD, **bad}
    with pytest.raises(ApplicationError) as service:
        project_create(user=assessor, lead_unit=unit_a, **fields)
    fast = validate_instance(Project(lead_unit_id=unit_a.pk, **fields), exclude=("version", "stage"))
    assert sorted(m for _, m in fast) == messages_of(service.value)
    named = {f for f in service.value.field_errors if f != "__all__"}
    assert named <= {f for f, _ in fast}


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-3"), Decimal("1.123456")])
def test_fund_fast_path_equals_service(amount, assessor, project_a):
    with pytest.raises(ApplicationError) as service:
        fund_arrival_record(user=assessor, project=project_a, date=dt.date(2024, 3, 1), amount=amount)
    fast = validate_instance(
        FundArrival(project_id=project_a.pk, date=dt.date(2024, 3, 1), amount=amount, kind="fixed_asset"),
        exclude=("evidence",),
    )
    assert sorted(m for _, m in fast) == messages_of(service.value)


def test_three_valued_logic_matches_sql():
    assert evaluate(Q(a__gte=1), {"a": None}) is None  # unknown passes, as Q.check() coalesces to True
    assert evaluate(~Q(a=None), {"a": None}) is False
    assert evaluate(Q(a__isnull=True) | Q(a__gt=0), {"a": -1}) is False
    assert evaluate(~Q(s__in=["x", "y"]) | ~Q(r=""), {"s": "x", "r": ""}) is False
