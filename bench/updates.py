"""Benchmark: server time for My updates with 100 indicators, and for saving one reading.

Run with `.venv/bin/python bench/updates.py`. Builds its own SQLite database in
bench/out/updates.sqlite3 (one officer leading 100 monthly indicators with targets and last
month's figures, July 2006 open), then times each request through Django's full stack
(middleware, view, template) in this process. Figures are printed, not asserted; the query
counts are asserted by the tests (7 for the page; 13 for a save, 15 for a month's first figure).
"""

import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
OUT.mkdir(parents=True, exist_ok=True)
DB = OUT / "updates.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "councilperf.settings")
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from indicators.models import Indicator, Reading, Target  # noqa: E402
from organisation.models import Directorate, Period, Profile  # noqa: E402

N = 100
SAVES = int(os.environ.get("BENCH_SAVES", "20"))


def setup():
    call_command("migrate", verbosity=0)
    if Indicator.objects.filter(code__startswith="BENCH").count() == N:
        return get_user_model().objects.get(username="bench_officer")
    directorate, _ = Directorate.objects.get_or_create(code="BENCH", defaults={"name": "Bench directorate"})
    user, _ = get_user_model().objects.get_or_create(username="bench_officer", defaults={"first_name": "Bench"})
    user.groups.add(Group.objects.get_or_create(name="Officer")[0])
    Profile.objects.get_or_create(user=user, defaults={"directorate": directorate})
    year, june, july = (Period.get_or_create_for(k) for k in ("2006/07", "2006-06", "2006-07"))
    Period.objects.filter(pk=july.pk).update(state=Period.OPEN)
    for n in range(N):
        ind = Indicator.all_objects.create(
            code=f"BENCH{n:03d}", title=f"Bench indicator {n}", lead=user, directorate=directorate,
            action_plan_robust=True,
        )
        Target.objects.create(indicator=ind, period=year, target=Decimal(100))
        Reading.objects.create(indicator=ind, period=june, actual=Decimal(90 + n % 20))
        Reading.objects.create(indicator=ind, period=july, actual=Decimal(95), commentary="c", remedial_action="r")
    return user


def timed(fn, repeat):
    """(median wall ms, worst wall ms, median CPU ms): on a shared machine the CPU time of this
    process is the steadier figure, the wall time what a person waits."""
    times, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(times), max(times), statistics.median(cpu)


def main():
    user = setup()
    client = Client()
    client.force_login(user)
    july = Period.objects.get(key="2006-07")
    ind = Indicator.objects.get(code="BENCH000")

    def page():
        assert client.get("/indicators/updates/").status_code == 200

    reading = Reading.objects.get(indicator=ind, period=july)
    seen = {"version": reading.version, "actual": reading.actual}

    def save():
        # Only the request is timed: the version saved is the one the previous save returned.
        p = f"r{ind.pk}-"
        value = "101" if seen["actual"] != Decimal(101) else "102"
        data = {p + "actual": value, p + "commentary": "c", p + "remedial_action": "r", p + "version": seen["version"]}
        response = client.post(f"/indicators/updates/{july.pk}/row/{ind.pk}/", data, HTTP_HX_REQUEST="true")
        assert b"Saved at" in response.content
        seen["version"] += 1
        seen["actual"] = Decimal(value)

    page()
    median, worst, cpu = timed(page, 20)
    print(f"My updates, {N} indicators: median {median:.0f} ms, worst {worst:.0f} ms, CPU median {cpu:.0f} ms")
    median, worst, cpu = timed(save, SAVES)
    print(f"Save one reading (htmx row): median {median:.1f} ms, worst {worst:.0f} ms, CPU median {cpu:.1f} ms")
    with open("/proc/loadavg") as load:
        print(f"load average while measuring: {load.read().split()[0]} ({os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
