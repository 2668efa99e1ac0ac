"""The performance team corrects a revenue forecast: money typed as people type it, a mistake refused, the totals follow."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from budgets.models import RevenueLine
from organisation.models import Period
from tests.browser.helpers import (
    assert_accessible,
    assert_error_summary,
    assert_status_in_words,
    sign_in,
)

pytestmark = pytest.mark.browser


def test_a_revenue_forecast_is_corrected_with_javascript_off(nojs_page, demo_council):
    page = nojs_page
    line = RevenueLine.objects.filter(period__state=Period.OPEN).order_by("-period__start", "pk").first()
    sign_in(page, "performance")
    page.goto(f"/budgets/revenue/lines/{line.pk}/")
    page.get_by_label("Forecast outturn").fill("£15,2x0,000")
    page.get_by_role("button", name=re.compile("Save|Change|Record")).click()
    assert_error_summary(page)
    assert_accessible(page, "budget-line-error-no-js")
    line.refresh_from_db()
    forecast = line.forecast_outturn

    page.get_by_label("Forecast outturn").fill("£15,250,000")
    page.get_by_role("button", name=re.compile("Save|Change|Record")).click()
    expect(page).not_to_have_title(re.compile("^Error"))
    expect(page.get_by_text("£15,250,000").first).to_be_visible()
    assert_accessible(page, "budget-revenue-after-change-no-js")
    assert_status_in_words(page)
    line.refresh_from_db()
    assert line.forecast_outturn == Decimal("15250000") != forecast
