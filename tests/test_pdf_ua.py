"""Every PDF is PDF/UA-1: what WeasyPrint alone gets wrong, our check catches, and core.pdf_ua repairs.

Each case renders a small document twice: with WeasyPrint's PDF/UA variant alone (the check must
find the breach, which says the repair is still needed: when one of these starts passing, the
upstream issue named in core/pdf_ua.py is fixed and the repair can go) and through
`html_to_pdf` (no breach, and the structure a screen reader needs).
"""

import io

import pikepdf
import pytest
import weasyprint

from core import pdf
from tests.pdfs import pdf_ua_breaches, read_pdf, structure_tree

PAGE = """<!DOCTYPE html><html lang="en-GB"><head><title>Appendix C: Revenue budget</title>
<style>.hidden {{ position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }}
.summary {{ display: table; }} .summary div {{ display: table-row; }} .summary dt, .summary dd {{ display: table-cell; }}</style>
</head><body><h1>Appendix C: Revenue budget</h1>{body}</body></html>"""

BUDGET = """<table><caption{hidden}>Revenue budget, June 2006</caption>
<thead><tr><th scope="col">Service</th><th scope="col">Current budget</th></tr></thead>
<tbody><tr><th scope="rowgroup" colspan="2">Adult and Community Services</th></tr>
<tr><th scope="row">Older people's services</th><td>£24,650,000</td></tr></tbody></table>"""

COVER = """<dl class="{css}"><div><dt>Meeting</dt><dd>Cabinet, 29 June 2006</dd></div>
<div><dt>Wards affected</dt><dd>County-wide</dd></div></dl>"""

TEMPLATE = "<h3>LPSA01 Number of people aged 60+ in receipt of pension credit</h3><p>Why R: no target.</p>"


def weasyprint_alone(body: str) -> bytes:
    return pdf.render(PAGE.format(body=body), base_url="/").write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)


def ours(body: str) -> bytes:
    return pdf.html_to_pdf(PAGE.format(body=body), base_url="/")


def elements(data: bytes, kind: str) -> list:
    with pikepdf.open(io.BytesIO(data)) as document:
        found = []
        stack = [structure_tree(document)]
        while stack:
            element = stack.pop(0)
            if element.type == kind:
                found.append(element)
            stack[0:0] = element.kids
        # Read what the tests need before the file closes.
        return [(e.type, [k.type for k in e.kids], _scope(e), e.path) for e in found]


def _scope(element):
    attributes = element.obj.get("/A")
    if attributes is None:
        return None
    items = attributes if isinstance(attributes, pikepdf.Array) else [attributes]
    return next((str(a.Scope) for a in items if isinstance(a, pikepdf.Dictionary) and "/Scope" in a), None)


def test_table_header_cells_say_whether_they_head_a_column_or_a_row():
    body = BUDGET.format(hidden="")
    assert any("without /Scope" in b for b in pdf_ua_breaches(weasyprint_alone(body)))
    repaired = ours(body)
    assert pdf_ua_breaches(repaired) == []
    scopes = [scope for _, _, scope, _ in elements(repaired, "/TH")]
    # The two column headers, the directorate heading its rows below (as WeasyPrint's /Headers say), the service.
    assert scopes == ["/Column", "/Column", "/Column", "/Row"]


def test_a_visually_hidden_caption_is_the_tables_first_kid_and_no_table_sits_in_a_table():
    body = BUDGET.format(hidden=' class="hidden"')
    assert any("holds Table" in b for b in pdf_ua_breaches(weasyprint_alone(body)))
    repaired = ours(body)
    assert pdf_ua_breaches(repaired) == []
    [(_, kids, _, _)] = elements(repaired, "/Table")
    assert kids == ["/Caption", "/THead", "/TBody"]


@pytest.mark.parametrize("css", ["", "summary"], ids=["plain", "laid-out-as-a-table"])
def test_a_definition_list_is_a_list_of_terms_labelling_their_descriptions(css):
    body = COVER.format(css=css)
    assert any("holds Div" in b or "LI outside" in b for b in pdf_ua_breaches(weasyprint_alone(body)))
    repaired = ours(body)
    assert pdf_ua_breaches(repaired) == []
    [(_, items, _, path)] = elements(repaired, "/L")
    assert items == ["/LI", "/LI"], path
    assert [kids for _, kids, _, _ in elements(repaired, "/LI")] == [["/Lbl", "/LBody"]] * 2


def test_a_heading_that_skips_a_level_is_lifted_to_the_next():
    assert any("H3 follows H1" in b for b in pdf_ua_breaches(weasyprint_alone(TEMPLATE)))
    repaired = ours(TEMPLATE)
    assert pdf_ua_breaches(repaired) == []
    assert [kind for kind, *_ in elements(repaired, "/H2")] == ["/H2"]


def test_the_xmp_metadata_says_pdf_ua_1_the_title_and_the_language():
    assert "XMP metadata has no dc:language" in pdf_ua_breaches(weasyprint_alone("<p>Text.</p>"))
    with pikepdf.open(io.BytesIO(ours("<p>Text.</p>"))) as document:
        xmp = document.open_metadata()
        assert xmp["pdfuaid:part"] == "1"
        assert xmp["dc:title"] == "Appendix C: Revenue budget"
        assert xmp["dc:language"] == {"en-GB"}


def test_the_check_fails_a_pdf_that_is_not_pdf_ua_at_all():
    plain = weasyprint.HTML(string=PAGE.format(body=BUDGET.format(hidden=""))).write_pdf(pdf_tags=True)
    breaches = pdf_ua_breaches(plain)
    assert "XMP metadata has no pdfuaid:part 1 (found '')" in breaches
    assert any("without /Scope" in b for b in breaches)


# Chromium (the report pack's renderer where it is installed: core.chromium) ---------------------

LISTS = """<ol><li><p>Note the report.</p><table><caption>Sets</caption><tr><th scope="col">Set</th></tr>
<tr><td>LAA</td></tr></table></li><li>Agree the actions.</li></ol>
<ul style="list-style: none"><li><p>One</p><p>More</p></li><li><p>Two</p></li></ul>"""

CHART = """<figure><svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 100 20" width="100" height="20"
aria-label="Indicators by status: Green 3, Red 1"><title>Indicators by status: Green 3, Red 1</title>
<rect x="0" y="0" width="75" height="20" fill="#00703c"/></svg><figcaption>Indicators by status in each set.</figcaption></figure>"""


@pytest.fixture
def chromium_pdf(chromium_installed):
    return lambda body, repaired: (pdf.html_to_pdf if repaired else pdf.printed)(
        PAGE.format(body=body), base_url="/", renderer=pdf.CHROMIUM)


@pytest.mark.browser
def test_chromium_list_items_get_a_body_and_numbered_ones_keep_their_label(chromium_pdf):
    alone = pdf_ua_breaches(chromium_pdf(LISTS, repaired=False))
    assert any("LI: holds" in b for b in alone), alone
    repaired = chromium_pdf(LISTS, repaired=True)
    assert pdf_ua_breaches(repaired) == []
    # Numbered items come with their number as Lbl; unmarked ones are their body alone.
    assert [kids for _, kids, _, _ in elements(repaired, "/LI")] == [["/Lbl", "/LBody"]] * 2 + [["/LBody"]] * 2
    # Each body holds the item's elements in order: the first its paragraph and table.
    assert [kids for _, kids, _, _ in elements(repaired, "/LBody")] == [["/P", "/Table"], [], ["/P", "/P"], ["/P"]]
    facts = read_pdf(repaired)
    assert all(words in facts.flat_text for words in ("Note the report.", "Agree the actions.", "One More", "Two"))


@pytest.mark.browser
def test_chromium_a_chart_in_a_figure_keeps_its_alternative_text_and_its_caption(chromium_pdf):
    alone = pdf_ua_breaches(chromium_pdf(CHART, repaired=False))
    assert any("a figure without alternative text" in b for b in alone), alone
    repaired = chromium_pdf(CHART, repaired=True)
    assert pdf_ua_breaches(repaired) == []
    with pikepdf.open(io.BytesIO(repaired)) as document:
        tree = structure_tree(document)
        figures, captions, stack = [], [], [tree]
        while stack:
            element = stack.pop(0)
            if element.type == "/Figure":
                figures.append(str(element.obj.get("/Alt", "")))
            if element.type == "/Caption":
                captions.append(element.path)
            stack[0:0] = element.kids
    assert figures == ["Indicators by status: Green 3, Red 1"]
    assert len(captions) == 1


@pytest.mark.browser
def test_chromium_xmp_and_heading_levels_are_repaired_as_weasyprints_are(chromium_pdf):
    alone = pdf_ua_breaches(chromium_pdf(TEMPLATE, repaired=False))
    assert any("pdfuaid" in b for b in alone) and any("H3 follows H1" in b for b in alone), alone
    repaired = chromium_pdf(TEMPLATE, repaired=True)
    assert pdf_ua_breaches(repaired) == []
    with pikepdf.open(io.BytesIO(repaired)) as document:
        xmp = document.open_metadata()
        assert (xmp["pdfuaid:part"], xmp["dc:title"], xmp["dc:language"]) == (
            "1", "Appendix C: Revenue budget", {"en-GB"})
