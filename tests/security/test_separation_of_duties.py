"""Separation of duties: nobody signs off a figure, progress update or risk review they entered,
submitted or last changed, whatever their role; and a decision is always explicit and made on the
version the person saw (issue 21, findings 1, 2 and 5)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core import policy
from improvement_plans import services as plan_services
from improvement_plans.models import ProgressUpdate
from indicators import services
from indicators.models import Reading
from organisation.models import Period
from risks.models import RiskReview

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def july(world):
    Period.objects.filter(pk=world.period.pk).update(state=Period.OPEN)
    Reading.objects.filter(indicator=world.indicator).update(commentary="Referrals fell", remedial_action="Review")
    world.period.refresh_from_db()
    return world.period


def _reading(world):
    return Reading.objects.get(indicator=world.indicator, period=world.period)


def _entered_by(world, user, actual="205"):
    """`user` enters CH141's July figure through the service every form uses, then the officer submits it."""
    r = _reading(world)
    services.reading_enter(indicator=world.indicator, period=world.period, user=user,
                           values={"actual": actual}, expected_version=r.version, how="form", current=r)
    r = _reading(world)
    services.return_submit(items=[(r.pk, r.version)], user=world.officer)
    return _reading(world)


# --- Finding 2: figures -----------------------------------------------------------------


def test_the_performance_team_cannot_approve_a_figure_it_entered_for_an_officer(july, world, client_for):
    """My updates ?officer=: the performance officer enters the officer's figure, the officer submits it,
    and the same performance officer tries to sign it off from the approvals page."""
    response = client_for("performance").post(
        reverse("indicators:update_row", kwargs={"period_id": july.pk, "indicator_id": world.indicator.pk})
        + "?officer=officer",
        {f"r{world.indicator.pk}-{k}": v for k, v in {
            "actual": "219", "commentary": "Slightly short", "remedial_action": "Weekly review", "data_quality": "",
            "status_override": "", "status_reason": "", "version": str(_reading(world).version)}.items()},
        **HTMX,
    )
    assert response.status_code == 200
    r = _reading(world)
    services.return_submit(items=[(r.pk, r.version)], user=world.officer)
    r = _reading(world)
    page = client_for("performance").get(reverse("indicators:approvals") + f"?period={july.pk}").content.decode()
    assert "CH141" not in page, "a figure they entered is not offered to them for approval"

    response = client_for("performance").post(
        reverse("indicators:approval_row", args=[r.pk]), {"approve_one": r.pk, f"version-{r.pk}": r.version}
    )
    assert response.status_code == 404
    assert _reading(world).state == Reading.SUBMITTED

    response = client_for("performance").post(
        reverse("indicators:approvals") + f"?period={july.pk}",
        {"reading": [r.pk], "action": "approve", f"version-{r.pk}": r.version},
    )
    assert _reading(world).state == Reading.SUBMITTED, "nothing approved through the bulk form either"
    # Someone who had no hand in it still can.
    services.readings_approve(items=[(r.pk, r.version)], user=world.approver)
    assert _reading(world).state == Reading.APPROVED


@pytest.mark.parametrize("role", ["approver", "performance", "admin"])
def test_nobody_approves_a_figure_they_entered_whatever_their_role(role, july, world):
    r = _entered_by(world, world.users[role])
    with pytest.raises(services.SeparationOfDuties, match="CH141"):
        services.readings_approve(items=[(r.pk, r.version)], user=world.users[role])
    assert _reading(world).state == Reading.SUBMITTED


def test_nobody_approves_a_figure_they_submitted(july, world):
    r = _reading(world)
    services.return_submit(items=[(r.pk, r.version)], user=world.performance)
    r = _reading(world)
    with pytest.raises(services.SeparationOfDuties):
        services.readings_approve(items=[(r.pk, r.version)], user=world.performance)
    assert not policy.may_approve_reading(world.performance, world.indicator, hands=r.hands())
    assert policy.may_approve_reading(world.approver, world.indicator, hands=r.hands())


# --- Finding 5: an approval without the version seen ---------------------------------------


def test_an_approval_without_the_version_seen_is_refused(july, world, client_for):
    r = _reading(world)
    Reading.objects.filter(pk=r.pk).update(state=Reading.SUBMITTED)
    response = client_for("approver").post(reverse("indicators:approval_row", args=[r.pk]), {"approve_one": r.pk})
    assert response.status_code == 302
    assert _reading(world).state == Reading.SUBMITTED
    with pytest.raises(services.WorkflowRefused, match="which version"):
        services.readings_approve(items=[(r.pk, None)], user=world.approver)


# --- Finding 1: progress updates ------------------------------------------------------------


def test_the_performance_team_cannot_approve_its_own_progress_update(world, client_for):
    update = plan_services.progress_update_save(
        action=world.action, user=world.performance, progress="Caseload reviewed weekly", status="in_progress",
    )
    assert update.submitted_by == world.performance
    page = client_for("performance").get(reverse("improvement_plans:approvals")).content.decode()
    assert "Caseload reviewed weekly" not in page
    response = client_for("performance").post(
        reverse("improvement_plans:update_decide", args=[update.pk]), {"decision": "approve"}
    )
    assert response.status_code == 404
    update.refresh_from_db()
    assert update.state == ProgressUpdate.SUBMITTED
    with pytest.raises(PermissionDenied, match="someone else must approve"):
        plan_services.progress_update_approve(update=update, user=world.performance)


def test_whoever_changed_a_pending_update_cannot_approve_it_after_the_lead_edits_it_again(world):
    """The performance team corrects the officer's update, the officer edits it once more: the
    performance officer still had a hand in it."""
    plan_services.progress_update_save(action=world.action, user=world.performance, progress="Corrected", status="at_risk")
    update = plan_services.progress_update_save(action=world.action, user=world.officer, progress="Mine again",
                                                status="at_risk")
    assert update.submitted_by == world.officer
    assert not policy.may_approve_update(world.performance, update)
    with pytest.raises(PermissionDenied):
        plan_services.progress_update_approve(update=update, user=world.performance)
    plan_services.progress_update_approve(update=update, user=world.approver)
    update.refresh_from_db()
    assert update.state == ProgressUpdate.APPROVED


def test_a_plan_decision_without_a_decision_changes_nothing(world, client_for):
    update = world.pending_update
    for data in ({}, {"decision": ""}, {"decision": "maybe"}):
        response = client_for("approver").post(reverse("improvement_plans:update_decide", args=[update.pk]), data,
                                               follow=True)
        assert "Choose approve or return" in response.content.decode()
        update.refresh_from_db()
        assert update.state == ProgressUpdate.SUBMITTED, data


# --- Risk reviews ---------------------------------------------------------------------------


def test_nobody_signs_off_a_risk_review_they_recorded(world):
    review = RiskReview(risk=world.risk, period=world.period, reviewed_on=date(2006, 7, 20), reviewed_by=world.performance,
                        likelihood=3, impact=3, commentary="Reviewed", next_review=date(2006, 8, 31))
    assert not policy.may_approve_risk_review(world.performance, review)
    assert not policy.may_approve_risk_review(world.risk.owner, review)
    review.reviewed_by = world.risk.owner
    assert policy.may_approve_risk_review(world.performance, review)
