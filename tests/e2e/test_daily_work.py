"""A unit head records a visit and sees the quota count change, submits a month's ledger, and the
assessment office sees it in its list."""

import re

import pytest

from zhaoshang.orgs.choices import PersonRole, UserRole

from ..factories import PersonFactory, UnitFactory, UserFactory
from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def visit_count(page, staff_no: str) -> int:
    return int(page.locator(f"#quota-leaders tr[data-person={staff_no}] [data-count]").get_attribute("data-count"))


def test_visit_quota_submit_and_office_list(page):
    unit = UnitFactory(code="XQ01", name="新区管委会", kind="dev_zone")
    UnitFactory(code="XQ02", name="老城区", kind="district")
    PersonFactory(staff_no="XQ-H1", name="赵书记", unit=unit, role=PersonRole.PARTY_GOV_HEAD)
    UserFactory(username="xq_head", role=UserRole.UNIT_HEAD, unit=unit)
    UserFactory(username="office", role=UserRole.ASSESSOR)

    login(page, "xq_head")
    page.goto("/work/quotas/")
    assert visit_count(page, "XQ-H1") == 0
    assert page.locator("#quota-leaders tr[data-person=XQ-H1] [data-status]").get_attribute("data-status") in (
        "behind", "on_track")

    page.click("#work-nav-visits")
    page.click("#record-create")
    page.select_option("#id_unit", label="新区管委会")
    page.select_option("#id_leader", label="赵书记（党政主要负责人，新区管委会）")
    page.fill("#id_enterprise", "某某新能源科技有限公司")
    page.fill("#id_matter", "洽谈电池项目落地")
    page.click("#record-submit")
    page.wait_for_url("**/work/visits/")
    assert page.locator("#record-table tbody tr").count() == 1
    assert "某某新能源科技有限公司" in page.locator("#record-table").inner_text()

    page.click("#work-nav-quotas")
    assert visit_count(page, "XQ-H1") == 1

    page.click("#work-nav-submissions")
    page.click("#submission-submit")
    page.select_option("#id_unit", label="新区管委会")
    page.fill("#id_period", "2024-03")
    page.click("#submit-form-submit")
    page.wait_for_url(re.compile(r"/work/submissions/\d+/$"))
    assert page.locator("#submission-steps tr[data-action=submitted]").count() == 1
    assert page.locator("#submission-timeliness").get_attribute("data-value") == "late"  # 2024-04-05 has passed

    page.context.clear_cookies()
    login(page, "office")
    page.goto("/work/submissions/?period=2024-03")
    row = page.locator("#submission-table tr[data-unit=XQ01]")
    assert row.get_attribute("data-state") == "submitted"
    assert page.locator("#submission-table tr[data-unit=XQ02]").get_attribute("data-timeliness") == "missing"
    row.locator("a").click()
    page.wait_for_url(re.compile(r"/work/submissions/\d+/$"))
    assert page.locator("#submission-accept").is_visible()
