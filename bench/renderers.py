"""The same print HTML through four renderers, in one run: the facts behind docs/adr/0014.

    make bench                          # leaves its synthetic council in bench/out/bench.sqlite3
    .venv/bin/python bench/renderers.py # then this, on that database (--database for another SQLite file)

For the report the bench council keeps (its first), it writes each part's print HTML once and times,
each --runs times, alternating:

- `weasyprint`: our pack through WeasyPrint, `reports.pdfs.render_all(reuse=False, renderer="weasyprint")`
  (sections in a pool of processes, repaired, joined): the fallback where Chromium is not installed;
- `ours_chromium`: our pack as the worker prints it where Chromium is installed (`renderer="chromium"`):
  the same sections, repairs and joins, each process printing with a Chromium it keeps open;
- `chromium_per_document`: `chromium --headless --print-to-pdf` once per part, as many at once as our pack
  has processes (the bench's reference, `reference_chromium_pack` in `make bench`);
- `chromium_kept_open`: one headless Chromium per process kept open (Playwright), each printing whole parts
  one after another with tags and an outline, and nothing after it (the spike that led to `ours_chromium`).

and then reads every PDF of the last run through `tests.pdfs.pdf_ua_breaches`, our PDF/UA-1 structure
check, with the number of pages. Progress to stderr, one JSON object to stdout.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import queue
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pikepdf

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
sys.path.insert(0, str(ROOT))


def log(message: str) -> None:
    print(f"[renderers {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def our_pack(parts: dict[str, Path], renderer: str) -> dict[str, bytes]:
    from reports import pdfs

    made: dict[str, bytes] = {}
    pdfs.render_all([(name, path.read_text(encoding="utf-8")) for name, path in parts.items()],
                    on_done=made.__setitem__, reuse=False, renderer=renderer)
    return made


def chromium_per_document(parts: dict[str, Path], processes: int) -> dict[str, bytes]:
    from concurrent.futures import ThreadPoolExecutor

    def one(item):
        name, path = item
        target = path.with_suffix(".chromium.pdf")
        with tempfile.TemporaryDirectory(prefix="profile-") as profile:
            subprocess.run([
                CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={target}", f"file://{path}",
            ], capture_output=True, check=True, timeout=600)
        return name, target.read_bytes()

    with ThreadPoolExecutor(max_workers=processes) as pool:
        return dict(pool.map(one, parts.items()))


def chromium_kept_open(parts: dict[str, Path], processes: int) -> dict[str, bytes]:
    from playwright.sync_api import sync_playwright

    todo: queue.Queue = queue.Queue()
    for item in sorted(parts.items(), key=lambda item: item[1].stat().st_size, reverse=True):
        todo.put(item)  # longest first, as our pack orders its sections
    made: dict[str, bytes] = {}
    errors: list[BaseException] = []

    def worker():
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--disable-gpu"])
                page = browser.new_page()
                while True:
                    try:
                        name, path = todo.get_nowait()
                    except queue.Empty:
                        break
                    page.goto(path.as_uri())
                    made[name] = page.pdf(prefer_css_page_size=True, print_background=True, tagged=True, outline=True)
                browser.close()
        except BaseException as exc:  # reported after the threads end
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(processes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return made


def pages(data: bytes) -> int:
    import io

    with pikepdf.open(io.BytesIO(data)) as document:
        return len(document.pages)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=str(ROOT / "bench" / "out" / "bench.sqlite3"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    if not Path(args.database).exists():
        parser.error(f"{args.database} does not exist: run `make bench` first (it leaves its council there)")
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(args.database).resolve()}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "councilperf.settings")
    os.environ["DJANGO_DEBUG"] = "false"
    media = tempfile.mkdtemp(prefix="renderers-media-")
    os.environ["COUNCILPERF_MEDIA_ROOT"] = media
    import django

    django.setup()
    from reports import document, pdfs, render
    from reports.models import Report
    from tests.pdfs import pdf_ua_breaches

    report = Report.objects.select_related("period", "portfolio").order_by("pk").first()
    folder = Path(tempfile.mkdtemp(prefix="renderers-"))
    parts = {}
    for part in render.print_parts(document.build(report)):
        parts[part.part] = folder / f"{part.part}.html"
        parts[part.part].write_text(part.html, encoding="utf-8")
    processes = pdfs.workers()
    renderers = {
        "weasyprint": lambda: our_pack(parts, "weasyprint"),
        "ours_chromium": lambda: our_pack(parts, "chromium"),
        "chromium_per_document": lambda: chromium_per_document(parts, processes),
        "chromium_kept_open": lambda: chromium_kept_open(parts, processes),
    }
    wall: dict[str, list[float]] = collections.defaultdict(list)
    spent: dict[str, list[float]] = collections.defaultdict(list)
    last: dict[str, dict[str, bytes]] = {}
    for run in range(args.runs):
        for name, renderer in renderers.items():
            started, before = time.perf_counter(), cpu()
            last[name] = renderer()
            wall[name].append(round(time.perf_counter() - started, 2))
            spent[name].append(round(cpu() - before, 1))
            log(f"run {run + 1}: {name} {wall[name][-1]} s")
    out = {"meta": {"database": args.database, "report": report.pk, "processes": processes, "runs": args.runs,
                    "load_average": os.getloadavg()}}
    for name in renderers:
        breaches = {part: collections.Counter(b.split(":")[0] for b in pdf_ua_breaches(data))
                    for part, data in sorted(last[name].items())}
        out[name] = {
            "median_s": statistics.median(wall[name]), "runs_s": wall[name],
            # Chromium's own processes are not this process's children (Playwright's driver starts them):
            # their CPU is missing here, so compare the wall times.
            "cpu_s": spent[name], "pages": sum(pages(data) for data in last[name].values()),
            "pdf_ua_breaches": {part: dict(found) for part, found in breaches.items() if found},
        }
    for ours in ("weasyprint", "ours_chromium"):
        for name in ("chromium_per_document", "chromium_kept_open"):
            out[ours][f"x_{name}"] = round(out[ours]["median_s"] / out[name]["median_s"], 2)
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
