"""Shared API types: money as a decimal string, the error body, pagination and code references."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict, PlainSerializer, WithJsonSchema

from zhaoshang.core.db import DB_INT_MAX


def _money_in(value: Any) -> Any:
    # A JSON number has already passed through float by the time it reaches us, so 0.1 may be 0.1000000000000000055.
    # Integers are exact and allowed; anything fractional must come as a string.
    if isinstance(value, float):
        raise ValueError('金额须以字符串传入（如 "1234.5"），不接受浮点数')
    if isinstance(value, str):
        return value.strip().replace(",", "")
    return value


def _money_out(value: Decimal) -> str:
    # Always 4 places as stored, whatever scale an aggregate came back with ("50000" from SQLite's SUM).
    return format(Decimal(value).quantize(Decimal("0.0001")), "f")


def _ratio_out(value: Decimal) -> str:
    return format(Decimal(value).quantize(Decimal("0.000001")), "f")


_MONEY_JSON = WithJsonSchema({"type": "string", "pattern": r"^-?\d+(\.\d{1,4})?$", "examples": ["12345.6"]})

# 万元 (or 万美元 for foreign capital), 4 places, in and out as a string.
Money = Annotated[
    Decimal,
    BeforeValidator(_money_in),
    Field(max_digits=18, decimal_places=4),
    PlainSerializer(_money_out, return_type=str),
    _MONEY_JSON,
]
MoneyOut = Annotated[Decimal, PlainSerializer(_money_out, return_type=str), _MONEY_JSON]
Ratio = Annotated[
    Decimal,
    BeforeValidator(_money_in),
    Field(max_digits=7, decimal_places=6),
    PlainSerializer(_ratio_out, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^[01](\.\d{1,6})?$", "examples": ["0.6"]}),
]
RatioOut = Annotated[Decimal, PlainSerializer(_ratio_out, return_type=str), WithJsonSchema({"type": "string"})]


class InputSchema(Schema):
    """Input bodies refuse unknown keys, so a typo (`lead_unit` for `lead_unit_code`) is an error, not a no-op."""

    model_config = ConfigDict(extra="forbid")


class ErrorOut(Schema):
    message: str
    fields: dict[str, list[str]] = {}
    extra: dict[str, Any] | None = None


# Ids and offsets are 64-bit in the database; a larger number is refused (422 naming it), not a 500.
OFFSET_MAX = DB_INT_MAX - 1000


def IdParam(description: str):  # noqa: N802 - used like the Field it returns
    """An optional id query parameter, within the database's range."""
    return Field(None, ge=1, le=DB_INT_MAX, description=description)


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=500, description="每页条数（1–500）")
    offset: int = Field(0, ge=0, le=OFFSET_MAX, description="跳过的条数")


# Every write may answer with these; listed so the OpenAPI document shows the error body.
WRITE_ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
READ_ERRORS = {404: ErrorOut, 422: ErrorOut}
