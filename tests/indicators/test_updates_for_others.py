"""The performance team opens My updates as another officer and enters their figures; no one else can."""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Reading, ReadingHistory
from tests import factories
from tests.indicators.test_updates import HTMX, july, reading, row_data, row_url  # noqa: F401  (july is a fixture)

pytestmark = pytest.mark.usefixtures("july")  # July 2006 open, CH141 led by the officer


def for_officer(world, username="officer", **extra):
    query = {"period": world.period.pk, "officer": username, **extra}
    return reverse("indicators:updates") + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def test_performance_team_opens_an_officers_updates_clearly_labelled_as_theirs(world, client_for):
    response = client_for("performance").get(for_officer(world))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Entering figures for Officer: July 2006" in page
    assert "Entering figures for Officer" in page and "kept in the history as made by you" in page
    assert "CH141 Referrals of children in need" in page
    assert "AS01" not in page  # the other officer's indicator
    # The choice of officer stays with every form and link on the page.
    assert f'?period={world.period.pk}&amp;officer=officer" novalidate' in page
    assert '/submit/?officer=officer"' in page


def test_the_performance_team_chooses_the_officer_from_those_who_lead_the_periods_indicators(world, client_for):
    page = client_for("performance").get(reverse("indicators:updates")).content.decode()
    assert '<label class="govuk-label" for="officer">Enter figures for</label>' in page
    assert '<option value="officer">Officer</option>' in page
    assert '<option value="other_officer">Other Officer</option>' in page
    assert '<option value="approver">' not in page  # leads nothing
    assert "Entering figures for" not in page  # their own updates until they choose


def test_a_figure_entered_for_an_officer_is_recorded_as_changed_by_the_performance_officer(world, client_for):
    data = {"save_all": "1", **row_data(world, actual="219", commentary="Slightly short", remedial_action="Weekly review")}
    response = client_for("performance").post(for_officer(world), data)
    assert response.status_code == 302
    assert response["Location"].endswith(f"?period={world.period.pk}&officer=officer")
    r = reading(world)
    assert (r.actual, r.updated_by) == (Decimal("219"), world.performance)
    entry = ReadingHistory.objects.get()
    assert (entry.changes["actual"], entry.how, entry.by) == (["196", "219"], "form", world.performance)


def test_a_row_saved_in_place_for_an_officer_names_the_performance_officer_too(world, client_for):
    response = client_for("performance").post(row_url(world), row_data(world, actual="221"), **HTMX)
    assert "Saved at" in response.content.decode()
    assert "Last changed by Performance" in response.content.decode()
    assert ReadingHistory.objects.get().by == world.performance


def test_the_performance_team_sends_an_officers_figures_for_approval_as_themselves(world, client_for):
    Reading.objects.filter(pk=reading(world).pk).update(actual=Decimal("230"))  # Green: nothing to explain
    response = client_for("performance").post(
        reverse("indicators:return_submit", args=[world.period.pk]) + "?officer=officer"
    )
    assert response.status_code == 302 and response["Location"].endswith("&officer=officer")
    assert reading(world).state == Reading.SUBMITTED
    assert ReadingHistory.objects.get().by == world.performance


@pytest.mark.parametrize("role", ["officer", "approver", "other_approver"])
def test_no_one_but_the_performance_team_can_open_another_officers_updates(world, client_for, role):
    assert client_for(role).get(for_officer(world, "other_officer")).status_code == 404


@pytest.mark.parametrize("role", ["officer", "approver"])
def test_no_one_but_the_performance_team_can_save_or_submit_as_another_officer(world, client_for, role):
    other = world.other_indicator
    factories.reading(other, "2006-07", 5)
    data = {"save_all": "1", f"r{other.pk}-actual": "9", f"r{other.pk}-version": "1"}
    assert client_for(role).post(for_officer(world, "other_officer"), data).status_code == 404
    submit = reverse("indicators:return_submit", args=[world.period.pk]) + "?officer=other_officer"
    assert client_for(role).post(submit).status_code == 404
    r = Reading.objects.get(indicator=other, period=world.period)
    assert (r.actual, r.state) == (Decimal("5"), Reading.DRAFT)
    assert not ReadingHistory.objects.exists()


def test_an_officer_naming_themselves_sees_their_own_updates(world, client_for):
    page = client_for("officer").get(for_officer(world)).content.decode()
    assert "CH141" in page and "Entering figures for" not in page


def test_an_officer_who_does_not_exist_is_not_found(world, client_for):
    assert client_for("performance").get(for_officer(world, "nobody")).status_code == 404


def test_the_download_link_gives_the_chosen_officers_return(world, client_for):
    url = reverse("indicators:return_download", args=[world.period.pk]) + "?officer=officer"
    response = client_for("performance").get(url)
    assert response.status_code == 200
    assert client_for("officer").get(url.replace("=officer", "=other_officer")).status_code == 404


def test_entering_for_an_officer_costs_the_same_queries_for_ten_or_a_hundred_indicators(
    world, client_for, django_assert_max_num_queries
):
    client = client_for("performance")

    def add(numbers):
        for n in numbers:
            ind = factories.indicator(f"Q{n:03d}", lead=world.officer, directorate=world.cyps, action_plan_robust=True)
            factories.target(ind, "2006/07", 100)
            factories.reading(ind, "2006-07", 90 + n % 20, commentary="c")

    add(range(9))
    # Sign-in (2), roles, open periods, the officers to choose from (which include the one
    # chosen), indicators, targets, readings; and the five of the SPC judgement (periods, settings,
    # rebases, a checksum of the figures, the figures: at most, since unchanged figures are not read again)
    # that My updates shows beside each figure.
    with django_assert_max_num_queries(13):
        assert client.get(for_officer(world)).content.decode().count('id="row-') == 10
    add(range(9, 99))
    with django_assert_max_num_queries(13):
        assert client.get(for_officer(world)).content.decode().count('id="row-') == 100


def test_without_javascript_a_row_saved_for_an_officer_returns_to_their_updates(world, client_for):
    response = client_for("performance").post(row_url(world), row_data(world, actual="221"))
    assert response.status_code == 302
    assert response["Location"].endswith(f"?period={world.period.pk}&officer=officer#row-{world.indicator.pk}")
    assert reading(world).updated_by == world.performance
