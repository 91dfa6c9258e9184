import datetime as dt
from decimal import Decimal

import pytest

from zhaoshang.core.money import format_auto, format_wan, format_yi, quantize, to_decimal
from zhaoshang.core.periods import parse_period


def test_to_decimal_tolerates_what_people_type():
    assert to_decimal("12,345.60") == Decimal("12345.60")
    assert to_decimal("１２３．５") == Decimal("123.5")
    assert to_decimal(" 7 ") == Decimal("7")
    assert to_decimal(0.1) == Decimal("0.1")  # no binary noise from Excel floats


def test_to_decimal_rejects_garbage():
    with pytest.raises(ValueError, match="不是有效的数字"):
        to_decimal("十万")


def test_rounding_is_half_up():
    assert quantize(Decimal("2.345")) == Decimal("2.35")
    assert quantize(Decimal("2.344")) == Decimal("2.34")


def test_display_in_wan_and_yi():
    assert format_wan(Decimal("12345.6")) == "12,345.60万元"
    assert format_yi(Decimal("85000")) == "8.50亿元"
    assert format_auto(Decimal("9999")) == "9,999.00万元"
    assert format_auto(Decimal("10000")) == "1.00亿元"


def test_periods():
    q1 = parse_period("2024Q1")
    assert (q1.start, q1.end, q1.label) == (dt.date(2024, 1, 1), dt.date(2024, 3, 31), "2024年第一季度")
    assert parse_period("2024-02").end == dt.date(2024, 2, 29)
    assert parse_period("2023").end == dt.date(2023, 12, 31)
    with pytest.raises(ValueError, match="无法识别的期间"):
        parse_period("2024Q5")
