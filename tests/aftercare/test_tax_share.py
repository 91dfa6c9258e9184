"""税收分成: a separate tax ratio per share unit, set on the share page and by the workbook; when any is set the
tax parts of a project sum to 1 (a Chinese error otherwise)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from zhaoshang.exchange.importer import import_workbook
from zhaoshang.ledger.models import ProjectShare

from ..exchange.helpers import fill

pytestmark = pytest.mark.django_db


def _rows(unit_a, unit_b, tax_a, tax_b):
    return {"shares-TOTAL_FORMS": "3", "shares-INITIAL_FORMS": "0", "shares-MIN_NUM_FORMS": "0",
            "shares-MAX_NUM_FORMS": "50", "shares-0-unit": unit_a.pk, "shares-0-ratio": "0.6",
            "shares-0-tax_ratio": tax_a, "shares-1-unit": unit_b.pk, "shares-1-ratio": "0.4",
            "shares-1-tax_ratio": tax_b}


def test_share_page_sets_tax_ratios(client, assessor, project_a, unit_a, unit_b):
    client.force_login(assessor)
    url = reverse("ledger:shares_edit", args=[project_a.pk])
    response = client.post(url, _rows(unit_a, unit_b, "0.5", "0.3"))
    assert "税收分成比例之和应为1" in response.content.decode() and not ProjectShare.objects.exists()
    assert client.post(url, _rows(unit_a, unit_b, "0.5", "0.5")).status_code == 302
    assert dict(ProjectShare.objects.values_list("unit__code", "tax_ratio")) == {"A01": Decimal("0.5"),
                                                                                "B01": Decimal("0.5")}
    page = client.get(reverse("ledger:project_detail", args=[project_a.pk])).content.decode()
    assert "税收分成比例" in page and "50%" in page
    # blank: the tax follows the share ratio
    assert client.post(url, _rows(unit_a, unit_b, "", "")).status_code == 302
    assert set(ProjectShare.objects.values_list("tax_ratio", flat=True)) == {None}


def test_workbook_sets_tax_ratios(tmp_path, assessor, project_a, unit_a, unit_b):
    rows = [{"项目编号": project_a.code, "单位编码": "A01", "比例": 0.6, "税收分成比例": 0.5},
            {"项目编号": project_a.code, "单位编码": "B01", "比例": 0.4, "税收分成比例": 0.3}]
    result = import_workbook(fill(tmp_path / "bad.xlsx", {"项目共享": rows}), user=assessor)
    assert not result.ok
    assert any(e.sheet == "项目共享" and e.column == "税收分成比例" and "之和应为1" in e.message for e in result.errors)
    rows[1]["税收分成比例"] = 0.5
    result = import_workbook(fill(tmp_path / "ok.xlsx", {"项目共享": rows}), user=assessor)
    assert result.ok, result.errors
    assert dict(ProjectShare.objects.values_list("unit__code", "tax_ratio")) == {"A01": Decimal("0.5"),
                                                                                "B01": Decimal("0.5")}
