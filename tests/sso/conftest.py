"""The real OpenID Connect provider for the SSO tests, and the app set up to sign in with it."""

import copy

import pytest

from tests.sso import provider as op


@pytest.fixture(scope="session")
def oidc_provider():
    """oidc-provider on 127.0.0.1, registered for Django's test client (http://testserver)."""
    running = op.start(app_urls=["http://testserver"])
    yield running
    running.stop()


@pytest.fixture
def sso_on(settings, oidc_provider):
    """Single sign-on set up as a council's environment would; returns a function to change it."""

    def configure(**overrides):
        settings.COUNCILPERF_OIDC = oidc_provider.settings(**overrides)
        policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
        policy["DIRECTIVES"]["form-action"] = ["'self'", oidc_provider.issuer]
        settings.CONTENT_SECURITY_POLICY = policy

    configure()
    configure.issuer = oidc_provider.issuer
    return configure
