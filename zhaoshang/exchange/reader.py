"""Open an uploaded workbook and stream its rows with python-calamine.

Everything that can be wrong with the *file* (rather than a cell) is found here and raised as
`WorkbookError` with a Chinese message, before any row is read: size, not an xlsx at all (.xls, a
renamed CSV, a picture), a damaged zip, a password, merged or missing header cells. Rows are
streamed, never materialised as a whole sheet in Python; calamine itself keeps only cells that
hold a value, so a million formatted but empty rows cost nothing.
"""

from __future__ import annotations

import operator
import posixpath
import re
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

import python_calamine
from django.conf import settings

from zhaoshang.core.zipcheck import unpacked_problem

from .parsing import is_empty, normalise
from .spec import INSTRUCTIONS_SHEET, LISTS_SHEET, SHEETS, Column, Sheet


class WorkbookError(Exception):
    """The file as a whole cannot be imported. `problems` lists (sheet, row, column, message)."""

    def __init__(self, message: str, problems: list[tuple[str, int | None, str, str]] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def col_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def check_file(path: Path) -> None:
    """Refuse what is not a readable .xlsx, naming what it is instead."""
    size = path.stat().st_size
    limit = settings.UPLOAD_MAX_MB
    if size > limit * 1024 * 1024:
        raise WorkbookError(f"文件大小为{size / 1024 / 1024:.1f}MB，超过上限{limit}MB，请拆分后分批导入")
    if size == 0:
        raise WorkbookError("文件是空的")
    with path.open("rb") as fh:
        head = fh.read(8)
        if head == OLE_MAGIC:
            data = fh.read()
            if ENCRYPTED_MARK in data:
                raise WorkbookError("工作簿设置了打开密码，无法读取。"
                                    "请在Excel中取消密码（文件→信息→保护工作簿）后再导入")
            raise WorkbookError("这是旧版Excel（.xls）文件，请在Excel中“另存为”Excel工作簿（.xlsx）后再导入")
    if head.startswith(b"\x89PNG") or head.startswith(b"\xff\xd8\xff") or head[:4] in (b"GIF8", b"%PDF"):
        raise WorkbookError("这不是Excel文件（看起来是图片或PDF），请上传.xlsx格式的工作簿")
    if not head.startswith(b"PK"):
        raise WorkbookError("这不是.xlsx文件（可能是CSV或文本文件改了扩展名），"
                            "请在Excel中“另存为”Excel工作簿（.xlsx）后再导入")
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise WorkbookError(f"文件已损坏，不是完整的.xlsx工作簿（{exc}）") from None
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            raise WorkbookError("这是Word文档，不是Excel工作簿")
        raise WorkbookError("这不是Excel工作簿（压缩包中没有工作簿内容），请上传.xlsx文件")
    # Measured before calamine reads a byte: a small file may unpack to hundreds of megabytes.
    if problem := unpacked_problem(path):
        raise WorkbookError(problem)


def _sheet_paths(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → path of its XML part inside the zip."""
    wb = ET.fromstring(zf.read("xl/workbook.xml"))
    rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    out = {}
    for sheet in wb.iter(f"{{{MAIN_NS}}}sheet"):
        target = targets.get(sheet.get(f"{{{REL_NS}}}id"), "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        out[sheet.get("name")] = path
    return out


def _has_formula(zf: zipfile.ZipFile, part: str) -> bool:
    tail = b""
    with zf.open(part) as fh:
        while chunk := fh.read(1 << 20):
            data = tail + chunk
            if b"<f>" in data or b"<f " in data or b":f>" in data or b":f " in data:
                return True
            tail = data[-4:]
    return False


def formulas_without_value(path: Path, sheet_names: list[str]) -> dict[str, set[tuple[int, int]]]:
    """(row, column) of formula cells that have no cached result, per sheet (0-based). calamine
    returns a formula's cached value; a file written by a program (not Excel) may have none, and the
    cell would silently read as empty."""
    found: dict[str, set[tuple[int, int]]] = {}
    with zipfile.ZipFile(path) as zf:
        parts = _sheet_paths(zf)
        for name in sheet_names:
            part = parts.get(name)
            if not part or part not in zf.namelist() or not _has_formula(zf, part):
                continue
            cells: set[tuple[int, int]] = set()
            with zf.open(part) as fh:
                for _event, elem in ET.iterparse(fh, events=("end",)):
                    if elem.tag.endswith("}c") or elem.tag == "c":
                        f = v = None
                        for child in elem:
                            tag = child.tag.rsplit("}", 1)[-1]
                            if tag == "f":
                                f = child
                            elif tag in ("v", "is"):
                                v = child
                        has_value = v is not None and (v.text or len(v))
                        if f is not None and not has_value and (m := CELL_REF.fullmatch(elem.get("r", ""))):
                            cells.add((int(m[2]) - 1, col_index(m[1])))
                        elem.clear()
                    elif elem.tag.endswith("}row"):
                        elem.clear()
            if cells:
                found[name] = cells
    return found


def header_key(text: object) -> str:
    return normalise(str(text)).rstrip("*").lower() if not is_empty(text) else ""


def match_sheet(name: str) -> Sheet | None:
    key = normalise(name).lower()
    for sheet in SHEETS:
        if key == normalise(sheet.name).lower() or key in sheet.aliases:
            return sheet
    return None


@dataclass
class SheetReader:
    """One known sheet: its columns by position and a stream of its data rows."""

    spec: Sheet
    name: str
    sheet: python_calamine.CalamineSheet
    header_row: int  # 0-based, absolute
    columns: dict[int, Column]  # absolute 0-based column index → column
    first_col: int
    blank_formulas: set[tuple[int, int]] = field(default_factory=set)

    @property
    def estimated_rows(self) -> int:
        return max(0, self.sheet.height - 1)

    def column_of(self, key: str) -> int | None:
        for idx, col in self.columns.items():
            if col.key == key:
                return idx
        return None

    def rows(self) -> Iterator[tuple[int, dict[str, object]]]:
        """(Excel row number, {column key: raw value}) for each non-empty data row."""
        start_row = self.sheet.start[0] if self.sheet.start else 0
        positions = [(idx - self.first_col, col.key) for idx, col in self.columns.items()]
        keys = [key for _pos, key in positions]
        places = [pos for pos, _key in positions]
        # A row at least as wide as the columns read (calamine gives every row the sheet's width): its cells
        # taken at once; a shorter one cell by cell, the missing ones empty.
        take = operator.itemgetter(*places) if len(places) > 1 and min(places) >= 0 else None
        width = max(places, default=-1) + 1
        for i, raw in enumerate(self.sheet.iter_rows()):
            r = start_row + i
            if r <= self.header_row:
                continue
            if take is not None and len(raw) >= width:
                cells = take(raw)
            else:
                cells = [raw[pos] if 0 <= pos < len(raw) else None for pos in places]
            for v in cells:
                if v is not None and (type(v) is not str or v.strip()):
                    break
            else:
                continue  # blank lines between rows are forgiven; trailing formatting never reaches Python
            yield r + 1, dict(zip(keys, cells, strict=True))

    def release(self) -> None:
        """Let go of the sheet's cells once its rows have been read: calamine holds a whole sheet in memory."""
        self.sheet = None

    def formula_problems(self) -> list[tuple[int, Column]]:
        """(Excel row, column) of formulas in data cells that carry no computed value."""
        return sorted(
            (r + 1, self.columns[c]) for r, c in self.blank_formulas if c in self.columns and r > self.header_row
        )


@dataclass
class WorkbookReader:
    path: Path
    sheets: list[SheetReader]
    warnings: list[str]
    book: python_calamine.CalamineWorkbook

    def close(self) -> None:
        self.book.close()


def open_workbook(path: str | Path) -> WorkbookReader:
    path = Path(path)
    check_file(path)
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError:
        raise WorkbookError("工作簿设置了密码，无法读取，请取消密码后再导入") from None
    except Exception as exc:  # calamine's Zip/Xml/Calamine errors: the file is damaged
        raise WorkbookError(f"文件已损坏，无法读取（{exc}）") from None
    warnings: list[str] = []
    problems: list[tuple[str, int | None, str, str]] = []
    readers: list[SheetReader] = []
    seen: dict[str, str] = {}
    # The formula scan unzips every standard sheet's XML a second time (0.6 s for 400,000 rows): on a thread of
    # its own, while calamine (which lets go of the interpreter lock) reads the sheets.
    blanks_found = _Background(formulas_without_value, path,
                               [name for name in book.sheet_names if match_sheet(name) is not None])
    for name in book.sheet_names:
        spec = match_sheet(name)
        if spec is None:
            if normalise(name) not in (INSTRUCTIONS_SHEET, LISTS_SHEET):
                warnings.append(f"工作表“{name}”不是标准工作表，已忽略")
            continue
        if spec.name in seen:
            problems.append((name, None, "", f"工作表“{name}”与“{seen[spec.name]}”重复"))
            continue
        seen[spec.name] = name
        sheet = book.get_sheet_by_name(name)
        reader = _read_header(spec, name, sheet, problems)
        if reader is not None:
            readers.append(reader)
    if problems:
        blanks_found.join()
        book.close()
        raise WorkbookError("工作簿结构有误，未导入任何数据", problems)
    if not readers:
        blanks_found.join()
        book.close()
        raise WorkbookError("工作簿中没有可导入的标准工作表（如“单位”“项目”“到位资金”），请使用下载的模板")
    blanks = blanks_found.result()
    for reader in readers:
        reader.blank_formulas = blanks.get(reader.name, set())
    order = {name: i for i, name in enumerate(s.name for s in SHEETS)}
    readers.sort(key=lambda r: order[r.spec.name])
    return WorkbookReader(path, readers, warnings, book)


class _Background:
    """`fn(*args)` run on a thread; `result()` waits for it and returns its value (or raises its error)."""

    def __init__(self, fn, *args) -> None:
        self._value, self._error = None, None

        def run() -> None:
            try:
                self._value = fn(*args)
            except Exception as exc:  # noqa: BLE001 — raised by result(), in the caller's thread
                self._error = exc

        self._thread = threading.Thread(target=run, name="zs-formula-scan", daemon=True)
        self._thread.start()

    def join(self) -> None:
        self._thread.join()

    def result(self):
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


def _read_header(spec: Sheet, name: str, sheet, problems: list) -> SheetReader | None:
    start = sheet.start or (0, 0)
    header_row, header = None, None
    for i, raw in enumerate(sheet.iter_rows()):
        if any(not is_empty(v) for v in raw):
            header_row, header = start[0] + i, raw
            break
    if header is None:
        return None  # an empty sheet: nothing to import
    merged = sheet.merged_cell_ranges or []
    for (r1, c1), (r2, c2) in merged:
        if r1 <= header_row <= r2:
            where = f"{col_letter(c1)}{r1 + 1}:{col_letter(c2)}{r2 + 1}"
            problems.append((name, header_row + 1, "", f"表头有合并单元格（{where}），请取消合并，每列一个表头"))
            return None
    wanted = {}
    for col in spec.columns:
        wanted[header_key(col.header)] = col
        for alias in col.aliases:
            wanted.setdefault(alias.lower(), col)
    columns: dict[int, Column] = {}
    for j, text in enumerate(header):
        key = header_key(text)
        if not key:
            continue
        col = wanted.get(key)
        if col is None:
            continue  # extra columns (notes, formulas of their own) are left alone
        if col in columns.values():
            problems.append((name, header_row + 1, col.header, f"列“{col.header}”出现了两次"))
            continue
        columns[start[1] + j] = col
    missing = [c.header for c in spec.columns if c.required and c not in columns.values()]
    for header_text in missing:
        problems.append((name, header_row + 1, header_text, f"缺少必填列“{header_text}”"))
    if missing:
        return None
    return SheetReader(spec, name, sheet, header_row, columns, start[1])
