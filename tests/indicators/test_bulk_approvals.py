"""Approving a return in bulk: the whole return in one action, or a selection, each row checked for a stale copy."""

import re
from datetime import date

import pytest
from django.urls import reverse

from indicators.models import Reading, ReadingHistory
from organisation.models import AuditEvent, Period
from tests import factories


@pytest.fixture
def thirty(world):
    """A 30-figure July return from the officer in Children's Services, submitted for approval."""
    Period.objects.filter(pk=world.period.pk).update(state=Period.OPEN, deadline=date(2006, 8, 11))
    Reading.objects.filter(indicator=world.indicator).delete()
    readings = []
    for n in range(30):
        ind = factories.indicator(f"CY{n:02d}", lead=world.officer, directorate=world.cyps, title=f"Measure {n}")
        readings.append(factories.reading(ind, "2006-07", 10 + n, state=Reading.SUBMITTED, updated_by=world.officer,
                                          commentary="As counted", remedial_action="None needed"))
    return readings


def _versions(readings):
    return {f"version-{r.pk}": r.version for r in Reading.objects.filter(pk__in=[r.pk for r in readings])}


def _page(client, world):
    return client.get(reverse("indicators:approvals") + f"?period={world.period.pk}").content.decode()


def test_approving_a_30_figure_return_takes_one_action(thirty, world, client_for, django_assert_max_num_queries):
    client = client_for("approver")
    client.get(reverse("home"))
    with django_assert_max_num_queries(16):
        page = _page(client, world)
    assert "Approve all 30 figures" in page
    assert len(re.findall(r'name="reading" type="checkbox"', page)) == 30
    # The one action: one press of "Approve all 30 figures".
    response = client.post(reverse("indicators:approvals") + f"?period={world.period.pk}",
                           {"action": "approve_all", **_versions(thirty)})
    assert response.status_code == 302
    assert Reading.objects.filter(period=world.period, state=Reading.APPROVED).count() == 30
    assert ReadingHistory.objects.filter(how="approval").count() == 30
    assert AuditEvent.objects.filter(action="readings_approval").count() == 1  # one action, one audit line
    follow = client.get(response["Location"]).content.decode()
    assert "30 figures approved: CY00" in follow


def test_a_selection_is_approved_and_the_rest_keep_waiting(thirty, world, client_for):
    picked = [r.pk for r in thirty[:3]]
    client_for("approver").post(reverse("indicators:approvals") + f"?period={world.period.pk}",
                                {"action": "approve", "reading": picked, **_versions(thirty)})
    assert set(Reading.objects.filter(state=Reading.APPROVED).values_list("pk", flat=True)) == set(picked)
    assert Reading.objects.filter(state=Reading.SUBMITTED).count() == 27


def test_a_figure_changed_since_the_page_was_opened_stops_the_whole_approval(thirty, world, client_for):
    seen = _versions(thirty)
    Reading.objects.filter(pk=thirty[7].pk).update(version=thirty[7].version + 1, actual=99)  # the officer corrected it
    response = client_for("approver").post(reverse("indicators:approvals") + f"?period={world.period.pk}",
                                           {"action": "approve_all", **seen}, follow=True)
    assert "CY07 was changed by" in response.content.decode() and "nothing was approved" in response.content.decode()
    assert not Reading.objects.filter(state=Reading.APPROVED).exists()


def test_returning_a_selection_needs_a_reason_for_each_figure(thirty, world, client_for):
    a, b = thirty[0], thirty[1]
    url = reverse("indicators:approvals") + f"?period={world.period.pk}"
    client = client_for("approver")
    page = client.post(url, {"action": "return", "reading": [a.pk, b.pk], **_versions(thirty),
                             f"reason-{a.pk}": "Wrong month", f"reason-{b.pk}": ""}).content.decode()
    assert "Say why CY01 is being returned" in page and "Say why CY00" not in page
    assert 'checked data-select-all-member' in page and "Wrong month" in page  # what was ticked and typed stays
    assert not Reading.objects.filter(state=Reading.RETURNED).exists()
    client.post(url, {"action": "return", "reading": [a.pk, b.pk], **_versions(thirty),
                      f"reason-{a.pk}": "Wrong month", f"reason-{b.pk}": "Includes June"})
    assert dict(Reading.objects.filter(state=Reading.RETURNED).values_list("indicator__code", "return_reason")) == {
        "CY00": "Wrong month", "CY01": "Includes June"}


def test_choosing_nothing_says_so(thirty, world, client_for):
    page = client_for("approver").post(reverse("indicators:approvals") + f"?period={world.period.pk}",
                                       {"action": "approve", **_versions(thirty)}).content.decode()
    assert "Select the figures to approve or return" in page
    assert not Reading.objects.filter(state=Reading.APPROVED).exists()


def test_an_approver_holding_the_lead_role_still_signs_off_the_officers_figure(world, client_for):
    """A director is often both the role a measure is led by and its approver (the demo's DoCS):
    holding the role does not bar the sign-off; having a hand in the figure would."""
    Period.objects.filter(pk=world.period.pk).update(state=Period.OPEN, deadline=date(2006, 8, 11))
    world.approver.profile.lead_roles.add(world.roles["DoCS"])
    led = factories.indicator("CY90", lead_role=world.roles["DoCS"], directorate=world.cyps, title="Role-led measure")
    reading = factories.reading(led, "2006-07", 12, state=Reading.SUBMITTED, updated_by=world.officer,
                                commentary="As counted", remedial_action="None needed")
    client = client_for("approver")
    assert "Role-led measure" in _page(client, world)
    client.post(reverse("indicators:approvals") + f"?period={world.period.pk}",
                {"action": "approve_all", **_versions([reading])})
    assert Reading.objects.get(pk=reading.pk).state == Reading.APPROVED
