"""Publishing a run. A published run never changes; what else is frozen with it (the bulletin, in the
reports app, a layer above) subscribes to `publish_hooks` rather than being imported here."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from .engine import run as engine
from .engine.store import check_assessor
from .models import AssessmentRun

# Called with the run inside the publishing transaction; reports registers the bulletin freeze.
publish_hooks: list[Callable[[AssessmentRun], None]] = []


@transaction.atomic
def publish(*, user, run: AssessmentRun, command_line: bool = False) -> AssessmentRun:
    """Publish the run and freeze what hangs on it in one transaction: both never change afterwards.
    Every publishing path (page, API, `assess --publish`) comes here, so no published run is ever
    without its frozen bulletin. The command line runs as the server's operator, who is trusted."""
    if not command_line:
        check_assessor(user, "考核结果发布")
    run = AssessmentRun.objects.select_for_update().get(pk=run.pk)
    engine.run_publish(run)
    for hook in publish_hooks:
        hook(run)
    return run
