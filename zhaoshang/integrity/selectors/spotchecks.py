"""Reads of the spot-checks (抽查复核), scoped: the city assessment office and leaders see all of them; a
district assessor sees the spot-checks that sampled its own district's facts, and only those facts;
unit users see none."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from zhaoshang.core.errors import PermissionDeniedError
from zhaoshang.orgs.scope import visible_unit_ids

from ..models.spotchecks import SpotCheck, SpotCheckItem, SpotCheckResult

ITEM_RELATED = (
    "unit", "verifier", "checked_by", "stage_record__project", "fund_arrival__project",
)


def may_view(user) -> bool:
    return bool(user and user.is_authenticated and (user.sees_all_units or user.is_district_assessor))


def may_record(user) -> bool:
    return bool(user and user.is_authenticated and user.is_assessor)


def check_may_view(user) -> None:
    if not may_view(user):
        raise PermissionDeniedError(_("只有市、区考核办可以查看抽查复核"))


def _item_scope(user) -> Q:
    ids = visible_unit_ids(user)
    return Q() if ids is None else Q(unit_id__in=ids)


def spotcheck_list(*, user) -> QuerySet[SpotCheck]:
    """The spot-checks the user may see, with counts of the sampled facts in the user's scope."""
    check_may_view(user)
    qs = SpotCheck.objects.select_related("created_by").defer("population", "weights")
    ids = visible_unit_ids(user)
    item_q = Q()
    if ids is not None:
        qs = qs.filter(pk__in=SpotCheckItem.objects.filter(unit_id__in=ids).values("spot_check_id"))
        item_q = Q(items__unit_id__in=ids)
    return qs.annotate(
        n_items=Count("items", filter=item_q),
        n_pending=Count("items", filter=item_q & Q(items__result=SpotCheckResult.PENDING)),
        n_inaccurate=Count("items", filter=item_q & Q(items__result=SpotCheckResult.INACCURATE)),
    ).order_by("-created_at", "-id")


def spotcheck_get(*, user, pk: int) -> SpotCheck:
    try:
        return spotcheck_list(user=user).get(pk=pk)
    except SpotCheck.DoesNotExist as exc:
        raise Http404(_("抽查不存在或不在您的范围内")) from exc


def spotcheck_items(*, user, spot_check: SpotCheck) -> QuerySet[SpotCheckItem]:
    """The sampled facts the user may see, by district (unit code), then project code, then fact."""
    check_may_view(user)
    return ordered(spot_check.items.filter(_item_scope(user)))


def ordered(items: QuerySet[SpotCheckItem]) -> QuerySet[SpotCheckItem]:
    """By district (unit code), then project code (of the filing or the arrival), then the item."""
    code = Coalesce("stage_record__project__code", "fund_arrival__project__code")
    return items.select_related(*ITEM_RELATED).annotate(project_code=code).order_by("unit__code", "project_code", "id")


def spotcheck_item_get(*, user, pk: int) -> SpotCheckItem:
    check_may_view(user)
    try:
        return SpotCheckItem.objects.filter(_item_scope(user)).select_related(*ITEM_RELATED, "spot_check").get(pk=pk)
    except SpotCheckItem.DoesNotExist as exc:
        raise Http404(_("抽查记录不存在或不在您的范围内")) from exc


def findings_by_unit(items) -> list[dict]:
    """Per district: sampled, re-checked, 不属实 (in the order of the items)."""
    rows: dict[int, dict] = {}
    for item in items:
        row = rows.setdefault(item.unit_id, {"unit": item.unit, "sampled": 0, "checked": 0, "inaccurate": 0})
        row["sampled"] += 1
        if item.result != SpotCheckResult.PENDING:
            row["checked"] += 1
        if item.result == SpotCheckResult.INACCURATE:
            row["inaccurate"] += 1
    return list(rows.values())


def findings_count(start: dt.date, end: dt.date) -> dict[int, int]:
    """不属实 findings per district unit with the result dated from `start` to `end` (unscoped: for the
    assessment's measure)."""
    qs = SpotCheckItem.objects.filter(result=SpotCheckResult.INACCURATE, checked_on__gte=start, checked_on__lte=end)
    return dict(Counter(qs.values_list("unit_id", flat=True)))


def _money(value) -> str:
    return format(Decimal(value).quantize(Decimal("0.0001")), "f")


def item_as_dict(item: SpotCheckItem) -> dict:
    """One sampled fact as plain data (the CLI's --json and the API say the same)."""
    fact, project = item.fact, item.project
    return {
        "id": item.pk,
        "unit": {"code": item.unit.code, "name": item.unit.name},
        "project": {"id": project.pk, "code": project.code, "name": project.name},
        "fact": {
            "kind": "stage" if item.stage_record_id else "fund",
            "id": fact.pk,
            "stage": item.stage_record.stage if item.stage_record_id else None,
            "fund_kind": item.fund_arrival.kind if item.fund_arrival_id else None,
            "label": str(item.fact_label),
            "date": fact.date.isoformat(),
            "verification": fact.verification,
            "verification_display": str(fact.get_verification_display()),
        },
        "amount": _money(item.amount),
        "weight": item.weight,
        "open_flags": item.open_flags,
        "verifier": (item.verifier.get_full_name() or item.verifier.username) if item.verifier_id else None,
        "result": item.result,
        "result_display": str(item.get_result_display()),
        "reason": item.reason,
        "checked_by": (item.checked_by.get_full_name() or item.checked_by.username) if item.checked_by_id else None,
        "checked_at": item.checked_at.isoformat() if item.checked_at else None,
    }


def spotcheck_as_dict(check: SpotCheck, items) -> dict:
    items = list(items)
    return {
        "id": check.pk,
        "period": check.period,
        "label": check.label,
        "start": check.start.isoformat(),
        "end": check.end.isoformat(),
        "rate": format(check.rate.normalize(), "f"),
        "min_per_unit": check.min_per_unit,
        "seed": check.seed,
        "population_size": check.population_size,
        "population_digest": check.population_digest,
        "sample_size": len(items),
        "note": check.note,
        "created_by": (check.created_by.get_full_name() or check.created_by.username) if check.created_by_id else None,
        "created_at": check.created_at.isoformat(),
        "items": [item_as_dict(i) for i in items],
        "findings": [
            {"unit": {"code": r["unit"].code, "name": r["unit"].name}, "sampled": r["sampled"],
             "checked": r["checked"], "inaccurate": r["inaccurate"]}
            for r in findings_by_unit(items)
        ],
    }
