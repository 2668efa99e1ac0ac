"""App configuration for benchmarking: where the council stands against comparable councils."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _finish_kept_positions(sender, apps=None, **kwargs):
    """Positions kept before their sentences were are worked out again once `migrate` has added the columns
    (not when it has taken them away again: `apps` is the schema migrate left)."""
    from . import stored

    if apps is not None:
        try:
            kept = apps.get_model("benchmarking", "ComparatorPosition")
        except LookupError:
            return
        if "drafted" not in {field.name for field in kept._meta.get_fields()}:
            return
    if stored.unfinished():
        stored.refresh()


class BenchmarkingConfig(AppConfig):
    name = "benchmarking"
    verbose_name = "Benchmarking"

    def ready(self):
        from . import panels  # noqa: F401  (fills the indicator page, list and dashboard slots)

        post_migrate.connect(_finish_kept_positions, sender=self)
