"""Synthetic comparator figures at benchmark scale: every indicator mapped, 400 councils, three years.

For the bench (`bench/run.py --benchmarking`) and tests of scale. The figures are invented and
labelled so: councils are "Synthetic council N (illustrative)", groups and metrics say
"synthetic". Our council is the first; it sits in two groups, all the synthetic councils and a
nearest-neighbour group of sixteen. One metric in ten is a target-band measure and one in five
lower-is-better; 2% of figures are published as missing ("x"). Values go in with the driver's
executemany (no ORM per row): 1.2 million rows in seconds, not minutes.
"""

from __future__ import annotations

from datetime import date

import numpy as np
from django.db import connection, transaction

from benchmarking import stored
from benchmarking.models import (
    ComparatorCouncil,
    ComparatorGroup,
    ComparatorMetric,
    ComparatorValue,
)
from core import dbstats

SOURCE = "Synthetic"
LABEL = "(illustrative)"
CHUNK = 50_000


def years_ending(last_fy: int, years: int) -> list[tuple[str, date]]:
    """Financial years as LG Inform writes them ("2005/06"), the last starting in `last_fy`."""
    return [(f"{fy}/{(fy + 1) % 100:02d}", date(fy + 1, 3, 31)) for fy in range(last_fy - years + 1, last_fy + 1)]


def write_comparators(*, indicator_ids: list[int], councils: int = 400, years: int = 3, last_fy: int = 2005,
                      neighbours: int = 15, seed: int = 0) -> dict[str, int]:
    """Map every indicator to a synthetic metric and write its figures; returns rows written by kind."""
    if ComparatorMetric.objects.filter(source=SOURCE).exists():
        raise ValueError("This database already holds synthetic comparator figures.")
    rng = np.random.default_rng(seed)
    periods = years_ending(last_fy, years)
    with transaction.atomic():
        ComparatorCouncil.objects.filter(is_us=True).update(is_us=False)
        ComparatorCouncil.objects.bulk_create([
            ComparatorCouncil(code=f"SYN{i:05d}", name=f"Synthetic council {i} {LABEL}", is_us=i == 0,
                              kind="synthetic")
            for i in range(councils)
        ], batch_size=5000)
        council_ids = list(ComparatorCouncil.objects.filter(code__startswith="SYN").order_by("code")
                           .values_list("pk", flat=True))
        everyone = ComparatorGroup.objects.create(
            name=f"All synthetic councils {LABEL}", kind=ComparatorGroup.TYPE, order=10,
            description="Invented councils for the benchmark; the figures are random.",
        )
        nearest = ComparatorGroup.objects.create(
            name=f"Synthetic nearest neighbours {LABEL}", kind=ComparatorGroup.NEAREST_NEIGHBOURS, order=0,
            description="Our council and fifteen invented neighbours; the figures are random.",
        )
        through = ComparatorGroup.members.through
        through.objects.bulk_create(
            [through(comparatorgroup_id=everyone.pk, comparatorcouncil_id=c) for c in council_ids]
            + [through(comparatorgroup_id=nearest.pk, comparatorcouncil_id=c) for c in council_ids[:neighbours + 1]],
            batch_size=5000,
        )
        metrics = []
        for i, indicator_id in enumerate(indicator_ids):
            band = i % 10 == 0
            polarity = ComparatorMetric.BAND if band else ComparatorMetric.LOWER if i % 5 == 0 else ComparatorMetric.HIGHER
            metrics.append(ComparatorMetric(
                source=SOURCE, metric_id=f"S{i:05d}", title=f"Synthetic measure {i} {LABEL}", unit="%",
                indicator_id=indicator_id, polarity=polarity,
                band_low=45 if band else None, band_high=55 if band else None,
            ))
        ComparatorMetric.objects.bulk_create(metrics, batch_size=5000)
        metric_ids = list(ComparatorMetric.objects.filter(source=SOURCE).order_by("metric_id").values_list("pk", flat=True))
        rows = _write_values(metric_ids, council_ids, periods, rng)
    dbstats.refresh_planner_statistics([ComparatorCouncil, ComparatorMetric, ComparatorValue, through])
    positions = stored.refresh()
    return {"comparator_councils": councils, "comparator_metrics": len(metric_ids), "comparator_values": rows,
            "comparator_positions": positions}


def _write_values(metric_ids, council_ids, periods, rng) -> int:
    fields = ["metric_id", "council_id", "period", "period_end", "value", "note"]
    quote = connection.ops.quote_name
    # Table and column names come from the model's own metadata, never from input.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(ComparatorValue._meta.db_table),
        ", ".join(quote(ComparatorValue._meta.get_field(f).column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    ends = [(label, connection.ops.adapt_datefield_value(end)) for label, end in periods]
    n_councils = len(council_ids)
    written = 0
    with connection.cursor() as cursor:
        for metric_id in metric_ids:
            # Each council has a level for the measure and drifts a little each year.
            level = rng.normal(50, 12, n_councils)
            rows = []
            for y, (label, end) in enumerate(ends):
                values = np.round(level + rng.normal(0.5 * y, 2, n_councils), 1)
                missing = rng.random(n_councils) < 0.02
                rows += [
                    (metric_id, council, label, end, None if gone else str(value), "x" if gone else "")
                    for council, value, gone in zip(council_ids, values.tolist(), missing.tolist(), strict=True)
                ]
            cursor.executemany(sql, rows)
            written += len(rows)
    return written
