"""Measures over how investors are served and what else is brought in (the aftercare app):

- investor requests (客商诉求): those overdue — not answered by their deadline, the deadline inside the
  window and before its end (Bole 002 "对客商反映的合理诉求一个月内不答复") — and the average days
  to answer, per unit answerable (or per person: the one assigned);
- talent (招才引智): talent and teams joined in the window, counted by each unit's share (a talent
  without shares is held whole by its introducing unit; per person: the 引进人, whole), optionally
  weighted by level (``talent_weights``);
- projects run with ministries (项目跑办): items with an outcome in the window (``outcome``) or started
  in it, by what is sought, and the amount won.

Requests, talent and 跑办 items are not verified facts: they count the same under both bases."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce

from zhaoshang.aftercare.models import (
    InvestorRequest,
    LiaisonItem,
    LiaisonOutcome,
    LiaisonSought,
    RequestStatus,
    Talent,
    TalentLevel,
)

from .base import DEC, ZERO, _choice, _number, sum_pairs

ONE = Decimal(1)


def _weights(v):
    """{"国家级" = 3, "省级" = 2 …}: a weight per talent level (a level not named weighs 1)."""
    if not isinstance(v, dict) or not v:
        raise ValueError("应为表，如 { 国家级 = 3, 省级 = 2, 市级 = 1 }")
    by_any = {c.value: c.value for c in TalentLevel} | {str(c.label): c.value for c in TalentLevel}
    out = {}
    for key, value in v.items():
        if key not in by_any:
            raise ValueError(f"“{key}”不是有效的人才层次，可选：{'、'.join(str(c.label) for c in TalentLevel)}")
        out[by_any[key]] = _number(value)
    return tuple(sorted(out.items()))


_weights.doc = "人才层次及其权重，如 { 国家级 = 3, 省级 = 2, 市级 = 1 }，未列出的层次计1"  # type: ignore[attr-defined]

PARAMS = {
    "talent_level": _choice(TalentLevel, many=True),
    "talent_weights": _weights,
    "sought": _choice(LiaisonSought, many=True),
    "outcome": _choice(LiaisonOutcome, many=True),
    "per_overdue": _number,
}


# ---- investor requests ------------------------------------------------------------------------------------


def _overdue_q(w) -> Q:
    """Deadline in the window and before its end (so it is overdue the day after the deadline), and not
    answered by the deadline."""
    return (Q(deadline__gte=w.start, deadline__lt=w.end)
            & (Q(answered_on__isnull=True) | Q(answered_on__gt=F("deadline"))))


def _key(subject_type: str) -> str:
    return "assignee_id" if subject_type == "person" else "unit_id"


def overdue_compute(params, w, subject_type, excluded):
    key = _key(subject_type)
    qs = InvestorRequest.objects.filter(_overdue_q(w), **{f"{key}__isnull": False})
    return sum_pairs(qs.order_by().values(key).annotate(v=Count("id")).values_list(key, "v"))


def overdue_rows(params, w, subject_type, subject_id, excluded):
    ids = InvestorRequest.objects.filter(_overdue_q(w), **{_key(subject_type): subject_id}).values_list("id",
                                                                                                         flat=True)
    return {"investor_requests": sorted(ids)}


def _answered_q(w) -> Q:
    return Q(status=RequestStatus.ANSWERED, answered_on__gte=w.start, answered_on__lte=w.end)


def response_compute(params, w, subject_type, excluded):
    """Average days from receipt to answer of the requests answered in the window."""
    key = _key(subject_type)
    out: dict[int, Decimal] = {}
    rows = (InvestorRequest.objects.filter(_answered_q(w), **{f"{key}__isnull": False}).order_by()
            .values_list(key, "received_on", "answered_on"))
    totals: dict[int, list[int]] = {}
    for subject, received, answered in rows:
        totals.setdefault(subject, []).append((answered - received).days)
    for subject, days in totals.items():
        out[subject] = Decimal(sum(days)) / Decimal(len(days))
    return out


def response_rows(params, w, subject_type, subject_id, excluded):
    ids = InvestorRequest.objects.filter(_answered_q(w), **{_key(subject_type): subject_id}).values_list("id",
                                                                                                         flat=True)
    return {"investor_requests": sorted(ids)}


# ---- talent ------------------------------------------------------------------------------------------------


def _talent_q(params, w) -> Q:
    q = Q(joined_on__gte=w.start, joined_on__lte=w.end)
    if params.get("talent_level"):
        q &= Q(level__in=params["talent_level"])
    return q


def _weight_of(params) -> dict[str, Decimal]:
    return dict(params.get("talent_weights") or ())


def talent_compute(params, w, subject_type, excluded):
    weights = _weight_of(params)
    out: dict[int, Decimal] = {}
    if subject_type == "person":
        rows = Talent.objects.filter(_talent_q(params, w), introducer__isnull=False).values_list(
            "introducer_id", "level")
        for person, level in rows:
            out[person] = out.get(person, ZERO) + weights.get(level, ONE)
        return out
    rows = (Talent.objects.filter(_talent_q(params, w)).annotate(
        holder=Coalesce(F("shares__unit_id"), F("unit_id")),
        part=Coalesce(F("shares__ratio"), ONE, output_field=DEC)).values_list("holder", "part", "level"))
    for unit, part, level in rows:
        out[unit] = out.get(unit, ZERO) + Decimal(part) * weights.get(level, ONE)
    return out


def talent_rows(params, w, subject_type, subject_id, excluded):
    qs = Talent.objects.filter(_talent_q(params, w))
    if subject_type == "person":
        qs = qs.filter(introducer_id=subject_id)
    else:
        qs = qs.filter(Q(shares__unit_id=subject_id) | Q(unit_id=subject_id, shares__isnull=True))
    return {"talents": sorted(set(qs.values_list("id", flat=True)))}


# ---- 项目跑办 ------------------------------------------------------------------------------------------------


def _liaison_q(params, w) -> Q:
    if params.get("outcome"):
        q = Q(outcome__in=params["outcome"], outcome_on__gte=w.start, outcome_on__lte=w.end)
    else:
        q = Q(started_on__gte=w.start, started_on__lte=w.end)
    if params.get("sought"):
        q &= Q(sought__in=params["sought"])
    return q


def _liaison_key(subject_type: str) -> str:
    return "lead_person_id" if subject_type == "person" else "unit_id"


def liaison_count_compute(params, w, subject_type, excluded):
    key = _liaison_key(subject_type)
    qs = LiaisonItem.objects.filter(_liaison_q(params, w), **{f"{key}__isnull": False})
    return sum_pairs(qs.order_by().values(key).annotate(v=Count("id")).values_list(key, "v"))


def _won_q(params, w) -> Q:
    q = Q(outcome__in=[LiaisonOutcome.WON, LiaisonOutcome.PARTIAL], outcome_on__gte=w.start, outcome_on__lte=w.end,
          amount_won__isnull=False)
    if params.get("sought"):
        q &= Q(sought__in=params["sought"])
    return q


def liaison_amount_compute(params, w, subject_type, excluded):
    key = _liaison_key(subject_type)
    qs = LiaisonItem.objects.filter(_won_q(params, w), **{f"{key}__isnull": False})
    return sum_pairs(qs.order_by().values(key).annotate(v=Sum("amount_won", output_field=DEC)).values_list(key, "v"))


def liaison_rows(params, w, subject_type, subject_id, excluded):
    ids = LiaisonItem.objects.filter(_liaison_q(params, w), **{_liaison_key(subject_type): subject_id})
    return {"liaison_items": sorted(ids.values_list("id", flat=True))}


def liaison_amount_rows(params, w, subject_type, subject_id, excluded):
    ids = LiaisonItem.objects.filter(_won_q(params, w), **{_liaison_key(subject_type): subject_id})
    return {"liaison_items": sorted(ids.values_list("id", flat=True))}



# ---- 日常工作: adjustments with the deduction for overdue requests ---------------------------------------------


def adjust_with_requests_compute(params, w, subject_type, excluded):
    """考核调整分 of the year plus `per_overdue` points (negative: a deduction) per overdue request
    (Bole 002 七(一)4⑷ "对客商反映的合理诉求一个月内不答复……视情扣5—10分")."""
    from .adjustments import adjust_compute

    out = dict(adjust_compute(params, w, subject_type, excluded))
    per = params.get("per_overdue", Decimal(-5))
    for subject, n in overdue_compute(params, w, subject_type, excluded).items():
        out[subject] = out.get(subject, ZERO) + per * Decimal(n)
    return out


def adjust_with_requests_rows(params, w, subject_type, subject_id, excluded):
    from .adjustments import adjust_rows

    return {**adjust_rows(params, w, subject_type, subject_id, excluded),
            **overdue_rows(params, w, subject_type, subject_id, excluded)}
