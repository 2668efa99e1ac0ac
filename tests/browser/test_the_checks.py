"""The suite's own checks catch what they are for: a missing label, status by colour alone, an untagged PDF."""

import pytest
import weasyprint

from councilperf import pdf
from tests.browser.helpers import assert_accessible_pdf, assert_status_in_words, axe_violations

pytestmark = pytest.mark.browser

FORM = """<!DOCTYPE html><html lang="en-GB"><head><title>Form</title></head><body><main>
<h1>Form</h1><form>{label}<input id="actual" name="actual" type="text"></form></main></body></html>"""

REPORT = """<!DOCTYPE html><html lang="{lang}"><head><title>Integrated performance report</title></head>
<body><h1>Integrated performance report</h1><p>A projected overspend of £2,195,000, 1.6% of base budget.</p></body></html>"""


@pytest.fixture
def blank(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


def test_axe_fails_a_form_field_without_a_label(blank):
    blank.set_content(FORM.format(label=""))
    assert "label" in {v["id"] for v in axe_violations(blank)}
    blank.set_content(FORM.format(label='<label for="actual">July 2006 actual</label>'))
    assert axe_violations(blank) == []


def test_a_status_shown_by_colour_alone_fails(blank):
    blank.set_content('<p><strong class="govuk-tag govuk-tag--red"></strong></p>')
    with pytest.raises(AssertionError, match="colour alone"):
        assert_status_in_words(blank)
    blank.set_content('<p><strong class="govuk-tag govuk-tag--red">Red</strong></p>')
    assert_status_in_words(blank)


def test_the_pdf_check_passes_the_app_pdfs_and_fails_untagged_or_languageless_ones(tmp_path):
    tagged = tmp_path / "tagged.pdf"
    tagged.write_bytes(pdf.html_to_pdf(REPORT.format(lang="en-GB"), base_url="/"))
    assert_accessible_pdf(tagged, title="Integrated performance report", contains=("£2,195,000", "1.6%"))

    untagged = tmp_path / "untagged.pdf"
    untagged.write_bytes(weasyprint.HTML(string=REPORT.format(lang="en-GB")).write_pdf())
    with pytest.raises(AssertionError, match="not a tagged PDF"):
        assert_accessible_pdf(untagged)

    no_language = tmp_path / "no-language.pdf"
    no_language.write_bytes(pdf.html_to_pdf(REPORT.format(lang=""), base_url="/"))
    with pytest.raises(AssertionError, match="language"):
        assert_accessible_pdf(no_language)

    with pytest.raises(AssertionError, match="does not contain"):
        assert_accessible_pdf(tagged, contains=("£9,999,999",))
