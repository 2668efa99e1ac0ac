"""The selectors read each mapped indicator's comparator figures for a period in a fixed number of queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarking.comparators import group_member_remove, metric_map
from benchmarking.models import (
    ComparatorCouncil,
    ComparatorGroup,
    ComparatorMetric,
    ComparatorValue,
)
from benchmarking.selectors import comparison_figures, positions_for
from benchmarking.stored import refresh, stored_positions
from tests import factories

pytestmark = pytest.mark.django_db

YEARS = [("2021-22", date(2022, 3, 31)), ("2022-23", date(2023, 3, 31)), ("2023-24", date(2024, 3, 31))]


def _comparators(n_indicators: int, n_councils: int, prefix: str = "BM"):
    """Our council and n_councils - 1 others in a nearest-neighbour group, and a group we are not in;
    n_indicators mapped metrics with three years each, and one unmapped metric."""
    us = ComparatorCouncil.objects.create(code="E06000019", name="Herefordshire", is_us=True)
    others = ComparatorCouncil.objects.bulk_create(
        ComparatorCouncil(code=f"E0800{k:04d}", name=f"Council {k}") for k in range(1, n_councils)
    )
    others = list(ComparatorCouncil.objects.exclude(pk=us.pk).order_by("code"))
    neighbours = ComparatorGroup.objects.create(name="Nearest neighbours", kind=ComparatorGroup.NEAREST_NEIGHBOURS)
    neighbours.members.add(us, *others)
    not_ours = ComparatorGroup.objects.create(name="Another family")
    not_ours.members.add(*others[:2])
    indicators = [factories.indicator(f"{prefix}{i:02d}") for i in range(n_indicators)]
    metrics = [
        ComparatorMetric.objects.create(source="LG Inform", metric_id=str(1000 + i), indicator=ind,
                                        polarity=ComparatorMetric.LOWER if i % 2 else ComparatorMetric.HIGHER)
        for i, ind in enumerate(indicators)
    ]
    unmapped = ComparatorMetric.objects.create(source="LG Inform", metric_id="9999")
    rows = []
    for metric in [*metrics, unmapped]:
        for y, (label, end) in enumerate(YEARS):
            for c, council in enumerate([us, *others]):
                if c == 1 and label == "2022-23":
                    continue  # this council published nothing that year: no row at all
                rows.append(ComparatorValue(
                    metric=metric, council=council, period=label, period_end=end,
                    value=None if c == 2 else Decimal(f"{10 * y + c}.5"), note="x" if c == 2 else "",
                ))
    ComparatorValue.objects.bulk_create(rows)
    return indicators, metrics


def test_figures_are_the_latest_year_ending_by_our_period_and_the_year_before():
    indicators, metrics = _comparators(2, 5)

    got = comparison_figures(date(2023, 6, 30))

    assert got.us.code == "E06000019"
    assert set(got.by_indicator) == {ind.pk for ind in indicators}
    [comparison] = got.by_indicator[indicators[0].pk]
    assert comparison.metric == metrics[0]
    [neighbours] = comparison.groups
    assert neighbours.group.name == "Nearest neighbours"
    assert (neighbours.latest.period, neighbours.latest.period_end) == ("2022-23", date(2023, 3, 31))
    assert neighbours.previous.period == "2021-22"
    assert neighbours.latest.values == {
        "E06000019": Decimal("10.5"), "E08000001": None, "E08000002": None, "E08000003": Decimal("13.5"),
        "E08000004": Decimal("14.5"),
    }
    assert neighbours.previous.values["E08000001"] == Decimal("1.5")
    assert got.names["E06000019"] == "Herefordshire"


def test_only_the_indicators_asked_for_and_no_comparison_before_the_first_year():
    indicators, _metrics = _comparators(3, 4)

    assert set(comparison_figures(date(2024, 3, 31), [indicators[1].pk]).by_indicator) == {indicators[1].pk}
    assert comparison_figures(date(2024, 3, 31), []).by_indicator == {}
    assert comparison_figures(date(2022, 3, 30)).by_indicator == {}
    only_one = comparison_figures(date(2022, 3, 31)).by_indicator[indicators[0].pk][0].groups[0]
    assert only_one.latest.period == "2021-22" and only_one.previous is None


def test_queries_do_not_grow_with_indicators_or_councils():
    read = comparison_figures
    _comparators(2, 4)
    with CaptureQueriesContext(connection) as small:
        read(date(2024, 3, 31))
    ComparatorValue.objects.all().delete()
    ComparatorMetric.objects.all().delete()
    ComparatorGroup.objects.all().delete()
    ComparatorCouncil.objects.all().delete()
    _comparators(12, 30, prefix="BX")
    with CaptureQueriesContext(connection) as large:
        got = read(date(2024, 3, 31))
    assert len(large) == len(small) <= 5
    assert got is not None


def test_positions_for_ranks_us_in_each_group_by_the_metric_polarity():
    indicators, _metrics = _comparators(2, 5)

    got = positions_for(date(2023, 3, 31))

    [higher] = got[indicators[0].pk]
    assert (higher.group.name, higher.period, higher.previous_period) == ("Nearest neighbours", "2022-23", "2021-22")
    # 2022-23: ours 10.5 against 13.5 and 14.5; one council has no row and one is suppressed.
    assert (higher.position.rank, higher.position.of) == (3, 3)
    assert higher.position.missing == ("E08000001", "E08000002")
    assert higher.position.median == Decimal("13.5")
    assert (higher.previous.rank, higher.previous.of) == (4, 4)
    assert higher.names["E06000019"] == "Herefordshire"
    [lower] = got[indicators[1].pk]
    assert (lower.position.rank, lower.previous.rank) == (1, 1)
    assert lower.trend == "same"


def test_positions_for_reads_in_the_same_queries_whatever_the_size():
    _comparators(2, 4)
    with CaptureQueriesContext(connection) as small:
        positions_for(date(2024, 3, 31))
    ComparatorValue.objects.all().delete()
    ComparatorMetric.objects.all().delete()
    ComparatorGroup.objects.all().delete()
    ComparatorCouncil.objects.all().delete()
    _comparators(10, 25, prefix="BY")
    with CaptureQueriesContext(connection) as large:
        got = positions_for(date(2024, 3, 31))
    assert len(got) == 10
    assert len(large) == len(small) <= 5


def test_kept_positions_follow_a_change_of_polarity_and_of_members():
    indicators, metrics = _comparators(1, 5)
    refresh()
    [before] = stored_positions(date(2023, 3, 31))[indicators[0].pk]
    assert (before.rank, before.of, before.missing) == (3, 3, 2)

    metric_map(metric=metrics[0], indicator=indicators[0], polarity="lower")
    [flipped] = stored_positions(date(2023, 3, 31))[indicators[0].pk]
    assert flipped.rank == 1

    group = ComparatorGroup.objects.get(name="Nearest neighbours")
    group_member_remove(group=group, council=ComparatorCouncil.objects.get(code="E08000004"))
    [smaller] = stored_positions(date(2023, 3, 31))[indicators[0].pk]
    assert (smaller.of, smaller.missing) == (2, 2)
    assert smaller.trend == positions_for(date(2023, 3, 31))[indicators[0].pk][0].trend


def test_kept_positions_are_read_in_two_queries_whatever_the_size():
    _comparators(2, 4)
    refresh()
    with CaptureQueriesContext(connection) as small:
        stored_positions(date(2024, 3, 31))
    assert len(small) == 2
