"""What chains hangs on the lower layers' hooks (registered once, from `ChainsConfig.ready`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from zhaoshang.activities import reminders
from zhaoshang.ledger import hooks as ledger_hooks


def _register(hooks: list, fn) -> None:
    if fn not in hooks:
        hooks.append(fn)


# ---- the ledger list filtered to one segment's projects (`?segment=<id>`, a click on the chain page) ----------
def _segment_filter(qs, value: int):
    from .selectors import segment_project_ids

    return qs.filter(id__in=segment_project_ids(value))


def _segment_label(value: int) -> str:
    from .models import ChainSegment

    segment = ChainSegment.objects.filter(pk=value).select_related("chain").first()
    return f"{segment.chain.name} · {segment.name}" if segment else "—"


SEGMENT_FILTER = ledger_hooks.ProjectFilterHook("segment", gettext_lazy("产业链环节"), _segment_filter, _segment_label)
if all(h.param != "segment" for h in ledger_hooks.project_filter_hooks):
    ledger_hooks.project_filter_hooks.append(SEGMENT_FILTER)


# ---- a converted target reads 已签约 once its project is signed --------------------------------------------------
def _sync_target(*, project, user) -> None:
    from .services import sync_target_from_project

    sync_target_from_project(project=project, user=user)


_register(ledger_hooks.project_saved_hooks, _sync_target)


# ---- missed meetings and overdue action items in `zhaoshang remind` -------------------------------------------
def _meeting_reminders(*, unit_ids, as_of):
    from .meetings import reminders as meeting_reminders

    return meeting_reminders(unit_ids=unit_ids, as_of=as_of)


_register(reminders.reminder_providers, _meeting_reminders)
