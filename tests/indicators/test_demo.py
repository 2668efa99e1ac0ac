"""The demo council reproduces the counts of the Cabinet report (000) and the safeguarding table of 004."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from demo.loaders import indicators as demo
from demo.loaders import organisation as organisation_demo
from indicators.models import Indicator, Reading, ReadingHistory, Target
from indicators.summary import performance_summary
from organisation.models import Period

HCOP, EDE = "Healthier communities and older people", "Economic development and enterprise"
SSC, CYP = "Safer and stronger communities", "Children and young people"


@pytest.fixture(scope="module")
def council(django_db_setup, django_db_blocker):
    """The organisation and indicators of the demo council, loaded once for this module and rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        organisation_demo.load()
        demo.load()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def figures(council, db):
    return lambda period, set_code=None: performance_summary(period_key=period, set_code=set_code)


@pytest.mark.parametrize(("period", "set_code", "total", "red"), [
    ("2006-05", "FULL", 89, 45), ("2006-05", "LAA", 69, 42), ("2006-05", "LPSA2G", 27, 14),
    ("2006-07", "FULL", 89, 19), ("2006-07", "LAA", 69, 18), ("2006-07", "LPSA2G", 27, 7),
])
def test_the_r_counts_of_the_report(figures, period, set_code, total, red):
    counts = figures(period, set_code)["indicators"]
    assert (counts["total"], counts["R"]) == (total, red)


def test_each_set_is_counted_with_the_sets_inside_it(figures):
    by_set = figures("2006-07")["by_set"]
    assert {code: (c["total"], c["R"]) for code, c in by_set.items()} == {
        "FULL": (89, 19), "LAA": (69, 18), "LPSA2G": (27, 7),
    }
    assert {code: c["R"] for code, c in figures("2006-05")["by_set"].items()} == {"FULL": 45, "LAA": 42, "LPSA2G": 14}


def test_july_laa_r_by_theme_is_4_4_and_10(figures):
    themes = figures("2006-07", "LAA")["by_theme"]
    assert {name: c["R"] for name, c in themes.items()} == {HCOP: 4, EDE: 4, SSC: 10, CYP: 0}
    assert sum(c["total"] for c in themes.values()) == 69


def test_fourteen_of_the_nineteen_are_r_because_of_the_template(figures):
    july = figures("2006-07", "FULL")["indicators"]
    assert (july["R"], july["R_template"]) == (19, 14)


def test_the_seven_lpsa2g_reds_are_three_without_targets_and_four_without_a_robust_plan(council, db):
    from indicators.selectors import period_status

    frame = period_status(period_key="2006-07", set_code="LPSA2G")
    red = frame[frame["status"] == "R"]
    no_target = sorted(red[red["reason"] == "no target"]["title"])
    assert len(no_target) == 3
    assert any("pension credit" in t for t in no_target)
    assert any("unscheduled hospital bed days" in t for t in no_target)
    assert any("satisfied with their homecare" in t for t in no_target)
    no_plan = red[red["reason"] == "no robust action plan"]["title"]
    assert len(no_plan) == 4 and all("aged 19+ achieving a Level" in t for t in no_plan)


def test_may_was_worse_because_templates_were_completed_in_june_and_july(council, db):
    from indicators.selectors import period_status

    may = period_status(period_key="2006-05", set_code="FULL").set_index("code")
    july = period_status(period_key="2006-07", set_code="FULL").set_index("code")
    late_targets = set(Target.objects.filter(agreed_on__month__in=[6, 7], agreed_on__year=2006).values_list("indicator__code", flat=True))
    late_plans = set(Indicator.objects.filter(action_plan_agreed_on__month=7).values_list("code", flat=True))
    assert late_targets and late_plans
    for code in late_targets:
        assert (may.loc[code, "status"], may.loc[code, "reason"]) == ("R", "no target")
        assert july.loc[code, "status"] == "G"
    for code in late_plans:
        assert (may.loc[code, "status"], may.loc[code, "reason"]) == ("R", "no robust action plan")
        assert july.loc[code, "status"] == "G"


def test_the_command_prints_the_same_figures_as_json(council, db):
    for period, set_code, red in (("2006-05", "FULL", 45), ("2006-07", "LAA", 18), ("2006-07", "LPSA2G", 7)):
        out = io.StringIO()
        call_command("performance_summary", "--period", period, "--set", set_code, "--format", "json", stdout=out)
        data = json.loads(out.getvalue())
        assert (data["period"], data["set"], data["indicators"]["R"]) == (period, set_code, red)
    out = io.StringIO()
    call_command("performance_summary", "--period", "2006-07", "--set", "LAA", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert {name: c["R"] for name, c in data["by_theme"].items()} == {HCOP: 4, EDE: 4, SSC: 10, CYP: 0}
    assert data["previous"]["period"] == "2006-06"


@pytest.mark.parametrize(("code", "march", "april", "may", "target"), [
    ("CH141", "175", "181", "196", "220"), ("CH142", "17.2", "18.0", "18.3", "17.0"),
    ("CH143", "54.0", "49.1", "44.9", "60.0"), ("DIS1704", "70.1", "66.7", "67.8", "75.0"),
    ("CH145", "30.0", "26.5", "26.7", "45.0"), ("CH01", "16.8", "16.8", "17.1", "17.0"),
    ("LAC", "157", "158", "161", "155"), ("CPR", "63", "63", "64", "63"),
])
def test_the_safeguarding_kpis_carry_the_real_figures_of_004(council, db, code, march, april, may, target):
    actual = dict(Reading.objects.filter(indicator__code=code).values_list("period__key", "actual"))
    assert [actual[k] for k in ("2006-03", "2006-04", "2006-05")] == [Decimal(march), Decimal(april), Decimal(may)]
    assert Target.objects.get(indicator__code=code, period__key="2006/07").target == Decimal(target)
    indicator = Indicator.objects.get(code=code)
    assert indicator.lead.username == "officer"
    assert "004" in indicator.data_source


def test_the_two_counts_are_data_only(council, db):
    assert set(Indicator.objects.filter(polarity=Indicator.NONE).values_list("code", flat=True)) == {"LAC", "CPR"}


def test_every_other_figure_is_labelled_illustrative(council, db):
    sources = set(Indicator.objects.exclude(code__in=["CH141", "CH142", "CH143", "DIS1704", "CH145", "CH01", "LAC", "CPR"])
                  .values_list("data_source", flat=True))
    assert sources == {"Illustrative figures for the demo"}


def test_officer_leads_the_childrens_indicators_and_has_july_still_to_do(council, db):
    led = Indicator.objects.filter(lead__username="officer")
    assert 10 <= led.count() <= 20
    assert set(led.values_list("directorate__code", flat=True)) == {"CYPS"}
    missing_july = led.exclude(readings__period__key="2006-07")
    assert missing_july.filter(code="CH141").exists()
    assert Period.objects.get(key="2006-07").state == Period.OPEN
    assert Period.objects.get(key="2006-05").state == Period.LOCKED


def test_officer_enters_a_missing_july_figure_in_the_browser(council, db):
    client = Client()
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.get(username="officer")
    client.force_login(officer)
    july = Period.objects.get(key="2006-07")
    page = client.get(reverse("indicators:updates"), {"period": july.pk})
    assert page.status_code == 200 and "CH141" in page.text
    ch141 = Indicator.objects.get(code="CH141")
    response = client.post(
        reverse("indicators:update_row", kwargs={"period_id": july.pk, "indicator_id": ch141.pk}),
        {f"r{ch141.pk}-actual": "215", f"r{ch141.pk}-data_quality": "provisional", f"r{ch141.pk}-version": "0"},
    )
    assert response.status_code in (200, 302)
    assert Reading.objects.get(indicator=ch141, period=july).actual == Decimal(215)
    assert performance_summary(period_key="2006-07", set_code="FULL")["indicators"]["R"] == 19


def test_every_demo_figure_came_through_the_importer_with_its_history(council, db):
    first = ReadingHistory.objects.filter(how="import")
    assert first.count() == Reading.objects.count()
    assert set(first.values_list("source", flat=True)) == {"fixtures/demo/indicators"}
    assert set(first.values_list("by__username", flat=True)) == {"performance"}
