"""Every form field's error message is tied to its field (aria-describedby), once, with a unique id."""

import re

import pytest
from django.urls import reverse


def _ids(html):
    return re.findall(r'\bid="([^"]+)"', html)


@pytest.mark.parametrize(("role", "url", "data"), [
    ("performance", lambda w: reverse("budgets:revenue_line", args=[w.revenue_line.pk]),
     {"original_budget": "lots", "current_budget": "", "forecast_outturn": "12"}),
    ("performance", lambda w: reverse("budgets:capital_spend", args=[w.capital_line.pk]), {"spend_to_date": "abc"}),
    ("performance", lambda w: reverse("risks:create"), {"title": "", "likelihood": "9"}),
    ("performance", lambda w: reverse("risks:mitigation_add", args=[w.extra["risk"].pk]), {"due": "not a date"}),
    ("performance", lambda w: reverse("reports:new"), {"period": "July", "body": "", "meeting_date": "soon"}),
    ("performance", lambda w: reverse("reports:cover", args=[w.extra["report"].pk]), {"title": "", "meeting_date": "x"}),
    ("performance", lambda w: reverse("reports:paragraph", args=[w.extra["report"].pk, 1]), {"action": "add"}),
])
def test_a_refused_field_names_its_error_in_aria_describedby(world, client_for, role, url, data):
    html = client_for(role).post(url(world), data).content.decode()
    errors = re.findall(r'<p class="govuk-error-message" id="([^"]+)"', html)
    assert errors, "the form should have refused something"
    ids = _ids(html)
    assert len(ids) == len(set(ids)), "duplicate ids"
    for error_id in errors:
        field_id = error_id.removesuffix("_error")
        widget = re.search(rf'<(?:input|select|textarea)[^>]*\bid="{field_id}"[^>]*>', html)
        assert widget, f"no widget for {field_id}"
        described = re.search(r'aria-describedby="([^"]*)"', widget.group(0))
        assert described and error_id in described.group(1).split(), widget.group(0)


def test_a_paragraphs_two_forms_keep_their_own_fields(world, client_for):
    """Adding a paragraph with no words is refused without touching the paragraph being edited."""
    url = reverse("reports:paragraph", args=[world.extra["report"].pk, 1])
    client = client_for("performance")
    before = client.get(url).content.decode()
    html = client.post(url, {"action": "add", "add-text": ""}).content.decode()
    assert 'id="id_add-text_error"' in html and 'href="#id_add-text"' in html
    labels = re.findall(r'<label[^>]*>([^<]+)</label>', html)
    assert len(labels) == len(set(labels)), f"two fields share a label: {labels}"
    edited = re.search(r'<textarea[^>]*id="id_text"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert edited == re.search(r'<textarea[^>]*id="id_text"[^>]*>(.*?)</textarea>', before, re.S).group(1)
    response = client.post(url, {"action": "add", "add-text": "A new paragraph from the test."})
    assert response.status_code == 302
