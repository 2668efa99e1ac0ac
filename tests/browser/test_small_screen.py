"""On a phone-sized screen (320 CSS pixels, WCAG 1.4.10 reflow) the pages an officer uses fit without sideways scrolling."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.browser


def overflow(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_the_officer_pages_reflow_at_320_pixels_and_the_menu_opens(page, demo_council):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/sign-in/")
    assert overflow(page) <= 0, "the sign-in page scrolls sideways at 320 pixels"
    sign_in(page, "officer")

    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="My updates")).to_be_visible()
    assert_accessible(page, "home-officer-320px")
    assert overflow(page) <= 0, "the home page scrolls sideways at 320 pixels"

    page.get_by_role("link", name="My updates").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("July 2006")
    assert overflow(page) <= 0, "My updates scrolls sideways at 320 pixels"
    screenshot(page, "updates-officer-320px")
