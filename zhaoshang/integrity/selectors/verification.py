"""Reads of the verification queue (核实认定): the stage filings and fund arrivals of the units in the
user's scope, filtered and named as a person knows them. Scope is the fact's introducing unit: a district
assessor sees its district and the units under it, nothing else (404 elsewhere)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import CharField, F, QuerySet, Value
from django.http import Http404
from django.utils.translation import gettext as _

from zhaoshang.ledger.choices import Stage, Verification
from zhaoshang.ledger.evidence import FUND
from zhaoshang.ledger.models import FundArrival, StageRecord
from zhaoshang.orgs.models import User
from zhaoshang.orgs.scope import visible_unit_ids

Fact = StageRecord | FundArrival
MODELS: dict[str, type[StageRecord] | type[FundArrival]] = {"stage": StageRecord, "fund": FundArrival}
TODO = "todo"  # the default state filter: what is waiting for this user


@dataclass
class QueueFilters:
    unit: int | None = None
    kind: str = ""  # a stage (signed … producing) or "fund"
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    state: str = TODO  # a Verification value, TODO, or "" for every state
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    q: str = ""


def todo_states(user: User) -> list[str]:
    """What waits for this user: a district assessor passes 待核实; the city also takes 初审通过.
    A unit user's to-do is its returned facts."""
    if user.is_assessor:
        return [Verification.PENDING, Verification.PRELIMINARY]
    if user.is_district_assessor:
        return [Verification.PENDING]
    return [Verification.RETURNED]


def _scoped(qs: QuerySet, user: User) -> QuerySet:
    ids = visible_unit_ids(user)
    return qs if ids is None else qs.filter(project__lead_unit_id__in=ids)


def _filtered(qs: QuerySet, user: User, f: QueueFilters, amount: str) -> QuerySet:
    qs = _scoped(qs, user)
    if f.unit:
        qs = qs.filter(project__lead_unit_id=f.unit)
    if f.date_from:
        qs = qs.filter(date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(date__lte=f.date_to)
    if f.state == TODO:
        qs = qs.filter(verification__in=todo_states(user))
    elif f.state:
        qs = qs.filter(verification=f.state)
    if f.amount_min is not None:
        qs = qs.filter(**{f"{amount}__gte": f.amount_min})
    if f.amount_max is not None:
        qs = qs.filter(**{f"{amount}__lte": f.amount_max})
    if f.q:
        qs = qs.filter(project__code__icontains=f.q) | qs.filter(project__name__icontains=f.q)
    return qs


def stage_queue(user: User, f: QueueFilters) -> QuerySet[StageRecord]:
    qs = _filtered(StageRecord.objects.all(), user, f, "project__signed_amount")
    if f.kind and f.kind != FUND:
        qs = qs.filter(stage=f.kind)
    return qs


def fund_queue(user: User, f: QueueFilters) -> QuerySet[FundArrival]:
    return _filtered(FundArrival.objects.all(), user, f, "amount")


def _keys(qs: QuerySet, tag: str, amount: str) -> QuerySet:
    return qs.order_by().annotate(
        tag=Value(tag, output_field=CharField()),
        fact_date=F("date"),
        fact_amount=F(amount),
    ).values("tag", "id", "fact_date", "fact_amount")


@dataclass
class QueuePage:
    count: int
    items: list[Fact]


def verification_queue(*, user: User, filters: QueueFilters, offset: int = 0, limit: int = 50) -> QueuePage:
    """One page of facts, oldest filing date first (what has waited longest), stage filings and fund
    arrivals together. Two scoped queries give the keys of the page; the rows come with their project,
    unit and evidence."""
    parts = []
    if filters.kind != FUND:
        parts.append(_keys(stage_queue(user, filters), "stage", "project__signed_amount"))
    if not filters.kind or filters.kind == FUND:
        parts.append(_keys(fund_queue(user, filters), "fund", "amount"))
    keys_qs = parts[0] if len(parts) == 1 else parts[0].union(parts[1], all=True)
    count = keys_qs.count()
    keys = list(keys_qs.order_by("fact_date", "tag", "id")[offset : offset + limit])
    by_tag: dict[str, list[int]] = {"stage": [], "fund": []}
    for key in keys:
        by_tag[key["tag"]].append(key["id"])
    rows = {("stage", r.pk): r for r in _related(StageRecord.objects.filter(pk__in=by_tag["stage"]))}
    rows.update({("fund", r.pk): r for r in _related(FundArrival.objects.filter(pk__in=by_tag["fund"]))})
    return QueuePage(count=count, items=[rows[(k["tag"], k["id"])] for k in keys])


def _related(qs: QuerySet) -> QuerySet:
    qs = qs.select_related("project", "project__lead_unit", "preliminary_by", "verified_by", "reviewed_by")
    return qs.prefetch_related("evidence") if qs.model is StageRecord else qs


def fact_get(*, user: User, kind: str, pk: int) -> Fact:
    """One fact if its unit is in the user's scope; 404 otherwise (never 403: outside the scope the
    record does not exist for this user)."""
    model = MODELS.get(kind)
    if model is None:
        raise Http404(_("记录不存在"))
    fact = _scoped(_related(model.objects.filter(pk=pk)), user).first()
    if fact is None:
        raise Http404(_("记录不存在"))
    return fact


def facts_get(*, user: User, keys: list[tuple[str, int]]) -> list[Fact]:
    """Several facts by (kind, id); any one outside the scope is a 404 for all."""
    return [fact_get(user=user, kind=kind, pk=pk) for kind, pk in keys]


def fact_kind(fact: Fact) -> str:
    """"stage" or "fund": the kind in URLs and the API."""
    return "stage" if isinstance(fact, StageRecord) else "fund"


def fact_type(fact: Fact) -> str:
    """The fact's kind as the filters name it: a stage, or "fund"."""
    return fact.stage if isinstance(fact, StageRecord) else FUND


def fact_type_label(fact: Fact) -> str:
    return str(Stage(fact.stage).label) if isinstance(fact, StageRecord) else _("到位资金")


def fact_amount(fact: Fact) -> Decimal:
    """The amount a verifier checks: the signed amount for a stage filing, the money for a fund."""
    return fact.project.signed_amount if isinstance(fact, StageRecord) else fact.amount


def fact_label(fact: Fact) -> str:
    """“XM-001 某电池项目 · 开工 2024-03-01”: how a person names the fact in a message."""
    label = f"{fact.project.code} {fact.project.name} · {fact_type_label(fact)} {fact.date:%Y-%m-%d}"
    if isinstance(fact, FundArrival):
        label += " " + _("%(amount)s万元") % {"amount": f"{fact.amount:,.2f}"}
    return label


def returned_facts(*, user: User, limit: int = 100) -> list[Fact]:
    """被退回: the facts of the user's units that wait for the unit to correct and refile."""
    f = QueueFilters(state=Verification.RETURNED)
    return verification_queue(user=user, filters=f, limit=limit).items

