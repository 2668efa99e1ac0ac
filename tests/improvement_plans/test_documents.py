"""The plan document and the exceptions report: pages, PDFs, the document log and the demo council's plan."""

from datetime import date

import pytest
from django.urls import reverse

from demo.loaders import improvement_plans as plans_demo
from demo.loaders import organisation as organisation_demo
from improvement_plans import selectors, services
from improvement_plans.models import (
    Action,
    DocumentVersion,
    Element,
    ElementAssessment,
    Plan,
    ProgressUpdate,
)
from tests.improvement_plans.factories import action
from tests.pdfs import assert_accessible_pdf, read_pdf


def _more_actions(world, count):
    for n in range(count):
        made = action(world.element, f"7.{n + 10}", f"Extra action {n}", roles=[world.roles["DoCS"]], by_when="May 2006")
        action(world.element, "", f"Step of extra {n}", parent=made, position=1, by_when="June 2006")


def test_plan_page_takes_the_same_queries_however_many_actions(world, client_for, django_assert_num_queries):
    client = client_for("officer")
    url = reverse("improvement_plans:plan", args=[world.plan.pk]) + "?on=2006-10-12"
    with django_assert_num_queries(14):
        small = client.get(url)
    _more_actions(world, 15)
    with django_assert_num_queries(14):
        large = client.get(url)
    assert small.status_code == large.status_code == 200
    assert "Extra action 14" in large.content.decode()


def test_plan_page_reads_like_the_plan(world, client_for):
    html = client_for("officer").get(
        reverse("improvement_plans:plan", args=[world.plan.pk]) + "?on=2006-10-12"
    ).content.decode()
    for column in ["Action to be taken", "Lead", "By when", "Progress to date", "People/ Partners",
                   "Additional Capacity/ Requirement", "Target/Success Criteria"]:
        assert column in html
    assert "7. Improved services and outcomes for children &amp; young people" in html
    assert "app-plan-row--done" in html and "Achieved · BRAG Blue" in html, "completed rows are shaded and say so"
    assert "Overdue: due 30 April 2006" in html, "7.2 is past its April 2006 date and not achieved"
    assert "Glossary" in html and "Director of Children&#x27;s Services" in html
    assert "Document log" in html


def test_exceptions_lists_only_amber_and_red_elements_as_at_the_date(world):
    ElementAssessment.objects.create(element=world.adults_element, as_at=date(2006, 10, 12), status="G")
    ElementAssessment.objects.create(element=world.adults_element, as_at=date(2006, 11, 1), status="R",
                                     commentary="Procurement has stalled")
    on_12_october = selectors.exceptions(on=date(2006, 10, 12))
    assert [(e.number, e.title, e.status) for e in on_12_october] == [("7", "Children and Young People", "A")]
    assert on_12_october[0].bullets == ["Duty team caseload remains high", "Recruitment continues"]
    november = selectors.exceptions(on=date(2006, 11, 30), plan=world.plan)
    assert [(e.title, e.status) for e in november] == [("Vulnerable adults", "R"), ("Children and Young People", "A")]
    assert selectors.exceptions(on=date(2006, 10, 11)) == []


def test_plan_position_counts_elements_and_actions_on_the_date(world):
    position = selectors.plan_position(on=date(2006, 10, 12), plan=world.plan)
    assert position["elements"] == {"G": 0, "A": 1, "R": 0, "not assessed": 1}
    assert position["actions_total"] == 3
    assert position["actions"]["achieved"] == 1
    assert position["actions"]["overdue"] == 2, "7.2 (April 2006) and 6.1 (May 2006) are past their dates"
    early = selectors.plan_position(on=date(2006, 4, 30), plan=world.plan)
    assert early["actions"]["overdue"] == 0 and early["actions"]["in_progress"] == 2


def test_plan_pdf_is_tagged_landscape_and_has_the_headings(world, client_for):
    response = client_for("officer").get(reverse("improvement_plans:plan_pdf", args=[world.plan.pk]) + "?on=2006-10-12")
    assert response["Content-Type"] == "application/pdf"
    facts = assert_accessible_pdf(response.content, title="Overall Performance Improvement Plan 2006", contains=(
        "The overall performance improvement programme", "Action to be taken", "Target/Success Criteria",
        "7. Improved services and outcomes", "Glossary", "Document log", "Page 1 of"))
    assert set(facts.page_sizes) == {(841.89, 595.28)}, "A4 landscape"


def test_the_header_row_repeats_on_every_page_of_a_long_table(world, client_for):
    _more_actions(world, 40)
    response = client_for("officer").get(reverse("improvement_plans:plan_pdf", args=[world.plan.pk]))
    pages = [p for p in read_pdf(response.content).pages if "Extra action" in p]
    assert len(pages) > 1
    assert all("Action to be taken" in page for page in pages)


def test_exceptions_pdf_reads_like_appendix_b(world, client_for):
    response = client_for("approver").get(
        reverse("improvement_plans:exceptions_pdf", args=[world.plan.pk]) + "?on=2006-10-12"
    )
    text = assert_accessible_pdf(response.content, contains=(
        "Overall Performance Improvement Plan 2006 12 October 2006: exceptions report",
        "Children and Young People (Status – Amber)")).flat_text
    assert "Duty team caseload remains high" in text
    assert "Vulnerable adults" not in text


def test_issuing_a_version_writes_the_log_line_from_the_approved_updates(world):
    DocumentVersion.objects.create(plan=world.plan, version="V3", status="released", issued_on=date(2006, 6, 13),
                                   description="7.2, 7.3 amended", pages_affected="36,37")
    services.progress_update_approve(update=world.pending_update, user=world.approver)
    version = services.plan_issue_version(plan=world.plan, user=world.performance,
                                          pages_for=lambda actions: [4 for _ in actions])
    assert version.version == "V4"
    assert version.description == "7.2 amended following updates from Officer"
    assert version.pages_affected == "4"
    again = services.plan_issue_version(plan=world.plan, user=world.performance)
    assert (again.version, again.description) == ("V5", "Reissued with no change to actions")


def test_issuing_from_the_page_finds_the_pages_in_the_pdf(world, client_for):
    services.progress_update_approve(update=world.pending_update, user=world.approver)
    response = client_for("performance").post(reverse("improvement_plans:issue_version", args=[world.plan.pk]),
                                              {"status": "released"})
    assert response.status_code == 302
    line = world.plan.versions.get()
    assert (line.version, line.pages_affected) == ("V1", "2"), "the introduction is page 1; element 7 starts on page 2"


def test_action_page_shows_its_indicator_and_risk_links(world, client_for):
    client = client_for("performance")
    client.post(reverse("improvement_plans:action_links", args=[world.action.pk]),
                {"indicators": "CH141", "risks": "cr7, CR9"})
    assert list(world.action.indicators.values_list("code", flat=True)) == ["CH141"]
    assert selectors.actions_for_indicator(world.indicator) == [world.action]
    assert selectors.actions_for_risk("CR7") == [world.action]
    html = client.get(reverse("improvement_plans:action", args=[world.action.pk])).content.decode()
    assert "CH141 Referrals of children in need" in html and "CR7" in html


def test_an_unknown_indicator_code_is_refused_and_links_are_unchanged(world, client_for):
    client_for("performance").post(reverse("improvement_plans:action_links", args=[world.action.pk]),
                                   {"indicators": "CH141, NOPE1"})
    assert world.action.indicators.count() == 0


def test_element_status_needs_bullets_for_amber(world, client_for):
    client = client_for("performance")
    url = reverse("improvement_plans:element_status", args=[world.adults_element.pk])
    html = client.post(url, {"as_at": "2006-10-12", "status": "A", "commentary": ""}).content.decode()
    assert "Explain an Amber or Red status in at least one bullet point" in html
    assert not world.adults_element.assessments.exists()
    client.post(url, {"as_at": "2006-10-12", "status": "A", "commentary": "Plan dependent on DoH procurement"})
    assert world.adults_element.assessments.get().bullets == ["Plan dependent on DoH procurement"]


@pytest.mark.django_db
def test_demo_council_holds_the_whole_plan_of_004_and_the_exceptions_of_001():
    organisation_demo.load()
    plans_demo.load()
    plan = Plan.objects.get(title="Overall Performance Improvement Plan 2006")
    numbers = list(Element.objects.filter(plan=plan).values_list("number", flat=True))
    assert numbers == ["1", "2", "3", "4", "5 a)", "5 b)", "6", "7", "8", "9", "10"]
    assert Action.objects.filter(element__plan=plan).count() == 94
    assert list(Action.objects.filter(element__number="5 b)").exclude(number="").values_list("number", flat=True)) == [
        f"5b {n}" for n in range(1, 8)
    ]
    assert Action.objects.get(number="6.1 a.").parent.number == "6.1"
    assert Action.objects.get(number="3.3").due == date(2006, 5, 31)
    exceptions = selectors.exceptions(on=date(2006, 10, 12), plan=plan)
    assert [(e.title, e.status) for e in exceptions][0] == ("Herefordshire Community Strategy (HCS) and the LAA", "A")
    assert {e.title for e in exceptions} == {
        "Herefordshire Community Strategy (HCS) and the LAA", "Vulnerable adults", "Children and Young People",
        Element.objects.get(plan=plan, number="3").short_title,
    }
    children = next(e for e in exceptions if e.title == "Children and Young People")
    assert len(children.bullets) == 5 and children.bullets[-1].startswith("The IPC project final report")
    assert list(plan.versions.values_list("version", "status", "pages_affected")) == [("", "Draft", "All"), ("V3", "released", "36,37")]
    assert ProgressUpdate.objects.filter(state="submitted").count() == 2


def test_the_plan_pdf_is_rendered_once_until_the_plan_changes(world, client_for, monkeypatch, settings):
    from core import pdf

    rendered = []
    real = pdf.html_to_pdf
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html, **kw: rendered.append(1) or real(html, **kw))
    url = reverse("improvement_plans:plan_pdf", args=[world.plan.pk]) + "?on=2006-10-12"
    first = client_for("officer").get(url).content
    again = client_for("approver").get(url).content
    assert (len(rendered), again) == (1, first), "the same document is served from the kept file"
    client_for("officer").get(reverse("improvement_plans:plan_pdf", args=[world.plan.pk]) + "?on=2006-10-13")
    assert len(rendered) == 2, "another date is another document"
    Action.objects.filter(element__plan=world.plan).update(text="Reworded for the test")
    changed = client_for("officer").get(url).content
    assert len(rendered) == 3 and changed != first


def test_only_the_newest_kept_pdfs_stay(world, settings):
    from pathlib import Path

    from core import pdf

    for n in range(5):
        pdf.kept_pdf(f"<!DOCTYPE html><html lang='en'><title>t</title><p>Document {n}</p></html>", base_url="http://x/",
                     folder="plans/test", keep=3)
    kept = sorted(Path(settings.MEDIA_ROOT, "plans", "test").glob("*.pdf"))
    assert len(kept) == 3
