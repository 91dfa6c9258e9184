"""Template helpers for the ledger pages: money display and sortable column headers."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html

from zhaoshang.core.money import format_auto, format_indicator, format_number, format_wan, quantize

register = template.Library()


@register.filter
def wan(value, places: int = 2) -> str:
    """A 万元 amount with thousands separators (`12,345.60`). Decimal in, string out: the number
    never passes through float, and the result does not depend on the active locale."""
    if value is None or value == "":
        return "—"
    return f"{quantize(Decimal(value), int(places)):,}"


@register.filter
def plain(value, places: int = 2) -> str:
    """The same amount without separators, for data attributes read by scripts and browser tests."""
    if value is None or value == "":
        return ""
    return f"{quantize(Decimal(value), int(places))}"


@register.filter
def basename(value) -> str:
    """The file name without the storage folders (evidence/stages/<project>/…)."""
    return str(value).rsplit("/", 1)[-1]


@register.filter
def ratio_percent(value) -> str:
    """0.5 → `50%`; ratios are stored with six places, so at most four decimals of a percent."""
    if value is None:
        return "—"
    pct = (Decimal(value) * 100).quantize(Decimal("0.0001")).normalize()
    return f"{pct:f}%"


@register.simple_tag(takes_context=True)
def sort_header(context, key: str, label: str) -> str:
    """A column header that sorts by `key`; clicking the current ascending column flips it to
    descending. The page number is dropped because the old page means nothing in a new order."""
    request = context["request"]
    current = request.GET.get("sort", "")
    desc = current == key
    params = request.GET.copy()
    params.pop("page", None)
    params["sort"] = f"-{key}" if desc else key
    arrow = ""
    if current == key:
        arrow = " ▲"
    elif current == f"-{key}":
        arrow = " ▼"
    url = "?" + params.urlencode()
    return format_html(
        '<a href="{}" hx-get="{}" class="sort-link text-reset text-decoration-none" data-sort="{}">{}{}</a>',
        url, url, key, label, arrow,
    )


@register.filter
def money(value, places: int = 2) -> str:
    """A 万元 amount with its unit (`12,345.60万元`), for places where no column header names the unit."""
    if value is None or value == "":
        return "—"
    return format_wan(Decimal(value), int(places))


@register.filter
def money_auto(value) -> str:
    """Headlines and prose: 亿元 from 1亿元 up, 万元 below (`1.23亿元`, `9,876.00万元`)."""
    if value is None or value == "":
        return "—"
    return format_auto(Decimal(value))


@register.filter
def number(value) -> str:
    """A count or mixed figure with thousands separators and no trailing zeros (`96,900.5`)."""
    return format_number(value)


@register.filter
def indicator_value(value, indicator) -> str:
    """A target value with the unit of its indicator (`12个`, `100,000.00万元`, `2次`)."""
    return format_indicator(value, indicator)
