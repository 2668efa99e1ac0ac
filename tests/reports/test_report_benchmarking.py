"""The report's benchmarking paragraph and Appendix H: the same positions, in words and in a table, on the
page, in the PDF (PDF/UA) and in the CSV and frozen figures."""

import json
import re

from django.urls import reverse

from benchmarking import stored
from benchmarking.models import ComparatorGroup
from core import pdf
from reports import document, render
from tests.benchmarking.factories import SIXTEEN, benchmarked, benchmarked_once
from tests.pdfs import assert_accessible_pdf
from tests.reports import factories


def _para(doc, key):
    return next(p.text for p in doc.paragraphs if p.key == key)


def _bottom(world):
    """AS01 last of 16 nearest neighbours (lower is better, and ours is the highest)."""
    return benchmarked(world.other_indicator, [99, *SIXTEEN[1:]], polarity="lower", metric_id="AS01-LGI")


def test_the_july_report_says_where_the_indicators_stand_and_appendix_h_lists_them(world):
    benchmarked_once(world.indicator)
    _bottom(world)
    doc = document.build(factories.draft_report(world))
    text = _para(doc, "benchmarking")
    assert text.startswith("1 of 2 benchmarked indicators (50%) is in the top quartile of our nearest neighbours; "
                           "1 is in the bottom quartile: AS01.")
    assert "Appendix H (2005-06 figures" in text
    rows = doc.figures["tables"]["H"]["rows"]
    ch141 = next(r for r in rows if r[0] == "CH141")
    assert ch141[2:9] == ["Nearest neighbours", "2005-06", "%", "82", "4th of 16", "Top", "76.5"]
    as01 = next(r for r in rows if r[0] == "AS01")
    assert as01[6:8] == ["16th of 16", "Bottom"]


def test_the_paragraph_and_appendix_h_agree(world):
    """Every indicator the paragraph counts is a row of Appendix H in the first group, with the same quartile."""
    benchmarked_once(world.indicator)
    _bottom(world)
    family = ComparatorGroup.objects.create(name="Family group", kind=ComparatorGroup.FAMILY_GROUP, order=5)
    family.members.add(*ComparatorGroup.objects.get(name="Nearest neighbours").members.order_by("-is_us", "code")[:6])
    stored.refresh()  # members added without the service, which would work the kept positions out again
    doc = document.build(factories.draft_report(world))
    text = _para(doc, "benchmarking")
    first = [r for r in doc.figures["tables"]["H"]["rows"] if r[2] == "Nearest neighbours"]
    match = re.match(r"(\d+) of (\d+) benchmarked indicators? \(\d+%\) (?:is|are) in the top quartile", text)
    assert int(match.group(2)) == len([r for r in first if r[7] != "No quartile"])
    assert int(match.group(1)) == len([r for r in first if r[7] == "Top"])
    named = re.search(r"bottom quartile: ([^.]+)\.", text).group(1)
    assert set(re.split(r", | and ", named)) == {r[0] for r in first if r[7] == "Bottom"}
    # The family group is in the appendix too, but the paragraph speaks of the first group only.
    assert {r[2] for r in doc.figures["tables"]["H"]["rows"]} == {"Nearest neighbours", "Family group"}


def test_an_edited_sentence_is_what_the_appendix_prints(world, client_for):
    measure = benchmarked_once(world.indicator)
    group = ComparatorGroup.objects.get(name="Nearest neighbours")
    mine = "Among the best four of our sixteen nearest neighbours."
    client_for("performance").post(reverse("benchmarking:commentary", kwargs={
        "metric_id": measure.pk, "group_id": group.pk}), {"text": mine})
    doc = document.build(factories.draft_report(world))
    assert next(r for r in doc.figures["tables"]["H"]["rows"] if r[0] == "CH141")[-1] == mine


def test_appendix_h_is_on_the_page_with_the_switcher_and_printed_landscape_as_an_accessible_pdf(world):
    benchmarked_once(world.indicator)
    doc = document.build(factories.draft_report(world))
    html = render.document_html(doc)
    appendix = html.split('id="appendix-H"', 1)[1]
    assert "Appendix H: Benchmarking: how we compare with similar councils" in appendix
    assert "Indicators against comparable councils" in appendix and "4th of 16" in appendix
    assert 'href="#appendix-H"' in html.split('id="appendix-G"', 1)[1]
    part = next(p for p in render.print_parts(doc) if p.part == "H")
    assert 'class="landscape"' in part.html and part.filename.endswith(" - Appendix H.pdf")
    data = pdf.html_to_pdf(part.html, base_url="/")
    assert_accessible_pdf(data, title=part_title(doc), contains=("Indicators against comparable councils", "4th of 16"))


def part_title(doc):
    return f"{doc.council_name} – {doc.meeting_label} – Appendix H: Benchmarking: how we compare with similar councils"


def test_without_comparators_the_report_says_so_and_has_no_paragraph(world):
    doc = document.build(factories.draft_report(world))
    assert "benchmarking" not in {p.key for p in doc.paragraphs}
    assert doc.figures["tables"]["H"]["rows"] == []
    assert "No indicator in this report has comparator figures yet." in render.document_html(doc)


def test_the_published_version_keeps_appendix_h_in_its_figures_and_csv(world, client_for):
    benchmarked_once(world.indicator)
    report = factories.draft_report(world)
    from reports import services

    version = services.report_publish(user=world.performance, report=report, note="")
    frozen = json.loads(version.figures_json)
    assert frozen["tables"]["H"]["rows"][0][:7] == ["CH141", world.indicator.title, "Nearest neighbours", "2005-06",
                                                   "%", "82", "4th of 16"]
    csv = client_for("member").get(reverse("reports:csv", args=[report.pk, version.number, "H"]))
    assert csv.status_code == 200 and "CH141" in csv.content.decode() and "4th of 16" in csv.content.decode()


def test_the_draft_page_reads_the_positions_in_the_same_number_of_queries_for_2_or_30_benchmarked_indicators(
    world, client_for
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests import factories as base

    benchmarked_once(world.indicator)
    _bottom(world)
    report = factories.draft_report(world)
    client = client_for("performance")
    url = reverse("reports:draft", args=[report.pk])
    made = []
    for i in range(28):
        ind = base.indicator(f"XX{i:03d}", title=f"More {i}", action_plan_robust=True)
        ind.sets.add(world.indicator_set)
        base.target(ind, "2006/07", 10)
        base.reading(ind, "2006-07", 1)
        made.append(ind)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for i, ind in enumerate(made):
        benchmarked(ind, [i, *SIXTEEN[1:]], metric_id=f"XX{i:03d}")
    client.get(url)  # the first build after the change works out what is reused after it
    with CaptureQueriesContext(connection) as big:
        page = client.get(url).content.decode()
    assert "30 benchmarked indicators" in page
    assert len(big) == len(small)
