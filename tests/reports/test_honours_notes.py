"""The bulletin and the annual report, in Word and in Excel, say what the run left to the office and what it
rescaled: subjects tied at the honours boundary read "并列，需考核办确定" (never named, never seven of six),
and a total rescaled for items without a target (按其他指标得分率折算) is noted under the score table."""

from __future__ import annotations

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.assessment.helpers import project, target, unit
from zhaoshang.assessment.engine.run import run_scheme, store
from zhaoshang.assessment.engine.scheme import load_preset, parse_scheme
from zhaoshang.assessment.engine.xlsx import write_xlsx
from zhaoshang.reports.bulletin import annual_content, annual_docx, bulletin_docx, write_annual
from zhaoshang.reports.content import bulletin_content
from zhaoshang.reports.tables import annual_workbook, bulletin_workbook

pytestmark = pytest.mark.django_db

UNDECIDED = "并列，需考核办确定"

# Two places of 先进单位; a unit scores one point per project signed in the year, no tie-breakers.
TWO_PLACES = """
key = "two-places"
name = "签约项目竞赛"
subject = "unit"
[subjects]
groups = ["区县"]
[ranking]
within = "all"
[honours]
name = "先进单位"
top = 2
within = "all"
[[items]]
key = "signed"
name = "签约项目"
rule = "per_item"
per = 1
value = { measure = "project_count", stage = "signed" }
"""


@pytest.fixture
def tied_run(db):
    """甲区 2 projects (first); 乙区 and 丙区 1 each, tied at place 2 of 2; 丁区 none."""
    names = {"Q1": "甲区", "Q2": "乙区", "Q3": "丙区", "Q4": "丁区"}
    units = {code: unit(code, "区县", name=name) for code, name in names.items()}
    for code, n in (("Q1", 2), ("Q2", 1), ("Q3", 1)):
        for i in range(n):
            project(units[code], f"2024-0{i + 2}-01", 1000)
    return store(run_scheme(parse_scheme(TWO_PLACES), "2024"))


def paragraphs(path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def cells(ws) -> list[str]:
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]


def test_run_leaves_the_tie_to_the_office(tied_run):
    results = {r["subject"]["name"]: r for r in tied_run.results["results"]}
    assert results["甲区"]["honours"] == ["先进单位"]
    assert results["乙区"]["honours"] == results["丙区"]["honours"] == []
    assert results["乙区"]["honours_pending"] == results["丙区"]["honours_pending"] == ["先进单位"]


def test_bulletin_docx_and_xlsx_show_the_undecided_tie(tied_run, tmp_path):
    bulletin_docx(tied_run, tmp_path / "b.docx")
    text = paragraphs(tmp_path / "b.docx")
    assert "按考核得分，甲区列入先进单位。" in text
    tie = next(line for line in text if UNDECIDED in line)
    assert tie.startswith("乙区、丙区") and "甲区" not in tie and "丁区" not in tie

    bulletin_workbook(bulletin_content(tied_run), tmp_path / "b.xlsx")
    ws = load_workbook(tmp_path / "b.xlsx")["先进单位"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    assert rows[0] == ["甲区", "先进单位"]
    assert rows[1][0] == "乙区、丙区" and UNDECIDED in rows[1][1]


def test_annual_report_docx_and_xlsx_show_the_undecided_tie(tied_run, tmp_path):
    content = annual_docx(tied_run, tmp_path / "a.docx")
    doc = Document(str(tmp_path / "a.docx"))
    text = [p.text for p in doc.paragraphs]
    assert any(line.startswith("经研究，授予甲区等1个单位") for line in text)
    assert any(line.startswith("乙区、丙区") and UNDECIDED in line for line in text)
    totals = {row.cells[2].text: row.cells[6].text for row in doc.tables[0].rows[1:]}
    assert totals["甲区"] == "先进单位"
    assert totals["乙区"] == totals["丙区"] == f"先进单位（{UNDECIDED}）"
    assert totals["丁区"] == "—"
    sheet = next(s for s in content["sheets"] if s["name"] == "乙区")
    assert UNDECIDED in sheet["summary"]

    annual_workbook(content, tmp_path / "a.xlsx")
    wb = load_workbook(tmp_path / "a.xlsx")
    assert f"先进单位（{UNDECIDED}）" in cells(wb["考核结果"])
    honours = cells(wb["先进单位"])
    assert "甲区" in honours and any(c.startswith("乙区、丙区") and UNDECIDED in c for c in honours)


def test_run_xlsx_marks_the_undecided_tie_in_its_honours_column(tied_run, tmp_path):
    write_xlsx(tied_run.results, tmp_path / "run.xlsx")
    ws = load_workbook(tmp_path / "run.xlsx")["考核结果"]
    head = [c.value for c in ws[2]]
    honours = {row[3]: row[head.index("荣誉")] for row in ws.iter_rows(min_row=3, values_only=True)}
    assert honours["甲区"] == "先进单位"
    assert honours["乙区"] == honours["丙区"] == f"先进单位（{UNDECIDED}）"
    assert not honours["丁区"]


def test_no_tie_no_note(db, tmp_path):
    # one clear first of two places: nothing is left to the office
    a, b = unit("Q1", "区县", name="甲区"), unit("Q2", "区县", name="乙区")
    project(a, "2024-02-01", 1000)
    project(a, "2024-03-01", 1000)
    project(b, "2024-02-01", 1000)
    run = store(run_scheme(parse_scheme(TWO_PLACES), "2024"))
    bulletin_docx(run, tmp_path / "b.docx")
    assert not any(UNDECIDED in line for line in paragraphs(tmp_path / "b.docx"))
    write_annual(annual_content(run), tmp_path / "a.docx")
    assert not any(UNDECIDED in line for line in paragraphs(tmp_path / "a.docx"))


def test_quarter_bulletin_names_no_honours(tied_run, tmp_path):
    q2 = store(run_scheme(parse_scheme(TWO_PLACES), "2024Q2"))
    content = bulletin_content(q2)
    assert content["honours"] is None
    bulletin_workbook(content, tmp_path / "b.xlsx")
    assert "先进单位" not in load_workbook(tmp_path / "b.xlsx").sheetnames


# ---------------------------------------------------------------------------------------------
# A total rescaled for items without a target


@pytest.fixture
def laiwu_run(db):
    """A 市直部门 without a 过亿元项目 target: (48 + 18) × 100 ÷ 80 = 82.50; a 区 with every target."""
    m2 = unit("M2", "市直部门", kind="department", name="市商务局")
    target(m2, 2019, "签约金额", 20000)
    target(m2, 2019, "外资", 100)
    project(m2, "2019-05-01", 16000, is_foreign=True, foreign_amount=90)
    d1 = unit("D1", "区及功能区", name="莱城区")
    for ind, v in (("签约金额", 100000), ("外资", 1000), ("过亿元项目", 2)):
        target(d1, 2019, ind, v)
    project(d1, "2019-03-01", 50000)
    return store(run_scheme(load_preset("laiwu-2019"), "2019"))


def test_bulletin_notes_a_rescaled_total_under_its_table(laiwu_run, tmp_path):
    bulletin_docx(laiwu_run, tmp_path / "b.docx")
    text = paragraphs(tmp_path / "b.docx")
    notes = [line for line in text if line.startswith("注：")]
    assert len(notes) == 1  # the 区 with every target is not rescaled
    note = notes[0]
    assert note.startswith("注：市商务局") and "过亿元项目" in note and "折算" in note and "82.50" in note
    # under the 市直部门 table, before the next section
    assert text.index("（二）市直部门") < text.index(note) < text.index("三、存在问题")

    bulletin_workbook(bulletin_content(laiwu_run), tmp_path / "b.xlsx")
    wb = load_workbook(tmp_path / "b.xlsx")
    assert any(c.startswith("注：市商务局") and "折算" in c for c in cells(wb["市直部门"]))
    assert not any(c.startswith("注：") for c in cells(wb["区及功能区"]))


def test_annual_report_notes_a_rescaled_total(laiwu_run, tmp_path):
    content = annual_docx(laiwu_run, tmp_path / "a.docx")
    text = paragraphs(tmp_path / "a.docx")
    assert any(line.startswith("注：市商务局") and "折算" in line for line in text)
    sheet = next(s for s in content["sheets"] if s["name"] == "市商务局")
    assert "82.50" in sheet["summary"] and "折算" in sheet["summary"]
    annual_workbook(content, tmp_path / "a.xlsx")
    assert any(c.startswith("注：市商务局") for c in cells(load_workbook(tmp_path / "a.xlsx")["考核结果"]))
