"""How numbers read in explanations: amounts in 亿元 or 万元 as in the bulletins, counts, points."""

from __future__ import annotations

from decimal import Decimal

from zhaoshang.core.money import YI, quantize


def _trim(d: Decimal) -> str:
    """2.50 → 2.5, 3.00 → 3: counts and coefficients read better without trailing zeros."""
    q = quantize(d, 4)
    text = f"{q:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def money_unit(*amounts: Decimal | None) -> str:
    """One unit for all amounts of an explanation so they compare at a glance."""
    return "亿元" if any(a is not None and abs(a) >= YI for a in amounts) else "万元"


def fmt(value: Decimal | None, display: str, unit: str | None = None) -> str:
    if value is None:
        return "—"
    if display == "money":
        unit = unit or money_unit(value)
        return f"{quantize(value / YI if unit == '亿元' else value, 2):,}{unit}"
    if display == "usd":
        return f"{quantize(value, 2):,}万美元"
    if display == "count":
        return f"{_trim(value)}个"
    if display == "ratio":
        return f"{quantize(value * 100, 2)}%"
    return f"{_trim(value)}分"


def pts(value: Decimal) -> str:
    return f"{quantize(value, 2)}分"


def num(value: Decimal) -> str:
    return _trim(value)
