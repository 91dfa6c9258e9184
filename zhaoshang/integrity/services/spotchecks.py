"""Spot-check writes (抽查复核): draw a sample of district-verified facts, record a re-check's result.

The population of a period is every stage filing and fund arrival dated in it that stands at 初审通过 or
已认定 and whose 初审 or 认定 was done by a district assessor (区考核办); each is charged to that
assessor's unit (the one who gave 认定 when both steps were a district's). Weights and the draw are in
`zhaoshang.integrity.sampling`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.periods import parse_period
from zhaoshang.core.services import save_with_history as _save
from zhaoshang.core.services import validate_or_raise as _validate
from zhaoshang.core.text import clean_text
from zhaoshang.ledger.choices import Verification
from zhaoshang.ledger.models import FundArrival, StageRecord
from zhaoshang.ledger.verification import local_date, mark_pending, refresh_project_verified_dates
from zhaoshang.orgs.choices import UserRole

from .. import sampling
from ..models.spotchecks import SpotCheck, SpotCheckItem, SpotCheckResult
from ..selectors.flags import open_flag_counts

STANDING = (Verification.PRELIMINARY, Verification.VERIFIED)
MAX_SEED = 2**63 - 1


def check_city_assessor(user, what: str) -> None:
    """The city assessment office (or the operator at the command line: `user` None) only."""
    if user is None:
        return
    if not (user.is_authenticated and user.is_assessor):
        raise PermissionDeniedError(_("只有市考核办可以%(what)s") % {"what": what})


@dataclass(frozen=True)
class Candidate:
    """A fact of the population, before the draw."""

    kind: str  # stage | fund
    fact: StageRecord | FundArrival
    unit_id: int
    verifier_id: int
    amount: Decimal

    @property
    def ref(self) -> str:
        return sampling.ref(self.kind, self.fact.pk)


def _district_step(fact) -> tuple[int, int] | None:
    """(unit, user) of the district assessor who verified or passed the fact; the 认定 step first."""
    for who in (fact.verified_by, fact.preliminary_by):
        if who is not None and who.role == UserRole.DISTRICT_ASSESSOR and who.unit_id is not None:
            return who.unit_id, who.pk
    return None


def population(start, end) -> list[Candidate]:
    """The district-verified facts dated from `start` to `end` (not in canonical order)."""
    by_district = Q(preliminary_by__role=UserRole.DISTRICT_ASSESSOR) | Q(verified_by__role=UserRole.DISTRICT_ASSESSOR)
    common = Q(date__gte=start, date__lte=end, verification__in=STANDING) & by_district
    related = ("project", "preliminary_by", "verified_by")
    out: list[Candidate] = []
    for record in StageRecord.objects.filter(common).select_related(*related).order_by("id"):
        if step := _district_step(record):
            out.append(Candidate("stage", record, step[0], step[1], record.project.signed_amount))
    for arrival in FundArrival.objects.filter(common).select_related(*related).order_by("id"):
        if step := _district_step(arrival):
            out.append(Candidate("fund", arrival, step[0], step[1], arrival.amount))
    return out


def _rate(value) -> Decimal:
    try:
        rate = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        rate = Decimal("NaN")
    if not rate.is_finite() or not (0 < rate <= 1):
        raise ApplicationError(_("抽查比例应大于0且不超过1（如 0.1 即抽查一成）"),
                               field_errors={"rate": [_("抽查比例应大于0且不超过1")]})
    if rate != rate.quantize(Decimal("0.0001")):
        raise ApplicationError(_("抽查比例最多4位小数"), field_errors={"rate": [_("抽查比例最多4位小数")]})
    return rate


@transaction.atomic
def spotcheck_draw(*, user, period: str, rate, min_per_unit: int = 1, seed: int | None = None,
                   note: str = "") -> SpotCheck:
    """Draw a spot-check of `period` and store it with its population, weights, digest and seed.
    Without a seed a random one is chosen (and stored, so the draw can be repeated)."""
    check_city_assessor(user, _("抽查复核"))
    try:
        p = parse_period(str(period))
    except ValueError as exc:
        raise ApplicationError(str(exc), field_errors={"period": [str(exc)]}) from exc
    rate = _rate(rate)
    if isinstance(min_per_unit, bool) or not isinstance(min_per_unit, int) or min_per_unit < 0:
        raise ApplicationError(_("每单位最少抽查数应为不小于0的整数"),
                               field_errors={"min_per_unit": [_("应为不小于0的整数")]})
    if seed is None:
        seed = sampling.random_seed()
    if isinstance(seed, bool) or not isinstance(seed, int) or not (0 <= seed <= MAX_SEED):
        raise ApplicationError(_("随机种子应为不小于0的整数"), field_errors={"seed": [_("应为不小于0的整数")]})

    note = clean_text(note, field="note", label=_("说明"), max_length=300)
    candidates = population(p.start, p.end)
    if not candidates:
        raise ApplicationError(
            _("%(period)s没有区考核办初审或认定的阶段备案和到位资金，无可抽查的记录") % {"period": p.label},
            field_errors={"period": [_("该期间没有区考核办核实的记录")]},
        )
    flags = open_flag_counts({c.fact.project_id for c in candidates})
    by_ref = {c.ref: c for c in candidates}
    entries = sampling.canonical(
        {"ref": c.ref, "unit": c.unit_id, "weight": sampling.weight(c.amount, flags.get(c.fact.project_id, 0))}
        for c in candidates
    )
    picked = sampling.draw(entries, rate=rate, min_per_unit=min_per_unit, seed=seed)

    check = SpotCheck(
        period=str(period).strip().upper(), label=p.label, start=p.start, end=p.end, rate=rate,
        min_per_unit=min_per_unit, seed=seed, population=entries, weights=[e["weight"] for e in entries],
        population_digest=sampling.digest(entries), population_size=len(entries), created_by=user,
        note=note,
    )
    _validate(check)
    _save(check, user)
    for pos in picked:
        entry = entries[pos]
        c = by_ref[entry["ref"]]
        item = SpotCheckItem(
            spot_check=check, unit_id=c.unit_id, verifier_id=c.verifier_id, amount=c.amount,
            weight=entry["weight"], open_flags=flags.get(c.fact.project_id, 0),
            **({"stage_record": c.fact} if c.kind == "stage" else {"fund_arrival": c.fact}),
        )
        _save(item, user)
    return check


@transaction.atomic
def spotcheck_record_result(*, user, item: SpotCheckItem, result: str, reason: str = "") -> SpotCheckItem:
    """Record the re-check of one sampled fact: 属实, or 不属实 with a reason — then the fact becomes
    不予认定 (and, for a stage filing, the project's verified date of that stage is cleared) and the
    finding counts against the district that verified it. A recorded result is final."""
    check_city_assessor(user, _("记录抽查复核结果"))
    item = SpotCheckItem.objects.select_for_update().get(pk=item.pk)
    if result not in (SpotCheckResult.ACCURATE, SpotCheckResult.INACCURATE):
        raise ApplicationError(_("复核结果应为“属实”或“不属实”"), field_errors={"result": [_("请选择复核结果")]})
    if item.result != SpotCheckResult.PENDING:
        raise ApplicationError(
            _("该记录已复核（%(result)s），结果不能更改") % {"result": item.get_result_display()},
            field_errors={"result": [_("已复核")]},
        )
    reason = clean_text(reason, field="reason", label=_("不属实理由"), max_length=500, multiline=True)
    if result == SpotCheckResult.INACCURATE and not reason:
        raise ApplicationError(_("不属实须填写理由"), field_errors={"reason": [_("请填写不属实的理由")]})
    now = timezone.now()
    item.result = result
    item.reason = reason[:500] if result == SpotCheckResult.INACCURATE else ""
    item.checked_by = user if getattr(user, "pk", None) else None
    item.checked_at = now
    item.checked_on = local_date(now)
    _validate(item)
    _save(item, user)
    if result == SpotCheckResult.INACCURATE:
        _reject(item, user, reason, now)
    return item


def _reject(item: SpotCheckItem, user, reason: str, now) -> None:
    """不予认定, as the verification queue's rejection leaves a fact (the steps before it cleared; the
    history and the spot-check item keep who passed or verified it). A fact already rejected stays so."""
    model = StageRecord if item.stage_record_id else FundArrival
    fact = model.objects.select_for_update().get(pk=item.stage_record_id or item.fund_arrival_id)
    if fact.verification == Verification.REJECTED:
        return
    mark_pending(fact)
    fact.verification = Verification.REJECTED
    fact.verification_reason = (_("抽查复核不属实：%(reason)s") % {"reason": reason})[:500]
    fact.reviewed_by = user if getattr(user, "pk", None) else None
    fact.reviewed_at = now
    fact._change_reason = _("抽查复核不属实")
    _save(fact, user)
    if model is StageRecord:
        refresh_project_verified_dates([fact.project_id])
