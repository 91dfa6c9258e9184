"""统一社会信用代码 (Unified Social Credit Code) validation, GB 32100-2015.

18 characters from 0-9 and A-Z without I, O, Z, S, V. Each character has a value (its index in
CHARSET); the check character is C18 = (31 − Σ Ci·Wi mod 31) mod 31 with Wi = 3^(i−1) mod 31.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {ch: i for i, ch in enumerate(CHARSET)}
WEIGHTS = [pow(3, i, 31) for i in range(17)]


def check_character(first17: str) -> str:
    total = sum(VALUES[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """Return a Chinese description of what is wrong with `code`, or None if it is valid."""
    if len(code) != 18:
        return f"统一社会信用代码应为18位，实际为{len(code)}位"
    bad = sorted({ch for ch in code if ch not in VALUES})
    if bad:
        return f"统一社会信用代码含有不允许的字符：{''.join(bad)}（只允许数字和除I、O、Z、S、V以外的大写字母）"
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位错误：应为{expected}，实际为{code[17]}"
    return None


def is_valid_uscc(code: str) -> bool:
    return uscc_problem(code) is None


def validate_uscc(code: str) -> None:
    """Django validator: blank is allowed (the field decides), anything else must be valid."""
    if not code:
        return
    problem = uscc_problem(code)
    if problem:
        raise ValidationError(problem, code="invalid_uscc")
