"""The report's SPC summary: how many indicators show a real change, which, and in words drawn from the data."""

import re

from core import svg_raster
from indicators import spc, spc_icons
from reports import document, render
from reports.sentences import spc_signal, spc_summary
from tests.factories import indicator, reading
from tests.reports import factories

MONTHS = [f"2005-{m:02d}" for m in range(4, 13)] + [f"2006-{m:02d}" for m in range(1, 8)]


def _falling_sickness(world):
    """Days lost to sickness (lower is better): a steady year, then four months well above it."""
    ind = indicator("BV12", title="Days lost to sickness per FTE", polarity="lower", lead=world.officer)
    for i, key in enumerate(MONTHS):
        reading(ind, key, (8 if i < 12 else 14) + (i % 2))
    return ind


def test_the_sentence_says_how_long_and_since_when():
    assert spc_signal(rule="run", side="high", run=7, start="March 2006", latest="September 2006") == (
        "7 months in a row above the average since March 2006."
    )
    assert spc_signal(rule="trend", side="low", run=6, start="Q1 2005-06", latest=None, unit="quarter") == (
        "6 quarters in a row falling since Q1 2005-06."
    )
    assert spc_signal(rule="outside_limits", side="low", run=1, start="July 2006", latest="July 2006") == (
        "The figure for July 2006 is below the lower process limit."
    )


def test_the_paragraph_counts_and_names_the_special_causes():
    text = spc_summary(
        counts={"improvement": 1, "concern": 2, "neutral": 0, "common": 5, "not_enough": 3}, judged=8,
        improvement=["CH141"], concern=["BV12", "HC3"],
    )
    assert "Of the 8 indicators with enough figures to judge, 1 shows special-cause improvement and 2 " \
           "special-cause concern; 5 show only common cause variation." in text
    assert "Concern: BV12 and HC3." in text and "Improvement: CH141." in text
    assert "3 indicators have too few figures to judge." in text


def test_the_july_report_names_the_concern_in_its_paragraph_and_appendix_g(world):
    _falling_sickness(world)
    doc = document.build(factories.draft_report(world))
    paragraph = next(p.text for p in doc.paragraphs if p.key == "spc")
    assert "BV12 (4 months in a row above the upper process limit since April 2006)" in paragraph
    rows = doc.figures["tables"]["G_concern"]["rows"]
    assert ["BV12", "Days lost to sickness per FTE", "Concern (H)",
            "4 months in a row above the upper process limit since April 2006."] in rows
    html = render.document_html(doc)
    appendix = html.split('id="appendix-G"', 1)[1]
    assert "Key to the SPC icons" in appendix and 'alt="Special cause: concern (high) icon"' in appendix
    kpi = doc.figures["tables"]["F"]
    spc_column = [c["label"] for c in kpi["columns"]].index("SPC")
    assert next(r for r in kpi["rows"] if r[0] == "BV12")[spc_column] == "Concern (H)"


def test_a_single_point_reads_mid_sentence_in_the_paragraph():
    from reports.drafting import _mid_sentence

    assert _mid_sentence("The figure for July 2006 is above the upper process limit.") == (
        "the figure for July 2006 is above the upper process limit"
    )


def test_the_printed_appendices_show_the_icons_with_their_words(world):
    _falling_sickness(world)
    parts = {p.part: p.html for p in render.print_parts(document.build(factories.draft_report(world)))}
    # In print the icon is drawn from the part's stylesheet (its image written once), beside its words.
    icon = re.search(r'src="(data:image/svg\+xml;base64,[^"]+)"', str(spc_icons.variation_img(spc.CONCERN, spc.HIGH))).group(1)
    for part in ("F", "G"):
        cell = re.search(r'<span class="spc-icon (spc-[0-9a-f]{12})"></span><span class="app-spc__text">Concern \(H\)</span>',
                         parts[part])
        assert cell is not None, part
        # The image is the icon's PNG (WeasyPrint draws an SVG at every use, a PNG once).
        assert f".{cell.group(1)}{{background-image:url({svg_raster.png_data_url(icon, render.ICON_PIXELS)})}}" in parts[part], part
        assert "image/svg+xml" not in parts[part], part
        assert "<img class=\"app-spc-icon\"" not in parts[part], part


def test_a_corrected_figure_changes_the_judgement_at_once(world):
    """The judgement of unchanged figures is reused between builds; a correction is seen on the next build."""
    from indicators.models import Reading

    ind = _falling_sickness(world)
    report = factories.draft_report(world)
    assert document.build(report).figures["spc"]["counts"]["concern"] == 1
    Reading.objects.filter(indicator=ind, period__key__in=MONTHS[12:]).update(actual=8)
    assert document.build(report).figures["spc"]["counts"]["concern"] == 0
