"""Nothing unapproved is published unseen: the approver returns CH145's July figure, the team locks July and publishes.

CR01's July risk review, corrected by its owner and not yet signed off, is listed on the publish page too.

The lock page and the publish page list CH145 as returned; locking needs a confirmation and a
reason, which the period's history keeps; the published report prints CH145 marked
"Provisional, not signed off" and says how many figures are provisional.
"""

import re

import pytest
from playwright.sync_api import expect

from indicators import services
from indicators.models import Reading
from organisation.models import Period, PeriodEvent
from reports.models import PublishedVersion, Report
from risks import services as risk_services
from risks.models import Risk
from tests.browser.helpers import assert_accessible, assert_error_summary, sign_in

pytestmark = pytest.mark.browser


def ch145_july():
    return Reading.objects.select_related("indicator__lead").get(indicator__code="CH145", period__key="2006-07")


def test_a_figure_the_approver_returned_is_shown_before_locking_and_publishing_and_printed_as_provisional(
    page, new_page, demo_council
):
    reading = ch145_july()
    services.return_submit(items=[(reading.pk, None)], user=reading.indicator.lead)  # the officer sent it
    # CR01's owner corrects its July review; nobody has signed the correction off yet.
    cr01 = Risk.objects.select_related("owner").get(reference="CR01")
    july_review = cr01.reviews.get(period__key="2006-07")
    risk_services.risk_review(risk=cr01, by=cr01.owner, reviewed_on=july_review.reviewed_on,
                              likelihood=july_review.likelihood, impact=july_review.impact,
                              commentary="Two more agency social workers from August.",
                              next_review=july_review.next_review)

    # The approver returns CH145's July figure with the reason.
    sign_in(page, "approver")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Approvals").click()
    row = page.locator("tr", has_text="CH145")
    row.get_by_label("Reason, if returning").fill("The July count includes June's late assessments.")
    row.get_by_role("button", name="Return CH145").click()
    expect(page.locator("tr", has_text="CH145")).to_contain_text("Returned")
    assert ch145_july().state == Reading.RETURNED

    # The performance team locks July: CH145 is listed, and locking needs a confirmation and a reason.
    team = new_page()
    sign_in(team, "performance")
    july = Period.objects.get(key="2006-07")
    team.goto(f"/indicators/returns/periods/{july.pk}/")
    outstanding = team.locator("tr", has_text="CH145")
    expect(outstanding).to_contain_text("Returned by the approver")
    expect(outstanding).to_contain_text("The July count includes June's late assessments.")
    expect(outstanding.get_by_role("link", name=re.compile("^CH145 "))).to_be_visible()
    assert_accessible(team, "period-july-outstanding")
    team.get_by_role("button", name="Lock July 2006").click()
    assert_error_summary(team, "Confirm that July 2006 is to be locked with figures not signed off",
                         "Say why the period is being locked before every figure is signed off")
    assert_accessible(team, "period-july-lock-error")
    assert Period.objects.get(key="2006-07").state == Period.OPEN
    team.get_by_label(re.compile(r"^Lock July 2006 with \d+ figures not signed off")).check()
    team.get_by_label("Why lock it now?").fill("Cabinet papers go out today; CH145 follows as a correction.")
    team.get_by_role("button", name="Lock July 2006").click()
    expect(team.locator(".govuk-tag", has_text="Locked")).to_be_visible()
    event = PeriodEvent.objects.filter(period=july, action=PeriodEvent.LOCKED).latest("at")
    assert "1 returned by the approver" in event.reason and "CH145 follows as a correction" in event.reason
    expect(team.locator("table", has_text="What")).to_contain_text("CH145 follows as a correction")

    # Publishing lists CH145 again and needs confirming; the report prints it as provisional.
    report = Report.objects.get(period__key="2006-07", portfolio=None)
    team.goto(f"/reports/{report.pk}/publish/")
    expect(team.locator("tr", has_text="CH145")).to_contain_text("Returned by the approver")
    expect(team.get_by_text('These figures will be printed marked "Provisional, not signed off"')).to_be_visible()
    expect(team.get_by_role("heading", name="Risk reviews not signed off")).to_be_visible()
    expect(team.locator("li", has_text="CR01 Failure to safeguard vulnerable children")).to_contain_text(
        "awaiting sign-off")
    assert_accessible(team, "report-publish-outstanding")
    team.get_by_role("button", name="Publish").click()
    assert_error_summary(team, "Confirm that the report is to be published with items not signed off")
    assert not PublishedVersion.objects.filter(report=report).exists()
    team.get_by_label("Publish with these not signed off").check()
    team.get_by_role("button", name="Publish").click()
    expect(team.get_by_text(re.compile(r"Version 1 is published"))).to_be_visible()
    kpi = team.locator("#appendix-F tr", has_text="CH145")
    expect(kpi).to_contain_text("Provisional, not signed off: July 2006")
    expect(team.locator(".app-report__considerations")).to_contain_text(re.compile(
        r"\d+ figures in this report are provisional: not yet signed off by their directorate"))
    a1 = team.locator("#appendix-A1 tr", has_text="CH145")
    if a1.count():
        expect(a1).to_contain_text("Provisional, not signed off")
        expect(a1).not_to_contain_text("Signed off")
