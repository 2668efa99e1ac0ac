"""Mapping a metric and changing groups are audited, and a band needs both ends."""

from decimal import Decimal

import pytest

from benchmarking.comparators import (
    SetupRefused,
    group_member_remove,
    group_members_add,
    group_save,
    metric_map,
)
from benchmarking.models import ComparatorCouncil, ComparatorGroup, ComparatorMetric
from organisation.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def test_mapping_a_metric_to_an_indicator_is_kept_and_audited_once():
    indicator = factories.indicator("CH01")
    metric = ComparatorMetric.objects.create(source="LGBF", metric_id="CHN1")

    metric_map(metric=metric, indicator=indicator, polarity="band", band_low=Decimal(20), band_high=Decimal(32))
    metric_map(metric=metric, indicator=indicator, polarity="band", band_low=Decimal(20), band_high=Decimal(32))

    metric.refresh_from_db()
    assert (metric.indicator, metric.polarity, metric.band_low, metric.band_high) == (indicator, "band", 20, 32)
    assert metric.mapped_at is not None
    [event] = AuditEvent.objects.filter(action="comparator_metric_mapped")
    assert event.summary == "LGBF CHN1 mapped to CH01, band is better (band 20 to 32)"


@pytest.mark.parametrize(("low", "high", "message"), [(None, 5, "both"), (6, 5, "above")])
def test_a_band_needs_both_ends_in_order(low, high, message):
    metric = ComparatorMetric.objects.create(source="LGBF", metric_id="CHN1")
    with pytest.raises(SetupRefused, match=message):
        metric_map(metric=metric, indicator=None, polarity="band", band_low=low, band_high=high)
    assert not AuditEvent.objects.filter(action="comparator_metric_mapped").exists()


def test_a_polarity_other_than_band_forgets_the_band():
    metric = ComparatorMetric.objects.create(source="LGBF", metric_id="CHN1", polarity="band", band_low=1, band_high=2)
    metric_map(metric=metric, indicator=None, polarity="lower", band_low=Decimal(1), band_high=Decimal(2))
    metric.refresh_from_db()
    assert metric.band_low is None and metric.band_high is None


def test_groups_are_named_once_and_members_added_and_removed_with_audit():
    group = group_save(group=None, name="  CIPFA   nearest neighbours ", kind=ComparatorGroup.NEAREST_NEIGHBOURS)
    assert group.name == "CIPFA nearest neighbours"
    with pytest.raises(SetupRefused, match="already"):
        group_save(group=None, name="cipfa nearest neighbours", kind="other")
    a = ComparatorCouncil.objects.create(code="E06000051", name="Shropshire")
    b = ComparatorCouncil.objects.create(code="E06000054", name="Wiltshire")

    assert group_members_add(group=group, councils=[a, b]) == 2
    assert group_members_add(group=group, councils=[a]) == 0
    assert group_member_remove(group=group, council=a) is True
    assert group_member_remove(group=group, council=a) is False

    assert list(group.members.all()) == [b]
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["comparator_group_created", "comparator_group_members_added", "comparator_group_member_removed"]
