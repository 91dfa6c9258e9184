"""Creation entries for the demo city's projects and funds.

The generator writes in bulk, without history rows, like a migration from an old system. A user trying the
demo then edits a project and finds a history that starts with the edit: no "before" to compare with and
nothing to restore. One "+" row per project and per fund arrival, in the final state the demo leaves them
in, gives the first edit its before/after and makes it restorable."""

from __future__ import annotations

from zhaoshang.ledger.models import FundArrival, Project

BATCH = 500
REASON = "演示数据导入"


def record_creation_history() -> int:
    """Write the creation entry of every project and fund arrival that has none yet; returns how many."""
    written = 0
    for model in (Project, FundArrival):
        have = set(model.history.values_list("id", flat=True).distinct())
        rows = [obj for obj in model.objects.order_by("pk") if obj.pk not in have]
        if rows:
            model.history.bulk_history_create(rows, batch_size=BATCH, default_change_reason=REASON)
            written += len(rows)
    return written
