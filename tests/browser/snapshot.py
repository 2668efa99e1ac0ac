"""Load the demo council once per session and put it back before each browser test in a fraction of a second.

The live server needs committed data, so every browser test runs on a transactional database
that is emptied afterwards. Loading the demo council takes seconds (it builds reports); putting
the same rows back with bulk inserts takes a fraction of one.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management.color import no_style
from django.db import connection, transaction


class Snapshot:
    def __init__(self):
        self.rows = defaultdict(list)
        self.links = defaultdict(list)

    @classmethod
    def take(cls) -> Snapshot:
        snapshot = cls()
        for item in serializers.deserialize("json", connection.creation.serialize_db_to_string()):
            obj = item.object
            snapshot.rows[type(obj)].append(obj)
            for name, values in item.m2m_data.items():
                field = type(obj)._meta.get_field(name)
                source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
                snapshot.links[field.remote_field.through] += [{source: obj.pk, target: v} for v in values]
        return snapshot

    def restore(self) -> None:
        with transaction.atomic():
            # The flush after the last test re-created content types with new ids; ours must win.
            ContentType.objects.all().delete()
            for model, objects in self.rows.items():
                if model._meta.parents:
                    for obj in objects:
                        obj.save_base(raw=True)
                else:
                    model._base_manager.bulk_create(objects)
            for through, rows in self.links.items():
                through._base_manager.bulk_create([through(**row) for row in rows])
            models = [*self.rows, *self.links]
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(sql)
        ContentType.objects.clear_cache()
