"""Spreadsheets in and out, safely: hostile uploads refused before parsing, every bad cell named,
and exports that can never carry a live formula from user text.

Every importer (indicators, monthly returns, plans, budgets) reads through `open_workbook`
and `read_sheet`, and every export writes through `xlsx_bytes` / `csv_text`.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import openpyxl
from django.conf import settings
from openpyxl.utils import get_column_letter

MAX_MEMBERS = 500
MAX_RATIO = 200  # no honest spreadsheet part compresses better than this


class SpreadsheetRefused(Exception):
    """The file is refused before or while opening it; the message says why in plain words."""


@dataclass(frozen=True, order=True)
class CellError:
    sheet: str
    row: int  # the spreadsheet's row number as people see it (header is row 1); 0 for the sheet
    column: str  # the header name, or "" for the whole row or sheet
    message: str

    def __str__(self):
        where = self.sheet
        if self.row:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


class ImportRefused(Exception):
    """An import with problems: nothing was written. `errors` lists every problem found."""

    def __init__(self, errors: list[CellError]):
        self.errors = sorted(errors)
        super().__init__(f"{len(self.errors)} problem(s); nothing was imported")


def _read_bytes(source) -> bytes:
    if isinstance(source, bytes | bytearray):
        return bytes(source)
    if hasattr(source, "chunks"):
        limit = settings.UPLOAD_MAX_BYTES
        if getattr(source, "size", 0) and source.size > limit:
            raise SpreadsheetRefused(f"The file is {source.size:,} bytes; the limit is {limit:,} bytes.")
        return b"".join(source.chunks())
    return source.read()


def check_xlsx(data: bytes) -> None:
    """Refuse anything that is not a plain .xlsx of honest size, before any XML is parsed."""
    limit = settings.UPLOAD_MAX_BYTES
    if len(data) > limit:
        raise SpreadsheetRefused(f"The file is {len(data):,} bytes; the limit is {limit:,} bytes.")
    if not data.startswith(b"PK\x03\x04"):
        raise SpreadsheetRefused(
            "This is not an Excel .xlsx workbook (a CSV or other file renamed .xlsx?). "
            "Save it from Excel as 'Excel Workbook (.xlsx)' and try again."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise SpreadsheetRefused("The workbook is damaged and cannot be opened.") from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise SpreadsheetRefused(f"The workbook has {len(members)} parts; at most {MAX_MEMBERS} are accepted.")
        names = {m.filename for m in members}
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise SpreadsheetRefused("This is not an Excel .xlsx workbook (no workbook part inside).")
        if any(name.endswith(".bin") and "vbaProject" in name for name in names):
            raise SpreadsheetRefused("Workbooks with macros are not accepted.")
        total = sum(m.file_size for m in members)
        unzipped_limit = settings.UPLOAD_MAX_UNZIPPED_BYTES
        if total > unzipped_limit:
            raise SpreadsheetRefused(
                f"The workbook unpacks to {total:,} bytes; the limit is {unzipped_limit:,} bytes."
            )
        for m in members:
            if m.compress_size and m.file_size / m.compress_size > MAX_RATIO and m.file_size > 1_000_000:
                raise SpreadsheetRefused(f"The workbook part {m.filename} is suspiciously compressed; refused.")
            if m.filename.endswith((".xml", ".rels")):
                with archive.open(m) as part:
                    head = part.read(4096)
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise SpreadsheetRefused(
                        f"The workbook part {m.filename} declares XML entities; refused for safety."
                    )


def open_workbook(source):
    """Open an uploaded .xlsx after the safety checks. openpyxl parses XML with defusedxml when installed."""
    data = _read_bytes(source)
    check_xlsx(data)
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise SpreadsheetRefused(f"The workbook could not be read: {exc.__class__.__name__}.") from exc


def _norm(header) -> str:
    return re.sub(r"\s+", "_", str(header).strip().lower()) if header is not None else ""


def find_sheet(workbook, name: str):
    for ws in workbook.worksheets:
        if ws.title.strip().lower() == name.lower():
            return ws
    return None


def read_sheet(workbook, name: str, *, required: tuple, optional: tuple = (), errors: list, must_exist=True):
    """Rows of a sheet as dicts keyed by lower-case header, each with `_row` (its row number).

    Headers are matched case-insensitively in any order. Missing required columns, unknown
    columns and formulas are appended to `errors` as CellErrors; rows that are wholly blank
    are skipped.
    """
    ws = find_sheet(workbook, name)
    if ws is None:
        if must_exist:
            errors.append(CellError(name, 0, "", f"the workbook has no sheet called {name!r}"))
        return []
    name = ws.title
    rows = ws.iter_rows(values_only=False)
    try:
        header_cells = next(rows)
    except StopIteration:
        errors.append(CellError(name, 0, "", "the sheet is empty; the first row must hold the column names"))
        return []
    headers = [_norm(c.value) for c in header_cells]
    known = set(required) | set(optional)
    for col in required:
        if col not in headers:
            errors.append(CellError(name, 1, col, "required column is missing"))
    seen = set()
    for idx, h in enumerate(headers):
        if not h:
            continue
        if h in seen:
            errors.append(CellError(name, 1, h, "the column appears twice"))
        seen.add(h)
        if h not in known:
            errors.append(CellError(name, 1, get_column_letter(idx + 1), f"unknown column {h!r}"))
    out = []
    for cells in rows:
        values = {}
        row_number = None
        for idx, cell in enumerate(cells):
            if idx >= len(headers) or not headers[idx] or headers[idx] not in known:
                continue
            row_number = getattr(cell, "row", row_number)
            value = cell.value
            if getattr(cell, "data_type", None) == "f":
                errors.append(CellError(name, cell.row, headers[idx], "formulas are not accepted; paste the value instead"))
                value = None
            if isinstance(value, str):
                value = value.strip()
                if value == "":
                    value = None
            values[headers[idx]] = value
        if not any(v is not None for v in values.values()):
            continue
        values["_row"] = row_number
        out.append(values)
    return out


_PLAIN_NUMBER = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")


def parse_decimal(value, *, allow_percent=False) -> Decimal:
    """A number from a cell: 1234, "1,234.5", "-3"; raise ValueError with a plain message otherwise."""
    if isinstance(value, bool):
        raise ValueError("is not a number")
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("is not a number")
        return Decimal(repr(value))
    text = str(value).strip()
    if allow_percent and text.endswith("%"):
        text = text[:-1].strip()
    if not _PLAIN_NUMBER.match(text):
        raise ValueError(f"{text!r} is not a number")
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation as exc:
        raise ValueError(f"{text!r} is not a number") from exc


_MONEY = re.compile(r"^(?P<neg>-)?(?P<open>\()?\s*(?P<pound>£)?\s*(?P<num>(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?)\s*(?P<close>\))?$")


def parse_money(value) -> Decimal:
    """Pounds from a cell: 1234, "1,234", "£1,234.50", "(1,234)" (negative), "-£1,234".

    Refuses anything ambiguous: misplaced separators ("1,23"), more than two decimal places,
    a bracket without its pair, a minus sign and brackets together, other currencies.
    """
    if isinstance(value, bool):
        raise ValueError("is not an amount of money")
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("is not an amount of money")
        amount = Decimal(repr(value))
        if amount != amount.quantize(Decimal("0.01")):
            raise ValueError(f"{value!r} has more than two decimal places (pence)")
        return amount
    text = str(value).strip().replace("\u00a0", " ")
    m = _MONEY.match(text)
    if not m or bool(m["open"]) != bool(m["close"]) or (m["neg"] and m["open"]):
        raise ValueError(f"{text!r} is not an amount of money; write it like 1,234 or £1,234.50 or (1,234)")
    amount = Decimal(m["num"].replace(",", ""))
    return -amount if (m["neg"] or m["open"]) else amount


# --- Export --------------------------------------------------------------------------------

_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers pass through."""
    if isinstance(value, str) and value.startswith(_DANGEROUS_START):
        return "'" + value
    return value


def xlsx_bytes(sheets: dict) -> bytes:
    """{sheet name: (headers, rows)} -> .xlsx bytes; text cells are neutralised and typed as text."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, (headers, rows) in sheets.items():
        ws = wb.create_sheet(title=title[:31])
        ws.append(list(headers))
        for row in rows:
            ws.append([neutralise(v) for v in row])
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def csv_text(headers, rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return buffer.getvalue()
