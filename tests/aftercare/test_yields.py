"""产出质效: recording a producing project's yearly yield, its derived figures and its page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.ledger import yields
from zhaoshang.ledger.choices import Verification
from zhaoshang.ledger.models import ProjectYield

from ..factories import FundArrivalFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def producing(unit_a):
    return ProjectFactory(lead_unit=unit_a, code="XM-P-1", name="甲区电机厂", signed_on=dt.date(2022, 1, 5),
                          registered_on=dt.date(2022, 2, 1), started_on=dt.date(2022, 3, 1),
                          completed_on=dt.date(2022, 12, 1), producing_on=dt.date(2023, 1, 10), stage="producing")


def test_record_and_derive(staff_a, producing):
    FundArrivalFactory(project=producing, date=dt.date(2022, 6, 1), amount=Decimal("30000"))
    FundArrivalFactory(project=producing, date=dt.date(2023, 6, 1), amount=Decimal("10000"))
    FundArrivalFactory(project=producing, date=dt.date(2023, 7, 1), amount=Decimal("500"), kind="working_capital")
    yields.yield_record(user=staff_a, project=producing, year=2023, output_value=Decimal("20000"),
                        tax=Decimal("800"), employees=120, land_mu=Decimal("100"))
    item = yields.yield_record(user=staff_a, project=producing, year=2024, output_value=Decimal("30000"),
                               tax=Decimal("1000"), land_mu=Decimal("100"))
    assert item.verification == Verification.PENDING
    assert item.history.count() == 1
    latest, first = yields.project_figures(producing)
    assert latest.item.year == 2024
    assert latest.tax_per_mu == Decimal("10")  # 1000 ÷ 100
    assert latest.output_per_mu == Decimal("300")
    assert latest.intensity == Decimal("400")  # (30000 + 10000) fixed-asset ÷ 100, working capital left out
    assert latest.tax_growth == Decimal("0.25")  # (1000 − 800) ÷ 800
    assert first.tax_growth is None


def test_rules(staff_a, staff_b, producing, project_a):
    with pytest.raises(ApplicationError, match="尚未投产"):
        yields.yield_record(user=staff_a, project=project_a, year=2024, tax=Decimal("1"))
    with pytest.raises(ApplicationError, match="2023-01-10投产"):
        yields.yield_record(user=staff_a, project=producing, year=2022, tax=Decimal("1"))
    with pytest.raises(ApplicationError, match="至少填写一项"):
        yields.yield_record(user=staff_a, project=producing, year=2023)
    with pytest.raises(PermissionDeniedError):
        yields.yield_record(user=staff_b, project=producing, year=2023, tax=Decimal("1"))
    yields.yield_record(user=staff_a, project=producing, year=2023, tax=Decimal("1"))
    with pytest.raises(ApplicationError, match="已登记"):
        yields.yield_record(user=staff_a, project=producing, year=2023, tax=Decimal("2"))
    assert ProjectYield.objects.count() == 1


def test_verify_and_edit_reopens(staff_a, assessor, producing):
    item = yields.yield_record(user=staff_a, project=producing, year=2023, tax=Decimal("100"))
    with pytest.raises(PermissionDeniedError):
        yields.yield_approve(user=staff_a, item=item)
    item = yields.yield_approve(user=assessor, item=item)
    assert item.verification == Verification.VERIFIED and item.verified_on is not None
    item = yields.yield_update(user=staff_a, item=item, tax=Decimal("120"))
    assert item.verification == Verification.PENDING and item.verified_on is None
    item = yields.yield_send_back(user=assessor, item=item, reason="税票不全")
    assert item.verification == Verification.RETURNED
    assert item.history.count() == 4


def test_project_page(client, staff_a, staff_b, producing):
    client.force_login(staff_a)
    url = reverse("ledger:yield_create", args=[producing.pk])
    response = client.post(url, {"year": "2023", "output_value": "12,000", "tax": "600", "land_mu": "50"})
    assert response.status_code == 302
    page = client.get(reverse("ledger:project_detail", args=[producing.pk])).content.decode()
    assert "产出质效" in page and "12,000.00" in page and "12.00" in page  # 亩均税收 600 ÷ 50
    response = client.post(url, {"year": "2023", "tax": "1"})
    assert "已登记" in response.content.decode()
    client.force_login(staff_b)
    assert client.get(url).status_code == 404
    item = ProjectYield.objects.get()
    assert client.post(reverse("ledger:yield_delete", args=[producing.pk, item.pk])).status_code == 404
