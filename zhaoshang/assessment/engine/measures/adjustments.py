"""Measures over the assessors' own records and the units themselves: adjustments of the year
(bonuses and deductions with reasons), 一票否决, and the unit's kind."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Case, Count, F, Sum, Value, When

from zhaoshang.orgs.models import Person, Unit

from ...models import Adjustment
from .base import DEC, VETO_ITEM, sum_pairs


def _adjust_qs(params, w, *, veto: bool):
    qs = Adjustment.objects.filter(year=w.year)
    qs = qs.filter(item=VETO_ITEM) if veto else qs.exclude(item=VETO_ITEM)
    if params.get("items"):
        qs = qs.filter(item__in=params["items"])
    return qs


def _adjust_expr(params):
    lo, hi = params.get("item_min"), params.get("item_max")
    whens = []
    if hi is not None:
        whens.append(When(points__gt=hi, then=Value(hi)))
    if lo is not None:
        whens.append(When(points__lt=lo, then=Value(lo)))
    return Case(*whens, default=F("points"), output_field=DEC) if whens else F("points")


def adjust_compute(params, w, subject_type, excluded):
    key = "person_id" if subject_type == "person" else "unit_id"
    qs = _adjust_qs(params, w, veto=False).filter(**{f"{key}__isnull": False})
    return sum_pairs(
        qs.order_by().values(key).annotate(v=Sum(_adjust_expr(params), output_field=DEC)).values_list(key, "v")
    )


def adjust_rows(params, w, subject_type, subject_id, excluded):
    key = "person_id" if subject_type == "person" else "unit_id"
    return {
        "adjustments": sorted(
            _adjust_qs(params, w, veto=False).filter(**{key: subject_id}).values_list("id", flat=True)
        )
    }


def veto_compute(params, w, subject_type, excluded):
    key = "person_id" if subject_type == "person" else "unit_id"
    qs = _adjust_qs({}, w, veto=True).filter(**{f"{key}__isnull": False})
    return sum_pairs(qs.order_by().values(key).annotate(v=Count("id")).values_list(key, "v"))


def veto_rows(params, w, subject_type, subject_id, excluded):
    key = "person_id" if subject_type == "person" else "unit_id"
    return {
        "adjustments": sorted(_adjust_qs({}, w, veto=True).filter(**{key: subject_id}).values_list("id", flat=True))
    }


def unit_kind_compute(params, w, subject_type, excluded):
    if subject_type == "person":
        qs = Person.objects.filter(unit__kind__in=params["unit_kind"]).values_list("id", flat=True)
    else:
        qs = Unit.objects.filter(kind__in=params["unit_kind"]).values_list("id", flat=True)
    return {pk: Decimal(1) for pk in qs.order_by()}


def no_rows(*args):
    return {}
