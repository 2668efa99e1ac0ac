"""The return as a spreadsheet: download, fill in offline, upload with a preview; and range exports."""

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.models import Indicator, Reading, ReadingHistory
from organisation.models import Period
from tests import factories


@pytest.fixture
def july(world):
    Period.objects.filter(pk=world.period.pk).update(state=Period.OPEN, deadline=date(2006, 8, 7))
    Indicator.objects.filter(pk=world.indicator.pk).update(action_plan_robust=True, tolerance_pct=10)
    factories.reading(world.indicator, "2006-06", 180)
    world.period.refresh_from_db()
    return world.period


def download(client, period):
    response = client.get(reverse("indicators:return_download", args=[period.pk]))
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def as_upload(wb, name="return.xlsx"):
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def cells(ws, row):
    headers = [c.value for c in ws[1]]
    return dict(zip(headers, ws[row], strict=False))


def test_the_downloaded_return_has_targets_last_values_locked_headers_and_validation(july, world, client_for):
    wb = download(client_for("officer"), july)
    ws = wb["Actuals"]
    row = cells(ws, 2)
    assert (row["code"].value, row["period"].value, row["target"].value, row["last_actual"].value, row["actual"].value) == (
        "CH141", "2006-07", 220, 180, 196,
    )
    assert ws.protection.sheet is True
    assert ws["A1"].protection.locked and row["code"].protection.locked
    assert not row["actual"].protection.locked and not row["commentary"].protection.locked
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert validations[row["status"].coordinate].formula1 == '"B,G,A,R"'
    assert validations[row["actual"].coordinate].type == "decimal"
    assert ws.max_row == 2  # not AS01, which another officer leads


def test_an_upload_is_previewed_then_applied_with_upload_history(july, world, client_for):
    client = client_for("officer")
    wb = download(client, july)
    row = cells(wb["Actuals"], 2)
    row["actual"].value = 212
    row["commentary"].value = "Referrals up after the campaign"
    row["remedial_action"].value = "Weekly review"
    response = client.post(reverse("indicators:return_upload"), {"file": as_upload(wb)})
    page = response.content.decode()
    assert "Check what will change" in page and "Referrals up after the campaign" in page
    assert Reading.objects.get(indicator=world.indicator, period=july).actual == Decimal("196")  # not yet
    response = client.post(reverse("indicators:return_upload_apply"))
    assert response.status_code == 302
    r = Reading.objects.get(indicator=world.indicator, period=july)
    assert (r.actual, r.commentary) == (Decimal("212"), "Referrals up after the campaign")
    entry = ReadingHistory.objects.get()
    assert (entry.how, entry.source, entry.by) == ("upload", "return.xlsx", world.officer)


def test_an_upload_with_bad_cells_names_every_one_and_writes_nothing(july, world, client_for):
    client = client_for("officer")
    wb = download(client, july)
    ws = wb["Actuals"]
    row = cells(ws, 2)
    row["actual"].value = "lots"
    row["status"].value = "X"
    ws.append(["AS01", None, "2006-07", None, None, None, 5])
    ws.append(["CH141", None, "2006-13", None, None, None, 5])
    response = client.post(reverse("indicators:return_upload"), {"file": as_upload(wb)})
    page = response.content.decode()
    assert "4 problems; nothing was saved" in page
    assert "Actuals, row 2, column actual: Enter the actual as a number" in page
    assert "Actuals, row 2, column status: Choose Blue, Green, Amber or Red" in page
    assert "Actuals, row 3, column code: no indicator you lead has the code &#x27;AS01&#x27;" in page
    assert "Actuals, row 4, column period:" in page
    assert not ReadingHistory.objects.exists()
    assert not Reading.objects.filter(indicator=world.other_indicator).exists()


def test_an_upload_into_a_locked_period_is_refused(july, world, client_for):
    client = client_for("performance")
    wb = download(client, july)
    cells(wb["Actuals"], 2)["actual"].value = 1
    Period.objects.filter(pk=july.pk).update(state=Period.LOCKED)
    page = client.post(reverse("indicators:return_upload"), {"file": as_upload(wb)}).content.decode()
    assert "July 2006 is locked; its figures cannot change" in page
    assert Reading.objects.get(indicator=world.indicator, period=july).actual == Decimal("196")


def test_a_period_locked_between_preview_and_apply_writes_nothing(july, world, client_for):
    client = client_for("performance")
    wb = download(client, july)
    cells(wb["Actuals"], 2)["actual"].value = 1
    client.post(reverse("indicators:return_upload"), {"file": as_upload(wb)})
    Period.objects.filter(pk=july.pk).update(state=Period.LOCKED)
    client.post(reverse("indicators:return_upload_apply"))
    assert Reading.objects.get(indicator=world.indicator, period=july).actual == Decimal("196")
    assert not ReadingHistory.objects.exists()


def test_a_figure_changed_after_the_preview_makes_the_upload_refused(july, world, client_for):
    client = client_for("officer")
    wb = download(client, july)
    cells(wb["Actuals"], 2)["actual"].value = 230
    client.post(reverse("indicators:return_upload"), {"file": as_upload(wb)})
    Reading.objects.filter(indicator=world.indicator, period=july).update(actual=Decimal("205"), version=5)
    response = client.post(reverse("indicators:return_upload_apply"), follow=True)
    assert "CH141 changed after your preview" in response.content.decode()
    assert Reading.objects.get(indicator=world.indicator, period=july).actual == Decimal("205")


def test_a_file_that_is_not_a_workbook_is_refused_in_plain_words(july, world, client_for):
    upload = SimpleUploadedFile("return.xlsx", b"code,period,actual\nCH141,2006-07,1\n")
    page = client_for("officer").post(reverse("indicators:return_upload"), {"file": upload}).content.decode()
    assert "This is not an Excel .xlsx workbook" in page


def test_the_performance_team_exports_a_range_as_csv_with_formulas_neutralised(july, world, client_for):
    Reading.objects.filter(indicator=world.indicator, period=july).update(commentary="=HYPERLINK(\"http://x\")")
    response = client_for("performance").get(
        reverse("indicators:readings_export"), {"start": "2006-04", "end": "2006-07", "format": "csv"}
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    july_row = next(r for r in rows if (r["code"], r["period"]) == ("CH141", "2006-07"))
    assert (july_row["code"], july_row["actual"], july_row["target"], july_row["rag"]) == ("CH141", "196.0000", "220.0000", "R")
    assert july_row["commentary"].startswith("'=")
    assert [r["period"] for r in rows if r["code"] == "CH141"] == ["2006-04", "2006-05", "2006-06", "2006-07"]


def test_the_performance_team_exports_a_range_as_xlsx(july, world, client_for, django_assert_num_queries):
    client = client_for("performance")
    client.get(reverse("home"))
    with django_assert_num_queries(9):
        response = client.get(reverse("indicators:readings_export"), {"start": "2006/07", "end": "2006/07", "format": "xlsx"})
    ws = openpyxl.load_workbook(io.BytesIO(response.content))["Readings"]
    assert [c.value for c in ws[1]][:3] == ["code", "period", "actual"]
    assert [row[1].value for row in ws.iter_rows(min_row=2) if row[0].value == "CH141"][::11] == ["2006-04", "2007-03"]


def test_an_export_range_the_wrong_way_round_is_refused(world, client_for):
    page = client_for("performance").get(
        reverse("indicators:readings_export"), {"start": "2006-07", "end": "2006-04", "format": "csv"}
    ).content.decode()
    assert "The last period must not be before the first" in page
