"""The performance team's SPC options for an indicator: set through the page, audited, shown on the chart."""

import re

from django.urls import reverse

from indicators.models import SpcRebase, SpcSettings
from organisation.models import AuditEvent
from tests.factories import indicator, reading

MONTHS = [f"2005-{m:02d}" for m in range(4, 13)] + [f"2006-{m:02d}" for m in range(1, 8)]


def text_of(response) -> str:
    main = response.content.decode().split('id="main-content"', 1)[1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).replace("&#x27;", "'")


def a_year_then_a_step(world):
    """Twelve months around 10, then four around 30: a shift up after a change of process."""
    ind = indicator("SPCO1", action_plan_robust=True, lead=world.officer)
    for i, key in enumerate(MONTHS):
        reading(ind, key, (10 if i < 12 else 30) + (i % 2) * 2)
    return ind


def test_the_performance_team_recalculates_the_limits_from_a_period_and_the_page_says_why(world, client_for):
    ind = a_year_then_a_step(world)
    client = client_for("performance")
    url = reverse("indicators:spc_rebase", args=[ind.pk])
    response = client.post(url, {"period": "2006-04", "reason": "New triage service from April 2006"})
    assert response.status_code == 302
    words = text_of(client.get(reverse("indicators:detail", args=[ind.pk])))
    assert "Limits recalculated from April 2006: New triage service from April 2006" in words
    assert "Average and limits from April 2006" in words
    assert "Trial" not in words and "Not enough points" in words  # four points since the rebase
    event = AuditEvent.objects.get(action="spc_rebased")
    assert "New triage service" in event.summary and event.object_id == str(ind.pk)


def test_trial_limits_judge_the_few_points_since_a_rebase_and_say_trial(world, client_for):
    ind = a_year_then_a_step(world)
    client = client_for("performance")
    client.post(reverse("indicators:spc_rebase", args=[ind.pk]), {"period": "2006-04", "reason": "New service"})
    response = client.post(reverse("indicators:spc_options", args=[ind.pk]), {
        "run_length": "6", "trial_limits": "on", "baseline_end": "", "reason": "Judge the new service early",
    })
    assert response.status_code == 302
    words = text_of(client.get(reverse("indicators:detail", args=[ind.pk])))
    assert "Common cause variation (trial limits)" in words
    assert "6 points in a row make a shift or a trend" in words
    settings_row = SpcSettings.objects.get(indicator=ind)
    assert settings_row.run_length == 6 and settings_row.trial_limits
    event = AuditEvent.objects.get(action="spc_options_changed")
    assert "the defaults -> run length 6" in event.summary and "Judge the new service early" in event.summary


def test_a_baseline_fixes_the_limits_and_the_step_shows_as_an_improvement(world, client_for):
    ind = a_year_then_a_step(world)
    client = client_for("performance")
    client.post(reverse("indicators:spc_options", args=[ind.pk]), {
        "run_length": "7", "baseline_end": "2006-03", "reason": "Baseline year 2005-06",
    })
    words = text_of(client.get(reverse("indicators:detail", args=[ind.pk])))
    assert "fixed on the baseline to March 2006" in words
    assert "Special cause: improvement (high)" in words


def test_a_change_without_a_reason_is_refused_and_nothing_is_saved(world, client_for):
    ind = a_year_then_a_step(world)
    response = client_for("performance").post(reverse("indicators:spc_options", args=[ind.pk]), {"run_length": "6"})
    assert response.status_code == 400
    assert "Say why you are changing" in response.content.decode()
    assert not SpcSettings.objects.exists() and not AuditEvent.objects.filter(action__startswith="spc").exists()


def test_an_officer_cannot_change_the_chart_or_see_the_form(world, client_for):
    ind = a_year_then_a_step(world)
    client = client_for("officer")
    assert "Change how this chart is worked out" not in text_of(client.get(reverse("indicators:detail", args=[ind.pk])))
    response = client.post(reverse("indicators:spc_rebase", args=[ind.pk]), {"period": "2006-04", "reason": "x"})
    assert response.status_code == 404
    assert not SpcRebase.objects.exists()


def test_removing_a_rebase_goes_back_to_one_set_of_limits_and_is_audited(world, client_for):
    ind = a_year_then_a_step(world)
    client = client_for("performance")
    client.post(reverse("indicators:spc_rebase", args=[ind.pk]), {"period": "2006-04", "reason": "New service"})
    rebase = SpcRebase.objects.get()
    client.post(reverse("indicators:spc_rebase_remove", args=[ind.pk, rebase.pk]))
    words = text_of(client.get(reverse("indicators:detail", args=[ind.pk])))
    assert "Average and limits from" not in words and "Special cause: improvement (high)" in words
    assert AuditEvent.objects.filter(action="spc_rebase_removed").count() == 1


def test_a_missing_month_is_a_gap_in_the_chart(world, client_for):
    ind = indicator("SPCGAP", lead=world.officer)
    for i, key in enumerate(MONTHS):
        if key != "2005-10":
            reading(ind, key, 10 + (i % 2) * 2)
    html = client_for("performance").get(reverse("indicators:detail", args=[ind.pk])).content.decode()
    chart = html.split('<svg class="app-chart"', 1)[1].split("</svg>", 1)[0]
    actual_lines = re.findall(r'<polyline points="[^"]*" fill="none" stroke="#1d70b8"', chart)
    assert len(actual_lines) == 2  # the actuals: two lines, either side of the gap
