"""Benchmark: a 1,000-indicator council's full report as HTML (target < 2 s) and as a PDF pack (target < 30 s).

    .venv/bin/python bench/report.py                      # 1,000 indicators, 3 runs of each figure
    .venv/bin/python bench/report.py 200 --runs 1         # a quick look
    .venv/bin/python bench/report.py --save-html DIR      # also keep the print HTML of each PDF
    .venv/bin/python bench/report.py --from-html DIR      # time the pack of print HTML saved earlier
                                                          # (e.g. by an older commit), same machine, same run

Builds its own SQLite database in bench/out/report.sqlite3 (36 months of synthetic targets and
actuals to July 2006), then times the draft report page, the print HTML, and the PDF pack rendered
in parallel processes as the background task does. Beside the pack, Chromium prints the same HTML
files, as many at once as the pack uses processes, so the ratio says how close WeasyPrint is to a
browser engine on this machine. The machine is shared: each figure is the median of --runs, with
the CPU seconds beside the wall seconds (CPU time barely moves when other work holds the cores).
Figures are printed, then one JSON line; nothing is asserted.
"""

import argparse
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pikepdf

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
OUT.mkdir(parents=True, exist_ok=True)
DB = OUT / "report.sqlite3"
CHROMIUM = "/usr/bin/chromium"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "councilperf.settings")
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from demo import synthetic_workbook  # noqa: E402
from indicators import importer  # noqa: E402
from indicators.models import Indicator  # noqa: E402


def cpu_now() -> float:
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def timed(fn, runs: int):
    """(wall seconds per run, CPU seconds per run of this process and its children, last result)."""
    wall, cpu, result = [], [], None
    for _ in range(runs):
        c, started = cpu_now(), time.perf_counter()
        result = fn()
        wall.append(time.perf_counter() - started)
        cpu.append(cpu_now() - c)
    return wall, cpu, result


def summary(wall, cpu=None, **extra) -> dict:
    out = {"median_s": round(statistics.median(wall), 2), "runs_s": [round(w, 2) for w in wall]}
    if cpu:
        out["cpu_median_s"] = round(statistics.median(cpu), 2)
    return {**out, **extra}


def pages_of(data: bytes) -> int:
    with pikepdf.open(io.BytesIO(data)) as document:
        return len(document.pages)


def build_parts(n: int, runs: int, results: dict) -> list[tuple[str, str]]:
    fresh = not DB.exists()
    call_command("migrate", verbosity=0)
    if fresh or Indicator.objects.count() != n:
        started = time.perf_counter()
        data = synthetic_workbook.synthetic_workbook(n, 36, first_month="2003-08")
        importer.workbook_import(source=data, filename="synthetic.xlsx", user=None)
        print(f"imported {n} indicators x 36 months in {time.perf_counter() - started:.1f}s")

    from django.contrib.auth import get_user_model
    from django.test import Client

    from reports import document, render, services
    from reports.models import Report

    user, _ = get_user_model().objects.get_or_create(username="bench", defaults={"is_superuser": True})
    report = Report.objects.filter(period__key="2006-07").first() or services.report_create(
        user=user, period_key="2006-07", meeting_date=date(2006, 9, 7)
    )
    client = Client()
    client.force_login(user)
    client.get(f"/reports/{report.pk}/")  # warm the template cache
    responses = []
    wall, cpu, _ = timed(lambda: responses.append(client.get(f"/reports/{report.pk}/")), runs)
    assert responses[-1].status_code == 200
    results["report_page"] = summary(wall, cpu, mb=round(len(responses[-1].content) / 1e6, 1), indicators=n)
    print(f"draft report page, {n} indicators: median {statistics.median(wall):.2f}s "
          f"(CPU {statistics.median(cpu):.2f}s, {len(responses[-1].content) / 1e6:.1f} MB of HTML)")

    wall, cpu, parts = timed(lambda: render.print_parts(document.build(report)), runs)
    results["print_html"] = summary(wall, cpu, mb=round(sum(len(p.html) for p in parts) / 1e6, 2))
    print(f"print HTML of {len(parts)} PDFs: median {statistics.median(wall):.2f}s")
    return [(p.part, p.html) for p in parts]


def weasyprint_pack(jobs, runs: int, results: dict) -> None:
    from reports import pdfs

    def pack():
        made = {}
        pdfs.render_all(jobs, on_done=lambda name, data: made.__setitem__(name, data))
        return made

    wall, cpu, made = timed(pack, runs)
    pages = {name: pages_of(data) for name, data in made.items()}
    total = sum(pages.values())
    processes = min(pdfs.workers(), len(jobs))
    results["pdf_pack"] = summary(wall, cpu, pages=total, pages_by_part=pages, processes=processes,
                                  pages_per_second=round(total / statistics.median(wall), 2),
                                  mb=round(sum(len(d) for d in made.values()) / 1e6, 2))
    print(f"PDF pack: {len(jobs)} PDFs, {total} pages, median {statistics.median(wall):.1f}s "
          f"(CPU {statistics.median(cpu):.1f}s) on {processes} processes; runs {[round(w, 1) for w in wall]}")


def chromium_pack(jobs, runs: int, results: dict) -> None:
    from reports import pdfs

    if not Path(CHROMIUM).exists():
        results["chromium_pack"] = {"skipped": f"{CHROMIUM} not found"}
        return
    folder = Path(tempfile.mkdtemp(prefix="bench-chromium-", dir=OUT))
    try:
        files = []
        for name, html in jobs:
            path = folder / f"{name}.html"
            path.write_text(html, encoding="utf-8")
            files.append(path)

        def one(path: Path) -> bytes:
            target = path.with_suffix(".pdf")
            profile = tempfile.mkdtemp(prefix="profile-", dir=folder)
            subprocess.run([
                CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={target}", f"file://{path}",
            ], capture_output=True, check=True, timeout=900)
            return target.read_bytes()

        def pack():
            with ThreadPoolExecutor(max_workers=min(pdfs.workers(), len(files))) as pool:
                return list(pool.map(one, files))

        wall, cpu, printed = timed(pack, runs)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    total = sum(pages_of(d) for d in printed)
    results["chromium_pack"] = summary(wall, cpu, pages=total)
    print(f"Chromium, same HTML: {total} pages, median {statistics.median(wall):.1f}s; "
          f"runs {[round(w, 1) for w in wall]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("indicators", type=int, nargs="?", default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-chromium", dest="chromium", action="store_false")
    parser.add_argument("--save-html", type=Path, help="write each PDF's print HTML to this folder")
    parser.add_argument("--from-html", type=Path, help="time the pack of the *.html files in this folder instead")
    args = parser.parse_args()

    results: dict = {}
    if args.from_html:
        jobs = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(args.from_html.glob("*.html"))]
        results["source"] = str(args.from_html)
    else:
        jobs = build_parts(args.indicators, args.runs, results)
    if args.save_html:
        args.save_html.mkdir(parents=True, exist_ok=True)
        for name, html in jobs:
            (args.save_html / f"{name}.html").write_text(html, encoding="utf-8")
    weasyprint_pack(jobs, args.runs, results)
    if args.chromium:
        chromium_pack(jobs, args.runs, results)
        if "median_s" in results.get("chromium_pack", {}):
            x = results["pdf_pack"]["median_s"] / results["chromium_pack"]["median_s"]
            results["pdf_pack"]["x_chromium"] = round(x, 2)
            print(f"PDF pack / Chromium: {x:.2f}x (target 2x); pack target 30 s")
    results["load_average"] = [round(v, 1) for v in os.getloadavg()]
    print(json.dumps(results))


if __name__ == "__main__":
    main()
