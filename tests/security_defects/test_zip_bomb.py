"""Defect 5: a small workbook could take 800 MB. A 3.6 MB .xlsx whose sheet XML unpacks to 428 MB peaked
at 804 MB and then failed with a misleading message. Now the unpacked sizes and the compression ratio are
checked before anything parses the file, and it is refused with "文件解压后过大" without reading it.

The bomb is made here, streamed through zipfile (a few hundred MB of repeated bytes compress to a few
hundred KB); it is never committed."""

from __future__ import annotations

import tracemalloc
import zipfile

import pytest

from zhaoshang.exchange.importer import import_workbook
from zhaoshang.exchange.reader import WorkbookError, open_workbook
from zhaoshang.exchange.template import write_workbook

from ..exchange.helpers import fill

MB = 1024 * 1024
SHEET_MB = 400


def write_bomb(path, *, forge_size: int | None = None):
    """A workbook whose one sheet unpacks to SHEET_MB of repeated bytes. `forge_size`: write the zip with
    honest sizes, then make its headers claim this many bytes (a forged header)."""
    wb = write_workbook(path.with_name("base.xlsx"), None, unit_codes=[])
    with zipfile.ZipFile(wb) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet2.xml":
                out.writestr(info, source.read(info))
                continue
            with out.open(info.filename, "w", force_zip64=True) as fh:
                fh.write(b'<?xml version="1.0"?><worksheet><sheetData>')
                piece = b"<row><c><v>1</v></c></row>" * (MB // 26)
                for _ in range(SHEET_MB):
                    fh.write(piece)
                fh.write(b"</sheetData></worksheet>")
    if forge_size is not None:
        data = bytearray(path.read_bytes())
        name = b"xl/worksheets/sheet2.xml"
        at = 0
        # The central directory entry of the big member (what zipfile reads): claim `forge_size` bytes.
        while (at := data.find(b"PK\x01\x02", at)) >= 0:
            length = int.from_bytes(data[at + 28:at + 30], "little")
            if bytes(data[at + 46:at + 46 + length]) == name:
                if data[at + 24:at + 28] == b"\xff\xff\xff\xff":  # sizes in the ZIP64 extra field
                    extra = data.find(b"\x01\x00", at + 46 + length)
                    data[extra + 4:extra + 12] = forge_size.to_bytes(8, "little")
                else:
                    data[at + 24:at + 28] = forge_size.to_bytes(4, "little")
            at += 4
        path.write_bytes(bytes(data))
    return path


@pytest.fixture(scope="module")
def bomb(tmp_path_factory):
    return write_bomb(tmp_path_factory.mktemp("bomb") / "炸弹.xlsx")


def test_the_bomb_is_small_on_disk(bomb):
    assert bomb.stat().st_size < 5 * MB


def test_it_is_refused_before_parsing_without_reading_it(bomb):
    tracemalloc.start()
    try:
        with pytest.raises(WorkbookError) as caught:
            open_workbook(bomb)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "文件解压后过大" in caught.value.message
    assert peak < 200 * MB, f"peak {peak / MB:.0f} MB"
    assert peak < 20 * MB  # the declared sizes refuse it: nothing is unpacked at all


def test_the_import_says_so(bomb, staff_a):
    result = import_workbook(bomb, user=staff_a)
    assert "文件解压后过大" in (result.fatal or "")


def test_a_forged_header_is_caught_by_unpacking_in_small_pieces(tmp_path, settings):
    settings.UPLOAD_MAX_UNPACKED_MB = 100
    forged = write_bomb(tmp_path / "伪造.xlsx", forge_size=1000)
    tracemalloc.start()
    try:
        with pytest.raises(WorkbookError) as caught:
            open_workbook(forged)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    with zipfile.ZipFile(forged) as zf:  # the forgery holds: the zip itself claims a tiny sheet
        assert zf.getinfo("xl/worksheets/sheet2.xml").file_size == 1000
    # zipfile stops at the claimed size and the CRC then fails: damaged, never handed to calamine
    assert "文件已损坏" in caught.value.message
    assert peak < 200 * MB, f"peak {peak / MB:.0f} MB"


def test_an_ordinary_workbook_still_opens(tmp_path):
    blank = write_workbook(tmp_path / "blank.xlsx", None, unit_codes=[])
    path = fill(tmp_path / "ok.xlsx", {"项目": [{"项目编号": "XM-1", "项目名称": "项目", "投资方": "某公司",
                                               "签约金额(万元)": 10, "引资单位编码": "A01"}]}, template=blank)
    reader = open_workbook(path)
    reader.close()
