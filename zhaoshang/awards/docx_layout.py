"""The 公文 layout of GB/T 9704-2012 in python-docx, copied from `reports/docx_layout.py` (which this app,
a layer below reports, may not import) plus `simple_table`: A4, 版心 156 × 225 mm (margins 37 mm top, 35 mm
bottom, 28 mm left, 26 mm right), 22 lines × 28 characters (fixed line spacing 28.95 pt and the document
grid), red 发文机关标志 and red rule, 文号, title in 方正小标宋简体 二号, body in 仿宋_GB2312 三号, headings 一、 in
黑体 and （一） in 楷体_GB2312, page numbers “— 1 —” outside (odd right, even left), and the 版记 (抄送, 印发机关
和印发日期) between its rules at the end.

Every font is set once, on the document's styles (with w:eastAsia, which is what Word and LibreOffice read
for Chinese text), never run by run; fonts are named, never embedded: recipients have the standard fonts,
elsewhere Word and LibreOffice substitute a CJK font.

Tables are written as one piece of WordprocessingML (`table`): a 3,000-row table is built in well under a
second, where python-docx's `Table.cell()` walks the whole table on every call. Column widths are measured
from the cells' text so that numbers and dates never break across lines; a table too wide for a portrait page
goes into a landscape section of its own; the header rows repeat on every page."""

from __future__ import annotations

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

XIAOBIAOSONG = "方正小标宋简体"
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
RED = RGBColor(0xFF, 0x00, 0x00)
SANHAO, ERHAO, SIHAO, WUHAO = Pt(16), Pt(22), Pt(14), Pt(10.5)
LINE = Pt(28.95)  # 22 lines in the 225 mm 版心
LINE_PITCH = 579  # twips: 28.95 pt
CHAR_SPACE = -842  # 28 characters of 三号 in 156 mm (the grid of the standard's templates)
TEXT_WIDTH = Mm(156)
LANDSCAPE_WIDTH = Mm(297 - 37 - 35)  # the 版心 turned: 225 mm wide
INDENT = Pt(32)  # two characters of 三号

# Paragraph styles (id, name shown in Word, font, size, alignment, first-line indent)
BODY, TITLE, HEADING1, HEADING2, ISSUER, DOCNO, SIGNATURE, RECORD, PICTURE, CAPTION = (
    "GwBody", "GwTitle", "GwHeading1", "GwHeading2", "GwIssuer", "GwDocNo", "GwSignature", "GwRecord", "GwPicture",
    "GwCaption")
KAI_RUN = "GwKaiChar"  # character style: a （一） heading followed by text on the same line


def _fonts(rpr, name: str) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _style(doc, style_id: str, name: str, font: str, size, *, align=None, indent=None, line=None,
           color: RGBColor | None = None, kind=WD_STYLE_TYPE.PARAGRAPH, grid: bool = True):
    style = doc.styles.add_style(name, kind)
    style.element.set(qn("w:styleId"), style_id)
    style.base_style = doc.styles["Normal"] if kind == WD_STYLE_TYPE.PARAGRAPH else None
    style.font.name, style.font.size = font, size
    _fonts(style.element.get_or_add_rPr(), font)
    if color is not None:
        style.font.color.rgb = color
    if kind == WD_STYLE_TYPE.PARAGRAPH:
        style.quick_style = True
        pf = style.paragraph_format
        if align is not None:
            pf.alignment = align
        pf.first_line_indent = indent if indent is not None else Pt(0)
        if line is not None:
            pf.line_spacing_rule, pf.line_spacing = line
        if not grid:  # off the document grid: its own size, not 28 characters a line
            style.element.get_or_add_pPr().append(parse_xml(f'<w:snapToGrid {nsdecls("w")} w:val="0"/>'))
    return style


def set_font(run, name: str, size=SANHAO, bold: bool = False, color: RGBColor | None = None) -> None:
    """One run in another font than its paragraph style's (the documents of this module never need it)."""
    run.font.name, run.font.size, run.font.bold = name, size, bold
    if color is not None:
        run.font.color.rgb = color
    _fonts(run._element.get_or_add_rPr(), name)


def new_document() -> Document:
    doc = Document()
    sec = doc.sections[0]
    _page(sec, landscape=False)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FANGSONG, SANHAO
    _fonts(normal.element.get_or_add_rPr(), FANGSONG)
    pf = normal.paragraph_format
    pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.EXACTLY, LINE
    pf.space_before = pf.space_after = Pt(0)
    pf.widow_control = False
    just, center, right = WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    _style(doc, BODY, "公文正文", FANGSONG, SANHAO, align=just, indent=INDENT)
    _style(doc, TITLE, "公文标题", XIAOBIAOSONG, ERHAO, align=center, line=(WD_LINE_SPACING.EXACTLY, Pt(36)),
           grid=False)
    _style(doc, HEADING1, "一级标题", HEITI, SANHAO, align=just, indent=INDENT)
    _style(doc, HEADING2, "二级标题", KAITI, SANHAO, align=just, indent=INDENT)
    _style(doc, ISSUER, "发文机关标志", XIAOBIAOSONG, Pt(36), align=center, color=RED,
           line=(WD_LINE_SPACING.SINGLE, None), grid=False)
    _style(doc, DOCNO, "发文字号", FANGSONG, SANHAO, align=center)
    _style(doc, SIGNATURE, "发文机关署名", FANGSONG, SANHAO, align=right)
    record = _style(doc, RECORD, "版记", FANGSONG, SIHAO, align=WD_ALIGN_PARAGRAPH.LEFT,
                    line=(WD_LINE_SPACING.EXACTLY, Pt(24)), grid=False)
    record.paragraph_format.left_indent = record.paragraph_format.right_indent = Pt(14)  # one character each side
    _style(doc, PICTURE, "图片", FANGSONG, SANHAO, align=center, line=(WD_LINE_SPACING.SINGLE, None), grid=False)
    _style(doc, CAPTION, "图题", HEITI, Pt(12), align=center, line=(WD_LINE_SPACING.SINGLE, None), grid=False)
    _style(doc, KAI_RUN, "二级标题字符", KAITI, SANHAO, kind=WD_STYLE_TYPE.CHARACTER)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_numbers(doc, sec)
    doc.core_properties.author = ""
    return doc


def _page(sec, landscape: bool) -> None:
    """A4 with the 版心 of the standard; turned, the 版心 turns with the page (top becomes left)."""
    if landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = Mm(297), Mm(210)
        sec.top_margin, sec.bottom_margin = Mm(28), Mm(26)
        sec.left_margin, sec.right_margin = Mm(37), Mm(35)
    else:
        sec.orientation = WD_ORIENT.PORTRAIT
        sec.page_width, sec.page_height = Mm(210), Mm(297)
        sec.top_margin, sec.bottom_margin = Mm(37), Mm(297 - 37 - 225)
        sec.left_margin, sec.right_margin = Mm(28), Mm(210 - 28 - 156)
    sec.header_distance, sec.footer_distance = Mm(15), Mm(20 if not landscape else 12)
    sectpr = sec._sectPr
    grid = sectpr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sectpr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))


def _page_number(doc, paragraph, align) -> None:
    paragraph.alignment = align
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    style = doc.styles["Footer"]
    style.font.name, style.font.size = SONGTI, SIHAO
    _fonts(style.element.get_or_add_rPr(), SONGTI)
    # One 全角 space between the number and the outer edge, as the standard asks.
    right = align == WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.add_run("— " if right else "\u3000— ")
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    run = paragraph.add_run("1")
    paragraph._p.remove(run._r)
    fld.append(run._r)
    paragraph._p.append(fld)
    paragraph.add_run(" —\u3000" if right else " —")


def _page_numbers(doc, section) -> None:
    section.footer.paragraphs[0].style = doc.styles["Footer"]
    section.even_page_footer.paragraphs[0].style = doc.styles["Footer"]
    _page_number(doc, section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(doc, section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def para(doc, text: str = "", style: str = BODY):
    p = doc.add_paragraph()
    p._p.get_or_add_pPr().get_or_add_pStyle().set(qn("w:val"), style)  # by id: no lookup per paragraph
    if text:
        p.add_run(text)
    return p


def red_header(doc, issuer: str, doc_no: str) -> None:
    """发文机关标志 in red 小标宋 (smaller when a long name would not fit the 156 mm line), 文号 below it,
    then the red rule across the 版心."""
    p = para(doc, "", ISSUER)
    p.paragraph_format.space_before = Pt(12)
    size = min(36, int(440 / max(len(issuer), 1)))
    run = p.add_run(issuer)
    if size != 36:
        run.font.size = Pt(size)  # the one size that depends on the text
    para(doc, "", DOCNO)
    p = para(doc, doc_no, DOCNO)
    _border(p, "bottom", "FF0000", 12)
    para(doc)


def _border(paragraph, side: str, color: str, size: int, space: int = 4) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    bdr = ppr.find(qn("w:pBdr"))
    if bdr is None:
        bdr = OxmlElement("w:pBdr")
        # pBdr comes after pStyle/keepNext/…/numPr and before shd/tabs/spacing/ind/jc (schema order)
        after = [qn(t) for t in ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc",
                                 "w:snapToGrid")]
        for child in ppr:
            if child.tag in after:
                child.addprevious(bdr)
                break
        else:
            ppr.append(bdr)
    el = OxmlElement(f"w:{side}")
    for k, v in (("w:val", "single"), ("w:sz", str(size)), ("w:space", str(space)), ("w:color", color)):
        el.set(qn(k), v)
    bdr.append(el)


def title(doc, text: str) -> None:
    para(doc, text, TITLE)
    para(doc)


def body(doc, text: str, indent: bool = True):
    p = para(doc, text, BODY)
    if not indent:
        p.paragraph_format.first_line_indent = Pt(0)
    return p


def addressee(doc, text: str) -> None:
    """主送机关: flush left, ending with a full-width colon."""
    body(doc, text.rstrip("：:") + "：", indent=False)


def heading1(doc, text: str) -> None:
    para(doc, text, HEADING1)


def heading2(doc, text: str, rest: str = "") -> None:
    """（一）… in 楷体; a text that follows on the same paragraph is in 仿宋."""
    if not rest:
        para(doc, text, HEADING2)
        return
    p = para(doc, "", BODY)
    _run(p, text, KAI_RUN)
    p.add_run(rest)


def _run(p, text: str, char_style: str) -> None:
    run = p.add_run(text)
    run._r.get_or_add_rPr().insert(0, parse_xml(f'<w:rStyle {nsdecls("w")} w:val="{char_style}"/>'))


def signature(doc, issuer: str, date: str) -> None:
    para(doc)
    para(doc)
    for text in (issuer, date):
        para(doc, text + "\u3000\u3000", SIGNATURE)


def record(doc, copy_to: list[str], issuer: str, date: str) -> None:
    """版记 (GB/T 9704 §7.4): 抄送机关 between a thick first rule and a thin one, then 印发机关 flush left and
    印发日期 flush right, above the thick last rule. Recipients of one kind are joined with 、 in the scheme's
    text, kinds with ，, and the list ends with 。."""
    para(doc)
    if copy_to:
        p = para(doc, "抄送：" + "，".join(copy_to).rstrip("。") + "。", RECORD)
        p.paragraph_format.first_line_indent = Pt(-42)  # the lines after the first align after 抄送：
        p.paragraph_format.left_indent = Pt(14 + 42)
        _border(p, "top", "000000", 8, 1)
        _border(p, "bottom", "000000", 6, 1)
    p = para(doc, f"{issuer}\t{date}印发", RECORD)
    p.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH - Pt(28), WD_TAB_ALIGNMENT.RIGHT)
    if not copy_to:
        _border(p, "top", "000000", 8, 1)
    _border(p, "bottom", "000000", 8, 1)


def simple_table(doc, head: list[str], rows: list[list[str]], widths: list[float]):
    """A bordered table: a bold 黑体 header row, rows in 仿宋 五号, column widths in proportion."""
    t = doc.add_table(rows=1 + len(rows), cols=len(head))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    total = sum(widths)
    emu = [int(TEXT_WIDTH * w / total) for w in widths]
    for i, column in enumerate(t._tbl.tblGrid.gridCol_lst):
        column.w = emu[i]
    for r, values in enumerate([head, *rows]):
        for c, tc in enumerate(t._tbl.tr_lst[r].tc_lst):
            tc.width = emu[c]
            cell = Paragraph(tc.p_lst[0], t)
            cell.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            # off the document grid (28 三号 characters a line), or 五号 text would take 三号 widths
            cell._p.get_or_add_pPr().append(parse_xml(f'<w:snapToGrid {nsdecls("w")} w:val="0"/>'))
            cell.alignment = WD_ALIGN_PARAGRAPH.CENTER
            set_font(cell.add_run(str(values[c])), HEITI if r == 0 else FANGSONG, WUHAO)
    return t
