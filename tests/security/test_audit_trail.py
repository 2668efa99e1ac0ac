"""The audit log answers "who did that?" for the actions that matter, each recorded with the change itself."""

from __future__ import annotations

import pytest
from django.urls import reverse

from organisation.models import AuditEvent, Period
from reports import services as report_services
from tests.reports.factories import keep_fake_pdf

HTMX = {"HTTP_HX_REQUEST": "true"}


def _actions(since=0):
    return list(AuditEvent.objects.filter(pk__gt=since).order_by("pk").values_list("username", "action"))


def _last_pk():
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.fixture
def july(world):
    Period.objects.filter(pk=world.period.pk).update(state=Period.OPEN)
    world.period.refresh_from_db()
    return world


def _row(w, actual):
    from indicators.models import Reading

    r = Reading.objects.get(indicator=w.indicator, period=w.period)
    p = f"r{w.indicator.pk}-"
    return {p + "actual": actual, p + "commentary": "Rising", p + "remedial_action": "Weekly review",
            p + "data_quality": "", p + "status_override": "", p + "status_reason": "", p + "version": str(r.version)}


def test_a_figure_saved_submitted_approved_and_returned_is_recorded_at_each_step(july, client_for):
    officer, approver = client_for("officer"), client_for("approver")
    since = _last_pk()
    officer.post(reverse("indicators:update_row", args=[july.period.pk, july.indicator.pk]), _row(july, "230"), **HTMX)
    officer.post(reverse("indicators:return_submit", args=[july.period.pk]))
    from indicators.models import Reading

    reading = Reading.objects.get(indicator=july.indicator, period=july.period)
    approver.post(reverse("indicators:approval_row", args=[reading.pk]),
                  {"approve_one": "1", f"version-{reading.pk}": reading.version})
    reading.refresh_from_db()
    approver.post(reverse("indicators:approval_row", args=[reading.pk]),
                  {"return_one": "1", f"reason-{reading.pk}": "Check the source", f"version-{reading.pk}": reading.version})
    assert _actions(since) == [
        ("officer", "reading_saved"), ("officer", "readings_submit"),
        ("approver", "readings_approval"), ("approver", "readings_return"),
    ]
    saved = AuditEvent.objects.get(pk__gt=since, action="reading_saved")
    assert saved.summary.startswith("CH141 2006-07 (htmx): actual 196 -> 230")
    assert saved.object_type == "indicators.Reading" and saved.object_id == str(reading.pk)


def test_locking_and_reopening_a_period_is_recorded_with_the_reason(july, client_for):
    team = client_for("performance")
    since = _last_pk()
    team.post(reverse("indicators:period_manage", args=[july.period.pk]),
              {"action": "lock", "confirm": "on", "lock_reason": "Cabinet papers are due"})
    team.post(reverse("indicators:period_manage", args=[july.period.pk]), {"action": "reopen", "reason": "Late data"})
    assert _actions(since) == [("performance", "period_locked"), ("performance", "period_reopened")]
    assert AuditEvent.objects.get(action="period_reopened").summary == "July 2006 reopened: Late data"


def test_publishing_and_every_download_of_a_report_is_recorded(world, client_for):
    since = _last_pk()
    version = report_services.report_publish(user=world.performance, report=world.report, note="")
    keep_fake_pdf(version)
    member = client_for("member")
    kwargs = {"pk": world.report.pk, "number": version.number}
    member.get(reverse("reports:pdf", kwargs={**kwargs, "part": "report"}))
    member.get(reverse("reports:csv", kwargs={**kwargs, "table": "A1"}))
    member.get(reverse("reports:json", kwargs=kwargs))
    assert [a for a in _actions(since) if a[1] != "signed_in"] == [
        ("performance", "report_published"), ("member", "report_exported"), ("member", "report_exported"),
        ("member", "report_exported"),
    ]


def test_draft_report_edits_are_recorded(world, client_for):
    since = _last_pk()
    client_for("performance").post(reverse("reports:paragraph", kwargs={"pk": world.report.pk, "number": 1}),
                                   {"action": "save", "text": "Our own words", "heading": ""})
    assert ("performance", "report_paragraph_edited") in _actions(since)


def test_plan_pdfs_and_reading_exports_are_recorded(world, client_for):
    team = client_for("performance")
    since = _last_pk()
    team.get(reverse("improvement_plans:plan_pdf", args=[world.plan.pk]))
    team.get(reverse("indicators:readings_export"), {"start": "2006-04", "end": "2006-07", "format": "csv"})
    team.get(reverse("organisation:audit_export"))
    assert [a for a in _actions(since) if a[1] != "signed_in"] == [
        ("performance", "plan_exported"), ("performance", "readings_exported"), ("performance", "audit_exported"),
    ]


def test_a_refused_change_leaves_no_audit_event(july, client_for):
    client = client_for("other_officer")
    since = _last_pk()
    client.post(reverse("indicators:update_row", args=[july.period.pk, july.indicator.pk]), _row(july, "1"), **HTMX)
    assert _actions(since) == []


def test_a_change_and_its_audit_event_are_written_together_or_not_at_all(world):
    """If recording the event fails, the figure and its history are not changed either (one transaction)."""
    from indicators import services
    from indicators.models import Reading
    from tests.security.snapshot import nothing_written
    from tests.security.test_history import Killed, dies_after

    reading = Reading.objects.get(indicator=world.indicator, period=world.period)
    with nothing_written(), dies_after(AuditEvent, 0), pytest.raises(Killed):
        services.reading_save(indicator=world.indicator, period=world.period, user=world.officer,
                              values={"actual": 1}, expected_version=reading.version, how="form")
