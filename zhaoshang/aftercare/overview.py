"""What the leaders' cockpit shows of yields and service (issue 15): 亩均税收 by unit for the latest year
with yields, and the investor requests overdue. Plain strings and numbers (the cockpit is JSON)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from zhaoshang.ledger.choices import Status
from zhaoshang.ledger.models import ProjectYield
from zhaoshang.orgs.models import Unit
from zhaoshang.orgs.scope import visible_unit_ids

from .selectors import overdue_requests

DEC = DecimalField(max_digits=30, decimal_places=6)
ONE = Decimal(1)
SHOWN = 20


def tax_per_mu_by_unit(unit_ids: set[int] | None, year: int) -> list[dict]:
    """Each unit's 亩均税收 of `year` (万元/亩): its part of the tax (by tax ratio) over its part of the land
    (by share ratio), over the yields that give both; highest first."""
    qs = ProjectYield.objects.filter(year=year, tax__isnull=False, land_mu__gt=0).exclude(
        project__status=Status.TERMINATED).annotate(
        holder=Coalesce(F("project__shares__unit_id"), F("project__lead_unit_id")))
    tax_part = Coalesce(F("project__shares__tax_ratio"), F("project__shares__ratio"), Value(ONE), output_field=DEC)
    land_part = Coalesce(F("project__shares__ratio"), Value(ONE), output_field=DEC)
    rows = qs.order_by().values("holder").annotate(
        tax=Sum(ExpressionWrapper(F("tax") * tax_part, output_field=DEC)),
        land=Sum(ExpressionWrapper(F("land_mu") * land_part, output_field=DEC)))
    names = dict(Unit.objects.values_list("id", "name"))
    out = []
    for r in rows:
        if unit_ids is not None and r["holder"] not in unit_ids or not r["land"]:
            continue
        value = Decimal(r["tax"]) / Decimal(r["land"])
        out.append({"unit": names.get(r["holder"], ""), "value": f"{value.quantize(Decimal('0.01'))}",
                    "tax": f"{Decimal(r['tax']).quantize(Decimal('0.01')):,}",
                    "land": f"{Decimal(r['land']).quantize(Decimal('0.01'))}"})
    return sorted(out, key=lambda r: -Decimal(r["value"]))


def cockpit_view(user, year: int, end: dt.date) -> dict:
    ids = visible_unit_ids(user)
    latest = ProjectYield.objects.filter(year__lte=year).filter(Q(tax__isnull=False)).order_by("-year").values_list(
        "year", flat=True).first()
    overdue = list(overdue_requests(unit_ids=ids, as_of=end))
    return {
        "yield_year": latest,
        "tax_per_mu": tax_per_mu_by_unit(ids, latest) if latest else [],
        "requests": [{"unit": r.unit.name, "what": r.subject[:40], "project": r.project.name,
                      "days": (end - r.deadline).days, "deadline": r.deadline.isoformat(),
                      "link": reverse("aftercare:request_detail", args=[r.pk])} for r in overdue[:SHOWN]],
        "request_count": len(overdue),
    }
