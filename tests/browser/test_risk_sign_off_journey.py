"""The officer reviews CR01; the approver returns it with a reason, the officer records it again, the approver signs it off.

The sign-off page is checked with axe and for fit at 375 and 1280 px; the register marks the review until it is signed off.
"""

from datetime import date

import pytest
from playwright.sync_api import expect

from risks import services
from risks.models import Risk, RiskReview
from tests.browser.helpers import assert_accessible, screenshot, sign_in
from tests.browser.test_every_page_fits import check_fits

pytestmark = pytest.mark.browser


def _record(risk, commentary):
    return services.risk_review(risk=risk, by=risk.owner, reviewed_on=date(2006, 9, 5), likelihood=4, impact=5,
                                commentary=commentary, next_review=date(2006, 12, 1))


def test_the_approver_returns_then_signs_off_an_owners_risk_review(page, demo_council):
    risk = Risk.objects.select_related("owner").get(reference="CR01")
    review = _record(risk, "Agency social workers leave in October.")
    sign_in(page, "approver")
    page.goto("/risks/?period=2006-09")
    row = page.locator("tr", has_text="CR01")
    expect(row).to_contain_text("Latest review: awaiting sign-off")
    page.get_by_role("link", name="Risk reviews awaiting sign-off").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk reviews awaiting sign-off")
    section = page.locator("section", has_text="CR01")
    expect(section).to_contain_text("Likelihood 4 × impact 5 = 20")
    expect(section).to_contain_text("Agency social workers leave in October.")
    problems = []
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        problems += check_fits(page, "/risks/sign-off/", width)
        screenshot(page, f"risk-sign-off-{width}px")
        assert_accessible(page, f"risk-sign-off-{width}px")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not problems, "\n".join(problems)

    section.get_by_role("button", name="Return the review of CR01").click()
    expect(page.locator(f"#decision-{review.pk}")).to_contain_text("Say why the review is returned")
    assert RiskReview.objects.get(pk=review.pk).state == RiskReview.SUBMITTED
    section.get_by_label("Reason, if you return it").fill("Say which posts the agency staff cover.")
    section.get_by_role("button", name="Return the review of CR01").click()
    expect(page.locator(f"#decision-{review.pk}")).to_contain_text("Returned: Say which posts the agency staff cover.")
    assert_accessible(page, "risk-sign-off-returned")

    _record(risk, "Agency social workers cover the two duty teams until October.")
    page.goto("/risks/sign-off/")
    page.locator("section", has_text="CR01").get_by_role("button", name="Sign off the review of CR01").click()
    expect(page.locator(f"#decision-{review.pk}")).to_contain_text("Signed off")
    assert RiskReview.objects.get(pk=review.pk).decided_by.username == "approver"
    page.goto("/risks/?period=2006-09")
    expect(page.locator("tr", has_text="CR01")).not_to_contain_text("Latest review")
