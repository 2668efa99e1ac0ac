"""Seed the units councils publish figures in, with their bounds (a council adds more in the admin)."""

from decimal import Decimal

from django.db import migrations

# code, name, aliases, minimum, maximum, percent sign allowed
UNITS = [
    ("number", "Number", "count; no; no.; number of", 0, None, False),
    ("percentage", "Percentage", "percent; %; per cent", 0, 100, True),
    ("percentage_change", "Percentage change", "% change; % reduction; % increase; percent change; percentage reduction", None, None, True),
    ("percentage_points", "Percentage points", "pp; % points; percentage point change", None, None, True),
    ("rate_per_1000", "Rate per 1,000 population", "rate per 1,000; rate per 1000; per 1,000; per 1000", 0, None, False),
    ("rate_per_10000", "Rate per 10,000 population", "rate; rate per 10,000; rate per 10000; per 10,000; per 10000", 0, None, False),
    ("rate_per_100000", "Rate per 100,000 population", "rate per 100,000; rate per 100000; per 100,000; per 100000", 0, None, False),
    ("days", "Days", "day", 0, None, False),
    ("weeks", "Weeks", "week", 0, None, False),
    ("days_ahead_behind", "Days ahead (+) or behind (-) schedule", "days ahead/behind; days behind; days ahead; days behind schedule", None, None, False),
    ("gbp", "Pounds (£)", "£; pounds; money", None, None, False),
    ("gbp_thousands", "£000", "£k; £'000; £ thousands; thousands of pounds", None, None, False),
    ("gbp_millions", "£m", "£ millions; £million; millions of pounds", None, None, False),
    ("ratio", "Ratio", "", 0, None, False),
    ("score", "Score", "points", None, None, False),
]


def seed(apps, schema_editor):
    Unit = apps.get_model("indicators", "Unit")
    for order, (code, name, aliases, low, high, percent) in enumerate(UNITS):
        Unit.objects.update_or_create(code=code, defaults={
            "name": name, "aliases": aliases, "order": order, "percent_sign": percent,
            "minimum": None if low is None else Decimal(low), "maximum": None if high is None else Decimal(high),
        })


class Migration(migrations.Migration):
    dependencies = [("indicators", "0003_units_template_default_for_information")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
