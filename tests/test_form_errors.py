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
