"""The read replica: with DATABASE_REPLICA_URL set, reads that may be stale (the cockpit here) go to
the replica and every write to the primary. Two SQLite files stand in for PostgreSQL and its streaming
replica; the settings read the URLs at start-up, so the probe runs in its own process."""

import json
import subprocess
import sys
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS

from zhaoshang.core.db_router import ReplicaRouter, replica_alias, stale_reads

PROBE = Path(__file__).with_name("replica_probe.py")


def test_stale_reads_go_to_the_replica_and_writes_to_the_primary(tmp_path):
    proc = subprocess.run([sys.executable, str(PROBE), str(tmp_path)], capture_output=True, text=True, timeout=600)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("PROBE ")), None)
    assert proc.returncode == 0 and line, proc.stderr[-3000:]
    seen = json.loads(line[len("PROBE "):])
    # An ordinary read sees the primary's new project; a stale read does not (not replicated yet).
    assert seen["read_outside"] == 1 and seen["read_inside"] == 0
    # A write inside stale_reads still lands on the primary.
    assert seen["unit_on_primary"] == 1 and seen["unit_on_replica"] == 0
    # The cockpit asks only the replica: nothing signed there until replication catches up.
    signed, on_primary, on_replica = seen["cockpit_before"]
    assert signed == "0" and on_primary == 0 and on_replica > 0
    signed, on_primary, on_replica = seen["cockpit_after"]
    assert signed == "50000" and on_primary == 0 and on_replica > 0


def test_without_a_replica_everything_uses_the_primary():
    router = ReplicaRouter()
    assert replica_alias() == DEFAULT_DB_ALIAS
    with stale_reads():
        assert router.db_for_read(None) == DEFAULT_DB_ALIAS
        assert router.db_for_write(None) == DEFAULT_DB_ALIAS
    assert router.allow_migrate("replica", "ledger") is False
