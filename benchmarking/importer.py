"""Bring comparator figures in from an LGBF or LG Inform download (.csv or .xlsx), checked whole, all or nothing.

Two steps in two modules, as the indicator import does it: `import_check` turns the sheet into a
plan (every bad row named by row and column, nothing written) and `import_write` writes it. This
module opens the file, finds the sheet with the figures, and runs both in one transaction with an
audit event; a dry run (the preview) rolls the write back. Shapes accepted: docs/benchmarking.md.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import transaction

from core import spreadsheets
from core.spreadsheets import CellError, CsvWorkbook, ImportRefused, SpreadsheetRefused
from organisation.audit import record

from . import stored
from .import_check import check_rows
from .import_write import ComparatorReport, plan_write

__all__ = ["ComparatorReport", "comparator_import", "our_council"]

NO_HEADER = (
    "no row of the file has the columns we need: a council (its code or name), a metric or indicator, "
    "a period or year, and a value"
)


def our_council() -> tuple[str, ...]:
    """How our council may be written in comparator files: its ONS code and its name (settings)."""
    return tuple(us for us in (settings.COUNCILPERF_COUNCIL_CODE, settings.COUNCIL_NAME) if us)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SpreadsheetRefused("The CSV file's text cannot be read; save it as CSV UTF-8 and try again.")


def _open(data: bytes, filename: str):
    if data.startswith(b"PK\x03\x04") or filename.lower().endswith(".xlsx"):
        return spreadsheets.open_values(data)
    if len(data) > settings.UPLOAD_MAX_BYTES:
        raise SpreadsheetRefused(f"The file is {len(data):,} bytes; the limit is {settings.UPLOAD_MAX_BYTES:,} bytes.")
    return CsvWorkbook({Path(filename).stem or "file": _decode(data)})


def _sheet_rows(worksheet, errors) -> tuple[list[tuple], list[int]]:
    rows, numbers = [], []
    for cells in worksheet.iter_rows(values_only=False):
        values = []
        for cell in cells:
            if getattr(cell, "data_type", None) == "f":
                errors.append(CellError(worksheet.title, cell.row, "", "formulas are not accepted; paste the value instead"))
                values.append(None)
            else:
                values.append(cell.value)
        rows.append(tuple(values))
        numbers.append(cells[0].row if cells else (numbers[-1] + 1 if numbers else 1))
    return rows, numbers


def comparator_import(*, source, filename: str, user, us: str | tuple[str, ...] | None = None, dry_run: bool = False) -> ComparatorReport:
    """Import a comparator file (bytes or a path); raise ImportRefused naming every problem.

    `us` is how our council appears in the file (code or name); by default its code and name from settings.
    """
    if isinstance(source, str | Path):
        source = Path(source).read_bytes()
    us = our_council() if us is None else ((us,) if isinstance(us, str) else tuple(us))
    errors: list[CellError] = []
    try:
        workbook = _open(source, filename)
        try:
            plan = None
            for worksheet in workbook.worksheets:
                sheet_errors: list[CellError] = []
                rows, numbers = _sheet_rows(worksheet, sheet_errors)
                plan = check_rows(sheet=worksheet.title, rows=rows, numbers=numbers, filename=filename, errors=sheet_errors)
                if plan is not None:
                    errors += sheet_errors
                    break
        finally:
            workbook.close()
    except SpreadsheetRefused as exc:
        raise ImportRefused([CellError("", 0, "", str(exc))]) from exc
    if plan is None:
        raise ImportRefused([CellError("", 0, "", NO_HEADER)])
    if not plan.values and not errors:
        errors.append(CellError(plan.sheet, 0, "", "the file has a header row but no figures under it"))
    if errors:
        raise ImportRefused(errors)
    with transaction.atomic():
        report = plan_write(plan=plan, us=us)
        if dry_run:
            transaction.set_rollback(True)
        elif report.changed_anything:
            # New figures, councils or members can move us in any group: every kept position is worked out again.
            stored.refresh()
            record(
                user=user, action="comparators_imported",
                summary=(
                    f"{filename} ({plan.source}): {report.values.new} new and {report.values.changed} changed figures, "
                    f"{report.councils.new} new councils, {report.metrics.new} new metrics, "
                    f"{report.groups.new} new groups, {report.memberships_added} group members added"
                ),
            )
    return report

