"""Who may reach each benchmarking URL (walked by tests/test_url_access.py)."""

from tests.access import Rule, performance_only


def _commentary(world):
    from benchmarking.models import ComparatorGroup
    from tests.benchmarking.factories import benchmarked_once

    measure = benchmarked_once(world.indicator)
    return {"metric_id": measure.pk, "group_id": ComparatorGroup.objects.get(name="Nearest neighbours").pk}


def _group(world):
    from benchmarking.models import ComparatorCouncil, ComparatorGroup

    group, _ = ComparatorGroup.objects.get_or_create(name="Access walk group")
    council, _ = ComparatorCouncil.objects.get_or_create(code="E06000051", defaults={"name": "Shropshire"})
    group.members.add(council)
    return {"pk": group.pk}


def _member(world):
    from benchmarking.models import ComparatorCouncil

    return {**_group(world), "council_pk": ComparatorCouncil.objects.get(code="E06000051").pk}


def _metric(world):
    from benchmarking.models import ComparatorMetric

    metric, _ = ComparatorMetric.objects.get_or_create(source="LG Inform", metric_id="3333")
    return {"pk": metric.pk}


RULES = {
    "benchmarking:commentary": Rule(performance_only(200), kwargs=_commentary),
    "benchmarking:setup": Rule(performance_only(200)),
    "benchmarking:comparators_import": Rule(performance_only(200)),
    # Without a file waiting in the session the confirm goes back to the upload page.
    "benchmarking:comparators_import_confirm": Rule(performance_only(302), method="post", data={"token": "x"}),
    "benchmarking:group_new": Rule(performance_only(200)),
    "benchmarking:group_edit": Rule(performance_only(200), kwargs=_group),
    "benchmarking:group_members_add": Rule(performance_only(200), kwargs=_group, method="post",
                                           data={"councils": ""}),
    "benchmarking:group_member_remove": Rule(performance_only(302), kwargs=_member, method="post"),
    "benchmarking:metrics": Rule(performance_only(200)),
    "benchmarking:metric_edit": Rule(performance_only(200), kwargs=_metric),
}
