"""Factories for test data, and `populate`, which adds each app's usual objects to the personas' world.

Each app adds a function to POPULATE that takes the World and puts its objects in world.extra,
so the role-by-URL test can build every URL's arguments.
"""

from __future__ import annotations

from decimal import Decimal

from indicators.models import Indicator, IndicatorSet, Reading, Target
from organisation.models import Period


def period(key: str) -> Period:
    return Period.get_or_create_for(key)


def indicator(code="CH141", *, lead=None, directorate=None, **fields) -> Indicator:
    # The personas' council records its action plans as not yet robust unless a test says otherwise
    # (000's "R because of weaknesses in the template"); the model's own default is complete.
    defaults = {"title": f"Indicator {code}", "polarity": Indicator.HIGHER, "unit": Indicator.NUMBER,
                "action_plan_robust": False}
    defaults.update(fields)
    return Indicator.objects.create(code=code, lead=lead, directorate=directorate, **defaults)


def target(ind: Indicator, key: str, value) -> Target:
    return Target.objects.create(indicator=ind, period=period(key), target=Decimal(str(value)))


def reading(ind: Indicator, key: str, actual, **fields) -> Reading:
    value = None if actual is None else Decimal(str(actual))
    return Reading.objects.create(indicator=ind, period=period(key), actual=value, **fields)


def _indicators(world):
    full = IndicatorSet.objects.create(code="FULL", name="Full set")
    own = indicator("CH141", lead=world.officer, directorate=world.cyps, title="Referrals of children in need")
    other = indicator("AS01", lead=world.other_officer, directorate=world.acs, title="Adults helped to live at home")
    own.sets.add(full)
    other.sets.add(full)
    july = period("2006-07")
    target(own, "2006/07", 220)
    reading(own, "2006-07", 196)
    world.extra.update(indicator_set=full, indicator=own, other_indicator=other, period=july)


POPULATE = [_indicators]
# Each app adds its own world objects in tests/<app>/factories.py as `def populate(world)`.
APPS = ("organisation", "indicators", "improvement_plans", "risks", "budgets", "reports")


def populate(world):
    import importlib

    for func in POPULATE:
        func(world)
    for app in APPS:
        try:
            module = importlib.import_module(f"tests.{app}.factories")
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.{app}.factories":
                raise
            continue
        module.populate(world)
