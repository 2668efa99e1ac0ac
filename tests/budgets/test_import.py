"""The finance workbook import: all of it or nothing, every bad cell named; only the performance team may upload."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from budgets import selectors
from budgets.models import CapitalChange, CapitalLine, RevenueLine
from organisation.models import AuditEvent, Period

REVENUE = ["period", "directorate", "service", "original_budget", "current_budget", "forecast_outturn", "commentary"]
CAPITAL = ["period", "scheme", "original_forecast", "change", "change_reason", "approved_by", "spend_to_date"]

GOOD_REVENUE = [
    ["2006-08", "CYPS", "Children's social care", "1,000", "£1,000", "1,050.25", "Agency staff"],
    ["2006-08", "Adult and Community Services", "Older people", 2000, 2100, "2,250.45", None],
    ["2006-08", "acs", "Learning disabilities", "500", "500", "(0)", "Refund"],
]
GOOD_CAPITAL = [
    ["2006-08", "Corporate Accommodation", "0", "4,603,000", "Reported separately to Cabinet", "Cabinet 13 July 2006", "215,000"],
    ["2006-08", "Rotherwas access road", "3,200,000", "(1,300,000)", "Reprofiled to 2007/08", "Cabinet 29 June 2006", "240,000"],
    ["2006-08", "Rotherwas access road", "3,200,000", "100,000", "Design fees", "Cabinet member 1 August 2006", "240,000"],
    ["2006-08", "Property maintenance", "1,200,000", None, None, None, "330,000"],
]


def workbook(revenue=GOOD_REVENUE, capital=GOOD_CAPITAL, *, revenue_header=REVENUE, capital_header=CAPITAL) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, header, rows in (("Revenue", revenue_header, revenue), ("Capital", capital_header, capital)):
        if rows is None:
            continue
        ws = wb.create_sheet(title)
        ws.append(header)
        for row in rows:
            ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(client, data: bytes):
    return client.post(reverse("budgets:import"), {"workbook": SimpleUploadedFile("finance.xlsx", data)})


def snapshot():
    return (RevenueLine.objects.count(), CapitalLine.objects.count(), CapitalChange.objects.count())


def test_the_performance_team_imports_revenue_and_capital_to_the_penny(world, client_for):
    response = upload(client_for("performance"), workbook())
    assert response.status_code == 302
    revenue = selectors.revenue_position(period_key="2006-08")
    assert [line.service for line in revenue.lines] == ["Children's social care", "Older people", "Learning disabilities"]
    assert revenue.total.forecast == Decimal("3300.70")
    assert revenue.total.variance == Decimal("-299.30")
    capital = selectors.capital_position(period_key="2006-08")
    road = next(s for s in capital.schemes if s.scheme == "Rotherwas access road")
    assert [c.amount for c in road.changes] == [Decimal("-1300000.00"), Decimal("100000.00")]
    assert road.revised == Decimal("2000000.00")
    assert capital.totals.revised == Decimal("0") + 4603000 + 2000000 + 1200000
    assert AuditEvent.objects.filter(action="budgets_imported", username="performance").exists()


def test_one_bad_cell_and_nothing_is_written_with_every_bad_cell_named(world, client_for):
    before = snapshot()
    revenue = [row[:] for row in GOOD_REVENUE]
    revenue[0][4] = "1.234"  # Revenue row 2, current_budget
    revenue[1][1] = "Highways"  # row 3, no such directorate
    revenue[2][0] = "July 2006"  # row 4, not a period key
    capital = [row[:] for row in GOOD_CAPITAL]
    capital[0][4] = None  # Capital row 2: a change without its reason
    capital[2][6] = "250,000"  # row 4 disagrees with row 3 on spend to date
    response = upload(client_for("performance"), workbook(revenue, capital))
    html = response.content.decode()
    assert "Nothing was imported: 5 problems to fix" in html
    for expected in (
        "Revenue, row 2, column current_budget: &#x27;1.234&#x27; has more than two decimal places",
        "Revenue, row 3, column directorate: there is no directorate &#x27;Highways&#x27;",
        "Revenue, row 4, column period: &#x27;July 2006&#x27; is not a period",
        "Capital, row 2, column change_reason: a change needs its reason",
        "Capital, row 4, column spend_to_date: differs from row 3",
    ):
        assert expected in html
    assert snapshot() == before


def test_a_missing_column_is_named_once(world, client_for):
    header = [h for h in REVENUE if h != "forecast_outturn"]
    rows = [row[:5] + row[6:] for row in GOOD_REVENUE]
    html = upload(client_for("performance"), workbook(rows, None, revenue_header=header)).content.decode()
    assert "Revenue, row 1, column forecast_outturn: required column is missing" in html
    assert "1 problem to fix" in html


def test_a_period_in_the_file_replaces_what_was_held_for_it(world, client_for):
    client = client_for("performance")
    upload(client, workbook())
    upload(client, workbook(GOOD_REVENUE[:1], GOOD_CAPITAL[:1]))
    assert RevenueLine.objects.filter(period__key="2006-08").count() == 1
    assert CapitalLine.objects.filter(period__key="2006-08").count() == 1
    assert RevenueLine.objects.filter(period__key="2006-07").count() == 2  # other periods untouched


def test_a_locked_period_is_refused(world, client_for):
    Period.get_or_create_for("2006-08")
    Period.objects.filter(key="2006-08").update(state=Period.LOCKED)
    html = upload(client_for("performance"), workbook()).content.decode()
    assert "August 2006 is locked" in html
    assert not RevenueLine.objects.filter(period__key="2006-08").exists()


def test_a_file_that_is_not_a_workbook_is_refused_before_it_is_read(world, client_for):
    html = upload(client_for("performance"), b"period,directorate\n2006-08,CYPS\n").content.decode()
    assert "not an Excel .xlsx workbook" in html
    assert not RevenueLine.objects.filter(period__key="2006-08").exists()


@pytest.mark.parametrize("role", ["officer", "approver", "other_officer", "member"])
def test_only_the_performance_team_may_import_and_nothing_is_written(world, client_for, role):
    before = snapshot()
    response = upload(client_for(role), workbook())
    assert response.status_code == 404
    assert snapshot() == before


def test_the_management_command_imports_and_refuses_all_or_nothing(world, tmp_path):
    good = tmp_path / "good.xlsx"
    good.write_bytes(workbook())
    out = io.StringIO()
    call_command("import_budgets", str(good), stdout=out)
    assert "Imported 3 revenue lines for August 2006" in out.getvalue()
    bad = tmp_path / "bad.xlsx"
    rows = [row[:] for row in GOOD_REVENUE]
    rows[0][3] = "1,23"
    bad.write_bytes(workbook(rows, None))
    before = snapshot()
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported: 1 problem"):
        call_command("import_budgets", str(bad), stderr=err)
    assert "Revenue, row 2, column original_budget" in err.getvalue()
    assert snapshot() == before
