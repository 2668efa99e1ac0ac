"""Comparator files from LGBF and LG Inform import as published, all or nothing, and twice is the same as once."""

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from benchmarking.import_check import BadPeriod, period_end
from benchmarking.importer import comparator_import
from benchmarking.models import (
    ComparatorCouncil,
    ComparatorGroup,
    ComparatorMetric,
    ComparatorValue,
)
from core.spreadsheets import ImportRefused
from organisation.models import AuditEvent
from tests.workbooks import workbook

pytestmark = pytest.mark.django_db
FILES = Path(__file__).parent / "files"


def _csv_rows(name):
    return list(csv.reader(io.StringIO((FILES / name).read_text(encoding="utf-8"))))


def _import(name, **kwargs):
    return comparator_import(source=FILES / name, filename=name, user=None, **kwargs)


def test_lg_inform_export_imports_without_editing():
    report = _import("lginform.csv")

    assert report.source == "LG Inform"
    assert report.values.new == 15
    assert report.missing_values == 2
    assert report.periods == ["2022/23", "2023/24"]
    assert "Data is" in report.ignored_columns
    assert report.us == "Herefordshire"
    assert ComparatorCouncil.objects.get(is_us=True).code == "E06000019"
    metric = ComparatorMetric.objects.get(source="LG Inform", metric_id="3333")
    assert metric.title.startswith("Percentage of household waste")
    wiltshire = ComparatorValue.objects.get(metric=metric, council__code="E06000054", period="2023/24")
    assert wiltshire.value is None and wiltshire.note == "not available (x)"
    assert wiltshire.period_end == date(2024, 3, 31)
    group = ComparatorGroup.objects.get(name="CIPFA nearest neighbours")
    assert group.kind == ComparatorGroup.NEAREST_NEIGHBOURS
    assert group.members.count() == 5


def test_lgbf_download_imports_without_editing_with_councils_by_name():
    report = _import("lgbf.csv")

    assert report.source == "LGBF"
    assert report.values.new == 20
    assert report.missing_values == 1
    highland = ComparatorCouncil.objects.get(name="Highland")
    assert highland.code == "Highland"
    value = ComparatorValue.objects.get(council=highland, metric__metric_id="CHN1", period="2021-22")
    assert value.value == Decimal("6890.2") and value.period_end == date(2022, 3, 31)
    assert ComparatorValue.objects.get(council=highland, metric__metric_id="CHN1", period="2022-23").value is None
    group = ComparatorGroup.objects.get(name="Family group 2")
    assert group.kind == ComparatorGroup.FAMILY_GROUP
    assert sorted(group.members.values_list("name", flat=True)) == [
        "Aberdeenshire", "Argyll & Bute", "Highland", "Moray", "Scottish Borders",
    ]


def test_the_same_files_as_xlsx_with_other_header_spellings_import_the_same():
    rows = _csv_rows("lgbf.csv")
    rows[0] = ["Local Authority", "Indicator Code", "YEAR", "value", "Family Group"]
    for row in rows[1:]:
        row[3] = float(row[3]) if row[3] != ".." else row[3]
    report = comparator_import(source=workbook({"Data": rows}), filename="lgbf.xlsx", user=None)

    assert report.values.new == 20
    assert ComparatorValue.objects.get(council__name="Moray", metric__metric_id="ENV2A", period="2022-23").value == Decimal("69.5")


def test_importing_the_same_file_again_changes_nothing():
    _import("lginform.csv", us="E06000019")
    before = list(ComparatorValue.objects.order_by("pk").values_list("pk", "value", "note", "period_end"))
    events = AuditEvent.objects.filter(action="comparators_imported").count()

    again = _import("lginform.csv", us="E06000019")

    assert not again.changed_anything
    assert again.values.unchanged == 15 and again.values.new == again.values.changed == 0
    assert again.memberships_added == 0 and again.councils.new == 0 and again.groups.new == 0
    assert list(ComparatorValue.objects.order_by("pk").values_list("pk", "value", "note", "period_end")) == before
    assert AuditEvent.objects.filter(action="comparators_imported").count() == events == 1


def test_a_changed_figure_is_shown_then_written_and_group_members_are_only_added():
    _import("lginform.csv")
    group = ComparatorGroup.objects.get(name="CIPFA nearest neighbours")
    header, *rows = _csv_rows("lginform.csv")[1:]
    shropshire = next(r for r in rows if r[0] == "E06000051" and r[4] == "2022/23")
    shropshire[5] = "51.0"  # revised
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, rows[0], shropshire])  # a file with only two of the councils
    data = buffer.getvalue().encode()

    preview = comparator_import(source=data, filename="revised.csv", user=None, dry_run=True)
    assert preview.values.changed == 1
    assert (preview.changes[0].old, preview.changes[0].new) == ("53.1", "51")
    assert ComparatorValue.objects.get(council__code="E06000051", period="2022/23", metric__metric_id="3333").value == Decimal("53.1")

    comparator_import(source=data, filename="revised.csv", user=None)
    assert ComparatorValue.objects.get(council__code="E06000051", period="2022/23", metric__metric_id="3333").value == Decimal("51")
    assert group.members.count() == 5


def test_every_bad_row_is_named_and_nothing_is_written():
    rows = [
        ["Area code", "Area name", "Metric id", "Period", "Value"],
        ["E06000019", "Herefordshire", "3333", "2023/24", "41.2"],
        ["E06000051", "Shropshire", "3333", "sometime", "50"],
        ["", "Wiltshire", "3333", "2023/24", "12"],
        ["E06000052", "Cornwall", "3333", "2023/24", "forty"],
        ["E06000057", "Northumberland", "", "2023/24", "7"],
        ["E06000019", "Herefordshire", "3333", "2023/24", "41.2"],
        ["E06000054", "Wiltshire", "3333", "2023/25", "1"],
    ]
    with pytest.raises(ImportRefused) as refused:
        comparator_import(source=workbook({"Export": rows}), filename="bad.xlsx", user=None)

    found = {(e.row, e.column) for e in refused.value.errors}
    assert found == {(3, "Period"), (4, "Area code"), (5, "Value"), (6, "Metric id"), (7, ""), (8, "Period")}
    by_row = {e.row: e.message for e in refused.value.errors}
    assert "cannot read the period 'sometime'" in by_row[3]
    assert "row 2" in by_row[7]
    assert "do not follow on" in by_row[8]
    assert not ComparatorValue.objects.exists() and not ComparatorCouncil.objects.exists()


def test_a_file_without_the_columns_we_need_is_refused_saying_what_is_needed():
    with pytest.raises(ImportRefused) as refused:
        comparator_import(source=b"name,score\nHerefordshire,3\n", filename="x.csv", user=None)
    assert "a council (its code or name), a metric or indicator" in str(refused.value.errors[0])


def test_formulas_are_refused():
    rows = [["Area code", "Area name", "Metric id", "Period", "Value"], ["E06000019", "Herefordshire", "1", "2023", "=1+1"]]
    with pytest.raises(ImportRefused) as refused:
        comparator_import(source=workbook({"Export": rows}), filename="f.xlsx", user=None)
    assert "formulas are not accepted" in refused.value.errors[0].message


@pytest.mark.parametrize(("published", "end"), [
    ("2022-23", date(2023, 3, 31)),
    ("2023/24", date(2024, 3, 31)),
    ("2023/2024", date(2024, 3, 31)),
    ("1999-00", date(2000, 3, 31)),
    ("2023/24 Q1", date(2023, 6, 30)),
    ("2023/24 Q4", date(2024, 3, 31)),
    ("Q3 2023/24", date(2023, 12, 31)),
    ("2023 Q2", date(2023, 6, 30)),
    ("Jan 2024 - Mar 2024", date(2024, 3, 31)),
    ("October 2023 to December 2023", date(2023, 12, 31)),
    ("February 2024", date(2024, 2, 29)),
    ("2021", date(2021, 12, 31)),
    ("31/03/2024", date(2024, 3, 31)),
    (2021, date(2021, 12, 31)),
])
def test_published_periods_are_read_to_the_day_they_end(published, end):
    assert period_end(published) == end


@pytest.mark.parametrize("published", ["2023/25", "Spring 2024", "Mar 2024 - Jan 2024", "Smarch 2024", "31/02/2024"])
def test_periods_that_cannot_be_read_say_so(published):
    with pytest.raises(BadPeriod):
        period_end(published)
