"""The return's workflow: submit, approve or return with a reason; periods opened, locked and reopened."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators import services
from indicators.models import Indicator, Reading, ReadingHistory
from organisation import services as period_services
from organisation.models import AuditEvent, Period, PeriodEvent
from tests import factories

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def july(world):
    Period.objects.filter(pk=world.period.pk).update(state=Period.OPEN, deadline=date(2006, 8, 7))
    Indicator.objects.filter(pk=world.indicator.pk).update(action_plan_robust=True, tolerance_pct=10)
    Reading.objects.filter(indicator=world.indicator).update(commentary="Referrals fell", remedial_action="Review")
    world.period.refresh_from_db()
    return world.period


def reading(world, indicator=None):
    return Reading.objects.get(indicator=indicator or world.indicator, period=world.period)


def submitted(world, indicator=None):
    r = reading(world, indicator)
    Reading.objects.filter(pk=r.pk).update(state=Reading.SUBMITTED)
    r.refresh_from_db()
    return r


def test_officer_submits_their_return_and_the_history_says_so(july, world, client_for):
    response = client_for("officer").post(reverse("indicators:return_submit", args=[july.pk]))
    assert response.status_code == 302
    assert reading(world).state == Reading.SUBMITTED
    entry = ReadingHistory.objects.get()
    assert (entry.how, entry.changes, entry.by) == ("submit", {"state": ["draft", "submitted"]}, world.officer)


def test_a_return_with_an_unexplained_red_figure_cannot_be_submitted(july, world, client_for):
    Reading.objects.filter(indicator=world.indicator).update(commentary="", remedial_action="")
    response = client_for("officer").post(reverse("indicators:return_submit", args=[july.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "CH141: explain the Amber or Red status and the remedial action" in body
    assert reading(world).state == Reading.DRAFT
    assert not ReadingHistory.objects.exists()


def test_a_figure_not_yet_entered_holds_the_return_back(july, world, client_for):
    factories.indicator("CH999", lead=world.officer, directorate=world.cyps)
    response = client_for("officer").post(reverse("indicators:return_submit", args=[july.pk]))
    assert "CH999: enter the figure, or say in the commentary why it is not yet available" in response.content.decode()
    assert reading(world).state == Reading.DRAFT


def test_approver_sees_their_directorates_submitted_figures_only(july, world, client_for, django_assert_num_queries):
    submitted(world)
    factories.reading(world.other_indicator, "2006-07", 7, state=Reading.SUBMITTED)
    client = client_for("approver")
    client.get(reverse("home"))
    with django_assert_num_queries(8):
        page = client.get(reverse("indicators:approvals")).content.decode()
    assert "CH141" in page and "AS01" not in page
    assert "1 figure submitted" in page


def test_approver_finds_figures_submitted_in_a_period_already_closed(world, client_for):
    submitted(world)  # July is closed in the personas' world, and no period is open
    page = client_for("approver").get(reverse("indicators:approvals")).content.decode()
    assert "July 2006" in page and "CH141" in page


def test_approver_approves_one_row_with_htmx_and_history_records_the_approval(july, world, client_for):
    r = submitted(world)
    response = client_for("approver").post(
        reverse("indicators:approval_row", args=[r.pk]), {"approve_one": r.pk, f"version-{r.pk}": r.version}, **HTMX
    )
    assert response.status_code == 200
    assert "Approved" in response.content.decode()
    assert reading(world).state == Reading.APPROVED
    entry = ReadingHistory.objects.get()
    assert (entry.how, entry.by, entry.changes) == ("approval", world.approver, {"state": ["submitted", "approved"]})
    assert AuditEvent.objects.filter(action="readings_approval", user=world.approver).exists()


def test_approver_returns_a_figure_with_a_reason_and_the_officer_sees_it(july, world, client_for):
    r = submitted(world)
    client_for("approver").post(
        reverse("indicators:approvals") + f"?period={july.pk}",
        {"return_one": r.pk, f"reason-{r.pk}": "Check against the CIN census", f"version-{r.pk}": r.version},
    )
    r.refresh_from_db()
    assert (r.state, r.return_reason) == (Reading.RETURNED, "Check against the CIN census")
    assert ReadingHistory.objects.get().how == "return"
    page = client_for("officer").get(reverse("indicators:updates")).content.decode()
    assert "Returned by the approver: Check against the CIN census" in page


def test_returning_without_a_reason_is_refused(july, world, client_for):
    r = submitted(world)
    response = client_for("approver").post(
        reverse("indicators:approvals") + f"?period={july.pk}",
        {"reading": [r.pk], "action": "return", f"reason-{r.pk}": "", f"version-{r.pk}": r.version},
    )
    assert "Say why CH141 is being returned" in response.content.decode()
    assert reading(world).state == Reading.SUBMITTED
    assert not ReadingHistory.objects.exists()


def test_approver_approves_several_figures_together(july, world, client_for):
    second = factories.indicator("CH142", lead=world.officer, directorate=world.cyps)
    factories.reading(second, "2006-07", 5, state=Reading.SUBMITTED)
    r = submitted(world)
    response = client_for("approver").post(
        reverse("indicators:approvals") + f"?period={july.pk}",
        {"reading": [r.pk, reading(world, second).pk], "action": "approve", f"version-{r.pk}": r.version,
         f"version-{reading(world, second).pk}": reading(world, second).version},
    )
    assert response.status_code == 302
    assert set(Reading.objects.values_list("state", flat=True)) == {Reading.APPROVED}
    assert ReadingHistory.objects.filter(how="approval").count() == 2


def test_approver_cannot_approve_another_directorates_figure(july, world, client_for):
    other = factories.reading(world.other_indicator, "2006-07", 7, state=Reading.SUBMITTED)
    response = client_for("approver").post(reverse("indicators:approval_row", args=[other.pk]), {"approve_one": other.pk})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.state == Reading.SUBMITTED
    assert not ReadingHistory.objects.exists()


def test_nobody_signs_off_a_figure_they_entered_as_its_lead(july, world, client_for):
    r = submitted(world)
    url = reverse("indicators:approvals") + f"?period={july.pk}"
    assert world.indicator.code in client_for("approver").get(url).content.decode()
    Indicator.objects.filter(pk=world.indicator.pk).update(lead=world.approver)
    page = client_for("approver").get(reverse("indicators:approvals") + f"?period={july.pk}").content.decode()
    assert world.indicator.code not in page
    response = client_for("approver").post(
        reverse("indicators:approval_row", args=[r.pk]), {"approve_one": r.pk, f"version-{r.pk}": r.version}
    )
    assert response.status_code == 404
    assert reading(world).state == Reading.SUBMITTED
    assert not ReadingHistory.objects.exists()


def test_an_approval_from_a_stale_page_is_refused(july, world, client_for):
    r = submitted(world)
    seen = r.version
    services.reading_enter(
        indicator=world.indicator, period=july, user=world.officer, values={"actual": Decimal("230")},
        expected_version=seen, how="form", current=r,
    )
    client_for("approver").post(
        reverse("indicators:approval_row", args=[r.pk]), {"approve_one": r.pk, f"version-{r.pk}": seen}
    )
    assert reading(world).state == Reading.DRAFT  # the officer's change sent it back; the approval did not land


# --- Periods --------------------------------------------------------------------------------


def test_locking_and_reopening_a_period_are_recorded_with_the_reason(world):
    period = period_services.period_open(period=world.period, user=world.performance, deadline=date(2006, 8, 7))
    period_services.period_lock(period=period, user=world.performance)
    with pytest.raises(period_services.PeriodRefused):
        period_services.period_reopen(period=period, user=world.performance, reason="  ")
    period_services.period_reopen(period=period, user=world.performance, reason="Late CIN correction")
    assert Period.objects.get(pk=period.pk).state == Period.OPEN
    assert list(PeriodEvent.objects.order_by("id").values_list("action", "reason")) == [
        ("opened", ""), ("locked", ""), ("reopened", "Late CIN correction"),
    ]
    assert AuditEvent.objects.filter(action="period_reopened", summary__contains="Late CIN correction").exists()


def test_performance_team_opens_sets_the_deadline_and_locks_a_period_in_the_browser(world, client_for):
    client = client_for("performance")
    response = client.post(reverse("indicators:period_open"), {"key": "2006-08", "deadline": "2006-09-07"})
    august = Period.objects.get(key="2006-08")
    assert response.status_code == 302 and august.state == Period.OPEN and august.deadline == date(2006, 9, 7)
    client.post(reverse("indicators:period_manage", args=[august.pk]), {"action": "deadline", "deadline": "8/9/2006"})
    client.post(reverse("indicators:period_manage", args=[august.pk]),
                {"action": "lock", "confirm": "on", "lock_reason": "No August figures are collected."})
    august.refresh_from_db()
    assert (august.state, august.deadline) == (Period.LOCKED, date(2006, 9, 8))
    page = client.get(reverse("indicators:period_manage", args=[august.pk])).content.decode()
    assert "Reopen August 2006" in page and "Locked" in page


def test_reopening_in_the_browser_needs_a_reason(world, client_for):
    Period.objects.filter(pk=world.period.pk).update(state=Period.LOCKED)
    response = client_for("performance").post(
        reverse("indicators:period_manage", args=[world.period.pk]), {"action": "reopen", "reason": ""}
    )
    assert "Give the reason" in response.content.decode()
    assert Period.objects.get(pk=world.period.pk).state == Period.LOCKED
    assert not PeriodEvent.objects.exists()


def test_the_returns_page_shows_every_return_by_directorate(july, world, client_for, django_assert_num_queries):
    submitted(world)
    client = client_for("performance")
    client.get(reverse("home"))
    with django_assert_num_queries(7):
        page = client.get(reverse("indicators:returns")).content.decode()
    assert "Children and Young People" in page and "Adult and Community Services" in page
    assert "Submitted" in page and "Not started" in page


# --- A locked period refuses writes through every path -------------------------------------


@pytest.fixture
def locked(july, world):
    Period.objects.filter(pk=july.pk).update(state=Period.LOCKED)
    july.refresh_from_db()
    return july


def _unchanged(world):
    assert reading(world).actual == Decimal("196")
    assert not ReadingHistory.objects.exists()


def test_a_locked_period_refuses_the_whole_page_form(locked, world, client_for):
    p = f"r{world.indicator.pk}-"
    for role in ("officer", "performance"):
        response = client_for(role).post(
            reverse("indicators:updates"), {"period": locked.pk, p + "actual": "1", p + "version": "1", "save_all": "1"}
        )
        assert response.status_code == 302
    _unchanged(world)


def test_a_locked_period_refuses_the_htmx_row(locked, world, client_for):
    p = f"r{world.indicator.pk}-"
    response = client_for("performance").post(
        reverse("indicators:update_row", args=[locked.pk, world.indicator.pk]), {p + "actual": "1", p + "version": "1"}, **HTMX
    )
    assert "is locked" in response.content.decode()
    _unchanged(world)


def test_a_locked_period_refuses_approval_and_submission(locked, world, client_for):
    r = submitted(world)
    client_for("approver").post(reverse("indicators:approval_row", args=[r.pk]), {"approve_one": r.pk})
    client_for("officer").post(reverse("indicators:return_submit", args=[locked.pk]))
    assert reading(world).state == Reading.SUBMITTED
    assert not ReadingHistory.objects.exists()


def test_a_locked_period_refuses_the_admin(locked, world, client_for):
    r = reading(world)
    url = reverse("admin:indicators_reading_change", args=[r.pk])
    response = client_for("admin").post(url, {"actual": "1", "seen_version": r.version})
    assert response.status_code == 403
    _unchanged(world)


def test_the_admin_saves_a_reading_through_the_service_with_history(july, world, client_for):
    r = reading(world)
    url = reverse("admin:indicators_reading_change", args=[r.pk])
    response = client_for("admin").post(url, {
        "actual": "201", "commentary": r.commentary, "remedial_action": r.remedial_action, "data_quality": "",
        "status_override": "", "status_reason": "", "seen_version": r.version,
    })
    assert response.status_code == 302
    assert reading(world).actual == Decimal("201")
    assert ReadingHistory.objects.get().how == "admin"


def test_reading_history_cannot_be_changed_or_deleted_in_the_admin(july, world, client_for):
    services.reading_save(indicator=world.indicator, period=july, user=world.officer, values={"actual": Decimal("1")},
                          expected_version=1, how="form")
    entry = ReadingHistory.objects.get()
    client = client_for("admin")
    assert client.post(reverse("admin:indicators_readinghistory_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert client.post(reverse("admin:indicators_readinghistory_change", args=[entry.pk]), {"how": "demo"}).status_code == 403
    assert ReadingHistory.objects.get().how == "form"


def test_the_indicator_page_lists_the_submission_and_the_approval(july, world, client_for):
    before = client_for("performance").get(reverse("indicators:detail", args=[world.indicator.pk])).content.decode()
    assert ">Approval<" not in before and ">Submit<" not in before
    client_for("officer").post(reverse("indicators:return_submit", args=[july.pk]))
    r = reading(world)
    client_for("approver").post(reverse("indicators:approval_row", args=[r.pk]),
                                {"approve_one": r.pk, f"version-{r.pk}": r.version})
    page = client_for("performance").get(reverse("indicators:detail", args=[world.indicator.pk])).content.decode()
    assert ">Submit<" in page and ">Approval<" in page
    assert "State from submitted to approved" in page
