"""Signing in with the council's identity provider, against a real OpenID Connect provider
(oidc-provider on 127.0.0.1, tests/sso/provider.mjs): the app's side through Django's test
client, the person's side at the provider through requests."""

from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from organisation.models import AuditEvent, SignInGroupMapping
from organisation.sso_allauth import REFUSALS, refused
from tests.personas import make_user
from tests.sso import provider as op

User = get_user_model()
START = "/sign-in/oidc/council/"


def start_sign_in(client, next_url=None):
    data = {"process": "login", **({"next": next_url} if next_url else {})}
    response = client.post(START, data)
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def sso_sign_in(client, username, *, change_callback=None, next_url=None):
    """Press "Sign in with ...", sign in at the provider, come back: the app's answer to the callback."""
    authorize = start_sign_in(client, next_url)
    callback = op.sign_in_at_provider(authorize, username, app_url="http://testserver")
    if change_callback:
        callback = change_callback(callback)
    parts = urlsplit(callback)
    return client.get(f"{parts.path}?{parts.query}")


def signed_in_user(client):
    response = client.get(reverse("home"))
    return response.wsgi_request.user if response.status_code == 200 else None


def nothing_created_for(username):
    sub = op.ACCOUNTS[username]["sub"]
    return not SocialAccount.objects.filter(uid__endswith=f" {sub}").exists() and not User.objects.filter(
        email=op.ACCOUNTS[username]["claims"].get("email")).exists()


def page_text(response):
    return response.content.decode()


# --- The sign-in page --------------------------------------------------------------------------


def test_with_sso_the_sign_in_page_offers_the_provider_and_the_password_form(world, sso_on, client,
                                                                              django_assert_num_queries):
    with django_assert_num_queries(0):
        page = page_text(client.get(reverse("login")))
    assert "Sign in with Test Council account" in page
    assert 'action="/sign-in/oidc/council/"' in page
    assert 'name="password"' in page


def test_a_council_that_allows_no_passwords_gets_only_the_provider_button(world, sso_on, client, settings):
    settings.COUNCILPERF_LOCAL_PASSWORDS = False
    page = page_text(client.get(reverse("login")))
    assert "Sign in with Test Council account" in page
    assert 'name="password"' not in page

    refused = client.post(reverse("login"), {"username": "officer", "password": "correct-horse-battery-staple"})
    assert refused.status_code == 403
    assert "this council does not use passwords in councilperf" in page_text(refused)
    assert signed_in_user(client) is None


def test_without_sso_there_is_no_provider_button_and_its_address_is_not_found(world, client):
    page = page_text(client.get(reverse("login")))
    assert "Sign in with" not in page
    assert 'name="password"' in page
    assert client.post(START).status_code == 404


def test_starting_sign_in_uses_the_authorisation_code_flow_with_pkce(world, sso_on, oidc_provider, client):
    authorize = urlsplit(start_sign_in(client))
    query = parse_qs(authorize.query)
    assert f"{authorize.scheme}://{authorize.netloc}" == oidc_provider.issuer  # from discovery
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert set(query["scope"][0].split()) == {"openid", "profile", "email", "groups"}
    assert query["redirect_uri"] == ["http://testserver/sign-in/oidc/council/callback/"]


# --- Signing in -----------------------------------------------------------------------------


def test_an_officer_signs_in_for_the_first_time_and_gets_an_account_with_their_roles(world, sso_on, oidc_provider):
    client = Client()
    response = sso_sign_in(client, "olivia")
    assert response.status_code == 302 and response["Location"] == "/"

    user = signed_in_user(client)
    assert user.get_full_name() == "Olivia Oyelaran"
    assert user.email == "olivia.oyelaran@council.example"
    assert not user.has_usable_password()
    assert set(user.groups.values_list("name", flat=True)) == {"Officer"}
    assert set(user.profile.lead_roles.values_list("abbreviation", flat=True)) == {"DoCS"}
    assert user.profile.directorate == world.cyps
    account = SocialAccount.objects.get(user=user)
    assert account.uid == f"{oidc_provider.issuer} {op.ACCOUNTS['olivia']['sub']}"

    actions = list(AuditEvent.objects.filter(username=user.username).order_by("id").values_list("action", flat=True))
    assert actions == ["sso_account_created", "sso_roles_changed", "sso_signed_in"]
    roles_changed = AuditEvent.objects.get(username=user.username, action="sso_roles_changed").summary
    assert roles_changed == "From Test Council account: role Officer given; lead role DoCS given; directorate CYPS"


def test_a_link_followed_before_signing_in_is_where_sso_lands(world, sso_on, client):
    page = page_text(client.get(reverse("login") + "?next=/reports/"))
    assert '<input type="hidden" name="next" value="/reports/">' in page.split('id="sso-sign-in"', 1)[1]
    assert sso_sign_in(client, "martin", next_url="/reports/")["Location"] == "/reports/"


def test_a_link_to_another_site_is_not_followed_after_sso(world, sso_on):
    assert sso_sign_in(Client(), "martin", next_url="https://evil.example/")["Location"] == "/"


def test_a_member_signs_in_and_reads_reports_but_not_indicators(world, sso_on):
    client = Client()
    sso_sign_in(client, "martin")
    user = signed_in_user(client)
    assert set(user.groups.values_list("name", flat=True)) == {"Member"}
    assert client.get(reverse("reports:list")).status_code == 200
    assert client.get(reverse("indicators:list")).status_code == 404


def test_signing_in_again_is_the_same_account_matched_by_subject_not_email(world, sso_on):
    # Someone already has the officer's e-mail address in a local account: SSO must not take it over.
    local = make_user("olivia_local")
    local.email = "olivia.oyelaran@council.example"
    local.save()

    sso_sign_in(Client(), "olivia")
    second = Client()
    sso_sign_in(second, "olivia")

    user = signed_in_user(second)
    assert user != local
    assert User.objects.filter(email="olivia.oyelaran@council.example").count() == 2
    assert SocialAccount.objects.filter(user=user).count() == 1
    assert not SocialAccount.objects.filter(user=local).exists()


def test_roles_follow_the_provider_at_every_sign_in(world, sso_on):
    sso_sign_in(Client(), "olivia")
    # The council moves the officers' group to the approvers' role and stops mapping lead roles from it.
    sso_on(GROUPS={**op.GROUPS, "Officer": [], "Approver": ["sg-councilperf-officers"]}, LEAD_ROLES=[])
    SignInGroupMapping.objects.create(claim_value="sg-role-docs", lead_role=world.roles["HoPP"])

    client = Client()
    sso_sign_in(client, "olivia")
    user = signed_in_user(client)
    assert set(user.groups.values_list("name", flat=True)) == {"Approver"}
    assert set(user.profile.lead_roles.values_list("abbreviation", flat=True)) == {"DoCS", "HoPP"}
    change = AuditEvent.objects.filter(action="sso_roles_changed").first().summary
    assert change == "From Test Council account: role Approver given; role Officer taken away; lead role HoPP given"


def test_a_role_can_come_from_the_admins_mapping(world, sso_on):
    sso_on(GROUPS={**op.GROUPS, "Member": []})
    SignInGroupMapping.objects.create(claim_value="sg-councilperf-members", group=world.users["member"].groups.get())
    client = Client()
    sso_sign_in(client, "martin")
    assert set(signed_in_user(client).groups.values_list("name", flat=True)) == {"Member"}


def test_signing_out_after_sso_ends_the_providers_session_too(world, sso_on, oidc_provider):
    client = Client()
    sso_sign_in(client, "martin")
    response = client.post(reverse("logout"))
    assert signed_in_user(client) is None
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{oidc_provider.issuer}/session/end"
    query = parse_qs(target.query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/sign-in/"]
    assert query["client_id"] == [op.CLIENT_ID]
    assert query["id_token_hint"][0].count(".") == 2


# --- Refusals: each with a page that says what happened, and nothing created ---------------------


def _refused(response, heading):
    text = page_text(response)
    assert response.status_code == 403, text[:800]
    assert f'<h1 class="govuk-heading-xl">{heading}</h1>' in text
    assert "Traceback" not in text
    return text


def test_a_person_with_no_mapped_group_is_told_who_to_ask_and_nothing_is_created(world, sso_on):
    client = Client()
    text = _refused(sso_sign_in(client, "nadia"), "Your account has no role in councilperf")
    assert "You signed in to Test Council account as Nadia Noor" in text
    assert "Ask the performance team (performance@council.example) to add you" in text
    assert signed_in_user(client) is None
    assert nothing_created_for("nadia")
    assert AuditEvent.objects.get(action="sso_sign_in_failed").summary.startswith("no_role: ")


def test_someone_whose_groups_are_taken_away_loses_every_role_and_is_refused(world, sso_on):
    sso_sign_in(Client(), "olivia")
    user = User.objects.get(email="olivia.oyelaran@council.example")
    sso_on(GROUPS={**op.GROUPS, "Officer": []})

    client = Client()
    _refused(sso_sign_in(client, "olivia"), "Your account has no role in councilperf")
    assert signed_in_user(client) is None
    assert not user.groups.exists()
    assert not user.profile.lead_roles.exists()
    assert "role Officer taken away" in AuditEvent.objects.filter(action="sso_roles_changed").first().summary


def test_a_leaver_whose_account_the_provider_disabled_is_refused_and_switched_off(world, sso_on):
    sso_on(ACTIVE_CLAIM="")  # before the council turned on the claim, Leo signed in as an officer
    sso_sign_in(Client(), "leo")
    leo = User.objects.get(email="leo.lang@council.example")
    assert leo.is_active

    sso_on()
    client = Client()
    text = _refused(sso_sign_in(client, "leo"), "Your account is disabled")
    assert "Test Council account says the account of Leo Lang is disabled" in text
    leo.refresh_from_db()
    assert not leo.is_active
    assert not leo.groups.exists()
    assert signed_in_user(client) is None
    assert AuditEvent.objects.filter(action="sso_user_deactivated", username=leo.username).exists()


def test_a_leaver_still_signed_in_elsewhere_is_signed_out_once_switched_off(world, sso_on):
    sso_on(ACTIVE_CLAIM="")
    at_work = Client()
    sso_sign_in(at_work, "leo")
    assert signed_in_user(at_work) is not None

    sso_on()
    sso_sign_in(Client(), "leo")  # the provider now says the account is disabled
    assert signed_in_user(at_work) is None
    assert at_work.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_a_disabled_account_signing_in_for_the_first_time_gets_nothing(world, sso_on):
    _refused(sso_sign_in(Client(), "leo"), "Your account is disabled")
    assert nothing_created_for("leo")


def test_an_answer_that_does_not_match_the_sign_in_started_here_is_refused(world, sso_on):
    def other_state(url):
        parts = urlsplit(url)
        query = parse_qs(parts.query)
        query["state"] = ["made-up-state"]
        return urlunsplit(parts._replace(query=urlencode(query, doseq=True)))

    client = Client()
    text = _refused(sso_sign_in(client, "olivia", change_callback=other_state), "Sign-in could not be completed")
    assert "does not match a sign-in started in this browser" in text
    assert signed_in_user(client) is None
    assert nothing_created_for("olivia")
    assert AuditEvent.objects.get(action="sso_sign_in_failed").summary.startswith("bad_state")


def test_an_id_token_from_another_issuer_is_refused(world, sso_on):
    client = Client()
    text = _refused(sso_sign_in(client, "ivan"), "Sign-in could not be completed")
    assert "did not come from Test Council account" in text
    assert signed_in_user(client) is None
    assert nothing_created_for("ivan")
    assert AuditEvent.objects.get(action="sso_sign_in_failed").summary.startswith("wrong_issuer")


def test_an_answer_naming_another_provider_is_refused_before_its_code_is_used(world, sso_on):
    def from_elsewhere(url):
        parts = urlsplit(url)
        query = parse_qs(parts.query)
        assert query["iss"] == [sso_on.issuer]  # the provider says who it is (RFC 9207)
        query["iss"] = ["https://login.example.com/another-council"]
        return urlunsplit(parts._replace(query=urlencode(query, doseq=True)))

    client = Client()
    text = _refused(sso_sign_in(client, "olivia", change_callback=from_elsewhere), "Sign-in could not be completed")
    assert "did not come from Test Council account" in text
    assert nothing_created_for("olivia")


def test_an_expired_id_token_is_refused(world, sso_on):
    client = Client()
    text = _refused(sso_sign_in(client, "edith"), "Sign-in could not be completed")
    assert "had already expired" in text
    assert nothing_created_for("edith")
    assert AuditEvent.objects.get(action="sso_sign_in_failed").summary.startswith("expired_token")


def test_a_tampered_id_token_is_refused_even_from_the_token_endpoint(world, sso_on):
    # The token says it is Priya (the performance team); the signature is still Tess's.
    client = Client()
    text = _refused(sso_sign_in(client, "tess"), "Sign-in could not be completed")
    assert "could not be verified" in text
    assert signed_in_user(client) is None
    assert nothing_created_for("tess") and nothing_created_for("priya")
    assert AuditEvent.objects.get(action="sso_sign_in_failed").summary.startswith("invalid_token")


def test_a_provider_whose_discovery_names_another_issuer_is_refused_before_anyone_signs_in(world, sso_on,
                                                                                          oidc_provider):
    sso_on(ISSUER="https://login.example.com/another-council",
           DISCOVERY_URL=f"{oidc_provider.issuer}/.well-known/openid-configuration")
    response = Client().post(START, {"process": "login"})
    _refused(response, "Sign-in could not be completed")
    assert AuditEvent.objects.get(action="sso_sign_in_failed").summary.startswith("wrong_issuer")


def test_an_unreachable_provider_says_so(world, sso_on):
    sso_on(ISSUER="http://127.0.0.1:9", DISCOVERY_URL="")
    response = Client().post(START, {"process": "login"})
    assert response.status_code == 502
    assert "Test Council account cannot be reached" in page_text(response)


@pytest.mark.parametrize("reason", sorted(REFUSALS))
def test_each_refusal_page_reads_nothing_from_the_database(world, sso_on, rf, reason, django_assert_num_queries):
    request = rf.get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        response = refused(request, reason)
    assert response.status_code == 403


def test_the_admin_shows_sign_in_mappings_and_accounts_but_no_provider_settings(world, sso_on):
    sso_sign_in(Client(), "olivia")
    admin = Client()
    admin.force_login(world.users["admin"])
    index = page_text(admin.get("/admin/"))
    assert "Sign in group mappings" in index
    assert "Social applications" not in index
    accounts = page_text(admin.get("/admin/socialaccount/socialaccount/"))
    assert "olivia.oyelaran@council.example" in accounts
    assert admin.get("/admin/organisation/signingroupmapping/add/").status_code == 200
