"""Every upload path refuses hostile and wrong files in plain words, before parsing that could hurt,
and the database is exactly as it was (every table, not only the one the import writes)."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from budgets import imports as budget_imports
from improvement_plans import services as plan_services
from indicators import return_workbook
from indicators.import_template import TEMPLATE_SHEETS
from organisation.models import Period
from tests.security import hostile
from tests.security.snapshot import nothing_written


def _indicator_workbook(formula=False):
    sheets = {name: [list(headers), *[list(r) for r in rows]] for name, (headers, rows) in TEMPLATE_SHEETS.items()}
    if formula:
        sheets["Actuals"][1][2] = "=SUM(190,6)"
    return hostile.workbook(sheets)


def _return_workbook(formula=False):
    headers = list(return_workbook.HEADERS)
    row = dict.fromkeys(headers, None) | {"code": "CH141", "period": "2006-07", "actual": 201, "commentary": "Fine"}
    if formula:
        row["actual"] = "=200+1"
    return hostile.workbook({"Actuals": [headers, [row[h] for h in headers]]})


def _plan_workbook(formula=False):
    headers = [*plan_services.REQUIRED]
    row = {"plan": "Overall Performance Improvement Plan 2006", "element": "7", "element_title": "Children",
           "number": "7.9", "action": "A new action", "lead": "DoCS", "by_when": "March 2007",
           "progress": "Started", "partners": "", "capacity": "", "success_criteria": "", "status": "In progress"}
    if formula:
        row["progress"] = '=HYPERLINK("http://evil.example","Started")'
    return hostile.workbook({"Actions": [headers, [row[h] for h in headers]]})


def _budget_workbook(formula=False):
    headers = [*budget_imports.REVENUE_COLUMNS, *budget_imports.REVENUE_OPTIONAL]
    row = ["2006-08", "CYPS", "Children's social care", 1000, 1000, 1010, "Agency staff"]
    if formula:
        row[5] = "=1000*1.01"
    return hostile.workbook({"Revenue": [headers, row]})


@dataclass
class Path:
    route: str
    field: str
    role: str
    good: callable
    headers: tuple


PATHS = {
    "indicator workbook": Path("indicators:import_workbook", "file", "performance", _indicator_workbook,
                               ("code", "period", "actual")),
    "monthly return": Path("indicators:return_upload", "file", "officer", _return_workbook, ("code", "period", "actual")),
    "improvement plan": Path("improvement_plans:import", "workbook", "performance", _plan_workbook,
                             plan_services.REQUIRED),
    "budgets": Path("budgets:import", "workbook", "performance", _budget_workbook, budget_imports.REVENUE_COLUMNS),
}


@pytest.fixture(scope="module")
def bomb():
    return hostile.zip_bomb()


@pytest.fixture
def july_open(world):
    Period.objects.filter(pk=world.period.pk).update(state=Period.OPEN)
    return world


def _upload(client_for, path: Path, data: bytes, name="figures.xlsx"):
    client = client_for(path.role)  # signing in is recorded; do it before the snapshot
    with nothing_written():
        response = client.post(reverse(path.route), {path.field: SimpleUploadedFile(name, data)})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("what", list(PATHS))
def test_a_workbook_that_unpacks_to_a_gigabyte_is_refused_unopened(what, july_open, client_for, bomb):
    assert len(bomb) < 5_000_000
    page = _upload(client_for, PATHS[what], bomb)
    assert "The workbook unpacks to 1,090,519," in page and "the limit is 209,715,200 bytes" in page


@pytest.mark.parametrize("hidden", [False, True], ids=["at the start", "after a long comment"])
@pytest.mark.parametrize("what", list(PATHS))
def test_a_billion_laughs_part_is_refused(what, hidden, july_open, client_for):
    page = _upload(client_for, PATHS[what], hostile.billion_laughs(PATHS[what].good(), hidden=hidden))
    assert "declares XML entities; refused for safety" in page


@pytest.mark.parametrize("what", list(PATHS))
def test_a_csv_renamed_xlsx_is_refused_in_plain_words(what, july_open, client_for):
    page = _upload(client_for, PATHS[what], hostile.csv_renamed(list(PATHS[what].headers), ["x"] * 3))
    assert "This is not an Excel .xlsx workbook (a CSV or other file renamed .xlsx?)" in page


@pytest.mark.parametrize("what", list(PATHS))
def test_a_workbook_with_formulas_is_refused_naming_the_cell(what, july_open, client_for):
    page = _upload(client_for, PATHS[what], PATHS[what].good(formula=True))
    assert "formulas are not accepted; paste the value instead" in page


@pytest.mark.parametrize("what", list(PATHS))
def test_an_oversize_file_is_refused_before_it_is_opened(what, july_open, client_for, settings):
    settings.UPLOAD_MAX_BYTES = 200_000
    page = _upload(client_for, PATHS[what], hostile.with_padding(PATHS[what].good(), 300_000))
    assert "the limit is 200,000 bytes" in page


@pytest.mark.parametrize("what", list(PATHS))
def test_a_damaged_workbook_is_refused(what, july_open, client_for):
    data = PATHS[what].good()
    page = _upload(client_for, PATHS[what], data[: len(data) // 2])
    assert "damaged" in page or "could not be read" in page


@pytest.mark.parametrize("what", list(PATHS))
def test_the_good_workbook_gets_past_the_file_checks(what, july_open, client_for):
    """The control: each path's good workbook is accepted as a file, so the refusals above are the file's fault."""
    path = PATHS[what]
    client = client_for(path.role)
    response = client.post(reverse(path.route), {path.field: SimpleUploadedFile("figures.xlsx", path.good())})
    page = response.content.decode()
    for refusal in ("not an Excel", "unpacks to", "declares XML", "formulas are not accepted", "the limit is",
                    "damaged", "could not be read"):
        assert refusal not in page, (what, refusal)


def _laughs_part(encoding="utf-8"):
    text = f'<?xml version="1.0" encoding="{encoding}"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    return text.encode(encoding)


@pytest.mark.parametrize("part, content", [
    ("xl/worksheets/sheet1.xml", _laughs_part("utf-16")),
    ("docProps/custom.dat", _laughs_part()),  # any part can be XML, whatever its name says
    ("xl/styles.xml", b"<?xml version='1.0'?><!--" + os.urandom(1_500_000).hex().encode() + b"-->"
     + b'<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'),
], ids=["UTF-16", "a part not named .xml", "three megabytes in"])
def test_entities_are_found_wherever_they_hide(part, content, world):
    from core import spreadsheets

    data = hostile.with_part(_budget_workbook(), part, content) if part != "docProps/custom.dat" else _with_extra(
        _budget_workbook(), part, content)
    with pytest.raises(spreadsheets.SpreadsheetRefused, match="declares XML entities; refused for safety"):
        spreadsheets.check_xlsx(data)


def _with_extra(data, name, content):
    import io
    import zipfile

    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return out.getvalue()
