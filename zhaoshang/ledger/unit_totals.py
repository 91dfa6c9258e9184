"""The totals of the projects each unit leads (count, signed amount, funds in place), kept by the database.

A unit user's unfiltered ledger shows the totals of its scope: the projects its units lead, plus those only
shared with them. Summing the led half's funds visited every fund arrival of every project the units lead — at
2,000,000 projects a county's ~4,400 projects and ~7,000 arrivals, 14–30 ms on every page. On PostgreSQL,
statement-level triggers (`unit_totals_sql`, migration 0016) append each statement's change by unit, through
every write path (the services, `QuerySet.update()`, the import's COPY, raw SQL, TRUNCATE), so the led half is a
few rows per unit: exact as of the reader's snapshot, like `ledger.totals`. The shared half is still summed (a
project shared with two of the user's units counts once). SQLite sums the projects on each read.
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal

from django.db import router
from django.db.models import Count, Sum

from zhaoshang.core.db import MoneySum, money

from .models import FundArrival, Project, UnitTotalsDelta
from .totals import fold, maintained
from .unit_totals_sql import FOLD

ADVISORY_KEY = 0x7A5F_7574  # pg_try_advisory_xact_lock key of the fold ("zs_ut")
# Fold once the units read have more than COMPACT_AFTER rows beyond ROWS_PER_UNIT each: summing a few hundred
# rows costs nothing, and a fold of every unit's rows takes a few milliseconds (after one, a unit has one row).
ROWS_PER_UNIT = 4
COMPACT_AFTER = 500


def led_by(unit_ids: Collection[int]) -> tuple[int, Decimal, Decimal]:
    """(projects, signed amount, funds in place) of the projects led by these units."""
    alias = router.db_for_read(UnitTotalsDelta)
    ids = list(unit_ids)
    if not maintained(alias):
        projects = Project.objects.using(alias).filter(lead_unit_id__in=ids).order_by()
        agg = projects.aggregate(n=Count("id"), signed=MoneySum("signed_amount"))
        funds = FundArrival.objects.using(alias).filter(project__lead_unit_id__in=ids).order_by().aggregate(
            s=MoneySum("amount"))["s"]
        return agg["n"], money(agg["signed"]), money(funds)
    rows = UnitTotalsDelta.objects.using(alias).filter(unit_id__in=ids).aggregate(
        n=Count("id"), projects=Sum("projects"), signed=Sum("signed"), funds=Sum("funds"))
    if rows["n"] > ROWS_PER_UNIT * len(ids) + COMPACT_AFTER:
        compact()
    return int(rows["projects"] or 0), money(rows["signed"]), money(rows["funds"])


def compact() -> None:
    """Fold the rows into one per unit, on the primary; skipped when another reader is folding."""
    fold(UnitTotalsDelta, ADVISORY_KEY, FOLD)
