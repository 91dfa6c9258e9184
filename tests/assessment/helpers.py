"""Small builders for the worked examples: each row written plainly so a reader can check the
hand computation in the test against the data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from tests.factories import EventFactory, FundArrivalFactory, ProjectFactory, UnitFactory, UnitGroupFactory
from zhaoshang.activities.models import Submission, Visit
from zhaoshang.assessment.models import Adjustment
from zhaoshang.ledger.models import ProjectShare
from zhaoshang.orgs.models import Person
from zhaoshang.targets.models import Target

D = Decimal


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def group(name: str):
    return UnitGroupFactory(code=f"G-{name}", name=name)


def unit(code: str, group_name: str | None, kind: str = "district", name: str | None = None):
    return UnitFactory(code=code, name=name or code, kind=kind, group=group(group_name) if group_name else None)


def project(lead, signed: str | None, amount, **kw):
    kw.setdefault("status", "advancing")
    for f in ("started_on", "completed_on", "producing_on", "registered_on"):
        if isinstance(kw.get(f), str):
            kw[f] = day(kw[f])
    if kw.get("status") == "terminated":
        kw.setdefault("status_reason", "投资方撤资")
    return ProjectFactory(lead_unit=lead, signed_on=day(signed) if signed else None, signed_amount=D(str(amount)), **kw)


def event(level: str):
    return EventFactory(level=level)


def shares(p, pairs):
    for u, r in pairs:
        ProjectShare.objects.create(project=p, unit=u, ratio=D(str(r)))


def fund(p, date: str, amount, kind: str = "fixed_asset", verified: bool = True):
    """A fund arrival, 已认定 on its own date (as the factories make facts) unless `verified=False`."""
    return FundArrivalFactory(project=p, date=day(date), amount=D(str(amount)), kind=kind, verified=verified)


def target(u, year: int, indicator: str, value):
    return Target.objects.create(unit=u, year=year, indicator=indicator, value=D(str(value)))


def submission(u, period: str, due: str, submitted: str | None):
    at = None
    if submitted:
        at = timezone.make_aware(dt.datetime.fromisoformat(submitted))
    return Submission.objects.create(unit=u, period=period, due_date=day(due), submitted_at=at)


def adjustment(year: int, item: str, points, unit=None, person=None):
    return Adjustment.objects.create(
        year=year, item=item, points=D(str(points)), reason="依据通报", unit=unit, person=person
    )


_n = [0]


def person(u, role: str = "staff", name: str | None = None):
    _n[0] += 1
    return Person.objects.create(staff_no=f"T{_n[0]:05d}", name=name or f"人员{_n[0]}", unit=u, role=role)


def visits(u, leader, n: int, year: int):
    for i in range(n):
        Visit.objects.create(date=dt.date(year, 1 + i % 12, 1 + i // 12), unit=u, leader=leader, enterprise=f"企业{i}")


def by_code(data: dict) -> dict:
    return {r["subject"]["code"]: r for r in data["results"]}


def points(result: dict) -> dict:
    return {i["key"]: D(i["points"]) for i in result["items"]}


def yielded(p, year: int, *, tax=None, output=None, land=None, verified_on: str = "2020-06-20"):
    """A producing project's yield of `year` (产出质效, issue 15), 已认定 on `verified_on`."""
    from zhaoshang.ledger.models import ProjectYield

    return ProjectYield.objects.create(
        project=p, year=year, tax=None if tax is None else Decimal(tax),
        output_value=None if output is None else Decimal(output), land_mu=None if land is None else Decimal(land),
        verification="verified", verified_on=day(verified_on))
