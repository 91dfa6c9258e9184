"""Acceptance 1: publish 2024Q1, close it, change a project dated in Q1 as an assessor — the published
bulletin and results are unchanged; the re-run shows the difference and the correction is flagged
(in the re-run and in the next bulletin)."""

import datetime as dt
import hashlib
import json
from decimal import Decimal

import pytest
from django.utils import translation
from docx import Document

from zhaoshang.assessment.engine.run import resolve_scheme, run_scheme, store
from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.ledger import services
from zhaoshang.periods.closing import period_close
from zhaoshang.reports.bulletin import bulletin_docx
from zhaoshang.reports.content import bulletin_content
from zhaoshang.reports.publish import publish, run_diff

pytestmark = pytest.mark.django_db


def docx_text(path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        parts += [c.text for row in t.rows for c in row.cells]
    return "\n".join(parts)


def test_published_run_and_bulletin_never_change(city, q1_run, assessor, bj_staff, tmp_path):
    publish(user=assessor, run=q1_run)
    period_close(user=assessor, period="2024Q1")
    q1_run.refresh_from_db()
    results_before = json.dumps(q1_run.results, sort_keys=True, ensure_ascii=False)
    bulletin_docx(q1_run, tmp_path / "before.docx")
    content_before = bulletin_content(q1_run)

    p1 = city["projects"][0]  # 驻北京招商局, signed 2024-01-15, 30000 万元
    with pytest.raises(PermissionDeniedError):
        services.project_update(user=bj_staff, project=p1, expected_version=p1.version, signed_amount=Decimal("5000"))
    p1.refresh_from_db()
    services.project_update(user=assessor, project=p1, expected_version=p1.version, signed_amount=Decimal("5000"),
                            correction_reason="合同补充协议调减投资2.5亿元")

    q1_run.refresh_from_db()
    assert json.dumps(q1_run.results, sort_keys=True, ensure_ascii=False) == results_before
    bulletin_docx(q1_run, tmp_path / "after.docx")
    assert docx_text(tmp_path / "after.docx") == docx_text(tmp_path / "before.docx")
    assert bulletin_content(q1_run) == content_before
    assert "合同补充协议" not in docx_text(tmp_path / "after.docx")

    with translation.override("zh-hans"):
        diff = run_diff(q1_run)
    bj = next(s for s in diff["scores"] if s["code"] == "ZD01")
    # Q1 is year-to-date against 100000 × 序时进度25% = 25000: 42000.5 → capped 50分; 17000.5 → 34.00分
    assert (bj["old_total"], bj["new_total"]) == ("100.00", "84.00")
    assert any(i["name"] == "签约资金完成情况" and (i["old"], i["new"]) == ("50.00", "34.00") for i in bj["items"])
    # compare as numbers: PostgreSQL returns numeric with its 4 places ("42000.5000"), SQLite does not
    amount = next(a for a in diff["amounts"] if a["code"] == "ZD01" and Decimal(a["old"]) == Decimal("42000.5"))
    assert Decimal(amount["new"]) == Decimal("17000.5") and Decimal(amount["delta"]) == Decimal("-25000")
    changed = {p["code"]: p for p in diff["projects"]}
    assert list(changed) == ["XM-BJ-1"]
    assert {"field": "签约金额(万元)", "old": "30000", "new": "5000"} in changed["XM-BJ-1"]["fields"]
    [correction] = diff["corrections"]
    assert correction.reason == "合同补充协议调减投资2.5亿元" and correction.project_code == "XM-BJ-1"

    # The next bulletin (Q2, published later) flags the correction; the Q1 bulletin still does not.
    q2 = store(run_scheme(resolve_scheme("bole-2023"), "2024Q2", dt.date(2024, 6, 30)))
    q2_text = json.dumps(bulletin_content(q2), ensure_ascii=False)
    assert "结账后更正" in q2_text and "合同补充协议调减投资2.5亿元" in q2_text and "XM-BJ-1" in q2_text
    publish(user=assessor, run=q2)
    q2.refresh_from_db()
    assert "合同补充协议调减投资2.5亿元" in json.dumps(bulletin_content(q2), ensure_ascii=False)
    assert bulletin_content(q1_run) == content_before


def test_the_same_published_bulletin_is_written_byte_for_byte(q1_run, assessor, tmp_path):
    q1_run = publish(user=assessor, run=q1_run)
    bulletin_docx(q1_run, tmp_path / "a.docx")
    bulletin_docx(q1_run, tmp_path / "b.docx")
    assert docx_text(tmp_path / "a.docx") == docx_text(tmp_path / "b.docx")
    assert hashlib.sha256(json.dumps(bulletin_content(q1_run)).encode()).hexdigest()


def test_only_assessors_publish_and_not_twice(q1_run, assessor, leader, bj_staff):
    for user in (leader, bj_staff):
        with pytest.raises(PermissionDeniedError):
            publish(user=user, run=q1_run)
    q1_run = publish(user=assessor, run=q1_run)
    with pytest.raises(ApplicationError, match="已发布"):
        publish(user=assessor, run=q1_run)
    assert q1_run.bulletin_snapshot.sha256


def test_rerun_without_changes_shows_nothing(q1_run, assessor):
    q1_run = publish(user=assessor, run=q1_run)
    diff = run_diff(q1_run)
    assert diff["scores"] == [] and diff["amounts"] == [] and diff["projects"] == [] and diff["corrections"] == []
