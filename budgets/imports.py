"""Read the finance system's workbook (sheets Revenue and Capital) into a plan of what to write, naming every bad cell.

Nothing here writes: `read_workbook` (or `plan_from_rows`, for rows from elsewhere) returns an
`ImportPlan` or raises `ImportRefused` listing every problem, so `services.budget_import` can
write all of it or none of it.

Revenue: period, directorate, service, original_budget, current_budget, forecast_outturn, commentary.
Capital: period, scheme, original_forecast, change, change_reason, approved_by, spend_to_date; one
row per change, so a scheme with several changes has several rows that agree on its original
forecast and spend to date (a scheme without changes has one row with the change left blank).
A period in the file replaces what is held for that period.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from core import periods
from core.money import AmountError, parse_amount
from core.spreadsheets import CellError, ImportRefused, read_sheet

REVENUE, CAPITAL = "Revenue", "Capital"
REVENUE_COLUMNS = ("period", "directorate", "service", "original_budget", "current_budget", "forecast_outturn")
REVENUE_OPTIONAL = ("commentary",)
CAPITAL_COLUMNS = ("period", "scheme", "original_forecast", "change", "change_reason", "approved_by", "spend_to_date")


@dataclass
class RevenueRecord:
    period: str
    directorate_id: int
    service: str
    original_budget: Decimal
    current_budget: Decimal
    forecast_outturn: Decimal
    commentary: str
    order: int


@dataclass
class ChangeRecord:
    amount: Decimal
    reason: str
    approved_by: str


@dataclass
class SchemeRecord:
    period: str
    scheme: str
    original_forecast: Decimal
    spend_to_date: Decimal
    row: int
    changes: list[ChangeRecord] = field(default_factory=list)


@dataclass
class ImportPlan:
    revenue: dict[str, list[RevenueRecord]] = field(default_factory=dict)
    capital: dict[str, list[SchemeRecord]] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        parts = []
        for key, lines in sorted(self.revenue.items()):
            parts.append(f"{len(lines)} revenue line{'s' if len(lines) != 1 else ''} for {periods.parse(key).label}")
        for key, schemes in sorted(self.capital.items()):
            count = sum(len(s.changes) for s in schemes)
            parts.append(
                f"{len(schemes)} capital scheme{'s' if len(schemes) != 1 else ''} with {count} "
                f"change{'s' if count != 1 else ''} for {periods.parse(key).label}"
            )
        return "; ".join(parts) or "nothing"


class _Cells:
    """Reads one row's cells, appending a CellError for each that is wrong."""

    def __init__(self, sheet: str, row: dict, errors: list):
        self.sheet, self.row, self.errors = sheet, row, errors
        self.number = row.get("_row") or 0
        self.ok = True

    def error(self, column: str, message: str):
        self.ok = False
        self.errors.append(CellError(self.sheet, self.number, column, message))

    def text(self, column: str, *, required=True) -> str:
        value = self.row.get(column)
        text = "" if value is None else str(value).strip()
        if required and not text:
            self.error(column, "is blank; it is needed")
        return text

    def amount(self, column: str, *, required=True) -> Decimal | None:
        try:
            return parse_amount(self.row.get(column), blank_ok=not required)
        except AmountError as exc:
            self.error(column, str(exc))
            return None

    def period(self, locked: set[str]) -> str | None:
        value = self.row.get("period")
        try:
            if isinstance(value, datetime):
                value = value.date()
            if isinstance(value, date):
                # Excel turns a typed 2006-07 into a date; the month is what was meant.
                key = periods.month_of(value)
            else:
                key = periods.parse(str(value if value is not None else ""))
        except periods.PeriodKeyError as exc:
            self.error("period", str(exc))
            return None
        if key.kind != periods.MONTH:
            self.error("period", f"{key.key!r} is not a month; monitoring is monthly, e.g. 2006-07 for July 2006")
            return None
        if key.key in locked:
            self.error("period", f"{key.label} is locked; its figures can no longer be changed")
            return None
        return key.key


def _directorate_lookup(directorates) -> dict[str, int]:
    lookup = {}
    for d in directorates:
        lookup[d.code.strip().lower()] = d.pk
        lookup[d.name.strip().lower()] = d.pk
    return lookup


def revenue_records(rows, *, directorates, locked: set[str], errors: list, sheet=REVENUE) -> dict:
    lookup = _directorate_lookup(directorates)
    codes = ", ".join(d.code for d in directorates)
    out: dict[str, list[RevenueRecord]] = {}
    seen: dict[tuple, int] = {}
    for order, row in enumerate(rows):
        cells = _Cells(sheet, row, errors)
        key = cells.period(locked)
        name = cells.text("directorate")
        directorate_id = lookup.get(name.lower()) if name else None
        if name and directorate_id is None:
            cells.error("directorate", f"there is no directorate {name!r}; use one of {codes}")
        service = cells.text("service")
        original = cells.amount("original_budget")
        current = cells.amount("current_budget")
        forecast = cells.amount("forecast_outturn")
        commentary = cells.text("commentary", required=False)
        if key and directorate_id and service:
            identity = (key, directorate_id, service.lower())
            if identity in seen:
                cells.error("service", f"{service!r} appears twice for this directorate and period (also row {seen[identity]})")
            seen[identity] = cells.number
        if cells.ok:
            out.setdefault(key, []).append(
                RevenueRecord(key, directorate_id, service, original, current, forecast, commentary, order)
            )
    return out


def capital_records(rows, *, locked: set[str], errors: list, sheet=CAPITAL) -> dict:
    out: dict[str, list[SchemeRecord]] = {}
    schemes: dict[tuple, SchemeRecord] = {}
    for row in rows:
        cells = _Cells(sheet, row, errors)
        key = cells.period(locked)
        name = cells.text("scheme")
        original = cells.amount("original_forecast")
        spend = cells.amount("spend_to_date")
        change = cells.amount("change", required=False)
        reason = cells.text("change_reason", required=False)
        approved_by = cells.text("approved_by", required=False)
        if change is not None:
            if not reason:
                cells.error("change_reason", "a change needs its reason")
            if not approved_by:
                cells.error("approved_by", "a change needs the decision that approved it")
        elif reason or approved_by:
            cells.error("change", "is blank but the row gives a reason or decision; enter the amount of the change")
        if not (cells.ok and key and name):
            continue
        record = schemes.get((key, name.lower()))
        if record is None:
            record = schemes[(key, name.lower())] = SchemeRecord(key, name, original, spend, cells.number)
            out.setdefault(key, []).append(record)
        else:
            if original != record.original_forecast:
                cells.error("original_forecast", f"differs from row {record.row} ({record.original_forecast}) for the same scheme")
            if spend != record.spend_to_date:
                cells.error("spend_to_date", f"differs from row {record.row} ({record.spend_to_date}) for the same scheme")
        if change is not None and cells.ok:
            record.changes.append(ChangeRecord(change, reason, approved_by))
    return out


def plan_from_rows(*, revenue_rows=None, capital_rows=None, directorates, locked: set[str],
                   errors: list | None = None) -> ImportPlan:
    errors = [] if errors is None else errors
    plan = ImportPlan()
    if revenue_rows is not None:
        plan.revenue = revenue_records(revenue_rows, directorates=directorates, locked=locked, errors=errors)
    if capital_rows is not None:
        plan.capital = capital_records(capital_rows, locked=locked, errors=errors)
    if errors:
        raise ImportRefused(errors)
    return plan


def read_workbook(workbook, *, directorates, locked: set[str]) -> ImportPlan:
    """The plan for an opened workbook; it must have a Revenue sheet, a Capital sheet or both."""
    errors: list[CellError] = []
    has = {ws.title.strip().lower() for ws in workbook.worksheets}
    if REVENUE.lower() not in has and CAPITAL.lower() not in has:
        raise ImportRefused([CellError("Workbook", 0, "", "there is no sheet called Revenue or Capital")])
    revenue_rows = capital_rows = None
    if REVENUE.lower() in has:
        revenue_rows = read_sheet(workbook, REVENUE, required=REVENUE_COLUMNS, optional=REVENUE_OPTIONAL, errors=errors)
    if CAPITAL.lower() in has:
        capital_rows = read_sheet(workbook, CAPITAL, required=CAPITAL_COLUMNS, errors=errors)
    if any(e.row <= 1 for e in errors):
        # Missing or unknown columns make every row wrong; say that once rather than for every cell.
        raise ImportRefused(errors)
    return plan_from_rows(revenue_rows=revenue_rows, capital_rows=capital_rows,
                          directorates=directorates, locked=locked, errors=errors)
