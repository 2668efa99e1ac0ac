"""Hostile and wrong files, built fresh for each upload path: the workbooks an attacker or a slip would send."""

from __future__ import annotations

import io
import zipfile

from tests.workbooks import workbook  # noqa: F401  (the upload tests take it from here)

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/></Types>'
)




def with_part(data: bytes, name: str, content: bytes) -> bytes:
    """The workbook with one part replaced."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, content if item.filename == name else source.read(item.filename))
    return out.getvalue()


def with_padding(data: bytes, size: int) -> bytes:
    """The workbook with an incompressible extra part, so the file is at least `size` bytes."""
    import os

    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_STORED) as archive:
        archive.writestr("docProps/padding.bin", os.urandom(size))
    return out.getvalue()


def zip_bomb() -> bytes:
    """About 1 MB on disk that unpacks to over 1 GB of zeros, shaped like a workbook."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        chunk = bytes(16 * 1024 * 1024)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            for _ in range(65):  # 65 x 16 MiB > 1 GiB
                part.write(chunk)
    return out.getvalue()


def billion_laughs(good: bytes, *, hidden: bool = False) -> bytes:
    """The good workbook with its first sheet replaced by an entity expansion attack.

    `hidden` puts the DTD after 10 KB of comment, past any quick look at the start of the part.
    """
    entities = b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10)
    )
    prologue = b"<!--" + b" " * 10_000 + b"-->" if hidden else b""
    part = (
        b'<?xml version="1.0"?>' + prologue + b'<!DOCTYPE worksheet [<!ENTITY lol "lol">' + entities + b"]>"
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
    )
    return with_part(good, "xl/worksheets/sheet1.xml", part)


def csv_renamed(headers: list, row: list) -> bytes:
    return (",".join(map(str, headers)) + "\n" + ",".join(map(str, row)) + "\n").encode()
