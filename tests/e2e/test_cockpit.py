"""Acceptance 3: a leader opens the cockpit, clicks a bar, and lands on the ledger filtered to exactly
the projects that make up that bar: the ledger's totals equal the bar."""

import datetime as dt
from decimal import Decimal

import pytest

from zhaoshang.orgs.choices import UserRole

from ..factories import FundArrivalFactory, ProjectFactory, UnitFactory, UnitGroupFactory, UserFactory
from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def total(page, name: str) -> Decimal:
    return Decimal(page.locator(f"#ledger-totals [data-total={name}]").get_attribute("data-value"))


def click_bar(page, chart: str, series: int, index: int) -> dict:
    """Click the middle of one bar on the canvas, where ECharts says it is drawn; return its data."""
    info = page.evaluate(
        """([id, s, i]) => {
            const el = document.getElementById(id);
            el.scrollIntoView({block: "center", behavior: "instant"});
            const c = window.zsCockpit.charts[id];
            const d = c.getOption().series[s].data[i];
            const bar = c.getModel().getSeriesByIndex(s).getData().getItemLayout(i);  // the drawn rectangle
            const r = el.getBoundingClientRect();
            return {x: r.left + bar.x + bar.width / 2, y: r.top + bar.y + bar.height / 2, exact: d.exact, link: d.link};
        }""",
        [chart, series, index],
    )
    page.mouse.click(info["x"], info["y"])
    page.wait_for_url("**/ledger/?**")
    return info


def test_click_a_bar_lands_on_the_projects_behind_it(page):
    group = UnitGroupFactory(code="G-QX", name="区县")
    a = UnitFactory(code="QX01", name="甲区", group=group)
    b = UnitFactory(code="QX02", name="乙县", kind="county", group=group)
    rows = [
        (a, "2024-01-10", "12000.5", "新能源"), (a, "2024-01-20", "3000", "新能源"),
        (b, "2024-02-03", "8000", "新能源"),
        (b, "2024-02-10", "5000.25", "生物医药"), (a, "2024-03-01", "7000", "数字经济"),
        (b, "2023-01-15", "9000", "新能源"),
    ]
    for i, (unit, day, amount, industry) in enumerate(rows):
        p = ProjectFactory(lead_unit=unit, code=f"XM-E2E-{i}", signed_on=dt.date.fromisoformat(day),
                           signed_amount=Decimal(amount), industry=industry, investor_origin="上海")
        FundArrivalFactory(project=p, date=dt.date.fromisoformat(day), amount=Decimal("100"))
    ProjectFactory(lead_unit=a, code="XM-E2E-T", signed_on=dt.date(2024, 1, 5), signed_amount=Decimal("99999"),
                   industry="新能源", status="terminated", status_reason="投资方撤资")
    UserFactory(username="leader", role=UserRole.LEADER)

    login(page, "leader")
    page.goto("/reports/cockpit/?year=2024")
    page.wait_for_function("() => window.zsCockpit && window.zsCockpit.charts['chart-industry']")

    # By industry: the largest bar is 新能源 in 2024 (the terminated project and 2023 are left out).
    industries = page.evaluate("window.zsCockpit.data.industry")
    idx = len(industries) - 1 - next(i for i, r in enumerate(industries) if r["name"] == "新能源")
    bar = click_bar(page, "chart-industry", 0, idx)
    assert Decimal(bar["exact"]) == Decimal("23000.5")
    assert total(page, "signed_amount") == Decimal(bar["exact"])
    assert total(page, "count") == 3
    codes = {el.get_attribute("data-code") for el in page.locator("#project-table tbody tr[data-code]").all()}
    assert codes == {"XM-E2E-0", "XM-E2E-1", "XM-E2E-2"}

    # The monthly trend: February of this year.
    page.goto("/reports/cockpit/?year=2024")
    page.wait_for_function("() => window.zsCockpit && window.zsCockpit.charts['chart-trend']")
    bar = click_bar(page, "chart-trend", 1, 1)  # series 1 = 2024, index 1 = 二月
    assert total(page, "signed_amount") == Decimal(bar["exact"]) == Decimal("13000.25")
    assert total(page, "count") == 2
