"""The demo council's comparator figures load through the import, are labelled illustrative, and give positions."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction

from benchmarking.models import (
    ComparatorCouncil,
    ComparatorGroup,
    ComparatorMetric,
    ComparatorValue,
)
from benchmarking.selectors import positions_for, quartile_summary
from benchmarking.stored import stored_positions
from demo.loaders import benchmarking as demo
from demo.loaders import indicators as indicators_demo
from demo.loaders import organisation as organisation_demo


@pytest.fixture(scope="module")
def council(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        organisation_demo.load()
        indicators_demo.load()
        demo.load()
        yield
        transaction.set_rollback(True)


def test_herefordshire_and_fifteen_neighbours_three_years_labelled_illustrative(council, db):
    group = ComparatorGroup.objects.get(kind=ComparatorGroup.NEAREST_NEIGHBOURS)
    assert group.members.count() == 16
    assert "ILLUSTRATIVE" in group.description and "illustrative" in group.name
    assert ComparatorCouncil.objects.get(is_us=True).code == "E06000019"
    assert sorted(set(ComparatorValue.objects.values_list("period", flat=True))) == ["2003/04", "2004/05", "2005/06"]
    mapped = ComparatorMetric.objects.filter(indicator__isnull=False)
    assert 10 <= mapped.count() <= 20
    band = mapped.get(polarity=ComparatorMetric.BAND)
    assert band.indicator.code == "CH01" and band.band_low < band.band_high


def test_every_mapped_demo_indicator_has_a_position_for_the_demo_year(council, db):
    got = positions_for(date(2006, 7, 31))

    assert len(got) == ComparatorMetric.objects.filter(indicator__isnull=False).count()
    for positions in got.values():
        [p] = positions
        assert p.period == "2005/06" and p.previous_period == "2004/05"
        assert p.position.group_size == 16 and p.position.rank is not None
    quartiles = {p.position.quartile for [p] in got.values()}
    assert len(quartiles) >= 3  # the demo shows a spread, not every indicator in one quartile


def test_loading_the_demo_twice_changes_nothing(council, db):
    before = ComparatorValue.objects.count()
    demo.load()
    assert ComparatorValue.objects.count() == before


def test_the_summary_counts_the_same_quartiles_and_trends_as_each_indicator_position(council, db):
    one_by_one = positions_for(date(2006, 7, 31))

    [summary] = quartile_summary(date(2006, 7, 31))

    assert summary.group.kind == ComparatorGroup.NEAREST_NEIGHBOURS
    assert summary.benchmarked == len(one_by_one)
    for quartile in (1, 2, 3, 4):
        expected = sorted(ind for ind, [p] in one_by_one.items() if p.position.quartile == quartile)
        assert summary.quartiles[quartile] == expected
    assert summary.trends == {word: sum(1 for [p] in one_by_one.values() if p.trend == word)
                              for word in ("up", "down", "same")}
    assert summary.share(1) == round(100 * len(summary.quartiles[1]) / summary.benchmarked)


def test_the_kept_positions_say_what_the_figures_say(council, db):
    exact = positions_for(date(2006, 7, 31))

    kept = stored_positions(date(2006, 7, 31))

    assert set(kept) == set(exact)
    for indicator_id, [p] in exact.items():
        [s] = kept[indicator_id]
        assert (s.metric_id, s.group, s.period, s.previous_period) == (p.metric.pk, p.group, p.period, p.previous_period)
        assert (s.rank, s.tied, s.of, s.quartile, s.trend) == (p.position.rank, p.position.tied, p.position.of,
                                                               p.position.quartile, p.trend)
        assert s.missing == len(p.position.missing)
        assert s.median == pytest.approx(float(p.position.median))
