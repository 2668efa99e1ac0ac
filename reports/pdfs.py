"""Render several print documents to PDF at once: long ones in sections, on every core, each section kept.

The renderer is Chromium kept open where it is installed, else WeasyPrint (core.pdf.pack_renderer,
docs/adr/0014); both go through the same sections, repairs and joins, and a section's key names
the renderer, so none is reused across them. A renderer lays out one document on one core, and
Appendix F alone is a third of the pack. So a
long print document is cut into sections (fixed blocks of table rows or of templates, each
starting a page), the sections of all documents are rendered longest first in a process pool,
and each document's sections are joined into one tagged PDF (core.pdf.join) with its page
numbers stamped on. Each rendered section is kept on disk under a hash of what it is made of
(`section_key`), so a new version of a report after a one-figure correction renders only the
sections whose HTML changed and joins the rest from the files. The child processes only turn
HTML into bytes; the parent reads and writes the kept sections, joins, and calls `on_done`.
"""

from __future__ import annotations

import functools
import hashlib
import multiprocessing
import os
import re
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field

from django import db
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from core import pdf, pdf_ua

# Sections: fixed blocks, so that a changed figure changes one section and the others keep their
# keys. About eight pages of Appendix F a section, six of A(1), five of A(2): a few sections a core
# on two cores, and a part-filled page at the end of each.
ROWS_PER_SECTION = 100
# A(1)'s rows carry commentary and remedial action, about half again as tall as F's: half as many a
# section, so a correction that moves one of its rows re-renders about as many pages as one of F.
TALL_ROWS = {"A1"}
TEMPLATES_PER_SECTION = 40
# Only documents worth cutting: a section costs a little (its own stylesheet, join, one more page end).
SPLIT_FROM_BYTES = 150_000

# A correction's few sections print in this process, with the browser it keeps open (core.chromium.warm):
# a pool would start a browser in each of its processes first, about 0.8 s, more than it saves on a few
# sections of 0.2-0.4 s each (docs/performance.md, "Issue 24, fourth pass").
CHROMIUM_IN_PROCESS = 4

FOLDER = "pdf-sections"
KEEP = 2000  # about 40 packs of 1,000 indicators (250 KB a section): the newest are kept
REVISION = "3"  # part of a kept section's key: a change to how sections are cut or rendered makes them anew

_ARTICLE = '<article class="app-report">'
_FIXED_TABLE = re.compile(r'<table class="fixed">.*?<tbody>', re.S)
_CAPTION = re.compile(r"<caption>.*?</caption>", re.S)
_TEMPLATE = '<section class="tpl"'


def sections(html: str, *, tall_rows: bool = False) -> list[str]:
    """A print document as complete documents that, laid one after the other, print the same content.

    Cuts between every ROWS_PER_SECTION rows of a long table (each section's table repeats the
    column headings, not the caption) and between every TEMPLATES_PER_SECTION templates of
    Appendix A(2). A short document, or one with nothing to cut, is one section: itself.
    """
    every = max(1, ROWS_PER_SECTION // 2) if tall_rows else ROWS_PER_SECTION
    start, end = html.find(_ARTICLE), html.rfind("</article>")
    if len(html) < SPLIT_FROM_BYTES or start < 0 or end < start:
        return [html]
    head, body, tail = html[:start], html[start:end], html[end:]
    cuts: list[tuple[int, str, str]] = []  # (position in body, what closes the section, what opens the next)
    for table in _FIXED_TABLE.finditer(body):
        rows_end = body.find("</tbody>", table.end())
        rows = [m.start() for m in re.finditer("<tr>", body[table.end():rows_end])]
        reopen = _ARTICLE + _CAPTION.sub("", table.group(0), count=1)
        cuts += [(table.end() + at, "</tbody></table></article>", reopen) for at in rows[every::every]]
    templates = [m.start() for m in re.finditer(re.escape(_TEMPLATE), body)]
    cuts += [(at, "</article>", _ARTICLE) for at in templates[TEMPLATES_PER_SECTION::TEMPLATES_PER_SECTION]]
    if not cuts:
        return [html]
    out, begin, opening = [], 0, ""
    for at, close, reopen in sorted(cuts):
        out.append(head + opening + body[begin:at] + close + "</body></html>")
        begin, opening = at, reopen
    out.append(head + opening + body[begin:] + tail)
    return out


@functools.cache
def _fonts() -> str:
    """Which font files the print stylesheet's families resolve to here (a new font is a new rendering)."""
    found = {pdf.font_file("Liberation Sans", bold) for bold in (False, True)} - {None}
    return ";".join(f"{path}:{os.path.getsize(path)}" for path in sorted(found) if os.path.exists(path))


def section_key(html: str, *, whole: bool, renderer: str = pdf.WEASYPRINT) -> str:
    """What a rendered section is made of: its HTML (stylesheet included), the renderer, our repairs and the fonts."""
    digest = hashlib.sha256(
        f"{REVISION} {'whole' if whole else 'section'} {pdf.renderer_version(renderer)} "
        f"{pdf_ua.REVISION} {_fonts()}\n".encode())
    digest.update(html.encode())
    return digest.hexdigest()


def _render(html: str, whole: bool, renderer: str) -> bytes:
    if whole:
        return pdf.html_to_pdf(html, base_url="/", renderer=renderer)
    return pdf.section_pdf(html, base_url="/", renderer=renderer)


def workers() -> int:
    return max(1, min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1), 8))


@dataclass
class _Part:
    name: str
    html: str
    pieces: list[str]
    done: dict[int, bytes] = field(default_factory=dict)

    @property
    def whole(self) -> bool:
        return len(self.pieces) == 1


@dataclass
class Stats:
    """What a `render_all` did: sections rendered and sections read from the kept files."""
    rendered: int = 0
    reused: int = 0
    renderer: str = ""


def render_all(jobs: Iterable[tuple[str, str]], *, on_done: Callable[[str, bytes], None],
               on_error: Callable[[str, BaseException], None] | None = None, processes: int | None = None,
               reuse: bool = True, renderer: str | None = None) -> Stats:
    """jobs: (name, html). Calls on_done(name, pdf bytes) in this process as each document is complete.

    `reuse=False` renders every section afresh (and keeps none): the benchmark's cold pack.
    `renderer` is `core.pdf.CHROMIUM` or `WEASYPRINT`; by default, `core.pdf.pack_renderer()`'s.
    """
    renderer = renderer or pdf.pack_renderer()
    parts = [_Part(name, html, sections(html, tall_rows=name in TALL_ROWS)) for name, html in jobs]
    stats = Stats(renderer=renderer)
    tasks = []  # (part, index, html, key)
    for part in parts:
        for index, html in enumerate(part.pieces):
            key = section_key(html, whole=part.whole, renderer=renderer)
            kept = _read(key) if reuse else None
            if kept is not None:
                part.done[index] = kept
                stats.reused += 1
            else:
                tasks.append((part, index, html, key))
    failed: set[str] = set()

    def finish(part: _Part, error: BaseException | None = None) -> None:
        if part.name in failed:
            return
        try:
            if error is not None:
                raise error
            data = part.done[0] if part.whole else _joined(part, reuse=reuse, renderer=renderer)
        except Exception as exc:
            failed.add(part.name)
            if on_error is None:
                raise
            on_error(part.name, exc)
        else:
            on_done(part.name, data)

    def landed(part: _Part, index: int, key: str, data: bytes) -> None:
        part.done[index] = data
        stats.rendered += 1
        if reuse:
            _keep(key, data)
        if len(part.done) == len(part.pieces):
            finish(part)

    for part in parts:
        if len(part.done) == len(part.pieces):
            finish(part)
    # Longest first (HTML length stands in for pages): a long section started last would leave the
    # other processes idle while it finishes alone. Measured in docs/performance.md.
    tasks.sort(key=lambda task: len(task[2]), reverse=True)
    n = min(processes or workers(), len(tasks))
    if renderer == pdf.CHROMIUM and len(tasks) <= CHROMIUM_IN_PROCESS:
        n = 1
    if n <= 1:
        for part, index, html, key in tasks:
            if part.name in failed:
                continue
            try:
                data = _render(html, part.whole, renderer)
            except Exception as exc:
                finish(part, exc)
            else:
                landed(part, index, key, data)
    elif tasks:
        # The children must not share the parent's database connections (inside a test's transaction
        # they are left open: the children never touch them and leave with os._exit).
        if not any(conn.in_atomic_block for conn in db.connections.all(initialized_only=True)):
            db.connections.close_all()
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=n, mp_context=context) as pool:
            futures = {pool.submit(_render, html, part.whole, renderer): (part, index, key)
                       for part, index, html, key in tasks}
            for future in as_completed(futures):
                part, index, key = futures[future]
                try:
                    data = future.result()
                except Exception as exc:
                    finish(part, exc)
                else:
                    landed(part, index, key, data)
    if reuse and stats.rendered:
        pdf._prune(FOLDER, KEEP)
    return stats


def _joined(part: _Part, *, reuse: bool, renderer: str) -> bytes:
    def page_numbers(pages: int) -> bytes:  # by the sections' renderer: `join` stamps its page numbers as artifacts
        html = pdf.page_numbers_html(part.html, pages)
        key = section_key(html, whole=True, renderer=renderer)
        numbers = _read(key) if reuse else None
        if numbers is None:
            numbers = pdf.page_numbers_pdf(part.html, pages, renderer=renderer)
            if reuse:
                _keep(key, numbers)
        return numbers

    return pdf.join([part.done[i] for i in range(len(part.pieces))], page_numbers=page_numbers)


def _read(key: str) -> bytes | None:
    name = f"{FOLDER}/{key}.pdf"
    try:
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        return None


def _keep(key: str, data: bytes) -> None:
    name = f"{FOLDER}/{key}.pdf"
    if default_storage.exists(name):
        return
    saved = default_storage.save(name, ContentFile(data))
    if saved != name:  # another process kept the same section meanwhile: keep one copy
        default_storage.delete(saved)
