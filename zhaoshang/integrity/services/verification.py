"""核实认定: the verifier's steps on a stage filing or a fund arrival. A district assessor (区考核办) passes
its own units' facts (待核实 → 初审通过), or verifies them where the city delegated (→ 已认定); the city
assessor verifies (待核实/初审通过 → 已认定). Either may return a fact for correction (退回) or refuse it
(不予认定), with a reason. Each step keeps its user and time on the fact and is a row in its history,
with the note or reason as the change reason."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.services import save_with_history as _save
from zhaoshang.core.text import clean_text
from zhaoshang.ledger.choices import Verification
from zhaoshang.ledger.evidence import missing_evidence
from zhaoshang.ledger.models import FundArrival, StageRecord
from zhaoshang.ledger.verification import mark_pending, mark_verified, refresh_project_verified_dates
from zhaoshang.orgs.models import User
from zhaoshang.orgs.scope import can_see_unit

from ..selectors.verification import fact_label

Fact = StageRecord | FundArrival
REASON_MAX = 500
NOTE_MAX = 100
HISTORY_REASON_MAX = 100  # django-simple-history's change-reason column


def _check_may_verify(user: User, fact: Fact) -> None:
    if not user.is_authenticated or not user.can_verify:
        raise PermissionDeniedError(_("只有考核办可以核实认定"))
    if not user.is_assessor and not can_see_unit(user, fact.project.lead_unit_id):
        raise PermissionDeniedError(_("区考核办只能核实本辖区单位的记录：%(fact)s") % {"fact": fact_label(fact)})


def _locked(fact: Fact) -> Fact:
    return type(fact).objects.select_for_update().select_related("project", "project__lead_unit").get(pk=fact.pk)


def _refuse_state(fact: Fact, action: str) -> ApplicationError:
    return ApplicationError(
        _("%(fact)s 当前为“%(state)s”，不能%(action)s")
        % {"fact": fact_label(fact), "state": fact.get_verification_display(), "action": action},
        field_errors={"verification": [_("当前状态不能%(action)s") % {"action": action}]},
    )


def _delegated(user: User) -> bool:
    return user.is_district_assessor and bool(user.unit and user.unit.verification_delegated)


def _history_reason(text: str) -> str:
    return text[:HISTORY_REASON_MAX]


def _note(note: str) -> str:
    return clean_text(note, field="note", label=_("意见"), max_length=NOTE_MAX)


def _after(facts: Iterable[Fact]) -> None:
    """A stage filing's state moves the project's verified date (what `basis = "verified"` counts)."""
    ids = {f.project_id for f in facts if isinstance(f, StageRecord)}
    if ids:
        refresh_project_verified_dates(ids)


def _approve(user: User, fact: Fact, note: str, at) -> Fact:
    _check_may_verify(user, fact)
    fact = _locked(fact)
    allowed = (Verification.PENDING, Verification.PRELIMINARY) if user.is_assessor else (Verification.PENDING,)
    if fact.verification not in allowed:
        raise _refuse_state(fact, pgettext("button", "通过"))
    missing = missing_evidence(fact)
    if missing:
        raise ApplicationError(
            _("%(fact)s 材料不全，不能认定：%(missing)s") % {"fact": fact_label(fact), "missing": "；".join(missing)},
            field_errors={"evidence": missing},
        )
    if user.is_assessor or _delegated(user):
        mark_verified(fact, user=user, at=at)
        reason = _("认定")
    else:
        fact.verification = Verification.PRELIMINARY
        fact.verification_reason = ""
        fact.preliminary_by, fact.preliminary_at = user, at
        fact.reviewed_by, fact.reviewed_at = user, at
        reason = _("初审通过")
    fact._change_reason = _history_reason(f"{reason}：{note}" if note else reason)
    _save(fact, user)
    return fact


@transaction.atomic
def fact_approve(*, user: User, fact: Fact, note: str = "") -> Fact:
    """Pass (初审通过) or verify (已认定) one fact; refused while its evidence is incomplete."""
    fact = _approve(user, fact, _note(note), timezone.now())
    _after([fact])
    return fact


@transaction.atomic
def facts_approve_many(*, user: User, facts: Iterable[Fact], note: str = "") -> list[Fact]:
    """Approve many facts with one note: all of them or none. Every refusal is reported at once,
    each naming its fact, so the verifier can take the offending rows out and try again."""
    facts = list(facts)
    if not facts:
        raise ApplicationError(_("请至少选择一条记录"), field_errors={"facts": [_("未选择记录")]})
    note = _note(note)
    at = timezone.now()
    done, errors = [], []
    for fact in facts:
        try:
            done.append(_approve(user, fact, note, at))
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            errors.append(exc.message)
    if errors:
        # Raising inside the atomic block rolls back the facts already approved.
        raise ApplicationError(
            _("批量通过未执行（%(n)s条不能通过，全部未生效）：%(errors)s")
            % {"n": len(errors), "errors": "；".join(errors)},
            field_errors={"facts": errors},
        )
    _after(done)
    return done


def _send_back(user: User, fact: Fact, reason: str, state: str, action: str) -> Fact:
    _check_may_verify(user, fact)
    reason = clean_text(reason, field="reason", label=_("理由"), max_length=REASON_MAX, multiline=True)
    if not reason:
        raise ApplicationError(_("请填写%(action)s理由") % {"action": action},
                               field_errors={"reason": [_("%(action)s必须填写理由") % {"action": action}]})
    fact = _locked(fact)
    allowed = [Verification.PENDING, Verification.PRELIMINARY]
    if user.is_assessor:
        allowed.append(Verification.VERIFIED)  # the city may withdraw its own verification
    if state == Verification.REJECTED:
        allowed.append(Verification.RETURNED)
    if fact.verification not in allowed:
        raise _refuse_state(fact, action)
    at = timezone.now()
    mark_pending(fact)
    fact.verification = state
    fact.verification_reason = reason
    fact.reviewed_by, fact.reviewed_at = user, at
    fact._change_reason = _history_reason(f"{action}：{reason}")
    _save(fact, user)
    _after([fact])
    return fact


@transaction.atomic
def fact_return(*, user: User, fact: Fact, reason: str) -> Fact:
    """退回: the unit corrects the fact (or its evidence) and refiles."""
    return _send_back(user, fact, reason, Verification.RETURNED, pgettext("button", "退回"))


@transaction.atomic
def fact_reject(*, user: User, fact: Fact, reason: str) -> Fact:
    """不予认定: the fact does not count, whatever the unit files next."""
    return _send_back(user, fact, reason, Verification.REJECTED, pgettext("button", "不予认定"))
