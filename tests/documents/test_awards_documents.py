"""The 公示 notice, the 表彰决定 and the payout list open in LibreOffice, with the official layout's parts
(发文机关, 文号, title, body, date, seal line) and the amounts in 元."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.awards.conftest import catalogue, run  # noqa: F401
from zhaoshang.awards import documents, services
from zhaoshang.awards.models import Nomination

pytestmark = pytest.mark.django_db


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def decided(run, catalogue, assessor):  # noqa: F811
    services.nominate_from_run(user=assessor, run=run)
    for n in Nomination.objects.all():
        for office in ("investment", "assessment", "audit"):
            services.review(user=assessor, nomination=n, office=office, verdict="approve")
    notice = services.start_notice(user=assessor, catalogue=catalogue, doc_no="〔2024〕8号",
                                   start_on=dt.date(2024, 9, 27))
    decision = services.decide(user=assessor, catalogue=catalogue, doc_no="〔2024〕12号",
                               decided_on=dt.date(2024, 10, 15))
    return notice, decision


def test_notice_and_decision_open_in_libreoffice(decided, to_pdf, tmp_path):
    notice, decision = decided
    (tmp_path / "notice.docx").write_bytes(documents.notice_docx(notice))
    text, pages = to_pdf(tmp_path / "notice.docx")
    flat = squash(text)
    for expected in ("招商引资和项目建设服务领导小组办公室", "〔2024〕8号", "拟表彰对象的公示",
                     "2024年9月27日起5个工作日，至2024年10月10日止", "驻北京招商局", "先进集体奖", "到位资金奖",
                     "异议", "（盖章）", "—1—"):
        assert expected in flat, expected
    assert pages >= 1
    (tmp_path / "decision.docx").write_bytes(documents.decision_docx(decision))
    text, pages = to_pdf(tmp_path / "decision.docx")
    flat = re.sub(r"—\d+—", "", squash(text))  # the page numbers, wherever a page breaks
    for expected in ("招商引资和项目建设服务领导小组", "〔2024〕12号", "先进集体和先进个人的决定", "一、先进集体奖",
                     "（一）先进集体奖：驻北京招商局", "二、工作单项奖", "2024年10月15日", "（盖章）", "纪委监委"):
        assert expected in flat, (expected, flat)


def test_payout_list_opens_in_libreoffice(decided, to_pdf, tmp_path):
    _, decision = decided
    (tmp_path / "payout.xlsx").write_bytes(documents.payout_xlsx(decision))
    text, _ = to_pdf(tmp_path / "payout.xlsx")
    flat = squash(text)
    assert "奖励发放清单" in flat and "驻北京招商局" in flat
    assert "50,000.00" in flat and "20,000.00" in flat and "70,000.00" in flat  # the total, a number
