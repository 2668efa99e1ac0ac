"""Loads the demo council's comparator figures (illustrative) through the comparator import, and maps them."""

import json
from decimal import Decimal

from django.conf import settings

from benchmarking.comparators import metric_map
from benchmarking.importer import comparator_import
from benchmarking.models import ComparatorGroup, ComparatorMetric
from indicators.models import Indicator

FOLDER = settings.BASE_DIR / "fixtures" / "demo" / "benchmarking"
DESCRIPTION = (
    "Fifteen rural shire councils like Herefordshire, for the demo. ILLUSTRATIVE: the figures are made up, "
    "not published by LG Inform or CIPFA, and the list is not CIPFA's."
)


def load(*, stdout=None):
    report = comparator_import(
        source=FOLDER / "comparators.csv", filename="comparators.csv", user=None, us=settings.COUNCILPERF_COUNCIL_CODE,
    )
    ComparatorGroup.objects.filter(name="Nearest neighbours (illustrative)").update(
        kind=ComparatorGroup.NEAREST_NEIGHBOURS, description=DESCRIPTION,
    )
    mapping = json.loads((FOLDER / "mapping.json").read_text(encoding="utf-8"))
    metrics = {m.metric_id: m for m in ComparatorMetric.objects.filter(source=report.source)}
    indicators = Indicator.objects.in_bulk([row["indicator"] for row in mapping], field_name="code")
    for row in mapping:
        metric_map(
            metric=metrics[row["metric_id"]], indicator=indicators[row["indicator"]], polarity=row["polarity"],
            band_low=Decimal(row["band_low"]) if row["band_low"] else None,
            band_high=Decimal(row["band_high"]) if row["band_high"] else None,
        )
    if stdout:
        stdout.write(
            f"Benchmarking: {report.values.new} comparator figures for {len(mapping)} indicators, "
            f"{report.councils.new} councils (illustrative figures)"
        )
