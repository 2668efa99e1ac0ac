"""The monthly return as a workbook: built for officers to fill in offline, and read back on upload.

The sheet is the `Actuals` sheet of the indicator workbook (code, period, actual, commentary,
remedial_action, data_quality, status, status_reason) with read-only columns beside it that
help the person filling it in (title, unit, target, last period's figure). An upload is read
all or nothing: every bad cell is named and nothing is written until the preview is accepted.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import openpyxl
from openpyxl.styles import Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from core import periods, policy
from core.spreadsheets import CellError, ImportRefused, open_workbook, read_sheet, text_cell
from organisation.models import Period

from . import returns
from .models import Indicator, Reading

SHEET = "Actuals"
HEADERS = (
    "code", "title", "period", "unit", "target", "last_actual",
    "actual", "commentary", "remedial_action", "data_quality", "status", "status_reason",
)
INPUTS = ("actual", "commentary", "remedial_action", "data_quality", "status", "status_reason")
REQUIRED = ("code", "period", "actual")
OPTIONAL = ("commentary", "remedial_action", "data_quality", "status", "status_reason", "title", "unit", "target", "last_actual")
# Sheet column -> reading field.
FIELD_OF = {
    "actual": "actual", "commentary": "commentary", "remedial_action": "remedial_action",
    "data_quality": "data_quality", "status": "status_override", "status_reason": "status_reason",
}
COLUMN_OF = {v: k for k, v in FIELD_OF.items()}
WIDTHS = {"code": 12, "title": 48, "period": 10, "unit": 14, "target": 10, "last_actual": 12, "actual": 12,
          "commentary": 50, "remedial_action": 50, "data_quality": 14, "status": 8, "status_reason": 30}


def _number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral() else float(value)


def build(rows: list[returns.Row], period: Period) -> bytes:
    """The return for these rows: reference cells locked, input cells open, validation on inputs."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(list(HEADERS))
    bold, shaded = Font(bold=True), PatternFill("solid", fgColor="DDDDDD")
    for cell in ws[1]:
        cell.font, cell.fill = bold, shaded
    status_list = DataValidation(
        type="list", formula1='"B,G,A,R"', allow_blank=True, showErrorMessage=True,
        errorTitle="Status", error="Leave blank for the worked-out status, or choose B, G, A or R (and give the reason).",
    )
    quality_list = DataValidation(
        type="list", formula1='"' + ",".join(returns.DATA_QUALITY) + '"', allow_blank=True, showErrorMessage=True,
        errorTitle="Data quality", error="Choose provisional, estimated, revised or validated.",
    )
    percentage = DataValidation(
        type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True, showErrorMessage=True,
        errorTitle="Percentage", error="Enter a percentage between 0 and 100, as a number (85.5, not 85.5%).",
    )
    not_negative = DataValidation(
        type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True, showErrorMessage=True,
        errorTitle="Figure", error="Enter a number that is not negative.",
    )
    any_number = DataValidation(
        type="decimal", operator="between", formula1="-99999999999999", formula2="99999999999999",
        allow_blank=True, showErrorMessage=True, errorTitle="Figure", error="Enter a number.",
    )
    for dv in (status_list, quality_list, percentage, not_negative, any_number):
        ws.add_data_validation(dv)
    col = {name: i + 1 for i, name in enumerate(HEADERS)}
    for n, row in enumerate(rows, start=2):
        ind, reading, target = row.indicator, row.reading, row.target
        target_value = None
        if target is not None:
            target_value = _number(target.target) if target.target is not None else (
                f"{returns._plain(target.lower) if target.lower is not None else ''} to "
                f"{returns._plain(target.upper) if target.upper is not None else ''}"
            )
        values = {
            "code": ind.code, "title": ind.title, "period": period.key, "unit": ind.get_unit_display(),
            "target": target_value, "last_actual": _number(row.previous.actual) if row.previous else None,
            "actual": _number(reading.actual) if reading else None,
            "commentary": reading.commentary if reading else None,
            "remedial_action": reading.remedial_action if reading else None,
            "data_quality": reading.data_quality if reading else None,
            "status": reading.status_override if reading else None,
            "status_reason": reading.status_reason if reading else None,
        }
        for name, value in values.items():
            cell = ws.cell(row=n, column=col[name], value=(value or None) if isinstance(value, str) else value)
            text_cell(cell)
            if name in INPUTS:
                cell.protection = Protection(locked=False)
        ws.cell(row=n, column=col["period"]).number_format = "@"
        actual = ws.cell(row=n, column=col["actual"]).coordinate
        if ind.unit == Indicator.PERCENTAGE:
            percentage.add(actual)
        elif ind.unit == Indicator.GBP:
            any_number.add(actual)
        else:
            not_negative.add(actual)
        status_list.add(ws.cell(row=n, column=col["status"]).coordinate)
        quality_list.add(ws.cell(row=n, column=col["data_quality"]).coordinate)
    for name, width in WIDTHS.items():
        ws.column_dimensions[openpyxl.utils.get_column_letter(col[name])].width = width
    ws.freeze_panes = "C2"
    # Locked reference cells keep the codes and periods the upload matches on; no password,
    # because this guards against slips, not against the person who owns the figures.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    about = wb.create_sheet("About")
    for line in (
        [f"The return for {period.label}"],
        ["Fill in the columns actual, commentary, remedial_action, data_quality, status and status_reason on the Actuals sheet."],
        ["Leave actual blank when the figure is not yet available; never enter 0 for a missing figure."],
        ["Commentary and remedial_action are required when the status is Amber or Red."],
        ["status: leave blank for the status worked out from the figure; B, G, A or R overrides it and needs a status_reason."],
        ["Upload the file on the My updates page: you will see what will change before anything is saved."],
    ):
        about.append(line)
    about.column_dimensions["A"].width = 110
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- Reading an upload --------------------------------------------------------------------


@dataclass
class Change:
    indicator: Indicator
    period: Period
    field: str
    old: object
    new: object


@dataclass
class Upload:
    """What an upload would do: the rows to write, each change for the preview, and the versions seen."""

    rows: list = field(default_factory=list)  # {"indicator", "period", <field>: value}
    changes: list = field(default_factory=list)
    unchanged: int = 0
    seen: dict = field(default_factory=dict)  # (indicator id, period id) -> version (0: none yet)

    def to_session(self) -> dict:
        return {
            "rows": [
                {
                    "indicator": r["indicator"].pk, "period": r["period"].pk,
                    "values": {k: (None if v is None else str(v)) for k, v in r.items() if k not in ("indicator", "period")},
                }
                for r in self.rows
            ],
            "seen": [[i, p, v] for (i, p), v in self.seen.items()],
        }


def rows_from_session(data: dict):
    """The rows and versions stored at preview time, with objects reloaded (two queries)."""
    indicators = Indicator.objects.in_bulk([r["indicator"] for r in data["rows"]])
    period_rows = Period.objects.in_bulk([r["period"] for r in data["rows"]])
    rows = []
    for r in data["rows"]:
        values = dict(r["values"])
        if "actual" in values:
            values["actual"] = None if values["actual"] is None else Decimal(values["actual"])
        rows.append({"indicator": indicators[r["indicator"]], "period": period_rows[r["period"]], **values})
    seen = {(i, p): v for i, p, v in data["seen"]}
    return rows, seen


def _period_key(value) -> str | None:
    """A period key from a cell; Excel turns a typed 2006-07 into a date, which is read back as that month."""
    if isinstance(value, datetime | date):
        return f"{value.year:04d}-{value.month:02d}"
    return None if value is None else str(value).strip()


def refusal_for(user, indicator, period) -> str | None:
    if period.state == Period.LOCKED:
        return f"{period.label} is locked; its figures cannot change"
    if not policy.may_enter_reading_in(user, indicator, period):
        return f"{period.label} is not open for updates"
    return None


def read_upload(source, *, user) -> Upload:
    """Check every cell of an uploaded return; raise ImportRefused naming each problem, else say what would change."""
    workbook = open_workbook(source)
    errors: list[CellError] = []
    raw = read_sheet(workbook, SHEET, required=REQUIRED, optional=OPTIONAL, errors=errors)
    if errors and any(e.row <= 1 for e in errors):
        raise ImportRefused(errors)
    present = {name for r in raw for name in r if name in FIELD_OF}
    codes = {str(r["code"]).strip() for r in raw if r.get("code") is not None}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes).select_related("lead")}
    keys = {}
    for r in raw:
        text = _period_key(r.get("period"))
        if not text:
            continue
        try:
            keys[text] = periods.parse(text).key
        except periods.PeriodKeyError:
            keys[text] = None
    found_periods = {p.key: p for p in Period.objects.filter(key__in={k for k in keys.values() if k})}
    ids = [i.pk for i in indicators.values()]
    targets = {p.pk: returns.targets_by_indicator(ids, p) for p in found_periods.values()}
    existing = {
        (r.indicator_id, r.period_id): r
        for r in Reading.objects.filter(indicator_id__in=ids, period__in=list(found_periods.values()))
    }
    upload = Upload()
    done = set()
    for r in raw:
        n = r["_row"]
        code = None if r.get("code") is None else str(r["code"]).strip()
        indicator = indicators.get(code) if code else None
        if not code:
            errors.append(CellError(SHEET, n, "code", "enter the indicator's code"))
        elif indicator is None or not policy.may_edit_reading(user, indicator):
            errors.append(CellError(SHEET, n, "code", f"no indicator you lead has the code {code!r}"))
        text = _period_key(r.get("period"))
        period = None
        if not text:
            errors.append(CellError(SHEET, n, "period", "enter the period, like 2006-07 for July 2006"))
        elif keys.get(text) is None:
            errors.append(CellError(SHEET, n, "period", f"{text!r} is not a period; use 2006-07 for July 2006"))
        else:
            period = found_periods.get(keys[text])
            if period is None:
                errors.append(CellError(SHEET, n, "period", f"{text} is not open for updates"))
        if indicator is None or period is None or not policy.may_edit_reading(user, indicator):
            continue
        refused = refusal_for(user, indicator, period)
        if refused:
            errors.append(CellError(SHEET, n, "period", refused))
            continue
        if (indicator.pk, period.pk) in done:
            errors.append(CellError(SHEET, n, "code", f"{code} for {period.label} appears more than once"))
            continue
        done.add((indicator.pk, period.pk))
        current = existing.get((indicator.pk, period.pk))
        data = returns.Row(indicator=indicator, period=period, target=None, previous=None, reading=current).data
        for column in present:
            data[FIELD_OF[column]] = r.get(column)
        values, problems, _ = returns.clean_values(indicator, period, targets[period.pk].get(indicator.pk), data)
        values = {f: v for f, v in values.items() if COLUMN_OF[f] in present}
        changed = returns.differs(current, values)
        for name, message in problems.items():
            if changed or name in ("actual", "data_quality", "status_override"):
                errors.append(CellError(SHEET, n, COLUMN_OF[name], message))
        if problems or not changed:
            upload.unchanged += not problems
            continue
        upload.rows.append({"indicator": indicator, "period": period, **values})
        upload.seen[(indicator.pk, period.pk)] = current.version if current else 0
        for name, value in values.items():
            old = getattr(current, name) if current else None
            if returns.differs(current, {name: value}):
                upload.changes.append(Change(indicator, period, name, old, value))
    if errors:
        raise ImportRefused(errors)
    return upload
