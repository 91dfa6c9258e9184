"""An assessment run measures with PostgreSQL's work_mem raised for its own transaction only
(ZHAOSHANG_ASSESS_WORK_MEM, SET LOCAL), so its sorts do not spill to disk at province scale; other
connections and later queries keep the server's setting. SQLite has no such setting: nothing changes."""

import pytest
from django.db import connection
from django.test import override_settings

from zhaoshang.core.db import analytic_memory

pytestmark = pytest.mark.django_db(transaction=True)


def _work_mem() -> str:
    with connection.cursor() as cur:
        cur.execute("SHOW work_mem")
        return cur.fetchone()[0]


@override_settings(ASSESS_WORK_MEM="96MB")
def test_work_mem_is_raised_for_the_run_only():
    """On PostgreSQL the run's transaction sorts with 96MB and nothing outlives it; on SQLite, which has no
    such setting, the run opens no transaction of its own."""
    if connection.vendor != "postgresql":
        with analytic_memory():
            assert not connection.in_atomic_block
        return
    before = _work_mem()
    with analytic_memory():
        assert _work_mem() == "96MB"
    assert _work_mem() == before
