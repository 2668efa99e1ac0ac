"""The performance team imports comparator files, keeps the groups and maps metrics in the browser."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarking.models import (
    ComparatorCouncil,
    ComparatorGroup,
    ComparatorMetric,
    ComparatorValue,
)
from core import policy
from organisation.models import AuditEvent

FILES = Path(__file__).parent / "files"


def _upload(client, name, data=None, **extra):
    data = (FILES / name).read_bytes() if data is None else data
    return client.post(reverse("benchmarking:comparators_import"),
                       {"file": SimpleUploadedFile(name, data), "us": "", **extra})


def test_a_file_is_previewed_then_imported_on_confirmation(world, client_for):
    client = client_for("performance")

    preview = _upload(client, "lginform.csv")

    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Check what will change" in page and "15 new, 0 changed, 0 unchanged" in page
    assert "LG Inform" in page and "Data is" in page  # the layout read, and the column left alone
    assert not ComparatorValue.objects.exists()

    done = client.post(reverse("benchmarking:comparators_import_confirm"), {"token": preview.context["token"]})

    assert done.status_code == 302 and done.url == reverse("benchmarking:setup")
    assert ComparatorValue.objects.count() == 15
    assert ComparatorCouncil.objects.get(is_us=True).code == "E06000019"
    assert AuditEvent.objects.filter(action="comparators_imported", user=world.users["performance"]).count() == 1
    again = client.post(reverse("benchmarking:comparators_import_confirm"), {"token": preview.context["token"]})
    assert again.status_code == 302 and ComparatorValue.objects.count() == 15  # the kept file was used once


def test_a_bad_file_lists_every_problem_by_row_and_column_and_saves_nothing(world, client_for):
    data = b"Area code,Area name,Metric id,Period,Value\nE06000019,Herefordshire,1,someday,3\n,Shropshire,1,2023/24,4\n"

    response = _upload(client_for("performance"), "bad.csv", data)

    page = response.content.decode()
    assert "The file has 2 problems; nothing was imported" in page
    assert "cannot read the period &#x27;someday&#x27;" in page
    assert "the council&#x27;s code is blank" in page
    assert not ComparatorValue.objects.exists()


def test_only_csv_and_xlsx_are_accepted(world, client_for):
    response = _upload(client_for("performance"), "figures.pdf", b"%PDF-1.4")
    assert "must be a CSV (.csv) or an Excel workbook (.xlsx)" in response.content.decode()


def test_a_group_is_added_and_councils_added_by_code_or_name_and_removed(world, client_for):
    client = client_for("performance")
    for code, name in [("E06000051", "Shropshire"), ("E06000054", "Wiltshire"), ("E06000052", "Cornwall")]:
        ComparatorCouncil.objects.create(code=code, name=name)

    made = client.post(reverse("benchmarking:group_new"),
                       {"name": "CIPFA nearest neighbours", "kind": "nearest_neighbours", "order": 0})
    group = ComparatorGroup.objects.get(name="CIPFA nearest neighbours")
    assert made.url == reverse("benchmarking:group_edit", args=[group.pk])

    client.post(reverse("benchmarking:group_members_add", args=[group.pk]), {"councils": "E06000051\nwiltshire\n"})
    assert sorted(group.members.values_list("name", flat=True)) == ["Shropshire", "Wiltshire"]

    refused = client.post(reverse("benchmarking:group_members_add", args=[group.pk]), {"councils": "Narnia\nCornwall"})
    assert "No imported council is called Narnia" in refused.content.decode()
    assert group.members.count() == 2  # nothing added when any line is unknown

    shropshire = ComparatorCouncil.objects.get(code="E06000051")
    client.post(reverse("benchmarking:group_member_remove", args=[group.pk, shropshire.pk]))
    assert list(group.members.values_list("name", flat=True)) == ["Wiltshire"]
    assert set(AuditEvent.objects.filter(user=world.users["performance"]).values_list("action", flat=True)) >= {
        "comparator_group_created", "comparator_group_members_added", "comparator_group_member_removed",
    }


def test_a_metric_is_mapped_to_our_indicator_as_a_band_measure(world, client_for):
    client = client_for("performance")
    metric = ComparatorMetric.objects.create(source="LGBF", metric_id="CHN1")
    url = reverse("benchmarking:metric_edit", args=[metric.pk])

    refused = client.post(url, {"indicator": world.indicator.code.lower(), "polarity": "band", "band_low": "4"})
    assert "A target band needs its high end" in refused.content.decode()
    unknown = client.post(url, {"indicator": "NOPE1", "polarity": "higher"})
    assert "There is no indicator with the code NOPE1" in unknown.content.decode()
    metric.refresh_from_db()
    assert metric.indicator is None

    saved = client.post(url, {"indicator": world.indicator.code.lower(), "polarity": "band",
                              "band_low": "4", "band_high": "6"})

    assert saved.status_code == 302
    metric.refresh_from_db()
    assert (metric.indicator, metric.polarity, metric.band_low, metric.band_high) == (world.indicator, "band", 4, 6)
    assert metric.mapped_by == world.users["performance"]
    listing = client.get(reverse("benchmarking:metrics")).content.decode()
    assert "Within 4 to 6" in listing and world.indicator.code in listing


def _groups(n_groups, n_members):
    councils = ComparatorCouncil.objects.bulk_create(
        ComparatorCouncil(code=f"X{n_groups}-{k}", name=f"Council {n_groups}-{k}") for k in range(n_members)
    )
    councils = list(ComparatorCouncil.objects.filter(code__startswith=f"X{n_groups}-"))
    for g in range(n_groups):
        group = ComparatorGroup.objects.create(name=f"Group {n_groups}-{g}")
        group.members.add(*councils)
    ComparatorMetric.objects.bulk_create(
        ComparatorMetric(source="LG Inform", metric_id=f"{n_groups}-{m}") for m in range(n_groups * 3)
    )


@pytest.mark.parametrize("route", ["benchmarking:setup", "benchmarking:metrics"])
def test_set_up_pages_read_in_the_same_queries_whatever_the_number_of_groups_councils_and_metrics(
    world, client_for, route,
):
    client = client_for("performance")
    client.get(reverse(route))  # the session and the user, read once as on any page
    _groups(2, 3)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse(route)).status_code == 200
    _groups(6, 20)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse(route))
    assert response.status_code == 200
    assert len(large) == len(small)
    if route == "benchmarking:setup":
        assert "Group 6-5" in response.content.decode()


@pytest.mark.parametrize(("role", "allowed"), [
    ("performance", True), ("admin", True), ("officer", False), ("approver", False), ("member", False),
])
def test_only_the_performance_team_may_manage_comparators(world, role, allowed):
    assert policy.may_manage_benchmarking(world.users[role]) is allowed
