"""Spreadsheets in and out, safely: hostile uploads refused before parsing, every bad cell named,
and exports that can never carry a live formula from user text.

Every importer (indicators, monthly returns, plans, budgets) reads through `open_workbook`
and `read_sheet`, and every export writes through `xlsx_bytes` / `csv_text`. Amounts of money are read by
`core.money.parse_amount`.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NamedTuple
from xml.parsers import expat

import openpyxl
from defusedxml import DefusedXmlException
from django.conf import settings
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

MAX_MEMBERS = 500
MISSING_COLUMN = "required column is missing"
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
        if not self.sheet:
            return self.message
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


# What zipfile raises for a damaged archive: bad checksums and headers, broken streams, impossible
# offsets, unknown compression or versions, and passwords.
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError)


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
    except _DAMAGED as exc:
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
            try:
                hostile = _declares_entities(archive, m)
            except _DAMAGED as exc:
                # A bad checksum, a broken stream, an unknown compression or a password.
                raise SpreadsheetRefused("The workbook is damaged and cannot be opened.") from exc
            if hostile:
                raise SpreadsheetRefused(
                    f"The workbook part {m.filename} declares XML entities; refused for safety."
                )


# Every part is read to the end (any part can be XML, whatever its name says, and a DTD can hide
# after a long comment), in UTF-8 and in the UTF-16 an XML part may also be written in.
_DTD_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
_OVERLAP = max(len(m) for m in _DTD_MARKERS) - 1


def _declares_entities(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    tail = b""
    with archive.open(member) as part:
        while chunk := part.read(1 << 20):
            window = tail + chunk
            if any(marker in window for marker in _DTD_MARKERS):
                return True
            tail = window[-_OVERLAP:]
    return False


def open_workbook(source):
    """Open an uploaded .xlsx after the safety checks. openpyxl parses XML with defusedxml when installed."""
    data = _read_bytes(source)
    check_xlsx(data)
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for damaged files
        if isinstance(exc.__cause__ or exc, DefusedXmlException):
            raise SpreadsheetRefused("The workbook declares XML entities; refused for safety.") from exc
        raise SpreadsheetRefused(f"The workbook could not be read: {exc.__class__.__name__}.") from exc


# --- A fast reader of cell values ----------------------------------------------------------
#
# openpyxl through defusedxml parses with a pure-Python XML parser: about 60 s per million
# cells. Importers only need values, types and "is it a formula", so this reader walks each
# part with the C expat parser, refusing any DTD or entity declaration wherever it appears
# (what defusedxml guards against), and gives sheets the same shape `read_sheet` reads.

def _local(tag: str) -> str:
    return tag.rsplit(":", 1)[-1]


def _safe_parser(part_name: str):
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*_args):
        raise SpreadsheetRefused(f"The workbook part {part_name} declares XML entities; refused for safety.")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    return parser


def _parse_part(archive, name: str, start=None, end=None, text=None):
    parser = _safe_parser(name)
    if start:
        parser.StartElementHandler = start
    if end:
        parser.EndElementHandler = end
    if text:
        parser.CharacterDataHandler = text
    with archive.open(name) as part:
        try:
            parser.ParseFile(part)
        except expat.ExpatError as exc:
            raise SpreadsheetRefused(f"The workbook part {name} is damaged: {exc}.") from exc


def _part_path(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts = [*base.split("/")[:-1], *target.split("/")]
    out = []
    for piece in parts:
        if piece == "..":
            if out:
                out.pop()
        elif piece and piece != ".":
            out.append(piece)
    return "/".join(out)


class _ValueCell(NamedTuple):
    value: object
    row: int
    data_type: str  # "f" for a formula


class _ValuesSheet:
    def __init__(self, book: ValuesWorkbook, title: str, part: str):
        self._book = book
        self.title = title
        self._part = part

    def iter_rows(self, values_only=False):
        rows = self._book._rows(self._part)
        for _number, cells in rows:
            if values_only:
                yield tuple(c.value for c in cells)
            else:
                yield cells


class ValuesWorkbook:
    """The cell values of an .xlsx (not its styles or charts): `.worksheets`, each with `.title` and
    `iter_rows()` yielding cells with `.value`, `.row` and `.data_type` ("f" for a formula)."""

    def __init__(self, data: bytes):
        self._archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(self._archive.namelist())
        rels = {}
        rels_name = "xl/_rels/workbook.xml.rels"
        if rels_name in names:
            def rel(tag, attrs):
                if _local(tag) == "Relationship":
                    rels[attrs.get("Id")] = (attrs.get("Type", ""), _part_path("xl/workbook.xml", attrs.get("Target", "")))
            _parse_part(self._archive, rels_name, start=rel)
        sheets, props = [], {}

        def book(tag, attrs):
            local = _local(tag)
            if local == "sheet":
                rid = next((v for k, v in attrs.items() if _local(k) == "id"), None)
                sheets.append((attrs.get("name", ""), rid))
            elif local == "workbookPr":
                props["date1904"] = attrs.get("date1904", "0") in ("1", "true")
        _parse_part(self._archive, "xl/workbook.xml", start=book)
        self._epoch = CALENDAR_MAC_1904 if props.get("date1904") else CALENDAR_WINDOWS_1900
        by_type = {}
        for kind, target in rels.values():
            by_type.setdefault(kind.rsplit("/", 1)[-1], target)
        self._strings = self._read_strings(by_type.get("sharedStrings", "xl/sharedStrings.xml"), names)
        self._date_styles = self._read_styles(by_type.get("styles", "xl/styles.xml"), names)
        self.worksheets = []
        for title, rid in sheets:
            kind, target = rels.get(rid, ("", ""))
            if kind.endswith("/worksheet") and target in names:
                self.worksheets.append(_ValuesSheet(self, title, target))

    def close(self):
        self._archive.close()

    def _read_strings(self, name, names) -> list[str]:
        strings: list[str] = []
        if name not in names:
            return strings
        state = {"parts": None, "in_t": False, "skip": 0}

        def start(tag, attrs):
            local = _local(tag)
            if local == "si":
                state["parts"] = []
            elif local == "rPh":
                state["skip"] += 1  # phonetic guides are not part of the text
            elif local == "t" and not state["skip"]:
                state["in_t"] = True

        def end(tag):
            local = _local(tag)
            if local == "si":
                strings.append("".join(state["parts"]))
                state["parts"] = None
            elif local == "rPh":
                state["skip"] -= 1
            elif local == "t":
                state["in_t"] = False

        def text(data):
            if state["in_t"] and state["parts"] is not None:
                state["parts"].append(data)

        _parse_part(self._archive, name, start, end, text)
        return strings

    def _read_styles(self, name, names) -> set[int]:
        """Indexes of the cell formats that show a number as a date."""
        if name not in names:
            return set()
        custom, xfs, state = {}, [], {"in_xfs": False}

        def start(tag, attrs):
            local = _local(tag)
            if local == "numFmt":
                custom[int(attrs.get("numFmtId", "0"))] = attrs.get("formatCode", "")
            elif local == "cellXfs":
                state["in_xfs"] = True
            elif local == "xf" and state["in_xfs"]:
                xfs.append(int(attrs.get("numFmtId", "0")))

        def end(tag):
            if _local(tag) == "cellXfs":
                state["in_xfs"] = False

        _parse_part(self._archive, name, start, end)
        dates = set()
        for index, fmt_id in enumerate(xfs):
            code = custom.get(fmt_id, BUILTIN_FORMATS.get(fmt_id))
            if (code and is_date_format(code)) or 27 <= fmt_id <= 36 or 50 <= fmt_id <= 58:
                dates.add(index)
        return dates

    def _rows(self, part):
        """[(row number, cells)] of one sheet part; hot code: about a microsecond per cell matters."""
        rows: list = []
        strings, date_styles, epoch = self._strings, self._date_styles, self._epoch
        columns: dict[str, int] = {}
        row = col = style = 0
        kind, formula, value, chunks, cells = "n", False, None, None, []

        def start(tag, attrs):
            nonlocal row, col, kind, style, formula, value, chunks, cells
            if ":" in tag:
                tag = _local(tag)
            if tag == "c":
                ref = attrs.get("r")
                if ref:
                    letters = ref.rstrip("0123456789")
                    col = columns.get(letters) or columns.setdefault(letters, _column_of(letters))
                else:
                    col += 1
                kind = attrs.get("t", "n")
                style = int(attrs.get("s", 0))
                formula, value = False, None
            elif tag == "v" or (tag == "t" and kind == "inlineStr"):
                chunks = []
            elif tag == "f":
                formula = True
            elif tag == "row":
                r = attrs.get("r")
                row = int(r) if r else row + 1
                cells, col = [], 0

        def end(tag):
            nonlocal value, chunks
            if ":" in tag:
                tag = _local(tag)
            if tag == "v":
                value = "".join(chunks) if chunks else ""
                chunks = None
            elif tag == "c":
                typed = _typed(value, kind, style in date_styles, strings, epoch)
                while len(cells) < col - 1:
                    cells.append(_ValueCell(None, row, "n"))
                if len(cells) < col:
                    cells.append(_ValueCell(typed, row, "f" if formula else "n"))
            elif tag == "row":
                if cells:
                    rows.append((row, tuple(cells)))
            elif tag == "t" and kind == "inlineStr" and chunks is not None:
                value = (value or "") + "".join(chunks)
                chunks = None

        def text(data):
            if chunks is not None:
                chunks.append(data)

        _parse_part(self._archive, part, start, end, text)
        return rows


def _column_of(ref: str) -> int:
    col = 0
    for ch in ref:
        if ch.isalpha():
            col = col * 26 + (ord(ch.upper()) - 64)
        else:
            break
    if not 0 < col <= 16384:
        raise SpreadsheetRefused(f"The workbook has a cell {ref[:12]!r} outside any column.")
    return col


def _typed(raw, kind, is_date, strings, epoch):
    if raw is None:
        return None
    try:
        if kind == "s":
            return strings[int(raw)]
        if kind == "n" and not is_date:
            return (float(raw) if ("." in raw or "e" in raw or "E" in raw) else int(raw)) if raw.strip() else None
        if kind in ("str", "inlineStr"):
            return raw
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind == "e":
            return raw
        if kind == "d":
            return datetime.fromisoformat(raw.strip())
        text = raw.strip()
        if not text:
            return None
        number = float(text) if any(c in text for c in ".eE") else int(text)
        if is_date:
            return from_excel(number, epoch)
        return number
    except (ValueError, IndexError, OverflowError) as exc:
        raise SpreadsheetRefused(f"The workbook has a cell that cannot be read ({raw[:20]!r}).") from exc


def open_values(source) -> ValuesWorkbook:
    """Open an uploaded .xlsx after the safety checks, for reading values only (fast; no styles)."""
    data = _read_bytes(source)
    check_xlsx(data)
    try:
        return ValuesWorkbook(data)
    except SpreadsheetRefused:
        raise
    except Exception as exc:  # a damaged archive or part raises many types
        raise SpreadsheetRefused(f"The workbook could not be read: {exc.__class__.__name__}.") from exc


@dataclass(frozen=True)
class _TextCell:
    value: object
    row: int
    data_type: str = "s"


class _CsvSheet:
    def __init__(self, title: str, text: str):
        self.title = title
        self._text = text

    def iter_rows(self, values_only=False):
        reader = csv.reader(io.StringIO(self._text))
        for number, cells in enumerate(reader, start=1):
            if values_only:
                yield tuple(cells)
            else:
                yield tuple(_TextCell(value, number) for value in cells)


class CsvWorkbook:
    """Sheets given as CSV text, readable with `read_sheet` exactly like an opened .xlsx.

    Every cell is text (CSV has no types and no formulas), so the same parsing and checks apply.
    """

    def __init__(self, sheets: dict[str, str]):
        self.worksheets = [_CsvSheet(title, text) for title, text in sheets.items()]

    def close(self):
        pass


def csv_workbook(folder) -> CsvWorkbook:
    """The .csv files of a folder as one workbook, each file a sheet named after it (Actuals.csv -> Actuals)."""
    folder = Path(folder)
    return CsvWorkbook(
        {path.stem: path.read_text(encoding="utf-8-sig") for path in sorted(folder.glob("*.csv"))}
    )


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
            errors.append(CellError(name, 1, col, MISSING_COLUMN))
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
                value = unguard(value.strip())
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


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y")


def parse_date(value) -> date:
    """A date from a cell: an Excel date, "2006-06-15", "15/06/2006" or "15 June 2006" (UK order, never US)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool | int | float | Decimal):
        raise ValueError(f"{value!r} is not a date; write it like 2006-06-15 or 15/06/2006")
    text = str(value).strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date; write it like 2006-06-15 or 15/06/2006")


_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


def parse_bool(value) -> bool:
    """Yes or no from a cell: yes/no, y/n, true/false, 1/0 (any case), or an Excel TRUE/FALSE."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text.endswith(".0"):
        text = text[:-2]
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(f"{str(value)[:40]!r} is not yes or no")


# --- Export --------------------------------------------------------------------------------
# The formula guard is applied only when a file is written, and only to text: the data keeps what
# people typed. In .xlsx a text cell is typed as text and marked "quote prefix" (what Excel itself
# does when someone types '=...), so it is never run and its value is unchanged; in CSV, which has
# no types, text that a spreadsheet would run gets a leading apostrophe, which `unguard` takes off
# again when our own file comes back. Numbers, and text that is a plain number such as "-3.5" or
# "-12%", are written as they are.

_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_NUMBER_TEXT = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?%?$")  # "-3.5", "-1,234", "-12%"


def is_dangerous(value) -> bool:
    """Text a spreadsheet would run as a formula (a plain number written as text is not)."""
    return isinstance(value, str) and value.startswith(_DANGEROUS_START) and not _NUMBER_TEXT.match(value)


def neutralise(value):
    """For CSV: text that a spreadsheet would run gets a leading apostrophe; numbers pass through."""
    if is_dangerous(value):
        return "'" + value
    return value


def unguard(value):
    """Take off the apostrophe `neutralise` put on (a file we wrote, coming back): "'=x" -> "=x"."""
    if isinstance(value, str) and value.startswith("'") and is_dangerous(value[1:]):
        return value[1:]
    return value


def text_cell(cell) -> None:
    """An .xlsx cell holding text: typed as text, and quote-prefixed when it looks like a formula."""
    if isinstance(cell.value, str):
        cell.data_type = "s"  # never a formula, whatever the text
        if is_dangerous(cell.value):
            cell.quotePrefix = True


def xlsx_bytes(sheets: dict) -> bytes:
    """{sheet name: (headers, rows)} -> .xlsx bytes; text cells are typed as text, never formulas."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, (headers, rows) in sheets.items():
        ws = wb.create_sheet(title=title[:31])
        ws.append(list(headers))
        for row in rows:
            ws.append(list(row))
        for row in ws.iter_rows():
            for cell in row:
                text_cell(cell)
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


def csv_rows(text: str) -> list[list[str]]:
    """Read back a CSV this module wrote: every cell as text, the formula guard taken off."""
    return [[unguard(cell) for cell in row] for row in csv.reader(io.StringIO(text))]
