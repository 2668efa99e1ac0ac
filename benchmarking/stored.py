"""Our positions worked out once and kept, for the pages and the report that show every indicator at once.

A list, dashboard or Cabinet report over 1,000 indicators, each in a group of 400 councils, would read
800,000 figures every time to rank us (seconds, whatever the code). Instead `refresh` works out every
position exactly (`position.position`, as the indicator page does) when something it depends on
changes (an import, a metric's mapping or unit, a group's members, name or kind, which council is
ours: the services call it in the same transaction) and keeps one row per metric, group and
published period in ComparatorPosition, with the sentence drafted on it and the decimal places of
its figures. `stored_positions` reads them back in two queries. A page about one indicator still
works its group out from the figures (`selectors.positions_for`); tests hold the two together.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from django.db import connection, transaction

from . import commentary as drafting
from .models import (
    ComparatorCouncil,
    ComparatorGroup,
    ComparatorMetric,
    ComparatorPosition,
    ComparatorValue,
)
from .position import Position, as_polarity, position, rank_trend

BATCH_METRICS = 250  # metrics read and ranked together: bounds memory for groups of hundreds of councils


def _rows(metric_ids: list[int]):
    values = ComparatorValue._meta.db_table
    members = ComparatorGroup.members.through._meta.db_table
    councils = ComparatorCouncil._meta.db_table
    # SQLite's driver parses a date column's text in Python, row by row: read it as text, once per period.
    period_end = "CAST(v.period_end AS TEXT)" if connection.vendor == "sqlite" else "v.period_end"
    # Table names come from the models and every value is a parameter.
    sql = f"""
        SELECT v.metric_id, v.period, {period_end}, gm.comparatorgroup_id, cc.code, v.value
        FROM {values} v
        JOIN {members} gm ON gm.comparatorcouncil_id = v.council_id
        JOIN {councils} cc ON cc.id = v.council_id
        WHERE v.metric_id IN ({", ".join(["%s"] * len(metric_ids))})
          AND gm.comparatorgroup_id IN (
              SELECT m.comparatorgroup_id FROM {members} m JOIN {councils} c ON c.id = m.comparatorcouncil_id
              WHERE c.is_us)
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, metric_ids)
        return cursor.fetchall()


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def exact(value) -> Decimal | None:
    """A stored figure as the statistics take it: without the column's trailing zeros, never in exponent form
    (720, not 7.2E+2); SQLite hands a decimal column back as a float, read through its shortest text."""
    if value is None:
        return None
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()


def members_of(group_ids: Iterable[int]) -> tuple[dict[int, list[str]], dict[str, str]]:
    """Each group's member codes, and every member's name by code, in one query."""
    members: dict[int, list[str]] = defaultdict(list)
    names: dict[str, str] = {}
    for group_id, code, name in ComparatorGroup.members.through.objects.filter(
        comparatorgroup_id__in=list(group_ids)
    ).values_list("comparatorgroup_id", "comparatorcouncil__code", "comparatorcouncil__name"):
        members[group_id].append(code)
        names[code] = name
    return members, names


@dataclass(frozen=True)
class _Context:
    """What every sentence of a refresh shares: our code, each member's name, each group and its members."""

    us: str
    names: dict[str, str]
    groups: dict[int, ComparatorGroup]
    members: dict[int, list[str]]


def refresh(*, metric_ids: Iterable[int] | None = None) -> int:
    """Work out again the kept positions of these metrics (None: every metric); returns the rows kept."""
    with transaction.atomic():
        stale = ComparatorPosition.objects.all()
        if metric_ids is not None:
            metric_ids = sorted(set(metric_ids))
            stale = stale.filter(metric_id__in=metric_ids)
        stale.delete()
        us = ComparatorCouncil.objects.filter(is_us=True).values_list("code", flat=True).first()
        if us is None:
            return 0
        mapped = ComparatorMetric.objects.filter(indicator__isnull=False)
        if metric_ids is not None:
            mapped = mapped.filter(pk__in=metric_ids)
        metrics = mapped.in_bulk()
        if not metrics:
            return 0
        groups = ComparatorGroup.objects.filter(members__code=us).in_bulk()
        members, names = members_of(groups)
        context = _Context(us=us, names=names, groups=groups, members={g: sorted(c) for g, c in members.items()})
        ids = sorted(metrics)
        kept = 0
        for start in range(0, len(ids), BATCH_METRICS):
            kept += _refresh_batch([metrics[pk] for pk in ids[start:start + BATCH_METRICS]], context)
        return kept


def _refresh_batch(metrics: list[ComparatorMetric], context: _Context) -> int:
    """Every kept position of these metrics, worked out exactly as the indicator page works out one
    (position.position over the group's members, a member with no row counting as no figure), with the
    sentence drafted as the page drafts it and the places its figures are shown with."""
    figures: dict[tuple[int, str, int], dict[str, Decimal | None]] = {}
    ends: dict[tuple[int, str], date] = {}
    for metric_id, period, period_end, group_id, code, value in _rows([m.pk for m in metrics]):
        found = figures.get((metric_id, period, group_id))
        if found is None:
            found = figures[(metric_id, period, group_id)] = dict.fromkeys(context.members[group_id])
            ends.setdefault((metric_id, period), _as_date(period_end))
        found[code] = exact(value)
    made = []
    for metric in metrics:
        polarity = as_polarity((metric.polarity, metric.band_low, metric.band_high))
        # The periods in the order they end; each position's trend is against the period before it.
        periods = sorted((end, period) for (m, period), end in ends.items() if m == metric.pk)
        for group_id, group in context.groups.items():
            earlier = earlier_period = None
            for end, period in periods:
                values = figures.get((metric.pk, period, group_id))
                if values is None:
                    earlier = earlier_period = None
                    continue
                now = position(values, context.us, polarity)
                made.append(_kept(metric, group, period, end, now, earlier, earlier_period, context))
                earlier, earlier_period = now, period
    ComparatorPosition.objects.bulk_create(made, batch_size=2000)
    return len(made)


def _kept(metric, group, period, end, now: Position, earlier: Position | None, earlier_period: str | None,
          context: _Context) -> ComparatorPosition:
    drafted = decimals = median_decimals = None
    if now.rank is not None:
        decimals, median_decimals = drafting.places(now)
        drafted = drafting.draft(
            now, council=context.names.get(context.us, context.us), group=drafting.group_phrase(group.kind, group.name),
            unit=metric.unit, period=period, earlier=earlier, earlier_period=earlier_period or "",
            decimals=decimals, names=context.names,
        )
    return ComparatorPosition(
        metric_id=metric.pk, group_id=group.pk, period=period, period_end=end,
        value=None if now.value is None else float(now.value), rank=now.rank, tied=now.tied, of=now.of,
        missing=len(now.missing), quartile=now.quartile,
        median=None if now.median is None else float(now.median),
        decimals=decimals, median_decimals=median_decimals, drafted=drafted,
    )


@dataclass(frozen=True)
class StoredPosition:
    """Our place for one mapped metric in one group: the latest kept period ending by a date, and the one before,
    with the sentence drafted on it and the places its figures and the group's median are shown with."""

    indicator_id: int
    metric_id: int
    unit: str
    group: ComparatorGroup
    period: str
    period_end: date
    value: float | None
    rank: int | None
    tied: bool
    of: int
    missing: int
    quartile: int | None
    median: float | None
    decimals: int | None = None
    median_decimals: int | None = None
    drafted: str | None = None
    previous_period: str | None = None
    previous_rank: int | None = None
    previous_of: int | None = None

    @property
    def trend(self) -> str | None:
        """As position.rank_trend says it: "up", "down", "same", or None without both ranks."""
        if self.rank is None or self.previous_rank is None:
            return None
        return rank_trend(SimpleNamespace(rank=self.previous_rank, of=self.previous_of),
                          SimpleNamespace(rank=self.rank, of=self.of))


_FIELDS = ("metric__indicator_id", "metric_id", "metric__unit", "group_id", "period", "period_end", "value", "rank",
           "tied", "of", "missing", "quartile", "median", "decimals", "median_decimals")
_METRIC, _GROUP, _PERIOD, _END, _RANK, _OF = 1, 3, 4, 5, 7, 9


def stored_positions(on: date, indicator_ids: Iterable[int] | None = None, *,
                     sentences: bool = False) -> dict[int, list[StoredPosition]]:
    """indicator id -> its kept positions (each metric and group, groups in their order, a group's metrics by
    source and id) for each metric's latest period ending on or before `on`, and the one before, as
    `selectors.positions_for` picks them: a group with no figures for the metric's latest period is left out,
    and one with none for the period before has no trend. With `sentences`, each drafted sentence too (the
    report wants them; a list does not). Two queries whatever the number of indicators, groups or councils."""
    rows = ComparatorPosition.objects.filter(period_end__lte=on, metric__indicator__isnull=False)
    if indicator_ids is not None:
        rows = rows.filter(metric__indicator_id__in=list(indicator_ids))
    fields = (*_FIELDS, "drafted") if sentences else _FIELDS
    ends: dict[int, set[date]] = defaultdict(set)
    by_group: dict[tuple[int, int], dict[date, tuple]] = defaultdict(dict)
    for row in rows.order_by("metric__source", "metric__metric_id", "group_id").values_list(*fields):
        ends[row[_METRIC]].add(row[_END])
        by_group[(row[_METRIC], row[_GROUP])][row[_END]] = row
    groups = ComparatorGroup.objects.in_bulk({group for _metric, group in by_group})
    out: dict[int, list[StoredPosition]] = defaultdict(list)
    for (metric_id, group_id), found in by_group.items():
        latest_end, *before_end = sorted(ends[metric_id], reverse=True)[:2]
        latest = found.get(latest_end)
        if latest is None or latest[_RANK] is None:
            continue  # the group published nothing for the metric's latest period, or we published no figure
        before = found.get(before_end[0]) if before_end else None
        indicator_id, _metric, unit, _group, period, end, value, rank, tied, of, missing, quartile, median, \
            decimals, median_decimals = latest[:len(_FIELDS)]
        out[indicator_id].append(StoredPosition(
            indicator_id=indicator_id, metric_id=metric_id, unit=unit, group=groups[group_id], period=period,
            period_end=end, value=value, rank=rank, tied=tied, of=of, missing=missing, quartile=quartile,
            median=median, decimals=decimals, median_decimals=median_decimals,
            drafted=latest[len(_FIELDS)] if sentences else None,
            previous_period=before[_PERIOD] if before else None, previous_rank=before[_RANK] if before else None,
            previous_of=before[_OF] if before else None,
        ))
    for positions in out.values():
        positions.sort(key=lambda p: (p.group.order, p.group.name))
    return dict(out)


def unfinished() -> bool:
    """Whether any kept position lacks what refresh now keeps with it (rows kept before the sentence was)."""
    return ComparatorPosition.objects.filter(rank__isnull=False, drafted__isnull=True).exists()
