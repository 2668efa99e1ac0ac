"""Start the real OpenID Connect provider (tests/sso/provider.mjs, oidc-provider on Node) for a test run,
and drive its sign-in form with requests the way a browser would."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings

HERE = Path(__file__).resolve().parent
ACCOUNTS = json.loads((HERE / "accounts.json").read_text())
CLIENT_ID = "councilperf"
CLIENT_SECRET = "councilperf-test-secret-of-reasonable-length"
PASSWORD = "provider-password"
CALLBACK_PATH = "/sign-in/oidc/council/callback/"

# The provider's group claim values and what the council maps them to (as an environment would).
GROUPS = {
    "Officer": ["sg-councilperf-officers"],
    "Approver": ["sg-councilperf-approvers"],
    "Performance team": ["sg-councilperf-performance"],
    "Member": ["sg-councilperf-members"],
}


@dataclass
class Provider:
    issuer: str
    process: subprocess.Popen

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def settings(self, **overrides) -> dict:
        """COUNCILPERF_OIDC for this provider, as the environment of a council using it would give."""
        return {
            "ISSUER": self.issuer,
            "DISCOVERY_URL": "",
            "CLIENT_ID": CLIENT_ID,
            "CLIENT_SECRET": CLIENT_SECRET,
            "SCOPES": ["openid", "profile", "email", "groups"],
            "PROVIDER_NAME": "Test Council account",
            "GROUPS_CLAIM": "groups",
            "GROUPS": GROUPS,
            "LEAD_ROLES": ["sg-role-docs=DoCS"],
            "DIRECTORATE_CLAIM": "department",
            "ACTIVE_CLAIM": "account_enabled",
            "ROLE_CONTACT": "the performance team (performance@council.example)",
            **overrides,
        }


def start(*, app_urls: list[str]) -> Provider:
    """Start the provider on a free port on 127.0.0.1, registered for the app(s) at `app_urls`."""
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is not installed; the SSO tests need it (make setup installs oidc-provider)")
    if not (Path(settings.BASE_DIR) / "node_modules" / "oidc-provider").exists():
        raise RuntimeError("node_modules/oidc-provider is missing: run make setup")
    command = [node, str(HERE / "provider.mjs"), "--port", "0", "--accounts", str(HERE / "accounts.json"),
               "--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET]
    for url in app_urls:
        command += ["--redirect-uri", url.rstrip("/") + CALLBACK_PATH, "--post-logout-uri", url.rstrip("/") + "/sign-in/"]
    process = subprocess.Popen(command, cwd=settings.BASE_DIR, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True)
    line = process.stdout.readline()
    if not line:
        process.wait(timeout=10)
        raise RuntimeError(f"the OpenID Connect provider did not start (exit {process.returncode})")
    return Provider(issuer=json.loads(line)["issuer"], process=process)


def sign_in_at_provider(authorize_url: str, username: str, *, app_url: str) -> str:
    """Follow the app's redirect to the provider, sign in there, and return the URL it sends back to the app."""
    session = requests.Session()
    response = session.get(authorize_url, allow_redirects=True, timeout=10)
    assert "Sign in to the test identity provider" in response.text, response.text[:500]
    form_action = response.text.split('action="', 1)[1].split('"', 1)[0]
    url = urljoin(response.url, form_action)
    response = session.post(url, data={"username": username, "password": PASSWORD}, allow_redirects=False, timeout=10)
    # The provider redirects through its own endpoints, then to the app's callback.
    for _ in range(10):
        location = urljoin(url, response.headers["Location"])
        if urlsplit(location).netloc == urlsplit(app_url).netloc:
            return location
        url = location
        response = session.get(url, allow_redirects=False, timeout=10)
    raise AssertionError("the provider never sent the browser back to the app")
