"""A change made in the Django admin works out the kept positions again, as the services do."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from benchmarking.models import ComparatorValue
from benchmarking.stored import stored_positions
from tests.benchmarking.factories import benchmarked

pytestmark = pytest.mark.django_db


def test_changing_our_figure_in_the_admin_moves_our_kept_position(world):
    benchmarked(world.indicator, [70, 90, 80, 60])
    [before] = stored_positions(date(2006, 3, 31))[world.indicator.pk]
    assert before.rank == 3
    ours = ComparatorValue.objects.get(council__is_us=True)
    client = Client()
    client.force_login(world.users["admin"])

    response = client.post(reverse("admin:benchmarking_comparatorvalue_change", args=[ours.pk]), {
        "metric": ours.metric_id, "council": ours.council_id, "period": ours.period,
        "period_end": "2006-03-31", "value": "95", "note": "",
    })

    assert response.status_code == 302
    [after] = stored_positions(date(2006, 3, 31))[world.indicator.pk]
    assert after.rank == 1
