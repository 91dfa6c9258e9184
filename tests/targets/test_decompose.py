from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from tests.factories import UnitFactory
from zhaoshang.core.errors import ApplicationError
from zhaoshang.targets.decompose import decompose, largest_remainder, parse_weights
from zhaoshang.targets.models import Target


@given(
    total=st.decimals(min_value=0, max_value=10**9, places=2),
    weights=st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=40).filter(any),
)
def test_largest_remainder_sums_exactly(total, weights):
    s = sum(weights)
    parts = largest_remainder(total, [Decimal(w) / s for w in weights])
    assert sum(parts) == total
    assert all(p == p.quantize(Decimal("0.01")) and p >= 0 for p in parts)
    for p, w in zip(parts, weights, strict=True):  # each part within a fen of its exact share
        assert abs(p - total * w / s) < Decimal("0.01")


def test_three_equal_units_split_100():
    assert largest_remainder(Decimal(100), [Decimal(1) / 3] * 3) == [
        Decimal("33.34"),
        Decimal("33.33"),
        Decimal("33.33"),
    ]


@pytest.mark.django_db
def test_decompose_by_weighted_factors():
    for code in ("A", "B"):
        UnitFactory(code=code)
    # A: leaders 2/4, coefficient 1/2, last year 300/400 → 0.3×0.5 + 0.3×0.5 + 0.4×0.75 = 0.6
    parts = decompose(
        Decimal(1000), [("A", (Decimal(2), Decimal(1), Decimal(300))), ("B", (Decimal(2), Decimal(1), Decimal(100)))]
    )
    assert [(p.unit_code, p.value) for p in parts] == [("A", Decimal("600.00")), ("B", Decimal("400.00"))]


def test_weights_refused():
    with pytest.raises(ApplicationError):
        parse_weights("0.5,0.5,0.5")
    with pytest.raises(ApplicationError):
        parse_weights("a,b,c")


@pytest.mark.django_db
def test_command_prints_then_saves(tmp_path, capsys):
    for code in ("A", "B", "C"):
        UnitFactory(code=code, name=f"单位{code}")
    wb = Workbook()
    ws = wb.active
    ws.append(["单位编码", "领导职数", "职能系数", "上年完成额"])
    ws.append(["A", 1, 1, 100])
    ws.append(["B", 1, 1, 100])
    ws.append(["C", 1, 1, 100])
    path = tmp_path / "f.xlsx"
    wb.save(path)
    call_command(
        "targets", "decompose", "--year", "2024", "--indicator", "签约金额", "--total", "100", "--factors", str(path)
    )
    out = capsys.readouterr().out
    assert "33.34" in out and "未保存" in out
    assert not Target.objects.exists()
    call_command(
        "targets",
        "decompose",
        "--year",
        "2024",
        "--indicator",
        "签约金额",
        "--total",
        "100",
        "--factors",
        str(path),
        "--weights",
        "0,0,1",
        "--save",
    )
    assert sorted(Target.objects.values_list("value", flat=True)) == [
        Decimal("33.33"),
        Decimal("33.33"),
        Decimal("33.34"),
    ]
