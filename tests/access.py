"""Who may reach every URL: the table the role-by-URL test walks.

Every named URL in the URLconf must have a rule here, so a new view without a rule fails
the suite. A rule says how to build the URL's arguments from the personas' world, which
method to use, and the status each role gets. 404 (not 403) where an object's existence is
itself private. POST rules check the refusal only: a POST that is allowed may redirect (302)
or re-show the form with errors (200); both mean the view let the role in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = ("officer", "approver", "performance", "member", "other_officer", "other_approver", "admin")
ALLOWED_POST = {200, 302, 303}


@dataclass
class Rule:
    expect: dict[str, int | set[int]]
    kwargs: Callable | None = None
    method: str = "get"
    data: Callable | dict | None = None
    query: str = ""
    extra_roles: dict = field(default_factory=dict)


def everyone(status=200):
    return dict.fromkeys(ROLES, status)


def staff(status=200, refused=404):
    """Officers, approvers, the performance team (and admin); members are refused."""
    rule = everyone(status)
    rule["member"] = refused
    return rule


def performance_only(status=200, refused=404):
    rule = everyone(refused)
    rule["performance"] = status
    rule["admin"] = status
    return rule


def roles(status_by_role: dict, default=404):
    rule = everyone(default)
    rule.update(status_by_role)
    return rule


@dataclass
class Duty:
    """A sign-off the walk repeats with the signer's own hand on the object (separation of duties).

    `arrange(world, user)` makes `user` the one who entered, submitted or last changed the object and
    leaves it waiting for sign-off; `decided(world)` says whether the sign-off happened. Every role the
    route's rule lets in is refused once it has had a hand; a role without one is the positive control.
    """

    route: str
    kwargs: Callable
    data: Callable
    arrange: Callable
    decided: Callable


ACCESS: dict[str, Rule] = {
    "home": Rule(everyone(200)),
    "logout": Rule(everyone(302), method="post"),
}

# Each app keeps its own rules in tests/<app>/access.py as `RULES = {...}`, and its sign-offs as `DUTIES = {...}`.
DUTIES: dict[str, Duty] = {}
APPS = ("organisation", "indicators", "improvement_plans", "risks", "budgets", "benchmarking", "reports")


def _collect():
    import importlib

    for app in APPS:
        try:
            module = importlib.import_module(f"tests.{app}.access")
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.{app}.access":
                raise
            continue
        clash = set(module.RULES) & set(ACCESS)
        assert not clash, f"rules defined twice: {clash}"
        ACCESS.update(module.RULES)
        DUTIES.update(getattr(module, "DUTIES", {}))


_collect()
