"""What a user may upload: a size limit (UPLOAD_MAX_MB, like the workbook import) and a type, told by the
file's extension and confirmed by its first bytes, so that a page or a script renamed “.pdf” or “.png” is
refused at the door (evidence, self-check attachments and photos are later opened in the browser)."""

from __future__ import annotations

import os
from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .errors import ApplicationError

_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
# Extension → accepted leading bytes (None: plain text, checked for not being markup).
SIGNATURES: dict[str, tuple[bytes, ...] | None] = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": _ZIP, ".xlsx": _ZIP, ".ofd": _ZIP,
    ".doc": _OLE, ".xls": _OLE,
}
IMAGES = (".jpg", ".jpeg", ".png")
DOCUMENTS = (".pdf", *IMAGES, ".doc", ".docx", ".xls", ".xlsx", ".ofd")


def _head(upload, n: int = 16) -> bytes:
    pos = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        return upload.read(n) or b""
    finally:
        upload.seek(pos)


def check_upload(upload, *, field: str, allowed: Iterable[str] = DOCUMENTS) -> None:
    """Refuse one file that is too large or not of an allowed type (the message names the file)."""
    allowed = tuple(allowed)
    limit = settings.UPLOAD_MAX_MB
    name = os.path.basename(getattr(upload, "name", "") or "")
    size = getattr(upload, "size", None) or 0
    if size > limit * 1024 * 1024:
        message = _("文件“%(name)s”大小为%(size)sMB，超过上限%(limit)sMB") % {
            "name": name, "size": f"{size / 1024 / 1024:.1f}", "limit": limit}
        raise ApplicationError(message, field_errors={field: [message]})
    ext = os.path.splitext(name)[1].lower()
    kinds = pgettext("list separator", "、").join(e.lstrip(".").upper() for e in allowed if e != ".jpeg")
    if ext not in allowed:
        message = _("文件“%(name)s”的类型不允许上传，只能上传 %(kinds)s 文件") % {"name": name, "kinds": kinds}
        raise ApplicationError(message, field_errors={field: [message]})
    signatures = SIGNATURES.get(ext)
    if signatures and not _head(upload).startswith(signatures):
        message = _("文件“%(name)s”的内容不是 %(ext)s 文件，请上传原始文件") % {
            "name": name, "ext": ext.lstrip(".").upper()}
        raise ApplicationError(message, field_errors={field: [message]})


def check_uploads(files: Iterable, *, field: str, allowed: Iterable[str] = DOCUMENTS) -> None:
    allowed = tuple(allowed)
    for upload in files:
        check_upload(upload, field=field, allowed=allowed)
