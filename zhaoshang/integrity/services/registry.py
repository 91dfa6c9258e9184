"""Import a registry extract (工商登记信息, from 市场监管): Excel (.xlsx/.xls) or CSV with the columns
企业名称, 统一社会信用代码, 成立日期, 登记机关, 注册资本, 登记状态. All or nothing: every bad row is reported with
its row and column and nothing is written. A later extract replaces the rows of the same USCC."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from zhaoshang.core.errors import ApplicationError, PermissionDeniedError
from zhaoshang.core.text import strip_control
from zhaoshang.core.uscc import uscc_problem
from zhaoshang.orgs.models import User

from ..models.registry import RegistryEntry, RegistryImport

COLUMNS = ("企业名称", "统一社会信用代码", "成立日期", "登记机关", "注册资本", "登记状态")
REQUIRED = ("企业名称", "统一社会信用代码")
MAX_ERRORS = 200
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("第%(row)s行“%(column)s”：%(message)s") % {
            "row": self.row, "column": self.column, "message": self.message}


class RegistryFileError(ApplicationError):
    """The extract has bad rows; `errors` lists each with its row and column."""

    def __init__(self, message: str, errors: list[RowError]):
        super().__init__(message, {"errors": [str(e) for e in errors]})
        self.errors = errors


def _cell(value) -> str:
    """A cell as text, without control characters. A formula is never evaluated here: calamine gives its
    cached result and a CSV gives its text (“=HYPERLINK(…)” stays a name, written as text wherever shown)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return strip_control(str(value))


def _date(value) -> dt.date | None:
    """A date as calamine gives it (date, datetime, an Excel serial number) or as text (2020-01-02,
    2020/1/2, 2020年1月2日). Raises ValueError with a Chinese message."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value < 2958466:
            raise ValueError(_("日期超出范围"))
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
    text = str(value).strip()
    m = _DATE.match(text)
    if not m:
        raise ValueError(_("无法识别的日期“%(text)s”，应为如 2020-01-02") % {"text": text})
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as exc:
        raise ValueError(_("日期“%(text)s”不存在") % {"text": text}) from exc


def read_rows(content: bytes, file_name: str) -> list[list]:
    """The rows of the file (the header first): CSV by its extension (UTF-8 with or without BOM, or GBK),
    anything else as a workbook (its first sheet)."""
    if file_name.lower().endswith(".csv"):
        for encoding in ("utf-8-sig", "gbk"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ApplicationError(_("无法读取CSV文件：编码应为UTF-8或GBK"),
                                   field_errors={"file": [_("文件编码无法识别")]})
        return [row for row in csv.reader(io.StringIO(text))]
    from python_calamine import CalamineWorkbook

    from zhaoshang.core.zipcheck import unpacked_problem

    if problem := unpacked_problem(io.BytesIO(content)):  # a zip bomb, refused before calamine unpacks it
        raise ApplicationError(problem, field_errors={"file": [problem]})
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
        return book.get_sheet_by_index(0).to_python()
    except Exception as exc:  # noqa: BLE001 - calamine raises several types for unreadable files
        raise ApplicationError(_("无法读取工商登记文件（应为 .xlsx 工作簿或 .csv）：%(error)s") % {"error": exc},
                               field_errors={"file": [_("文件无法读取")]}) from exc


def parse_rows(rows: list[list]) -> list[RegistryEntry]:
    """Validate every row; raise RegistryFileError naming each bad row and column."""
    if not rows:
        raise ApplicationError(_("工商登记文件是空的"), field_errors={"file": [_("文件没有内容")]})
    header = [_cell(h) for h in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ApplicationError(_("工商登记文件第1行（表头）缺少列：%(columns)s") % {"columns": "、".join(missing)},
                               field_errors={"file": [_("缺少列：%(columns)s") % {"columns": "、".join(missing)}]})
    idx = {c: header.index(c) for c in COLUMNS}
    errors: list[RowError] = []
    out: list[RegistryEntry] = []
    seen: dict[str, int] = {}
    for n, raw in enumerate(rows[1:], start=2):
        raw = list(raw) + [""] * (len(header) - len(raw))
        if not any(_cell(c) for c in raw):
            continue
        values = {c: raw[i] for c, i in idx.items()}
        for c in REQUIRED:
            if not _cell(values[c]):
                errors.append(RowError(n, c, _("不能为空")))
        uscc = _cell(values["统一社会信用代码"]).upper()
        if uscc:
            problem = uscc_problem(uscc)
            if problem:
                errors.append(RowError(n, "统一社会信用代码", problem))
            elif uscc in seen:
                errors.append(RowError(n, "统一社会信用代码", _("与第%(row)s行重复") % {"row": seen[uscc]}))
            else:
                seen[uscc] = n
        try:
            founded = _date(values["成立日期"])
        except ValueError as exc:
            errors.append(RowError(n, "成立日期", str(exc)))
            founded = None
        name = _cell(values["企业名称"])
        if len(name) > 200:
            errors.append(RowError(n, "企业名称", _("不能超过200个字")))
        out.append(RegistryEntry(
            uscc=uscc, name=name, founded_on=founded, authority=_cell(values["登记机关"])[:200],
            capital=_cell(values["注册资本"])[:100], status=_cell(values["登记状态"])[:50],
        ))
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise RegistryFileError(_("工商登记文件有%(n)s处错误，未导入任何数据") % {"n": len(errors)}, errors)
    if not out:
        raise ApplicationError(_("工商登记文件没有数据行"), field_errors={"file": [_("没有数据行")]})
    return out


def check_can_import(user: User | None) -> None:
    """The city assessment office: the extract is the whole city's, and every district's flags depend on it."""
    if user is not None and not user.is_assessor:
        raise PermissionDeniedError(_("只有市考核办可以导入工商登记数据"))


EXTENSIONS = (".xlsx", ".xls", ".csv")


def _check_file(content: bytes, file_name: str) -> None:
    limit = settings.UPLOAD_MAX_MB
    if Path(file_name).suffix.lower() not in EXTENSIONS:
        message = _("只能导入 .xlsx、.xls 或 .csv 文件")
        raise ApplicationError(message, field_errors={"file": [message]})
    if len(content) > limit * 1024 * 1024:
        message = _("文件大小为%(size)sMB，超过上限%(limit)sMB") % {
            "size": f"{len(content) / 1024 / 1024:.1f}", "limit": limit}
        raise ApplicationError(message, field_errors={"file": [message]})


@transaction.atomic
def registry_import(*, content: bytes, file_name: str, user: User | None = None) -> RegistryImport:
    """Import an extract (all or nothing). `user` None is the command line."""
    check_can_import(user)
    _check_file(content, file_name)
    entries = parse_rows(read_rows(content, file_name))
    batch = RegistryImport.objects.create(imported_by=user, file_name=Path(file_name).name[:255],
                                          row_count=len(entries))
    usccs = [e.uscc for e in entries]
    existing: dict[str, int] = {}
    for i in range(0, len(usccs), 900):
        existing.update(RegistryEntry.objects.filter(uscc__in=usccs[i : i + 900]).values_list("uscc", "id"))
    fresh, changed = [], []
    for e in entries:
        e.batch = batch
        if e.uscc in existing:
            e.pk = existing[e.uscc]
            changed.append(e)
        else:
            fresh.append(e)
    RegistryEntry.objects.bulk_create(fresh, batch_size=1000)
    RegistryEntry.objects.bulk_update(changed, ["name", "founded_on", "authority", "capital", "status", "batch"],
                                      batch_size=500)
    return batch


def registry_import_path(*, path: str | Path, user: User | None = None) -> RegistryImport:
    path = Path(path)
    if not path.exists():
        raise ApplicationError(_("文件不存在：%(path)s") % {"path": path}, field_errors={"file": [_("文件不存在")]})
    return registry_import(content=path.read_bytes(), file_name=path.name, user=user)
