"""The import pages: the performance team uploads, sees what will change, confirms; nobody else gets in."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.models import Indicator, Reading, ReadingHistory
from indicators.views.imports import SESSION_KEY
from tests.indicators.test_import import GOOD, snapshot, xlsx

URL = reverse("indicators:import_workbook")
CONFIRM = reverse("indicators:import_confirm")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, data, name="kpis.xlsx"):
    return client.post(URL, {"file": SimpleUploadedFile(name, data)})


def kept_files(settings):
    return list((Path(settings.MEDIA_ROOT) / "imports").glob("*.xlsx"))


def test_the_performance_team_sees_the_upload_page(world, client_for, django_assert_num_queries):
    client = client_for("performance")
    with django_assert_num_queries(3):  # session, user, roles
        response = client.get(URL)
    assert response.status_code == 200
    assert "Import a workbook" in response.text
    assert reverse("indicators:import_template") in response.text


def test_an_upload_is_previewed_and_nothing_is_written_until_confirmed(world, client_for, settings):
    client = client_for("performance")
    before = snapshot()
    response = upload(client, xlsx(GOOD))
    assert response.status_code == 200
    page = response.text
    assert "Check what will change" in page
    assert "2 new, 0 changed, 0 unchanged" in page  # indicators and figures
    assert "3 new, 0 changed, 0 unchanged" in page  # targets
    assert snapshot() == before
    assert len(kept_files(settings)) == 1

    token = client.session[SESSION_KEY]["token"]
    response = client.post(CONFIRM, {"token": token})
    assert response.status_code == 302
    assert Indicator.objects.filter(code__in=["CH142", "BV195"]).count() == 2
    assert ReadingHistory.objects.filter(how="import", source="kpis.xlsx", by=world.performance).count() == 2
    assert kept_files(settings) == []
    followed = client.get(response["Location"])
    assert "kpis.xlsx imported: 2 new and 0 changed indicators" in followed.text


def test_the_preview_lists_changed_values_old_and_new(world, client_for):
    client = client_for("performance")
    upload(client, xlsx(GOOD))
    client.post(CONFIRM, {"token": client.session[SESSION_KEY]["token"]})
    corrected = {**GOOD, "Actuals": [GOOD["Actuals"][0], ["CH142", "2006-07", 19.1, None, None, None, None, None]]}
    page = upload(client, xlsx(corrected)).text
    assert "Values that will change (1)" in page
    assert "18.3" in page and "19.1" in page
    assert str(Reading.objects.get(indicator__code="CH142").actual.normalize()) == "18.3"


def test_a_bad_workbook_lists_every_problem_and_keeps_nothing(world, client_for, settings):
    client = client_for("performance")
    before = snapshot()
    bad = xlsx({"Actuals": [["code", "period", "actual"], ["CH141", "July", 1], ["ZZ1", "2006-07", 2]]})
    response = upload(client, bad)
    page = response.text
    assert "The workbook has 2 problems; nothing was imported" in page
    assert "unknown period" in page and "unknown indicator code &#x27;ZZ1&#x27;" in page
    assert snapshot() == before
    assert kept_files(settings) == []


def test_a_file_that_is_not_xlsx_is_refused_by_the_form(world, client_for):
    response = upload(client_for("performance"), b"code,period\n", name="kpis.csv")
    assert "The file must be an Excel workbook (.xlsx)" in response.text


def test_confirming_without_a_previewed_upload_writes_nothing(world, client_for):
    client = client_for("performance")
    before = snapshot()
    response = client.post(CONFIRM, {"token": "A" * 32})
    assert response.status_code == 302
    assert snapshot() == before
    assert "no workbook waiting" in client.get(URL).text


def test_someone_else_cannot_confirm_a_kept_upload(world, client_for, settings):
    performance = client_for("performance")
    upload(performance, xlsx(GOOD))
    token = performance.session[SESSION_KEY]["token"]
    before = snapshot()
    other = client_for("admin")
    assert other.post(CONFIRM, {"token": token}).status_code == 302
    assert snapshot() == before
    assert len(kept_files(settings)) == 1


@pytest.mark.parametrize("role", ["officer", "approver", "member", "other_officer"])
def test_others_are_refused_and_nothing_is_written(world, client_for, role, settings):
    client = client_for(role)
    before = snapshot()
    assert client.get(URL).status_code == 404
    assert upload(client, xlsx(GOOD)).status_code == 404
    assert client.post(CONFIRM, {"token": "A" * 32}).status_code == 404
    assert client.get(reverse("indicators:import_template")).status_code == 404
    assert snapshot() == before
    assert kept_files(settings) == []


def test_the_template_workbook_imports_cleanly(world, client_for):
    response = client_for("performance").get(reverse("indicators:import_template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    from indicators import importer

    report = importer.workbook_import(source=response.content, filename="t.xlsx", user=world.performance, dry_run=True)
    assert report.readings.new == 1


def test_the_indicator_list_links_to_the_import_for_the_performance_team_only(world, client_for):
    assert URL in client_for("performance").get(reverse("indicators:list")).text
    assert URL not in client_for("officer").get(reverse("indicators:list")).text


def test_the_template_notes_each_heading_and_offers_the_allowed_words_as_drop_downs(world, client_for):
    response = client_for("performance").get(reverse("indicators:import_template"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    indicators = book["Indicators"]
    headings = {cell.value: cell for cell in indicators[1]}
    assert "role abbreviation" in headings["lead"].comment.text
    assert "Blank is 'not yet available', never zero" in {c.value: c for c in book["Actuals"][1]}["actual"].comment.text
    lists = {rule.formula1 for rule in indicators.data_validations.dataValidation}
    assert '"higher,lower,range,data only"' in lists
    assert any("percentage_change" in formula and "rate_per_100000" in formula for formula in lists)


def test_the_preview_names_changed_values_by_sheet_and_column_as_the_guide_does(world, client_for):
    data = xlsx({"Actuals": [["code", "period", "actual", "data_quality"], ["CH141", "2006-07", 7, "revised"]]})
    page = upload(client_for("performance"), data).content.decode()
    assert "Actuals: data_quality" in page
    assert "Reading: dataquality" not in page


def test_the_preview_lists_the_lead_roles_the_import_will_add_to_the_glossary(world, client_for):
    data = xlsx({"Indicators": [["code", "title", "lead"], ["NEW9", "Fly-tips cleared", "SMP"]]})
    page = upload(client_for("performance"), data).content.decode()
    assert "New lead roles (1)" in page and "SMP" in page
