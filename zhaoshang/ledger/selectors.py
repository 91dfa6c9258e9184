"""Reads from the ledger, always scoped to the user: a unit user sees only projects introduced by or
shared with their unit and its children."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db import connections
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from zhaoshang.core.db import MoneySum, money
from zhaoshang.orgs.models import User
from zhaoshang.orgs.scope import visible_unit_ids

from . import unit_totals
from .choices import UNCLASSIFIED, tag_filter_value
from .hooks import project_filter_hooks
from .models import FundArrival, Project, ProjectShare
from .totals import whole_ledger

SORTABLE = {
    "code": "code", "name": "name", "signed_amount": "signed_amount", "signed_on": "signed_on",
    "stage": "stage", "status": "status", "unit": "lead_unit__code",
}


def held_by_units(unit_ids) -> QuerySet:
    """The ids of the projects introduced by or shared with these units, as one subquery.

    Written as a UNION of two indexed lookups rather than `lead_unit_id IN (…) OR id IN (shares …)`:
    PostgreSQL cannot use an index for that OR, so it scanned every project (and every fund row
    joined to them) with an estimate 250× off; the UNION ran 37–124× faster at 2M projects."""
    lead = Project.objects.filter(lead_unit_id__in=unit_ids).order_by().values("id")
    shared = ProjectShare.objects.filter(unit_id__in=unit_ids).order_by().values("project_id")
    return lead.union(shared)


# The two halves of a unit user's scope, for `project_page`'s front pages (see there).
LEAD, SHARED = "lead", "shared"


def project_scope(user: User, branch: str | None = None) -> QuerySet[Project]:
    """The projects `user` may see; with `branch`, only one half of a unit user's scope: the projects
    their units lead (LEAD), or those only shared with them (SHARED). The halves are disjoint."""
    qs = Project.objects.all()
    ids = visible_unit_ids(user)
    if ids is None:
        return qs
    if branch == LEAD:
        return qs.filter(lead_unit_id__in=ids)
    if branch == SHARED:  # shared with the units and led by another: the two halves do not overlap
        return qs.filter(id__in=ProjectShare.objects.filter(unit_id__in=ids).order_by().values("project_id")).exclude(
            lead_unit_id__in=ids)
    return qs.filter(id__in=held_by_units(ids))


@dataclass
class ProjectFilters:
    unit: int | None = None
    stage: str = ""
    status: str = ""
    category: str = ""
    year: int | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    q: str = ""
    sort: str = ""
    # Drill-down from the cockpit (reports.cockpit): each chart element is one of these filters.
    lead_unit: int | None = None
    industry: str = ""
    origin: str = ""
    signed_from: dt.date | None = None
    signed_to: dt.date | None = None
    reached: str = ""
    reached_from: dt.date | None = None
    reached_to: dt.date | None = None
    funds_from: dt.date | None = None
    funds_to: dt.date | None = None
    foreign: bool = False
    live: bool = False
    # 建设性质 and one investor tag (issue 14); filters higher layers add (ledger.hooks.project_filter_hooks).
    build_kind: str = ""
    tag: str = ""
    extra: dict = field(default_factory=dict)

    def narrows(self) -> bool:
        """Whether any filter is set (the order aside): an unfiltered list's totals may come from kept figures."""
        return replace(self, sort="") != ProjectFilters()


def project_list(*, user: User, filters: ProjectFilters | None = None, branch: str | None = None) -> QuerySet[Project]:
    f = filters or ProjectFilters()
    qs = project_scope(user, branch)
    if f.unit:
        qs = qs.filter(id__in=held_by_units([f.unit]))
    if f.stage:
        qs = qs.filter(stage=f.stage)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.category == UNCLASSIFIED:  # 待归类: no section yet
        qs = qs.filter(category="")
    elif f.category:
        qs = qs.filter(category=f.category)
    if f.year:
        qs = qs.filter(signed_on__year=f.year)
    if f.amount_min is not None:
        qs = qs.filter(signed_amount__gte=f.amount_min)
    if f.amount_max is not None:
        qs = qs.filter(signed_amount__lte=f.amount_max)
    if f.q:
        qs = qs.filter(text_search(f.q))
    qs = _drill_down(qs, f)
    if f.build_kind:
        qs = qs.filter(build_kind=f.build_kind)
    if f.tag:
        qs = qs.filter(investor_tags__contains=tag_filter_value(f.tag))
    for hook in project_filter_hooks:
        if f.extra.get(hook.param):
            qs = hook.apply(qs, f.extra[hook.param])
    key = f.sort.lstrip("-")
    if key in SORTABLE:
        prefix = "-" if f.sort.startswith("-") else ""
        qs = qs.order_by(f"{prefix}{SORTABLE[key]}", f"{prefix}id")
    return qs



def text_search(q: str) -> Q:
    """Projects whose name, code or investor contain `q`, in any letter case.

    A term without letters that have a case (Chinese, digits) is matched as written: PostgreSQL's `icontains`
    upper-cases every name, code and investor it reads to compare them, four times the work of the plain LIKE
    (3.0 s against 0.8 s over 2,000,000 projects), for the same rows."""
    lookup = "icontains" if q.upper() != q or q.lower() != q else "contains"
    return Q(**{f"name__{lookup}": q}) | Q(**{f"code__{lookup}": q}) | Q(**{f"investor__{lookup}": q})


def _drill_down(qs: QuerySet[Project], f: ProjectFilters) -> QuerySet[Project]:
    from .choices import STAGE_DATE_FIELD, Stage, Status

    if f.lead_unit:
        qs = qs.filter(lead_unit_id=f.lead_unit)
    if f.industry:
        qs = qs.filter(industry=f.industry)
    if f.origin:
        qs = qs.filter(investor_origin=f.origin)
    if f.signed_from:
        qs = qs.filter(signed_on__gte=f.signed_from)
    if f.signed_to:
        qs = qs.filter(signed_on__lte=f.signed_to)
    if f.reached in STAGE_DATE_FIELD:
        field = STAGE_DATE_FIELD[Stage(f.reached)]
        qs = qs.filter(**{f"{field}__isnull": False})
        if f.reached_from:
            qs = qs.filter(**{f"{field}__gte": f.reached_from})
        if f.reached_to:
            qs = qs.filter(**{f"{field}__lte": f.reached_to})
    if f.funds_from or f.funds_to:
        qs = qs.filter(id__in=_arrivals(f).values("project_id"))
    if f.foreign:
        qs = qs.filter(is_foreign=True)
    if f.live:
        qs = qs.exclude(status=Status.TERMINATED)
    return qs


def _arrivals(f: ProjectFilters | None):
    """Fund arrivals in the filters' funds window (all of them without one)."""
    qs = FundArrival.objects.all()
    if f is not None and f.funds_from:
        qs = qs.filter(date__gte=f.funds_from)
    if f is not None and f.funds_to:
        qs = qs.filter(date__lte=f.funds_to)
    return qs


@dataclass
class LedgerTotals:
    count: int
    signed_amount: Decimal
    funds: Decimal


def ledger_totals(qs: QuerySet[Project], filters: ProjectFilters | None = None,
                  branches: list[QuerySet[Project]] | None = None, *, user: User | None = None) -> LedgerTotals:
    """Totals over the whole filtered set (not just the page), in two SQL aggregates.

    With `branches` (a unit user's list split by `scope_branches`, disjoint) each half is summed apart and
    the sums added: the led half is read from the (lead_unit, signed_on, id, signed_amount) index alone,
    where the whole scope (a UNION) had to be built, hashed and every project visited for its amount.
    A text search with few matches reads them as rows once (`_few_matches`)."""
    if not qs.query.where and not (filters and (filters.funds_from or filters.funds_to)):
        # the whole ledger (an assessor's first view): kept by the database, not summed on each read
        return LedgerTotals(*whole_ledger())
    if filters and filters.q and (few := _few_matches(qs)) is not None:  # the whole scope at once
        ids, signed = few
        funds = _arrivals(filters).filter(project_id__in=ids).order_by().aggregate(s=MoneySum("amount"))["s"] \
            if ids else None
        return LedgerTotals(len(ids), signed, money(funds))
    if branches and user is not None and not (filters or ProjectFilters()).narrows():
        # A unit user's whole list (as `branches` from `scope_branches(user=user)`): the led half from the figures
        # the database keeps by unit, only the shared half summed (`ledger.unit_totals`).
        count, signed, funds = unit_totals.led_by(visible_unit_ids(user))
        shared = ledger_totals(branches[1], filters)
        return LedgerTotals(count + shared.count, signed + shared.signed_amount, funds + shared.funds)
    if branches:
        parts = [ledger_totals(branch, filters) for branch in branches]
        return LedgerTotals(sum(p.count for p in parts), sum((p.signed_amount for p in parts), Decimal("0")),
                            sum((p.funds for p in parts), Decimal("0")))
    if qs.query.where and not (filters and (filters.funds_from or filters.funds_to)) \
            and connections[qs.db].vendor == "postgresql":
        return _totals_in_one_pass(qs)
    # With a funds window (a cockpit drill-down) the funds total counts only the arrivals in it.
    agg = qs.order_by().aggregate(n=Count("id"), signed=MoneySum("signed_amount"))
    arrivals = _arrivals(filters)
    if qs.query.where:  # an unfiltered ledger (an assessor's first view) sums the whole table without the IN
        arrivals = arrivals.filter(project_id__in=qs.order_by().values("id"))
    funds = arrivals.order_by().aggregate(s=MoneySum("amount"))["s"]
    return LedgerTotals(agg["n"], money(agg["signed"]), money(funds))


def _totals_in_one_pass(qs: QuerySet[Project]) -> LedgerTotals:
    """Count, signed amount and funds of `qs` with its rows found once (PostgreSQL): the count and the funds were
    two queries, each finding the same projects again — for the shared half of a county's scope ~1,000 lookups by
    key, 5 ms each time at 2,000,000 projects. Here the rows are gathered once (a materialised CTE) and the funds
    are read for those ids."""
    sql, params = qs.order_by().values("id", "signed_amount").query.sql_with_params()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(
            f"WITH matched AS MATERIALIZED ({sql}) SELECT COUNT(*), SUM(signed_amount),"
            " (SELECT SUM(f.amount) FROM ledger_fundarrival f WHERE f.project_id IN (SELECT id FROM matched))"
            " FROM matched", params)
        count, signed, funds = cursor.fetchone()
    return LedgerTotals(count, money(signed), money(funds))


# A text search's matches are read as rows up to this many: one pass over the table instead of two (one for the
# count and amount, one again for the funds of the same projects), which a search cannot take from an index.
FEW_MATCHES = 2000


def _few_matches(qs: QuerySet[Project]) -> tuple[list[int], Decimal] | None:
    """The ids and signed total of `qs`'s rows when there are at most FEW_MATCHES of them, else None."""
    rows = list(qs.order_by().values_list("id", "signed_amount")[: FEW_MATCHES + 1])
    if len(rows) > FEW_MATCHES:
        return None
    return [pk for pk, _ in rows], sum((amount for _, amount in rows), Decimal("0"))


def scope_branches(*, user: User, filters: ProjectFilters | None = None) -> list[QuerySet[Project]] | None:
    """The user's filtered list split by the two halves of the scope, or None for a user who sees all."""
    if visible_unit_ids(user) is None:
        return None
    return [project_list(user=user, filters=filters, branch=b) for b in (LEAD, SHARED)]


def unclassified_count(user: User) -> int:
    """How many of the user's projects wait for a section (待归类); a unit user's counted per half of the
    scope, each from an index (the whole scope as a UNION visited every project for its section)."""
    if visible_unit_ids(user) is None:
        return project_scope(user).filter(category="").count()
    return sum(project_scope(user, branch).filter(category="").count() for branch in (LEAD, SHARED))


# Up to this many rows from the top, a scoped page is taken from each half of the scope (see below): at
# 2,000,000 projects the halves won up to about page 15 (6 ms against 16 ms for page 1), the UNION after.
FRONT_ROWS = 500


# A text search (`icontains`) matches a share of the ledger no planner can estimate. When the count (known from
# the totals) shows the rows asked for lie deeper than this share of the matches, the matches are gathered and
# sorted instead of walking the order index from the top: at 2,000,000 projects the walk visited every project
# in index order, at random places in the table, for a word found nowhere (12 s) or in a few hundred names.
SORT_MATCHES_BELOW = 10  # walk while the page ends within the first tenth of the matches


def page_ids(qs: QuerySet[Project], *, offset: int, limit: int,
             branches: list[QuerySet[Project]] | None = None, searched_count: int | None = None) -> list[int]:
    """The ids of rows `offset` to `offset + limit` of `qs`, in its order.

    `branches` (from `scope_branches`) are the same list split by the halves of a unit user's scope.
    Near the top of the list the ids are taken as the first `offset + limit` ids of each half and
    ordered again together: each half is one indexed lookup that stops early, where the whole scope
    (`held_by_units`, a UNION) must be built and sorted first — PostgreSQL hashed it against a scan of
    every project (14 ms at 50,000 projects for a county holding 4 % of them; the OR form it replaced
    walked the signed_on index instead, 1 ms there but a read of most of the table at 2,000,000).
    Exact: a row among the first N of the union is among the first N of its own half.

    `searched_count`, for a text search, is how many rows match: none asks nothing more; few, compared with
    how deep the page lies, gathers and sorts the matches (see SORT_MATCHES_BELOW), as the halves above
    already do near the top."""
    if searched_count is not None and searched_count <= offset:
        return []
    if branches and offset + limit <= FRONT_ROWS:
        # Each half sorted by expressions equal to the ordering columns: PostgreSQL then reads the half through
        # its own index and sorts it, instead of walking the whole ledger's signed_on or amount index from the
        # top hoping to meet the half's rows soon (94 ms for a county's 431 shared projects at 100,000).
        order = [_unindexed(term) for term in (qs.query.order_by or Project._meta.ordering)]
        candidates: set[int] = set()
        for branch in branches:
            candidates.update(branch.order_by(*order).values_list("id", flat=True)[: offset + limit])
        merged = Project.objects.filter(id__in=candidates)
        if qs.query.order_by:  # a sorted list; otherwise the model's own order, as `qs` has
            merged = merged.order_by(*qs.query.order_by)
        return list(merged.values_list("id", flat=True)[offset: offset + limit])
    if searched_count is not None and (offset + limit) * SORT_MATCHES_BELOW > searched_count:
        order = [_unindexed(term) for term in (qs.query.order_by or Project._meta.ordering)]
        return list(qs.order_by(*order).values_list("id", flat=True)[offset: offset + limit])
    if branches:
        return _deep_page_of_halves(qs, branches, offset=offset, limit=limit)
    return list(qs.values_list("id", flat=True)[offset: offset + limit])


def _deep_page_of_halves(qs: QuerySet[Project], branches: list[QuerySet[Project]], *, offset: int,
                         limit: int) -> list[int]:
    """A page deeper than FRONT_ROWS of a unit user's list: both halves' rows with their ordering values, as one
    UNION ALL (the halves are disjoint), sorted and sliced.

    The scope as `id IN (… UNION …)` made PostgreSQL gather the ids, then fetch every project by its key for the
    sort value: ~5,000 random heap reads, 59 ms for page 60 of a county at 2,000,000 projects. Here the led half
    comes from the (lead_unit, signed_on, id, signed_amount) index alone and only the shared half visits its
    rows: 8 ms."""
    terms = list(qs.query.order_by or Project._meta.ordering)
    columns = ["id", *dict.fromkeys(t.lstrip("-") for t in terms if t.lstrip("-") != "id")]
    halves = [branch.order_by().values_list(*columns) for branch in branches]
    combined = halves[0].union(*halves[1:], all=True).order_by(*terms)
    return [row[0] for row in combined[offset: offset + limit]]


def _unindexed(term: str):
    """An ordering term as an expression of the same value (COALESCE(x, x)) that no index serves."""
    name = term.lstrip("-")
    same = Coalesce(F(name), F(name))
    return same.desc() if term.startswith("-") else same.asc()


def rows_in_order(ids: list[int], *related: str) -> list[Project]:
    """The projects with these ids, in the order given."""
    rows = {p.pk: p for p in Project.objects.filter(id__in=ids).select_related(*related)}
    return [rows[i] for i in ids]


def project_page(qs: QuerySet[Project], *, page: int, size: int,
                 branches: list[QuerySet[Project]] | None = None, searched_count: int | None = None) -> list[Project]:
    """One page of the ledger. The ids are fetched first (an index-only scan), then the rows: a deep
    OFFSET over full rows makes SQLite read every skipped row (65 ms at page 1000 of 100,000)."""
    ids = page_ids(qs, offset=(page - 1) * size, limit=size, branches=branches, searched_count=searched_count)
    return rows_in_order(ids, "lead_unit")


def page_fund_totals(project_ids: list[int]) -> dict[int, Decimal]:
    """Funds in place per project for one page, in one grouped query."""
    return dict(
        FundArrival.objects.filter(project_id__in=project_ids)
        .order_by()  # the model's default ordering would otherwise join the GROUP BY
        .values("project_id")
        .annotate(total=MoneySum("amount"))
        .values_list("project_id", "total")
    )


def project_get(*, user: User, pk: int) -> Project:
    """The project if the user may see it; 404 otherwise (not 403, so ids of other units leak nothing)."""
    project = (
        project_scope(user)
        .select_related("lead_unit", "introducer", "assisting_unit", "assisting_secretary", "signed_at_event")
        .filter(pk=pk)
        .first()
    )
    if project is None:
        raise Http404(_("项目不存在或无权查看"))
    return project


def project_fund_totals(project: Project, year: int) -> dict[str, Decimal]:
    agg = project.fund_arrivals.aggregate(
        total=MoneySum("amount"), this_year=MoneySum("amount", filter=Q(date__year=year))
    )
    return {"total": money(agg["total"]), "this_year": money(agg["this_year"])}


def project_history(project: Project, limit: int = 100) -> list[dict]:
    """The project's own changes with before/after per field, newest first, plus its related rows."""
    entries = []
    records = list(project.history.select_related("history_user").order_by("-history_date", "-history_id")[:limit])
    for newer, older in zip(records, records[1:] + [None], strict=False):
        changes = []
        if older is not None:
            delta = newer.diff_against(older)
            for change in delta.changes:
                if change.field in ("version",):
                    continue
                field = Project._meta.get_field(change.field)
                changes.append({"field": field.verbose_name, "old": change.old, "new": change.new})
        entries.append({"record": newer, "kind": "项目", "changes": changes})
    related = []
    for model_history, label in (
        (FundArrival.history, "到位资金"), (ProjectShare.history, "共享"),
    ):
        for rec in model_history.filter(project_id=project.pk).select_related("history_user")[:limit]:
            related.append({"record": rec, "kind": label, "changes": []})
    from .models import StageRecord

    for rec in StageRecord.history.filter(project_id=project.pk).select_related("history_user")[:limit]:
        related.append({"record": rec, "kind": "阶段备案", "changes": []})
    entries.extend(related)
    entries.sort(key=lambda e: e["record"].history_date, reverse=True)
    return entries
