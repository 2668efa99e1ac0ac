"""Object-level refusals the role-by-URL walk cannot see: the right role, the wrong object.

Each case POSTs what the rightful person would post (so the same request by them does write, the
positive control), as someone who holds the role but not the object: an officer of another
directorate, an approver of another directorate. The answer is 404 and not one table changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import reverse

from budgets.models import RevenueLine
from improvement_plans.models import ProgressUpdate
from indicators.models import Reading
from organisation.models import Period
from risks.models import Mitigation, RiskReview
from tests.security.snapshot import nothing_written, state

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def july(world):
    """July 2006 open for updates; the officer's CH141 reading (196) is submitted for approval."""
    Period.objects.filter(pk=world.period.pk).update(state=Period.OPEN)
    Reading.objects.filter(indicator=world.indicator, period=world.period).update(state=Reading.SUBMITTED)
    world.period.refresh_from_db()
    return world


def _reading(w):
    return Reading.objects.get(indicator=w.indicator, period=w.period)


def _row(w, actual="230"):
    p = f"r{w.indicator.pk}-"
    return {p + "actual": actual, p + "commentary": "Hijacked", p + "remedial_action": "Weekly review", p + "data_quality": "",
            p + "status_override": "", p + "status_reason": "", p + "version": str(_reading(w).version)}


def _review(_w):
    return {"reviewed_on": date(2006, 7, 20).isoformat(), "likelihood": "1", "impact": "1",
            "commentary": "Not my risk", "next_review": date(2006, 8, 31).isoformat()}


def _risk_edit(w):
    from risks.forms import RiskForm

    form = RiskForm(instance=w.risk, user=w.officer)
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = "" if value is None else (field.widget.format_value(value) or "")
    data["title"] = "Renamed by someone who does not own it"
    return data


@dataclass
class Case:
    route: str
    kwargs: Callable
    data: Callable
    intruders: tuple
    rightful: str
    htmx: bool = False
    query: str = ""


CASES = {
    "save a figure they do not lead (htmx)": Case(
        "indicators:update_row", lambda w: {"period_id": w.period.pk, "indicator_id": w.indicator.pk}, _row,
        ("other_officer", "approver", "other_approver", "member"), "officer", htmx=True),
    "save a figure they do not lead (no JavaScript)": Case(
        "indicators:update_row", lambda w: {"period_id": w.period.pk, "indicator_id": w.indicator.pk}, _row,
        ("other_officer", "approver", "other_approver"), "officer"),
    "save another officer's figures by naming them": Case(
        "indicators:updates", lambda w: {}, lambda w: {"period": w.period.pk, "save_all": "1", **_row(w)},
        ("other_officer", "approver", "other_approver"), "performance", query="?officer=officer"),
    "approve another directorate's figure (row)": Case(
        "indicators:approval_row", lambda w: {"reading_id": _reading(w).pk},
        lambda w: {"approve_one": "1", f"version-{_reading(w).pk}": str(_reading(w).version)},
        ("other_approver", "officer", "other_officer"), "approver"),
    "approve another directorate's figure (page)": Case(
        "indicators:approvals", lambda w: {},
        lambda w: {"period": w.period.pk, "reading": _reading(w).pk, "action": "approve",
                   f"version-{_reading(w).pk}": str(_reading(w).version)},
        ("other_approver", "officer", "other_officer"), "approver"),
    "return another directorate's figure": Case(
        "indicators:approval_row", lambda w: {"reading_id": _reading(w).pk},
        lambda w: {"return_one": "1", f"reason-{_reading(w).pk}": "Wrong", f"version-{_reading(w).pk}": str(_reading(w).version)},
        ("other_approver",), "approver", htmx=True),
    "lock the period": Case(
        "indicators:period_manage", lambda w: {"period_id": w.period.pk},
        lambda w: {"action": "lock", "confirm": "on", "lock_reason": "Cabinet papers are due"},
        ("officer", "approver", "other_approver"), "performance"),
    "update an action they do not lead": Case(
        "improvement_plans:action_update", lambda w: {"pk": w.action.pk},
        lambda w: {"progress": "Done, says someone else", "status": "achieved", "by_when": "April 2006", "version": ""},
        ("other_officer", "approver", "other_approver"), "officer", htmx=True),
    "approve another directorate's plan update": Case(
        "improvement_plans:update_decide", lambda w: {"pk": w.pending_update.pk}, lambda w: {"decision": "approve"},
        ("other_approver", "officer"), "approver"),
    "set an element's status": Case(
        "improvement_plans:element_status", lambda w: {"pk": w.element.pk},
        lambda w: {"as_at": "2006-10-20", "status": "G", "commentary": ""}, ("officer", "approver"), "performance"),
    "review a risk they do not own": Case(
        "risks:review", lambda w: {"pk": w.risk.pk}, _review, ("other_officer", "approver", "other_approver"), "officer"),
    "edit a risk they do not own": Case(
        "risks:edit", lambda w: {"pk": w.risk.pk}, _risk_edit, ("other_officer", "approver"), "officer"),
    "add a control to a risk they do not own": Case(
        "risks:mitigation_add", lambda w: {"pk": w.risk.pk},
        lambda w: {"mitigation-kind": "control", "mitigation-description": "Planted", "mitigation-owner_role": "x"},
        ("other_officer", "approver"), "officer", htmx=True),
    "take their own risk off the register": Case(
        "risks:remove", lambda w: {"pk": w.risk.pk}, lambda w: {"reason": "Gone"}, ("officer",), "performance"),
    "change a budget line": Case(
        "budgets:revenue_line", lambda w: {"pk": w.revenue_line.pk},
        lambda w: {"original_budget": "1", "current_budget": "1", "forecast_outturn": "1", "commentary": "x"},
        ("officer", "approver"), "performance"),
    "edit a report paragraph": Case(
        "reports:paragraph", lambda w: {"pk": w.report.pk, "number": 1},
        lambda w: {"action": "save", "text": "Rewritten by an officer", "heading": ""}, ("officer", "approver"), "performance"),
    "publish a report": Case(
        "reports:publish", lambda w: {"pk": w.report.pk},
        lambda w: {"note": "Published by an approver", "confirm": "on", "token": "a-token-from-the-publish-form"},
        ("officer", "approver", "member"), "performance"),
}


def _post(client, case, world):
    extra = HTMX if case.htmx else {}
    return client.post(reverse(case.route, kwargs=case.kwargs(world)) + case.query, case.data(world), **extra)


@pytest.mark.parametrize("what", list(CASES))
def test_the_wrong_person_gets_404_and_nothing_is_written(what, july, client_for):
    case = CASES[what]
    for role in case.intruders:
        client = client_for(role)  # signing in is itself recorded, so before the snapshot
        with nothing_written():
            response = _post(client, case, july)
        assert response.status_code == 404, f"{role} could {what}"


@pytest.mark.parametrize("what", list(CASES))
def test_the_same_request_by_the_rightful_person_is_written(what, july, client_for):
    """The control: without it the refusals above could pass because the request was never valid."""
    case = CASES[what]
    client = client_for(case.rightful)
    before = state()
    response = _post(client, case, july)
    assert response.status_code in (200, 302), response.content.decode()[:2000]
    assert state() != before, f"{case.rightful} could not {what}: the request itself is wrong"


def test_an_officer_cannot_slip_another_officers_row_into_the_whole_page_save(july, client_for):
    data = {"period": july.period.pk, "save_all": "1", **_row(july)}
    client = client_for("other_officer")
    with nothing_written():
        client.post(reverse("indicators:updates"), data)
    assert _reading(july).actual == 196


def test_submitting_my_return_never_touches_another_officers_figures(july, client_for):
    Reading.objects.filter(pk=_reading(july).pk).update(state=Reading.DRAFT)
    client = client_for("other_officer")
    with nothing_written():
        client.post(reverse("indicators:return_submit", args=[july.period.pk]))
    assert _reading(july).state == Reading.DRAFT


def test_an_approver_cannot_approve_their_own_plan_update(july, client_for):
    ProgressUpdate.objects.filter(pk=july.pending_update.pk).update(submitted_by=july.approver)
    client = client_for("approver")
    with nothing_written():
        response = client.post(
            reverse("improvement_plans:update_decide", args=[july.pending_update.pk]), {"decision": "approve"})
    assert response.status_code == 404


def test_what_the_refusals_protect_is_still_as_it_was(july, client_for):
    """Spot-check the objects themselves after every intruder has tried."""
    for case in CASES.values():
        for role in case.intruders:
            _post(client_for(role), case, july)
    assert _reading(july).actual == 196 and _reading(july).state == Reading.SUBMITTED
    assert RiskReview.objects.filter(risk=july.risk).count() == 1
    assert not Mitigation.objects.exists()
    assert RevenueLine.objects.get(pk=july.revenue_line.pk).current_budget == july.revenue_line.current_budget
    assert ProgressUpdate.objects.get(pk=july.pending_update.pk).state == ProgressUpdate.SUBMITTED
