"""The worker leaves after WORKER_MAX_TASKS tasks and bin/worker starts a fresh process (issue 24):
memory a render left behind goes back to the system; stopping bin/worker stops its db_worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _manage(env, *args, **kwargs):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True, timeout=300, **kwargs)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the worker's processes from /proc")
def test_the_worker_is_a_fresh_process_after_each_batch_of_tasks_and_stops_with_its_loop(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}", "DJANGO_DEBUG": "false",
           "COUNCILPERF_MEDIA_ROOT": str(tmp_path / "media"), "WORKER_MAX_TASKS": "2", "PY": sys.executable}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    _manage(env, "migrate", "--noinput")
    # Five renders of versions that do not exist: each task runs and finds nothing to make.
    _manage(env, "shell", "-c", "from reports import tasks\nfor n in range(5): tasks.render_version_pdfs.enqueue(10**6 + n)")
    loop = subprocess.Popen([str(ROOT / "bin" / "worker"), "--interval", "0.2", "--no-startup-delay", "--no-reload"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    count = ("from django_tasks_db.models import DBTaskResult as T\n"
             "done = T.objects.filter(status='SUCCESSFUL')\n"
             "print(done.count(), len({w for t in done for w in t.worker_ids}))")
    try:
        deadline = time.monotonic() + 120
        while True:
            done, workers = map(int, _manage(env, "shell", "-c", count).stdout.strip().splitlines()[-1].split())
            if done == 5 or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert done == 5
        # Two tasks a process: three processes, each with its own worker id.
        assert workers == 3
    finally:
        os.kill(loop.pid, signal.SIGTERM)
        loop.wait(timeout=30)
    time.sleep(0.5)
    left = [p for p in Path("/proc").iterdir() if p.name.isdigit() and _in_session(p, loop.pid)]
    assert left == [], "stopping bin/worker leaves no db_worker running"


def _in_session(proc: Path, session: int) -> bool:
    try:
        return int((proc / "stat").read_text().rsplit(")", 1)[1].split()[3]) == session
    except (OSError, ValueError, IndexError):
        return False
