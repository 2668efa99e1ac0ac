"""Every view asks core.policy, and the role-by-URL table says what the domain says.

tests/test_url_access.py proves each route answers each role as the table expects; these tests
prove the table itself keeps the promises: members read published reports and nothing else,
nothing the performance team cannot do is open to anyone else, and refusals are 404s.
"""

from __future__ import annotations

import inspect

from django.urls import URLPattern, URLResolver, get_resolver

from tests.access import ACCESS, ROLES

# Every signed-in person has a home page; its panels each ask the policy (core/panels.py).
# Sign-in and sign-out are Django's own views; the single sign-on start and callback come before
# anyone has a role (organisation.sso gives the roles, from core.policy's list; tests/sso).
NO_POLICY_NEEDED = {"home", "login", "logout", "openid_connect_login", "openid_connect_callback"}
MEMBER_ROUTES = {"home", "logout", "reports:list", "reports:version", "reports:pdf", "reports:csv", "reports:json"}
ALLOWED = {200, 302, 303}


def _views(patterns=None, namespace=None):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            yield from _views(entry.url_patterns, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry.callback


def _names(code) -> set[str]:
    """Every global name a function's compiled code uses, nested comprehensions included.

    Read from the bytecode rather than the source file, which others may be editing as the suite runs.
    """
    names = set(code.co_names)
    for const in code.co_consts:
        if inspect.iscode(const):
            names |= _names(const)
    return names


def _asks_policy(func) -> bool:
    """The view, or a function of its own module that it calls, uses `policy`."""
    func = inspect.unwrap(func)
    module = inspect.getmodule(func)
    used = _names(func.__code__)
    if "policy" in used:
        return True
    for name in used:
        helper = getattr(module, name, None)
        own = inspect.isfunction(helper) and helper.__module__ == module.__name__
        if own and "policy" in _names(helper.__code__):
            return True
    return False


def test_every_view_asks_the_policy():
    missing = [name for name, view in _views() if name not in NO_POLICY_NEEDED and not _asks_policy(view)]
    assert missing == [], f"views that never ask core.policy: {missing}"


def _allowed(rule, role) -> bool:
    expected = rule.expect[role]
    statuses = expected if isinstance(expected, set) else {expected}
    return bool(statuses & ALLOWED)


def test_members_reach_published_reports_and_nothing_else():
    reached = {name for name, rule in ACCESS.items() if _allowed(rule, "member")}
    assert reached == MEMBER_ROUTES


def test_anything_an_officer_or_approver_may_do_the_performance_team_may_do():
    for name, rule in ACCESS.items():
        if any(_allowed(rule, role) for role in ROLES):
            assert _allowed(rule, "performance") and _allowed(rule, "admin"), name


def test_refusals_are_404_so_private_objects_are_not_disclosed():
    for name, rule in ACCESS.items():
        for role in ROLES:
            if not _allowed(rule, role):
                assert rule.expect[role] == 404, f"{name} refuses {role} with {rule.expect[role]}"


def test_officers_reach_no_page_of_the_performance_team():
    team_only = {name for name, rule in ACCESS.items()
                 if _allowed(rule, "performance") and not _allowed(rule, "approver") and not _allowed(rule, "officer")}
    for name in team_only:
        for role in ("officer", "other_officer", "approver", "other_approver", "member"):
            assert not _allowed(ACCESS[name], role), (name, role)
    # The pages that must stay the team's, whatever anyone adds later.
    assert {
        "indicators:returns", "indicators:period_manage", "indicators:period_open", "indicators:readings_export",
        "indicators:import_workbook", "indicators:import_confirm", "improvement_plans:import",
        "improvement_plans:element_status", "improvement_plans:issue_version", "risks:create", "risks:settings",
        "risks:remove", "budgets:import", "budgets:tolerances", "budgets:revenue_line", "reports:new",
        "reports:publish", "reports:paragraph", "reports:cover", "reports:render", "organisation:audit_log",
        "organisation:audit_export",
    } <= team_only


def test_another_directorate_is_refused_what_their_own_directorate_may_do():
    """The world's objects belong to Children's Services: Adult Services' officer and approver may not change them."""
    for name in ("indicators:update_row", "indicators:approval_row", "improvement_plans:action_update",
                 "improvement_plans:update_decide", "risks:review", "risks:edit", "risks:mitigation_add"):
        rule = ACCESS[name]
        assert _allowed(rule, "officer") or _allowed(rule, "approver"), name
        assert not _allowed(rule, "other_officer") and not _allowed(rule, "other_approver"), name


def test_a_members_home_page_shows_nothing_unpublished(world, client_for):
    """The home page is the one page without a rule of its own: its panels must each ask the policy."""
    from indicators.models import Reading

    Reading.objects.filter(indicator=world.indicator, period=world.period).update(state="submitted")
    page = client_for("member").get("/").content.decode()
    for private in ("CH141", "AS01", "CR01", world.risk.title, "7.2", "Children's social care", "Approvals",
                    "My updates"):
        assert private not in page, private
    staff_page = client_for("performance").get("/").content.decode()
    assert "CH141" in staff_page or "Approvals" in staff_page or "figure" in staff_page  # the control


def test_a_member_who_once_owned_a_risk_does_not_see_it_on_their_home_page(world, client_for):
    from risks.models import Risk

    Risk.objects.filter(pk=world.risk.pk).update(owner=world.member)
    assert world.risk.title not in client_for("member").get("/").content.decode()
