"""The cockpit: each chart element's value equals the ledger totals of the page it links to, for an
assessor and for a unit user (who sees only their own units)."""

import datetime as dt
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.http import QueryDict

from zhaoshang.ledger.forms import ProjectFilterForm
from zhaoshang.ledger.selectors import ledger_totals, project_list
from zhaoshang.reports.cockpit import cockpit_data

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2024, 3, 31)


def ledger(user, link: str):
    query = QueryDict(mutable=True)
    for k, v in parse_qsl(urlsplit(link).query):
        query[k] = v
    assert urlsplit(link).path == "/ledger/"
    form = ProjectFilterForm(query, user=user)
    filters = form.to_filters()
    assert form.is_valid(), form.errors
    return ledger_totals(project_list(user=user, filters=filters), filters)


def elements(data):
    for c in data["completion"]:
        total = {"signed_amount": "signed_amount", "funds": "funds", "count": "count"}[c["ledger_total"]]
        value = c["foreign_projects"] if c["key"] == "foreign" else c["value"]
        yield c["label"], c["link"], total, Decimal(value)
    for y, months in data["trend"].items():
        for m in months:
            if m:
                yield f"{y}-{m['month']}", m["link"], "signed_amount", Decimal(m["value"])
    for g in data["ranking"]:
        for u in g["units"]:
            yield u["unit"], u["link"], "signed_amount", Decimal(u["value"])
    for key in ("industry", "origin"):
        for r in data[key]:
            if r["link"]:
                yield r["name"], r["link"], "signed_amount", Decimal(r["value"])


@pytest.mark.parametrize("who", ["assessor", "leader", "bj_staff"])
def test_every_element_equals_the_ledger_behind_it(city, who, request):
    user = request.getfixturevalue(who)
    data = cockpit_data(user=user, year=2024, as_of=AS_OF)
    seen = 0
    for name, link, total, value in elements(data):
        totals = ledger(user, link)
        assert getattr(totals, total) == value, (name, link)
        seen += 1
    assert seen > 10


def test_assessor_figures(city, assessor):
    data = cockpit_data(user=assessor, year=2024, as_of=AS_OF)
    c = {x["key"]: x for x in data["completion"]}
    # Q1 2024, terminated project left out: 30000 + 12000.5 + 20000 + 25000 + 7000
    assert Decimal(c["signed"]["value"]) == Decimal("94000.5")
    assert Decimal(c["signed"]["target"]) == Decimal("330000")
    assert Decimal(c["funds"]["value"]) == Decimal("14500.25")
    assert c["started"]["value"] == "1" and c["foreign"]["value"] == "800"
    # what the table and the chart labels show: with thousands separators
    assert c["signed"]["value_text"] == "94,000.5万元" and c["signed"]["target_text"] == "330,000万元"
    assert data["schedule"] == "24.86"
    jan = data["trend"]["2024"][0]
    assert Decimal(jan["value"]) == Decimal("30000")
    assert data["trend"]["2024"][4] is None  # May is after the as-of date
    assert Decimal(data["trend"]["2023"][1]["value"]) == Decimal("20000")
    industries = {r["name"]: Decimal(r["value"]) for r in data["industry"]}
    assert industries["新能源"] == Decimal("55000")
    origins = [r["name"] for r in data["origin"]]
    assert "其他及未填写" in origins  # 乙县's project has no origin
    groups = {g["group"]: [u["unit"] for u in g["units"]] for g in data["ranking"]}
    assert groups["驻点招商局"][0] == "驻北京招商局"
    flags = data["flags"]
    assert "驻广州招商局" in {f["unit"] for f in flags["behind"]}
    assert {f["unit"] for f in flags["overdue"]} == {"驻上海招商局", "驻广州招商局"}


def test_unit_user_sees_only_their_unit(city, bj_staff):
    data = cockpit_data(user=bj_staff, year=2024, as_of=AS_OF)
    units = [u["unit"] for g in data["ranking"] for u in g["units"]]
    assert units == ["驻北京招商局"]
    c = {x["key"]: x for x in data["completion"]}
    assert Decimal(c["signed"]["value"]) == Decimal("42000.5")
    assert Decimal(c["signed"]["target"]) == Decimal("100000")
    assert {f["unit"] for f in data["flags"]["overdue"]} == set()
