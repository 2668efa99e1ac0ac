"""Variance, its RAG at each tolerance boundary, totals to the penny and the headline sentences."""

from decimal import Decimal

import pytest

from budgets import figures
from budgets.figures import Figures, SchemeChange, Tolerance

D = Decimal
TOLERANCE = Tolerance(amber_from=D("2"), red_above=D("5"))


def line(current, forecast, original=None):
    return Figures(D(original or current), D(current), D(forecast), TOLERANCE)


@pytest.mark.parametrize(
    ("forecast", "pct", "status"),
    [
        ("1019", D("1.9"), "G"),
        ("1019.49", D("1.9"), "G"),
        ("1019.50", D("2.0"), "A"),  # 1.95% shows as 2.0%, and is judged as shown
        ("1020", D("2.0"), "A"),
        ("1050", D("5.0"), "A"),
        ("1050.49", D("5.0"), "A"),
        ("1050.50", D("5.1"), "R"),
        ("1051", D("5.1"), "R"),
        ("1000", D("0.0"), "G"),
        ("900", D("-10.0"), "G"),  # an underspend is never Amber or Red
    ],
)
def test_variance_rag_at_each_tolerance_boundary(forecast, pct, status):
    f = line("1000", forecast)
    assert f.variance_pct == pct
    assert f.status == status


def test_spending_with_no_budget_is_red_and_has_no_percentage():
    f = line("0", "10")
    assert f.variance_pct is None and f.status == "R" and f.variance_pct_words == "no budget"


@pytest.mark.parametrize(
    ("forecast", "words", "pct_words"),
    [("1120", "£120 overspend", "12.0% over"), ("970.50", "£29.50 underspend", "3.0% under"), ("1000", "on budget", "0.0%")],
)
def test_overspend_and_underspend_are_said_in_words(forecast, words, pct_words):
    f = line("1000", forecast)
    assert (f.variance_words, f.variance_pct_words) == (words, pct_words)


def test_totals_add_up_to_the_penny():
    lines = [line("0.10", "0.20", "0.10")] * 3 + [line("1000000.01", "999999.99", "1000000.00")]
    total = figures.add_up(lines, TOLERANCE)
    assert (total.original, total.current, total.forecast) == (D("1000000.30"), D("1000000.31"), D("1000000.59"))
    assert total.variance == D("0.28")


def test_the_revenue_headline_gives_the_overspend_and_its_share_of_base_budget():
    total = line("310000000", "318692000")
    assert figures.revenue_headline(total, period_label="July 2006") == (
        "At the end of July 2006 the forecast outturn shows a projected overspend of £8,692,000, 2.8% of base budget."
    )


def test_the_revenue_headline_says_underspend_and_on_budget_in_words():
    assert "projected underspend of £1,500.50, 0.2% of base budget" in figures.revenue_headline(
        line("1000000", "998499.50"), period_label="July 2006"
    )
    assert figures.revenue_headline(line("10", "10"), period_label="July 2006").endswith("the council on budget.")
    assert figures.revenue_headline(line("0", "0"), period_label="July 2006", has_lines=False) == (
        "There are no revenue monitoring figures for July 2006 yet."
    )


PARA_22 = [
    SchemeChange("Corporate Accommodation", D("4603000"), 0),
    SchemeChange("Herefordshire Connects", D("8503000"), 1),
    SchemeChange("additional ICT network enhancement costs", D("2000000"), 2),
    SchemeChange("Schools", D("1950000"), 3),
    SchemeChange("Roads", D("-1300000"), 4),
]


def test_the_capital_headline_names_the_three_largest_additions_in_programme_order():
    assert figures.capital_headline(
        year_label="2006/07", original=D("37015000"), revised=D("60671000"), changes=PARA_22
    ) == (
        "The revised forecast for 2006/07 totals £60,671,000, which is an increase of £23,656,000 above the "
        "original forecast. This increase is mainly due to Corporate Accommodation (£4,603,000); Herefordshire "
        "Connects (£8,503,000); and additional ICT network enhancement costs (£2,000,000)."
    )


def test_a_capital_decrease_names_the_largest_reductions():
    sentence = figures.capital_headline(
        year_label="2006/07", original=D("10000000"), revised=D("8700000"), changes=PARA_22
    )
    assert sentence == (
        "The revised forecast for 2006/07 totals £8,700,000, which is a decrease of £1,300,000 below the "
        "original forecast. This decrease is mainly due to Roads (£1,300,000)."
    )


def test_two_additions_are_joined_with_and():
    sentence = figures.capital_headline(
        year_label="2006/07", original=D("0"), revised=D("3"), changes=PARA_22[:0] + [
            SchemeChange("A", D("1"), 0), SchemeChange("B", D("2"), 1)]
    )
    assert sentence.endswith("mainly due to A (£1) and B (£2).")


def test_an_unchanged_programme_says_so():
    assert figures.capital_headline(year_label="2006/07", original=D("5"), revised=D("5"), changes=[]) == (
        "The revised forecast for 2006/07 totals £5, the same as the original forecast."
    )
