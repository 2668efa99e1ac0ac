"""Signing in with the council's identity provider in Chromium, through a real OpenID Connect
provider on 127.0.0.1 (oidc-provider, tests/sso/provider.mjs): discovery, the authorisation
code flow with PKCE, token, userinfo, roles from groups, and signing out of both."""

import copy
import re

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from improvement_plans.models import Action
from organisation.models import AuditEvent
from tests.browser.conftest import PROBLEMS
from tests.browser.helpers import assert_accessible
from tests.sso import provider as op

pytestmark = pytest.mark.browser

User = get_user_model()
SIGN_IN_WITH = "Sign in with Test Council account"


@pytest.fixture(scope="session")
def browser_oidc_provider(live_server):
    running = op.start(app_urls=[live_server.url])
    yield running
    running.stop()


@pytest.fixture
def sso(settings, browser_oidc_provider, demo_council):
    settings.COUNCILPERF_OIDC = browser_oidc_provider.settings()
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"] = ["'self'", browser_oidc_provider.issuer]
    settings.CONTENT_SECURITY_POLICY = policy
    return browser_oidc_provider


def expect_refused_with_403(page):
    """A refused sign-in is answered 403, which Chromium reports once; any other problem still fails."""
    problems = PROBLEMS[page.context]
    expected = "console error: Failed to load resource: the server responded with a status of 403 (Forbidden)"
    assert expected in problems
    problems.remove(expected)


def sign_in_with_provider(page, username):
    page.goto("/sign-in/")
    page.get_by_role("button", name=SIGN_IN_WITH).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to the test identity provider")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(op.PASSWORD)
    page.get_by_role("button", name="Sign in to the provider").click()


def test_an_officer_signs_in_through_the_provider_updates_their_actions_and_signs_out_of_both(page, sso):
    page.goto("/sign-in/")
    expect(page.get_by_role("button", name=SIGN_IN_WITH)).to_be_visible()
    expect(page.get_by_label("Password")).to_be_visible()  # this council still allows passwords
    assert_accessible(page, "sign-in-sso")

    sign_in_with_provider(page, "olivia")
    expect(page).to_have_title(re.compile(r"^Home – councilperf – "))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Olivia")
    assert_accessible(page, "home-sso-officer")

    # The lead role DoCS came from the provider's groups: the officer updates the actions DoCS leads.
    action = Action.objects.get(number="7.2")
    page.goto(f"/plans/{action.element.plan_id}/updates/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Update my actions")
    expect(page.locator(f"#{action.anchor}").get_by_role("button", name="Save update to 7.2")).to_be_visible()

    user = User.objects.get(socialaccount__uid=f"{sso.issuer} {op.ACCOUNTS['olivia']['sub']}")
    assert set(user.groups.values_list("name", flat=True)) == {"Officer"}
    assert AuditEvent.objects.filter(user=user, action="sso_signed_in").count() == 1

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign out of the test identity provider")
    page.get_by_role("button", name="Yes, sign me out").click()
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
    # Signed out at the provider too: the next person at this computer is asked who they are.
    page.get_by_role("button", name=SIGN_IN_WITH).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to the test identity provider")


def test_a_member_signs_in_through_the_provider_and_reads_the_published_reports(page, sso):
    sign_in_with_provider(page, "martin")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Martin")
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link", name=re.compile("indicators", re.I))).to_have_count(0)
    menu.get_by_role("link", name=re.compile("reports", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("report", re.I))
    expect(page.get_by_role("link", name=re.compile("Integrated performance report")).first).to_be_visible()
    assert_accessible(page, "reports-sso-member")


def test_someone_in_no_councilperf_group_gets_a_page_that_says_who_to_ask(page, sso):
    sign_in_with_provider(page, "nadia")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account has no role in councilperf")
    expect(page.get_by_text("Ask the performance team (performance@council.example)")).to_be_visible()
    assert_accessible(page, "sso-no-role")
    expect_refused_with_403(page)
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    assert not SocialAccount.objects.filter(uid__endswith=op.ACCOUNTS["nadia"]["sub"]).exists()
    assert not User.objects.filter(email="nadia.noor@council.example").exists()


def test_a_tampered_token_is_refused_in_the_browser_with_a_readable_page(page, sso):
    sign_in_with_provider(page, "tess")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign-in could not be completed")
    expect(page.get_by_text("could not be verified")).to_be_visible()
    assert_accessible(page, "sso-refused-tampered")
    expect_refused_with_403(page)
    assert not User.objects.filter(email__in=["tess.turner@council.example", "priya.patel@council.example"]).exists()
