"""A small safe evaluator for scheme formulas (in the spirit of simpleeval, but smaller).

A formula is parsed once with `ast.parse(mode="eval")` and checked against an allow-list: numbers,
names the scheme declares, + − × ÷, comparisons, and/or/not, `a if c else b`, and calls to the
functions below. Nothing is ever passed to `eval`; attribute access, subscripts, lambdas,
comprehensions and every other node are refused when the scheme is loaded, not when it runs.
Arithmetic is `Decimal`; a comparison or a boolean yields 1 or 0.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

ONE, ZERO = Decimal(1), Decimal(0)


def _clamp(x: Decimal, lo: Decimal, hi: Decimal) -> Decimal:
    return max(lo, min(hi, x))


def _ratio(a: Decimal, b: Decimal) -> Decimal:
    """a ÷ b, or 0 when b is 0: rates over nothing count as nothing rather than failing the run."""
    return ZERO if b == 0 else a / b


FUNCTIONS: dict[str, tuple[Callable[..., Decimal], int | None]] = {
    # name: (function, number of arguments or None for one or more)
    "min": (lambda *a: min(a), None),
    "max": (lambda *a: max(a), None),
    "abs": (lambda a: abs(a), 1),
    "clamp": (_clamp, 3),
    "ratio": (_ratio, 2),
}

BINOPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
CMPOPS = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}


class FormulaError(ValueError):
    """The formula is not allowed or not well formed; the message is Chinese and names the problem."""


@dataclass
class Formula:
    text: str
    tree: ast.expression
    names: set[str] = field(default_factory=set)
    # The tree turned into nested closures once (`_compile`): a run evaluates each formula for every
    # subject, and walking the tree each time was most of the scoring of 23,484 people.
    fn: Callable[[Mapping[str, Decimal]], Decimal | bool] | None = field(default=None, repr=False, compare=False)

    def evaluate(self, values: Mapping[str, Decimal]) -> Decimal:
        if self.fn is None:
            self.fn = _compile(self.tree.body)
        return _to_dec(self.fn(values))


def compile_formula(text: str, allowed_names: set[str]) -> Formula:
    if not isinstance(text, str) or not text.strip():
        raise FormulaError("公式不能为空")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"公式语法错误：{exc.msg}") from exc
    names: set[str] = set()
    for node in ast.walk(tree):
        _check(node, allowed_names, names)
    return Formula(text=text, tree=tree, names=names)


ALLOWED_NODES = (
    ast.Expression,
    ast.BinOp,
    ast.UnaryOp,
    ast.BoolOp,
    ast.Compare,
    ast.IfExp,
    ast.Call,
    ast.Name,
    ast.Constant,
    ast.Load,
    ast.And,
    ast.Or,
    ast.Not,
    ast.USub,
    ast.UAdd,
    *BINOPS,
    *CMPOPS,
)


def _check(node: ast.AST, allowed_names: set[str], names: set[str]) -> None:
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            fname = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
            raise FormulaError(f"不允许调用函数“{fname}”，只能使用：{'、'.join(FUNCTIONS)}")
        if node.keywords:
            raise FormulaError(f"函数“{node.func.id}”不接受命名参数")
        arity = FUNCTIONS[node.func.id][1]
        if (arity is not None and len(node.args) != arity) or not node.args:
            raise FormulaError(f"函数“{node.func.id}”的参数个数不对")
        return
    if not isinstance(node, ALLOWED_NODES):
        raise FormulaError(
            f"公式中不允许使用“{type(node).__name__}”（只允许数字、名称、四则运算、比较、and/or/not、if-else 和允许的函数）"  # noqa: E501
        )
    if isinstance(node, ast.Constant) and (isinstance(node.value, bool) or not isinstance(node.value, int | float)):
        raise FormulaError(f"公式中只允许数字常量，不允许“{node.value!r}”")
    if isinstance(node, ast.Name) and node.id not in FUNCTIONS:
        if node.id not in allowed_names:
            raise FormulaError(f"公式引用了未定义的名称“{node.id}”，可用：{'、'.join(sorted(allowed_names)) or '无'}")
        names.add(node.id)


def _to_dec(v: object) -> Decimal:
    if isinstance(v, bool):
        return ONE if v else ZERO
    if isinstance(v, Decimal):
        return v
    if isinstance(v, int):
        return Decimal(v)
    return Decimal(repr(v))


def _compile(node: ast.AST) -> Callable[[Mapping[str, Decimal]], Decimal | bool]:
    """The checked tree as a function of the values: each node a closure doing what reading the node
    would (Decimal arithmetic, a comparison or boolean as True/False), its constants converted once."""
    if isinstance(node, ast.Constant):
        const = _to_dec(node.value)
        return lambda values: const
    if isinstance(node, ast.Name):
        name = node.id
        return lambda values: _to_dec(values[name])
    if isinstance(node, ast.BinOp):
        left_fn, right_fn, op = _compile(node.left), _compile(node.right), BINOPS[type(node.op)]
        divides = isinstance(node.op, ast.Div)

        def binop(values):
            left, right = _to_dec(left_fn(values)), _to_dec(right_fn(values))
            if divides and right == 0:
                raise FormulaError("公式除以零（可用 ratio(a, b) 在 b 为 0 时得 0）")
            return op(left, right)

        return binop
    if isinstance(node, ast.UnaryOp):
        operand_fn = _compile(node.operand)
        if isinstance(node.op, ast.Not):
            return lambda values: not operand_fn(values)
        if isinstance(node.op, ast.USub):
            return lambda values: -_to_dec(operand_fn(values))
        return lambda values: _to_dec(operand_fn(values))
    if isinstance(node, ast.BoolOp):
        fns = [_compile(v) for v in node.values]
        if isinstance(node.op, ast.And):
            return lambda values: all(f(values) for f in fns)
        return lambda values: any(f(values) for f in fns)
    if isinstance(node, ast.Compare):
        first = _compile(node.left)
        pairs = [(CMPOPS[type(op)], _compile(comp)) for op, comp in zip(node.ops, node.comparators, strict=True)]

        def compare(values):
            left = _to_dec(first(values))
            for op, comp in pairs:
                right = _to_dec(comp(values))
                if not op(left, right):
                    return False
                left = right
            return True

        return compare
    if isinstance(node, ast.IfExp):
        test, body, orelse = _compile(node.test), _compile(node.body), _compile(node.orelse)
        return lambda values: body(values) if test(values) else orelse(values)
    if isinstance(node, ast.Call):
        func = FUNCTIONS[node.func.id][0]  # type: ignore[union-attr]
        args = [_compile(a) for a in node.args]
        return lambda values: func(*(_to_dec(a(values)) for a in args))
    raise FormulaError(f"不支持的公式节点：{type(node).__name__}")  # unreachable after _check
