"""The suite's own checks catch what they are for: a missing label, status by colour alone (PDFs: tests/test_pdf_checks.py)."""

import pytest

from tests.browser import html_check
from tests.browser.helpers import assert_status_in_words, axe_violations

pytestmark = pytest.mark.browser

FORM = """<!DOCTYPE html><html lang="en-GB"><head><title>Form</title></head><body><main>
<h1>Form</h1><form>{label}<input id="actual" name="actual" type="text"></form></main></body></html>"""


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


PAGE = """<!DOCTYPE html><html lang="en-GB"><head><title>Filter</title></head><body><main>
<h1>Filter</h1>{form}<label for="q">Search</label><input id="q" name="q"></form></main></body></html>"""


def test_the_html_checker_fails_bare_htmx_attributes_and_an_empty_action(tmp_path):
    invalid, valid = tmp_path / "invalid.html", tmp_path / "valid.html"
    invalid.write_text(PAGE.format(form='<form method="get" action="" hx-get="/risks/">'))
    valid.write_text(PAGE.format(form='<form method="get" data-hx-get="/risks/">'))
    errors = [m for m in html_check.validate({invalid: "invalid", valid: "valid"}) if m.kind == "error"]
    assert {m.page for m in errors} == {"invalid"}
    assert any("hx-get" in m.text for m in errors), errors
    assert any("action" in m.text for m in errors), errors
