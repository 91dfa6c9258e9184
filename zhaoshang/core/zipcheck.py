"""Zip bombs: an .xlsx (or .docx) is a zip, and a small one can unpack to hundreds of megabytes.

A 3.6 MB workbook whose sheet XML unpacks to 428 MB took 804 MB of memory to read before failing. So an
uploaded zip is measured before anything parses it: the unpacked sizes the zip declares (their total, and
each member's compression ratio) first, which costs nothing, then the sizes it really unpacks to, read in
1 MB pieces and thrown away, since a forged header can declare less than the data holds (zipfile stops at
the declared size and the CRC check then fails). A refused file never costs more than one piece in memory.

Limits: UPLOAD_MAX_UNPACKED_MB (the total unpacked size) and UPLOAD_MAX_RATIO (the ratio of one member of
more than RATIO_FLOOR_MB): an honest workbook compresses 5 to 20 times; repeated bytes compress a
thousand times.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

MB = 1024 * 1024
RATIO_FLOOR_MB = 10
CHUNK = MB


def _too_large(limit_mb: int) -> str:
    return _("文件解压后过大（超过%(limit)sMB或压缩比异常），可能不是正常的工作簿；"
             "如确为大文件，请拆分后分批导入") % {"limit": limit_mb}


def unpacked_problem(source: str | Path | IO[bytes]) -> str | None:
    """A Chinese message refusing the zip at `source` (a path or a seekable file), or None when its
    unpacked size is within the limits. A damaged zip is left to the caller's own reading to report."""
    limit_mb = settings.UPLOAD_MAX_UNPACKED_MB
    limit = limit_mb * MB
    max_ratio = settings.UPLOAD_MAX_RATIO
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError, TypeError, AttributeError):
        return None  # not a zip at all: the reader says what it is instead, in its own words
    try:
        members = zf.infolist()
        declared = 0
        for info in members:
            declared += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if declared > limit or (info.file_size > RATIO_FLOOR_MB * MB and ratio > max_ratio):
                return _too_large(limit_mb)
        unpacked = 0
        for info in members:
            with zf.open(info) as member:
                while piece := member.read(CHUNK):
                    unpacked += len(piece)
                    if unpacked > limit:
                        return _too_large(limit_mb)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError) as exc:
        # A bad CRC is what a header declaring less than its data looks like: never handed to a parser.
        return _("文件已损坏，无法解压（%(error)s）") % {"error": exc}
    finally:
        zf.close()
        if hasattr(source, "seek"):
            source.seek(0)
    return None
