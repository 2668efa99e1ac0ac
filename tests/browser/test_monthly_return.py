"""The monthly return in a real browser: an officer enters July 2006, the approver signs it off, the team locks it.

Runs on the demo council as it stood in August 2006: July open, CH141 (referrals of children
in need, led by the officer in Children's Services) still without a figure.
"""

import re

import pytest
from playwright.sync_api import expect

from indicators.models import Reading
from organisation.models import Period
from tests.browser.helpers import (
    assert_accessible,
    assert_error_summary,
    assert_status_in_words,
    sign_in,
    tab_to,
)

pytestmark = pytest.mark.browser

STATUS = re.compile(r"Status: (Green|Amber|Red|No data)")


def ch141(page):
    return page.locator(".app-update", has=page.get_by_role("heading", name=re.compile(r"^CH141 ")))


def explain_missing_figures(page):
    """What an officer does when a figure is late: leave it blank and say why."""
    rows = page.locator(".app-update")
    for index in range(rows.count()):
        row = rows.nth(index)
        actual = row.get_by_label("July 2006 actual")
        if actual.count() and not actual.input_value():
            row.get_by_label(re.compile("^Commentary")).fill("Not yet available: the figure comes from the data team.")


def july_ch141():
    """CH141's July 2006 reading as stored, or None while nothing has been saved."""
    return Reading.objects.filter(indicator__code="CH141", period__key="2006-07").first()


def july():
    return Period.objects.get(key="2006-07")


def test_the_officer_enters_and_submits_july_the_approver_signs_off_and_the_team_locks_it(page, new_page, demo_council):
    sign_in(page, "officer")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="My updates").click()
    expect(page).to_have_title(re.compile(r"^My updates: July 2006 – "))
    row = ch141(page)
    expect(row.locator(".app-update__status")).to_contain_text("No data")
    assert_accessible(page, "updates-officer")
    assert_status_in_words(page)

    # The status follows the typing (htmx) before anything is saved.
    page.evaluate("window.notReloaded = true")
    row.get_by_label("July 2006 actual").fill("1")
    expect(row.locator(".app-update__status")).to_contain_text(re.compile("Red|Amber"))
    expect(row).to_contain_text("say why, and what is being done about it")
    row.get_by_label(re.compile("^Commentary")).fill("Referrals were low over the summer.")
    row.get_by_label(re.compile("^Remedial action")).fill("Area teams are reviewing thresholds.")
    row.get_by_role("button", name="Save CH141").click()
    expect(ch141(page)).to_contain_text("Saved at")
    assert page.evaluate("window.notReloaded") is True, "saving one row reloaded the page"
    assert july_ch141().commentary == "Referrals were low over the summer."
    assert_accessible(page, "updates-officer-saved", within=f"#{ch141(page).get_attribute('id')}")

    # Figures still missing stop the return, each named in the error summary.
    page.get_by_role("button", name="Submit July 2006 for approval").click()
    assert_error_summary(page, "CPR: enter the figure, or say in the commentary why it is not yet available")
    assert_accessible(page, "updates-officer-submit-error")
    assert july_ch141().state == Reading.DRAFT

    explain_missing_figures(page)
    page.get_by_role("button", name="Save all").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("saved")
    page.get_by_role("button", name="Submit July 2006 for approval").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    expect(page).not_to_have_title(re.compile("^Error"))
    assert_accessible(page, "updates-officer-submitted", within=".govuk-notification-banner")
    assert july_ch141().state == Reading.SUBMITTED

    approver = new_page()
    sign_in(approver, "approver")
    approver.get_by_role("navigation", name="Menu").get_by_role("link", name="Approvals").click()
    expect(approver).to_have_title(re.compile(r"^Approvals: July 2006 – "))
    assert_accessible(approver, "approvals-approver")
    assert_status_in_words(approver)
    approver.get_by_role("button", name="Approve CH141").click()
    expect(approver.locator("tr", has_text="CH141")).to_contain_text("Approved")
    assert july_ch141().state == Reading.APPROVED
    assert_accessible(approver, "approvals-approver-approved", within="#approvals-table")

    team = new_page()
    sign_in(team, "performance")
    team.get_by_role("navigation", name="Menu").get_by_role("link", name="Returns").click()
    assert_accessible(team, "returns-performance")
    assert_status_in_words(team)
    team.get_by_role("link", name="Manage July 2006").click()
    expect(team).to_have_title(re.compile(r"^July 2006: manage the period – "))
    assert_accessible(team, "period-july-performance")
    # Other officers' July figures are still waiting: locking says so and needs a confirmation and a reason.
    team.get_by_label(re.compile(r"^Lock July 2006 with \d+ figures? not signed off")).check()
    team.get_by_label("Why lock it now?").fill("Cabinet papers go out today.")
    team.get_by_role("button", name="Lock July 2006").click()
    expect(team.locator(".govuk-tag", has_text="Locked")).to_be_visible()
    assert_accessible(team, "period-july-locked")

    # Reopening needs a reason: the GOV.UK error summary, focused, with "Error: " in the title.
    team.get_by_role("button", name="Reopen July 2006").click()
    assert_error_summary(team)
    assert_accessible(team, "period-july-reopen-error")

    page.goto(page.url.split("?")[0] + f"?period={july().pk}")
    expect(page.get_by_text("July 2006 is locked")).to_be_visible()
    expect(ch141(page).get_by_label("July 2006 actual")).to_have_count(0)
    assert_accessible(page, "updates-officer-locked")


def test_the_return_is_completed_with_javascript_off(nojs_page, demo_council):
    page = nojs_page
    sign_in(page, "officer")
    page.goto("/indicators/updates/")
    row = ch141(page)
    row.get_by_label("July 2006 actual").fill("1")
    page.get_by_role("button", name="Save all").click()

    # Without JavaScript the server works the status out and asks for the words it needs.
    expect(page).to_have_title(re.compile(r"^Error: My updates: July 2006 – "))
    assert_error_summary(page)
    expect(ch141(page).get_by_label("July 2006 actual")).to_have_value("1")
    assert_accessible(page, "updates-officer-no-js-error")
    assert july_ch141() is None

    row = ch141(page)
    row.get_by_label(re.compile("^Commentary")).fill("Referrals were low over the summer.")
    row.get_by_label(re.compile("^Remedial action")).fill("Area teams are reviewing thresholds.")
    explain_missing_figures(page)
    page.get_by_role("button", name="Save all").click()
    expect(page).not_to_have_title(re.compile("^Error"))
    expect(ch141(page).locator(".app-update__status")).to_contain_text(STATUS)
    assert july_ch141().actual == 1
    page.get_by_role("button", name="Submit July 2006 for approval").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    assert_accessible(page, "updates-officer-no-js-submitted", within=".govuk-notification-banner")
    assert july_ch141().state == Reading.SUBMITTED


def test_the_officer_completes_and_submits_the_return_with_the_keyboard_alone(page, demo_council):
    sign_in(page, "officer")
    page.goto("/indicators/updates/")
    rows = page.locator(".app-update")
    for index in range(rows.count()):
        row = rows.nth(index)
        if row.get_by_label("July 2006 actual").input_value():
            continue
        if row.get_by_role("heading", name=re.compile(r"^CH141 ")).count():
            tab_to(page, lambda row=row: row.get_by_label("July 2006 actual"))
            page.keyboard.type("1")
            expect(row.locator(".app-update__status")).to_contain_text(re.compile("Red|Amber"))
            page.keyboard.press("Tab")
            expect(row.get_by_label(re.compile("^Commentary"))).to_be_focused()
            page.keyboard.type("Referrals were low over the summer.")
            page.keyboard.press("Tab")
            expect(row.get_by_label(re.compile("^Remedial action"))).to_be_focused()
            page.keyboard.type("Area teams are reviewing thresholds.")
            tab_to(page, lambda row=row: row.get_by_role("button", name="Save CH141"))
            page.keyboard.press("Enter")
            expect(ch141(page)).to_contain_text("Saved at")
            # The row is redrawn in place; the keyboard user must not be sent back to the top.
            expect(ch141(page).get_by_role("button", name="Save CH141")).to_be_focused()
        else:
            # A late figure: left blank, with the reason in its commentary.
            tab_to(page, lambda row=row: row.get_by_label(re.compile("^Commentary")))
            page.keyboard.type("Not yet available: the figure comes from the data team.")
    reading = july_ch141()
    assert (reading.actual, reading.remedial_action) == (1, "Area teams are reviewing thresholds.")

    tab_to(page, lambda: page.get_by_role("button", name="Save all"))
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("saved")
    tab_to(page, lambda: page.get_by_role("button", name="Submit July 2006 for approval"))
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    assert july_ch141().state == Reading.SUBMITTED


def test_two_browsers_changing_the_same_figure_are_told_of_the_conflict(page, new_page, demo_council):
    sign_in(page, "officer")
    page.goto("/indicators/updates/")
    # The same officer in a second browser (a colleague at their desk, or another machine).
    colleague = new_page()
    sign_in(colleague, "officer")
    colleague.goto(f"/indicators/updates/?period={july().pk}")

    ch141(colleague).get_by_label("July 2006 actual").fill("5")
    ch141(colleague).get_by_label(re.compile("^Commentary")).fill("Corrected from the area teams' list.")
    ch141(colleague).get_by_label(re.compile("^Remedial action")).fill("Thresholds under review.")
    ch141(colleague).get_by_role("button", name="Save CH141").click()
    expect(ch141(colleague)).to_contain_text("Saved at")

    row = ch141(page)
    row.get_by_label("July 2006 actual").fill("7")
    row.get_by_label(re.compile("^Commentary")).fill("Referrals were low over the summer.")
    row.get_by_label(re.compile("^Remedial action")).fill("Area teams are reviewing thresholds.")
    row.get_by_role("button", name="Save CH141").click()
    row = ch141(page)
    expect(row.locator(".govuk-warning-text")).to_contain_text("Someone else changed this figure: 5")
    expect(row.get_by_label("July 2006 actual")).to_have_value("7")
    assert_accessible(page, "updates-officer-conflict")
    assert july_ch141().actual == 5
