"""The comparator models keep the rules the statistics rely on."""

import pytest
from django.db import IntegrityError, transaction

from benchmarking.models import ComparatorCouncil, ComparatorMetric, ComparatorValue

pytestmark = pytest.mark.django_db


def test_only_one_council_can_be_us():
    ComparatorCouncil.objects.create(code="E06000019", name="Herefordshire", is_us=True)
    ComparatorCouncil.objects.create(code="E06000051", name="Shropshire")
    with pytest.raises(IntegrityError), transaction.atomic():
        ComparatorCouncil.objects.create(code="E10000034", name="Worcestershire", is_us=True)
    assert ComparatorCouncil.objects.filter(is_us=True).count() == 1


def test_a_council_has_one_value_per_metric_and_period():
    council = ComparatorCouncil.objects.create(code="E06000019", name="Herefordshire")
    metric = ComparatorMetric.objects.create(source="LG Inform", metric_id="3333")
    ComparatorValue.objects.create(metric=metric, council=council, period="2023/24", period_end="2024-03-31")
    with pytest.raises(IntegrityError), transaction.atomic():
        ComparatorValue.objects.create(metric=metric, council=council, period="2023/24", period_end="2024-03-31")
