"""Budget monitoring the tests use: tolerances, two directorates' revenue lines and a small capital programme."""

from __future__ import annotations

from decimal import Decimal

from budgets.models import CapitalChange, CapitalLine, CapitalScheme, RevenueLine, VarianceTolerance
from organisation.models import Period


def D(text) -> Decimal:
    return Decimal(str(text))


def revenue_line(period, directorate, service, original, current, forecast, commentary="", order=0):
    return RevenueLine.objects.create(
        period=period, directorate=directorate, service=service, original_budget=D(original),
        current_budget=D(current), forecast_outturn=D(forecast), commentary=commentary, order=order,
    )


def capital_line(period, name, original, spend, changes=(), order=0, headline_name=""):
    scheme, _ = CapitalScheme.objects.get_or_create(name=name, defaults={"order": order, "headline_name": headline_name})
    line = CapitalLine.objects.create(period=period, scheme=scheme, original_forecast=D(original), spend_to_date=D(spend))
    for n, (amount, reason, approved_by) in enumerate(changes):
        CapitalChange.objects.create(line=line, amount=D(amount), reason=reason, approved_by=approved_by, order=n)
    return line


def populate(world):
    VarianceTolerance.objects.create(amber_from_pct=D(2), red_above_pct=D(5))
    july = Period.get_or_create_for("2006-07")
    line = revenue_line(july, world.cyps, "Children's social care", "1000.10", "1000.10", "1050.20", "Agency staff")
    revenue_line(july, world.acs, "Older people", "2000.00", "2100.00", "2250.45", order=1)
    capital = capital_line(july, "Herefordshire Connects", 0, "150.00",
                           [("850.50", "Programme investment", "Cabinet 20 April 2006")])
    world.extra.update(revenue_line=line, capital_line=capital)
