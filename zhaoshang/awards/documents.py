"""The 公示 notice and the 表彰决定 in the bulletins' official layout (core/docx_layout.py: 红头, 文号, title in
小标宋, body in 仿宋, the issuer and date, the seal line), and the payout list (.xlsx, amounts in 元 as
numbers, every text cell written so that no spreadsheet evaluates it)."""

from __future__ import annotations

import io
from decimal import Decimal

from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from zhaoshang.core import docx_layout as L
from zhaoshang.core.money import quantize
from zhaoshang.security.export import safe_cell

from .choices import AwardKind, NominationStatus
from .docx_table import simple_table
from .models import Catalogue, Decision, Nomination, Notice


def yuan(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{quantize(Decimal(value)):,}元"


def cn_date(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _unit_of(n: Nomination) -> str:
    if n.person_id and n.person and n.person.unit_id:
        return n.person.unit.name
    return n.unit.name if n.unit_id else ""


def _seal(doc, issuer: str, date) -> None:
    L.signature(doc, issuer, cn_date(date))
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    L.set_font(p.add_run("（盖章）\u3000\u3000\u3000\u3000"), L.FANGSONG)


def notice_docx(notice: Notice) -> bytes:
    cat = notice.catalogue
    noms = list(notice.nominations.select_related("item", "unit", "person__unit").order_by("item__order", "id"))
    doc = L.new_document()
    L.red_header(doc, cat.office, notice.doc_no)
    L.title(doc, f"关于{cat.year}年度招商引资和项目建设服务拟表彰对象的公示")
    L.body(doc, f"根据{cat.year}年度招商引资和项目建设服务考核结果，经区招商办、考核办、审计局审核，"
                f"现将拟表彰的先进集体和先进个人名单予以公示（共{len(noms)}个）。")
    L.body(doc, f"公示时间：{cn_date(notice.start_on)}起{notice.days}个工作日，至{cn_date(notice.end_on)}止"
                "（法定节假日不计，调休上班日计入）。")
    L.body(doc, cat.objection_channel)
    L.body(doc, "附：拟表彰对象名单", indent=True)
    rows = [[str(i), n.item.get_kind_display(), n.item.name, n.subject_name, _unit_of(n)]
            for i, n in enumerate(noms, 1)]
    simple_table(doc, ["序号", "奖项类别", "奖项", "拟表彰对象", "所属单位"], rows, [0.6, 1.2, 1.4, 2.0, 2.0])
    _seal(doc, cat.office, notice.start_on)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _awarded(decision: Decision) -> list[Nomination]:
    return list(decision.nominations.select_related("item", "unit", "person__unit")
                .order_by("item__order", "item_id", "group", "rank", "id"))


def decision_docx(decision: Decision) -> bytes:
    cat = decision.catalogue
    noms = _awarded(decision)
    doc = L.new_document()
    L.red_header(doc, decision.issuer, decision.doc_no)
    L.title(doc, f"关于表彰{cat.year}年度招商引资和项目建设服务先进集体和先进个人的决定")
    L.body(doc, "各有关单位：", indent=False)
    L.body(doc, f"{cat.year}年，全区各单位坚持把招商引资和项目建设作为经济工作的生命线，涌现出一批成绩突出的"
                "先进集体和先进个人。根据考核结果，经区招商办、考核办、审计局审核并公示无异议，"
                f"经{decision.issuer}研究，决定对以下{len(noms)}个先进集体和先进个人予以表彰，并兑现奖励。")
    n_heading = 0
    numerals = "一二三四五六七八九十"
    for kind in AwardKind:
        of_kind = [n for n in noms if n.item.kind == kind]
        if not of_kind:
            continue
        L.heading1(doc, f"{numerals[n_heading]}、{kind.label}")
        n_heading += 1
        by_item: dict[str, list[Nomination]] = {}
        for n in of_kind:
            by_item.setdefault(n.item.name, []).append(n)
        for k, (name, items) in enumerate(by_item.items()):
            L.heading2(doc, f"（{numerals[k]}）{name}：", "、".join(
                f"{n.subject_name}" + (f"（{_unit_of(n)}）" if n.person_id else "") for n in items))
    L.body(doc, "希望受表彰的集体和个人珍惜荣誉、再接再厉。对弄虚作假骗取奖励的，追回已发奖励，并由纪委监委"
                "按有关党纪党规对有关责任人予以严肃处理。")
    _seal(doc, decision.issuer, decision.decided_on)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


PAYOUT_HEAD = ["序号", "奖项类别", "奖项", "获奖单位（个人）", "所属单位", "奖励金额（元）", "状态", "备注"]


def payout_xlsx(decision: Decision) -> bytes:
    """发放清单: one row per award of the decision with its amount in 元; the total is a computed number
    (not a formula); a revoked award shows 0 due and why."""
    wb = Workbook()
    ws = wb.active
    ws.title = "奖励发放清单"
    safe_cell(ws.cell(row=1, column=1), f"{decision.catalogue.year}年度招商引资和项目建设服务奖励发放清单"
                                         f"（{decision.doc_no}）")
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    for col, text in enumerate(PAYOUT_HEAD, 1):
        safe_cell(ws.cell(row=2, column=col), text)
        ws.cell(row=2, column=col).font = Font(bold=True)
    total = Decimal(0)
    row = 2
    for i, n in enumerate(_awarded(decision), 1):
        row += 1
        due = n.item.amount if n.status == NominationStatus.DECIDED else Decimal(0)
        total += due
        values = [i, n.item.get_kind_display(), n.item.name, n.subject_name, _unit_of(n), due,
                  n.get_status_display(), n.status_reason if n.status != NominationStatus.DECIDED else ""]
        for col, v in enumerate(values, 1):
            cell = ws.cell(row=row, column=col)
            safe_cell(cell, v if isinstance(v, int | Decimal) else str(v))
            if isinstance(v, Decimal):
                cell.number_format = "#,##0.00"
    row += 1
    safe_cell(ws.cell(row=row, column=1), "合计")
    safe_cell(ws.cell(row=row, column=6), total)
    ws.cell(row=row, column=6).number_format = "#,##0.00"
    ws.cell(row=row, column=1).font = ws.cell(row=row, column=6).font = Font(bold=True)
    for letter, width in zip("ABCDEFGH", (6, 12, 16, 26, 22, 16, 12, 40), strict=True):
        ws.column_dimensions[letter].width = width
    for r in ws.iter_rows(min_row=2, max_row=row):
        for c in r:
            c.alignment = Alignment(vertical="center", wrap_text=True)
    ws.freeze_panes = "A3"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def catalogue_title(cat: Catalogue) -> str:
    return cat.title
