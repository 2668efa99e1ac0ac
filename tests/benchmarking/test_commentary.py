"""The drafted benchmarking sentences, word for word, for the cases a performance team meets."""

from decimal import Decimal as D

import pytest

from benchmarking.commentary import draft, group_phrase, ordinal, quartile_summary
from benchmarking.position import Polarity, position

from .test_position import BAND, BAND_GROUP, GROUP, HIGHER, LOWER

NN = "nearest-neighbour"


def say(values, polarity=HIGHER, us="US", **kwargs):
    kwargs = {"council": "Herefordshire", "group": NN, "unit": "percentage", **kwargs}
    return draft(position(values, us, polarity), **kwargs)


def test_the_issue_example_above_the_median_in_the_top_quartile_and_risen():
    # 2022-23: US had 74 and I had 82, so US was 10th (nine councils above 74) of the same 16.
    earlier = position(dict(GROUP, US=D(74), I=D(82)), "US", HIGHER)
    assert earlier.rank == 10
    assert say(GROUP, earlier=earlier, earlier_period="2022-23") == (
        "Herefordshire's 82% is above the nearest-neighbour median of 76% and in the top quartile; "
        "it has risen from 10th to 4th of 16 since 2022-23."
    )


def test_fallen_and_the_same_rank():
    earlier = position(dict(GROUP, US=D(89)), "US", HIGHER)  # 2nd
    assert say(GROUP, earlier=earlier, earlier_period="2022-23").endswith(
        "it has fallen from 2nd to 4th of 16 since 2022-23.")
    same = position(GROUP, "US", HIGHER)
    assert say(GROUP, earlier=same, earlier_period="2022-23").endswith(
        "it is ranked 4th of 16, the same as in 2022-23.")


def test_no_figure_of_ours_last_year_is_said():
    earlier = position(dict(GROUP, US=None), "US", HIGHER)
    assert say(GROUP, earlier=earlier, earlier_period="2022-23").endswith(
        "it is ranked 4th of 16; there is no figure for 2022-23 to compare with.")


def test_no_earlier_year_says_the_rank_alone():
    assert say(GROUP) == (
        "Herefordshire's 82% is above the nearest-neighbour median of 76% and in the top quartile; "
        "it is ranked 4th of 16."
    )


@pytest.mark.parametrize("code, words", [
    ("D", "Herefordshire's 80% is above the nearest-neighbour median of 76% and in the upper middle quartile; "
          "it is ranked 5th of 16."),
    ("I", "Herefordshire's 74% is below the nearest-neighbour median of 76% and in the lower middle quartile; "
          "it is ranked 10th of 16."),
    ("L", "Herefordshire's 68% is below the nearest-neighbour median of 76% and in the bottom quartile; "
          "it is ranked 13th of 16."),
    ("G", "Herefordshire's 76% is the same as the nearest-neighbour median of 76% and in the upper middle "
          "quartile; it is ranked joint 8th of 16."),
])
def test_each_quartile_and_a_joint_rank_at_the_median(code, words):
    assert say(GROUP, us=code) == words


def test_lower_is_better_says_better_or_worse():
    assert say(GROUP, LOWER, unit="days") == (
        "Herefordshire's 82 days is higher (worse) than the nearest-neighbour median of 76 days and in the "
        "bottom quartile; it is ranked 13th of 16."
    )
    assert say(GROUP, LOWER, us="L", unit="days") == (
        "Herefordshire's 68 days is lower (better) than the nearest-neighbour median of 76 days and in the "
        "top quartile; it is ranked 4th of 16.")


def test_band_measure_outside_and_inside():
    assert say(BAND_GROUP, BAND, group="family group") == (
        "Herefordshire's 6.6% is 0.6 percentage points above the target band of 4% to 6% and in the lower "
        "middle quartile; it is ranked 10th of 16. 7 of the 16 councils are within the band."
    )
    assert say(BAND_GROUP, BAND, us="A", group="family group") == (
        "Herefordshire's 4.0% is within the target band of 4% to 6% and in the top quartile; it is ranked "
        "joint 1st of 16. 7 of the 16 councils are within the band."
    )
    assert "2.1 percentage points above the target band of 4% to 6%" in say(BAND_GROUP, BAND, us="O")
    assert "2.0 percentage points below the target band" in say(BAND_GROUP, BAND, us="N")


def test_outlier_and_missing_comparators_are_said():
    values = dict(GROUP, X=None, Y=None, Z=None)
    assert say(values, us="O", names={"X": "Powys", "Y": "Shropshire", "Z": "Wiltshire"}) == (
        "Herefordshire's 41% is below the nearest-neighbour median of 76% and in the bottom quartile; "
        "it is ranked 16th of 16. Herefordshire's figure is well below the others: more than 3 median "
        "absolute deviations from the median. 3 of 19 councils published no figure (Powys, Shropshire and "
        "Wiltshire) and are left out of the comparison."
    )
    assert say(dict(GROUP, X=None)).endswith(
        "1 of 17 councils published no figure (X) and is left out of the comparison.")


def test_our_figure_missing():
    assert say(dict(GROUP, US=None), period="2023-24") == (
        "Herefordshire published no figure for 2023-24; the nearest-neighbour median is 76%, from the 15 "
        "councils that did."
    )
    assert say({"US": None, "A": None}, period="2023-24") == (
        "No council in the nearest-neighbour group published a figure for 2023-24.")


def test_group_size_changed_names_both_sizes():
    earlier = position({f"C{i}": D(100 - i) for i in range(15)} | {"US": D("92.5")}, "US", HIGHER)  # 9th of 16
    now = position({f"C{i}": D(100 - i) for i in range(14)} | {"US": D("97.5")}, "US", HIGHER)  # 4th of 15, median 94
    assert draft(now, council="Herefordshire", group=NN, unit="%", earlier=earlier, earlier_period="2022-23") == (
        "Herefordshire's 97.5% is above the nearest-neighbour median of 94.0% and in the upper middle "
        "quartile; it has risen from 9th of 16 to 4th of 15 since 2022-23."
    )


def test_small_group_and_all_equal():
    assert say({"US": D(3), "A": D(5), "B": D(4)}, unit="gbp") == (
        "Herefordshire's £3 is below the nearest-neighbour median of £4; it is ranked 3rd of 3. "
        "Quartiles are not given for a group of 3 councils with a figure."
    )
    assert say({c: D(7) for c in ("US", "A", "B", "C", "D")}, LOWER) == (
        "Herefordshire's 7% is the same as the nearest-neighbour median of 7% and in the top quartile; "
        "it is ranked joint 1st of 5. All 5 councils with a figure have the same one."
    )


def test_a_group_of_one():
    assert say({"US": D(3), "A": None}, unit="gbp") == (
        "Herefordshire's £3 is the same as the nearest-neighbour median of £3; it is ranked 1st of 1. "
        "No other council in the group published a figure. 1 of 2 councils published no figure (A) and is "
        "left out of the comparison."
    )


def test_a_median_between_published_figures_keeps_its_half():
    assert "median of 76.5%" in say({"US": D(80), "A": D(77), "B": D(76), "C": D(70)})


def test_small_words():
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st", "111th"]
    assert group_phrase("nearest_neighbours", "CIPFA 15") == "nearest-neighbour"
    assert group_phrase("other", "All English districts") == "All English districts group"


def test_quartile_summary_for_the_report():
    quartiles = {f"Indicator {i:02d}": 1 for i in range(12)} | {f"Other {i}": 2 for i in range(22)}
    quartiles |= {"Missed calls": 4, "Fly-tipping": 4, "Void days": 4, "Rent arrears": 4, "Sickness": 4, "New": None}
    assert quartile_summary(quartiles, group="nearest neighbours") == (
        "12 of 39 benchmarked indicators (31%) are in the top quartile of our nearest neighbours; 5 are in the "
        "bottom quartile: Fly-tipping, Missed calls, Rent arrears, Sickness and Void days."
    )
    assert quartile_summary({"A": 1}, group="family group") == (
        "1 of 1 benchmarked indicator (100%) is in the top quartile of our family group; none is in the bottom "
        "quartile.")
    assert quartile_summary({"A": None}, group="family group") == (
        "None of our indicators has a quartile position among our family group yet.")


def test_band_polarity_needs_both_ends():
    with pytest.raises(ValueError):
        Polarity("band", D(4), None)
