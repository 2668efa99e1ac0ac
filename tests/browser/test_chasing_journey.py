"""The performance team chases late July returns from the chasing page: a preview of each e-mail, then they go."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from indicators.models import ReminderSent
from tests.browser.helpers import assert_accessible, assert_error_summary, sign_in

pytestmark = pytest.mark.browser


def test_the_team_previews_and_sends_reminders_to_everyone_overdue(page, demo_council):
    mail.outbox = []
    sign_in(page, "performance")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Returns").click()
    page.goto("/indicators/chasing/")
    expect(page.get_by_role("heading", level=1)).to_have_text("What is due for July 2006")
    # As at 7 September 2006 the deadline of 11 August was 27 days before.
    expect(page.locator(".govuk-summary-list")).to_contain_text("11 August 2006 (27 days ago)")
    assert_accessible(page, "chasing")

    page.get_by_role("radio", name="One officer").check()
    page.get_by_role("button", name="Preview the e-mails").click()
    assert_error_summary(page, "Choose the officer to remind")

    page.get_by_role("radio", name="Everyone overdue").check()
    page.get_by_role("button", name="Preview the e-mails").click()
    preview = page.locator(".app-email-preview").first
    expect(preview).to_contain_text("Subject: Overdue: performance figures due for July 2006")
    expect(preview).to_contain_text("The deadline was 11 August 2006.")
    expect(preview).to_contain_text("copied to:")  # 27 days overdue: the approver is copied in
    assert_accessible(page, "chasing-preview")
    assert mail.outbox == [], "a preview must not send anything"

    count = page.locator(".app-email-preview").count()
    page.get_by_role("button", name=re.compile(r"^Send \d+ reminders?$")).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(f"{count} reminder")
    assert len(mail.outbox) == count
    assert any(m.cc for m in mail.outbox)
    assert ReminderSent.objects.filter(sent_by__username="performance").exists()
    expect(page.locator("table").first).not_to_contain_text("Not yet")
