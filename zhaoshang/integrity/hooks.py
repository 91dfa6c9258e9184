"""What integrity hangs on the lower layers' hooks (registered once, from `IntegrityConfig.ready`)."""

from __future__ import annotations

from zhaoshang.activities import reminders
from zhaoshang.ledger import hooks as ledger_hooks


def _register(hooks: list, fn) -> None:
    if fn not in hooks:
        hooks.append(fn)


# ---- pre-review (预评审): signing without a passed pre-review is refused when the city requires it -------------
def _prereview_guard(*, project, user) -> None:
    from .services.prereview import signing_guard

    signing_guard(project=project, user=user)


_register(ledger_hooks.signing_guards, _prereview_guard)


# ---- inspections (督查): overdue 整改 in `zhaoshang remind` ------------------------------------------------------
def _overdue_rectifications(*, unit_ids, as_of):
    from .selectors.inspections import overdue_reminders

    return overdue_reminders(unit_ids=unit_ids, as_of=as_of)


_register(reminders.reminder_providers, _overdue_rectifications)


# ---- flags (疑点): re-check a project after every ledger write --------------------------------------------------
def recheck_project_flags(*, project, user) -> None:
    """After any ledger write that touched a project: re-check just that project's flags (its
    same-investor candidates and its own checks), inside the write's transaction."""
    from .services.flags import project_recheck

    if project is not None and project.pk:
        project_recheck(project_id=project.pk, user=user if getattr(user, "pk", None) else None)


_register(ledger_hooks.project_saved_hooks, recheck_project_flags)
