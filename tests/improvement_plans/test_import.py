"""Importing a plan from a workbook: all or nothing, every bad cell named."""

import io
from datetime import date

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.spreadsheets import ImportRefused
from improvement_plans import services
from improvement_plans.models import Action, Element, Plan, ProgressUpdate
from organisation.models import LeadRole

HEADERS = ["plan", "element", "element_title", "number", "action", "lead", "by_when", "progress", "partners",
           "capacity", "success_criteria", "status"]
PLAN = "Corporate Improvement Plan 2007"


def row(element="5 a)", title="ICT", number="5a 1", action="Develop the ICT Strategy", lead="DoCS", by_when="June 2006",
        progress="Draft prepared", status="In progress", success="Intermediate: a strategy. Ultimately: better services"):
    return [PLAN, element, title, number, action, lead, by_when, progress, "CMB", "None", success, status]


def workbook(*rows, sheet="Actions", headers=HEADERS) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _upload(client, data: bytes):
    upload = io.BytesIO(data)
    upload.name = "plan.xlsx"
    return client.post(reverse("improvement_plans:import"), {"workbook": upload})


GOOD = [
    row(),
    row(number="5a 9", action="Ninth"),
    row(number="5a 10", action="Tenth", by_when="TBC", status="Not started"),
    row(number="", title="", action="A sub-step of 5a 10 with its own date", lead="", by_when="June / July 2006"),
    row(element="6", title="Vulnerable adults", number="6.1", action="Adult Social Care plan", lead="DoACS, Interim Senior Manager"),
    row(element="6", title="", number="6.1 a.", action="Improvement proposal", lead="", by_when="April 2006", status="Achieved"),
]


def test_a_good_workbook_builds_the_plan_in_council_order(world, client_for):
    response = _upload(client_for("performance"), workbook(*GOOD))
    assert response.status_code == 302
    plan = Plan.objects.get(title=PLAN)
    numbers = list(Action.objects.filter(element__plan=plan).values_list("number", flat=True))
    assert numbers == ["5a 1", "5a 9", "5a 10", "", "6.1", "6.1 a."]
    tenth, step = Action.objects.get(element__plan__title=PLAN, number="5a 10"), Action.objects.get(element__plan=plan, number="")
    assert step.parent == tenth and step.due == date(2006, 7, 31)
    proposal = Action.objects.get(element__plan__title=PLAN, number="6.1 a.")
    assert proposal.parent.number == "6.1" and proposal.label == "a."
    adults = Action.objects.get(element__plan__title=PLAN, number="6.1")
    assert [r.abbreviation for r in adults.lead_roles.all()] == ["DoACS"] and adults.lead_note == "Interim Senior Manager"
    first = Action.objects.get(element__plan__title=PLAN, number="5a 1")
    assert (first.success_intermediate, first.success_ultimate) == ("a strategy.", "better services")
    assert ProgressUpdate.objects.filter(action__element__plan=plan, state="approved", how="import").count() == 6


def test_every_bad_cell_is_named_and_nothing_is_written(world, client_for):
    bad = workbook(
        row(),
        row(number="5b 2", action="Wrong element"),
        row(number="5a 1", action="Twice"),
        row(lead="HeadOfEverythingAndMore", number="5a 3"),
        row(status="Overdue", number="5a 4"),
        row(status="Nearly", number="5a 5"),
        row(action="", number="5a 6"),
        row(element="9", title="", number="9.1"),
    )
    before = (Plan.objects.count(), Element.objects.count(), Action.objects.count(), ProgressUpdate.objects.count())
    response = _upload(client_for("performance"), bad)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported" in html
    for message in [
        "row 3, column number: 5b 2 does not belong to element 5 a)",
        "row 4, column number: 5a 1 appears twice (first in row 2)",
        "row 5, column lead: HeadOfEverythingAndMore is longer than a role abbreviation (20 characters at most)",
        "row 6, column status: overdue is worked out from the by-when date",
        "row 7, column status: &#x27;Nearly&#x27; is not a status",
        "row 8, column action: must not be blank",
        "row 9, column element_title: element 9 is new and needs a title",
    ]:
        assert message in html
    after = (Plan.objects.count(), Element.objects.count(), Action.objects.count(), ProgressUpdate.objects.count())
    assert after == before


def test_a_missing_column_and_a_wrong_sheet_are_refused(world, client_for):
    html = _upload(client_for("performance"), workbook(row()[:-1], headers=HEADERS[:-1])).content.decode()
    assert "Actions, row 1, column status: required column is missing" in html
    html = _upload(client_for("performance"), workbook(row(), sheet="Plan")).content.decode()
    assert "the workbook has no sheet called &#x27;Actions&#x27;" in html
    assert not Plan.objects.filter(title=PLAN).exists()


def test_a_file_that_is_not_a_workbook_is_refused(world, client_for):
    html = _upload(client_for("performance"), b"plan,element\n1,2\n").content.decode()
    assert "This is not an Excel .xlsx workbook" in html


def test_reimport_updates_actions_and_keeps_the_progress_history(world):
    services.plan_import(rows=_rows(row()), user=world.performance, source="first.xlsx", as_at=date(2006, 6, 1))
    services.plan_import(rows=_rows(row(progress="Strategy approved", status="Complete")), user=world.performance,
                         source="second.xlsx", as_at=date(2006, 9, 1))
    action = Action.objects.get(element__plan__title=PLAN, number="5a 1")
    assert (action.progress, action.status) == ("Strategy approved", "complete")
    assert list(action.updates.values_list("as_at", flat=True)) == [date(2006, 9, 1), date(2006, 6, 1)]


def test_only_the_performance_team_imports(world):
    with pytest.raises(PermissionDenied):
        services.plan_import(rows=_rows(row()), user=world.officer, source="x.xlsx")
    assert not Plan.objects.filter(title=PLAN).exists()


def test_command_names_every_bad_cell_and_imports_nothing(world, tmp_path, capsys):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook(row(lead="HeadOfEverythingAndMore"), row(number="5a 2", status="Overdue")))
    with pytest.raises(CommandError, match="2 problem"):
        call_command("import_plan", str(path))
    err = capsys.readouterr().err
    assert "row 2, column lead: HeadOfEverythingAndMore is longer than a role abbreviation" in err
    assert "row 3, column status" in err
    assert not Plan.objects.filter(title=PLAN).exists()


def test_command_imports_a_good_workbook(world, tmp_path):
    path = tmp_path / "good.xlsx"
    path.write_bytes(workbook(*GOOD))
    call_command("import_plan", str(path), "--as-at", "2006-06-13")
    assert Action.objects.filter(element__plan__title=PLAN).count() == 6
    assert ProgressUpdate.objects.filter(as_at=date(2006, 6, 13)).count() == 6


def _rows(*rows):
    with_headers = []
    for line, values in enumerate(rows, start=2):
        with_headers.append({**dict(zip(HEADERS, values, strict=True)), "_row": line})
    return with_headers


def test_refusal_lists_every_error(world):
    with pytest.raises(ImportRefused) as raised:
        services.validate_rows(_rows(row(lead="HeadOfEverythingAndMore"), row(number="5a 1")))
    assert [str(e) for e in raised.value.errors] == [
        "Actions, row 2, column lead: HeadOfEverythingAndMore is longer than a role abbreviation (20 characters at most)",
        "Actions, row 3, column number: 5a 1 appears twice (first in row 2)",
    ]


def test_a_lead_role_not_in_the_glossary_is_added_and_named_in_the_summary(world):
    result = services.plan_import(rows=_rows(row(lead="HoXYZ, SMP")), user=world.performance, source="plan.xlsx")
    assert result.new_roles == ["HoXYZ", "SMP"]
    assert "2 new lead roles: HoXYZ, SMP" in result.summary
    role = LeadRole.objects.get(abbreviation="HoXYZ")
    assert role.title == "HoXYZ"
    assert list(Action.objects.get(number="5a 1").lead_roles.values_list("abbreviation", flat=True)) == ["HoXYZ", "SMP"]
