"""`yuan`: an award amount in 元 with thousands separators (`50,000.00元`)."""

from django import template

from ..documents import yuan as _yuan

register = template.Library()


@register.filter
def yuan(value) -> str:
    if value is None or value == "":
        return "—"
    return _yuan(value)
