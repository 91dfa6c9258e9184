"""Word documents of the chains app: the 产业招商指南 of a chain (Bozhou 004: 一本产业招商指南) and the minutes
(会议纪要) of a meeting. Plain Word styles (标题 1/2, tables with a grid) so an office can edit them further;
Chinese fonts are named for East Asian text (w:eastAsia), which Word and LibreOffice read."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from zhaoshang.core.money import format_wan
from zhaoshang.core.periods import today
from zhaoshang.ledger.selectors import project_scope
from zhaoshang.orgs.models import User

from .models import ChainProjectLink, IndustryChain, Meeting, TargetEnterprise, TaskForce
from .pipeline import STEP_LABELS, pipelines
from .selectors import segments_in_order, target_scope

BODY_FONT, HEADING_FONT = "仿宋", "黑体"


def _font(style_or_run, name: str, size=None, bold=None) -> None:
    font = style_or_run.font
    font.name = name
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    rpr = style_or_run._element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _document(title: str) -> Document:
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin = sec.right_margin = Mm(25)
    sec.top_margin = sec.bottom_margin = Mm(25)
    _font(doc.styles["Normal"], BODY_FONT, Pt(12))
    for name, size in (("Title", Pt(20)), ("Heading 1", Pt(16)), ("Heading 2", Pt(14))):
        _font(doc.styles[name], HEADING_FONT, size, True)
    doc.core_properties.title = title
    doc.core_properties.author = ""
    heading = doc.add_paragraph(title, style="Title")
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return doc


def _para(doc, text: str, style: str | None = None):
    lines = (text or "").splitlines() or [""]
    for line in lines:
        doc.add_paragraph(line if line.strip() else "（未填写）" if len(lines) == 1 else "", style=style)


def _table(doc, headers: list[str], rows: list[list[str]], widths: list[int] | None = None):
    """A grid table; `widths` in mm (the text width is 160 mm), so names are not broken into narrow columns."""
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(text), HEADING_FONT, Pt(10.5), True)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(str(text)), BODY_FONT, Pt(10.5))
    if not rows:
        cells = table.add_row().cells
        cells[0].text = "（无）"
    if widths:
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Mm(width)  # the grid, which LibreOffice reads
            for cell in column.cells:
                cell.width = Mm(width)
    return table


def _bytes(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def guide_docx(chain: IndustryChain, *, user: User | None = None) -> bytes:
    """产业招商指南: the chain, its segments and gaps, local base and policies, targets by segment, contacts.
    `user`: whose scope the projects and targets are read in (None: all, for the command)."""
    doc = _document(f"{chain.name}产业招商指南")
    meta = doc.add_paragraph(f"编制日期：{today():%Y年%m月%d日}")
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER

    doc.add_heading("一、产业链概况", level=1)
    _para(doc, chain.description or f"{chain.name}产业链。")
    if chain.section_codes() or chain.classes:
        doc.add_paragraph("行业分类（GB/T 4754-2017）：" + "；".join(
            [*chain.section_names(), *([chain.classes] if chain.classes else [])]))
    force = TaskForce.objects.filter(chain=chain).select_related("unit", "leader").first()
    if force is not None:
        doc.add_heading("“四个一”工作机制", level=2)
        team = "、".join(p.name for p in force.team.all()) or "（未确定）"
        _table(doc, ["项目", "内容"], [
            ["牵头市领导", f"{force.leader.name}（{force.leader.title}）" if force.leader else "（未确定）"],
            ["产业专班", force.unit.name],
            ["产业招商指南", force.guide_title or f"《{chain.name}产业招商指南》"],
            ["招商队伍", team],
        ], [35, 125])

    doc.add_heading("二、产业链环节及堵点、断点、痛点、难点", level=1)
    segments = segments_in_order(chain)
    projects = ChainProjectLink.objects.filter(segment__chain=chain).select_related("project")
    if user is not None:
        projects = projects.filter(project_id__in=project_scope(user).order_by().values("id"))
    by_segment: dict[int, list] = {}
    for link in projects:
        by_segment.setdefault(link.segment_id, []).append(link.project)
    rows = []
    for seg in segments:
        landed = by_segment.get(seg.pk, [])
        amount = sum((p.signed_amount for p in landed), 0)
        rows.append([seg.get_position_display(), seg.name, "、".join(seg.local_enterprise_list()) or "—",
                     f"{len(landed)}个 / {format_wan(amount)}" if landed else "—"])
    _table(doc, ["位置", "环节", "本地企业", "已落地项目"], rows, [18, 37, 60, 45])
    gaps = [(seg, gap) for seg in segments for gap in seg.gaps.all()]
    if gaps:
        doc.add_paragraph("")
        _table(doc, ["环节", "问题类型", "说明"], [[seg.name, gap.get_kind_display(), gap.note] for seg, gap in gaps],
               [35, 25, 100])

    doc.add_heading("三、本地产业基础", level=1)
    _para(doc, chain.local_base)
    doc.add_heading("四、扶持政策", level=1)
    _para(doc, chain.policies)

    doc.add_heading("五、重点目标企业", level=1)
    targets = (target_scope(user) if user is not None else TargetEnterprise.objects.all())
    targets = targets.filter(segment__chain=chain).select_related("segment", "following_unit").order_by(
        "segment__order", "name")
    by_seg: dict[int, list] = {}
    for t in targets:
        by_seg.setdefault(t.segment_id, []).append(t)
    for seg in segments:
        doc.add_heading(f"{seg.get_position_display()}：{seg.name}", level=2)
        _table(doc, ["企业名称", "标签", "所在地区", "接触状态", "跟进单位"], [
            [t.name, "、".join(t.tag_labels()) or "—", t.region or "—", t.get_status_display(), t.following_unit.name]
            for t in by_seg.get(seg.pk, [])], [55, 30, 25, 20, 30])

    doc.add_heading("六、联系方式", level=1)
    contacts = []
    if force is not None:
        contacts.append(["产业专班", force.unit.name, force.leader.name if force.leader else "—", "—"])
    for office in chain.offices.order_by("code"):
        contacts.append(["驻点招商局", office.name, office.lead_leader or "—", office.regions or "—"])
    for t in targets:
        if t.contact_name or t.contact_phone:
            contacts.append(["目标企业", t.name, t.contact_name or "—", t.contact_phone or "—"])
    _table(doc, ["类别", "名称", "联系人/牵头领导", "电话/驻点区域"], contacts, [25, 60, 35, 40])

    group = pipelines("chain", projects=project_scope(user) if user is not None else None,
                      targets=targets).get(chain.pk)
    if group is not None:
        doc.add_heading("七、招商周期", level=1)
        rate = group.conversion_rate
        doc.add_paragraph(f"已接触目标企业{group.contacted}家，转化为签约项目{group.converted}个"
                          + (f"，转化率{rate * 100:.1f}%。" if rate is not None else "。"))
        for step, label in STEP_LABELS.items():
            median = group.median(step)
            if median is not None:
                doc.add_paragraph(f"首次接触至{label}天数中位数：{median}天")
    return _bytes(doc)


def minutes_docx(meeting: Meeting) -> bytes:
    """会议纪要: the meeting, who attended, each unit's report, the decisions and the action items."""
    doc = _document(f"{meeting.title}纪要")
    _table(doc, ["项目", "内容"], [
        ["会议类型", meeting.get_kind_display()],
        ["会议日期", f"{meeting.date:%Y年%m月%d日}"],
        ["地点", meeting.place or "—"],
        ["召集单位", meeting.organiser.name],
        ["主持人", meeting.chair.name if meeting.chair else "—"],
        ["产业链", meeting.chain.name if meeting.chain else "—"],
        ["参会人员", "、".join(p.name for p in meeting.attendees.order_by("unit__code", "staff_no")) or "—"],
    ], [35, 125])
    doc.add_heading("一、工作汇报", level=1)
    reports = list(meeting.reports.select_related("unit"))
    if not reports:
        doc.add_paragraph("（无）")
    for report in reports:
        doc.add_heading(report.unit.name, level=2)
        _para(doc, report.content)
    doc.add_heading("二、会议决定", level=1)
    _para(doc, meeting.decisions)
    doc.add_heading("三、督办事项", level=1)
    _table(doc, ["序号", "事项", "责任单位", "责任人", "完成时限", "完成情况"], [
        [str(i), a.text, a.owner_unit.name, a.owner.name if a.owner else "—", f"{a.deadline:%Y-%m-%d}",
         f"已完成（{a.done_on:%Y-%m-%d}）" if a.done and a.done_on else ("已完成" if a.done else "未完成")]
        for i, a in enumerate(meeting.action_items.select_related("owner_unit", "owner").order_by("deadline", "id"), 1)
    ], [12, 52, 28, 16, 28, 24])
    return _bytes(doc)
