"""Benchmark: a 1,000-indicator council's full report as HTML (target < 2 s) and as a PDF pack (target < 30 s).

Run with `.venv/bin/python bench/report.py`. Builds its own SQLite database in bench/out/report.sqlite3
(36 months of synthetic targets and actuals to July 2006), then times the page build and the PDFs
rendered in parallel processes, as the background task does. Figures are printed, not asserted.
"""

import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
OUT.mkdir(parents=True, exist_ok=True)
DB = OUT / "report.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "councilperf.settings")
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from indicators import importer, synthetic  # noqa: E402
from indicators.models import Indicator  # noqa: E402


def main(n=1000):
    fresh = not DB.exists()
    call_command("migrate", verbosity=0)
    if fresh or Indicator.objects.count() != n:
        started = time.perf_counter()
        data = synthetic.synthetic_workbook(n, 36, first_month="2003-08")
        importer.workbook_import(source=data, filename="synthetic.xlsx", user=None)
        print(f"imported {n} indicators x 36 months in {time.perf_counter() - started:.1f}s")

    from django.contrib.auth import get_user_model
    from django.test import Client

    from reports import document, pdfs, render, services
    from reports.models import Report

    user, _ = get_user_model().objects.get_or_create(username="bench", defaults={"is_superuser": True})
    report = Report.objects.filter(period__key="2006-07").first() or services.report_create(
        user=user, period_key="2006-07", meeting_date=date(2006, 9, 7)
    )
    client = Client()
    client.force_login(user)
    client.get(f"/reports/{report.pk}/")  # warm the template cache
    times = []
    for _ in range(3):
        started = time.perf_counter()
        response = client.get(f"/reports/{report.pk}/")
        times.append(time.perf_counter() - started)
    assert response.status_code == 200
    print(f"draft report page, {n} indicators: best {min(times):.2f}s, worst {max(times):.2f}s "
          f"({len(response.content) / 1e6:.1f} MB of HTML)")

    started = time.perf_counter()
    doc = document.build(report)
    parts = render.print_parts(doc)
    built = time.perf_counter() - started
    started = time.perf_counter()
    sizes = {}
    pdfs.render_all([(p.part, p.html) for p in parts], on_done=lambda name, data: sizes.__setitem__(name, len(data)))
    rendered = time.perf_counter() - started
    print(f"PDF pack: print HTML {built:.1f}s, {len(parts)} PDFs in {rendered:.1f}s on "
          f"{min(pdfs.workers(), len(parts))} processes ({sum(sizes.values()) / 1e6:.1f} MB)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
