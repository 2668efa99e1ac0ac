"""What the home page shows each role: what is due from me, what awaits my approval, the latest report.

Each part of the app contributes a panel function here so the home page grows with the app
without its view knowing the details. A panel function takes the user and returns a dict of
template context or None when it has nothing to say to that user.
"""

from __future__ import annotations

from collections.abc import Callable

PANELS: list[tuple[str, Callable]] = []


def panel(template_name: str):
    """Register a home-page panel rendered with `template_name` when its function returns context."""

    def register(func):
        PANELS.append((template_name, func))
        return func

    return register


def panels_for(user) -> dict:
    shown = []
    for template_name, func in PANELS:
        context = func(user)
        if context is not None:
            shown.append({"template": template_name, **context})
    return {"panels": shown}
