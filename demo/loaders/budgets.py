"""Loads the demo council's budget monitoring to July 2006 through the same checks as the finance workbook import."""

import csv
import json
from decimal import Decimal

from django.conf import settings

from budgets import imports, services
from budgets.models import CapitalScheme, VarianceTolerance
from organisation.models import Directorate

DEMO = settings.BASE_DIR / "fixtures" / "demo"


def _rows(path):
    with path.open(newline="", encoding="utf-8") as f:
        # Row 1 is the header, as in the workbook, so problems are named by the same row numbers.
        return [{**{k: (v or None) for k, v in row.items()}, "_row": n} for n, row in enumerate(csv.DictReader(f), 2)]


def load(*, stdout=None):
    data = json.loads((DEMO / "budgets.json").read_text())
    VarianceTolerance.objects.all().delete()
    VarianceTolerance.objects.create(**{k: Decimal(v) for k, v in data["tolerance"].items()})
    directorates = {d.code: d for d in Directorate.objects.all()}
    for order, row in enumerate(data["schemes"]):
        CapitalScheme.objects.update_or_create(
            name=row["name"],
            defaults={"directorate": directorates.get(row["directorate"]), "headline_name": row["headline_name"],
                      "order": order},
        )
    plan = imports.plan_from_rows(
        revenue_rows=_rows(DEMO / "budgets_revenue.csv"),
        capital_rows=_rows(DEMO / "budgets_capital.csv"),
        directorates=list(directorates.values()),
        locked=set(),
    )
    services.budget_import(plan=plan, source_name="the demo council's files")
    if stdout:
        stdout.write(f"Budgets: {plan.summary} (illustrative except the capital totals in 000 para 22)")
