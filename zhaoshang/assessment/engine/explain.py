"""How numbers read in explanations: amounts in 亿元 or 万元 with thousands separators, as in the
bulletins; counts with their counter (个 projects, 次 visits, 人 people); rates as %; points never
"-0.00"."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from zhaoshang.core.money import YI, quantize

# The texts are remembered by value: a persons run writes ~47,000 sentences, most of whose numbers are the
# same few (0人, 0.00万元, 不扣分). Each text depends only on the number's value (every branch rounds it first),
# so Decimal("1.0") and Decimal("1.00"), equal and hashing alike, rightly share one.
TEXT_MEMO = 65536


@lru_cache(maxsize=TEXT_MEMO)
def _trim(d: Decimal) -> str:
    """2.50 → 2.5, 3.00 → 3, 12000 → 12,000: counts and coefficients read better without trailing zeros."""
    q = plain_zero(quantize(d, 4))
    text = f"{q:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def plain_zero(value: Decimal) -> Decimal:
    """−0 (what 3 × −0 or a rounded −0.001 gives) as 0: nobody reads "−0.00分"."""
    return abs(value) if value == 0 else value


def money_unit(*amounts: Decimal | None) -> str:
    """One unit for all amounts of an explanation so they compare at a glance."""
    return "亿元" if any(a is not None and abs(a) >= YI for a in amounts) else "万元"


@lru_cache(maxsize=TEXT_MEMO)
def fmt(value: Decimal | None, display: str, unit: str | None = None) -> str:
    """A value as read: money in `unit` (亿元/万元, chosen by size if None), a count with the counter
    `unit` (default 个), a ratio as %, anything else as points."""
    if value is None:
        return "—"
    if display == "money":
        unit = unit or money_unit(value)
        return f"{plain_zero(quantize(value / YI if unit == '亿元' else value, 2)):,}{unit}"
    if display == "usd":
        return f"{plain_zero(quantize(value, 2)):,}万美元"
    if display == "count":  # a shared project counts by its ratio: 2.67个
        return f"{_trim(quantize(value, 2))}{unit if unit is not None else '个'}"
    if display == "ratio":
        return f"{plain_zero(quantize(value * 100, 2)):,}%"
    return f"{_trim(value)}分"


def amount(value: Decimal) -> str:
    """A threshold amount (万元) as a document writes it: 200000 → 20亿元, 5000 → 5,000万元."""
    if abs(value) >= YI:
        return f"{_trim(value / YI)}亿元"
    return f"{_trim(value)}万元"


def pts(value: Decimal) -> str:
    return f"{plain_zero(quantize(value, 2))}分"


def num(value: Decimal) -> str:
    return _trim(value)
