"""Tolerant where people are sloppy, strict where it matters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhaoshang.exchange.parsing import CellError, as_bool, as_code, as_date, as_decimal, as_period, as_ratio


@pytest.mark.parametrize(
    "value",
    [
        dt.date(2023, 5, 1),
        dt.datetime(2023, 5, 1, 0, 0),
        45047,
        45047.0,
        "2023-05-01",
        "2023/5/1",
        "2023年5月1日",
        "2023.5.1",
        " 2023-5-1 ",
        "２０２３年５月１日",
        "20230501",
        "45047",
    ],
)
def test_dates(value):
    assert as_date(value) == dt.date(2023, 5, 1)


@pytest.mark.parametrize("value", ["2023-02-30", "2023/13/1", "明天", "5/1/2023", -3])
def test_bad_dates(value):
    with pytest.raises(CellError):
        as_date(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1,234.5", Decimal("1234.5")),
        ("１２３４", Decimal("1234")),
        (" 12 ", Decimal("12")),
        (0.1, Decimal("0.1")),
        ("(1,000)", Decimal("-1000")),
        ("（1,000）", Decimal("-1000")),
        ("500万元", Decimal("500")),
        (0.30000000000000004, Decimal("0.3000")),
    ],
)
def test_amounts(value, expected):
    assert as_decimal(value, places=4) == expected


def test_bad_amount():
    with pytest.raises(CellError, match="不是有效的数字"):
        as_decimal("一千")


def test_flags_ratios_periods_codes():
    assert as_bool("是") is True and as_bool(" 否 ") is False and as_bool("Y") is True
    with pytest.raises(CellError):
        as_bool("也许")
    assert as_ratio("40%") == Decimal("0.4") and as_ratio(0.6) == Decimal("0.6")
    assert as_period("2024-3") == "2024-03" and as_period(dt.date(2024, 3, 1)) == "2024-03"
    assert as_period("2024年3月") == "2024-03"
    with pytest.raises(CellError):
        as_period("2024-13")
    assert as_code(" XM-００1 ") == "XM-001" and as_code(1001.0) == "1001"
