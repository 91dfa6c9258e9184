"""A read replica for reads that may be seconds stale (the cockpit, reports, exports, what-if).

With `DATABASE_REPLICA_URL` set (a PostgreSQL streaming replica, see docs/deploy.md), settings add a
second alias "replica". Nothing goes there by default: a read goes to the replica only inside
`stale_reads()`, which the cockpit, the report and export downloads and the what-if wrap around their
work — so a page that has just saved something never reads it back from a replica that lags. Every
write goes to the primary, inside `stale_reads()` too. Without a replica everything uses "default".
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

REPLICA = "replica"

_stale_ok: ContextVar[bool] = ContextVar("zhaoshang_stale_reads", default=False)


def replica_alias() -> str:
    """The alias for a read that may be stale: the replica when one is configured."""
    return REPLICA if REPLICA in settings.DATABASES else DEFAULT_DB_ALIAS


@contextmanager
def stale_reads() -> Iterator[None]:
    """Reads inside go to the replica (when there is one); writes still go to the primary."""
    token = _stale_ok.set(True)
    try:
        yield
    finally:
        _stale_ok.reset(token)


class ReplicaRouter:
    """Listed in settings.DATABASE_ROUTERS only when a replica is configured."""

    def db_for_read(self, model, **hints):
        instance = hints.get("instance")
        if instance is not None and instance._state.db:  # related rows come from where the row came from
            return instance._state.db
        return replica_alias() if _stale_ok.get() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS  # a streaming replica takes its schema from the primary
