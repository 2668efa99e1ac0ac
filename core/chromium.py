"""Print HTML to a tagged PDF with a headless Chromium kept open in this process (Playwright).

The report pack's renderer where Chromium is installed (docs/adr/0014): it prints our pages
about four times faster than WeasyPrint lays them out, because it lays out in C++ and is started
once, not once a document. Its PDF is tagged (tables, headings, lists), titled, in the page's
language, with its fonts embedded; `core.pdf_ua.repair` then adds what it leaves out.

One browser per process, started on first use (or by `warm`) and kept: every call goes through one thread of
this process (Playwright's sync API belongs to the thread that started it, and must not run in a
thread that has an asyncio loop, as a test's browser fixture has). A process forked from this
one (the pack's pool) starts its own. The page it prints in runs no script and fetches nothing:
print HTML is one self-contained document (styles inline, images as data: URLs) and any other
request is refused, as WeasyPrint's StaticOnlyFetcher refuses them.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FuturesTimeout

from django.conf import settings

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
# A pack's longest section prints in about a second; a document that takes this long has gone wrong.
TIMEOUT_MS = 120_000
# Playwright's pdf() has no timeout of its own: a print not back by then is given up, and its thread
# with it (the next print starts a new thread and browser), so that no render waits for ever.
PRINT_SECONDS = 300


def executable() -> str | None:
    """The Chromium binary to print with: COUNCILPERF_CHROMIUM, else `chromium` on the PATH; None if neither is there."""
    configured = settings.COUNCILPERF_CHROMIUM
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    return shutil.which("chromium")


@functools.cache
def version(path: str) -> str:
    """`chromium --version` of a binary (part of a kept section's key: a new Chromium is a new rendering)."""
    try:
        return subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30,  # noqa: S603
                              check=True).stdout.strip() or path
    except (OSError, subprocess.SubprocessError) as exc:
        raise RuntimeError(f"Chromium at {path} does not run: {exc}") from exc


def runs(path: str) -> bool:
    """Whether the binary answers `--version` (a Chromium that cannot start is not chosen by "auto")."""
    try:
        version(path)
    except RuntimeError:
        return False
    return True


class PrintError(RuntimeError):
    """Chromium could not print a document (it is not installed, did not start or gave up)."""


_lock = threading.Lock()
_thread: tuple[int, ThreadPoolExecutor] | None = None  # (the process it belongs to, its one thread)
_local = threading.local()  # the printing thread's Playwright, browser and page


def _printer() -> ThreadPoolExecutor:
    global _thread
    with _lock:
        if _thread is None or _thread[0] != os.getpid():  # a forked process has no copy of the thread
            _thread = (os.getpid(), ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium"))
        return _thread[1]


def _page(path: str):
    page = getattr(_local, "page", None)
    if page is not None and _local.browser.is_connected() and not page.is_closed() and _local.path == path:
        return page
    _close()  # a browser that went away, or another binary chosen since
    # Imported here: only the printing thread needs it.
    from playwright.sync_api import sync_playwright

    if getattr(_local, "playwright", None) is None:
        _local.playwright = sync_playwright().start()
    _local.browser = _local.playwright.chromium.launch(executable_path=path, args=ARGS)
    _local.path = path
    page = _local.browser.new_page(java_script_enabled=False)
    page.set_default_timeout(TIMEOUT_MS)
    page.route("**/*", lambda route: route.abort())
    _local.page = page
    return page


def _print(html: str, path: str) -> bytes:
    page = _page(path)
    try:
        page.set_content(html, wait_until="load")
        return page.pdf(prefer_css_page_size=True, print_background=True, tagged=True, outline=True)
    except Exception:
        _close()  # a browser that failed once is not trusted with the next document
        raise


def _close(*, stop: bool = False) -> None:
    browser = getattr(_local, "browser", None)
    _local.page = _local.browser = None
    try:
        if browser is not None:
            browser.close()
        if stop and getattr(_local, "playwright", None) is not None:
            _local.playwright.stop()
            _local.playwright = None
    except Exception:  # noqa: BLE001, S110 - it is going anyway; the next document starts a new one
        pass


def print_pdf(html: str) -> bytes:
    """Chromium's tagged PDF of a complete HTML document (sizes and margins from its @page rules)."""
    path = executable()
    if path is None:
        raise PrintError("Chromium is not installed (set COUNCILPERF_CHROMIUM or install Debian's chromium)")
    printer = _printer()
    try:
        return printer.submit(_print, html, path).result(timeout=PRINT_SECONDS)
    except FuturesTimeout as exc:
        _abandon(printer)
        raise PrintError(f"Chromium did not finish printing the document in {PRINT_SECONDS} s") from exc
    except Exception as exc:
        raise PrintError(f"Chromium could not print the document: {exc}") from exc


def _abandon(printer: ThreadPoolExecutor) -> None:
    """Leave a printing thread that does not answer: the next print starts its own (the worker's recycling ends it)."""
    global _thread
    with _lock:
        if _thread is not None and _thread[1] is printer:
            _thread = None
    printer.shutdown(wait=False, cancel_futures=True)


def warm() -> None:
    """Start this process's browser now, in the background, if it is not open (the worker does so after
    each render, so that the next correction prints at once); a failure here is the next print's to report."""
    path = executable()
    if path is not None:
        _printer().submit(_warm, path)


def _warm(path: str) -> None:
    try:
        _page(path)
    except Exception:  # noqa: BLE001 - the next print_pdf starts it again and reports why it cannot
        _close()


def is_open() -> bool:
    """Whether this process has a browser open (asked after any print or warm queued before it)."""
    with _lock:
        held = _thread if _thread is not None and _thread[0] == os.getpid() else None
    if held is None:
        return False
    return held[1].submit(lambda: getattr(_local, "browser", None) is not None and _local.browser.is_connected()).result()


def close() -> None:
    """Close this process's browser (the next print starts another)."""
    global _thread
    with _lock:
        held = _thread if _thread is not None and _thread[0] == os.getpid() else None
        _thread = None
    if held is not None:
        held[1].submit(_close, stop=True).result()
        held[1].shutdown()
