"""A published version's PDF parts on disk: where each is kept, storing one (never replaced once
kept), sharing an earlier version's file when the part is made from the same thing (`part_key`),
and parts a stopped worker left running.

Called by the background task that renders the PDFs (reports.tasks) and read by the views; it
imports nothing that builds or publishes the report, so rendering and storage never reach back
into the services that publish (reports.services enqueues the task).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pikepdf
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import timezone

from core import pdf, pdf_ua
from reports import render
from reports.models import PublishedPart, PublishedVersion

log = logging.getLogger(__name__)


def _stale_before():
    return timezone.now() - timedelta(seconds=settings.REPORTS_PDF_STALE_SECONDS)


def is_stale(part: PublishedPart) -> bool:
    """A part "running" since before the timeout: its worker has stopped."""
    return part.state == PublishedPart.RUNNING and (part.started_at is None or part.started_at < _stale_before())


def parts_requeue_stale(*, version: PublishedVersion | None = None) -> int:
    """Parts left "running" longer than REPORTS_PDF_STALE_SECONDS (a worker died or was stopped)
    wait again; returns how many. The render task calls it, so the next worker takes them up."""
    stale = PublishedPart.objects.filter(state=PublishedPart.RUNNING, started_at__lt=_stale_before()) | (
        PublishedPart.objects.filter(state=PublishedPart.RUNNING, started_at__isnull=True))
    if version is not None:
        stale = stale.filter(version=version)
    return PublishedPart.objects.filter(pk__in=list(stale.values_list("pk", flat=True))).update(
        state=PublishedPart.PENDING, error="")


def part_path(part: PublishedPart) -> Path:
    return Path(settings.MEDIA_ROOT) / part.path


def part_pages(part: PublishedPart) -> int | None:
    """How many pages a kept PDF has, read from the file (None until it is made, or if it cannot be read)."""
    if part.state != PublishedPart.DONE or not part.path:
        return None
    return _pages(str(part_path(part)), part.sha256)


@lru_cache(maxsize=512)
def _pages(path: str, sha256: str) -> int | None:
    # A kept file is never replaced (store_pdf), so its path and digest name its page count.
    try:
        with pikepdf.open(path) as document:
            return len(document.pages)
    except (OSError, pikepdf.PdfError):
        return None


def store_pdf(*, part: PublishedPart, data: bytes) -> PublishedPart:
    """Keep a rendered PDF with its version. A file already kept is never replaced."""
    if part.state == PublishedPart.DONE and part.path:
        return part
    relative = f"reports/{part.version.report_id}/v{part.version.number}/{render.stored_name(part)}"
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        temporary = target.with_suffix(".part")
        temporary.write_bytes(data)
        temporary.replace(target)
    kept = target.read_bytes()
    PublishedPart.objects.filter(pk=part.pk).update(
        path=relative, sha256=hashlib.sha256(kept).hexdigest(), size=len(kept), state=PublishedPart.DONE,
        error="", rendered_at=timezone.now(),
    )
    part.refresh_from_db()
    return part


# --- Incremental publishing: a part made from the same thing shares the earlier version's file ----

# Where fontconfig finds the fonts WeasyPrint lays the text out with (the print CSS names system
# fonts: Liberation Sans, Arial).
FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".fonts"))
_STATIC_URLS = re.compile(r"""(?:src|href)=["']([^"']+)["']|url\(\s*["']?([^"')]+)["']?\s*\)""")


@lru_cache(maxsize=1)
def fonts_fingerprint() -> str:
    """The installed fonts, by name, size and time: a font package upgraded or added changes it, and
    with it every part's key (so a reused PDF never has glyphs another renderer would not draw)."""
    digest = hashlib.sha256()
    for folder in FONT_FOLDERS:
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(files):
                try:
                    stat = os.stat(os.path.join(root, name))
                except OSError:
                    continue
                digest.update(f"{root}/{name} {stat.st_size} {int(stat.st_mtime)}\n".encode())
    return digest.hexdigest()


def part_key(html: str) -> str:
    """What a part's PDF is made from: its print HTML (which holds the print CSS), any of our static
    files it names, the fonts, the renderer that prints it (core.pdf.pack_renderer: Chromium or
    WeasyPrint, and its version) and our PDF/UA repairs (core.pdf_ua.REVISION). Two parts with the
    same key make the same PDFs."""
    digest = hashlib.sha256(
        f"{pdf.renderer_version(pdf.pack_renderer())}\npdf_ua {pdf_ua.REVISION}\nfonts {fonts_fingerprint()}\n".encode())
    digest.update(html.encode())
    for url in sorted({a or b for a, b in _STATIC_URLS.findall(html)}):
        path = unquote(urlsplit(url).path)
        found = finders.find(path[len(settings.STATIC_URL):]) if path.startswith(settings.STATIC_URL) else None
        if found:
            with open(found, "rb") as handle:
                digest.update(url.encode() + b"\n" + hashlib.sha256(handle.read()).digest())
    return digest.hexdigest()


def reusable_parts(*, report_id: int, keys: list[str]) -> dict[str, PublishedPart]:
    """{key: the newest kept part of an earlier version of the report made from it}, in one query."""
    found: dict[str, PublishedPart] = {}
    for part in (PublishedPart.objects.filter(version__report_id=report_id, key__in=[k for k in keys if k],
                                              state=PublishedPart.DONE).exclude(path="")
                 .select_related("version").defer("html", "version__html", "version__figures_json")
                 .order_by("version__number")):
        found[part.key] = part  # newest version last: it wins
    return found


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _share(source: Path, target: Path) -> None:
    """A second name for a kept file (a hard link: no bytes copied), or a copy where links are not
    possible (another file system). Written beside the target and moved, never half there."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".part")
    temporary.unlink(missing_ok=True)
    try:
        os.link(source, temporary)
    except OSError:
        shutil.copyfile(source, temporary)
    temporary.replace(target)


def parts_reuse(*, version_id: int) -> dict:
    """Keep, for each waiting part of the version that was published as a copy of an earlier
    version's kept part (`reused_from`), that same file under this version, without rendering.

    The file is checked against the digest recorded when it was kept; if it is missing or differs,
    the part is rendered instead and `reuse_note` says why. Returns {"reused": n, "render": n}.
    """
    waiting = list(PublishedPart.objects.filter(version_id=version_id, state=PublishedPart.PENDING,
                                                reused_from__isnull=False)
                   .select_related("version", "reused_from__version")
                   .defer("html", "reused_from__html", "version__html", "version__figures_json",
                          "reused_from__version__html", "reused_from__version__figures_json"))
    reused = rendered = 0
    for part in waiting:
        # Claimed like a render, so two workers never keep the same part twice.
        if PublishedPart.objects.filter(pk=part.pk, state=PublishedPart.PENDING).update(
                state=PublishedPart.RUNNING, started_at=timezone.now()) != 1:
            continue
        source = part.reused_from
        relative = f"reports/{part.version.report_id}/v{part.version.number}/{render.stored_name(part)}"
        try:
            kept = part_path(source)
            if not kept.is_file():
                raise FileNotFoundError(kept)
            if _digest(kept) != source.sha256:
                raise ValueError("its file no longer matches the digest it was kept with")
            _share(kept, Path(settings.MEDIA_ROOT) / relative)
        except (OSError, ValueError) as exc:
            log.warning("PDF %s of version %s: not reused from version %s (%s); rendering it",
                        part.part, part.version.number, source.version.number, exc)
            missing = isinstance(exc, FileNotFoundError)
            note = (f"The PDF of version {source.version.number} "
                    + ("was missing from the disk" if missing else "could not be used")
                    + ", so this one was rendered.")
            PublishedPart.objects.filter(pk=part.pk).update(
                state=PublishedPart.PENDING, reused_from=None, reuse_note=note, started_at=None)
            rendered += 1
            continue
        PublishedPart.objects.filter(pk=part.pk).update(
            path=relative, sha256=source.sha256, size=source.size, state=PublishedPart.DONE, error="",
            rendered_at=source.rendered_at,
        )
        reused += 1
    return {"reused": reused, "render": rendered}
