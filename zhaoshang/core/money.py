"""Money helpers. Amounts are stored in 万元 as Decimal with 4 places and never pass through float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MONEY_MAX_DIGITS = 18
MONEY_PLACES = 4
ZERO = Decimal("0")
YI = Decimal("10000")  # 1 亿元 = 10000 万元


def to_decimal(value: object) -> Decimal:
    """Parse user input into Decimal: accepts thousands separators, full-width digits and spaces."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # Excel hands floats to readers; repr() keeps the digits the user typed (0.1, not 0.1000000000000000055).
        return Decimal(repr(value))
    text = str(value).strip()
    text = text.translate(FULLWIDTH).replace(",", "").replace(" ", "")
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(f"“{value}”不是有效的数字") from exc


FULLWIDTH = str.maketrans("０１２３４５６７８９．，－＋", "0123456789.,-+")


def quantize(value: Decimal, places: int = 2) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_wan(value: Decimal | None, places: int = 2) -> str:
    """`12345.6` → `12,345.60万元`."""
    if value is None:
        return "—"
    return f"{quantize(Decimal(value), places):,}万元"


def format_yi(value: Decimal | None, places: int = 2) -> str:
    """`123456` (万元) → `12.35亿元`."""
    if value is None:
        return "—"
    return f"{quantize(Decimal(value) / YI, places):,}亿元"


def format_auto(value: Decimal | None) -> str:
    """Large amounts read better in 亿元, small ones in 万元, as in the bulletins."""
    if value is None:
        return "—"
    return format_yi(value) if abs(Decimal(value)) >= YI else format_wan(value)
