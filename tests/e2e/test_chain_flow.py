"""Acceptance 3 (issue 14): a user opens a chain, clicks a segment in the drawn chain and lands on the ledger
filtered to that segment's projects; the ledger's totals equal the segment's figures on the chain page."""

import datetime as dt
from decimal import Decimal

import pytest

from zhaoshang.chains.models import ChainProjectLink, ChainSegment, GapKind, IndustryChain, SegmentGap
from zhaoshang.orgs.choices import UserRole

from ..factories import ProjectFactory, UnitFactory, UserFactory
from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def total(page, name: str) -> Decimal:
    return Decimal(page.locator(f"#ledger-totals [data-total={name}]").get_attribute("data-value"))


def test_click_a_segment_lands_on_its_projects_and_totals_agree(page):
    unit = UnitFactory(code="QX01", name="甲区")
    other = UnitFactory(code="QX02", name="乙县", kind="county")
    chain = IndustryChain.objects.create(name="新能源汽车", sections="C")
    material = ChainSegment.objects.create(chain=chain, position="up", name="电池材料", order=0)
    battery = ChainSegment.objects.create(chain=chain, position="mid", name="动力电池", order=1)
    ChainSegment.objects.create(chain=chain, position="down", name="整车", order=2)
    SegmentGap.objects.create(segment=material, kind=GapKind.BREAK, note="本地无正极材料企业")
    for code, lead, segment, amount in (("XM-C-1", unit, battery, "12000.5"), ("XM-C-2", unit, battery, "3000"),
                                        ("XM-C-3", unit, material, "800"), ("XM-C-4", other, battery, "50000")):
        p = ProjectFactory(code=code, lead_unit=lead, signed_amount=Decimal(amount), signed_on=dt.date(2024, 3, 1))
        ChainProjectLink.objects.create(project=p, segment=segment)
    UserFactory(username="staff_a", role=UserRole.UNIT_STAFF, unit=unit)

    login(page, "staff_a")
    page.click("#nav-chains")
    page.click("text=新能源汽车")
    page.wait_for_function("() => window.zsChain && window.zsChain.chart")
    nodes = page.evaluate("window.zsChain.data.nodes")
    node = next(n for n in nodes if n["name"] == "动力电池")
    assert next(n for n in nodes if n["name"] == "电池材料")["has_break"] is True
    # The segment as the page shows it: A's two projects (B's is outside A's units).
    assert node["projects"] == 2 and Decimal(node["amount"]) == Decimal("15000.5")
    row = page.locator(f"#segment-table tr[data-segment='{node['id']}']")
    assert Decimal(row.locator("[data-amount]").get_attribute("data-amount")) == Decimal("15000.5")

    point = page.evaluate(
        """(node) => {
            const el = document.getElementById("chain-chart");
            el.scrollIntoView({block: "center", behavior: "instant"});
            const xy = window.zsChain.chart.convertToPixel({seriesIndex: 0}, [node.x, node.y]);  // where it is drawn
            const r = el.getBoundingClientRect();
            return {x: r.left + xy[0], y: r.top + xy[1]};
        }""",
        node,
    )
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url("**/ledger/?segment=*")
    assert total(page, "count") == node["projects"] == 2
    assert total(page, "signed_amount") == Decimal(node["amount"])
    codes = {el.get_attribute("data-code") for el in page.locator("#project-table tbody tr[data-code]").all()}
    assert codes == {"XM-C-1", "XM-C-2"}
    assert "产业链环节：新能源汽车 · 动力电池" in page.locator("#drilldown-filters").inner_text()

    # The page's totals are the sum of its segments.
    page.go_back()
    assert Decimal(page.locator("#total-amount").get_attribute("data-value")) == Decimal("15800.5")
