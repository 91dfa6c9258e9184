"""Write the quarterly bulletin (季度通报) and the annual assessment report as Word documents in the
公文 layout (see `docx_layout`), from the content built by `content` (frozen for a published run)."""

from __future__ import annotations

from decimal import Decimal

from zhaoshang.assessment.engine.compose import TIE_UNDECIDED
from zhaoshang.assessment.engine.scheme import parse_scheme
from zhaoshang.assessment.models import AssessmentRun
from zhaoshang.core import docx_layout as L

from . import charts
from .content import (
    CN_NUM,
    DEFAULT_MAIN_TO,
    bulletin_content,
    cn_date,
    honours_summary,
    recipients,
    rescaled,
    scope,
    total_notes,
)
from .models import DocumentNumber
from .numbers import doc_number, issue_date, issuer

KEY_HEAD = [{"text": t} for t in ("序号", "项目名称", "引资单位", "签约金额（万元）", "签约日期", "阶段", "产业")]


def _cn(n: int) -> str:
    return CN_NUM[n - 1] if n <= 10 else str(n)


def write_bulletin(content: dict, path) -> None:
    """The bulletin as a 公文: 版头 (发文机关标志, 文号), title, 主送, the body with its charts and tables (a table
    too wide for a portrait page on landscape pages of its own), signature and date, the attachment, and the
    版记 (抄送, 印发机关和印发日期) at the end. A bulletin frozen before charts or 版记 existed has none."""
    doc = L.new_document(spliced=True)
    L.red_header(doc, content["issuer"], content["doc_no"])
    L.title(doc, content["title"])
    L.addressee(doc, content.get("main_to") or DEFAULT_MAIN_TO)
    L.body(doc, content["intro"])
    if content.get("basis"):  # a bulletin frozen before verification existed has none
        L.body(doc, content["basis"])
    if not content["run"]["published"]:
        L.body(doc, "（本稿依据未发布的考核结果生成，仅供审核。）")
    chart_data = content.get("charts") or {}

    L.heading1(doc, "一、总体情况")
    for line in content["overview"]:
        L.body(doc, line)
    png = charts.completion_png(chart_data.get("completion", []))
    if png:
        L.picture(doc, png, 150, f"图1  全市主要指标完成情况（截至{chart_data['as_of']}）")

    L.heading1(doc, "二、各地完成情况")
    png = charts.ranking_png(chart_data.get("ranking", []))
    if png:
        shown = min(charts.RANKING_SHOWN, sum(len(g["units"]) for g in chart_data["ranking"]))
        L.picture(doc, png, 150, f"图2  各单位签约金额完成情况（按完成率排序，前{shown}名）")
    for n, t in enumerate(content["tables"], 1):
        L.wide_table(doc, t["head1"], t["head2"], t["rows"],
                     before=lambda n=n, t=t: L.heading2(doc, f"（{_cn(n)}）{t['group']}", ""),
                     after=lambda t=t: [L.body(doc, note) for note in t.get("notes", [])])
    lists = content["lists"]
    if lists["red"] or lists["black"]:
        L.heading2(doc, f"（{_cn(len(content['tables']) + 1)}）红黑榜", "")
        for entry in lists["red"]:
            L.body(doc, f"红榜（{entry['group']}）：{'、'.join(entry['units'])}。")
        for entry in lists["black"]:
            L.body(doc, f"黑榜（{entry['group']}）：{'、'.join(entry['units'])}。")
    facts = content.get("facts")
    if facts:
        n = len(content["tables"]) + (1 if lists["red"] or lists["black"] else 0) + 1

        def facts_heading(n=n):
            L.heading2(doc, f"（{_cn(n)}）申报与认定情况", "")
            L.body(doc, "各单位考核期内申报的签约金额、到位资金与截至数据截止日已认定的对照，"
                        "待核实为尚未认定的备案和到位资金笔数。")

        L.wide_table(doc, facts["head1"], facts["head2"], facts["rows"], before=facts_heading)
    honours = content.get("honours")  # only a run that names honours (an annual one) has them
    if honours:
        n = len(content["tables"]) + (1 if lists["red"] or lists["black"] else 0) + (1 if facts else 0) + 1
        L.heading2(doc, f"（{_cn(n)}）{honours['name']}", "")
        if honours["named"]:
            L.body(doc, f"按考核得分，{'、'.join(honours['named'])}列入{honours['name']}。")
        for tie in honours["pending"]:  # a tie at the boundary: 并列，需考核办确定
            L.body(doc, tie["text"])

    L.heading1(doc, "三、存在问题")
    for n, prob in enumerate(content["problems"], 1):
        L.heading2(doc, f"（{_cn(n)}）{prob['heading']}。", prob["lines"][0])
        for line in prob["lines"][1:]:
            L.body(doc, line)

    L.heading1(doc, "四、下步工作要求")
    for para in content["requirements"]:
        if para.startswith("（") and "）" in para[:5]:
            head, rest = para.split("。", 1) if "。" in para else (para, "")
            L.heading2(doc, head + ("。" if rest or para.endswith("。") else ""), rest)
        else:
            L.body(doc, para)
    if content["key_projects"]:
        L.body(doc, "")
        L.body(doc, "附件：重点项目清单")
    L.signature(doc, content["issuer"], content["date"])

    if content["key_projects"]:
        def attachment():
            L.attachment_mark(doc)
            L.title(doc, "重点项目清单")

        if not L.plan_is_landscape(KEY_HEAD, [], content["key_projects"]):
            L.page_break(doc)
        L.wide_table(doc, KEY_HEAD, [], content["key_projects"], before=attachment)
    L.record(doc, content.get("copy_to", []), content["issuer"], content["date"])
    L.save(doc, path)


def bulletin_docx(run: AssessmentRun, path) -> dict:
    content = bulletin_content(run)
    write_bulletin(content, path)
    return content


# ---------------------------------------------------------------------------------------------
# The annual assessment report


def annual_content(run: AssessmentRun) -> dict:
    """Totals, grades, ranks, advanced units and each unit's sheet with every item explained; all
    from the run's stored results, so a published run gives the same report forever."""
    scheme = parse_scheme(run.scheme_text)
    results = run.results.get("results", [])
    year = run.period_end.year
    honours = [r for r in results if r["honours"]]
    grades: dict[str, int] = {}
    for r in results:
        if r["grade"]:
            grades[r["grade"]] = grades.get(r["grade"], 0) + 1
    totals = [[r["group"] or "—", str(r["rank"]), r["subject"]["name"], r["total"], r["grade"] or "—",
               str(r["rank_all"]), "、".join(r["honours"] + _pending(r) + r["flags"]) or "—"] for r in results]
    summary = honours_summary(results)
    body = issuer(scheme)
    where = scope(scheme, run)
    sheets = [{"name": r["subject"]["name"], "summary": _summary(r),
               "rows": [[i["name"], i["points"], _limit(scheme, i), i["explain"]] for i in r["items"]]}
              for r in results]
    return {
        "kind": "annual",
        "run": {"id": run.id, "scheme": run.scheme_name, "period_label": run.period_label,
                "as_of": run.as_of.isoformat(), "published": run.published},
        "issuer": body,
        "doc_no": doc_number(run, DocumentNumber.Kind.ANNUAL, body, scheme.bulletin.code),
        "scope": where,
        **recipients(scheme, where),
        "title": f"关于{year}年度{where}招商引资工作考核结果的通报",
        "date": cn_date(issue_date(run)),
        "intro": f"根据《{scheme.name}》，经数据核验、综合评定，现将{year}年度考核结果通报如下"
                 f"（数据截至{cn_date(run.as_of)}）。",
        "base": str(scheme.base),
        "honours_name": scheme.honours_name or "先进单位",
        "honours": [r["subject"]["name"] for r in sorted(honours, key=lambda r: (r["rank_all"], r["subject"]["code"]))],
        "honours_pending": [tie["text"] for tie in summary["pending"]] if summary else [],
        "notes": total_notes(results),
        "grades": grades,
        "totals": totals,
        "sheets": sheets,
    }


def _pending(r: dict) -> list[str]:
    """"先进单位（并列，需考核办确定）" for a subject tied at the honours boundary."""
    return [f"{name}（{TIE_UNDECIDED}）" for name in r.get("honours_pending", [])]


def _summary(r: dict) -> str:
    text = f"总分{r['total']}分，" + (f"等次{r['grade']}，" if r["grade"] else "")
    text += f"{(r['group'] + '组内') if r['group'] else ''}第{r['rank']}名，全市第{r['rank_all']}名"
    if r["honours"] or r.get("honours_pending"):
        text += f"，{'、'.join(r['honours'] + _pending(r))}"
    if r["flags"]:
        text += f"（{'、'.join(r['flags'])}）"
    if rescaled(r):  # for items without a target
        text += f"；{r['total_explain']}"
    elif "减分项" in r.get("total_explain", ""):  # a base score: its 减分项 and 加分项 apart
        text += f"；{r['total_explain']}"
    return text


def _limit(scheme, item: dict) -> str:
    """满分 column: "50分", or 减分项 / 加分项 for items that only take off or add (never "0.00")."""
    found = next((it for it in scheme.items if it.key == item["key"]), None)
    return found.points_text if found is not None else (item["max"] or "—")


TOTALS_HEAD = [{"text": t} for t in ("组别", "组内排名", "单位", "总分", "等次", "全市排名", "荣誉及标记")]
SHEET_HEAD = [{"text": t} for t in ("考核项目", "得分", "满分", "计分说明")]


def write_annual(content: dict, path) -> None:
    doc = L.new_document(spliced=True)
    L.red_header(doc, content["issuer"], content["doc_no"])
    L.title(doc, content["title"])
    L.addressee(doc, content.get("main_to") or DEFAULT_MAIN_TO)
    L.body(doc, content["intro"])
    L.heading1(doc, "一、考核结果")
    dist = "、".join(f"{g}{n}个" for g, n in content["grades"].items())
    L.body(doc, f"参加考核单位{len(content['totals'])}个" + (f"，其中{dist}" if dist else "")
           + "。各单位得分及排名见下表。")
    L.wide_table(doc, TOTALS_HEAD, [], content["totals"],
                 after=lambda: [L.body(doc, note) for note in content.get("notes", [])])  # rescaled totals
    L.heading1(doc, f"二、{content['honours_name']}")
    pending = content.get("honours_pending", [])  # tied at the boundary: 并列，需考核办确定
    if content["honours"]:
        L.body(doc, f"经研究，授予{'、'.join(content['honours'])}等{len(content['honours'])}个单位"
                    f"“{content['run']['period_label']}招商引资工作{content['honours_name']}”称号。")
    elif not pending:
        L.body(doc, f"本年度考核方案未设{content['honours_name']}名额。")
    for line in pending:
        L.body(doc, line)
    L.heading1(doc, "三、各单位考核明细")
    L.body(doc, "各单位每一考核项目的得分及计分依据见附件。")
    L.body(doc, "")
    L.body(doc, "附件：各单位考核得分明细")
    L.signature(doc, content["issuer"], content["date"])
    L.page_break(doc)
    L.attachment_mark(doc)
    L.title(doc, "各单位考核得分明细")
    for n, sheet in enumerate(content["sheets"], 1):
        L.heading2(doc, f"（{_cn(n) if n <= 10 else n}）{sheet['name']}：", sheet["summary"] + "。")
        L.table(doc, SHEET_HEAD, [], sheet["rows"], in_landscape=False)
    L.record(doc, content.get("copy_to", []), content["issuer"], content["date"])
    L.save(doc, path)


def annual_docx(run: AssessmentRun, path) -> dict:
    content = annual_content(run)
    write_annual(content, path)
    return content


def total_of(rows: list[list[str]]) -> Decimal:
    return sum((Decimal(r[3]) for r in rows), Decimal(0))
