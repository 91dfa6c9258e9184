"""Schemes are refused with the key named; formulas are allow-listed and never eval'd."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhaoshang.assessment.engine.formula import FormulaError, compile_formula
from zhaoshang.assessment.engine.scheme import SchemeError, load_preset, parse_scheme, preset_keys

GOOD = """
key = "t"
name = "测试"
[subjects]
groups = ["甲组"]
[[items]]
key = "signed"
name = "签约"
rule = "proportional"
points = 50
target = "签约金额"
value = { measure = "project_amount", stage = "signed" }
"""


def refused(text: str) -> SchemeError:
    with pytest.raises(SchemeError) as exc:
        parse_scheme(text)
    return exc.value


def test_presets_all_load():
    assert preset_keys() == ["bole-2023", "bozhou-2021", "huaiyin-2020", "huaiyin-2020-persons", "laiwu-2019",
                             "zhengzhou-2019"]
    for key in preset_keys():
        s = load_preset(key)
        assert s.key == key and len(s.sha256) == 64


def test_good_scheme_parses():
    s = parse_scheme(GOOD)
    assert s.items[0].max == Decimal(50)


def test_unknown_measure_names_the_key():
    err = refused(GOOD.replace('measure = "project_amount"', 'measure = "profit"'))
    assert "items[0].value.measure" in err.field_errors
    assert "未知的度量“profit”" in err.message


def test_text_weight_names_the_key():
    err = refused(GOOD.replace("points = 50", 'points = "五十"'))
    assert err.field_errors == {"items[0].points": ["应为数字，而不是文本“五十”"]}
    assert "items[0].points" in err.message


def test_formula_with_disallowed_function_names_the_key():
    text = (
        GOOD
        + """
[[items]]
key = "f"
name = "公式"
rule = "formula"
max = 10
expr = "exp(signed_value)"
"""
    )
    err = refused(text)
    assert "items[1].expr" in err.field_errors
    assert "不允许调用函数“exp”" in err.message


@pytest.mark.parametrize("expr", ["open('x')", "(1).real", "[1][0]", "lambda: 1", "'a'", "x", "max(*[1])", "eval('1')"])
def test_formula_refuses(expr):
    with pytest.raises(FormulaError):
        compile_formula(expr, {"a"})


def test_formula_evaluates_in_decimal():
    f = compile_formula("clamp(10 - 0.5 * a + b, 0, 10) if a < 3 else ratio(a, 0)", {"a", "b"})
    assert f.evaluate({"a": Decimal(1), "b": Decimal("0.1")}) == Decimal("9.6")
    assert f.evaluate({"a": Decimal(5), "b": Decimal(0)}) == 0
    assert compile_formula("1 < a <= 3 and not b", {"a", "b"}).evaluate({"a": Decimal(2), "b": Decimal(0)}) == 1


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('stage = "signed"', 'stage = "launched"', "items[0].value.stage"),
        ('stage = "signed"', 'stage = "signed", colour = "red"', "items[0].value.colour"),
        ('rule = "proportional"', 'rule = "magic"', "items[0].rule"),
        ('groups = ["甲组"]', "groups = 3", "subjects.groups"),
        ('key = "t"', 'key = "t"\nbogus = 1', "bogus"),
        ('target = "签约金额"', "", "items[0].target"),
    ],
)
def test_other_errors_name_their_key(old, new, key):
    assert key in refused(GOOD.replace(old, new)).field_errors


def test_group_parameter_must_be_defined_for_every_group():
    text = GOOD.replace('stage = "signed" }', 'stage = "signed", min_amount = "$quota" }')
    assert "items[0].value.min_amount" in refused(text).field_errors
    ok = text.replace("[[items]]", '[group_params."甲组"]\nquota = 100\n[[items]]')
    assert parse_scheme(ok).values["signed_value"].resolve({"quota": Decimal(100)})["min_amount"] == Decimal(100)


def test_bad_toml():
    assert "TOML" in refused("key = ").field_errors
