"""The performance team exports the whole council for a range of periods, and the .xlsx imports back unchanged."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from indicators import importer
from indicators.models import Indicator, Reading
from organisation.models import Period

QUARTER = {"start": "2006-05", "end": "2006-07"}


def _export(client, fmt, **query):
    return client.get(reverse("indicators:readings_export"), {**QUARTER, **query, "format": fmt})


def _data_cells(content):
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book.worksheets}


def test_the_export_lists_every_active_indicator_for_three_months_with_status_and_approval(world, client_for):
    rows = list(csv.DictReader(io.StringIO(_export(client_for("performance"), "csv").content.decode())))
    monthly = Indicator.objects.filter(deleted_at__isnull=True, frequency=Indicator.MONTHLY).values_list("code", flat=True)
    assert monthly, "the world has monthly indicators"
    for code in monthly:
        assert [r["period"] for r in rows if r["code"] == code] == ["2006-05", "2006-06", "2006-07"]
    for reading in Reading.objects.filter(period__key__in=["2006-05", "2006-06", "2006-07"], indicator__deleted_at__isnull=True):
        line = next(r for r in rows if (r["code"], r["period"]) == (reading.indicator.code, reading.period.key))
        assert line["state"] == reading.state
    judged = [r for r in rows if r["actual"] and r["target"]]
    assert judged and all(r["rag"] in {"G", "A", "R", "B"} for r in judged)


@pytest.mark.parametrize("role", ["officer", "member"])
def test_only_the_performance_team_may_export_the_council(role, world, client_for):
    assert _export(client_for(role), "csv").status_code == 404  # policy.require hides what a role may not reach


def test_the_exported_workbook_imports_back_with_no_changes_and_exports_the_same(world, client_for):
    Reading.objects.filter(indicator=world.indicator).update(commentary="=1+1 stays words", actual=Decimal("3.5"))
    client = client_for("performance")
    query = {"start": "2006-04", "end": "2006-07"}
    first = _export(client, "xlsx", **query).content
    actuals = _data_cells(first)["Actuals"]
    assert [world.indicator.code, "2006-07", 3.5, "=1+1 stays words"] in [row[:4] for row in actuals]
    preview = importer.workbook_import(source=first, filename="export.xlsx", user=world.performance, dry_run=True)
    assert preview.changes == []
    assert preview.readings.new == 0 and preview.readings.changed == 0
    importer.workbook_import(source=first, filename="export.xlsx", user=world.performance)
    assert _data_cells(_export(client, "xlsx", **query).content) == _data_cells(first)


def _more_indicators(world, count):
    for n in range(count):
        Indicator.objects.create(code=f"EXTRA{n:02d}", title=f"Extra measure {n}", directorate=world.indicator.directorate)


@pytest.mark.parametrize("extra", [5, 50])
def test_the_export_takes_the_same_queries_whatever_the_number_of_indicators(extra, world, client_for, django_assert_num_queries):
    _more_indicators(world, extra)
    Period.objects.count()
    client = client_for("performance")
    client.get(reverse("home"))
    with django_assert_num_queries(EXPORT_QUERIES):
        response = _export(client, "xlsx")
    assert response.status_code == 200


EXPORT_QUERIES = 9
