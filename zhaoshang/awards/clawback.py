"""追回 (clawback): a fact behind an award was rejected after the run was published (不予认定 in
verification, 不属实 in a spot-check — both leave the fact 不予认定 — or a 不予认定 resolution of an
integrity flag, the fraud finding). The published scheme is re-run without that fact and the awards
that would not have been earned are proposed for clawback, with their amounts.

How "without that fact" is computed: the run's frozen inputs are kept, and only the fact's own effect is
taken out of them. The scheme's values are measured twice over today's ledger, in savepoints that are
rolled back — once with the fact as it stood when it counted (已认定 on its original date) and once
without it — and the difference (per subject and value) is applied to the frozen inputs, which are then
scored again with the published scheme. So other edits since the run do not leak into the answer, and a
fact that did not change any award proposes nothing.

Computed on demand (the award page's 核查 button, `zhaoshang awards clawbacks`, the demo), never in the
writes of the lower layers: they know nothing of awards."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhaoshang.assessment.engine.compose import score
from zhaoshang.assessment.engine.run import (
    inputs_from_json,
    interim_progress,
    measure_inputs,
    result_json,
    window_for,
)
from zhaoshang.assessment.engine.scheme import parse_scheme
from zhaoshang.core.errors import ApplicationError
from zhaoshang.core.money import format_wan
from zhaoshang.core.text import clean_text
from zhaoshang.integrity.models.flags import Flag, FlagProject, FlagStatus, Resolution
from zhaoshang.ledger.choices import Verification
from zhaoshang.ledger.models import FundArrival, Project, StageRecord
from zhaoshang.ledger.verification import refresh_project_verified_dates

from . import rules
from .choices import ClawbackStatus, NominationStatus
from .models import Clawback, Nomination
from .services import check_manage

ACTIVE = (NominationStatus.REVIEW, NominationStatus.REVIEWED, NominationStatus.NOTICE, NominationStatus.DECIDED)
ZERO = Decimal(0)


@dataclass
class FactRef:
    kind: str  # fund | stage | flag
    id: int
    label: str
    reason: str


def _projects_of(n: Nomination) -> Q:
    if n.person_id:
        return Q(introducer_id=n.person_id) | Q(credits__person_id=n.person_id) | Q(
            assisting_secretary_id=n.person_id)
    return Q(lead_unit_id=n.unit_id) | Q(shares__unit_id=n.unit_id)


def rejected_facts(n: Nomination) -> list[FactRef]:
    """Facts of the nominee's projects, in the run's year, rejected after the run was made."""
    run = n.run
    if run is None:
        return []
    project_ids = set(Project.objects.filter(_projects_of(n)).values_list("id", flat=True))
    if not project_ids:
        return []
    start, end = dt.date(run.period_end.year, 1, 1), run.period_end
    out = []
    for f in FundArrival.objects.filter(project_id__in=project_ids, verification=Verification.REJECTED,
                                        reviewed_at__gt=run.created_at, date__gte=start, date__lte=end
                                        ).select_related("project").order_by("date", "id"):
        out.append(FactRef("fund", f.pk, f"{f.project.name} {f.date:%Y-%m-%d} 到位资金{format_wan(f.amount)}",
                           f.verification_reason))
    for s in StageRecord.objects.filter(project_id__in=project_ids, verification=Verification.REJECTED,
                                        reviewed_at__gt=run.created_at, date__gte=start, date__lte=end
                                        ).select_related("project").order_by("date", "id"):
        out.append(FactRef("stage", s.pk, f"{s.project.name} {s.get_stage_display()}（{s.date:%Y-%m-%d}）",
                           s.verification_reason))
    flags = Flag.objects.filter(status=FlagStatus.RESOLVED, resolution=Resolution.REJECTED,
                                resolved_at__gt=run.created_at,
                                rows__project_id__in=project_ids).distinct().order_by("id")
    for flag in flags:
        names = "、".join(FlagProject.objects.filter(flag=flag).values_list("project__name", flat=True))
        out.append(FactRef("flag", flag.pk, f"疑点核查不予认定：{names}", flag.resolution_reason))
    return out


class _Rollback(Exception):
    pass


def _measure_in_state(run, scheme, change) -> dict[int, dict[str, Decimal]]:
    """The scheme's values per subject with `change()` applied to the ledger, then rolled back."""
    period, as_of = window_for(run.period, run.as_of)
    box: dict = {}
    try:
        with transaction.atomic():
            change()
            inputs, _c, _e = measure_inputs(scheme, period, as_of, group=run.group, period_text=run.period)
            box["values"] = {s.id: dict(s.values) for s in inputs}
            raise _Rollback
    except _Rollback:
        pass
    return box["values"]


def _original_verified_on(model, pk: int, fallback: dt.date) -> dt.date:
    rec = (model.history.filter(id=pk, verification=Verification.VERIFIED).exclude(verified_on=None)
           .order_by("-history_date").first())
    return rec.verified_on if rec is not None else fallback


def _states(fact: FactRef, run):
    """(with, without): two changes of the ledger, the fact counting and the fact gone."""
    if fact.kind in ("fund", "stage"):
        model = FundArrival if fact.kind == "fund" else StageRecord
        row = model.objects.get(pk=fact.id)
        on = _original_verified_on(model, fact.id, run.as_of)

        def with_fact():
            model.objects.filter(pk=fact.id).update(verification=Verification.VERIFIED, verified_on=on,
                                                    verified_at=timezone.now())
            refresh_project_verified_dates([row.project_id])

        def without_fact():
            model.objects.filter(pk=fact.id).delete()
            refresh_project_verified_dates([row.project_id])

        return with_fact, without_fact

    def flag_cleared():
        Flag.objects.filter(pk=fact.id).update(resolution=Resolution.EXCLUDED)

    return flag_cleared, (lambda: None)


def rerun_without(run, fact: FactRef) -> dict[int, dict]:
    """The run's results (result_json rows by subject id) re-scored without the fact."""
    scheme = parse_scheme(run.scheme_text)
    with_fact, without_fact = _states(fact, run)
    before = _measure_in_state(run, scheme, with_fact)
    after = _measure_in_state(run, scheme, without_fact)
    inputs = inputs_from_json(run.results.get("inputs", []))
    for s in inputs:
        b, a = before.get(s.id, {}), after.get(s.id, {})
        for name in s.values:
            s.values[name] = s.values[name] + (a.get(name, ZERO) - b.get(name, ZERO))
    results = score(scheme, inputs, None, interim_progress(run.period_start, run.period_end))
    return {r.subject.id: result_json(r) for r in results}


def _explain(n: Nomination, new_row: dict | None, fact: FactRef) -> str:
    if new_row is None:
        return f"不计“{fact.label}”重新计算后，{n.subject_name}不在考核对象中"
    old = next((r for r in n.run.results.get("results", []) if rules.subject_key(r) == n.subject_key), None)
    parts = [f"不计“{fact.label}”重新计算："]
    if old is not None:
        parts.append(f"总得分{Decimal(old['total'])}分→{Decimal(new_row['total'])}分，"
                     f"组内名次第{old.get('rank')}名→第{new_row.get('rank')}名")
        if old.get("grade") != new_row.get("grade"):
            parts.append(f"，等次“{old.get('grade')}”→“{new_row.get('grade')}”")
    parts.append(f"，不再符合“{n.item.name}”的评选条件")
    return "".join(parts)


@transaction.atomic
def propose(n: Nomination) -> list[Clawback]:
    """Check the nominee's rejected facts; propose a clawback for each fact without which the award
    would not have been earned. Facts already looked at are not proposed twice."""
    n = Nomination.objects.select_related("item", "run").get(pk=n.pk)  # its state now, not the caller's copy
    if n.run is None or n.status not in ACTIVE:
        return []
    out = []
    for fact in rejected_facts(n):
        if Clawback.objects.filter(nomination=n, fact_kind=fact.kind, fact_id=fact.id).exists():
            continue
        rows = rerun_without(n.run, fact)
        sid = int(n.subject_key.split(":")[1])
        new_row = rows.get(sid)
        if new_row is not None and rules.why(n.item, new_row):
            continue  # still earned without it
        out.append(Clawback.objects.create(
            nomination=n, fact_kind=fact.kind, fact_id=fact.id, fact_label=fact.label[:300],
            fact_reason=fact.reason, explanation=_explain(n, new_row, fact),
            amount=n.item.amount if n.status == NominationStatus.DECIDED else ZERO,
        ))
    return out


def propose_all(run=None) -> list[Clawback]:
    qs = Nomination.objects.filter(status__in=ACTIVE, run__isnull=False).select_related("item", "run")
    if run is not None:
        qs = qs.filter(run=run)
    out = []
    for n in qs:
        out += propose(n)
    return out


def _locked(c: Clawback) -> Clawback:
    return Clawback.objects.select_for_update(of=("self",)).select_related("nomination").get(pk=c.pk)


@transaction.atomic
def confirm(*, user, clawback: Clawback, note: str) -> Clawback:
    """An assessor confirms: the award is revoked (or the nomination withdrawn, if not yet awarded)."""
    check_manage(user, "奖励追回")
    note = clean_text(note, field="note", label="确认意见", max_length=2000, multiline=True)
    if not note:
        raise ApplicationError("请填写确认意见", field_errors={"note": ["必须填写确认意见"]})
    c = _locked(clawback)
    if c.status != ClawbackStatus.PROPOSED:
        raise ApplicationError(f"该追回建议已{c.get_status_display()}")
    c.status, c.note, c.confirmed_by, c.confirmed_at = ClawbackStatus.CONFIRMED, note, user, timezone.now()
    c.save()
    n = Nomination.objects.select_for_update().get(pk=c.nomination_id)
    awarded = n.status == NominationStatus.DECIDED
    n.status = NominationStatus.REVOKED if awarded else NominationStatus.WITHDRAWN
    n.status_reason = f"{'撤销奖励并追回' if awarded else '不予表彰'}：{c.fact_label}（{note}）"
    n._change_reason = n.status_reason
    n.save()
    return c


@transaction.atomic
def dismiss(*, user, clawback: Clawback, note: str) -> Clawback:
    check_manage(user, "奖励追回")
    note = clean_text(note, field="note", label="不予追回的理由", max_length=2000, multiline=True)
    if not note:
        raise ApplicationError("请填写不予追回的理由", field_errors={"note": ["必须填写理由"]})
    c = _locked(clawback)
    if c.status != ClawbackStatus.PROPOSED:
        raise ApplicationError(f"该追回建议已{c.get_status_display()}")
    c.status, c.note, c.confirmed_by, c.confirmed_at = ClawbackStatus.DISMISSED, note, user, timezone.now()
    c.save()
    return c


@transaction.atomic
def record_recovery(*, user, clawback: Clawback, amount: Decimal, recovered_on: dt.date, receipt_no: str,
                    referral_on: dt.date | None = None, referral_doc_no: str = "") -> Clawback:
    check_manage(user, "追回登记")
    c = _locked(clawback)
    if c.status != ClawbackStatus.CONFIRMED:
        raise ApplicationError("只有确认追回的记录才能登记追回情况")
    if amount is None or amount < 0:
        raise ApplicationError("追回金额不能为负数", field_errors={"recovered_amount": ["不能为负数"]})
    if amount > c.amount:
        raise ApplicationError(f"追回金额不能超过应追回金额{c.amount}元",
                               field_errors={"recovered_amount": [f"不能超过{c.amount}元"]})
    receipt_no = clean_text(receipt_no, field="receipt_no", label="收款凭证号", max_length=100)
    referral_doc_no = clean_text(referral_doc_no, field="referral_doc_no", label="移送文号", max_length=100)
    if referral_doc_no and referral_on is None:
        raise ApplicationError("请填写移送纪委监委的日期", field_errors={"referral_on": ["有移送文号时必须填写日期"]})
    c.recovered_amount, c.recovered_on, c.receipt_no = amount, recovered_on, receipt_no
    c.referral_on, c.referral_doc_no = referral_on, referral_doc_no
    c.save()
    return c
