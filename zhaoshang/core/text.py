"""Text a user saves: invisible characters never get in, and a text longer than its limit is refused with a
message naming the field.

Control characters are invisible on the page, break the xlsx and docx writers (openpyxl refuses them in a
cell, so one NUL in one name made every export that included the row fail) and on PostgreSQL a NUL cannot
be stored at all. Bidirectional overrides disguise a text (U+202E turns “gpj.exe” into “exe.jpg”) and
zero-width characters make two codes that look the same differ. So:

* names and codes (one-line text) refuse every such character, line breaks and tabs included;
* multi-line text (a TextField, or a note or reason of 300 characters or more) allows tab and line breaks
  and refuses the rest;
* free text that a service cleans itself (`clean_text`, `strip_control`: reasons and findings pasted from
  Word or a PDF) has them removed instead, so pasting never fails.

The refusal is enforced in one place for every write path: `install_model_validators` (run when the core
app is ready) gives every CharField and TextField of Zhaoshang's models a `TextValidator`, which forms
(ModelForm and the admin), services (`full_clean`), the API (through the services) and the workbook import
(`exchange.validate` runs the field validators) all call. The API and the import also refuse these
characters before anything is looked up (`refused_character`), so a NUL never reaches a query either.
Exports remove them (`cell_text`) so that a value stored before this rule can never break a download.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from .errors import ApplicationError

# C0 (except tab, line feed, carriage return), DEL, C1, zero-width and bidirectional controls, line and
# paragraph separators, BOM.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]")
_BREAKS = re.compile(r"[\t\r\n]+")
_LINE_BREAK = re.compile(r"[\t\r\n]")
# A CharField this long holds a note or a reason, which forms show as a textarea: line breaks belong there.
MULTILINE_MIN_LENGTH = 300


def strip_control(value: str | None, *, multiline: bool = False) -> str:
    """The text without control characters, trimmed; line breaks kept (as \\n) only in multi-line text."""
    text = _CONTROL.sub("", value or "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not multiline:
        text = _BREAKS.sub(" ", text)
    return text.strip()


def clean_text(value: str | None, *, field: str, label: str, max_length: int, multiline: bool = False) -> str:
    """`strip_control`, then refuse a text over `max_length` characters (the error names the field)."""
    text = strip_control(value, multiline=multiline)
    if len(text) > max_length:
        message = _("%(label)s不能超过%(n)s个字（现有%(len)s个字）") % {
            "label": label, "n": max_length, "len": len(text)}
        raise ApplicationError(message, field_errors={field: [message]})
    return text


# ---- refusing --------------------------------------------------------------------------------------------


def refused_character(value: str, *, multiline: bool = True) -> str | None:
    """The first character `value` may not hold, or None. Tab and line breaks only count in one-line text."""
    if value.isprintable():
        # Every refused character (and tab, line breaks) is of Unicode category Cc, Cf, Cn, Zl or Zp, which
        # str.isprintable() refuses: a printable text, the common case, has none (a C loop, no regex).
        return None
    found = _CONTROL.search(value)
    if found is None and not multiline:
        found = _LINE_BREAK.search(value)
    return found.group() if found else None


def any_refused(texts: list[str]) -> bool:
    """Whether any of `texts` holds a character multi-line text may not (one test over them all, for a
    whole row of cells; `refused_character` then tells which)."""
    text = "".join(texts)
    return not text.isprintable() and _CONTROL.search(text) is not None


def character_name(char: str) -> str:
    """U+0007（控制字符）: the code point, and what kind of invisible character it is, in Chinese."""
    code = ord(char)
    if char == "\x00":
        kind = _("空字符")
    elif char == "\t":
        kind = _("制表符")
    elif char in "\r\n\u2028\u2029":
        kind = _("换行符")
    elif 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069 or code in (0x200E, 0x200F):
        kind = _("双向文字控制符")
    elif code in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF) or 0x2061 <= code <= 0x2064:
        kind = _("零宽字符")
    else:
        kind = _("控制字符")
    return f"U+{code:04X}（{kind}）"


def text_problem(value: str, *, label: str, multiline: bool = False) -> str | None:
    """The Chinese message refusing `value` for the field called `label`, or None when it is fine."""
    char = refused_character(value, multiline=multiline)
    if char is None:
        return None
    if char in "\t\r\n" or (char in "\u2028\u2029" and not multiline):
        return _("%(label)s只能填一行文字，不能含有%(char)s") % {"label": label, "char": character_name(char)}
    return _("%(label)s含有不可见字符%(char)s，请删除后重新输入") % {"label": label, "char": character_name(char)}


def check_text(value: str | None, *, field: str, label: str, multiline: bool = False) -> None:
    """Raise `ApplicationError` naming `field` when `value` holds a refused character (for services that
    save a text without `full_clean`)."""
    if value and (message := text_problem(value, label=label, multiline=multiline)):
        raise ApplicationError(message, field_errors={field: [message]})


@deconstructible
class TextValidator:
    """A model field validator: refuse invisible characters, naming the field by its verbose name."""

    code = "invisible_character"

    def __init__(self, label: str = "", multiline: bool = False):
        self.label = label
        self.multiline = multiline

    def __call__(self, value) -> None:
        if not isinstance(value, str):
            return
        message = text_problem(value, label=str(self.label) or _("该项"), multiline=self.multiline)
        if message:
            raise ValidationError(message, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, TextValidator) and (self.label, self.multiline) == (other.label, other.multiline)


def is_multiline(field) -> bool:
    from django.db import models

    if isinstance(field, models.TextField):
        return True
    return isinstance(field, models.CharField) and (field.max_length or 0) >= MULTILINE_MIN_LENGTH


def install_model_validators() -> None:
    """Give every text field of Zhaoshang's models a `TextValidator` (called once, from CoreConfig.ready).

    The validator is added to the field's `validators` list, not to the `validators=` argument, so it is
    not part of the field's definition and migrations do not see it. The list is replaced, not appended
    to: fields copied from an abstract model share the list object with their original."""
    from django.apps import apps
    from django.db import models

    for model in apps.get_models(include_auto_created=True):
        if not model.__module__.startswith("zhaoshang."):
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField) or field.choices:
                continue
            if any(isinstance(v, TextValidator) for v in field.validators):
                continue
            validator = TextValidator(field.verbose_name, is_multiline(field))
            field.__dict__["validators"] = [*field.validators, validator]


# ---- writing ----------------------------------------------------------------------------------------------


def cell_text(value: str) -> str:
    """A text as a spreadsheet or document may hold it: the refused characters removed (tab and line
    breaks kept). Stored data is clean since the rule above; this is the belt to its braces."""
    return _CONTROL.sub("", value) if _CONTROL.search(value) else value


# ---- cleaning what was stored before ------------------------------------------------------------------------


def clean_stored_text(apps, model_labels) -> int:
    """For a data migration: remove refused characters from every text column of the models named by
    `model_labels` ("ledger.Project", …), as `strip_control` does (in one-line text a line break becomes a
    space). Returns how many rows changed. A unique value that would then equal another row's keeps its
    row's id as a visible suffix ("A01~17") rather than failing the migration. History rows are left as
    they were: they are the record of what was saved."""
    from django.db import IntegrityError, models, transaction

    changed = 0
    for label in model_labels:
        model = apps.get_model(label)
        manager = model._base_manager
        fields = [f for f in model._meta.concrete_fields
                  if isinstance(f, models.CharField | models.TextField) and not f.choices]
        if not fields:
            continue
        rows = manager.values_list("pk", *[f.attname for f in fields]).order_by("pk").iterator(chunk_size=2000)
        for pk, *values in rows:
            updates = {}
            for field, value in zip(fields, values, strict=True):
                multiline = is_multiline(field)
                if value and refused_character(value, multiline=multiline):
                    updates[field.attname] = strip_control(value, multiline=multiline)
            if not updates:
                continue
            try:
                with transaction.atomic():
                    manager.filter(pk=pk).update(**updates)
            except IntegrityError:
                suffixed = {}
                for name, value in updates.items():
                    field = model._meta.get_field(name)
                    if isinstance(field, models.CharField) and not is_multiline(field):
                        tail = f"~{pk}"
                        value = value[: field.max_length - len(tail)] + tail
                    suffixed[name] = value
                manager.filter(pk=pk).update(**suffixed)
            changed += 1
    return changed
