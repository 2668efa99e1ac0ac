"""Fast inserts of many rows for imports: one INSERT run over all rows, without the ORM's per-value work.

`Model.objects.bulk_create` prepares every value of every row through the field machinery
(about 150 microseconds a row for a reading); an import of 36,000 readings with their history
spent most of its time there. Here each column is adapted once by its kind and rows go to
the driver's `executemany`. No signals, no RETURNING: callers that need the new ids read them
back by their natural key.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import connections, models, router
from django.db.models.fields import AutoFieldMixin


def _adapter(field, connection):
    """A function turning one attribute value into what the driver takes for this column."""
    ops = connection.ops
    if isinstance(field, models.JSONField):
        return lambda value: field.get_db_prep_save(value, connection)
    if isinstance(field, models.DateTimeField):
        cache = {}

        def adapt_datetime(value):
            if value is None:
                return None
            if value not in cache:
                cache[value] = ops.adapt_datetimefield_value(value)
            return cache[value]

        return adapt_datetime
    if isinstance(field, models.DateField):
        return lambda value: None if value is None else ops.adapt_datefield_value(value)
    if isinstance(field, models.DecimalField):
        def adapt_decimal(value):
            if value is None:
                return None
            if not isinstance(value, Decimal):
                value = field.to_python(value)
            return ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)

        return adapt_decimal
    if isinstance(field, models.BooleanField | models.CharField | models.TextField | models.IntegerField
                  | models.ForeignKey):
        return None  # passed as they are
    return lambda value: field.get_db_prep_save(value, connection)


def insert(model, objs, *, using=None) -> int:
    """Insert `objs` (unsaved instances, or dicts of attname -> value with defaults for the rest)."""
    objs = list(objs)
    if not objs:
        return 0
    using = using or router.db_for_write(model)
    connection = connections[using]
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and isinstance(f, AutoFieldMixin))]
    adapters = [(f.attname, _adapter(f, connection)) for f in fields]
    quote = connection.ops.quote_name
    # Table and column names come from the model's own metadata, never from input.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    rows = []
    if isinstance(objs[0], dict):
        # Plain dicts of attname -> value skip building model instances (their __init__ is costly).
        defaults = {f.attname: f.get_default() for f in fields}
        for obj in objs:
            row = []
            for attname, adapt in adapters:
                value = obj.get(attname, defaults[attname])
                row.append(adapt(value) if adapt is not None else value)
            rows.append(row)
    else:
        for obj in objs:
            row = []
            for attname, adapt in adapters:
                value = getattr(obj, attname)
                row.append(adapt(value) if adapt is not None else value)
            rows.append(row)
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return len(rows)


def update(model, objs, fields, *, using=None) -> int:
    """Write `fields` of existing instances: one UPDATE ... WHERE pk run over all of them."""
    objs = list(objs)
    if not objs:
        return 0
    using = using or router.db_for_write(model)
    connection = connections[using]
    meta = model._meta
    chosen = [meta.get_field(name) for name in fields]
    adapters = [(f.attname, _adapter(f, connection)) for f in chosen]
    quote = connection.ops.quote_name
    # Table and column names come from the model's own metadata, never from input.
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608
        quote(meta.db_table), ", ".join(f"{quote(f.column)} = %s" for f in chosen), quote(meta.pk.column)
    )
    rows = []
    for obj in objs:
        row = []
        for attname, adapt in adapters:
            value = getattr(obj, attname)
            row.append(adapt(value) if adapt is not None else value)
        row.append(obj.pk)
        rows.append(row)
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return len(rows)

