"""A report never prints a figure that is not signed off as if it were: it is marked provisional, or left out."""

import pytest

from indicators.models import Reading
from reports import document, render
from tests.reports.factories import draft_report


def _a1_row(doc, code):
    return next(row for row in doc.figures["tables"]["A1"]["rows"] if row[0] == code)


def _sign_off(doc):
    """The sentence printed under the period paragraph, however a person has edited its words."""
    return doc.figures["sign_off"]["sentence"]


@pytest.fixture
def provisional(settings):
    settings.COUNCILPERF_UNAPPROVED_IN_REPORTS = "provisional"


@pytest.fixture
def omit(settings):
    settings.COUNCILPERF_UNAPPROVED_IN_REPORTS = "omit"


@pytest.mark.parametrize("state", [Reading.DRAFT, Reading.SUBMITTED, Reading.RETURNED])
def test_a_figure_not_approved_is_printed_marked_provisional(world, provisional, state):
    Reading.objects.filter(indicator=world.indicator).update(state=state)
    doc = document.build(draft_report(world))
    row = _a1_row(doc, "CH141")
    assert row[3] == "196" and row[-1] == "Provisional, not signed off"
    assert doc.figures["tables"]["A1"]["title"] == "Indicators marked R or A (1 of 2 provisional, not signed off)"
    kpi = next(r for r in doc.figures["tables"]["F"]["rows"] if r[0] == "CH141")
    assert kpi[-1] == "Provisional, not signed off: July 2006"
    assert _sign_off(doc) == ("1 figure in this report (CH141) is provisional: not yet signed off by its directorate, and marked "
            '"Provisional, not signed off" in Appendices A (1) and F.')
    html = render.document_html(doc)
    assert "Provisional, not signed off" in html and "1 figure in this report (CH141) is provisional" in html


def test_an_approved_figure_is_printed_as_signed_off(world, provisional):
    Reading.objects.filter(indicator=world.indicator).update(state=Reading.APPROVED)
    doc = document.build(draft_report(world))
    assert _a1_row(doc, "CH141")[-1] == "Signed off"
    assert doc.figures["tables"]["A1"]["title"] == "Indicators marked R or A"
    assert _sign_off(doc) == "Every figure in this report has been signed off by its directorate."
    assert "Provisional, not signed off" not in render.document_html(doc)


def test_a_council_that_leaves_them_out_prints_not_yet_available_and_says_so(world, omit):
    Reading.objects.filter(indicator=world.indicator).update(state=Reading.RETURNED)
    doc = document.build(draft_report(world))
    rows = {row[0]: row for row in doc.figures["tables"]["A1"]["rows"]}
    assert "CH141" not in rows or rows["CH141"][3] is None
    kpi = next(r for r in doc.figures["tables"]["F"]["rows"] if r[0] == "CH141")
    assert kpi[2 + 4] is None  # End of Jul 06: nothing printed for the returned figure
    html = render.document_html(doc)
    assert ">196<" not in html
    assert (_sign_off(doc)
            == "1 figure not yet signed off by its directorate (CH141) is left out and shown as not yet available.")


# --- The publish page --------------------------------------------------------------------------


def test_the_publish_page_lists_what_is_not_signed_off_and_publishing_needs_confirming(world, client_for):
    from django.urls import reverse

    from reports.models import PublishedVersion

    Reading.objects.filter(indicator=world.indicator).update(state=Reading.RETURNED, return_reason="Wrong month")
    report = draft_report(world)
    client = client_for("performance")
    page = client.get(reverse("reports:publish", args=[report.pk])).content.decode()
    assert "2 figures for July 2006 are not signed off: 1 returned by the approver, 1 no figure." in page
    assert "CH141 Referrals of children in need" in page and "Wrong month" in page
    assert 'These figures will be printed marked "Provisional, not signed off"' in page
    refused = client.post(reverse("reports:publish", args=[report.pk]), {"note": ""}).content.decode()
    assert "Confirm that the report is to be published with items not signed off" in refused
    assert not PublishedVersion.objects.filter(report=report).exists()
    client.post(reverse("reports:publish", args=[report.pk]), {"note": "", "confirm": "on", "token": "a-token-from-the-publish-form"})
    version = PublishedVersion.objects.get(report=report)
    assert "Provisional, not signed off" in version.html
