"""The report reads each position's sentence and decimal places as kept when the figures changed
(benchmarking.stored); they must be what the indicator page works out from every figure (standings)."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarking import stored
from benchmarking.apps import _finish_kept_positions
from benchmarking.commentary import places
from benchmarking.comparators import group_save, metric_map
from benchmarking.importer import comparator_import
from benchmarking.models import (
    BenchmarkCommentary,
    ComparatorCouncil,
    ComparatorGroup,
    ComparatorMetric,
    ComparatorPosition,
    ComparatorValue,
)
from benchmarking.standings import kept_standings, rank_words, standings
from reports import sources
from tests import factories
from tests.benchmarking import factories as comparators

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files"


def _exact(on: date) -> list[tuple]:
    """Each row as the indicator page words it, from every figure."""
    out = []
    for s in standings(on=on):
        decimals, median_places = places(s.position)
        out.append((s.indicator_id, s.metric.pk, s.group.pk, s.period, sources.fixed(s.position.value, decimals),
                    rank_words(s), s.position.quartile, sources.fixed(s.position.median, median_places), s.text,
                    s.edited))
    return sorted(out)


def _kept(on: date) -> list[tuple]:
    """The same rows as the report reads them, from the kept positions."""
    out = []
    for k in kept_standings(indicator_ids=None, on=on):
        p = k.position
        out.append((p.indicator_id, p.metric_id, p.group.pk, p.period, sources.fixed(p.value, p.decimals),
                    k.rank_words, p.quartile, sources.fixed(p.median, p.median_decimals), k.text, k.edited))
    return sorted(out)


def _map_every_metric():
    for n, metric in enumerate(ComparatorMetric.objects.order_by("source", "metric_id")):
        indicator = factories.indicator(f"BM{n:02d}")
        metric_map(metric=metric, indicator=indicator, polarity="lower" if n % 2 else "higher")


@pytest.mark.parametrize(("name", "us", "dates"), [
    ("lginform.csv", "E06000019", [date(2023, 3, 31), date(2024, 3, 31)]),
    ("lgbf.csv", "Highland", [date(2022, 3, 31), date(2023, 3, 31)]),
])
def test_the_publishers_files_give_the_same_sentences_kept_as_worked_out(name, us, dates):
    comparator_import(source=FILES / name, filename=name, user=None, us=us)
    _map_every_metric()

    for on in dates:
        exact = _exact(on)
        assert exact, f"{name} gives no position by {on}"
        assert _kept(on) == exact


def test_random_groups_give_the_same_sentences_kept_as_worked_out():
    """Figures at 0-4 places, ties, councils with no figure or no row, a group with no figures for a year, bands,
    several groups and years."""
    rng = random.Random(20261205)
    councils = comparators.councils(24)
    small = comparators.group(7, name="Nearest neighbours")
    everyone = comparators.group(24, name="All councils", kind=ComparatorGroup.TYPE, order=1)
    assert small.members.count() == 7 and everyone.members.count() == 24
    years = [("2021-22", date(2022, 3, 31)), ("2022-23", date(2023, 3, 31)), ("2023-24", date(2024, 3, 31))]
    made = []
    for n in range(30):
        polarity = ["higher", "lower", "band"][n % 3]
        band = (40, 60) if polarity == "band" else None
        measure = comparators.metric(factories.indicator(f"RQ{n:02d}"), metric_id=f"RQ{n:02d}", polarity=polarity,
                                     band=band, unit=["%", "£", "days", ""][n % 4])
        decimals = n % 5
        for period, end in years:
            for k, council in enumerate(councils):
                roll = rng.random()
                if roll < 0.08:
                    continue  # no row at all: missing, as on the pages
                if n % 7 == 0 and period == "2022-23" and k < 7:
                    continue  # the small group published nothing that year: no trend across the gap
                value = None if roll < 0.15 else Decimal(rng.randint(300, 700)).scaleb(-1)
                if value is not None:
                    value = value.quantize(Decimal(1).scaleb(-decimals)) if rng.random() < 0.7 else value
                    if rng.random() < 0.2:
                        value = Decimal(50)  # ties, and for a band the inside
                made.append(ComparatorValue(metric=measure, council=council, period=period, period_end=end,
                                            value=value))
    ComparatorValue.objects.bulk_create(made)
    stored.refresh()

    for on in (date(2022, 6, 30), date(2023, 6, 30), date(2024, 6, 30)):
        exact = _exact(on)
        assert len(exact) > 30
        assert _kept(on) == exact


def test_an_edit_is_printed_and_a_renamed_group_redrafts_the_kept_sentence():
    indicator = factories.indicator("CH141")
    measure = comparators.benchmarked_once(indicator)
    on = date(2006, 7, 31)
    [row] = kept_standings(indicator_ids=[indicator.pk], on=on)
    assert "nearest-neighbour median" in row.text and not row.edited

    BenchmarkCommentary.objects.create(metric=measure, group=row.position.group, period=row.position.period,
                                       generated_text=row.text, edited_text="Our own words.", edited_against=row.text)
    group_save(group=row.position.group, name="Rural shires", kind=ComparatorGroup.OTHER)

    [after] = kept_standings(indicator_ids=[indicator.pk], on=on)
    assert (after.text, after.edited) == ("Our own words.", True)
    assert "Rural shires group median" in after.position.drafted
    assert _kept(on) == _exact(on)


def test_positions_kept_before_their_sentences_are_worked_out_after_migrate():
    comparators.benchmarked_once(factories.indicator("CH141"))
    on = date(2006, 7, 31)
    ComparatorPosition.objects.update(drafted=None, decimals=None, median_decimals=None)
    assert stored.unfinished()

    _finish_kept_positions(sender=None)

    assert not stored.unfinished()
    assert _kept(on) == _exact(on)


def test_the_reports_benchmarking_reads_the_same_queries_whatever_the_size():
    def build(n):
        indicators = [factories.indicator(f"Q{n}{k:02d}") for k in range(n)]
        comparators.group(9 + n)
        for k, indicator in enumerate(indicators):
            measure = comparators.metric(indicator, metric_id=f"Q{n}{k:02d}")
            comparators.values(measure, [k + 1.5, *range(2, 10 + n)])
        return [i.pk for i in indicators]

    small = build(2)
    with CaptureQueriesContext(connection) as few:
        got = sources.benchmarking(period_end=date(2006, 7, 31), indicator_ids=small)
    assert len(got["rows"]) == 2
    ComparatorValue.objects.all().delete()
    ComparatorCouncil.objects.exclude(is_us=True).delete()
    large = build(12)
    with CaptureQueriesContext(connection) as many:
        got = sources.benchmarking(period_end=date(2006, 7, 31), indicator_ids=large)
    assert len(got["rows"]) == 12
    assert len(many) == len(few) <= 3


def test_migrating_back_before_the_sentences_does_not_ask_for_them(monkeypatch):
    """After `migrate benchmarking 0002` the columns are gone: the hook must not query them."""
    from django.apps import apps as current
    from django.db.migrations.state import ProjectState

    asked = []
    monkeypatch.setattr(stored, "unfinished", lambda: asked.append(True) or False)
    earlier = ProjectState.from_apps(current)
    earlier.models["benchmarking", "comparatorposition"].fields.pop("drafted")

    _finish_kept_positions(sender=None, apps=earlier.apps)
    assert asked == []
    _finish_kept_positions(sender=None, apps=ProjectState.from_apps(current).apps)
    assert asked == [True]
