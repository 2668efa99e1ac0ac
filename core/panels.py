"""Panel slots: how a lower layer shows something of a higher one without importing it.

A page that is assembled from several apps (the home page for each role, an indicator's page)
offers a slot; each higher app fills it by registering a panel function in its `panels.py`,
imported from its AppConfig.ready(). A panel function takes the user (and whatever the slot
passes, such as the indicator) and returns a dict of template context, or None when it has
nothing to say. The page that offers the slot never knows which apps fill it, so the
dependencies point down: improvement_plans fills indicators' slot, never the other way.
"""

from __future__ import annotations

from collections.abc import Callable


class Slot:
    """A place on a page that higher apps fill with panels, each rendered with its own template."""

    def __init__(self, name: str):
        self.name = name
        self.panels: list[tuple[str, Callable]] = []

    def panel(self, template_name: str):
        """Register a panel rendered with `template_name` when its function returns context."""

        def register(func):
            self.panels.append((template_name, func))
            return func

        return register

    def fill(self, user, **kwargs) -> list[dict]:
        """The panels that have something to show: each its context with the template's name."""
        shown = []
        for template_name, func in self.panels:
            context = func(user, **kwargs)
            if context is not None:
                shown.append({"template": template_name, **context})
        return shown

    def context_for(self, user, **kwargs) -> dict:
        return {"panels": self.fill(user, **kwargs)}


class Columns:
    """Columns a lower app's list of indicators shows of the parts above it (a quartile from benchmarking).

    A column function takes the user, the page's period key and the ids of the indicators on the page,
    and returns {indicator_id: cell} (text, or markup already made safe), or None when it has nothing to
    show. It is called once for the whole page, so it must read what it needs in a fixed number of
    queries, however many rows there are.
    """

    def __init__(self, name: str):
        self.name = name
        self.columns: list[tuple[str, Callable]] = []

    def column(self, heading: str):
        """Register a column headed `heading`."""

        def register(func):
            self.columns.append((heading, func))
            return func

        return register

    def fill(self, user, *, period_key: str, indicator_ids: list[int]) -> list[dict]:
        """The columns that have something to show: each its heading and its cells by indicator id."""
        shown = []
        for heading, func in self.columns:
            cells = func(user, period_key=period_key, indicator_ids=list(indicator_ids))
            if cells is not None:
                shown.append({"heading": heading, "cells": cells})
        return shown


# What the home page shows each role: what is due from me, what awaits my approval, the latest report.
home = Slot("home")

# What an indicator's page shows of the parts above it (the improvement plan actions it is linked to).
indicator_page = Slot("indicator_page")

# What the indicators dashboard shows of the parts above it (benchmarking: quartiles against similar councils).
dashboard = Slot("dashboard")

# Columns the list of indicators shows of the parts above it (benchmarking: the quartile against similar councils).
indicator_columns = Columns("indicator_columns")

# Rows an improvement plan action's summary list shows of the parts above it (the risks it affects).
action_page = Slot("action_page")
