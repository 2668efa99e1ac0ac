"""My updates: an officer enters figures for the open period, with the status as they type, and nothing is lost."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators import returns
from indicators.models import Indicator, Reading, ReadingHistory
from organisation.models import Period
from tests import factories

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def july(world):
    """July 2006 open for updates with a deadline; CH141 has a robust plan, a target of 220, and 180 in June."""
    Period.objects.filter(pk=world.period.pk).update(state=Period.OPEN, deadline=date(2006, 8, 7))
    Indicator.objects.filter(pk=world.indicator.pk).update(action_plan_robust=True, tolerance_pct=10)
    factories.reading(world.indicator, "2006-06", 180)
    world.period.refresh_from_db()
    world.indicator.refresh_from_db()
    return world.period


def reading(world):
    return Reading.objects.get(indicator=world.indicator, period=world.period)


def row_data(world, **fields):
    r = reading(world)
    p = f"r{world.indicator.pk}-"
    data = {
        p + "actual": "196", p + "commentary": "", p + "remedial_action": "", p + "data_quality": "",
        p + "status_override": "", p + "status_reason": "", p + "version": str(r.version),
    }
    data.update({p + k: v for k, v in fields.items()})
    return data


def row_url(world, name="indicators:update_row", indicator=None):
    return reverse(name, args=[world.period.pk, (indicator or world.indicator).pk])


def test_officer_sees_their_indicator_with_target_last_period_and_status(july, world, client_for):
    page = client_for("officer").get(reverse("indicators:updates")).content.decode()
    assert "CH141 Referrals of children in need" in page
    assert "220" in page and "target for the year" in page
    assert "180" in page  # June's actual
    assert "Red" in page  # 196 is 10.9% short of 220, beyond the 10% tolerance
    assert "AS01" not in page  # another officer's indicator
    assert "7 August 2006" in page


def test_the_status_follows_the_figure_as_it_is_typed_and_nothing_is_written(july, world, client_for):
    response = client_for("officer").post(row_url(world, "indicators:update_status"), row_data(world, actual="215"), **HTMX)
    assert response.status_code == 200
    assert "Amber" in response.content.decode()
    response = client_for("officer").post(row_url(world, "indicators:update_status"), row_data(world, actual="230"), **HTMX)
    assert "Green" in response.content.decode()
    assert reading(world).actual == Decimal("196")
    assert not ReadingHistory.objects.exists()


def test_saving_a_row_with_htmx_swaps_the_row_and_records_the_change(july, world, client_for):
    response = client_for("officer").post(row_url(world), row_data(world, actual="221"), **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<div class="app-update" id="row-{world.indicator.pk}"')
    assert "Saved at" in body and "Green" in body
    entry = ReadingHistory.objects.get()
    assert (entry.changes, entry.how, entry.by) == ({"actual": ["196", "221"]}, "htmx", world.officer)


def test_saving_all_without_javascript_redirects_back_and_records_a_form_change(july, world, client_for):
    data = {"period": world.period.pk, "save_all": "1", **row_data(world, actual="219", commentary="Slightly short", remedial_action="Weekly review")}
    response = client_for("officer").post(reverse("indicators:updates"), data)
    assert response.status_code == 302
    r = reading(world)
    assert (r.actual, r.commentary, r.version) == (Decimal("219"), "Slightly short", 2)
    assert ReadingHistory.objects.get().how == "form"


def test_saving_one_row_without_javascript_saves_only_that_row(july, world, client_for):
    other = factories.indicator("CH142", lead=world.officer, directorate=world.cyps, action_plan_robust=True)
    data = {"period": world.period.pk, "save_row": str(world.indicator.pk), **row_data(world, actual="230")}
    data[f"r{other.pk}-actual"] = "5"
    response = client_for("officer").post(reverse("indicators:updates"), data)
    assert response.status_code == 302
    assert reading(world).actual == Decimal("230")
    assert not Reading.objects.filter(indicator=other).exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12x", "Enter the actual as a number"),
        ("-3", "Number cannot be negative"),
    ],
)
def test_a_figure_that_is_not_plausible_is_refused_and_the_typing_is_kept(july, world, client_for, typed, message):
    response = client_for("officer").post(row_url(world), row_data(world, actual=typed, commentary="kept words"), **HTMX)
    body = response.content.decode()
    assert message in body
    assert f'value="{typed}"' in body and "kept words" in body
    assert reading(world).actual == Decimal("196")
    assert not ReadingHistory.objects.exists()


def test_a_percentage_over_a_hundred_is_refused(july, world, client_for):
    Indicator.objects.filter(pk=world.indicator.pk).update(unit=Indicator.PERCENTAGE)
    response = client_for("officer").post(row_url(world), row_data(world, actual="104"), **HTMX)
    assert "A percentage must be between 0 and 100" in response.content.decode()
    assert reading(world).actual == Decimal("196")


def test_a_red_figure_needs_commentary_and_remedial_action_on_the_full_page_too(july, world, client_for):
    data = {"period": world.period.pk, "save_all": "1", **row_data(world, actual="150")}
    response = client_for("officer").post(reverse("indicators:updates"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Explain why the figure is Red" in body and "Say what is being done about it" in body
    assert f'href="#r{world.indicator.pk}-commentary"' in body
    assert 'value="150"' in body
    assert reading(world).actual == Decimal("196")


def test_an_overridden_status_needs_a_reason(july, world, client_for):
    response = client_for("officer").post(
        row_url(world), row_data(world, actual="221", status_override="A"), **HTMX
    )
    assert "Give the reason for changing the status" in response.content.decode()
    assert not ReadingHistory.objects.exists()


def test_a_save_from_a_stale_page_is_refused_showing_the_other_value_and_keeping_mine(july, world, client_for):
    seen = row_data(world, actual="150", commentary="my words", remedial_action="my plan")
    client_for("performance").post(row_url(world), row_data(world, actual="205", commentary="c", remedial_action="r"), **HTMX)
    response = client_for("officer").post(row_url(world), seen, **HTMX)
    body = response.content.decode()
    assert "Performance saved 205" in body
    assert 'value="150"' in body and "my words" in body
    r = reading(world)
    assert r.actual == Decimal("205")
    assert ReadingHistory.objects.count() == 1
    # Having seen theirs, saving again replaces it: the row now carries the current version.
    assert f'name="r{world.indicator.pk}-version" value="{r.version}"' in body


def test_changing_an_approved_figure_sends_it_back_to_draft(july, world, client_for):
    Reading.objects.filter(pk=reading(world).pk).update(state=Reading.APPROVED)
    client_for("officer").post(row_url(world), row_data(world, actual="221"), **HTMX)
    r = reading(world)
    assert (r.actual, r.state) == (Decimal("221"), Reading.DRAFT)
    assert ReadingHistory.objects.get().changes == {"actual": ["196", "221"], "state": ["approved", "draft"]}


def test_officer_cannot_save_reading_they_do_not_lead(july, world, client_for):
    response = client_for("officer").post(
        row_url(world, indicator=world.other_indicator), {f"r{world.other_indicator.pk}-actual": "9"}, **HTMX
    )
    assert response.status_code == 404
    assert not Reading.objects.filter(indicator=world.other_indicator).exists()
    # Nor by slipping the other indicator's fields into the whole-page form.
    client_for("officer").post(
        reverse("indicators:updates"), {"period": world.period.pk, f"r{world.other_indicator.pk}-actual": "9"}
    )
    assert not Reading.objects.filter(indicator=world.other_indicator).exists()


def test_approver_cannot_save_a_figure_in_their_own_directorate(july, world, client_for):
    response = client_for("approver").post(row_url(world), row_data(world, actual="1"), **HTMX)
    assert response.status_code == 404
    assert reading(world).actual == Decimal("196")


def test_officer_cannot_change_a_closed_period(world, client_for):
    response = client_for("officer").post(row_url(world), row_data(world, actual="221"), **HTMX)
    assert "not open for updates" in response.content.decode()
    assert reading(world).actual == Decimal("196")


def test_saving_one_reading_costs_a_fixed_small_number_of_queries(july, world, client_for, django_assert_num_queries):
    client = client_for("officer")
    client.get(reverse("indicators:updates"))  # sign-in session warmed
    # Sign-in (2), roles, period, indicator, its target, its readings (this month's and last);
    # the save: savepoint, the period's state under a shared lock, the UPDATE (which gives the
    # new version), history, audit event, release. The indicator and reading are read once.
    _indicators(world, range(9))
    data = row_data(world, actual="221")
    with django_assert_num_queries(13):
        response = client.post(row_url(world), data, **HTMX)
    assert response.status_code == 200 and reading(world).actual == Decimal("221")
    _indicators(world, range(9, 99))
    data = row_data(world, actual="222")
    with django_assert_num_queries(13):
        response = client.post(row_url(world), data, **HTMX)
    assert response.status_code == 200 and reading(world).actual == Decimal("222")
    assert list(ReadingHistory.objects.filter(reading=reading(world)).values_list("version", flat=True)) == [
        reading(world).version - 1, reading(world).version
    ]


def test_saving_a_months_first_figure_costs_two_queries_more(july, world, client_for, django_assert_num_queries):
    client = client_for("officer")
    client.get(reverse("indicators:updates"))
    Reading.objects.filter(indicator=world.indicator, period=world.period).delete()
    p = f"r{world.indicator.pk}-"
    data = {p + "actual": "230", p + "version": "0"}
    # As a change, with the INSERT in a savepoint of its own (two queries) in place of the
    # UPDATE: a first figure saved by someone else meanwhile is refused, not an error.
    with django_assert_num_queries(15):
        response = client.post(row_url(world), data, **HTMX)
    assert response.status_code == 200 and reading(world).actual == Decimal("230") and reading(world).version == 1


def _indicators(world, numbers):
    for n in numbers:
        ind = factories.indicator(f"Q{n:03d}", lead=world.officer, directorate=world.cyps, action_plan_robust=True)
        factories.target(ind, "2006/07", 100)
        factories.reading(ind, "2006-07", 90 + n % 20, commentary="c")
        factories.reading(ind, "2006-06", 95)


def test_my_updates_costs_the_same_queries_for_ten_or_a_hundred_indicators(july, world, client_for, django_assert_max_num_queries):
    client = client_for("officer")
    _indicators(world, range(9))
    # Sign-in (2), roles, open periods (one list both chooses the period and links the others),
    # indicators, targets, readings; SPC: periods, settings, rebases, checksum, figures (unless reused).
    with django_assert_max_num_queries(12):
        assert client.get(reverse("indicators:updates")).content.decode().count('id="row-') == 10
    _indicators(world, range(9, 99))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("indicators:updates")).content.decode().count('id="row-') == 100


def test_without_an_open_period_the_page_says_so(world, client_for):
    assert "No period is open for updates" in client_for("officer").get(reverse("indicators:updates")).content.decode()


def test_an_indicator_led_by_a_role_is_on_my_updates_and_the_home_page_of_whoever_holds_it(world, client_for):
    led = factories.indicator("DA01", directorate=world.acs, lead_role=world.roles["DoACS"], title="Delayed transfers")
    factories.target(led, "2006/07", 10)
    holder = client_for("other_officer").get(reverse("indicators:updates"), {"period": world.period.pk}).content.decode()
    assert "Delayed transfers" in holder
    assert "Delayed transfers" not in client_for("officer").get(
        reverse("indicators:updates"), {"period": world.period.pk}
    ).content.decode()
    summaries = returns.return_summaries(world.period, led_by=world.other_officer)
    assert [ind.code for s in summaries for ind in s.waiting] == ["AS01", "DA01"]
