"""An officer updates an improvement-plan action in place; the approver signs the update off; the plan shows it."""

import re

import pytest
from playwright.sync_api import expect

from improvement_plans.models import Action
from tests.browser.helpers import (
    assert_accessible,
    assert_status_in_words,
    sign_in,
)
from tests.pdfs import assert_accessible_pdf

pytestmark = pytest.mark.browser

PROGRESS = "Action plan agreed with the inspectors; the first two milestones are met."


def download(page, url) -> bytes:
    # Plan PDFs are made while the reader waits; the whole plan takes seconds.
    response = page.request.get(url, timeout=90_000)
    assert response.ok and response.headers["content-type"] == "application/pdf", f"{url}: {response.status}"
    return response.body()


def test_an_action_update_is_saved_in_place_then_approved_and_printed(page, new_page, demo_council, tmp_path):
    sign_in(page, "officer")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name=re.compile("plans", re.I)).click()
    assert_accessible(page, "plans-officer")
    action = Action.objects.get(number="7.2")
    page.goto(f"/plans/{action.element.plan_id}/updates/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Update my actions")
    assert_accessible(page, "plan-updates-officer")
    assert_status_in_words(page)

    row = page.locator(f"#{action.anchor}")
    row.get_by_label("Progress to date").fill(PROGRESS)
    row.get_by_role("radio", name="In progress").check()
    row.get_by_role("button", name="Save update to 7.2").focus()
    page.keyboard.press("Enter")
    row = page.locator(f"#{action.anchor}")
    expect(row.get_by_role("status")).to_have_text("Saved: your update is awaiting approval.")
    # Saved in place: the keyboard user is still on the row's button, not back at the top.
    expect(row.get_by_role("button", name="Save update to 7.2")).to_be_focused()
    assert_accessible(page, "plan-updates-officer-saved", within=f"#{action.anchor}")

    approver = new_page()
    sign_in(approver, "approver")
    approver.goto("/plans/approvals/")
    expect(approver.get_by_text(PROGRESS)).to_be_visible()
    assert_accessible(approver, "plan-approvals-approver")
    approver.get_by_role("button", name="Approve update to 7.2", exact=True).click()
    decided = approver.get_by_role("region", name=re.compile(r": 7\.2 Implementation"))
    expect(decided.get_by_text("Approved", exact=True)).to_be_visible()
    assert_accessible(approver, "plan-approvals-approver-done")

    action.refresh_from_db()
    assert action.progress == PROGRESS
    page.goto(f"/plans/actions/{action.pk}/")
    expect(page.get_by_text(PROGRESS).first).to_be_visible()
    assert_accessible(page, "plan-action-officer")

    # The plan's PDF for the committee papers carries the approved progress.
    plan_pdf = tmp_path / "plan.pdf"
    plan_pdf.write_bytes(download(page, f"/plans/{action.element.plan_id}/plan.pdf"))
    assert_accessible_pdf(plan_pdf, title=action.element.plan.title, contains=(PROGRESS,))

    # The demo reads as at 7 September 2006; the council's exceptions report (001) is dated
    # 12 October 2006, so the officer asks for that date, as the page's hint offers.
    page.goto(f"/plans/{action.element.plan_id}/exceptions/")
    expect(page.get_by_text("12 October 2006").first).to_be_visible()
    page.goto(f"/plans/{action.element.plan_id}/exceptions/?on=2006-10-12")
    assert_accessible(page, "plan-exceptions-officer")
    assert_status_in_words(page)
    heading = page.get_by_role("heading", level=1).text_content().strip()
    # Each exception's element title and its status in words, as the page shows them.
    exceptions = page.locator("main h3").all_text_contents() + page.locator(".app-exceptions__status").all_inner_texts()
    exceptions_pdf = tmp_path / "exceptions.pdf"
    exceptions_pdf.write_bytes(download(page, page.get_by_role("link", name=re.compile("PDF")).first.get_attribute("href")))
    assert exceptions, "the demo plan has elements off track; the exceptions report shows none"
    assert_accessible_pdf(exceptions_pdf, contains=(heading, *[e.strip() for e in exceptions]))
