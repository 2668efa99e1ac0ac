"""Load test: officers opening My updates and saving figures against gunicorn and PostgreSQL, then a check nothing was lost.

    .venv/bin/python bench/load.py                          # 100 officers for 60 s, one gunicorn
    .venv/bin/python bench/load.py --servers 2 --db-workers 2 --publish 2
                                                            # beyond one machine: two app servers, two
                                                            # workers, load split across both, PDFs queued
    .venv/bin/python bench/load.py --users 10 --duration 5  # a smoke run

It makes a scratch PostgreSQL database (from DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/postgres; dropped afterwards unless --keep), builds the
synthetic council in it (1,000 indicators, 100 officers), starts gunicorn (and db_worker)
processes on 127.0.0.1, and runs one thread per officer with its own keep-alive
connection (http.client, no extra packages). Each officer opens My updates, then saves
--saves-per-open figures one row at a time as htmx does, pausing --think seconds (uniformly
between half and one and a half times it; 5 by default) before each save. An officer really
types a figure, a commentary and a remedial action for each row, 20-60 s; 5 s is the pace the
issue's target (p95 under 300 ms) is judged at, and `--think 1` is the stress run that finds
the machine's capacity (docs/performance.md, "Load"). After --duration seconds it
reports requests per second, p50/p95/p99 and errors per kind of request, then checks in the
database that every acknowledged save is there exactly once: the reading holds the last
figure saved, and its history has one htmx entry per save with distinct versions. With
--publish N, N report versions are published during the run and every queued PDF must end
up rendered exactly once (one task result per version, each part rendered once).
Output: one JSON object on stdout, also written to bench/out/load-<time>.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode, urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"

VERSION_RE = re.compile(r'name="r(\d+)-version"\s+value="(\d+)"')
CSRF_RE = re.compile(r"csrftoken=([^;]+)")
ERROR_RE = re.compile(r'class="govuk-error-message"[^>]*>(.*?)</', re.S)


def log(message: str) -> None:
    print(f"[load {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- Set-up: a scratch database with a synthetic council, servers and workers -------------------


def scratch_database(admin_url: str) -> tuple[str, str]:
    import psycopg

    name = f"councilperf_load_{os.getpid()}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, urlunparse(urlparse(admin_url)._replace(path=f"/{name}"))


def drop_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_env(database_url: str, media: Path) -> dict:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "councilperf.settings", "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost", "COUNCILPERF_MEDIA_ROOT": str(media),
        # whitenoise warns when collectstatic has not run; this test never asks for static files.
        "PYTHONWARNINGS": "ignore:No directory at",
        # Each gunicorn process keeps its own pool; keep the total under PostgreSQL's max_connections.
        "DATABASE_POOL_MIN": "1", "DATABASE_POOL_MAX": env.get("DATABASE_POOL_MAX", "4"),
    })
    return env


def start_servers(args, env) -> list[subprocess.Popen]:
    procs = []
    for n in range(args.servers):
        port = args.port + n
        procs.append(subprocess.Popen([
            GUNICORN, "councilperf.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(args.gunicorn_workers),
            "--worker-class", "gthread", "--threads", str(args.threads), "--log-level", "warning",
            "--timeout", "120",
        ], cwd=ROOT, env=env))
    for _ in range(args.db_workers):
        procs.append(subprocess.Popen([PY, "manage.py", "db_worker", "--interval", "1"], cwd=ROOT, env=env,
                                      stdout=subprocess.DEVNULL))
    for n in range(args.servers):
        wait_ready(args.port + n)
    return procs


def wait_ready(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/sign-in/")
            if conn.getresponse().status < 500:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn on port {port} did not answer within {timeout}s")


def stop(procs) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def _ticks(pid: int) -> int:
    """CPU ticks a process and its waited-for children have used (utime, stime, cutime, cstime)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return sum(int(f) for f in fields[11:15])


def _all_pids() -> list[int]:
    return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()]


def server_cpu(procs, database: str) -> tuple[float, float]:
    """(seconds of CPU used so far by our servers and workers with their children, by the database's backends).

    CPU time, unlike response time, does not grow when other work shares the machine: it says
    what each request costs, so how many a free core could serve.
    """
    ours = {p.pid for p in procs}
    parents = {}
    for pid in _all_pids():
        try:
            parents[pid] = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
    grown = True
    while grown:
        more = {pid for pid, parent in parents.items() if parent in ours} - ours
        grown = bool(more)
        ours |= more
    backends = []
    for pid in parents:
        try:
            if database in Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8", "replace"):
                backends.append(pid)
        except OSError:
            continue
    tick = os.sysconf("SC_CLK_TCK")
    return sum(_ticks(p) for p in ours) / tick, sum(_ticks(p) for p in backends) / tick


def sessions_for(usernames) -> dict[str, str]:
    """A signed-in session per officer, made directly: sign-in is not what this test measures."""
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    out = {}
    for user in get_user_model().objects.filter(username__in=usernames):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        out[user.username] = f"{settings.SESSION_COOKIE_NAME}={store.session_key}"
    return out


# --- The simulated officers ---------------------------------------------------------------------


class Officer(threading.Thread):
    def __init__(self, *, username, cookie, port, period_id, args, stop_at, rng_seed):
        super().__init__(daemon=True)
        self.username, self.cookie, self.port, self.period_id = username, cookie, port, period_id
        self.args, self.stop_at = args, stop_at
        self.rng = random.Random(rng_seed)
        self.samples: list[tuple[str, float, bool, str]] = []  # (kind, seconds, ok, note)
        self.saved: dict[int, list[str]] = defaultdict(list)  # indicator id -> figures acknowledged, in order
        self.unknown: list[int] = []  # saves whose outcome we never heard (timeouts)
        self.csrf = ""
        self.conn = None

    def _request(self, method, path, body=None, headers=None):
        headers = {"Cookie": self.cookie + (f"; csrftoken={self.csrf}" if self.csrf else ""), **(headers or {})}
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.args.timeout)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                cookie = CSRF_RE.search(response.getheader("Set-Cookie") or "")
                if cookie:
                    self.csrf = cookie.group(1)
                return response.status, data.decode("utf-8", "replace")
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def run(self):
        while time.monotonic() < self.stop_at:
            started = time.perf_counter()
            try:
                status, page = self._request("GET", f"/indicators/updates/?period={self.period_id}")
            except OSError as exc:
                self.samples.append(("my_updates", time.perf_counter() - started, False, type(exc).__name__))
                time.sleep(0.5)
                continue
            ok = status == 200
            self.samples.append(("my_updates", time.perf_counter() - started, ok, "" if ok else f"HTTP {status}"))
            versions = {int(i): int(v) for i, v in VERSION_RE.findall(page)}
            if not ok or not versions:
                time.sleep(1)
                continue
            for _ in range(self.args.saves_per_open):
                time.sleep(self.args.think * self.rng.uniform(0.5, 1.5))
                if time.monotonic() >= self.stop_at:
                    return
                self.save(versions)

    def save(self, versions: dict[int, int]):
        indicator = self.rng.choice(sorted(versions))
        previous = self.saved[indicator][-1] if self.saved[indicator] else None
        figure = previous
        while figure == previous:  # every save changes the figure, so every save writes history
            figure = f"{self.rng.randint(1, 99)}.{self.rng.randint(0, 9)}"
        p = f"r{indicator}-"
        body = urlencode({
            p + "actual": figure, p + "commentary": f"Load test figure from {self.username}.",
            p + "remedial_action": "Reviewed with the service (load test).", p + "data_quality": "provisional",
            p + "version": str(versions[indicator]),
        })
        started = time.perf_counter()
        try:
            status, text = self._request(
                "POST", f"/indicators/updates/{self.period_id}/row/{indicator}/", body=body,
                headers={"Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true",
                         "X-CSRFToken": self.csrf},
            )
        except OSError as exc:
            self.samples.append(("save", time.perf_counter() - started, False, type(exc).__name__))
            self.unknown.append(indicator)
            return
        elapsed = time.perf_counter() - started
        new = {int(i): int(v) for i, v in VERSION_RE.findall(text)}.get(indicator)
        problem = ERROR_RE.search(text)
        if status != 200 or problem or new is None:
            note = f"HTTP {status}" if status != 200 else (problem.group(1).strip()[:120] if problem else "no version in reply")
            self.samples.append(("save", elapsed, False, note))
            return
        versions[indicator] = new
        self.saved[indicator].append(figure)
        self.samples.append(("save", elapsed, True, ""))


# --- Results and the check ----------------------------------------------------------------------


def percentiles(values: list[float]) -> dict:
    if not values:
        return {}
    ms = sorted(v * 1000 for v in values)
    cuts = statistics.quantiles(ms, n=100, method="inclusive") if len(ms) > 1 else [ms[0]] * 99
    return {"p50_ms": round(cuts[49], 1), "p95_ms": round(cuts[94], 1), "p99_ms": round(cuts[98], 1),
            "max_ms": round(ms[-1], 1)}


def summarise(officers, duration) -> dict:
    samples = [s for o in officers for s in o.samples]
    out = {"requests": len(samples), "requests_per_second": round(len(samples) / duration, 1),
           "errors": sum(1 for s in samples if not s[2]), **percentiles([s[1] for s in samples])}
    for kind in ("my_updates", "save"):
        part = [s for s in samples if s[0] == kind]
        notes = defaultdict(int)
        for s in part:
            if not s[2]:
                notes[s[3]] += 1
        out[kind] = {"requests": len(part), "errors": sum(notes.values()), **percentiles([s[1] for s in part]),
                     "error_kinds": dict(notes)}
    return out


def check_saves(officers, period_id) -> dict:
    """Every acknowledged save is in the database once: last figure kept, one history entry each."""
    from indicators.models import Reading, ReadingHistory

    expected = {}
    for o in officers:
        for indicator, figures in o.saved.items():
            expected[indicator] = (o.username, figures)
    unknown = {i for o in officers for i in o.unknown}
    readings = {r.indicator_id: r for r in Reading.objects.filter(period_id=period_id, indicator_id__in=expected)}
    history = defaultdict(list)
    for reading_id, version, by in ReadingHistory.objects.filter(
        reading__in=readings.values(), how=ReadingHistory.HTMX
    ).values_list("reading_id", "version", "by__username"):
        history[reading_id].append((version, by))
    lost, wrong, duplicated, unexplained = [], [], [], []
    for indicator, (username, figures) in expected.items():
        reading = readings.get(indicator)
        if reading is None:
            lost.append(indicator)
            continue
        entries = history[reading.pk]
        versions = [v for v, _ in entries]
        if len(set(versions)) != len(versions):
            duplicated.append(indicator)
        if indicator in unknown:
            continue  # a save whose reply never came may or may not be there; say how many, judge the rest
        if reading.actual != Decimal(figures[-1]):
            wrong.append({"indicator": indicator, "kept": str(reading.actual), "last_saved": figures[-1]})
        if len(entries) != len(figures) or any(by != username for _, by in entries):
            unexplained.append({"indicator": indicator, "history": len(entries), "saves": len(figures)})
    saves = sum(len(f) for _, f in expected.values())
    return {"saves_acknowledged": saves, "readings_saved": len(expected), "lost": len(lost), "wrong_figure": len(wrong),
            "duplicate_versions": len(duplicated), "history_mismatch": len(unexplained),
            "outcome_unknown": len(unknown), "examples": (wrong + unexplained)[:5],
            "ok": not (lost or wrong or duplicated or unexplained)}


def publish(count: int) -> list[int]:
    from django.contrib.auth import get_user_model

    from reports import services
    from reports.models import Report

    user = get_user_model().objects.get(username="syn-performance")
    report = Report.objects.order_by("-id").first()
    return [services.report_publish(user=user, report=report, note=f"Load test publication {n + 1}").pk
            for n in range(count)]


def check_pdfs(version_ids, timeout: float) -> dict:
    """Every queued PDF rendered exactly once: one task per version, each part rendered once and kept."""
    from django.conf import settings
    from django_tasks_db.models import DBTaskResult

    from reports.models import PublishedPart

    parts = PublishedPart.objects.filter(version_id__in=version_ids)
    deadline = time.monotonic() + timeout
    while parts.exclude(state__in=[PublishedPart.DONE, PublishedPart.FAILED]).exists() and time.monotonic() < deadline:
        time.sleep(2)
    results = list(DBTaskResult.objects.filter(task_path__endswith="render_version_pdfs"))
    mine = [r for r in results if r.args_kwargs.get("args", [None])[0] in version_ids]
    rendered = sum((r.return_value or {}).get("rendered", 0) for r in mine)
    total = parts.count()
    # A part made from the same thing as a kept PDF of an earlier version shares its file, unrendered;
    # a version whose every part was shared on publication queues no task.
    shared = parts.filter(reused_from__isnull=False).count()
    to_render = len(set(parts.filter(reused_from__isnull=True).values_list("version_id", flat=True)))
    states = defaultdict(int)
    for state in parts.values_list("state", flat=True):
        states[state] += 1
    files_ok = all((Path(settings.MEDIA_ROOT) / p.path).is_file() for p in parts if p.state == PublishedPart.DONE)
    workers = sorted({w for r in mine for w in (r.worker_ids or [])})
    return {"versions": len(version_ids), "parts": total, "states": dict(states), "tasks": len(mine),
            "task_statuses": sorted({r.status for r in mine}), "parts_rendered_by_tasks": rendered,
            "parts_shared": shared, "workers": workers, "files_present": files_ok,
            "ok": to_render <= len(mine) <= len(version_ids) and rendered + shared == total and states.get("done", 0) == total and files_ok}


def served_everywhere(version_ids, args, cookies) -> dict:
    """Each server hands out each rendered PDF: the files live where every server can read them."""
    from reports.models import PublishedPart

    out = {}
    parts = PublishedPart.objects.filter(version_id__in=version_ids, state=PublishedPart.DONE).select_related("version")
    for n in range(args.servers):
        port, ok = args.port + n, True
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for part in parts:
            conn.request("GET", f"/reports/{part.version.report_id}/v{part.version.number}/pdf/{part.part}/",
                         headers={"Cookie": cookies["syn-performance"]})
            response = conn.getresponse()
            body = response.read()
            ok = ok and response.status == 200 and body.startswith(b"%PDF")
        out[str(port)] = ok
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (default 60)")
    parser.add_argument("--users", type=int, default=100, help="simulated officers (default 100)")
    parser.add_argument("--servers", type=int, default=1, help="gunicorn servers on consecutive ports")
    parser.add_argument("--db-workers", type=int, default=0, help="db_worker processes (PDFs)")
    parser.add_argument("--publish", type=int, default=0, help="report versions to publish during the run")
    parser.add_argument("--port", type=int, default=8101)
    parser.add_argument("--gunicorn-workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--think", type=float, default=5.0,
        help="mean pause before each save, seconds (5: several times faster than an officer types a figure, "
             "a commentary and a remedial action; 1 is a stress run past two cores' capacity)",
    )
    parser.add_argument("--saves-per-open", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=30, help="client timeout per request, seconds")
    parser.add_argument("--indicators", type=int, default=1000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--pdf-timeout", type=float, default=900)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args(argv)

    admin_url = os.environ.get("DATABASE_URL") or ADMIN_URL
    if not admin_url.startswith(("postgres://", "postgresql://")):
        parser.error("the load test runs against PostgreSQL: set DATABASE_URL=postgres://...")
    name, url = scratch_database(admin_url)
    media = OUT / f"load-media-{os.getpid()}"
    env = server_env(url, media)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_DEBUG",
                                          "COUNCILPERF_MEDIA_ROOT", "DATABASE_POOL_MIN", "DATABASE_POOL_MAX")})
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from demo import synthetic
    from organisation.models import Period

    procs = []
    try:
        log(f"scratch database {name}: migrating and making the synthetic council")
        call_command("migrate", verbosity=0, interactive=False)
        council = synthetic.plan_council(indicators=args.indicators, months=args.months, seed=0)
        synthetic.write_council(council)
        period_id = Period.objects.get(key=council.open_month).pk
        officers_all = [u["username"] for u in council.users if u["group"] == "Officer"]
        # The officer with a hundred indicators is always among them: the heaviest page.
        chosen = [council.bulk_officer, *[u for u in officers_all if u != council.bulk_officer]][: args.users]
        cookies = sessions_for(chosen)
        connections.close_all()
        log(f"starting {args.servers} gunicorn server(s) and {args.db_workers} db_worker(s)")
        procs = start_servers(args, env)
        stop_at = time.monotonic() + args.duration
        officers = [
            Officer(username=u, cookie=cookies[u], port=args.port + i % args.servers, period_id=period_id, args=args,
                    stop_at=stop_at, rng_seed=i)
            for i, u in enumerate(chosen)
        ]
        log(f"{len(officers)} officers for {args.duration:.0f}s")
        client_cpu = time.process_time()
        app_cpu, db_cpu = server_cpu(procs, name)
        started = time.monotonic()
        for o in officers:
            o.start()
            time.sleep(min(0.02, args.duration / 100))  # ramp up over the first second or two
        versions = publish(args.publish) if args.publish else []
        for o in officers:
            o.join(timeout=args.duration + args.timeout + 30)
        elapsed = time.monotonic() - started
        client_cpu = time.process_time() - client_cpu  # the simulated officers share the machine with the servers
        app_after, db_after = server_cpu(procs, name)
        app_cpu, db_cpu = app_after - app_cpu, db_after - db_cpu
        result = summarise(officers, elapsed)
        per_request = (app_cpu + db_cpu) * 1000 / max(1, result["requests"])
        result["cpu"] = {
            "app_servers_and_workers_s": round(app_cpu, 1), "postgresql_s": round(db_cpu, 1),
            "ms_per_request": round(per_request, 1),
            # What the machine's cores could serve if nothing else ran on them.
            "requests_per_second_per_free_core": round(1000 / per_request, 1) if per_request else None,
        }
        log(f"{result['requests']} requests, {result['requests_per_second']}/s, p95 {result.get('p95_ms')} ms, "
            f"{result['errors']} errors; checking the database")
        saves = check_saves(officers, period_id)
        pdfs = check_pdfs(versions, args.pdf_timeout) if versions else None
        if pdfs:
            pdfs["served_by_every_server"] = served_everywhere(versions, args, sessions_for(["syn-performance"]))
            pdfs["ok"] = pdfs["ok"] and all(pdfs["served_by_every_server"].values())
        by_server = defaultdict(int)
        for o in officers:
            by_server[o.port] += len(o.samples)
        output = {
            "meta": {"when": datetime.now(UTC).isoformat(timespec="seconds"), "users": len(officers),
                     "duration_s": round(elapsed, 1), "servers": args.servers, "db_workers": args.db_workers,
                     "gunicorn": f"{args.gunicorn_workers} workers x {args.threads} threads each",
                     "think_s": args.think, "saves_per_open": args.saves_per_open, "cpus": os.cpu_count(),
                     "load_average_after": [round(x, 2) for x in os.getloadavg()],
                     "requests_by_server_port": dict(by_server), "load_generator_cpu_s": round(client_cpu, 1)},
            "load": result, "saves": saves, "pdfs": pdfs,
            "targets": {"p95_under_300ms": result.get("p95_ms", 1e9) < 300, "zero_errors": result["errors"] == 0,
                        "zero_lost_saves": saves["ok"], "pdfs_exactly_once": pdfs["ok"] if pdfs else None},
        }
    finally:
        stop(procs)
        connections.close_all()
        if not args.keep:
            drop_database(admin_url, name)
        else:
            log(f"kept database {url}")
    text = json.dumps(output, indent=2, default=str)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"load-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(text)
    print(text)
    ok = output["targets"]["zero_lost_saves"] and output["targets"]["zero_errors"] and (pdfs is None or pdfs["ok"])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
