"""Leads update their own actions; approvers sign the updates off; nothing reaches the plan unapproved."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from improvement_plans import services
from improvement_plans.models import ProgressUpdate


def _post(client, action, **data):
    values = {"progress": "Recruitment of qualified social workers continues", "status": "in_progress", "by_when": "April 2006"}
    values.update(data)
    return client.post(reverse("improvement_plans:action_update", args=[action.pk]), values)


def test_lead_updates_their_action_and_it_awaits_approval(world, client_for):
    world.pending_update.delete()
    response = _post(client_for("officer"), world.action)
    assert response.status_code == 302
    update = world.action.updates.get(state=ProgressUpdate.SUBMITTED)
    assert update.progress == "Recruitment of qualified social workers continues"
    world.action.refresh_from_db()
    assert world.action.progress == "Threshold criteria rolled out", "the plan changes only on approval"


def test_officer_cannot_update_an_action_they_do_not_lead_and_nothing_is_written(world, client_for):
    before = ProgressUpdate.objects.count()
    response = _post(client_for("officer"), world.other_action)
    assert response.status_code == 404
    assert ProgressUpdate.objects.count() == before


def test_a_sub_step_without_its_own_lead_is_led_by_its_parents_lead(world, client_for):
    assert _post(client_for("officer"), world.sub_step, status="achieved").status_code == 302
    assert _post(client_for("other_officer"), world.sub_step).status_code == 404
    assert world.sub_step.updates.filter(submitted_by=world.officer).exists()


def test_performance_team_updates_any_action(world, client_for):
    assert _post(client_for("performance"), world.other_action).status_code == 302
    assert world.other_action.updates.filter(submitted_by=world.performance).exists()


def test_member_cannot_update(world, client_for):
    assert _post(client_for("member"), world.action).status_code == 404


def test_overdue_cannot_be_chosen_and_the_form_says_why(world, client_for):
    response = _post(client_for("officer"), world.action, status="overdue")
    assert response.status_code == 200
    assert "Overdue is worked out from the date" in response.content.decode()
    assert world.action.updates.get().status == "at_risk", "the pending update is unchanged"


def test_saving_again_edits_the_update_awaiting_approval(world, client_for):
    _post(client_for("officer"), world.action, progress="Second thoughts", version=str(world.pending_update.version))
    assert world.action.updates.count() == 1
    world.pending_update.refresh_from_db()
    assert (world.pending_update.progress, world.pending_update.version) == ("Second thoughts", 2)


def test_a_stale_form_does_not_overwrite_someone_elses_update(world, client_for):
    response = _post(client_for("officer"), world.action, progress="Old form", version="0")
    assert "Someone else changed the update" in response.content.decode()
    world.pending_update.refresh_from_db()
    assert world.pending_update.progress == "Duty team caseload remains high"


def test_htmx_save_returns_only_the_row(world, client_for, django_assert_max_num_queries):
    client = client_for("officer")
    with django_assert_max_num_queries(20):
        response = client.post(
            reverse("improvement_plans:action_update", args=[world.action.pk]),
            {"progress": "Caseload under constant review", "status": "at_risk", "by_when": "April 2006",
             "version": str(world.pending_update.version)},
            HTTP_HX_REQUEST="true",
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and f'id="{world.action.anchor}"' in html
    assert "awaiting approval" in html


def test_approval_puts_the_update_into_the_plan(world, client_for):
    response = client_for("approver").post(
        reverse("improvement_plans:update_decide", args=[world.pending_update.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    world.action.refresh_from_db()
    assert (world.action.progress, world.action.status) == ("Duty team caseload remains high", "at_risk")
    world.pending_update.refresh_from_db()
    assert (world.pending_update.state, world.pending_update.decided_by) == ("approved", world.approver)


def test_approver_of_another_directorate_cannot_decide_and_nothing_changes(world, client_for):
    response = client_for("other_approver").post(
        reverse("improvement_plans:update_decide", args=[world.pending_update.pk]), {"decision": "approve"}
    )
    assert response.status_code == 404
    world.pending_update.refresh_from_db()
    assert world.pending_update.state == "submitted"


def test_an_approver_never_approves_their_own_update(world):
    world.approver.profile.lead_roles.add(world.roles["DoCS"])
    world.pending_update.submitted_by = world.approver
    world.pending_update.save()
    with pytest.raises(PermissionDenied):
        services.progress_update_approve(update=world.pending_update, user=world.approver)


def test_return_needs_a_reason_and_leaves_the_plan_alone(world, client_for):
    with pytest.raises(ValidationError):
        services.progress_update_return(update=world.pending_update, user=world.approver, reason=" ")
    client_for("approver").post(
        reverse("improvement_plans:update_decide", args=[world.pending_update.pk]),
        {"decision": "return", "reason": "Say what the duty team is doing about it"},
    )
    world.pending_update.refresh_from_db()
    world.action.refresh_from_db()
    assert world.pending_update.state == "returned"
    assert world.pending_update.return_reason == "Say what the duty team is doing about it"
    assert world.action.progress == "Threshold criteria rolled out"


def test_approvals_page_lists_only_updates_the_approver_may_decide(world, client_for, django_assert_max_num_queries):
    client = client_for("approver")
    with django_assert_max_num_queries(10):
        mine = client.get(reverse("improvement_plans:approvals")).content.decode()
    other = client_for("other_approver").get(reverse("improvement_plans:approvals")).content.decode()
    assert "Duty team caseload remains high" in mine
    assert "Duty team caseload remains high" not in other
    assert "No update is waiting for you" in other


def test_update_page_shows_the_lead_only_their_actions(world, client_for):
    html = client_for("officer").get(reverse("improvement_plans:updates", args=[world.plan.pk])).content.decode()
    assert "Implementation of the JAR Performance Improvement Action Plan" in html
    assert "Adult Social Care Performance Improvement Plan" not in html
