"""The cockpit's charts read (issue 16): axes carry their units, a completion bar far above 100 % is capped with
a marker instead of flattening the others, and long unit names wrap inside the label column."""

import datetime as dt
from decimal import Decimal

import pytest

from zhaoshang.orgs.choices import UserRole
from zhaoshang.targets.models import Target

from ..factories import ProjectFactory, UnitFactory, UnitGroupFactory, UserFactory
from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_axes_units_capped_bar_and_wrapped_names(page):
    group = UnitGroupFactory(code="G-QX", name="区县")
    unit = UnitFactory(code="QX01", name="某某经济技术开发区管理委员会招商服务中心", group=group)
    ProjectFactory(lead_unit=unit, code="XM-AX-1", signed_on=dt.date(2024, 3, 1), signed_amount=Decimal("50000"))
    Target.objects.create(unit=unit, year=2024, indicator="签约金额", value=Decimal("1000"))  # 5000 %
    UserFactory(username="leader", role=UserRole.LEADER)

    login(page, "leader")
    page.goto("/reports/cockpit/?year=2024")
    page.wait_for_function("() => window.zsCockpit && window.zsCockpit.charts['chart-ranking']")
    completion = page.evaluate("""() => {
        const o = window.zsCockpit.charts['chart-completion'].getOption();
        const signed = o.series[0].data.find((d) => d.key === 'signed');
        return {max: o.yAxis[0].max, name: o.yAxis[0].name, value: signed.value, text: signed.text};
    }""")
    assert completion["max"] == 150 and completion["value"] == 150 and completion["name"] == "%"
    assert completion["text"] == "↑ 5000.00%"  # the real rate, marked as cut at the axis
    ranking = page.evaluate("""() => {
        const o = window.zsCockpit.charts['chart-ranking'].getOption();
        return {contain: o.grid[0].containLabel, overflow: o.yAxis[0].axisLabel.overflow, x: o.xAxis[0].name};
    }""")
    assert ranking == {"contain": True, "overflow": "break", "x": "%"}
    trend = page.evaluate("() => window.zsCockpit.charts['chart-trend'].getOption().yAxis[0].name")
    assert trend == "万元"
