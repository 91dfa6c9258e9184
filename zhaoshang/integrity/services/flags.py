"""Writes of the flags: the scan of a year, the re-check of the projects a save or an import touched, and
an assessor's resolution. The rules themselves are pure functions in integrity/detect.py; this module
loads the facts, turns findings into flags with a reason in plain Chinese, and stores them so that a rescan
neither duplicates a flag nor reopens a resolved one (the fingerprint is the kind and the projects)."""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, pgettext
from rapidfuzz import fuzz, process

from zhaoshang.core import bulkcopy
from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.fastwrite import insert_rows_with_history
from zhaoshang.core.money import format_auto
from zhaoshang.core.periods import today
from zhaoshang.core.text import clean_text
from zhaoshang.ledger.choices import Status, Verification
from zhaoshang.ledger.models import FundArrival, Project, ProjectShare
from zhaoshang.ledger.services import project_set_shares
from zhaoshang.orgs.models import Unit, User
from zhaoshang.orgs.scope import visible_unit_ids

from .. import detect
from ..detect import Facts
from ..models.flags import REGISTRY_KINDS, Flag, FlagKind, FlagProject, FlagStatus, Resolution
from ..models.registry import RegistryEntry

CHUNK = 900  # SQLite's limit on a statement's parameters
NO_REGISTRY = gettext_noop("未导入工商登记数据，未执行比对")
NO_DIVISIONS = gettext_noop("未设置本市行政区划代码（由系统管理员在部署设置中配置），未执行异地注册检查")
CLEARED_REASON = "重新扫描未再发现（数据已更正），自动关闭"


def _d(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"


# ---- loading ------------------------------------------------------------------------------------------------


@dataclass
class _Loaded:
    facts: dict[int, Facts]
    lead: dict[int, int]  # project → introducing unit
    unit_names: dict[int, str]


def _load(projects, *, funds_of: list[int] | None = None, unit_names: dict[int, str] | None = None) -> _Loaded:
    """Facts of the projects of a queryset: one query for the projects, one for their shares and one for
    their first fund arrival (both filtered by the same queryset as a subquery)."""
    projects = projects.exclude(status=Status.TERMINATED)
    rows = list(projects.values_list(
        "id", "code", "name", "investor", "investor_uscc", "signed_amount", "signed_on", "registered_on",
        "lead_unit_id",
    ))
    # A few projects (a re-check): their ids in chunks; many (a scan): the same queryset as a subquery.
    if len(rows) <= CHUNK * 5:
        id_sets = [[r[0] for r in rows[i : i + CHUNK]] for i in range(0, len(rows), CHUNK)]
    else:
        id_sets = [projects.values("id")]
    shares: dict[int, set[int]] = defaultdict(set)
    first_fund: dict[int, dt.date] = {}
    for ids in id_sets:
        for pid, uid in ProjectShare.objects.filter(project_id__in=ids).values_list("project_id", "unit_id"):
            shares[pid].add(uid)
        if funds_of is not None:
            continue
        first_fund.update(
            FundArrival.objects.filter(project_id__in=ids)
            .exclude(verification=Verification.REJECTED)
            .values("project_id")
            .annotate(first=Min("date"))
            .values_list("project_id", "first")
        )
    if funds_of is not None:  # a re-check: only its own project's funds matter (the year-end check)
        first_fund.update(
            FundArrival.objects.filter(project_id__in=funds_of).exclude(verification=Verification.REJECTED)
            .values("project_id").annotate(first=Min("date")).values_list("project_id", "first")
        )
    facts, lead = {}, {}
    for pid, code, name, investor, uscc, amount, signed_on, registered_on, lead_unit in rows:
        facts[pid] = Facts(
            id=pid, code=code, name=name, investor=investor, uscc=uscc or "", amount=amount or Decimal(0),
            signed_on=signed_on, registered_on=registered_on,
            units=frozenset(shares.get(pid) or {lead_unit}), first_fund_on=first_fund.get(pid),
        )
        lead[pid] = lead_unit
    if unit_names is None:
        unit_names = dict(Unit.objects.values_list("id", "name"))
    return _Loaded(facts, lead, unit_names)


# ---- findings → drafts --------------------------------------------------------------------------------------


@dataclass
class _Draft:
    kind: str
    fingerprint: str
    year: int | None
    reason: str
    evidence: dict
    projects: list[int]
    units: list[int | None]


def _units_text(loaded: _Loaded, p: Facts) -> str:
    return "、".join(sorted(loaded.unit_names.get(u, "") for u in p.units))


def _facts_rows(loaded: _Loaded, ps: Sequence[Facts], extra: Sequence[tuple[str, list[str]]] = ()) -> list[dict]:
    rows = [
        ("单位", [_units_text(loaded, p) for p in ps]),
        ("项目编号", [p.code for p in ps]),
        ("项目名称", [p.name for p in ps]),
        ("投资方", [p.investor for p in ps]),
        ("统一社会信用代码", [p.uscc or "未填写" for p in ps]),
        ("签约金额", [format_auto(p.amount) for p in ps]),
        ("签约日期", [_d(p.signed_on) for p in ps]),
        ("注册日期", [_d(p.registered_on) for p in ps]),
        ("首笔到位资金日期", [_d(p.first_fund_on) for p in ps]),
        *extra,
    ]
    return [{"label": label, "values": values} for label, values in rows]


def _who(loaded: _Loaded, p: Facts) -> str:
    return f"{_units_text(loaded, p)}的项目“{p.name}”（{p.code}）"


SYNC_BATCH = 20_000  # pair drafts made and stored at once by a scan


def _pair_fingerprint(pair: detect.Pair) -> str:
    return f"{FlagKind.SAME_INVESTOR}:{pair.a}-{pair.b}"


def _pair_draft(loaded: _Loaded, pair: detect.Pair) -> _Draft:
    p, q = loaded.facts[pair.a], loaded.facts[pair.b]
    if pair.basis == "uscc":
        why = f"投资方统一社会信用代码相同（{p.uscc}）"
    else:
        why = f"投资方“{p.investor}”与“{q.investor}”名称相近（去除企业类型和地名后相似度{pair.similarity}%）"
    reason = (
        f"{_who(loaded, p)}与{_who(loaded, q)}{why}，签约金额分别为{format_auto(p.amount)}和{format_auto(q.amount)}，"
        f"签约日期分别为{_d(p.signed_on)}和{_d(q.signed_on)}，疑似同一投资方重复计入（不得相互抵顶），"
        "在核实前均不计入"
    )
    evidence = {
        "basis": pair.basis,
        "similarity": pair.similarity,
        "facts": _facts_rows(loaded, (p, q), [("名称相似度", [f"{pair.similarity}%", f"{pair.similarity}%"])]),
    }
    return _Draft(
        FlagKind.SAME_INVESTOR, _pair_fingerprint(pair),
        max(p.signed_on.year, q.signed_on.year), reason, evidence, [p.id, q.id],
        [loaded.lead[p.id], loaded.lead[q.id]],
    )


def _single(loaded: _Loaded, kind: str, p: Facts, fingerprint: str, reason: str, basis: str,
            extra: Sequence[tuple[str, list[str]]] = ()) -> _Draft:
    return _Draft(kind, fingerprint, p.signed_on.year if p.signed_on else None, reason,
                  {"basis": basis, "facts": _facts_rows(loaded, (p,), extra)}, [p.id], [loaded.lead[p.id]])


@dataclass
class _Registry:
    loaded: bool
    by_uscc: dict[str, detect.RegistryRow]
    by_name: dict[str, detect.RegistryRow]


def _registry_for(facts: Iterable[Facts]) -> _Registry:
    if not RegistryEntry.objects.exists():
        return _Registry(False, {}, {})
    facts = list(facts)
    usccs = sorted({p.uscc for p in facts if p.uscc})
    names = sorted({p.investor for p in facts if not p.uscc and p.investor})
    by_uscc, by_name = {}, {}
    fields = ("uscc", "name", "founded_on", "status")
    for i in range(0, len(usccs), CHUNK):
        for u, n, f, s in RegistryEntry.objects.filter(uscc__in=usccs[i : i + CHUNK]).values_list(*fields):
            by_uscc[u] = detect.RegistryRow(u, n, f, s)
    for i in range(0, len(names), CHUNK):
        for u, n, f, s in RegistryEntry.objects.filter(name__in=names[i : i + CHUNK]).values_list(*fields):
            by_name[n] = detect.RegistryRow(u, n, f, s)
    return _Registry(True, by_uscc, by_name)


def _single_drafts(loaded: _Loaded, targets: Iterable[Facts], registry: _Registry, prefixes: Sequence[str],
                   day: dt.date) -> list[_Draft]:
    out: list[_Draft] = []
    for p in targets:
        if p.signed_on is None:
            continue
        year = p.signed_on.year
        if detect.packaged_at_year_end(p, year):
            _, end, deadline = detect.year_end_window(year)
            until = (f"至{_d(deadline)}（年末后90天）" if day > deadline
                     else f"截至{_d(day)}（年末后90天期限为{_d(deadline)}）")
            reason = (
                f"{_who(loaded, p)}于{_d(p.signed_on)}签约，金额{format_auto(p.amount)}，处于{year}年最后30天内；"
                f"{until}无资金到位、未办理注册，疑似年末突击签约（临时包装项目）"
            )
            fp = f"{FlagKind.PACKAGED_YEAR_END}:{year}:{p.id}"
            out.append(_single(loaded, FlagKind.PACKAGED_YEAR_END, p, fp, reason, "year_end",
                               [("核查截止日期", [_d(deadline)])]))
        if detect.refiled_existing(p):
            gap = (p.signed_on - p.registered_on).days
            reason = (
                f"{_who(loaded, p)}的注册日期{_d(p.registered_on)}早于签约日期{_d(p.signed_on)}一年以上"
                f"（相差{gap}天），疑似老企业作为新项目申报"
            )
            out.append(_single(loaded, FlagKind.REFILED_EXISTING, p, f"{FlagKind.REFILED_EXISTING}:{p.id}", reason,
                               "refiled", [("注册早于签约天数", [str(gap)])]))
        code = detect.registered_elsewhere(p, prefixes)
        if code:
            reason = (
                f"{_who(loaded, p)}已报注册落地（{_d(p.registered_on)}），但投资方“{p.investor}”的统一社会信用代码"
                f"{p.uscc}的登记机关行政区划代码为{code}，不在本市行政区划（{'、'.join(prefixes)}）内，疑似异地注册"
            )
            out.append(_single(loaded, FlagKind.REGISTERED_ELSEWHERE, p, f"{FlagKind.REGISTERED_ELSEWHERE}:{p.id}",
                               reason, "division", [("登记机关行政区划代码", [code])]))
        if registry.loaded and (p.uscc or p.investor):
            row = registry.by_uscc.get(p.uscc) if p.uscc else registry.by_name.get(p.investor)
            who = f"{_who(loaded, p)}的投资方“{p.investor}”"
            reg = [("工商登记名称", [row.name if row else "查无此企业"]),
                   ("成立日期", [_d(row.founded_on) if row else "—"]),
                   ("登记状态", [row.status if row else "—"])]
            for finding in detect.registry_findings(p, row):
                if finding == "unknown":
                    kind = FlagKind.REGISTRY_UNKNOWN
                    key = f"统一社会信用代码{p.uscc}" if p.uscc else "企业名称"
                    reason = f"{who}按{key}在已导入的工商登记数据中查无此企业"
                elif finding == "name":
                    kind = FlagKind.REGISTRY_NAME
                    reason = f"{who}与工商登记名称“{row.name}”不一致（统一社会信用代码{p.uscc}）"
                elif finding == "founded_after":
                    kind = FlagKind.REGISTRY_FOUNDED_AFTER
                    reason = f"{who}工商登记成立日期为{_d(row.founded_on)}，晚于签约日期{_d(p.signed_on)}"
                else:
                    kind = FlagKind.REGISTRY_CANCELLED
                    reason = f"{who}工商登记状态为“{row.status}”，企业已不存续"
                out.append(_single(loaded, kind, p, f"{kind}:{p.id}", reason, "registry", reg))
    return out


# ---- storing --------------------------------------------------------------------------------------------------


@dataclass
class SyncCounts:
    new: int = 0
    updated: int = 0
    reopened: int = 0
    cleared: int = 0
    unchanged: int = 0

    def add(self, other: SyncCounts) -> None:
        for name in ("new", "updated", "reopened", "cleared", "unchanged"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _sync(drafts: list[_Draft], stale_scope, *, user: User | None = None, found: set[str] | None = None
          ) -> SyncCounts:
    """Store the drafts: create new flags, refresh open ones, reopen ones the scan had cleared (never one
    a person resolved), and close the open flags of `stale_scope` that the scan no longer finds (`found`: the
    fingerprints of everything it found, when the drafts are stored in batches)."""
    counts = SyncCounts()
    now = timezone.now()
    by_fp = {d.fingerprint: d for d in drafts}
    fps = list(by_fp)
    existing: dict[str, Flag] = {}
    for i in range(0, len(fps), CHUNK):
        # The evidence follows from the same facts as the reason: comparing the reason is enough, and
        # leaving the JSON unread keeps a rescan of 100,000 projects fast.
        existing.update({f.fingerprint: f for f in Flag.objects.filter(fingerprint__in=fps[i : i + CHUNK])
                         .defer("evidence")})
    seen_ids: list[int] = []
    for fp, flag in existing.items():
        d = by_fp[fp]
        if flag.status == FlagStatus.RESOLVED and flag.resolution != Resolution.CLEARED:
            counts.unchanged += 1
            continue  # a person decided: a rescan neither reopens nor rewrites it
        reopen = flag.status == FlagStatus.RESOLVED
        if reopen or flag.reason != d.reason or flag.year != d.year:
            flag.reason, flag.evidence, flag.year, flag.last_seen_at = d.reason, d.evidence, d.year, now
            if reopen:
                flag.status, flag.resolution, flag.resolution_reason = FlagStatus.OPEN, "", ""
                flag.resolved_by, flag.resolved_at = None, None
                flag._change_reason = "重新扫描再次发现"
                flag._history_user = user
                counts.reopened += 1
            else:
                counts.updated += 1
            flag.save()
        else:
            seen_ids.append(flag.pk)
            counts.unchanged += 1
    for i in range(0, len(seen_ids), CHUNK):
        Flag.objects.filter(pk__in=seen_ids[i : i + CHUNK]).update(last_seen_at=now)
    new = [d for fp, d in by_fp.items() if fp not in existing]
    if new:
        # COPY (SQLite: executemany) from plain tuples, with the history copied by the database: a year's scan
        # of a province writes half a million flags and a million project rows. simple_history's
        # bulk_create_with_history spent two thirds of that scan on their INSERTs, and building the model
        # instances alone cost more than writing them. The ids are reserved, so the project rows need no
        # second look-up of the flags by fingerprint.
        ids = insert_rows_with_history(
            Flag, ["kind", "fingerprint", "year", "reason", "evidence", "last_seen_at"],
            [(d.kind, d.fingerprint, d.year, d.reason, d.evidence, now) for d in new], user=user, reason="扫描发现")
        bulkcopy.insert_rows(FlagProject, ["flag_id", "project_id", "unit_id", "position"], [
            (flag_id, pid, uid, k) for flag_id, d in zip(ids, new, strict=True)
            for k, (pid, uid) in enumerate(zip(d.projects, d.units, strict=True))])
        counts.new = len(new)
    if not isinstance(stale_scope, dict):
        stale_scope = dict(stale_scope.filter(status=FlagStatus.OPEN).values_list("pk", "fingerprint").distinct())
    stale = [pk for pk, fp in stale_scope.items() if fp not in (by_fp if found is None else found)]
    for flag in Flag.objects.filter(pk__in=stale[:CHUNK]) if len(stale) <= CHUNK else (
            Flag.objects.get(pk=pk) for pk in stale):
        flag.status, flag.resolution, flag.resolution_reason = FlagStatus.RESOLVED, Resolution.CLEARED, CLEARED_REASON
        flag.resolved_by, flag.resolved_at = None, now
        flag._change_reason = CLEARED_REASON
        flag.save()
        counts.cleared += 1
    return counts


# ---- the scan -------------------------------------------------------------------------------------------------


@dataclass
class ScanReport:
    year: int | None
    years: list[int] = field(default_factory=list)
    projects: int = 0
    found: dict[str, int] = field(default_factory=dict)
    counts: SyncCounts = field(default_factory=SyncCounts)
    not_run: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {
            "year": self.year,
            "years": self.years,
            "projects": self.projects,
            "found": {str(FlagKind(k).label): n for k, n in self.found.items()},
            "new": self.counts.new, "updated": self.counts.updated, "reopened": self.counts.reopened,
            "cleared": self.counts.cleared, "unchanged": self.counts.unchanged,
            "not_run": self.not_run,
            "seconds": round(self.seconds, 2),
        }

    def summary(self) -> str:
        found = pgettext("list separator", "，").join(
            gettext("%(kind)s%(n)s项") % {"kind": FlagKind(k).label, "n": n} for k, n in self.found.items() if n
        ) or gettext("未发现疑点")
        c = self.counts
        lines = [
            gettext("%(years)s年扫描%(projects)s个签约项目：%(found)s") % {
                "years": pgettext("list separator", "、").join(str(y) for y in self.years),
                "projects": self.projects, "found": found},
            gettext("新增%(new)s项，更新%(updated)s项，重新打开%(reopened)s项，已更正自动关闭%(cleared)s项，"
                    "未变%(unchanged)s项（用时%(seconds)s秒）") % {
                "new": c.new, "updated": c.updated, "reopened": c.reopened, "cleared": c.cleared,
                "unchanged": c.unchanged, "seconds": f"{self.seconds:.1f}"},
        ]
        return "\n".join(lines + [gettext(m) for m in self.not_run])


def _kinds_run(registry_loaded: bool, prefixes: Sequence[str]) -> list[str]:
    kinds = [FlagKind.SAME_INVESTOR, FlagKind.PACKAGED_YEAR_END, FlagKind.REFILED_EXISTING]
    if prefixes:
        kinds.append(FlagKind.REGISTERED_ELSEWHERE)
    if registry_loaded:
        kinds.extend(REGISTRY_KINDS)
    return kinds


def check_can_scan(user: User | None) -> None:
    """The city office (or the system: `user` None, after an import or a save). A scan covers the whole
    city and its report counts every district's flags, which a district office may not learn."""
    if user is not None and not user.is_assessor:
        raise PermissionDeniedError(gettext("只有市考核办可以执行疑点扫描"))


@transaction.atomic
def flags_scan(*, year: int, user: User | None = None) -> ScanReport:
    """Scan the projects signed in `year` (and, for same-investor pairs, those signed within a year either
    side of them) and store the flags. `user` None is the command line or an import."""
    return _scan([year], user)


@transaction.atomic
def flags_scan_years(*, years: Iterable[int], user: User | None = None) -> ScanReport | None:
    """Scan several years in one pass (the projects are loaded once): after an import, or everything."""
    years = sorted(set(years))
    return _scan(years, user) if years else None


def _scan(years: list[int], user: User | None) -> ScanReport:
    check_can_scan(user)
    started = time.perf_counter()
    report = ScanReport(year=years[0] if len(years) == 1 else None, years=years)
    first, last = years[0], years[-1]
    loaded = _load(Project.objects.filter(signed_on__range=(dt.date(first - 1, 1, 1), dt.date(last + 1, 12, 31))))
    wanted = set(years)
    in_years = {pid for pid, p in loaded.facts.items() if p.signed_on and p.signed_on.year in wanted}
    report.projects = len(in_years)
    pairs = detect.same_investor_pairs(loaded.facts.values(), only=in_years)
    targets = [loaded.facts[pid] for pid in sorted(in_years)]
    registry = _registry_for(targets)
    prefixes = list(settings.CITY_DIVISION_CODES)
    singles = _single_drafts(loaded, targets, registry, prefixes, today())
    if not prefixes:
        report.not_run.append(NO_DIVISIONS)
    if not registry.loaded:
        report.not_run.append(NO_REGISTRY)
    kinds = _kinds_run(registry.loaded, prefixes)
    report.found = {k: 0 for k in kinds}
    report.found[FlagKind.SAME_INVESTOR] = len(pairs)
    for d in singles:
        report.found[d.kind] += 1
    # The pairs' drafts (a reason and the evidence of both projects each) are made and stored a batch at a
    # time: a year of a 2,000,000-project ledger can hold hundreds of thousands of pairs.
    found = {_pair_fingerprint(pair) for pair in pairs} | {d.fingerprint for d in singles}
    for i in range(0, len(pairs), SYNC_BATCH):
        report.counts.add(_sync([_pair_draft(loaded, pair) for pair in pairs[i : i + SYNC_BATCH]], {}, user=user))
    report.counts.add(_sync(singles, _open_flags_of_years(kinds, years), user=user, found=found))
    _analyze_if_many(report.counts.new)
    report.seconds = time.perf_counter() - started
    return report


ANALYZE_AFTER = 10_000  # new flags after which the planner's statistics of the flag tables are refreshed


def _analyze_if_many(new: int) -> None:
    """After many new flags, refresh the flag tables' statistics (PostgreSQL; within the transaction, so the
    sample includes its own rows). The next assessment run reads every open flag with its projects; planned
    on a table seen as empty it looped over a million rows one by one (13.4 s against 5.0 s at province
    scale, `integrity.selectors.flags.flag_conflicts`). The history too: a flag's page reads its last changes
    by id, and planned on a history seen as empty that walked every history row by date (0.5 s a page)."""
    if new >= ANALYZE_AFTER:
        bulkcopy.analyze([Flag, FlagProject, Flag.history.model])


def _open_flags_of_years(kinds: list[str], years: list[int]) -> dict[int, str]:
    """The open flags (id → fingerprint) a scan of `years` answers for: raised for one of the years, or
    about a project signed in one of them (or no longer signed). Two plain queries: an OR across the join
    makes PostgreSQL's planner loop over every pair of rows."""
    open_flags = Flag.objects.filter(status=FlagStatus.OPEN, kind__in=kinds)
    out = dict(open_flags.filter(year__in=years).values_list("pk", "fingerprint"))
    wanted = set(years)
    rows = FlagProject.objects.filter(flag__status=FlagStatus.OPEN, flag__kind__in=kinds).filter(
        Q(project__signed_on__range=(dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)))
        | Q(project__signed_on__isnull=True)
    )
    for pk, fp, signed in rows.values_list("flag_id", "flag__fingerprint", "project__signed_on"):
        if signed is None or signed.year in wanted:
            out[pk] = fp
    return out


def project_recheck(*, project_id: int, user: User | None = None) -> SyncCounts:
    """Re-check one project after a save (see `flags_scan_projects`)."""
    return flags_scan_projects(project_ids=[project_id], user=user)


@transaction.atomic
def flags_scan_projects(*, project_ids: Iterable[int], user: User | None = None) -> SyncCounts:
    """Re-check the flags of some projects (one after a save, those an import wrote): their same-investor pairs
    against the projects that could pair with them, and their own checks. Every flag depends only on its own
    projects' facts, so the flags about these projects are all that can change. The work grows with the
    projects touched and their neighbours, not with the ledger: a year's scan at 2,000,000 projects loads the
    three years around it, a re-check of one project reads the investor of the ~35,000 signed within a year and
    20 % of its amount and loads the few whose investor matches. A system step after a save or an import,
    whoever made it: `user` is recorded in the flags' history."""
    ids = sorted({i for i in project_ids if i and i > 0})
    if not ids:
        return SyncCounts()
    rows = []
    for i in range(0, len(ids), CHUNK):
        rows += Project.objects.filter(pk__in=ids[i : i + CHUNK]).exclude(status=Status.TERMINATED).filter(
            signed_on__isnull=False).values_list("id", "signed_on", "signed_amount")
    checked = [r[0] for r in rows]
    pairable = [r for r in rows if r[2] and r[2] > 0]
    days = [r[1] for r in pairable]
    window = Project.objects.filter(signed_on__range=(min(days) - detect.DATE_WINDOW, max(days) + detect.DATE_WINDOW)
                                    ) if days else Project.objects.none()
    if window.count() <= FEW_NEIGHBOURS_PER_TARGET * len(pairable):
        # The days around them hold mostly the targets themselves (an import into a young ledger): matching
        # investors first would only repeat the pair test's work. Loaded as a scan loads a year (one range of
        # the signing-date index), plus the targets that cannot pair.
        loaded = _load(window)
        _merge(loaded, _load_ids(sorted(set(checked) - set(loaded.facts)), funds_of=checked))
    else:
        investors = _investors([r[0] for r in pairable])
        pairable = [(*r, *investors[r[0]]) for r in pairable]
        wanted = sorted(set(checked) | _possible_partners(pairable, _neighbourhood(pairable)))
        loaded = _load_ids(wanted, funds_of=wanted)
    targets = {pid for pid in checked if pid in loaded.facts}
    pairs = detect.same_investor_pairs(loaded.facts.values(), only=targets)
    drafts = [_pair_draft(loaded, pair) for pair in pairs]
    registry = _registry_for(loaded.facts[pid] for pid in sorted(targets))
    prefixes = list(settings.CITY_DIVISION_CODES)
    drafts += _single_drafts(loaded, [loaded.facts[pid] for pid in sorted(targets)], registry, prefixes, today())
    counts = _sync(drafts, _open_flags_of_projects(ids, _kinds_run(registry.loaded, prefixes), targets), user=user)
    _analyze_if_many(counts.new)
    return counts


FEW_TARGETS = 50  # up to this many, each target's name is compared with every neighbour's (rapidfuzz, in C)
FEW_NEIGHBOURS_PER_TARGET = 3  # up to this many projects a target in their days, all are loaded as they are


def _neighbourhood(targets: list[tuple]):
    """The live projects signed within 365 days of a target (id, signed on, amount, …) and within its amount band,
    as a queryset. The targets are grouped by signing year and, within a year, by runs of amounts whose bands
    (−20 % … +25 %) overlap, each group a box of dates and amounts: one box for one project, a few dozen for
    an import of many. A box may hold projects no target can pair with; each is checked after."""
    low, high = 1 - detect.AMOUNT_TOLERANCE, 1 / (1 - detect.AMOUNT_TOLERANCE)
    by_year: dict[int, list[tuple[Decimal, dt.date]]] = defaultdict(list)
    for _, signed_on, amount, *_ in targets:
        by_year[signed_on.year].append((amount, signed_on))
    boxes = Q(pk__in=[])
    for year_targets in by_year.values():
        year_targets.sort()
        box = None
        for amount, signed_on in [*year_targets, (None, None)]:
            if amount is not None and box is not None and amount * low <= box[1]:
                box = (box[0], max(box[1], amount * high), min(box[2], signed_on), max(box[3], signed_on))
                continue
            if box is not None:
                boxes |= Q(signed_on__range=(box[2] - detect.DATE_WINDOW, box[3] + detect.DATE_WINDOW),
                           signed_amount__gte=box[0], signed_amount__lte=box[1])
            box = None if amount is None else (amount * low, amount * high, signed_on, signed_on)
    # Unordered: the ledger's default order would sort the box, and makes a server-side cursor walk it by date.
    return Project.objects.filter(boxes).exclude(status=Status.TERMINATED).order_by()


def _possible_partners(targets: list[tuple], near) -> set[int]:
    """The projects of `near` that may pair with one of `targets` (id, signed on, amount, investor, USCC): signed
    within 365 days of it, its amount within 20 %, and its investor the same USCC or a name as similar as the
    pair test asks. A superset of the partners (the units are not compared here): `detect.same_investor_pairs`
    decides. Only the id, date, amount and investor of the neighbours are read."""
    norm_of = lru_cache(maxsize=None)(detect.normalise_name)  # repeat investors recur among the neighbours
    targets = [(pid, signed_on, amount, norm_of(investor), uscc) for pid, signed_on, amount, investor, uscc in targets]
    by_uscc: dict[str, list[tuple]] = defaultdict(list)
    for t in targets:
        if t[4]:
            by_uscc[t[4]].append(t)
    out: set[int] = set()
    rest = []
    for pid, signed_on, amount, investor, uscc in near.values_list(
            "id", "signed_on", "signed_amount", "investor", "investor_uscc").iterator(chunk_size=10_000):
        if uscc and any(_close(t, signed_on, amount) for t in by_uscc.get(uscc, ())):
            out.add(pid)
        else:
            rest.append((pid, signed_on, amount, norm_of(investor)))
    if len(targets) <= FEW_TARGETS:
        choices = [r[3] for r in rest]
        for t in targets:
            if len(t[3]) >= 2:
                out.update(rest[i][0] for _, _, i in process.extract(
                    t[3], choices, scorer=fuzz.ratio, score_cutoff=detect.SIMILARITY, limit=None)
                    if _close(t, rest[i][1], rest[i][2]))
        return out
    # Many targets: the scan's own blocking keys (a pair the scan finds shares one), then the same score.
    by_key: dict[str, list[tuple]] = defaultdict(list)
    for t in targets:
        for key in detect.name_keys(t[3]):
            by_key[key].append(t)
    for pid, signed_on, amount, norm in rest:
        if any(_close(t, signed_on, amount) and detect.similarity(norm, t[3]) >= detect.SIMILARITY
               for key in detect.name_keys(norm) for t in by_key.get(key, ())):
            out.add(pid)
    return out


def _investors(ids: list[int]) -> dict[int, tuple[str, str]]:
    out = {}
    for i in range(0, len(ids), CHUNK):
        out.update((pid, (name, uscc)) for pid, name, uscc in Project.objects.filter(pk__in=ids[i : i + CHUNK])
                   .values_list("id", "investor", "investor_uscc"))
    return out


def _close(target: tuple, signed_on: dt.date, amount: Decimal) -> bool:
    return detect.dates_close(target[1], signed_on) and detect.amounts_close(target[2], amount)


def _merge(loaded: _Loaded, more: _Loaded) -> None:
    loaded.facts.update(more.facts)
    loaded.lead.update(more.lead)


def _load_ids(ids: list[int], *, funds_of: list[int]) -> _Loaded:
    """`_load` of projects by id, in chunks (a few thousand ids as one IN list is a slow plan on SQLite and a
    long statement on PostgreSQL)."""
    wanted = set(funds_of)
    loaded = _Loaded({}, {}, dict(Unit.objects.values_list("id", "name")))
    for i in range(0, len(ids), CHUNK):
        part = ids[i : i + CHUNK]
        _merge(loaded, _load(Project.objects.filter(pk__in=part), funds_of=[f for f in part if f in wanted],
                             unit_names=loaded.unit_names))
    return loaded


def _open_flags_of_projects(ids: list[int], kinds: list[str], checked: set[int]) -> dict[int, str]:
    """The open flags (id → fingerprint) about `ids`: those of the kinds the check ran, and every open flag of a
    project that is no longer checked at all (终止, or its signing date removed)."""
    out: dict[int, str] = {}
    open_rows = FlagProject.objects.filter(flag__status=FlagStatus.OPEN)
    if len(ids) > CHUNK * 5:  # an import of many: every open flag's rows at once, rather than thousands of lists
        wanted = set(ids)
        parts = [open_rows]
    else:
        wanted = None
        parts = [open_rows.filter(project_id__in=ids[i : i + CHUNK]) for i in range(0, len(ids), CHUNK)]
    for part in parts:
        for pk, fp, kind, pid in part.values_list("flag_id", "flag__fingerprint", "flag__kind", "project_id"):
            if (wanted is None or pid in wanted) and (kind in kinds or pid not in checked):
                out[pk] = fp
    return out


# ---- resolution -----------------------------------------------------------------------------------------------


def can_resolve(user: User, flag: Flag) -> bool:
    """The city assessor; a district assessor only for flags whose projects all lie in its scope."""
    if not user.is_authenticated or user.is_read_only:
        return False
    if user.is_assessor:
        return True
    if not user.is_district_assessor:
        return False
    scope = visible_unit_ids(user) or set()
    units = _flag_units(flag)
    return bool(units) and units <= scope


def _flag_units(flag: Flag) -> set[int]:
    rows = list(flag.rows.values_list("project_id", "unit_id"))
    units = {u for _, u in rows if u}
    units |= set(ProjectShare.objects.filter(project_id__in=[p for p, _ in rows]).values_list("unit_id", flat=True))
    return units


@transaction.atomic
def flag_resolve(*, user: User, flag: Flag, resolution: str, reason: str = "", kept_project: Project | None = None,
                 shares: Sequence[tuple[Unit, Decimal]] = ()) -> Flag:
    """An assessor's decision on a flag: 确认重复 (the kept project counts, for its unit or split by agreed
    shares; the others do not), 排除 (not a problem: the projects count again), 不予认定 (none counts)."""
    flag = Flag.objects.select_for_update().get(pk=flag.pk)
    if not can_resolve(user, flag):
        raise PermissionDeniedError(gettext("只有市考核办（或疑点涉及项目均在本区范围内的区考核办）可以处理疑点"))
    if flag.status != FlagStatus.OPEN:
        raise ApplicationError(gettext("该疑点已处理，不能重复处理"),
                               field_errors={"resolution": [gettext("该疑点已处理")]})
    reason = clean_text(reason, field="reason", label=gettext("理由"), max_length=500, multiline=True)
    choices = {Resolution.CONFIRMED, Resolution.EXCLUDED, Resolution.REJECTED}
    if resolution not in choices:
        raise ApplicationError(gettext("请选择处理结果：确认重复、排除或不予认定"),
                               field_errors={"resolution": [gettext("无效的处理结果")]})
    project_ids = list(flag.rows.values_list("project_id", flat=True))
    if resolution == Resolution.CONFIRMED:
        if flag.kind != FlagKind.SAME_INVESTOR:
            raise ApplicationError(gettext("只有“同一投资方重复计入”的疑点可以确认重复，其他疑点请选择排除或不予认定"),
                                   field_errors={"resolution": [gettext("此类疑点不能确认重复")]})
        if kept_project is None or kept_project.pk not in project_ids:
            raise ApplicationError(gettext("确认重复时请选择保留计入的项目（单位）"),
                                   field_errors={"kept": [gettext("请选择保留计入的单位")]})
        flag.kept_project = kept_project
        flag.kept_unit_id = flag.rows.get(project_id=kept_project.pk).unit_id or kept_project.lead_unit_id
        if shares:
            shares = [(u, Decimal(r)) for u, r in shares if Decimal(r) > 0]
            # Only the units the flag is about may share the kept project: a resolution never credits a
            # unit (of another district, say) that had no part in the duplicate.
            stray = [u.name for u, _r in shares if u.pk not in _flag_units(flag)]
            if stray:
                message = gettext("分成单位只能是疑点涉及的单位：%(units)s 不是") % {"units": "、".join(stray)}
                raise ApplicationError(message, field_errors={"shares": [message]})
            # The agreed split is a project share of the kept project (the ledger checks that it sums to 1).
            project_set_shares(user=user, project=kept_project, shares=shares,
                               correction_reason=reason or "疑点处理：确认重复，按约定比例分成")
            flag.split = [{"unit_id": u.pk, "unit": u.name, "ratio": f"{Decimal(r).normalize():f}"} for u, r in shares]
    elif not reason:
        label = Resolution(resolution).label
        raise ApplicationError(gettext("选择“%(label)s”时须填写理由") % {"label": label},
                               field_errors={"reason": [gettext("请填写理由")]})
    flag.status, flag.resolution, flag.resolution_reason = FlagStatus.RESOLVED, resolution, reason
    flag.resolved_by, flag.resolved_at = user, timezone.now()
    flag._change_reason = f"处理：{Resolution(resolution).label}"
    flag._history_user = user
    flag.save()
    return flag
