"""A unit user logs in, creates a project, records a fund arrival and sees the ledger totals change."""

import re
from decimal import Decimal

import pytest

from zhaoshang.orgs.choices import UserRole

from ..factories import ProjectFactory, UnitFactory, UserFactory
from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def total(page, name: str) -> Decimal:
    return Decimal(page.locator(f"#ledger-totals [data-total={name}]").get_attribute("data-value"))


def test_create_project_record_funds_and_totals_change(page):
    unit = UnitFactory(code="BJ01", name="驻北京招商局", kind="resident_office")
    other = UnitFactory(code="WH01", name="驻武汉招商局", kind="resident_office")
    ProjectFactory(lead_unit=unit, code="XM-OLD-1", signed_amount=Decimal("1000"))
    ProjectFactory(lead_unit=other, code="XM-OTHER-1", signed_amount=Decimal("777"))
    UserFactory(username="bj01", role=UserRole.UNIT_STAFF, unit=unit)

    login(page, "bj01")
    expect_count = 1  # only the unit's own project is visible, not the other office's
    assert total(page, "count") == expect_count
    assert total(page, "signed_amount") == Decimal("1000")
    assert page.locator("#project-table [data-code=XM-OTHER-1]").count() == 0

    page.click("#project-create")
    page.fill("#id_code", "XM-E2E-1")
    page.fill("#id_name", "氢能装备制造项目")
    page.fill("#id_investor", "某某氢能科技有限公司")
    page.fill("#id_investor_uscc", "91350100M000100Y4Z")  # invalid: refused, named beside the field
    page.fill("#id_signed_amount", "25,000.5")
    page.fill("#id_signed_on", "2024-03-15")
    page.select_option("#id_lead_unit", label="驻北京招商局")
    page.click("#project-submit")
    assert "统一社会信用代码" in page.locator("[data-error-for=investor_uscc]").inner_text()

    page.fill("#id_investor_uscc", "91110000600037341L")
    page.click("#project-submit")
    page.wait_for_url(re.compile(r"/ledger/\d+/$"))
    assert "氢能装备制造项目" in page.locator("#project-title").inner_text()

    page.click("#action-fund")
    page.fill("#id_date", "2024-04-01")
    page.fill("#id_amount", "3,000")
    page.select_option("#id_kind", label="固定资产投资")
    page.click("#fund-form-submit")
    page.wait_for_url(re.compile(r"/ledger/\d+/$"))
    assert Decimal(page.locator("#fund-totals [data-total=funds_total]").get_attribute("data-value")) == Decimal("3000")

    page.click("#nav-ledger")
    assert total(page, "count") == 2
    assert total(page, "signed_amount") == Decimal("26000.5")
    assert total(page, "funds") == Decimal("3000")

    # the filter form narrows the table and the totals together (htmx swaps the results)
    page.fill("#project-filters input[name=q]", "氢能")
    page.click("#filter-submit")
    page.wait_for_function("() => document.querySelector('#ledger-totals [data-total=count]').dataset.value === '1'")
    assert total(page, "signed_amount") == Decimal("25000.5")
