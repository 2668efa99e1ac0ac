"""The check half of the comparator import: a sheet in, a plan out, every bad row named, nothing written.

Accepts the two shapes councils download, as published (docs/benchmarking.md):

- LGBF (Scotland's benchmarking framework): council *name*, indicator code ("CHN1"), year
  ("2022-23"), value, and optionally the council's family group ("Family group 3").
- LG Inform: area code ("E06000019"), area name, metric id (numeric), period ("2023/24",
  "2023/24 Q2", "Jan 2024 - Mar 2024"), value, and optionally a comparator group.

Header names are matched forgivingly (case, spaces, punctuation and common synonyms); columns we
do not use are left alone and listed. Published markers of a missing figure ("x", ":", "..", "c",
"[x]" ...) are kept as a null value with the marker as its note. Every unreadable period, value or
missing name is named by row and column, and any problem refuses the whole file.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from core.spreadsheets import CellError, parse_decimal, unguard

LGBF, LG_INFORM = "LGBF", "LG Inform"

# Our name for a column -> the header spellings people and publishers use (normalised: lower case,
# single spaces, no punctuation). Order matters where a spelling could mean two things: the first
# column that claims a header wins.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "code": (
        "area code", "areacode", "council code", "authority code", "la code", "local authority code", "ons code",
        "gss code", "geography code", "area id", "ons", "code",
    ),
    "council": (
        "area name", "areaname", "area", "council", "council name", "local authority", "local authority name",
        "authority", "authority name", "la", "la name", "organisation", "geography",
    ),
    "metric": (
        "metric id", "metricid", "metric type id", "metric", "indicator", "indicator code", "indicator id",
        "measure", "measure id", "measure code", "code of indicator",
    ),
    "title": (
        "metric title", "metric name", "metric type", "indicator name", "indicator title", "indicator description",
        "measure name", "title", "description",
    ),
    "period": ("period", "year", "time period", "financial year", "date", "period label"),
    "value": ("value", "data value", "figure", "result", "actual", "amount"),
    "group": (
        "family group", "family", "comparator group", "comparison group", "group", "nearest neighbours",
        "benchmarking group",
    ),
    "unit": ("unit", "units", "unit of measure"),
}
# A header row is found when it has these (a council by name or code is checked separately).
REQUIRED = ("metric", "period", "value")
HEADER_SEARCH_ROWS = 15  # LG Inform exports can start with a title and notes above the header

# Markers publishers use for a figure they do not give (suppressed, not available, not applicable).
MISSING_MARKERS = {
    "x": "not available (x)", ":": "not available (:)", "..": "not available (..)", "c": "suppressed (c)",
    "[x]": "not available ([x])", "[c]": "suppressed ([c])", "[z]": "not applicable ([z])", "[u]": "unreliable ([u])",
    "-": "not available (-)", "n/a": "not available (n/a)", "na": "not available (na)", "*": "suppressed (*)",
    "..c": "suppressed (..c)",
}
BLANK_NOTE = "blank in the file"

LIMIT = Decimal(10) ** 13  # the value column holds 20 digits, 6 after the point
SIX_PLACES = Decimal("0.000001")
ONS_CODE = re.compile(r"^[ENSWK]\d{8}$")


def normalise(header) -> str:
    if header is None:
        return ""
    text = re.sub(r"[^0-9a-z]+", " ", str(header).strip().lower())
    return text.strip()


def match_headers(headers: list) -> tuple[dict[str, int], list[str], list[tuple[str, str]]]:
    """Our column -> index in the row, the headers we do not use, and headers claimed twice."""
    found: dict[str, int] = {}
    unused: list[str] = []
    twice: list[tuple[str, str]] = []
    lookup = {}
    for ours, spellings in SYNONYMS.items():
        for spelling in spellings:
            lookup.setdefault(spelling, ours)
    for index, header in enumerate(headers):
        key = normalise(header)
        if not key:
            continue
        ours = lookup.get(key)
        if ours is None:
            unused.append(str(header).strip())
        elif ours in found:
            twice.append((ours, str(header).strip()))
        else:
            found[ours] = index
    return found, unused, twice


# --- Periods ---------------------------------------------------------------------------------

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_FY = re.compile(r"^(?:fy\s*)?(\d{4})\s*[-/]\s*(\d{2}|\d{4})$")
_FY_QUARTER = re.compile(r"^(?:(\d{4})\s*[-/]\s*(\d{2}|\d{4})\s*q([1-4])|q([1-4])\s*(\d{4})\s*[-/]\s*(\d{2}|\d{4}))$")
_CAL_QUARTER = re.compile(r"^(?:(\d{4})\s*q([1-4])|q([1-4])\s*(\d{4}))$")
_MONTH_YEAR = r"([a-z]+)\s*(\d{4})"
_MONTH_RANGE = re.compile(rf"^{_MONTH_YEAR}\s*(?:-|–|to)\s*{_MONTH_YEAR}$")
_ONE_MONTH = re.compile(rf"^{_MONTH_YEAR}$")
_YEAR = re.compile(r"^(\d{4})$")
_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
PERIOD_HELP = "write it like 2022-23, 2023/24, 2023/24 Q2, 2023 Q2, Jan 2024 - Mar 2024, March 2024 or 2023"


class BadPeriod(ValueError):
    pass


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _second_year(first: int, second: str) -> int:
    year = int(second) if len(second) == 4 else (first // 100) * 100 + int(second)
    if year != first + 1 and not (len(second) == 2 and year == first + 1 - 100):
        raise BadPeriod(f"the financial year's two years do not follow on; {PERIOD_HELP}")
    return first + 1


def period_label(value) -> str:
    """The period as published, for storing: text as given; an Excel date as 2024-03-31; a year as 2023."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def period_end(value) -> date:
    """The last day of a published period. Financial years end on 31 March; quarters written with a
    financial year ("2023/24 Q2") are financial quarters, with a calendar year ("2023 Q2") calendar ones."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = period_label(value).lower()
    if m := _FY.match(text):
        first = int(m[1])
        return date(_second_year(first, m[2]), 3, 31)
    if m := _FY_QUARTER.match(text):
        first, second, quarter = (m[1], m[2], m[3]) if m[1] else (m[5], m[6], m[4])
        first = int(first)
        _second_year(first, second)
        month = {1: 6, 2: 9, 3: 12, 4: 3}[int(quarter)]
        return _month_end(first + 1 if month == 3 else first, month)
    if m := _CAL_QUARTER.match(text):
        year, quarter = (m[1], m[2]) if m[1] else (m[4], m[3])
        return _month_end(int(year), int(quarter) * 3)
    if m := _MONTH_RANGE.match(text):
        start_month, end_month = _MONTHS.get(m[1]), _MONTHS.get(m[3])
        if start_month is None or end_month is None:
            raise BadPeriod(f"{period_label(value)!r} names a month we do not know; {PERIOD_HELP}")
        start, end = date(int(m[2]), start_month, 1), _month_end(int(m[4]), end_month)
        if end < start:
            raise BadPeriod(f"{period_label(value)!r} ends before it starts")
        return end
    if (m := _ONE_MONTH.match(text)) and m[1] in _MONTHS:
        return _month_end(int(m[2]), _MONTHS[m[1]])
    if m := _YEAR.match(text):
        return date(int(m[1]), 12, 31)
    if m := _DATE.match(text):
        try:
            return date(int(m[3]), int(m[2]), int(m[1]))
        except ValueError as exc:
            raise BadPeriod(f"{period_label(value)!r} is not a date") from exc
    if m := _ISO_DATE.match(text):
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError as exc:
            raise BadPeriod(f"{period_label(value)!r} is not a date") from exc
    raise BadPeriod(f"cannot read the period {period_label(value)!r}; {PERIOD_HELP}")


# --- Values -----------------------------------------------------------------------------------

def read_value(value) -> tuple[Decimal | None, str]:
    """(the number or None, a note): a missing-figure marker gives None with the marker said."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, BLANK_NOTE
    if isinstance(value, str):
        marker = value.strip().lower()
        if marker in MISSING_MARKERS:
            return None, MISSING_MARKERS[marker]
    number = parse_decimal(value, allow_percent=True)
    if abs(number) >= LIMIT:
        raise ValueError(f"{number} is too large")
    return number.quantize(SIX_PLACES), ""


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if value is None:
        return ""
    return " ".join(unguard(str(value)).split())


def group_kind(name: str) -> str:
    lower = name.lower()
    if "family" in lower:
        return "family_group"
    if "neighbour" in lower or "cipfa" in lower:
        return "nearest_neighbours"
    return "other"


# --- The plan ---------------------------------------------------------------------------------

@dataclass
class CouncilRow:
    code: str  # ONS code, or the name where the file gives no code
    name: str


@dataclass
class ValueRow:
    row: int
    metric_id: str
    council_code: str
    period: str
    period_end: date
    value: Decimal | None
    note: str


@dataclass
class ComparatorPlan:
    filename: str
    sheet: str
    source: str
    councils: dict[str, CouncilRow] = field(default_factory=dict)  # by code
    metrics: dict[str, str] = field(default_factory=dict)  # metric id -> title ("" when the file has none)
    units: dict[str, str] = field(default_factory=dict)
    groups: dict[str, set[str]] = field(default_factory=dict)  # group name -> council codes
    values: list[ValueRow] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    by_name: bool = False  # the file names councils without codes (LGBF)


def find_header(rows: list[tuple]) -> int | None:
    """Index of the first row that holds the metric, period and value columns and a council column."""
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found, _unused, _twice = match_headers(list(cells))
        if all(c in found for c in REQUIRED) and ("code" in found or "council" in found):
            return index
    return None


def check_rows(*, sheet: str, rows: list[tuple], numbers: list[int], filename: str, errors: list[CellError],
               source: str | None = None) -> ComparatorPlan | None:
    """A plan from one sheet's rows (cell values) and their row numbers, or None when no header is found."""
    header_at = find_header(rows)
    if header_at is None:
        return None
    headers = list(rows[header_at])
    found, unused, twice = match_headers(headers)
    # A second column that could be the same thing (a "Year" beside a "Period") is left alone, as is
    # any column we do not use; the preview lists them.
    unused += [header for _ours, header in twice]
    by_name = "code" not in found
    plan = ComparatorPlan(
        filename=filename, sheet=sheet, source=source or (LGBF if by_name else LG_INFORM),
        ignored_columns=unused, by_name=by_name,
    )
    label = {ours: str(headers[index]).strip() for ours, index in found.items()}

    def cell(cells, ours):
        index = found.get(ours)
        if index is None or index >= len(cells):
            return None
        value = cells[index]
        if isinstance(value, str):
            value = value.strip() or None
        return value

    seen: dict[tuple, int] = {}
    for cells, number in zip(rows[header_at + 1:], numbers[header_at + 1:], strict=True):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
            continue

        def bad(ours, message, number=number):
            errors.append(CellError(sheet, number, label.get(ours, ours), message))

        code = _text(cell(cells, "code"))
        name = _text(cell(cells, "council"))
        if by_name:
            if not name:
                bad("council", "the council is blank")
                continue
            code = name
        elif not code:
            bad("code", "the council's code is blank")
            continue
        elif len(code) > 40:
            bad("code", "the council's code is longer than 40 characters")
            continue
        if len(name) > 200:
            bad("council", "the council's name is longer than 200 characters")
            continue
        known = plan.councils.get(code)
        if known is None:
            plan.councils[code] = CouncilRow(code=code, name=name or code)
        elif name and known.name != name and known.name != code:
            bad("council", f"{code} is named {known.name!r} on an earlier row and {name!r} here")
        elif name and known.name == code:
            known.name = name

        metric = _text(cell(cells, "metric"))
        if not metric:
            bad("metric", "the metric id is blank")
        elif len(metric) > 60:
            bad("metric", "the metric id is longer than 60 characters")
            metric = ""
        else:
            if plan.source == LGBF:
                metric = metric.upper()
            title = _text(cell(cells, "title"))[:300]
            if title or metric not in plan.metrics:
                plan.metrics[metric] = title or plan.metrics.get(metric, "")
            unit = _text(cell(cells, "unit"))[:60]
            if unit:
                plan.units[metric] = unit

        raw_period = cell(cells, "period")
        end = None
        period = ""
        if raw_period is None:
            bad("period", "the period is blank")
        else:
            period = period_label(raw_period)
            if len(period) > 40:
                bad("period", "the period is longer than 40 characters")
            else:
                try:
                    end = period_end(raw_period)
                except BadPeriod as exc:
                    bad("period", str(exc))

        try:
            value, note = read_value(cell(cells, "value"))
        except ValueError as exc:
            bad("value", f"{exc}; write a number, or leave it blank or x where the figure is not published")
            value, note = None, None

        group = _text(cell(cells, "group"))
        if group:
            if len(group) > 200:
                bad("group", "the group's name is longer than 200 characters")
            else:
                plan.groups.setdefault(group, set()).add(code)

        if metric and end is not None and note is not None:
            key = (metric, code, period)
            if key in seen:
                errors.append(CellError(
                    sheet, number, "", f"the same council, metric and period as row {seen[key]}",
                ))
                continue
            seen[key] = number
            plan.values.append(ValueRow(number, metric, code, period, end, value, note))
    return plan
