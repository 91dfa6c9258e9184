"""奖励评选 in the browser: the assessor nominates from a published run, takes a nomination through the
招商办, 考核办 and 审计局 reviews, publishes the 公示 (5 working days from 2024-09-27 end on 2024-10-10,
after 国庆), records the 领导小组 decision and downloads the 表彰决定 (.docx) and the payout list (.xlsx);
the public notice page shows the name without a login."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.awards.conftest import catalogue, run  # noqa: F401
from tests.reports.conftest import assessor, city  # noqa: F401

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _download(page, selector: str):
    with page.expect_download() as info:
        page.click(selector)
    download = info.value
    return download.suggested_filename, open(download.path(), "rb").read()


def test_assessor_takes_a_nomination_to_the_decision(page, browser, live_server, run, catalogue, assessor):  # noqa: F811
    login(page, "assessor")
    page.click("#nav-awards")
    page.click("#catalogue-list a")
    page.select_option("#nominate-form select[name=run]", str(run.pk))
    page.click("#nominate-submit")
    page.wait_for_selector("text=已根据考核结果生成2个提名")

    page.locator("#nomination-table a", has_text="驻北京招商局").first.click()
    page.wait_for_selector("#nomination-title")
    assert "先进集体奖" in page.inner_text("#nomination-title")
    assert page.locator("#subject-sheet-link").count() == 1
    for office in ("investment", "assessment", "audit"):
        page.select_option("#review-form select[name=office]", office)
        page.select_option("#review-form select[name=verdict]", "approve")
        page.click("#review-submit")
        page.wait_for_selector("#messages")
    assert page.get_attribute("#nomination-status", "data-status") == "reviewed"
    assert page.locator("#review-table td", has_text="待审核").count() == 0
    detail = page.url

    page.click(".breadcrumb a >> nth=1")
    page.click("#notice-start")
    page.fill("input[name=doc_no]", "〔2024〕8号")
    page.fill("input[name=start_on]", "2024-09-27")
    page.fill("input[name=days]", "5")
    page.click("#notice-form-submit")
    page.wait_for_selector("text=公示期至2024-10-10")
    page.goto(detail)
    assert page.inner_text("#notice-end") == "2024-10-10"
    assert page.get_attribute("#nomination-status", "data-status") == "notice"

    page.click(".breadcrumb a >> nth=1")
    page.click("#decision-new")
    page.fill("input[name=doc_no]", "〔2024〕12号")
    page.click("#decision-form-submit")
    page.wait_for_selector("text=已登记领导小组表彰决定")

    name, data = _download(page, "[id^=decision-docx-]")
    assert name.endswith(".docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "〔2024〕12号" in text and "先进集体奖" in text and "驻北京招商局" in text
    name, data = _download(page, "[id^=payout-xlsx-]")
    assert name.endswith(".xlsx")
    ws = load_workbook(io.BytesIO(data)).active
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    assert rows[0][3] == "驻北京招商局" and Decimal(str(rows[0][5])) == Decimal("50000")
    assert rows[-1][0] == "合计" and Decimal(str(rows[-1][5])) == Decimal("50000")

    page.goto(detail)
    assert page.get_attribute("#nomination-status", "data-status") == "decided"
    timeline = page.inner_text("#award-timeline")
    for step in ("提名", "招商办审核", "考核办审核", "审计局审核", "进入公示", "领导小组决定表彰"):
        assert step in timeline, step

    anonymous = browser.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    anonymous.goto("/awards/public/")
    anonymous.click("#public-notices a")
    assert "驻北京招商局" in anonymous.inner_text("#public-table")
    assert "到位资金奖" not in anonymous.inner_text("#public-table")  # not reviewed: not made public
    anonymous.context.close()
