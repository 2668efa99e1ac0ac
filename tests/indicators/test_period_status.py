"""Which reading and which target count for a period, and the figures period_status and performance_summary give."""

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from indicators.models import Indicator, IndicatorSet, Objective, Priority, Reading, Target, Theme
from indicators.selectors import counted_periods, period_status, period_statuses, series
from indicators.summary import performance_summary
from tests.factories import indicator, reading, target


def _row(frame, code):
    rows = frame[frame["code"] == code].to_dict("records")
    assert len(rows) == 1, code
    return rows[0]


def robust(code, **fields):
    return indicator(code, action_plan_robust=True, **fields)


def test_counted_periods_for_july_2006():
    counted = counted_periods("2006-07")
    assert counted["monthly"].key == "2006-07"
    assert counted["quarterly"].key == "2006/07 Q1"
    assert counted["annual"].key == "2005/06"
    assert counted["current_year"].key == "2006/07"
    assert counted_periods("2006-05")["quarterly"].key == "2005/06 Q4"
    assert counted_periods("2007-03")["annual"].key == "2006/07"


def test_a_milestone_for_the_month_wins_over_the_annual_target(db):
    ind = robust("M1")
    target(ind, "2006/07", 220)
    target(ind, "2006-07", 200)
    reading(ind, "2006-07", 205)
    row = _row(period_status(period_key="2006-07"), "M1")
    assert (row["target"], row["status"], row["template_complete"]) == (Decimal(200), "G", True)


def test_without_a_milestone_the_annual_target_applies_and_the_template_is_incomplete(db):
    ind = robust("M2")
    target(ind, "2006/07", 220)
    reading(ind, "2006-07", 205)
    row = _row(period_status(period_key="2006-07"), "M2")
    assert (row["target"], row["status"], row["reason"]) == (Decimal(220), "R", "off target")
    assert row["template_complete"] is False


def test_no_target_at_all_is_red_even_without_data(db):
    robust("M3")
    row = _row(period_status(period_key="2006-07"), "M3")
    assert (row["status"], row["reason"], row["actual"]) == ("R", "no target", None)


def test_a_target_agreed_after_the_period_did_not_count_then(db):
    ind = robust("M4")
    t = target(ind, "2006/07", 100)
    t.agreed_on = date(2006, 6, 20)
    t.save()
    reading(ind, "2006-05", 120)
    reading(ind, "2006-07", 120)
    assert _row(period_status(period_key="2006-05"), "M4")["reason"] == "no target"
    assert _row(period_status(period_key="2006-07"), "M4")["status"] == "G"
    # Read together, each period is still judged with the targets it had.
    both = period_statuses(period_keys=["2006-07", "2006-05"])
    assert (_row(both["2006-05"], "M4")["reason"], _row(both["2006-07"], "M4")["status"]) == ("no target", "G")


def test_an_action_plan_agreed_after_the_period_did_not_count_then(db):
    ind = indicator("M5", action_plan_robust=True, action_plan_agreed_on=date(2006, 6, 15))
    target(ind, "2006/07", 100)
    reading(ind, "2006-05", 120)
    reading(ind, "2006-07", 120)
    assert _row(period_status(period_key="2006-05"), "M5")["reason"] == "no robust action plan"
    assert _row(period_status(period_key="2006-07"), "M5")["status"] == "G"


def test_a_quarterly_indicator_shows_the_latest_quarter_ended(db):
    ind = robust("Q1", frequency=Indicator.QUARTERLY)
    target(ind, "2006/07 Q1", 50)
    reading(ind, "2006/07 Q1", 40)
    row = _row(period_status(period_key="2006-07"), "Q1")
    assert (row["period_key"], row["actual"], row["status"]) == ("2006/07 Q1", Decimal(40), "R")
    assert _row(period_status(period_key="2006-05"), "Q1")["period_key"] == "2005/06 Q4"


def test_an_annual_indicator_shows_last_year_else_this_year_and_is_blue_when_achieved(db):
    last = robust("Y1", frequency=Indicator.ANNUAL)
    target(last, "2005/06", 10)
    reading(last, "2005/06", 12)
    this = robust("Y2", frequency=Indicator.ANNUAL)
    target(this, "2006/07", 10)
    reading(this, "2006/07", 8)
    frame = period_status(period_key="2006-07")
    assert (_row(frame, "Y1")["period_key"], _row(frame, "Y1")["status"]) == ("2005/06", "B")
    assert (_row(frame, "Y2")["period_key"], _row(frame, "Y2")["status"]) == ("2006/07", "R")


def test_an_override_shows_beside_the_computed_status(db):
    ind = robust("O1")
    target(ind, "2006-07", 100)
    reading(ind, "2006-07", 50, status_override="A", status_reason="Data lag from the NHS")
    row = _row(period_status(period_key="2006-07"), "O1")
    assert (row["status"], row["computed"], row["overridden"], row["override_reason"]) == (
        "A", "R", True, "Data lag from the NHS",
    )


def test_direction_against_last_month_and_last_year_with_polarity(db):
    ind = robust("D1", polarity=Indicator.LOWER)
    target(ind, "2006/07", 10)
    reading(ind, "2005-07", 8)
    reading(ind, "2006-06", 12)
    reading(ind, "2006-07", 11)
    row = _row(period_status(period_key="2006-07"), "D1")
    assert (row["previous_actual"], row["direction"], row["direction_year"]) == (
        Decimal(12), "improving", "deteriorating",
    )


def test_a_cumulative_measure_is_compared_per_month_and_forecast_to_year_end(db):
    ind = robust("C1", polarity=Indicator.LOWER, measure=Indicator.CUMULATIVE)
    target(ind, "2006/07", 9)
    reading(ind, "2006-06", Decimal("2.4"))  # 0.8 a month
    reading(ind, "2006-07", Decimal("3.2"))  # 0.8 a month: the same rate, though the total rose
    row = _row(period_status(period_key="2006-07"), "C1")
    assert row["direction"] == "stable"
    assert row["forecast"] == Decimal("9.6")


def test_an_indicator_counts_in_its_set_and_every_set_containing_it(db):
    full = IndicatorSet.objects.create(code="FULL", name="Full set")
    laa = IndicatorSet.objects.create(code="LAA", name="LAA", parent=full)
    lpsa = IndicatorSet.objects.create(code="LPSA2G", name="LPSA2G", parent=laa)
    robust("S1").sets.add(lpsa)
    robust("S2").sets.add(laa)
    robust("S3").sets.add(full)
    frame = period_status(period_key="2006-07")
    assert _row(frame, "S1")["set_codes"] == ["FULL", "LAA", "LPSA2G"]
    assert sorted(period_status(period_key="2006-07", set_code="LAA")["code"]) == ["S1", "S2"]
    summary = performance_summary(period_key="2006-07", set_code="LAA")
    assert {code: c["total"] for code, c in summary["by_set"].items()} == {"LAA": 2, "LPSA2G": 1}
    full_summary = performance_summary(period_key="2006-07")
    assert {code: c["R"] for code, c in full_summary["by_set"].items()} == {"FULL": 3, "LAA": 2, "LPSA2G": 1}


def test_period_status_reads_with_a_fixed_number_of_queries(db, django_assert_num_queries):
    def make(n, start):
        for i in range(start, start + n):
            ind = robust(f"P{i:03d}")
            target(ind, "2006/07", 100)
            reading(ind, "2006-07", i)
            reading(ind, "2006-06", i)

    make(5, 0)
    with django_assert_num_queries(5):
        small = period_status(period_key="2006-07")
    make(50, 5)
    with django_assert_num_queries(5):
        big = period_status(period_key="2006-07")
    assert (len(small), len(big)) == (5, 55)
    with django_assert_num_queries(5):
        frames = period_statuses(period_keys=["2006-07", "2006-06", "2006/07 Q1"])
    for key, frame in frames.items():
        assert frame.equals(period_status(period_key=key)), key
    judged = period_statuses(period_keys=["2006-07"], judged_only=["2006-07"])["2006-07"]
    full = frames["2006-07"]
    assert judged.equals(full[judged.columns]) and "direction" not in judged


def test_series_gives_each_period_its_own_target_and_status(db):
    ind = robust("SE1")
    target(ind, "2006/07", 100)
    target(ind, "2006-05", 90)
    reading(ind, "2006-04", 95)
    reading(ind, "2006-05", 95)
    frame = series(indicator_ids=[ind.pk], period_keys=["2006-04", "2006-05", "2006-06"])
    assert list(frame["target"]) == [Decimal(100), Decimal(90), Decimal(100)]
    assert list(frame["status"]) == ["A", "G", None]


def _council():
    """Four indicators: R off target, G, A, and R without a target; a theme and two objectives."""
    full = IndicatorSet.objects.create(code="FULL", name="Full set")
    theme = Theme.objects.create(name="Safer and stronger communities")
    priority = Priority.objects.create(name="Children")
    safe = Objective.objects.create(priority=priority, name="Keep children safe")
    learn = Objective.objects.create(priority=priority, name="Help children learn", order=1)
    specs = [("K1", 80, 100, safe), ("K2", 100, 100, safe), ("K3", 96, 100, learn), ("K4", 50, None, learn)]
    for code, actual, goal, objective in specs:
        ind = robust(code, theme=theme, objective=objective)
        ind.sets.add(full)
        if goal is not None:
            target(ind, "2006/07", goal)
        reading(ind, "2006-06", actual - 5)
        reading(ind, "2006-07", actual)
    return safe, learn


def test_performance_summary_counts_a_small_council(db):
    _council()
    summary = performance_summary(period_key="2006-07")
    ind = summary["indicators"]
    assert {k: ind[k] for k in ("total", "G", "A", "R", "B", "no_data")} == {
        "total": 4, "G": 1, "A": 1, "R": 2, "B": 0, "no_data": 0,
    }
    assert {k: ind[k] for k in ("met_target", "off_target", "off_target_over_10pct", "no_target")} == {
        # Off target counts every indicator worse than target; by more than 10% is the subset.
        "met_target": 1, "off_target": 2, "off_target_over_10pct": 1, "no_target": 1,
    }
    assert ind["R_template"] == 1  # K4 has no target; K1 is R on its figures
    assert summary["direction"] == {"improving": 4, "stable": 0, "deteriorating": 0, "not_comparable": 0}
    assert summary["by_theme"] == {"Safer and stronger communities": {
        "total": 4, "G": 1, "A": 1, "R": 2, "B": 0, "no_data": 0,
        "met_target": 1, "off_target": 2, "off_target_over_10pct": 1,
    }}
    assert summary["objectives"][0]["objective"] == "Keep children safe"
    assert [o["status"] for o in summary["objectives"]] == ["R", "R"]
    assert summary["by_priority"]["Children"]["objectives"] == 2
    assert summary["by_priority"]["Children"]["R"] == 2
    assert summary["previous"] == {"period": "2006-06", "period_label": "June 2006", "indicators": {"total": 4, "R": 3}}


def test_a_missing_figure_is_no_data_not_r_and_a_reading_for_information_has_no_status(db):
    safe, _ = _council()
    figures = Reading.objects.filter(period__key="2006-07", indicator__code__in=["K2", "K3"])
    assert figures.count() == 2
    Reading.objects.filter(period__key="2006-07", indicator__code="K2").update(actual=None)
    Reading.objects.filter(period__key="2006-07", indicator__code="K3").update(for_information=True)
    ind = performance_summary(period_key="2006-07")["indicators"]
    assert (ind["R"] + ind["A"] + ind["G"], ind["no_data"], ind["for_information"]) == (2, 1, 1)
    listed = {o["objective"]: o["counts"] for o in performance_summary(period_key="2006-07")["objectives"]}
    assert sum(c["no_data"] for c in listed.values()) == 1


def test_an_objective_override_with_a_reason_wins_and_the_rule_is_a_setting(db, settings):
    safe, _ = _council()
    safe.status_override = "A"
    safe.override_reason = "Recovery plan agreed with Ofsted"
    safe.save()
    listed = {o["objective"]: o for o in performance_summary(period_key="2006-07")["objectives"]}
    assert (listed["Keep children safe"]["status"], listed["Keep children safe"]["overridden"]) == ("A", True)
    settings.COUNCILPERF_OBJECTIVE_ROLLUP = "majority"
    Objective.objects.filter(pk=safe.pk).update(status_override="")
    listed = {o["objective"]: o for o in performance_summary(period_key="2006-07")["objectives"]}
    assert listed["Keep children safe"]["status"] == "R"  # one G and one R: a tie goes to the worse
    assert listed["Help children learn"]["status"] == "R"


def test_the_command_prints_the_json_and_the_text(db):
    _council()
    out = StringIO()
    call_command("performance_summary", "--period", "2006-07", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["period"], data["set"], data["indicators"]["R"], data["previous"]["period"]) == (
        "2006-07", None, 2, "2006-06",
    )
    text = StringIO()
    call_command("performance_summary", "--period", "2006-07", "--set", "FULL", "--format", "text", stdout=text)
    assert "2 of 4 indicators marked R, compared to 3 to June 2006." in text.getvalue()


def test_the_command_names_a_bad_period_or_set(db):
    with pytest.raises(CommandError, match="2006-07-01"):
        call_command("performance_summary", "--period", "2006-07-01")
    with pytest.raises(CommandError, match="no indicator set 'NOPE'"):
        call_command("performance_summary", "--period", "2006-07", "--set", "NOPE")


def test_a_soft_deleted_indicator_is_not_counted(db):
    robust("GONE").soft_delete()
    robust("HERE")
    assert list(period_status(period_key="2006-07")["code"]) == ["HERE"]


def test_an_empty_council_gives_zero_counts(db):
    summary = performance_summary(period_key="2006-07")
    assert summary["indicators"]["total"] == 0
    assert Target.objects.count() == 0


def test_an_unknown_set_has_no_indicators_and_no_sets(db):
    _council()
    summary = performance_summary(period_key="2006-07", set_code="NOPE")
    assert (summary["indicators"]["total"], summary["by_set"], summary["objectives"]) == (0, {}, [])
