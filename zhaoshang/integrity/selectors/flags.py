"""Reads of the flags: what the assessment and the spot-checks need, and the scoped lists of the pages."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable

from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhaoshang.ledger.selectors import held_by_units  # the ledger's own scope
from zhaoshang.orgs.scope import visible_unit_ids

from ..models.flags import Flag, FlagKind, FlagProject, FlagStatus, Resolution


def open_flag_counts(project_ids: Iterable[int]) -> dict[int, int]:
    """Number of unresolved flags per project (projects without one are left out)."""
    ids = list(project_ids)
    if not ids:
        return {}
    out: dict[int, int] = {}
    # Chunked: SQLite binds a limited number of parameters.
    for i in range(0, len(ids), 900):
        rows = (
            FlagProject.objects.filter(project_id__in=ids[i : i + 900], flag__status=FlagStatus.OPEN)
            .order_by()
            .values("project_id")
            .annotate(n=Count("flag_id", distinct=True))
        )
        out.update({r["project_id"]: r["n"] for r in rows})
    return out


def uncounted_project_ids(as_of: dt.date | None = None) -> set[int]:
    """Projects that count for nobody: involved in an unresolved same-investor flag (不得相互抵顶, until an
    assessor decides), the non-kept side of a resolved 确认重复, or any project of a 不予认定 resolution.

    Flags are the present state of review: a resolution made after the assessment date still applies to
    that period (the review of 2023 happens in 2024), so `as_of` does not filter them."""
    del as_of
    out: set[int] = set()
    rows = FlagProject.objects.filter(
        flag__kind=FlagKind.SAME_INVESTOR, flag__status=FlagStatus.OPEN
    ).order_by().values_list("project_id", flat=True)
    out.update(rows)
    out.update(
        FlagProject.objects.filter(flag__status=FlagStatus.RESOLVED, flag__resolution=Resolution.REJECTED)
        .order_by().values_list("project_id", flat=True)
    )
    for pid, kept in FlagProject.objects.filter(
        flag__status=FlagStatus.RESOLVED, flag__resolution=Resolution.CONFIRMED
    ).order_by().values_list("project_id", "flag__kept_project_id"):
        if pid != kept:
            out.add(pid)
    return out


_CONFLICT_COLUMNS = ("flag_id", "position", "project_id", "project__code", "project__name", "project__signed_on",
                     "unit__code", "unit__name", "flag__status", "flag__resolution", "flag__kept_project_id",
                     "flag__kept_unit__name", "flag__resolution_reason", "flag__kind", "by_uscc")


def flag_conflicts(end: dt.date | None = None) -> list[dict]:
    """The conflict entries of `flag_exclusions`."""
    return flag_exclusions(end)[0]


def flag_exclusions(end: dt.date | None = None) -> tuple[list[dict], set[int]]:
    """`flag_conflicts(end)` and `uncounted_project_ids()` from one read of the flags' rows (a run needs both).

    The projects that flags keep out of a run, as the run page's conflict entries (the shape of
    assessment's `conflicting_projects`): those of unresolved same-investor flags (they count for none of
    their units until an assessor decides), the non-kept side of a 确认重复 and those of a 不予认定.
    Only projects signed by `end` matter to a run ending then.

    Plain rows of the columns the messages need, not model instances: a province's year scan can leave half a
    million open flags (a million project rows), and building a flag, a project and a unit for each row took
    minutes before a run began. No prefetch either: thousands of flags would exceed SQLite's expression depth."""
    base = FlagProject.objects.order_by().annotate(
        by_uscc=ExpressionWrapper(Q(flag__reason__contains="统一社会信用代码相同"), output_field=BooleanField()))
    # Two queries rather than an OR across the join (PostgreSQL plans that OR as a loop over every row).
    open_ones = base.filter(flag__kind=FlagKind.SAME_INVESTOR, flag__status=FlagStatus.OPEN)
    decided = base.filter(flag__status=FlagStatus.RESOLVED,
                          flag__resolution__in=[Resolution.CONFIRMED, Resolution.REJECTED])
    rows = sorted([*open_ones.values_list(*_CONFLICT_COLUMNS), *decided.values_list(*_CONFLICT_COLUMNS)],
                  key=lambda r: (r[0], r[1]))
    out: list[dict] = []
    seen: set[int] = set()
    uncounted: set[int] = set()
    for _flag_id, group in itertools.groupby(rows, key=lambda r: r[0]):
        flag_rows = list(group)
        _, _, _, _, _, _, _, _, status, resolution, kept_project_id, kept_unit, why, kind, by_uscc = flag_rows[0]
        uncounted.update(r[2] for r in flag_rows if resolution != Resolution.CONFIRMED or r[2] != kept_project_id)
        units = None
        for _, _, pid, code, name, signed_on, *_rest in flag_rows:
            if pid in seen or signed_on is None or (end is not None and signed_on > end):
                continue
            if resolution == Resolution.CONFIRMED and pid == kept_project_id:
                continue
            seen.add(pid)
            others = "、".join(f"“{r[4]}”" for r in flag_rows if r[2] != pid)
            if units is None:
                units = [{"code": r[6], "name": r[7], "group": ""} for r in flag_rows if r[6] is not None]
            if status == FlagStatus.OPEN:
                basis = "统一社会信用代码相同" if by_uscc else "投资方名称相近"
                message = f"项目“{name}”与{others}疑似同一投资方重复计入（{basis}），在核实前均不计入"
            elif resolution == Resolution.CONFIRMED:
                kept = kept_unit or "保留项目"
                message = f"项目“{name}”与{others}经核实为同一投资（确认重复），由{kept}计入，本项目不计入"
            else:
                detail = f"：{why}" if why else ""
                message = f"项目“{name}”经核实不予认定（{FlagKind(kind).label}{detail}），不计入"
            out.append({"project": {"id": pid, "code": code, "name": name}, "units": units, "message": message})
    return out, uncounted


# ---- the pages and the API (scoped) ----------------------------------------------------------------------------


def _touching(unit_ids) -> Q:
    """Flags touching one of the units: the unit a project was counted for when the flag was raised, or
    a share unit of one of its projects. Two IN subqueries (an OR across joins plans badly)."""
    return Q(pk__in=FlagProject.objects.filter(unit_id__in=unit_ids).values("flag_id")) | Q(
        pk__in=FlagProject.objects.filter(project__shares__unit_id__in=unit_ids).values("flag_id")
    )


def flag_queryset(user):
    """The flags the user may see: all for the city (assessors, leaders), else those touching its units."""
    ids = visible_unit_ids(user)
    qs = Flag.objects.all()
    return qs if ids is None else qs.filter(_touching(ids))


PAGE_ORDER = ("status", "-year", "-created_at", "-id")  # open flags first, the newest year first (index flag_page)


def flag_list(user, *, kind: str = "", status: str = "", unit_id: int | None = None, year: int | None = None):
    qs = flag_queryset(user)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(year=year)
    ids = visible_unit_ids(user)
    if unit_id:
        if ids is not None and unit_id not in ids:
            return qs.none()  # filtering by another unit would tell which flags involve it
        qs = qs.filter(_touching([unit_id]))
    # Only the filter and the order: `flags_view` loads the rows of the page it is given. Joined and
    # counted here, PostgreSQL grouped every flag before the LIMIT (4 s at a province's half million).
    return qs.order_by(*PAGE_ORDER)


def flag_get(user, pk: int) -> Flag:
    """The flag, or Http404 when it does not exist or touches none of the user's units."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        flag_queryset(user).select_related("kept_unit", "kept_project", "resolved_by"), pk=pk
    )


def flag_rows(flag: Flag) -> list[FlagProject]:
    """Every project of the flag (for a resolver, who may see them all; pages use `flag_view`)."""
    return list(
        flag.rows.select_related("project", "project__lead_unit", "unit").prefetch_related("project__shares__unit")
    )


# ---- what a user outside the city office learns about a flag ----------------------------------------------------


def _redacted_reason(flag: Flag, shown: list[FlagProject]) -> str:
    sep = pgettext("list separator", "、")
    mine = sep.join(f"“{r.project.name}”（{r.project.code}）" for r in shown) or _("（本单位）")
    if flag.kind == FlagKind.SAME_INVESTOR:
        basis = _("投资方统一社会信用代码相同") if (flag.evidence or {}).get("basis") == "uscc" else _("投资方名称相近")
        return _("项目%(mine)s与其他单位的项目%(basis)s，疑似同一投资方重复计入（不得相互抵顶），在核实前均不计入") % {
            "mine": mine, "basis": basis}
    return _("项目%(mine)s：%(kind)s") % {"mine": mine, "kind": flag.get_kind_display()}


def _redact(user, flag: Flag, shown: list[FlagProject], total: int) -> None:
    """A flag about projects of other units names none of them to a scoped user: the reason is rewritten
    around the user's own projects, the scan's facts keep only their columns, and a kept project or an agreed
    split of another unit is not named. In memory only (never saved: resolving reloads the flag)."""
    ids = visible_unit_ids(user)
    if ids is None or len(shown) >= total:
        return
    positions = sorted(r.position for r in shown)
    evidence = dict(flag.evidence or {})
    evidence["facts"] = [
        {**f, "values": [v for i, v in enumerate(f.get("values", [])) if i in positions]}
        for f in evidence.get("facts", [])
    ]
    flag.evidence = evidence
    flag.reason = _redacted_reason(flag, shown)
    if flag.kept_project_id and flag.kept_project_id not in {r.project_id for r in shown}:
        flag.kept_project = None
        flag.kept_unit = flag.kept_unit if flag.kept_unit_id in ids else None
    flag.split = [s for s in (flag.split or []) if s.get("unit_id") in ids]


def flag_view(user, flag: Flag) -> list[FlagProject]:
    """The flag's projects this user may see (all of them for the city), the flag redacted to match."""
    rows = flag_rows(flag)
    ids = visible_unit_ids(user)
    if ids is None:
        return rows
    shown = [r for r in rows if r.project.lead_unit_id in ids or any(s.unit_id in ids for s in r.project.shares.all())]
    _redact(user, flag, shown, len(rows))
    return shown


def flags_view(user, page: QuerySet[Flag]) -> list[Flag]:
    """The flags of one page of `flag_list` (a slice of it), in its order, with their rows in the user's scope
    (`flag.rows.all()`), each redacted like `flag_view`. The page's ids are read first, from the flag table
    alone; only those flags are then joined to their units and projects and their rows counted."""
    page_ids = list(page.values_list("id", flat=True))
    ids = visible_unit_ids(user)
    rows = FlagProject.objects.select_related("project", "unit")
    if ids is not None:
        rows = rows.filter(project_id__in=held_by_units(ids))
    by_id = (
        Flag.objects.select_related("kept_unit", "kept_project", "resolved_by")
        .prefetch_related(Prefetch("rows", queryset=rows))
        .annotate(n_rows=Count("rows", distinct=True))
        .in_bulk(page_ids)
    )
    flags = [by_id[pk] for pk in page_ids if pk in by_id]
    for flag in flags:
        _redact(user, flag, list(flag.rows.all()), flag.n_rows)
    return flags


def flag_status_counts(user) -> dict[str, int]:
    rows = flag_queryset(user).values("status").annotate(n=Count("id"))
    return {r["status"]: r["n"] for r in rows}


def flag_years(user) -> list[int]:
    # order_by(): the model's ordering would make DISTINCT run over (year, created_at, id), one row per flag.
    years = flag_queryset(user).order_by().values_list("year", flat=True).distinct()
    return sorted((y for y in years if y), reverse=True)
