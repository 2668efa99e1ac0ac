"""The indicators dashboard, list and page: what staff see, what members cannot, and fixed query counts."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators import charts
from indicators.models import Indicator, Reading, ReadingHistory, Target
from tests.factories import indicator, period, reading, target


def text_of(response) -> str:
    html = response.content.decode()
    main = html.split('id="main-content"', 1)[1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).replace("&#x27;", "'")


def many(world, n, start=0):
    """n more indicators with a target and a year of monthly figures, bulk-created to keep the test fast."""
    months = [period(f"{2005 + (m > 9)}-{(m + 2) % 12 + 1:02d}") for m in range(1, 13)]
    year = period("2005/06")
    made = Indicator.objects.bulk_create([
        Indicator(code=f"BULK{i:03d}", title=f"Bulk {i}", action_plan_robust=True, directorate=world.cyps,
                  lead=world.officer, theme=world.theme)
        for i in range(start, start + n)
    ])
    Target.objects.bulk_create([Target(indicator=ind, period=year, target=Decimal(100)) for ind in made])
    Reading.objects.bulk_create([
        Reading(indicator=ind, period=m, actual=Decimal(90 + (i * 7 + j * 3) % 20), commentary="steady")
        for i, ind in enumerate(made) for j, m in enumerate(months)
    ])
    for ind in made:
        ind.sets.add(world.indicator_set)
    return made


def test_the_dashboard_shows_the_same_figures_as_performance_summary(world, client_for):
    response = client_for("performance").get(reverse("indicators:dashboard"), {"period": "2006-07"})
    words = text_of(response)
    assert "Performance to the end of July 2006" in words
    assert "2 of 2 indicators are marked R, compared to 2 of 2 to June 2006." in words
    assert "Safer and stronger communities" in words


def test_the_dashboard_can_be_narrowed_to_a_set(world, client_for):
    response = client_for("officer").get(reverse("indicators:dashboard"), {"period": "2006-07", "set": "LAA"})
    assert "1 of 1 indicators are marked R" in text_of(response)


def test_the_list_filters_by_status_and_directorate_and_counts_what_is_left(world, client_for):
    ind = world.other_indicator
    ind.action_plan_robust = True
    ind.save()
    target(ind, "2006-07", 10)
    reading(ind, "2006-07", 12)
    client = client_for("approver")
    words = text_of(client.get(reverse("indicators:list"), {"period": "2006-07"}))
    assert "2 indicators: R 1, A 0, G 1, B 0, no status 0." in words
    green = text_of(client.get(reverse("indicators:list"), {"period": "2006-07", "status": "G"}))
    assert "AS01" in green and "CH141" not in green
    cyps = text_of(client.get(reverse("indicators:list"), {"period": "2006-07", "directorate": world.cyps.pk}))
    assert "CH141" in cyps and "AS01" not in cyps


def test_members_cannot_see_indicator_pages(world, client_for):
    member = client_for("member")
    for url in (reverse("indicators:list"), reverse("indicators:dashboard"),
                reverse("indicators:detail", kwargs={"pk": world.indicator.pk})):
        assert member.get(url).status_code == 404


def test_the_indicator_page_shows_template_history_chart_commentary_and_changes(world, client_for):
    ind = world.indicator
    june = reading(ind, "2006-06", 180, commentary="More referrals after the new threshold",
                   remedial_action="Agency social workers in the duty team")
    ReadingHistory.objects.create(reading=june, changes={"actual": ["170", "180"]}, how="form", by=world.officer,
                                  version=2)
    response = client_for("officer").get(reverse("indicators:detail", kwargs={"pk": ind.pk}))
    words = text_of(response)
    html = response.content.decode()
    assert "Referrals of children in need" in words
    assert "Targets and milestones" in words and "Annual target" in words
    assert "July 2006 196 220 Red No robust action plan" in words
    assert "More referrals after the new threshold" in words and "Agency social workers" in words
    assert "Actual from 170 to 180" in words and "Officer" in words
    assert "at least 12 are needed" in words
    assert '<svg class="app-chart" role="img"' in html and "<desc" in html
    assert "style=" not in html.split('id="main-content"', 1)[1]


def test_twelve_steady_months_then_a_jump_is_explained_as_a_real_change(world, client_for):
    ind = indicator("SPC1", action_plan_robust=True, lead=world.officer)
    keys = [f"2005-{m:02d}" for m in range(4, 13)] + ["2006-01", "2006-02", "2006-03", "2006-04"]
    for i, key in enumerate(keys[:-1]):
        reading(ind, key, 10 + (i % 2) * 2)
    reading(ind, keys[-1], 40)
    words = text_of(client_for("performance").get(reverse("indicators:detail", kwargs={"pk": ind.pk})))
    assert "Special cause: improvement" in words
    assert "This is a real change: a point is outside the process limits" in words


@pytest.mark.parametrize("page", ["list", "dashboard"])
def test_list_and_dashboard_run_the_same_number_of_queries_for_10_and_100_indicators(
    page, world, client_for, django_assert_max_num_queries
):
    client = client_for("performance")
    url = reverse(f"indicators:{page}")
    many(world, 8)
    client.get(url, {"period": "2006-03"})  # warm the session
    # At most: one fewer when the SPC judgement of unchanged figures is reused (indicators.selectors.spc_latest).
    with django_assert_max_num_queries(EXPECTED_QUERIES[page]):
        small = client.get(url, {"period": "2006-03"})
    many_more = many(world, 90, start=8)
    with django_assert_max_num_queries(EXPECTED_QUERIES[page]):
        big = client.get(url, {"period": "2006-03"})
    assert small.status_code == big.status_code == 200
    if page == "list":
        assert many_more[-1].code in text_of(big) and many_more[-1].code not in text_of(small)


def test_the_indicator_page_runs_the_same_number_of_queries_whatever_its_history(
    world, client_for, django_assert_num_queries
):
    client = client_for("performance")
    short = many(world, 1)[0]
    url = reverse("indicators:detail", kwargs={"pk": short.pk})
    client.get(url)
    with django_assert_num_queries(EXPECTED_QUERIES["detail"]):
        assert client.get(url).status_code == 200
    long = indicator("LONG", action_plan_robust=True)
    for fy in (2003, 2004, 2005):
        for m in range(1, 13):
            key = f"{fy + (m > 9)}-{(m + 2) % 12 + 1:02d}"
            r = reading(long, key, 50 + m)
            ReadingHistory.objects.create(reading=r, changes={"actual": ["", str(50 + m)]}, how="import", version=1)
        target(long, f"{fy}/{(fy + 1) % 100:02d}", 60)
    with django_assert_num_queries(EXPECTED_QUERIES["detail"]):
        assert client.get(reverse("indicators:detail", kwargs={"pk": long.pk})).status_code == 200


EXPECTED_QUERIES = {"list": 20, "dashboard": 18, "detail": 15}  # + SPC: settings, rebases (lists: periods, checksum, figures); detail + linked plan actions; + benchmarking: our council (and no more without comparators)


def test_a_sparkline_is_safe_svg_with_its_text_alternative():
    svg = charts.sparkline_svg([1, None, 3, 4], label="CH141 <script>")
    assert svg.startswith("<svg") and "<title>CH141 &lt;script&gt;: 3 figures, from 1 to 4" in svg
    assert "style=" not in svg
    assert "no data yet" in charts.sparkline_svg([None, None])


def test_the_indicator_page_shows_the_plan_actions_linked_to_it(world, client_for):
    from improvement_plans.models import Action, Element, Plan

    plan = Plan.objects.create(title="Overall Performance Improvement Plan")
    element = Element.objects.create(plan=plan, number="7", title="Children and Young People")
    action = Action.objects.create(element=element, number="7.2", text="Improve the duty team's assessments")
    action.indicators.add(world.indicator)
    html = client_for("officer").get(reverse("indicators:detail", args=[world.indicator.pk])).content.decode()
    assert "Improvement plan actions" in html
    assert "7.2 Improve the duty team" in html


def test_the_list_shows_a_hundred_indicators_a_page_and_counts_them_all(world, client_for):
    for n in range(120):
        indicator(f"P{n:03d}", title=f"Paged indicator {n}")
    client = client_for("performance")
    first = client.get(reverse("indicators:list") + "?period=2006-07").content.decode()
    second = client.get(reverse("indicators:list") + "?period=2006-07&page=2").content.decode()
    total = Indicator.objects.count()
    assert f"{total} indicators" in first
    assert f"This page lists 1 to 100 of {total}." in first
    assert f"This page lists 101 to {total} of {total}." in second
    shown_first = set(re.findall(r"P\d{3}", first))
    shown_second = set(re.findall(r"P\d{3}", second))
    assert shown_first and shown_second and not (shown_first & shown_second)
    assert "period=2006-07&amp;page=2" in first


def test_a_cumulative_measure_starts_its_line_again_each_april_and_shows_the_year_end_target(world, client_for):
    """Days lost to sickness per FTE, year to date: March's total falling to April's first month is not a collapse."""
    ind = indicator("SICK1", lead=world.officer, directorate=world.cyps, title="Days lost to sickness per FTE",
                    measure=Indicator.CUMULATIVE, decimals=1)
    for key, days in [("2006-01", "7.1"), ("2006-02", "7.9"), ("2006-03", "8.7"), ("2006-04", "0.8"), ("2006-05", "1.5")]:
        reading(ind, key, Decimal(days))
    target(ind, "2006/07", Decimal("8.5"))
    html = client_for("performance").get(reverse("indicators:detail", args=[ind.pk])).content.decode()
    svg = html[html.index('<svg class="app-chart"'):html.index("</svg>", html.index('<svg class="app-chart"'))]
    actual_lines = list(re.findall(r'<polyline points="([^"]+)"[^>]*stroke="#1d70b8"', svg))
    assert len(actual_lines) == 2, "one line for 2005-06 and one for 2006-07, not one joined across April"
    assert ">2006-07</text>" in svg
    assert "Year-end target" in svg and "Target for the end of 2006-07: 8.5" in svg
    assert ">Mar 07</text>" in svg, "the chart runs on to the March the year-end target is for"
    assert "the line starts again each April" in svg
