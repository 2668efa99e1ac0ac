"""Render several print documents to PDF at once, one process per document where cores allow.

WeasyPrint lays out one document on one core, so the report and each appendix are rendered as
separate documents in a process pool. The child processes only turn HTML into bytes; the
parent stores the files and writes progress to the database.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed

from django import db

from core import pdf


def _render(html: str) -> bytes:
    return pdf.html_to_pdf(html, base_url="/")


def workers() -> int:
    return max(1, min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1), 8))


def render_all(jobs: Iterable[tuple[str, str]], *, on_done: Callable[[str, bytes], None],
               on_error: Callable[[str, BaseException], None] | None = None, processes: int | None = None) -> None:
    """jobs: (name, html). Calls on_done(name, pdf bytes) in this process as each one finishes."""
    # Longest first (HTML length stands in for pages): a long appendix started last would leave
    # the other processes idle while it finishes alone. Measured in docs/performance.md.
    jobs = sorted(jobs, key=lambda job: len(job[1]), reverse=True)
    n = min(processes or workers(), len(jobs))
    if n <= 1:
        for name, html in jobs:
            try:
                on_done(name, _render(html))
            except Exception as exc:
                if on_error is None:
                    raise
                on_error(name, exc)
        return
    # The children must not share the parent's database connections (inside a test's transaction
    # they are left open: the children never touch them and leave with os._exit).
    if not any(conn.in_atomic_block for conn in db.connections.all(initialized_only=True)):
        db.connections.close_all()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=n, mp_context=context) as pool:
        futures = {pool.submit(_render, html): name for name, html in jobs}
        for future in as_completed(futures):
            name = futures[future]
            try:
                data = future.result()
            except Exception as exc:
                if on_error is None:
                    raise
                on_error(name, exc)
            else:
                on_done(name, data)
