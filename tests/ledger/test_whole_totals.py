"""The whole ledger's totals (ledger.totals): on PostgreSQL kept by triggers through every write path, on
SQLite summed on each read — either way equal to the tables' own sums after every kind of change."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.db.models import Count, Sum

from zhaoshang.ledger import totals
from zhaoshang.ledger.models import FundArrival, LedgerTotalsDelta, Project

from ..factories import FundArrivalFactory, ProjectFactory


def _summed() -> tuple[int, Decimal, Decimal]:
    agg = Project.objects.aggregate(n=Count("id"), s=Sum("signed_amount"))
    funds = FundArrival.objects.aggregate(s=Sum("amount"))["s"] or Decimal("0")
    return agg["n"], Decimal(agg["s"] or 0).quantize(Decimal("0.0001")), Decimal(funds).quantize(Decimal("0.0001"))


def _kept() -> tuple[int, Decimal, Decimal]:
    n, signed, funds = totals.whole_ledger()
    return n, signed.quantize(Decimal("0.0001")), funds.quantize(Decimal("0.0001"))


def test_totals_follow_every_kind_of_write(unit_a, monkeypatch):
    a = ProjectFactory(lead_unit=unit_a, signed_amount=Decimal("1200.5"))
    b = ProjectFactory(lead_unit=unit_a, signed_amount=Decimal("800"))
    FundArrivalFactory(project=a, amount=Decimal("300.25"))
    FundArrivalFactory(project=b, amount=Decimal("99.75"))
    assert _kept() == _summed() == (2, Decimal("2000.5000"), Decimal("400.0000"))

    Project.objects.filter(pk=a.pk).update(signed_amount=Decimal("1000"))  # no signals, no save()
    FundArrival.objects.filter(project=b).update(amount=Decimal("100"))
    Project.objects.bulk_create([Project(code="XM-BULK-1", name="批量项目", investor="某公司", lead_unit=unit_a,
                                         signed_amount=Decimal("50"))])
    with connection.cursor() as cursor:  # a raw write, as the importer's COPY
        cursor.execute("UPDATE ledger_project SET signed_amount = signed_amount + 1 WHERE code = 'XM-BULK-1'")
    assert _kept() == _summed() == (3, Decimal("1851.0000"), Decimal("400.2500"))

    b.delete()  # its funds go with it (cascade)
    assert _kept() == _summed() == (2, Decimal("1051.0000"), Decimal("300.2500"))


def test_the_changes_are_folded_into_one_row(unit_a, monkeypatch):
    monkeypatch.setattr(totals, "COMPACT_AFTER", 2)
    for amount in ("10", "20", "30", "40"):
        FundArrivalFactory(project=ProjectFactory(lead_unit=unit_a, signed_amount=Decimal(amount)),
                           amount=Decimal(amount))
    assert _kept() == _summed()  # reading folds
    if connection.vendor == "postgresql":
        assert LedgerTotalsDelta.objects.count() == 1
        assert _kept() == _summed() == (4, Decimal("100.0000"), Decimal("100.0000"))
    else:  # SQLite keeps no rows: it sums the tables
        assert LedgerTotalsDelta.objects.count() == 0
