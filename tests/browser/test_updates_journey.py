"""An officer enters a figure with JavaScript on: the status follows the typing and the row saves in place."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from indicators.models import Indicator, Reading, ReadingHistory
from organisation.models import Period
from tests import factories
from tests.browser import helpers
from tests.personas import make_world

pytestmark = pytest.mark.browser


@pytest.fixture
def july(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = make_world()
    factories.populate(world)
    Period.objects.filter(pk=world.period.pk).update(state=Period.OPEN, deadline=date(2006, 8, 7))
    Indicator.objects.filter(pk=world.indicator.pk).update(action_plan_robust=True, tolerance_pct=10)
    return world


def test_the_status_follows_the_typing_and_the_row_saves_without_a_reload(july, page):
    helpers.sign_in_persona(page, "officer")
    page.goto("/indicators/updates/")
    helpers.assert_accessible(page, "updates-officer")
    row = page.locator(f"#row-{july.indicator.pk}")
    expect(row.get_by_text("Status:")).to_contain_text("Red")
    page.evaluate("window.__same_page = true")
    row.get_by_label("July 2006 actual").fill("215")
    expect(row.locator(".app-update__status")).to_contain_text("Amber")
    expect(row).to_contain_text("say why, and what is being done about it")
    row.get_by_label("Commentary").fill("Two late referrals")
    row.get_by_label("Remedial action").fill("Chase the area teams")
    row.get_by_role("button", name="Save CH141").click()
    expect(row.locator("..").locator(f"#row-{july.indicator.pk}")).to_contain_text("Saved at")
    assert page.evaluate("window.__same_page") is True  # no reload happened
    reading = Reading.objects.get(indicator=july.indicator, period=july.period)
    assert (reading.actual, reading.commentary) == (Decimal("215"), "Two late referrals")
    assert ReadingHistory.objects.get().how == "htmx"


def test_a_red_figure_without_words_is_refused_in_place_keeping_the_typing(july, page):
    helpers.sign_in_persona(page, "officer")
    page.goto("/indicators/updates/")
    row = page.locator(f"#row-{july.indicator.pk}")
    row.get_by_label("July 2006 actual").fill("150")
    row.get_by_role("button", name="Save CH141").click()
    row = page.locator(f"#row-{july.indicator.pk}")
    expect(row).to_contain_text("Explain why the figure is Red")
    expect(row.get_by_label("July 2006 actual")).to_have_value("150")
    assert not ReadingHistory.objects.exists()


def test_the_whole_page_saves_with_javascript_off(july, nojs_page):
    helpers.sign_in_persona(nojs_page, "officer")
    nojs_page.goto("/indicators/updates/")
    nojs_page.get_by_label("July 2006 actual").fill("230")
    nojs_page.get_by_role("button", name="Save all").click()
    expect(nojs_page.get_by_text("1 figure saved for July 2006.")).to_be_visible()
    assert Reading.objects.get(indicator=july.indicator, period=july.period).actual == Decimal("230")
    assert ReadingHistory.objects.get().how == "form"


def test_the_performance_team_chooses_an_officer_and_enters_their_figure_with_javascript_off(july, nojs_page):
    helpers.sign_in_persona(nojs_page, "performance")
    nojs_page.goto("/indicators/updates/")
    nojs_page.get_by_label("Enter figures for").select_option(label="Officer")
    nojs_page.get_by_role("button", name="Show their indicators").click()
    expect(nojs_page.locator(".govuk-caption-l")).to_have_text("Entering figures for Officer")
    helpers.assert_accessible(nojs_page, "updates-performance-for-officer")
    nojs_page.get_by_label("July 2006 actual").fill("230")
    nojs_page.get_by_role("button", name="Save all").click()
    expect(nojs_page.get_by_text("1 figure saved for July 2006.")).to_be_visible()
    expect(nojs_page.locator(".govuk-caption-l")).to_have_text("Entering figures for Officer")
    reading = Reading.objects.get(indicator=july.indicator, period=july.period)
    assert (reading.actual, reading.updated_by) == (Decimal("230"), july.performance)
    assert ReadingHistory.objects.get().by == july.performance
