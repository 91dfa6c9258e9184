"""A run scores on a thread of its own while 申报与认定 is read (`run._beside`): the thread must see what the
caller sees — its language and its decimal context — and the caller must get the thread's error."""

import decimal
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.utils import translation

from zhaoshang.assessment.engine.run import _beside


def _what_the_thread_sees():
    return translation.get_language(), Decimal(1) / Decimal(3)


def test_the_scoring_thread_reads_in_the_callers_language_and_precision():
    with translation.override("en"), decimal.localcontext(prec=6):
        with ThreadPoolExecutor(max_workers=1) as pool:
            language, third = _beside(pool, _what_the_thread_sees).result()
    assert language == "en"
    assert third == Decimal("0.333333")


def test_an_error_while_scoring_reaches_the_caller():
    def broken():
        raise ValueError("方案第3项的公式无法计算")

    with ThreadPoolExecutor(max_workers=1) as pool, pytest.raises(ValueError, match="第3项"):
        _beside(pool, broken).result()
