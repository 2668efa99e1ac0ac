"""Revenue and capital positions: totals to the penny, variance status, the pages in fixed queries, who may enter figures."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from budgets import selectors
from budgets.models import RevenueLine, VarianceTolerance
from demo.loaders import budgets as demo
from demo.loaders import organisation as organisation_demo
from organisation.models import AuditEvent, Directorate, Period
from tests.budgets.factories import capital_line, revenue_line

D = Decimal


def test_directorate_and_council_totals_add_up_to_the_penny(world):
    july = Period.objects.get(key="2006-07")
    revenue_line(july, world.cyps, "Youth service", "0.01", "0.02", "0.05", order=2)
    position = selectors.revenue_position(period_key="2006-07")
    cyps, acs = position.directorate_totals
    assert (cyps.directorate, cyps.original, cyps.current, cyps.forecast) == (
        "Children and Young People's Services", D("1000.11"), D("1000.12"), D("1050.25"))
    assert (acs.original, acs.current, acs.forecast, acs.variance) == (D("2000.00"), D("2100.00"), D("2250.45"), D("150.45"))
    assert (position.total.original, position.total.current, position.total.forecast) == (
        D("3000.11"), D("3100.12"), D("3300.70"))
    assert position.total.variance == cyps.variance + acs.variance == D("200.58")
    assert position.places == 2


def test_each_line_and_total_has_its_status_from_the_councils_tolerances(world):
    position = selectors.revenue_position(period_key="2006-07")
    assert [(line.variance_pct, line.status) for line in position.lines] == [(D("5.0"), "A"), (D("7.2"), "R")]
    assert (position.total.variance_pct, position.total.status) == (D("6.5"), "R")
    VarianceTolerance.objects.update(amber_from_pct=D("5"), red_above_pct=D("10"))
    position = selectors.revenue_position(period_key="2006-07")
    assert [line.status for line in position.lines] == ["A", "A"]


def test_the_revenue_headline_is_written_from_the_figures(world):
    assert selectors.revenue_position(period_key="2006-07").headline == (
        "At the end of July 2006 the forecast outturn shows a projected overspend of £200.55, 6.5% of base budget."
    )


def test_the_capital_position_lists_each_change_with_its_reason_and_decision(world):
    capital = selectors.capital_position(period_key="2006-07")
    (scheme,) = capital.schemes
    change = scheme.changes[0]
    assert (change.amount, change.reason, change.approved_by, change.kind) == (
        D("850.50"), "Programme investment", "Cabinet 20 April 2006", "Addition")
    assert (capital.totals.original, capital.totals.change, capital.totals.revised, capital.totals.spend_to_date) == (
        D("0"), D("850.50"), D("850.50"), D("150.00"))


def test_the_trend_gives_the_councils_variance_for_each_month_so_far(world):
    june = Period.get_or_create_for("2006-06")
    revenue_line(june, world.cyps, "Children's social care", "1000", "1000", "990")
    revenue_line(Period.get_or_create_for("2006-08"), world.cyps, "Later", "1", "1", "9")
    trend = selectors.revenue_trend(period_key="2006-07")
    assert [(p.period.key, p.figures.variance) for p in trend] == [("2006-06", D("-10.00")), ("2006-07", D("200.55"))]


def _more_lines(world, count):
    july = Period.objects.get(key="2006-07")
    for n in range(count):
        directorate = Directorate.objects.create(code=f"D{n}", name=f"Directorate {n}", order=10 + n)
        revenue_line(july, directorate, f"Service {n}", "100", "100", "101")
        capital_line(july, f"Scheme {n}", "100", "1", [("5", "Reason", "Cabinet")], order=n + 1)


@pytest.mark.parametrize(("name", "queries"), [("budgets:revenue", 8), ("budgets:capital", 7)])
def test_budget_pages_take_the_same_queries_however_many_lines(world, client_for, django_assert_num_queries, name, queries):
    client = client_for("approver")
    url = reverse(name) + "?period=2006-07"
    client.get(url)
    with django_assert_num_queries(queries):
        client.get(url)
    _more_lines(world, 5)
    with django_assert_num_queries(queries):
        html = client.get(url).content.decode()
    assert "Directorate 4" in html or "Scheme 4" in html


def test_the_revenue_page_shows_status_in_words_and_the_trend_with_a_text_alternative(world, client_for):
    html = client_for("officer").get(reverse("budgets:revenue") + "?period=2006-07").content.decode()
    assert "projected overspend of £200.55, 6.5% of base budget" in html
    assert "£50.10 overspend" in html and "5.0% over" in html
    assert ">Amber<" in html and ">Red<" in html
    assert 'role="img"' in html and "<desc" in html and "July 2006: £200.55 overspend." in html
    assert "Forecast variance by month (the chart's figures)" in html
    assert "style=" not in html


def test_the_includes_render_for_the_report_without_script_or_inline_style(world):
    revenue = render_to_string("budgets/includes/revenue_table.html", {"revenue": selectors.revenue_position(period_key="2006-07")})
    capital = render_to_string("budgets/includes/capital_table.html", {"capital": selectors.capital_position(period_key="2006-07")})
    assert "Council total" in revenue and "Total programme" in capital
    assert "Cabinet 20 April 2006" in capital
    for part in (revenue, capital):
        assert "style=" not in part and "<script" not in part and "<a " not in part


def test_the_performance_team_corrects_a_line_in_words_finance_uses(world, client_for):
    url = reverse("budgets:revenue_line", args=[world.revenue_line.pk])
    response = client_for("performance").post(url, {
        "original_budget": "£1,000.10", "current_budget": "1,000.10", "forecast_outturn": "(5)", "commentary": "Refund",
    })
    assert response.status_code == 302
    line = RevenueLine.objects.get(pk=world.revenue_line.pk)
    assert (line.forecast_outturn, line.commentary) == (D("-5.00"), "Refund")
    assert AuditEvent.objects.filter(action="revenue_line_changed").count() == 1


def test_an_ambiguous_amount_is_refused_on_the_form(world, client_for):
    url = reverse("budgets:revenue_line", args=[world.revenue_line.pk])
    html = client_for("performance").post(url, {
        "original_budget": "1.000,10", "current_budget": "1000.10", "forecast_outturn": "1050.20", "commentary": "",
    }).content.decode()
    assert "Enter the amount in pounds" in html
    assert RevenueLine.objects.get(pk=world.revenue_line.pk).original_budget == D("1000.10")


@pytest.mark.parametrize("role", ["officer", "approver", "other_officer", "other_approver", "member"])
def test_only_the_performance_team_enters_finance_figures(world, client_for, role):
    url = reverse("budgets:revenue_line", args=[world.revenue_line.pk])
    response = client_for(role).post(url, {
        "original_budget": "1", "current_budget": "1", "forecast_outturn": "999999", "commentary": "x",
    })
    assert response.status_code == 404
    assert RevenueLine.objects.get(pk=world.revenue_line.pk).forecast_outturn == D("1050.20")
    assert not AuditEvent.objects.filter(action="revenue_line_changed").exists()


def test_a_locked_periods_figures_cannot_be_corrected(world, client_for):
    Period.objects.filter(key="2006-07").update(state=Period.LOCKED)
    html = client_for("performance").post(reverse("budgets:revenue_line", args=[world.revenue_line.pk]), {
        "original_budget": "1", "current_budget": "1", "forecast_outturn": "1", "commentary": "",
    }).content.decode()
    assert "July 2006 is locked" in html
    assert RevenueLine.objects.get(pk=world.revenue_line.pk).forecast_outturn == D("1050.20")


def test_tolerances_are_set_by_the_performance_team(world, client_for):
    url = reverse("budgets:tolerances")
    html = client_for("performance").post(url, {"amber_from_pct": "5", "red_above_pct": "3"}).content.decode()
    assert "Red must start at or above where Amber starts." in html
    assert client_for("performance").post(url, {"amber_from_pct": "3", "red_above_pct": "8"}).status_code == 302
    assert selectors.tolerance().red_above == D("8")
    assert client_for("officer").post(url, {"amber_from_pct": "0", "red_above_pct": "0"}).status_code == 404
    assert selectors.tolerance().amber_from == D("3")


@pytest.fixture
def demo_budgets(db):
    organisation_demo.load()
    demo.load()


def test_the_demo_capital_programme_reproduces_000_paragraph_22_exactly(demo_budgets):
    capital = selectors.capital_position(period_key="2006-07")
    assert (capital.totals.original, capital.totals.revised, capital.totals.change) == (
        D("37015000"), D("60671000"), D("23656000"))
    assert capital.headline == (
        "The revised forecast for 2006/07 totals £60,671,000, which is an increase of £23,656,000 above the "
        "original forecast. This increase is mainly due to Corporate Accommodation (£4,603,000); Herefordshire "
        "Connects (£8,503,000); and additional ICT network enhancement costs (£2,000,000)."
    )


def test_the_demo_revenue_has_adult_social_care_as_the_key_overspend(demo_budgets):
    revenue = selectors.revenue_position(period_key="2006-07")
    worst = max(revenue.directorate_totals, key=lambda d: d.variance)
    assert worst.code == "ACS" and worst.direction == "overspend"
    assert worst.variance > sum(d.variance for d in revenue.directorate_totals if d.code != "ACS")
    assert [p.period.key for p in selectors.revenue_trend(period_key="2006-07")] == ["2006-05", "2006-06", "2006-07"]
