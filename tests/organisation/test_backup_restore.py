"""A backup restored into a new database gives the same performance summary (docs/operations.md)."""

import os
import shutil
import subprocess
import sys
import uuid

import pytest
from django.conf import settings

SEED = """
from decimal import Decimal
from indicators.models import Indicator, IndicatorSet, Reading, Target
from organisation.models import Period
full = IndicatorSet.objects.create(code="FULL", name="Full set")
july, year = Period.get_or_create_for("2006-07"), Period.get_or_create_for("2006/07")
for n, (actual, target) in enumerate([(10, 10), (9, 10), (5, 10), (None, 10), (12, None)]):
    ind = Indicator.objects.create(code=f"K{n}", title=f"K{n}", action_plan_robust=True)
    ind.sets.add(full)
    if target is not None:
        Target.objects.create(indicator=ind, period=year, target=Decimal(target))
    Reading.objects.create(indicator=ind, period=july, actual=None if actual is None else Decimal(actual))
"""


def _manage(*args, database_url, check=True):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env["DATABASE_URL"] = database_url
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def _summary(database_url):
    return _manage("performance_summary", "--period", "2006-07", "--format", "json", database_url=database_url).stdout


def test_a_sqlite_backup_restores_to_the_same_summary(tmp_path):
    live = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    _manage("migrate", "-v0", database_url=live)
    _manage("shell", "-c", SEED, database_url=live)
    before = _summary(live)
    assert '"total": 5' in before
    _manage("backup_sqlite", "--to", str(tmp_path / "backup.sqlite3"), database_url=live)
    # A later change to the live database must not reach the backup.
    _manage("shell", "-c", "from indicators.models import Reading; Reading.objects.all().delete()", database_url=live)
    assert _summary(live) != before
    shutil.copy(tmp_path / "backup.sqlite3", tmp_path / "restored.sqlite3")
    assert _summary(f"sqlite:///{tmp_path / 'restored.sqlite3'}") == before


def test_backup_refuses_to_overwrite_an_existing_file(tmp_path):
    live = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    _manage("migrate", "-v0", database_url=live)
    (tmp_path / "backup.sqlite3").write_text("an older backup")
    result = _manage("backup_sqlite", "--to", str(tmp_path / "backup.sqlite3"), database_url=live, check=False)
    assert result.returncode != 0
    assert (tmp_path / "backup.sqlite3").read_text() == "an older backup"


def _postgres_admin_url():
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else None


@pytest.mark.skipif(
    not _postgres_admin_url() or not shutil.which("pg_dump"), reason="runs in the PostgreSQL pass of CI"
)
def test_a_pg_dump_restores_to_the_same_summary(tmp_path):
    import psycopg

    admin_url = _postgres_admin_url()
    base = admin_url.rsplit("/", 1)[0]
    names = [f"cp_backup_{uuid.uuid4().hex[:8]}", f"cp_restore_{uuid.uuid4().hex[:8]}"]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        for name in names:
            conn.execute(f'CREATE DATABASE "{name}"')
    live, restored = (f"{base}/{name}" for name in names)
    try:
        _manage("migrate", "-v0", database_url=live)
        _manage("shell", "-c", SEED, database_url=live)
        before = _summary(live)
        assert '"total": 5' in before
        dump = tmp_path / "councilperf.dump"
        subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", live], check=True, timeout=300)
        subprocess.run(["pg_restore", "--no-owner", f"--dbname={restored}", str(dump)], check=True, timeout=300)
        assert _summary(restored) == before
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
