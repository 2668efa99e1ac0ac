"""The synthetic council behind the benchmark: the same seed makes the same council, shaped like a real one."""

from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from core import periods
from demo import synthetic
from indicators.models import Indicator, IndicatorSet, Reading, ReadingHistory, Target
from indicators.summary import performance_summary
from organisation.models import Period


@pytest.fixture(scope="module")
def council():
    return synthetic.plan_council(indicators=400, months=15, seed=7)


def test_the_same_seed_makes_the_same_council():
    first = synthetic.plan_council(indicators=40, months=13, seed=3)
    again = synthetic.plan_council(indicators=40, months=13, seed=3)
    other = synthetic.plan_council(indicators=40, months=13, seed=4)
    assert first == again
    assert first.readings != other.readings


def test_about_one_officer_per_ten_indicators_and_one_leads_a_hundred(council):
    leads = Counter(i["lead"] for i in council.indicators)
    officers = [u for u in council.users if u["group"] == "Officer"]
    assert len(officers) == 40
    assert leads[council.bulk_officer] == 100
    assert all(i["frequency"] == "monthly" for i in council.indicators if i["lead"] == council.bulk_officer)
    assert {u["group"] for u in council.users} == {"Officer", "Approver", "Performance team", "Member"}


def test_gaps_are_blank_or_missing_never_zero(council):
    actuals = [r["actual"] for r in council.readings]
    blank = [r for r in council.readings if r["actual"] is None]
    assert blank, "some figures are not yet available"
    assert all("not yet available" in r["commentary"].lower() for r in blank)
    assert Decimal(0) not in actuals
    expected = sum(len(synthetic._counted_keys(i["frequency"], council.months[:-1])) for i in council.indicators)
    past = [r for r in council.readings if r["period"] != council.open_month]
    assert len(past) < expected, "some readings were never sent at all"


def test_figures_stay_in_range_and_vary(council):
    units = {i["code"]: i["unit"] for i in council.indicators}
    by_code: dict[str, list] = {}
    for r in council.readings:
        if r["actual"] is not None:
            by_code.setdefault(r["code"], []).append(r["actual"])
            if units[r["code"]] == "percentage":
                assert Decimal(0) <= r["actual"] <= Decimal(100)
    assert all(len(set(values)) > 1 for values in by_code.values() if len(values) > 3), "noise, not flat lines"


def test_shapes_of_a_real_council(council):
    frequencies = Counter(i["frequency"] for i in council.indicators)
    polarities = Counter(i["polarity"] for i in council.indicators)
    assert frequencies["monthly"] > frequencies["quarterly"] > 0
    assert {"higher", "lower", "none"} <= set(polarities)
    no_target = {i["code"] for i in council.indicators if i["_no_target"] or i["polarity"] == "none"}
    with_target = {t[0] for t in council.targets}
    assert with_target and not (with_target & no_target)
    assert any(k.endswith("Q1") or "/" in k for k in {t[1] for t in council.targets}), "annual targets by year key"
    opened = [r for r in council.readings if r["period"] == council.open_month]
    assert opened and all(r["state"] == "draft" for r in opened)
    assert not [r for r in opened if r["lead"] == council.bulk_officer], "the bulk officer has all hundred to do"


@pytest.mark.django_db
def test_written_council_is_usable_by_the_app():
    counts = synthetic.write_council(synthetic.plan_council(indicators=30, months=13, seed=1))

    assert Indicator.objects.filter(code__startswith="SC").count() == counts["indicators"] == 30
    assert Reading.objects.count() == ReadingHistory.objects.count() == counts["readings"]
    assert Target.objects.count() == counts["targets"] > 30
    lpsa = IndicatorSet.objects.get(code="SC-LPSA")
    assert lpsa.parent.code == "SC-LAA" and lpsa.parent.parent.code == "SC-FULL"
    assert Period.objects.get(key="2006-07").state == Period.OPEN
    assert Period.objects.get(key="2006-06").state == Period.LOCKED
    officer = get_user_model().objects.get(username="syn-officer-0001")
    assert officer.groups.filter(name="Officer").exists() and officer.profile.directorate is not None
    assert officer.check_password(synthetic.PASSWORD)
    assert not Reading.objects.filter(actual=0).exists()
    summary = performance_summary(period_key="2006-06")
    assert summary["indicators"]["total"] == 30
    assert summary["by_set"]["SC-FULL"]["total"] >= summary["by_set"]["SC-LAA"]["total"]

    with pytest.raises(ValueError, match="already holds a synthetic council"):
        synthetic.write_council(synthetic.plan_council(indicators=5, months=3, seed=1))


@pytest.mark.django_db
def test_command_makes_the_council_and_refuses_a_quarter_as_end(capsys):
    call_command("make_synthetic_council", indicators=12, months=4, seed=2, end="2006-07")
    out = capsys.readouterr().out
    assert "indicators 12" in out and "Synthetic council of 12 indicators x 4 months" in out
    assert Period.objects.filter(kind=periods.MONTH, key__in=synthetic.month_keys(4, "2006-07")).count() == 4
    with pytest.raises(CommandError, match="must be a month"):
        call_command("make_synthetic_council", indicators=1, months=2, end="2006/07 Q1")
