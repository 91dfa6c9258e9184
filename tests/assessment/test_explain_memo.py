from decimal import Decimal

from zhaoshang.assessment.engine import wording
from zhaoshang.assessment.engine.explain import fmt


def test_remembered_texts_read_the_same_for_equal_numbers_written_differently():
    # The texts are remembered by value: 1.0 and 1.00 (equal, hashing alike) must read alike, and a
    # different number must never get another's text.
    assert fmt(Decimal("1.0"), "money", "万元") == fmt(Decimal("1.00"), "money", "万元") == "1.00万元"
    assert fmt(Decimal("123456"), "money", None) == "12.35亿元"
    assert fmt(Decimal("2.50"), "count", "人") == "2.5人"
    assert fmt(Decimal("-0.001"), "money", "万元") == "0.00万元"
    assert wording.outcome("deduct", Decimal("0.00")) == wording.outcome("deduct", Decimal("0")) == "不扣分"
    assert wording.outcome("deduct", Decimal("-5")) == "扣5分"
    assert wording.outcome("bonus", Decimal("2"), pending=True) == "按目前进度将加2分"
