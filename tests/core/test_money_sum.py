"""Totals of many amounts with four decimals are exact on every database (no float drift)."""

from decimal import Decimal

from django.db.models import Q

from zhaoshang.core.db import MoneySum
from zhaoshang.ledger.models import FundArrival

from ..factories import FundArrivalFactory, ProjectFactory


def test_money_sum_is_exact_over_many_rows(db):
    project = ProjectFactory()
    amounts = [Decimal("123456789.0001") + Decimal(i) / Decimal("10000") for i in range(3000)]
    FundArrival.objects.bulk_create(
        FundArrival(project=project, date="2024-03-01", amount=a, kind="fixed_asset") for a in amounts
    )
    total = FundArrival.objects.aggregate(s=MoneySum("amount"))["s"]
    assert total == sum(amounts)
    assert isinstance(total, Decimal)


def test_money_sum_with_filter_and_empty(db):
    FundArrivalFactory(amount=Decimal("10.5"), kind="fixed_asset")
    FundArrivalFactory(amount=Decimal("0.0001"), kind="foreign")
    agg = FundArrival.objects.aggregate(
        fixed=MoneySum("amount", filter=Q(kind="fixed_asset")), none=MoneySum("amount", filter=Q(kind="other"))
    )
    assert agg == {"fixed": Decimal("10.5"), "none": None}
