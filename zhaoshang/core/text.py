"""Free text typed by a user (a reason, a note, findings): control characters never get in, and a text
longer than its limit is refused with a message naming the field.

Control characters are invisible on the page, break the xlsx and docx writers (openpyxl refuses them in a
cell) and can disguise a text (a right-to-left override turns “gpj.exe” into “exe.jpg”), so they are
removed rather than refused: pasting from Word or a PDF brings them in by accident. Line breaks and tabs
are kept in multi-line text; in a one-line text they become a space."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from .errors import ApplicationError

# C0 (except tab, line feed, carriage return), DEL, C1, zero-width and bidirectional controls, BOM.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]")
_BREAKS = re.compile(r"[\t\r\n]+")


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
