"""The 公文 layout of GB/T 9704-2012 in python-docx: A4, 版心 156 × 225 mm (margins 37 mm top, 35 mm
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

import io
import re
import zipfile
from copy import deepcopy
from itertools import repeat
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table

XIAOBIAOSONG = "方正小标宋简体"
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
RED = RGBColor(0xFF, 0x00, 0x00)
SANHAO, ERHAO, SIHAO, WUHAO = Pt(16), Pt(22), Pt(14), Pt(10.5)
LINE = Pt(28.95)  # 22 lines in the 225 mm 版心
LINE_PITCH = 579  # twips: 28.95 pt, the document grid's line pitch
# 28 characters of 三号 (16 pt) in 156 mm (442.2 pt): each character 0.25 pt condensed (15.75 pt). The standard's
# Word templates get this from a character grid (docGrid charSpace −842); LibreOffice lays a character wider
# than its grid cell over two cells (14 a line), so the pitch is made by character spacing on the styles,
# which Word and LibreOffice both honour, with a line grid for the 22 lines.
CONDENSE = -5  # twentieths of a point
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
        if line is not None and line[1] is None:
            pf.line_spacing_rule = line[0]  # single: off the body's fixed 28.95 pt
        elif line is not None:
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


def new_document(spliced: bool = False) -> Document:
    """A document in the 公文 layout. `spliced`: its tables are kept as XML text and put in by `save` (see
    `table`), which such a document must be saved with."""
    doc = Document()
    if spliced:
        doc._zs_tables = []
    sec = doc.sections[0]
    _page(sec, landscape=False)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FANGSONG, SANHAO
    _fonts(normal.element.get_or_add_rPr(), FANGSONG)
    normal.element.get_or_add_rPr().append(parse_xml(f'<w:spacing {nsdecls("w")} w:val="{CONDENSE}"/>'))
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
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))


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


def page_break(doc) -> None:
    para(doc, "", BODY).add_run().add_break(WD_BREAK.PAGE)


def attachment_mark(doc) -> None:
    """“附件” at the top left of an attachment's first page, in 黑体."""
    p = para(doc, "附件", HEADING1)
    p.paragraph_format.first_line_indent = Pt(0)


def _section_break(doc, landscape: bool):
    """End the current section at the last paragraph (a paragraph of its own only after a table: an extra
    empty paragraph could spill onto a blank page) and start a new one on a new page."""
    body_el = doc.element.body
    sentinel = body_el.find(qn("w:sectPr"))
    last = sentinel.getprevious()
    if (last is None or last.tag != qn("w:p") or last.find(qn("w:pPr") + "/" + qn("w:sectPr")) is not None
            or SPLICE in "".join(last.itertext())):  # a table, or a table's placeholder
        last = para(doc, "", BODY)._p
    ended = deepcopy(sentinel)
    last.get_or_add_pPr().append(ended)
    sec = doc.sections[-1]
    sec.start_type = WD_SECTION.NEW_PAGE
    _page(sec, landscape=landscape)
    return sec


def landscape(doc):
    """Start a landscape section on a new page (for a table too wide for the portrait 版心)."""
    return _section_break(doc, True)


def portrait(doc):
    return _section_break(doc, False)


def picture(doc, png: bytes, width_mm: float = 150, caption: str = "") -> None:
    """A chart as a PNG picture, centred, with its caption below."""
    p = para(doc, "", PICTURE)
    p.add_run().add_picture(io.BytesIO(png), width=Mm(width_mm))
    if caption:
        para(doc, caption, CAPTION).paragraph_format.space_after = Pt(12)


# ---------------------------------------------------------------------------------------------
# Tables

ATOMIC = re.compile(r"^(—|-|[-+]?[\d,]+(\.\d+)?%?|\d{4}-\d{2}-\d{2}|\d{4}年\d{1,2}月\d{1,2}日|第?\d+名?)$")
PAD_PT = 2 * 2.85 + 2.5  # cell margins (57 twips each side) and a little air
SHORT = 8  # a name of up to 8 characters (驻北京招商局) stays on one line too
PORTRAIT_SIZES = (10.5, 9)
LANDSCAPE_SIZES = (10.5, 9, 8, 7.5, 7, 6.5)


def _char_width(ch: str) -> float:
    """Width in em of a character as a substituted font may draw it (DejaVu Sans digits are 0.64 em)."""
    if ord(ch) >= 0x2E80 or ch in "—“”‘’…":
        return 1.0
    if ch in ",.:;'|!ijl ":
        return 0.34
    if ch in "%@MWmw":
        return 1.0
    if ch == "-":
        return 0.4
    return 0.64


EM = {chr(c): _char_width(chr(c)) for c in range(32, 127)}  # anything else: 1 em


def em(text: str) -> float:
    return sum(map(EM.get, text, repeat(1.0)))


def atomic(text: str) -> bool:
    """A cell that must never break across lines: a number, a percentage, a date, a rank, a dash, or a word of
    at most four characters (优秀, 不合格, 签约)."""
    return bool(ATOMIC.match(text)) or len(text) <= 4


def measure(headers: list[list[str]], rows: list[list[str]], ncols: int) -> list[tuple[float, float, float, int]]:
    """Per column, in em (so once for every font size): the widest header text (up to 6 characters; headers
    wrap), the widest cell that must not break (`atomic`, or a name of up to `SHORT` characters), the widest
    cell, and the longest Latin word (a code) of the cells that may wrap (-1 when none may)."""
    head = [0.0] * ncols
    atom = [0.0] * ncols
    whole = [0.0] * ncols
    word = [-1] * ncols
    cache: dict[str, float] = {}
    for texts in headers:
        for c, t in enumerate(texts[:ncols]):
            head[c] = max(head[c], min(em(t), 6.0))
    for row in rows:
        for c, t in enumerate(row[:ncols]):
            known = cache.get(t)
            if known is None:
                known = cache[t] = (em(t), atomic(t))
            width, is_atomic = known
            if width > whole[c]:
                whole[c] = width
            if (is_atomic or len(t) <= SHORT) and width > atom[c]:
                atom[c] = width
            if not is_atomic:
                longest = max((len(x) for x in re.findall(r"[\x21-\x7e]+", t)), default=0)
                word[c] = max(word[c], longest)
    return [(head[c], atom[c], whole[c], word[c]) for c in range(ncols)]


def _columns(stats, size: float) -> tuple[list[float], list[float], list[float]]:
    """Per column at `size` pt: the width below which a cell would break a number or a word (min), the width
    at which no body cell wraps (want), and at which the header does not wrap either (head)."""
    mins, wants, heads = [], [], []
    for head, atom, whole, word in stats:
        m = max(2 * size, atom * size)  # a header wraps, but not one character a line
        if word >= 0:  # text that wraps: at least four characters a line, and a code on one line
            m = max(m, 4 * size, word * 0.64 * size)
        mins.append(m + PAD_PT)
        wants.append(max(m, whole * size) + PAD_PT)
        heads.append(max(m, whole * size, head * size) + PAD_PT)
    return mins, wants, heads


def plan(headers: list[list[str]], rows: list[list[str]], ncols: int) -> tuple[float, list[float], bool]:
    """(font size in pt, column widths in pt, landscape) for a table: the largest 五号-or-smaller size at which
    every number, date and short word fits its column on a portrait page; else on a landscape page; the space
    left goes to the text columns (names) first, up to their whole length."""
    stats = measure(headers, rows, ncols)
    for land, sizes in ((False, PORTRAIT_SIZES), (True, LANDSCAPE_SIZES)):
        avail = (LANDSCAPE_WIDTH if land else TEXT_WIDTH).pt
        for size in sizes:
            mins, wants, heads = _columns(stats, size)
            if sum(mins) <= avail:
                return size, _share(_share(mins, wants, avail), heads, avail, spread=True), land
    size = LANDSCAPE_SIZES[-1]
    mins, _wants, _heads = _columns(stats, size)
    avail = LANDSCAPE_WIDTH.pt
    return size, [m * avail / sum(mins) for m in mins], True


def _share(mins: list[float], wants: list[float], avail: float, spread: bool = False) -> list[float]:
    """Widen the columns from `mins` towards `wants` as far as `avail` allows (in proportion to what each
    lacks); with `spread`, what is left over goes to every column in proportion to its width."""
    widths = list(mins)
    need = [max(w - m, 0) for w, m in zip(wants, mins, strict=True)]
    spare = avail - sum(widths)
    if sum(need) > 0 and spare > 0:
        k = min(1.0, spare / sum(need))
        widths = [w + n * k for w, n in zip(widths, need, strict=True)]
    if spread:
        spare = avail - sum(widths)
        widths = [w + spare * w / sum(widths) for w in widths]
    return widths


def _size_styles(doc, size: float) -> tuple[str, str, str]:
    """The paragraph styles of a table's cells at `size` pt (head in 黑体, text left, numbers centred),
    made once per document and size."""
    key = str(size).replace(".", "_")
    ids = (f"GwTableHead{key}", f"GwTableText{key}", f"GwTableNum{key}")
    if ids[0] not in {s.style_id for s in doc.styles}:
        single = (WD_LINE_SPACING.SINGLE, None)
        _style(doc, ids[0], f"表头{size}磅", HEITI, Pt(size), align=WD_ALIGN_PARAGRAPH.CENTER, line=single,
               grid=False)
        _style(doc, ids[1], f"表格文字{size}磅", FANGSONG, Pt(size), align=WD_ALIGN_PARAGRAPH.LEFT, line=single,
               grid=False)
        _style(doc, ids[2], f"表格数字{size}磅", FANGSONG, Pt(size), align=WD_ALIGN_PARAGRAPH.CENTER, line=single,
               grid=False)
    return ids


def _tc(text: str, style: str, width: int, span: int = 1, vmerge: str | None = None, nowrap: bool = False) -> str:
    pr = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        pr += f'<w:gridSpan w:val="{span}"/>'
    if vmerge == "restart":
        pr += '<w:vMerge w:val="restart"/>'
    elif vmerge:
        pr += "<w:vMerge/>"
    if nowrap:
        pr += "<w:noWrap/>"
    pr += '<w:vAlign w:val="center"/>'
    run = f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""
    return f'<w:tc><w:tcPr>{pr}</w:tcPr><w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{run}</w:p></w:tc>'


BORDERS = "".join(f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                  for s in ("top", "left", "bottom", "right", "insideH", "insideV"))


def table(doc, head1: list[dict], head2: list[str], rows: list[list[str]], widths=None, *,
          in_landscape: bool | None = None, planned: tuple[float, list[float], bool] | None = None):
    """A table with a one- or two-row header (a `head1` cell spans two rows or several columns, whose
    `head2` texts are below it), written as one XML fragment: fixed layout, the header rows repeated on each
    page, rows never split, numbers and dates kept on one line (`plan`, or `planned`; `widths` is no longer
    read: the widths are measured from the text). Returns the
    python-docx Table and whether it wants a landscape page; with `in_landscape` the caller chose the page and
    the widths are stretched to it."""
    ncols = sum(c.get("colspan", 1) for c in head1)
    nhead = 2 if head2 else 1
    col_heads = _column_heads(head1, head2)
    texts = [[str(v) for v in row] for row in rows]
    size, pts, land = planned or plan([col_heads], texts, ncols)
    if in_landscape is not None and in_landscape != land:
        land = in_landscape
        avail = (LANDSCAPE_WIDTH if land else TEXT_WIDTH).pt
        pts = [w * avail / sum(pts) for w in pts]
    tw = [int(w * 20) for w in pts]  # twips
    head, text, num = _size_styles(doc, size)
    spliced = getattr(doc, "_zs_tables", None)
    decl = "" if spliced is not None else " " + nsdecls("w")  # spliced: the document's root declares w:
    out = [f'<w:tbl{decl}><w:tblPr><w:tblW w:w="{sum(tw)}" w:type="dxa"/><w:jc w:val="center"/>'
           f"<w:tblBorders>{BORDERS}</w:tblBorders><w:tblLayout w:type=\"fixed\"/>"
           '<w:tblCellMar><w:top w:w="23" w:type="dxa"/><w:left w:w="57" w:type="dxa"/>'
           '<w:bottom w:w="23" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
           '<w:tblLook w:val="0000" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" '
           'w:noVBand="1"/></w:tblPr><w:tblGrid>']
    out += [f'<w:gridCol w:w="{w}"/>' for w in tw]
    out.append("</w:tblGrid>")
    hdr = '<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>'
    first, second = [f"<w:tr>{hdr}"], [f"<w:tr>{hdr}"]
    col = sub = 0
    for h in head1:
        span = h.get("colspan", 1)
        width = sum(tw[col : col + span])
        if span > 1:
            first.append(_tc(h["text"], head, width, span))
            second += [_tc(head2[sub + k], head, tw[col + k]) for k in range(span)]
            sub += span
        elif nhead == 2:
            first.append(_tc(h["text"], head, width, vmerge="restart"))
            second.append(_tc("", head, width, vmerge="continue"))
        else:
            first.append(_tc(h["text"], head, width))
        col += span
    out += first + ["</w:tr>"]
    if nhead == 2:
        out += second + ["</w:tr>"]
    body_tr = "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
    for row in texts:
        out.append(body_tr)
        for c, t in enumerate(row[:ncols]):
            is_atomic = atomic(t)
            centred = is_atomic and (c > 0 or ATOMIC.match(t))  # a 序号 is centred, a unit's name is not
            out.append(_tc(t, num if centred else text, tw[c], nowrap=is_atomic))
        out.append("</w:tr>")
    out.append("</w:tbl>")
    if spliced is not None:  # a placeholder now, the table's text at `save`: no XML tree of 40,000 cells
        spliced.append("".join(out))
        para(doc, "", BODY).add_run(f"{SPLICE}{len(spliced) - 1}{SPLICE}")
        return None, land
    tbl = parse_xml("".join(out))
    _append(doc, tbl)
    return Table(tbl, doc._body), land


SPLICE = "\u2063ZSTABLE"  # an invisible separator: no text of a bulletin contains it
PLACEHOLDER = re.compile(r"<w:p(?: [^>]*)?><w:pPr><w:pStyle w:val=\"GwBody\"/></w:pPr><w:r><w:t>" + SPLICE
                         + r"(\d+)" + SPLICE + r"</w:t></w:r></w:p>")


def save(doc, path) -> None:
    """Save the document; the tables of a `spliced` document are put in its XML as text. Building a large
    table as an lxml tree and moving it into the document costs more than all the rest of the bulletin; as
    text it is one string join."""
    tables = getattr(doc, "_zs_tables", None)
    if not tables:
        doc.save(path)
        return
    buf = io.BytesIO()
    doc.save(buf)
    with zipfile.ZipFile(buf) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                text, n = PLACEHOLDER.subn(lambda m: tables[int(m.group(1))], data.decode("utf-8"))
                if n != len(tables):
                    raise RuntimeError(f"{len(tables) - n} table(s) of the document were not put in")
                data = text.encode("utf-8")
            zout.writestr(item, data)


def _column_heads(head1: list[dict], head2: list[str]) -> list[str]:
    """The header text over each column: a spanning cell's columns are named by the row below it."""
    out: list[str] = []
    sub = 0
    for h in head1:
        span = h.get("colspan", 1)
        if span > 1:
            out += head2[sub : sub + span]
            sub += span
        else:
            out.append(h["text"])
    return out


def _append(doc, element) -> None:
    """Put a block element at the end of the body (before the last section's properties)."""
    body_el = doc.element.body
    sectpr = body_el.find(qn("w:sectPr"))
    if sectpr is not None:
        sectpr.addprevious(element)
    else:
        body_el.append(element)


def _plan_of(head1: list[dict], head2: list[str], rows: list[list[str]]):
    ncols = sum(c.get("colspan", 1) for c in head1)
    return plan([_column_heads(head1, head2)], [[str(v) for v in r] for r in rows], ncols)


def plan_is_landscape(head1: list[dict], head2: list[str], rows: list[list[str]]) -> bool:
    return _plan_of(head1, head2, rows)[2]


def wide_table(doc, head1: list[dict], head2: list[str], rows: list[list[str]], *, before=None, after=None) -> Table:
    """A table on the page it fits: in place when a portrait page holds it, else in a landscape section of
    its own, with what `before` and `after` write (its heading, its notes) on the same pages."""
    planned = _plan_of(head1, head2, rows)
    land = planned[2]
    if land:
        landscape(doc)
    if before is not None:
        before()
    t, _land = table(doc, head1, head2, rows, planned=planned)
    if after is not None:
        after()
    if land:
        portrait(doc)
    return t
