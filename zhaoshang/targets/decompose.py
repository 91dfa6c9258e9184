"""目标分解: split a city total over units by weighted factors (领导职数, 职能系数, 上年完成额).

share(u) = Σ weight_f × factor_f(u) ÷ Σ_units factor_f; part(u) = total × share(u), rounded to 0.01
by the largest-remainder method so the parts add up to the total exactly (rounding each part alone
could leave the sum a few fen off, which a bulletin cannot print)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path

from django.db import transaction

from zhaoshang.core.errors import ApplicationError
from zhaoshang.core.money import to_decimal
from zhaoshang.orgs.models import Unit

from .models import Target

FACTORS = ("领导职数", "职能系数", "上年完成额")
DEFAULT_WEIGHTS = (Decimal("0.3"), Decimal("0.3"), Decimal("0.4"))
CENT = Decimal("0.01")


@dataclass
class Part:
    unit_code: str
    unit_name: str
    factors: tuple[Decimal, ...]
    share: Decimal
    value: Decimal


def parse_weights(text: str | None) -> tuple[Decimal, ...]:
    if not text:
        return DEFAULT_WEIGHTS
    try:
        weights = tuple(to_decimal(w) for w in text.split(","))
    except ValueError as exc:
        raise ApplicationError(f"权重有误：{exc}", field_errors={"weights": [str(exc)]}) from exc
    if len(weights) != len(FACTORS) or any(w < 0 for w in weights) or sum(weights) != 1:
        msg = f"权重应为{len(FACTORS)}个非负数（{'、'.join(FACTORS)}），合计为1，如 0.3,0.3,0.4"
        raise ApplicationError(msg, field_errors={"weights": [msg]})
    return weights


def largest_remainder(total: Decimal, shares: list[Decimal]) -> list[Decimal]:
    """Parts of `total` proportional to `shares` (summing to 1), in 0.01, adding up to `total` exactly."""
    cents = int((total / CENT).to_integral_value())
    if Decimal(cents) * CENT != total:
        raise ApplicationError("总目标最多保留两位小数", field_errors={"total": ["总目标最多保留两位小数"]})
    exact = [Decimal(cents) * s for s in shares]
    floors = [int(e.to_integral_value(rounding=ROUND_FLOOR)) for e in exact]
    left = cents - sum(floors)
    # Ties go to the earlier unit (input order, which is by unit code), so the result is reproducible.
    order = sorted(range(len(shares)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [Decimal(c) * CENT for c in floors]


def decompose(total: Decimal, rows: list[tuple[str, tuple[Decimal, ...]]], weights=DEFAULT_WEIGHTS) -> list[Part]:
    """`rows`: (unit code, factors in FACTORS order). Raises ApplicationError on unknown units or no basis."""
    if not rows:
        raise ApplicationError("因素表中没有单位")
    if total < 0:
        raise ApplicationError("总目标不能为负数", field_errors={"total": ["总目标不能为负数"]})
    codes = [c for c, _ in rows]
    units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in units]
    if missing:
        raise ApplicationError(f"单位编码不存在：{'、'.join(missing)}", field_errors={"factors": ["单位编码不存在"]})
    if len(set(codes)) != len(codes):
        raise ApplicationError("因素表中单位编码重复")
    sums = [sum((f[i] for _, f in rows), Decimal(0)) for i in range(len(FACTORS))]
    for i, s in enumerate(sums):
        if weights[i] and s <= 0:
            raise ApplicationError(f"“{FACTORS[i]}”合计为0，不能按其分解（可将其权重设为0）")
    shares = [
        sum((weights[i] * f[i] / sums[i] for i in range(len(FACTORS)) if weights[i]), Decimal(0)) for _, f in rows
    ]
    norm = sum(shares, Decimal(0))
    shares = [s / norm for s in shares]
    values = largest_remainder(total, shares)
    return [Part(c, units[c].name, f, s, v) for (c, f), s, v in zip(rows, shares, values, strict=True)]


def read_factors(source) -> list[tuple[str, tuple[Decimal, ...]]]:
    """Read the factors workbook (a path or an uploaded file): a header row with 单位编码 and the three
    factor columns (any order). Errors name the row and the column, as the user sees them in Excel."""
    from openpyxl.utils import get_column_letter
    from python_calamine import CalamineWorkbook

    from zhaoshang.core.zipcheck import unpacked_problem

    if problem := unpacked_problem(source):
        raise ApplicationError(problem)  # a zip bomb is refused before calamine unpacks it
    try:
        if isinstance(source, str | Path):
            book = CalamineWorkbook.from_path(str(source))
        else:
            book = CalamineWorkbook.from_filelike(source)
        sheet = book.get_sheet_by_index(0).to_python()
    except Exception as exc:  # noqa: BLE001 - calamine raises several types for unreadable files
        raise ApplicationError(f"无法读取因素表（应为 .xlsx 工作簿）：{exc}") from exc
    if not sheet:
        raise ApplicationError("因素表是空的")
    header = [str(h).strip() for h in sheet[0]]
    needed = ("单位编码", *FACTORS)
    missing = [h for h in needed if h not in header]
    if missing:
        raise ApplicationError(f"因素表第1行（表头）缺少列：{'、'.join(missing)}")
    idx = [header.index(h) for h in needed]

    def where(n: int, i: int) -> str:
        return f"因素表第{n}行第{get_column_letter(i + 1)}列（{header[i]}）"

    rows = []
    for n, raw in enumerate(sheet[1:], start=2):
        raw = list(raw) + [""] * (len(header) - len(raw))
        if not any(str(c).strip() for c in raw):
            continue
        code = str(raw[idx[0]]).strip()
        if code.endswith(".0"):
            code = code[:-2]
        if not code:
            raise ApplicationError(f"{where(n, idx[0])}：单位编码为空")
        factors = []
        for i in idx[1:]:
            try:
                f = to_decimal(raw[i] if raw[i] != "" else 0)
                if not f.is_finite():
                    raise ValueError(f"“{raw[i]}”不是有效的数字")
            except ValueError as exc:
                raise ApplicationError(f"{where(n, i)}：{exc}") from exc
            if f < 0:
                raise ApplicationError(f"{where(n, i)}：因素不能为负数")
            factors.append(f)
        rows.append((code, tuple(factors)))
    return rows


def save_targets(*, year: int, indicator: str, parts: list[Part], user=None) -> int:
    """Write (or overwrite) the Target rows in one transaction, recording the user in their history."""
    units = {u.code: u for u in Unit.objects.filter(code__in=[p.unit_code for p in parts])}
    with transaction.atomic():
        for p in parts:
            t = Target.objects.filter(unit=units[p.unit_code], year=year, indicator=indicator).first()
            t = t or Target(unit=units[p.unit_code], year=year, indicator=indicator)
            t.value = p.value
            t._history_user = user
            t.full_clean()
            t.save()
    return len(parts)
