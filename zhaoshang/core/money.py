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


# The exponents quantize() rounds to, made once: building one per call was a tenth of writing an assessment's
# 47,000 explanation sentences at province scale.
_EXPONENTS = {places: Decimal(1).scaleb(-places) for places in range(9)}


def quantize(value: Decimal, places: int = 2) -> Decimal:
    exponent = _EXPONENTS.get(places)
    if exponent is None:
        exponent = Decimal(1).scaleb(-places)
    return value.quantize(exponent, rounding=ROUND_HALF_UP)


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


def format_number(value: Decimal | None) -> str:
    """A plain number for people: thousands separators, no trailing zeros (`96900.50` → `96,900.5`)."""
    if value is None or value == "":
        return "—"
    return f"{quantize(Decimal(value), 4).normalize():,f}"


# Target indicators are free names (签约金额, 签约项目数, 推介活动场次 …): the ones that count something end in
# these words; every other indicator is an amount in 万元, as the presets and the workbook use them.
COUNT_SUFFIXES = (("场次", "次"), ("次数", "次"), ("人数", "人"), ("项目数", "个"), ("个数", "个"), ("数", "个"),
                  ("项目", "个"))


def indicator_unit(indicator: str) -> str:
    """`签约金额` → `万元`, `签约项目数` → `个`, `推介活动场次` → `次`."""
    for suffix, unit in COUNT_SUFFIXES:
        if str(indicator).endswith(suffix):
            return unit
    return "万元"


def format_indicator(value: Decimal | None, indicator: str) -> str:
    """A target or achieved value with the unit its indicator is counted in."""
    if value is None or value == "":
        return "—"
    unit = indicator_unit(indicator)
    if unit == "万元":
        return format_wan(value)
    return f"{format_number(value)}{unit}"
