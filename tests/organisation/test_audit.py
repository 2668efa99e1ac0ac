"""The audit log records sign-ins and exports, and only the performance team reads it."""

from django.urls import reverse

from organisation.models import AuditEvent
from tests.personas import PASSWORD


def test_a_sign_in_and_a_failed_sign_in_are_recorded(world, client):
    AuditEvent.objects.all().delete()  # the world's own set-up may have recorded events
    client.post(reverse("login"), {"username": "officer", "password": "wrong"})
    client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    assert list(AuditEvent.objects.order_by("id").values_list("action", "username")) == [
        ("sign_in_failed", "officer"),
        ("signed_in", "officer"),
    ]


def test_the_performance_team_reads_the_log_with_a_fixed_number_of_queries(world, client_for, django_assert_num_queries):
    client = client_for("performance")
    for n in range(5):
        AuditEvent.objects.create(username="officer", action="reading_saved", summary=f"change {n}")
    client.get(reverse("organisation:audit_log"))
    with django_assert_num_queries(6):
        small = client.get(reverse("organisation:audit_log"))
    for n in range(200):
        AuditEvent.objects.create(username="officer", action="reading_saved", summary=f"more {n}")
    with django_assert_num_queries(6):
        large = client.get(reverse("organisation:audit_log"))
    assert "change 4" in small.content.decode()
    assert f"{AuditEvent.objects.count()} entries" in large.content.decode()


def test_the_export_neutralises_formulas_and_is_itself_recorded(world, client_for):
    AuditEvent.objects.create(username="officer", action="reading_saved", summary="=HYPERLINK(\"http://evil\")")
    response = client_for("performance").get(reverse("organisation:audit_export"))
    body = response.content.decode()
    assert "'=HYPERLINK" in body
    assert ',=HYPERLINK' not in body
    assert AuditEvent.objects.filter(action="audit_exported", username="performance").exists()


def test_an_officer_cannot_read_the_audit_log(world, client_for):
    assert client_for("officer").get(reverse("organisation:audit_log")).status_code == 404
