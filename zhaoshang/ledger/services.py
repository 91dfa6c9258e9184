"""Writes to the ledger. Web forms, the API, imports and commands all call these functions, so the
rules (validation, scope, history, optimistic locking) live in exactly one place."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from zhaoshang.core.dates import check_date
from zhaoshang.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from zhaoshang.core.periods import today
from zhaoshang.core.services import save_with_history as _save
from zhaoshang.core.services import validate_or_raise as _validate
from zhaoshang.core.text import check_text
from zhaoshang.core.uploads import check_upload
from zhaoshang.orgs.models import Person, Unit, User
from zhaoshang.orgs.scope import check_can_edit_unit, visible_unit_ids
from zhaoshang.periods import closing  # closed periods (结账): unit users may not write into one

from . import hooks, sharing
from .changes import PROJECT_FIELDS, project_changes, project_dates, project_state
from .choices import (
    FILED_STAGES,
    STAGE_DATE_FIELD,
    STAGE_ORDER,
    STAGE_VERIFIED_FIELD,
    EvidenceKind,
    FundKind,
    Section,
    Stage,
)
from .filings import add_stage_evidence, reopen
from .models import FundArrival, Project, ProjectShare, StageRecord
from .verification import refresh_project_verified_dates

STAGE_FIELDS = {field: stage for stage, field in STAGE_DATE_FIELD.items() if stage in FILED_STAGES}
# Every stage with a filing (签约 included): what `_sync_stage_records` keeps in step.
RECORD_FIELDS = {field: Stage(stage) for stage, field in STAGE_DATE_FIELD.items()}
SHARE_TOLERANCE = Decimal("0.00001")

ShareSpec = Sequence[tuple[Unit, Decimal]]


def _apply_fields(project: Project, fields: dict) -> None:
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise ApplicationError(_("未知字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))},
                               field_errors={k: [_("未知字段")] for k in unknown})
    for name, value in fields.items():
        if isinstance(value, str) and name not in ("status", "category"):
            value = value.strip()
        if name == "investor_uscc" and value:
            value = value.upper()
        setattr(project, name, value)


# The people and the unit a user picks for a project, as the web form offers them: the user's units and
# their people. A value the project already holds stays allowed (an assessor may have set it).
CHOSEN_FIELDS = {"introducer": gettext_lazy("引资人"), "assisting_secretary": gettext_lazy("帮办秘书"),
                 "assisting_unit": gettext_lazy("帮办单位")}


def _chosen(project: Project | None) -> dict[str, int | None]:
    return {name: getattr(project, f"{name}_id") for name in CHOSEN_FIELDS} if project is not None else {}


def _check_chosen_in_scope(user: User, project: Project, before: dict[str, int | None]) -> None:
    """Refuse a 引资人, 帮办秘书 or 帮办单位 outside the user's units, without naming them."""
    ids = visible_unit_ids(user)
    if ids is None:
        return
    errors = {}
    for name, label in CHOSEN_FIELDS.items():
        value = getattr(project, f"{name}_id")
        if value is None or value == before.get(name):
            continue
        unit_id = value if name == "assisting_unit" else (
            Person.objects.filter(pk=value).values_list("unit_id", flat=True).first())
        if unit_id not in ids:
            errors[name] = [_("所选%(label)s不在本单位及下级单位范围内") % {"label": label}]
    if errors:
        raise ApplicationError(_("只能选择本单位及下级单位的人员和单位"), field_errors=errors)


def _check_future_dates(project: Project) -> None:
    now = today()
    errors = {}
    for field in ("signed_on", *STAGE_FIELDS):
        value = getattr(project, field)
        if value is not None and value > now:
            errors[field] = [_("日期 %(date)s 晚于今天，不能预填未发生的阶段") % {"date": f"{value:%Y-%m-%d}"}]
    if errors:
        raise ApplicationError(_("日期不能晚于今天"), field_errors=errors)


def _filed_values(project: Project) -> dict:
    """What the stage filings stand for: each stage date, and the signed amount (签约 filing)."""
    return {**{f: getattr(project, f) for f in RECORD_FIELDS}, "signed_amount": project.signed_amount}


def _sync_stage_records(project: Project, user: User | None, before: dict) -> None:
    """Keep one filing per stage (签约 included) in step with the project's stage dates. A new filing
    starts at 待核实; a changed date (or, for 签约, amount) sends a checked filing back to 待核实."""
    changed = False
    for field, stage in RECORD_FIELDS.items():
        old, new = before.get(field), getattr(project, field)
        amount_changed = (stage == Stage.SIGNED and "signed_amount" in before
                          and before["signed_amount"] != project.signed_amount)
        if old == new and not amount_changed:
            continue
        record = StageRecord.objects.filter(project=project, stage=stage).first()
        if new is None:
            if record:
                record._history_user = user
                record.delete()
                changed = True
            continue
        if record is None:
            record = StageRecord(project=project, stage=stage, note="随项目信息录入")
        elif old == new and not reopen(record, user):
            continue  # only the amount changed, and the filing was not checked yet
        else:
            reopen(record, user)
        record.date = new
        record.filed_by = user
        _save(record, user)
        changed = True
    if changed and before:
        refresh_project_verified_dates([project.pk])
        project.refresh_from_db(fields=list(STAGE_VERIFIED_FIELD.values()))


def _check_no_backwards(project: Project, before: dict[str, dt.date | None], user: User) -> None:
    if user.is_assessor:
        return  # the assessment office may correct a wrongly filed stage; the history keeps the old value
    cleared = [f for f in STAGE_FIELDS if before.get(f) and getattr(project, f) is None]
    if cleared:
        raise ApplicationError(
            _("项目阶段不能倒退：已备案的阶段日期不能清除，如需更正请联系考核办"),
            field_errors={f: [_("已备案的阶段不能清除")] for f in cleared},
        )


@transaction.atomic
def project_create(*, user: User, shares: ShareSpec | None = None, correction_reason: str = "", **fields) -> Project:
    project = Project(created_by=user)
    _apply_fields(project, fields)
    check_can_edit_unit(user, project.lead_unit_id, what=_("该引资单位的项目"))
    _check_chosen_in_scope(user, project, {})
    _validate(project, exclude=["version", "stage"])
    _check_future_dates(project)
    closed = closing.guard(user=user, dates=project_dates(None, project), reason=correction_reason)
    hooks.check_signing(project=project, user=user, was_signed=False)
    project.refresh_stage()
    _save(project, user)
    closed.record(record="项目", action="新增", project=project, summary=project_changes(None, project))
    _sync_stage_records(project, user, before={})
    if shares:
        project.pending_share_change = _set_or_propose_shares(project, shares, user, correction_reason)
    hooks.project_saved(project=project, user=user)
    return project


@transaction.atomic
def project_update(*, user: User, project: Project, expected_version: int, shares: ShareSpec | None = None,
                   correction_reason: str = "", **fields) -> Project:
    """Update a project edited from `expected_version`; refuse if someone saved it in between."""
    check_can_edit_unit(user, project.lead_unit_id, what=_("该项目"))
    before = _filed_values(project)
    state_before = project_state(project)
    chosen_before = _chosen(project)
    _apply_fields(project, fields)
    check_can_edit_unit(user, project.lead_unit_id, what=_("目标引资单位的项目"))
    _check_chosen_in_scope(user, project, chosen_before)
    _validate(project, exclude=["version", "stage"])
    _check_future_dates(project)
    _check_no_backwards(project, before, user)
    closed = closing.guard(user=user, dates=project_dates(state_before, project), reason=correction_reason)
    hooks.check_signing(project=project, user=user, was_signed=state_before["signed_on"] is not None)
    claimed = Project.objects.filter(pk=project.pk, version=expected_version).update(version=F("version") + 1)
    if not claimed:
        current = Project.objects.filter(pk=project.pk).values_list("version", flat=True).first()
        raise ConflictError(
            _("该项目已被他人修改（您编辑的是第%(expected)s版，当前为第%(current)s版）。"
              "为避免覆盖他人的修改，本次保存未生效，请刷新后重新编辑。")
            % {"expected": expected_version, "current": current},
            extra={"current_version": current},
        )
    project.version = expected_version + 1
    project.refresh_stage()
    _save(project, user)
    _sync_stage_records(project, user, before)
    if shares is not None:
        project.pending_share_change = _set_or_propose_shares(project, shares, user, correction_reason)
    closed.record(record="项目", action="修改", project=project, summary=project_changes(state_before, project))
    hooks.project_saved(project=project, user=user)
    return project


def _check_shares(shares: ShareSpec) -> None:
    errors: list[str] = []
    units = [u for u, _ in shares]
    if len({u.pk for u in units}) != len(units):
        errors.append(_("同一单位重复出现"))
    total = sum((Decimal(r) for _, r in shares), Decimal("0"))
    if any(Decimal(r) <= 0 or Decimal(r) > 1 for _, r in shares):
        errors.append(_("每个比例必须大于0且不超过1"))
    if shares and abs(total - 1) > SHARE_TOLERANCE:
        errors.append(_("共享比例之和应为1，实际为%(total)s") % {"total": f"{total.normalize():f}"})
    if errors:
        separator = pgettext("list separator", "；")
        raise ApplicationError(_("共享比例有误：%(errors)s") % {"errors": separator.join(errors)},
                               field_errors={"shares": errors})


def _replace_shares(project: Project, shares: ShareSpec, user: User) -> None:
    shares = list(shares)
    _check_shares(shares)
    existing = {s.unit_id: s for s in project.shares.all()}
    keep = set()
    for unit, ratio in shares:
        share = existing.get(unit.pk) or ProjectShare(project=project, unit=unit)
        if share.pk is None or share.ratio != Decimal(ratio):
            share.ratio = Decimal(ratio)
            _validate(share)
            _save(share, user)
        keep.add(unit.pk)
    for unit_id, share in existing.items():
        if unit_id not in keep:
            share._history_user = user
            share.delete()


def _set_or_propose_shares(project: Project, shares: ShareSpec, user: User, correction_reason: str = ""):
    """Replace the shares now, or — when the change touches a unit outside the user's units — keep it as
    a change waiting for that unit's consent (ledger/sharing.py). Returns the waiting change, or None."""
    shares = list(shares)
    _check_shares(shares)
    waiting = sharing.waiting_units(user, project, shares)
    if waiting:
        return sharing.propose(user=user, project=project, shares=shares, waiting=waiting,
                               correction_reason=correction_reason)
    sharing.supersede_pending(project, user)
    _replace_shares(project, shares, user)
    return None


@transaction.atomic
def project_set_shares(*, user: User, project: Project, shares: ShareSpec, correction_reason: str = ""):
    """Replace the project's shares; an empty list returns it whole to the introducing unit. A change
    another unit must confirm is returned (a `ShareChange` 待确认) instead of applied; otherwise None."""
    check_can_edit_unit(user, project.lead_unit_id, what=_("该项目"))
    closed = closing.guard(user=user, dates=[project.signed_on], reason=correction_reason)
    change = _set_or_propose_shares(project, shares, user, correction_reason)
    if change is None:
        closed.record(record="共享", action="修改", project=project,
                      summary="；".join(f"{u}：{Decimal(r).normalize():f}" for u, r in shares) or "取消共享")
    return change


def apply_shares(*, user: User, project: Project, shares: ShareSpec, correction_reason: str = "") -> None:
    """Replace the shares with a change every unit has confirmed (sharing.confirm), as the confirming user."""
    closed = closing.guard(user=user, dates=[project.signed_on], reason=correction_reason)
    _replace_shares(project, shares, user)
    closed.record(record="共享", action="修改", project=project,
                  summary="；".join(f"{u}：{Decimal(r).normalize():f}" for u, r in shares) or "取消共享")


@transaction.atomic
def stage_file(*, user: User, project: Project, stage: str, date: dt.date, note: str = "",
               files: Sequence[UploadedFile] = (), evidence_kind: str = EvidenceKind.OTHER,
               correction_reason: str = "") -> StageRecord:
    """File (备案) a stage. Stages never go backwards: a stage before the current one, or a date
    before the previous stage's date, is refused."""
    check_can_edit_unit(user, project.lead_unit_id, what=_("该项目"))
    project = Project.objects.select_for_update().get(pk=project.pk)
    stage = Stage(stage)
    if stage not in FILED_STAGES:
        raise ApplicationError(_("只能备案注册、开工、竣工、投产阶段"), field_errors={"stage": [_("无效的阶段")]})
    if project.signed_on is None:
        raise ApplicationError(_("项目尚未签约，不能备案后续阶段"), field_errors={"stage": [_("项目尚未签约")]})
    if STAGE_ORDER.index(stage) <= project.stage_index:
        raise ApplicationError(
            _("项目当前阶段为“%(stage)s”，阶段不能倒退或重复备案") % {"stage": project.get_stage_display()},
            field_errors={"stage": [_("阶段不能倒退")]},
        )
    check_date(date, field="date", label=_("备案日期"))
    if date > today():
        raise ApplicationError(_("备案日期不能晚于今天"), field_errors={"date": [_("日期晚于今天")]})
    # The note is saved without full_clean (the filing already exists): its text rule is checked here.
    check_text(note, field="note", label=_("说明"), multiline=True)
    closed = closing.guard(user=user, dates=[date], reason=correction_reason)
    field = STAGE_DATE_FIELD[stage]
    before = _filed_values(project)
    setattr(project, field, date)
    _validate(project, exclude=["version", "stage"])
    project.refresh_stage()
    project.version += 1  # the row is locked (select_for_update / SQLite's immediate transaction)
    _save(project, user)
    _sync_stage_records(project, user, before)
    record = StageRecord.objects.get(project=project, stage=stage)
    record.note = note
    _save(record, user)
    add_stage_evidence(record, files, evidence_kind or EvidenceKind.OTHER)
    closed.record(record="阶段备案", action="新增", project=project, summary=f"{stage.label} {date:%Y-%m-%d}",
                  date=date)
    hooks.project_saved(project=project, user=user)
    return record


@transaction.atomic
def fund_arrival_record(*, user: User, project: Project, date: dt.date, amount: Decimal,
                        kind: str = FundKind.FIXED_ASSET, note: str = "", evidence: UploadedFile | None = None,
                        evidence_kind: str = "", correction_reason: str = ""
                        ) -> FundArrival:
    """Record money put in; it starts at 待核实 and counts under `basis = "verified"` once 已认定."""
    check_can_edit_unit(user, project.lead_unit_id, what=_("该项目的到位资金"))
    arrival = FundArrival(project=project, date=date, amount=amount, kind=kind, note=note, recorded_by=user)
    if evidence is not None:
        check_upload(evidence, field="evidence")
        arrival.evidence = evidence
        arrival.evidence_kind = evidence_kind or EvidenceKind.OTHER
    _validate(arrival, exclude=["evidence"])
    if date > today():
        raise ApplicationError(_("到位日期不能晚于今天"), field_errors={"date": [_("日期晚于今天")]})
    closed = closing.guard(user=user, dates=[date], reason=correction_reason)
    _save(arrival, user)
    closed.record(record="到位资金", action="新增", project=project, summary=f"{date:%Y-%m-%d} {amount}万元", date=date)
    hooks.project_saved(project=project, user=user)
    return arrival


@transaction.atomic
def fund_arrival_delete(*, user: User, arrival: FundArrival, correction_reason: str = "") -> None:
    check_can_edit_unit(user, arrival.project.lead_unit_id, what=_("该项目的到位资金"))
    closed = closing.guard(user=user, dates=[arrival.date], reason=correction_reason)
    arrival._history_user = user
    arrival.delete()
    closed.record(record="到位资金", action="删除", project=arrival.project,
                  summary=f"{arrival.date:%Y-%m-%d} {arrival.amount.normalize():f}万元", date=arrival.date)


@transaction.atomic
def project_restore(*, user: User, project: Project, history_id: int) -> Project:
    """Put a project back to an earlier version from its history (assessors only). The restore is
    itself a new version in the history, so nothing is lost."""
    if not user.is_assessor:
        raise PermissionDeniedError(_("只有考核办可以恢复历史版本"))
    record = project.history.filter(history_id=history_id).first()
    if record is None:
        raise ApplicationError(_("历史版本不存在"))
    fields = {}
    for name in PROJECT_FIELDS:
        field = Project._meta.get_field(name)
        if field.is_relation:
            # A related row deleted since then restores as empty rather than failing the whole restore.
            fields[name] = field.related_model.objects.filter(pk=getattr(record, field.attname)).first()
        else:
            fields[name] = getattr(record, name)
    return project_update(user=user, project=project, expected_version=project.version, **fields)


# ---------------------------------------------------------------------------------------------
# 行业门类 in bulk

RECLASSIFY_LIMIT = 2000


@dataclasses.dataclass
class Reclassified:
    """What a bulk reclassification did: the projects changed, those already in the section, and
    those refused with the reason (outside the user's units, a closed period, …)."""

    changed: list[Project] = dataclasses.field(default_factory=list)
    unchanged: list[Project] = dataclasses.field(default_factory=list)
    refused: list[tuple[Project, str]] = dataclasses.field(default_factory=list)


def project_reclassify(*, user: User, projects: Iterable[Project], section: str,
                       correction_reason: str = "") -> Reclassified:
    """Set the 行业门类 of many projects (an office fixing the 待归类 ones after the migration). Each
    project goes through `project_update`, so scope, closed periods, validation and the history are
    exactly those of editing it by hand; a refused project is reported and the others are still saved
    (each update is its own savepoint)."""
    if section not in Section.values:
        raise ApplicationError(_("请选择行业门类"), field_errors={"section": [_("请选择行业门类")]})
    projects = list(projects)
    if len(projects) > RECLASSIFY_LIMIT:
        raise ApplicationError(_("一次最多修改%(n)s个项目，请先缩小筛选范围") % {"n": RECLASSIFY_LIMIT})
    done = Reclassified()
    for project in projects:
        if project.category == section:
            done.unchanged.append(project)
            continue
        try:
            project_update(user=user, project=project, expected_version=project.version, category=section,
                           correction_reason=correction_reason)
        except ApplicationError as exc:  # PermissionDeniedError and ConflictError included
            project.refresh_from_db()
            done.refused.append((project, exc.message))
        else:
            done.changed.append(project)
    return done
