"""Loads the demo council's indicators (Herefordshire 2006-07) from fixtures/demo/indicators through the importer.

The CSV files are read as one workbook and go through exactly the checks and writes of an
uploaded workbook, so the demo proves the import path too. Then the monthly workflow is put
where it stood in August 2006: figures to June signed off, periods to May locked (reported to
Cabinet), June and July open with some figures still to come.
"""

from __future__ import annotations

import json
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model

from core import periods, spreadsheets
from indicators import importer, services
from indicators.models import Indicator, IndicatorSet, Objective, Priority, Reading, Theme
from organisation.models import Period, PeriodEvent

FOLDER = settings.BASE_DIR / "fixtures" / "demo" / "indicators"


def _frameworks(data):
    sets = {}
    for order, row in enumerate(data["sets"]):
        sets[row["code"]], _ = IndicatorSet.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "parent": sets.get(row["parent"]), "order": order}
        )
    for set_code, names in data["themes"].items():
        for order, name in enumerate(names):
            Theme.objects.update_or_create(name=name, defaults={"indicator_set": sets[set_code], "order": order})
    for order, (name, objectives) in enumerate(data["priorities"]):
        priority, _ = Priority.objects.update_or_create(name=name, defaults={"order": order})
        for position, objective in enumerate(objectives):
            Objective.objects.update_or_create(priority=priority, name=objective, defaults={"order": position})


def _workflow(users):
    """Sign off what was reported; submit July where the officer has done the return."""
    readings = Reading.objects.select_related("period", "indicator__lead")
    through_june = [r for r in readings if r.period.end <= date(2006, 6, 30)]
    for approver, directorate in ((users.get("approver"), "CYPS"), (users.get("approver2"), "ACS"), (users["performance"], None)):
        if approver is None:
            continue
        mine = [r for r in through_june if directorate is None or r.indicator.directorate.code == directorate]
        through_june = [r for r in through_june if r not in mine]
        if mine:
            services.readings_move(
                items=[(r.pk, None) for r in mine], user=approver, to=Reading.APPROVED, how="approval",
                allowed_from=(Reading.DRAFT, Reading.SUBMITTED),
            )
    july = [r for r in readings.filter(period__key="2006-07") if r.indicator.lead_id and r.indicator.lead.username != "officer"]
    by_lead: dict = {}
    for reading in july:
        by_lead.setdefault(reading.indicator.lead, []).append(reading)
    for lead, mine in by_lead.items():
        services.readings_move(
            items=[(r.pk, None) for r in mine], user=lead, to=Reading.SUBMITTED, how="submit",
            allowed_from=(Reading.DRAFT,),
        )


def _periods(data, user):
    locked = data["periods"]["locked"]
    last = periods.parse(locked["through"])
    months = Period.objects.filter(kind=periods.MONTH, end__lte=last.end)
    months.update(state=Period.LOCKED)
    may = Period.objects.get(key=last.key)
    PeriodEvent.objects.create(period=may, action=PeriodEvent.LOCKED, reason=locked["reason"], by=user)
    for row in data["periods"]["open"]:
        period = Period.get_or_create_for(row["key"])
        period.state, period.deadline = Period.OPEN, date.fromisoformat(row["deadline"])
        period.save(update_fields=["state", "deadline"])
        PeriodEvent.objects.create(period=period, action=PeriodEvent.OPENED, reason="Monthly return opened.", by=user)


def load(*, stdout=None):
    data = json.loads((FOLDER / "frameworks.json").read_text(encoding="utf-8"))
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["performance", "approver", "approver2"])}
    _frameworks(data)
    report = importer.sheets_import(
        workbook=spreadsheets.csv_workbook(FOLDER), filename="fixtures/demo/indicators", user=users.get("performance"),
    )
    if "performance" in users:
        _workflow(users)
        _periods(data, users["performance"])
    if stdout:
        stdout.write(
            f"Indicators: {Indicator.objects.count()} indicators, {report.targets.new} targets, "
            f"{report.readings.new} figures (illustrative except the 004 safeguarding KPIs)"
        )
