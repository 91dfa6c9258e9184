"""Run a scheme for a period and as-of date: pick the subjects, measure every named value by SQL
(GROUP BY queries, shared by measures over the same rows), read targets, manual scores and vetoes, then
score. `to_json` gives the documented output; `store` keeps a run with its frozen inputs."""

from __future__ import annotations

import datetime as dt
import decimal
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone, translation

from zhaoshang.core.db import analytic_memory
from zhaoshang.core.errors import ApplicationError
from zhaoshang.core.gcpause import gc_paused
from zhaoshang.core.periods import Period, parse_period
from zhaoshang.integrity.selectors.flags import flag_exclusions, uncounted_project_ids
from zhaoshang.orgs.choices import UnitKind
from zhaoshang.orgs.selectors import grouping_exists, people_grouped, units_grouped
from zhaoshang.targets.models import Target

from ..models import AssessmentRun, ManualScore
from ..models import Scheme as SchemeRow
from . import measures
from .compose import SubjectResult, score
from .facts import facts_json, filed_and_verified, riders
from .measures import Window
from .rules import SubjectInput, interim_scheme
from .scheme import COUNT_BASES, Scheme, SchemeError, load_preset, parse_scheme, preset_keys

ZERO = Decimal(0)


@dataclass
class RunResult:
    scheme: Scheme
    period: Period
    period_text: str
    as_of: dt.date
    group: str
    inputs: list[SubjectInput]
    results: list[SubjectResult]
    conflicts: list[dict] = field(default_factory=list)
    run: AssessmentRun | None = None
    # 申报与认定 per subject id (see `facts.filed_and_verified`), stored with the results.
    facts: dict[int, dict] = field(default_factory=dict)

    @property
    def window(self) -> Window:
        return ytd_window(self.period, self.as_of, self.scheme.basis)

    @property
    def progress(self) -> Decimal | None:
        return interim_progress(self.period.start, self.period.end)


def interim_progress(start: dt.date, end: dt.date) -> Decimal | None:
    """序时进度 of a quarter or month run: months elapsed at the period end ÷ 12 (Q1 0.25, Q2 0.5,
    month m: m ÷ 12); None for an annual run (1 January to 31 December)."""
    if start == dt.date(end.year, 1, 1) and end == dt.date(end.year, 12, 31):
        return None
    return Decimal(end.month) / Decimal(12)


def ytd_window(period: Period, as_of: dt.date, basis: str) -> Window:
    """A run measures year-to-date: from 1 January of the period's year to the period end (as-of caps it)."""
    return Window(dt.date(period.end.year, 1, 1), period.end, as_of, basis)


def resolve_scheme(ref: str) -> Scheme:
    """A preset key, a stored scheme key (its latest version) or a path to a TOML file."""
    if ref in preset_keys():
        return load_preset(ref)
    row = SchemeRow.objects.filter(key=ref).order_by("-version").first()
    if row is not None:
        return parse_scheme(row.text)
    from pathlib import Path

    path = Path(ref)
    if path.suffix == ".toml" and path.is_file():
        return parse_scheme(path.read_text(encoding="utf-8"))
    raise SchemeError(
        f"找不到方案“{ref}”：既不是预置方案（{'、'.join(preset_keys())}）、已保存的方案，也不是 .toml 文件"
    )


def window_for(period_text: str, as_of: dt.date | None) -> tuple[Period, dt.date]:
    try:
        period = parse_period(period_text)
    except ValueError as exc:
        raise ApplicationError(str(exc), field_errors={"period": [str(exc)]}) from exc
    as_of = as_of or period.end
    if as_of < period.start:
        raise ApplicationError("截止日期不能早于考核期间开始", field_errors={"as_of": ["截止日期不能早于考核期间开始"]})
    return period, as_of


def _subjects(scheme: Scheme, group: str) -> list[SubjectInput]:
    """The scheme's subjects, each with its group read under the scheme's grouping (分组口径; a unit
    with no group there keeps its own 考核组别). `groups` filters on that group, and ranking, honours and
    group parameters use it. A person is filtered by their unit's group but grouped by the unit itself.
    One query."""
    if scheme.subject == "person":
        qs = people_grouped(scheme.grouping).filter(is_active=True, unit__kind__in=scheme.unit_kinds)
        if scheme.groups:
            qs = qs.filter(resolved_group__in=scheme.groups)
        out = [
            # people are ranked and tabled by their own unit (专班): Bozhou rates each task force's cadres.
            # Rows, not model instances: a province has tens of thousands of cadres (1.7 s of 23,484 people).
            SubjectInput(pid, "person", staff_no, name, unit_name)
            for pid, staff_no, name, unit_name in qs.order_by("unit__code", "staff_no").values_list(
                "id", "staff_no", "name", "unit__name"
            )
        ]
    else:
        qs = units_grouped(scheme.grouping).filter(is_active=True)
        if scheme.groups:
            qs = qs.filter(resolved_group__in=scheme.groups)
        if scheme.unit_kinds:
            qs = qs.filter(kind__in=scheme.unit_kinds)
        out = [
            SubjectInput(uid, "unit", code, name, group or "")
            for uid, code, name, group in qs.order_by("code").values_list("id", "code", "name", "resolved_group")
        ]
    if group:
        out = [s for s in out if s.group == group]
    return out


def no_subjects_message(scheme: Scheme, group: str = "") -> str:
    """Why a run found nobody to assess, as the office reads it: which groups (under which grouping),
    unit kinds or group it asked for."""
    wanted = []
    if group:
        wanted.append(f"组别 {group}")
    elif scheme.groups:
        wanted.append(f"组别 {'、'.join(scheme.groups)}")
    if scheme.unit_kinds:
        wanted.append(f"单位类型 {'、'.join(str(UnitKind(k).label) for k in scheme.unit_kinds)}")
    text = f"方案要求的{' 且'.join(wanted)} 在本市没有{'人员' if scheme.subject == 'person' else '单位'}"
    if scheme.grouping:
        if grouping_exists(scheme.grouping):
            text += f"（按分组口径“{scheme.grouping}”，未列入该口径的单位按单位表的考核组别）"
        else:
            text += (f"（方案指定的分组口径“{scheme.grouping}”在本系统中不存在，各单位均按单位表的考核组别；"
                     "请在数据交换工作簿的“分组”表中导入该口径）")
    return text + "，没有可考核的对象"


def measure_inputs(
    scheme: Scheme, period: Period, as_of: dt.date, *, group: str = "", period_text: str = "",
    riders: dict[str, measures.Rider] | None = None,
):
    """The subjects with every named value, target, manual score and veto; the conflicts; and the ids of
    every project the run leaves out (the conflicts' and those a resolved flag gives to nobody).
    `riders` (`facts.riders`) are read by the measures' passes over the same rows."""
    w = ytd_window(period, as_of, scheme.basis)
    subjects = _subjects(scheme, group)
    if not subjects:  # an empty run would look like a result; say why there is none instead
        message = no_subjects_message(scheme, group)
        raise ApplicationError(message, field_errors={"group" if group else "scheme": [message]})
    # pro_rata items measure with their count thresholds scaled by 序时进度 (e.g. 4 visits a year → 2 by June)
    scaled_values = interim_scheme(scheme, interim_progress(period.start, period.end)).values
    conflicts = (
        measures.conflicting_projects(scheme.conflict_groups, w, scheme.grouping) if scheme.conflict_groups else []
    )
    # Integrity flags, in every scheme: an unresolved same-investor flag counts for none of its units, and
    # a resolved 确认重复 / 不予认定 leaves out the projects that do not keep the credit.
    held = {c["project"]["id"] for c in conflicts}
    flagged, uncounted = flag_exclusions(w.end)  # `uncounted_project_ids`, read along with the conflicts
    conflicts += [c for c in flagged if c["project"]["id"] not in held]
    excluded = frozenset(c["project"]["id"] for c in conflicts) | uncounted
    # One request per value and distinct parameter set (a group parameter such as "$quota" splits the
    # subjects); all are measured in one call, so that measures over the same rows share a query.
    requests: list[tuple[str, dict]] = []
    members: list[tuple[str, list[SubjectInput]]] = []
    groups = list(dict.fromkeys(s.group for s in subjects))  # parameters depend on the group alone
    for vname, spec in scaled_values.items():
        by_params: dict[tuple, list[SubjectInput]] = {}
        resolved_of: dict[tuple, dict] = {}
        key_of: dict[str, tuple] = {}
        for g in groups:
            resolved = spec.resolve(scheme.group_params.get(g, {}))
            key_of[g] = k = tuple(sorted((a, str(b)) for a, b in resolved.items()))
            resolved_of.setdefault(k, resolved)
        for s in subjects:
            by_params.setdefault(key_of[s.group], []).append(s)
        for k, group_subjects in by_params.items():
            requests.append((spec.measure, resolved_of[k]))
            members.append((vname, group_subjects))
    persons = frozenset(s.id for s in subjects) if scheme.subject == "person" else None
    for (vname, group_subjects), values in zip(
        members, measures.compute_many(requests, w, scheme.subject, excluded, riders, persons), strict=True
    ):
        for s in group_subjects:
            s.values[vname] = values.get(s.id, ZERO)
    if scheme.targets and scheme.subject == "unit":
        ids = [s.id for s in subjects]
        targets: dict[int, dict[str, Decimal]] = {}
        for uid, ind, value in Target.objects.filter(
            year=period.end.year, indicator__in=scheme.targets, unit_id__in=ids
        ).values_list("unit_id", "indicator", "value"):
            targets.setdefault(uid, {})[ind] = value
        for s in subjects:
            s.targets = targets.get(s.id, {})
    manual_keys = [i.key for i in scheme.items if i.rule == "manual"]
    if manual_keys:
        key = "person_id" if scheme.subject == "person" else "unit_id"
        by_id = {s.id: s for s in subjects}
        for row in ManualScore.objects.filter(
            scheme_key=scheme.key, period=period_text or period.label, item_key__in=manual_keys
        ).values(key, "item_key", "points", "reason"):
            if row[key] in by_id:
                by_id[row[key]].manual[row["item_key"]] = (row["points"], row["reason"])
    if scheme.veto:
        vetoed = measures.compute("veto", {}, w, scheme.subject)
        for s in subjects:
            s.veto = vetoed.get(s.id, ZERO) > 0
    return subjects, conflicts, excluded


def run_scheme(
    scheme: Scheme, period_text: str, as_of: dt.date | None = None, *, group: str = "", overrides: dict | None = None
) -> RunResult:
    period, as_of = window_for(period_text, as_of)
    if group and scheme.groups and group not in scheme.groups:
        raise ApplicationError(
            f"组别“{group}”不在方案的考核组别（{'、'.join(scheme.groups)}）中",
            field_errors={"group": ["不在方案的考核组别中"]},
        )
    w = ytd_window(period, as_of, scheme.basis)
    # 申报与认定 ride on the measures' passes where they read the same rows (`facts.riders`).
    ridden = riders(w, scheme.subject)
    with gc_paused():  # tens of thousands of subjects' values, items and sentences: see core.gcpause
        with analytic_memory():  # GROUP BYs and DISTINCTs spilled to disk at PostgreSQL's default work_mem
            inputs, conflicts, excluded = measure_inputs(
                scheme, period, as_of, group=group, period_text=period_text, riders=ridden
            )
            subject_ids = {s.id for s in inputs}
            # Scoring is Python's work alone, and 申报与认定 mostly the database's: a thread scores while the
            # facts' queries run on the server (psycopg lets go of the interpreter lock while it waits).
            # 23,484 people at 2,000,000 projects: scoring 3.7 s beside a funds query of 3.1 s.
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="score") as pool:
                scored = _beside(pool, score, scheme, inputs, overrides, interim_progress(period.start, period.end))
                # 申报与认定 leave out what the measures left out, so that 认定 is the run's own figure.
                facts = filed_and_verified(w, scheme.subject, subject_ids, excluded, ridden)
                results = scored.result()
    rr = RunResult(scheme, period, period_text, as_of, group, inputs, results, conflicts)
    rr.facts = facts
    return rr


def _beside(pool: ThreadPoolExecutor, work, *args) -> Future:
    """`work(*args)` on the pool's thread, with the caller's language and decimal context (both are the
    thread's own in Django and in Python). The work must not query the database: the thread's connection
    would be another, outside the caller's transaction."""
    language, context = translation.get_language(), decimal.getcontext().copy()

    def call():
        with translation.override(language), decimal.localcontext(context):
            return work(*args)

    return pool.submit(call)


# ---------------------------------------------------------------------------------------------
# Output


def _s(v: Decimal | None) -> str | None:
    return None if v is None else str(v)


def result_json(r: SubjectResult, facts: dict | None = None) -> dict:
    """One subject's result; `facts` its 申报与认定 values (`facts.filed_and_verified`), left out of a
    what-if rescore, which reads no ledger."""
    s = r.subject
    return {
        "subject": {"type": s.type, "id": s.id, "code": s.code, "name": s.name},
        "group": r.group,
        "total": str(r.total),
        "grade": r.grade,
        "rank": r.rank,
        "rank_all": r.rank_all,
        "honours": r.honours,
        "honours_pending": r.honours_pending,
        "honours_note": r.honours_note,
        "flags": r.flags,
        "vetoed": r.vetoed,
        "missing_targets": r.missing_targets,
        "total_explain": r.total_explain,
        "items": [
            {
                "key": i.key,
                "name": i.name,
                "value": _s(i.value),
                "target": _s(i.target),
                "points": str(i.points),
                "max": _s(i.max),
                "explain": i.explain,
                "value_name": i.value_name,
                "applies": i.applies,
            }
            for i in r.items
        ],
        **({"facts": facts_json(facts)} if facts is not None else {}),
    }


def to_json(rr: RunResult) -> dict:
    return {
        "scheme": {
            "key": rr.scheme.key,
            "name": rr.scheme.name,
            "version": rr.scheme.version,
            "sha256": rr.scheme.sha256,
            "basis": rr.scheme.basis,
        },
        "period": {"label": rr.period.label, "start": rr.period.start.isoformat(), "end": rr.period.end.isoformat()},
        "as_of": rr.as_of.isoformat(),
        "run": {"id": rr.run.id if rr.run else None, "published": bool(rr.run and rr.run.published)},
        "basis": {"key": rr.scheme.basis, "label": COUNT_BASES[rr.scheme.basis]},
        "results": [result_json(r, rr.facts.get(r.subject.id, {})) for r in rr.results],
        "conflicts": rr.conflicts,
    }


def inputs_json(inputs: list[SubjectInput]) -> list[dict]:
    return [
        {
            "id": s.id,
            "type": s.type,
            "code": s.code,
            "name": s.name,
            "group": s.group,
            "values": {k: str(v) for k, v in s.values.items()},
            "targets": {k: str(v) for k, v in s.targets.items()},
            "manual": {k: [str(p), why] for k, (p, why) in s.manual.items()},
            "veto": s.veto,
        }
        for s in inputs
    ]


def inputs_from_json(data: list[dict]) -> list[SubjectInput]:
    return [
        SubjectInput(
            d["id"],
            d["type"],
            d["code"],
            d["name"],
            d["group"],
            {k: Decimal(v) for k, v in d["values"].items()},
            {k: Decimal(v) for k, v in d["targets"].items()},
            {k: (Decimal(p), why) for k, (p, why) in d["manual"].items()},
            d["veto"],
        )
        for d in data
    ]


# ---------------------------------------------------------------------------------------------
# Stored runs


def store(rr: RunResult, *, user=None, scheme_row: SchemeRow | None = None, publish: bool = False) -> AssessmentRun:
    with transaction.atomic():
        run = AssessmentRun.objects.create(
            scheme=scheme_row,
            scheme_key=rr.scheme.key,
            scheme_name=rr.scheme.name,
            scheme_text=rr.scheme.text,
            scheme_sha256=rr.scheme.sha256,
            period=rr.period_text,
            period_label=rr.period.label,
            period_start=rr.period.start,
            period_end=rr.period.end,
            as_of=rr.as_of,
            group=rr.group,
            created_by=user if user is not None and user.is_authenticated else None,
        )
        rr.run = run
        run.results = {**to_json(rr), "inputs": inputs_json(rr.inputs)}
        if publish:
            run.published, run.published_at = True, timezone.now()
            run.results["run"]["published"] = True
        run.save(update_fields=["results", "published", "published_at"])
    return run


def run_publish(run: AssessmentRun) -> AssessmentRun:
    if run.published:
        raise ApplicationError("该考核结果已发布，不能再次发布或修改")
    run.published, run.published_at = True, timezone.now()
    run.results["run"]["published"] = True
    run.save(update_fields=["published", "published_at", "results"])
    return run


def run_delete(run: AssessmentRun) -> None:
    if run.published:
        raise ApplicationError("已发布的考核结果不能删除")
    run.delete()


def rescore(run: AssessmentRun, overrides: dict | None = None) -> tuple[Scheme, list[SubjectResult]]:
    """Score a stored run's frozen inputs again, with what-if overrides: no SQL over the ledger, no writes."""
    scheme = parse_scheme(run.scheme_text)
    inputs = inputs_from_json(run.results.get("inputs", []))
    return scheme, score(scheme, inputs, overrides, interim_progress(run.period_start, run.period_end))


def rows_behind(run: AssessmentRun, subject_id: int) -> dict[str, dict[str, list[int]]]:
    """For one subject of a run: the ids of the rows behind each named value, found with the same
    filters and the run's own window. (Rows edited after the run may differ; the run's numbers do not.)"""
    scheme = parse_scheme(run.scheme_text)
    w = Window(dt.date(run.period_end.year, 1, 1), run.period_end, run.as_of, scheme.basis)
    scheme = interim_scheme(scheme, interim_progress(run.period_start, run.period_end))
    # the projects the run left out: its conflicts, and those a resolved flag gives to nobody (or to another unit)
    excluded = frozenset(c["project"]["id"] for c in run.results.get("conflicts", [])) | uncounted_project_ids(
        run.as_of)
    inputs = {d["id"]: d for d in run.results.get("inputs", [])}
    group = inputs.get(subject_id, {}).get("group", "")
    out = {}
    for vname, spec in scheme.values.items():
        params = spec.resolve(scheme.group_params.get(group, {}))
        out[vname] = measures.rows(spec.measure, params, w, scheme.subject, subject_id, excluded)
    return out
