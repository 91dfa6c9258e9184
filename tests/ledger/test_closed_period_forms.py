"""After a period is closed (结账), an assessor corrects a record dated in it through the ordinary
forms by giving a reason; a unit user cannot; the correction is kept for the next bulletin."""

from decimal import Decimal

from django.urls import reverse

from zhaoshang.ledger.models import FundArrival
from zhaoshang.periods.closing import period_close
from zhaoshang.periods.models import Correction


def test_assessor_corrects_a_closed_quarter_with_a_reason(client, assessor, staff_a, project_a):
    period_close(user=assessor, period="2024Q1")  # project_a was signed on 2024-02-01
    url = reverse("ledger:fund_create", args=[project_a.pk])
    data = {"date": "2024-03-10", "amount": "500", "kind": "fixed_asset", "note": ""}

    client.force_login(staff_a)
    page = client.get(url)
    assert "correction_reason" not in page.content.decode()  # unit users are not offered the field
    assert client.post(url, data).status_code == 403
    assert not FundArrival.objects.exists()

    client.force_login(assessor)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "须填写更正理由" in response.content.decode()
    assert not FundArrival.objects.exists()

    response = client.post(url, {**data, "correction_reason": "补录一季度漏报的到位资金"})
    assert response.status_code == 302
    assert FundArrival.objects.get().amount == Decimal("500")
    assert Correction.objects.filter(reason="补录一季度漏报的到位资金").exists()
