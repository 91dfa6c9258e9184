"""The Word and Excel files themselves (without LibreOffice, see tests/documents for that): 公文 page
setup, fonts set by name, page number fields, merged header cells, table numbers equal to the run's
results, numbers as numbers and formula-like text as text."""

from decimal import Decimal

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import Workbook, load_workbook

from zhaoshang.reports.bulletin import annual_docx, bulletin_docx
from zhaoshang.reports.content import bulletin_content
from zhaoshang.reports.tables import annual_workbook, bulletin_workbook, put

pytestmark = pytest.mark.django_db


def fonts(doc) -> set[str]:
    """The East-Asian fonts the document's styles name (fonts are set on styles, never run by run)."""
    return {el.get(qn("w:eastAsia")) for el in doc.styles.element.iter(qn("w:rFonts"))}


def font_of(paragraph, run=None) -> tuple[str, float]:
    """The font name and size a run is shown in: its character style's, else its paragraph style's (or the
    styles that one is based on)."""
    run = run or paragraph.runs[0]
    style = run.style if run.style is not None and run.style.name != "Default Paragraph Font" else paragraph.style
    name = size = None
    while style is not None and (name is None or size is None):
        name = name or style.font.name
        size = size or (style.font.size.pt if style.font.size else None)
        style = style.base_style
    return name, size


def test_bulletin_layout(q1_run, tmp_path):
    bulletin_docx(q1_run, tmp_path / "b.docx")
    doc = Document(str(tmp_path / "b.docx"))
    sec = doc.sections[0]
    def mm(length) -> float:  # Word stores twips: 210 mm is 11906 twips, 210.01 mm
        return round(length / 36000, 1)

    assert (mm(sec.page_width), mm(sec.page_height)) == (210, 297)
    assert (mm(sec.top_margin), mm(sec.left_margin)) == (37, 28)
    assert mm(sec.page_width - sec.left_margin - sec.right_margin) == 156
    assert mm(sec.page_height - sec.top_margin - sec.bottom_margin) == 225
    assert {"方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"} <= fonts(doc)
    first = doc.paragraphs[0]
    assert first.text == "招商引资工作领导小组办公室" and str(first.style.font.color.rgb) == "FF0000"
    texts = [p.text for p in doc.paragraphs]
    assert "（草稿，发布时编号）" in texts[2]  # a draft has no 文号 yet (see test_bulletin_numbers)
    # the title names the scheme's scope: the Bole scheme assesses the 驻点招商局, not the whole city
    assert "关于2024年第一季度驻点招商局招商引资工作情况的通报" in texts
    assert "各驻点招商局：" in texts
    title = next(p for p in doc.paragraphs if p.text.startswith("关于"))
    assert font_of(title) == ("方正小标宋简体", 22)
    body = next(p for p in doc.paragraphs if p.text.startswith("2024年第一季度，全市"))
    assert font_of(body) == ("仿宋_GB2312", 16)
    for heading, font in (("一、总体情况", "黑体"), ("二、各地完成情况", "黑体"), ("三、存在问题", "黑体"),
                          ("四、下步工作要求", "黑体"), ("（一）驻点招商局", "楷体_GB2312")):
        p = next(p for p in doc.paragraphs if p.text.startswith(heading))
        assert font_of(p)[0] == font, heading
    # no run carries its own font: everything is on the styles (with the East-Asian font set)
    assert not [r for r in doc.element.body.iter(qn("w:rFonts"))]
    normal = doc.styles["Normal"]
    assert normal.paragraph_format.line_spacing.pt == 28.95
    grid = sec._sectPr.find(qn("w:docGrid"))
    assert (grid.get(qn("w:type")), grid.get(qn("w:linePitch"))) == ("lines", "579")  # 22 lines a page
    # 28 characters a line: 三号 (16 pt) condensed by 0.25 pt is 15.75 pt, 28 of them 441 pt ≤ 156 mm (442.2 pt)
    assert normal.element.rPr.find(qn("w:spacing")).get(qn("w:val")) == "-5"
    rule = doc.paragraphs[2]._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:color")) == "FF0000"
    for footer in (sec.footer, sec.even_page_footer):
        xml = footer._element.xml
        assert 'w:instr="PAGE"' in xml and "— " in footer.paragraphs[0].text
    assert "附件" in texts and "重点项目清单" in texts


def test_ranking_table_numbers_equal_the_run(q1_run, tmp_path):
    bulletin_docx(q1_run, tmp_path / "b.docx")
    doc = Document(str(tmp_path / "b.docx"))
    table = doc.tables[0]
    # header: 单位 spans two rows; each indicator spans its four columns
    assert table.cell(0, 0)._tc is table.cell(1, 0)._tc
    assert table.cell(0, 1)._tc is table.cell(0, 4)._tc and table.cell(0, 1).text == "签约资金完成情况（万元）"
    assert [table.cell(1, c).text for c in range(1, 5)] == ["目标", "完成", "完成率", "得分"]
    results = {r["subject"]["name"]: r for r in q1_run.results["results"]}
    rows = [[c.text for c in row.cells] for row in table.rows[2:]]
    assert [r[0] for r in rows] == ["驻北京招商局", "驻上海招商局", "驻广州招商局"]
    for row in rows:
        r = results[row[0]]
        items = {i["key"]: i for i in r["items"]}
        # …, 总分, 排名, 等次 (the scheme grades); amounts in 万元 with thousands separators
        assert Decimal(row[-3]) == Decimal(r["total"]) and int(row[-2]) == r["rank"] and row[-1] == r["grade"]
        assert Decimal(row[1].replace(",", "")) == Decimal(items["signed"]["target"])
        assert row[2] == f'{Decimal(items["signed"]["value"]).quantize(Decimal("0.01")):,}'
        assert Decimal(row[4]) == Decimal(items["signed"]["points"])
        assert Decimal(row[8]) == Decimal(items["funds"]["points"])
        # 项目跑办（北京局）spans 目标/完成/完成率/得分 like the targeted items: no 项目跑办 target here → "—", 0分
        assert row[9:12] == ["—", "—", "—"] and Decimal(row[12]) == Decimal(items["liaison"]["points"])
        assert Decimal(row[13]) == Decimal(items["start_rate"]["points"])


def test_problems_drawn_from_data(q1_run):
    content = bulletin_content(q1_run)
    text = "\n".join(line for p in content["problems"] for line in p["lines"])
    assert "驻广州招商局（0.00%）" in text  # behind schedule
    assert "驻上海招商局（迟报1次）" in text and "驻广州招商局（未报1次）" in text
    assert content["key_projects"][0][1] == "北京新能源电池项目"


def test_annual_report_explains_every_item(q1_run, tmp_path):
    content = annual_docx(q1_run, tmp_path / "a.docx")
    doc = Document(str(tmp_path / "a.docx"))
    totals = doc.tables[0]
    # Q1 year-to-date: 42000.5 against 100000 × 序时进度25% = 25000 → capped at 50分 (was 21 of 50)
    assert [c.text for c in totals.rows[1].cells][2:4] == ["驻北京招商局", "100.00"]
    explained = [row.cells[3].text for t in doc.tables[1:] for row in t.rows[1:]]
    n_items = sum(len(r["items"]) for r in q1_run.results["results"])
    assert len(explained) == n_items and all(explained)
    assert len(content["sheets"]) == len(q1_run.results["results"])


def test_workbooks_numbers_and_text(q1_run, tmp_path):
    content = bulletin_content(q1_run)
    bulletin_workbook(content, tmp_path / "b.xlsx")
    wb = load_workbook(tmp_path / "b.xlsx")
    ws = wb["驻点招商局"]
    assert ws.freeze_panes == "B4"
    assert ws["A2"].value == "单位" and "A2:A3" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A4"].value == "驻北京招商局"
    assert ws["B4"].value == 100000 and ws["C4"].value == Decimal("42000.5") or float(ws["C4"].value) == 42000.5
    assert ws["D4"].number_format == "0.00%" and abs(ws["D4"].value - 0.42) < 1e-9
    assert float(ws["P4"].value) == 100.0  # 签约 42000.5 ≥ 序时目标 25000 → 50分 (the total, after 项目跑办 J–M)
    assert set(wb.sheetnames) >= {"总体情况", "驻点招商局", "红黑榜", "存在问题", "重点项目"}
    annual_workbook({**__import__("zhaoshang.reports.bulletin", fromlist=["x"]).annual_content(q1_run)},
                    tmp_path / "a.xlsx")
    assert load_workbook(tmp_path / "a.xlsx")["得分明细"].max_row > 3


def test_formula_like_text_stays_text(tmp_path):
    wb = Workbook()
    ws = wb.active
    for i, text in enumerate(["=1+1", "+86 123", "-x", "@SUM(A1)", "12.5", "-3", "25.00%"], 1):
        put(ws, i, 1, text)
    wb.save(tmp_path / "t.xlsx")
    ws = load_workbook(tmp_path / "t.xlsx").active
    assert [ws.cell(i, 1).value for i in range(1, 5)] == ["=1+1", "+86 123", "-x", "@SUM(A1)"]
    assert all(ws.cell(i, 1).data_type == "s" for i in range(1, 5))
    assert float(ws.cell(5, 1).value) == 12.5 and ws.cell(6, 1).value == -3
    assert abs(ws.cell(7, 1).value - 0.25) < 1e-9
