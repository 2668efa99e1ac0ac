"""Single sign-on: the council's OpenID Connect settings, and what a person's claims give them here.

Pure functions over the settings and the claims; the flow itself (django-allauth) is in
organisation.sso_allauth and the writes are in organisation.services.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.conf import settings

from core import policy

PROVIDER_ID = "council"


@dataclass(frozen=True)
class SsoSettings:
    issuer: str
    discovery_url: str
    client_id: str
    client_secret: str
    scopes: tuple[str, ...]
    provider_name: str
    groups_claim: str = "groups"
    role_groups: Mapping[str, frozenset[str]] = field(default_factory=dict)
    lead_roles: Mapping[str, str] = field(default_factory=dict)
    lead_roles_claim: str = ""
    directorate_claim: str = ""
    active_claim: str = ""
    role_contact: str = "the performance team"


def sso_settings() -> SsoSettings | None:
    """The provider the council signs in with, or None when single sign-on is not set up."""
    raw = getattr(settings, "COUNCILPERF_OIDC", {}) or {}
    issuer = (raw.get("ISSUER") or "").rstrip("/")
    client_id = raw.get("CLIENT_ID") or ""
    if not issuer or not client_id:
        return None
    lead_roles = {}
    for pair in raw.get("LEAD_ROLES") or ():
        value, _, abbreviation = pair.rpartition("=")
        if value and abbreviation:
            lead_roles[value.strip()] = abbreviation.strip()
    scopes = tuple(raw.get("SCOPES") or ("openid", "profile", "email"))
    if "openid" not in scopes:
        scopes = ("openid", *scopes)
    return SsoSettings(
        issuer=issuer,
        discovery_url=raw.get("DISCOVERY_URL") or f"{issuer}/.well-known/openid-configuration",
        client_id=client_id,
        client_secret=raw.get("CLIENT_SECRET") or "",
        scopes=scopes,
        provider_name=raw.get("PROVIDER_NAME") or "your council account",
        groups_claim=raw.get("GROUPS_CLAIM") or "groups",
        role_groups={
            role: frozenset(v.strip() for v in (raw.get("GROUPS") or {}).get(role, ()) if v.strip())
            for role in policy.ROLES
        },
        lead_roles=lead_roles,
        lead_roles_claim=raw.get("LEAD_ROLES_CLAIM") or "",
        directorate_claim=raw.get("DIRECTORATE_CLAIM") or "",
        active_claim=raw.get("ACTIVE_CLAIM") or "",
        role_contact=raw.get("ROLE_CONTACT") or "the performance team",
    )


def local_passwords_allowed() -> bool:
    """Whether the username and password form is offered (always, when there is no SSO)."""
    return sso_settings() is None or bool(getattr(settings, "COUNCILPERF_LOCAL_PASSWORDS", True))


@dataclass(frozen=True)
class Entitlements:
    """What a person's claims give them: roles (group names), lead roles (abbreviations), a directorate."""

    roles: frozenset[str]
    lead_roles: frozenset[str]
    managed_lead_roles: frozenset[str]
    directorate: str = ""


def _values(claim) -> list[str]:
    if claim is None:
        return []
    if isinstance(claim, str):
        return [claim]
    if isinstance(claim, Iterable):
        return [str(v) for v in claim]
    return [str(claim)]


def entitlements(
    claims: Mapping, config: SsoSettings, mappings: Iterable[tuple[str, str, str]] = (),
    glossary: Iterable[str] = (),
) -> Entitlements:
    """Roles and lead roles from the group claim, through the environment's mapping and the admin's.

    `mappings` are (claim value, group name or "", lead role abbreviation or "") rows from the
    admin. With a lead-roles claim, its values that are abbreviations in the `glossary` are the
    lead roles, and the provider decides every lead role. Otherwise lead roles the mapping does
    not mention are left to the performance team; `managed_lead_roles` says which ones SSO decides.
    """
    values = set(_values(claims.get(config.groups_claim)))
    roles = {role for role, wanted in config.role_groups.items() if values & wanted}
    lead_roles = {abbr for value, abbr in config.lead_roles.items() if value in values}
    managed = set(config.lead_roles.values())
    for value, group, abbreviation in mappings:
        if group and group in policy.ROLES and value in values:
            roles.add(group)
        if abbreviation:
            managed.add(abbreviation)
            if value in values:
                lead_roles.add(abbreviation)
    if config.lead_roles_claim:
        known = set(glossary)
        managed |= known
        lead_roles |= known & set(_values(claims.get(config.lead_roles_claim)))
    directorate = ""
    if config.directorate_claim:
        found = _values(claims.get(config.directorate_claim))
        directorate = found[0] if found else ""
    return Entitlements(frozenset(roles), frozenset(lead_roles), frozenset(managed), directorate)


def is_disabled(claims: Mapping, config: SsoSettings) -> bool:
    """True when the provider says the account is disabled (the active claim is false)."""
    if not config.active_claim or config.active_claim not in claims:
        return False
    value = claims[config.active_claim]
    if isinstance(value, str):
        return value.strip().lower() in {"false", "0", "no", "disabled"}
    return value is False or value == 0


def display_name(claims: Mapping) -> str:
    return str(claims.get("name") or claims.get("preferred_username") or claims.get("email") or "")
