"""追回: a fact rejected after the run re-runs the scheme without it; only the awards it earned are
proposed for clawback, with their amounts; an assessor confirms and records recovery and referral."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from zhaoshang.awards import clawback, services
from zhaoshang.awards.models import Clawback, Nomination
from zhaoshang.core.errors import PermissionDeniedError
from zhaoshang.integrity.services.verification import fact_reject
from zhaoshang.ledger.models import FundArrival

pytestmark = pytest.mark.django_db


@pytest.fixture
def awarded(run, catalogue, assessor):
    """Both of 北京's awards (先进集体奖 50000元, 到位资金奖 20000元), decided."""
    services.nominate_from_run(user=assessor, run=run)
    Nomination.objects.update(status="decided")
    return {n.item.name: n for n in Nomination.objects.select_related("item")}


def _fund(amount):
    return FundArrival.objects.get(project__code="XM-BJ-1" if amount != 1000 else "XM-BJ-2", amount=Decimal(amount))


def test_rejecting_a_fact_that_earned_an_award_proposes_exactly_its_clawback(awarded, assessor):
    # 北京's 到位资金 8500.25万元 = 5000 + 2500.25 + 1000; without the 5000 it is 3500.25 < the 5000 threshold,
    # while it stays first of its group (3500.25 still beats 上海's 3000): only 到位资金奖 is lost.
    fact_reject(user=assessor, fact=_fund(5000), reason="到位凭证系伪造")
    found = clawback.propose_all()
    assert [(c.nomination.item.name, c.amount) for c in found] == [("到位资金奖", Decimal("20000.00"))]
    c = found[0]
    assert c.fact_reason == "到位凭证系伪造" and "不再符合“到位资金奖”" in c.explanation
    assert clawback.propose_all() == []  # proposed once


def test_rejecting_a_fact_that_did_not_matter_proposes_none(awarded, assessor):
    fact_reject(user=assessor, fact=_fund(1000), reason="凭证不全")  # 7500.25 still ≥ 5000, still first
    assert clawback.propose_all() == []
    assert not Clawback.objects.exists()


def test_confirm_recover_and_refer(client, awarded, assessor, leader):
    fact_reject(user=assessor, fact=_fund(5000), reason="到位凭证系伪造")
    c = clawback.propose(awarded["到位资金奖"])[0]
    with pytest.raises(PermissionDeniedError):
        clawback.confirm(user=leader, clawback=c, note="同意")
    clawback.confirm(user=assessor, clawback=c, note="经复核，确认追回")
    n = awarded["到位资金奖"]
    n.refresh_from_db()
    assert n.status == "revoked"
    clawback.record_recovery(user=assessor, clawback=c, amount=Decimal("20000"), recovered_on=dt.date(2025, 3, 1),
                             receipt_no="SK-2025-001", referral_on=dt.date(2025, 3, 5),
                             referral_doc_no="〔2025〕3号")
    c.refresh_from_db()
    assert (c.recovered_amount, c.receipt_no, c.referral_doc_no) == (Decimal("20000.00"), "SK-2025-001", "〔2025〕3号")
    assert c.history.count() == 3 and n.history.count() >= 2
    client.force_login(assessor)
    page = client.get(reverse("awards:nomination_detail", args=[n.pk])).content.decode()
    for text in ("提名", "系统提出追回建议", "确认追回", "已追回20000.00元", "移送纪委监委", "〔2025〕3号",
                 "已撤销并追回"):
        assert text in page, text
    other = awarded["先进集体奖"]
    other.refresh_from_db()
    assert other.status == "decided"


def test_award_page_check_button(client, awarded, assessor):
    fact_reject(user=assessor, fact=_fund(5000), reason="到位凭证系伪造")
    client.force_login(assessor)
    n = awarded["先进集体奖"]
    page = client.get(reverse("awards:nomination_detail", args=[n.pk])).content.decode()
    assert "clawback-check" in page
    r = client.post(reverse("awards:clawback_check", args=[n.pk]), follow=True)
    assert "无需追回" in r.content.decode()
    r = client.post(reverse("awards:clawback_check", args=[awarded["到位资金奖"].pk]), follow=True)
    assert "追回建议" in r.content.decode() and "20,000.00元" in r.content.decode()


def test_proposed_clawback_is_a_reminder(awarded, assessor):
    import datetime as dt

    from zhaoshang.activities.reminders import reminder_providers

    fact_reject(user=assessor, fact=_fund(5000), reason="到位凭证系伪造")
    clawback.propose_all()
    lines = [r.text for p in reminder_providers for r in p(unit_ids=None, as_of=dt.date(2025, 1, 1))]
    assert any("驻北京招商局·到位资金奖”有追回建议待确认" in t and "20,000.00元" in t for t in lines)
    unit = awarded["到位资金奖"].unit_id
    assert [r for p in reminder_providers for r in p(unit_ids={unit + 1000}, as_of=dt.date(2025, 1, 1))
            if r.kind == "clawback"] == []


def test_fraud_finding_on_a_project_proposes_its_clawback(awarded, assessor, city):
    # 疑点核查 不予认定 of 北京新能源电池项目 (signed 30000, funds 5000 + 2500.25): without the project
    # 北京's 到位资金 is 1000万元, far below the 5000 threshold.
    from django.utils import timezone

    from zhaoshang.integrity.models import Flag, FlagProject

    flag = Flag.objects.create(kind="packaged_year_end", fingerprint="test-fraud", year=2024, reason="年末突击签约",
                               status="resolved", resolution="rejected", resolution_reason="协议系伪造",
                               resolved_by=assessor, resolved_at=timezone.now())
    FlagProject.objects.create(flag=flag, project=city["projects"][0], unit=city["offices"][0])
    found = {c.nomination.item.name: c for c in clawback.propose_all()}
    assert "到位资金奖" in found
    assert found["到位资金奖"].fact_kind == "flag" and found["到位资金奖"].fact_reason == "协议系伪造"
