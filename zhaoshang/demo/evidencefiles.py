"""Small, valid evidence files for the demo city, written by code at run time (no binary is committed):
a one-page PDF (协议, 施工许可, 银行回单 …) and a PNG (营业执照 scan, site photo). A browser opens both
inline, so the verification queue shows real evidence beside a record.

The PDF uses the standard Helvetica font, so its text is ASCII (a PDF viewer needs no embedded font);
the Chinese name of the material is in the file name and on the page around it."""

from __future__ import annotations

import struct
import zlib
from functools import lru_cache

PNG_VARIANTS = 4  # drawn once each and reused: drawing pixel by pixel in Python is slow


def _pdf_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf_bytes(title: str, lines: list[str]) -> bytes:
    """A one-page A4 PDF with a title and a few lines of text, with a correct cross-reference table."""
    ops = ["0.85 0.1 0.1 RG 2 w 40 40 515 762 re S", "BT /F1 20 Tf 60 770 Td", f"({_pdf_text(title)}) Tj", "ET"]
    y = 730
    for line in lines:
        ops += ["BT /F1 12 Tf", f"60 {y} Td", f"({_pdf_text(line)}) Tj", "ET"]
        y -= 22
    ops += ["BT /F1 9 Tf 60 60 Td (Zhaoshang demo evidence - synthetic document, not a real record) Tj ET"]
    stream = "\n".join(ops).encode("ascii", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bytes(seed: int, *, photo: bool = False) -> bytes:
    """An RGB PNG: a document scan (light paper, a red seal, grey text bars) or a site photo (sky,
    ground and a building block), one of a few variants chosen by `seed`."""
    return _png(seed % PNG_VARIANTS, photo)


@lru_cache(maxsize=2 * PNG_VARIANTS)
def _png(variant: int, photo: bool, width: int = 240, height: int = 160) -> bytes:
    rows = []
    tint = variant * 10
    for y in range(height):
        row = bytearray([0])  # filter type 0 for each scanline
        for x in range(width):
            if photo:
                if y < height * 0.45:
                    px = (120 + tint, 170 + tint // 2, 230)
                elif 60 + tint < x < 170 + tint // 2 and y < height * 0.8:
                    px = (150, 150, 160) if (x // 12 + y // 10) % 3 else (90, 110, 140)
                else:
                    px = (150 + tint, 120, 80)
            else:
                px = (248, 246, 238)
                if (x - width * 0.75) ** 2 + (y - height * 0.7) ** 2 < (height * 0.14) ** 2:
                    px = (210, 40, 40)
                elif 20 <= x < width - 60 and y % 16 in (4, 5, 6) and 20 <= y < height - 20 and x < width - 60 - tint:
                    px = (120, 120, 120)
            row += bytes(px)
        rows.append(bytes(row))
    raw = b"".join(rows)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(raw, 9)) + _chunk(
        b"IEND", b"")
