"""Who may reach each benchmarking URL (walked by tests/test_url_access.py)."""

from tests.access import Rule, performance_only


def _commentary(world):
    from benchmarking.models import ComparatorGroup
    from tests.benchmarking.factories import benchmarked_once

    measure = benchmarked_once(world.indicator)
    return {"metric_id": measure.pk, "group_id": ComparatorGroup.objects.get(name="Nearest neighbours").pk}


RULES = {
    "benchmarking:commentary": Rule(performance_only(200), kwargs=_commentary),
}
