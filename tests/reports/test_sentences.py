"""The sentences the report writes from its figures: numbers, plurals, months, money and comparisons."""

from datetime import date
from decimal import Decimal

from reports import sentences


def test_plural_words_follow_the_count():
    assert sentences.count(1, "indicator") == "1 indicator"
    assert sentences.count(0, "indicator") == "0 indicators"
    assert sentences.count(19, "indicator") == "19 indicators"
    assert sentences.count(2, "priority") == "2 priorities"
    assert sentences.count(1, "is") == "1 is"
    assert sentences.plural(3, "is") == "are"


def test_the_full_set_sentence_reads_as_in_the_july_2006_report():
    text = sentences.set_r_count(set_name="full set of strategic performance indicators", r=19, total=89,
                                 previous_r=45, previous_label="May")
    assert text == ("For the full set of strategic performance indicators 19 of 89 have been marked as R, "
                    "compared to 45 to May.")


def test_an_unchanged_count_says_no_change():
    text = sentences.set_r_count(set_name="full set", r=7, total=30, previous_r=7, previous_label="June")
    assert text == "For the full set 7 of 30 have been marked as R, no change from 7 to June."


def test_a_first_report_has_no_comparison():
    assert sentences.set_r_count(set_name="full set", r=3, total=1, previous_r=None, previous_label=None) == (
        "For the full set 3 of 1 has been marked as R."
    )


def test_a_set_inside_another_says_reduction_increase_or_no_change():
    down = sentences.subset_r_count(set_label="LPSA2G", r=7, total=27, end_month="July", previous_r=14,
                                    previous_label="May")
    assert down == "At the end of July 7 of 27 LPSA2G indicators were marked R, a reduction from 14 in the report to the end of May."
    up = sentences.subset_r_count(set_label="LAA", r=20, total=69, end_month="July", previous_r=18, previous_label="May")
    assert "an increase from 18" in up
    same = sentences.subset_r_count(set_label="LAA", r=18, total=69, end_month="July", previous_r=18,
                                    previous_label="May")
    assert "no change from 18" in same
    one = sentences.subset_r_count(set_label="LAA", r=0, total=1, end_month="July", previous_r=None,
                                   previous_label=None)
    assert one == "At the end of July 0 of 1 LAA indicator was marked R."


def test_themes_are_listed_as_the_report_lists_them():
    text = sentences.themes_r(r_total=18, themes=[
        ("healthier communities and older people", 4), ("economic development and enterprise", 4),
        ("safer and stronger communities", 10), ("children and young people", 0),
    ])
    assert text == (
        "Of the 18 indicators marked as R, 4 are under the theme of healthier communities and older people; "
        "4 under economic development and enterprise; and 10 under safer and stronger communities."
    )
    assert sentences.themes_r(r_total=1, themes=[("safer and stronger communities", 1)]) == (
        "Of the 1 indicator marked as R, 1 is under the theme of safer and stronger communities."
    )


def test_template_weakness_counts_and_plurals():
    assert sentences.template_weakness(r_total=19, r_template=14).startswith(
        "14 of the 19 indicators marked as R are marked R because of continuing weaknesses in the template"
    )
    assert sentences.template_weakness(r_total=19, r_template=1).startswith("1 of the 19 indicators marked as R is")
    assert sentences.template_weakness(r_total=1, r_template=1).startswith("The indicator marked as R is")
    assert sentences.template_weakness(r_total=0, r_template=0) == "No indicators are marked as R."


def test_money_has_a_pound_sign_thousands_and_millions():
    assert sentences.money(Decimal("60671000")) == "£60,671,000"
    assert sentences.money(Decimal("-1234.4")) == "-£1,234"
    assert sentences.money_millions(Decimal("8692000")) == "£8.692m"


def test_capital_headline_names_the_largest_additions_in_order():
    text = sentences.capital(year_label="2006/07", original=Decimal("37015000"), revised=Decimal("60671000"),
                             reasons=[("Corporate Accommodation", Decimal("4603000")),
                                      ("Herefordshire Connects", Decimal("8503000"))])
    assert text == (
        "The revised forecast for 2006/07 totals £60,671,000, which is an increase of £23,656,000 above the "
        "original forecast. This increase is mainly due to Corporate Accommodation (£4,603,000); and "
        "Herefordshire Connects (£8,503,000)."
    )
    assert sentences.capital(year_label="2006/07", original=5, revised=5).endswith("no change from the original forecast.")


def test_revenue_says_overspend_underspend_or_on_budget():
    assert sentences.revenue(forecast_variance=Decimal("8692000"), base_budget=Decimal("310428571")) == (
        "The forecast outturn is a projected overspend of £8.692m, 2.8% of the base budget."
    )
    assert "underspend of £0.500m" in sentences.revenue(forecast_variance=-500000, base_budget=10_000_000)
    assert "no overspend or underspend" in sentences.revenue(forecast_variance=0, base_budget=1)


def test_dates_and_months_in_long_form():
    assert sentences.long_date(date(2006, 9, 7)) == "7 September 2006"
    assert sentences.period_summary(start=date(2006, 4, 1), end=date(2006, 7, 31)).startswith(
        "This section summarises progress for the period 1 April 2006 to 31 July 2006."
    )


def test_status_split_gives_counts_and_percentages():
    assert sentences.status_split(6, 3, 3) == "Green 6, Amber 3, Red 3 (50%/25%/25%)"
    assert sentences.status_split(0, 0, 0) == "Green 0, Amber 0, Red 0 (0%/0%/0%)"


def test_risks_and_exceptions_sentences():
    assert sentences.high_risks([("CR01", "Safeguarding children", 20)]) == (
        "1 risk on the corporate risk log is rated high: Safeguarding children (CR01, score 20)."
    )
    assert sentences.emerging_risks([("CR05", "the Herefordshire Connects programme")]) == (
        "An emerging risk is the Herefordshire Connects programme (CR05)."
    )
    assert sentences.emerging_risks([]).startswith("No new or emerging")
    text = sentences.exceptions([("Vulnerable adults", "Amber"), ("Children and Young People", "Red")],
                                as_at=date(2006, 10, 12))
    assert text == ("The latest exception report as at 12 October 2006 is attached at Appendix B. 2 elements of "
                    "the plan are not on track: Vulnerable adults (Amber); and Children and Young People (Red).")


def test_the_target_sentence_counts_off_target_inclusively_and_no_data_apart_from_r():
    text = sentences.target_counts(total=32, met=8, off=20, off_over_10=12, no_data=4)
    assert text == (
        "Of the 32 indicators, 8 met their target and 20 were off target, 12 of them by more than 10%. "
        "4 have no data for the period yet; they are counted as no data, not as R."
    )
