"""The foundation: settings from the environment, production refusing the development key, sign-in."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from core import periods, presenters

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "councilperf.production",
    "DJANGO_SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-for-the-test-only",
    "DJANGO_ALLOWED_HOSTS": "performance.council.example",
}


def _manage(*args, env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env,
        capture_output=True, text=True, timeout=120,
    )


def test_production_settings_pass_check_deploy_with_no_warnings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_the_development_secret_key():
    env = dict(PRODUCTION_ENV, DJANGO_SECRET_KEY=settings.DEVELOPMENT_SECRET_KEY)
    result = _manage("check", env_overrides=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = dict(PRODUCTION_ENV)
    env.pop("DJANGO_SECRET_KEY")
    result = _manage("check", env_overrides=env)
    assert result.returncode != 0


def test_a_persona_signs_in_with_username_and_password(world, client):
    from tests.personas import PASSWORD

    response = client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_password_is_refused_with_a_message(world, client):
    response = client.post(reverse("login"), {"username": "officer", "password": "wrong"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_pages_carry_a_content_security_policy_without_inline_script(world, client_for):
    response = client_for("officer").get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"


def test_home_page_names_the_council_and_not_gov_uk(world, client_for):
    html = client_for("member").get(reverse("home")).content.decode()
    assert settings.COUNCIL_NAME in html
    assert "GOV.UK" not in html


@pytest.mark.parametrize(
    ("key", "label", "start", "end"),
    [
        ("2006-07", "July 2006", "2006-07-01", "2006-07-31"),
        ("2007-03", "March 2007", "2007-03-01", "2007-03-31"),
        ("2006/07 Q1", "Q1 2006-07", "2006-04-01", "2006-06-30"),
        ("2006/07 Q4", "Q4 2006-07", "2007-01-01", "2007-03-31"),
        ("2006/07", "2006-07 (year)", "2006-04-01", "2007-03-31"),
    ],
)
def test_period_keys_read_as_financial_periods(key, label, start, end):
    p = periods.parse(key)
    assert (p.key, p.label, str(p.start), str(p.end)) == (key, label, start, end)


def test_july_is_month_four_and_april_follows_march():
    july = periods.parse("2006-07")
    assert july.months_elapsed == 4
    assert periods.parse("2006-04").previous().key == "2006-03"
    assert periods.parse("2007-03").next().key == "2007-04"
    assert periods.parse("2006/07 Q1").previous().key == "2005/06 Q4"


@pytest.mark.parametrize("bad", ["2006-13", "2006/08", "2006-7", "July 2006", "2006/07 Q5", ""])
def test_bad_period_keys_are_refused_with_a_message(bad):
    with pytest.raises(periods.PeriodKeyError, match="period|month|financial"):
        periods.parse(bad)


def test_money_has_a_pound_sign_and_thousands_separator():
    assert presenters.money("60671000") == "£60,671,000"
    assert presenters.money("-8692000.4") == "-£8,692,000"
    assert presenters.money("1234.565", 2) == "£1,234.57"


def test_status_is_said_in_words():
    assert presenters.status("R").word == "Red"
    assert presenters.status(None).word == "No data"
