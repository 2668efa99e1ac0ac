"""Nothing is lost: history cannot be edited or deleted, even by a superuser in the admin; things with
history are retired rather than deleted; an import that dies halfway leaves nothing behind."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

import pytest
from django.db.models import ProtectedError
from django.db.models.signals import post_save
from django.urls import reverse

from budgets import imports as budget_imports
from budgets import services as budget_services
from improvement_plans import services as plan_services
from improvement_plans.models import Action, ProgressUpdate
from indicators import services as reading_services
from indicators.models import Indicator, Reading, ReadingHistory
from organisation import services as period_services
from organisation.models import AuditEvent, Period, PeriodEvent
from risks import services as risk_services
from risks.models import Risk, RiskReview
from tests.security.snapshot import nothing_written


@pytest.fixture
def histories(world):
    """One row of every kind of history: a figure's change, a period event, an audit event, a risk review."""
    reading = Reading.objects.get(indicator=world.indicator, period=world.period)
    reading_services.reading_save(indicator=world.indicator, period=world.period, user=world.officer,
                                  values={"actual": 197}, expected_version=reading.version, how="form")
    period_services.period_lock(period=Period.get_or_create_for("2006-06"), user=world.performance)
    return {
        "indicators/readinghistory": ReadingHistory.objects.first(),
        "risks/riskreview": RiskReview.objects.filter(risk=world.risk).first(),
    }


READ_ONLY = ("indicators/readinghistory", "risks/riskreview")
NOT_IN_ADMIN = ("organisation/auditevent", "organisation/periodevent", "improvement_plans/progressupdate",
                "improvement_plans/elementassessment", "improvement_plans/documentversion",
                "reports/publishedversion", "reports/publishedpart")


@pytest.mark.parametrize("model", READ_ONLY)
def test_a_superuser_may_read_history_in_the_admin_but_not_add_change_or_delete_it(model, histories, client_for):
    admin = client_for("admin")
    entry = histories[model]
    base = f"/admin/{model}/"
    assert admin.get(base).status_code == 200
    assert admin.get(f"{base}{entry.pk}/change/").status_code == 200  # a read-only view
    with nothing_written():
        assert admin.get(f"{base}add/").status_code == 403
        assert admin.post(f"{base}add/", {}).status_code == 403
        assert admin.post(f"{base}{entry.pk}/change/", {"commentary": "rewritten", "changes": "{}"}).status_code == 403
        assert admin.get(f"{base}{entry.pk}/delete/").status_code == 403
        assert admin.post(f"{base}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
        response = admin.post(base, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"})
        assert response.status_code in (200, 302)  # the admin answers "no action selected"; nothing deleted


@pytest.mark.parametrize("model", NOT_IN_ADMIN)
def test_the_other_histories_are_not_in_the_admin_at_all(model, histories, client_for):
    assert client_for("admin").get(f"/admin/{model}/").status_code == 404


def test_audit_and_period_events_are_kept_when_their_subjects_are_asked_to_go(histories, world):
    period = Period.objects.get(key="2006-06")
    assert PeriodEvent.objects.filter(period=period).exists()
    with pytest.raises(ProtectedError):
        period.delete()
    assert AuditEvent.objects.filter(action="period_locked").exists()


def test_readings_cannot_be_added_or_deleted_in_the_admin(histories, world, client_for):
    admin = client_for("admin")
    reading = Reading.objects.get(indicator=world.indicator, period=world.period)
    with nothing_written():
        assert admin.get("/admin/indicators/reading/add/").status_code == 403
        assert admin.post(f"/admin/indicators/reading/{reading.pk}/delete/", {"post": "yes"}).status_code == 403


def test_an_indicator_with_history_cannot_be_deleted_in_the_admin_only_retired(histories, world, client_for):
    admin = client_for("admin")
    with nothing_written():
        assert admin.post(f"/admin/indicators/indicator/{world.indicator.pk}/delete/", {"post": "yes"}).status_code == 403
    response = admin.post("/admin/indicators/indicator/", {"action": "retire", "_selected_action": [world.indicator.pk]})
    assert response.status_code == 302
    assert not Indicator.objects.filter(pk=world.indicator.pk).exists()  # gone from every list
    kept = Indicator.all_objects.get(pk=world.indicator.pk)
    assert kept.deleted_at is not None
    assert Reading.objects.filter(indicator=kept).count() == 1
    assert ReadingHistory.objects.filter(reading__indicator=kept).count() == 1
    assert AuditEvent.objects.filter(action="indicator_retired", username="admin").exists()


def test_deleting_an_indicator_in_code_is_stopped_by_its_history(histories, world):
    with pytest.raises(ProtectedError):
        Indicator.all_objects.get(pk=world.indicator.pk).delete()
    assert ReadingHistory.objects.filter(reading__indicator=world.indicator).exists()


def test_a_risk_cannot_be_deleted_in_the_admin_and_removing_it_keeps_its_reviews(histories, world, client_for):
    admin = client_for("admin")
    with nothing_written():
        assert admin.post(f"/admin/risks/risk/{world.risk.pk}/delete/", {"post": "yes"}).status_code == 403
    reviews = RiskReview.objects.filter(risk=world.risk).count()
    client_for("performance").post(reverse("risks:remove", args=[world.risk.pk]), {"reason": "Merged into CR02"})
    assert not Risk.objects.filter(pk=world.risk.pk).exists()
    assert Risk.all_objects.get(pk=world.risk.pk).deleted_reason == "Merged into CR02"
    assert RiskReview.objects.filter(risk=world.risk).count() == reviews >= 1


def test_reimporting_a_plan_never_deletes_an_action_or_its_updates(world):
    """There is no way to delete an action in the app; an import only adds and updates."""
    before = (Action.objects.count(), ProgressUpdate.objects.count())
    rows = [{"_row": 2, "plan": world.plan.title, "element": "7", "element_title": "", "number": "7.9",
             "action": "A new action", "lead": "DoCS", "by_when": "March 2007", "progress": "Started",
             "partners": "", "capacity": "", "success_criteria": "", "status": "In progress"}]
    plan_services.plan_import(rows=rows, user=world.performance, source="plan.xlsx")
    assert Action.objects.count() == before[0] + 1
    assert ProgressUpdate.objects.count() == before[1] + 1
    assert Action.objects.filter(pk=world.other_action.pk).exists()


# --- Imports killed halfway -----------------------------------------------------------------


class Killed(Exception):
    """The power going off, as far as the import can tell."""


@contextmanager
def dies_after(model, saves: int):
    """Raise inside the import after it has saved `saves` rows of `model` (through Django's own signal)."""
    seen = {"n": 0}

    def kill(sender, **kwargs):
        seen["n"] += 1
        if seen["n"] > saves:
            raise Killed(f"after {saves} {model.__name__} rows")

    post_save.connect(kill, sender=model, weak=False)
    try:
        yield seen
    finally:
        post_save.disconnect(kill, sender=model)


def _plan_rows(world, n=4):
    return [{"_row": i + 2, "plan": "Corporate Improvement Plan 2007", "element": "5", "element_title": "ICT",
             "number": f"5.{i + 1}", "action": f"Action {i + 1}", "lead": "DoCS", "by_when": "June 2007",
             "progress": "Started", "partners": "", "capacity": "", "success_criteria": "", "status": "In progress"}
            for i in range(n)]


def test_a_plan_import_that_dies_after_some_actions_leaves_nothing(world):
    with nothing_written(), dies_after(Action, 2) as seen, pytest.raises(Killed):
        plan_services.plan_import(rows=_plan_rows(world), user=world.performance, source="plan.xlsx")
    assert seen["n"] == 3  # two actions (with their plan, element and updates) were written, then it died


def test_the_same_plan_import_left_alone_writes_everything(world):
    result = plan_services.plan_import(rows=_plan_rows(world), user=world.performance, source="plan.xlsx")
    assert result.actions_created == 4


def _budget_plan(world):
    revenue = [
        ["2006-08", "CYPS", "Children's social care", "1,000", "1,000", "1,050", ""],
        ["2006-09", "CYPS", "Children's social care", "1,000", "1,000", "1,060", ""],
    ]
    capital = [["2006-08", "A new scheme", "100", None, None, None, "10"],
               ["2006-08", "Another new scheme", "200", None, None, None, "20"]]
    header_r = [*budget_imports.REVENUE_COLUMNS, *budget_imports.REVENUE_OPTIONAL]
    header_c = list(budget_imports.CAPITAL_COLUMNS)
    as_rows = [
        [dict(zip(header, r, strict=True)) | {"_row": i + 2} for i, r in enumerate(rows)]
        for header, rows in ((header_r, revenue), (header_c, capital))
    ]
    return budget_imports.plan_from_rows(
        revenue_rows=as_rows[0], capital_rows=as_rows[1], directorates=[world.cyps, world.acs], locked=set(),
    )


def test_a_budget_import_that_dies_after_the_revenue_is_written_leaves_nothing(world):
    from budgets.models import CapitalScheme

    plan = _budget_plan(world)
    # Both months' revenue lines are replaced first; it dies creating the second new capital scheme.
    with nothing_written(), dies_after(CapitalScheme, 1), pytest.raises(Killed):
        budget_services.budget_import(plan=plan, by=world.performance)


def test_the_same_budget_import_left_alone_writes_everything(world):
    from budgets.models import CapitalLine, RevenueLine

    budget_services.budget_import(plan=_budget_plan(world), by=world.performance)
    assert RevenueLine.objects.filter(period__key__in=["2006-08", "2006-09"]).count() == 2
    assert CapitalLine.objects.filter(period__key="2006-08").count() == 2


def test_a_risk_review_refused_for_a_locked_month_writes_nothing(world):
    Period.objects.filter(key="2006-07").update(state=Period.LOCKED)
    with nothing_written(), pytest.raises(risk_services.RiskRefused):
        risk_services.risk_review(risk=world.risk, by=world.officer, reviewed_on=date(2006, 7, 20), likelihood=1,
                                  impact=1, commentary="Too late", next_review=date(2006, 8, 31))


def test_budget_lines_of_a_locked_period_cannot_be_changed_in_the_admin(world, client_for):
    Period.objects.filter(pk=world.revenue_line.period_id).update(state=Period.LOCKED)
    admin = client_for("admin")
    url = f"/admin/budgets/revenueline/{world.revenue_line.pk}/"
    with nothing_written():
        assert admin.get(f"{url}change/").status_code == 200  # shown read-only
        assert admin.post(f"{url}change/", {"service": "Changed", "current_budget": "1"}).status_code == 403
        assert admin.post(f"{url}delete/", {"post": "yes"}).status_code == 403
    Period.objects.filter(pk=world.revenue_line.period_id).update(state=Period.OPEN)
    assert admin.get(f"{url}delete/").status_code == 200  # an open period's line can still be corrected


def test_correcting_a_months_risk_review_keeps_what_it_said_in_the_audit_log(world, client_for):
    client = client_for("officer")
    url = reverse("risks:review", args=[world.risk.pk])
    first = {"reviewed_on": "2006-07-20", "likelihood": "3", "impact": "5", "commentary": "Caseloads high",
             "next_review": "2006-08-31"}
    client.post(url, first)
    client.post(url, {**first, "likelihood": "1", "commentary": "Nothing to see"})
    corrected = AuditEvent.objects.filter(action="risk_reviewed").latest("pk")
    assert "review corrected for July 2006" in corrected.summary
    assert "It said: reviewed 2006-07-20, likelihood 3 x impact 5" in corrected.summary
    assert corrected.summary.endswith("Caseloads high")


def test_restating_an_elements_status_for_the_same_date_keeps_the_old_words_in_the_audit_log(world):
    as_at = date(2006, 10, 12)
    plan_services.element_assess(element=world.element, user=world.performance, as_at=as_at, status="G",
                                 commentary="")
    restated = AuditEvent.objects.filter(action="plan_element_assessed").latest("pk")
    assert restated.summary.endswith("It said: A; Duty team caseload remains high\nRecruitment continues")


def test_a_publication_that_dies_halfway_leaves_no_version(world):
    from reports import services as report_services
    from reports.models import PublishedPart

    with nothing_written(), dies_after(PublishedPart, 1), pytest.raises(Killed):
        report_services.report_publish(user=world.performance, report=world.report, note="")


def test_a_lock_that_dies_before_its_event_is_kept_leaves_the_period_open(world):
    Period.objects.filter(pk=world.period.pk).update(state=Period.OPEN)
    with nothing_written(), dies_after(PeriodEvent, 0), pytest.raises(Killed):
        period_services.period_lock(period=world.period, user=world.performance)
    assert Period.objects.get(pk=world.period.pk).state == Period.OPEN


def test_an_approval_that_dies_before_it_is_recorded_approves_nothing(world):
    Reading.objects.filter(indicator=world.indicator, period=world.period).update(state=Reading.SUBMITTED)
    reading = Reading.objects.get(indicator=world.indicator, period=world.period)
    with nothing_written(), dies_after(AuditEvent, 0), pytest.raises(Killed):
        reading_services.readings_approve(items=[(reading.pk, reading.version)], user=world.approver)
    assert Reading.objects.get(pk=reading.pk).state == Reading.SUBMITTED
