"""Single sign-on through django-allauth's OpenID Connect client, made strict and made the council's.

allauth does discovery, the authorisation code flow with PKCE, the token and userinfo
requests and the ID token checks (issuer, audience, expiry). On top of it, here:
- the provider comes from the environment (organisation.sso), never the database;
- the discovery document must name the configured issuer, and the ID token's signature is
  always checked, even though it came straight from the token endpoint;
- the userinfo must be about the person the ID token names;
- an account is the provider's issuer and subject id, never an e-mail address;
- roles come from the group claim at every sign-in, and a person with no role, or whose
  account the provider has disabled, is refused with a page that says so;
- every sign-in, refusal and role change goes to the audit log.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from urllib.parse import urlencode

import jwt
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from requests import RequestException

from . import audit, services, sso
from .models import LeadRole, SignInGroupMapping

log = logging.getLogger(__name__)

SESSION_SIGN_OUT = "councilperf_sso_sign_out"


class IdTokenRefused(OAuth2Error):
    """The ID token failed a check; `reason` says which, for the page and the audit log."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


# --- The provider and its flow -------------------------------------------------------------


class CouncilAdapter(OpenIDConnectOAuth2Adapter):
    """allauth's OpenID Connect adapter, strict about the issuer and the ID token's signature."""

    @property
    def openid_config(self):
        if not hasattr(self, "_openid_config"):
            config = super().openid_config
            expected = self.get_provider().app.settings["issuer"]
            if config.get("issuer", "").rstrip("/") != expected.rstrip("/"):
                raise IdTokenRefused("wrong_issuer", f"discovery names {config.get('issuer')!r}")
        return self._openid_config

    def _decode_id_token(self, app, id_token: str) -> dict:
        try:
            claims = jwtkit.verify_and_decode(
                credential=id_token,
                keys_url=self.openid_config["jwks_uri"],
                issuer=self.openid_config["issuer"],
                audience=app.client_id,
                lookup_kid=jwtkit.lookup_kid_jwk,
                verify_signature=True,  # not skipped for tokens from the token endpoint: defence in depth
            )
        except OAuth2Error as error:
            cause = error.__cause__
            if isinstance(cause, jwt.ExpiredSignatureError):
                raise IdTokenRefused("expired_token", str(cause)) from error
            if isinstance(cause, jwt.InvalidIssuerError):
                raise IdTokenRefused("wrong_issuer", str(cause)) from error
            if isinstance(cause, jwt.InvalidAudienceError):
                raise IdTokenRefused("wrong_audience", str(cause)) from error
            raise IdTokenRefused("invalid_token", str(cause or error)) from error
        self.request.session[SESSION_SIGN_OUT] = {
            "endpoint": self.openid_config.get("end_session_endpoint", ""),
            "id_token": id_token,
        }
        return claims

    def complete_login(self, request, app, token, **kwargs):
        login = super().complete_login(request, app, token, **kwargs)
        data = login.account.extra_data
        userinfo, id_token = data.get("userinfo") or {}, data.get("id_token") or {}
        if not id_token:
            raise IdTokenRefused("invalid_token", "no ID token")
        if userinfo and userinfo.get("sub") != id_token.get("sub"):
            raise IdTokenRefused("invalid_token", "userinfo is about someone else")
        return login

    def get_callback_url(self, request, app):
        return request.build_absolute_uri(sso_callback_path())


class CouncilProvider(OpenIDConnectProvider):
    """The council's provider; an account is its issuer and subject id, together."""

    oauth2_adapter_class = CouncilAdapter

    @property
    def server_url(self):
        return self.app.settings["server_url"]

    def extract_uid(self, data):
        id_token = data.get("id_token") or {}
        return f"{id_token['iss']} {id_token['sub']}"

    def get_oauth2_adapter(self, request):
        return CouncilAdapter(request, self.app.provider_id)


def sso_callback_path() -> str:
    return reverse("openid_connect_callback", kwargs={"provider_id": sso.PROVIDER_ID})


def _app(config: sso.SsoSettings) -> SocialApp:
    return SocialApp(
        provider="openid_connect",
        provider_id=sso.PROVIDER_ID,
        name=config.provider_name,
        client_id=config.client_id,
        secret=config.client_secret,
        settings={
            "server_url": config.discovery_url,
            "issuer": config.issuer,
            "scope": list(config.scopes),
            "oauth_pkce_enabled": True,
            "fetch_userinfo": True,
        },
    )


# --- What a sign-in means here ---------------------------------------------------------------

# reason -> (heading, what happened, what to do); {provider}, {name} and {contact} are filled in.
REFUSALS = {
    "no_role": (
        "Your account has no role in councilperf",
        "You signed in to {provider} as {name}, but your account is not in any of the groups that "
        "give a role in councilperf (officer, approver, performance team or member), so you "
        "cannot use it yet. Nothing has been set up for you.",
        "Ask {contact} to add you to the right group for your role, then sign in again.",
    ),
    "account_disabled": (
        "Your account is disabled",
        "{provider} says the account of {name} is disabled, so you cannot sign in to councilperf "
        "and the councilperf account has been switched off.",
        "If you think this is wrong, ask the IT service desk to check your account.",
    ),
    "inactive": (
        "Your councilperf account is switched off",
        "The councilperf account of {name} has been switched off, so you cannot sign in.",
        "Ask {contact} to switch it back on if you still need it.",
    ),
    "bad_state": (
        "Sign-in could not be completed",
        "The answer from {provider} does not match a sign-in started in this browser: it may have "
        "been started in another window or tab, or taken too long. You are not signed in and "
        "nothing has been changed.",
        "Start again from the sign-in page.",
    ),
    "denied": (
        "{provider} did not sign you in",
        "{provider} refused the sign-in or it was cancelled. You are not signed in and nothing "
        "has been changed.",
        "Start again from the sign-in page. If it keeps happening, ask the IT service desk.",
    ),
    "expired_token": (
        "Sign-in could not be completed",
        "The sign-in from {provider} had already expired when it reached councilperf. You are "
        "not signed in and nothing has been changed.",
        "Start again from the sign-in page. If it keeps happening, the clock of the server or of "
        "the provider may be wrong: tell the IT service desk.",
    ),
    "wrong_issuer": (
        "Sign-in could not be completed",
        "The answer did not come from {provider}, the identity provider councilperf is set up to "
        "trust, so it was refused. You are not signed in and nothing has been changed.",
        "Tell the IT service desk: councilperf's single sign-on settings and the provider do not agree.",
    ),
    "wrong_audience": (
        "Sign-in could not be completed",
        "The answer from {provider} was meant for another application, so it was refused. You "
        "are not signed in and nothing has been changed.",
        "Tell the IT service desk: councilperf's client id does not match the provider's.",
    ),
    "invalid_token": (
        "Sign-in could not be completed",
        "The answer from {provider} could not be verified (it was changed on the way or its "
        "signature does not match), so it was refused. You are not signed in and nothing has "
        "been changed.",
        "Start again from the sign-in page. If it keeps happening, tell the IT service desk.",
    ),
    "unreachable": (
        "{provider} cannot be reached",
        "councilperf could not reach {provider} to sign you in. You are not signed in.",
        "Try again in a few minutes. If it keeps happening, tell the IT service desk.",
    ),
}


def refused(request, reason: str, *, name: str = "", status: int = 403):
    """The page that says why single sign-on did not sign the person in, and what to do."""
    config = sso.sso_settings()
    values = {
        "provider": config.provider_name if config else "the identity provider",
        "name": name or "you",
        "contact": config.role_contact if config else "the performance team",
    }
    heading, happened, to_do = (part.format(**values) for part in REFUSALS[reason])
    context = {"heading": heading, "happened": happened, "to_do": to_do, "reason": reason}
    return render(request, "registration/sso_refused.html", context, status=status)


def _refuse(request, reason, *, username="", name="", detail=""):
    audit.record(action="sso_sign_in_failed", username=username[:150], request=request,
                 summary=f"{reason}: {detail}" if detail else reason)
    raise ImmediateHttpResponse(refused(request, reason, name=name))


def _claims(sociallogin) -> dict:
    data = sociallogin.account.extra_data
    return {**(data.get("id_token") or {}), **(data.get("userinfo") or {})}


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """The council's provider from the environment; roles, refusals and the audit log at sign-in."""

    def list_apps(self, request, provider=None, client_id=None):
        config = sso.sso_settings()
        if config is None or provider not in (None, "openid_connect", sso.PROVIDER_ID):
            return []
        if client_id and client_id != config.client_id:
            return []
        return [_app(config)]

    def pre_social_login(self, request, sociallogin):
        config = sso.sso_settings()
        claims = _claims(sociallogin)
        user = sociallogin.user if sociallogin.is_existing else None
        who = user.get_username() if user else str(claims.get("preferred_username") or claims.get("email") or "")
        name = sso.display_name(claims)
        subject = sociallogin.account.uid

        if sso.is_disabled(claims, config):
            if user is not None and user.is_active:
                services.sso_user_deactivate(
                    user=user, request=request,
                    reason=f"{config.provider_name} says the account is disabled ({subject})",
                )
            _refuse(request, "account_disabled", username=who, name=name, detail=subject)
        if user is not None and not user.is_active:
            _refuse(request, "inactive", username=who, name=name, detail=subject)

        mappings = SignInGroupMapping.objects.values_list(
            "claim_value", "group__name", "lead_role__abbreviation"
        )
        glossary = LeadRole.objects.values_list("abbreviation", flat=True) if config.lead_roles_claim else ()
        given = sso.entitlements(claims, config, [(v, g or "", a or "") for v, g, a in mappings], glossary)
        if not given.roles:
            if user is not None:
                # No role, no lead roles either: nothing stays from before.
                services.sso_roles_apply(user=user, entitlements=replace(given, lead_roles=frozenset()),
                                         provider_name=config.provider_name, request=request)
            _refuse(request, "no_role", username=who, name=name, detail=subject)

        with transaction.atomic():
            if user is None:
                user = services.sso_user_create(sociallogin=sociallogin, claims=claims,
                                                provider_name=config.provider_name, request=request)
            services.sso_user_update(user=user, claims=claims, request=request)
            services.sso_roles_apply(user=user, entitlements=given, provider_name=config.provider_name,
                                     request=request)
        # organisation.audit records the sign-in itself, as an SSO one, when Django signs the user in.
        request.councilperf_sso = f"with {config.provider_name} ({subject})"

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        extra_context = extra_context or {}
        if isinstance(exception, IdTokenRefused):
            reason = exception.reason
        elif isinstance(exception, RequestException):
            reason = "unreachable"
        elif "state_id" in extra_context:
            reason = "bad_state"
        elif request.GET.get("error"):
            reason = "denied"
        else:
            reason = "invalid_token"
        detail = str(exception or request.GET.get("error_description") or request.GET.get("error") or "")
        if exception is not None:
            log.warning("SSO sign-in refused (%s): %s", reason, exception)
        _refuse(request, reason, detail=detail[:500])

    def is_auto_signup_allowed(self, request, sociallogin):
        return True


# --- Views ----------------------------------------------------------------------------------


def _provider_view(view_class, request, provider_id):
    if provider_id != sso.PROVIDER_ID or sso.sso_settings() is None:
        raise Http404("Single sign-on is not set up")
    try:
        return view_class.adapter_view(CouncilAdapter(request, provider_id))(request)
    except IdTokenRefused as error:
        audit.record(action="sso_sign_in_failed", request=request, summary=f"{error.reason}: {error}")
        return refused(request, error.reason)
    except RequestException as error:
        log.warning("SSO provider unreachable: %s", error)
        audit.record(action="sso_sign_in_failed", request=request, summary=f"unreachable: {error}")
        return refused(request, "unreachable", status=502)


@login_not_required
@require_POST
def sso_login(request, provider_id):
    """Start signing in with the council's provider (a POST, so no other site can start it)."""
    return _provider_view(OAuth2LoginView, request, provider_id)


@login_not_required
@require_GET
def sso_callback(request, provider_id):
    """Where the provider sends the person back with a code (or an error)."""
    config = sso.sso_settings()
    returned_by = request.GET.get("iss")
    if config is not None and returned_by and returned_by.rstrip("/") != config.issuer:
        # RFC 9207: the answer names the provider that sent it; another one's code is not used.
        audit.record(action="sso_sign_in_failed", request=request,
                     summary=f"wrong_issuer: the answer came from {returned_by[:200]}")
        return refused(request, "wrong_issuer")
    return _provider_view(OAuth2CallbackView, request, provider_id)


def provider_sign_out_url(request) -> str:
    """Where to send someone who signs out after an SSO sign-in, so the provider's session ends too."""
    config = sso.sso_settings()
    held = request.session.get(SESSION_SIGN_OUT) or {}
    if config is None or not held.get("endpoint"):
        return ""
    query = urlencode({
        "id_token_hint": held.get("id_token", ""),
        "client_id": config.client_id,
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
    })
    return f"{held['endpoint']}?{query}"
