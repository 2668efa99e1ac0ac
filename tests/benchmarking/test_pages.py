"""Where people see benchmarking: the indicator page's panel, the list's quartile column, the dashboard,
and the sentence the performance team edits (kept, audited, shown instead of the draft)."""

import pytest
from django.urls import reverse

from benchmarking.models import (
    BenchmarkCommentary,
    ComparatorGroup,
    ComparatorMetric,
    ComparatorValue,
)
from core import policy
from organisation.models import AuditEvent
from tests.benchmarking.factories import benchmarked, benchmarked_once
from tests.factories import period
from tests.indicators.test_indicator_pages import many, text_of


def _detail(client, ind):
    return client.get(reverse("indicators:detail", kwargs={"pk": ind.pk}))


def test_the_indicator_page_shows_the_hand_worked_position_in_a_group_of_16(world, client_for):
    benchmarked_once(world.indicator)
    response = _detail(client_for("officer"), world.indicator)
    words = text_of(response)
    assert "Against comparable councils" in words
    assert "Nearest neighbours, 2005-06" in words
    assert "Our figure 82%" in words
    assert "Rank 4th of 16" in words and "Quartile Top" in words
    assert "Group median 76.5%" in words and "Top quartile from 82%" in words
    assert "Against the median 5.5% better" in words and "To the top quartile In the top quartile" in words
    assert "Rank since 2004-05 Up from 9th of 16 in 2004-05" in words
    html = response.content.decode()
    panel = html.split('id="benchmarking"', 1)[1]
    assert '<svg' in panel and "<figcaption" in panel
    # The table view: every council best first, ours marked.
    assert "Herefordshire (us)" in panel and 'class="app-table-scroll"' in panel
    assert words.index("1st Council 1 90% Top") < words.index("4th Herefordshire (us) 82% Top") \
        < words.index("16th Council 15 60% Bottom")


def test_ties_and_missing_figures_are_said(world, client_for):
    benchmarked(world.indicator, [80, 90, 80, 70, None, None, 60, 50])
    words = text_of(_detail(client_for("officer"), world.indicator))
    assert "Rank joint 2nd of 6 (2 of 8 councils published no figure)" in words
    assert "No figure Council 4 No figure" in words and "No figure Council 5 No figure" in words


def test_a_goldilocks_measure_ranks_every_council_inside_the_band_first(world, client_for):
    benchmarked(world.indicator, [5, 4.5, 7, 3, 6, 9], polarity=ComparatorMetric.BAND, band=(4, 6))
    words = text_of(_detail(client_for("officer"), world.indicator))
    assert "Rank joint 1st of 6" in words


def test_a_page_without_comparators_shows_no_panel_and_members_may_not_see_benchmarking(world, client_for):
    words = text_of(_detail(client_for("officer"), world.indicator))
    assert "Against comparable councils" not in words
    assert not policy.may_view_benchmarking(world.member)
    assert policy.may_view_benchmarking(world.officer)


def test_the_list_shows_each_indicators_quartile_for_the_figures_published_by_its_period(world, client_for):
    benchmarked_once(world.indicator)
    client = client_for("officer")
    words = text_of(client.get(reverse("indicators:list"), {"period": "2006-07"}))
    assert "Quartile" in words and "Top (4th of 16)" in words
    # In July 2005 only 2004-05 had been published: 9th of 16 is the lower middle quartile (ceil(4 x 9 / 16) = 3).
    period("2005-07")
    words = text_of(client.get(reverse("indicators:list"), {"period": "2005-07"}))
    assert "Lower middle (9th of 16)" in words


@pytest.mark.parametrize(("page", "shown"), [
    ("list", "Lower middle (3rd of 5)"), ("dashboard", "Nearest neighbours (2005-06): 98 indicators benchmarked"),
])
def test_the_list_and_dashboard_read_the_quartiles_in_the_same_number_of_queries_for_8_and_98_indicators(
    page, shown, world, client_for
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("performance")
    url = reverse(f"indicators:{page}")
    few = many(world, 8)
    for ind in few:
        benchmarked(ind, [3, 1, 2, 4, 5], metric_id=ind.code)
    client.get(url, {"period": "2006-03"})
    with CaptureQueriesContext(connection) as small:
        client.get(url, {"period": "2006-03"})
    more = many(world, 90, start=8)
    for ind in more:
        benchmarked(ind, [3, 1, 2, 4, 5], metric_id=ind.code)
    client.get(url, {"period": "2006-03"})  # the SPC judgement of the new figures is worked out once, then reused
    with CaptureQueriesContext(connection) as big:
        response = client.get(url, {"period": "2006-03"})
    assert shown in text_of(response)
    assert len(big) == len(small)


def test_the_dashboard_counts_indicators_by_quartile(world, client_for):
    benchmarked_once(world.indicator)
    words = text_of(client_for("performance").get(reverse("indicators:dashboard"), {"period": "2006-07"}))
    assert "Nearest neighbours (2005-06): 1 indicator benchmarked" in words
    assert "Top 1 Upper middle 0 Lower middle 0 Bottom 0" in words


def _edit_url(measure):
    return reverse("benchmarking:commentary", kwargs={
        "metric_id": measure.pk, "group_id": ComparatorGroup.objects.get(name="Nearest neighbours").pk})


def test_the_performance_team_edits_the_sentence_and_it_is_kept_audited_and_shown(world, client_for):
    measure = benchmarked_once(world.indicator)
    team = client_for("performance")
    drafted = text_of(team.get(_edit_url(measure))).split("Drafted from the figures now: ", 1)[1]
    mine = "Referrals are among the best four of our sixteen nearest neighbours."
    response = team.post(_edit_url(measure), {"text": mine})
    assert response.status_code == 302
    note = BenchmarkCommentary.objects.get(metric=measure, period="2005-06")
    assert note.edited_text == mine and note.edited_by == world.performance and note.edited_against
    assert drafted.startswith(note.edited_against)
    event = AuditEvent.objects.get(action="benchmark_commentary_edited")
    assert event.user == world.performance and mine in event.summary
    words = text_of(_detail(client_for("officer"), world.indicator))
    assert mine in words and "Edited by Performance" in words
    assert note.edited_against not in words  # the draft is not shown beside an edit whose figures still hold
    assert "Figures changed since edited" not in words


def test_the_page_says_when_the_figures_have_changed_since_the_edit(world, client_for):
    measure = benchmarked_once(world.indicator)
    team = client_for("performance")
    team.post(_edit_url(measure), {"text": "Among the best."})
    ComparatorValue.objects.filter(metric=measure, period="2005-06", council__is_us=True).update(value=50)
    words = text_of(_detail(client_for("officer"), world.indicator))
    assert "Among the best." in words and "Figures changed since edited" in words
    assert "Rank 16th of 16" in words


def test_blank_words_hand_the_sentence_back_to_the_figures(world, client_for):
    measure = benchmarked_once(world.indicator)
    team = client_for("performance")
    team.post(_edit_url(measure), {"text": "Mine."})
    team.post(_edit_url(measure), {"text": ""})
    note = BenchmarkCommentary.objects.get(metric=measure)
    assert note.edited_text == "" and note.edited_by is None
    assert "Mine." not in text_of(_detail(client_for("officer"), world.indicator))
    assert AuditEvent.objects.filter(action="benchmark_commentary_edited").count() == 2


@pytest.mark.parametrize("role", ["officer", "approver", "member"])
def test_only_the_performance_team_may_edit_the_sentence(role, world, client_for):
    measure = benchmarked_once(world.indicator)
    client = client_for(role)
    assert client.post(_edit_url(measure), {"text": "Mine."}).status_code == 404
    assert not BenchmarkCommentary.objects.exists()
    assert not policy.may_edit_benchmark_commentary(world.users[role])
    assert policy.may_edit_benchmark_commentary(world.performance)
    assert "Edit the sentence" not in text_of(_detail(client, world.indicator)) or role == "member"


def test_a_group_we_are_not_in_is_not_shown(world, client_for):
    measure = benchmarked_once(world.indicator)
    others = ComparatorGroup.objects.create(name="Welsh councils", kind=ComparatorGroup.NATION)
    others.members.add(*[v.council for v in ComparatorValue.objects.filter(metric=measure)[:5] if not v.council.is_us])
    assert "Welsh councils" not in text_of(_detail(client_for("officer"), world.indicator))


def test_the_indicator_page_reads_benchmarking_in_the_same_number_of_queries_for_16_or_400_councils(
    world, client_for
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("performance")
    benchmarked_once(world.indicator)
    _detail(client, world.indicator)
    with CaptureQueriesContext(connection) as small:
        _detail(client, world.indicator)
    wide = benchmarked(world.other_indicator, list(range(400)), group_name="All English councils", metric_id="W1")
    wide.indicator = world.indicator
    wide.save()
    _detail(client, world.indicator)
    with CaptureQueriesContext(connection) as big:
        words = text_of(_detail(client, world.indicator))
    assert "All English councils, 2005-06" in words and "Nearest neighbours, 2005-06" in words
    assert len(big) == len(small)
