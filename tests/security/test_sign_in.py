"""Sign-in hardening: throttling with a clear lock-out page, strong passwords, sessions that end,
production cookies and HSTS, and a Content Security Policy and clickjacking guard on every page."""

import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from organisation.models import AuditEvent
from tests.access import ACCESS
from tests.personas import PASSWORD
from tests.test_foundation import PRODUCTION_ENV
from tests.test_url_access import ROUTES, _url

HTMX = {"HTTP_HX_REQUEST": "true"}


def _fail(client, username="officer"):
    return client.post(reverse("login"), {"username": username, "password": "not-the-password"})


def test_the_fifth_wrong_password_locks_sign_in_with_a_clear_page(world, client):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _fail(client).status_code == 200  # the sign-in form again, with its message
    locked = _fail(client)
    page = locked.content.decode()
    assert locked.status_code == 429
    assert "<h1 class=\"govuk-heading-xl\">Sign-in locked for now</h1>" in page
    assert "5 unsuccessful attempts to sign in as officer" in page
    assert "Traceback" not in page
    assert "script-src 'self'" in locked["Content-Security-Policy"]


def test_once_locked_even_the_right_password_is_refused_until_the_lock_is_lifted(world, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _fail(client)
    response = client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302  # still signed out


def test_the_lock_is_for_that_username_so_colleagues_can_still_sign_in(world, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _fail(client)
    response = client.post(reverse("login"), {"username": "approver", "password": PASSWORD})
    assert response.status_code == 302


def test_the_lock_out_lasts_as_long_as_the_page_says(world):
    # The lock-out page tells people "try again in 30 minutes".
    assert settings.AXES_COOLOFF_TIME == 0.5


def test_every_failed_attempt_is_in_the_audit_log(world, client):
    for _ in range(3):
        _fail(client)
    assert AuditEvent.objects.filter(action="sign_in_failed", username="officer").count() == 3


@pytest.mark.parametrize("weak", [
    "password",  # too short and common
    "password1234",  # common
    "123456789012345",  # only digits
    "short-pw",  # too short
    "officer12345",  # like the username
])
def test_weak_passwords_are_refused(world, weak):
    with pytest.raises(ValidationError):
        validate_password(weak, user=world.officer)


def test_a_long_passphrase_is_accepted(world):
    validate_password("lantern-orchard-quietly-41", user=world.officer)


def test_sessions_end_after_a_working_day_and_when_the_browser_closes():
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"


def test_an_expired_session_is_sent_back_to_sign_in(world, client):
    client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    assert client.get(reverse("home")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_signing_out_ends_the_session_on_the_server(world, client):
    client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    key = client.session.session_key
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()


def test_production_cookies_are_secure_and_hsts_is_a_year_with_subdomains():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({"
        "'debug': s.DEBUG, 'session_secure': s.SESSION_COOKIE_SECURE, 'csrf_secure': s.CSRF_COOKIE_SECURE,"
        "'session_httponly': s.SESSION_COOKIE_HTTPONLY, 'hsts': s.SECURE_HSTS_SECONDS,"
        "'subdomains': s.SECURE_HSTS_INCLUDE_SUBDOMAINS, 'ssl_redirect': s.SECURE_SSL_REDIRECT,"
        "'nosniff': s.SECURE_CONTENT_TYPE_NOSNIFF, 'frame': s.X_FRAME_OPTIONS}))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(PRODUCTION_ENV)
    result = subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    flags = json.loads(result.stdout.strip().splitlines()[-1])
    assert flags == {
        "debug": False, "session_secure": True, "csrf_secure": True, "session_httponly": True,
        "hsts": 365 * 24 * 60 * 60, "subdomains": True, "ssl_redirect": True, "nosniff": True, "frame": "DENY",
    }


def _assert_protected(response, what):
    csp = response.get("Content-Security-Policy", "")
    assert "script-src 'self'" in csp and "style-src 'self'" in csp, what
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, what
    assert "frame-ancestors 'none'" in csp, what
    assert response.get("X-Frame-Options") == "DENY", what


def test_every_kind_of_response_carries_the_policy_and_refuses_framing(world, client_for):
    responses = {
        "sign-in page": Client().get(reverse("login")),
        "redirect to sign in": Client().get(reverse("home")),
        "home page": client_for("officer").get(reverse("home")),
        "refusal (404)": client_for("member").get(reverse("indicators:list")),
        "no such page": client_for("officer").get("/no-such-page/"),
        "htmx part": client_for("officer").post(
            reverse("indicators:update_status", args=[world.period.pk, world.indicator.pk]), {}, **HTMX),
        "CSV download": client_for("performance").get(reverse("organisation:audit_export")),
        "published report": client_for("member").get(reverse("reports:version", kwargs={
            "pk": world.published_report.pk, "number": world.published_version.number})),
        "admin": client_for("admin").get("/admin/"),
    }
    for what, response in responses.items():
        _assert_protected(response, what)


INLINE = ("<script>", "<style", " style=\"", " onclick=", " onload=", " onchange=", " onsubmit=", "javascript:")


@pytest.mark.parametrize("name", [n for n in ROUTES if ACCESS.get(n) and ACCESS[n].method == "get"])
def test_no_page_carries_inline_script_or_style(name, world, client_for):
    rule = ACCESS[name]
    response = client_for("performance").get(_url(name, rule, world))
    _assert_protected(response, name)
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return
    page = response.content.decode().lower()
    found = [marker for marker in INLINE if marker in page]
    assert found == [], f"{name} has inline code the policy would block: {found}"
