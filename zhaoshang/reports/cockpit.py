"""The leaders' cockpit (领导驾驶舱): the year's completion against targets with the time schedule,
ranking by group, the monthly trend against last year, by industry and by origin of investors, and
the red flags. One GROUP BY per chart over the ledger, scoped to the user like the ledger list.

Every chart element carries `link`: the ledger's query string (see `ledger.selectors.ProjectFilters`)
that lists exactly the projects behind it, so the ledger's totals equal the element's value (that is
tested). Projects 终止 are left out everywhere (`live`), as the assessment measures do. A unit holds
its projects whole here (by 引资单位); the assessment's share ratios apply in the results, not here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import ExtractMonth, TruncDate
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy, pgettext, pgettext_lazy
from django.utils.translation import gettext as _

from zhaoshang.activities.models import Submission
from zhaoshang.assessment.models import AssessmentRun
from zhaoshang.core.db import MoneySum, money
from zhaoshang.core.db_router import stale_reads
from zhaoshang.core.money import quantize
from zhaoshang.core.periods import SHANGHAI, month_end, today, year_progress
from zhaoshang.ledger import summary
from zhaoshang.ledger.choices import Status
from zhaoshang.ledger.models import FundArrival, Project, ProjectShare
from zhaoshang.ledger.selectors import project_scope
from zhaoshang.orgs.models import Unit
from zhaoshang.orgs.scope import visible_unit_ids
from zhaoshang.targets.models import Target

ZERO = Decimal(0)
# (key, label, target indicator, unit of the value); the indicator is data (targets are stored by it).
WAN = gettext_lazy("万元")
COUNT = pgettext_lazy("unit after a number of projects", "个")
INDICATORS = [
    ("signed", gettext_lazy("签约金额"), "签约金额", WAN),
    ("funds", gettext_lazy("到位资金"), "到位资金", WAN),
    ("started", gettext_lazy("开工项目"), "开工项目数", COUNT),
    ("completed", gettext_lazy("竣工项目"), "竣工项目数", COUNT),
    ("producing", gettext_lazy("投产项目"), "投产项目数", COUNT),
    ("foreign", gettext_lazy("利用外资"), "外资金额", gettext_lazy("万美元")),
]
TOP = 12  # industries and origins shown; the rest are summed as 其他 (without a link)


def ledger_url(params: dict) -> str:
    return reverse("ledger:project_list") + "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})


def _d(v: Decimal | None) -> str:
    return f"{money(v).normalize():f}" if v is not None else "0"


def _shown(v: Decimal | None) -> str:
    """The same number for people: with thousands separators (96,900)."""
    return f"{money(v).normalize():,f}" if v is not None else "0"


def _rate(value: Decimal, target: Decimal | None) -> str | None:
    if not target:
        return None
    return str(quantize(value / target * 100, 2))


def window(year: int, as_of: dt.date | None = None) -> tuple[dt.date, dt.date]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    as_of = as_of or min(today(), end)
    return start, min(max(as_of, start), end)


def _live(user):
    return project_scope(user).exclude(status=Status.TERMINATED)


def _whole_province(user) -> bool:
    """The user sees every unit and the database keeps the ledger's figures by day (PostgreSQL,
    `ledger.summary`): the year is read from a few thousand summary rows instead of ~650,000 projects at 2M.
    The figures are the same either way (tests/reports/test_cockpit_summary.py)."""
    return visible_unit_ids(user) is None and summary.maintained(summary.reading_alias())


def _signed(qs, start: dt.date, end: dt.date):
    return qs.filter(signed_on__gte=start, signed_on__lte=end)


def completion(user, year: int, start: dt.date, end: dt.date, by_unit: dict | None = None) -> list[dict]:
    """Each indicator: completed so far, annual target, rate, the time schedule, links. `by_unit`: the
    province's signed figures by unit when already read (`ledger.summary.signed_by_unit`)."""
    base = {"live": 1}
    if _whole_province(user):
        values = _completion_summary(start, end, by_unit or summary.signed_by_unit(start, end))
    else:
        values = _completion_ledger(user, start, end)
    n_foreign = values.pop("n_foreign")
    links = {
        "signed": {**base, "signed_from": start, "signed_to": end},
        "funds": {**base, "funds_from": start, "funds_to": end},
        "started": {**base, "reached": "started", "reached_from": start, "reached_to": end},
        "completed": {**base, "reached": "completed", "reached_from": start, "reached_to": end},
        "producing": {**base, "reached": "producing", "reached_from": start, "reached_to": end},
        "foreign": {**base, "foreign": 1, "signed_from": start, "signed_to": end},
    }
    # The ledger total each value equals: signed amount, funds, or the count of projects.
    ledger_total = {"signed": "signed_amount", "funds": "funds", "foreign": "count"}
    targets = _targets(user, year, [ind for _, _, ind, _ in INDICATORS])
    schedule = quantize(Decimal(str(year_progress(end))) * 100, 2)
    out = []
    for key, label, indicator, unit in INDICATORS:
        target = targets.get(indicator)
        rate = _rate(values[key], target)
        value_text = _("%(value)s%(unit)s") % {"value": _shown(values[key]), "unit": unit}
        target_text = _("%(value)s%(unit)s") % {"value": _shown(target), "unit": unit} if target is not None else None
        out.append({
            "key": key, "label": str(label), "unit": str(unit), "value": _d(values[key]),
            "value_text": value_text, "target_text": target_text,
            "target": _d(target) if target is not None else None, "rate": rate, "schedule": str(schedule),
            "behind": rate is not None and Decimal(rate) < schedule,
            "link": ledger_url(links[key]), "ledger_total": ledger_total.get(key, "count"),
            "foreign_projects": n_foreign if key == "foreign" else None,
        })
    return out


def _completion_ledger(user, start: dt.date, end: dt.date) -> dict:
    live = _live(user)
    signed = _signed(live, start, end).order_by().aggregate(
        amount=MoneySum("signed_amount"), foreign=MoneySum("foreign_amount", filter=Q(is_foreign=True)),
        n_foreign=Count("id", filter=Q(is_foreign=True)),
    )
    funds = FundArrival.objects.filter(date__gte=start, date__lte=end, project_id__in=live.values("id"))
    if visible_unit_ids(user) is None:  # all units: no IN over the whole ledger, just the status
        funds = FundArrival.objects.filter(date__gte=start, date__lte=end).exclude(project__status=Status.TERMINATED)
    funds_total = funds.order_by().aggregate(s=MoneySum("amount"))["s"]
    counts = live.order_by().aggregate(
        **{
            stage: Count("id", filter=Q(**{f"{stage}_on__gte": start, f"{stage}_on__lte": end}))
            for stage in ("started", "completed", "producing")
        }
    )
    return {
        "signed": money(signed["amount"]),
        "funds": money(funds_total),
        "started": Decimal(counts["started"]),
        "completed": Decimal(counts["completed"]),
        "producing": Decimal(counts["producing"]),
        "foreign": money(signed["foreign"]),
        "n_foreign": signed["n_foreign"],
    }


def _completion_summary(start: dt.date, end: dt.date, by_unit: dict) -> dict:
    figures = by_unit.values()
    return {
        "signed": sum((f.amount for f in figures), ZERO),
        "funds": summary.total("f", start, end)[0],
        "started": Decimal(summary.total("s", start, end)[1]),
        "completed": Decimal(summary.total("c", start, end)[1]),
        "producing": Decimal(summary.total("p", start, end)[1]),
        "foreign": sum((f.foreign_amount for f in figures), ZERO),
        "n_foreign": sum(f.foreign_count for f in figures),
    }


def _targets(user, year: int, indicators: list[str], by_unit: bool = False):
    qs = Target.objects.filter(year=year, indicator__in=indicators)
    ids = visible_unit_ids(user)
    if ids is not None:
        qs = qs.filter(unit_id__in=ids)
    if by_unit:  # no ordering: the model's (by unit code) joins every unit for nothing
        return {(u, i): v for u, i, v in qs.order_by().values_list("unit_id", "indicator", "value")}
    return dict(qs.order_by().values("indicator").annotate(v=Sum("value")).values_list("indicator", "v"))


def ranking(user, year: int, start: dt.date, end: dt.date, by_unit: dict | None = None) -> list[dict]:
    """Units by group: signed amount (by 引资单位) against the unit's 签约金额 target, best rate first."""
    ids = visible_unit_ids(user)
    units = Unit.objects.filter(is_active=True)
    if ids is not None:
        units = units.filter(id__in=ids)
    if _whole_province(user):
        by_unit = by_unit or summary.signed_by_unit(start, end)
        amounts = {unit: f.amount for unit, f in by_unit.items()}
    else:
        amounts = dict(
            _signed(_live(user), start, end).order_by().values("lead_unit_id")
            .annotate(s=MoneySum("signed_amount")).values_list("lead_unit_id", "s")
        )
    targets = _targets(user, year, ["签约金额"], by_unit=True)
    schedule = Decimal(str(year_progress(end))) * 100
    groups: dict[str, list[dict]] = defaultdict(list)
    # the link of every unit (3,000 in a province) is this string with its id: ledger_url's, built once
    link_head = ledger_url({"live": 1, "lead_unit": 0})[:-1]
    link_tail = "&" + urlencode({"signed_from": start, "signed_to": end})
    ungrouped = _("未分组")
    for uid, code, name, group in units.order_by("code").values_list("id", "code", "name", "group__name"):
        value = money(amounts.get(uid))
        target = targets.get((uid, "签约金额"))
        if not value and not target:
            continue
        rate = _rate(value, target)
        groups[group or ungrouped].append({
            "unit": name, "unit_id": uid, "code": code, "value": _d(value),
            "target": _d(target) if target is not None else None, "rate": rate,
            "behind": rate is not None and Decimal(rate) < schedule,
            "link": f"{link_head}{uid}{link_tail}",
        })
    out = []
    for name in sorted(groups):
        rows = sorted(groups[name], key=lambda r: (-(Decimal(r["rate"]) if r["rate"] else Decimal(-1)),
                                                   -Decimal(r["value"]), r["code"]))
        for i, r in enumerate(rows, 1):
            r["rank"] = i
        out.append({"group": name, "units": rows})
    return out


def trend(user, year: int, end: dt.date) -> dict:
    """Signed amount by month this year (to the as-of date) and last year (whole months)."""
    out = {}
    for y, last in ((year, end), (year - 1, dt.date(year - 1, 12, 31))):
        if _whole_province(user):  # the industry figures hold every live signed project (blank industry too)
            by_month = summary.by_month("i", dt.date(y, 1, 1), last)
        else:
            by_month = dict(
                _signed(_live(user), dt.date(y, 1, 1), last).order_by().annotate(m=ExtractMonth("signed_on"))
                .values("m").annotate(s=MoneySum("signed_amount")).values_list("m", "s")
            )
        months = []
        for m in range(1, 13):
            first = dt.date(y, m, 1)
            if first > last:
                months.append(None)
                continue
            to = min(month_end(y, m), last)
            months.append({"month": m, "value": _d(by_month.get(m)),
                           "link": ledger_url({"live": 1, "signed_from": first, "signed_to": to})})
        out[str(y)] = months
    return out


def breakdown(user, field: str, param: str, start: dt.date, end: dt.date) -> list[dict]:
    """Signed amount by industry or investor origin; blanks and the tail are summed without a link."""
    if _whole_province(user):
        kind = {"industry": "i", "investor_origin": "o"}[field]
        rows = [(k, s, n) for k, (s, n) in summary.by_day(kind, start, end).items()]
    else:
        rows = list(
            _signed(_live(user), start, end).order_by().values(field)
            .annotate(s=MoneySum("signed_amount"), n=Count("id")).values_list(field, "s", "n")
        )
    named = sorted(((k, money(s), n) for k, s, n in rows if k), key=lambda r: (-r[1], r[0]))
    rest = sum((money(s) for k, s, _ in rows if not k), ZERO) + sum((s for _, s, _ in named[TOP:]), ZERO)
    out = [{"name": k, "value": _d(s), "count": n,
            "link": ledger_url({"live": 1, param: k, "signed_from": start, "signed_to": end})}
           for k, s, n in named[:TOP]]
    if rest:
        out.append({"name": _("其他及未填写"), "value": _d(rest), "count": None, "link": None})
    return out


def red_flags(user, year: int, start: dt.date, end: dt.date, ranking_rows: list[dict]) -> dict:
    """Units behind the time schedule, overdue or late submissions, projects held across groups, overdue 整改."""
    ids = visible_unit_ids(user)
    behind = [
        {"unit": r["unit"], "group": g["group"], "rate": r["rate"], "link": r["link"]}
        for g in ranking_rows for r in g["units"] if r["behind"]
    ]
    subs = Submission.objects.filter(period__gte=f"{year}-01", period__lte=f"{end:%Y-%m}", due_date__lt=end)
    if ids is not None:
        subs = subs.filter(unit_id__in=ids)
    # counted in SQL (108,000 submissions a year at 3,000 units), late by the day in Shanghai as the engine does
    late = (subs.alias(day=TruncDate("submitted_at", tzinfo=SHANGHAI))
            .filter(Q(submitted_at__isnull=True) | Q(day__gt=F("due_date"))).order_by().values("unit__name")
            .annotate(missing=Count("id", filter=Q(submitted_at__isnull=True)),
                      late=Count("id", filter=Q(submitted_at__isnull=False)))
            .values_list("unit__name", "missing", "late"))
    overdue = [{"unit": name, "missing": missing, "late": n_late}
               for name, missing, n_late in sorted(late, key=lambda r: (-(r[1] + r[2]), r[0]))]
    conflicts, conflict_count = _conflicts(user, end)
    rectifications = _overdue_rectifications(ids, end)
    return {"behind": behind, "overdue": overdue, "conflicts": conflicts, "conflict_count": conflict_count,
            "rectifications": rectifications[:20], "rectification_count": len(rectifications),
            "meetings": _meeting_flags(ids, end)}


def _overdue_rectifications(ids: set[int] | None, end: dt.date) -> list[dict]:
    """督查整改 still open past their deadline at the as-of date (一季一督查), the unit's scope as above."""
    from zhaoshang.integrity.selectors.inspections import overdue_rectifications

    return [
        {"unit": r.unit.name, "what": r.description[:60], "deadline": r.deadline.isoformat(),
         "days": r.overdue_days(end), "owner": r.owner, "plan": f"{r.plan.period} {r.plan.title}",
         "link": reverse("integrity:inspection_detail", args=[r.plan_id])}
        for r in overdue_rectifications(unit_ids=ids, as_of=end)
    ]


CONFLICTS_SHOWN = 20


def _conflicts(user, end: dt.date) -> tuple[list[dict], int]:
    """Projects held by units of two or more groups (不得相互抵顶), signed by the as-of date: the first
    rows by code and how many there are. The same projects as the assessment's `conflicting_projects`
    under the units' own groups, but counted in SQL: at 2M projects there were 122k of them, all loaded
    into Python and their ids sent back as a literal IN list to scope them."""
    # the first rows and how many there are in one pass (a window count over the set, before the LIMIT)
    if _whole_province(user):  # kept by the database (`ledger.summary`): no grouping of the shares here
        ids, count = summary.conflicts(end, CONFLICTS_SHOWN)
        shown = list(Project.objects.filter(id__in=ids).order_by("code").values_list("id", "code", "name",
                                                                                     "lead_unit_id"))
    else:
        rows = list(_conflicting(user, end).order_by("code").annotate(total=Window(Count("id")))
                    .values_list("id", "code", "name", "lead_unit_id", "total")[:CONFLICTS_SHOWN])
        count = rows[0][4] if rows else 0
        shown = [row[:4] for row in rows]
    if not shown:
        return [], 0
    holders: dict[int, set[int]] = defaultdict(set)
    for pid, _code, _name, lead in shown:
        holders[pid].add(lead)
    for pid, uid in ProjectShare.objects.filter(project_id__in=[r[0] for r in shown]).values_list("project_id",
                                                                                               "unit_id"):
        holders[pid].add(uid)
    units = {u["id"]: u for u in Unit.objects.filter(group__isnull=False, id__in={u for hs in holders.values()
                                                                                   for u in hs})
             .values("id", "code", "name", "group__name")}
    out = []
    for pid, code, name, _lead in shown:
        held = sorted((units[u] for u in holders[pid] if u in units), key=lambda u: u["code"])
        out.append({
            "project": {"id": pid, "code": code, "name": name},
            "units": [{"code": u["code"], "name": u["name"], "group": u["group__name"]} for u in held],
            "message": _("项目“%(name)s”同时计入%(units)s，不得相互抵顶，在核实前均不计入")
            % {"name": name, "units": pgettext("list separator", "、").join(u["name"] for u in held)},
            "link": reverse("ledger:project_detail", args=[pid]),
        })
    return out, count


def _conflicting(user, end: dt.date):
    """The live projects signed by `end` whose holders (the introducing unit and the share units, those
    with a group) fall in two or more groups, within the user's scope. Only a shared project can have
    two holders, so: two groups among its shares, or a share in a group other than the lead unit's.

    Grouped from the shares (381,648 at 2M projects) rather than from the projects joined to them: the
    project-side form scanned and grouped every project twice (4 s a query at 2M); this one reads the
    shares and looks each one's project up."""
    lead_group = F("project__lead_unit__group")
    other_group = Q(unit__group__isnull=False) & Q(project__lead_unit__group__isnull=False) & ~Q(unit__group=lead_group)
    shares = ProjectShare.objects.filter(project__signed_on__lte=end).exclude(project__status=Status.TERMINATED)
    if visible_unit_ids(user) is not None:
        shares = shares.filter(project_id__in=_live(user).values("id"))
    held_apart = (
        shares.order_by().values("project_id")
        .annotate(share_groups=Count("unit__group", distinct=True), other=Count("id", filter=other_group))
        .filter(Q(share_groups__gte=2) | Q(other__gt=0))
        .values("project_id")
    )
    return _live(user).filter(id__in=held_apart)


def latest_run(user, year: int) -> dict | None:
    """The latest published run of the year, its ranks as the leaders see them (unit users: their own)."""
    from zhaoshang.assessment.selectors import visible_results

    run = (AssessmentRun.objects.filter(published=True, period_end__year=year)
           .order_by("-published_at", "-id").first())
    if run is None:
        return None
    rows = visible_results(user=user, run=run)
    return {
        "id": run.id, "name": run.scheme_name, "period": run.period_label, "as_of": run.as_of.isoformat(),
        "url": reverse("assessment:run_detail", args=[run.id]),
        "bulletin": reverse("reports:bulletin", args=[run.id]),
        "results": [{"group": r["group"], "rank": r["rank"], "unit": r["subject"]["name"], "total": r["total"],
                     "grade": r["grade"]} for r in rows],
    }


def cockpit_data(*, user, year: int | None = None, as_of: dt.date | None = None) -> dict:
    """The cockpit's figures. Seconds-old figures are fine here: they are read from the replica when there
    is one, and kept for ZHAOSHANG_COCKPIT_CACHE_SECONDS (0: not kept) per role, unit scope, year, date and
    language — at province scale (2M projects) the year's aggregates over every unit take seconds of database
    time, which one leader's view then pays for everyone with the same view for that long."""
    seconds = settings.ZHAOSHANG_COCKPIT_CACHE_SECONDS
    key = _cache_key(user, year, as_of) if seconds > 0 else None
    if key and (cached := cache.get(key)) is not None:
        return cached
    if _whole_province(user) and summary.needs_compacting():
        summary.compact()  # on the primary: fold the changes since the last view (milliseconds)
    with stale_reads():
        data = _cockpit_data(user, year, as_of)
    if key:
        cache.set(key, data, seconds)
    return data


def _cache_key(user, year: int | None, as_of: dt.date | None) -> str:
    ids = visible_unit_ids(user)
    scope = "all" if ids is None else hashlib.sha256(",".join(map(str, sorted(ids))).encode()).hexdigest()[:24]
    return f"zs:cockpit:{user.role}:{scope}:{year or today().year}:{as_of or today()}:{get_language()}"


def _cockpit_data(user, year: int | None, as_of: dt.date | None) -> dict:
    year = year or today().year
    start, end = window(year, as_of)
    by_unit = summary.signed_by_unit(start, end) if _whole_province(user) else None  # read once for both
    ranks = ranking(user, year, start, end, by_unit)
    return {
        "year": year,
        "as_of": end.isoformat(),
        "schedule": str(quantize(Decimal(str(year_progress(end))) * 100, 2)),
        "completion": completion(user, year, start, end, by_unit),
        "ranking": ranks,
        "trend": trend(user, year, end),
        "industry": breakdown(user, "industry", "industry", start, end),
        "origin": breakdown(user, "investor_origin", "origin", start, end),
        "flags": red_flags(user, year, start, end, ranks),
        "run": latest_run(user, year),
        "shared_projects": _shared_count(user, start, end),
        "chains": _chain_view(user),
        "aftercare": _aftercare_view(user, year, end),
    }


def _aftercare_view(user, year: int, end: dt.date) -> dict:
    """亩均税收 by unit and overdue investor requests (issue 15, aftercare/overview.py)."""
    from zhaoshang.aftercare.overview import cockpit_view

    return cockpit_view(user, year, end)


def _shared_count(user, start, end) -> int:
    """How many of the year's projects are shared (held whole here, by ratio in the assessment)."""
    if _whole_province(user):
        return summary.shared_count(start, end)
    return ProjectShare.objects.filter(
        project_id__in=_signed(_live(user), start, end).values("id")
    ).values("project_id").distinct().count()


# ---- industry chains (issue 14) -------------------------------------------------------------------------------
def _chain_view(user) -> list[dict]:
    """Each chain: projects landed and their 签约金额 in the user's scope, its 断点, the targets followed;
    the link opens the chain page (segments drawn, each a click-through to the ledger)."""
    from zhaoshang.chains.selectors import chains_overview

    return [{"name": f.chain.name, "projects": f.projects, "amount": _d(f.amount), "amount_text": _shown(f.amount),
             "breaks": f.breaks, "targets": f.targets, "link": reverse("chains:chain_detail", args=[f.chain.pk])}
            for f in chains_overview(user=user)]


def _meeting_flags(ids: set[int] | None, end: dt.date) -> list[dict]:
    """调度会/产业链例会 not held in a period of their cadence, and meeting action items overdue."""
    from zhaoshang.chains.meetings import missed_meetings, overdue_actions

    out = [{"text": _("%(series)s %(period)s 未召开") % {"series": m.series.name, "period": m.label},
            "link": reverse("chains:meeting_list")} for m in missed_meetings(as_of=end, unit_ids=ids)]
    out += [{"text": _("%(unit)s：督办事项“%(text)s”逾期 %(days)s 天") % {
                "unit": a.owner_unit.name, "text": a.text[:40], "days": (end - a.deadline).days},
             "link": reverse("chains:meeting_detail", args=[a.meeting_id])}
            for a in overdue_actions(as_of=end, unit_ids=ids)[:20]]
    return out
