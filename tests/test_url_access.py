"""Every route, every role: the expected status, so a new view without a rule fails the suite."""

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access import ACCESS, ALLOWED_POST, DUTIES, ROLES

# Public: sign-in, and the single sign-on start and callback (tests/sso/ checks them against a real provider).
PUBLIC = {"login", "openid_connect_login", "openid_connect_callback"}


def _named_routes(patterns=None, namespace=None):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            ns = entry.namespace or namespace
            if namespace and entry.namespace:
                ns = f"{namespace}:{entry.namespace}"
            yield from _named_routes(entry.url_patterns, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}" if namespace else entry.name


ROUTES = sorted(set(_named_routes()))


def test_every_route_has_an_access_rule():
    missing = [name for name in ROUTES if name not in ACCESS and name not in PUBLIC]
    assert missing == [], f"routes without a rule in tests/access.py: {missing}"


def test_no_rule_names_a_route_that_does_not_exist():
    assert sorted(set(ACCESS) - set(ROUTES)) == []


def _url(name, rule, world):
    kwargs = rule.kwargs(world) if rule.kwargs else {}
    url = reverse(name, kwargs=kwargs)
    return f"{url}?{rule.query}" if rule.query else url


def _request(client, rule, url, world):
    if rule.method == "post":
        data = rule.data(world) if callable(rule.data) else (rule.data or {})
        return client.post(url, data)
    return client.get(url)


@pytest.mark.parametrize("name", [n for n in ROUTES if n not in PUBLIC])
def test_each_role_gets_the_expected_status(name, world, client_for):
    """Anonymous is sent to sign-in; then every role in turn, each request inside a savepoint that is rolled back so roles cannot
    affect one another; one world per route keeps the walk fast."""
    rule = ACCESS.get(name)
    if rule is None:
        pytest.fail(f"no access rule for {name}")
    url = _url(name, rule, world)
    wrong = []
    with transaction.atomic():
        response = _request(client_for("anonymous"), rule, url, world)
        transaction.set_rollback(True)
    if response.status_code != 302 or not response["Location"].startswith(reverse("login")):
        wrong.append(f"anonymous: {rule.method.upper()} {url} gave {response.status_code}, expected a redirect to sign-in")
    for role in ROLES:
        expected = rule.expect[role]
        with transaction.atomic():
            response = _request(client_for(role), rule, url, world)
            transaction.set_rollback(True)
        got = response.status_code
        if rule.method == "post" and expected in ALLOWED_POST:
            ok = got in ALLOWED_POST
        elif isinstance(expected, set):
            ok = got in expected
        else:
            ok = got == expected
        if not ok:
            wrong.append(f"{role}: {rule.method.upper()} {url} gave {got}, expected {expected}")
    assert wrong == []


@pytest.mark.parametrize("duty", sorted(DUTIES))
def test_no_role_signs_off_what_it_had_a_hand_in(duty, world, client_for):
    """Separation of duties, for every role the route lets in: with the role's own hand on the object
    the sign-off is refused and nothing is signed off; with only the officer's hand on it, the same
    POST signs it off (the positive control)."""
    case = DUTIES[duty]
    rule = ACCESS[case.route]
    allowed = [role for role in ROLES if rule.expect[role] in ALLOWED_POST]
    assert allowed, f"{case.route}: no role may sign off at all"
    wrong = []
    for role in allowed:
        user = world.users[role]
        for own in (True, False):
            with transaction.atomic():
                case.arrange(world, user if own else world.officer)
                url = reverse(case.route, kwargs=case.kwargs(world))
                response = client_for(role).post(url, case.data(world))
                decided = case.decided(world)
                transaction.set_rollback(True)
            if response.status_code >= 500:
                wrong.append(f"{role}: POST {url} gave {response.status_code}")
            if own and decided:
                wrong.append(f"{role} signed off what they had a hand in ({duty})")
            if not own and not decided:
                wrong.append(f"{role} could not sign off the officer's work ({duty}): the case proves nothing")
    assert wrong == []


def test_sign_in_page_is_public(client):
    assert client.get(reverse("login")).status_code == 200


def test_admin_refuses_everyone_but_superusers(world, client_for):
    for role in ROLES:
        response = client_for(role).get("/admin/")
        expected = 200 if role == "admin" else 302
        assert response.status_code == expected, role
