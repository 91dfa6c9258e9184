"""The 公文 layout of GB/T 9704-2012 in python-docx: A4, 版心 156 × 225 mm (margins 37 mm top,
28 mm left), red 发文机关标志 and red rule, 文号, title in 小标宋 二号, body in 仿宋_GB2312 三号 at 22 lines
a page, headings 一、 in 黑体 and （一） in 楷体, page numbers “— 1 —” outside (odd right, even left).

Font names are set (including w:eastAsia, which is what Word and LibreOffice read for Chinese text),
never embedded: recipients have the standard fonts; elsewhere LibreOffice substitutes a CJK font."""

from __future__ import annotations

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell

XIAOBIAOSONG = "方正小标宋简体"
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
RED = RGBColor(0xFF, 0x00, 0x00)
SANHAO, ERHAO, SIHAO, WUHAO = Pt(16), Pt(22), Pt(14), Pt(10.5)
LINE = Pt(28.95)  # 22 lines in the 225 mm 版心
TEXT_WIDTH = Mm(156)


def set_font(run, name: str, size=SANHAO, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def new_document() -> Document:
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(297 - 37 - 225)
    sec.left_margin, sec.right_margin = Mm(28), Mm(210 - 28 - 156)
    sec.header_distance, sec.footer_distance = Mm(15), Mm(20)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FANGSONG, SANHAO
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FANGSONG)
    pf = normal.paragraph_format
    pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.EXACTLY, LINE
    pf.space_before = pf.space_after = Pt(0)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_numbers(sec)
    doc.core_properties.author = ""
    return doc


def _page_number(paragraph, align) -> None:
    paragraph.alignment = align
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    # One 全角 space between the number and the outer edge, as the standard asks.
    parts = ["— " if align == WD_ALIGN_PARAGRAPH.RIGHT else "\u3000— ", None, " —\u3000" if align ==
             WD_ALIGN_PARAGRAPH.RIGHT else " —"]
    for part in parts:
        if part is not None:
            set_font(paragraph.add_run(part), SONGTI, SIHAO)
            continue
        fld = OxmlElement("w:fldSimple")
        fld.set(qn("w:instr"), "PAGE")
        run = paragraph.add_run("1")
        set_font(run, SONGTI, SIHAO)
        paragraph._p.remove(run._r)
        fld.append(run._r)
        paragraph._p.append(fld)


def _page_numbers(section) -> None:
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def red_header(doc, issuer: str, doc_no: str) -> None:
    """发文机关标志 in red 小标宋, 文号 below it, then the red rule across the 版心."""
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    size = min(36, int(440 / max(len(issuer), 1)))  # the mark must fit the 156 mm line
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.paragraph_format.space_before = Pt(12)
    set_font(p.add_run(issuer), XIAOBIAOSONG, Pt(size), color=RED)
    doc.add_paragraph()
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(p.add_run(doc_no), FANGSONG)
    _border_bottom(p, "FF0000", 12)
    doc.add_paragraph()


def _border_bottom(paragraph, color: str, size: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "4"), ("w:color", color)):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    ppr.append(bdr)


def title(doc, text: str) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    p.paragraph_format.line_spacing = Pt(36)
    set_font(p.add_run(text), XIAOBIAOSONG, ERHAO)
    doc.add_paragraph()


def body(doc, text: str, indent: bool = True):
    p = doc.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Pt(32)
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    set_font(p.add_run(text), FANGSONG)
    return p


def heading1(doc, text: str) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(32)
    set_font(p.add_run(text), HEITI)


def heading2(doc, text: str, rest: str = "") -> None:
    """（一）… in 楷体; a text that follows on the same paragraph is in 仿宋."""
    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(32)
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    set_font(p.add_run(text), KAITI)
    if rest:
        set_font(p.add_run(rest), FANGSONG)


def signature(doc, issuer: str, date: str) -> None:
    doc.add_paragraph()
    doc.add_paragraph()
    for text in (issuer, date):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        set_font(p.add_run(text + "\u3000\u3000"), FANGSONG)


def page_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def table(doc, head1: list[dict], head2: list[str], rows: list[list[str]], widths: list[float] | None = None,
          font_size=WUHAO):
    """A table with a one- or two-row header; `head1` cells may span rows (rowspan 2) or columns."""
    ncols = sum(c.get("colspan", 1) for c in head1)
    nhead = 2 if head2 else 1
    t = doc.add_table(rows=nhead + len(rows), cols=ncols)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    _narrow_margins(t, 30 if ncols > 9 else 80)
    if ncols > 9:  # a wide ranking table: smaller type so numbers stay on one line
        font_size = Pt(8) if ncols <= 11 else Pt(7)
    # Cells are reached through their <w:tc> elements: `Table.cell()` walks the whole table on every
    # call, which makes a 150-row table take minutes. Text first, then the few header merges.
    trs = t._tbl.tr_lst
    widths = widths or [2.2 if i == 0 else 1.0 for i in range(ncols)]
    total = sum(widths)
    t.autofit = False
    emu = [int(TEXT_WIDTH * w / total) for w in widths]
    for i, column in enumerate(t._tbl.tblGrid.gridCol_lst):  # the grid (LibreOffice reads it)
        column.w = emu[i]
    for tr in trs:  # and each cell (Word does)
        for c, tc in enumerate(tr.tc_lst):
            tc.width = emu[c]
    col, sub, merges = 0, 0, []
    for h in head1:
        span = h.get("colspan", 1)
        _write(_Cell(trs[0].tc_lst[col], t), h["text"], HEITI, font_size, center=True)
        if span > 1:
            for k in range(span):
                _write(_Cell(trs[1].tc_lst[col + k], t), head2[sub], HEITI, font_size, center=True)
                sub += 1
            merges.append(((0, col), (0, col + span - 1)))
        elif nhead == 2 and h.get("rowspan", 1) == 2:
            merges.append(((0, col), (1, col)))
        col += span
    for r, row in enumerate(rows, nhead):
        tcs = trs[r].tc_lst
        for c, value in enumerate(row):
            _write(_Cell(tcs[c], t), value, FANGSONG, font_size, center=c > 0)
    for (r1, c1), (r2, c2) in reversed(merges):  # right to left: earlier column indexes stay valid
        t.cell(r1, c1).merge(t.cell(r2, c2))
    for i in range(nhead):  # repeat the header on each page
        trpr = t.rows[i]._tr.get_or_add_trPr()
        el = OxmlElement("w:tblHeader")
        el.set(qn("w:val"), "true")
        trpr.append(el)
    return t


def _narrow_margins(t, twips: int) -> None:
    """Cell padding of `twips` left and right (Word's default is 108): wide tables keep numbers on one line."""
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(twips))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    t._tbl.tblPr.append(mar)


def _write(cell, text: str, font: str, size, center: bool) -> None:
    p = cell.paragraphs[0]
    if p.runs:  # a merged cell keeps the first cell's text
        return
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.paragraph_format.first_line_indent = Pt(0)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    set_font(p.add_run(str(text)), font, size)

