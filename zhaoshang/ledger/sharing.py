"""Consent to shares (共享确认, issue 11): a unit cannot change another unit's figures on its own.

A unit user could give 100 % of its project to another unit and so change that unit's figures without
its knowledge. Now a change of a project's shares that gives, alters or takes away the share of a unit
outside the writer's own units (their unit and the units below it) is kept as a `ShareChange` 待确认;
the project keeps its shares, and every figure keeps counting those, until each such unit has confirmed
(a user who may edit that unit) or an assessor has confirmed for it. Then the change replaces the shares,
through the same code as a direct write, and the history names who confirmed. One refusal declines the
change; the proposer may withdraw it; a newer change of the same project supersedes it. A change between
the writer's own units, and any assessor's, applies at once, as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.services import save_with_history as _save
from zhaoshang.core.text import check_text
from zhaoshang.orgs.models import Unit, User
from zhaoshang.orgs.scope import check_can_edit_unit, visible_unit_ids

from .choices import ShareChangeStatus, ShareConsent
from .models import Project, ShareChange, ShareChangeLine


def needs_consent(user: User, unit_id: int) -> bool:
    """Whether a change of `unit_id`'s share by `user` waits for that unit: it is outside the user's units."""
    if user.is_assessor:
        return False
    ids = visible_unit_ids(user)
    return ids is not None and unit_id not in ids


def affected_units(project: Project, shares: Sequence[tuple[Unit, Decimal]]) -> dict[int, tuple[Decimal, Decimal]]:
    """unit id → (ratio before, ratio after) for every unit whose credited part the new shares change.
    Without shares the introducing unit holds the project whole (ratio 1)."""
    before = {s.unit_id: s.ratio for s in project.shares.all()} or {project.lead_unit_id: Decimal(1)}
    after = {u.pk: Decimal(r) for u, r in shares} or {project.lead_unit_id: Decimal(1)}
    return {u: (before.get(u, Decimal(0)), after.get(u, Decimal(0)))
            for u in before.keys() | after.keys() if before.get(u, Decimal(0)) != after.get(u, Decimal(0))}


def waiting_units(user: User, project: Project, shares: Sequence[tuple[Unit, Decimal]]) -> set[int]:
    return {u for u in affected_units(project, shares) if needs_consent(user, u)}


def supersede_pending(project: Project, user: User | None) -> None:
    """A new write of the project's shares replaces whatever change was still waiting."""
    for change in project.share_changes.filter(status=ShareChangeStatus.PENDING):
        change.status = ShareChangeStatus.SUPERSEDED
        change.decided_at = timezone.now()
        _save(change, user)


def propose(*, user: User, project: Project, shares: Sequence[tuple[Unit, Decimal]], waiting: set[int],
            correction_reason: str = "") -> ShareChange:
    """Keep `shares` as a change waiting for the units in `waiting` (the ratios are already checked)."""
    supersede_pending(project, user)
    change = ShareChange(project=project, proposed_by=user, correction_reason=correction_reason)
    _save(change, user)
    before = {s.unit_id: s.ratio for s in project.shares.all()} or {project.lead_unit_id: Decimal(1)}
    ratios = {u.pk: Decimal(r) for u, r in shares}
    # Every unit of the new shares, and every unit of the waiting ones whose share is taken away (ratio 0).
    for unit_id in [*ratios, *(u for u in waiting if u not in ratios)]:
        line = ShareChangeLine(change=change, unit_id=unit_id, ratio=ratios.get(unit_id, Decimal(0)),
                               previous_ratio=before.get(unit_id, Decimal(0)),
                               consent=ShareConsent.PENDING if unit_id in waiting else ShareConsent.NOT_NEEDED)
        _save(line, user)
    return change


def pending_change(project: Project) -> ShareChange | None:
    return project.share_changes.filter(status=ShareChangeStatus.PENDING).prefetch_related("lines__unit").first()


def visible_changes(*, user: User) -> QuerySet[ShareChange]:
    """Changes of any status that name one of the user's units (for an assessor: all), or concern a project
    introduced by one of them."""
    qs = ShareChange.objects.select_related("project", "proposed_by")
    ids = visible_unit_ids(user)
    if ids is None:
        return qs
    return qs.filter(Q(lines__unit_id__in=ids) | Q(project__lead_unit_id__in=ids)).distinct()


def changes_for(*, user: User) -> QuerySet[ShareChange]:
    """The waiting changes among `visible_changes`: to answer, or waiting for another unit's answer."""
    return visible_changes(user=user).filter(status=ShareChangeStatus.PENDING)


def awaiting(*, user: User) -> QuerySet[ShareChangeLine]:
    """The lines waiting for this user's answer (for an assessor: every waiting line)."""
    qs = ShareChangeLine.objects.filter(change__status=ShareChangeStatus.PENDING, consent=ShareConsent.PENDING)
    if user.is_read_only:
        return qs.none()
    ids = visible_unit_ids(user)
    return qs if ids is None else qs.filter(unit_id__in=ids)


def _lines_to_answer(user: User, change: ShareChange) -> list[ShareChangeLine]:
    if change.status != ShareChangeStatus.PENDING:
        raise ApplicationError(_("该共享变更已%(status)s，无需再确认") % {"status": change.get_status_display()})
    lines = [line for line in change.lines.all() if line.consent == ShareConsent.PENDING]
    mine = []
    for line in lines:
        try:
            check_can_edit_unit(user, line.unit_id, what=_("该单位的共享比例"))
        except PermissionDeniedError:
            continue
        mine.append(line)
    if not mine:
        raise PermissionDeniedError(_("只有被共享的单位或考核办可以确认或拒绝该共享变更"))
    return mine


@transaction.atomic
def confirm(*, user: User, change: ShareChange) -> bool:
    """Confirm the waiting lines of `change` that the user answers for. When no line waits any more the
    change replaces the project's shares. Returns whether it did."""
    from .services import apply_shares

    change = ShareChange.objects.select_for_update().get(pk=change.pk)
    now = timezone.now()
    for line in _lines_to_answer(user, change):
        line.consent, line.decided_by, line.decided_at = ShareConsent.CONFIRMED, user, now
        _save(line, user)
    if change.lines.filter(consent=ShareConsent.PENDING).exists():
        return False
    shares = [(line.unit, line.ratio) for line in change.lines.select_related("unit") if line.ratio > 0]
    apply_shares(user=user, project=change.project, shares=shares, correction_reason=change.correction_reason)
    change.status, change.decided_at = ShareChangeStatus.APPLIED, now
    _save(change, user)
    return True


@transaction.atomic
def decline(*, user: User, change: ShareChange, note: str = "") -> None:
    """Refuse the change for the user's units: the project keeps its shares."""
    check_text(note, field="note", label=_("意见"), multiline=True)
    change = ShareChange.objects.select_for_update().get(pk=change.pk)
    now = timezone.now()
    for line in _lines_to_answer(user, change):
        line.consent, line.decided_by, line.decided_at, line.note = ShareConsent.DECLINED, user, now, note.strip()
        _save(line, user)
    change.status, change.decided_at = ShareChangeStatus.DECLINED, now
    _save(change, user)


@transaction.atomic
def withdraw(*, user: User, change: ShareChange) -> None:
    """The introducing unit takes back a change still waiting."""
    check_can_edit_unit(user, change.project.lead_unit_id, what=_("该项目"))
    change = ShareChange.objects.select_for_update().get(pk=change.pk)
    if change.status != ShareChangeStatus.PENDING:
        raise ApplicationError(_("该共享变更已%(status)s，不能撤回") % {"status": change.get_status_display()})
    change.status, change.decided_at = ShareChangeStatus.WITHDRAWN, timezone.now()
    _save(change, user)


def describe(change: ShareChange, user) -> ShareChange:
    """Mark what the user may do with `change` (the template asks `can_answer`, `can_withdraw`)."""
    lines = list(change.lines.select_related("unit", "decided_by"))
    change.line_list = lines
    answerable = {line.pk for line in awaiting(user=user).filter(change=change)}
    change.can_answer = bool(answerable) and change.status == "pending"
    change.waiting_names = "、".join(line.unit.name for line in lines if line.consent == ShareConsent.PENDING)
    ids = visible_unit_ids(user)
    change.can_withdraw = change.status == "pending" and not user.is_read_only and (
        user.is_assessor or ids is None or change.project.lead_unit_id in ids)
    return change
