"""Hostile and wrong files are refused with a clear reason, before any parsing that could hurt, and change nothing."""

from __future__ import annotations

import io
import zipfile

import pytest

from core import spreadsheets
from core.spreadsheets import ImportRefused
from tests.indicators.test_import import GOOD, run, snapshot, xlsx

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/></Types>'
)

SHEET = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c><c r="B1" t="inlineStr"><is><t>title</t></is></c></row>'
    b'<row r="2"><c r="A2" t="inlineStr"><is><t>LOL</t></is></c><c r="B2" t="inlineStr"><is><t>%s</t></is></c></row>'
    b"</sheetData></worksheet>"
)


def _with_part(name: str, content: bytes) -> bytes:
    """A real workbook from GOOD with one part replaced."""
    source = zipfile.ZipFile(io.BytesIO(xlsx(GOOD)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, content if item.filename == name else source.read(item.filename))
    return out.getvalue()


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """About 1 MB on disk that unpacks to over 1 GB of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        chunk = bytes(16 * 1024 * 1024)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            for _ in range(65):  # 65 x 16 MiB > 1 GiB
                part.write(chunk)
    return out.getvalue()


def _refusal(data, world):
    before = snapshot()
    with pytest.raises(ImportRefused) as refused:
        run(data, world.performance)
    assert snapshot() == before
    return " ".join(str(e) for e in refused.value.errors)


def test_a_workbook_that_unpacks_to_over_a_gigabyte_is_refused_unopened(world, zip_bomb):
    assert len(zip_bomb) < 5_000_000
    message = _refusal(zip_bomb, world)
    assert "The workbook unpacks to 1,090,519," in message
    assert "bytes; the limit is 209,715,200 bytes" in message


def test_a_billion_laughs_part_is_refused(world):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
        + b"]>" + SHEET % b"&lol9;"
    )
    message = _refusal(_with_part("xl/worksheets/sheet1.xml", laughs), world)
    assert "declares XML entities; refused for safety" in message


def test_entities_hidden_after_a_long_prologue_are_refused_too(world):
    # The quick check reads the first 4 KB of each part; the parser itself refuses any DTD later on.
    hidden = (
        b'<?xml version="1.0"?><!--' + b" " * 10_000 + b'--><!DOCTYPE worksheet [<!ENTITY big "x">]>'
        + SHEET % b"&big;"
    )
    message = _refusal(_with_part("xl/worksheets/sheet1.xml", hidden), world)
    assert "xl/worksheets/sheet1.xml declares XML entities; refused for safety" in message


def test_a_csv_renamed_xlsx_is_refused_with_a_plain_reason(world):
    message = _refusal(b"code,period,actual\nCH141,2006-07,12\n", world)
    assert "This is not an Excel .xlsx workbook (a CSV or other file renamed .xlsx?)" in message


def test_a_workbook_with_formulas_is_refused_naming_each_formula_cell(world):
    sheets = {**GOOD, "Actuals": [["code", "period", "actual"], ["CH141", "2006-08", "=SUM(1,2)"],
                                  ["CH141", "2006-09", 5], ["CH141", "2006-10", "=A1"]]}
    before = snapshot()
    with pytest.raises(ImportRefused) as refused:
        run(xlsx(sheets), world.performance)
    assert [(e.sheet, e.row, e.column, e.message) for e in refused.value.errors] == [
        ("Actuals", 2, "actual", "formulas are not accepted; paste the value instead"),
        ("Actuals", 4, "actual", "formulas are not accepted; paste the value instead"),
    ]
    assert snapshot() == before


def test_a_damaged_archive_is_refused(world):
    data = xlsx(GOOD)
    message = _refusal(data[: len(data) // 2], world)
    assert "damaged" in message or "could not be read" in message


def test_the_fast_reader_reads_what_openpyxl_reads(world):
    # The importer reads values with its own expat walker; it must agree with openpyxl cell for cell.
    data = xlsx({**GOOD, "Extra": [["a", None, "c"], [1.5, True, None], [None, None, "far"]]})
    fast, slow = spreadsheets.open_values(data), spreadsheets.open_workbook(data)
    for fast_sheet, slow_sheet in zip(fast.worksheets, slow.worksheets, strict=True):
        assert fast_sheet.title == slow_sheet.title
        fast_rows = [[c.value for c in row] for row in fast_sheet.iter_rows()]
        slow_rows = [[c.value for c in row] for row in slow_sheet.iter_rows()]
        width = max(len(r) for r in slow_rows)
        assert [r + [None] * (width - len(r)) for r in fast_rows] == [r + [None] * (width - len(r)) for r in slow_rows]
