"""The totals of the projects each unit leads (ledger.unit_totals): on PostgreSQL kept by triggers through every
write path, on SQLite summed on each read — either way equal to the tables' own sums; and a unit user's unfiltered
ledger shows the same totals as summing its whole scope."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Sum

from zhaoshang.ledger import selectors, unit_totals
from zhaoshang.ledger.models import FundArrival, Project, ProjectShare, UnitTotalsDelta

from ..factories import FundArrivalFactory, ProjectFactory, UnitFactory

Q4 = Decimal("0.0001")


def _summed(unit) -> tuple[int, Decimal, Decimal]:
    agg = Project.objects.filter(lead_unit=unit).aggregate(n=Count("id"), s=Sum("signed_amount"))
    funds = FundArrival.objects.filter(project__lead_unit=unit).aggregate(s=Sum("amount"))["s"] or Decimal("0")
    return agg["n"], Decimal(agg["s"] or 0).quantize(Q4), Decimal(funds).quantize(Q4)


def _kept(unit) -> tuple[int, Decimal, Decimal]:
    n, signed, funds = unit_totals.led_by([unit.pk])
    return n, signed.quantize(Q4), funds.quantize(Q4)


def _both_agree(*units) -> list[tuple[int, Decimal, Decimal]]:
    kept = [_kept(u) for u in units]
    assert kept == [_summed(u) for u in units]
    return kept


def test_unit_totals_follow_every_kind_of_write(unit_a, unit_b):
    a = ProjectFactory(lead_unit=unit_a, signed_amount=Decimal("1200.5"))
    b = ProjectFactory(lead_unit=unit_a, signed_amount=Decimal("800"))
    FundArrivalFactory(project=a, amount=Decimal("300.25"))
    FundArrivalFactory(project=b, amount=Decimal("99.75"))
    assert _both_agree(unit_a, unit_b) == [(2, Decimal("2000.5000"), Decimal("400.0000")),
                                           (0, Decimal("0.0000"), Decimal("0.0000"))]

    # Moved to another unit by an update without save(): the project's funds go along.
    Project.objects.filter(pk=a.pk).update(lead_unit=unit_b, signed_amount=Decimal("1000"))
    assert _both_agree(unit_a, unit_b) == [(1, Decimal("800.0000"), Decimal("99.7500")),
                                           (1, Decimal("1000.0000"), Decimal("300.2500"))]

    # A fund arrival moved to another project, and one changed in amount.
    FundArrival.objects.filter(project=b).update(project=a)
    FundArrival.objects.filter(project=a, amount=Decimal("300.25")).update(amount=Decimal("300"))
    assert _both_agree(unit_a, unit_b) == [(1, Decimal("800.0000"), Decimal("0.0000")),
                                           (1, Decimal("1000.0000"), Decimal("399.7500"))]

    # Bulk and raw writes, as the importer's COPY.
    Project.objects.bulk_create([Project(code="XM-BULK-1", name="批量项目", investor="某公司", lead_unit=unit_a,
                                         signed_amount=Decimal("50"))])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_project SET signed_amount = signed_amount + 1 WHERE code = 'XM-BULK-1'")
    assert _both_agree(unit_a, unit_b)[0] == (2, Decimal("851.0000"), Decimal("0.0000"))

    a.delete()  # its funds go with it (the services and Django remove the funds first)
    assert _both_agree(unit_a, unit_b)[1] == (0, Decimal("0.0000"), Decimal("0.0000"))


def test_a_project_removed_before_its_funds_takes_them_along(unit_a):
    """Raw SQL may remove the project first (foreign keys are checked at commit): its funds still leave the unit's
    totals once, whichever goes first."""
    p = ProjectFactory(lead_unit=unit_a, signed_amount=Decimal("10"))
    FundArrivalFactory(project=p, amount=Decimal("7"))
    ProjectFactory(lead_unit=unit_a, signed_amount=Decimal("5"))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM ledger_project WHERE id = %s", [p.pk])
        cursor.execute("DELETE FROM ledger_fundarrival WHERE project_id = %s", [p.pk])
        cursor.execute("DELETE FROM ledger_stagerecord WHERE project_id = %s", [p.pk])
    assert _both_agree(unit_a) == [(1, Decimal("5.0000"), Decimal("0.0000"))]


def test_the_rows_are_folded_one_per_unit(unit_a, unit_b):
    for amount in ("10", "20", "30"):
        FundArrivalFactory(project=ProjectFactory(lead_unit=unit_a, signed_amount=Decimal(amount)),
                           amount=Decimal(amount))
        ProjectFactory(lead_unit=unit_b, signed_amount=Decimal(amount))
    if connection.vendor == "postgresql":
        unit_totals.compact()
        assert UnitTotalsDelta.objects.filter(unit_id=unit_a.pk).count() == 1
        assert UnitTotalsDelta.objects.filter(unit_id=unit_b.pk).count() == 1
    else:  # SQLite keeps no rows: it sums the tables
        assert UnitTotalsDelta.objects.count() == 0
    assert _both_agree(unit_a, unit_b) == [(3, Decimal("60.0000"), Decimal("60.0000")),
                                           (3, Decimal("60.0000"), Decimal("0.0000"))]


def test_a_unit_users_whole_list_totals_equal_its_scope_summed(staff_a, unit_a, unit_a_child, unit_b):
    """The led half from the kept figures, the shared half summed: a project led by A and shared with A's town,
    or shared with both, counts once; B's own projects not at all."""
    other = UnitFactory(code="C01", name="丙区")
    led = ProjectFactory(lead_unit=unit_a, signed_amount=Decimal("100"))
    town = ProjectFactory(lead_unit=unit_a_child, signed_amount=Decimal("40"))
    shared = ProjectFactory(lead_unit=other, signed_amount=Decimal("70"))
    ProjectFactory(lead_unit=unit_b, signed_amount=Decimal("900"))
    ProjectShare.objects.create(project=led, unit=unit_a_child, ratio=Decimal("0.5"))
    ProjectShare.objects.create(project=shared, unit=unit_a, ratio=Decimal("0.3"))
    ProjectShare.objects.create(project=shared, unit=unit_a_child, ratio=Decimal("0.2"))
    for project, amount in ((led, "11"), (town, "4"), (shared, "7.5")):
        FundArrivalFactory(project=project, amount=Decimal(amount))

    filters = selectors.ProjectFilters(sort="-signed_amount")
    qs = selectors.project_list(user=staff_a, filters=filters)
    branches = selectors.scope_branches(user=staff_a, filters=filters)
    kept = selectors.ledger_totals(qs, filters, branches, user=staff_a)
    summed = selectors.ledger_totals(qs, filters, branches)
    assert (kept.count, kept.signed_amount, kept.funds) == (summed.count, summed.signed_amount, summed.funds) \
        == (3, Decimal("210"), Decimal("22.5"))
