"""Issue 16, acceptance 2: the bulletin rendered by LibreOffice (PDF, then PNG pages with pdftoppm), read back
with poppler: no table cell breaks a number or a date across lines (each such cell's value is one word of the
PDF), the wide score table is on a landscape page and the narrow pages are portrait, and the completion and
ranking charts are pictures in the .docx and in the PDF."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import zipfile
from collections import Counter
from html import unescape
from pathlib import Path

import pytest
from docx import Document

from tests.assessment.helpers import fund, project
from zhaoshang.assessment.engine.run import resolve_scheme, run_scheme, store
from zhaoshang.core.docx_layout import atomic
from zhaoshang.reports.bulletin import bulletin_docx

pytestmark = pytest.mark.django_db

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>')


def _run(cmd: list[str], **kw) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=180, **kw).stdout


@pytest.fixture
def rendered(city, soffice, pdftotext, tmp_path):
    """The Q1 bulletin of the small city, with a project of a long name and a seven-figure amount, as .docx,
    PDF and PNG pages."""
    bj = city["offices"][0]
    big = project(bj, "2024-03-18", 1234567.89, code="XM-BJ-9", industry="新一代信息技术",
                  name="北京新一代信息技术产业园区综合开发建设项目（一期工程及配套基础设施）", investor_origin="北京")
    fund(big, "2024-03-25", 23456.78)
    run = store(run_scheme(resolve_scheme("bole-2023"), "2024Q1", dt.date(2024, 3, 31)))
    docx = tmp_path / "bulletin.docx"
    content = bulletin_docx(run, docx)
    out = tmp_path / "pdf"
    profile = tmp_path / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), str(docx)], capture_output=True, timeout=180, check=True,
                   env={**os.environ, "HOME": str(tmp_path)})
    pdf = out / "bulletin.pdf"
    assert pdf.exists(), "LibreOffice did not write the PDF"
    _run(["pdftoppm", "-r", "40", "-png", str(pdf), str(out / "page")])
    return {"content": content, "docx": docx, "pdf": pdf, "pngs": sorted(out.glob("page-*.png"))}


def pages(pdf: Path) -> list[tuple[float, float]]:
    info = _run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)])
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]


def page_text(pdf: Path, n: int) -> str:
    """The page's text without spaces (pdftotext spaces out CJK runs in narrow cells)."""
    return re.sub(r"\s+", "", _run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"]))


def test_png_pages_and_page_orientation(rendered):
    sizes = pages(rendered["pdf"])
    assert len(rendered["pngs"]) == len(sizes) >= 4
    assert all(p.stat().st_size > 1000 for p in rendered["pngs"])
    # the score table (14 columns) is on landscape pages; the body text on portrait A4
    texts = {n: page_text(rendered["pdf"], n) for n in range(1, len(sizes) + 1)}
    table_pages = [n for n, text in texts.items() if "驻北京招商局" in text and "等次" in text]
    assert table_pages
    for n in table_pages:
        w, h = sizes[n - 1]
        assert w > h and round(w) == 842 and round(h) == 595, (n, w, h)
    w, h = sizes[0]
    assert (round(w), round(h)) == (595, 842)  # the first page (版头) is portrait A4


def test_no_table_cell_breaks_a_number_or_a_date(rendered):
    """Every number, percentage and date in a table is one word of the PDF (a value broken across lines
    would be two words on two lines)."""
    bbox = _run(["pdftotext", "-bbox", str(rendered["pdf"]), "-"])
    words = Counter(unescape(w) for _x, _y, w in WORD.findall(bbox))
    doc = Document(str(rendered["docx"]))
    wanted: Counter = Counter()
    for table in doc.tables:
        for row in table.rows:
            seen = set()
            for cell in row.cells:
                if cell._tc in seen:  # a merged cell appears once per column it spans
                    continue
                seen.add(cell._tc)
                value = cell.text.strip()
                if len(value) >= 3 and atomic(value) and re.search(r"\d", value):
                    wanted[value] += 1
    assert "1,234,567.89" in wanted and "2024-03-18" in wanted  # the hard cases are in the tables
    missing = {v: (n, words[v]) for v, n in wanted.items() if words[v] < n}
    assert not missing, f"broken across lines (value: in tables, whole in the PDF): {missing}"


def test_charts_are_pictures(rendered):
    with zipfile.ZipFile(rendered["docx"]) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/") and n.endswith(".png")]
    assert len(media) >= 2  # the completion chart and the ranking chart
    listing = _run(["pdfimages", "-list", str(rendered["pdf"])]).splitlines()[2:]
    images = [line.split() for line in listing if line.split() and line.split()[2] == "image"]
    assert len(images) >= 2
    assert all(int(i[3]) >= 400 and int(i[4]) >= 150 for i in images)  # width, height in pixels
    text = _run(["pdftotext", "-layout", str(rendered["pdf"]), "-"])
    assert "全市主要指标完成情况" in text.replace(" ", "") and "各单位签约金额完成情况" in text.replace(" ", "")
