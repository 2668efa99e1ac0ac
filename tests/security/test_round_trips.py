"""Round trips that change nothing (issue 21, finding 4): every export, read back the way the app
reads files, gives the data as typed; exported again, the same file. The formula guard lives only in
the file: an .xlsx text cell is typed and quote-prefixed, a CSV cell gets an apostrophe that our
reader takes off; numbers, negative ones included, stay numbers."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import spreadsheets
from indicators.import_template import TEMPLATE_SHEETS
from indicators.models import Indicator, Reading, ReadingHistory
from organisation.models import Period
from reports import services as report_services

# Words officers really start a line with, and the classic payloads.
TEXTS = {
    "commentary": "-5 referrals on June; +2 social workers from September",
    "remedial_action": "=weekly review by the duty team (not a formula)",
    "status_reason": "@HoPP to confirm the threshold",
}


@pytest.fixture
def planted(world):
    Period.objects.filter(pk=world.period.pk).update(state=Period.OPEN, deadline=date(2006, 8, 7))
    Indicator.objects.filter(pk=world.indicator.pk).update(action_plan_robust=True, tolerance_pct=10)
    Reading.objects.filter(indicator=world.indicator, period=world.period).update(
        actual=Decimal("3.5"), status_override="R", **TEXTS)
    world.period.refresh_from_db()
    return world


def _reading(world):
    return Reading.objects.get(indicator=world.indicator, period=world.period)


def _sheet_values(data: bytes) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [[c.value for c in row] for ws in book.worksheets for row in ws.iter_rows()]


def test_a_downloaded_return_uploaded_back_changes_nothing_and_downloads_the_same(planted, client_for):
    officer = client_for("officer")
    url = reverse("indicators:return_download", args=[planted.period.pk])
    first = officer.get(url).content
    ws = openpyxl.load_workbook(io.BytesIO(first))["Actuals"]
    row = dict(zip([c.value for c in ws[1]], ws[2], strict=False))
    assert row["commentary"].value == TEXTS["commentary"], "the file holds the words as typed"
    assert row["commentary"].data_type == "s" and row["commentary"].quotePrefix, "typed and shown as text"
    assert row["actual"].value == 3.5 and row["actual"].data_type == "n", "a number stays a number"

    preview = officer.post(reverse("indicators:return_upload"), {"file": SimpleUploadedFile("return.xlsx", first)})
    assert preview.status_code == 200
    assert preview.context["upload"].changes == [], "the upload finds nothing to change"
    officer.post(reverse("indicators:return_upload_apply"))
    after = _reading(planted)
    assert {f: getattr(after, f) for f in TEXTS} == TEXTS and after.actual == Decimal("3.5")
    assert not ReadingHistory.objects.filter(reading=after).exists()
    assert _sheet_values(officer.get(url).content) == _sheet_values(first)


def test_an_older_return_with_apostrophes_comes_back_without_them(planted, client_for):
    """Files downloaded before this fix carry the guard in the data: it is taken off on the way in."""
    officer = client_for("officer")
    book = openpyxl.load_workbook(io.BytesIO(officer.get(
        reverse("indicators:return_download", args=[planted.period.pk])).content))
    ws = book["Actuals"]
    headers = [c.value for c in ws[1]]
    ws.cell(row=2, column=headers.index("commentary") + 1, value="'" + TEXTS["commentary"])
    buffer = io.BytesIO()
    book.save(buffer)
    preview = officer.post(reverse("indicators:return_upload"),
                           {"file": SimpleUploadedFile("return.xlsx", buffer.getvalue())})
    assert preview.context["upload"].changes == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_readings_export_reads_back_as_typed_and_exports_the_same(fmt, planted, client_for):
    Reading.objects.filter(indicator=planted.indicator, period=planted.period).update(actual=Decimal("-3.5"))
    client = client_for("performance")
    query = {"start": "2006-07", "end": "2006-07", "format": fmt}
    first = client.get(reverse("indicators:readings_export"), query).content
    if fmt == "csv":
        text = first.decode()
        assert f"'{TEXTS['remedial_action']}" in text, "the CSV carries the guard"
        assert ",-3.5000," in text, "a negative number is not turned into text"
        book = spreadsheets.CsvWorkbook({"Readings": text})
    else:
        book = spreadsheets.open_workbook(io.BytesIO(first))
    errors = []
    rows = spreadsheets.read_sheet(book, "Readings", required=("code", "commentary"),
                                   optional=tuple(h for h in _export_headers() if h not in ("code", "commentary")),
                                   errors=errors)
    assert errors == []
    (row,) = [r for r in rows if r["code"] == planted.indicator.code]
    assert {f: row[f] for f in TEXTS} == TEXTS
    assert spreadsheets.parse_decimal(row["actual"]) == Decimal("-3.5")
    again = client.get(reverse("indicators:readings_export"), query).content
    if fmt == "csv":
        assert again == first
    else:
        assert _sheet_values(again) == _sheet_values(first)


def _export_headers():
    from indicators.views.spreadsheets import EXPORT_HEADERS

    return EXPORT_HEADERS


def test_every_open_data_csv_of_a_published_report_reads_back_as_published(planted, client_for):
    version = report_services.report_publish(user=planted.performance, report=planted.report, note="")
    tables = json.loads(version.figures_json)["tables"]
    member = client_for("member")
    for key, table in tables.items():
        text = member.get(reverse("reports:csv", args=[planted.report.pk, version.number, key])).content.decode()
        header, *rows = spreadsheets.csv_rows(text)
        assert header == [c["label"] for c in table["columns"]], key
        assert rows == [["" if v is None else str(v) for v in row] for row in table["rows"]], key
    a1 = member.get(reverse("reports:csv", args=[planted.report.pk, version.number, "A1"])).content.decode()
    assert "'" + TEXTS["commentary"] in a1


def test_report_csvs_keep_negative_numbers_as_numbers():
    text = spreadsheets.csv_text(["Variance", "Per cent", "Note"], [["-1,234", "-2.8%", "-a note"], [-5, Decimal("-0.5"), "ok"]])
    assert text.splitlines()[1:] == ['"-1,234",-2.8%,\'-a note', "-5,-0.5,ok"]


def test_the_audit_export_reads_back_as_recorded(world, client, client_for):
    client.post(reverse("login"), {"username": "=cmd|' /C calc'!A0", "password": "wrong"})
    text = client_for("performance").get(reverse("organisation:audit_export")).content.decode()
    header, *rows = spreadsheets.csv_rows(text)
    assert "=cmd|' /C calc'!A0" in [row[header.index("user")] for row in rows]


def test_the_import_template_reads_back_as_written(world, client_for):
    data = client_for("performance").get(reverse("indicators:import_template")).content
    book = openpyxl.load_workbook(io.BytesIO(data))
    for title, (headers, rows) in TEMPLATE_SHEETS.items():
        values = [[c.value for c in row] for row in book[title[:31]].iter_rows()]
        assert values[0] == list(headers)
        assert values[1:] == [[None if v == "" else v for v in r] for r in rows], "blank stays blank"
