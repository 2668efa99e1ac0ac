"""No export carries a live formula from what people typed, in CSV or in .xlsx.

User text that a spreadsheet would run (=, +, -, @ at the start) is written with a leading
apostrophe in CSV and as a typed, quote-prefixed text cell in .xlsx (its value exactly as typed);
numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from indicators.models import Reading
from reports import services as report_services

PAYLOADS = ['=HYPERLINK("http://x","Click")', "+1", "-1+1", "@SUM(1)", "=1+1", "\t=cmd|' /C calc'!A0"]
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def _plant(world, payload):
    """The payload in every text field of the officer's July figure (CH141 is Red, so it reaches Appendix A)."""
    Reading.objects.filter(indicator=world.indicator, period=world.period).update(
        commentary=payload, remedial_action=payload, status_reason=payload,
    )


def _csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _assert_csv_safe(text: str, payload: str):
    cells = _csv_cells(text)
    live = [c for c in cells if c.startswith(DANGEROUS) and not NUMBER.match(c)]
    assert live == [], f"live formulas in the CSV: {live}"
    assert "'" + payload in cells, "the payload should be there, neutralised"


def _assert_xlsx_safe(data: bytes, payload: str):
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    values = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    if cell.value.startswith(DANGEROUS):
                        assert cell.data_type == "s" and cell.quotePrefix, f"{sheet.title}!{cell.coordinate}: {cell.value!r}"
                    values.append(cell.value)
    assert payload in values, "the payload should be there as typed, as text"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_readings_export_as_csv_has_no_live_formula(payload, world, client_for):
    _plant(world, payload)
    response = client_for("performance").get(
        reverse("indicators:readings_export"), {"start": "2006-04", "end": "2007-03", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    _assert_csv_safe(response.content.decode(), payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_readings_export_as_xlsx_has_no_live_formula(payload, world, client_for):
    _plant(world, payload)
    response = client_for("performance").get(
        reverse("indicators:readings_export"), {"start": "2006-04", "end": "2007-03", "format": "xlsx"})
    _assert_xlsx_safe(response.content, payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_monthly_return_download_has_no_live_formula(payload, world, client_for):
    _plant(world, payload)
    response = client_for("officer").get(reverse("indicators:return_download", args=[world.period.pk]))
    assert response.status_code == 200
    _assert_xlsx_safe(response.content, payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_audit_export_has_no_live_formula(payload, world, client, client_for):
    client.post(reverse("login"), {"username": payload, "password": "wrong"})  # recorded with the typed name
    response = client_for("performance").get(reverse("organisation:audit_export"))
    _assert_csv_safe(response.content.decode(), payload.strip())  # the sign-in form trims what is typed


@pytest.fixture
def published_with(world):
    def publish(payload):
        _plant(world, payload)
        version = report_services.report_publish(user=world.performance, report=world.report, note="")
        return {"pk": world.report.pk, "number": version.number}, version
    return publish


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_published_reports_open_data_csv_has_no_live_formula(payload, world, client_for, published_with):
    kwargs, _ = published_with(payload)
    response = client_for("member").get(reverse("reports:csv", kwargs={**kwargs, "table": "A1"}))
    assert response.status_code == 200
    _assert_csv_safe(response.content.decode(), payload)


def test_every_open_data_table_of_a_published_report_is_safe(world, client_for, published_with):
    import json

    kwargs, version = published_with(PAYLOADS[0])
    tables = json.loads(version.figures_json)["tables"]
    assert "A1" in tables
    member = client_for("member")
    for key in tables:
        text = member.get(reverse("reports:csv", kwargs={**kwargs, "table": key})).content.decode()
        live = [c for c in _csv_cells(text) if c.startswith(DANGEROUS) and not NUMBER.match(c)]
        assert live == [], (key, live)


def test_the_json_keeps_the_words_exactly_as_typed(world, client_for, published_with):
    """JSON is data, not a spreadsheet: the text is kept as typed, for people who build on it."""
    import json

    kwargs, _ = published_with(PAYLOADS[0])
    data = json.loads(client_for("member").get(reverse("reports:json", kwargs=kwargs)).content)
    assert PAYLOADS[0] in {cell for row in data["tables"]["A1"]["rows"] for cell in row}


def test_the_import_template_has_no_formula(world, client_for):
    data = client_for("performance").get(reverse("indicators:import_template")).content
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert all(c.data_type != "f" for ws in book.worksheets for row in ws.iter_rows() for c in row)


def test_negative_numbers_stay_numbers(world, client_for):
    Reading.objects.filter(indicator=world.indicator, period=world.period).update(actual=-5)
    response = client_for("performance").get(
        reverse("indicators:readings_export"), {"start": "2006-07", "end": "2006-07", "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    actuals = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert -5 in actuals
