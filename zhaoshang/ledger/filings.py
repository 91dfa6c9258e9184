"""Ledger writes about a filing's verification standing (核实认定) that a unit takes: adding evidence
of a kind, correcting a fund arrival, and refiling a returned fact. The verifier's own steps (approve,
return, reject) live in the integrity app above; these keep the rows consistent for it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from zhaoshang.core.errors import ApplicationError
from zhaoshang.core.periods import today
from zhaoshang.core.services import save_with_history as _save
from zhaoshang.core.services import validate_or_raise as _validate
from zhaoshang.core.text import clean_text
from zhaoshang.core.uploads import check_upload, check_uploads
from zhaoshang.orgs.models import User
from zhaoshang.orgs.scope import check_can_edit_unit
from zhaoshang.periods import closing

from . import hooks
from .choices import EvidenceKind, Verification
from .models import FundArrival, StageEvidence, StageRecord
from .verification import mark_pending, refresh_project_verified_dates

Fact = StageRecord | FundArrival
# An evidence upload: a file with its material kind, or a bare file (其他).
Upload = UploadedFile | tuple[UploadedFile, str]
REOPENED = (Verification.PRELIMINARY, Verification.VERIFIED)


def _kind(value: str) -> str:
    if value not in EvidenceKind.values:
        raise ApplicationError(_("材料类型无效：%(kind)s") % {"kind": value},
                               field_errors={"evidence_kind": [_("无效的材料类型")]})
    return value


def _pairs(files: Sequence[Upload], kind: str = EvidenceKind.OTHER) -> list[tuple[UploadedFile, str]]:
    return [(f[0], _kind(f[1] or kind)) if isinstance(f, tuple) else (f, _kind(kind)) for f in files]


def reopen(fact: Fact, user=None) -> bool:
    """A unit changed what was checked (a date, an amount): a 初审通过 or 已认定 fact goes back to
    待核实, since the earlier check no longer holds. Returns whether it did; the caller saves.

    A correction by the city assessment office itself (`user.is_assessor`) keeps the fact 已认定 as of
    its first verification: the office is the verifier, its correction carries a reason and is in the
    history (and, in a closed period, a `Correction` flagged in the next bulletin)."""
    if fact.verification not in REOPENED or (user is not None and user.is_assessor):
        return False
    mark_pending(fact)
    fact._change_reason = _("内容修改，重新待核实")
    return True


def add_stage_evidence(record: StageRecord, files: Sequence[Upload], kind: str = EvidenceKind.OTHER) -> int:
    """Attach files to a filing (no scope check: for the services that already made it). Each file is
    size-limited and typed (PDF, images, Office, OFD) before any is stored."""
    pairs = _pairs(files, kind)
    check_uploads([upload for upload, _kind in pairs], field="files")
    for upload, upload_kind in pairs:
        StageEvidence.objects.create(record=record, file=upload, kind=upload_kind)
    return len(pairs)


@transaction.atomic
def stage_evidence_add(*, user: User, record: StageRecord, files: Sequence[Upload],
                       kind: str = EvidenceKind.OTHER) -> int:
    """补充材料: a unit adds evidence of a kind to one of its filings (the 签约 filing included).
    The verification state does not change: the facts are the same, only better proven."""
    check_can_edit_unit(user, record.project.lead_unit_id, what=_("该项目"))
    if not files:
        raise ApplicationError(_("请选择要上传的证明材料"), field_errors={"files": [_("请选择文件")]})
    count = add_stage_evidence(record, files, kind)
    hooks.project_saved(project=record.project, user=user)
    return count


@transaction.atomic
def fund_arrival_update(*, user: User, arrival: FundArrival, date: dt.date, amount: Decimal, kind: str,
                        note: str = "", evidence: UploadedFile | None = None, evidence_kind: str = "",
                        correction_reason: str = "") -> FundArrival:
    """Correct a fund arrival. A change of its date or amount sends a checked arrival back to 待核实;
    a new evidence file replaces the old one."""
    check_can_edit_unit(user, arrival.project.lead_unit_id, what=_("该项目的到位资金"))
    if date > today():
        raise ApplicationError(_("到位日期不能晚于今天"), field_errors={"date": [_("日期晚于今天")]})
    if evidence is not None:
        check_upload(evidence, field="evidence")
    note = clean_text(note, field="note", label=_("说明"), max_length=300)
    old_date, old_amount = arrival.date, arrival.amount
    closed = closing.guard(user=user, dates=[old_date, date], reason=correction_reason)
    arrival.date, arrival.amount, arrival.kind, arrival.note = date, amount, kind, note
    if evidence is not None:
        arrival.evidence = evidence
        arrival.evidence_kind = _kind(evidence_kind or EvidenceKind.OTHER)
    elif evidence_kind and arrival.evidence:
        arrival.evidence_kind = _kind(evidence_kind)
    _validate(arrival, exclude=["evidence"])
    if (date, Decimal(amount)) != (old_date, old_amount):
        reopen(arrival, user)
    _save(arrival, user)
    closed.record(record="到位资金", action="修改", project=arrival.project,
                  summary=f"{old_date:%Y-%m-%d} {old_amount.normalize():f}万元 → "
                          f"{date:%Y-%m-%d} {Decimal(amount).normalize():f}万元", date=date)
    hooks.project_saved(project=arrival.project, user=user)
    return arrival


@transaction.atomic
def fact_refile(*, user: User, fact: Fact, note: str = "", files: Sequence[Upload] = ()) -> Fact:
    """重新报送: after a return (退回) the unit corrects the project or fund (or adds evidence) and
    refiles; the fact is 待核实 again and back in the verifier's queue."""
    project = fact.project
    check_can_edit_unit(user, project.lead_unit_id, what=_("该项目"))
    fact = type(fact).objects.select_for_update().get(pk=fact.pk)
    if fact.verification != Verification.RETURNED:
        raise ApplicationError(
            _("只有被退回的记录可以重新报送（当前状态：%(state)s）") % {"state": fact.get_verification_display()},
            field_errors={"verification": [_("不是退回状态")]},
        )
    note = clean_text(note, field="note", label=_("更正说明"), max_length=300)
    if isinstance(fact, StageRecord):
        add_stage_evidence(fact, files)
        if note:
            fact.note = note[:300]
    elif files:
        upload, upload_kind = _pairs(files[:1])[0]
        check_upload(upload, field="files")
        fact.evidence, fact.evidence_kind = upload, upload_kind
        if note:
            fact.note = note[:300]
    mark_pending(fact)
    fact.verification_reason = ""
    fact._change_reason = (_("重新报送：%(note)s") % {"note": note} if note else _("重新报送"))[:100]
    _save(fact, user)
    if isinstance(fact, StageRecord):
        refresh_project_verified_dates([project.pk])
    hooks.project_saved(project=project, user=user)
    return fact
