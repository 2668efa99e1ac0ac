"""Our positions worked out once and kept, for the pages that show every indicator at once.

A list or dashboard over 1,000 indicators, each in a group of 400 councils, would read 800,000
figures on every view to rank us (seconds, whatever the code). Instead `refresh` works out every
position with `position.positions_frame` when something it depends on changes (an import, a
metric's mapping, a group's members, which council is ours: the services call it in the same
transaction) and keeps one row per metric, group and published period in ComparatorPosition.
`stored_positions` reads them back in two queries. A page about one indicator still works its
group out exactly from the figures (`selectors.positions_for`); a test holds the two together.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

import pandas as pd
from django.db import connection, transaction
from django.db.models import Count

from .models import (
    ComparatorCouncil,
    ComparatorGroup,
    ComparatorMetric,
    ComparatorPosition,
    ComparatorValue,
)
from .position import positions_frame, rank_trend

BATCH_METRICS = 250  # metrics read and ranked together: bounds memory for groups of hundreds of councils


def _rows(metric_ids: list[int]):
    values = ComparatorValue._meta.db_table
    members = ComparatorGroup.members.through._meta.db_table
    councils = ComparatorCouncil._meta.db_table
    # Table names come from the models and every value is a parameter.
    sql = f"""
        SELECT v.metric_id, v.period, v.period_end, gm.comparatorgroup_id, cc.code,
               CAST(v.value AS DOUBLE PRECISION)
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


def _number(value):
    return None if pd.isna(value) else float(value)


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
        polarities = {pk: (polarity, low, high) for pk, polarity, low, high
                      in mapped.values_list("pk", "polarity", "band_low", "band_high")}
        through = ComparatorGroup.members.through
        sizes = dict(
            through.objects.filter(comparatorgroup__members__code=us).values("comparatorgroup_id")
            .annotate(n=Count("comparatorcouncil_id", distinct=True)).values_list("comparatorgroup_id", "n")
        ) if polarities else {}
        ids = sorted(polarities)
        kept = 0
        for start in range(0, len(ids), BATCH_METRICS):
            kept += _refresh_batch(ids[start:start + BATCH_METRICS], us, polarities, sizes)
        return kept


def _refresh_batch(metric_ids, us, polarities, sizes) -> int:
    rows = _rows(metric_ids)
    if not rows:
        return 0
    frame = pd.DataFrame.from_records(rows, columns=["metric", "period", "period_end", "group", "council", "value"])
    ends = dict(zip(zip(frame["metric"], frame["period"], strict=True), frame["period_end"], strict=True))
    table = positions_frame(frame[["metric", "period", "group", "council", "value"]], us=us,
                            polarities={m: polarities[m] for m in metric_ids})
    made = []
    for (metric, period, group), row in table.iterrows():
        rank = _number(row["rank"])
        of = int(row["of"])
        quartile = _number(row["quartile"])
        made.append(ComparatorPosition(
            metric_id=int(metric), group_id=int(group), period=period, period_end=_as_date(ends[(metric, period)]),
            value=_number(row["value"]), rank=None if rank is None else int(rank), tied=bool(row["tied"]), of=of,
            # Members with no row at all for the period count as missing too, as on the pages.
            missing=max(sizes.get(int(group), of) - of, 0),
            quartile=None if quartile is None else int(quartile), median=_number(row["median"]),
        ))
    ComparatorPosition.objects.bulk_create(made, batch_size=2000)
    return len(made)


@dataclass(frozen=True)
class StoredPosition:
    """Our place for one mapped metric in one group: the latest kept period ending by a date, and the one before."""

    indicator_id: int
    metric_id: int
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


def stored_positions(on: date, indicator_ids: Iterable[int] | None = None) -> dict[int, list[StoredPosition]]:
    """indicator id -> its kept positions (each metric and group, groups in their order) for the latest period
    ending on or before `on`. Two queries whatever the number of indicators, groups or councils."""
    rows = ComparatorPosition.objects.filter(period_end__lte=on, metric__indicator__isnull=False)
    if indicator_ids is not None:
        rows = rows.filter(metric__indicator_id__in=list(indicator_ids))
    rows = rows.order_by("metric__source", "metric__metric_id", "group_id", "-period_end").values_list(
        "metric__indicator_id", "metric_id", "group_id", "period", "period_end", "value", "rank", "tied", "of",
        "missing", "quartile", "median",
    )
    picked: dict[tuple[int, int], list[tuple]] = {}
    for row in rows:
        found = picked.setdefault((row[1], row[2]), [])
        if len(found) < 2:
            found.append(row)
    groups = ComparatorGroup.objects.in_bulk({group for _metric, group in picked})
    out: dict[int, list[StoredPosition]] = defaultdict(list)
    for (_metric, group_id), found in picked.items():
        latest = found[0]
        before = found[1] if len(found) > 1 else None
        if latest[6] is None:
            continue  # we published no figure for the latest period: nothing to place
        indicator_id, metric_id, _group, period, period_end, value, rank, tied, of, missing, quartile, median = latest
        out[indicator_id].append(StoredPosition(
            indicator_id=indicator_id, metric_id=metric_id, group=groups[group_id], period=period,
            period_end=period_end, value=value, rank=rank, tied=tied, of=of, missing=missing, quartile=quartile,
            median=median, previous_period=before[3] if before else None,
            previous_rank=before[6] if before else None, previous_of=before[8] if before else None,
        ))
    for positions in out.values():
        positions.sort(key=lambda p: (p.group.order, p.group.name))
    return dict(out)
