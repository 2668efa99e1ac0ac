"""Status (this month against target) and SPC assurance (will the process meet it) read together where they differ."""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators import spc, spc_icons
from indicators.models import Indicator
from tests.factories import indicator, reading, target


@pytest.mark.parametrize(("status", "assurance", "expected"), [
    ("G", spc.FAIL, "On target this period, but at current variation it will usually miss the target."),
    ("G", spc.HIT_AND_MISS, "On target this period, but at current variation it will sometimes miss the target."),
    ("R", spc.PASS, "Off target this period, but at current variation it will usually meet the target."),
    ("A", spc.HIT_AND_MISS, "Off target this period; at current variation it will sometimes meet the target and sometimes miss it."),
    ("G", spc.PASS, ""),
    ("R", spc.FAIL, ""),
    ("G", None, ""),
    (None, spc.FAIL, ""),
])
def test_status_and_assurance_are_reconciled_only_where_they_point_different_ways(status, assurance, expected):
    assert spc_icons.status_and_assurance(status, assurance) == expected


def test_trial_limits_say_so():
    assert spc_icons.status_and_assurance("G", spc.FAIL, trial=True).endswith("(Trial limits: fewer than 12 points.)")


def test_an_indicator_green_this_month_whose_process_will_usually_miss_says_both_on_its_page(world, client_for):
    ind = indicator("HW01", lead=world.officer, directorate=world.cyps, title="Adults in work after support",
                    polarity=Indicator.HIGHER, action_plan_robust=True, decimals=0)
    target(ind, "2005/06", 100)
    target(ind, "2006/07", 100)
    months = [f"{2005 + (m > 9)}-{(m + 2) % 12 + 1:02d}" for m in range(1, 13)] + ["2006-04", "2006-05"]
    for n, key in enumerate(months):
        reading(ind, key, Decimal(90 + n % 3))
    reading(ind, "2006-06", Decimal(101))  # on target this month, far above how the process usually runs
    html = client_for("performance").get(reverse("indicators:detail", args=[ind.pk])).content.decode()
    assert 'id="status-and-assurance"' in html, "the page reconciles a Green month with an SPC fail"
    assert "On target this period, but at current variation it will usually miss the target." in html
