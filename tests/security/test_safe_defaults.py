"""Safe defaults and a true audit trail (issue 21 findings 7-10, issue 16 item 9): DEBUG off unless
turned on, the council's own 403, 404 and 500 pages for every role, private pages never cached,
sign-in lock-out by person and address behind the council's proxies, and the client's address
(not the proxy's) on every audit event, group and permission changes included."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import defaults

from indicators.models import Reading
from organisation.models import AuditEvent, Period
from tests.access import ROLES
from tests.personas import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
CLIENT, PROXY = "198.51.100.7", "10.0.0.1"
BEHIND_PROXY = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": CLIENT}


# --- Finding 8: DEBUG, and pages people can read ----------------------------------------------


def _debug_with(env_changes: dict) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(env_changes)
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "councilperf.settings"},
                          capture_output=True, text=True, check=True).stdout.strip()


def test_without_settings_debug_is_off_and_only_an_explicit_variable_turns_it_on():
    assert _debug_with({}) == "False"
    assert _debug_with({"DJANGO_DEBUG": "1"}) == "True"


def test_make_run_turns_debug_on_for_the_demo():
    makefile = (ROOT / "Makefile").read_text()
    assert "run: export DJANGO_DEBUG = 1" in makefile


@pytest.mark.parametrize("role", ROLES)
def test_a_missing_page_is_the_councils_404_for_every_role_and_lists_no_urls(role, world, client_for):
    client = client_for(role)
    for url in ("/no-such-page/", reverse("indicators:detail", args=[987654])):
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 404
        assert "<h1 class=\"govuk-heading-l\">Page not found</h1>" in page
        assert "Page not found – councilperf" in page
        assert "URLconf" not in page and "indicators/" not in page.split("<main", 1)[1].split("</main>")[0]
        assert 'href="/"' in page or f'href="{reverse("home")}"' in page
        assert "Sign out" in page, "signed-in people keep their header and menu"


def test_a_refusal_is_the_councils_403_page(world):
    request = RequestFactory().get("/anything/")
    request.user = world.officer
    response = defaults.permission_denied(request, PermissionDenied())
    page = response.content.decode()
    assert response.status_code == 403
    assert "<h1 class=\"govuk-heading-l\">You cannot do this</h1>" in page and "Nothing has been changed" in page


def test_a_failure_is_the_councils_500_page_that_needs_nothing_to_render(world):
    response = defaults.server_error(RequestFactory().get("/anything/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page and "/static/build/app.css" in page


# --- Finding 9: nothing private stays in a cache -------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_page_shown_to_a_signed_in_person_is_private_and_not_stored(role, world, client_for):
    client = client_for(role)
    urls = [reverse("home"), reverse("reports:json", args=[world.published_report.pk, 1])]
    if role != "member":
        urls += [reverse("indicators:detail", args=[world.indicator.pk]), reverse("indicators:updates")]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store", url


# --- Finding 10: lock-out by person and address, behind the proxy ----------------------------------


def test_behind_the_proxy_failed_sign_ins_lock_the_attackers_address_not_the_person(world, settings):
    settings.COUNCILPERF_TRUSTED_PROXIES = 1
    attacker = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post(reverse("login"), {"username": "officer", "password": "not-the-password"})
    assert attacker.post(reverse("login"), {"username": "officer", "password": PASSWORD}).status_code == 429
    officer = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT)
    assert officer.post(reverse("login"), {"username": "officer", "password": PASSWORD}).status_code == 302


def test_an_address_the_client_wrote_itself_is_not_believed(world, settings):
    """With one trusted proxy, only the address it appended counts; a forged one to its left does not."""
    settings.COUNCILPERF_TRUSTED_PROXIES = 1
    forger = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{CLIENT}, 203.0.113.9")
    forger.post(reverse("login"), {"username": "officer", "password": "wrong"})
    assert AuditEvent.objects.get(action="sign_in_failed").ip_address == "203.0.113.9"


def test_without_a_proxy_setting_the_forwarded_header_is_ignored(world, settings):
    settings.COUNCILPERF_TRUSTED_PROXIES = 0
    Client(**BEHIND_PROXY).post(reverse("login"), {"username": "officer", "password": "wrong"})
    assert AuditEvent.objects.get(action="sign_in_failed").ip_address == PROXY


# --- Finding 7: the client's address on every event ---------------------------------------------


@pytest.fixture
def behind_proxy(world, settings):
    settings.COUNCILPERF_TRUSTED_PROXIES = 1
    Period.objects.filter(pk=world.period.pk).update(state=Period.OPEN)
    Reading.objects.filter(indicator=world.indicator).update(commentary="Referrals fell", remedial_action="Review")

    def client(role):
        c = Client(**BEHIND_PROXY)
        c.force_login(world.users[role])
        return c

    return client


def test_figure_saves_submits_approvals_risk_and_report_edits_record_the_clients_address(world, behind_proxy):
    officer, approver, performance = behind_proxy("officer"), behind_proxy("approver"), behind_proxy("performance")
    since = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    r = Reading.objects.get(indicator=world.indicator, period=world.period)
    p = f"r{world.indicator.pk}-"
    officer.post(reverse("indicators:update_row", args=[world.period.pk, world.indicator.pk]), {
        p + "actual": "230", p + "commentary": "Rising", p + "remedial_action": "Weekly review", p + "data_quality": "",
        p + "status_override": "", p + "status_reason": "", p + "version": str(r.version)}, HTTP_HX_REQUEST="true")
    officer.post(reverse("indicators:return_submit", args=[world.period.pk]))
    r.refresh_from_db()
    approver.post(reverse("indicators:approval_row", args=[r.pk]), {"approve_one": "1", f"version-{r.pk}": r.version})
    officer.post(reverse("risks:review", args=[world.risk.pk]), {
        "reviewed_on": date(2006, 7, 20).isoformat(), "likelihood": "2", "impact": "3",
        "commentary": "Reviewed at the team meeting", "next_review": date(2006, 8, 31).isoformat()})
    performance.post(reverse("reports:paragraph", args=[world.report.pk, 1]), {"action": "save", "text": "Our words", "heading": ""})
    events = list(AuditEvent.objects.filter(pk__gt=since).values_list("action", "ip_address"))
    actions = {a for a, _ in events}
    assert {"reading_saved", "readings_submit", "readings_approval", "risk_reviewed", "report_paragraph_edited"} <= actions, events
    assert {ip for _, ip in events} == {CLIENT}, events


def test_an_import_records_the_clients_address(world, behind_proxy, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from indicators.views.imports import SESSION_KEY
    from tests.indicators.test_import import GOOD, xlsx

    settings.MEDIA_ROOT = tmp_path
    client = behind_proxy("performance")
    client.post(reverse("indicators:import_workbook"), {"file": SimpleUploadedFile("kpis.xlsx", xlsx(GOOD))})
    assert client.post(reverse("indicators:import_confirm"), {"token": client.session[SESSION_KEY]["token"]}).status_code == 302
    events = AuditEvent.objects.filter(action__contains="import")
    assert events.exists() and {e.ip_address for e in events} == {CLIENT}


# --- Finding 7: who may do what, changed in the admin ----------------------------------------------


def test_group_and_permission_changes_in_the_admin_are_in_the_audit_log(world, behind_proxy):
    admin_client = behind_proxy("admin")
    group = Group.objects.get(name="Approver")
    permission = Permission.objects.get(codename="view_reading")
    response = admin_client.post(reverse("admin:auth_group_change", args=[group.pk]),
                                 {"name": "Approver", "permissions": [permission.pk]})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="permissions_changed", username="admin")
    assert (event.username, event.ip_address, event.object_id) == ("admin", CLIENT, str(group.pk))
    assert "view_reading" in event.summary

    world.officer.groups.add(group)
    event = AuditEvent.objects.filter(action="group_membership_changed").latest("pk")
    assert event.summary == "officer added to Approver"


def test_the_audit_log_can_be_read_and_exported_by_the_performance_team_and_never_edited(world, client_for):
    from organisation.models import AuditEvent as Event

    assert Event not in admin.site._registry or not admin.site._registry[Event].has_change_permission(
        RequestFactory().get("/"))
    assert client_for("performance").get(reverse("organisation:audit_log")).status_code == 200
    assert client_for("performance").get(reverse("organisation:audit_export")).status_code == 200
    for role in ("officer", "approver", "member"):
        assert client_for(role).get(reverse("organisation:audit_log")).status_code == 404
    assert settings.COUNCILPERF_TRUSTED_PROXIES == 0, "the default trusts no proxy"
