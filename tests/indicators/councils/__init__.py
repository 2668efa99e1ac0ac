"""Workbooks built from other councils' published performance reports (the sources are in each module)."""

from tests.workbooks import workbook as write_workbook

__all__ = ["write_workbook"]
