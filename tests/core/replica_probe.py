"""Run by test_db_router.py in a fresh process: two SQLite files as primary and replica (the settings
read DATABASE_URL / DATABASE_REPLICA_URL at start-up). Prints one JSON line of what it observed."""

import datetime as dt
import json
import os
import shutil
import sys
from pathlib import Path

here = Path(sys.argv[1])
primary, replica = here / "primary.sqlite3", here / "replica.sqlite3"
os.environ.update(DATABASE_URL=f"sqlite:///{primary}", DATABASE_REPLICA_URL=f"sqlite:///{replica}",
                  DJANGO_SETTINGS_MODULE="zhaoshang.settings", ZHAOSHANG_ALLOW_DEV_KEY="1", LOG_LEVEL="ERROR")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def replicate() -> None:
    """What streaming replication does, at once: the replica becomes a copy of the primary."""
    for alias in ("default", "replica"):
        connections[alias].close()
    shutil.copyfile(primary, replica)


call_command("migrate", interactive=False, verbosity=0)  # the primary only: the router allows no other
replicate()

from tests.factories import ProjectFactory, UnitFactory, UserFactory  # noqa: E402
from zhaoshang.core.db_router import stale_reads  # noqa: E402
from zhaoshang.ledger.models import Project  # noqa: E402
from zhaoshang.orgs.choices import UserRole  # noqa: E402
from zhaoshang.orgs.models import Unit  # noqa: E402
from zhaoshang.reports.cockpit import cockpit_data  # noqa: E402

out: dict = {}
ProjectFactory(signed_amount=50000, signed_on=dt.date(2024, 2, 1))  # on the primary, not replicated yet
assessor = UserFactory(username="assessor", role=UserRole.ASSESSOR)
out["read_outside"] = Project.objects.count()
with stale_reads():
    out["read_inside"] = Project.objects.count()
    UnitFactory(code="W01", name="写入单位")  # a write inside stale_reads
out["unit_on_primary"] = Unit.objects.using("default").filter(code="W01").count()
out["unit_on_replica"] = Unit.objects.using("replica").filter(code="W01").count()


def cockpit() -> tuple[str, int, int]:
    with CaptureQueriesContext(connections["default"]) as on_primary, \
         CaptureQueriesContext(connections["replica"]) as on_replica:
        data = cockpit_data(user=assessor, year=2024, as_of=dt.date(2024, 3, 31))
    signed = next(c["value"] for c in data["completion"] if c["key"] == "signed")
    return signed, len(on_primary.captured_queries), len(on_replica.captured_queries)


out["cockpit_before"] = cockpit()
replicate()
out["cockpit_after"] = cockpit()
print("PROBE " + json.dumps(out))
