"""One way the tests write an .xlsx from rows: {sheet: rows}, the first row of each sheet its header.
Text starting with "=" is written as a live formula, as Excel would."""

import io

import openpyxl


def workbook(sheets: dict[str, list[list]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
