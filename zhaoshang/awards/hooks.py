"""What awards hangs on the lower layers' hooks (registered once, from `AwardsConfig.ready`): proposed
clawbacks waiting for an assessor's decision appear in `zhaoshang remind` and on the reminders page, for
the office and for the nominee's own unit."""

from __future__ import annotations

from zhaoshang.activities import reminders


def _register(hooks: list, fn) -> None:
    if fn not in hooks:
        hooks.append(fn)


def _proposed_clawbacks(*, unit_ids, as_of):
    from .choices import ClawbackStatus
    from .documents import yuan
    from .models import Clawback

    qs = Clawback.objects.filter(status=ClawbackStatus.PROPOSED, nomination__unit__isnull=False).select_related(
        "nomination__unit", "nomination__item")
    if unit_ids is not None:
        qs = qs.filter(nomination__unit_id__in=unit_ids)
    return [reminders.Reminder(
        c.nomination.unit, "clawback",
        f"奖励“{c.nomination.subject_name}·{c.nomination.item.name}”有追回建议待确认（{c.fact_label}，"
        f"应追回{yuan(c.amount)}）",
        "awards:nomination_detail", (c.nomination_id,)) for c in qs[:200]]


_register(reminders.reminder_providers, _proposed_clawbacks)
