"""A risk owner reviews their risk: the score and band follow the choices, a missing commentary is refused, the review is kept."""

import re

import pytest
from playwright.sync_api import expect

from risks.models import Risk
from tests.browser.helpers import (
    assert_accessible,
    assert_error_summary,
    assert_status_in_words,
    sign_in,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_the_owner_reviews_a_risk(new_page, demo_council, javascript):
    page = new_page(javascript=javascript)
    suffix = "" if javascript else "-no-js"
    risk = Risk.objects.get(reference="CR01")
    reviews = risk.reviews.count()
    sign_in(page, "officer")
    page.goto("/risks/")
    assert_accessible(page, f"risks-register-officer{suffix}")
    assert_status_in_words(page)
    page.goto(f"/risks/{risk.pk}/review/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Review: {risk.title}")
    assert_accessible(page, f"risk-review{suffix}")

    page.get_by_label("Likelihood now").select_option("5")
    page.get_by_label("Impact now").select_option("5")
    if javascript:
        # The score and its band in words, worked out as the owner chooses.
        expect(page.locator("#score-preview")).to_contain_text(re.compile(r"Score 25: \w+"))
    page.get_by_label("Commentary").fill("")
    page.get_by_role("button", name="Record the review").click()
    assert_error_summary(page)
    assert_accessible(page, f"risk-review-error{suffix}")
    assert risk.reviews.count() == reviews

    page.get_by_label("Date of this review").fill("2006-07-31")
    page.get_by_label("Commentary").fill("Two serious case reviews opened this month.")
    page.get_by_label("Next review by").fill("2006-08-31")
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(risk.title)
    expect(page.get_by_text("Two serious case reviews opened this month.").first).to_be_visible()
    assert_accessible(page, f"risk-detail-reviewed{suffix}")
    assert_status_in_words(page)
    assert risk.reviews.count() in (reviews, reviews + 1)  # a second review in a month corrects it
    assert risk.reviews.filter(commentary="Two serious case reviews opened this month.").exists()
