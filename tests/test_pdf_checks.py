"""The PDF check passes the app's PDFs and fails an untagged one, one with no language, a bare font or missing text."""

import io

import pikepdf
import pytest
import weasyprint

from core import pdf
from tests.pdfs import assert_accessible_pdf, read_pdf

REPORT = """<!DOCTYPE html><html lang="{lang}"><head><title>Integrated performance report</title></head>
<body><h1>Integrated performance report</h1><p>A projected overspend of £2,195,000, 1.6% of base budget.</p>
<p style="break-before: page">Appendix A follows.</p></body></html>"""


@pytest.fixture(scope="module")
def tagged():
    return pdf.html_to_pdf(REPORT.format(lang="en-GB"), base_url="/")


def test_an_app_pdf_passes_and_reads_page_by_page(tagged):
    facts = assert_accessible_pdf(tagged, title="Integrated performance report", contains=("£2,195,000", "1.6%"))
    assert facts.page_sizes == [(595.28, 841.89)] * 2, "A4 portrait, two pages"
    assert "£2,195,000" in facts.pages[0] and "Appendix A follows." in facts.pages[1]


def test_an_untagged_pdf_fails():
    untagged = weasyprint.HTML(string=REPORT.format(lang="en-GB")).write_pdf()
    with pytest.raises(AssertionError, match="not a tagged PDF"):
        assert_accessible_pdf(untagged)


def test_a_pdf_without_a_language_fails():
    with pytest.raises(AssertionError, match="language"):
        assert_accessible_pdf(pdf.html_to_pdf(REPORT.format(lang=""), base_url="/"))


def test_text_the_page_shows_but_the_pdf_lacks_fails(tagged):
    with pytest.raises(AssertionError, match="does not contain"):
        assert_accessible_pdf(tagged, contains=("£9,999,999",))


def test_a_font_that_is_not_embedded_fails(tagged):
    """Helvetica named but not carried in the file: a reader's machine would substitute its own."""
    document = pikepdf.open(io.BytesIO(tagged))
    page = document.pages[0]
    page.Resources.Font.Fbare = document.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica))
    out = io.BytesIO()
    document.save(out)
    assert read_pdf(out.getvalue()).fonts["/Helvetica"] is False
    with pytest.raises(AssertionError, match="not embedded"):
        assert_accessible_pdf(out.getvalue())
