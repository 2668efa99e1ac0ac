"""Risk reviews are signed off: an approver who had no hand in a review signs it off or returns it with a reason."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import policy
from organisation.models import AuditEvent
from reports.models import PublishedVersion
from risks import services
from risks.models import Risk, RiskReview
from tests.personas import make_user
from tests.reports.factories import draft_report
from tests.risks.factories import pending_review, risk


def _review_by_owner(world, **changes):
    fields = {"reviewed_on": date(2006, 7, 20), "likelihood": 4, "impact": 5, "commentary": "Caseloads rising",
              "next_review": date(2006, 10, 31)}
    fields.update(changes)
    return services.risk_review(risk=world.risk, by=world.officer, **fields)


def _decide(client, review, **data):
    return client.post(reverse("risks:review_decide", args=[review.pk]), data)


def test_an_owners_review_awaits_sign_off_and_the_approver_signs_it_off(world, client_for):
    review = _review_by_owner(world)
    assert review.state == RiskReview.SUBMITTED
    response = _decide(client_for("approver"), review, decision="approve")
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.state, review.decided_by) == (RiskReview.APPROVED, world.approver)
    event = AuditEvent.objects.get(action="risk_review_approved")
    assert event.username == "approver" and "CR01 review for July 2006 signed off" in event.summary


def test_returning_a_review_needs_a_reason_which_is_kept_and_audited(world, client_for):
    review = _review_by_owner(world)
    client = client_for("approver")
    page = client.post(reverse("risks:review_decide", args=[review.pk]), {"decision": "return", "reason": " "},
                       follow=True).content.decode()
    assert "Say why the review is returned" in page
    review.refresh_from_db()
    assert review.state == RiskReview.SUBMITTED and not AuditEvent.objects.filter(action="risk_review_returned")
    _decide(client, review, decision="return", reason="The score ignores the new inspection.")
    review.refresh_from_db()
    assert (review.state, review.return_reason) == (RiskReview.RETURNED, "The score ignores the new inspection.")
    assert "The score ignores the new inspection." in AuditEvent.objects.get(action="risk_review_returned").summary
    detail = client_for("officer").get(reverse("risks:detail", args=[world.risk.pk])).content.decode()
    assert "Returned</strong> The score ignores the new inspection." in detail


def test_the_owner_recording_again_sends_a_returned_or_signed_off_review_back_for_sign_off(world):
    review = _review_by_owner(world)
    services.risk_review_return(review=review, by=world.approver, reason="Check the impact")
    again = _review_by_owner(world, impact=4)
    assert again.pk == review.pk
    assert (again.state, again.decided_by, again.return_reason) == (RiskReview.SUBMITTED, None, "")
    services.risk_review_approve(review=again, by=world.approver)
    corrected = services.risk_review(risk=world.risk, by=world.approver, reviewed_on=date(2006, 7, 21), likelihood=3,
                                     impact=4, commentary="Corrected", next_review=date(2006, 10, 31))
    assert corrected.state == RiskReview.SUBMITTED
    # The approver corrected it, so now they may not sign it off; the performance team may.
    with pytest.raises(PermissionDenied):
        services.risk_review_approve(review=corrected, by=world.approver)
    services.risk_review_approve(review=corrected, by=world.performance)
    assert RiskReview.objects.get(pk=review.pk).state == RiskReview.APPROVED


def test_whoever_recorded_a_review_for_the_owner_cannot_sign_it_off_though_a_colleague_can(world):
    review = services.risk_review(risk=world.risk, by=world.performance, reviewed_on=date(2006, 7, 20), likelihood=4,
                                  impact=4, commentary="Entered for the owner", next_review=date(2006, 10, 31))
    assert not policy.may_approve_risk_review(world.performance, review)
    with pytest.raises(PermissionDenied):
        services.risk_review_approve(review=review, by=world.performance)
    with pytest.raises(PermissionDenied):
        services.risk_review_approve(review=review, by=world.officer)  # the owner
    assert RiskReview.objects.get(pk=review.pk).state == RiskReview.SUBMITTED
    colleague = make_user("colleague", group=policy.PERFORMANCE)
    services.risk_review_approve(review=review, by=colleague)
    assert RiskReview.objects.get(pk=review.pk).state == RiskReview.APPROVED


def test_a_review_already_decided_is_not_decided_again(world):
    review = _review_by_owner(world)
    services.risk_review_approve(review=review, by=world.approver)
    with pytest.raises(services.RiskRefused, match="already been signed off"):
        services.risk_review_return(review=review, by=world.performance, reason="Too late")
    assert AuditEvent.objects.filter(action__startswith="risk_review_").count() == 1


def test_the_sign_off_page_lists_what_the_approver_may_decide_and_decides_with_htmx(world, client_for):
    own = _review_by_owner(world)
    pending_review(world.other_risk, by=world.other_officer)
    page = client_for("approver").get(reverse("risks:sign_off")).content.decode()
    assert "CR01" in page and "CR02" not in page  # Adult Services' risk is not theirs
    assert "Likelihood 4 × impact 5 = 20 (was 12 on 10 April 2006)" in page
    team = client_for("performance").get(reverse("risks:sign_off")).content.decode()
    assert "CR01" in team and "CR02" in team
    assert "Risk reviews awaiting sign-off" not in client_for("officer").get(reverse("risks:register")).content.decode()
    swap = client_for("approver").post(reverse("risks:review_decide", args=[own.pk]), {"decision": "approve"},
                                       HTTP_HX_REQUEST="true").content.decode()
    assert f'id="decision-{own.pk}"' in swap and "Signed off" in swap and "<html" not in swap


def test_the_sign_off_page_takes_the_same_queries_however_many_reviews(world, client_for):
    client = client_for("performance")
    client.get(reverse("home"))

    def count():
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("risks:sign_off")).content.decode()
        return len(queries), page

    pending_review(world.risk, by=world.officer)
    small, page = count()
    assert page.count("Sign off<span") == 1
    for n in range(10):
        made = risk(f"CR{n + 10}", owner=world.other_officer, category=world.risk_category, directorate=world.acs)
        pending_review(made, by=world.other_officer)
    large, page = count()
    assert page.count("Sign off<span") == 11
    assert large == small <= 8


def test_the_register_marks_risks_whose_latest_review_is_not_signed_off(world, client_for):
    review = _review_by_owner(world)
    url = reverse("risks:register") + "?period=2006-07"
    page = client_for("officer").get(url).content.decode()
    assert "The latest review of 1 risk is not signed off" in page
    row = page[page.index(">CR01<"):]
    assert "Latest review: awaiting sign-off" in row[:row.index("</tr>")]
    services.risk_review_approve(review=review, by=world.approver)
    page = client_for("officer").get(url).content.decode()
    assert "Latest review:" not in page and "not signed off" not in page


def test_the_publish_check_lists_risk_reviews_not_signed_off_and_needs_confirming(world, client_for):
    from indicators.models import Reading

    Reading.objects.update(state=Reading.APPROVED)
    Reading.objects.filter(actual=None).delete()
    _review_by_owner(world)
    returned = pending_review(world.other_risk, by=world.other_officer)
    services.risk_review_return(review=returned, by=world.other_approver, reason="Which budget line?")
    report = draft_report(world)
    client = client_for("performance")
    page = client.get(reverse("reports:publish", args=[report.pk])).content.decode()
    assert "Risk reviews not signed off" in page
    assert "CR01 Failure to safeguard vulnerable children</a>: review of 20 July 2006 awaiting sign-off" in page
    assert "returned to the owner (Which budget line?)" in page
    refused = client.post(reverse("reports:publish", args=[report.pk]), {"note": ""}).content.decode()
    assert "Confirm that the report is to be published with items not signed off" in refused
    assert not PublishedVersion.objects.filter(report=report).exists()
    # A review signed off, or one made after the period, is not listed.
    for review in RiskReview.objects.exclude(state=RiskReview.APPROVED):
        review.state = RiskReview.APPROVED
        review.save()
    pending_review(world.risk, by=world.officer, on=date(2006, 8, 3))
    page = client.get(reverse("reports:publish", args=[report.pk])).content.decode()
    assert "Risk reviews not signed off" not in page


def test_a_removed_risk_is_not_offered_for_sign_off(world, client_for):
    pending_review(world.risk, by=world.officer)
    Risk.objects.filter(pk=world.risk.pk).update(deleted_at="2006-08-01T00:00:00Z")
    assert "CR01" not in client_for("approver").get(reverse("risks:sign_off")).content.decode()
