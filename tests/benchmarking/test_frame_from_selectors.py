"""positions_frame over the selectors' frame gives the positions the pages show (positions_for)."""

from datetime import date

import pytest

from benchmarking.position import positions_frame, rank_trends
from benchmarking.selectors import comparison_frame, positions_for

from .test_position import _same
from .test_selectors import _comparators

pytestmark = pytest.mark.django_db


def test_the_summary_frame_agrees_with_the_pages_positions():
    indicators, metrics = _comparators(4, 9)
    read = comparison_frame(date(2024, 3, 31))

    frame = positions_frame(read.frame, us=read.us, polarities=read.polarities)
    trends = rank_trends(frame, latest=1, previous=2)

    pages = positions_for(date(2024, 3, 31))
    checked = 0
    for metric in metrics:
        [shown] = pages[read.indicators[metric.pk]]
        row = frame.loc[(metric.pk, 1, shown.group.pk)]
        for field in ("value", "rank", "quartile", "median", "top_boundary", "lower_quartile_boundary",
                      "gap_to_median", "gap_to_top_quartile"):
            assert _same(getattr(shown.position, field), row[field]), (metric, field)
        assert (row["of"], row["tied"], row["outlier"]) == (shown.position.of, shown.position.tied, shown.position.outlier)
        assert trends[(metric.pk, shown.group.pk)] == shown.trend
        checked += 1
    assert checked == len(indicators) == 4
