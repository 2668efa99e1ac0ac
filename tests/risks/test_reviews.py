"""A risk owner reviews their own risks in the browser; nobody else but the performance team may."""

from datetime import date

import pytest
from django.urls import reverse

from organisation.models import AuditEvent, Period
from risks.models import Mitigation, RatingBand, Risk, RiskReview


def review_data(**changes):
    data = {
        "reviewed_on": "2006-07-20", "likelihood": "3", "impact": "5",
        "commentary": "DfES accepts our safeguarding systems are adequate.",
        "mitigation_progress": "Agency staff in post.", "next_review": "2006-08-31",
    }
    data.update(changes)
    return data


def test_the_owner_reviews_their_risk_and_the_history_grows(world, client_for, django_assert_num_queries):
    client = client_for("officer")
    url = reverse("risks:review", args=[world.risk.pk])
    client.get(url)
    with django_assert_num_queries(18):  # 16, the month's earlier review read for the audit log, the recorder kept as a hand
        response = client.post(url, review_data())
    assert response.status_code == 302
    risk = Risk.objects.get(pk=world.risk.pk)
    assert (risk.current_likelihood, risk.current_impact, risk.next_review) == (3, 5, date(2006, 8, 31))
    reviews = list(risk.reviews.order_by("reviewed_on"))
    assert [(r.period.key, r.score) for r in reviews] == [("2006-04", 12), ("2006-07", 15)]
    assert reviews[-1].reviewed_by == world.officer
    assert AuditEvent.objects.filter(action="risk_reviewed", object_id=str(risk.pk)).count() == 1
    page = client.get(reverse("risks:detail", args=[risk.pk])).content.decode()
    assert "DfES accepts our safeguarding systems are adequate." in page


@pytest.mark.parametrize("role", ["other_officer", "approver", "other_approver"])
def test_nobody_else_may_review_an_officers_risk_and_nothing_is_written(world, client_for, role):
    response = client_for(role).post(reverse("risks:review", args=[world.risk.pk]), review_data())
    assert response.status_code == 404
    assert RiskReview.objects.filter(risk=world.risk).count() == 1
    assert not AuditEvent.objects.filter(action="risk_reviewed").exists()
    assert Risk.objects.get(pk=world.risk.pk).current_impact == 4


def test_the_performance_team_may_review_any_risk(world, client_for):
    response = client_for("performance").post(reverse("risks:review", args=[world.other_risk.pk]), review_data())
    assert response.status_code == 302
    assert world.other_risk.reviews.count() == 2


def test_a_second_review_in_the_same_month_corrects_the_first(world, client_for):
    client = client_for("officer")
    url = reverse("risks:review", args=[world.risk.pk])
    client.post(url, review_data())
    client.post(url, review_data(reviewed_on="2006-07-25", likelihood="2", commentary="Corrected"))
    july = RiskReview.objects.get(risk=world.risk, period__key="2006-07")
    assert (july.likelihood, july.commentary, july.reviewed_on) == (2, "Corrected", date(2006, 7, 25))
    assert world.risk.reviews.count() == 2


def test_a_review_for_a_locked_period_is_refused_and_nothing_is_written(world, client_for):
    Period.objects.filter(key="2006-07").update(state=Period.LOCKED)
    response = client_for("officer").post(reverse("risks:review", args=[world.risk.pk]), review_data())
    assert response.status_code == 200
    assert "July 2006 is locked" in response.content.decode()
    assert world.risk.reviews.count() == 1


def test_a_next_review_before_this_review_is_refused_with_the_field_named(world, client_for):
    response = client_for("officer").post(
        reverse("risks:review", args=[world.risk.pk]), review_data(next_review="2006-07-01")
    )
    html = response.content.decode()
    assert "There is a problem" in html and "The next review must be after this one." in html
    assert world.risk.reviews.count() == 1


def test_a_review_in_the_future_is_refused(world, client_for):
    response = client_for("officer").post(
        reverse("risks:review", args=[world.risk.pk]), review_data(reviewed_on="2999-01-01", next_review="2999-02-01")
    )
    assert "cannot be in the future" in response.content.decode()
    assert world.risk.reviews.count() == 1


def test_the_score_preview_is_a_partial_saying_the_score_and_band(world, client_for):
    url = reverse("risks:review", args=[world.risk.pk]) + "?likelihood=4&impact=4"
    response = client_for("officer").get(url, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Score 16" in html and "Very high" in html
    assert "<html" not in html


def test_with_htmx_a_good_review_redirects_the_browser_to_the_risk(world, client_for):
    response = client_for("officer").post(
        reverse("risks:review", args=[world.risk.pk]), review_data(), headers={"HX-Request": "true"}
    )
    assert response["HX-Redirect"] == reverse("risks:detail", args=[world.risk.pk])
    assert world.risk.reviews.count() == 2


def test_with_htmx_a_bad_review_swaps_only_the_form_with_its_errors(world, client_for):
    response = client_for("officer").post(
        reverse("risks:review", args=[world.risk.pk]), review_data(commentary=""), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert 'id="review-form"' in html and "There is a problem" in html and "<html" not in html


def test_actions_ticked_as_completed_are_marked_done_on_the_review_date(world, client_for):
    action = Mitigation.objects.create(risk=world.risk, kind=Mitigation.ACTION, description="Recruit", due=date(2006, 9, 1))
    client_for("officer").post(reverse("risks:review", args=[world.risk.pk]), review_data(completed=[action.pk]))
    action.refresh_from_db()
    assert action.completed_on == date(2006, 7, 20)


def test_the_owner_adds_a_mitigating_action_with_htmx(world, client_for):
    response = client_for("officer").post(
        reverse("risks:mitigation_add", args=[world.risk.pk]),
        {"mitigation-kind": "action", "mitigation-description": "Market supplement for social workers",
         "mitigation-owner_role": "HoHR", "mitigation-due": "2006-10-31"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert 'id="mitigations"' in html and "Market supplement for social workers" in html and "<html" not in html
    assert world.risk.mitigations.get().due == date(2006, 10, 31)


def test_a_mitigating_action_needs_a_date_and_an_owner(world, client_for):
    response = client_for("officer").post(
        reverse("risks:mitigation_add", args=[world.risk.pk]),
        {"mitigation-kind": "action", "mitigation-description": "Something"},
    )
    html = response.content.decode()
    assert "A mitigating action needs a date" in html and "Name who owns this" in html
    assert not world.risk.mitigations.exists()


def test_another_officer_cannot_add_to_a_risk_they_do_not_own(world, client_for):
    response = client_for("other_officer").post(
        reverse("risks:mitigation_add", args=[world.risk.pk]),
        {"mitigation-kind": "control", "mitigation-description": "Sneaky", "mitigation-owner_role": "X"},
    )
    assert response.status_code == 404
    assert not world.risk.mitigations.exists()


def test_an_owner_cannot_hand_their_risk_to_someone_else(world, client_for):
    client = client_for("officer")
    url = reverse("risks:edit", args=[world.risk.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data.update(title="Safeguarding children", owner=world.other_officer.pk, reference="HACK",
                indicators=[], description="")
    data = {k: ("" if v is None else v) for k, v in data.items()}
    response = client.post(url, data)
    assert response.status_code == 302
    risk = Risk.objects.get(pk=world.risk.pk)
    assert (risk.title, risk.owner, risk.reference) == ("Safeguarding children", world.officer, "CR01")


def test_the_performance_team_adds_a_risk_with_its_first_assessment(world, client_for):
    response = client_for("performance").post(reverse("risks:create"), {
        "reference": "CR10", "title": "Herefordshire Connects benefits", "description": "",
        "category": world.finance_category.pk, "owner": world.other_officer.pk,
        "inherent_likelihood": 4, "inherent_impact": 5, "current_likelihood": 2, "current_impact": 4,
        "target_likelihood": 2, "target_impact": 3, "identified_on": "2006-05-15", "next_review": "2006-06-30",
    })
    assert response.status_code == 302
    risk = Risk.objects.get(reference="CR10")
    assert [(r.period.key, r.score) for r in risk.reviews.all()] == [("2006-05", 8)]


def test_removing_a_risk_keeps_it_and_says_why(world, client_for):
    response = client_for("performance").post(reverse("risks:remove", args=[world.other_risk.pk]), {"reason": "Merged"})
    assert response.status_code == 302
    removed = Risk.all_objects.get(pk=world.other_risk.pk)
    assert removed.deleted_at is not None and removed.deleted_reason == "Merged"
    assert client_for("performance").get(reverse("risks:detail", args=[removed.pk])).status_code == 404


def test_bands_that_leave_a_gap_are_refused_and_the_old_bands_kept(world, client_for):
    bands = list(RatingBand.objects.order_by("min_score"))
    data = {"bands-TOTAL_FORMS": "5", "bands-INITIAL_FORMS": "4", "bands-MIN_NUM_FORMS": "0",
            "bands-MAX_NUM_FORMS": "1000", "save_bands": "1"}
    for n, band in enumerate(bands):
        data.update({f"bands-{n}-id": band.pk, f"bands-{n}-name": band.name, f"bands-{n}-min_score": band.min_score,
                     f"bands-{n}-max_score": band.max_score, f"bands-{n}-css": band.css})
    data["bands-4-css"] = "low"  # the blank row as a browser sends it: its select has a value
    data["bands-1-max_score"] = 7  # leaves 8 uncovered
    response = client_for("performance").post(reverse("risks:settings"), data)
    assert "No band covers scores 8 to 8." in response.content.decode()
    assert RatingBand.objects.get(name="Medium").max_score == 8
    data["bands-2-min_score"] = 8
    response = client_for("performance").post(reverse("risks:settings"), data)
    assert response.status_code == 302
    assert RatingBand.objects.get(name="High").min_score == 8
