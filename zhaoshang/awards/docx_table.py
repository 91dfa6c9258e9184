"""The one piece the awards' Word documents need beyond the bulletin's 公文 layout (zhaoshang/core/docx_layout.py):
a plain bordered list table (names, units, awards) of a few dozen rows, in 五号 off the document grid."""

from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.text.paragraph import Paragraph

from zhaoshang.core.docx_layout import FANGSONG, HEITI, TEXT_WIDTH, WUHAO, set_font


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
            # off the document grid, or 五号 text would take 三号 line heights
            cell._p.get_or_add_pPr().append(parse_xml(f'<w:snapToGrid {nsdecls("w")} w:val="0"/>'))
            cell.alignment = WD_ALIGN_PARAGRAPH.CENTER
            set_font(cell.add_run(str(values[c])), HEITI if r == 0 else FANGSONG, WUHAO)
    return t
