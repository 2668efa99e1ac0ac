"""What a person's claims give them in councilperf: pure rules, no provider needed."""

from organisation import sso

CONFIG = sso.SsoSettings(
    issuer="https://login.example.com/council/v2.0", discovery_url="", client_id="id", client_secret="",
    scopes=("openid",), provider_name="Council account",
    role_groups={"Officer": frozenset({"g-officers"}), "Approver": frozenset({"g-approvers"}),
                 "Performance team": frozenset(), "Member": frozenset({"g-members"})},
    lead_roles={"g-docs": "DoCS"}, directorate_claim="department", active_claim="account_enabled",
)


def test_each_mapped_group_gives_its_role_and_unmapped_groups_give_nothing():
    given = sso.entitlements({"groups": ["g-officers", "g-approvers", "g-everyone"]}, CONFIG)
    assert given.roles == {"Officer", "Approver"}


def test_a_single_string_claim_counts_as_one_group():
    assert sso.entitlements({"groups": "g-members"}, CONFIG).roles == {"Member"}


def test_no_groups_claim_means_no_role():
    assert sso.entitlements({"sub": "x"}, CONFIG).roles == frozenset()


def test_lead_roles_come_from_mapped_groups_and_only_mapped_ones_are_managed():
    given = sso.entitlements({"groups": ["g-officers", "g-docs"]}, CONFIG, [("g-hopp", "", "HoPP")])
    assert given.lead_roles == {"DoCS"}
    assert given.managed_lead_roles == {"DoCS", "HoPP"}


def test_the_admins_mapping_adds_roles_but_not_unknown_group_names():
    mappings = [("g-board", "Performance team", ""), ("g-board", "Superusers", "")]
    assert sso.entitlements({"groups": ["g-board"]}, CONFIG, mappings).roles == {"Performance team"}


def test_a_lead_roles_claim_gives_glossary_abbreviations_and_manages_the_whole_glossary():
    config = sso.SsoSettings(**{**CONFIG.__dict__, "lead_roles": {}, "lead_roles_claim": "jobRoles"})
    given = sso.entitlements({"jobRoles": ["DoCS", "Chief Cook"]}, config, glossary=["DoCS", "HoPP"])
    assert given.lead_roles == {"DoCS"}
    assert given.managed_lead_roles == {"DoCS", "HoPP"}


def test_the_directorate_is_the_first_value_of_its_claim():
    assert sso.entitlements({"department": "CYPS"}, CONFIG).directorate == "CYPS"


def test_an_account_is_disabled_only_when_the_active_claim_says_false():
    assert sso.is_disabled({"account_enabled": False}, CONFIG)
    assert sso.is_disabled({"account_enabled": "false"}, CONFIG)
    assert not sso.is_disabled({"account_enabled": True}, CONFIG)
    assert not sso.is_disabled({}, CONFIG)  # a provider that does not send it disables no one


def test_sso_is_off_until_an_issuer_and_a_client_id_are_set(settings):
    settings.COUNCILPERF_OIDC = {"ISSUER": "https://login.example.com/x", "CLIENT_ID": ""}
    assert sso.sso_settings() is None
    assert sso.local_passwords_allowed()
    settings.COUNCILPERF_OIDC = {"ISSUER": "https://login.example.com/x/", "CLIENT_ID": "abc",
                                 "LEAD_ROLES": ["a=b=DoCS"], "SCOPES": ["profile"]}
    config = sso.sso_settings()
    assert config.issuer == "https://login.example.com/x"
    assert config.discovery_url == "https://login.example.com/x/.well-known/openid-configuration"
    assert config.scopes == ("openid", "profile")
    assert config.lead_roles == {"a=b": "DoCS"}


def test_passwords_can_be_switched_off_only_when_sso_is_on(settings):
    settings.COUNCILPERF_LOCAL_PASSWORDS = False
    settings.COUNCILPERF_OIDC = {}
    assert sso.local_passwords_allowed()  # otherwise nobody could sign in
    settings.COUNCILPERF_OIDC = {"ISSUER": "https://login.example.com/x", "CLIENT_ID": "abc"}
    assert not sso.local_passwords_allowed()
