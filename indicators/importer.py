"""Bring a council's KPI workbook in: indicators, targets and actuals, checked whole, written all or nothing.

Two steps in two modules, as `budgets/imports.py` does it: `import_check` turns the sheets into
a plan (every problem named as sheet, row, column and message, nothing written) and
`import_write` turns the plan into rows. This module opens the file and runs both in one
transaction, so an import is all or nothing; a dry run (the preview) rolls the write back.
The workbook's format is in docs/import.md.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from core import dbstats, spreadsheets
from core.spreadsheets import CellError, ImportRefused, SpreadsheetRefused

from .import_check import (
    ACTUAL_COLUMNS,
    ACTUALS,
    INDICATOR_COLUMNS,
    INDICATORS,
    TARGET_COLUMNS,
    TARGETS,
    ImportPlan,
    check_sheets,
)
from .import_write import Change, Counts, ImportReport, plan_write
from .models import Indicator, Reading, ReadingHistory, Target

__all__ = [
    "ACTUALS", "ACTUAL_COLUMNS", "INDICATORS", "INDICATOR_COLUMNS", "TARGETS", "TARGET_COLUMNS",
    "Change", "Counts", "ImportPlan", "ImportReport", "sheets_import", "workbook_import",
]

BULK_ROWS = 5000  # new targets and readings in one import after which the tables' statistics are refreshed


def workbook_import(*, source, filename: str, user, dry_run: bool = False) -> ImportReport:
    """Import an .xlsx (bytes, a file, an upload or a path); raise ImportRefused listing every problem."""
    if isinstance(source, str | Path):
        source = Path(source).read_bytes()
    try:
        workbook = spreadsheets.open_values(source)
    except SpreadsheetRefused as exc:
        raise ImportRefused([CellError("", 0, "", str(exc))]) from exc
    try:
        return sheets_import(workbook=workbook, filename=filename, user=user, dry_run=dry_run)
    finally:
        workbook.close()


def sheets_import(*, workbook, filename: str, user, dry_run: bool = False, how: str = "import") -> ImportReport:
    """Import from an opened workbook (an .xlsx, or CSV files read as one); the same checks either way."""
    errors: list[CellError] = []
    try:
        sheets = read_sheets(workbook, errors)
    except SpreadsheetRefused as exc:  # a part found hostile or damaged only when its rows are read
        raise ImportRefused([CellError("", 0, "", str(exc))]) from exc
    with transaction.atomic():
        plan = check_sheets(sheets=sheets, errors=errors, filename=filename)
        report = plan_write(plan=plan, user=user, dry_run=dry_run, how=how)
        if dry_run:
            transaction.set_rollback(True)
    if not dry_run and report.targets.new + report.readings.new >= BULK_ROWS:
        # A first import of a council's history: the planner's statistics would say the tables are empty.
        dbstats.refresh_planner_statistics(
            [Indicator, Indicator.sets.through, Target, Reading, ReadingHistory]
        )
    return report


def read_sheets(workbook, errors) -> dict[str, list[dict]]:
    """The three sheets' rows as dicts (headers in any order and case); a missing sheet is an empty one."""
    names = {ws.title.strip().lower() for ws in workbook.worksheets}
    if not names & {INDICATORS.lower(), TARGETS.lower(), ACTUALS.lower()}:
        errors.append(CellError("", 0, "", "the workbook has none of the sheets Indicators, Targets or Actuals"))
        return {INDICATORS: [], TARGETS: [], ACTUALS: []}
    spec = {
        INDICATORS: (("code", "title"), INDICATOR_COLUMNS),
        TARGETS: (("code", "period"), TARGET_COLUMNS),
        ACTUALS: (("code", "period"), ACTUAL_COLUMNS),
    }
    return {
        name: spreadsheets.read_sheet(workbook, name, required=required, optional=optional, errors=errors, must_exist=False)
        for name, (required, optional) in spec.items()
    }
