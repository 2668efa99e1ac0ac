"""Signing in and the home page, for every role, in a real browser, with and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    assert_accessible,
    assert_error_summary,
    assert_status_in_words,
    sign_in,
    sign_out,
)

pytestmark = pytest.mark.browser

DEMO_PEOPLE = {
    "officer": "Olivia",
    "approver": "Adam",
    "performance": "Priya",
    "member": "Martin",
    "admin": "Ada",
}


def test_the_sign_in_page_is_accessible_and_the_skip_link_comes_first(page, demo_council):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/$"))
    expect(page).to_have_title(re.compile(r"^Sign in – councilperf – "))
    assert_accessible(page, "sign-in")

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Username")).to_be_focused()


def test_a_wrong_password_shows_the_error_summary_focused_and_the_title_says_error(page, demo_council):
    page.goto("/sign-in/")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_title(re.compile(r"^Error: Sign in – "))
    assert_error_summary(page, "Please enter a correct username and password")
    assert_accessible(page, "sign-in-error")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_each_role_signs_in_to_an_accessible_home_page(new_page, demo_council):
    # One database for all five (putting the demo council back costs more than a sign-in).
    for username, first_name in DEMO_PEOPLE.items():
        page = new_page()
        sign_in(page, username)
        expect(page).to_have_title(re.compile(r"^Home – councilperf – "))
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {first_name}")
        expect(page.get_by_role("link", name="Home", exact=True)).to_have_attribute("aria-current", "page")
        assert_accessible(page, f"home-{username}")
        assert_status_in_words(page)

        sign_out(page)
        expect(page).to_have_url(re.compile(r"/sign-in/$"))


def test_signing_in_and_out_works_with_javascript_off(nojs_page, demo_council):
    page = nojs_page
    sign_in(page, "officer")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Olivia")
    assert_accessible(page, "home-officer-no-js")
    sign_out(page)


def test_signing_in_with_the_keyboard_alone(page, demo_council):
    page.goto("/sign-in/")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    # Past the service name link to the first field, however many header links there are.
    for _ in range(5):
        if page.evaluate("() => document.activeElement.id") == "id_username":
            break
        page.keyboard.press("Tab")
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type("approver")
    page.keyboard.press("Tab")
    page.keyboard.type("demo")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Adam")
