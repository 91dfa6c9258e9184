"""Issue 16, acceptance 1: bulletins as a 公文 ready to issue — a 文号 per issuing body and year of issue,
reserved when the bulletin is frozen and never reused; 主送 and 抄送 (版记) as the scheme says; the issuing body
carries the city's name; the title names the scheme's scope; the score table has a column per item; the
download names carry scheme, period and 文号; the .xlsx prints on A4."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from zhaoshang.assessment.engine.run import resolve_scheme, run_scheme, store
from zhaoshang.assessment.engine.scheme import SchemeError, parse_scheme
from zhaoshang.assessment.publishing import publish
from zhaoshang.reports.bulletin import annual_content, bulletin_docx
from zhaoshang.reports.cockpit import cockpit_data
from zhaoshang.reports.content import bulletin_content
from zhaoshang.reports.models import DocumentNumber
from zhaoshang.reports.tables import bulletin_workbook

pytestmark = pytest.mark.django_db

BULLETIN = """
[bulletin]
main_to = ["各驻点招商局", "市直有关单位"]
copy_to = ["市委、市人大常委会、市政府、市政协领导", "市纪委监委"]
code = "博招考"
"""


def bole_with_recipients():
    base = resolve_scheme("bole-2023")
    return parse_scheme(base.text + BULLETIN)


def _run(scheme, period: str, as_of: dt.date):
    return store(run_scheme(scheme, period, as_of))


def paragraphs(path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


@override_settings(ZHAOSHANG_CITY_NAME="博乐市")
def test_three_frozen_bulletins_of_one_year_have_three_numbers(city, assessor, tmp_path):
    scheme = bole_with_recipients()
    runs = [_run(scheme, "2024Q1", dt.date(2024, 3, 31)), _run(scheme, "2024-04", dt.date(2024, 4, 30)),
            _run(scheme, "2024Q2", dt.date(2024, 6, 30))]
    numbers = []
    for run in runs:
        publish(user=assessor, run=run)  # freezes the bulletin: the 文号 is reserved now
        run.refresh_from_db()
        numbers.append(bulletin_content(run)["doc_no"])
    year = timezone.localtime(runs[0].published_at).year  # the year of issue, not the data year (2024)
    assert numbers == [f"博招考〔{year}〕1号", f"博招考〔{year}〕2号", f"博招考〔{year}〕3号"]
    rows = DocumentNumber.objects.order_by("number")
    assert [(r.issuer, r.year, r.number, r.run_id) for r in rows] == [
        ("博乐市招商引资工作领导小组办公室", year, n, run.id) for n, run in enumerate(runs, 1)]

    # never reused: made again, the bulletin keeps its number; the annual report takes the next one
    bulletin_docx(runs[1], tmp_path / "again.docx")
    texts = paragraphs(tmp_path / "again.docx")
    assert texts[0] == "博乐市招商引资工作领导小组办公室" and f"博招考〔{year}〕2号" in texts
    assert annual_content(runs[0])["doc_no"] == f"博招考〔{year}〕4号"
    assert annual_content(runs[0])["doc_no"] == f"博招考〔{year}〕4号"
    assert DocumentNumber.objects.count() == 4


@override_settings(ZHAOSHANG_CITY_NAME="博乐市")
def test_record_names_the_schemes_copy_to(city, assessor, tmp_path):
    run = _run(bole_with_recipients(), "2024Q1", dt.date(2024, 3, 31))
    publish(user=assessor, run=run)
    run.refresh_from_db()
    content = bulletin_docx(run, tmp_path / "b.docx")
    texts = paragraphs(tmp_path / "b.docx")
    assert "各驻点招商局，市直有关单位：" in texts  # 主送 under the title
    # 版记 at the end (GB/T 9704 §7.4): 抄送 between the rules, then 印发机关 and 印发日期
    copy_line, print_line = [t for t in texts if t][-2:]
    assert copy_line == "抄送：市委、市人大常委会、市政府、市政协领导，市纪委监委。"
    assert print_line == f"博乐市招商引资工作领导小组办公室\t{content['date']}印发"
    doc = Document(str(tmp_path / "b.docx"))
    last = [p for p in doc.paragraphs if p.text][-1]
    assert last._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")) is not None  # the last rule


def test_scheme_without_recipients_and_city(q1_run, tmp_path):
    content = bulletin_docx(q1_run, tmp_path / "b.docx")
    assert content["issuer"] == "招商引资工作领导小组办公室" and content["copy_to"] == []
    assert content["title"] == "关于2024年第一季度驻点招商局招商引资工作情况的通报"  # the scheme's one group
    texts = [t for t in paragraphs(tmp_path / "b.docx") if t]
    assert texts[-1].startswith("招商引资工作领导小组办公室\t") and texts[-1].endswith("印发")
    assert not any(t.startswith("抄送") for t in texts)


def test_zhengzhou_preset_sends_to_the_four_leaderships():
    scheme = resolve_scheme("zhengzhou-2019")
    assert scheme.bulletin.copy_to == ["市委、市人大常委会、市政府、市政协领导"]
    assert scheme.bulletin.code == "郑招考"


def test_bulletin_table_errors_name_the_key():
    base = resolve_scheme("bole-2023").text
    with pytest.raises(SchemeError) as exc:
        parse_scheme(base + '\n[bulletin]\ncopy_to = 3\nsend_to = "x"\n')
    assert set(exc.value.field_errors) == {"bulletin.copy_to", "bulletin.send_to"}


def test_score_table_has_a_column_per_item(q1_run, tmp_path):
    bulletin_docx(q1_run, tmp_path / "b.docx")
    table = Document(str(tmp_path / "b.docx")).tables[0]
    scheme = resolve_scheme("bole-2023")
    heads = {c.text for row in table.rows[:2] for c in row.cells}
    for item in scheme.items:
        assert any(h.startswith(item.name) for h in heads), item.name  # its own column(s), never 其他得分
    assert "其他得分" not in heads and {"总分", "排名"} <= heads
    width = 1 + sum(4 if i.target else 1 for i in scheme.items) + 2 + (1 if "等次" in heads else 0)
    results = {r["subject"]["name"]: r for r in q1_run.results["results"]}
    for row in table.rows[2:]:
        cells = [c.text for c in row.cells]
        assert len(cells) == width
        r = results[cells[0]]
        points = {i["name"]: i["points"] for i in r["items"]}
        untargeted = [i for i in scheme.items if not i.target]
        for k, item in enumerate(untargeted):
            assert cells[1 + 4 * (len(scheme.items) - len(untargeted)) + k] == points[item.name]
        if "等次" in heads:
            assert cells[-1] == (r["grade"] or "—")
    # amounts in 万元 with thousands separators (the bole targets: 100000 → 100,000.00)
    assert table.rows[2].cells[1].text == "100,000.00"


def test_downloads_are_named_by_scheme_period_and_number(client, q1_run, assessor):
    publish(user=assessor, run=q1_run)
    q1_run.refresh_from_db()
    client.force_login(assessor)
    no = bulletin_content(q1_run)["doc_no"]
    for view, ext in (("reports:bulletin", "docx"), ("reports:bulletin_xlsx", "xlsx")):
        resp = client.get(reverse(view, args=[q1_run.pk]))
        assert resp.status_code == 200
        disposition = resp["Content-Disposition"]
        name = f"{q1_run.scheme_name}_{q1_run.period_label}_{no}_工作通报.{ext}"
        assert f"filename*=utf-8''{quote(name)}" in disposition, disposition
        b"".join(resp.streaming_content)
    assert no in client.get(reverse("reports:index")).content.decode()  # the list of runs shows it too


def test_bulletin_workbook_prints(q1_run, tmp_path):
    bulletin_workbook(bulletin_content(q1_run), tmp_path / "b.xlsx")
    wb = load_workbook(tmp_path / "b.xlsx")
    ws = wb["驻点招商局"]
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "landscape"  # 9: A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$3"
    assert "驻点招商局" in ws.oddHeader.center.text
    assert ws["A4"].alignment.wrap_text
    assert wb["重点项目"].print_title_rows == "$1:$2"


def test_charts_match_the_cockpit_in_chinese(q1_run, assessor):
    data = cockpit_data(user=assessor, year=2024, as_of=dt.date(2024, 3, 31))
    with translation.override("en"):  # a 公文 is Chinese whatever the reader's language
        charts = bulletin_content(q1_run)["charts"]
    assert [(i["key"], i["value"], i["rate"]) for i in charts["completion"]] == [
        (i["key"], i["value"], i["rate"]) for i in data["completion"]]
    assert charts["completion"][0]["label"] == "签约金额"
    cockpit = {u["unit"]: (u["value"], u["rate"]) for g in data["ranking"] for u in g["units"]}
    shown = [u for g in charts["ranking"] for u in g["units"]]
    assert {u["unit"] for u in shown} == {"驻北京招商局", "驻上海招商局", "驻广州招商局"}  # the run's units only
    assert all(cockpit[u["unit"]] == (u["value"], u["rate"]) for u in shown)


def test_a_number_taken_meanwhile_is_not_shared(city, q1_run, assessor, monkeypatch):
    """Two publications at once: the first read of the last number misses the other's row (it was not there
    yet); the unique constraint refuses the same number and the reservation takes the next one."""
    from django.db.models import QuerySet

    from zhaoshang.reports.numbers import issuer, reserve

    other = _run(resolve_scheme("bole-2023"), "2024-02", dt.date(2024, 2, 29))
    body = issuer(resolve_scheme("bole-2023"))
    DocumentNumber.objects.create(issuer=body, year=2025, number=1, run=other, kind=DocumentNumber.Kind.BULLETIN)
    original = QuerySet.select_for_update
    stale = {"left": 1}

    def read_before_the_other(self, *args, **kwargs):
        qs = original(self, *args, **kwargs)
        if self.model is DocumentNumber and stale["left"]:
            stale["left"] -= 1
            return qs.none()
        return qs

    monkeypatch.setattr(QuerySet, "select_for_update", read_before_the_other)
    taken = reserve(q1_run, DocumentNumber.Kind.BULLETIN, body, "", 2025)
    assert stale["left"] == 0 and taken.number == 2 and taken.text == "〔2025〕2号"
    assert reserve(q1_run, DocumentNumber.Kind.BULLETIN, body, "", 2025).pk == taken.pk  # the same, never a third


@override_settings(ZHAOSHANG_CITY_NAME="博乐市", ZHAOSHANG_DOC_CODE="博招办")
def test_a_scheme_without_its_own_code_takes_the_bodys_code(city, assessor):
    run = _run(resolve_scheme("bole-2023"), "2024Q1", dt.date(2024, 3, 31))
    assert bulletin_content(run)["doc_no"].startswith("博招办〔")  # the draft already shows the body's 代字
    publish(user=assessor, run=run)
    run.refresh_from_db()
    assert bulletin_content(run)["doc_no"] == f"博招办〔{timezone.localdate().year}〕1号"
