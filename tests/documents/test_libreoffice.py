"""Acceptance 2: the generated bulletin, annual report and workbooks open in LibreOffice; the layout
elements are there (as text in the PDF); the tables' numbers equal the engine's results."""

import re
from decimal import Decimal

import pytest

from zhaoshang.reports.bulletin import annual_docx, bulletin_docx
from zhaoshang.reports.content import bulletin_content
from zhaoshang.reports.tables import annual_workbook, bulletin_workbook

pytestmark = pytest.mark.django_db


def squash(text: str) -> str:
    """pdftotext puts spaces between CJK and Latin runs and breaks lines: compare without them."""
    return re.sub(r"\s+", "", text)


def test_bulletin_in_libreoffice(q1_run, to_pdf, tmp_path):
    content = bulletin_docx(q1_run, tmp_path / "bulletin.docx")
    text, pages = to_pdf(tmp_path / "bulletin.docx")
    flat = squash(text)
    # a draft has no 文号 yet; the title names the Bole scheme's scope (驻点招商局), not 全市
    for expected in ("招商引资工作领导小组办公室", "发布时编号", "关于2024年第一季度驻点招商局招商引资工作情况的通报",
                     "一、总体情况", "二、各地完成情况", "三、存在问题", "四、下步工作要求", "红榜", "黑榜",
                     "附件", "重点项目清单", "—1—", "—2—", "时序进度"):
        assert expected in flat, expected
    assert 2 <= pages <= 9
    # every unit's row of the ranking table: its total, rank and grade follow its name, as the engine gave them
    for r in q1_run.results["results"]:
        rows = [line for line in text.splitlines()
                if re.search(rf"{re.escape(r['total'])}\s+{r['rank']}\s+{r['grade']}\s*$", line)]
        assert rows, r["subject"]["name"]
        assert any(r["subject"]["name"][:3] in line for line in rows), rows
    for line in content["overview"]:
        assert squash(line)[:20] in flat


def test_annual_report_in_libreoffice(q1_run, to_pdf, tmp_path):
    content = annual_docx(q1_run, tmp_path / "annual.docx")
    text, pages = to_pdf(tmp_path / "annual.docx")
    flat = squash(text)
    assert "关于2024年度驻点招商局招商引资工作考核结果的通报" in flat and "各单位考核得分明细" in flat
    for sheet in content["sheets"]:
        assert squash(sheet["summary"]) in flat
    assert pages >= 2


def test_workbooks_in_libreoffice(q1_run, to_pdf, tmp_path):
    content = bulletin_content(q1_run)
    bulletin_workbook(content, tmp_path / "bulletin.xlsx")
    text, pages = to_pdf(tmp_path / "bulletin.xlsx")
    flat = squash(text)
    assert "驻北京招商局" in flat and "签约资金完成情况" in flat and pages >= 1
    totals = [Decimal(r["total"]) for r in q1_run.results["results"]]
    for t in totals:
        assert str(t.normalize()) in flat or f"{t:.2f}" in flat
    annual_workbook(__import__("zhaoshang.reports.bulletin", fromlist=["x"]).annual_content(q1_run),
                    tmp_path / "annual.xlsx")
    text, _ = to_pdf(tmp_path / "annual.xlsx")
    assert "得分明细" in squash(text) or "计分说明" in squash(text)
