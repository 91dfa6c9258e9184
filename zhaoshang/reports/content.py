"""What a bulletin says, built from a run and the ledger as plain data (JSON-serialisable), so that
the content of a published run's bulletin can be frozen (`BulletinSnapshot`) and the .docx, the
.xlsx and the web page are all written from the same numbers.

Numbers in the ranking tables are the run's own results, copied as the engine wrote them."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from types import SimpleNamespace

from django.conf import settings
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import translation

from zhaoshang.activities.models import Submission
from zhaoshang.assessment.engine import measures
from zhaoshang.assessment.engine.compose import TIE_UNDECIDED
from zhaoshang.assessment.engine.explain import fmt
from zhaoshang.assessment.engine.scheme import parse_scheme
from zhaoshang.assessment.models import AssessmentRun
from zhaoshang.core.db import MoneySum, analytic_memory, money
from zhaoshang.core.money import YI, quantize
from zhaoshang.core.periods import year_progress
from zhaoshang.ledger import summary
from zhaoshang.ledger.choices import Stage, Status, Verification
from zhaoshang.ledger.models import FundArrival, Project
from zhaoshang.orgs.choices import UnitKind
from zhaoshang.periods.models import Correction

from . import cockpit
from .models import BulletinSnapshot, DocumentNumber
from .numbers import doc_number, issue_date, issuer

ZERO = Decimal(0)
CN_NUM = "一二三四五六七八九十"
KEY_PROJECTS = 30  # the 附件 lists the largest projects signed in the period


DEFAULT_MAIN_TO = "各县（市、区）、开发区，市直有关单位"


def scope(scheme, run: AssessmentRun | None = None) -> str:
    """What the bulletin is about, as its title names it: the scheme's [bulletin] scope; else the run's one group,
    the scheme's one group (博乐: 驻点招商局) or one unit kind (亳州: 产业专班招商人员); else the whole city
    (全市, or 全区 / 全县 for a district or county)."""
    if scheme.bulletin.scope:
        return scheme.bulletin.scope
    if run is not None and run.group:
        return run.group
    if len(scheme.groups) == 1:
        return scheme.groups[0]
    if not scheme.groups and len(scheme.unit_kinds) == 1:
        kind = dict(UnitKind.choices).get(scheme.unit_kinds[0], scheme.unit_kinds[0])
        return f"{kind}招商人员" if scheme.subject == "person" else str(kind)
    city = getattr(settings, "ZHAOSHANG_CITY_NAME", "")
    return f"全{city[-1]}" if city and city[-1] in "区县" else "全市"


def recipients(scheme, where: str) -> dict:
    """主送 and 抄送 as the scheme's [bulletin] says; without one, the units of the scope (各驻点招商局) or the
    city's units."""
    main_to = scheme.bulletin.main_to or (DEFAULT_MAIN_TO if where.startswith("全") else f"各{where}")
    return {"main_to": main_to, "copy_to": list(scheme.bulletin.copy_to)}


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _d(v: Decimal) -> str:
    return f"{v.normalize():f}" if v != 0 else "0"


def yi(v: Decimal) -> str:
    return f"{quantize(v / YI, 2)}亿元"


def _pct(v: Decimal) -> str:
    return f"{quantize(v, 2)}%"


def _last_year(d: dt.date) -> dt.date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 1, day=28)


def _change(now: Decimal, before: Decimal) -> str:
    if not before:
        return "上年同期无数据" if not now else "上年同期为零"
    ch = (now - before) / before * 100
    return f"同比{'增长' if ch >= 0 else '下降'}{_pct(abs(ch))}"


# ---------------------------------------------------------------------------------------------
# 一、总体情况


def _ledger_overview(start: dt.date, end: dt.date, as_of: dt.date | None = None) -> dict:
    """The city's ledger as filed; with `as_of`, also the signed amount and funds 已认定 by then."""
    live = Project.objects.exclude(status=Status.TERMINATED)
    if summary.maintained(summary.reading_alias()):
        return _kept_overview(live, start, end, as_of)
    verified = Q(signed_verified_on__lte=as_of) if as_of else Q(pk__isnull=True)
    signed = live.filter(signed_on__gte=start, signed_on__lte=end).order_by().aggregate(
        n=Count("id"), s=MoneySum("signed_amount"), v=MoneySum("signed_amount", filter=verified))
    funds_verified = (Q(verification=Verification.VERIFIED, verified_on__lte=as_of) if as_of
                      else Q(pk__isnull=True))
    funds = FundArrival.objects.filter(date__gte=start, date__lte=end).exclude(
        project__status=Status.TERMINATED).order_by().aggregate(s=MoneySum("amount"),
                                                                v=MoneySum("amount", filter=funds_verified))
    started = live.filter(started_on__gte=start, started_on__lte=end).count()
    return {"signed_n": signed["n"], "signed": money(signed["s"]), "funds": money(funds["s"]), "started": started,
            "signed_verified": money(signed["v"]), "funds_verified": money(funds["v"])}


def _kept_overview(live, start: dt.date, end: dt.date, as_of: dt.date | None) -> dict:
    """`_ledger_overview` with the filed figures read from those the database keeps (PostgreSQL, `ledger.summary`:
    live projects signed and started, and their funds, by day): at 2,000,000 projects the aggregates took
    0.4–1.5 s each, this year's and last year's. Only the 已认定 parts are still summed from the ledger."""
    signed, signed_n = summary.total("i", start, end)  # by industry and day: every live signed project once
    funds, _ = summary.total("f", start, end)
    started = summary.total("s", start, end)[1]
    signed_verified = funds_verified = None
    if as_of:
        signed_verified = live.filter(signed_on__gte=start, signed_on__lte=end, signed_verified_on__lte=as_of) \
            .order_by().aggregate(v=MoneySum("signed_amount"))["v"]
        # The few 终止 projects' ids as a hashed NOT IN: a join read every live project to keep the
        # quarter's funds (2.2 s at 2M against 0.6 s)
        terminated = Project.objects.filter(status=Status.TERMINATED).order_by().values("id")
        funds_verified = FundArrival.objects.filter(
            date__gte=start, date__lte=end, verification=Verification.VERIFIED, verified_on__lte=as_of).exclude(
            project_id__in=terminated).order_by().aggregate(v=MoneySum("amount"))["v"]
    return {"signed_n": signed_n, "signed": signed, "funds": funds, "started": started,
            "signed_verified": money(signed_verified), "funds_verified": money(funds_verified)}


def overview(run: AssessmentRun, scheme, results: list[dict]) -> list[str]:
    start, end = run.period_start, min(run.period_end, run.as_of)
    verified = scheme.basis == "verified"
    now = _ledger_overview(start, end, run.as_of if verified else None)
    before = _ledger_overview(_last_year(start), _last_year(end))
    schedule = Decimal(str(year_progress(end))) * 100
    signed_verified = f"（已认定{yi(now['signed_verified'])}）" if verified else ""
    funds_verified = f"（已认定{yi(now['funds_verified'])}）" if verified else ""
    lines = [
        f"{run.period_label}，全市新签约项目{now['signed_n']}个，签约金额{yi(now['signed'])}{signed_verified}，"
        f"{_change(now['signed'], before['signed'])}；"
        f"到位资金{yi(now['funds'])}{funds_verified}，{_change(now['funds'], before['funds'])}；"
        f"新开工项目{now['started']}个（上年同期{before['started']}个）。时序进度为{_pct(schedule)}。"
    ]
    # Last year's figures on the scheme's own basis, so that the comparison is like with like.
    w_last = measures.Window(_last_year(run.period_start), _last_year(run.period_end), _last_year(run.as_of),
                             scheme.basis)
    ids = {r["subject"]["id"] for r in results}
    for item in scheme.items:
        if not (item.target and item.value):
            continue
        spec = scheme.values[item.value]
        display = spec.display()
        value = sum((Decimal(i["value"]) for r in results for i in r["items"] if i["key"] == item.key and i["value"]),
                    ZERO)
        target = sum((Decimal(i["target"]) for r in results for i in r["items"]
                      if i["key"] == item.key and i["target"]), ZERO)
        params = spec.resolve({})
        try:
            last = measures.compute(spec.measure, params, w_last, scheme.subject)
            last_total = sum((v for k, v in last.items() if k in ids), ZERO)
        except (KeyError, TypeError):  # a "$group" parameter: no single last-year figure
            last_total = None
        text = f"{item.label or item.name}完成{fmt(value, display)}"
        if target:
            rate = value / target * 100
            gap = rate - schedule
            text += (f"，占年度目标{fmt(target, display)}的{_pct(rate)}，"
                     f"{'超' if gap >= 0 else '落后'}时序进度{_pct(abs(gap))}个百分点".replace("%个", "个"))
        if last_total:
            text += f"，{_change(value, last_total)}（上年同期{fmt(last_total, display)}）"
        elif last_total is not None:
            text += "，上年同期为零"
        lines.append(text + "。")
    return lines


# ---------------------------------------------------------------------------------------------
# 二、各地完成情况: ranking tables by group


def _columns(scheme, results: list[dict]) -> tuple[list[dict], list[dict]]:
    items = results[0]["items"] if results else []
    target_items = [i for i in items if scheme.item(i["key"]).target]
    others = [i for i in items if not scheme.item(i["key"]).target]
    return target_items, others


def _n(v: Decimal) -> str:
    """A number as short as it is exact to 2 places: 100000, 42000.5."""
    text = f"{quantize(v, 2):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def wan(v: Decimal) -> str:
    """An amount in 万元 as a table shows it: thousands separators and two decimals (42,000.50)."""
    return f"{quantize(v, 2):,f}"


def _amount(v: Decimal, display: str) -> str:
    return wan(v) if display in ("money", "usd") else _n(v)


def ranking_tables(scheme, results: list[dict]) -> list[dict]:
    """Per group: a two-row header (an indicator with a target spans 目标/完成/完成率/得分), one column with the
    points of every other item, 总分, 排名 and 等次 (when the run gives grades); one row per unit. Amounts in
    万元 with thousands separators."""
    target_items, others = _columns(scheme, results)
    graded = any(r.get("grade") for r in results)
    head1 = [{"text": "单位", "rowspan": 2}]
    head2: list[str] = []
    displays = {}
    for i in target_items:
        it = scheme.item(i["key"])
        display = scheme.values[it.value].display() if it.value else "points"
        displays[i["key"]] = display
        unit = {"money": "万元", "usd": "万美元", "count": "个"}.get(display, "")
        head1.append({"text": f"{i['name']}" + (f"（{unit}）" if unit else ""), "colspan": 4})
        head2 += ["目标", "完成", "完成率", "得分"]
    head1 += [{"text": f"{i['name']}得分", "rowspan": 2} for i in others]
    head1 += [{"text": "总分", "rowspan": 2}, {"text": "排名", "rowspan": 2}]
    if graded:
        head1.append({"text": "等次", "rowspan": 2})
    tables: dict[str, dict] = {}
    for r in results:
        t = tables.setdefault(r["group"], {"group": r["group"] or "全部", "head1": head1, "head2": head2, "rows": [],
                                           "notes": []})
        t["notes"] += total_notes([r])
        by_key = {i["key"]: i for i in r["items"]}
        row = [r["subject"]["name"]]
        for i in target_items:
            item = by_key[i["key"]]
            display = displays[i["key"]]
            target = Decimal(item["target"]) if item["target"] else None
            value = Decimal(item["value"]) if item["value"] else ZERO
            row += [
                _amount(target, display) if target is not None else "—",
                _amount(value, display) if item["value"] is not None else "—",
                _pct(value / target * 100) if target else "—",
                item["points"],
            ]
        row += [by_key[i["key"]]["points"] for i in others]
        row += [r["total"], str(r["rank"])]
        if graded:
            row.append(r.get("grade") or "—")
        t["rows"].append(row)
    return list(tables.values())


def rescaled(r: dict) -> bool:
    """The subject's total was rescaled because items without a target did not apply (按其他指标得分率折算)."""
    return bool(r.get("missing_targets")) and "折算" in r.get("total_explain", "")


def total_notes(results: list[dict]) -> list[str]:
    """注 under a score table: each subject whose total was rescaled (`rescaled`), with the engine's own
    reckoning (`total_explain`)."""
    return [f"注：{r['subject']['name']}{r['total_explain']}。" for r in results if rescaled(r)]


def honours_summary(results: list[dict]) -> dict | None:
    """The honours as the run named them, and the subjects tied at the boundary whom the run left to the
    office (并列，需考核办确定), one sentence per tie with its units. None when the run names none (a quarter's or a
    month's run, a scheme without honours)."""
    named = [r for r in results if r.get("honours")]
    pending = [r for r in results if r.get("honours_pending")]
    if not named and not pending:
        return None
    name = named[0]["honours"][0] if named else pending[0]["honours_pending"][0]
    ties: dict[str, list[str]] = {}
    for r in sorted(pending, key=lambda r: (r["rank_all"], r["subject"]["code"])):
        note = r.get("honours_note") or f"总分并列，{name}名额{TIE_UNDECIDED}"
        ties.setdefault(note, []).append(r["subject"]["name"])
    return {
        "name": name,
        "named": [r["subject"]["name"] for r in sorted(named, key=lambda r: (r["rank_all"], r["subject"]["code"]))],
        "pending": [{"units": names, "text": f"{'、'.join(names)}{note}。"} for note, names in ties.items()],
    }


def red_black(results: list[dict]) -> dict:
    """红榜: the first of each group (top 3 where a group has more than 6); 黑榜: the last, likewise."""
    groups: dict[str, list[dict]] = {}
    for r in results:
        groups.setdefault(r["group"], []).append(r)
    red, black = [], []
    for name, rows in groups.items():
        rows = sorted(rows, key=lambda r: (r["rank"], r["subject"]["code"]))
        n = 3 if len(rows) > 6 else 1
        if len(rows) < 2:
            continue
        top = [r for r in rows if r["rank"] <= rows[min(n, len(rows)) - 1]["rank"]]
        worst_rank = rows[-min(n, len(rows) // 2 or 1)]["rank"]
        bottom = [r for r in rows if r["rank"] >= worst_rank and r not in top]
        label = name or "全部"
        red.append({"group": label, "units": [f"{r['subject']['name']}（{r['total']}分）" for r in top]})
        if bottom:
            black.append({"group": label, "units": [f"{r['subject']['name']}（{r['total']}分）" for r in bottom]})
    return {"red": red, "black": black}


FACTS_HEAD1 = [{"text": "单位", "rowspan": 2}, {"text": "签约金额（万元）", "colspan": 2},
               {"text": "到位资金（万元）", "colspan": 2}, {"text": "待核实（笔）", "rowspan": 2}]
FACTS_HEAD2 = ["申报", "认定", "申报", "认定"]


def basis_note(scheme) -> str:
    if scheme.basis == "verified":
        return ("本次考核只计已认定（核实认定）的数据，认定日期不晚于数据截止日；申报未认定的不计分，"
                "列入待核实。")
    return "本次考核按各单位申报的数据计分（含尚未认定的数据）。"


def facts_table(results: list[dict]) -> dict | None:
    """申报与认定: per unit, signed amount and funds as filed and as verified, and the facts waiting;
    copied from the run's results (frozen with a published run). None for a run made before."""
    rows = [
        [r["subject"]["name"], wan(Decimal(f["signed"]["filed"])), wan(Decimal(f["signed"]["verified"])),
         wan(Decimal(f["funds"]["filed"])), wan(Decimal(f["funds"]["verified"])), str(f["waiting"])]
        for r in results if (f := r.get("facts"))
    ]
    if not rows:
        return None
    return {"head1": FACTS_HEAD1, "head2": FACTS_HEAD2, "rows": rows}


# ---------------------------------------------------------------------------------------------
# 三、存在问题


def problems(run: AssessmentRun, scheme, results: list[dict], cutoff, since) -> list[dict]:
    out = []
    schedule = Decimal(str(year_progress(min(run.period_end, run.as_of)))) * 100
    behind = []
    for item in scheme.items:
        if not item.target:
            continue
        names = []
        for r in results:
            i = next(x for x in r["items"] if x["key"] == item.key)
            if i["target"] and Decimal(i["target"]) > 0 and i["value"] is not None:
                rate = Decimal(i["value"]) / Decimal(i["target"]) * 100
                if rate < schedule:
                    names.append(f"{r['subject']['name']}（{_pct(rate)}）")
        if names:
            behind.append(f"{item.label or item.name}完成率低于时序进度（{_pct(schedule)}）的有：{'、'.join(names)}。")
    if behind:
        out.append({"heading": "部分单位进度滞后", "lines": behind})
    late = _late_submissions(run, {r["subject"]["id"] for r in results if r["subject"]["type"] == "unit"})
    if late:
        out.append({"heading": "台账报送不及时", "lines": [
            "、".join(f"{name}（{'、'.join(x for x in (f'未报{m}次' if m else '', f'迟报{lt}次' if lt else '') if x)}）"
                     for name, m, lt in late)
            + "存在台账未按时报送的情况。"]})
    conflicts = run.results.get("conflicts", [])
    if conflicts:
        out.append({"heading": "项目重复计入", "lines": [c["message"] + "。" for c in conflicts[:20]]
                    + ([f"另有{len(conflicts) - 20}个项目存在同样情况。"] if len(conflicts) > 20 else [])})
    corr = corrections(cutoff, since)
    if corr:
        out.append({"heading": "结账后更正", "lines": [
            f"{c['period']}已结账后，{c['at']}由{c['user']}更正{c['record']}“{c['project']}”（{c['summary']}），"
            f"理由：{c['reason']}。" for c in corr]})
    if not out:
        out.append({"heading": "未发现突出问题",
                    "lines": ["本期各项指标均按时序推进，台账报送及时，未发现重复计入项目。"]})
    return out


def _late_submissions(run: AssessmentRun, unit_ids: set[int]) -> list[tuple[str, int, int]]:
    first, last = f"{run.period_start:%Y-%m}", f"{run.period_end:%Y-%m}"
    rows = Submission.objects.filter(period__gte=first, period__lte=last, due_date__lte=run.as_of,
                                     unit_id__in=unit_ids).values_list("unit__code", "unit__name", "submitted_at",
                                                                       "due_date")
    found: dict[tuple[str, str], list[int]] = {}
    for code, name, at, due in rows:
        if at is None:
            found.setdefault((code, name), [0, 0])[0] += 1
        elif at.date() > due:
            found.setdefault((code, name), [0, 0])[1] += 1
    return [(name, m, lt) for (code, name), (m, lt) in sorted(found.items())]


def corrections(cutoff, since) -> list[dict]:
    """Corrections after closing made after the previous bulletin (`since`) and up to `cutoff`."""
    qs = Correction.objects.select_related("period", "user").order_by("at", "id")
    if since is not None:
        qs = qs.filter(at__gt=since)
    if cutoff is not None:
        qs = qs.filter(at__lte=cutoff)
    return [
        {"period": c.period.label, "at": cn_date(c.at.date()), "user": c.user.get_full_name() or c.user.username
         if c.user else "考核办", "record": c.record, "action": c.action,
         "project": f"{c.project_code} {c.project_name}", "summary": c.summary, "reason": c.reason,
         "id": c.id}
        for c in qs
    ]


# ---------------------------------------------------------------------------------------------
# 附件: key projects


def key_projects(run: AssessmentRun) -> list[list[str]]:
    end = min(run.period_end, run.as_of)
    qs = (Project.objects.exclude(status=Status.TERMINATED).filter(signed_on__gte=run.period_start, signed_on__lte=end)
          .select_related("lead_unit").order_by("-signed_amount", "code")[:KEY_PROJECTS])
    stages = dict(Stage.choices)
    return [[str(n), p.name, p.lead_unit.name, wan(p.signed_amount), f"{p.signed_on:%Y-%m-%d}",
             str(stages.get(p.stage, p.stage)), p.industry or "—"] for n, p in enumerate(qs, 1)]


# ---------------------------------------------------------------------------------------------
# The whole bulletin


def previous_published(run: AssessmentRun) -> AssessmentRun | None:
    return (AssessmentRun.objects.filter(published=True, scheme_key=run.scheme_key, published_at__isnull=False)
            .exclude(pk=run.pk).filter(Q(period_end__lt=run.period_end) | Q(published_at__lt=run.published_at or
                                                                              run.created_at))
            .order_by("-published_at").first())


def requirements(run: AssessmentRun) -> list[dict]:
    """四、下步工作要求 from the editable template `reports/bulletin_requirements.txt`: paragraphs
    separated by blank lines; a paragraph starting with （一） is a sub-heading with its text."""
    text = render_to_string("reports/bulletin_requirements.txt", {"run": run, "year": run.period_end.year})
    return [p.strip().replace("\n", "") for p in text.split("\n\n") if p.strip()]


def charts(run: AssessmentRun, results: list[dict]) -> dict:
    """The cockpit's completion (the whole city, as an assessor sees it) and ranking (the run's units) for the
    run's year up to its data date (the cockpit's own data functions, so the charts match it), copied into the
    content so that a published bulletin keeps its charts."""
    with translation.override(settings.LANGUAGE_CODE):  # a 公文 is in Chinese whatever the reader's language
        return _charts(run, results)


def _charts(run: AssessmentRun, results: list[dict]) -> dict:
    city = SimpleNamespace(is_authenticated=True, sees_all_units=True, unit_id=None)  # the whole city
    year = run.period_end.year
    start, end = cockpit.window(year, min(run.period_end, run.as_of))
    units = {r["subject"]["id"] for r in results if r["subject"]["type"] == "unit"}
    groups = []
    for g in cockpit.ranking(city, year, start, end):
        shown = [{k: u[k] for k in ("unit", "code", "value", "target", "rate", "behind")}
                 for u in g["units"] if u["unit_id"] in units]
        if shown:
            groups.append({"group": g["group"], "units": shown})
    completion = [{k: i[k] for k in ("key", "label", "unit", "value", "value_text", "target", "target_text",
                                     "rate", "schedule", "behind")}
                  for i in cockpit.completion(city, year, start, end)]
    return {"completion": completion, "ranking": groups, "as_of": cn_date(end)}


def build(run: AssessmentRun) -> dict:
    # The overview sums the province's ledger for this year and the last, with GROUP BYs by unit that spill to
    # disk at PostgreSQL's default work_mem at 2,000,000 projects: read in one transaction with the memory
    # an assessment run has.
    with analytic_memory(Project):
        return _build(run)


def _build(run: AssessmentRun) -> dict:
    scheme = parse_scheme(run.scheme_text)
    results = run.results.get("results", [])
    prev = previous_published(run)
    cutoff = run.published_at if run.published else None
    body = issuer(scheme)
    where = scope(scheme, run)
    return {
        "kind": "quarterly",
        "run": {"id": run.id, "scheme": run.scheme_name, "scheme_key": run.scheme_key, "period": run.period,
                "period_label": run.period_label, "as_of": run.as_of.isoformat(), "published": run.published,
                "sha256": run.scheme_sha256},
        "issuer": body,
        "doc_no": doc_number(run, DocumentNumber.Kind.BULLETIN, body, scheme.bulletin.code),
        "scope": where,
        **recipients(scheme, where),
        "title": f"关于{run.period_label}{where}招商引资工作情况的通报",
        "date": cn_date(issue_date(run)),
        "intro": (f"根据《{run.scheme_name}》，现将{run.period_label}{where}招商引资工作情况通报如下（数据截至"
                  f"{cn_date(run.as_of)}）。"),
        "charts": charts(run, results),
        "basis": basis_note(scheme),
        "facts": facts_table(results),
        "overview": overview(run, scheme, results),
        "tables": ranking_tables(scheme, results),
        "lists": red_black(results),
        "honours": honours_summary(results),
        "problems": problems(run, scheme, results, cutoff, prev.published_at if prev else None),
        "requirements": requirements(run),
        "key_projects": key_projects(run),
    }


def digest(content: dict) -> str:
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def bulletin_content(run: AssessmentRun) -> dict:
    """The content of the run's bulletin: frozen for a published run (made on first need), live otherwise."""
    if not run.published:
        return build(run)
    snap = BulletinSnapshot.objects.filter(run=run).first()
    if snap is None:
        snap = freeze(run)
    return snap.content


def freeze(run: AssessmentRun) -> BulletinSnapshot:
    content = build(run)
    snap, _ = BulletinSnapshot.objects.get_or_create(run=run, defaults={"content": content, "sha256": digest(content)})
    return snap
