"""What the statistics need, read in a fixed number of queries: for a period of ours and each mapped
indicator, the comparator figures of every group our council belongs to, for the latest comparator
period ending on or before our period's end and the one before it (for the trend).

`comparison_figures` gives them as objects (exact Decimals, every member listed, a missing figure as
None), for the pages, read through one SQL statement that picks the two latest comparator periods
per metric with a window function, so no query is repeated per indicator. Lists, dashboards and the
report read the positions kept for every indicator instead (benchmarking.stored, `quartile_summary`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection

from .models import ComparatorCouncil, ComparatorGroup, ComparatorMetric, ComparatorValue
from .position import Polarity, Position, as_polarity, position, rank_trend
from .stored import exact, members_of, stored_positions

LATEST, PREVIOUS = 1, 2


@dataclass
class GroupFigures:
    """One group's figures for one metric and one comparator period: member code -> figure (None = none published)."""

    period: str
    period_end: date
    values: dict[str, Decimal | None]


@dataclass
class GroupComparison:
    group: ComparatorGroup
    latest: GroupFigures | None = None
    previous: GroupFigures | None = None


@dataclass
class MetricComparison:
    """One mapped comparator metric (its indicator, polarity and band on `metric`) and its groups' figures."""

    metric: ComparatorMetric
    groups: list[GroupComparison] = field(default_factory=list)


@dataclass
class ComparisonFigures:
    us: ComparatorCouncil | None
    names: dict[str, str]  # council code -> name, for every member of the groups
    by_indicator: dict[int, list[MetricComparison]]


def _period_end(period) -> date:
    return period.end if hasattr(period, "end") else period


def _mapped_metrics(indicator_ids: Iterable[int] | None):
    metrics = ComparatorMetric.objects.filter(indicator__isnull=False)
    if indicator_ids is not None:
        metrics = metrics.filter(indicator_id__in=list(indicator_ids))
    return metrics


def _rows_sql(*, indicator_ids: list[int] | None) -> tuple[str, list]:
    """SQL for (metric id, period, period end, rank of the period, group id, council code, value) of every
    member of every group containing our council, for each mapped metric's two latest periods."""
    values = ComparatorValue._meta.db_table
    metrics = ComparatorMetric._meta.db_table
    members = ComparatorGroup.members.through._meta.db_table
    councils = ComparatorCouncil._meta.db_table
    params: list = []
    # Table names come from the models and every value is a parameter.
    mapped = f"SELECT id FROM {metrics} WHERE indicator_id IS NOT NULL"  # noqa: S608
    if indicator_ids is not None:
        mapped += f" AND indicator_id IN ({', '.join(['%s'] * len(indicator_ids))})" if indicator_ids else " AND 1 = 0"
        params += indicator_ids
    # SQLite's driver parses a date column's text in Python, row by row (a third of a second for 800,000
    # figures of 1,000 metrics x 400 councils); the callers read it once per metric and period, as text or date.
    period_end = "CAST(v.period_end AS TEXT)" if connection.vendor == "sqlite" else "v.period_end"
    sql = f"""
        WITH ends AS (
            SELECT metric_id, period_end,
                   DENSE_RANK() OVER (PARTITION BY metric_id ORDER BY period_end DESC) AS n
            FROM (SELECT DISTINCT metric_id, period_end FROM {values}
                  WHERE period_end <= %s AND metric_id IN ({mapped})) AS d
        ),
        ours AS (
            SELECT m.comparatorgroup_id AS group_id FROM {members} m
            JOIN {councils} c ON c.id = m.comparatorcouncil_id WHERE c.is_us
        )
        SELECT v.metric_id, v.period, {period_end}, e.n, gm.comparatorgroup_id, cc.code, v.value
        FROM {values} v
        JOIN ends e ON e.metric_id = v.metric_id AND e.period_end = v.period_end AND e.n <= 2
        JOIN {members} gm ON gm.comparatorcouncil_id = v.council_id
        JOIN {councils} cc ON cc.id = v.council_id
        WHERE gm.comparatorgroup_id IN (SELECT group_id FROM ours)
    """  # noqa: S608
    return sql, params


def _rows(period_end: date, indicator_ids):
    ids = None if indicator_ids is None else sorted(set(indicator_ids))
    sql, params = _rows_sql(indicator_ids=ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, [period_end, *params])
        return cursor.fetchall()


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def comparison_figures(period, indicator_ids: Iterable[int] | None = None) -> ComparisonFigures:
    """The figures the statistics need for `period` (an organisation.Period, or a date: its end), by indicator.

    Five queries whatever the number of indicators, groups, councils or periods: our council, the
    groups containing it, their members, the mapped metrics, and the figures.
    """
    end = _period_end(period)
    us = ComparatorCouncil.objects.filter(is_us=True).first()
    if us is None:
        return ComparisonFigures(us=None, names={}, by_indicator={})
    groups = {g.pk: g for g in ComparatorGroup.objects.filter(members=us)}
    members, names = members_of(groups)
    metrics = {m.pk: m for m in _mapped_metrics(indicator_ids)}
    figures: dict[tuple[int, int, int], GroupFigures] = {}
    if groups and metrics:
        for metric_id, label, period_end, n, group_id, code, value in _rows(end, indicator_ids):
            if metric_id not in metrics:
                continue
            key = (metric_id, group_id, n)
            found = figures.get(key)
            if found is None:
                found = figures[key] = GroupFigures(
                    period=label, period_end=_as_date(period_end),
                    values=dict.fromkeys(sorted(members[group_id])),
                )
            found.values[code] = exact(value)
    by_indicator: dict[int, list[MetricComparison]] = defaultdict(list)
    ordered_groups = sorted(groups.values(), key=lambda g: (g.order, g.name))
    for metric in sorted(metrics.values(), key=lambda m: (m.source, m.metric_id)):
        comparison = MetricComparison(metric=metric)
        for group in ordered_groups:
            latest = figures.get((metric.pk, group.pk, LATEST))
            if latest is None:
                continue
            comparison.groups.append(GroupComparison(
                group=group, latest=latest, previous=figures.get((metric.pk, group.pk, PREVIOUS)),
            ))
        if comparison.groups:
            by_indicator[metric.indicator_id].append(comparison)
    return ComparisonFigures(us=us, names=names, by_indicator=dict(by_indicator))


# --- Positions ------------------------------------------------------------------------------

@dataclass(frozen=True)
class GroupPosition:
    """Where our council stands on one mapped metric in one group: the latest comparator period up to our
    period's end, and the one before (None when there is none, or we had no figure in it)."""

    metric: ComparatorMetric
    group: ComparatorGroup
    period: str
    period_end: date
    position: Position
    previous_period: str | None
    previous: Position | None
    names: dict[str, str]  # council code -> name, for the chart and table

    @property
    def trend(self) -> str | None:
        return rank_trend(self.previous, self.position)


def polarity_of(metric: ComparatorMetric) -> Polarity:
    """The metric's polarity for the statistics; a band without both ends is read as higher-is-better."""
    return as_polarity((metric.polarity, metric.band_low, metric.band_high))


def positions_for(period, indicator_ids: Iterable[int] | None = None) -> dict[int, list[GroupPosition]]:
    """indicator id -> our position in each group, for each metric mapped to it, in the queries of
    `comparison_figures`. Indicators with no comparator figures up to the period are left out."""
    figures = comparison_figures(period, indicator_ids)
    out: dict[int, list[GroupPosition]] = {}
    if figures.us is None:
        return out
    us = figures.us.code
    for indicator_id, comparisons in figures.by_indicator.items():
        found = []
        for comparison in comparisons:
            polarity = polarity_of(comparison.metric)
            for group in comparison.groups:
                now = position(group.latest.values, us, polarity)
                if now is None:
                    continue
                before = position(group.previous.values, us, polarity) if group.previous else None
                found.append(GroupPosition(
                    metric=comparison.metric, group=group.group, period=group.latest.period,
                    period_end=group.latest.period_end, position=now,
                    previous_period=group.previous.period if group.previous else None, previous=before,
                    names={code: figures.names.get(code, code) for code in group.latest.values},
                ))
        if found:
            out[indicator_id] = found
    return out


# --- The summary over every indicator ---------------------------------------------------------

@dataclass
class GroupSummary:
    """How many benchmarked indicators sit in each quartile of one group, for the report's paragraph
    ("12 of 39 benchmarked indicators (31%) are in the top quartile of our nearest neighbours")."""

    group: ComparatorGroup
    benchmarked: int  # indicators with a rank for us in the group's latest period
    quartiles: dict[int, list[int]]  # quartile (1 top .. 4 bottom) -> indicator ids
    no_quartile: list[int]  # ranked, but the group had fewer than four figures
    trends: dict[str, int]  # "up" / "down" / "same" -> indicators

    def share(self, quartile: int) -> int:
        """Per cent of the benchmarked indicators in a quartile, rounded."""
        return round(100 * len(self.quartiles[quartile]) / self.benchmarked) if self.benchmarked else 0


def quartile_summary(period, indicator_ids: Iterable[int] | None = None) -> list[GroupSummary]:
    """Per group containing our council, each benchmarked indicator's quartile and trend, from the kept
    positions (benchmarking.stored): three queries and no figure read, for 1,000 indicators x 400 councils
    within the summary's target. An indicator mapped to several metrics counts once in a group, by its
    first metric (source, then metric id)."""
    found = stored_positions(_period_end(period), indicator_ids)
    by_group: dict[int, GroupSummary] = {}
    for indicator_id, positions in found.items():
        counted = set()
        for p in positions:  # in group order, and within a group in metric order: the first metric counts
            if p.group.pk in counted:
                continue
            counted.add(p.group.pk)
            summary = by_group.get(p.group.pk)
            if summary is None:
                summary = by_group[p.group.pk] = GroupSummary(
                    group=p.group, benchmarked=0, quartiles={1: [], 2: [], 3: [], 4: []}, no_quartile=[],
                    trends={"up": 0, "down": 0, "same": 0},
                )
            summary.benchmarked += 1
            (summary.quartiles[p.quartile] if p.quartile else summary.no_quartile).append(indicator_id)
            if p.trend:
                summary.trends[p.trend] += 1
    for summary in by_group.values():
        for ids in [*summary.quartiles.values(), summary.no_quartile]:
            ids.sort()
    return sorted(by_group.values(), key=lambda s: (s.group.order, s.group.name))
