"""The one place that defines the test personas and the small council they work in.

Personas: officer (leads indicators in Children's Services), approver (same directorate),
performance (the performance team), member (Cabinet member), other_officer (leads in
Adult Services), other_approver (approves Adult Services), admin (superuser).
Each app adds what its tests need to `World` through factories in tests/factories.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core import policy
from organisation.models import Directorate, LeadRole, Portfolio, Profile

PASSWORD = "correct-horse-battery-staple"
ROLE_NAMES = ("officer", "approver", "performance", "member", "other_officer", "other_approver", "admin")


@dataclass
class World:
    """The small council every test can use; `extra` carries objects apps add for their tests."""

    users: dict
    cyps: Directorate
    acs: Directorate
    portfolio: Portfolio
    roles: dict
    extra: dict = field(default_factory=dict)

    def __getattr__(self, name):
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        extra = self.__dict__.get("extra", {})
        if name in extra:
            return extra[name]
        raise AttributeError(name)


def make_user(username, *, group=None, directorate=None, roles=(), superuser=False):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, first_name=username.replace("_", " ").title(),
        email=f"{username}@council.example", is_superuser=superuser, is_staff=superuser,
    )
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    profile = Profile.objects.create(user=user, directorate=directorate)
    if roles:
        profile.lead_roles.set(roles)
    return user


def make_world() -> World:
    for name in policy.ROLES:
        Group.objects.get_or_create(name=name)
    cyps = Directorate.objects.create(code="CYPS", name="Children and Young People's Services")
    acs = Directorate.objects.create(code="ACS", name="Adult and Community Services", order=1)
    portfolio = Portfolio.objects.create(name="Children's Services")
    docs = LeadRole.objects.create(abbreviation="DoCS", title="Director of Children's Services", directorate=cyps)
    doacs = LeadRole.objects.create(abbreviation="DoACS", title="Director of Adult & Community Services", directorate=acs)
    hopp = LeadRole.objects.create(abbreviation="HoPP", title="Head of Policy & Performance")
    users = {
        "officer": make_user("officer", group=policy.OFFICER, directorate=cyps, roles=[docs]),
        "approver": make_user("approver", group=policy.APPROVER, directorate=cyps),
        "performance": make_user("performance", group=policy.PERFORMANCE, roles=[hopp]),
        "member": make_user("member", group=policy.MEMBER),
        "other_officer": make_user("other_officer", group=policy.OFFICER, directorate=acs, roles=[doacs]),
        "other_approver": make_user("other_approver", group=policy.APPROVER, directorate=acs),
        "admin": make_user("admin", superuser=True),
    }
    return World(users=users, cyps=cyps, acs=acs, portfolio=portfolio, roles={"DoCS": docs, "DoACS": doacs, "HoPP": hopp})
