"""The whole database as rows, so a test can say "nothing was written" and mean every table."""

from __future__ import annotations

import hashlib
from contextlib import contextmanager

from django.apps import apps

# What people's own actions change whatever the outcome: their session and sign-in bookkeeping.
IGNORED = {"sessions", "axes", "admin", "contenttypes", "django_tasks_db"}


def state() -> dict[str, tuple[int, str]]:
    """{model label: (row count, digest of every row)} for every table the app keeps."""
    out = {}
    for model in apps.get_models():
        if model._meta.app_label in IGNORED or model._meta.proxy:
            continue
        manager = model._base_manager
        rows = list(manager.order_by("pk").values_list())
        out[model._meta.label] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()[:16])
    return out


def changed(before: dict, after: dict) -> dict:
    return {label: (before.get(label), after.get(label)) for label in before.keys() | after.keys()
            if before.get(label) != after.get(label)}


@contextmanager
def nothing_written(*, except_audit_of: tuple = ()):
    """Assert that no table changed inside the block (optionally allowing audit events of these actions)."""
    from organisation.models import AuditEvent

    before = state()
    audit_before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    yield
    after = state()
    diff = changed(before, after)
    if except_audit_of and "organisation.AuditEvent" in diff:
        new = set(AuditEvent.objects.filter(pk__gt=audit_before).values_list("action", flat=True))
        if new <= set(except_audit_of):
            diff.pop("organisation.AuditEvent")
    assert diff == {}, f"tables changed: {sorted(diff)}"
