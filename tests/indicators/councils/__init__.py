"""Workbooks built from other councils' published performance reports (the sources are in each module)."""

import io

import openpyxl


def write_workbook(sheets: dict[str, list[list]]) -> bytes:
    """The sheets as a performance officer would fill them, written with openpyxl."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
