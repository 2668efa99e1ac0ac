"""Indicators test objects on the personas' world (tests/factories.py already adds the basic indicator)."""

from indicators.models import IndicatorSet, Objective, Priority, Theme


def populate(world):
    """A nested set, a theme and an objective, so the list's filters and the dashboard's tables have rows."""
    laa = IndicatorSet.objects.create(code="LAA", name="Local Area Agreement", parent=world.indicator_set, order=1)
    theme = Theme.objects.create(name="Safer and stronger communities", indicator_set=laa)
    priority = Priority.objects.create(name="Children and young people")
    objective = Objective.objects.create(priority=priority, name="Keep children safe")
    world.indicator.sets.add(laa)
    world.indicator.theme = theme
    world.indicator.objective = objective
    world.indicator.save(update_fields=["theme", "objective"])
    world.extra.update(laa_set=laa, theme=theme, priority=priority, objective=objective)
