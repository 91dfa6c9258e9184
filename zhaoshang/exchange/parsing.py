"""Tolerant cell parsers: people are sloppy in Excel, so accept what they obviously mean.

Each parser takes what python-calamine returns for a cell (str, int, float, bool, date, datetime,
time, timedelta or None/"") and returns a Python value for the model, or raises `CellError` with a
Chinese message. They are tolerant where it does not matter (spaces, full-width digits, thousands
separators, date spellings, Excel serial numbers) and strict where it does (impossible dates,
unknown choices, non-numbers). Business rules (not negative, not in the future, …) are not here:
they come from the models, exactly as for the forms and the API.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.db import models

from zhaoshang.core.text import any_refused, character_name, refused_character
from zhaoshang.ledger.choices import (
    OLD_CATEGORY_WORDS,
    UNCLASSIFIED_LABEL,
    InvestorTag,
    section_names,
    tags_to_field,
)


class CellError(ValueError):
    """A cell that cannot be read as its column's type."""


EMPTY = (None, "")
EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 (Excel's 1900 leap-year bug folded in)
MAX_SERIAL = 2958465  # 9999-12-31

SPACES = re.compile(r"[\s\u3000\u00a0]+")
DATE_RE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
PERIOD_RE = re.compile(r"^(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))$")
TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "对"}
FALSE = {"否", "n", "no", "false", "0", "×", "✗", "x"}


def is_empty(value: object) -> bool:
    return value is None or (type(value) is str and not value.strip())


def normalise(text: str) -> str:
    """Full-width to half-width (digits, letters, brackets, punctuation) and no stray spaces."""
    if text.isascii():
        return "".join(text.split()) if " " in text or "\t" in text or "\n" in text else text
    return SPACES.sub("", unicodedata.normalize("NFKC", text))


def as_text(value: object) -> str:
    """Free text (names, notes): trimmed, otherwise as typed (full-width brackets in names are kept)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M") if (value.hour, value.minute) != (0, 0) else value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value).strip().strip("\u3000")


def _float_text(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def as_code(value: object) -> str:
    """Identifiers (单位编码, 工号, 项目编号, 信用代码): half-width, no spaces. Numbers typed into
    Excel come back as floats: 1001.0 is the code "1001"."""
    if value is None:
        return ""
    if isinstance(value, float):
        return _float_text(value)
    return normalise(str(value))


def as_decimal(value: object, places: int | None = None) -> Decimal:
    if isinstance(value, bool):
        raise CellError("应为数字")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise CellError("应为数字")
        d = Decimal(repr(value))
        if places is not None and d.as_tuple().exponent < -places:
            # Formula results carry binary noise (0.30000000000000004); the value the user means has
            # at most the field's places. Genuine extra digits are left for the model to refuse.
            q = d.quantize(Decimal(1).scaleb(-places))
            if abs(q - d) < Decimal("1e-9") * max(Decimal(1), abs(d)):
                d = q
        return d
    if isinstance(value, Decimal):
        return value
    text = normalise(str(value)).replace(",", "")
    for suffix in ("万元", "万美元"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    negative = False
    if len(text) > 2 and text[0] == "(" and text[-1] == ")":  # accounting notation (1,000) = −1000
        negative, text = True, text[1:-1]
    percent = text.endswith("%")
    if percent:
        text = text[:-1]
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise CellError(f"“{as_text(value)}”不是有效的数字") from None
    if not d.is_finite():
        raise CellError(f"“{as_text(value)}”不是有效的数字")
    if percent:
        d = d / 100
    return -d if negative else d


def as_ratio(value: object) -> Decimal:
    """0.3, 30%, "30%", "0.3" → Decimal("0.3")."""
    d = as_decimal(value, places=6)
    return d.normalize() if d == d.to_integral() else d


def as_int(value: object) -> int:
    if isinstance(value, bool):
        raise CellError("应为整数")
    if isinstance(value, int):
        return value
    try:
        d = as_decimal(value)
    except CellError:
        raise CellError(f"“{as_text(value)}”不是整数") from None
    if d != d.to_integral_value():
        raise CellError(f"“{as_text(value)}”不是整数")
    return int(d)


def as_year(value: object) -> int:
    if isinstance(value, dt.date):
        return value.year
    text = normalise(str(value)) if isinstance(value, str) else value
    if isinstance(text, str) and text.endswith("年"):
        text = text[:-1]
    year = as_int(text)
    if not 1900 <= year <= 2999:
        raise CellError(f"“{as_text(value)}”不是有效的年份")
    return year


def _date(y: int, m: int, d: int, original: object) -> dt.date:
    try:
        return dt.date(y, m, d)
    except ValueError:
        raise CellError(f"日期不存在：{as_text(original)}") from None


def as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise CellError("应为日期")
    if isinstance(value, int | float):
        if 19000101 <= value <= 29991231 and value == int(value):  # 20230501 typed as a number
            v = int(value)
            return _date(v // 10000, v // 100 % 100, v % 100, value)
        if not 1 <= value <= MAX_SERIAL:
            raise CellError(f"“{as_text(value)}”不是有效的日期")
        return EXCEL_EPOCH + dt.timedelta(days=int(value))
    if isinstance(value, dt.time | dt.timedelta):
        raise CellError("应为日期，不是时间")
    text = normalise(str(value)) if not isinstance(value, str) else unicodedata.normalize("NFKC", value).strip()
    text = SPACES.sub(" ", text)
    if m := DATE_RE.match(text):
        return _date(int(m[1]), int(m[2]), int(m[3]), value)
    if m := COMPACT_DATE_RE.match(text.replace(" ", "")):
        return _date(int(m[1]), int(m[2]), int(m[3]), value)
    if re.fullmatch(r"\d+(\.\d+)?", text.replace(" ", "")):  # an Excel serial day number stored as text
        return as_date(int(Decimal(text.replace(" ", ""))))
    raise CellError(f"“{as_text(value)}”不是有效的日期，应为 2024-05-01、2024/5/1 或 2024年5月1日")


def as_period(value: object) -> str:
    """YYYY-MM. Excel turns "2024-03" typed by a person into a date (2024-03-01): accept that too."""
    if isinstance(value, dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    text = normalise(str(value) if not isinstance(value, float) else _float_text(value))
    if m := PERIOD_RE.match(text):
        month = int(m[2] or m[3])
        if 1 <= month <= 12:
            return f"{int(m[1]):04d}-{month:02d}"
    try:
        day = as_date(value)
    except CellError:
        raise CellError(f"“{as_text(value)}”不是有效的报送期间，应为 YYYY-MM（如 2024-03）") from None
    return f"{day.year:04d}-{day.month:02d}"


def as_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if value == "是":
        return True
    if value == "否":
        return False
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = normalise(str(value)).lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise CellError(f"“{as_text(value)}”应为“是”或“否”")


_CHOICE_MAPS: dict[type, dict[str, str]] = {}


def choice_map(choices: type[models.TextChoices]) -> dict[str, str]:
    found = _CHOICE_MAPS.get(choices)
    if found is None:
        found = {}
        for value, label in choices.choices:
            found[normalise(str(value)).lower()] = value
            found[normalise(str(label)).lower()] = value
            found[str(label)] = value
        _CHOICE_MAPS[choices] = found
    return found


def as_choice(value: object, choices: type[models.TextChoices], header: str = "") -> str:
    mapping = choice_map(choices)
    found = mapping.get(value) if type(value) is str else None  # the exact label: the common case
    if found is not None:
        return found
    text = normalise(as_text(value)).lower()
    found = mapping.get(text)
    if found is None:
        labels = "、".join(str(label) for label in choices.labels)
        raise CellError(f"“{as_text(value)}”不是有效的{header}，可选：{labels}")
    return found


@functools.cache
def _section_words() -> dict[str, str]:
    """What a 行业门类 cell may say → the section letter ("" for 待归类): the code, the standard's name,
    待归类, and the ledger's four older words (制造业 → C, 农业 → A, 服务业 and 其他 → 待归类)."""
    words = {letter: letter for letter in section_names()}
    words |= {normalise(name): letter for letter, name in section_names().items()}
    words |= {normalise(word): letter for word, letter in OLD_CATEGORY_WORDS.items()}
    words[UNCLASSIFIED_LABEL] = ""
    return words


SECTION_ALLOWED = ("门类代码（A–T，如 C）、门类名称（如 制造业、房地产业）、待归类或留空；"
                   "旧表的制造业、农业、服务业、其他也可识别")


def as_section(value: object, header: str = "") -> str:
    """A GB/T 4754-2017 section: "C", "制造业", "C 制造业", the old words, or 待归类 ("")."""
    words = _section_words()
    text = normalise(as_text(value))
    found = words.get(text.upper() if text.isascii() else text)
    if found is None and len(text) > 1 and text[0].upper() in words and text[0].isascii():
        # "C 制造业", "C、制造业", "C-制造业": the code and its own name
        letter, rest = text[0].upper(), text[1:].lstrip(".、:：-—_")
        if words.get(rest) == letter:
            found = letter
    if found is None:
        raise CellError(f"“{as_text(value)}”不是有效的{header or '行业门类'}，可填：{SECTION_ALLOWED}")
    return found


def check_visible(value: object) -> None:
    """Refuse a cell holding an invisible character (core/text.py). openpyxl writes a control character as
    `_x0000_`, which Excel and calamine read back as the character itself; refused here, before the value
    is looked up, it never reaches a query (PostgreSQL cannot hold a NUL). Whether a line break may stay is
    the model field's rule, checked with the row."""
    if type(value) is str and (char := refused_character(value, multiline=True)):
        raise CellError(f"含有不可见字符{character_name(char)}，请删除后重新导入")


def parse(column, value: object):
    """Parse one cell for `column` (a spec.Column). Empty cells give None (or "" for text)."""
    check_visible(value)
    return column_parser(column)(value)


_EMPTY_TEXT_KINDS = ("text", "code", "section", "tags")


def _text_cell(value: object) -> str:
    return value.strip().strip("\u3000") if type(value) is str else as_text(value)


def _code_cell(value: object) -> str:
    if type(value) is str and value.isascii() and not (" " in value or "\t" in value or "\n" in value):
        return value  # what `normalise` gives an ASCII code without spaces
    return as_code(value)


def _decimal_cell(places: int):
    def convert(value: object) -> Decimal:
        if type(value) is float:
            text = repr(value)
            dot = text.find(".")
            # no more places than the field's: what `as_decimal` gives without its quantize test
            if dot >= 0 and "e" not in text and len(text) - dot - 1 <= places:
                return Decimal(text)
        return as_decimal(value, places=places)

    return convert


def _date_cell(value: object) -> dt.date:
    kind = type(value)
    if kind is dt.date:
        return value
    if kind is dt.datetime:
        return value.date()
    return as_date(value)


@functools.cache
def column_parser(column):
    """`parse` for `column` without the invisible-character check (the handler checks a row's cells at once):
    one function per column, its kind decided once rather than for every cell."""
    kind, required, header = column.kind, column.required, column.header
    blank = "" if kind in _EMPTY_TEXT_KINDS else None
    convert = {
        "text": _text_cell,
        "code": _code_cell,
        "decimal": _decimal_cell(4),
        "ratio": as_ratio,
        "date": _date_cell,
        "year": as_year,
        "int": as_int,
        "bool": as_bool,
        "choice": lambda value: as_choice(value, column.choices, header),
        "period": as_period,
        "section": lambda value: as_section(value, header),
        "tags": lambda value: as_tags(value, header),
    }.get(kind)
    if convert is None:
        def convert(value: object):
            raise AssertionError(kind)

    def parse_cell(value: object):
        if value is None or (type(value) is str and not value.strip()):
            if required:
                raise CellError(f"{header}为必填项")
            return blank
        return convert(value)

    return parse_cell


def row_visible(values) -> bool:
    """Whether no cell among `values` holds an invisible character (`check_visible` refuses none): one search
    over the row's text cells. On False, `parse` each cell to learn which and why."""
    texts = [v for v in values if type(v) is str]
    return not texts or not any_refused(texts)


def as_tags(value: object, header: str = "") -> str:
    """投资方标签: labels or codes separated by 、，, ; or spaces → the stored "|code|code|" (ledger.choices)."""
    mapping = choice_map(InvestorTag)
    codes = []
    for word in re.split(r"[、，,;；\s]+", normalise(as_text(value))):
        if not word:
            continue
        code = mapping.get(word) or mapping.get(word.lower())
        if code is None:
            labels = "、".join(str(label) for label in InvestorTag.labels)
            raise CellError(f"“{word}”不是有效的{header}，可选：{labels}")
        codes.append(code)
    return tags_to_field(codes)
