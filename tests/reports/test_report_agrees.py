"""The report agrees with itself: each paragraph that states a fact an appendix also shows says the same."""

import re
from datetime import date
from decimal import Decimal

import pytest

from improvement_plans import services as plan_services
from improvement_plans.models import Element
from indicators.models import Reading
from reports import document
from tests.reports.factories import draft_report


@pytest.fixture
def doc(world):
    return document.build(draft_report(world))


def _para(doc, key):
    return next(p.text for p in doc.paragraphs if p.key == key)


def _rows(doc, key):
    return doc.figures["tables"][key]["rows"]


def test_paragraph_3_counts_the_red_indicators_appendix_a1_lists(doc):
    r_rows = [row for row in _rows(doc, "A1") if row[2] == "R"]
    match = re.search(r"(\d+) of (\d+) have been marked as R", _para(doc, "set:FULL"))
    assert int(match.group(1)) == len(r_rows) == doc.figures["indicators"]["R"]


def test_the_period_paragraph_points_to_an_appendix_a1_of_every_red_and_amber_indicator(doc):
    counts = doc.figures["indicators"]
    assert "Appendix A (1)" in _para(doc, "period")
    assert len(_rows(doc, "A1")) == counts["R"] + counts["A"]


def test_the_template_paragraph_counts_the_templates_appendix_a2_prints(doc):
    match = re.search(r"(All )?(\d+) indicators? marked as R", _para(doc, "templates"))
    assert int(match.group(2)) == len(doc.figures["templates"])


def test_with_no_exceptions_paragraph_11_says_so_and_appendix_b_is_empty(doc):
    assert _rows(doc, "B") == []
    assert "there are no exceptions to report" in _para(doc, "exceptions")
    assert "attached" not in _para(doc, "exceptions")


def test_when_paragraph_11_says_an_exceptions_report_is_attached_appendix_b_is_that_report(world):
    element = Element.objects.order_by("pk").first()
    plan_services.element_assess(element=element, user=world.performance, as_at=date(2006, 7, 20), status="R",
                                 commentary="- The business case is late")
    doc = document.build(draft_report(world))
    text = _para(doc, "exceptions")
    assert "is attached at Appendix B" in text
    assert [row[1] for row in _rows(doc, "B")] == [element.name]
    assert f"{element.name} (Red)" in text
    assert "The business case is late" in _rows(doc, "B")[0][3]


def test_the_high_risks_paragraph_names_exactly_the_high_risks_in_appendix_e(doc):
    high = {r["reference"] for r in doc.figures["risks"]["high"]}
    named = set(re.findall(r"\((CR\d+), score", _para(doc, "risk_high")))
    assert named == high and high
    in_e = {row[0] for row in _rows(doc, "E") if row[8] in ("High", "Very high")}
    assert named == in_e


def test_the_emerging_risks_paragraph_agrees_with_the_trends_in_appendix_e(doc):
    new_or_emerging = {row[0] for row in _rows(doc, "E") if row[9] in ("New", "Emerging")}
    text = _para(doc, "risk_emerging")
    assert set(re.findall(r"\((CR\d+)\)", text)) == new_or_emerging
    if new_or_emerging:
        assert not text.startswith("No new or emerging")


def test_the_revenue_paragraph_gives_the_variance_in_appendix_c(doc):
    total = _rows(doc, "C")[-1]
    variance = Decimal(str(total[5]))
    assert f"£{variance:,.2f}".replace(".00", "") in _para(doc, "revenue") or f"£{variance:,}" in _para(doc, "revenue")


def test_the_capital_paragraph_gives_the_revised_total_in_appendix_d(doc):
    total = _rows(doc, "D")[-1]
    revised = Decimal(str(total[4]))
    text = _para(doc, "capital")
    assert f"£{revised:,.2f}" in text or f"£{revised:,.0f}" in text


def test_the_sign_off_sentence_counts_the_figures_marked_provisional_in_a1_and_f(world):
    Reading.objects.filter(indicator=world.indicator).update(state=Reading.SUBMITTED)
    doc = document.build(draft_report(world))
    marked = {row[0] for row in _rows(doc, "A1") if row[-1] == "Provisional, not signed off"}
    marked |= {row[0] for row in _rows(doc, "F") if row[-1].startswith("Provisional, not signed off")}
    match = re.match(r"(\d+) figures? in this report \(([^)]*)\)", doc.figures["sign_off"]["sentence"])
    assert int(match.group(1)) == len(marked) and set(match.group(2).split(" and ")) == marked
