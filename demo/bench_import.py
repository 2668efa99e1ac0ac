"""Benchmark of the workbook import: N indicators x M months of targets and actuals into a fresh SQLite database.

    .venv/bin/python -m demo.bench_import [--indicators 1000] [--months 36] [--runs 3]

Each run imports into its own copy of a freshly migrated database, in a child process, and
times only `importer.workbook_import` (reading, checking and writing). Prints each run and the
median, wall-clock and CPU time (CPU time is what to compare when the machine is busy).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import os, sys, time, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "councilperf.settings")
django.setup()
from indicators import importer
data = open(sys.argv[1], "rb").read()
started, cpu = time.perf_counter(), time.process_time()
report = importer.workbook_import(source=data, filename="bench.xlsx", user=None)
print(time.perf_counter() - started, time.process_time() - cpu, report.indicators.new, report.targets.new, report.readings.new)
"""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=1000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "councilperf.settings")
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        from demo.synthetic_workbook import synthetic_workbook

        started = time.perf_counter()
        workbook = folder / "bench.xlsx"
        workbook.write_bytes(synthetic_workbook(args.indicators, args.months, seed=1))
        print(f"workbook: {args.indicators} indicators x {args.months} months, "
              f"{workbook.stat().st_size:,} bytes, written in {time.perf_counter() - started:.1f} s")
        template = folder / "template.sqlite3"
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{template}"}
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0", "--skip-checks"], cwd=ROOT, env=env, check=True)
        times, cpus = [], []
        for run in range(1, args.runs + 1):
            database = folder / f"run{run}.sqlite3"
            shutil.copy(template, database)
            env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
            out = subprocess.run([sys.executable, "-c", CHILD, str(workbook)], cwd=ROOT, env=env, check=True,  # noqa: S603
                                 capture_output=True, text=True).stdout.split()
            seconds, cpu = float(out[0]), float(out[1])
            times.append(seconds)
            cpus.append(cpu)
            print(f"run {run}: {seconds:.2f} s wall, {cpu:.2f} s CPU "
                  f"({out[2]} indicators, {out[3]} targets, {out[4]} readings)")
        print(f"median of {args.runs}: {statistics.median(times):.2f} s wall, {statistics.median(cpus):.2f} s CPU "
              f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
